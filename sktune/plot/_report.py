"""write_report: the HTML page of sktune.write_report with every plot that fits the search."""

import os
from collections.abc import Mapping
from typing import Any

import numpy as np

from .._typing import SearchLike
from ..report import SearchResults, check_top, write_html
from ._common import import_matplotlib
from ._convergence import plot_convergence
from ._figures import interactive_figures
from ._hyperband import plot_hyperband
from ._importance import plot_importance
from ._parallel import plot_parallel_coordinates
from ._slices import plot_param_slices

IMPORTANCE_CAPTION = (
    "Hyperparameter importance: share of the score's variance explained by each "
    "parameter alone (functional ANOVA of a random forest; Hutter, Hoos & "
    "Leyton-Brown, ICML 2014)"
)


def report_figures(search: SearchLike, *, metric: str | None = None) -> dict[str, Any]:
    """The report's figures: every plot that fits the search.

    Figures are made with ``matplotlib.figure.Figure``, outside pyplot, so
    nothing is shown or left open and no backend is touched.

    Parameters
    ----------
    search : fitted search or dict
        Any fitted search with ``cv_results_``, or a ``cv_results_`` dict.
    metric : str or None, default=None
        Metric to show; ``None`` for the refit metric.

    Returns
    -------
    figures : dict of str -> matplotlib Figure
        Caption -> figure: convergence (against evaluations and time),
        then, when the search has parameters, parallel coordinates,
        parameter slices and importance, then score against budget when it
        has an ``n_resources`` column.

    Examples
    --------
    >>> from sktune.plot import report_figures
    >>> results = {"params": [{"C": 1}, {"C": 10}], "mean_test_score": [0.8, 0.9]}
    >>> for caption in report_figures(results):
    ...     print(caption.split(":")[0])
    Convergence
    Parallel coordinates
    Score against each parameter
    Hyperparameter importance
    """
    func = "report_figures"
    res = SearchResults.from_search(search, func)
    metric = res.check_metric(metric, func)
    import_matplotlib(func)
    from matplotlib.figure import Figure

    figures = {}
    fig = Figure(figsize=(11, 3.8), layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True)
    plot_convergence(res, metric=metric, ax=left)
    plot_convergence(res, metric=metric, x="time", ax=right)
    right.set_ylabel("")
    figures["Convergence: best score so far against evaluations and fit + score time"] = fig

    names = res.tuned_names
    if names:
        fig = Figure(figsize=(max(6.0, 1.8 * (len(names) + 1)), 4.5))
        ax = fig.subplots()
        plot_parallel_coordinates(res, metric=metric, ax=ax)
        figures["Parallel coordinates: every candidate, coloured by score"] = fig

        ncols = min(len(names), 4)
        nrows = -(-len(names) // ncols)
        fig = Figure(figsize=(3.2 * ncols, 3.0 * nrows), layout="constrained")
        grid = np.atleast_1d(fig.subplots(nrows, ncols, sharey=True, squeeze=False)).ravel()
        for extra in grid[len(names):]:
            extra.set_visible(False)
        plot_param_slices(res, metric=metric, ax=grid[: len(names)])
        figures["Score against each parameter: light points early, dark late"] = fig

        fig = Figure(figsize=(6, 0.5 * len(names) + 1.6), layout="constrained")
        plot_importance(res, metric=metric, ax=fig.subplots())
        figures[IMPORTANCE_CAPTION] = fig

    # the one figure of every budget: each configuration across its rungs
    every = res.at_budgets("all", func)
    if every.column("n_resources") is not None:
        n = len(set(np.asarray(every.column("bracket")).tolist())) if (
            every.column("bracket") is not None
        ) else 1
        fig = Figure(figsize=(3.6 * min(n, 4), 3.2 * -(-n // 4)), layout="constrained")
        grid = fig.subplots(-(-n // 4), min(n, 4), sharex=True, sharey=True,
                            squeeze=False).ravel()
        for extra in grid[n:]:
            extra.set_visible(False)
        plot_hyperband(every, metric=metric, ax=grid[:n])
        figures["Score against budget per bracket (orange: reached the largest budget)"] = fig
    return figures


def write_report(search: SearchLike, path: str | os.PathLike[str] = "report.html", *,
                 title: str | None = None, top: int | None = 10,
                 metric: str | None = None, interactive: bool = False,
                 environment: Mapping[str, Any] | None = None) -> str:
    """Write a one-file HTML report on a search: settings, best, leaderboard, plots.

    The page is self-contained (inline style, plots as base64 PNG images),
    so it opens offline in any browser. It needs matplotlib (``pip install
    sktune[plot]``); ``from sktune.report import write_html`` writes the
    page without plots.

    Parameters
    ----------
    search : fitted search or dict
        Any fitted search with ``cv_results_`` (sktune's or scikit-learn's),
        or a ``cv_results_`` dict (whose settings are then unknown).
    path : str or path-like, default="report.html"
        File to write, replaced if it exists.
    title : str or None, default=None
        Page title; ``None`` gives ``"sktune report: <search class>"``.
    top : int or None, default=10
        Rows of the leaderboard; ``None`` for every candidate.
    metric : str or None, default=None
        Metric of the leaderboard and plots; ``None`` for the refit metric.
    interactive : bool, default=False
        Interactive plotly figures (hover, zoom, toggling traces; those of
        :func:`interactive_figures`) instead of images; plotly.js is then
        inline in the page, which still opens offline (about 5 MB). Needs
        plotly (``pip install sktune[dashboard]``) instead of matplotlib.
    environment : dict or None, default=None
        The versions and machine the search ran under, shown in the summary;
        ``None`` reads them from the search's checkpoint when it has one.

    Returns
    -------
    path : str
        The file written.

    See Also
    --------
    report_figures : the figures embedded.

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> import sktune
    >>> X, y = load_iris(return_X_y=True)
    >>> search = sktune.GridSearch(SVC(), {"C": [0.1, 1, 10]}, cv=3).fit(X, y)
    >>> path = sktune.write_report(search, os.path.join(tempfile.mkdtemp(), "report.html"))
    >>> page = open(path, encoding="utf-8").read()
    >>> page.count("data:image/png;base64,")
    4
    """
    func = "write_report"
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"The 'path' parameter of {func} must be a str or path-like. "
            f"Got {path!r} (of type {type(path).__name__}) instead."
        )
    res = SearchResults.from_search(search, func)
    # checked here so that errors name the function called
    metric = res.check_metric(metric, func)
    check_top(top, func)
    if not isinstance(interactive, bool):
        raise TypeError(
            f"The 'interactive' parameter of {func} must be a bool. Got {interactive!r} "
            "instead."
        )
    if interactive:
        return write_html(res, path, figures=interactive_figures(res, metric=metric),
                          title=title, top=top, metric=metric, environment=environment)
    try:
        import_matplotlib(func)
    except ImportError as exc:
        raise ImportError(
            f"{exc}; or write the report without plots with "
            "`from sktune.report import write_html`."
        ) from exc
    figures = report_figures(res, metric=metric)
    return write_html(res, path, figures=figures, title=title, top=top, metric=metric,
                      environment=environment)
