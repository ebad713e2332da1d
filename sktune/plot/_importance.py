"""plot_importance: how much each hyperparameter explains the score."""

from typing import Any

import numpy as np

from .._typing import RandomStateLike, SearchLike
from ..report import param_importance
from ._common import new_axes


def plot_importance(search: SearchLike, *, metric: str | None = None, n_trees: int = 32,
                    random_state: RandomStateLike = 0, ax: Any = None) -> Any:
    """Bar chart of each hyperparameter's share of the score's variance.

    The shares are the main effects of a functional ANOVA of a random
    forest fitted to the search's (parameters, score) pairs (F. Hutter,
    H. Hoos and K. Leyton-Brown, "An Efficient Approach for Assessing
    Hyperparameter Importance", ICML 2014); see
    :func:`sktune.report.param_importance`. Error bars are the spread
    across the forest's trees. What the bars leave out of 1 is explained by
    interactions between parameters.

    Parameters
    ----------
    search : fitted search or dict
        Any fitted search with ``cv_results_``, or a ``cv_results_`` dict.
    metric : str or None, default=None
        Metric to explain; ``None`` for the refit metric.
    n_trees : int, default=32
        Trees in the forest.
    random_state : int, RandomState instance or None, default=0
        Seed of the forest.
    ax : matplotlib Axes or None, default=None
        Where to draw; ``None`` makes a new figure.

    Returns
    -------
    ax : matplotlib Axes
        One horizontal bar per parameter (``ax.patches``), most important
        on top, labelled with the parameter names. With fewer than two
        successful candidates, or a score that never varies, the bars are
        empty and the Axes says so.

    Examples
    --------
    >>> import numpy as np
    >>> from matplotlib.figure import Figure
    >>> from sktune.plot import plot_importance
    >>> rng = np.random.RandomState(0)
    >>> a, b = rng.uniform(size=30), rng.uniform(size=30)
    >>> results = {"params": [{"a": x, "b": y} for x, y in zip(a, b)],
    ...            "mean_test_score": 2 * a + 0.1 * b}
    >>> ax = plot_importance(results, ax=Figure().subplots())
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['a', 'b']
    """
    func = "plot_importance"
    importance = param_importance(search, metric, n_trees=n_trees,
                                  random_state=random_state, func=func)
    if ax is None:
        ax = new_axes(func, figsize=(6, 0.5 * len(importance) + 1.5))
    names = list(importance)
    mean = np.array([importance[n][0] for n in names])
    std = np.array([importance[n][1] for n in names])
    y = np.arange(len(names))[::-1]
    mean = np.clip(np.nan_to_num(mean), 0.0, 1.0)
    std = np.nan_to_num(std)
    # a share cannot leave [0, 1]: the spread across trees is cut at its bounds
    xerr = np.vstack([np.minimum(std, mean), np.minimum(std, 1.0 - mean)])
    ax.barh(y, mean, xerr=xerr, color="tab:blue", alpha=0.8,
            error_kw={"ecolor": "0.3", "capsize": 3})
    ax.set_yticks(y, names)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of score variance (fANOVA main effect)")
    if names and all(np.isnan(importance[n][0]) for n in names):
        ax.text(0.5, 0.5, "too few successful candidates,\nor a constant score",
                transform=ax.transAxes, ha="center", va="center", color="0.4")
    ax.grid(axis="x", alpha=0.3)
    return ax
