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

For HyperbandSearch the budget is the Sleeper's ``max_iter`` (1 to
``R = 9``, eta 3): a fit at budget ``r`` sleeps ``r / R`` of that time, and
scores ``-branin(x, y) + 10 (1 - r / R) z'``, z' a second standard normal
from the hash (an exact score at the full budget, a noisy one below). It
runs as many iterations of its schedule as spend the sleep of ``--n-iter``
full-budget candidates (``n_iterations = round(n_iter * R /
schedule.total_resources)``).

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
  (equal wall time); for Hyperband, among its full-budget evaluations;
* ``best@N``: best score among the first N candidates to finish (equal
  evaluations), N = n_iter / 2 and n_iter; for Hyperband, among the
  full-budget evaluations that finished before the finished evaluations'
  budgets add up to N full budgets (equal resource).

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

from sktune import BayesSearch, HyperbandSearch, RandomSearch  # noqa: E402
from sktune.distributions import Uniform  # noqa: E402
from sktune.optimizers import HyperbandSchedule  # noqa: E402

N_WORKERS = 16
# median seconds of one fit (set by --quick)
SETTINGS = {"median": 0.5}
# Hyperband's largest budget (Sleeper.max_iter) and halving rate
R, ETA = 9, 3
LOG = []
LOCK = threading.Lock()


def branin(x, y):
    b, c = 5.1 / (4 * math.pi**2), 5 / math.pi
    return (y - b * x**2 + c * x - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x) + 10


class Sleeper(RegressorMixin, BaseEstimator):
    """Sleeps a lognormal time set by its parameters and budget; scores ``-branin(x, y)``."""

    def __init__(self, x=0.0, y=0.0, median=0.5, sigma=1.0, max_iter=R):
        self.x = x
        self.y = y
        self.median = median
        self.sigma = sigma
        self.max_iter = max_iter

    def _normals(self):
        digest = hashlib.sha1(f"{self.x:.12g},{self.y:.12g}".encode()).digest()
        return np.random.default_rng(int.from_bytes(digest[:8], "little")).standard_normal(2)

    def fit(self, X, y=None):
        start = time.monotonic()
        z = self._normals()[0]
        time.sleep(self.median * math.exp(self.sigma * z) * self.max_iter / R)
        with LOCK:
            LOG.append(((self.x, self.y), self.max_iter, start, time.monotonic()))
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y=None):
        noise = 10 * (1 - self.max_iter / R) * self._normals()[1]
        return -branin(self.x, self.y) + noise


X_DATA = np.zeros((20, 1))
Y_DATA = np.zeros(20)
CV = KFold(2)
SPACE = {"x": Uniform(-5, 10), "y": Uniform(0, 15)}


def _sktune(cls, **kwargs):
    def run(n_iter, seed):
        cls(Sleeper(**SETTINGS), SPACE, n_iter=n_iter, cv=CV, n_jobs=N_WORKERS, refit=False,
            random_state=seed, **kwargs).fit(X_DATA, Y_DATA)
    return run


def _hyperband(asynchronous):
    def run(n_iter, seed):
        schedule = HyperbandSchedule.from_resources(1, R, ETA)
        n_iterations = max(1, round(n_iter * R / schedule.total_resources))
        HyperbandSearch(Sleeper(**SETTINGS), SPACE, resource="max_iter", min_resources=1,
                        max_resources=R, eta=ETA, n_iterations=n_iterations, cv=CV,
                        n_jobs=N_WORKERS, refit=False, random_state=seed,
                        asynchronous=asynchronous).fit(X_DATA, Y_DATA)
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
    "HyperbandSearch sync": _hyperband(False),
    "HyperbandSearch async": _hyperband(True),
}


def measure(name, n_iter, seed):
    LOG.clear()
    start = time.monotonic()
    with warnings.catch_warnings(), joblib.parallel_backend("threading"):
        warnings.simplefilter("ignore")
        METHODS[name](n_iter, seed)
    log = list(LOG)
    wall = max(end for *_, end in log) - start
    busy = sum(end - begin for *_, begin, end in log)
    # until the last fit starts there is always work to hand out: idle time
    # then is the scheduler's; after it, only the budget's tail
    last = max(begin for *_, begin, _ in log)
    busy_before = sum(min(end, last) - begin for *_, begin, end in log if begin < last)
    # an evaluation (a candidate at a budget) is finished when its second fold is
    ends = {}
    for params, budget, _, end in log:
        ends.setdefault((params, budget), []).append(end - start)
    # (end, share of a full budget spent, true score if at the full budget)
    finished = sorted(
        (max(e), budget / R, -branin(*p) if budget == R else None)
        for (p, budget), e in ends.items() if len(e) == 2
    )
    return {"wall": wall, "util": busy / (N_WORKERS * wall),
            "util_before": busy_before / (N_WORKERS * (last - start)), "finished": finished}


def best_by(finished, t=math.inf, n=math.inf):
    best, spent = -math.inf, 0.0
    for end, cost, score in finished:
        spent += cost
        if end > t or spent > n + 1e-9:
            break
        if score is not None:
            best = max(best, score)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-iter", type=int, default=100)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--only", nargs="+", choices=sorted(METHODS), default=sorted(METHODS),
                        metavar="NAME", help="the searches to run (default: all)")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n_iter, seeds = (24, 1) if args.quick else (args.n_iter, args.seeds)
    if args.quick:
        SETTINGS["median"] = 0.05
    seed_list = range(args.first_seed, args.first_seed + seeds)
    rows = {name: [measure(name, n_iter, seed) for seed in seed_list]
            for name in METHODS if name in args.only}
    t = min(r["wall"] for runs in rows.values() for r in runs)
    half = n_iter // 2
    print(f"{n_iter} candidates x 2 folds, {N_WORKERS} threads, seeds {list(seed_list)} (means); "
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
