"""plot_convergence: the best score so far, for one search or several."""

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._typing import SearchLike
from ..report import SearchResults, convergence
from ._common import new_axes
from ._readable import metric_view, robust_range

_X = {
    "evaluations": "evaluations",
    "time": "fit + score time, cumulative (s)",
}


def _as_list(search):
    if isinstance(search, (list, tuple)):
        if not search:
            raise ValueError(
                "The 'search' argument of plot_convergence must be a fitted search, a "
                "cv_results_ dict or a non-empty list of them. Got an empty list instead."
            )
        return list(search)
    return [search]


def _default_labels(results):
    names = [r.name for r in results]
    out = []
    for i, name in enumerate(names):
        if names.count(name) > 1:
            name = f"{name} ({names[:i + 1].count(name)})"
        out.append(name)
    return out


def plot_convergence(search: SearchLike | Sequence[SearchLike], *, x: str = "evaluations",
                     metric: str | None = None, labels: Sequence[str] | None = None,
                     ax: Any = None) -> Any:
    """Best score so far against evaluations or time, for one or more searches.

    Each search is a staircase of its best mean test score so far, over
    faint points of every candidate's own score; several searches overlay
    for comparison. Failed candidates (NaN score) leave no point.

    Parameters
    ----------
    search : fitted search, dict, or list of them
        Fitted searches (sktune's or scikit-learn's) or ``cv_results_``
        dicts; a list draws one curve each.
    x : {"evaluations", "time"}, default="evaluations"
        Horizontal axis: candidates evaluated, or the running sum of their
        fit and score times. ``cv_results_`` keeps no clock times, so that
        sum is the wall time of a sequential search (``n_jobs=1``).
    metric : str or None, default=None
        Metric to follow; ``None`` for each search's refit metric.
    labels : list of str or None, default=None
        Legend entries, one per search; ``None`` uses the class names (or
        ``"search"`` for dicts).
    ax : matplotlib Axes or None, default=None
        Where to draw; ``None`` makes a new figure.

    Returns
    -------
    ax : matplotlib Axes
        One line per search (``ax.lines``) and one point collection per
        search (``ax.collections``).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from sktune.plot import plot_convergence
    >>> results = {"params": [{"C": 1}, {"C": 2}, {"C": 3}],
    ...            "mean_test_score": [0.7, 0.6, 0.9]}
    >>> ax = plot_convergence(results, ax=Figure().subplots())
    >>> ax.lines[0].get_ydata().tolist()
    [0.7, 0.7, 0.9]
    """
    func = "plot_convergence"
    if x not in _X:
        raise ValueError(
            f"The 'x' parameter of {func} must be one of {sorted(_X)!r}. Got {x!r} instead."
        )
    results = [SearchResults.from_search(s, func) for s in _as_list(search)]
    if labels is None:
        labels = _default_labels(results)
    elif isinstance(labels, (str, Mapping)) or len(labels) != len(results):
        raise ValueError(
            f"The 'labels' parameter of {func} must be a list of one label per search "
            f"({len(results)}). Got {labels!r} instead."
        )
    metrics = [r.check_metric(metric, func) for r in results]
    views = {metric_view(m, getattr(r.search, "scoring", None)) for r, m in zip(results, metrics)}
    # losses (neg_* scorers) as the losses they are, when every search has one
    signs = {v[0] for v in views}
    sign = signs.pop() if len(signs) == 1 else 1
    if ax is None:
        ax = new_axes(func, figsize=(6, 4))
    scores, kept = [], []
    for res, m, name in zip(results, metrics, labels):
        curve = convergence(res, m)
        xs = curve.evaluations if x == "evaluations" else curve.seconds
        (line,) = ax.plot(xs, sign * curve.best, drawstyle="steps-post", label=str(name), lw=2)
        ok = np.isfinite(curve.scores)
        ax.scatter(xs[ok], sign * curve.scores[ok], s=14, alpha=0.35, color=line.get_color(),
                   linewidths=0)
        scores.append(curve.scores)
        kept.append(curve.best[1:])
    # an outlier must not flatten the curves: its point is left off the axis
    low, high, _ = robust_range(np.concatenate(scores), np.concatenate(kept))
    if low is not None:
        ax.set_ylim(*sorted([sign * low, sign * high]))
    ax.set_xlabel(_X[x])
    shown = sorted({v[1] for v in views} if sign == -1 else {f"mean_test_{m}" for m in metrics})
    ax.set_ylabel("best " + ", ".join(shown) + " so far")
    if len(results) > 1:
        ax.legend(loc="lower right")
    ax.grid(alpha=0.3)
    return ax
