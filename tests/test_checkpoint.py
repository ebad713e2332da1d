"""Checkpoint, resume and continue: nothing finished is ever lost or redone."""

import os
import pickle
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from checkpoint_job import SPACE, SlowCentroids
from sklearn.datasets import load_iris

import sktune
from sktune import RandomSearch
from sktune.search import results_from_checkpoint
from sktune.store import CheckpointError, CheckpointStore

JOB = Path(__file__).with_name("checkpoint_job.py")
X, y = load_iris(return_X_y=True)

RESUMABLE = ["random", "bayes", "hyperband"]


def _job(search, checkpoint, out, *extra, log=None):
    env = dict(os.environ, SKTUNE_FIT_LOG=str(log) if log else "")
    cmd = [sys.executable, str(JOB), search, str(checkpoint), str(out), *extra]
    return subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)


def _n_records(db):
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT COUNT(*) FROM candidates").fetchone()[0]
    except sqlite3.Error:
        return 0


def _kill_after_records(db, n, proc):
    """SIGKILL ``proc`` once ``db`` holds ``n`` records; return how many it holds."""
    _wait_for_records(db, n, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with CheckpointStore(db) as store:
        return len(store)


def _wait_for_records(db, n, proc, timeout=120):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if _n_records(db) >= n:
            return
        if proc.poll() is not None:
            pytest.fail(f"the search ended before writing {n} records: {proc.stderr.read()}")
        time.sleep(0.05)
    proc.kill()
    pytest.fail(f"no {n} records after {timeout} s")


def _finish(proc, timeout=300):
    _, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    return err


def _n_fits(log):
    return len(Path(log).read_text().splitlines()) if Path(log).exists() else 0


def _assert_same_results(a, b):
    assert a["params"] == b["params"]
    score_keys = [k for k in a if k.startswith(("mean_test", "split", "std_test", "rank"))]
    assert score_keys
    for key in score_keys:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)
    for key in set(a) - set(score_keys) - {"params"}:
        assert key in b


@pytest.mark.parametrize("search", RESUMABLE)
@pytest.mark.slow
def test_killed_search_resumes_to_the_uninterrupted_result(tmp_path, search):
    ref_log, log = tmp_path / "ref.log", tmp_path / "fits.log"
    db = tmp_path / "search.db"
    _finish(_job(search, "-", tmp_path / "ref.pkl", "--delay", "0.02", log=ref_log))

    first = _job(search, db, tmp_path / "never.pkl", "--delay", "0.15", "--n-jobs", "2")
    n_stored = _kill_after_records(db, 3, first)
    assert 3 <= n_stored

    _finish(_job(search, db, tmp_path / "resumed.pkl", "--delay", "0.02", log=log))
    ref = pickle.loads((tmp_path / "ref.pkl").read_bytes())
    resumed = pickle.loads((tmp_path / "resumed.pkl").read_bytes())
    assert resumed["n_reused"] == n_stored
    # every stored candidate was skipped: 3 folds each were not fitted again
    assert _n_fits(log) == _n_fits(ref_log) - 3 * n_stored
    _assert_same_results(resumed["results"], ref["results"])


@pytest.mark.slow
def test_killed_partial_fit_hyperband_resumes_to_the_uninterrupted_result(tmp_path):
    # Continued training: the checkpoint holds scores, not models. Killed
    # after its first rung (9 candidates) and one more candidate, the search
    # resumes with no model for the promoted candidates of the first rung:
    # they are trained from scratch, to the same scores.
    search, db = "hyperband_partial_fit", tmp_path / "search.db"
    _finish(_job(search, "-", tmp_path / "ref.pkl"))
    first = _job(search, db, tmp_path / "never.pkl", "--delay", "0.05", "--n-jobs", "2")
    n_stored = _kill_after_records(db, 10, first)
    _finish(_job(search, db, tmp_path / "resumed.pkl"))
    ref = pickle.loads((tmp_path / "ref.pkl").read_bytes())
    resumed = pickle.loads((tmp_path / "resumed.pkl").read_bytes())
    assert 10 <= resumed["n_reused"] == n_stored < len(ref["results"]["params"])
    _assert_same_results(resumed["results"], ref["results"])


