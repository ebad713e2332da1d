"""fit_timeout: a fit that runs too long is stopped, and max_time ends on time (issue 17).

The estimators hang for real (``time.sleep(300)``, a C call that never
checks for signals, signals masked) in real fit runner processes, which the
search kills; a fit that crashes its process (a segmentation fault) is a
failed fit; a killed search leaves no runner behind. Without the time limit
each of these searches would take minutes.
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
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from test_cli import SLOW_MODULE

import sktune
from sktune import BayesSearch, GridSearch, HyperbandSearch, ManualSearch, RandomSearch
from sktune.distributions import LogUniform

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGALRM")

X, y = load_iris(return_X_y=True)
HANG = 300.0
# Generous against a loaded machine (each fit runner's start, importing
# scikit-learn, took up to 5 s at a load of 8 on 2 cores), far below what
# one hanging fit takes.
BOUND = 60.0


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
                f.write(f"{os.getpid()} {os.getppid()}\n")
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
    """Start loky's workers, their imports and fit runners before a timed search.

    Measured on a loaded 2-core machine: the first search with n_jobs=2
    spends 23 s starting the workers, the next ones 0.1 s; loky reuses them.
    A fit runner (the process each fit runs in under fit_timeout) takes 2 s
    of CPU to start, 5 s of wall time at a load of 9; it is reused by the
    next searches of its process, so the timed searches, whose max_time
    counts it, find the runners started.
    """
    for n_jobs in (1, 2):
        GridSearch(Hang(), {"hang": [False, False]}, cv=2, n_jobs=n_jobs,
                   fit_timeout=60).fit(X, y)


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


def test_a_fit_running_when_max_time_ends_is_stopped_and_its_candidate_dropped(warm_workers):
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


def test_the_threading_backend_stops_a_hanging_fit():
    search = GridSearch(Hang(), {"hang": [True, False]}, cv=2, n_jobs=2, fit_timeout=1)
    with joblib.parallel_backend("threading"):
        elapsed, _ = _timed_fit(search)
    assert elapsed < BOUND
    assert np.isnan(search.cv_results_["mean_test_score"][0])
    assert np.isfinite(search.cv_results_["mean_test_score"][1])


class _ClusterBackend(joblib.parallel.ThreadingBackend):
    """Stands for a backend whose tasks run where the search cannot start processes."""


def test_a_cluster_backend_is_refused_before_any_fit(tmp_path):
    joblib.register_parallel_backend("sktune-test-cluster", _ClusterBackend)
    log, db = tmp_path / "fits.log", tmp_path / "search.db"
    search = GridSearch(Hang(log=str(log)), {"hang": [False, True]}, cv=2, n_jobs=2,
                        fit_timeout=1, checkpoint=str(db))
    with joblib.parallel_backend("sktune-test-cluster"):
        with pytest.raises(
            ValueError,
            match=r"The 'fit_timeout' parameter of GridSearch cannot be honoured under "
                  r"joblib's _ClusterBackend with n_jobs=2: its fits run in processes .*"
                  r"Got fit_timeout=1; use the loky, multiprocessing or threading backend",
        ):
            search.fit(X, y)
    assert not log.exists() and not db.exists()


def test_n_jobs_1_from_another_thread_stops_a_hanging_fit():
    search = GridSearch(Hang(), {"hang": [False, True]}, cv=2, fit_timeout=1)
    raised = []

    def run():
        try:
            search.fit(X, y)
        except Exception as exc:
            raised.append(exc)

    thread = threading.Thread(target=run, name="tuner")
    start = time.monotonic()
    thread.start()
    thread.join(BOUND)
    assert time.monotonic() - start < BOUND and raised == []
    scores = search.cv_results_["mean_test_score"]
    assert np.isfinite(scores[0]) and np.isnan(scores[1])


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



# --- fits that no signal stops: each fit runs in a runner process that is killed


def _calibrated_c_call_length(seconds=12.0):
    """``n`` for which ``sum(range(n))`` takes about ``seconds``, here and now.

    ``sum`` over a ``range`` runs in C without checking for signals: before
    the fit runner, SIGALRM could not stop it (its handler ran once the sum
    had returned). Bounded, so that the old code fails instead of hanging.
    """
    n = 2_000_000
    start = time.perf_counter()
    sum(range(n))
    return int(n * seconds / max(time.perf_counter() - start, 1e-4))


_C_CALL_N = _calibrated_c_call_length()


def _stick(how):
    if how == "c_call":
        sum(range(_C_CALL_N))
    elif how == "masked":
        # a native library that blocks signals in its thread, then waits
        before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        try:
            time.sleep(12.0)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
    elif how == "segfault":
        import ctypes

        ctypes.string_at(0)
    elif how == "exit":
        os._exit(3)


class Stuck(ClassifierMixin, BaseEstimator):
    """Logistic regression whose fit gets stuck (``how``) when ``C == stuck_at``.

    With ``log``, each fit appends "pid parent-pid C" to that file.
    """

    def __init__(self, C=1.0, stuck_at=None, how="c_call", log=None):
        self.C = C
        self.stuck_at = stuck_at
        self.how = how
        self.log = log

    def fit(self, X, y):
        if self.log is not None:
            with open(self.log, "a") as f:
                f.write(f"{os.getpid()} {os.getppid()} {self.C}\n")
        if self.C == self.stuck_at:
            _stick(self.how)
        self.model_ = LogisticRegression(C=self.C, max_iter=1000).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)


_GRID = {"C": [0.1, 1.0, 10.0, 100.0]}


def _plain_scores(grid=_GRID, cv=2):
    plain = GridSearchCV(LogisticRegression(max_iter=1000), grid, cv=cv).fit(X, y)
    return plain.cv_results_["mean_test_score"]


def _fits(log):
    """(pid, parent pid, C) of each fit, from the estimator's own log."""
    return [(int(a), int(b), float(c)) for a, b, c in
            (line.split() for line in log.read_text().splitlines())]


