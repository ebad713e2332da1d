"""Leaderboards: the best candidates of a search as a table.

The table is computed once (:func:`leaderboard_table`, plain Python) and
rendered as a pandas DataFrame, as text for terminals, or as HTML.
"""

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._ranks import ranks
from .._typing import SearchLike
from ._results import SearchResults
from ._values import MISSING, label

# cv_results_ columns copied when present: Hyperband's and successive
# halving's budget, then Hyperband's bracket.
_EXTRA_COLUMNS = ("n_resources", "bracket")


def check_top(top: object, func: str) -> int | None:
    """Check a number of leaderboard rows: an int >= 1, or None for every row.

    Parameters
    ----------
    top : object
        The value given.
    func : str
        The function to name in the error message.

    Returns
    -------
    top : int or None
        ``top`` as a Python int, or None.

    Raises
    ------
    ValueError
        If ``top`` is not an int >= 1 or None.

    Examples
    --------
    >>> from sktune.report import check_top
    >>> check_top(5, "my_table"), check_top(None, "my_table")
    (5, None)
    >>> check_top(0, "my_table")
    Traceback (most recent call last):
    ...
    ValueError: The 'top' parameter of my_table must be an int >= 1 or None (every ...
    """
    if top is None:
        return None
    if isinstance(top, bool) or not isinstance(top, numbers.Integral) or top < 1:
        raise ValueError(
            f"The 'top' parameter of {func} must be an int >= 1 or None (every "
            f"candidate). Got {top!r} instead."
        )
    return int(top)


def leaderboard_table(search: SearchLike, top: int | None = 10, metric: str | None = None, *,
                      budgets: str = "full",
                      func: str = "leaderboard_table",
                      ) -> tuple[list[str], list[tuple[Any, ...]], list[int]]:
    """The leaderboard as column names and rows of plain Python values.

    Parameters
    ----------
    search : fitted search, dict or SearchResults
        What to rank.
    top : int or None, default=10
        Number of rows; ``None`` for every candidate.
    metric : str or None, default=None
        Metric that ranks the candidates; ``None`` for the search's refit
        metric.
    budgets : {"full", "all"}, default="full"
        For Hyperband and successive halving: rank the evaluations at the
        largest budget only (rank 1 is then ``best_params_``), or every
        evaluation together (scores at small budgets do not compare).
    func : str, default="leaderboard_table"
        The public function asking, named in error messages.

    Returns
    -------
    columns : list of str
        ``rank``, ``mean_<metric>`` and ``std_<metric>`` for each metric (the
        ranking one first), the parameters, ``fit_time``, then
        ``n_resources`` and ``bracket`` when the search has them.
    rows : list of tuple
        One row per candidate, best first. A parameter a candidate does not
        set is :data:`MISSING`.
    index : list of int
        Each row's index in ``cv_results_``.

    Examples
    --------
    >>> from sktune.report import leaderboard_table
    >>> results = {"params": [{"C": 1}, {"C": 10}], "mean_test_score": [0.8, 0.9],
    ...            "std_test_score": [0.01, 0.02], "mean_fit_time": [0.1, 0.2]}
    >>> columns, rows, index = leaderboard_table(results, top=1)
    >>> columns
    ['rank', 'mean_score', 'std_score', 'C', 'fit_time']
    >>> rows, index
    ([(1, 0.9, 0.02, 10, 0.2)], [1])
    """
    res = SearchResults.from_search(search, func, budgets=budgets)
    top = check_top(top, func)
    metric = res.check_metric(metric, func)
    scores = res.scores(metric)
    rank = ranks(scores)
    # best first; failed fits last; ties keep evaluation order
    order = np.lexsort((np.arange(len(scores)), rank))
    if top is not None:
        order = order[:top]

    metrics = [metric] + [m for m in res.metrics if m != metric]
    reserved = {"rank", "fit_time", *_EXTRA_COLUMNS}
    reserved |= {f"{s}_{m}" for m in metrics for s in ("mean", "std")}
    columns = ["rank"]
    data = [rank]
    for m in metrics:
        columns += [f"mean_{m}", f"std_{m}"]
        data += [res.scores(m), res.stds(m)]
    param_values = []
    for name in res.param_names:
        # a parameter named like a score column keeps cv_results_'s prefix
        columns.append(f"param_{name}" if name in reserved else name)
        param_values.append(res.values(name))
    fit = res.column("mean_fit_time")
    fit = np.full(res.n_candidates, np.nan) if fit is None else np.asarray(fit, float)
    extras = [(c, col) for c in _EXTRA_COLUMNS if (col := res.column(c)) is not None]

    rows = []
    for i in order:
        row = [int(rank[i])] + [float(col[i]) for col in data[1:]]
        row += [values[i] for values in param_values]
        row.append(float(fit[i]))
        row += [_plain(col[i]) for _, col in extras]
        rows.append(tuple(row))
    columns += ["fit_time"] + [c for c, _ in extras]
    return columns, rows, [int(res.rows[i]) for i in order]


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    return value


