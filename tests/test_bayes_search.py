"""BayesSearch: the search meta-estimator around BayesOptimizer."""

import pickle

import numpy as np
import pytest
import test_estimator_checks
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_iris, make_classification
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import parametrize_with_checks

from sktune import BayesSearch, RandomSearch
from sktune.distributions import Integer, LogUniform, Uniform

X, y = load_iris(return_X_y=True)
SPACE = {"C": LogUniform(1e-3, 1e3), "gamma": LogUniform(1e-4, 1e1)}
EXTRA = ["iter", "initial_design", "surrogate_mean", "surrogate_std", "acquisition_value",
         "suggest_time"]


def _search(**kwargs):
    params = {"n_iter": 8, "n_initial_points": 3, "cv": 3, "random_state": 0, **kwargs}
    return BayesSearch(SVC(), SPACE, **params)


def test_fit_records_the_extra_columns_per_candidate():
    search = _search(batch_size=2).fit(X, y)
    res = search.cv_results_
    assert len(res["params"]) == 8
    for key in EXTRA:
        assert len(res[key]) == 8, key
    np.testing.assert_array_equal(res["iter"], [0, 0, 0, 1, 1, 2, 2, 3])
    np.testing.assert_array_equal(res["initial_design"], [True] * 3 + [False] * 5)
    model = ~res["initial_design"]
    assert np.isnan(res["surrogate_mean"][~model]).all()
    assert np.isfinite(res["surrogate_mean"][model]).all()
    assert (res["surrogate_std"][model] > 0).all()
    assert np.isfinite(res["acquisition_value"][model]).all()
    assert (res["suggest_time"] >= 0).all()
    assert search.batch_size_ == 2
    np.testing.assert_array_equal(search.optimizer_.y_, res["mean_test_score"])


def test_same_random_state_same_candidates():
    a = _search().fit(X, y).cv_results_["params"]
    b = _search().fit(X, y).cv_results_["params"]
    c = _search(random_state=1).fit(X, y).cv_results_["params"]
    assert a == b and a != c


@pytest.mark.parametrize("backend", ["loky", "threading"])
def test_results_do_not_depend_on_n_jobs_or_backend_for_a_given_batch_size(backend):
    from joblib import parallel_backend

    serial = _search(batch_size=3, n_jobs=1).fit(X, y).cv_results_
    with parallel_backend(backend):
        parallel = _search(batch_size=3, n_jobs=2).fit(X, y).cv_results_
    assert serial["params"] == parallel["params"]
    np.testing.assert_allclose(serial["mean_test_score"], parallel["mean_test_score"])


@pytest.mark.parametrize(("n_jobs", "cv", "expected"), [(None, 3, 1), (1, 5, 1), (4, 3, 2),
                                                         (7, 3, 3)])
@pytest.mark.slow
def test_default_batch_size_keeps_every_worker_busy(n_jobs, cv, expected):
    search = _search(n_jobs=n_jobs, cv=cv, n_iter=4)
    search.fit(X, y)
    assert search.batch_size_ == expected


def test_beats_random_search_on_a_narrow_optimum():
    # a 4-d space where only a small corner is good
    Xc, yc = make_classification(n_samples=300, n_features=10, random_state=0)
    space = {"C": LogUniform(1e-4, 1e4), "gamma": LogUniform(1e-5, 1e2)}
    bayes = BayesSearch(SVC(), space, n_iter=20, cv=3, random_state=0).fit(Xc, yc)
    rand = RandomSearch(SVC(), space, n_iter=20, cv=3, random_state=0).fit(Xc, yc)
    assert bayes.best_score_ > rand.best_score_


def test_conditional_space_and_pipeline():
    space = [
        {"svc__kernel": ["rbf"], "svc__C": LogUniform(1e-2, 1e2),
         "svc__gamma": LogUniform(1e-3, 1e0)},
        {"svc__kernel": ["linear"], "svc__C": LogUniform(1e-2, 1e2)},
    ]
    search = BayesSearch(make_pipeline(StandardScaler(), SVC()), space, n_iter=8, cv=3,
                         random_state=0).fit(X, y)
    kernels = {p["svc__kernel"] for p in search.cv_results_["params"]}
    assert kernels == {"rbf", "linear"}
    for p in search.cv_results_["params"]:
        assert ("svc__gamma" in p) == (p["svc__kernel"] == "rbf")


@pytest.mark.slow
def test_multimetric_optimizes_the_refit_metric():
    scoring = {"acc": "accuracy", "nll": "neg_log_loss"}
    search = BayesSearch(LogisticRegression(max_iter=500), {"C": LogUniform(1e-4, 1e2)},
                         n_iter=6, n_initial_points=3, cv=3, scoring=scoring, refit="nll",
                         random_state=0).fit(X, y)
    np.testing.assert_array_equal(search.optimizer_.y_, search.cv_results_["mean_test_nll"])


