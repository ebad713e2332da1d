"""Every search on a real Dask cluster: a scheduler and two workers (issue 8).

The cluster is made of separate processes started with the ``dask`` command
line on 127.0.0.1, as on several machines: a scheduler and two workers of one
thread each. Each search is fitted there through joblib's Dask backend and
compared with the same search fitted locally; one worker is killed in the
middle of a search; the bytes the data cost on the wire are counted.

Without ``distributed`` (the ``dask`` extra) the module is skipped on a
developer's machine but fails in CI (``CI`` set): CI must run it.
"""

import math
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import joblib
import numpy as np
import pytest
from ci_env import in_ci
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import ShuffleSplit
from sklearn.tree import DecisionTreeClassifier

import sktune
from sktune.distributions import Integer, LogUniform
from sktune.search import _backend, _engine

try:
    import distributed
    import distributed.comm.tcp
except ImportError:  # pragma: no cover - depends on the environment
    if in_ci():
        pytest.fail(
            "distributed is not installed; CI must run the Dask tests "
            "(pip install -e '.[dev]' installs it).",
            pytrace=False,
        )
    pytest.skip("distributed (the 'dask' extra) is not installed", allow_module_level=True)

pytestmark = [pytest.mark.dask, pytest.mark.timeout(180)]

TESTS = Path(__file__).resolve().parent
DASK = Path(sys.executable).with_name("dask")
STARTUP_TIMEOUT = 90  # s; three Python processes importing distributed on 2 busy cores

X, y = make_classification(
    n_samples=300, n_features=8, n_informative=4, random_state=0
)


class SlowClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression that sleeps ``delay`` seconds per fit.

    Defined here, so the workers import it from this module (the cluster
    fixture puts ``tests/`` on their ``PYTHONPATH``).
    """

    def __init__(self, C=1.0, delay=0.0):
        self.C = C
        self.delay = delay

    def fit(self, X, y):
        time.sleep(self.delay)
        self.model_ = LogisticRegression(C=self.C).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)


# ----------------------------------------------------------------------------
# the cluster


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc, timeout=10):
    """Stop a process and its children (its own process group)."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, timeout)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


class Cluster:
    """A ``dask scheduler`` and ``dask worker`` processes on 127.0.0.1."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.procs = []
        self.workers = []
        self.client = None

    def start(self, n_workers=2):
        port = _free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        self.scheduler = self._start(
            "scheduler",
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
             "--no-dashboard"],
        )
        for _ in range(n_workers):
            self.add_worker()
        self.client = distributed.Client(self.address, timeout=STARTUP_TIMEOUT)
        self.wait_for_workers(n_workers)

    def _start(self, name, cmd):
        env = dict(os.environ)
        # the workers unpickle SlowClassifier and the counters from this module
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(TESTS), env.get("PYTHONPATH")) if p
        )
        log = open(self.folder / f"{name}-{len(self.procs)}.log", "w")
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.folder,
            start_new_session=True,  # its own process group: nanny and worker die together
        )
        log.close()
        self.procs.append(proc)
        return proc

    def add_worker(self):
        proc = self._start(
            "worker",
            [str(DASK), "worker", self.address, "--nthreads", "1", "--nworkers", "1",
             "--no-dashboard", "--memory-limit", "2GiB",
             "--local-directory", str(self.folder),
             # a worker left behind by a crashed test run exits on its own
             "--death-timeout", "30"],
        )
        self.workers.append(proc)
        return proc

    def wait_for_workers(self, n, timeout=STARTUP_TIMEOUT):
        """Wait until the scheduler knows exactly ``n`` workers."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if len(self.client.scheduler_info(n_workers=-1)["workers"]) == n:
                return
            time.sleep(0.1)
        logs = "\n".join(p.name + ":\n" + p.read_text()[-2000:] for p in self.folder.glob("*.log"))
        raise TimeoutError(f"the scheduler does not see {n} workers after {timeout} s\n{logs}")

    def worker_address(self, proc):
        """The address of the worker that ``proc`` (a ``dask worker`` process) runs."""
        pids = self.client.run(os.getppid)  # the worker's parent is the nanny
        return next(addr for addr, ppid in pids.items() if ppid == proc.pid)

    def kill(self, proc):
        """SIGKILL a worker and its nanny, as when a machine is lost."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
        self.workers.remove(proc)

    def close(self):
        if self.client is not None:
            self.client.close(timeout=10)
        for proc in reversed(self.procs):
            _stop(proc)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not DASK.exists():
        pytest.fail(f"the dask command line is missing beside {sys.executable}")
    c = Cluster(tmp_path_factory.mktemp("dask-cluster"))
    try:  # close() also stops what a failed start left running
        c.start()
        yield c
    finally:
        c.close()


@pytest.fixture
def client(cluster):
    """The cluster's client, with the full two workers."""
    if len(cluster.workers) < 2:  # a previous test killed one
        cluster.add_worker()
    cluster.wait_for_workers(2)
    return cluster.client


