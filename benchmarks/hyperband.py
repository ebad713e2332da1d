"""HyperbandSearch against RandomSearch, HalvingRandomSearchCV and dask-ml's Hyperband.

Four problems where the budget matters:

* ``mlp``: MLPClassifier on make_classification (50,000 samples, 20
  features, 5 classes), the number of epochs as the resource (``max_iter``,
  1 to 27, eta=3), 3-fold CV. HyperbandSearch also runs with
  ``resource="partial_fit"`` (one epoch per call, 1 to 27): promoted
  candidates continue their fold models of the previous rung instead of
  training again from scratch; its incumbents are refitted with ``max_iter``
  set to their number of epochs, like the others. dask-ml's
  HyperbandSearchCV runs here too, with ``partial_fit`` epochs on one
  hold-out split of the same size as a training fold.
* ``svc``: SVC on the digits, the number of training samples as the
  resource (``n_samples``, 40 to all of a training fold), 5-fold CV.
* ``hgb``: HistGradientBoostingClassifier on noisy labels, boosting rounds
  as the resource (``max_iter``, 1 to 81), 3-fold CV: small budgets mislead,
  since after a few rounds the largest learning rates lead and after 81
  they overfit.
* ``hgbr``: HistGradientBoostingRegressor on Friedman's first function
  with heavy noise, boosting rounds as the resource (``max_iter``, 1 to
  81), 3-fold CV, a test half of 2,000 samples: small budgets mislead
  far more than on ``hgb`` (the ranks after one round and after 81 are
  unrelated).

Each search runs with ``n_jobs=1`` on one thread (``OMP_NUM_THREADS=1``). The
time axis is the process's CPU time, which on one thread is the wall time of
an idle machine; on a shared machine wall time swings with the neighbours'
load (both are printed). Every evaluation gets the time it finished, by
sharing out the measured time of its round in proportion to its fit and
score times. At any time ``t`` a search's
*incumbent* is the configuration it would return if stopped at ``t``: the
best cross-validated score at the largest budget reached (RandomSearch: the
best so far). Its test score comes from refitting it on the whole training
set at that budget (refits are cached and not counted in the time axis) and
scoring on a held-out test set never seen by any search.

RandomSearch evaluates as many candidates as Hyperband's budget holds
full-budget fits (one Hyperband iteration). Printed, medians over seeds:

* final test score, CPU and wall time of every search;
* ``t->RS``: the time each search's incumbent first reaches the final test
  score of RandomSearch, and the speed-up, RandomSearch's time over it;
* the incumbent's test score at fractions of RandomSearch's time;
* ``t->H``: the time each search's incumbent first reaches the final test
  score of each HalvingRandomSearchCV, and the speed-up, the halving
  search's time over it (a target of the library: at least 2x);
* HyperbandSearch against each HalvingRandomSearchCV at two readings of the
  CPU clock (equal time): when the halving search ends, and when
  HyperbandSearch ends.

Run::

    nice -n 10 python benchmarks/hyperband.py [--quick] [--seeds N] [--first-seed K]
        [--problems mlp,svc] [--max-iter 27] [--save results.json]
    python benchmarks/hyperband.py --load results.json more.json  # re-print, pooled
    # re-run only the Bayesian sampler's rows (after a change to the optimizer)
    python benchmarks/hyperband.py --samplers bayes --hyperband-only --save bayes.json
    python benchmarks/hyperband.py --load results.json --replace bayes.json
    # add a halving search with 81 candidates to the same seeds
    python benchmarks/hyperband.py --problems mlp --halving 81 --save halving.json
    python benchmarks/hyperband.py --load results.json --replace bayes.json --replace halving.json
    # a longer search: 3 Hyperband iterations (RandomSearch and the halving search of
    # Hyperband's budget 3 times larger too)
    python benchmarks/hyperband.py --problems mlp --n-iterations 3 --save long.json
"""

import os
import sys

# benchmarks/dask.py would shadow the dask package when this folder is on
# sys.path (python puts a script's folder first).
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

