"""What a Bayesian suggestion costs: alone, against the number of observations, and inside a search.

Two tables, side by side with the anchors in one run:

1. **Optimizer time per suggestion** after ``n`` observations (50, 100, 300,
   1,000) of a synthetic 8-dimensional function, for BayesSearch's optimizer
   (8 log-uniform axes, its costlier case), Optuna's GP and TPE samplers and
   scikit-optimize's GP optimizer. BayesSearch refits its GP hyperparameters
   at every suggestion up to 50 observations and then whenever the data has
   grown by 10 %; between refits a suggestion extends the Cholesky factor.
   Its row shows the median suggestion without a refit, the time of a refit,
   and their mean over one refit period (``amortized``: one refit and
   ``ceil(n / 10) - 1`` plain suggestions), which is what a long search pays
   on average. The anchors' column is the mean over ``--repeats`` consecutive
   suggestions (fewer at 1,000 observations for the slow ones, see
   ``--anchor-repeats``).
2. **Overhead per candidate inside a real search**: a free-to-fit estimator
   with 8 parameters (its score is a quadratic of them), cv=3, n_jobs=1,
   ``--candidates`` candidates; wall time per candidate of BayesSearch,
   RandomSearch and scikit-learn's RandomizedSearchCV beside Optuna's
   ``OptunaSearchCV`` with TPE, run in turn ``--search-repeats`` times
   (medians), and each search's time over TPE's repeat by repeat (the
   median of those ratios and their quartiles: the machine's speed drifts
   between repeats more than between the searches of one repeat). The fit
   costs nothing, so the time is the search's own: proposing, dispatching
   the folds, scoring and bookkeeping.

    python benchmarks/optimizer_cost.py [--sizes 50 100 300 1000] [--candidates 100]
    python benchmarks/optimizer_cost.py --in-search-only --search-repeats 15
"""

import argparse
import math
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from scipy import stats
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.datasets import make_regression
from sklearn.model_selection import RandomizedSearchCV

sys.path.insert(0, str(Path(__file__).parent))
from bayes import _synthetic, overhead_at_100  # noqa: E402

from sktune import BayesSearch, RandomSearch  # noqa: E402
from sktune.distributions import LogUniform, Uniform  # noqa: E402
from sktune.optimizers import BayesOptimizer  # noqa: E402
from sktune.space import SearchSpace  # noqa: E402

N_DIMS = 8
ANCHORS = ("optuna-gp", "optuna-tpe", "skopt")


def bayes_cost(n_obs, n_plain=5):
    """(median plain suggestion, refit, amortized) seconds at ``n_obs`` observations.

    A search reaches ``n_obs`` with hyperparameters fitted along the way, so
    each refit starts from the last one: the cold first fit is untimed, and
    the refit timed is the warm one that follows 10 % more observations.
    """
    rng = np.random.RandomState(0)
    space = SearchSpace({f"x{i}": LogUniform(1e-3, 1e3) for i in range(N_DIMS)})
    opt = BayesOptimizer(space, random_state=0)
    # one point short of the size whose growth triggers a refit at n_obs
    grown = math.floor(n_obs / 1.1) - 1
    U = rng.uniform(size=(grown, N_DIMS))
    opt.tell(U, _synthetic(U))
    P = opt.ask(1)
    opt.tell(P, _synthetic(P))
    U = rng.uniform(size=(n_obs - len(opt.X_), N_DIMS))
    opt.tell(U, _synthetic(U))
    t = time.perf_counter()
    P = opt.ask(1)
    refit = time.perf_counter() - t
    plain = []
    for _ in range(n_plain):
        opt.tell(P, _synthetic(P))
        t = time.perf_counter()
        P = opt.ask(1)
        plain.append(time.perf_counter() - t)
    if n_obs <= 50:
        # every suggestion refits at this size
        median = statistics.median([refit] + plain)
        return median, median, median
    period = math.ceil(n_obs / 10)
    median = statistics.median(plain)
    return median, refit, (refit + (period - 1) * median) / period


class FreeFit(RegressorMixin, BaseEstimator):
    """Fits in no time; predicts the mean of y minus a quadratic of its 8 parameters."""

    def __init__(self, a=0.5, b=0.5, c=0.5, d=0.5, e=0.5, f=0.5, g=0.5, h=0.5):
        self.a, self.b, self.c, self.d = a, b, c, d
        self.e, self.f, self.g, self.h = e, f, g, h

    def fit(self, X, y):
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        values = (self.a, self.b, self.c, self.d, self.e, self.f, self.g, self.h)
        return np.full(len(X), self.mean_ - sum((v - 0.37) ** 2 for v in values))


