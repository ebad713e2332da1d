"""Where and when each fit ran: recorded in the checkpoint, never in cv_results_,
and drawn as the dashboard's timeline of fits per worker."""

import os
import socket
import sqlite3
from collections import defaultdict

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.tree import DecisionTreeClassifier

from sktune import GridSearch, RandomSearch
from sktune.dashboard._data import _read_checkpoint
from sktune.distributions import Integer
from sktune.search import results_from_checkpoint
from sktune.store import CheckpointError, CheckpointStore

X, y = load_iris(return_X_y=True)
WORKER = ("start_time", "worker_host", "worker_pid")


def _outputs(path):
    with CheckpointStore(path, read_only=True) as store:
        return [out for _, outputs in store.records().values() for out in outputs]


def _without_times(results):
    return {k: v for k, v in results.items() if not k.endswith("_time")}


def _assert_same_results(a, b):
    a, b = _without_times(a), _without_times(b)
    assert sorted(a) == sorted(b)
    for key in a:
        if key == "params":
            assert a[key] == b[key]
        else:
            np.testing.assert_array_equal(np.asarray(a[key]), np.asarray(b[key]), err_msg=key)


def _grid(path, depths, **kwargs):
    return GridSearch(DecisionTreeClassifier(random_state=0), {"max_depth": depths}, cv=3,
                      checkpoint=path, **kwargs).fit(X, y)


def _as_if_killed_before_the_worker_table(path):
    # the file as an sktune from before it wrote it, killed while its first candidate was fitted
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE fit_workers")
        for table in ("scores", "splits", "candidates"):
            conn.execute(f"DELETE FROM {table} WHERE seq = (SELECT MIN(seq) FROM candidates)")
    conn.close()


@pytest.mark.slow
def test_each_fit_records_its_worker_and_its_start(tmp_path):
    path = tmp_path / "search.db"
    _grid(path, list(range(1, 9)), n_jobs=2)
    outputs = _outputs(path)
    assert len(outputs) == 8 * 3
    assert {o["worker_host"] for o in outputs} == {socket.gethostname()}
    by_worker = defaultdict(list)
    for out in outputs:
        by_worker[out["worker_pid"]].append(out)
    assert len(by_worker) == 2 and os.getpid() not in by_worker
    for fits in by_worker.values():
        fits.sort(key=lambda o: o["start_time"])
        # a worker runs one fit at a time: each starts after the one before ended
        for before, after in zip(fits, fits[1:]):
            assert after["start_time"] >= before["start_time"] + before["fit_time"] - 1e-3


def test_a_sequential_search_runs_every_fit_in_this_process(tmp_path):
    path = tmp_path / "search.db"
    _grid(path, [1, 2])
    outputs = _outputs(path)
    assert {(o["worker_host"], o["worker_pid"]) for o in outputs} == {
        (socket.gethostname(), os.getpid())}
    starts = [o["start_time"] for o in outputs]
    assert starts == sorted(starts) and all(isinstance(s, float) for s in starts)


def test_the_worker_fields_stay_out_of_cv_results_and_change_no_result(tmp_path):
    path = tmp_path / "search.db"
    space = {"max_depth": Integer(1, 8), "min_samples_leaf": Integer(1, 20)}

    def search(checkpoint):
        return RandomSearch(DecisionTreeClassifier(random_state=0), space, n_iter=6, cv=3,
                            random_state=0, checkpoint=checkpoint).fit(X, y).cv_results_

    plain, first, resumed = search(None), search(path), search(path)
    for results in (first, resumed, results_from_checkpoint(path)):
        assert not [k for k in results if "worker" in k or "start_time" in k]
    _assert_same_results(plain, first)
    # the second fit took every candidate, worker fields and all, from the file
    _assert_same_results(plain, resumed)


def test_an_older_checkpoint_without_the_worker_table(tmp_path):
    path = tmp_path / "search.db"
    _grid(path, [1, 2, 3])
    _as_if_killed_before_the_worker_table(path)
    before = path.read_bytes()
    assert len(_outputs(path)) == 6
    assert all(not set(WORKER) & set(o) for o in _outputs(path))
    # the dashboard reads it and draws no timeline
    page = _read_checkpoint(str(path))
    assert "convergence" in page["figures"] and "timeline" not in page["figures"]
    assert path.read_bytes() == before  # reading it added no table
    # a search continues it: old records have no worker, the new fits have one
    more = _grid(path, [1, 2, 3])
    _assert_same_results(_grid(None, [1, 2, 3]).cv_results_, more.cv_results_)
    outputs = _outputs(path)
    assert [o.get("worker_pid") for o in outputs] == [None] * 6 + [os.getpid()] * 3
    timeline = _read_checkpoint(str(path))["figures"]["timeline"]
    assert len(timeline["data"][0]["x"]) == 3


def test_the_search_page_draws_a_timeline_row_per_worker(tmp_path):
    path = tmp_path / "search.db"
    _grid(path, [1, 2, 3])
    fig = _read_checkpoint(str(path))["figures"]["timeline"]
    bars = fig["data"][0]
    worker = f"{socket.gethostname()} pid {os.getpid()}"
    assert bars["y"] == [worker] * 9 and fig["layout"]["yaxis"]["categoryarray"] == [worker]
    # bars start in order from 0 and last the fit and score time
    outputs = _outputs(path)
    assert bars["base"][0] == 0 and bars["base"] == sorted(bars["base"])
    assert sorted(bars["x"]) == pytest.approx(
        sorted(o["fit_time"] + o["score_time"] for o in outputs), abs=1e-5)
    assert {c[0].split("<br>")[1] for c in bars["customdata"]} == {
        "max_depth=1", "max_depth=2", "max_depth=3"}


def test_the_store_checks_the_worker_fields(tmp_path):
    with CheckpointStore(tmp_path / "s.db") as store:
        store.set_fingerprint({"data": "x"})
        out = {"test_scores": 0.5, "start_time": 1.5, "worker_host": "node", "worker_pid": 7}
        store.add("a", {"C": 1.0}, [out])
        assert store.records()["a"][1] == [{"fit_error": None, **out}]
        bad = [("worker_pid", -1, "an int >= 0"), ("worker_pid", "7", "an int >= 0"),
               ("worker_host", 3, "a str or None"), ("start_time", float("inf"), "a finite")]
        for key, value, allowed in bad:
            with pytest.raises(TypeError, match=rf"outputs\[0\]\['{key}'\] must be {allowed}"):
                store.add("b", {"C": 2.0}, [{**out, key: value}])
        assert list(store.records()) == ["a"]


def _with_sql(path, sql):
    with sqlite3.connect(path) as conn:
        conn.execute(sql)
    conn.close()


def test_a_damaged_worker_row_or_table_is_refused(tmp_path):
    path = tmp_path / "search.db"
    _grid(path, [1, 2])
    _with_sql(path, "UPDATE fit_workers SET worker_pid = 'x' WHERE split = 1")
    with pytest.raises(CheckpointError,
                       match=r"record \d: a fit_workers row of split 1 holds values of types"):
        _outputs(path)
    _with_sql(path, "UPDATE fit_workers SET worker_pid = 1, split = 7 WHERE split = 1")
    with pytest.raises(CheckpointError, match=r"a fit_workers row of split 7 holds values"):
        _outputs(path)
    _with_sql(path, "ALTER TABLE fit_workers DROP COLUMN worker_host")
    with pytest.raises(CheckpointError,
                       match=r"its table 'fit_workers' lacks the columns 'worker_host'"):
        _outputs(path)