# One thread per fit: the time axis is the sum of the fits, and the machine
# is shared. Set before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.datasets import load_digits, make_classification, make_friedman1  # noqa: E402
from sklearn.ensemble import (  # noqa: E402
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.experimental import enable_halving_search_cv  # noqa: E402, F401
from sklearn.model_selection import HalvingRandomSearchCV, train_test_split  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

from sktune import HyperbandSearch, RandomSearch  # noqa: E402
from sktune.distributions import LogUniform  # noqa: E402
from sktune.optimizers import HyperbandSchedule  # noqa: E402
from sktune.space import candidate_key  # noqa: E402

FRACTIONS = (0.1, 0.25, 0.5, 1.0)
LABEL_WIDTH = 38  # "HyperbandSearch random, partial_fit"


# --- problems ----------------------------------------------------------------------------
def mlp_problem(quick, max_iter=None):
    n = 10_000 if quick else 50_000
    # Five classes in ten clusters: a wide search space holds few good
    # configurations, and slow learners look bad after one epoch.
    X, y = make_classification(
        n, 20, n_informative=12, n_redundant=4, n_classes=5, n_clusters_per_class=2,
        flip_y=0.03, class_sep=1.0, random_state=0,
    )
    max_iter = max_iter or (9 if quick else 27)
    return dict(
        name="mlp",
        title=(
            f"MLPClassifier on make_classification({n}, 5 classes), resource max_iter "
            f"1..{max_iter} (epochs), eta=3, 3-fold CV"
        ),
        data=train_test_split(X, y, test_size=0.2, random_state=0),
        # tol=0 and a huge n_iter_no_change: max_iter epochs, always
        estimator=MLPClassifier(max_iter=max_iter, tol=0.0, n_iter_no_change=10**9,
                                random_state=0),
        space={
            # one hidden layer; MLPClassifier takes its width as an int
            "hidden_layer_sizes": [16, 32, 64, 128],
            "activation": ["relu", "tanh", "logistic"],
            "alpha": LogUniform(1e-6, 1.0),
            "learning_rate_init": LogUniform(1e-5, 1.0),
            "batch_size": [128, 256, 512],
        },
        resource="max_iter",
        min_resources=1,
        max_resources=max_iter,
        cv=3,
        # MLPClassifier.partial_fit is one epoch, like one unit of max_iter
        partial_fit=True,
        dask=True,
    )


def svc_problem(quick, max_iter=None):
    X, y = load_digits(return_X_y=True)
    return dict(
        name="svc",
        title="SVC on digits, resource n_samples 40..all of a training fold, eta=3, 5-fold CV",
        data=train_test_split(X, y, test_size=0.2, random_state=0, stratify=y),
        estimator=SVC(),
        space={"C": LogUniform(1e-2, 1e3), "gamma": LogUniform(1e-6, 1e0)},
        resource="n_samples",
        min_resources=40,
        max_resources=None,
        cv=5,
        partial_fit=False,
        dask=False,
    )


def _boosting_problem(name, title, data, model, max_iter):
    """A problem of histogram gradient boosting with its rounds as the resource."""
    return dict(
        name=name,
        title=f"{title}, resource max_iter 1..{max_iter} (boosting rounds), eta=3, 3-fold CV",
        data=data,
        # no early stopping: max_iter rounds, always
        estimator=model(max_iter=max_iter, early_stopping=False, random_state=0),
        space={
            "learning_rate": LogUniform(1e-2, 1.0),
            "max_leaf_nodes": [7, 15, 31, 63],
            "min_samples_leaf": [5, 20, 50, 100],
            "l2_regularization": LogUniform(1e-6, 10.0),
        },
        resource="max_iter",
        min_resources=1,
        max_resources=max_iter,
        cv=3,
        partial_fit=False,
        dask=False,
    )


def hgb_problem(quick, max_iter=None):
    # Noisy labels (20 % flipped) punish a large learning rate only after
    # many rounds: after one round the largest rates lead, after 81 the
    # best rates are a tenth of those (Spearman 0.78 between the ranks of
    # 30 random configurations after 1 and after 81 rounds, none of the
    # top three after one round among the top three after 81).
    X, y = make_classification(
        1500 if quick else 3000, 20, n_informative=10, n_redundant=4, n_classes=3,
        n_clusters_per_class=3, flip_y=0.2, class_sep=0.8, random_state=0,
    )
    return _boosting_problem(
        "hgb", f"HistGradientBoostingClassifier on noisy make_classification({len(y)}, 3 classes)",
        train_test_split(X, y, test_size=0.2, random_state=0, stratify=y),
        HistGradientBoostingClassifier, max_iter or (27 if quick else 81),
    )


def hgbr_problem(quick, max_iter=None):
    # Heavy noise on Friedman's first function (noise sd 3, the signal's sd
    # about 5): one boosting round rewards the largest learning rates, and
    # 81 rounds of those overfit. Ranks of 40 random configurations, 3-fold
    # CV on the training half: Spearman 0.04 between 1 and 81 rounds, 0.24
    # between 9 and 81, and the best after one round scores 0.46 on the test
    # half against 0.69 for the best after 81 (learning rates 0.7 to 0.95
    # lead after one round, 0.07 to 0.16 after 81).
    n = 2000 if quick else 4000
    X, y = make_friedman1(n, 10, noise=3.0, random_state=0)
    return _boosting_problem(
        "hgbr", f"HistGradientBoostingRegressor on make_friedman1({n}, noise=3)",
        # a large test half: the test R2 of one configuration has a standard
        # error (0.011) well under the differences between configurations
        train_test_split(X, y, test_size=0.5, random_state=0),
        HistGradientBoostingRegressor, max_iter or (27 if quick else 81),
    )


PROBLEMS = {"mlp": mlp_problem, "svc": svc_problem, "hgb": hgb_problem, "hgbr": hgbr_problem}


# --- timing every evaluation ---------------------------------------------------------------
def timed(cls):
    """``cls`` recording the CPU-time span of every ``evaluate_candidates`` call."""

    class Timed(cls):
        def fit(self, X, y=None, **params):
            wall = time.monotonic()
            self._t0 = time.process_time()
            self.rounds_ = []
            super().fit(X, y, **params)
            self.cpu_time_ = time.process_time() - self._t0
            self.wall_time_ = time.monotonic() - wall
            return self

        def _run_search(self, evaluate_candidates, *, callback_ctx=None, context=None,
                        **kwargs):
            def timed_evaluate(candidate_params, *args, **kwargs):
                start = time.process_time() - self._t0
                results = evaluate_candidates(candidate_params, *args, **kwargs)
                end = time.process_time() - self._t0
                self.rounds_.append((start, end, len(results["params"])))
                return results

            if context is None:  # scikit-learn's own searches
                return super()._run_search(timed_evaluate, callback_ctx=callback_ctx)
            # sktune's searches also take the streamed path (asynchronous mode only)
            return super()._run_search(
                timed_evaluate, callback_ctx=callback_ctx, context=context, **kwargs
            )

    Timed.__name__ = Timed.__qualname__ = cls.__name__
    return Timed


def finish_times(search):
    """CPU time (since fit started) at which each row of ``cv_results_`` finished."""
    res = search.cv_results_
    cost = np.asarray(res["mean_fit_time"]) + np.asarray(res["mean_score_time"])
    out = np.empty(len(cost))
    first = 0
    for start, end, n_rows in search.rounds_:
        share = np.cumsum(cost[first:n_rows])
        share = share / share[-1] if share[-1] > 0 else np.ones(len(share))
        out[first:n_rows] = start + (end - start) * share
        first = n_rows
    return out


def trajectory_from_search(search, budget_column, max_budget):
    """[(time, params, budget)] each time the incumbent changes.

    The incumbent is the best cross-validated score among the evaluations at
    the largest budget the search ever reaches (every row for RandomSearch):
    a configuration validated at full budget, as ``best_params_`` is.
    """
    res = search.cv_results_
    times = finish_times(search)
    scores = np.asarray(res["mean_test_score"], dtype=float)
    budgets = (
        np.full(len(times), max_budget) if budget_column is None
        else np.asarray(res[budget_column])
    )
    top = budgets.max()
    out, best = [], None
    for i in np.argsort(times, kind="stable"):
        if budgets[i] != top or not np.isfinite(scores[i]):
            continue
        if best is None or scores[i] > scores[best]:
            best = i
            out.append((float(times[i]), res["params"][i], int(top)))
    return out


def trajectory_from_dask(search):
    """dask-ml's history: best hold-out score among models trained for max_iter calls."""
    top = search.max_iter
    out, best = [], -math.inf
    for h in sorted(search.history_, key=lambda h: h["elapsed_wall_time"]):
        if h["partial_fit_calls"] == top and h["score"] > best:
            best = h["score"]
            params = {k: (v.item() if hasattr(v, "item") else v) for k, v in h["params"].items()}
            out.append((float(h["elapsed_wall_time"]), params, top))
    return out


# --- test scores of incumbents ---------------------------------------------------------------
class TestScorer:
    """Refit a configuration on the whole training set and score it on the test set."""

    def __init__(self, problem):
        self.problem = problem
        self.X_train, self.X_test, self.y_train, self.y_test = problem["data"]
        self._cache = {}

    def __call__(self, params, budget):
        params = dict(params)
        if self.problem["resource"] != "n_samples":
            params[self.problem["resource"]] = budget
        key = candidate_key(params)
        if key not in self._cache:
            est = clone(self.problem["estimator"]).set_params(**params)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                est.fit(self.X_train, self.y_train)
            self._cache[key] = float(est.score(self.X_test, self.y_test))
        return self._cache[key]


def score_at(curve, t):
    """Incumbent's test score at time t (NaN before the first one)."""
    value = math.nan
    for when, score in curve:
        if when > t:
            break
        value = score
    return value


def time_to(curve, target):
    return next((when for when, score in curve if score >= target - 1e-12), math.inf)


# --- one seed -----------------------------------------------------------------------------------
def run_seed(problem, seed, log, samplers=("random", "bayes"), hyperband_only=False,
             halving_only=None, n_iterations=1, random_search_only=False):
    p = problem
    X_train, _, y_train, _ = p["data"]
    n_splits = p["cv"]
    scorer = TestScorer(p)
    common = dict(cv=n_splits, n_jobs=1, random_state=seed)
    hb_kwargs = dict(
        resource=p["resource"], min_resources=p["min_resources"],
        max_resources=p["max_resources"], eta=3, n_iterations=n_iterations, **common,
    )

    runs = {}

    def record(label, search, trajectory, n_evals, final_params, final_budget):
        curve = [(t, scorer(params, budget)) for t, params, budget in trajectory]
        final = scorer(final_params, final_budget)
        runs[label] = dict(
            cpu=search.cpu_time_, wall=search.wall_time_, n_evals=n_evals, final=final,
            curve=curve,
        )
        log(
            f"  seed {seed} {label:<{LABEL_WIDTH}} {search.cpu_time_:8.1f} CPU s "
            f"{search.wall_time_:8.1f} wall s  test {final:.4f}"
        )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if halving_only:
            for n_candidates in halving_only:
                record_halving(p, n_candidates, seed, p["max_resources"], record)
            return runs
        hb = {}
        run_samplers = () if random_search_only else samplers
        variants = [(sampler, p["resource"]) for sampler in run_samplers]
        if p["partial_fit"]:
            # the same epochs by partial_fit, continued from rung to rung
            variants += [(sampler, "partial_fit") for sampler in run_samplers]
        for sampler, resource in variants:
            search = timed(HyperbandSearch)(
                p["estimator"], p["space"], sampler=sampler,
                **{**hb_kwargs, "resource": resource},
            ).fit(X_train, y_train)
            hb.setdefault(sampler, search)
            # the budget column: epochs (partial_fit passes) for the mlp problem,
            # which TestScorer sets as max_iter
            budget = int(search.cv_results_["n_resources"][search.best_index_])
            suffix = ", partial_fit" if resource == "partial_fit" else ""
            record(
                f"HyperbandSearch {sampler}{suffix}", search,
                trajectory_from_search(search, "n_resources", search.max_resources_),
                len(search.cv_results_["params"]), search.best_params_, budget,
            )
        if hyperband_only:
            return runs
        if hb:
            schedule = hb[samplers[0]].schedule_
            max_budget = hb[samplers[0]].max_resources_
        else:  # the RandomSearch row alone: a problem with a fixed budget
            schedule = HyperbandSchedule.from_resources(
                p["min_resources"], p["max_resources"], eta=3
            )
            max_budget = p["max_resources"]

        # RandomSearch with as many full-budget fits as Hyperband's budget holds
        n_iter = max(1, round(n_iterations * schedule.total_resources / schedule.max_resources))
        estimator = clone(p["estimator"])
        search = timed(RandomSearch)(estimator, p["space"], n_iter=n_iter, **common)
        search.fit(X_train, y_train)
        record(
            f"RandomSearch (n_iter={n_iter})", search,
            trajectory_from_search(search, None, max_budget),
            n_iter, search.best_params_, max_budget,
        )
        if random_search_only:
            return runs

        for n_candidates in halving_sizes(schedule, n_iterations):
            record_halving(p, n_candidates, seed, max_budget, record)

        if p["dask"]:
            search = run_dask(p, seed, n_splits, max_budget)
            if search is not None:
                final_params = {
                    k: (v.item() if hasattr(v, "item") else v)
                    for k, v in search.best_params_.items()
                }
                calls = int(search.cv_results_["partial_fit_calls"][search.best_index_])
                record(
                    "dask-ml HyperbandSearchCV", search, trajectory_from_dask(search),
                    search.metadata_["partial_fit_calls"], final_params, calls,
                )
    return runs


def record_halving(problem, n_candidates, seed, max_budget, record):
    """Fit a HalvingRandomSearchCV and ``record`` its row."""
    p = problem
    X_train, _, y_train, _ = p["data"]
    halving = halving_search(p, n_candidates, p["cv"], seed, max_budget)
    halving.fit(X_train, y_train)
    column = "n_resources" if p["resource"] != "n_samples" else "iter"
    trajectory = trajectory_from_search(halving, column, None)
    if p["resource"] == "n_samples":
        trajectory = [(t, params, max_budget) for t, params, _ in trajectory]
    budget = (
        max_budget if p["resource"] == "n_samples"
        else int(halving.cv_results_["n_resources"][halving.best_index_])
    )
    record(
        f"HalvingRandomSearchCV ({halving.n_candidates_[0]})", halving, trajectory,
        len(halving.cv_results_["params"]), halving.best_params_, budget,
    )


def halving_sizes(schedule, n_iterations=1):
    """sklearn's default (``n_candidates="exhaust"``: Hyperband's first bracket) and
    as many candidates as gives Hyperband's total budget."""
    per_iteration = schedule.total_resources // (schedule.n_brackets * schedule.budgets[0])
    return ["exhaust", n_iterations * per_iteration]


def halving_search(problem, n_candidates, n_splits, seed, max_budget):
    p = problem
    kwargs = dict(
        factor=3, cv=n_splits, n_jobs=1, random_state=seed, n_candidates=n_candidates,
        refit=True,
    )
    if p["resource"] == "n_samples":
        # scikit-learn counts all the samples, test folds included (and
        # subsamples those too): the same training-fold sizes need n/(n-1)
        # times more.
        kwargs.update(
            resource="n_samples",
            min_resources=math.ceil(p["min_resources"] * n_splits / (n_splits - 1)),
        )
    else:
        kwargs.update(
            resource=p["resource"], min_resources=p["min_resources"], max_resources=max_budget
        )
    return timed(HalvingRandomSearchCV)(p["estimator"], p["space"], **kwargs)


def run_dask(problem, seed, n_splits, max_budget):
    """dask-ml's HyperbandSearchCV, or None (with the reason printed) if it cannot run."""
    try:
        import dask
        from dask_ml.model_selection import HyperbandSearchCV
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - depends on the environment
        print(f"  dask-ml skipped: {exc}")
        return None
    X_train, _, y_train, _ = problem["data"]
    with Client(processes=False, n_workers=1, threads_per_worker=1) as client:
        search = HyperbandSearchCV(
            clone(problem["estimator"]), problem["space"], max_iter=max_budget,
            aggressiveness=3, random_state=seed,
            # a hold-out split as large as one test fold of the k-fold searches
            test_size=1 / n_splits,
        )
        start, cpu = time.monotonic(), time.process_time()
        # dask-ml 2025.1 calls dask.persist inside its event loop; dask >= 2025.4
        # refuses an asynchronous client there unless it is the scheduler.
        with dask.config.set(scheduler=client.get):
            search.fit(X_train, y_train, classes=np.unique(y_train))
        search.cpu_time_ = time.process_time() - cpu
        search.wall_time_ = time.monotonic() - start
        # its history is stamped in wall time: share the CPU time out alike
        for h in search.history_:
            h["elapsed_wall_time"] *= search.cpu_time_ / search.wall_time_
    return search


# --- summary --------------------------------------------------------------------------------
def median(values):
    """Median over seeds; NaN (no full-budget model yet) ranks below any score."""
    value = statistics.median(-math.inf if math.isnan(v) else v for v in values)
    return math.nan if value == -math.inf else value


def summarize(problem, per_seed):
    labels = list(per_seed[0])
    # runs of --hyperband-only or --halving alone have no RandomSearch row
    rs_label = next((label for label in labels if label.startswith("RandomSearch")), None)
    rows = []
    for label in labels:
        cpus, walls, finals, reach, speed = [], [], [], [], []
        at = {f: [] for f in FRACTIONS}
        for runs in per_seed:
            run = runs[label]
            cpus.append(run["cpu"])
            walls.append(run["wall"])
            finals.append(run["final"])
            if rs_label is None:
                continue
            rs = runs[rs_label]
            t, ratio = _reach(run, rs)
            reach.append(t)
            speed.append(ratio)
            for f in FRACTIONS:
                at[f].append(score_at(run["curve"], f * rs["cpu"]))
        rows.append(
            dict(label=label, evals=per_seed[0][label]["n_evals"], cpu=median(cpus),
                 wall=median(walls), final=median(finals),
                 reach=statistics.median(reach) if reach else math.nan,
                 speed=statistics.median(speed) if speed else math.nan,
                 n_reached=sum(math.isfinite(t) for t in reach),
                 at={f: median(v) if v else math.nan for f, v in at.items()})
        )
    n = len(per_seed)
    print()
    print(f"== {problem['title']}; {n} seed{'s' if n > 1 else ''}, medians ==")
    print(
        f"{'search':<{LABEL_WIDTH}}{'evals':>6}{'CPU s':>8}{'wall s':>8}{'test':>8}{'t->RS':>8}"
        f"{'speed-up':>9}{'reached':>9}  "
        + "".join(f"{f'@{f:g}':>8}" for f in FRACTIONS) + "  (x RS CPU time)"
    )
    for r in rows:
        reach = (
            "-" if math.isnan(r["reach"])
            else f"{r['reach']:.1f}" if math.isfinite(r["reach"]) else "never"
        )
        speed = f"{r['speed']:.1f}x" if math.isfinite(r["speed"]) else "-"
        print(
            f"{r['label']:<{LABEL_WIDTH}}{r['evals']:>6}{r['cpu']:>8.1f}{r['wall']:>8.1f}"
            f"{r['final']:>8.4f}{reach:>8}{speed:>9}{r['n_reached']:>6}/{n:<2}  "
            + "".join(
                f"{r['at'][f]:>8.4f}" if not math.isnan(r["at"][f]) else f"{'-':>8}"
                for f in FRACTIONS
            )
        )
    _print_halving_targets(labels, per_seed)
    # Hyperband against each halving search at one reading of the CPU clock:
    # when the halving search ends, and when Hyperband ends.
    print()
    for hb_label in (label for label in labels if label.startswith("HyperbandSearch")):
        for h_label in (label for label in labels if label.startswith("Halving")):
            for ends, who in ((h_label, "the halving search"), (hb_label, "Hyperband")):
                diffs, hb_none, h_none = _compare_when(per_seed, hb_label, h_label, ends)
                both = [d for d in diffs if math.isfinite(d)]
                both_median = f"{statistics.median(both):+.4f}" if both else "-"
                print(
                    f"{hb_label} vs {h_label} when {who} ends: better in "
                    f"{sum(d > 0 for d in diffs)}/{n} seeds, equal in "
                    f"{sum(d == 0 for d in diffs)}; no full-budget model yet: Hyperband "
                    f"{hb_none}, halving {h_none}; median difference where both have one "
                    f"{both_median}"
                )
    return rows


def _reach(run, target):
    """When ``run``'s incumbent first reaches ``target``'s final test score, and
    ``target``'s CPU time over that (0 if never; inf if at once)."""
    t = time_to(run["curve"], target["final"])
    return t, target["cpu"] / t if t > 0 else math.inf


def _print_halving_targets(labels, per_seed):
    """Every search against each halving search's final test score: seeds that
    reach it, the median time to it and the median speed-up (the halving search's
    CPU time over that; a seed that never reaches it counts as 0x)."""
    n = len(per_seed)
    for h_label in (label for label in labels if label.startswith("Halving")):
        h_cpu = median([runs[h_label]["cpu"] for runs in per_seed])
        print()
        print(
            f"to the final test score of {h_label} ({h_cpu:.1f} CPU s); "
            f"target: speed-up >= 2x"
        )
        print(f"{'search':<{LABEL_WIDTH}}{'reached':>9}{'t->H':>8}{'speed-up':>10}")
        for label in labels:
            if label == h_label:
                continue
            reached = [_reach(runs[label], runs[h_label]) for runs in per_seed]
            times = [t for t, _ in reached]
            t_median = statistics.median(times)
            shown = f"{t_median:.1f}" if math.isfinite(t_median) else "never"
            print(
                f"{label:<{LABEL_WIDTH}}{sum(math.isfinite(t) for t in times):>6}/{n:<2}"
                f"{shown:>8}{statistics.median(r for _, r in reached):>9.2f}x"
            )


def _compare_when(per_seed, a_label, b_label, ends):
    """Per seed, search a's test score minus b's when search ``ends`` ends.

    A search not finished by then counts with its incumbent so far; one with
    no full-budget model yet ranks below one with a model (a difference of
    -inf or +inf; 0 when neither has one). Also returns how many seeds had
    no model yet, for a and for b.
    """
    diffs, a_none, b_none = [], 0, 0
    for runs in per_seed:
        t = runs[ends]["cpu"]
        a = score_at(runs[a_label]["curve"], t)
        b = score_at(runs[b_label]["curve"], t)
        a_none += math.isnan(a)
        b_none += math.isnan(b)
        # NaN (no model yet) ranks below every score
        a, b = (-math.inf if math.isnan(a) else a), (-math.inf if math.isnan(b) else b)
        diffs.append(0.0 if a == b else a - b)
    return diffs, a_none, b_none


def warm_start_pair(problem, repeats, log):
    """CPU time of one HyperbandSearch with rounds continued by warm start over the
    same search trained from scratch at every rung (its private switch), back to
    back in alternating order; the scores are the same."""
    X_train, _, y_train, _ = problem["data"]
    ratios = []
    for rep in range(repeats):
        cpu = {}
        for continued in (True, False) if rep % 2 == 0 else (False, True):
            search = HyperbandSearch(
                problem["estimator"], problem["space"], resource=problem["resource"],
                min_resources=problem["min_resources"],
                max_resources=problem["max_resources"], cv=problem["cv"], n_jobs=1,
                random_state=rep,
            )
            search._continue_training = continued
            start = time.process_time()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                search.fit(X_train, y_train)
            cpu[continued] = time.process_time() - start
        ratios.append(cpu[True] / cpu[False])
        log(f"  seed {rep}: continued {cpu[True]:.1f} CPU s, from scratch {cpu[False]:.1f} "
            f"CPU s, ratio {ratios[-1]:.3f}")
    log(f"median ratio {statistics.median(ratios):.3f}")


def _pool(paths):
    """Runs of several ``--save`` files, seeds of each problem in the order given."""
    pooled = {}
    for path in paths:
        with open(path) as f:
            for name, saved in json.load(f).items():
                entry = pooled.setdefault(name, dict(title=saved["title"], seeds=[]))
                entry["seeds"].extend(saved["seeds"])
    return pooled


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data, two seeds")
    parser.add_argument("--seeds", type=int, default=None, help="seeds per problem")
    parser.add_argument("--first-seed", type=int, default=0, help="seeds start here")
    parser.add_argument(
        "--problems", default="svc,mlp", help="comma-separated: svc, mlp, hgb, hgbr"
    )
    parser.add_argument("--save", default=None, help="write every run as JSON here")
    parser.add_argument(
        "--load", nargs="+", default=None,
        help="re-print the tables of --save files (the seeds of several files pooled)",
    )
    parser.add_argument(
        "--replace", nargs="+", action="append", default=None,
        help="with --load: rows of these files (pooled the same way, same seeds in the same "
        "order) replace the loaded rows of the same name, seed by seed, and new rows are "
        "added; give it again for another group of files",
    )
    parser.add_argument(
        "--samplers", default="random,bayes", help="HyperbandSearch samplers to run",
    )
    parser.add_argument(
        "--hyperband-only", action="store_true",
        help="run only the HyperbandSearch rows (to --replace them in earlier results)",
    )
    parser.add_argument(
        "--halving", type=int, nargs="+", default=None,
        help="run only HalvingRandomSearchCV rows with these numbers of candidates (to add "
        "them to earlier results with --load ... --replace); problems with a fixed budget",
    )
    parser.add_argument(
        "--random-search-only", action="store_true",
        help="run only the RandomSearch row (to add it with --load ... --replace); "
        "problems with a fixed budget",
    )
    parser.add_argument(
        "--n-iterations", type=int, default=1,
        help="HyperbandSearch's n_iterations; RandomSearch and the halving search of "
        "Hyperband's budget grow with it",
    )
    parser.add_argument(
        "--max-iter", type=int, default=None,
        help="largest number of epochs of the mlp problem (27; 81 is the paper's R)",
    )
    parser.add_argument(
        "--warm-start-pair", type=int, default=None, metavar="REPEATS",
        help="only compare HyperbandSearch with boosting rounds continued by warm start "
        "against training from scratch, REPEATS seeds (the hgb problem)",
    )
    args = parser.parse_args(argv)
    if args.warm_start_pair:
        for name in args.problems.split(","):
            warm_start_pair(PROBLEMS[name](args.quick, args.max_iter), args.warm_start_pair,
                            lambda s: print(s, flush=True))
        return
    if args.load:
        pooled = _pool(args.load)
        for group in args.replace or []:
            for name, new in _pool(group).items():
                if len(new["seeds"]) != len(pooled[name]["seeds"]):
                    parser.error(f"--replace: {name} has other seeds than --load")
                for runs, new_runs in zip(pooled[name]["seeds"], new["seeds"]):
                    runs.update(new_runs)
        for saved in pooled.values():
            summarize({"title": saved["title"]}, saved["seeds"])
        return
    saved = {}
    for name in args.problems.split(","):
        problem = PROBLEMS[name](args.quick, args.max_iter)
        if args.n_iterations > 1:
            problem["title"] += f", {args.n_iterations} Hyperband iterations"
        if (args.halving or args.random_search_only) and problem["max_resources"] is None:
            parser.error(f"the {name} problem's largest budget depends on the data")
        n_seeds = args.seeds or (2 if args.quick else {"svc": 10, "mlp": 5, "hgb": 10}[name])
        print(f"{problem['title']}: {n_seeds} seeds", flush=True)
        per_seed = [
            run_seed(
                problem, seed, lambda s: print(s, flush=True),
                samplers=tuple(args.samplers.split(",")), hyperband_only=args.hyperband_only,
                halving_only=args.halving, n_iterations=args.n_iterations,
                random_search_only=args.random_search_only,
            )
            for seed in range(args.first_seed, args.first_seed + n_seeds)
        ]
        # the other rows come with --load ... --replace
        partial = args.hyperband_only or args.halving or args.random_search_only
        rows = None if partial else summarize(problem, per_seed)
        saved[name] = dict(title=problem["title"], seeds=per_seed, summary=rows)
    if args.save:
        with open(args.save, "w") as f:
            json.dump(saved, f, indent=1, default=float)


if __name__ == "__main__":
    main()
