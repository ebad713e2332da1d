"""fit_timeout: a fit that runs too long is stopped, and max_time ends on time (issue 17).

The estimators hang for real (``time.sleep(60)``) in real worker processes;
without the time limit each of these searches would take minutes.
"""

import math
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from contextlib import contextmanager

import joblib
import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_iris
from sklearn.exceptions import FitFailedWarning
from test_cli import SLOW_MODULE

import sktune
from sktune import BayesSearch, GridSearch, HyperbandSearch, ManualSearch, RandomSearch

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGALRM")

X, y = load_iris(return_X_y=True)
HANG = 60.0
# Generous against a loaded machine, far below what one hanging fit takes.
BOUND = 20.0


class Hang(ClassifierMixin, BaseEstimator):
    """Predicts the first class; ``fit`` sleeps for a minute when ``hang``.

    With ``swallow``, the fit catches whatever interrupts its sleep and
    returns normally, as careless code with a bare ``except Exception`` does.
    """

    def __init__(self, hang=False, swallow=False, log=None):
        self.hang = hang
        self.swallow = swallow
        self.log = log

    def fit(self, X, y):
        if self.log is not None:
            with open(self.log, "a") as f:
                f.write("fit\n")
        if self.hang:
            try:
                time.sleep(HANG)
            except Exception:
                if not self.swallow:
                    raise
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


@contextmanager
def _alarm_kept():
    """Check that the caller's SIGALRM handler and timer are as before the block.

    pytest-timeout keeps a timer of its own running during each test: the
    search must put it back, and leave no timer of its own pending.
    """
    handler = signal.getsignal(signal.SIGALRM)
    left, _ = signal.getitimer(signal.ITIMER_REAL)
    yield
    assert signal.getsignal(signal.SIGALRM) is handler
    now, _ = signal.getitimer(signal.ITIMER_REAL)
    assert now == 0.0 if left == 0.0 else 0.0 < now <= left


@pytest.fixture
def warm_workers():
    """Start loky's workers and their imports before a timed search with n_jobs=2.

    Measured on a loaded 2-core machine: the first search with n_jobs=2
    spends 23 s starting them, the next ones 0.1 s; loky reuses them.
    """
    GridSearch(Hang(), {"hang": [False]}, cv=2, n_jobs=2).fit(X, y)


