"""plot_hyperband: score against budget, each configuration across its rungs."""

from typing import Any

import numpy as np

from .._typing import SearchLike
from ..report import SearchResults, hyperband_paths
from ._common import import_matplotlib, panels, score_label

# Up to this many distinct budgets are labelled one by one on the x axis
# (HyperbandSearch's defaults give at most five); more would crowd it.
_MAX_BUDGET_TICKS = 8


def plot_hyperband(search: SearchLike, *, metric: str | None = None, ax: Any = None) -> Any:
    """Score against budget, one panel per bracket, configurations joined across rungs.

    Each configuration is a line from the budget it started at to the
    highest one it was promoted to, so the panels show which candidates
    each bracket kept. The budget axis is logarithmic, since successive
    halving multiplies budgets by ``eta`` at every rung.

    Works on HyperbandSearch and on scikit-learn's ``HalvingGridSearchCV``
    and ``HalvingRandomSearchCV`` (one bracket): it reads the
    ``cv_results_`` columns ``n_resources`` and, when present, ``bracket``;
    rows of a bracket with equal parameters (the budget parameter aside)
    are one configuration; see :func:`sktune.report.hyperband_paths`.

    Parameters
    ----------
    search : fitted search or dict
        A fitted Hyperband or successive-halving search, or its
        ``cv_results_`` dict.
    metric : str or None, default=None
        Metric on the y axis; ``None`` for the refit metric.
    ax : Axes, sequence of Axes or None, default=None
        One Axes per bracket; ``None`` makes a new figure.

    Returns
    -------
    axes : ndarray of Axes of shape (n_brackets,)
        Panel ``k`` is titled ``"bracket <label>"`` and holds one line per
        configuration of that bracket.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from sktune.plot import plot_hyperband
    >>> results = {"params": [{"C": 1}, {"C": 2}, {"C": 3}, {"C": 3}, {"C": 9}],
    ...            "mean_test_score": [0.6, 0.7, 0.75, 0.8, 0.7],
    ...            "n_resources": [10, 10, 10, 30, 30], "bracket": [1, 1, 1, 1, 0]}
    >>> axes = plot_hyperband(results, ax=Figure().subplots(1, 2))
    >>> [a.get_title() for a in axes], [len(a.lines) for a in axes]
    (['bracket 1', 'bracket 0'], [3, 1])
    """
    func = "plot_hyperband"
    res = SearchResults.from_search(search, func, budgets="all")
    metric = res.check_metric(metric, func)
    paths = hyperband_paths(res, metric)
    import_matplotlib(func)
    brackets = list(dict.fromkeys(p.bracket for p in paths))
    axes = panels(ax, len(brackets), func, "bracket", width=3.6, sharex=True)
    budgets = np.asarray(res.column("n_resources"), dtype=float)
    log_x = bool(np.all(budgets > 0) and len(np.unique(budgets)) > 1)
    for k, (bracket, panel) in enumerate(zip(brackets, axes)):
        mine = [p for p in paths if p.bracket == bracket]
        top = max(p.budgets.max() for p in mine)
        for path in mine:
            # the configurations that reached the bracket's largest budget stand out
            reached = path.budgets.max() == top
            panel.plot(path.budgets, path.scores, marker="o", ms=3, lw=1,
                       color="tab:orange" if reached else "tab:blue",
                       alpha=0.9 if reached else 0.5, label=f"_row {path.rows[0]}")
        panel.set_title(f"bracket {bracket}")
        panel.set_xlabel("n_resources (budget)")
        if log_x:
            panel.set_xscale("log")
        levels = np.unique(budgets)
        if len(levels) <= _MAX_BUDGET_TICKS:
            # the budgets themselves, rather than log ticks between them
            panel.set_xticks(levels, [f"{b:g}" for b in levels])
            panel.minorticks_off()
        if k == 0 or not panel.get_shared_y_axes().joined(panel, axes[k - 1]):
            panel.set_ylabel(score_label(metric))
        panel.grid(alpha=0.3)
    return axes
