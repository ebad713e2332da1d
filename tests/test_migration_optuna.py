"""Coming from Optuna's OptunaSearchCV (optuna-integration) (issue 16).

What users of ``OptunaSearchCV`` write, in our own words, run on
:class:`sktune.BayesSearch` (and the other searches where a habit concerns
them too): distributions from ``optuna.distributions`` themselves, an empty
space, unsupervised estimators fitted without ``y``, ``n_trials``
(``n_iter`` here), ``timeout`` (``max_time``), failed trials that do not
stop the study, ``error_score``, fit parameters, ``refit=False`` with a
custom scorer, a single predefined split, the methods a fitted search
exposes, and a study kept in storage (``checkpoint`` here).

Where sktune differs on purpose, the test pins sktune's behaviour and its
docstring says why (docs/comparison.rst, "Coming from Optuna").
"""

import time
import warnings

import numpy as np
import pytest
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.datasets import load_iris, make_blobs, make_regression
from sklearn.decomposition import PCA
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import make_scorer, r2_score
from sklearn.model_selection import PredefinedSplit
from sklearn.neighbors import KernelDensity
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeRegressor

from sktune import BayesSearch, Categorical, GridSearch, Integer, LogUniform, RandomSearch

X_IRIS, Y_IRIS = load_iris(return_X_y=True)
X_BLOBS, Y_BLOBS = make_blobs(n_samples=60, centers=3, random_state=0)


def _bayes(estimator, space, **kwargs):
    params = dict(n_iter=6, n_initial_points=4, cv=3, random_state=0)
    return BayesSearch(estimator, space, **{**params, **kwargs})


OPTUNA_SPACE = {
    "C": FloatDistribution(1e-3, 1e3, log=True),
    "degree": IntDistribution(1, 5),
    "kernel": CategoricalDistribution(["rbf", "poly"]),
}
SKTUNE_SPACE = {
    "C": LogUniform(1e-3, 1e3),
    "degree": Integer(1, 5),
    "kernel": Categorical(["rbf", "poly"]),
}


def test_optuna_distributions_search_like_their_sktune_equivalents():
    # Fails today: TypeError, an optuna distribution is not a distribution.
    theirs = _bayes(SVC(), OPTUNA_SPACE).fit(X_IRIS, Y_IRIS)
    mine = _bayes(SVC(), SKTUNE_SPACE).fit(X_IRIS, Y_IRIS)
    assert theirs.cv_results_["params"] == mine.cv_results_["params"]


@pytest.mark.parametrize("search_class", [RandomSearch, GridSearch])
def test_optuna_distributions_in_the_random_and_grid_searches(search_class):
    # one space for every strategy: a log FloatDistribution is LogUniform
    space = {"C": FloatDistribution(1e-2, 1e2, log=True)}
    if search_class is GridSearch:
        search = GridSearch(SVC(), space, n_points=3, cv=3)
    else:
        search = RandomSearch(SVC(), space, n_iter=4, cv=3, random_state=0)
    search.fit(X_IRIS, Y_IRIS)
    values = [p["C"] for p in search.cv_results_["params"]]
    if search_class is GridSearch:
        np.testing.assert_allclose(values, [1e-2, 1.0, 1e2])
    assert all(1e-2 <= v <= 1e2 for v in values)


@pytest.mark.parametrize(
    "distribution, allowed",
    [
        (FloatDistribution(0.25, 1.0, step=0.25), {0.25, 0.5, 0.75, 1.0}),
        (IntDistribution(1, 9, step=2), {1, 3, 5, 7, 9}),
        (IntDistribution(1, 64, log=True), set(range(1, 65))),
    ],
    ids=["float-step", "int-step", "int-log"],
)
def test_stepped_and_log_optuna_distributions_keep_their_values(distribution, allowed):
    # a stepped range is a list of values: each is checked against the
    # estimator's constraints before any fit, so the float case tunes a
    # parameter whose floats are fractions
    name = "max_features" if isinstance(distribution, FloatDistribution) else "min_samples_leaf"
    search = RandomSearch(DecisionTreeRegressor(random_state=0), {name: distribution},
                          n_iter=4, cv=3, random_state=0, error_score=np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FitFailedWarning)  # 0.0 leaves are invalid
        search.fit(*make_regression(n_samples=60, n_features=3, random_state=0))
    assert {p[name] for p in search.cv_results_["params"]} <= allowed


@pytest.mark.parametrize("search_class", [BayesSearch, RandomSearch])
def test_an_empty_space_evaluates_the_estimator_as_given(search_class):
    # OptunaSearchCV(est, {}) is common for a baseline. Known defect:
    # BayesSearch crashes ("cannot reshape array of size 0").
    with pytest.warns(UserWarning, match="holds only 1 distinct candidates"):
        search = search_class(LogisticRegression(max_iter=500), {}, n_iter=3, cv=3)
        search.fit(X_IRIS, Y_IRIS)
    assert search.cv_results_["params"] == [{}]
    assert search.best_score_ > 0.9


@pytest.mark.filterwarnings("ignore:The search space of BayesSearch holds only")
def test_unsupervised_estimators_fitted_without_y():
    kde = _bayes(KernelDensity(), {"bandwidth": LogUniform(0.1, 10)}).fit(X_BLOBS)
    assert kde.score_samples(X_BLOBS[:5]).shape == (5,)
    pca = _bayes(PCA(), {"n_components": Integer(1, 2)}).fit(X_BLOBS)
    assert pca.inverse_transform(pca.transform(X_BLOBS)).shape == X_BLOBS.shape


