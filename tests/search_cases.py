"""One factory per search class, so contract tests run on every class.

Each factory takes ``(estimator, space, **kwargs)`` and returns an unfitted
search with a small budget; ``kwargs`` are BaseSearchCV arguments (``cv``,
``scoring``, ``n_jobs``, ``refit``, ``error_score``...) plus ``random_state``.
A new search class registers itself here and gets the contract tests free.
"""

from sktune import GridSearch, RandomSearch

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