@pytest.mark.slow
def test_ctrl_c_keeps_finished_candidates_and_says_how_to_resume(tmp_path):
    db = tmp_path / "search.db"
    # 40 candidates: on a loaded machine the search must still be running,
    # many seconds of fits from its end, when the signal arrives
    proc = _job("random", db, tmp_path / "out.pkl", "--delay", "0.15", "--n-iter", "40")
    _wait_for_records(db, 2, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "resume" in err and str(db) in err
    n_stored = _n_records(db)
    assert n_stored >= 2
    _finish(_job("random", db, tmp_path / "out.pkl", "--n-iter", "40"))
    assert pickle.loads((tmp_path / "out.pkl").read_bytes())["n_reused"] == n_stored


def _search(checkpoint, **kwargs):
    params = dict(n_iter=4, cv=3, random_state=0, checkpoint=checkpoint)
    params.update(kwargs)
    return RandomSearch(SlowCentroids(), SPACE, **params)


def test_continue_with_larger_n_iter_equals_one_long_run(tmp_path):
    db = tmp_path / "s.db"
    short = _search(db).fit(X, y)
    assert short.n_reused_ == 0
    longer = _search(db, n_iter=7).fit(X, y)
    assert longer.n_reused_ == 4
    reference = _search(None, n_iter=7).fit(X, y)
    _assert_same_results(longer.cv_results_, reference.cv_results_)


def test_refit_of_a_finished_search_fits_nothing_again(tmp_path, monkeypatch):
    db = tmp_path / "s.db"
    first = _search(db).fit(X, y)
    log = tmp_path / "fits.log"
    monkeypatch.setenv("SKTUNE_FIT_LOG", str(log))
    again = _search(db).fit(X, y)
    assert again.n_reused_ == 4
    assert _n_fits(log) == 1  # the refit of the best candidate only
    _assert_same_results(again.cv_results_, first.cv_results_)


def test_random_state_none_is_remembered_by_the_checkpoint(tmp_path):
    db = tmp_path / "s.db"
    first = _search(db, random_state=None).fit(X, y)
    again = _search(db, random_state=None).fit(X, y)
    assert again.n_reused_ == 4
    assert again.cv_results_["params"] == first.cv_results_["params"]


@pytest.mark.parametrize(
    "change, differs",
    [
        (dict(X=X + 1.0), "X"),
        (dict(y=y[::-1]), "y"),
        (dict(space={"shrink": [0.1, 1.0]}), "search space"),
        (dict(cv=5), "cv splits"),
        (dict(estimator=SlowCentroids(power=3.0)), "estimator"),
        (dict(scoring="f1_macro"), "scoring"),
    ],
)
def test_checkpoint_of_another_search_is_refused(tmp_path, change, differs):
    db = tmp_path / "s.db"
    _search(db).fit(X, y)
    data = (change.pop("X", X), change.pop("y", y))
    search = RandomSearch(
        change.pop("estimator", SlowCentroids()), change.pop("space", SPACE),
        n_iter=4, random_state=0, checkpoint=db, cv=change.pop("cv", 3), **change,
    )
    with pytest.raises(CheckpointError, match=f"different {differs}") as info:
        search.fit(*data)
    assert "another checkpoint path" in str(info.value)


def test_corrupt_checkpoint_gives_a_clear_error(tmp_path):
    db = tmp_path / "s.db"
    db.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(CheckpointError, match="not a readable sktune checkpoint"):
        _search(db).fit(X, y)


def test_truncated_checkpoint_gives_a_clear_error(tmp_path):
    db = tmp_path / "s.db"
    _search(db, n_iter=30).fit(X, y)
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="truncated or corrupt"):
        _search(db).fit(X, y)


def test_checkpoint_in_use_by_another_writer_is_refused(tmp_path):
    db = tmp_path / "s.db"
    with CheckpointStore(db):
        with pytest.raises(CheckpointError, match="another process"):
            _search(db).fit(X, y)