# ----------------------------------------------------------------------------
# results on the cluster equal the local ones


def _searches():
    tree = DecisionTreeClassifier(random_state=0)
    logistic = LogisticRegression()
    log_c = {"C": LogUniform(1e-3, 1e2)}
    return {
        "GridSearch": lambda: sktune.GridSearch(
            tree, {"max_depth": [1, 2, 3, 4], "min_samples_leaf": [1, 10]}, cv=3
        ),
        "RandomSearch": lambda: sktune.RandomSearch(
            logistic, log_c, n_iter=8, cv=3, random_state=0
        ),
        # one split per candidate: batches of ceil(2 threads / 1 split) = 2
        "BayesSearch": lambda: sktune.BayesSearch(
            logistic, log_c, n_iter=8, n_initial_points=4,
            cv=ShuffleSplit(n_splits=1, test_size=0.3, random_state=0), random_state=0,
        ),
        # one split too: a rung of one candidate leaves a thread idle, so a
        # rung of the next bracket joins it (rounds sized from the threads)
        "HyperbandSearch": lambda: sktune.HyperbandSearch(
            tree, {"max_depth": Integer(1, 8), "min_samples_leaf": Integer(1, 20)},
            resource="n_samples", min_resources=20, max_resources=180, eta=3,
            cv=ShuffleSplit(n_splits=1, test_size=0.3, random_state=0), random_state=0,
        ),
        # continued training: the fitted models travel back and forth
        "HyperbandSearch partial_fit": lambda: sktune.HyperbandSearch(
            SGDClassifier(random_state=0), {"alpha": LogUniform(1e-5, 1e-1)},
            resource="partial_fit", min_resources=1, max_resources=9, cv=3, random_state=0,
        ),
    }


def assert_same_results(local, remote):
    a, b = local.cv_results_, remote.cv_results_
    assert a["params"] == b["params"]
    assert set(a) == set(b)
    for key in a:
        if "time" in key or key == "params":
            continue  # timings differ from run to run
        va, vb = np.asarray(a[key]), np.asarray(b[key])
        if va.dtype.kind == "f":
            np.testing.assert_allclose(va, vb, rtol=1e-10, err_msg=key)
        else:
            np.testing.assert_array_equal(va, vb, err_msg=key)
    assert local.best_params_ == remote.best_params_


@pytest.mark.parametrize(
    "name",
    ["GridSearch", "RandomSearch", "BayesSearch", "HyperbandSearch", "HyperbandSearch partial_fit"],
)
@pytest.mark.slow
def test_search_on_the_cluster_equals_the_local_run(client, name):
    make = _searches()[name]
    # the local run on loky's two processes, the cluster's two worker threads
    local = make().set_params(n_jobs=2).fit(X, y)
    # exactly what a user adds: one line around fit (n_jobs left at None)
    with joblib.parallel_backend("dask"):
        assert _backend.dask_client() is client
        remote = make().fit(X, y)
    assert_same_results(local, remote)
    assert remote.stop_reason_ == "completed"
    if name == "BayesSearch":
        # batches sized from the cluster's 2 worker threads (1 split per
        # candidate); the loky default n_jobs=None would give batches of 1
        n_threads = sum(client.nthreads().values())
        assert remote.batch_size_ == n_threads == 2
    if name == "HyperbandSearch":
        # rounds planned for the cluster's 2 threads: 5, where one thread
        # (the loky default n_jobs=None) gives 6
        rounds = remote.schedule_.rounds
        assert len(set(remote.cv_results_["iter"])) == len(rounds(1, 2, 1)) == 5
        assert len(rounds(1, 1, 1)) == 6


