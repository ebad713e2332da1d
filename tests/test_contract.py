"""The scikit-learn search contract, checked on every registered search class.

Each test takes a factory from ``tests/search_cases.py``'s ``SEARCH_CASES``,
so a search class that registers there is held to the same contract as
``GridSearchCV`` and ``RandomizedSearchCV``: pipelines, nesting, cloning,
pickling, parallelism, multi-metric scoring, groups, metadata routing,
failed fits, callbacks and verbosity.
"""

import copy
import pickle
import re
import warnings
from collections import Counter

import joblib
import numpy as np
import pytest
import sklearn
from search_cases import SEARCH_CASES
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.callback import ProgressBar
from sklearn.callback.tests._utils import RecordingCallback
from sklearn.datasets import make_regression
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import Ridge
from sklearn.model_selection import GroupKFold, KFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sktune.distributions import LogUniform
from sktune.space import candidate_key

CASES = sorted(SEARCH_CASES)
SPACE = {"alpha": LogUniform(1e-3, 1e2)}


@pytest.fixture(params=CASES)
def make_search(request):
    return SEARCH_CASES[request.param]


@pytest.fixture(scope="module")
def data():
    X, y = make_regression(n_samples=60, n_features=4, noise=5.0, random_state=0)
    return X, y


def _shared_scores(first, second, key):
    """``key`` of the candidates both searches evaluated, in matching order.

    An adaptive search goes on to other candidates when the scores differ,
    so two searches are compared on the candidates they share (with one
    ``random_state``, at least their first ones).
    """
    maps = [
        {candidate_key(p): v for p, v in zip(s.cv_results_["params"], s.cv_results_[key])}
        for s in (first, second)
    ]
    shared = [k for k in maps[0] if k in maps[1]]
    assert shared, "the two searches share no candidate"
    return [maps[0][k] for k in shared], [maps[1][k] for k in shared]


# --------------------------------------------------------------------------
# estimators used below
# --------------------------------------------------------------------------


class FailingRegressor(RegressorMixin, BaseEstimator):
    """Ridge-like regressor whose fit fails when ``fail`` is True."""

    def __init__(self, alpha=1.0, fail=False):
        self.alpha = alpha
        self.fail = fail

    def fit(self, X, y):
        if self.fail:
            raise ValueError("planned failure of FailingRegressor")
        self.model_ = Ridge(alpha=self.alpha).fit(X, y)
        return self

    def predict(self, X):
        return self.model_.predict(X)


class WeightRecorder(RegressorMixin, BaseEstimator):
    """Regressor predicting the weighted mean of ``y``; records what fit saw."""

    calls = []

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def fit(self, X, y, sample_weight=None):
        type(self).calls.append((len(X), None if sample_weight is None else len(sample_weight)))
        self.mean_ = float(np.average(y, weights=sample_weight))
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_)


# --------------------------------------------------------------------------
# estimator contract
# --------------------------------------------------------------------------


def test_pipeline_with_step_parameter_names(make_search, data):
    X, y = data
    pipe = Pipeline([("scale", StandardScaler()), ("ridge", Ridge())])
    space = {"ridge__alpha": LogUniform(1e-3, 1e2), "scale__with_mean": [True, False]}
    search = make_search(pipe, space, cv=3).fit(X, y)
    assert set(search.best_params_) == {"ridge__alpha", "scale__with_mean"}
    best = search.best_estimator_
    assert isinstance(best, Pipeline)
    assert best.named_steps["ridge"].alpha == search.best_params_["ridge__alpha"]
    assert best.named_steps["scale"].with_mean == search.best_params_["scale__with_mean"]
    for p in search.cv_results_["params"]:
        assert 1e-3 <= p["ridge__alpha"] <= 1e2 and p["scale__with_mean"] in (True, False)
    # the estimator given is left unfitted
    assert not hasattr(pipe.named_steps["ridge"], "coef_")
    assert best.predict(X).shape == (len(X),)


def test_nested_in_cross_val_score(make_search, data):
    X, y = data
    scores = cross_val_score(make_search(Ridge(), SPACE, cv=2), X, y, cv=3)
    assert scores.shape == (3,)
    assert np.all(np.isfinite(scores)) and np.all(scores > 0.5)