def leaderboard(search: SearchLike, top: int | None = 10, metric: str | None = None, *,
                budgets: str = "full") -> Any:
    """The best candidates of a search, as a pandas DataFrame.

    Needs pandas (``pip install sktune[report]``); :func:`format_leaderboard`
    gives the same table as text without it.

    Parameters
    ----------
    search : fitted search or dict
        Any fitted search with ``cv_results_`` (sktune's or scikit-learn's,
        such as ``GridSearchCV``), or a ``cv_results_`` dict.
    top : int or None, default=10
        Number of rows; ``None`` for every candidate.
    metric : str or None, default=None
        Metric that ranks the candidates (``"score"`` for single-metric
        searches); ``None`` for the search's refit metric.
    budgets : {"full", "all"}, default="full"
        For Hyperband and successive halving, whose rows are evaluations at
        several budgets: ``"full"`` ranks the evaluations at the largest
        budget, the only ones that compare with each other (rank 1 is
        ``best_params_``); ``"all"`` ranks every evaluation together.

    Returns
    -------
    table : pandas.DataFrame
        Indexed by the candidate's position in ``cv_results_`` (``candidate``),
        best first, with columns ``rank``, ``mean_<metric>`` and
        ``std_<metric>`` for every metric, one column per parameter (NaN
        where a candidate does not set it), ``fit_time`` (mean seconds per
        fit), and ``n_resources`` and ``bracket`` for Hyperband and
        successive-halving searches.

    See Also
    --------
    format_leaderboard : the same table as text.

    Notes
    -----
    For Hyperband and successive halving, every evaluation (a candidate at
    one budget) is a row of ``cv_results_``, and a score at a small budget
    is not comparable with one at the full budget. The table therefore
    ranks the full-budget rows by default, so that its first row is the
    search's ``best_params_``; ``budgets="all"`` ranks every row together,
    as ``cv_results_["rank_test_score"]`` does.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sktune import GridSearch, leaderboard
    >>> X, y = load_iris(return_X_y=True)
    >>> search = GridSearch(SVC(), {"C": [0.01, 1, 100]}, cv=3).fit(X, y)
    >>> table = leaderboard(search, top=2)
    >>> list(table.columns)
    ['rank', 'mean_score', 'std_score', 'C', 'fit_time']
    >>> table["C"].tolist()
    [100, 1]
    """
    columns, rows, index = leaderboard_table(
        search, top, metric, budgets=budgets, func="leaderboard"
    )
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(
            "leaderboard returns a pandas DataFrame and needs pandas: "
            "pip install sktune[report]. format_leaderboard gives the same table "
            "as text without it."
        ) from exc
    data = {}
    for j, name in enumerate(columns):
        values = [row[j] for row in rows]
        present = [v for v in values if v is not MISSING]
        numeric = all(isinstance(v, numbers.Number) and not isinstance(v, bool)
                      for v in present)
        values = [np.nan if v is MISSING else v for v in values]
        # object columns keep None (max_depth=None) apart from NaN (not set)
        data[name] = pd.Series(values, index=index, dtype=None if numeric else object)
    frame = pd.DataFrame(data, index=index, columns=columns)
    frame.index.name = "candidate"
    return frame


def _cell(column, value):
    if value is MISSING:
        return "-"
    if column == "rank" or column in _EXTRA_COLUMNS:
        return label(value)
    if column.startswith(("mean_", "std_")) and isinstance(value, float):
        return "nan" if np.isnan(value) else f"{value:.4f}"
    if column == "fit_time":
        return "nan" if np.isnan(value) else f"{value:.3g}s"
    return label(value)


def format_cells(columns: Sequence[str],
                 rows: Sequence[Sequence[Any]]) -> list[list[str]]:
    """Every cell of a leaderboard as display text.

    Parameters
    ----------
    columns : list of str
        From :func:`leaderboard_table`.
    rows : list of tuple
        From :func:`leaderboard_table`.

    Returns
    -------
    cells : list of list of str

    Examples
    --------
    >>> from sktune.report import format_cells
    >>> format_cells(["rank", "mean_score", "C"], [(1, 0.91234, 0.001)])
    [['1', '0.9123', '0.001']]
    """
    return [[_cell(c, v) for c, v in zip(columns, row)] for row in rows]


def format_leaderboard(search: SearchLike, top: int | None = 10, metric: str | None = None, *,
                       budgets: str = "full") -> str:
    """The best candidates of a search as an aligned text table.

    Needs neither pandas nor matplotlib, for terminals and logs.

    Parameters
    ----------
    search : fitted search or dict
        Any fitted search with ``cv_results_``, or a ``cv_results_`` dict.
    top : int or None, default=10
        Number of rows; ``None`` for every candidate.
    metric : str or None, default=None
        Metric that ranks the candidates; ``None`` for the refit metric.
    budgets : {"full", "all"}, default="full"
        For Hyperband and successive halving: the evaluations at the largest
        budget only (the first row is ``best_params_``), or every evaluation.

    Returns
    -------
    text : str
        A header line and one line per candidate, best first. ``-`` marks a
        parameter the candidate does not set.

    See Also
    --------
    leaderboard : the same table as a pandas DataFrame.

    Examples
    --------
    >>> from sktune import format_leaderboard
    >>> results = {"params": [{"C": 1, "kernel": "rbf"}, {"C": 10, "kernel": "linear"}],
    ...            "mean_test_score": [0.8, 0.9], "std_test_score": [0.01, 0.02],
    ...            "mean_fit_time": [0.1, 0.2]}
    >>> print(format_leaderboard(results))
    rank  mean_score  std_score   C  kernel  fit_time
       1      0.9000     0.0200  10  linear      0.2s
       2      0.8000     0.0100   1     rbf      0.1s
    """
    columns, rows, _ = leaderboard_table(
        search, top, metric, budgets=budgets, func="format_leaderboard"
    )
    cells = format_cells(columns, rows)
    widths = [max([len(c)] + [len(r[j]) for r in cells]) for j, c in enumerate(columns)]
    lines = ["  ".join(c.rjust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(v.rjust(w) for v, w in zip(r, widths)) for r in cells]
    return "\n".join(line.rstrip() for line in lines)
