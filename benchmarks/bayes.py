"""BayesSearch against random search, scikit-optimize and Optuna.

Every searcher tunes the same estimators on the same built-in datasets with
the same fixed 3-fold splits, for 30 evaluations, over several seeds. The
table reports, per searcher:

* the mean normalized score after 15 and 30 evaluations, where on each
  problem 0 is the mean best score of random search after 15 evaluations
  and 100 the best score any searcher ever saw on that problem;
* the paired difference of BayesSearch against it (same problems and
  seeds), with its standard error;
* the optimizer's overhead per suggestion: the search's wall time minus the
  time spent fitting and scoring, divided by the number of candidates
  (``in-run``), and the time of one suggestion after 100 observations in 8
  dimensions (``@100x8``, measured apart on a synthetic function).

Run ``python benchmarks/bayes.py`` (``--quick`` for a smoke run, ``--seeds``
and ``--jobs`` to change the defaults). The anchors need the ``bench`` extra:
``pip install -e ".[bench]"`` (Optuna's GP sampler runs on its torch). HEBO
(``--methods ...,hebo,hebo-b8``) is installed apart by
``benchmarks/install-hebo``; hyperopt's TPE (``hyperopt-tpe``) is in the extra.
"""

import argparse
import json
import os
import time
import warnings

import numpy as np