class _FailsAboveHalf(ClassifierMixin, BaseEstimator):
    def __init__(self, x=0.1):
        self.x = x

    def fit(self, X, y):
        if self.x > 0.5:
            raise ValueError("diverged")
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y):
        return 1.0 - abs(self.x - 0.3)


def test_failed_fits_are_bad_observations_not_crashes():
    with pytest.warns(FitFailedWarning, match="fits failed"):
        search = BayesSearch(_FailsAboveHalf(), {"x": Uniform(0, 1)}, n_iter=10,
                             n_initial_points=4, cv=2, random_state=0).fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert np.isnan(scores).any()
    assert np.isnan(search.optimizer_.y_).sum() == np.isnan(scores).sum()
    assert abs(search.best_params_["x"] - 0.3) < 0.1


def test_a_round_whose_only_candidate_fails_does_not_stop_the_search():
    # scikit-learn raises when every fit of one evaluate_candidates call fails;
    # a model round of one candidate must not turn that into a crash
    est = _FailsAboveHalf()
    space = {"x": Uniform(0.45, 1.0)}  # fails for x > 0.5: most of the space
    with pytest.warns(FitFailedWarning):
        search = BayesSearch(est, space, n_iter=6, n_initial_points=3, batch_size=1, cv=2,
                             random_state=0).fit(X, y)
    res = search.cv_results_
    assert len(res["params"]) == 6
    # rounds after the first hold one candidate each; some of them failed
    assert np.isnan(res["mean_test_score"][res["iter"] >= 1]).any()


def test_a_search_whose_every_fit_fails_still_raises():
    # every round runs (a later one might succeed), then the error counts
    # all 4 candidates x 2 folds
    with pytest.raises(ValueError, match="All the 8 fits failed"):
        BayesSearch(_FailsAboveHalf(), {"x": Uniform(0.6, 1.0)}, n_iter=4, n_initial_points=3,
                    cv=2, random_state=0).fit(X, y)


def test_small_finite_space_is_evaluated_once_each_with_a_warning():
    with pytest.warns(UserWarning, match=r"holds only 6 distinct candidates, fewer than "
                                         r"n_iter=10"):
        search = BayesSearch(SVC(), {"C": [0.1, 1.0, 10.0], "kernel": ["rbf", "linear"]},
                             n_iter=10, cv=3, random_state=0).fit(X, y)
    params = search.cv_results_["params"]
    assert len(params) == 6
    assert len({tuple(sorted(p.items())) for p in params}) == 6


def test_integer_parameters_come_back_as_ints_and_never_repeat():
    from sklearn.neighbors import KNeighborsClassifier

    search = BayesSearch(KNeighborsClassifier(), {"n_neighbors": Integer(1, 12)}, n_iter=12,
                         cv=3, random_state=0).fit(X, y)
    values = [p["n_neighbors"] for p in search.cv_results_["params"]]
    assert all(type(v) is int for v in values)
    assert sorted(values) == list(range(1, 13))


def test_clone_pickle_and_matches_cross_val_score():
    search = _search(n_iter=5).fit(X, y)
    again = pickle.loads(pickle.dumps(search))
    np.testing.assert_array_equal(again.predict(X), search.predict(X))
    assert clone(search).get_params()["n_iter"] == 5
    best = SVC(**search.best_params_)
    np.testing.assert_allclose(cross_val_score(best, X, y, cv=3).mean(), search.best_score_)


@pytest.mark.parametrize(
    ("param", "value", "match"),
    [
        ("n_iter", 0, r"The 'n_iter' parameter of BayesSearch must be an int in the range "
                      r"\[1, inf\)\. Got 0 instead"),
        ("n_initial_points", 0, r"The 'n_initial_points' parameter of BayesSearch must be an "
                                r"int in the range \[1, inf\) or None\. Got 0 instead"),
        ("batch_size", "auto", r"The 'batch_size' parameter of BayesSearch must be an int in "
                               r"the range \[1, inf\) or None\. Got 'auto' instead"),
    ],
)
def test_invalid_parameters_are_rejected(param, value, match):
    with pytest.raises(InvalidParameterError, match=match):
        _search(**{param: value}).fit(X, y)


def test_unknown_parameter_name_is_rejected_before_fitting():
    with pytest.raises(ValueError, match=r"Invalid parameter 'bogus' in the search space of "
                                         r"BayesSearch for estimator SVC"):
        BayesSearch(SVC(), {"bogus": Uniform(0, 1)}, n_iter=3).fit(X, y)


# its slow ones are marked by conftest.py, as in test_estimator_checks.py
SLOW_CHECKS = test_estimator_checks.SLOW_CHECKS


@parametrize_with_checks([
    BayesSearch(LogisticRegression(), {"C": LogUniform(1e-2, 1e2)}, n_iter=3,
                n_initial_points=2, cv=2, random_state=0),
])
def test_sklearn_compatible(estimator, check):
    check(estimator)
