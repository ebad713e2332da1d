"""HEBO and hyperopt's TPE as scikit-learn searches, for the benchmarks.

Neither library ships a ``BaseSearchCV``; :class:`AskTellSearchCV` runs any
of them through scikit-learn's own ``evaluate_candidates`` loop, so that
they fit the same estimators on the same fixed splits as the other
searchers and leave a ``cv_results_`` read the same way. An *engine* turns
the benchmark's neutral space description (``bayes._problems``: name ->
``("real", low, high, log)``, ``("int", low, high, log)`` or
``("cat", choices)``) into its library's space and drives the search:
``engine(evaluate, spec, n_iter, seed)``, where ``evaluate(params_list)``
returns the mean test scores of those candidates (higher is better, NaN for
a failed fit). An engine returns the seconds its library spent per
suggestion call and the number of candidates of each call.

Install the two libraries with ``benchmarks/install-hebo`` (HEBO's declared
requirements conflict with today's numeric stack; see there).
"""

import math
import random
import time

import numpy as np
from sklearn.model_selection._search import BaseSearchCV


class AskTellSearchCV(BaseSearchCV):
    """A search driven by an external optimizer through ``engine``.

    Parameters
    ----------
    estimator : estimator object
        Cloned for every fit.
    spec : dict
        The neutral space description (see the module docstring).
    engine : {"hebo", "hyperopt-tpe"}
        The optimizer.
    n_iter : int, default=30
        Number of candidates.
    batch_size : int, default=1
        Candidates per suggestion (HEBO only).
    random_state : int, default=0
        Seed of the optimizer.

    Attributes
    ----------
    suggest_times_ : list of float
        Seconds of each suggestion call of the optimizer.
    suggest_sizes_ : list of int
        Candidates returned by each call.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> search = AskTellSearchCV(SVC(), {"C": ("real", 1e-2, 1e2, True)},
    ...                          engine="hyperopt-tpe", n_iter=3)
    >>> search.fit(*load_iris(return_X_y=True)).cv_results_["params"][0].keys()
    dict_keys(['C'])
    """

    def __init__(self, estimator, spec, *, engine, n_iter=30, batch_size=1, random_state=0,
                 scoring=None, n_jobs=None, refit=True, cv=None, verbose=0,
                 pre_dispatch="2*n_jobs", error_score=np.nan, return_train_score=False):
        super().__init__(estimator, scoring=scoring, n_jobs=n_jobs, refit=refit, cv=cv,
                         verbose=verbose, pre_dispatch=pre_dispatch, error_score=error_score,
                         return_train_score=return_train_score)
        self.spec = spec
        self.engine = engine
        self.n_iter = n_iter
        self.batch_size = batch_size
        self.random_state = random_state

    def _run_search(self, evaluate_candidates, *, callback_ctx=None):
        if self.engine not in ENGINES:
            raise ValueError(f"The 'engine' parameter of AskTellSearchCV must be one of "
                             f"{sorted(ENGINES)}. Got {self.engine!r} instead.")

        # scikit-learn's callbacks (progress bars) are not forwarded: the
        # benchmarks attach none, and a root context would need one
        # sub-context per round
        def evaluate(params_list):
            results = evaluate_candidates(params_list)
            return np.asarray(results["mean_test_score"][-len(params_list):], dtype=float)

        kwargs = {"batch_size": self.batch_size} if self.engine == "hebo" else {}
        self.suggest_times_, self.suggest_sizes_ = ENGINES[self.engine](
            evaluate, self.spec, self.n_iter, self.random_state, **kwargs
        )


# HEBO ---------------------------------------------------------------------------
def hebo_space(spec):
    """HEBO's design-space records for ``spec``.

    Categories are passed as their indices in text ("0", "1", ...): HEBO
    keeps categories in a pandas column and ``None``/``True`` choices would
    not survive it; :func:`hebo_params` maps them back.
    """
    records = []
    for name, (kind, *args) in spec.items():
        if kind == "cat":
            records.append({"name": name, "type": "cat",
                            "categories": [str(i) for i in range(len(args[0]))]})
        elif kind == "real":
            records.append({"name": name, "type": "pow" if args[2] else "num",
                            "lb": args[0], "ub": args[1]})
        else:
            records.append({"name": name, "type": "pow_int" if args[2] else "int",
                            "lb": args[0], "ub": args[1]})
    return records