# One BLAS thread per process: the benchmark runs problems in parallel, and
# threaded BLAS on tiny matrices only adds contention (for every searcher).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from joblib import Parallel, delayed  # noqa: E402
from sklearn import datasets  # noqa: E402
from sklearn.ensemble import (  # noqa: E402
    ExtraTreesRegressor,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.kernel_ridge import KernelRidge  # noqa: E402
from sklearn.linear_model import ElasticNet, LogisticRegression, SGDClassifier  # noqa: E402
from sklearn.model_selection import KFold, StratifiedKFold  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import PolynomialFeatures, StandardScaler  # noqa: E402
from sklearn.svm import SVC, SVR  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

N_EVALS = 30
CHECKPOINTS = (15, 30)

# A neutral description of each space: name -> ("real", low, high, log),
# ("int", low, high, log) or ("cat", choices). Converted per library below.


def _problems():
    return {
        "svc/breast_cancer": (
            make_pipeline(StandardScaler(), SVC()),
            datasets.load_breast_cancer, "classification",
            {"svc__C": ("real", 1e-3, 1e3, True), "svc__gamma": ("real", 1e-5, 1e1, True)},
        ),
        "rf/wine": (
            RandomForestClassifier(random_state=0),
            datasets.load_wine, "classification",
            {"n_estimators": ("int", 5, 50, True), "max_depth": ("int", 1, 15, False),
             "min_samples_leaf": ("int", 1, 20, False),
             "max_features": ("real", 0.05, 1.0, False),
             "criterion": ("cat", ["gini", "entropy"])},
        ),
        "hgb/breast_cancer": (
            HistGradientBoostingClassifier(random_state=0, early_stopping=False),
            datasets.load_breast_cancer, "classification",
            {"learning_rate": ("real", 1e-3, 1.0, True), "max_iter": ("int", 5, 60, True),
             "max_leaf_nodes": ("int", 2, 64, True), "min_samples_leaf": ("int", 1, 100, True),
             "l2_regularization": ("real", 1e-6, 10.0, True)},
        ),
        "knn/digits": (
            KNeighborsClassifier(),
            datasets.load_digits, "classification",
            {"n_neighbors": ("int", 1, 40, False), "weights": ("cat", ["uniform", "distance"]),
             "metric": ("cat", ["euclidean", "manhattan", "chebyshev"])},
        ),
        "mlp/breast_cancer": (
            make_pipeline(StandardScaler(), MLPClassifier(max_iter=50, random_state=0)),
            datasets.load_breast_cancer, "classification",
            {"mlpclassifier__hidden_layer_sizes": ("int", 2, 64, True),
             "mlpclassifier__alpha": ("real", 1e-6, 10.0, True),
             "mlpclassifier__learning_rate_init": ("real", 1e-4, 0.3, True),
             "mlpclassifier__activation": ("cat", ["relu", "tanh", "logistic"])},
        ),
        "logistic/wine": (
            make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)),
            datasets.load_wine, "classification",
            {"logisticregression__C": ("real", 1e-5, 1e3, True),
             "logisticregression__class_weight": ("cat", [None, "balanced"]),
             "logisticregression__fit_intercept": ("cat", [True, False])},
        ),
        "elasticnet/diabetes": (
            make_pipeline(PolynomialFeatures(), StandardScaler(), ElasticNet(max_iter=2000)),
            datasets.load_diabetes, "regression",
            {"polynomialfeatures__degree": ("int", 1, 3, False),
             "elasticnet__alpha": ("real", 1e-4, 10.0, True),
             "elasticnet__l1_ratio": ("real", 0.0, 1.0, False)},
        ),
        "svr/diabetes": (
            make_pipeline(StandardScaler(), SVR()),
            datasets.load_diabetes, "regression",
            {"svr__C": ("real", 1e-2, 1e4, True), "svr__epsilon": ("real", 1e-2, 1e2, True),
             "svr__gamma": ("real", 1e-4, 1e1, True)},
        ),
        "svc/iris": (
            SVC(),
            datasets.load_iris, "classification",
            {"C": ("real", 1e-3, 1e3, True), "gamma": ("real", 1e-4, 1e2, True),
             "kernel": ("cat", ["rbf", "sigmoid", "linear"])},
        ),
        # five more (issue 21): other estimators, space shapes and generated data
        "gbr/diabetes": (
            GradientBoostingRegressor(random_state=0),
            datasets.load_diabetes, "regression",
            {"learning_rate": ("real", 1e-3, 1.0, True), "n_estimators": ("int", 10, 150, True),
             "max_depth": ("int", 1, 6, False), "subsample": ("real", 0.3, 1.0, False),
             "min_samples_leaf": ("int", 1, 50, True)},
        ),
        "extratrees/friedman1": (
            ExtraTreesRegressor(random_state=0),
            _friedman1, "regression",
            {"n_estimators": ("int", 5, 60, True), "max_features": ("real", 0.05, 1.0, False),
             "min_samples_split": ("int", 2, 30, False), "bootstrap": ("cat", [True, False])},
        ),
        "kernelridge/friedman1": (
            make_pipeline(StandardScaler(), KernelRidge()),
            _friedman1, "regression",
            {"kernelridge__alpha": ("real", 1e-5, 1e2, True),
             "kernelridge__gamma": ("real", 1e-4, 1e1, True),
             "kernelridge__kernel": ("cat", ["rbf", "laplacian", "sigmoid"])},
        ),
        "sgd/digits": (
            make_pipeline(StandardScaler(), SGDClassifier(max_iter=50, tol=None, random_state=0)),
            datasets.load_digits, "classification",
            {"sgdclassifier__alpha": ("real", 1e-7, 1.0, True),
             "sgdclassifier__loss": ("cat", ["hinge", "log_loss", "modified_huber"]),
             "sgdclassifier__penalty": ("cat", ["l2", "l1", "elasticnet"]),
             "sgdclassifier__l1_ratio": ("real", 0.0, 1.0, False),
             "sgdclassifier__eta0": ("real", 1e-4, 1.0, True),
             "sgdclassifier__learning_rate": ("cat", ["optimal", "invscaling", "adaptive"])},
        ),
        "tree/classification": (
            DecisionTreeClassifier(random_state=0),
            _classification, "classification",
            {"max_depth": ("int", 1, 30, False), "min_samples_split": ("int", 2, 60, True),
             "min_samples_leaf": ("int", 1, 60, True), "max_features": ("real", 0.1, 1.0, False),
             "criterion": ("cat", ["gini", "entropy", "log_loss"]),
             "ccp_alpha": ("real", 1e-6, 0.1, True)},
        ),
    }


def _friedman1(return_X_y=True):
    """Friedman's regression problem #1: 5 informative inputs of 10, noise 1."""
    return datasets.make_friedman1(n_samples=400, noise=1.0, random_state=0)


def _classification(return_X_y=True):
    """A generated 3-class problem: 6 informative features of 20, 2 % flipped labels."""
    return datasets.make_classification(n_samples=600, n_features=20, n_informative=6,
                                        n_redundant=4, n_classes=3, flip_y=0.02,
                                        random_state=0)