@pytest.mark.slow
def test_the_tasks_ran_on_the_workers(client):
    # a search that succeeds locally would hide a backend that silently ran
    # everything in this process: count the fits each worker ran
    def worker_pid():
        return os.getpid()

    search = sktune.RandomSearch(
        _PidClassifier(), {"C": LogUniform(1e-2, 1e2)}, n_iter=6, cv=2, random_state=0,
        refit=False,
    )
    with joblib.parallel_backend("dask"):
        search.fit(X, y)
    results = search.cv_results_
    pids = {int(p) for k in ("split0_test_score", "split1_test_score") for p in results[k]}
    assert pids <= set(client.run(worker_pid).values())
    assert os.getpid() not in pids


class _PidClassifier(ClassifierMixin, BaseEstimator):
    """Scores the process id of the process that fitted it."""

    def __init__(self, C=1.0):
        self.C = C

    def fit(self, X, y):
        self.pid_ = os.getpid()
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y):
        return float(self.pid_)


# ----------------------------------------------------------------------------
# the data reach the workers once per fit


def _count_received_bytes():
    """In a worker: count every byte it reads from TCP from now on."""
    tcp = distributed.comm.tcp
    if not hasattr(tcp, "_sktune_received"):
        read_bytes_rw = tcp.read_bytes_rw

        async def counted(stream, n):
            tcp._sktune_received += n
            return await read_bytes_rw(stream, n)

        tcp.read_bytes_rw = counted
    tcp._sktune_received = 0


def _received_bytes():
    return distributed.comm.tcp._sktune_received


def _bytes_of_fit(client, monkeypatch, make, X, y):
    """(bytes this process wrote, bytes the workers read) during one fit."""
    sent = [0]
    write = distributed.comm.tcp.TCP.write

    async def counted_write(self, msg, serializers=None, on_error="message"):
        n = await write(self, msg, serializers, on_error)
        sent[0] += n
        return n

    client.run(_count_received_bytes)
    with monkeypatch.context() as m:
        m.setattr(distributed.comm.tcp.TCP, "write", counted_write)
        with joblib.parallel_backend("dask"):
            search = make().fit(X, y)
    return search, sent[0], sum(client.run(_received_bytes).values())


def test_large_data_is_sent_once_per_fit_not_once_per_round(client, monkeypatch):
    rng = np.random.RandomState(0)
    X_big = rng.randn(10_000, 50)  # 4 MB
    y_big = (X_big[:, 0] + rng.randn(10_000) > 0).astype(int)
    size = X_big.nbytes + y_big.nbytes

    def make():
        # an initial batch, then model rounds of 2: several Parallel calls
        return sktune.BayesSearch(
            LogisticRegression(max_iter=30), {"C": LogUniform(1e-3, 1e2)},
            n_iter=10, n_initial_points=2, batch_size=2,
            cv=ShuffleSplit(n_splits=1, test_size=0.3, random_state=0), random_state=0,
            refit=False,
        )

    ours, sent, received = _bytes_of_fit(client, monkeypatch, make, X_big, y_big)
    # without sktune's scattering: joblib's Dask backend scatters X again in
    # every Parallel call (one per round)
    monkeypatch.setattr(_backend, "_MIN_SCATTER_BYTES", math.inf)
    joblibs, sent_joblib, received_joblib = _bytes_of_fit(
        client, monkeypatch, make, X_big, y_big
    )
    n_calls = len(set(ours.cv_results_["iter"]))  # Parallel calls, one per round
    assert n_calls >= 3
    assert_same_results(joblibs, ours)
    # one copy per worker, broadcast (2 workers), plus task messages
    assert sent < 2.5 * size, (sent, size)
    assert sent_joblib > n_calls * size * 0.9, (sent_joblib, size)
    assert received < received_joblib