def test_clone_get_params_and_set_params(make_search, data):
    X, y = data
    space = {"alpha": LogUniform(1e-3, 1e2), "fit_intercept": [True, False]}
    space_before = copy.deepcopy(space)
    search = make_search(Ridge(), space, cv=3)
    params = search.get_params(deep=False)

    cloned = clone(search)
    assert cloned is not search and type(cloned) is type(search)
    cloned_params = cloned.get_params(deep=False)
    assert set(cloned_params) == set(params)
    for name, value in params.items():
        if name == "estimator":
            assert type(cloned_params[name]) is type(value)
            assert cloned_params[name].get_params() == value.get_params()
        else:
            other = cloned_params[name]
            assert other is value or other == value or (other != other and value != value), name

    deep = search.get_params(deep=True)
    assert deep["estimator__alpha"] == 1.0
    search.set_params(estimator__alpha=5.0, cv=4)
    assert search.estimator.alpha == 5.0 and search.cv == 4
    with pytest.raises(ValueError, match="Invalid parameter"):
        search.set_params(not_a_parameter=1)

    search.set_params(cv=3)
    hashes = {k: joblib.hash(v) for k, v in search.get_params(deep=False).items()}
    search.fit(X, y)
    # fitting mutates no parameter: not the space, not the estimator
    assert {k: joblib.hash(v) for k, v in search.get_params(deep=False).items()} == hashes
    assert space == space_before
    assert not hasattr(search.estimator, "coef_")
    # a clone of the fitted search is unfitted
    assert not hasattr(clone(search), "cv_results_")


def test_pickle_a_fitted_search(make_search, data):
    X, y = data
    search = make_search(Ridge(), SPACE, cv=3).fit(X, y)
    loaded = pickle.loads(pickle.dumps(search))
    np.testing.assert_array_equal(loaded.predict(X), search.predict(X))
    assert loaded.best_params_ == search.best_params_
    assert loaded.best_index_ == search.best_index_
    assert loaded.cv_results_["params"] == search.cv_results_["params"]
    np.testing.assert_array_equal(
        loaded.cv_results_["mean_test_score"], search.cv_results_["mean_test_score"]
    )


def test_same_candidates_for_one_and_two_jobs(make_search, data):
    X, y = data
    results = []
    for n_jobs in (1, 2):
        search = make_search(Ridge(), SPACE, cv=3, n_jobs=n_jobs, random_state=7)
        results.append(search.fit(X, y).cv_results_)
    assert results[0]["params"] == results[1]["params"]
    np.testing.assert_allclose(results[0]["mean_test_score"], results[1]["mean_test_score"])


def test_multimetric_scoring_with_a_named_refit(make_search, data):
    X, y = data
    scoring = {"r2": "r2", "neg_mae": "neg_mean_absolute_error"}
    search = make_search(Ridge(), SPACE, cv=3, scoring=scoring, refit="neg_mae").fit(X, y)
    res = search.cv_results_
    assert search.multimetric_
    assert set(search.scorer_) == {"r2", "neg_mae"}
    for metric in scoring:
        assert f"mean_test_{metric}" in res and f"rank_test_{metric}" in res
        assert f"split2_test_{metric}" in res
    assert "mean_test_score" not in res
    # the best candidate is the best by the refit metric, not by r2
    assert res["rank_test_neg_mae"][search.best_index_] == 1
    assert search.best_score_ == res["mean_test_neg_mae"][search.best_index_]
    assert search.best_score_ == np.nanmax(res["mean_test_neg_mae"])
    assert search.best_estimator_.alpha == search.best_params_["alpha"]


def test_groups_reach_group_kfold(make_search, data):
    X, y = data
    groups = np.repeat(np.arange(6), 10)
    search = make_search(Ridge(), SPACE, cv=GroupKFold(n_splits=3))
    with pytest.raises(ValueError, match="groups"):
        clone(search).fit(X, y)
    search.fit(X, y, groups=groups)
    # the same splits, given explicitly, give the same scores: groups were used
    splits = list(GroupKFold(n_splits=3).split(X, y, groups))
    explicit = make_search(Ridge(), SPACE, cv=splits).fit(X, y)
    assert search.cv_results_["params"] == explicit.cv_results_["params"]
    for k in range(3):
        np.testing.assert_allclose(
            search.cv_results_[f"split{k}_test_score"],
            explicit.cv_results_[f"split{k}_test_score"],
        )
    # and they are not the splits KFold would have made
    kfold = make_search(Ridge(), SPACE, cv=KFold(3)).fit(X, y)
    assert not np.allclose(*_shared_scores(search, kfold, "split0_test_score"))


def test_sample_weight_is_routed_to_fit(make_search, data):
    X, y = data
    weights = np.where(y > np.median(y), 10.0, 0.1)
    with sklearn.config_context(enable_metadata_routing=True):
        WeightRecorder.calls = []
        recorder = WeightRecorder().set_fit_request(sample_weight=True)
        recorder.set_score_request(sample_weight=False)
        search = make_search(recorder, {"alpha": [0.1, 1.0, 10.0, 100.0]}, cv=3)
        search.fit(X, y, sample_weight=weights)
        calls = WeightRecorder.calls
        # every cross-validation fit got the weights of its training rows
        # (all 40 of a 3-fold split, or fewer for a search that subsamples),
        # then the refit got all of them
        n_fits = len(search.cv_results_["params"]) * 3
        assert len(calls) == n_fits + 1
        assert all(n_rows == n_weights and n_rows <= 40 for n_rows, n_weights in calls[:-1])
        assert calls[-1] == (60, 60)
        assert search.best_estimator_.mean_ == pytest.approx(np.average(y, weights=weights))

        # weighted and unweighted Ridge fits give different scores
        ridge = Ridge().set_fit_request(sample_weight=True).set_score_request(sample_weight=False)
        weighted = make_search(ridge, SPACE, cv=3).fit(X, y, sample_weight=weights)
        unweighted = make_search(clone(ridge), SPACE, cv=3).fit(X, y)
        a, b = _shared_scores(weighted, unweighted, "mean_test_score")
        assert not np.allclose(a, b)
        alpha = weighted.best_params_["alpha"]
        expected = Ridge(alpha=alpha).fit(X, y, sample_weight=weights).coef_
        np.testing.assert_allclose(weighted.best_estimator_.coef_, expected)


