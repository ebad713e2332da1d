"""A checkpoint passes back and forth between this sktune and one from before
the fits' workers were recorded: each continues what the other wrote.

The older sktune is the project's own code at ``OLDER``, taken from the git
history and run in its own processes.
"""

import io
import os
import pickle
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from checkpoint_job import make_search
from sklearn.datasets import load_iris
from test_checkpoint import JOB, _assert_same_results, _finish, _kill_after_records

import sktune
from sktune.dashboard._data import _read_checkpoint
from sktune.store import CheckpointStore

#: main before the fit_workers table: it writes six values per splits row
OLDER = "93736a8"
ROOT = Path(__file__).resolve().parents[1]
WORKER = ("start_time", "worker_host", "worker_pid")
X, y = load_iris(return_X_y=True)


@pytest.fixture(scope="module")
def older(tmp_path_factory):
    """``(folder, env)``: the older sktune's tree and an environment that imports it."""
    known = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{OLDER}^{{commit}}"],
                           capture_output=True)
    if known.returncode:
        pytest.skip(f"needs the git history holding commit {OLDER}")
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", OLDER, "sktune", "tests/checkpoint_job.py"],
        capture_output=True, check=True,
    ).stdout
    folder = tmp_path_factory.mktemp("older_sktune")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    env = dict(os.environ, PYTHONPATH=str(folder), SKTUNE_FIT_LOG="")
    where = _older_python(folder, env, "import sktune; print(sktune.__file__)")
    assert where.strip() == str(folder / "sktune" / "__init__.py")
    return folder, env


def _older_python(folder, env, code):
    done = subprocess.run([sys.executable, "-c", code], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _job(tree, checkpoint, out, *extra):
    """The job of ``checkpoint_job.py`` run by the sktune of ``tree``: ``older`` or ``None``."""
    # None: the sktune this process imported, whichever one the environment installed
    this = Path(sktune.__file__).resolve().parents[1]
    folder, env = tree or (this, dict(os.environ, PYTHONPATH=str(this), SKTUNE_FIT_LOG=""))
    job = folder / "tests" / "checkpoint_job.py" if tree else JOB
    cmd = [sys.executable, str(job), "random",
           str(checkpoint), str(out), *extra]
    return subprocess.Popen(cmd, cwd=folder, env=env, stderr=subprocess.PIPE, text=True)


def _finished(tree, checkpoint, out, *extra):
    _finish(_job(tree, checkpoint, out, *extra))
    return pickle.loads(Path(out).read_bytes())


def _records(path):
    with CheckpointStore(path, read_only=True) as store:
        return [outputs for _, outputs in store.records().values()]


def _has_worker(outputs):
    return [all(set(WORKER) <= set(o) for o in outs) for outs in outputs]


def _results(n_iter):
    return make_search("random", None, n_iter, 1).fit(X, y).cv_results_


@pytest.mark.slow
def test_the_older_sktune_resumes_a_killed_search_of_this_one(tmp_path, older):
    db = tmp_path / "search.db"
    first = _job(None, db, tmp_path / "never.pkl", "--delay", "0.15", "--n-jobs", "2")
    n_stored = _kill_after_records(db, 4, first)
    assert 4 <= n_stored < 12 and all(_has_worker(_records(db)))

    # the older sktune finishes it, reusing every stored candidate
    out = _finished(older, db, tmp_path / "resumed.pkl")
    assert out["n_reused"] == n_stored
    _assert_same_results(out["results"], _results(12))
    # its own fits say nothing of their workers; this sktune's still do
    assert _has_worker(_records(db)) == [True] * n_stored + [False] * (12 - n_stored)
    timeline = _read_checkpoint(str(db))["figures"]["timeline"]
    assert len(timeline["data"][0]["x"]) == 3 * n_stored

    # and this sktune extends the file again
    out = _finished(None, db, tmp_path / "more.pkl", "--n-iter", "16")
    assert out["n_reused"] == 12
    _assert_same_results(out["results"], _results(16))
    assert _has_worker(_records(db))[12:] == [True] * 4


@pytest.mark.slow
def test_this_sktune_continues_a_file_of_the_older_one(tmp_path, older):
    db = tmp_path / "search.db"
    _finished(older, db, tmp_path / "first.pkl", "--n-iter", "4")
    before = db.read_bytes()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "fit_workers" not in tables
    # read as it is: no worker, no timeline, no table added
    assert _has_worker(_records(db)) == [False] * 4
    page = _read_checkpoint(str(db))
    assert "convergence" in page["figures"] and "timeline" not in page["figures"]
    assert db.read_bytes() == before

    out = _finished(None, db, tmp_path / "more.pkl", "--n-iter", "8")
    assert out["n_reused"] == 4
    _assert_same_results(out["results"], _results(8))
    assert _has_worker(_records(db)) == [False] * 4 + [True] * 4
    assert len(_read_checkpoint(str(db))["figures"]["timeline"]["data"][0]["x"]) == 4 * 3


@pytest.mark.slow
def test_a_record_the_older_sktune_replaced_loses_its_old_workers(tmp_path, older):
    db = tmp_path / "s.db"
    out = {"test_scores": 0.5, "fit_time": 0.1, "start_time": 1.5, "worker_host": "node",
           "worker_pid": 7}
    with CheckpointStore(db) as store:
        store.set_fingerprint({"data": "x"})
        store.add("a", {"C": 1.0}, [out, out])
        store.add("b", {"C": 2.0}, [out, out])
    # the older sktune records "b" again: its splits go, its fit_workers rows stay,
    # and the new record takes the same seq
    _older_python(older[0], older[1], (
        "from sktune.store import CheckpointStore\n"
        f"with CheckpointStore({str(db)!r}) as store:\n"
        "    store.add('b', {'C': 2.0}, [{'test_scores': 0.25}, {'test_scores': 0.75}])\n"
    ))
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT seq FROM candidates WHERE key='b'").fetchone() == (2,)
        assert conn.execute("SELECT COUNT(*) FROM fit_workers WHERE seq=2").fetchone() == (2,)
    conn.close()
    with CheckpointStore(db, read_only=True) as store:
        records = store.records()
    assert records["b"][1] == [{"fit_error": None, "test_scores": 0.25},
                               {"fit_error": None, "test_scores": 0.75}]
    assert records["a"][1] == [{"fit_error": None, **out}] * 2
    # this sktune writing it again drops the stale rows
    with CheckpointStore(db) as store:
        store.add("b", {"C": 2.0}, [out])
        assert store.records()["b"][1] == [{"fit_error": None, **out}]
