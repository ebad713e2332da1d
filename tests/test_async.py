"""BayesSearch(asynchronous=True): a new candidate whenever a worker frees up."""

import threading
import time

import joblib
import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import Ridge
from sklearn.utils.estimator_checks import parametrize_with_checks

from sktune import BayesSearch
from sktune.distributions import LogUniform, Uniform
from sktune.optimizers import BayesOptimizer
from sktune.space import SearchSpace

X = np.zeros((20, 1))
y = np.zeros(20)


class Timed(RegressorMixin, BaseEstimator):
    """Scores -(a - 0.3)**2; ``a`` above ``slow_above`` sleeps ``slow`` s, else 10 ms.

    Every fit appends ``(a, start, end)`` to the shared ``LOG`` (the
    threading backend runs the fits in this process).
    """

    LOG: list = []
    LOCK = threading.Lock()
    INTERRUPT_ABOVE = 2.0

    def __init__(self, a=0.5, slow_above=2.0, slow=1.0, fail_below=-1.0):
        self.a = a
        self.slow_above = slow_above
        self.slow = slow
        self.fail_below = fail_below

    def fit(self, X, y):
        start = time.monotonic()
        if self.a < self.fail_below:
            raise ValueError("a failing fit")
        if self.a > self.INTERRUPT_ABOVE:
            raise KeyboardInterrupt
        time.sleep(self.slow if self.a > self.slow_above else 0.01)
        with self.LOCK:
            self.LOG.append((self.a, start, time.monotonic()))
        return self

    def predict(self, X):
        return np.full(len(X), 0.0)

    def score(self, X, y):
        return -((self.a - 0.3) ** 2)


@pytest.fixture(autouse=True)
def _clear_log():
    Timed.LOG.clear()


def _search(asynchronous=True, **kwargs):
    kwargs = {"n_iter": 10, "cv": 2, "n_jobs": 4, "random_state": 0, **kwargs}
    return BayesSearch(Timed(slow_above=kwargs.pop("slow_above", 2.0)), {"a": Uniform(0, 1)},
                       asynchronous=asynchronous, **kwargs)


@pytest.mark.parametrize("asynchronous", [False, True])
def test_other_candidates_finish_while_a_slow_one_runs(asynchronous):
    # the first candidate sleeps 1 s on two of the four workers
    search = _search(asynchronous, initial_candidates=[{"a": 0.99}], slow_above=0.98)
    with joblib.parallel_backend("threading"):
        search.fit(X, y)
    slow_end = max(end for a, _, end in Timed.LOG if a == 0.99)
    finished_meanwhile = {a for a, _, end in Timed.LOG if a != 0.99 and end < slow_end}
    if asynchronous:
        # the two free workers went on proposing and fitting
        assert len(finished_meanwhile) >= 3
    else:
        # the initial candidates are a round of their own: the others wait
        assert finished_meanwhile == set()


def test_n_iter_is_respected_exactly():
    search = _search(n_iter=11)
    with joblib.parallel_backend("threading"):
        search.fit(X, y)
    params = search.cv_results_["params"]
    assert len(params) == 11
    assert len({p["a"] for p in params}) == 11
    assert len(Timed.LOG) == 11 * 2 + 1  # and the refit
    assert sorted(search.cv_results_["iter"].tolist()) == list(range(11))
    assert search.batch_size_ == 1
    assert abs(search.best_params_["a"] - 0.3) < 0.1


def test_pending_candidates_condition_the_next_proposal():
    from sktune.search._bayes import _AsyncBayesProposer

    space = SearchSpace({"a": Uniform(0, 1)})

    def proposer():
        optimizer = BayesOptimizer(space, n_initial_points=2, random_state=0)
        points = np.array([[0.1], [0.5], [0.9]])
        optimizer.tell(points, -((points[:, 0] - 0.3) ** 2))
        return _AsyncBayesProposer(space, optimizer, n_iter=5)

    alone = proposer()
    first = alone.ask()
    alone.tell(first, np.array([-1.0]))
    told = alone.ask().params[0]["a"]
    with_pending = proposer()
    assert with_pending.ask().params == first.params  # the same state, the same choice
    pending = with_pending.ask().params[0]["a"]
    # the first candidate still runs: the second is chosen knowing it is there
    assert pending != told
    assert pending != first.params[0]["a"]