@pytest.fixture
def task_data(monkeypatch):
    """The type names of what the tasks of each fit receive for X and sample_weight."""
    seen = []
    original = _engine.scattered

    @contextmanager
    def spy(client_, data):
        with original(client_, data) as task_data:
            weight = task_data["fit_params"].get("sample_weight")
            seen.append((type(task_data["X"]).__name__, type(weight).__name__))
            yield task_data

    monkeypatch.setattr(_engine, "scattered", spy)
    return seen


def test_a_list_of_strings_is_scattered_too(client, task_data):
    # joblib never scatters a list (it cannot be weakly referenced): it would
    # go out with every batch of tasks
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline

    words = ["alpha", "beta", "gamma", "delta"]
    rng = np.random.RandomState(0)
    docs = [" ".join(rng.choice(words, 20)) for _ in range(400)]
    labels = np.array(["alpha" in d[:12] for d in docs], dtype=int)

    def make():
        return sktune.RandomSearch(
            make_pipeline(TfidfVectorizer(), LogisticRegression()),
            {"logisticregression__C": LogUniform(1e-2, 1e2)}, n_iter=6, cv=2,
            random_state=0, refit=False,
        )

    with joblib.parallel_backend("dask"):
        remote = make().fit(docs, labels)
    assert task_data == [("Future", "NoneType")]
    assert_same_results(make().fit(docs, labels), remote)


@pytest.mark.slow
def test_sample_weight_is_scattered_and_used(client, task_data):
    # a fit parameter sits in the fit_params dict, where joblib does not look
    weight = np.random.RandomState(0).uniform(0.1, 3.0, len(y))

    def make():
        return sktune.RandomSearch(
            LogisticRegression(), {"C": LogUniform(1e-3, 1e2)}, n_iter=6, cv=3,
            random_state=0,
        )

    with joblib.parallel_backend("dask"):
        remote = make().fit(X, y, sample_weight=weight)
    assert task_data == [("Future", "Future")]
    local = make().fit(X, y, sample_weight=weight)
    assert_same_results(local, remote)
    # the weights changed the scores: they reached the fits on the workers
    unweighted = make().fit(X, y)
    assert not np.allclose(
        unweighted.cv_results_["mean_test_score"], remote.cv_results_["mean_test_score"]
    )


# ----------------------------------------------------------------------------
# a worker that dies


def _n_records(db):
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT COUNT(*) FROM candidates").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_a_killed_worker_does_not_lose_the_search(cluster, client, tmp_path):
    db = tmp_path / "search.db"
    space = {"C": LogUniform(1e-3, 1e2)}

    def make(delay, checkpoint=None):
        return sktune.RandomSearch(
            SlowClassifier(delay=delay), space, n_iter=16, cv=2, random_state=0,
            checkpoint=checkpoint,
        )

    search = make(0.25, db)
    errors = []

    def run():
        try:
            with joblib.parallel_backend("dask"):
                search.fit(X, y)
        except BaseException as exc:  # reported below
            errors.append(exc)

    victim = cluster.workers[0]
    address = cluster.worker_address(victim)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    # kill the worker while it is fitting, once some candidates are recorded
    end = time.monotonic() + 60
    while not (_n_records(db) >= 2 and client.processing().get(address)):
        assert time.monotonic() < end, "the search never got going on the cluster"
        assert thread.is_alive(), errors
        time.sleep(0.02)
    n_before = _n_records(db)
    was_processing = list(client.processing()[address])
    # Whether the scattered data survive depends on whether the scheduler
    # had already dropped the survivor's copy; either way nothing is lost
    # (the lost-data path is tested deterministically below).
    cluster.kill(victim)
    thread.join(120)
    assert not thread.is_alive(), "the search did not finish after the worker died"
    assert not errors, errors

    cluster.wait_for_workers(1)
    assert was_processing, "the killed worker had no task"
    assert n_before < 16, "the worker died after the search was over"
    assert search.stop_reason_ == "completed"
    assert len(search.cv_results_["params"]) == 16
    assert_same_results(make(0.0).fit(X, y), search)
    # with a checkpoint nothing finished is lost: every candidate is stored,
    # and fitting again (here, locally) fits none of them a second time
    assert _n_records(db) == 16
    again = make(0.25, db).fit(X, y)
    assert again.n_reused_ == 16
    assert_same_results(search, again)


