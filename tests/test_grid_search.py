"""GridSearch: GridSearchCV's exhaustive search, with distributions as grids."""

import numpy as np
import pytest
from scipy import stats
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.datasets import load_iris, make_regression
from sklearn.model_selection import GridSearchCV, ParameterGrid
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sktune import GridSearch
from sktune.distributions import Beta, Categorical, Integer, LogUniform, Normal, Uniform
from sktune.search import expand_grid

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


def _column(search, name):
    return [p[name] for p in search.cv_results_["params"]]


def test_loguniform_gives_log_spaced_values():
    search = GridSearch(Constant(), {"a": LogUniform(1e-3, 1e3)}, n_points=7, cv=2).fit(X, y)
    values = _column(search, "a")
    assert values == [0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0]
    assert all(type(v) is float for v in values)
    # evenly spaced in log, not in value
    assert np.allclose(np.diff(np.log10(values)), 1.0)


@pytest.mark.parametrize("n_points", [2, 3, 5, 9])
def test_grid_of_each_distribution_has_n_points_in_its_support(n_points):
    space = {"a": LogUniform(0.5, 8.0)}
    values = _column(GridSearch(Constant(), space, n_points=n_points, cv=2).fit(X, y), "a")
    assert len(values) == n_points
    assert values[0] == 0.5 and values[-1] == 8.0
    ratios = np.array(values[1:]) / np.array(values[:-1])
    assert np.allclose(ratios, ratios[0])


def test_uniform_normal_and_beta_grids():
    space = {"a": Uniform(0, 10), "b": Normal(0, 1), "c": Beta(2, 2, low=0, high=4)}
    search = GridSearch(Constant(), space, n_points=3, cv=2).fit(X, y)
    assert sorted(set(_column(search, "a"))) == [0.0, 5.0, 10.0]
    # unbounded: centres of three equal-probability slices, symmetric about mu
    b = sorted(set(_column(search, "b")))
    assert len(b) == 3 and b[1] == 0.0 and b[0] == pytest.approx(-b[2])
    assert b[2] == pytest.approx(stats.norm.ppf(5 / 6))
    # bounded Beta: the bounds and the median
    assert sorted(set(_column(search, "c"))) == [0.0, 2.0, 4.0]
    assert len(search.cv_results_["params"]) == 27


@pytest.mark.parametrize(
    "dist, n_points, expected",
    [
        (Integer(1, 1000, log=True), 4, [1, 10, 100, 1000]),
        (Integer(1, 3), 5, [1, 2, 3]),
        (Integer(0, 100), 3, [0, 50, 100]),
        (stats.randint(1, 4), 10, [1, 2, 3]),
        (stats.uniform(0, 2), 3, [0.0, 1.0, 2.0]),
        (stats.loguniform(1e-2, 1e2), 5, [0.01, 0.1, 1.0, 10.0, 100.0]),
    ],
    ids=repr,
)
def test_integer_and_scipy_distributions(dist, n_points, expected):
    search = GridSearch(Constant(), {"a": dist}, n_points=n_points, cv=2).fit(X, y)
    values = _column(search, "a")
    assert values == pytest.approx(expected)
    if isinstance(expected[0], int):
        assert all(type(v) is int for v in values)


def test_categorical_keeps_its_objects_and_order():
    est = SVC()
    space = {"a": Categorical(["rbf", None, est]), "b": Categorical(["x", "y"], weights=[9, 1])}
    search = GridSearch(Constant(), space, n_points=5, cv=2).fit(X, y)
    a = _column(search, "a")
    # ParameterGrid order: the last name varies fastest; the very objects given
    assert a == ["rbf", "rbf", None, None, est, est]
    assert a[4] is est and a[5] is est
    # a rare choice still belongs to the grid
    assert _column(search, "b") == ["x", "y"] * 3


def test_categorical_with_fewer_points_than_choices_keeps_at_most_n_points():
    space = {"a": Categorical(["p", "q", "r", "s"])}
    values = _column(GridSearch(Constant(), space, n_points=2, cv=2).fit(X, y), "a")
    assert 1 <= len(values) <= 2 and set(values) <= {"p", "q", "r", "s"}


def test_lists_are_untouched():
    values = [0.3, 0.1, 2, "auto", None]
    search = GridSearch(Constant(), {"a": values}, n_points=2, cv=2).fit(X, y)
    assert _column(search, "a") == values
    assert [type(v) for v in _column(search, "a")] == [type(v) for v in values]