@pytest.mark.slow
@pytest.mark.parametrize("how", ["c_call", "masked"])
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_fit_deaf_to_signals_is_stopped_and_the_search_goes_on(
    how, n_jobs, warm_workers, tmp_path
):
    # fit_timeout=3, not less: on a 2-core machine at a load of 9, the first
    # logistic fit of a new runner took over 2 s
    log = tmp_path / "fits.log"
    # refit=False: the log holds the cross-validation fits alone
    search = GridSearch(Stuck(stuck_at=1.0, how=how, log=str(log)), _GRID, cv=2,
                        n_jobs=n_jobs, fit_timeout=3, refit=False)
    elapsed, caught = _timed_fit(search)
    assert elapsed < BOUND
    results = search.cv_results_
    scores = results["mean_test_score"]
    failures = [str(w.message) for w in caught if issubclass(w.category, FitFailedWarning)]
    assert np.isnan(scores[1])
    # the other candidates, fitted before and after the kills, as without the limit
    np.testing.assert_array_equal(np.delete(scores, 1), np.delete(_plain_scores(), 1),
                                  err_msg=str(failures))
    # stopped at the limit, not when the C call returned (12 s)
    assert 3 <= results["mean_fit_time"][1] < 4
    assert any("2 fits failed" in m and "FitTimeoutError" in m and "fit_timeout=3" in m
               and "{'C': 1.0}" in m for m in failures), failures
    fits = _fits(log)
    assert sorted(c for _, _, c in fits) == sorted(2 * _GRID["C"])
    owners = {parent for _, parent, _ in fits}
    if n_jobs == 1:
        # the search's own process owns the runner; a new runner after each kill
        assert owners == {os.getpid()}
        assert len({pid for pid, _, _ in fits}) == 3
    else:
        # loky's workers own theirs, and survived the kills
        assert os.getpid() not in owners and len(owners) <= 2
        assert all(os.path.exists(f"/proc/{p}") for p in owners)


@pytest.mark.slow
@pytest.mark.parametrize("how", ["segfault", "exit"])
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_fit_that_ends_its_process_is_a_failed_fit(how, n_jobs, warm_workers):
    search = GridSearch(Stuck(stuck_at=1.0, how=how), _GRID, cv=2, n_jobs=n_jobs,
                        fit_timeout=30)
    elapsed, caught = _timed_fit(search)
    assert elapsed < BOUND
    scores = search.cv_results_["mean_test_score"]
    assert np.isnan(scores[1])
    np.testing.assert_array_equal(np.delete(scores, 1), np.delete(_plain_scores(), 1))
    how_it_ended = "killed by SIGSEGV" if how == "segfault" else "exited with status 3"
    failures = [str(w.message) for w in caught if issubclass(w.category, FitFailedWarning)]
    assert any("ChildProcessError" in m and how_it_ended in m and "{'C': 1.0}" in m
               for m in failures), failures


