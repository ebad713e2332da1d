"""One factory per search class, so contract tests run on every class.

Each factory takes ``(estimator, space, **kwargs)`` and returns an unfitted
search with a small budget; ``kwargs`` are BaseSearchCV arguments (``cv``,
``scoring``, ``n_jobs``, ``refit``, ``error_score``...) plus ``random_state``.
A new search class registers itself here and gets the contract tests free.
"""

import warnings

from sklearn.utils import check_random_state

from sktune import BayesSearch, GridSearch, HyperbandSearch, ManualSearch, RandomSearch
from sktune.search import draw_unique
from sktune.space import SearchSpace

SEARCH_CASES = {}


def register(name):
    def wrap(factory):
        SEARCH_CASES[name] = factory
        return factory

    return wrap


@register("GridSearch")
def _grid(estimator, space, random_state=None, **kwargs):
    return GridSearch(estimator, space, n_points=3, **kwargs)


@register("RandomSearch")
def _random(estimator, space, random_state=0, **kwargs):
    return RandomSearch(estimator, space, n_iter=4, random_state=random_state, **kwargs)


@register("ManualSearch")
def _manual(estimator, space, random_state=0, **kwargs):
    # the candidates a person might list: four distinct points of the space
    rng = check_random_state(random_state)
    with warnings.catch_warnings():
        # a small finite space simply gives fewer candidates
        warnings.simplefilter("ignore", UserWarning)
        candidates = draw_unique(SearchSpace(space), 4, "random", rng, "ManualSearch")
    return ManualSearch(estimator, candidates, **kwargs)


@register("HyperbandSearch")
def _hyperband(estimator, space, random_state=0, **kwargs):
    # The default resource, n_samples, works with any estimator. On the
    # contract tests' data (about 100 samples) the default budgets give two
    # brackets: 3 candidates -> 1, and 2 at the full training folds.
    return HyperbandSearch(estimator, space, random_state=random_state, **kwargs)


@register("BayesSearch")
def _bayes(estimator, space, random_state=0, **kwargs):
    return BayesSearch(estimator, space, n_iter=6, n_initial_points=3,
                       random_state=random_state, **kwargs)
