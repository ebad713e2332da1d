"""A received checkpoint is data: nothing in it is unpickled or executed (issues 17, 18).

The files here hide pickles that create a marker file when loaded, in the
layout of the older pickled format and in place of the JSON of the current
one. ``sktune show``, ``sktune report`` and a resume (``sktune run`` of a
configuration whose checkpoint is the file) run in a subprocess, as a user
runs them, with the sktune under test.
"""

import os
import pickle
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sklearn.datasets import load_iris
from sklearn.svm import SVC

import sktune
from sktune import GridSearch
from sktune.search import results_from_checkpoint
from sktune.store import CheckpointError, CheckpointStore

SKTUNE_ROOT = Path(sktune.__file__).resolve().parents[1]

CONFIG = (
    '[estimator]\npath = "sklearn.svm.SVC"\n[data]\ndataset = "iris"\n'
    '[search]\nstrategy = "grid"\ncv = 2\ncheckpoint = "{checkpoint}"\n'
    "[space]\nC = [0.5, 1.0, 2.0]\n"
)


class _Plant:
    """Unpickled, it creates the file ``marker``: what a hostile checkpoint hides."""

    def __init__(self, marker):
        self.marker = os.fspath(marker)

    def __reduce__(self):
        return (exec, (f"open({self.marker!r}, 'w').close()",))


def _plant(marker):
    return pickle.dumps(_Plant(marker))


def sktune_cli(*args, cwd):
    env = dict(os.environ, PYTHONPATH=str(SKTUNE_ROOT))
    env.pop("COLUMNS", None)
    proc = subprocess.run(
        [sys.executable, "-m", "sktune", *map(str, args)], cwd=cwd, env=env,
        capture_output=True, text=True, timeout=300,
    )
    return proc.returncode, proc.stdout, proc.stderr


def _assert_refused(status, out, err, pattern):
    assert status == 2, err
    assert "Traceback" not in err and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert re.fullmatch(rf"sktune: error: {pattern}", lines[0]), lines[0]


def test_the_planted_pickle_creates_its_marker_when_loaded(tmp_path):
    # what every test below checks for would happen, were the blobs unpickled
    marker = tmp_path / "marker"
    pickle.loads(_plant(marker))
    assert marker.exists()


def _format_1_checkpoint(path, marker):
    """The layout of sktune's first checkpoints, every value a planted pickle."""
    blob = _plant(marker)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB)")
        conn.execute("CREATE TABLE candidates (seq INTEGER PRIMARY KEY, key TEXT UNIQUE,"
                     " params BLOB, outputs BLOB, finished REAL, extra BLOB)")
        conn.executemany("INSERT INTO meta VALUES (?, ?)",
                         [("schema", blob), ("fingerprint", blob), ("seed", blob)])
        conn.execute("INSERT INTO candidates (key, params, outputs, finished, extra)"
                     " VALUES ('k', ?, ?, 0.0, ?)", (blob, blob, blob))
    conn.close()


@pytest.fixture(scope="module")
def genuine(tmp_path_factory):
    """A checkpoint of three candidates written by ``sktune run``, and its configuration."""
    folder = tmp_path_factory.mktemp("genuine")
    (folder / "job.toml").write_text(CONFIG.format(checkpoint="job.db"))
    status, _, err = sktune_cli("run", "job.toml", "-q", cwd=folder)
    assert status == 0, err
    return folder / "job.db"


def _tampered(genuine, folder, sql, *params):
    path = folder / "job.db"
    shutil.copyfile(genuine, path)
    with sqlite3.connect(path) as conn:
        # a hostile file need not have the CHECK constraints of sktune's tables
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(sql, params)
    conn.close()
    return path


