"""Warm start: a BayesSearch told an earlier search's results, against a cold one.

Each problem is a problem of ``bayes.py`` on two related datasets, A the
earlier data and B the new: ``halves`` splits its data once into two
disjoint halves (stratified for classification, ``random_state=0``);
``noise`` keeps the whole dataset for A and adds Gaussian noise of half the
target's standard deviation to B's targets (a regression problem whose
scores are all shifted down, its good region kept). For every seed, a BayesSearch tunes the
estimator on A for 30 evaluations (the prior); then on B a cold BayesSearch
and a warm one (``prior_results`` = the search on A) run 30 evaluations
each, same seed. The table gives the number of evaluations the warm search
needs to reach the best score the cold one has after 30 (">30" when it does
not within 30), per seed and as a median, and the mean best scores of both
after 10 and 30 evaluations.

``BayesSearch-top3`` (``-top1``) is the warm search with the prior's three
best rows (its best row) also given as ``initial_candidates``, evaluated
first on B.

Anchors, warm-started from the same prior rows: scikit-optimize's
``Optimizer`` (GP, ``x0``/``y0`` told before the first ask) and Optuna's TPE
(``study.add_trials``), each against a cold run of its own library on B, on
the same 3-fold splits. Run ``python benchmarks/warm_start.py`` (``--quick``
for a smoke run); the anchors need the ``bench`` extra.
"""

import argparse
import json
import os
import sys
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import cross_val_score, train_test_split

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bayes  # noqa: E402  (sets the one-BLAS-thread environment first)

N_EVALS = 30
PROBLEMS = ("svr/diabetes:halves", "svr/diabetes:noise", "svc/breast_cancer:halves")
METHODS = ("BayesSearch", "BayesSearch-top3", "BayesSearch-top1", "skopt", "optuna-tpe")
# BayesSearch-topK: the prior told as observations, and its K best rows
# evaluated first on the new data (initial_candidates), before the model


def _datasets(problem):
    """The estimator, task, space and the two datasets of ``"<bayes problem>:<relation>"``."""
    name, relation = problem.split(":")
    estimator, loader, task, spec = bayes._problems()[name]
    X, y = loader(return_X_y=True)
    if relation == "noise":
        noisy = y + np.random.RandomState(0).normal(0.0, 0.5 * y.std(), size=len(y))
        return estimator, task, spec, (X, y), (X, noisy)
    stratify = y if task == "classification" else None
    XA, XB, yA, yB = train_test_split(X, y, test_size=0.5, random_state=0, stratify=stratify)
    return estimator, task, spec, (XA, yA), (XB, yB)


def _top_rows(prior, k):
    """The ``k`` best distinct parameter dicts of a prior, best first."""
    scores = np.asarray(prior["mean_test_score"], dtype=float)
    order = np.argsort(np.where(np.isfinite(scores), -scores, np.inf), kind="stable")
    return [dict(prior["params"][i]) for i in order[:k]]


def _bayes(estimator, spec, cv, data, seed, prior=None, n_evals=N_EVALS, top=0):
    from sktune import BayesSearch

    first = _top_rows(prior, top) if prior is not None and top else None
    search = BayesSearch(estimator, bayes._sktune_space(spec), n_iter=n_evals, cv=cv,
                         refit=False, n_jobs=1, random_state=seed, prior_results=prior,
                         initial_candidates=first)
    return search.fit(*data).cv_results_


def _cv_score(estimator, params, cv, data):
    model = clone(estimator).set_params(**params)
    return float(np.mean(cross_val_score(model, *data, cv=cv, error_score=np.nan)))


def _skopt(estimator, spec, cv, data, seed, prior, n_evals):
    from skopt import Optimizer

    space = bayes._skopt_space(spec)
    names = list(space)
    opt = Optimizer(list(space.values()), base_estimator="GP", random_state=seed)
    if prior is not None:
        # x0/y0: skopt minimizes, and told points count in its initial points
        opt.tell([[p[n] for n in names] for p in prior["params"]],
                 [-float(s) for s in prior["mean_test_score"]])
    scores = []
    for _ in range(n_evals):
        x = opt.ask()
        score = _cv_score(estimator, dict(zip(names, x)), cv, data)
        scores.append(score)
        opt.tell(x, -score if np.isfinite(score) else 1e6)
    return scores


def _optuna(estimator, spec, cv, data, seed, prior, n_evals):
    import optuna
    from optuna.trial import create_trial

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    dists = bayes._optuna_space(spec)
    study = optuna.create_study(direction="maximize",
                                sampler=optuna.samplers.TPESampler(seed=seed))
    if prior is not None:
        study.add_trials([
            create_trial(params=dict(p), distributions=dists, value=float(s))
            for p, s in zip(prior["params"], prior["mean_test_score"])
        ])
    scores = []
    for _ in range(n_evals):
        trial = study.ask(dists)
        score = _cv_score(estimator, trial.params, cv, data)
        scores.append(score)
        study.tell(trial, score if np.isfinite(score) else None,
                   state=None if np.isfinite(score) else optuna.trial.TrialState.FAIL)
    return scores


