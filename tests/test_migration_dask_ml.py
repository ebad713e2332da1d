"""Coming from dask-ml's HyperbandSearchCV (issue 16).

What users of dask-ml's ``HyperbandSearchCV`` write, in our own words, run
on :class:`sktune.HyperbandSearch` with ``resource="partial_fit"``: an
estimator trained by ``partial_fit`` calls, ``max_iter`` (``max_resources``
here) and ``aggressiveness`` (``eta``), ``fit(X, y, classes=...)``, numpy
arrays and scipy distributions as values, pandas input, one held-out test
set, ``random_state``, and the numbers dask-ml's ``metadata`` announces
before fitting.

Where sktune differs on purpose, the test pins sktune's behaviour and its
docstring says why (docs/comparison.rst, "Coming from dask-ml").
"""

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from migration_cases import TestFoldRecorder, iris_with_row_ids
from sklearn.base import BaseEstimator, clone
from sklearn.datasets import load_iris
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import ShuffleSplit, cross_val_score
from sklearn.preprocessing import StandardScaler

from sktune import HyperbandSearch
from sktune.distributions import LogUniform
from sktune.optimizers import HyperbandSchedule

X_IRIS, Y_IRIS = load_iris(return_X_y=True)
X_IRIS = StandardScaler().fit_transform(X_IRIS)
SGD_SPACE = {
    "alpha": np.logspace(-4, 0, num=100),
    "loss": ["hinge", "log_loss", "modified_huber"],
    "average": [True, False],
}


class ConstantScore(BaseEstimator):
    """Scores its ``value``; counts its ``partial_fit`` calls in ``CALLS``.

    The counter is a class attribute, so run it with ``n_jobs=None``: the
    fits then run in this process.
    """

    CALLS = []

    def __init__(self, value=0.5):
        self.value = value

    def partial_fit(self, X, y=None):
        ConstantScore.CALLS.append(self.value)
        self.n_calls_ = getattr(self, "n_calls_", 0) + 1
        return self

    def fit(self, X, y=None):
        return self.partial_fit(X, y)

    def score(self, X, y=None):
        return self.value


def _sgd_search(**kwargs):
    params = dict(
        estimator=SGDClassifier(tol=None, random_state=0), param_distributions=SGD_SPACE,
        resource="partial_fit", max_resources=9, eta=3, cv=2, random_state=0,
    )
    return HyperbandSearch(**{**params, **kwargs})


def test_fit_with_classes_as_in_dask_ml():
    # dask-ml's own usage: search.fit(X, y, classes=np.unique(y)).
    # Known defect: "got multiple values for keyword argument 'classes'".
    search = _sgd_search(error_score="raise")
    search.fit(X_IRIS, Y_IRIS, classes=np.unique(Y_IRIS))
    assert type(search.best_estimator_) is SGDClassifier
    assert search.score(X_IRIS, Y_IRIS) == search.best_estimator_.score(X_IRIS, Y_IRIS)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_classes_are_optional_and_pandas_input_is_accepted():
    # Deliberate difference: sktune hands every class to the first
    # partial_fit call itself, so classes= need not be given.
    X = pd.DataFrame(X_IRIS, columns=[f"f{i}" for i in range(4)])
    y = pd.Series(Y_IRIS)
    search = _sgd_search(error_score="raise").fit(X, y)
    np.testing.assert_array_equal(search.best_estimator_.classes_, [0, 1, 2])
    assert list(search.feature_names_in_) == list(X.columns)
    assert search.predict(X.iloc[:4]).shape == (4,)


@pytest.mark.parametrize("max_iter, n_models", [(9, 17), (27, 49), (81, 143)])
def test_the_schedule_known_before_fitting_has_dask_mls_model_counts(max_iter, n_models):
    # dask-ml's metadata["n_models"] for max_iter=9, 27, 81 and
    # aggressiveness=3 (its tests pin 17, 49 and 143). Deliberate
    # difference: a fitted search's schedule_ is a fitted attribute, and the
    # same schedule is known before fitting from HyperbandSchedule.
    schedule = HyperbandSchedule.from_resources(1, max_iter, eta=3)
    assert schedule.n_candidates == n_models
    search = HyperbandSearch(
        ConstantScore(), {"value": np.linspace(0, 1, 200)}, resource="partial_fit",
        max_resources=max_iter, cv=2, random_state=0,
    )
    assert not hasattr(search, "schedule_")
    if max_iter == 9:
        search.fit(X_IRIS, Y_IRIS)
        assert search.schedule_ == schedule


def test_aggressiveness_is_eta():
    # dask-ml's brackets for max_iter=30, aggressiveness=4: 16 models from 1
    # call, 6 from 7 calls, 3 from 30 calls
    schedule = HyperbandSchedule.from_resources(1, 30, eta=4)
    starts = [(b.n_candidates, b.rungs[0].n_resources) for b in schedule.brackets]
    assert starts == [(16, 1), (6, 7), (3, 30)]