class Sleepy(RegressorMixin, BaseEstimator):
    """Takes ``seconds`` to fit; predicts zero."""

    def __init__(self, seconds=0.05, a=0.0):
        self.seconds = seconds
        self.a = a

    def fit(self, X, y):
        time.sleep(self.seconds)
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        return np.zeros(len(X))


def test_timeout_is_max_time():
    # n_trials=50 with timeout: the search stops once time is up. Each
    # candidate takes 3 x 0.05 s, so 50 of them would take 7.5 s.
    search = _bayes(Sleepy(), {"a": LogUniform(0.1, 10)}, n_iter=50, max_time=0.5)
    search.fit(X_IRIS, Y_IRIS)
    assert search.stop_reason_ == "max_time"
    assert 1 <= len(search.cv_results_["params"]) < 50


@pytest.mark.filterwarnings("ignore:The search space of BayesSearch holds only")
@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_failed_trials_do_not_stop_the_search():
    # optuna-integration's test_no_halt_with_error: max_depth=0 fails
    X, y = make_regression(n_samples=60, n_features=4, random_state=0)
    with pytest.warns(FitFailedWarning):
        search = _bayes(DecisionTreeRegressor(random_state=0),
                        {"max_depth": Integer(0, 3)}).fit(X, y)
    depths = [p["max_depth"] for p in search.cv_results_["params"]]
    assert sorted(depths) == [0, 1, 2, 3]
    assert search.best_params_["max_depth"] > 0
    assert np.isnan(search.cv_results_["mean_test_score"][depths.index(0)])


def test_error_score_raise_and_an_invalid_error_score():
    space = {"max_depth": Integer(0, 3)}
    X, y = make_regression(n_samples=60, n_features=4, random_state=0)
    with pytest.raises(ValueError, match="max_depth"):
        _bayes(DecisionTreeRegressor(), space, error_score="raise").fit(X, y)
    search = _bayes(DecisionTreeRegressor(), space, error_score="invalid error score")
    with pytest.raises(ValueError, match="The 'error_score' parameter of BayesSearch must be"):
        search.fit(X, y)


def test_fit_parameters_reach_the_estimator():
    # OptunaSearchCV(...).fit(X, y, coef_init=...): a wrong shape proves
    # that the array got there, the right one fits.
    space = {"alpha": LogUniform(1e-4, 1e0)}
    search = _bayes(SGDClassifier(max_iter=5, tol=None), space, error_score="raise")
    search.fit(X_BLOBS, Y_BLOBS, coef_init=np.ones((3, 2)))
    with pytest.raises(ValueError, match="Provided ``coef_`` does not match dataset"):
        search.fit(X_BLOBS, Y_BLOBS, coef_init=np.ones((2, 2)))


def test_refit_false_with_a_custom_scorer():
    X, y = make_regression(n_samples=60, n_features=4, random_state=0)
    search = _bayes(DecisionTreeRegressor(random_state=0), {"max_depth": Integer(1, 6)},
                    refit=False, scoring=make_scorer(r2_score)).fit(X, y)
    assert not hasattr(search, "best_estimator_")
    assert search.best_params_ == search.cv_results_["params"][search.best_index_]
    with pytest.raises(AttributeError, match="has no attribute 'predict'") as info:
        search.predict(X)
    assert "initialized with `refit=False`" in str(info.value.__cause__)


def test_a_single_predefined_split():
    fold = np.where(np.arange(len(Y_IRIS)) % 2 == 0, -1, 0)
    search = _bayes(SVC(), {"C": LogUniform(1e-2, 1e2)}, cv=PredefinedSplit(fold))
    search.fit(X_IRIS, Y_IRIS)
    assert search.n_splits_ == 1
    assert len(search.cv_results_["params"]) == 6


def test_the_fitted_search_exposes_the_estimators_methods():
    # OptunaSearchCV's n_trials_ is the number of cv_results_ rows here,
    # best_trial_ is best_index_, trials_ and study_ are cv_results_ and
    # optimizer_.
    search = _bayes(LogisticRegression(max_iter=500), {"C": LogUniform(1e-2, 1e2)})
    search.fit(X_BLOBS, Y_BLOBS)
    assert len(search.cv_results_["params"]) == search.n_iter
    np.testing.assert_array_equal(search.classes_, [0, 1, 2])
    assert search.predict_proba(X_BLOBS).shape == (60, 3)
    assert search.predict_log_proba(X_BLOBS).shape == (60, 3)
    assert search.decision_function(X_BLOBS).shape == (60, 3)
    assert search.score(X_BLOBS, Y_BLOBS) == search.best_estimator_.score(X_BLOBS, Y_BLOBS)
    assert search.optimizer_.X_.shape == (6, 1)


def test_a_stored_study_is_a_checkpoint(tmp_path):
    # OptunaSearchCV(study=optuna.create_study(storage=...)) continues a
    # study; here fitting again with the same checkpoint and a larger
    # n_iter takes the recorded candidates and adds new ones.
    path = tmp_path / "search.db"
    space = {"C": LogUniform(1e-2, 1e2)}
    first = _bayes(SVC(), space, n_iter=4, checkpoint=path).fit(X_IRIS, Y_IRIS)
    more = _bayes(SVC(), space, n_iter=6, checkpoint=path).fit(X_IRIS, Y_IRIS)
    assert more.n_reused_ == 4
    assert more.cv_results_["params"][:4] == first.cv_results_["params"]
    assert len(more.cv_results_["params"]) == 6


def test_the_same_random_state_gives_the_same_candidates():
    first = _bayes(SVC(), SKTUNE_SPACE).fit(X_IRIS, Y_IRIS)
    again = _bayes(SVC(), SKTUNE_SPACE).fit(X_IRIS, Y_IRIS)
    assert first.cv_results_["params"] == again.cv_results_["params"]
