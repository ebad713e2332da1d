"""The built-in demonstration: tune an SVC on the digits data set."""

import time

from sklearn.datasets import load_digits
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from .distributions import LogUniform
from .search import GridSearch, RandomSearch

DEMO_SPACE = {
    "svc__C": LogUniform(1e-2, 1e3),
    "svc__gamma": LogUniform(1e-4, 1e-1),
}


def _searches(random_state):
    estimator = make_pipeline(StandardScaler(), SVC())
    common = dict(cv=3, n_jobs=-1)
    return {
        "grid": GridSearch(estimator, DEMO_SPACE, n_points=4, **common),
        "random": RandomSearch(
            estimator, DEMO_SPACE, n_iter=16, sampler="sobol",
            random_state=random_state, **common,
        ),
    }


STRATEGIES = ("grid", "random")


def run_demo(strategies=STRATEGIES, *, random_state=0, n_samples=None):
    """Tune an SVC pipeline on the digits data with each strategy.

    Parameters
    ----------
    strategies : sequence of str, default=("grid", "random")
        Strategies to run, from :data:`STRATEGIES`.
    random_state : int, default=0
        Seed of every search.
    n_samples : int or None, default=None
        Use only the first ``n_samples`` digits (for a quick run).

    Returns
    -------
    results : dict of str -> (search, seconds)
        The fitted search and its wall time, per strategy.

    Examples
    --------
    >>> from sktune.demo import run_demo
    >>> results = run_demo(["grid"], n_samples=300)
    >>> search, seconds = results["grid"]
    >>> sorted(search.best_params_)
    ['svc__C', 'svc__gamma']
    """
    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown:
        raise ValueError(
            f"The 'strategies' parameter of run_demo must be a list of {STRATEGIES}. "
            f"Got {unknown!r} instead."
        )
    X, y = load_digits(return_X_y=True)
    if n_samples is not None:
        X, y = X[:n_samples], y[:n_samples]
    searches = _searches(random_state)
    results = {}
    for name in strategies:
        start = time.perf_counter()
        search = searches[name].fit(X, y)
        results[name] = (search, time.perf_counter() - start)
    return results