def _hostile(kind, genuine, folder, marker):
    """The hostile file ``kind`` as ``folder/job.db``, and what its refusal says."""
    if kind == "format 1":
        _format_1_checkpoint(folder / "job.db", marker)
        return (r"The checkpoint '.*job\.db' was written by an older sktune, in a format "
                r"\(pickled records\) that is not read any more: loading a pickle can run "
                r"code hidden in the file\. Re-run the search into a new checkpoint file; "
                r"this one can be deleted\.")
    readable = r"It was not written by sktune, or was changed since\. Re-run the search"
    if kind == "pickled params":
        _tampered(genuine, folder, "UPDATE candidates SET params = ? WHERE seq = 2",
                  _plant(marker))
        return (rf"The checkpoint '.*job\.db' cannot be read: record 2: the params column "
                rf"is a blob of \d+ bytes, not JSON text\. {readable}.*")
    if kind == "pickled fingerprint":
        _tampered(genuine, folder, "UPDATE meta SET value = ? WHERE name = 'fingerprint'",
                  _plant(marker))
        return (rf"The checkpoint '.*job\.db' cannot be read: the meta value 'fingerprint' is "
                rf"a blob of \d+ bytes, not JSON text\. {readable}.*")
    assert kind == "junk JSON"
    _tampered(genuine, folder, "UPDATE candidates SET params = ? WHERE seq = 1",
              '{"C": {"type": "pickle", "data": "gASV", "repr": "C"}}')
    return (rf"The checkpoint '.*job\.db' cannot be read: record 1: C=\{{.*\}} is not a "
            rf"value sktune records\. {readable}.*")