def test_read_only_location_fails_before_any_fit(tmp_path, monkeypatch):
    target = "/sys/sktune-checkpoint.db"
    try:
        open(target, "ab").close()
    except OSError:
        pass
    else:  # pragma: no cover - a machine where /sys is writable
        os.remove(target)
        pytest.skip("/sys is writable here")
    log = tmp_path / "fits.log"
    monkeypatch.setenv("SKTUNE_FIT_LOG", str(log))
    with pytest.raises(CheckpointError, match="read-only location"):
        _search(target).fit(X, y)
    assert _n_fits(log) == 0


def test_missing_folder_fails_before_any_fit(tmp_path):
    with pytest.raises(CheckpointError, match="does not exist"):
        _search(tmp_path / "nope" / "s.db").fit(X, y)


def test_fitted_search_with_checkpoint_pickles(tmp_path):
    search = _search(tmp_path / "s.db").fit(X, y)
    clone = pickle.loads(pickle.dumps(search))
    np.testing.assert_array_equal(clone.predict(X), search.predict(X))


# the file and what it accepts ---------------------------------------------------------------


def _state(folder):
    """Every file of ``folder`` with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_another_program_s_sqlite_file_is_refused_before_anything_is_written(
    tmp_path, monkeypatch
):
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "app.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE users (name TEXT)")
        conn.execute("INSERT INTO users VALUES ('ada')")
    conn.close()
    before = _state(folder)
    log = tmp_path / "fits.log"
    monkeypatch.setenv("SKTUNE_FIT_LOG", str(log))
    with pytest.raises(
        CheckpointError,
        match=r"The checkpoint '.*app\.db' is not an sktune checkpoint: it is an SQLite "
        r"database of another program \(tables 'users'\)\. sktune only writes into a new "
        r"file or one of its own checkpoints, and has not changed this one; choose another "
        r"path\.",
    ):
        _search(db).fit(X, y)
    assert _state(folder) == before  # no table added, not switched to WAL, no -wal file
    assert _n_fits(log) == 0


def test_an_empty_file_is_taken_as_a_new_checkpoint(tmp_path):
    db = tmp_path / "s.db"
    db.write_bytes(b"")
    assert _search(db).fit(X, y).n_reused_ == 0
    assert _search(db).fit(X, y).n_reused_ == 4


def test_a_checkpoint_whose_fingerprint_was_deleted_is_refused(tmp_path):
    db = tmp_path / "s.db"
    _search(db).fit(X, y)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM meta WHERE name = 'fingerprint'")
    conn.close()
    # the results of another search would otherwise be taken for this one's
    with pytest.raises(
        CheckpointError,
        match=r"The checkpoint '.*s\.db' records 4 candidates but no fingerprint: it was "
        r"changed outside sktune, and its results cannot be checked against the search that "
        r"would continue them\. Re-run the search into a new checkpoint file\.",
    ):
        _search(db).fit(X + 1.0, y)


_OUT = {"test_scores": 0.5, "fit_error": None, "fit_time": 0.1, "score_time": 0.01,
        "n_test_samples": 10}


@pytest.mark.parametrize(
    "args, match",
    [
        ((1, {}, []), r"The 'key' argument of CheckpointStore.add must be a str. Got 1 instead"),
        (("k", {"C": np.float64(1.0)}, []),
         r"The 'params' argument of CheckpointStore.add must be a dict of str to JSON values "
         r"\(str, int, finite float, bool, None, and lists and str-keyed dicts of them\)\. "
         r"Got \{'C': np.float64\(1.0\)\} instead"),
        (("k", {"C": (1, 2)}, []), r"The 'params' argument .* Got \{'C': \(1, 2\)\} instead"),
        (("k", {1: 2}, []), r"The 'params' argument .* Got \{1: 2\} instead"),
        (("k", [], []), r"The 'params' argument .* Got \[\] instead"),
        (("k", {}, [], {"iter": float("nan")}),
         r"The 'extra' argument .* Got \{'iter': nan\} instead"),
        (("k", {}, {"test_scores": 1.0}),
         r"The 'outputs' argument of CheckpointStore.add must be a list of per-split dicts "
         r"of results. Got \{'test_scores': 1.0\} instead"),
        (("k", {}, [{**_OUT, "estimator": None}]),
         r"outputs\[0\] must be a dict with keys among \('fit_error', 'test_scores', "
         r"'train_scores', 'n_test_samples', 'fit_time', 'score_time', 'start_time', "
         r"'worker_host', 'worker_pid'\)\. Got .* instead"),
        (("k", {}, [_OUT, 0.5]), r"outputs\[1\] must be a dict with keys among .* Got 0.5"),
        (("k", {}, [{**_OUT, "fit_time": "fast"}]),
         r"outputs\[0\]\['fit_time'\] must be a finite number. Got 'fast' instead"),
        (("k", {}, [{**_OUT, "score_time": float("inf")}]),
         r"outputs\[0\]\['score_time'\] must be a finite number. Got inf instead"),
        (("k", {}, [{**_OUT, "n_test_samples": -1}]),
         r"outputs\[0\]\['n_test_samples'\] must be an int >= 0. Got -1 instead"),
        (("k", {}, [{**_OUT, "fit_error": ValueError("x")}]),
         r"outputs\[0\]\['fit_error'\] must be a str or None. Got ValueError\('x'\) instead"),
        (("k", {}, [{**_OUT, "test_scores": "high"}]),
         r"outputs\[0\]\['test_scores'\] must be a number or a dict of metric names to "
         r"numbers. Got 'high' instead"),
        (("k", {}, [{**_OUT, "train_scores": {"acc": None}}]),
         r"outputs\[0\]\['train_scores'\] must be a number .* Got \{'acc': None\} instead"),
    ],
)
def test_a_record_of_other_types_is_refused_and_nothing_written(tmp_path, args, match):
    with CheckpointStore(tmp_path / "s.db") as store:
        store.set_fingerprint({"X": "x"})
        with pytest.raises(TypeError, match=match):
            store.add(*args)
        assert len(store) == 0


def test_a_meta_value_of_another_type_is_refused(tmp_path):
    with CheckpointStore(tmp_path / "s.db") as store:
        with pytest.raises(
            TypeError, match=r"The meta value 'seed' of CheckpointStore must be a JSON value "
            r"\(.*\)\. Got np.int64\(3\) instead",
        ):
            store._set_meta("seed", np.int64(3))


# the file alone holds everything once a search has stopped ----------------------------------


def _wal_frames(wal):
    """Offsets of the page data of each frame of an SQLite write-ahead log."""
    data = wal.read_bytes()
    if len(data) <= 32:
        return []
    page_size = struct.unpack(">I", data[8:12])[0]
    size = 24 + page_size
    return [32 + i * size + 24 for i in range((len(data) - 32) // size)]


def _damage_frame(wal, k):
    """Flip one byte in the page of frame ``k`` of the log."""
    data = bytearray(wal.read_bytes())
    data[_wal_frames(wal)[k] + 100] ^= 0xFF
    wal.write_bytes(bytes(data))


def _count_alone(db, folder):
    """Copy the database file without its -wal and -shm files; count its records."""
    folder.mkdir()
    copy = folder / db.name
    shutil.copyfile(db, copy)
    try:
        with sqlite3.connect(copy) as conn:
            return conn.execute("SELECT COUNT(*) FROM candidates").fetchone()[0]
    except sqlite3.OperationalError as exc:  # "no such table" before the fix
        return str(exc)
    finally:
        conn.close()


def test_the_file_alone_holds_every_record_once_fit_returns(tmp_path):
    db = tmp_path / "s.db"
    _search(db, n_iter=1).fit(X, y)
    # a reader still open (a dashboard) keeps SQLite from folding the log itself
    with CheckpointStore(db, read_only=True) as reader:
        _search(db, n_iter=6).fit(X, y)
        assert _count_alone(db, tmp_path / "copy") == 6
        # so a damaged log cannot hide records either (a reader opened on a
        # stopped search's file holds no lock, and the writer removes its log)
        wal = Path(f"{db}-wal")
        if wal.exists() and _wal_frames(wal):
            _damage_frame(wal, len(_wal_frames(wal)) // 2)
        assert len(results_from_checkpoint(db)["params"]) == 6
        assert len(reader) == 6


class InterruptedCentroids(SlowCentroids):
    """Ctrl-C arrives during the 10th fit of the process."""

    n_fits = 0

    def fit(self, X, y):
        type(self).n_fits += 1
        if type(self).n_fits == 10:
            raise KeyboardInterrupt
        return super().fit(X, y)


def test_the_file_alone_holds_the_records_saved_before_ctrl_c(tmp_path, monkeypatch):
    db = tmp_path / "s.db"
    monkeypatch.setattr(InterruptedCentroids, "n_fits", 0)

    def search(n_iter):
        return RandomSearch(InterruptedCentroids(), SPACE, n_iter=n_iter, cv=3,
                            random_state=0, checkpoint=db)

    search(1).fit(X, y)  # 3 fits and the refit
    with CheckpointStore(db, read_only=True):
        with pytest.raises(KeyboardInterrupt, match="1 newly finished candidates are saved"):
            search(20).fit(X, y)  # one more candidate, then the 10th fit
        assert _count_alone(db, tmp_path / "copy") == 2


@pytest.mark.slow
def test_a_reader_that_holds_the_log_at_close_is_reported(tmp_path):
    db = tmp_path / "s.db"
    writer = CheckpointStore(db)
    writer.set_fingerprint({"X": "x"})
    writer.add("k", {"C": 1.0}, [_OUT])
    reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM candidates").fetchone()
    with pytest.warns(
        RuntimeWarning,
        match=r"A reader kept the write-ahead log of the checkpoint '.*s\.db' in use beyond the "
        r"writer's close; its last records are in '.*s\.db-wal', to copy together with the "
        r"file\.",
    ):
        writer.close()
    reader.execute("COMMIT")
    reader.close()
    assert results_from_checkpoint(db)["params"] == [{"C": 1.0}]


_KILLED_WRITER = """
import os, signal, sys
from sktune.store import CheckpointStore
store = CheckpointStore(sys.argv[1])
store.set_fingerprint({"X": "x"})
for i in range(20):
    store.add(f"k{i}", {"C": float(i)}, [{"test_scores": i / 20, "fit_error": None,
              "fit_time": 0.1, "score_time": 0.01, "n_test_samples": 10}])