def _sktune_space(spec):
    from sktune.distributions import Categorical, Integer, LogUniform, Uniform

    out = {}
    for name, (kind, *args) in spec.items():
        if kind == "real":
            out[name] = (LogUniform if args[2] else Uniform)(args[0], args[1])
        elif kind == "int":
            out[name] = Integer(args[0], args[1], log=args[2])
        else:
            out[name] = Categorical(args[0])
    return out


def _skopt_space(spec):
    from skopt.space import Categorical, Integer, Real

    out = {}
    for name, (kind, *args) in spec.items():
        prior = "log-uniform" if kind != "cat" and args[2] else "uniform"
        if kind == "real":
            out[name] = Real(args[0], args[1], prior=prior)
        elif kind == "int":
            out[name] = Integer(args[0], args[1], prior=prior)
        else:
            out[name] = Categorical(args[0])
    return out


def _optuna_space(spec):
    from optuna.distributions import (
        CategoricalDistribution,
        FloatDistribution,
        IntDistribution,
    )

    out = {}
    for name, (kind, *args) in spec.items():
        if kind == "real":
            out[name] = FloatDistribution(args[0], args[1], log=args[2])
        elif kind == "int":
            out[name] = IntDistribution(args[0], args[1], log=args[2])
        else:
            out[name] = CategoricalDistribution(args[0])
    return out


def _cv(task):
    cls = StratifiedKFold if task == "classification" else KFold
    return cls(3, shuffle=True, random_state=0)


def run_one(problem, method, seed, n_evals=N_EVALS, wrap=None):
    """Run one searcher once; return its scores in evaluation order and times.

    ``wrap(estimator, spec)``, if given, replaces the problem's estimator
    (failing_fits.py injects failures so), and the result then also holds
    the evaluated ``params`` in order.
    """
    warnings.filterwarnings("ignore")
    estimator, loader, task, spec = _problems()[problem]
    if wrap is not None:
        estimator = wrap(estimator, spec)
    X, y = loader(return_X_y=True)
    cv = _cv(task)
    common = {"cv": cv, "refit": False, "n_jobs": 1}
    start = time.perf_counter()
    search = _cv_results_search(method, estimator, spec, seed, n_evals, common)
    if search is not None:
        search.fit(X, y)
        res = search.cv_results_
        scores = list(res["mean_test_score"])
        params = list(res["params"])
        work = float(np.sum(np.asarray(res["mean_fit_time"]) + res["mean_score_time"])
                     * cv.n_splits)
    else:
        import optuna
        from optuna_integration import OptunaSearchCV

        optuna.logging.set_verbosity(optuna.logging.ERROR)
        if method == "optuna-tpe":
            sampler = optuna.samplers.TPESampler(seed=seed)
        else:
            sampler = optuna.samplers.GPSampler(seed=seed)
        study = optuna.create_study(direction="maximize", sampler=sampler)
        search = OptunaSearchCV(estimator, _optuna_space(spec), cv=cv, n_trials=n_evals,
                                refit=False, n_jobs=1, study=study, verbose=0)
        search.fit(X, y)
        trials = search.study_.trials
        scores = [t.value for t in trials]
        params = [t.params for t in trials]
        work = float(sum(
            (t.user_attrs["mean_fit_time"] + t.user_attrs["mean_score_time"]) * cv.n_splits
            for t in trials
        ))
    wall = time.perf_counter() - start
    scores = np.array([np.nan if s is None else s for s in scores], dtype=float)
    out = {"problem": problem, "method": method, "seed": seed, "scores": scores,
           "overhead": max(wall - work, 0.0) / len(scores)}
    if wrap is not None:
        out["params"] = params
    if hasattr(search, "suggest_times_"):
        out["suggest_times"] = search.suggest_times_
        out["suggest_sizes"] = search.suggest_sizes_
    return out


# HEBO as tuned for bayesmark: batches of 8 (its 30-evaluation runs take one at a time)
ASK_TELL = {"hebo": ("hebo", 1), "hebo-b8": ("hebo", 8), "hyperopt-tpe": ("hyperopt-tpe", 1)}