@pytest.mark.parametrize("seed", range(8))
def test_initial_candidates_are_pending_while_they_run(seed):
    from sktune.distributions import Integer
    from sktune.search._bayes import _AsyncBayesProposer

    space = SearchSpace({"k": Integer(0, 1)})
    optimizer = BayesOptimizer(space, random_state=seed)
    proposer = _AsyncBayesProposer(space, optimizer, n_iter=2, initial=[{"k": 0}])
    assert proposer.ask().params == [{"k": 0}]
    # k=0 still runs: the design must not propose it a second time
    assert proposer.ask().params == [{"k": 1}]
    assert len(optimizer._pending) == 2


def test_add_pending_refuses_points_outside_the_cube():
    optimizer = BayesOptimizer(SearchSpace({"a": Uniform(0, 1)}), random_state=0)
    with pytest.raises(ValueError, match=r"'points' argument of BayesOptimizer.add_pending "
                       r"must hold finite values in \[0, 1\]"):
        optimizer.add_pending([[1.5]])


def test_resume_reuses_every_recorded_candidate(tmp_path):
    path = tmp_path / "search.db"
    with joblib.parallel_backend("threading"):
        first = _search(n_iter=6, checkpoint=path).fit(X, y)
        n_fits = len(Timed.LOG)
        more = _search(n_iter=9, checkpoint=path).fit(X, y)
    assert more.n_reused_ == 6
    assert len(Timed.LOG) - n_fits == 3 * 2 + 1  # and the refit
    recorded = {p["a"] for p in first.cv_results_["params"]}
    assert recorded <= {p["a"] for p in more.cv_results_["params"]}
    assert len(more.cv_results_["params"]) == 9


def test_an_interrupted_search_resumes_with_its_recorded_candidates(tmp_path, monkeypatch):
    path = tmp_path / "search.db"
    first = [{"a": a} for a in (0.1, 0.2, 0.4, 0.5)]

    def search():
        return BayesSearch(Timed(), {"a": Uniform(0, 1)}, n_iter=8, cv=2, random_state=0,
                           checkpoint=path, asynchronous=True,
                           initial_candidates=[*first, {"a": 0.95}])

    # as if the process were stopped during the fifth candidate's fit
    monkeypatch.setattr(Timed, "INTERRUPT_ABOVE", 0.9)
    with pytest.raises(KeyboardInterrupt, match="4 newly finished candidates are saved"):
        search().fit(X, y)
    monkeypatch.undo()
    Timed.LOG.clear()
    resumed = search().fit(X, y)
    assert resumed.n_reused_ == 4
    assert resumed.cv_results_["params"][:4] == first
    # the four recorded candidates are not fitted again
    assert not {a for a, _, _ in Timed.LOG} & {0.1, 0.2, 0.4, 0.5}
    assert len(resumed.cv_results_["params"]) == 8


def test_failing_first_candidates_do_not_end_the_search():
    search = BayesSearch(Timed(fail_below=0.5), {"a": Uniform(0, 1)}, n_iter=10, cv=2,
                         n_jobs=2, random_state=0, asynchronous=True,
                         initial_candidates=[{"a": 0.1}, {"a": 0.2}])
    with joblib.parallel_backend("threading"), pytest.warns(FitFailedWarning):
        search.fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert np.isnan(scores[:2]).all()
    assert np.isfinite(scores).sum() >= 1
    assert search.best_params_["a"] >= 0.5


def test_stop_rules_apply():
    search = _search(n_iter=40, n_iter_no_change=3, tol=1.0)
    with joblib.parallel_backend("threading"):
        search.fit(X, y)
    assert search.stop_reason_ == "n_iter_no_change"
    assert len(search.cv_results_["params"]) < 40


def _svr_search():
    from sklearn.svm import SVR

    return BayesSearch(SVR(), {"C": LogUniform(0.01, 10)}, n_iter=8, cv=2, n_jobs=2,
                       random_state=0, asynchronous=True)


def _check_eight_distinct_finite(fitted):
    assert len({p["C"] for p in fitted.cv_results_["params"]}) == 8
    assert np.isfinite(fitted.cv_results_["mean_test_score"]).all()


XR, YR = np.random.RandomState(0).normal(size=(40, 2)), np.random.RandomState(1).normal(size=40)


@pytest.mark.slow  # starting loky's two worker processes takes most of 5 s here
def test_runs_on_loky():
    _check_eight_distinct_finite(_svr_search().fit(XR, YR))


def test_runs_on_dask():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
    ) as cluster, distributed.Client(cluster), joblib.parallel_backend("dask"):
        _check_eight_distinct_finite(_svr_search().fit(XR, YR))


