"""plot_param_slices: the score against each parameter, one panel each."""

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._typing import SearchLike
from ..report import SearchResults
from ._common import import_matplotlib, panels, score_label
from ._readable import metric_view, tidy_log_axis

# Half-width of the deterministic spread of points around a category, so
# candidates sharing a category do not hide one another.
_JITTER = 0.15
_GOLDEN = 0.6180339887498949


def plot_param_slices(search: SearchLike, *, params: Sequence[str] | None = None,
                      metric: str | None = None, ax: Any = None) -> Any:
    """The score of every candidate against each parameter, one panel each.

    Points are coloured by evaluation order (light: early, dark: late), so
    where a search concentrated its later candidates shows. Log-scaled
    parameters get a log x axis; categories sit at labelled ticks, spread a
    little sideways. Failed candidates (NaN score) and candidates that do
    not set a parameter leave no point in its panel.

    Parameters
    ----------
    search : fitted search or dict
        Any fitted search with ``cv_results_``, or a ``cv_results_`` dict.
    params : list of str or None, default=None
        Parameters to show, in order; ``None`` for all, sorted by name.
    metric : str or None, default=None
        Metric on the y axis; ``None`` for the refit metric.
    ax : Axes, sequence of Axes or None, default=None
        One Axes per parameter; ``None`` makes a new figure.

    Returns
    -------
    axes : ndarray of Axes of shape (n_params,)
        Panel ``k`` has x label ``params[k]`` and one point collection.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from sktune.plot import plot_param_slices
    >>> results = {"params": [{"C": 0.01, "kernel": "rbf"}, {"C": 100, "kernel": "linear"}],
    ...            "mean_test_score": [0.7, 0.9]}
    >>> axes = plot_param_slices(results, ax=Figure().subplots(1, 2))
    >>> [a.get_xlabel() for a in axes], axes[0].get_xscale()
    (['C', 'kernel'], 'log')
    """
    func = "plot_param_slices"
    res = SearchResults.from_search(search, func)
    metric = res.check_metric(metric, func)
    names = res.check_params(params, func)
    import_matplotlib(func)
    axes = panels(ax, len(names), func, "parameter")
    sign, shown = metric_view(metric, getattr(res.search, "scoring", None))
    scores = sign * res.scores(metric)  # a loss as the loss it is
    order = np.arange(res.n_candidates)
    for k, (name, panel) in enumerate(zip(names, axes)):
        axis = res.axis(name)
        x = axis.coords(res.values(name))
        ok = np.isfinite(x) & np.isfinite(scores)
        if axis.is_categorical:
            x = x + _JITTER * (2 * ((order * _GOLDEN) % 1.0) - 1)
        panel.scatter(
            x[ok], scores[ok], c=order[ok], cmap="Blues", vmin=-0.3 * max(len(order), 1),
            vmax=max(len(order) - 1, 1), s=18, edgecolors="0.3", linewidths=0.3,
        )
        panel.set_xlabel(name)
        if axis.is_log:
            panel.set_xscale("log")
            tidy_log_axis(panel.xaxis, x[ok])
        if axis.is_categorical:
            panel.set_xticks(range(len(axis.levels)), axis.labels, rotation=30, ha="right")
            panel.set_xlim(-0.5, len(axis.levels) - 0.5)
        if k == 0 or not panel.get_shared_y_axes().joined(panel, axes[k - 1]):
            panel.set_ylabel(score_label(metric) if sign > 0 else shown)
        panel.grid(alpha=0.3)
    return axes
