"""Worker utilization of searches whose fits take heavy-tailed times.

The estimator sleeps instead of computing (so 16 threads keep 16 "workers"
busy on 2 cores) and scores an analytic function of its two parameters:
``score = -branin(x, y)``, x in [-5, 10], y in [0, 15], whose best value is
-0.397887 (Branin's function as in Jones et al. 1998, "Efficient global
optimization of expensive black-box functions", J. Global Optim.). Each fit
sleeps ``median * exp(sigma * z)`` seconds, z standard normal drawn from a
hash of the parameters (lognormal, heavy-tailed: with sigma=1 one fit in 20
takes more than 5 times the median); both folds of a candidate take the
same time.

Every search runs ``--n-iter`` candidates x 2 folds with 16 workers of
joblib's threading backend (Optuna: ``study.optimize(n_jobs=16)``, each
trial fitting its two folds in turn), ``refit=False``. Each fit logs its
start and end; the table gives

* ``wall``: seconds from the start of the search to its last fit's end;
* ``util``: utilization, the fits' busy time / (16 x wall);
* ``util before last start``: the same up to the moment the last fit
  starts: while work remains to hand out, idle workers are the scheduler's
  doing; after it, the budget's tail (the last, heavy-tailed fits) is left;
* ``best@T``: best score among the candidates whose folds had all finished
  ``T`` seconds after the start, ``T`` the shortest wall time of the run
  (equal wall time);
* ``best@N``: best score among the first N candidates to finish (equal
  evaluations), N = n_iter / 2 and n_iter.

Run ``python benchmarks/async_utilization.py`` (``--quick`` for a smoke
run); the Optuna anchor needs the ``bench`` extra.
"""

import argparse
import hashlib
import math
import os
import threading
import time
import warnings

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import joblib  # noqa: E402
import numpy as np  # noqa: E402
from scipy.stats import uniform  # noqa: E402
from sklearn.base import BaseEstimator, RegressorMixin  # noqa: E402
from sklearn.model_selection import KFold, RandomizedSearchCV  # noqa: E402

from sktune import BayesSearch, RandomSearch  # noqa: E402
from sktune.distributions import Uniform  # noqa: E402

N_WORKERS = 16
# median seconds of one fit (set by --quick)
SETTINGS = {"median": 0.5}
LOG = []
LOCK = threading.Lock()


def branin(x, y):
    b, c = 5.1 / (4 * math.pi**2), 5 / math.pi
    return (y - b * x**2 + c * x - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x) + 10


class Sleeper(RegressorMixin, BaseEstimator):
    """Sleeps a lognormal time set by its parameters; scores ``-branin(x, y)``."""

    def __init__(self, x=0.0, y=0.0, median=0.5, sigma=1.0):
        self.x = x
        self.y = y
        self.median = median
        self.sigma = sigma

    def _seconds(self):
        digest = hashlib.sha1(f"{self.x:.12g},{self.y:.12g}".encode()).digest()
        z = np.random.default_rng(int.from_bytes(digest[:8], "little")).standard_normal()
        return self.median * math.exp(self.sigma * z)

    def fit(self, X, y=None):
        start = time.monotonic()
        time.sleep(self._seconds())
        with LOCK:
            LOG.append(((self.x, self.y), start, time.monotonic()))
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y=None):
        return -branin(self.x, self.y)


X_DATA = np.zeros((20, 1))
Y_DATA = np.zeros(20)
CV = KFold(2)
SPACE = {"x": Uniform(-5, 10), "y": Uniform(0, 15)}


def _sktune(cls, **kwargs):
    def run(n_iter, seed):
        cls(Sleeper(**SETTINGS), SPACE, n_iter=n_iter, cv=CV, n_jobs=N_WORKERS, refit=False,
            random_state=seed, **kwargs).fit(X_DATA, Y_DATA)
    return run


def _sklearn(n_iter, seed):
    space = {"x": uniform(-5, 15), "y": uniform(0, 15)}
    RandomizedSearchCV(Sleeper(**SETTINGS), space, n_iter=n_iter, cv=CV, n_jobs=N_WORKERS,
                       refit=False, random_state=seed).fit(X_DATA, Y_DATA)


def _optuna(n_iter, seed):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)

    def objective(trial):
        est = Sleeper(trial.suggest_float("x", -5, 10), trial.suggest_float("y", 0, 15),
                      **SETTINGS)
        for _ in range(2):
            est.fit(X_DATA, Y_DATA)
        return est.score(X_DATA)

    study = optuna.create_study(direction="maximize",
                                sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(objective, n_trials=n_iter, n_jobs=N_WORKERS)


METHODS = {
    "RandomizedSearchCV": _sklearn,
    "optuna TPE n_jobs=16": _optuna,
    "RandomSearch": _sktune(RandomSearch),
    "BayesSearch sync": _sktune(BayesSearch),
    "BayesSearch async": _sktune(BayesSearch, asynchronous=True),
}


def measure(name, n_iter, seed):
    LOG.clear()
    start = time.monotonic()
    with warnings.catch_warnings(), joblib.parallel_backend("threading"):
        warnings.simplefilter("ignore")
        METHODS[name](n_iter, seed)
    log = list(LOG)
    wall = max(end for _, _, end in log) - start
    busy = sum(end - begin for _, begin, end in log)
    # until the last fit starts there is always work to hand out: idle time
    # then is the scheduler's; after it, only the budget's tail
    last = max(begin for _, begin, _ in log)
    busy_before = sum(min(end, last) - begin for _, begin, end in log if begin < last)
    # a candidate is finished when its second fold is
    ends = {}
    for params, _, end in log:
        ends.setdefault(params, []).append(end - start)
    finished = sorted((max(e), -branin(*p)) for p, e in ends.items() if len(e) == 2)
    return {"wall": wall, "util": busy / (N_WORKERS * wall),
            "util_before": busy_before / (N_WORKERS * (last - start)), "finished": finished}


def best_by(finished, t=math.inf, n=None):
    scores = [s for end, s in finished if end <= t][:n]
    return max(scores) if scores else -math.inf


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-iter", type=int, default=100)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n_iter, seeds = (24, 1) if args.quick else (args.n_iter, args.seeds)
    if args.quick:
        SETTINGS["median"] = 0.05
    rows = {name: [measure(name, n_iter, seed) for seed in range(seeds)] for name in METHODS}
    t = min(r["wall"] for runs in rows.values() for r in runs)
    half = n_iter // 2
    print(f"{n_iter} candidates x 2 folds, {N_WORKERS} threads, {seeds} seeds (means); "
          f"T = {t:.1f} s; best possible -0.398")
    print(f"| search | wall s | util | util before last start | best@T | best@{half} "
          f"| best@{n_iter} |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, runs in rows.items():
        cells = [
            [r["wall"], r["util"], r["util_before"], best_by(r["finished"], t=t),
             best_by(r["finished"], n=half), best_by(r["finished"], n=n_iter)]
            for r in runs
        ]
        wall, util, before, at_t, at_half, at_n = np.mean(cells, axis=0)
        print(f"| {name} | {wall:.1f} | {util:.0%} | {before:.0%} | {at_t:.3f} | "
              f"{at_half:.3f} | {at_n:.3f} |")


if __name__ == "__main__":
    main()
