"""Ranking scores as scikit-learn's ``rank_test_*`` columns do.

Below every layer: the search ranks the ``cv_results_`` it rebuilds from a
checkpoint, the report ranks leaderboards, the MLflow listener ranks child
runs, and all three must agree with a fitted search's own columns.
"""

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import rankdata


def ranks(scores: ArrayLike) -> np.ndarray:
    """Rank of each score, 1 for the best, ties sharing the lower rank.

    Failed candidates (NaN) tie for last place, as in scikit-learn's
    ``rank_test_*`` columns; when every candidate failed they all share
    rank 1.

    Parameters
    ----------
    scores : array-like of shape (n_candidates,)
        Scores, higher is better.

    Returns
    -------
    ranks : ndarray of int32 of shape (n_candidates,)
        The dtype of scikit-learn's ``rank_test_*`` columns.

    Examples
    --------
    >>> from sktune.report import ranks
    >>> ranks([0.5, 0.9, float("nan"), 0.9]).tolist()
    [3, 1, 4, 1]
    >>> ranks([float("nan"), float("nan")]).tolist()
    [1, 1]
    """
    scores = np.asarray(scores, dtype=float)
    finite = np.isfinite(scores)
    if not finite.any():
        return np.ones(len(scores), dtype=np.int32)
    filled = np.where(finite, scores, np.min(scores[finite]) - 1)
    return rankdata(-filled, method="min").astype(np.int32)
