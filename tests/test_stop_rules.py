"""Stop rules: max_time, n_iter_no_change / tol, and callbacks that ask to stop."""

import time

import numpy as np
import pytest
from checkpoint_job import SPACE, SlowCentroids
from sklearn.datasets import load_iris
from sklearn.dummy import DummyClassifier

from sktune import GridSearch, RandomSearch
from sktune.search import BaseSearch, Batch

X, y = load_iris(return_X_y=True)


def test_completed_search_says_so():
    search = RandomSearch(SlowCentroids(), SPACE, n_iter=3, cv=3, random_state=0).fit(X, y)
    assert search.stop_reason_ == "completed"
    assert len(search.cv_results_["params"]) == 3


def test_max_time_stops_within_one_candidate_of_the_limit(monkeypatch):
    delay, n_splits, max_time = 0.1, 3, 1.0
    monkeypatch.setenv("SKTUNE_FIT_DELAY", str(delay))
    search = RandomSearch(
        SlowCentroids(), SPACE, n_iter=200, cv=n_splits, random_state=0, max_time=max_time
    )
    start = time.monotonic()
    search.fit(X, y)
    elapsed = time.monotonic() - start
    one_candidate = delay * n_splits
    assert search.stop_reason_ == "max_time"
    n_done = len(search.cv_results_["params"])
    assert 1 <= n_done < 200
    # the limit, plus the candidate running when it passed, plus the refit
    assert elapsed < max_time + one_candidate + delay + 0.5
    # and it did not stop early either
    assert n_done >= int(max_time / one_candidate) - 1


def test_n_iter_no_change_stops_after_that_many_candidates_without_progress():
    # every candidate of a constant classifier scores the same: no progress
    search = GridSearch(
        DummyClassifier(strategy="most_frequent"), {"random_state": list(range(20))},
        cv=3, n_iter_no_change=4,
    ).fit(X, y)
    assert search.stop_reason_ == "n_iter_no_change"
    assert len(search.cv_results_["params"]) == 5  # the first, then 4 without progress


def test_tol_decides_what_counts_as_progress():
    # accuracy never rises by 0.5 from one candidate to the next, so that tol
    # stops after the first candidate and two more; tol=0 lets progress count
    grid = {"shrink": list(np.linspace(5.0, 0.0, 12))}
    tight = GridSearch(SlowCentroids(), grid, cv=3, n_iter_no_change=2, tol=0.0).fit(X, y)
    loose = GridSearch(SlowCentroids(), grid, cv=3, n_iter_no_change=2, tol=0.5).fit(X, y)
    assert loose.stop_reason_ == "n_iter_no_change"
    assert len(loose.cv_results_["params"]) == 3
    assert len(tight.cv_results_["params"]) > len(loose.cv_results_["params"])


def test_no_change_rule_is_the_same_for_any_n_jobs():
    kwargs = dict(n_iter=30, cv=3, random_state=0, n_iter_no_change=3)
    one = RandomSearch(SlowCentroids(), SPACE, n_jobs=1, **kwargs).fit(X, y)
    two = RandomSearch(SlowCentroids(), SPACE, n_jobs=2, **kwargs).fit(X, y)
    # with two workers an in-flight candidate may finish too, never fewer
    n = len(one.cv_results_["params"])
    assert two.cv_results_["params"][:n] == one.cv_results_["params"]


class _Rounds:
    """Three rounds of two candidates each."""

    n_candidates = None

    def __init__(self):
        self.rounds = [[{"shrink": 0.1 * (2 * r + k + 1)} for k in range(2)] for r in range(3)]
        self.told = []

    def ask(self):
        return Batch(self.rounds.pop(0)) if self.rounds else None

    def tell(self, batch, scores):
        self.told.append(len(scores))


class _RoundSearch(BaseSearch):
    _space_param = "param_grid"

    def __init__(self, estimator, param_grid, *, cv=None, refit=True, scoring=None,
                 n_jobs=None, verbose=0, pre_dispatch="2*n_jobs", error_score=np.nan,
                 return_train_score=False, checkpoint=None, max_time=None,
                 n_iter_no_change=None, tol=0.0):
        super().__init__(estimator, scoring=scoring, n_jobs=n_jobs, refit=refit, cv=cv,
                         verbose=verbose, pre_dispatch=pre_dispatch, error_score=error_score,
                         return_train_score=return_train_score)
        self.param_grid = param_grid
        self.checkpoint = checkpoint
        self.max_time = max_time
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol

    def _make_proposer(self, space, context):
        return _Rounds()


class _StopAfterFirstRound:
    def setup(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context):
        pass

    def on_fit_task_end(self, estimator, context):
        return context.task_name == "search-round"

    def teardown(self, estimator, context):
        pass


def test_multi_round_search_runs_every_round():
    search = _RoundSearch(SlowCentroids(), {"shrink": [0.1]}, cv=3).fit(X, y)
    assert len(search.cv_results_["params"]) == 6
    assert search.stop_reason_ == "completed"


def test_callback_that_asks_to_stop_ends_the_search_after_the_round():
    pytest.importorskip("sklearn.callback")
    search = _RoundSearch(SlowCentroids(), {"shrink": [0.1]}, cv=3)
    search.set_callbacks(_StopAfterFirstRound())
    search.fit(X, y)
    assert search.stop_reason_ == "callback"
    assert len(search.cv_results_["params"]) == 2


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(max_time=-1), "max_time"),
        (dict(n_iter_no_change=0), "n_iter_no_change"),
        (dict(tol=-0.1), "tol"),
        (dict(checkpoint=3), "checkpoint"),
    ],
)
def test_bad_stop_settings_are_rejected(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        RandomSearch(SlowCentroids(), SPACE, n_iter=3, **kwargs).fit(X, y)