def _cv_results_search(method, estimator, spec, seed, n_evals, common):
    """The search of ``method`` if it leaves a scikit-learn ``cv_results_``, else None."""
    if method in ("BayesSearch", "RandomSearch"):
        from sktune import BayesSearch, RandomSearch

        cls = BayesSearch if method == "BayesSearch" else RandomSearch
        return cls(estimator, _sktune_space(spec), n_iter=n_evals, random_state=seed, **common)
    if method == "skopt":
        from skopt import BayesSearchCV

        return BayesSearchCV(estimator, _skopt_space(spec), n_iter=n_evals,
                             random_state=seed, **common)
    if method in ASK_TELL:
        from ask_tell_anchors import AskTellSearchCV

        engine, batch_size = ASK_TELL[method]
        return AskTellSearchCV(estimator, spec, engine=engine, n_iter=n_evals,
                               batch_size=batch_size, random_state=seed, **common)
    return None


# overhead at 100 observations in 8 dimensions ----------------------------------
def _synthetic(U):
    return -np.sum((U - 0.37) ** 2, axis=1) + 0.1 * np.sin(7 * U[:, 0])


def overhead_at_100(method, n_obs=100, n_dims=8, repeats=20):
    """Mean seconds per suggestion from ``n_obs`` to ``n_obs + repeats`` observations.

    A mean over 20 consecutive suggestions, so that work an optimizer does
    only now and then (BayesSearch refits its GP hyperparameters every 10
    points at this size) is counted in full. BayesSearch gets 8 log-uniform
    axes, its costlier case: the GP fits an input warp to each (on uniform
    axes a suggestion takes about two thirds of the time).
    """
    warnings.filterwarnings("ignore")
    rng = np.random.RandomState(0)
    U = rng.uniform(size=(n_obs, n_dims))
    y = _synthetic(U)
    times = []
    if method == "BayesSearch":
        from sktune.distributions import LogUniform
        from sktune.optimizers import BayesOptimizer
        from sktune.space import SearchSpace

        space = SearchSpace({f"x{i}": LogUniform(1e-3, 1e3) for i in range(n_dims)})
        opt = BayesOptimizer(space, random_state=0)
        opt.tell(U, y)
        for _ in range(repeats):
            t = time.perf_counter()
            P = opt.ask(1)
            times.append(time.perf_counter() - t)
            opt.tell(P, _synthetic(P))
    elif method == "RandomSearch":
        from sktune.distributions import Uniform
        from sktune.space import SearchSpace

        space = SearchSpace({f"x{i}": Uniform(0, 1) for i in range(n_dims)})
        for _ in range(repeats):
            t = time.perf_counter()
            space.sample_params(rng)
            times.append(time.perf_counter() - t)
    elif method in ASK_TELL:
        times = _ask_tell_overhead(method, U, y, repeats)
    elif method == "skopt":
        from skopt import Optimizer

        opt = Optimizer([(0.0, 1.0)] * n_dims, base_estimator="GP", random_state=0)
        opt.tell(U[:-1].tolist(), list(-y[:-1]))  # skopt minimizes
        last, value = U[-1].tolist(), float(-y[-1])
        for _ in range(repeats):
            # skopt fits its GP and optimizes the acquisition inside tell,
            # and ask returns the point computed there: time both
            t = time.perf_counter()
            opt.tell(last, value)
            last = opt.ask()
            times.append(time.perf_counter() - t)
            value = float(-_synthetic(np.array([last]))[0])
    else:
        import optuna
        from optuna.distributions import FloatDistribution
        from optuna.trial import create_trial

        optuna.logging.set_verbosity(optuna.logging.ERROR)
        sampler = (optuna.samplers.TPESampler(seed=0) if method == "optuna-tpe"
                   else optuna.samplers.GPSampler(seed=0))
        study = optuna.create_study(direction="maximize", sampler=sampler)
        dists = {f"x{i}": FloatDistribution(0.0, 1.0) for i in range(n_dims)}
        for row, value in zip(U, y):
            study.add_trial(create_trial(params={f"x{i}": v for i, v in enumerate(row)},
                                         distributions=dists, value=float(value)))
        for _ in range(repeats):
            t = time.perf_counter()
            trial = study.ask(dists)
            row = np.array([[trial.params[f"x{i}"] for i in range(n_dims)]])
            times.append(time.perf_counter() - t)
            study.tell(trial, float(_synthetic(row)[0]))
    return float(np.mean(times))