def test_failed_fits_get_nan_scores_with_a_warning(make_search, data):
    X, y = data
    space = {"alpha": LogUniform(1e-3, 1e2), "fail": [True, False]}
    search = make_search(FailingRegressor(), space, cv=3, error_score=np.nan)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(X, y)
    messages = [(w.category, str(w.message)) for w in caught]
    # scikit-learn's two warnings: the failed fits, then the NaN scores
    assert any(
        c is FitFailedWarning and "planned failure of FailingRegressor" in m for c, m in messages
    ), messages
    assert any("test scores are non-finite" in m for _, m in messages), messages
    res = search.cv_results_
    failed = np.array([p["fail"] for p in res["params"]])
    assert failed.any() and not failed.all(), "the budget must reach both kinds"
    for k in range(3):
        assert np.all(np.isnan(res[f"split{k}_test_score"][failed]))
        assert np.all(np.isfinite(res[f"split{k}_test_score"][~failed]))
    assert np.all(np.isnan(res["mean_test_score"][failed]))
    assert search.best_params_["fail"] is False
    assert search.best_score_ == np.nanmax(res["mean_test_score"])


def test_error_score_raise_raises(make_search, data):
    X, y = data
    space = {"alpha": LogUniform(1e-3, 1e2), "fail": [True]}
    search = make_search(FailingRegressor(), space, cv=3, error_score="raise")
    with pytest.raises(ValueError, match="planned failure of FailingRegressor"):
        search.fit(X, y)


# --------------------------------------------------------------------------
# scikit-learn's callback API and verbosity
# --------------------------------------------------------------------------


def test_progress_bar_callback_runs(make_search, data):
    X, y = data
    search = make_search(Ridge(), SPACE, cv=3)
    search.set_callbacks(ProgressBar())
    with warnings.catch_warnings():
        # Ridge does not support callbacks, so the bar is not propagated to it
        warnings.filterwarnings("ignore", "The estimator Ridge does not support callbacks")
        search.fit(X, y)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_recording_callback_sees_every_candidate_split(make_search, data):
    X, y = data
    callback = RecordingCallback()
    search = make_search(Ridge(), SPACE, cv=3)
    search.set_callbacks(callback)
    search.fit(X, y)
    n_tasks = len(search.cv_results_["params"]) * search.n_splits_
    begins = [r["context"] for r in callback.record if r["name"] == "on_fit_task_begin"]
    ends = [r["context"] for r in callback.record if r["name"] == "on_fit_task_end"]
    count_begin = Counter(c.task_name for c in begins)
    count_end = Counter(c.task_name for c in ends)
    assert count_begin["candidate-split-evaluation"] == n_tasks
    assert count_end["candidate-split-evaluation"] == n_tasks
    assert count_begin["fit"] == count_end["fit"] == 1
    assert count_begin["refit-with-best-params"] == 1
    # each evaluation task is a distinct child of one context
    evaluations = [c for c in begins if c.task_name == "candidate-split-evaluation"]
    keys = {(id(c.parent), c.task_id) for c in evaluations}
    assert len(keys) == n_tasks
    assert callback.count_hooks("setup") == callback.count_hooks("teardown") == 1


def test_verbose_prints_the_fits_like_sklearn(make_search, data, capsys):
    X, y = data
    search = make_search(Ridge(), SPACE, cv=3, verbose=1).fit(X, y)
    out = capsys.readouterr().out
    lines = re.findall(
        r"Fitting (\d+) folds for each of (\d+) candidates, totalling (\d+) fits", out
    )
    # scikit-learn's line once, when the search starts; then one line a round
    assert len(lines) == 1, out
    folds, n, total = lines[0]
    assert int(folds) == 3 and int(total) == 3 * int(n)
    rounds = re.findall(r"round \d+: (\d+) candidates?(?: at n_resources=\d+)? x 3 folds", out)
    assert sum(int(n) for n in rounds) == len(search.cv_results_["params"]), out


def test_verbose_zero_prints_nothing(make_search, data, capsys):
    X, y = data
    make_search(Ridge(), SPACE, cv=3, verbose=0).fit(X, y)
    assert "Fitting" not in capsys.readouterr().out