def searches(n_candidates):
    """name -> a function making an unfitted search of ``n_candidates`` candidates."""
    import optuna
    from optuna_integration import OptunaSearchCV

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    names = "abcdefgh"
    ours = {k: Uniform(0, 1) for k in names}
    return {
        "BayesSearch": lambda: BayesSearch(FreeFit(), ours, n_iter=n_candidates, cv=3,
                                           random_state=0),
        "RandomSearch": lambda: RandomSearch(FreeFit(), ours, n_iter=n_candidates, cv=3,
                                             random_state=0),
        "RandomizedSearchCV": lambda: RandomizedSearchCV(
            FreeFit(), {k: stats.uniform(0, 1) for k in names}, n_iter=n_candidates, cv=3,
            random_state=0),
        # OptunaSearchCV samples with TPE, seeded by random_state
        "OptunaSearchCV (TPE)": lambda: OptunaSearchCV(
            FreeFit(), {k: optuna.distributions.FloatDistribution(0, 1) for k in names},
            n_trials=n_candidates, cv=3, random_state=0),
    }


def in_search_cost(n_candidates, repeats):
    """name -> wall seconds per candidate of each search, one value per repeat.

    The searches run in turn within each repeat, so that a repeat's ratios
    compare searches that met the same state of the machine.
    """
    X, y = make_regression(200, 5, random_state=0)
    makers = searches(n_candidates)
    times = {name: [] for name in makers}
    for make in makers.values():
        make().fit(X, y)  # untimed: imports and first-call caches
    for _ in range(repeats):
        for name, make in makers.items():
            search = make()
            t = time.perf_counter()
            search.fit(X, y)
            times[name].append((time.perf_counter() - t) / n_candidates)
    return times


def paired_ratios(times, anchor):
    """Each search's time over ``anchor``'s, repeat by repeat: (median, lower, upper quartile)."""
    out = {}
    for name, values in times.items():
        ratios = sorted(v / a for v, a in zip(values, times[anchor]))
        q1, _, q3 = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
        out[name] = (statistics.median(ratios), q1, q3)
    return out


def print_in_search(n_candidates, repeats):
    print(f"Wall time per candidate inside a search (ms), {n_candidates} candidates of a "
          f"free-to-fit estimator, cv=3, n_jobs=1, {repeats} repeats")
    times = in_search_cost(n_candidates, repeats)
    ratios = paired_ratios(times, "OptunaSearchCV (TPE)")
    print("| search | ms per candidate (median) | x OptunaSearchCV (TPE), median of the "
          "repeats' ratios | quartiles of the ratio |")
    print("|---|---|---|---|")
    for name, values in times.items():
        median, q1, q3 = ratios[name]
        print(f"| {name} | {1000 * statistics.median(values):.1f} | {median:.2f} | "
              f"{q1:.2f} to {q3:.2f} |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 300, 1000])
    parser.add_argument("--repeats", type=int, default=10,
                        help="consecutive suggestions timed for each anchor")
    parser.add_argument("--anchor-repeats", type=int, default=3,
                        help="the same, at 1,000 observations and more")
    parser.add_argument("--anchors", nargs="*", default=list(ANCHORS))
    parser.add_argument("--skopt-max-obs", type=int, default=300,
                        help="larger sizes skip scikit-optimize (52 s a suggestion at 300)")
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--search-repeats", type=int, default=3)
    parser.add_argument("--in-search-only", action="store_true",
                        help="only the table of the overhead inside a search")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    if args.in_search_only:
        print_in_search(args.candidates, args.search_repeats)
        return

    print("Optimizer time per suggestion (ms), 8 dimensions")
    header = ["n obs", "BayesSearch plain", "refit", "amortized"] + list(args.anchors)
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for n in args.sizes:
        plain, refit, amortized = bayes_cost(n)
        row = [str(n)] + [f"{1000 * v:.1f}" for v in (plain, refit, amortized)]
        for method in args.anchors:
            if method == "skopt" and n > args.skopt_max_obs:
                row.append("not run")
                continue
            repeats = args.anchor_repeats if n >= 1000 else args.repeats
            seconds = overhead_at_100(method, n_obs=n, n_dims=N_DIMS, repeats=repeats)
            row.append(f"{1000 * seconds:.1f}")
        print("| " + " | ".join(row) + " |", flush=True)

    print()
    print_in_search(args.candidates, args.search_repeats)


if __name__ == "__main__":
    main()