os.kill(os.getpid(), signal.SIGKILL)
"""


def _killed_writer(db):
    """Record 20 candidates in ``db`` from a process killed before it closes the file."""
    env = dict(os.environ, PYTHONPATH=str(Path(sktune.__file__).parents[1]))
    proc = subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(db)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr


@pytest.mark.slow
def test_a_killed_search_s_log_is_read_in_full(tmp_path):
    db = tmp_path / "s.db"
    _killed_writer(db)
    assert _wal_frames(Path(f"{db}-wal"))  # the records are in the log only
    assert len(results_from_checkpoint(db)["params"]) == 20
    with CheckpointStore(db) as store:
        assert len(store) == 20
    assert _count_alone(db, tmp_path / "copy") == 20


@pytest.mark.parametrize("where", ["frame", "header"])
@pytest.mark.slow
def test_a_damaged_log_is_reported_instead_of_read_in_part(tmp_path, where):
    db = tmp_path / "s.db"
    _killed_writer(db)
    wal = Path(f"{db}-wal")
    if where == "frame":
        _damage_frame(wal, len(_wal_frames(wal)) // 2)
        damage = r"frame \d+ of \d+ is unreadable, and the \d+ transactions committed after it"
    else:
        data = bytearray(wal.read_bytes())
        data[16] ^= 0xFF  # a salt
        wal.write_bytes(bytes(data))
        damage = "its header is unreadable, and every transaction in it"
    before = _state(tmp_path)
    match = (
        rf"The write-ahead log '.*s\.db-wal' of the checkpoint '.*s\.db' is damaged: {damage} "
        r"would be silently dropped by SQLite \(they are not in 's\.db' itself\)\. Restore an "
        r"intact copy of the log beside the file, or re-run the search into a new checkpoint "
        r"file\."
    )
    with pytest.raises(CheckpointError, match=match):
        results_from_checkpoint(db)
    with pytest.raises(CheckpointError, match=match):
        CheckpointStore(db)  # a writer would make the loss final
    assert _state(tmp_path) == before


def _live_log(path, n_commits, start=0):
    """A log of ``n_commits`` transactions that no checkpoint moved into the file."""
    conn = sqlite3.connect(path)
    conn.execute("pragma journal_mode=wal")
    conn.execute("pragma wal_autocheckpoint=0")
    conn.execute("create table if not exists t(x)")
    for i in range(start, start + n_commits):
        conn.execute("insert into t values (?)", (bytes([i % 256]) * 3000,))
        conn.commit()
    return conn


def test_a_reader_checks_only_the_frames_written_since_its_last_check(tmp_path, monkeypatch):
    from sktune.store import _wal

    db = str(tmp_path / "live.db")
    writer = _live_log(db, 10)
    assert _wal.wal_damage(db, incremental=True) is None
    verified = _wal._VERIFIED[db][2]
    assert verified == len(_wal_frames(Path(db + "-wal")))
    for _ in range(10):
        writer.execute("insert into t values (?)", (b"y" * 3000,))
        writer.commit()
    seen = []
    original = _wal._frame_sums
    monkeypatch.setattr(_wal, "_frame_sums",
                        lambda data, *a: seen.append(a[2]) or original(data, *a))
    assert _wal.wal_damage(db, incremental=True) is None
    n_frames = len(_wal_frames(Path(db + "-wal")))
    assert seen == [n_frames - verified]  # only the new frames were summed
    # damage among frames written after that check, followed by more commits: found
    for _ in range(3):
        writer.execute("insert into t values (?)", (b"z" * 3000,))
        writer.commit()
    wal = Path(db + "-wal")
    _damage_frame(wal, n_frames)
    assert "unreadable" in _wal.wal_damage(db, incremental=True)
    # and a full check (a writer's, a resume's) finds it from scratch
    assert "unreadable" in _wal.wal_damage(db)
    writer.close()


def test_a_restarted_log_s_stale_frames_are_not_summed(tmp_path, monkeypatch):
    from sktune.store import _wal

    db = str(tmp_path / "live.db")
    writer = _live_log(db, 30)
    assert _wal.wal_damage(db, incremental=True) is None
    n_stale = len(_wal_frames(Path(db + "-wal")))
    # a checkpoint with no reader: the next commit starts the log again from
    # its beginning, with new salts, before the earlier log's frames
    writer.execute("pragma wal_checkpoint(RESTART)")
    writer.execute("insert into t values (?)", (b"n" * 3000,))
    writer.commit()
    assert len(_wal_frames(Path(db + "-wal"))) == n_stale
    seen = []
    original = _wal._frame_sums
    monkeypatch.setattr(_wal, "_frame_sums",
                        lambda data, *a: seen.append(a[2]) or original(data, *a))
    assert _wal.wal_damage(db, incremental=True) is None
    assert 0 < seen[0] < 5 < n_stale  # the new commit's frames only
    # damage in the current log followed by a commit is still found
    writer.execute("insert into t values (?)", (b"m" * 3000,))
    writer.commit()
    _damage_frame(Path(db + "-wal"), 0)
    assert "unreadable" in _wal.wal_damage(db)
    writer.close()


@pytest.mark.parametrize("seq", [-1, 1.0, "3", True])
def test_added_since_names_a_bad_sequence_number(tmp_path, seq):
    with CheckpointStore(str(tmp_path / "c.db")) as store:
        with pytest.raises(TypeError, match=r"'seq' argument of CheckpointStore\.added_since"):
            store.added_since(seq)