def _plain(value):
    """A prior row's value as its library takes it (numpy scalars -> Python)."""
    return value.item() if isinstance(value, np.generic) else value


def run_pair(problem, seed, methods, n_evals=N_EVALS):
    """Cold and warm runs of each method on half B, from one prior on half A."""
    warnings.filterwarnings("ignore")
    estimator, task, spec, A, B = _datasets(problem)
    cv = bayes._cv(task)
    prior = _bayes(estimator, spec, cv, A, seed, n_evals=n_evals)
    prior_rows = {"params": [{k: _plain(v) for k, v in p.items()} for p in prior["params"]],
                  "mean_test_score": list(map(float, prior["mean_test_score"]))}
    out = []
    for method in methods:
        for warm in (False, True):
            start = prior_rows if warm else None
            if method.startswith("BayesSearch"):
                top = int(method.partition("-top")[2] or 0)
                scores = list(_bayes(estimator, spec, cv, B, seed, start, n_evals, top)
                              ["mean_test_score"])
            elif method == "skopt":
                scores = _skopt(estimator, spec, cv, B, seed, start, n_evals)
            else:
                scores = _optuna(estimator, spec, cv, B, seed, start, n_evals)
            out.append({"problem": problem, "seed": seed, "method": method, "warm": warm,
                        "scores": [float(s) for s in scores]})
    return out


def evals_to_reach(warm, target):
    """1-based count of evaluations until ``warm``'s best reaches ``target``; None if never."""
    best = bayes._best_so_far(np.asarray(warm, dtype=float))
    hit = np.flatnonzero(best >= target)
    return int(hit[0]) + 1 if len(hit) else None


def summarize(runs, n_evals=N_EVALS):
    by = {(r["problem"], r["seed"], r["method"], r["warm"]): r["scores"] for r in runs}
    problems = sorted({r["problem"] for r in runs})
    seeds = sorted({r["seed"] for r in runs})
    methods = [m for m in METHODS if any(r["method"] == m for r in runs)]
    lines = [f"| problem | searcher | median evals (warm) | per seed | cold best@10 | "
             f"cold best@{n_evals} | warm best@10 | warm best@{n_evals} |",
             "|---|---|---|---|---|---|---|---|"]
    for p in problems:
        for m in methods:
            needed, cold_best, warm_best, warm10, cold10 = [], [], [], [], []
            ran = [s for s in seeds if (p, s, m, True) in by]
            if not ran:
                continue
            for s in ran:
                cold, warm = by[p, s, m, False], by[p, s, m, True]
                target = float(np.nanmax(cold))
                n = evals_to_reach(warm, target)
                needed.append(n_evals + 1 if n is None else n)
                cold_best.append(target)
                warm_best.append(float(np.nanmax(warm)))
                warm10.append(float(np.nanmax(warm[:10])))
                cold10.append(float(np.nanmax(cold[:10])))
            med = float(np.median(needed))
            med_text = f">{n_evals}" if med > n_evals else f"{med:g}"
            per = " ".join(f">{n_evals}" if n > n_evals else str(n) for n in needed)
            lines.append(f"| {p} | {m} ({len(ran)} seeds) | {med_text} | {per} | "
                         f"{np.mean(cold10):.4f} | {np.mean(cold_best):.4f} | "
                         f"{np.mean(warm10):.4f} | {np.mean(warm_best):.4f} |")
    lines.append("")
    lines.append(f"Seeds {seeds[0]}-{seeds[-1]}; {n_evals} evaluations per search, 3-fold "
                 "CV; best scores are means over seeds.")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--problems", default=",".join(PROBLEMS))
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--quick", action="store_true", help="1 problem, 2 seeds, 10 evals")
    parser.add_argument("--save", default=None, help="write every run to this JSON file")
    parser.add_argument("--load", nargs="+", default=None,
                        help="summarize saved JSON files (pooled) instead of running")
    args = parser.parse_args(argv)
    n_evals = 10 if args.quick else N_EVALS
    if args.load:
        runs = []
        for path in args.load:
            with open(path) as f:
                runs.extend(json.load(f))
        print(summarize(runs, N_EVALS))
        return
    problems = args.problems.split(",")[:1] if args.quick else args.problems.split(",")
    seeds = range(args.first_seed, args.first_seed + (2 if args.quick else args.seeds))
    runs = []
    for p in problems:
        for s in seeds:
            runs.extend(run_pair(p, s, args.methods.split(","), n_evals))
            if args.save:
                with open(args.save, "w") as f:
                    json.dump(runs, f)
            print(f"done {p} seed {s}", file=sys.stderr, flush=True)
    print(summarize(runs, n_evals))


if __name__ == "__main__":
    main()
