"""The environment of every result: each fit into a checkpoint records a run
(when, which process, which versions, backend and machine); resuming under
other versions warns with what changed; older checkpoints without runs open."""

import json
import platform
import sqlite3
import warnings

import joblib
import numpy as np
import pytest
import sklearn
from checkpoint_job import SPACE, SlowCentroids
from sklearn.datasets import load_iris

from sktune import RandomSearch
from sktune.search import results_from_checkpoint
from sktune.store import CheckpointError, CheckpointStore

X, y = load_iris(return_X_y=True)


def _search(checkpoint, **kwargs):
    params = dict(n_iter=3, cv=3, random_state=0, checkpoint=checkpoint)
    params.update(kwargs)
    return RandomSearch(SlowCentroids(), SPACE, **params)


def _runs(db):
    with CheckpointStore(db, read_only=True) as store:
        return store.runs()


def _edit_runs(db, edit):
    with sqlite3.connect(db) as conn:
        (text,) = conn.execute("SELECT value FROM meta WHERE name='runs'").fetchone()
        runs = json.loads(text)
        edit(runs)
        conn.execute("UPDATE meta SET value=? WHERE name='runs'", (json.dumps(runs),))


def test_a_fit_records_its_environment_and_how_it_ended(tmp_path):
    db = tmp_path / "s.db"
    with joblib.parallel_config(backend="threading"):
        _search(db, n_jobs=2).fit(X, y)
    (run,) = _runs(db)
    env = run["environment"]
    assert env["python"] == platform.python_version()
    assert env["scikit-learn"] == sklearn.__version__
    assert env["numpy"] == np.__version__
    assert env["joblib backend"] == "threading" and env["n_jobs"] == 2
    assert platform.machine() in env["machine"]
    assert {"scipy", "joblib", "sktune", "cpus"} <= set(env)
    assert run["search"] == "RandomSearch" and run["estimator"].startswith("SlowCentroids(")
    assert run["stop_reason"] == "completed" and run["ended"] >= run["started"]


def test_each_resume_is_a_run_of_its_own_and_a_stop_rule_is_its_reason(tmp_path):
    db = tmp_path / "s.db"
    _search(db).fit(X, y)
    _search(db, n_iter=6, n_iter_no_change=1).fit(X, y)
    runs = _runs(db)
    assert len(runs) == 2
    assert runs[0]["stop_reason"] == "completed"
    assert runs[1]["stop_reason"] == "n_iter_no_change"


def test_an_interrupted_fit_records_interrupted(tmp_path, monkeypatch):
    db = tmp_path / "s.db"
    search = _search(db)

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(type(search), "_run_search", interrupt)
    with pytest.raises(KeyboardInterrupt):
        search.fit(X, y)
    assert _runs(db)[-1]["stop_reason"] == "interrupted"


def test_resuming_under_other_versions_warns_with_what_changed(tmp_path):
    db = tmp_path / "s.db"
    _search(db).fit(X, y)

    def older(runs):
        runs[-1]["environment"].update({"numpy": "1.0.0", "scikit-learn": "0.1"})

    _edit_runs(db, older)
    with pytest.warns(
        UserWarning,
        match=rf"other versions \(scikit-learn 0\.1 -> {sklearn.__version__}, "
        rf"numpy 1\.0\.0 -> {np.__version__}\).*scores may differ",
    ):
        resumed = _search(db, n_iter=4).fit(X, y)
    assert resumed.n_reused_ == 3
    # the run under this environment is recorded: resuming again is quiet
    assert _runs(db)[-1]["environment"]["numpy"] == np.__version__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _search(db, n_iter=4).fit(X, y)


def test_another_machine_or_backend_does_not_warn(tmp_path):
    db = tmp_path / "s.db"
    _search(db).fit(X, y)
    _edit_runs(db, lambda runs: runs[-1]["environment"].update(
        {"machine": "Other 1.0 riscv", "joblib backend": "dask", "cpus": 512}
    ))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _search(db, n_iter=4).fit(X, y)


def test_a_checkpoint_written_without_runs_opens_and_resumes(tmp_path):
    db = tmp_path / "s.db"
    first = _search(db).fit(X, y)
    # what a format-2 checkpoint of an sktune that did not record runs holds
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM meta WHERE name='runs'")
    with CheckpointStore(db, read_only=True) as store:
        assert store.runs() == []
    assert results_from_checkpoint(db)["params"] == first.cv_results_["params"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        resumed = _search(db, n_iter=4).fit(X, y)
    assert resumed.n_reused_ == 3
    assert len(_runs(db)) == 1


def test_runs_of_another_type_are_refused(tmp_path):
    db = tmp_path / "s.db"
    _search(db).fit(X, y)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value='[1, 2]' WHERE name='runs'")
    with pytest.raises(CheckpointError, match="cannot be read: the runs are not a list of dicts"):
        results_from_checkpoint(db)


def test_the_report_shows_the_environment_of_the_checkpoint(tmp_path):
    import sktune
    from sktune.cli import main

    db = tmp_path / "s.db"
    search = _search(db).fit(X, y)
    page = open(sktune.write_report(search, tmp_path / "r.html"), encoding="utf-8").read()
    assert f"numpy {np.__version__}" in page and "joblib backend loky" in page
    # what the file says, not this process: the CLI reads the checkpoint's last run
    _edit_runs(db, lambda runs: runs[-1]["environment"].update({"numpy": "1.0.0"}))
    assert main(["report", str(db), "-o", str(tmp_path / "cli.html")]) == 0
    page = (tmp_path / "cli.html").read_text(encoding="utf-8")
    assert "<b>environment</b>" in page and "numpy 1.0.0" in page