def test_a_crashed_fit_with_error_score_raise_raises_child_process_error():
    search = GridSearch(Stuck(stuck_at=1.0, how="segfault"), {"C": [1.0]}, cv=2,
                        fit_timeout=30, error_score="raise")
    with pytest.raises(
        ChildProcessError,
        match=r"The fit of GridSearch candidate \{'C': 1.0\} ended before it returned: "
              r"its process was killed by SIGSEGV",
    ):
        search.fit(X, y)


def test_fits_that_finish_in_time_score_as_without_fit_timeout():
    space = {"C": LogUniform(1e-3, 1e3)}
    for n_jobs, backend in [(1, "loky"), (2, "loky"), (2, "threading")]:
        runs = []
        for fit_timeout in (None, 30):
            search = RandomSearch(LogisticRegression(max_iter=1000), space, n_iter=5,
                                  cv=3, n_jobs=n_jobs, random_state=0,
                                  fit_timeout=fit_timeout)
            with joblib.parallel_backend(backend):
                search.fit(X, y)
            runs.append(search.cv_results_)
        assert runs[0]["params"] == runs[1]["params"], (n_jobs, backend)
        np.testing.assert_array_equal(runs[0]["mean_test_score"], runs[1]["mean_test_score"])
        np.testing.assert_array_equal(runs[0]["split2_test_score"],
                                      runs[1]["split2_test_score"])


_KILLED_SEARCH = """
import os, sys, time
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_iris
from sktune import GridSearch


class Sleep(ClassifierMixin, BaseEstimator):
    def __init__(self, log=None):
        self.log = log

    def fit(self, X, y):
        with open(self.log, "a") as f:
            f.write(f"{os.getpid()} {os.getppid()}\\n")
        time.sleep(600)


X, y = load_iris(return_X_y=True)
GridSearch(Sleep(log=sys.argv[1]), {"log": [sys.argv[1]] * 2}, cv=2,
           n_jobs=int(sys.argv[2]), fit_timeout=900).fit(X, y)
"""


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_no_fit_runner_outlives_a_killed_search(tmp_path, n_jobs):
    log = tmp_path / "fits.log"
    script = tmp_path / "search.py"
    script.write_text(_KILLED_SEARCH)
    root = os.path.dirname(os.path.dirname(os.path.abspath(sktune.__file__)))
    env = dict(os.environ, PYTHONPATH=root)
    proc = subprocess.Popen([sys.executable, str(script), str(log), str(n_jobs)], env=env)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(_lines(log)) < n_jobs:
            assert proc.poll() is None
            time.sleep(0.2)
        fits = [tuple(map(int, line.split())) for line in _lines(log)]
        assert len(fits) >= n_jobs
        # each fit runs in a child of the process running the task
        owners = {parent for _, parent in fits}
        assert owners == {proc.pid} if n_jobs == 1 else proc.pid not in owners
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline and any(_alive(pid) for pid, _ in fits):
        time.sleep(0.2)
    assert not [pid for pid, _ in fits if _alive(pid)]


def _lines(path):
    return path.read_text().splitlines() if path.exists() else []


def test_forked_workers_leave_the_callers_runner_alone():
    # multiprocessing's workers are forks of this process: they inherit the
    # handle on its runner, and must neither use nor kill that process
    from sktune.search._runner import runner

    GridSearch(Hang(), {"hang": [False]}, cv=2, fit_timeout=30).fit(X, y)
    pid = runner()._proc.pid
    search = GridSearch(Hang(), {"hang": [True, False]}, cv=2, n_jobs=2, fit_timeout=1)
    with joblib.parallel_backend("multiprocessing"):
        search.fit(X, y)
    assert np.isnan(search.cv_results_["mean_test_score"][0])
    assert _alive(pid) and runner()._proc.pid == pid