def _ask_tell_overhead(method, U, y, repeats):
    """Seconds per suggestion of HEBO or hyperopt after the rows ``U`` scored ``y``."""
    n_obs, n_dims = U.shape
    spec = {f"x{i}": ("real", 0.0, 1.0, False) for i in range(n_dims)}
    engine, batch = ASK_TELL[method]
    times = []
    if engine == "hebo":
        import pandas as pd
        from ask_tell_anchors import _seed_globals, hebo_space
        from hebo.design_space.design_space import DesignSpace
        from hebo.optimizers.hebo import HEBO

        _seed_globals(0)
        opt = HEBO(DesignSpace().parse(hebo_space(spec)), scramble_seed=0)
        opt.observe(pd.DataFrame(U, columns=list(spec)), -y.reshape(-1, 1))
        for _ in range(repeats):
            t = time.perf_counter()
            rec = opt.suggest(n_suggestions=batch)
            times.append((time.perf_counter() - t) / batch)
            opt.observe(rec, -_synthetic(rec[list(spec)].to_numpy(float)).reshape(-1, 1))
        return times
    from hyperopt import STATUS_OK, fmin, hp, tpe

    # hyperopt has no way to add finished trials: the first n_obs are
    # evaluated from points_to_evaluate, and a suggestion's time is the gap
    # between one objective call and the next
    stamps = []

    def objective(drawn):
        stamps.append(time.perf_counter())
        return {"status": STATUS_OK, "loss": -float(_synthetic(
            np.array([[drawn[k] for k in spec]]))[0])}

    fmin(objective, {k: hp.uniform(k, 0.0, 1.0) for k in spec}, algo=tpe.suggest,
         max_evals=n_obs + repeats, rstate=np.random.default_rng(0), show_progressbar=False,
         points_to_evaluate=[dict(zip(spec, map(float, row))) for row in U])
    return list(np.diff(stamps)[-repeats:])


# report -------------------------------------------------------------------------
def _best_so_far(scores):
    filled = np.where(np.isnan(scores), -np.inf, scores)
    return np.maximum.accumulate(filled)


def normalize(runs, checkpoints, anchor_runs=None):
    """Normalized best scores of each run at the checkpoints.

    On each problem 0 is the mean best score of the ``RandomSearch`` runs of
    ``anchor_runs`` (default ``runs``) at the first checkpoint, and 100 the
    best score of any run. Returns one array over the checkpoints per run,
    and the per-problem best and zero.
    """
    anchor_runs = runs if anchor_runs is None else anchor_runs
    best = {}
    for r in runs:
        best[r["problem"]] = max(best.get(r["problem"], -np.inf), np.nanmax(r["scores"]))
    zero = {}
    for p in best:
        rnd = [_best_so_far(r["scores"])[checkpoints[0] - 1] for r in anchor_runs
               if r["problem"] == p and r["method"] == "RandomSearch"]
        zero[p] = float(np.mean(rnd))
    out = []
    for r in runs:
        p = r["problem"]
        span = best[p] - zero[p]
        traj = _best_so_far(r["scores"])
        vals = [traj[min(c, len(traj)) - 1] for c in checkpoints]
        out.append(
            100.0 * (np.array(vals) - zero[p]) / span if span > 0 else np.full(len(vals), 100.0)
        )
    return out, best, zero


