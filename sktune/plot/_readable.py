"""What keeps a plot readable, shared by the matplotlib and the interactive plots.

* **The metric's natural sign.** scikit-learn maximizes, so a loss is
  scored as its negative (``neg_root_mean_squared_error``); a plot shows the
  loss itself (RMSE), lower is better.
* **Robust ranges.** One bad candidate (a diverged fit scoring -1e6) would
  stretch the score axis until the best-so-far curve is a flat line: the
  axis spans the bulk of the scores and the best-so-far curve instead.
* **Log axes that read.** Over less than two decades, matplotlib and plotly
  label minor ticks (2, 3, ... 9) that run into each other: the ticks are
  put at 1, 2 and 5 times powers of ten instead.
"""

import math

import numpy as np


def metric_view(metric, scoring=None):
    """How to show a metric: its sign and its name.

    Parameters
    ----------
    metric : str
        The metric of ``cv_results_`` (``"score"`` for a single metric).
    scoring : str or None, default=None
        The search's ``scoring``, when it is a scorer's name.

    Returns
    -------
    sign : {1, -1}
        What the scores are multiplied by: -1 for a ``neg_*`` scorer.
    name : str
        The axis title: ``"root_mean_squared_error (lower is better)"`` for
        ``neg_root_mean_squared_error``.

    Examples
    --------
    >>> from sktune.plot._readable import metric_view
    >>> metric_view("score", "neg_root_mean_squared_error")
    (-1, 'root_mean_squared_error (lower is better)')
    >>> metric_view("neg_log_loss")
    (-1, 'log_loss (lower is better)')
    >>> metric_view("score", "accuracy")
    (1, 'accuracy')
    >>> metric_view("score")
    (1, 'score')
    """
    name = scoring if metric == "score" and isinstance(scoring, str) else metric
    if name.startswith("neg_"):
        return -1, f"{name[4:]} (lower is better)"
    return 1, name


def robust_range(scores, keep=()):
    """The score axis's range: the bulk of ``scores`` and every value of ``keep``.

    Scores below Tukey's lower fence (first quartile less 1.5 interquartile
    ranges) are left out, unless they are in ``keep`` (the best-so-far
    curve past its first point, which is often the outlier itself).

    Parameters
    ----------
    scores : array-like of shape (n,)
        Scores, higher is better; NaN for failed fits.
    keep : array-like, default=()
        Values the range must show.

    Returns
    -------
    low, high : float or None
        The range, with a margin; ``None`` for no finite score.
    n_out : int
        Finite scores below ``low``.

    Examples
    --------
    >>> from sktune.plot._readable import robust_range
    >>> low, high, n_out = robust_range([-1e6, 0.80, 0.82, 0.85, 0.9, 0.88])
    >>> round(low, 3), round(high, 3), n_out
    (0.694, 0.91, 1)
    """
    scores = np.asarray(scores, dtype=float)
    keep = np.asarray(keep, dtype=float)
    finite = scores[np.isfinite(scores)]
    if finite.size == 0:
        return None, None, 0
    q1, q3 = np.percentile(finite, [25, 75])
    low = max(finite.min(), q1 - 1.5 * (q3 - q1))
    keep = keep[np.isfinite(keep)]
    if keep.size:
        low = min(low, keep.min())
    high = finite.max()
    margin = 0.05 * (high - low) if high > low else max(abs(high) * 0.05, 1e-3)
    n_out = int(np.sum(finite < low))
    return float(low - margin), float(high + margin), n_out


def log_axis(values):
    """A plotly log axis whose tick labels stay apart, for ``values``.

    Over two decades or more, one labelled tick per decade; over less,
    plotly labels minor ticks (2, 3, ... 9) that run into each other, so the
    ticks are placed at 1, 2 and 5 times powers of ten (1 to 9 over less
    than a factor of five).

    Parameters
    ----------
    values : array-like
        The values on the axis; those <= 0 or not finite are ignored.

    Returns
    -------
    axis : dict

    Examples
    --------
    >>> from sktune.plot._readable import log_axis
    >>> log_axis([1e-4, 10.0])["dtick"]
    1
    >>> log_axis([1, 3, 9, 27])["ticktext"]
    ['1', '2', '5', '10', '20']
    """
    v = np.asarray([x for x in values if x is not None], dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    axis = {"type": "log"}
    if v.size == 0:
        return axis
    lo, hi = v.min(), v.max()
    if hi / lo >= 100:
        return {**axis, "dtick": 1}
    decades = range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
    for steps in ((1, 2, 5), range(1, 10)):
        ticks = [m * 10.0**k for k in decades for m in steps if lo <= m * 10.0**k <= hi]
        if len(ticks) >= 3:
            break
    return {**axis, "tickvals": ticks, "ticktext": [f"{t:g}" for t in ticks]}


def tidy_log_axis(axis, values):
    """Give a matplotlib log axis tick labels that stay apart, for ``values``.

    Parameters
    ----------
    axis : matplotlib.axis.Axis
        ``ax.xaxis`` or ``ax.yaxis``, already on a log scale.
    values : array-like
        The values drawn on it.

    Returns
    -------
    None

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from sktune.plot._readable import tidy_log_axis
    >>> ax = Figure().subplots()
    >>> ax.set_xscale("log")
    >>> _ = ax.scatter([1, 3, 9, 27], [0, 1, 2, 3])
    >>> tidy_log_axis(ax.xaxis, [1, 3, 9, 27])
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['1', '2', '5', '10', '20']
    """
    from matplotlib.ticker import FixedLocator, NullFormatter

    ticks = log_axis(values).get("tickvals")
    if ticks is None:  # two decades or more: matplotlib labels decades only
        return
    axis.set_major_locator(FixedLocator(ticks))
    axis.set_ticks(ticks, [f"{t:g}" for t in ticks])
    axis.set_minor_formatter(NullFormatter())