def test_promoted_models_continue_their_training():
    # dask-ml's metadata["partial_fit_calls"] for max_iter=9 is 69: a
    # promoted model is trained on, not from scratch. sktune does the same
    # per cross-validation split, plus the refit's 9 calls.
    ConstantScore.CALLS.clear()
    search = HyperbandSearch(
        ConstantScore(), {"value": np.linspace(0, 1, 200)}, resource="partial_fit",
        max_resources=9, cv=2, random_state=0,
    ).fit(X_IRIS, Y_IRIS)
    assert len(ConstantScore.CALLS) == 69 * 2 + 9
    assert search.best_estimator_.n_calls_ == 9
    # one cv_results_ row per model and budget, where dask-ml has one per model
    res = search.cv_results_
    assert len(res["params"]) == search.schedule_.n_evaluations == 22
    assert len({p["value"] for p in res["params"]}) == 17
    assert "partial_fit_epochs" not in search.best_params_
    assert set(res["n_resources"].tolist()) == {1, 3, 9}


def test_max_iter_of_one():
    search = HyperbandSearch(
        ConstantScore(), {"value": scipy.stats.uniform(0, 1)}, resource="partial_fit",
        max_resources=1, cv=2, random_state=0,
    ).fit(X_IRIS, Y_IRIS)
    assert search.n_resources_ == [[1]]
    assert search.best_score_ > 0


def test_numpy_arrays_and_scipy_distributions_as_values():
    space = {"alpha": np.logspace(-4, 0, num=100), "eta0": scipy.stats.uniform(0.01, 0.1)}
    search = _sgd_search(
        estimator=SGDClassifier(tol=None, learning_rate="constant", random_state=0),
        param_distributions=space, error_score="raise",
    ).fit(X_IRIS, Y_IRIS)
    for params in search.cv_results_["params"]:
        assert params["alpha"] in space["alpha"]
        assert 0.01 <= params["eta0"] <= 0.11


def test_one_held_out_test_set_stays_fixed_like_test_size():
    # dask-ml scores every model on one held-out set (test_size); the
    # translation is a one-split ShuffleSplit. Without a seed it must still
    # be split once per fit: a continued model would otherwise go on
    # training on rows that are now its test set (DESIGN rule 14).
    # Known defect: each round splits again.
    X, y = iris_with_row_ids()
    recorder = TestFoldRecorder()
    search = HyperbandSearch(
        SGDClassifier(tol=None, random_state=0), {"alpha": LogUniform(1e-4, 1e0)},
        resource="partial_fit", max_resources=9, cv=ShuffleSplit(1, test_size=0.2),
        scoring=recorder, random_state=0,
    ).fit(X, y)
    assert search.n_splits_ == 1
    assert len(recorder.folds) == len(search.cv_results_["params"])
    assert len(recorder.distinct_folds) == 1


def test_the_same_random_state_gives_the_same_search():
    first, again = _sgd_search().fit(X_IRIS, Y_IRIS), _sgd_search().fit(X_IRIS, Y_IRIS)
    other = _sgd_search(random_state=1).fit(X_IRIS, Y_IRIS)
    assert first.cv_results_["params"] == again.cv_results_["params"]
    np.testing.assert_array_equal(
        first.cv_results_["mean_test_score"], again.cv_results_["mean_test_score"]
    )
    assert first.cv_results_["params"] != other.cv_results_["params"]


def test_two_jobs_give_the_same_scores():
    # the fold models travel to the workers and back between rungs
    one = _sgd_search(max_resources=3).fit(X_IRIS, Y_IRIS)
    two = _sgd_search(max_resources=3, n_jobs=2).fit(X_IRIS, Y_IRIS)
    assert one.cv_results_["params"] == two.cv_results_["params"]
    np.testing.assert_allclose(
        one.cv_results_["mean_test_score"], two.cv_results_["mean_test_score"]
    )


def test_predict_proba_score_clone_pickle_and_cross_val_score():
    search = _sgd_search(
        estimator=SGDClassifier(loss="log_loss", tol=None, random_state=0),
        param_distributions={"alpha": LogUniform(1e-4, 1e0)},
    )
    assert cross_val_score(search, X_IRIS, Y_IRIS, cv=2).shape == (2,)
    search.fit(X_IRIS, Y_IRIS)
    # the user's estimator, not the wrapper that counts partial_fit passes
    assert type(search.get_params()["estimator"]) is SGDClassifier
    assert type(clone(search).estimator) is SGDClassifier
    proba = search.predict_proba(X_IRIS[:3])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    restored = pickle.loads(pickle.dumps(search))
    np.testing.assert_array_equal(restored.predict_proba(X_IRIS[:3]), proba)