def summarize(runs, methods, overhead100, n_evals):
    checkpoints = [c for c in CHECKPOINTS if c <= n_evals] or [n_evals]
    if n_evals > checkpoints[-1]:
        checkpoints.append(n_evals)
    problems = sorted({r["problem"] for r in runs})
    seeds = sorted({r["seed"] for r in runs})
    values, best, zero = normalize(runs, checkpoints)
    # (method, problem, seed) -> array over checkpoints
    norm = {(r["method"], r["problem"], r["seed"]): v for r, v in zip(runs, values)}
    over = {m: np.mean([r["overhead"] for r in runs if r["method"] == m]) for m in methods}
    head = "| searcher |" + "".join(f" score@{c} |" for c in checkpoints)
    head += "".join(f" BayesSearch - it @{c} (± SE) |" for c in checkpoints)
    head += " overhead in-run (ms) | overhead @100x8 (ms) |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for m in methods:
        keys = [(m, p, s) for p in problems for s in seeds if (m, p, s) in norm]
        mine = np.array([norm["BayesSearch", p, s] for _, p, s in keys])
        theirs = np.array([norm[k] for k in keys])
        row = f"| {m} |" + "".join(f" {v:.1f} |" for v in theirs.mean(0))
        if m == "BayesSearch":
            row += " |" * len(checkpoints)
        else:
            d = mine - theirs
            se = d.std(0, ddof=1) / np.sqrt(len(d)) if len(d) > 1 else np.zeros(len(checkpoints))
            row += "".join(f" {a:+.1f} ± {b:.1f} |" for a, b in zip(d.mean(0), se))
        o100 = overhead100.get(m)
        row += f" {1e3 * over[m]:.1f} | " + ("n/a" if o100 is None else f"{1e3 * o100:.1f}")
        lines.append(row + " |")
    lines += _best_anchor_lines(norm, methods, problems, seeds, checkpoints)
    lines += _suggest_time_lines(runs, methods)
    lines.append("")
    pairs = sorted({(p, s) for _, p, s in norm})
    lines.append(f"{len(pairs)} (problem, seed) pairs: {len(problems)} problems, seeds "
                 f"{seeds[0]}-{seeds[-1]}; {n_evals} evaluations, 3-fold CV.")
    per = ["", f"| problem | best seen | random@{checkpoints[0]} (0) |" + "".join(
        f" {m}@{checkpoints[-1]} |" for m in methods), "|" + "---|" * (3 + len(methods))]
    for p in problems:
        cells = [np.mean([norm[m, p, s][-1] for s in seeds if (m, p, s) in norm])
                 for m in methods]
        per.append(f"| {p} | {best[p]:.4f} | {zero[p]:.4f} |"
                   + "".join(f" {c:.1f} |" for c in cells))
    return "\n".join(lines + per)


BEST_OF = ("optuna-gp", "optuna-tpe", "skopt")


def _best_anchor_lines(norm, methods, problems, seeds, checkpoints):
    """BayesSearch minus the best of ``BEST_OF`` at each checkpoint, paired.

    The best anchor is the one of highest mean score at that checkpoint,
    chosen after the run, as in the earlier tables of benchmarks/README.md.
    """
    anchors = [m for m in BEST_OF if m in methods]
    if not anchors or "BayesSearch" not in methods:
        return []
    keys = [(p, s) for p in problems for s in seeds
            if all((m, p, s) in norm for m in anchors + ["BayesSearch"])]
    mine = np.array([norm["BayesSearch", p, s] for p, s in keys])
    cells = []
    for i, c in enumerate(checkpoints):
        means = {m: np.mean([norm[m, p, s][i] for p, s in keys]) for m in anchors}
        best = max(means, key=means.get)
        d = mine[:, i] - np.array([norm[best, p, s][i] for p, s in keys])
        se = d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else 0.0
        cells.append(f"@{c}: {best} {means[best]:.1f}, BayesSearch - it {d.mean():+.1f} ± {se:.1f}")
    return ["", f"Best of {', '.join(anchors)} ({len(keys)} pairs): " + "; ".join(cells) + "."]


def _suggest_time_lines(runs, methods):
    """Mean seconds per candidate of the optimizers that time their own suggestions.

    For HEBO also the mean over the GP's suggestions alone: its first d + 1
    candidates come from a Sobol design at no cost.
    """
    out = []
    for m in methods:
        timed = [r for r in runs if r["method"] == m and "suggest_times" in r]
        if not timed:
            continue
        n = sum(sum(r["suggest_sizes"]) for r in timed)
        line = (f"{m}: optimizer time {1e3 * sum(sum(r['suggest_times']) for r in timed) / n:.0f}"
                f" ms per candidate ({len(timed)} runs)")
        if m.startswith("hebo"):
            model = [(t, k) for r in timed for t, k, before in zip(
                r["suggest_times"], r["suggest_sizes"], np.cumsum([0] + r["suggest_sizes"]))
                if before >= 1 + len(_problems()[r["problem"]][3])]
            line += (f", {1e3 * sum(t for t, _ in model) / sum(k for _, k in model):.0f} ms per "
                     f"candidate of its GP ({len(model)} calls)")
        out.append(line + ".")
    return [""] + out if out else []