def hebo_params(spec, row):
    """One parameter dict from a row of HEBO's suggestion frame."""
    out = {}
    for name, (kind, *args) in spec.items():
        value = row[name]
        if kind == "cat":
            out[name] = args[0][int(value)]
        elif kind == "int":
            out[name] = int(min(max(round(float(value)), args[0]), args[1]))
        else:
            out[name] = float(min(max(float(value), args[0]), args[1]))
    return out


def _seed_globals(seed):
    # HEBO seeds only its initial Sobol design (scramble_seed); its GP
    # training, evolutionary acquisition search (pymoo) and final pick draw
    # from the global numpy and torch generators, seeded here per run.
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def run_hebo(evaluate, spec, n_iter, seed, batch_size=1):
    """HEBO with its defaults (GP, MACE acquisition, NSGA-II), ``batch_size`` at a time.

    HEBO minimizes: it observes minus the score. A failed fit (NaN) is told
    as the worst score seen so far, since HEBO's GP cannot take NaN.
    """
    from hebo.design_space.design_space import DesignSpace
    from hebo.optimizers.hebo import HEBO

    _seed_globals(seed)
    opt = HEBO(DesignSpace().parse(hebo_space(spec)), scramble_seed=seed)
    times, sizes, seen = [], [], []
    while sum(sizes) < n_iter:
        k = min(batch_size, n_iter - sum(sizes))
        start = time.perf_counter()
        rec = opt.suggest(n_suggestions=k)
        times.append(time.perf_counter() - start)
        sizes.append(len(rec))
        scores = evaluate([hebo_params(spec, row) for _, row in rec.iterrows()])
        seen.extend(scores[np.isfinite(scores)])
        worst = min(seen) if seen else 0.0
        opt.observe(rec, -np.where(np.isfinite(scores), scores, worst).reshape(-1, 1))
    return times, sizes


# hyperopt -----------------------------------------------------------------------
def hyperopt_space(spec):
    """hyperopt's space for ``spec``: log axes on ``loguniform``, integers quantized by 1.

    Categories are drawn as indices (``hp.choice`` over ``range``) and
    mapped back by :func:`hyperopt_params`.
    """
    from hyperopt import hp

    out = {}
    for name, (kind, *args) in spec.items():
        if kind == "cat":
            out[name] = hp.choice(name, list(range(len(args[0]))))
        elif kind == "real":
            low, high, log = args
            out[name] = (hp.loguniform(name, math.log(low), math.log(high)) if log
                         else hp.uniform(name, low, high))
        else:
            low, high, log = args
            # hyperopt rounds a continuous draw, so the end values would get
            # half the mass of the others; widened by half a step on each side
            # as Optuna's integer axes are (draws past an end are clipped back)
            out[name] = (hp.qloguniform(name, math.log(low - 0.5), math.log(high + 0.5), 1)
                         if log else hp.quniform(name, low - 0.5, high + 0.5, 1))
    return out


def hyperopt_params(spec, drawn):
    """One parameter dict from the values hyperopt passes to the objective."""
    out = {}
    for name, (kind, *args) in spec.items():
        value = drawn[name]
        if kind == "cat":
            out[name] = args[0][int(value)]
        elif kind == "int":
            out[name] = int(min(max(round(float(value)), args[0]), args[1]))
        else:
            out[name] = float(value)
    return out


def run_hyperopt_tpe(evaluate, spec, n_iter, seed):
    """hyperopt's TPE (``tpe.suggest``, its defaults), seeded through ``rstate``.

    A failed fit is reported as ``STATUS_FAIL``, which TPE leaves out of its
    densities. The suggestion time is the time ``fmin`` spends outside the
    objective, per candidate.
    """
    from hyperopt import STATUS_FAIL, STATUS_OK, Trials, fmin, tpe

    inside = [0.0]

    def objective(drawn):
        start = time.perf_counter()
        score = float(evaluate([hyperopt_params(spec, drawn)])[0])
        inside[0] += time.perf_counter() - start
        if not np.isfinite(score):
            return {"status": STATUS_FAIL}
        return {"status": STATUS_OK, "loss": -score}

    start = time.perf_counter()
    fmin(objective, hyperopt_space(spec), algo=tpe.suggest, max_evals=n_iter, trials=Trials(),
         rstate=np.random.default_rng(seed), show_progressbar=False)
    outside = time.perf_counter() - start - inside[0]
    return [outside / n_iter] * n_iter, [1] * n_iter


ENGINES = {"hebo": run_hebo, "hyperopt-tpe": run_hyperopt_tpe}