def test_each_candidate_reaches_the_listeners_once_with_its_columns():
    # MLflow's live child runs listen so (sktune.mlflow.autolog)
    from sktune.search._autolog import _listening

    heard = []
    with _listening((lambda params, outputs, extra: heard.append((params, extra)),)):
        with joblib.parallel_backend("threading"):
            search = _search(n_iter=7).fit(X, y)
    results = search.cv_results_
    assert sorted(p["a"] for p, _ in heard) == sorted(p["a"] for p in results["params"])
    by_a = {p["a"]: extra for p, extra in heard}
    for i, params in enumerate(results["params"]):
        assert by_a[params["a"]]["iter"] == results["iter"][i]
        assert by_a[params["a"]]["initial_design"] == results["initial_design"][i]


def test_error_score_raise_raises_the_fit_error():
    search = BayesSearch(Timed(fail_below=0.5), {"a": Uniform(0, 1)}, n_iter=6, cv=2,
                         n_jobs=2, random_state=0, asynchronous=True, error_score="raise",
                         initial_candidates=[{"a": 0.1}])
    with joblib.parallel_backend("threading"), pytest.raises(ValueError, match="a failing fit"):
        search.fit(X, y)


def test_max_time_stops_starting_candidates():
    search = _search(n_iter=500, max_time=0.5)
    with joblib.parallel_backend("threading"):
        search.fit(X, y)
    assert search.stop_reason_ == "max_time"
    assert 0 < len(search.cv_results_["params"]) < 500


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_bad_asynchronous_raises_before_any_fit(value, tmp_path):
    search = _search(asynchronous=value, checkpoint=tmp_path / "s.db")
    with pytest.raises(ValueError, match="'asynchronous' parameter of BayesSearch"):
        search.fit(X, y)
    assert Timed.LOG == [] and not (tmp_path / "s.db").exists()


def test_backend_without_streaming_raises_before_any_fit(tmp_path):
    search = _search(checkpoint=tmp_path / "s.db")
    with joblib.parallel_config(backend="multiprocessing"), pytest.raises(
        ValueError, match=r"asynchronous=True of BayesSearch needs a joblib backend.*"
        "MultiprocessingBackend"
    ):
        search.fit(X, y)
    assert Timed.LOG == [] and not (tmp_path / "s.db").exists()


def test_verbose_says_how_candidates_start(capsys):
    with joblib.parallel_backend("threading"):
        _search(n_iter=4, verbose=1).fit(X, y)
    out = capsys.readouterr().out
    assert "a new candidate starting as soon as a worker is free" in out
    assert "round 0: 4 candidates" in out


@parametrize_with_checks(
    [BayesSearch(Ridge(), {"alpha": LogUniform(0.1, 1.0)}, n_iter=6, n_initial_points=3,
                 cv=2, error_score="raise", random_state=0, asynchronous=True)],
    expected_failed_checks=lambda est: {
        "check_supervised_y_2d": "DataConversionWarning not caught",
        "check_requires_y_none": "Doesn't fail gracefully",
    },
)
def test_sklearn_compatible_asynchronous_search(estimator, check):
    check(estimator)


def test_progress_callbacks_follow_the_fits():
    pytest.importorskip("sklearn.callback")
    from test_progress import Recorder

    recorder = Recorder()
    search = _search(n_iter=6, n_jobs=None)
    search.set_callbacks(recorder)
    search.fit(X, y)
    shares = recorder.shares
    assert shares == sorted(shares), shares
    assert any(0 < s < 1 for s in shares), shares
    assert shares[-1] == pytest.approx(1.0), shares


@pytest.mark.parametrize("backend", ["threading", "loky"])
def test_a_fit_over_fit_timeout_is_stopped_and_scored_error_score(backend):
    from test_fit_timeout import BOUND, Hang, _timed_fit

    search = BayesSearch(Hang(), {"hang": [False, True]}, n_iter=2, cv=2, n_jobs=2,
                         random_state=0, asynchronous=True, fit_timeout=1, error_score=-1.0,
                         initial_candidates=[{"hang": True}, {"hang": False}])
    with joblib.parallel_backend(backend):
        elapsed, _ = _timed_fit(search)
    # the hanging fits sleep 300 s each; the search ends long before
    assert elapsed < BOUND
    results = search.cv_results_
    scores = dict(zip((p["hang"] for p in results["params"]), results["mean_test_score"]))
    assert scores[True] == -1.0 and scores[False] > 0
    assert search.best_params_ == {"hang": False}