def _save(path, runs, overhead100):
    data = {"runs": [{**r, "scores": [None if np.isnan(v) else float(v) for v in r["scores"]]}
                     for r in runs], "overhead100": overhead100}
    with open(path + ".tmp", "w") as f:
        json.dump(data, f)
    os.replace(path + ".tmp", path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="seeds per problem")
    parser.add_argument("--first-seed", type=int, default=0, help="seeds start here")
    parser.add_argument("--jobs", type=int, default=2, help="problems run in parallel")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 2 problems, 2 seeds, 10 evaluations")
    parser.add_argument("--methods", default="BayesSearch,RandomSearch,skopt,optuna-gp,optuna-tpe")
    parser.add_argument("--problems", default=None, help="comma-separated subset")
    parser.add_argument("--evals", type=int, default=N_EVALS, help="evaluations per search")
    parser.add_argument("--no-overhead", action="store_true",
                        help="skip the timing of one suggestion at 100x8 (a quality run)")
    parser.add_argument("--overhead-only", action="store_true",
                        help="only time one suggestion at 100x8 for each of --methods")
    parser.add_argument("--save", default=None, help="write every run to this JSON file")
    parser.add_argument("--load", nargs="+", default=None,
                        help="summarize the runs saved in these JSON files (pooled) of the "
                        "--methods instead of running")
    parser.add_argument(
        "--reuse", default=None,
        help="take the runs of the searchers not in --methods from this saved JSON file "
             "(the anchors are deterministic for a seed: re-run only what changed)",
    )
    args = parser.parse_args(argv)
    methods = args.methods.split(",")
    if args.overhead_only:
        for m in methods:
            print(f"{m}: {1e3 * overhead_at_100(m):.1f} ms per suggestion at 100x8")
        return
    reused_runs, reused_overhead = [], {}
    if args.reuse:
        with open(args.reuse) as f:
            saved = json.load(f)
        reused_runs = [{**r, "scores": np.array(r["scores"], dtype=float)}
                       for r in saved["runs"] if r["method"] not in methods]
        reused_overhead = {m: v for m, v in saved["overhead100"].items() if m not in methods}
    all_methods = methods + sorted({r["method"] for r in reused_runs} - set(methods))
    if "BayesSearch" not in all_methods or "RandomSearch" not in all_methods:
        parser.error("--methods (with --reuse) must include BayesSearch and RandomSearch")
    problems = list(_problems())
    if args.problems:
        problems = args.problems.split(",")
    n_evals, seeds = args.evals, args.seeds
    if args.quick:
        problems, n_evals, seeds = problems[:2], 10, min(seeds, 2)
    start = time.perf_counter()
    if args.load:
        by_key, overhead100 = {}, {}
        for path in args.load:
            with open(path) as f:
                saved = json.load(f)
            # a later run of the same (problem, method, seed) wins
            for r in saved["runs"]:
                if r["method"] in methods:
                    by_key[r["problem"], r["method"], r["seed"]] = {
                        **r, "scores": np.array(r["scores"], dtype=float)
                    }
            overhead100.update(saved["overhead100"])
        runs = list(by_key.values())
        # only (problem, seed) pairs that every method finished
        done = {}
        for r in runs:
            done.setdefault((r["problem"], r["seed"]), set()).add(r["method"])
        runs = [r for r in runs if done[r["problem"], r["seed"]] >= set(methods)]
        n_evals = max(len(r["scores"]) for r in runs)
        if not overhead100 and not args.quick and not args.no_overhead:
            # a run stopped before its end: measure the overhead now
            overhead100 = {m: overhead_at_100(m) for m in methods}
    else:
        seed_range = range(args.first_seed, args.first_seed + seeds)
        tasks = [(p, m, s) for s in seed_range for p in problems for m in methods]
        runs, overhead100 = [], {}
        reused_runs = [
            r for r in reused_runs if r["problem"] in problems and r["seed"] in seed_range
        ]
        out = Parallel(n_jobs=args.jobs, return_as="generator_unordered")(
            delayed(run_one)(p, m, s, n_evals) for p, m, s in tasks
        )
        for r in out:
            runs.append(r)
            if args.save:
                _save(args.save, runs, overhead100)
        if not args.quick and not args.no_overhead:
            overhead100 = {m: overhead_at_100(m) for m in methods}
        runs += reused_runs
        overhead100.update(reused_overhead)
        if args.save:
            _save(args.save, runs, overhead100)
    methods = all_methods
    print(summarize(runs, methods, overhead100, n_evals))
    print(f"\ntotal time {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