def _timed_fit(search):
    start = time.monotonic()
    with _alarm_kept(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(X, y)
    return time.monotonic() - start, caught


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_hanging_fit_is_stopped_and_scored_error_score(n_jobs, warm_workers):
    search = GridSearch(Hang(), {"hang": [False, True, False]}, cv=2, n_jobs=n_jobs,
                        fit_timeout=1)
    elapsed, caught = _timed_fit(search)
    assert elapsed < BOUND
    scores = search.cv_results_["mean_test_score"]
    assert np.isnan(scores[1])
    assert np.isfinite(scores[0]) and np.isfinite(scores[2])
    assert search.best_params_ == {"hang": False}
    # the timed-out fits ran for about the limit
    fit_times = search.cv_results_["mean_fit_time"]
    assert 0.9 <= fit_times[1] < 5 and fit_times[0] < 0.5
    failures = [str(w.message) for w in caught if issubclass(w.category, FitFailedWarning)]
    assert any(
        "2 fits failed" in m and "FitTimeoutError" in m and "fit_timeout=1" in m
        and "{'hang': True}" in m
        for m in failures
    ), failures


def test_the_multiprocessing_backend_stops_a_hanging_fit():
    search = GridSearch(Hang(), {"hang": [True, False]}, cv=2, n_jobs=2, fit_timeout=1)
    with joblib.parallel_backend("multiprocessing"):
        elapsed, _ = _timed_fit(search)
    assert elapsed < BOUND
    assert np.isnan(search.cv_results_["mean_test_score"][0])
    assert np.isfinite(search.cv_results_["mean_test_score"][1])


def test_a_fit_that_swallows_the_timeout_still_counts_as_timed_out():
    search = GridSearch(Hang(swallow=True), {"hang": [False, True]}, cv=2, fit_timeout=1)
    elapsed, _ = _timed_fit(search)
    assert elapsed < BOUND
    assert np.isnan(search.cv_results_["mean_test_score"][1])
    assert np.isfinite(search.cv_results_["mean_test_score"][0])


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_max_time_ends_within_one_fit_timeout_of_its_limit(n_jobs, warm_workers):
    # every other candidate hangs: before issue 17 each took HANG seconds per fit
    candidates = [{"hang": bool(i % 2)} for i in range(40)]
    search = ManualSearch(Hang(), candidates, cv=2, n_jobs=n_jobs, max_time=3,
                          fit_timeout=1)
    elapsed, _ = _timed_fit(search)
    assert elapsed < BOUND
    assert search.stop_reason_ == "max_time"
    n_done = len(search.cv_results_["params"])
    assert 1 <= n_done < 40
    assert search.cv_results_["params"] == candidates[:n_done] or n_jobs == 2


def test_a_fit_running_when_max_time_ends_is_stopped_and_its_candidate_dropped():
    # fit_timeout alone would let the hanging fit run 30 s; max_time cuts it
    search = ManualSearch(Hang(), [{"hang": False}, {"hang": True}], cv=2, max_time=2,
                          fit_timeout=30)
    elapsed, caught = _timed_fit(search)
    assert elapsed < 2 + 5
    assert search.stop_reason_ == "max_time"
    # dropped as not finished, not recorded as a failure
    assert search.cv_results_["params"] == [{"hang": False}]
    assert not [w for w in caught if issubclass(w.category, FitFailedWarning)]


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_error_score_raise_raises_a_timeout_error_naming_the_candidate(n_jobs, warm_workers):
    # imported here, so that the other tests fail for their own reason on old code
    from sktune.search import FitTimeoutError

    search = GridSearch(Hang(), {"hang": [True]}, cv=2, n_jobs=n_jobs, fit_timeout=1,
                        error_score="raise")
    start = time.monotonic()
    with _alarm_kept(), pytest.raises(
        FitTimeoutError,
        match=r"The fit of GridSearch candidate \{'hang': True\} took longer than "
              r"fit_timeout=1 ",
    ) as info:
        search.fit(X, y)
    assert isinstance(info.value, TimeoutError)
    assert time.monotonic() - start < BOUND


def test_every_fit_timing_out_is_every_fit_failing():
    search = GridSearch(Hang(), {"hang": [True]}, cv=2, fit_timeout=0.5)
    with pytest.raises(ValueError, match=r"All the 2 fits failed"):
        search.fit(X, y)


def test_the_threading_backend_is_refused_before_any_fit(tmp_path):
    log, db = tmp_path / "fits.log", tmp_path / "search.db"
    search = GridSearch(Hang(log=str(log)), {"hang": [False, True]}, cv=2, n_jobs=2,
                        fit_timeout=1, checkpoint=str(db))
    with joblib.parallel_backend("threading"):
        with pytest.raises(
            ValueError,
            match=r"The 'fit_timeout' parameter of GridSearch cannot be honoured under "
                  r"joblib's ThreadingBackend with n_jobs=2: its fits run in threads .*"
                  r"Got fit_timeout=1; use the loky or multiprocessing backend",
        ):
            search.fit(X, y)
    assert not log.exists() and not db.exists()


def test_n_jobs_1_from_another_thread_is_refused():
    search = GridSearch(Hang(), {"hang": [False]}, cv=2, fit_timeout=1)
    raised = []

    def run():
        try:
            search.fit(X, y)
        except ValueError as exc:
            raised.append(str(exc))

    thread = threading.Thread(target=run, name="tuner")
    thread.start()
    thread.join(BOUND)
    assert len(raised) == 1
    assert raised[0].startswith(
        "The 'fit_timeout' parameter of GridSearch can stop a fit with n_jobs=1 only "
        "when fit is called from the main thread"
    )
    assert "in thread 'tuner'" in raised[0]


def test_a_pending_timer_and_handler_of_the_caller_are_restored():
    calls = []

    def handler(signum, frame):
        calls.append(signum)

    previous = signal.signal(signal.SIGALRM, handler)
    # pytest-timeout's own timer, put back at the end
    previous_timer = signal.setitimer(signal.ITIMER_REAL, 100.0)
    try:
        GridSearch(Hang(), {"hang": [False, True]}, cv=2, fit_timeout=0.5).fit(X, y)
        assert signal.getsignal(signal.SIGALRM) is handler
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 80 < left < 100
        assert calls == []
    finally:
        signal.signal(signal.SIGALRM, previous)
        signal.setitimer(signal.ITIMER_REAL, *previous_timer)


_SEARCHES = {
    "grid": lambda **kw: GridSearch(Hang(), {"hang": [False]}, cv=2, **kw),
    "random": lambda **kw: RandomSearch(Hang(), {"hang": [False]}, n_iter=1, cv=2, **kw),
    "bayes": lambda **kw: BayesSearch(
        Hang(), {"hang": [False], "swallow": [False, True]}, n_iter=2, cv=2, **kw),
    "hyperband": lambda **kw: HyperbandSearch(
        Hang(), {"hang": [False]}, min_resources=30, cv=2, **kw),
    "manual": lambda **kw: ManualSearch(Hang(), [{"hang": False}], cv=2, **kw),
}


@pytest.mark.parametrize("name", sorted(_SEARCHES))
@pytest.mark.parametrize("value", [0, -1, "1", math.nan])
def test_bad_fit_timeout_is_refused_before_any_file(tmp_path, name, value):
    db = tmp_path / "search.db"
    search = _SEARCHES[name](fit_timeout=value, checkpoint=str(db))
    with pytest.raises(
        ValueError,
        match=rf"The 'fit_timeout' parameter of {type(search).__name__} must be a float "
              r"in the range \(0.0, inf\) or None\. Got .* instead",
    ):
        search.fit(X, y)
    assert not db.exists()


@pytest.mark.parametrize("name", sorted(_SEARCHES))
def test_every_search_takes_fit_timeout(name):
    search = _SEARCHES[name](fit_timeout=5.0)
    assert search.get_params()["fit_timeout"] == 5.0
    with _alarm_kept():
        search.fit(X, y)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def _sktune_run(folder):
    """``python -m sktune run job.toml`` with the sktune these tests import."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(sktune.__file__)))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, str(folder)]))
    env.pop("COLUMNS", None)
    proc = subprocess.run(
        [sys.executable, "-m", "sktune", "run", "job.toml"], cwd=folder, env=env,
        capture_output=True, text=True, timeout=300,
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_fit_timeout_in_the_toml_run_settings(tmp_path):
    (tmp_path / "slowmod.py").write_text(SLOW_MODULE)
    (tmp_path / "job.toml").write_text(
        '[trust]\nallow_import = ["slowmod"]\n'
        '[estimator]\npath = "slowmod.SlowCentroid"\n'
        '[data]\ndataset = "iris"\n'
        '[search]\nstrategy = "grid"\ncv = 2\nfit_timeout = 1\n'
        "[space]\ndelay = [0.0, 600.0]\n"
    )
    # without the limit, 1200 s of sleep; with it, 2 s plus starting Python
    status, out, err = _sktune_run(tmp_path)
    assert status == 0, err
    assert "== GridSearch: 2 evaluations ==" in out
    assert "best parameters: {'delay': 0.0}" in out
    assert "FitTimeoutError" in err


def test_a_bad_fit_timeout_in_the_toml_file_is_one_clear_error(tmp_path):
    (tmp_path / "job.toml").write_text(
        '[estimator]\npath = "sklearn.svm.SVC"\n[data]\ndataset = "iris"\n'
        '[search]\nstrategy = "grid"\nfit_timeout = 0\n[space]\nC = [1.0]\n'
    )
    status, out, err = _sktune_run(tmp_path)
    assert status != 0
    assert "'fit_timeout' parameter of GridSearch must be a float in the range" in err
    assert "Traceback" not in err

