"""Helpers shared by the migration modules (tests/test_migration_*.py).

Each of those modules writes, in our own words, the usage that the users of
one peer library rely on, and runs it on sktune's searches.
"""

import numpy as np
from sklearn.datasets import load_iris


def iris_with_row_ids():
    """Iris with its row number as an extra first column.

    The scorer below reads that column to tell which rows a test fold held.
    """
    X, y = load_iris(return_X_y=True)
    return np.column_stack([np.arange(len(y)), X]), y


class TestFoldRecorder:
    """A scorer that records the row ids of every test fold it scores.

    Use it with ``n_jobs=None``: joblib then runs the fits in this process,
    so the recorder the search calls is this object.

    Attributes
    ----------
    folds : list of frozenset
        One per scored split, in the order they were scored.
    """

    __test__ = False  # not a pytest test class

    def __init__(self):
        self.folds = []

    def __call__(self, estimator, X, y):
        self.folds.append(frozenset(np.asarray(X)[:, 0].astype(int).tolist()))
        return estimator.score(X, y)

    @property
    def distinct_folds(self):
        """The distinct test folds seen, whatever their order."""
        return set(self.folds)
