"""Search overhead: sktune's searches against scikit-learn's, in one run.

1,000 candidates of a cheap estimator (Ridge on a small regression problem),
cv=3, n_jobs=1, so that the search machinery rather than the model dominates.
Each pair is timed back to back ``--repeats`` times and the median of the
per-repeat ratios reported; the last row is the cost of writing every
candidate to a checkpoint.

    python benchmarks/overhead.py [--repeats 5] [--candidates 1000]
"""

import argparse
import glob
import os
import statistics
import tempfile
import time

import numpy as np
from scipy import stats
from sklearn.datasets import make_regression
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV

from sktune import GridSearch, RandomSearch


def _time(search, X, y):
    checkpoint = search.get_params().get("checkpoint")
    if checkpoint:
        # a fresh store each time: measure writing, not replay
        for path in glob.glob(checkpoint + "*"):
            os.remove(path)
    start, cpu = time.perf_counter(), time.process_time()
    search.fit(X, y)
    return time.perf_counter() - start, time.process_time() - cpu


def pairs(n_candidates):
    """(name, ours, anchor) pairs of unfitted searches with equal work."""
    grid = {"alpha": list(np.logspace(-3, 3, n_candidates))}
    dists = {"alpha": stats.loguniform(1e-3, 1e3)}
    common = dict(cv=3, n_jobs=1)
    db = os.path.join(tempfile.mkdtemp(), "overhead.db")
    return [
        ("GridSearch vs GridSearchCV",
         GridSearch(Ridge(), grid, **common), GridSearchCV(Ridge(), grid, **common)),
        ("RandomSearch vs RandomizedSearchCV",
         RandomSearch(Ridge(), dists, n_iter=n_candidates, random_state=0, **common),
         RandomizedSearchCV(Ridge(), dists, n_iter=n_candidates, random_state=0, **common)),
        ("RandomSearch+checkpoint vs RandomSearch",
         RandomSearch(Ridge(), dists, n_iter=n_candidates, random_state=0, checkpoint=db,
                      **common),
         RandomSearch(Ridge(), dists, n_iter=n_candidates, random_state=0, **common)),
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--candidates", type=int, default=1000)
    args = parser.parse_args(argv)

    X, y = make_regression(n_samples=120, n_features=5, noise=1.0, random_state=0)
    print(f"{args.candidates} candidates x 3 folds, n_jobs=1, median of {args.repeats}\n")
    print("CPU seconds of this process (n_jobs=1 runs every fit here, so other load on")
    print("the machine disturbs them less than wall time). Each repeat runs the pair")
    print("back to back; the ratio is the median of the per-repeat ratios.\n")
    print(f"{'comparison':<42}{'first s':>9}{'second s':>10}{'CPU ratio':>11}{'wall ratio':>12}")
    for name, ours, anchor in pairs(args.candidates):
        runs = [(_time(ours, X, y), _time(anchor, X, y)) for _ in range(args.repeats)]
        cpu = statistics.median(a[1] / b[1] for a, b in runs)
        wall = statistics.median(a[0] / b[0] for a, b in runs)
        first = statistics.median(a[1] for a, _ in runs)
        second = statistics.median(b[1] for _, b in runs)
        print(f"{name:<42}{first:9.3f}{second:10.3f}{cpu:11.3f}{wall:12.3f}")

if __name__ == "__main__":
    main()
