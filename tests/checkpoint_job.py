"""A search run as a separate process, for the kill/interrupt/resume tests.

    python tests/checkpoint_job.py SEARCH CHECKPOINT OUT [--n-iter N] [--delay S]

Fits SEARCH ("random", "grid", ... from ``make_search``) on iris with a
deliberately slow classifier that appends one line per fit (per
``partial_fit`` pass for "hyperband_partial_fit") to ``$SKTUNE_FIT_LOG``, then
pickles the candidates and their scores to OUT.
"""

import argparse
import os
import pickle
import signal
import sys
import time

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_iris
from sklearn.linear_model import SGDClassifier

import sktune
from sktune.distributions import LogUniform


class SlowCentroids(ClassifierMixin, BaseEstimator):
    """Nearest shrunken centroid; sleeps ``$SKTUNE_FIT_DELAY`` seconds per fit.

    The delay is not a parameter: a slower run must fingerprint the same.
    """

    def __init__(self, shrink=1.0, power=1.0):
        self.shrink = shrink
        self.power = power

    def fit(self, X, y):
        log = os.environ.get("SKTUNE_FIT_LOG")
        if log:
            with open(log, "a") as f:
                f.write(f"{self.shrink!r},{self.power!r},{len(X)}\n")
        time.sleep(float(os.environ.get("SKTUNE_FIT_DELAY") or 0))
        self.classes_ = np.unique(y)
        centre = X.mean(axis=0)
        w = 1.0 / (1.0 + self.shrink)
        self.centroids_ = np.array(
            [centre + w * (X[y == c].mean(axis=0) - centre) for c in self.classes_]
        )
        return self

    def predict(self, X):
        d = (np.abs(X[:, None, :] - self.centroids_[None]) ** self.power).sum(axis=2)
        return self.classes_[d.argmin(axis=1)]


class SlowSGD(SGDClassifier):
    """SGDClassifier whose ``partial_fit`` logs and sleeps like SlowCentroids' fit."""

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        log = os.environ.get("SKTUNE_FIT_LOG")
        if log:
            with open(log, "a") as f:
                f.write(f"{self.alpha!r},{len(X)}\n")
        time.sleep(float(os.environ.get("SKTUNE_FIT_DELAY") or 0))
        return super().partial_fit(X, y, classes=classes, sample_weight=sample_weight)


SPACE = {"shrink": LogUniform(1e-2, 1e2), "power": LogUniform(0.5, 4.0)}


def make_search(name, checkpoint, n_iter, n_jobs):
    common = dict(cv=3, n_jobs=n_jobs, checkpoint=checkpoint)
    estimator = SlowCentroids()
    if name == "random":
        return sktune.RandomSearch(estimator, SPACE, n_iter=n_iter, random_state=0, **common)
    if name == "grid":
        return sktune.GridSearch(estimator, SPACE, n_points=int(np.sqrt(n_iter)), **common)
    if name == "bayes":
        return sktune.BayesSearch(
            estimator, SPACE, n_iter=n_iter, random_state=0, batch_size=2, **common
        )
    if name == "hyperband":
        return sktune.HyperbandSearch(
            estimator, SPACE, resource="n_samples", min_resources=20, max_resources=100,
            random_state=0, **common,
        )
    if name == "hyperband_partial_fit":
        # promoted candidates continue their models of the previous rung
        return sktune.HyperbandSearch(
            SlowSGD(random_state=0), {"alpha": LogUniform(1e-5, 1e-1)},
            resource="partial_fit", min_resources=1, max_resources=9, random_state=0,
            **common,
        )
    raise SystemExit(f"unknown search {name!r}")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("search")
    parser.add_argument("checkpoint")
    parser.add_argument("out")
    parser.add_argument("--n-iter", type=int, default=12)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--n-jobs", type=int, default=1)
    args = parser.parse_args(argv)
    # A shell that starts the tests in the background makes this process
    # ignore SIGINT, and Python keeps that: Ctrl-C must raise here, as it does
    # for a user at a terminal.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    X, y = load_iris(return_X_y=True)
    checkpoint = None if args.checkpoint == "-" else args.checkpoint
    os.environ["SKTUNE_FIT_DELAY"] = str(args.delay)
    search = make_search(args.search, checkpoint, args.n_iter, args.n_jobs)
    try:
        search.fit(X, y)
    except KeyboardInterrupt as exc:
        print(f"KeyboardInterrupt: {exc}", file=sys.stderr)
        return 130
    results = search.cv_results_
    keep = {k: v for k, v in results.items() if "time" not in k}
    with open(args.out, "wb") as f:
        pickle.dump({"results": keep, "n_reused": search.n_reused_}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