KINDS = ["format 1", "pickled params", "pickled fingerprint", "junk JSON"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", ["show", "report", "run"])
@pytest.mark.slow
def test_a_hostile_checkpoint_is_refused_in_one_line_and_runs_nothing(
    tmp_path, genuine, kind, command
):
    marker = tmp_path / "marker"
    message = _hostile(kind, genuine, tmp_path, marker)
    (tmp_path / "job.toml").write_text(CONFIG.format(checkpoint="job.db"))
    args = {"show": ["job.db"], "report": ["job.db", "-o", "page.html"],
            "run": ["job.toml", "-q"]}[command]
    before = (tmp_path / "job.db").read_bytes()
    status, out, err = sktune_cli(command, *args, cwd=tmp_path)
    assert not marker.exists(), "a pickle of the file was loaded"
    where = r"job\.toml: " if command == "run" else ""
    _assert_refused(status, out, err, where + message)
    assert not (tmp_path / "page.html").exists()
    if kind == "format 1":
        assert (tmp_path / "job.db").read_bytes() == before


def _search(checkpoint):
    return GridSearch(SVC(), {"C": [0.5, 1.0, 2.0]}, cv=2, checkpoint=checkpoint)


def test_the_python_api_refuses_a_hostile_checkpoint_before_any_fit(tmp_path, genuine):
    marker = tmp_path / "marker"
    _hostile("pickled params", genuine, tmp_path, marker)
    X, y = load_iris(return_X_y=True)
    search = _search(tmp_path / "job.db")
    with pytest.raises(CheckpointError, match="record 2: the params column is a blob"):
        try:
            search.fit(X, y)
        finally:
            assert not marker.exists(), "a pickle of the file was loaded"
    assert not hasattr(search, "cv_results_")
    # the store was closed: the file is free for another writer
    CheckpointStore(tmp_path / "job.db").close()


# each column and table, tampered with, read in process -------------------------------------

_TAMPERED = [
    ("UPDATE candidates SET params = 'C = 1.0' WHERE seq = 1",
     r"record 1: the params column is not valid JSON \(Expecting value"),
    ("UPDATE candidates SET params = '{\"C\": NaN}' WHERE seq = 1",
     r"record 1: the params column is not valid JSON \(NaN is not JSON\)"),
    ("UPDATE candidates SET params = '[1.0]' WHERE seq = 1",
     r"record 1: the params column is not a JSON object"),
    ("UPDATE candidates SET params = '{\"C\":' || replace(hex(zeroblob(50000)), '00', '[')"
     " WHERE seq = 1", r"record 1: the params column is not valid JSON \(maximum recursion"),
    ("UPDATE candidates SET params = '{\"C\": {\"type\": \"numpy\", \"dtype\": \"object\","
     " \"value\": 1, \"repr\": \"x\"}}' WHERE seq = 1",
     r"record 1: C: numpy dtype 'object' is not one sktune records"),
    ("UPDATE candidates SET extra = x'80' WHERE seq = 3",
     r"record 3: the extra column is a blob of 1 bytes, not JSON text"),
    ("UPDATE candidates SET key = x'07' WHERE seq = 2",
     r"record 2: the key is b'\\x07', not a str"),
    ("UPDATE splits SET fit_time = 'fast' WHERE seq = 1 AND split = 1",
     r"record 1: split row 1 holds values of types sktune does not write"),
    ("UPDATE splits SET split = 5 WHERE seq = 1 AND split = 0",
     r"record 1: split row 0 holds values of types sktune does not write"),
    ("UPDATE scores SET subset = 'valid' WHERE seq = 2",
     r"record 2: a score row of split 0 holds values of types sktune does not write"),
    ("UPDATE scores SET score = x'00' WHERE seq = 2",
     r"record 2: a score row of split 0 holds values of types sktune does not write"),
    ("INSERT INTO scores SELECT seq, split, subset, metric, score FROM scores WHERE seq = 3",
     r"record 3: split 0 has conflicting test scores"),
    ("UPDATE meta SET value = '\"abc\"' WHERE name = 'fingerprint'",
     r"the fingerprint is not a dict of hashes"),
]


@pytest.mark.parametrize("sql, problem", _TAMPERED)
def test_a_tampered_value_is_refused_by_show_and_resume(tmp_path, genuine, sql, problem):
    path = _tampered(genuine, tmp_path, sql)
    match = rf"The checkpoint '.*job\.db' cannot be read: {problem}"
    with pytest.raises(CheckpointError, match=match):
        results_from_checkpoint(path)
    if "extra column" in problem:
        return  # a resume reads the parameters and scores only
    if "'valid'" in sql:  # the writer's integrity check finds the broken CHECK first
        match = r"is not a readable sktune checkpoint \(integrity check failed\)"
    with pytest.raises(CheckpointError, match=match):
        _search(path).fit(*load_iris(return_X_y=True))


@pytest.mark.parametrize(
    "sql, problem",
    [
        ("PRAGMA user_version = 3",
         r"is in checkpoint format 3, and this sktune reads format 2 only; upgrade sktune to "
         r"read it, or re-run the search into a new checkpoint file\."),
        ("CREATE TRIGGER t AFTER INSERT ON candidates BEGIN DELETE FROM candidates; END",
         r"holds triggers \('t'\), which sktune never writes: they would run SQL from the file "
         r"with every record written\."),
        ("ALTER TABLE splits DROP COLUMN fit_error",
         r"is damaged: its table 'splits' lacks the columns 'fit_error'\."),
        ("DROP TABLE meta",
         r"is damaged: its table 'meta' lacks the columns 'name', 'value'\."),
        ("ALTER TABLE scores RENAME TO old_scores",
         r"is damaged: its table 'scores' lacks the columns 'seq', 'split'.*"),
    ],
)
def test_a_tampered_layout_is_refused_by_readers_and_writers(tmp_path, genuine, sql, problem):
    path = _tampered(genuine, tmp_path, sql)
    before = path.read_bytes()
    for reader in (results_from_checkpoint, CheckpointStore):
        with pytest.raises(CheckpointError, match=rf"The checkpoint '.*job\.db' {problem}"):
            reader(path)
    assert path.read_bytes() == before


def test_a_view_in_place_of_a_table_is_refused(tmp_path, genuine):
    path = _tampered(genuine, tmp_path, "ALTER TABLE scores RENAME TO old_scores")
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE VIEW scores AS SELECT * FROM old_scores")
    conn.close()
    with pytest.raises(CheckpointError, match=r"its table 'scores' is not a table\."):
        results_from_checkpoint(path)


def test_a_truncated_checkpoint_is_refused_by_a_reader(tmp_path, genuine):
    path = tmp_path / "job.db"
    data = genuine.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(
        CheckpointError, match=r"The checkpoint '.*job\.db' (cannot be read|is not a readable)"
    ):
        results_from_checkpoint(path)


def test_a_damaged_table_is_refused_by_a_reader(tmp_path, genuine):
    path = tmp_path / "job.db"
    shutil.copyfile(genuine, path)
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'scores'"
        ).fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start:start + page_size] = b"\xff" * page_size
    path.write_bytes(bytes(data))
    with pytest.raises(
        CheckpointError,
        match=r"The checkpoint '.*job\.db' cannot be read \(database disk image is malformed\)\. "
        r"Re-run the search into a new checkpoint file\.",
    ):
        results_from_checkpoint(path)
