"""RandomSearch: RandomizedSearchCV's draws without repeats, and quasi-random designs."""

import warnings

import numpy as np
import pytest
from scipy import stats
from scipy.stats import qmc
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.datasets import make_regression
from sklearn.linear_model import Ridge
from sklearn.model_selection import ParameterSampler, RandomizedSearchCV

from sktune import RandomSearch
from sktune.distributions import Categorical, Integer, LogUniform, Normal, Uniform
from sktune.search import draw_unique
from sktune.space import SearchSpace, candidate_key

X, y = make_regression(n_samples=40, n_features=3, noise=1.0, random_state=0)


class Constant(RegressorMixin, BaseEstimator):
    """Fits in microseconds; its parameters only travel through the search."""

    def __init__(self, a=None, b=None, c=None):
        self.a = a
        self.b = b
        self.c = c

    def fit(self, X, y):
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_)


def _keys(params):
    return [candidate_key(p) for p in params]


# --------------------------------------------------------------------------
# the same draws as RandomizedSearchCV
# --------------------------------------------------------------------------

MIXED = {
    "alpha": stats.loguniform(1e-3, 1e2),
    "fit_intercept": [True, False],
    "solver": ["auto", "svd", "cholesky", "lsqr"],
    "max_iter": stats.randint(100, 1000),
}
LISTS = {
    "alpha": [0.01, 0.1, 1.0, 10.0],
    "fit_intercept": [True, False],
    "solver": ["auto", "svd", "cholesky"],
}
CONDITIONAL = [
    {"alpha": stats.uniform(0.1, 5), "solver": ["svd", "cholesky"]},
    {"alpha": [0.5, 1.5], "solver": ["lsqr"], "tol": stats.loguniform(1e-5, 1e-2)},
]


@pytest.mark.parametrize(
    "space", [MIXED, LISTS, CONDITIONAL], ids=["mixed", "lists", "lists-of-dicts"]
)
@pytest.mark.parametrize("seed", [0, 1, 42])
def test_same_candidates_as_randomized_search_cv(space, seed):
    kwargs = dict(n_iter=7, cv=2, random_state=seed)
    ours = RandomSearch(Ridge(), space, **kwargs).fit(X, y)
    theirs = RandomizedSearchCV(Ridge(), space, **kwargs).fit(X, y)
    assert ours.cv_results_["params"] == theirs.cv_results_["params"]
    for key in ("mean_test_score", "split0_test_score", "rank_test_score"):
        np.testing.assert_allclose(ours.cv_results_[key], theirs.cv_results_[key])
    assert ours.best_params_ == theirs.best_params_


def test_random_state_instance_is_consumed_like_sklearn():
    # a RandomState instance is advanced in place by both, identically
    rs_ours, rs_theirs = np.random.RandomState(3), np.random.RandomState(3)
    for _ in range(2):
        ours = RandomSearch(Ridge(), MIXED, n_iter=3, cv=2, random_state=rs_ours).fit(X, y)
        theirs = RandomizedSearchCV(Ridge(), MIXED, n_iter=3, cv=2, random_state=rs_theirs)
        assert ours.cv_results_["params"] == theirs.fit(X, y).cv_results_["params"]


# --------------------------------------------------------------------------
# no duplicates
# --------------------------------------------------------------------------

REPEATING = {"a": ["x", "y", "z"], "b": stats.bernoulli(0.5)}


def _first_distinct(params, n):
    out, seen = [], set()
    for p in params:
        if candidate_key(p) not in seen:
            seen.add(candidate_key(p))
            out.append(p)
    return out[:n]


def test_never_evaluates_a_duplicate_where_sklearn_repeats():
    n_iter, repeated = 4, 0
    for seed in range(10):
        sklearn_draws = list(ParameterSampler(REPEATING, n_iter, random_state=seed))
        repeated += len(set(_keys(sklearn_draws))) < n_iter
        search = RandomSearch(Constant(), REPEATING, n_iter=n_iter, cv=2, random_state=seed)
        params = search.fit(X, y).cv_results_["params"]
        assert len(params) == n_iter
        assert len(set(_keys(params))) == n_iter, params
        # the same stream as sklearn's, with each repeat skipped
        longer = ParameterSampler(REPEATING, 50, random_state=seed)
        assert params == _first_distinct(longer, n_iter)
    # six candidates, four draws: sklearn repeats one for most seeds
    assert repeated >= 5


@pytest.mark.parametrize("sampler", ["random", "sobol", "lhs"])
def test_no_duplicates_with_any_sampler(sampler):
    space = {"a": Integer(1, 4), "b": ["x", "y"], "c": Uniform(0, 1)}
    space_small = {"a": Integer(1, 4), "b": ["x", "y"], "c": [True, False]}
    for sp, n_iter in ((space, 20), (space_small, 12)):
        search = RandomSearch(Constant(), sp, n_iter=n_iter, sampler=sampler, cv=2, random_state=0)
        params = search.fit(X, y).cv_results_["params"]
        assert len(params) == n_iter
        assert len(set(_keys(params))) == n_iter


# --------------------------------------------------------------------------
# a space smaller than n_iter
# --------------------------------------------------------------------------


