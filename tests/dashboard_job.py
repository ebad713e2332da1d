"""Searches whose checkpoints the dashboard tests serve; run as a script for a live search.

    python tests/dashboard_job.py CHECKPOINT [--n-iter N] [--delay S]

The estimator takes a free-text categorical, so that a checkpoint can hold a
choice such as ``<script>...</script>``, which the dashboard must show as text.
"""

import argparse
import time

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_iris

import sktune
from sktune.distributions import LogUniform

SCRIPT = "<script>document.title='pwned'</script>"
SPACE = {"shrink": LogUniform(1e-3, 1e3), "tag": ["plain", SCRIPT]}


class TaggedCentroids(ClassifierMixin, BaseEstimator):
    """Nearest shrunken centroid with a text parameter that changes nothing but a tie-break."""

    def __init__(self, shrink=1.0, tag="plain", delay=0.0):
        self.shrink = shrink
        self.tag = tag
        self.delay = delay

    def fit(self, X, y):
        time.sleep(self.delay)
        self.classes_ = np.unique(y)
        centre = X.mean(axis=0)
        w = 1.0 / (1.0 + self.shrink)
        self.centroids_ = np.array(
            [centre + w * (X[y == c].mean(axis=0) - centre) for c in self.classes_])
        return self

    def predict(self, X):
        d = ((X[:, None, :] - self.centroids_[None]) ** 2).sum(axis=2)
        return self.classes_[d.argmin(axis=1)]


def random_search(checkpoint, n_iter=12, delay=0.0, **kwargs):
    X, y = load_iris(return_X_y=True)
    return sktune.RandomSearch(
        TaggedCentroids(delay=delay), SPACE, n_iter=n_iter, cv=3, random_state=0,
        checkpoint=checkpoint, **kwargs,
    ).fit(X, y)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("checkpoint")
    parser.add_argument("--n-iter", type=int, default=12)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    random_search(args.checkpoint, n_iter=args.n_iter, delay=args.delay)
