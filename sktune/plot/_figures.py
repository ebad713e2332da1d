"""Every interactive figure that fits a search: for the dashboard, the report and Jupyter."""

from typing import Any

from .._typing import SearchLike
from ..report import (
    SearchResults,
    convergence,
    hyperband_paths,
    param_importance,
    partial_dependence,
)
from ._dependence import MIN_POINTS, dependence_figure
from ._interactive import (
    convergence_figure,
    hyperband_figure,
    importance_figure,
    parallel_figure,
    slices_figure,
)
from ._readable import metric_view

#: caption of each figure of :func:`figure_specs`
CAPTIONS = {
    "convergence": "Convergence: each candidate's score and the best so far",
    "parallel": "Parallel coordinates: every candidate, coloured by score",
    "slices": "Score against each parameter",
    "importance": "Hyperparameter importance: share of the score's variance explained by "
    "each parameter alone (functional ANOVA of a random forest; Hutter, Hoos & "
    "Leyton-Brown, ICML 2014)",
    "hyperband": "Each configuration's score across the budgets of its bracket",
    "dependence": "Partial dependence: the mean (and one standard deviation) of a Gaussian "
    "process fitted to the full-budget scores, averaged over the observed candidates "
    "(Friedman 2001)",
}

#: the figures that fit a model to the scores, left out by ``costly=False``
COSTLY = ("importance", "dependence")


def figure_specs(search, *, metric=None, scoring=None, name=None,
                 func="interactive_figures", costly=True):
    """The plotly.js specification of every figure that fits a search.

    Parameters
    ----------
    search : fitted search, dict or SearchResults
        Any fitted search with ``cv_results_`` or a ``cv_results_`` dict.
    metric : str or None, default=None
        Metric to show; ``None`` for the refit metric.
    scoring : str or None, default=None
        The search's scorer name when ``search`` is a dict (a fitted search
        says its own), for the sign of ``neg_*`` scorers.
    name : str or None, default=None
        The search's name in the legend; ``None`` for its class name.
    func : str, default="interactive_figures"
        The public function asking, named in error messages.
    costly : bool, default=True
        Whether to compute the figures of :data:`COSTLY` (they fit a random
        forest and a Gaussian process: on thousands of candidates, most of
        the time of all figures).

    Returns
    -------
    specs : dict of str -> dict
        ``"convergence"``, ``"parallel"``, ``"slices"`` and ``"importance"``
        when it has parameters, ``"dependence"`` when at least 5 of its
        full-budget candidates have a finite score (any strategy, not only
        BayesSearch), ``"hyperband"`` when it has an ``n_resources``
        column; each ``{"data": ..., "layout": ...}``.

    Examples
    --------
    >>> from sktune.plot._figures import figure_specs
    >>> results = {"params": [{"C": 1}, {"C": 10}], "mean_test_score": [-2.0, -1.0]}
    >>> specs = figure_specs(results, scoring="neg_mean_absolute_error")
    >>> list(specs), specs["convergence"]["data"][1]["y"]
    (['convergence', 'parallel', 'slices', 'importance'], [2.0, 1.0])
    """
    every = SearchResults.from_search(search, func, budgets="all")
    full = every.at_budgets("full", func)
    metric = full.check_metric(metric, func)
    if metric != full.refit_metric:
        full = SearchResults(full.cv_results, space=full.space, refit_metric=metric,
                             name=full.name, search=full.search)
    scoring = getattr(full.search, "scoring", None) if scoring is None else scoring
    sign, label = metric_view(metric, scoring)
    curve = convergence(full, metric)
    specs = {"convergence": convergence_figure([(name or full.name, curve)], sign=sign,
                                               metric=label)}
    if full.tuned_names:
        specs["parallel"] = parallel_figure(full, sign=sign, metric=label)
        specs["slices"] = slices_figure(full, sign=sign, metric=label)
        if costly:
            specs["importance"] = importance_figure(param_importance(full, metric))
            dependence = partial_dependence(full, metric, min_points=MIN_POINTS, func=func)
            if dependence:
                specs["dependence"] = dependence_figure(dependence, sign=sign, metric=label)
    if every.column("n_resources") is not None:
        specs["hyperband"] = hyperband_figure(hyperband_paths(every, metric), sign=sign,
                                              metric=label)
    return specs


def interactive_figures(search: SearchLike, *, metric: str | None = None) -> dict[str, Any]:
    """Every plot that fits a search, as interactive plotly figures (Jupyter, HTML).

    The same figures as the dashboard's: hover for a candidate's parameters,
    zoom, click a legend entry to hide its trace. A notebook shows a figure
    when it is the value of a cell; ``fig.write_html("f.html")`` saves one.
    Needs plotly (``pip install sktune[dashboard]``).

    Parameters
    ----------
    search : fitted search or dict
        Any fitted search with ``cv_results_`` (sktune's or scikit-learn's)
        or a ``cv_results_`` dict.
    metric : str or None, default=None
        Metric to show; ``None`` for the refit metric.

    Returns
    -------
    figures : dict of str -> plotly.graph_objects.Figure
        Caption -> figure, as :func:`figure_specs` lists them.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sktune import GridSearch
    >>> from sktune.plot import interactive_figures
    >>> X, y = load_iris(return_X_y=True)
    >>> search = GridSearch(SVC(), {"C": [0.1, 1, 10]}, cv=3).fit(X, y)
    >>> figures = interactive_figures(search)
    >>> [caption.split(":")[0] for caption in figures]
    ['Convergence', 'Parallel coordinates', 'Score against each parameter', 'Hyperparameter importance']
    >>> type(figures[next(iter(figures))]).__name__
    'Figure'
    """  # noqa: E501
    specs = figure_specs(search, metric=metric)
    try:
        import plotly.graph_objects as go
    except ImportError:
        raise ImportError(
            "interactive_figures needs plotly: pip install sktune[dashboard]"
        ) from None
    return {CAPTIONS[k]: go.Figure(spec) for k, spec in specs.items()}