@pytest.mark.parametrize("sampler", ["random", "sobol", "lhs"])
@pytest.mark.parametrize(
    "space, size",
    [
        ({"a": ["x", "y"], "b": stats.bernoulli(0.3)}, 4),
        ({"a": Integer(1, 3), "b": Categorical(["p", "q"], weights=[0.9, 0.1])}, 6),
        ([{"a": [1, 2]}, {"b": stats.randint(0, 3), "c": [None]}], 5),
    ],
    ids=["list-bernoulli", "integer-weighted", "conditional"],
)
def test_small_discrete_space_is_evaluated_whole_with_a_warning(space, size, sampler):
    search = RandomSearch(Constant(), space, n_iter=10, sampler=sampler, cv=2, random_state=0)
    with pytest.warns(
        UserWarning,
        match=rf"The search space of RandomSearch holds only {size} distinct candidates, "
        rf"fewer than n_iter=10; evaluating all {size} of them\.",
    ):
        search.fit(X, y)
    params = search.cv_results_["params"]
    assert len(params) == size == len(set(_keys(params)))


def test_no_warning_when_the_space_is_just_large_enough():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        search = RandomSearch(Constant(), {"a": [1, 2], "b": stats.bernoulli(0.5)}, n_iter=4, cv=2)
        assert len(search.fit(X, y).cv_results_["params"]) == 4


@pytest.mark.parametrize(
    "space",
    [
        {"a": [1, 2, 3]},
        # 20 values, but 1000 draws give the first one only
        {"a": Categorical(list(range(20)), weights=[1.0] + [1e-15] * 19)},
    ],
    ids=["fewer-than-n_iter", "no-more-in-many-draws"],
)
def test_draw_unique_leaves_the_warning_to_a_caller_that_asks(space):
    # HyperbandSearch says what a small space does to its brackets itself
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        drawn = draw_unique(SearchSpace(space), 10, "random", np.random.RandomState(0),
                            warn=False)
    assert len(drawn) < 10 and len(drawn) == len(set(_keys(drawn)))
    with pytest.warns(UserWarning, match="distinct candidates"):
        draw_unique(SearchSpace(space), 10, "random", np.random.RandomState(0))


# --------------------------------------------------------------------------
# quasi-random designs
# --------------------------------------------------------------------------


def _unit_values(search):
    return search.search_space_.encode(search.cv_results_["params"])


def _max_gap(u):
    u = np.sort(u)
    return max(np.max(np.diff(u)), u[0], 1 - u[-1])


def test_sobol_and_lhs_cover_a_loguniform_better_than_random():
    n_iter, seeds = 16, range(6)
    gap = {s: [] for s in ("random", "sobol", "lhs")}
    disc = {s: [] for s in gap}
    for sampler in gap:
        for seed in seeds:
            search = RandomSearch(
                Constant(), {"a": LogUniform(1e-4, 1e2)}, n_iter=n_iter, sampler=sampler,
                cv=2, random_state=seed,
            ).fit(X, y)
            u = _unit_values(search)
            assert u.shape == (n_iter, 1)
            gap[sampler].append(_max_gap(u[:, 0]))
            disc[sampler].append(qmc.discrepancy(u))
    # One point in each of the 16 equal slices of the quantile axis: no gap
    # can exceed two slices. Uniform draws leave a gap of about
    # H_16 / 16 ~ 0.21 on average (the largest of 17 spacings).
    assert max(gap["sobol"]) < 2 / n_iter
    assert max(gap["lhs"]) < 2 / n_iter
    assert np.mean(gap["random"]) > 1.5 * max(np.mean(gap["sobol"]), np.mean(gap["lhs"]))
    assert np.mean(disc["sobol"]) < np.mean(disc["random"])
    assert np.mean(disc["lhs"]) < np.mean(disc["random"])


def test_sobol_draws_no_scipy_warning_and_is_seeded():
    space = {"a": LogUniform(1e-3, 1), "b": Normal(0, 1), "c": ["x", "y", "z"]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # scipy warns when n is not a power of two
        runs = [
            RandomSearch(Constant(), space, n_iter=10, sampler="sobol", cv=2, random_state=s)
            .fit(X, y).cv_results_["params"]
            for s in (5, 5, 6)
        ]
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


@pytest.mark.parametrize("sampler", ["sobol", "lhs"])
def test_quasi_random_candidates_lie_in_the_supports(sampler):
    space = {"a": LogUniform(1e-3, 1e3), "b": Integer(2, 9, log=True), "c": Normal(0, 1, low=0)}
    search = RandomSearch(Constant(), space, n_iter=32, sampler=sampler, cv=2, random_state=0)
    params = search.fit(X, y).cv_results_["params"]
    assert all(1e-3 <= p["a"] <= 1e3 for p in params)
    assert all(type(p["b"]) is int and 2 <= p["b"] <= 9 for p in params)
    assert all(0 <= p["c"] < np.inf for p in params)
    # 32 balanced points visit all eight integers
    assert {p["b"] for p in params} == set(range(2, 10))


def test_search_space_attribute_and_n_iter():
    search = RandomSearch(Constant(), {"a": Uniform(0, 1)}, n_iter=5, cv=2, random_state=0)
    search.fit(X, y)
    assert search.search_space_.names == ["a"]
    assert len(search.cv_results_["params"]) == 5
    assert search.n_iter == 5 and search.param_distributions == {"a": Uniform(0, 1)}


def test_a_list_that_repeats_a_value_weights_it_and_is_never_repeated():
    # [1, 1, 1, 2]: RandomizedSearchCV draws 1 three times in four, and the
    # repeats used to come back as repeated candidates (issue 17)
    space = {"a": [1, 1, 1, 2]}
    firsts = []
    for seed in range(20):
        both = RandomSearch(Constant(), space, n_iter=2, cv=2, random_state=seed).fit(X, y)
        assert sorted(p["a"] for p in both.cv_results_["params"]) == [1, 2]
        one = RandomSearch(Constant(), space, n_iter=1, cv=2, random_state=seed).fit(X, y)
        firsts.append(one.cv_results_["params"][0]["a"])
    assert 11 <= firsts.count(1) <= 19