def test_expand_grid_leaves_lists_and_structure_alone():
    grid = [{"a": [3, 1, 2], "b": LogUniform(1, 100)}, {"c": ("x",)}]
    assert expand_grid(grid, 3) == [{"a": [3, 1, 2], "b": [1.0, 10.0, 100.0]}, {"c": ("x",)}]
    assert grid[0]["b"] == LogUniform(1, 100), "the argument is not modified"


def test_mixed_lists_and_distributions_in_a_list_of_grids():
    grid = [
        {"a": ["lin"], "b": LogUniform(0.1, 10)},
        {"a": ["rbf"], "b": [1.0], "c": Integer(1, 3)},
    ]
    search = GridSearch(Constant(), grid, n_points=3, cv=2).fit(X, y)
    assert search.cv_results_["params"] == [
        {"a": "lin", "b": 0.1},
        {"a": "lin", "b": 1.0},
        {"a": "lin", "b": 10.0},
        {"a": "rbf", "b": 1.0, "c": 1},
        {"a": "rbf", "b": 1.0, "c": 2},
        {"a": "rbf", "b": 1.0, "c": 3},
    ]


def test_n_points_does_not_touch_lists():
    for n_points in (1, 2, 10):
        search = GridSearch(Constant(), {"a": [1, 2, 3, 4]}, n_points=n_points, cv=2)
        assert _column(search.fit(X, y), "a") == [1, 2, 3, 4]


# --------------------------------------------------------------------------
# identical to GridSearchCV on a list grid
# --------------------------------------------------------------------------

_TIMING = ("mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time")


def _assert_same_results(ours, theirs):
    a, b = ours.cv_results_, theirs.cv_results_
    assert set(a) == set(b)
    for key in b:
        if key in _TIMING:
            continue
        if key == "params":
            assert a[key] == b[key]
        elif isinstance(b[key], np.ma.MaskedArray):
            assert list(a[key]) == list(b[key]), key
            np.testing.assert_array_equal(np.ma.getmaskarray(a[key]), np.ma.getmaskarray(b[key]))
        else:
            np.testing.assert_allclose(a[key], b[key], err_msg=key)
    assert ours.best_index_ == theirs.best_index_
    assert ours.best_params_ == theirs.best_params_
    assert ours.best_score_ == theirs.best_score_
    assert ours.n_splits_ == theirs.n_splits_


@pytest.mark.parametrize(
    "grid",
    [
        {"svc__C": [0.1, 1, 10], "svc__kernel": ["linear", "rbf"]},
        [
            {"svc__kernel": ["linear"], "svc__C": [0.5, 5]},
            {"svc__kernel": ["rbf"], "svc__gamma": [0.01, 0.1, "scale"], "svc__C": [1]},
        ],
        {"svc__C": np.array([0.5, 2.0]), "scale__with_std": [True, False]},
    ],
    ids=["dict", "list-of-dicts", "array-values"],
)
def test_results_identical_to_grid_search_cv(grid):
    Xc, yc = load_iris(return_X_y=True)
    pipe = Pipeline([("scale", StandardScaler()), ("svc", SVC())])
    kwargs = dict(cv=3, return_train_score=True, scoring=["accuracy", "f1_macro"],
                  refit="f1_macro")
    ours = GridSearch(pipe, grid, **kwargs).fit(Xc, yc)
    theirs = GridSearchCV(pipe, grid, **kwargs).fit(Xc, yc)
    _assert_same_results(ours, theirs)
    np.testing.assert_array_equal(ours.predict(Xc), theirs.predict(Xc))


def test_distribution_grid_equals_grid_search_cv_on_its_expansion():
    Xc, yc = load_iris(return_X_y=True)
    space = {"C": LogUniform(1e-2, 1e2), "kernel": ["linear", "rbf"]}
    ours = GridSearch(SVC(), space, n_points=5, cv=3).fit(Xc, yc)
    expanded = {"C": [0.01, 0.1, 1.0, 10.0, 100.0], "kernel": ["linear", "rbf"]}
    theirs = GridSearchCV(SVC(), expanded, cv=3).fit(Xc, yc)
    _assert_same_results(ours, theirs)
    assert list(ParameterGrid(expanded)) == ours.cv_results_["params"]
    assert ours.search_space_.names == ["C", "kernel"]
