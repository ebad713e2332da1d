"""plot_parallel_coordinates: every candidate a line across the parameters."""

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._typing import SearchLike
from ..report import ParamAxis, SearchResults
from ._common import import_matplotlib, new_axes, score_label
from ._readable import tidy_log_axis

# Room above and below the [0, 1] range so lines at the ends stay visible.
_PAD = 0.05


def _limits(axis):
    """Data limits of a parameter's own axis matching unit range [-PAD, 1 + PAD]."""
    if axis.is_categorical:
        n = len(axis.levels)
        if n <= 1:
            return -1.0 - 2 * _PAD, 1.0 + 2 * _PAD
        return -_PAD * (n - 1), (1 + _PAD) * (n - 1)
    lo, hi = axis.low, axis.high
    if axis.is_log:
        lo, hi = np.log10(lo), np.log10(hi)
    if not hi > lo:
        lo, hi = lo - 0.5, hi + 0.5
    span = hi - lo
    lo, hi = lo - _PAD * span, hi + _PAD * span
    return (10.0**lo, 10.0**hi) if axis.is_log else (lo, hi)


def _style_twin(tw, k, name):
    tw.set_label(name)
    tw.spines["right"].set_position(("data", k))
    for side in ("left", "top", "bottom"):
        tw.spines[side].set_visible(False)
    tw.tick_params(axis="y", labelsize="small")


def plot_parallel_coordinates(search: SearchLike, *, params: Sequence[str] | None = None,
                              metric: str | None = None, cmap: Any = "viridis",
                              ax: Any = None) -> Any:
    """Every candidate as a line across the parameters, coloured by score.

    One vertical axis per parameter, then one for the score. A parameter
    whose distribution is log-scaled (from the search's ``search_space_``,
    or, when there is none, values spanning decades evenly on a log scale,
    see :class:`sktune.report.SearchResults`) gets a log axis; categories
    (strings, ``None``, objects) sit at labelled ticks. A line breaks where
    a candidate does not set a parameter, and a failed candidate (NaN
    score) is a dotted grey line that stops before the score axis.

    Parameters
    ----------
    search : fitted search or dict
        Any fitted search with ``cv_results_``, or a ``cv_results_`` dict.
    params : list of str or None, default=None
        Parameters to show, in order; ``None`` for all, sorted by name.
    metric : str or None, default=None
        Metric of the score axis and colours; ``None`` for the refit metric.
    cmap : str or Colormap, default="viridis"
        Colours of the scores, low to high.
    ax : matplotlib Axes or None, default=None
        Where to draw; ``None`` makes a new figure.

    Returns
    -------
    ax : matplotlib Axes
        The main Axes: x tick labels are the parameter names and the score,
        ``ax.lines`` holds one line per candidate (best drawn last). Each
        parameter's own scale is a twin Axes whose ``get_label()`` is the
        parameter name (the score's is ``"mean_test_<metric>"``).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from sktune.plot import plot_parallel_coordinates
    >>> results = {"params": [{"C": 0.01, "kernel": "rbf"}, {"C": 100, "kernel": "linear"}],
    ...            "mean_test_score": [0.7, 0.9]}
    >>> ax = plot_parallel_coordinates(results, ax=Figure().subplots())
    >>> [t.get_text() for t in ax.get_xticklabels()], len(ax.lines)
    (['C', 'kernel', 'mean_test_score'], 2)
    """
    func = "plot_parallel_coordinates"
    res = SearchResults.from_search(search, func)
    metric = res.check_metric(metric, func)
    names = res.check_params(params, func)
    mpl = import_matplotlib(func)
    from matplotlib.colors import Normalize

    scores = res.scores(metric)
    axes = [res.axis(n) for n in names]
    ok = np.isfinite(scores)
    lo, hi = (scores[ok].min(), scores[ok].max()) if ok.any() else (0.0, 1.0)
    score_axis = ParamAxis(score_label(metric), "linear", low=lo, high=hi)
    columns = [a.unit(res.values(n)) for n, a in zip(names, axes)]
    columns.append(score_axis.unit(list(scores)))
    U = np.column_stack(columns) if columns else np.zeros((res.n_candidates, 0))
    n_axes = U.shape[1]

    if ax is None:
        ax = new_axes(func, figsize=(max(6.0, 1.7 * n_axes), 4.5))
    colormap = mpl.colormaps[cmap] if isinstance(cmap, str) else cmap
    norm = Normalize(lo, hi if hi > lo else lo + 1)
    xs = np.arange(n_axes)
    # worst first, so the best candidates are drawn on top
    order = np.argsort(np.where(ok, scores, -np.inf), kind="stable")
    for i in order:
        if ok[i]:
            style = {"color": colormap(norm(scores[i])), "alpha": 0.8, "lw": 1.2}
        else:
            style = {"color": "0.6", "alpha": 0.8, "lw": 1.0, "ls": ":"}
        ax.plot(xs, U[i], label=f"_candidate {i}", **style)

    ax.set_xlim(-0.3, n_axes - 0.7)
    ax.set_ylim(-_PAD, 1 + _PAD)
    ax.set_xticks(xs, [*names, score_label(metric)])
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    for k, axis in enumerate([*axes, score_axis]):
        tw = ax.twinx()
        _style_twin(tw, k, axis.name)
        if axis.is_log:
            tw.set_yscale("log")
        tw.set_ylim(*_limits(axis))
        if axis.is_log:
            tidy_log_axis(tw.yaxis, [axis.low, axis.high])
        if axis.is_categorical:
            tw.set_yticks(range(len(axis.levels)), axis.labels)
            tw.minorticks_off()
    return ax
