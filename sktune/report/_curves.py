"""The data behind the convergence and Hyperband plots."""

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._typing import SearchLike
from ..space import candidate_key
from ._results import SearchResults


@dataclass(frozen=True)
class Convergence:
    """Scores in evaluation order, and the best one so far.

    Attributes
    ----------
    evaluations : ndarray of shape (n_candidates,)
        1, 2, ..., n_candidates.
    seconds : ndarray of shape (n_candidates,)
        Running sum of each candidate's fit and score time over its splits.
    scores : ndarray of shape (n_candidates,)
        Mean test score of each candidate (NaN for a failed fit).
    best : ndarray of shape (n_candidates,)
        Highest finite score up to each evaluation (NaN before the first).

    Examples
    --------
    >>> from sktune.report import convergence
    >>> curve = convergence({"params": [{}, {}], "mean_test_score": [0.9, 0.8]})
    >>> curve.evaluations.tolist(), curve.best.tolist()
    ([1, 2], [0.9, 0.9])
    """

    evaluations: np.ndarray
    seconds: np.ndarray
    scores: np.ndarray
    best: np.ndarray


def convergence(search: SearchLike, metric: str | None = None) -> Convergence:
    """Best score so far against evaluations and against compute time.

    ``cv_results_`` lists candidates in evaluation order, so its running
    maximum is the search's progress. It keeps no clock times: the time
    axis is the running sum of fit and score times, which is the wall time
    of a sequential search (``n_jobs=1``) less the search's own overhead.

    Parameters
    ----------
    search : fitted search or dict
        Any fitted search with ``cv_results_``, or a ``cv_results_`` dict.
    metric : str or None, default=None
        Metric to follow; ``None`` for the refit metric.

    Returns
    -------
    curve : Convergence

    Examples
    --------
    >>> from sktune.report import convergence
    >>> results = {"params": [{"C": 1}, {"C": 2}, {"C": 3}],
    ...            "mean_test_score": [0.7, float("nan"), 0.9],
    ...            "mean_fit_time": [1.0, 1.0, 2.0], "mean_score_time": [0.0, 0.0, 0.0]}
    >>> curve = convergence(results)
    >>> curve.best.tolist(), curve.seconds.tolist()
    ([0.7, 0.7, 0.9], [1.0, 2.0, 4.0])
    """
    res = SearchResults.from_search(search, "convergence")
    scores = res.scores(res.check_metric(metric, "convergence"))
    filled = np.where(np.isfinite(scores), scores, -np.inf)
    best = np.maximum.accumulate(filled) if len(filled) else filled
    best = np.where(np.isfinite(best), best, np.nan)
    return Convergence(
        evaluations=np.arange(1, len(scores) + 1),
        seconds=np.cumsum(res.times()),
        scores=scores,
        best=best,
    )


def _column_or_zeros(res, key):
    column = res.column(key)
    return np.zeros(res.n_candidates, dtype=int) if column is None else column


def _py(value):
    return value.item() if isinstance(value, np.generic) else value


@dataclass(frozen=True)
class HyperbandPath:
    """One configuration followed through the rungs of its bracket.

    Attributes
    ----------
    bracket : object
        The bracket's label (``cv_results_["bracket"]``; 0 without one).
    rows : ndarray of int
        Its rows in ``cv_results_``, by increasing budget.
    budgets : ndarray of shape (n_rungs,)
        ``n_resources`` of each row.
    scores : ndarray of shape (n_rungs,)
        Mean test score of each row.

    Examples
    --------
    >>> from sktune.report import hyperband_paths
    >>> results = {"params": [{"C": 1}, {"C": 1}], "mean_test_score": [0.6, 0.8],
    ...            "n_resources": [10, 30], "bracket": [2, 2]}
    >>> (path,) = hyperband_paths(results)
    >>> path.bracket, path.rows.tolist(), path.budgets.tolist()
    (2, [0, 1], [10, 30])
    """

    bracket: object
    rows: np.ndarray
    budgets: np.ndarray
    scores: np.ndarray


def hyperband_paths(search: SearchLike, metric: str | None = None) -> list[HyperbandPath]:
    """Each configuration's scores across the budgets of its bracket.

    Reads the ``n_resources`` column (HyperbandSearch, scikit-learn's
    ``HalvingGridSearchCV`` and ``HalvingRandomSearchCV``) and ``bracket``
    when present (one bracket otherwise). Within a bracket, rows with equal
    parameters are one configuration, leaving out a parameter that always
    equals ``n_resources`` (the budget itself, as with
    ``resource="max_iter"``).

    Parameters
    ----------
    search : fitted search or dict
        A fitted Hyperband or successive-halving search, or its
        ``cv_results_`` dict.
    metric : str or None, default=None
        Metric to show; ``None`` for the refit metric.

    Returns
    -------
    paths : list of HyperbandPath
        Grouped by bracket (in order of first appearance), then in order of
        each configuration's first evaluation.

    Examples
    --------
    >>> from sktune.report import hyperband_paths
    >>> results = {"params": [{"C": 1}, {"C": 2}, {"C": 2}],
    ...            "mean_test_score": [0.6, 0.7, 0.8], "n_resources": [10, 10, 30]}
    >>> [(p.budgets.tolist(), p.scores.tolist()) for p in hyperband_paths(results)]
    [([10], [0.6]), ([10, 30], [0.7, 0.8])]
    """
    func = "hyperband_paths"
    res = SearchResults.from_search(search, func, budgets="all")
    scores = res.scores(res.check_metric(metric, func))
    budgets = res.column("n_resources")
    if budgets is None:
        raise ValueError(
            f"{func} needs the 'n_resources' column of a Hyperband or successive-halving "
            f"search; the cv_results_ of {res.name} has no such column."
        )
    # a bracket of one Hyperband iteration; the schedule's label s repeats
    # in every iteration
    brackets = [
        (_py(i), _py(b))
        for i, b in zip(_column_or_zeros(res, "hyperband_iteration"),
                        _column_or_zeros(res, "bracket"))
    ]
    tuned = set(res.tuned_names)
    groups: dict[tuple[Any, Any], Any] = {}
    for i, params in enumerate(res.params):
        ident = candidate_key({k: v for k, v in params.items() if k in tuned})
        groups.setdefault((brackets[i], ident), []).append(i)
    paths = []
    for run in dict.fromkeys(brackets):
        for (b, _), rows in groups.items():
            if b != run:
                continue
            rows = np.array(sorted(rows, key=lambda r: (float(budgets[r]), r)))
            paths.append(
                HyperbandPath(
                    bracket=run[1],
                    rows=rows,
                    budgets=np.asarray(budgets[rows]),
                    scores=scores[rows],
                )
            )
    return paths