@pytest.mark.slow
def test_a_one_thread_cluster_runs_in_this_process_with_the_scattered_data():
    # joblib runs a call in the calling process when the cluster has a
    # single thread (as after a worker of two dies between rounds): the
    # tasks then receive the futures of the scattered data, which sktune
    # maps back to the data themselves
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as local_cluster, distributed.Client(local_cluster):
        with joblib.parallel_backend("dask"):
            remote = _searches()["RandomSearch"]().fit(X, y)
    local = _searches()["RandomSearch"]().fit(X, y)
    assert_same_results(local, remote)
    assert not _backend._LOCAL  # released at the end of the fit


def test_fit_timeout_is_refused_on_a_cluster_before_any_fit(tmp_path):
    # the fits run in processes the cluster manages, where the search owns no fit runner
    db = tmp_path / "search.db"
    search = sktune.GridSearch(
        DecisionTreeClassifier(), {"max_depth": [1, 2]}, cv=2, fit_timeout=5,
        checkpoint=str(db),
    )
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
    ) as local_cluster, distributed.Client(local_cluster):
        with joblib.parallel_backend("dask"), pytest.raises(
            ValueError,
            match=r"The 'fit_timeout' parameter of GridSearch cannot be honoured under "
                  r"joblib's DaskDistributedBackend with n_jobs=2",
        ):
            search.fit(X, y)
    assert not db.exists()


def test_fits_cancelled_by_lost_data_are_run_again(monkeypatch):
    # distributed cancels the tasks whose scattered input died with the only
    # worker holding it (FutureCancelledError). The search sends the data
    # again and re-runs only the fits that had not finished.
    from distributed.client import FutureCancelledError

    def make():
        return sktune.RandomSearch(
            LogisticRegression(), {"C": LogUniform(1e-3, 1e2)}, n_iter=6, cv=3,
            random_state=0,
        )

    calls = []
    original = _engine._indexed_fit_and_score

    def flaky(index, split, **kwargs):
        calls.append((index, split))
        if len(calls) == 8:  # candidate 2, split 1: 7 fits are done
            raise FutureCancelledError("batch-key", "lost dependencies")
        return original(index, split, **kwargs)

    monkeypatch.setattr(_engine, "_indexed_fit_and_score", flaky)
    with pytest.warns(RuntimeWarning, match="re-running the unfinished fits of 4 candidates"):
        disturbed = make().fit(X, y)
    # 18 fits, plus the cancelled one once more; none that finished ran twice
    assert len(calls) == 19
    assert calls[8] == (2, 1)
    assert sorted(set(calls)) == sorted((i, s) for i in range(6) for s in range(3))
    monkeypatch.undo()
    assert_same_results(make().fit(X, y), disturbed)


def test_a_cluster_that_keeps_losing_data_fails(monkeypatch):
    from distributed.client import FutureCancelledError

    def always(index, split, **kwargs):
        raise FutureCancelledError("batch-key", "lost dependencies")

    monkeypatch.setattr(_engine, "_indexed_fit_and_score", always)
    search = sktune.RandomSearch(
        LogisticRegression(), {"C": LogUniform(1e-3, 1e2)}, n_iter=2, cv=2, random_state=0
    )
    with pytest.warns(RuntimeWarning), pytest.raises(FutureCancelledError):
        search.fit(X, y)
