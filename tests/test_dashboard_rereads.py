"""While a search writes a checkpoint, a polled page reads its count and status
at once but computes its figures again only now and then, so that watching
a search does not slow it down (benchmarks/dashboard_polling.py)."""

import gc
import time

import pytest
from sklearn.datasets import load_iris
from sklearn.svm import SVC

from sktune import GridSearch
from sktune.dashboard import _data
from sktune.dashboard._data import Catalog, Reader
from sktune.store import CheckpointStore

X, y = load_iris(return_X_y=True)
OUT = {"test_scores": 0.5, "fit_time": 0.01, "score_time": 0.01, "n_test_samples": 50}


@pytest.fixture
def counted(monkeypatch):
    """The number of full reads of a checkpoint the dashboard made."""
    reads = []
    full = _data._read_checkpoint

    def counting(path, *args):
        reads.append(path)
        return full(path, *args)

    monkeypatch.setattr(_data, "_read_checkpoint", counting)
    return reads


def _written(tmp_path):
    path = str(tmp_path / "search.db")
    GridSearch(SVC(), {"C": [0.1, 1.0, 10.0]}, cv=3, checkpoint=path).fit(X, y)
    return path


def _add(path, key, C):
    with CheckpointStore(path) as store:
        store.add(key, {"C": C}, [OUT] * 3)


def _page(reader, path):
    (ident,) = reader.catalog.entries()
    return reader.search(ident)


def test_a_changing_file_is_read_in_full_only_now_and_then(tmp_path, counted, monkeypatch):
    path = _written(tmp_path)
    monkeypatch.setattr(_data, "_REREAD_FACTOR", 1e6, raising=False)
    reader = Reader(Catalog([path]))
    first = _page(reader, path)
    assert len(counted) == 1 and first["summary"]["n_candidates"] == 3
    _add(path, "more", 100.0)
    # the count is fresh, the leaderboard and figures wait for the next full read
    page = _page(reader, path)
    assert len(counted) == 1
    assert page["summary"]["n_candidates"] == 4
    assert page["leaderboard"] == first["leaderboard"]
    assert page["figures"] == first["figures"]

    monkeypatch.setattr(_data, "_REREAD_FACTOR", 0, raising=False)
    _add(path, "again", 1000.0)
    page = _page(reader, path)
    assert len(counted) == 2 and page["summary"]["n_candidates"] == 5
    assert page["leaderboard"]["n_rows"] == 5
    # an unchanged file is never read again
    _page(reader, path)
    assert len(counted) == 2


def test_full_reads_of_a_changing_file_take_at_most_one_percent_of_the_time(
        tmp_path, counted):
    path = _written(tmp_path)
    reader = Reader(Catalog([path]))
    _page(reader, path)
    watched = reader._cache[path]
    # as if the last full read had taken 50 ms, 3 s ago: 60 times its cost
    watched.read_cost = 0.05
    watched.read_at = time.monotonic() - 3.0
    _add(path, "more", 100.0)
    assert _page(reader, path)["summary"]["n_candidates"] == 4
    assert len(counted) == 1
    # 6 s ago: 120 times its cost, a full read is due
    watched.read_at = time.monotonic() - 6.0
    assert _page(reader, path)["leaderboard"]["n_rows"] == 4
    assert len(counted) == 2


def test_a_run_that_begins_or_ends_is_read_in_full_at_once(tmp_path, counted, monkeypatch):
    path = _written(tmp_path)
    monkeypatch.setattr(_data, "_REREAD_FACTOR", 1e6, raising=False)
    reader = Reader(Catalog([path]))
    assert _page(reader, path)["summary"]["status"] == "finished"
    with CheckpointStore(path) as store:
        store.begin_run({"search": "GridSearch"})
        store.add("more", {"C": 100.0}, [OUT] * 3)
        page = _page(reader, path)
        assert len(counted) == 2
        assert page["summary"]["status"] == "running"
        assert page["leaderboard"]["n_rows"] == 4
        store.end_run("completed")
    page = _page(reader, path)
    assert len(counted) == 3 and page["summary"]["status"] == "finished"


@pytest.fixture
def fitted(monkeypatch):
    """The number of forests and Gaussian processes the dashboard's figures fitted."""
    from sktune.plot import _figures

    calls = []

    def counted_as(name, real):
        def counting(*args, **kwargs):
            calls.append(name)
            return real(*args, **kwargs)
        return counting

    for name in ("param_importance", "partial_dependence"):
        monkeypatch.setattr(_figures, name, counted_as(name, getattr(_figures, name)))
    return calls


def test_the_list_of_experiments_computes_no_figure(tmp_path, fitted):
    path = _written(tmp_path)
    reader = Reader(Catalog([path]))
    (summary,) = reader.experiments()
    assert summary["n_candidates"] == 3 and summary["best"] is not None
    assert fitted == []
    # the search's page still gets every figure
    page = _page(reader, path)
    assert {"importance", "dependence"} & set(page["figures"]) == {"importance"}
    assert fitted == ["param_importance", "partial_dependence"]


def test_a_poll_of_a_growing_file_reads_only_the_new_rows(tmp_path, monkeypatch):
    path = _written(tmp_path)
    monkeypatch.setattr(_data, "_REREAD_FACTOR", 0, raising=False)
    read = []
    added_since = CheckpointStore.added_since

    def spying(self, seq, decode=None):
        out = added_since(self, seq, decode)
        read.append(sorted(out[2]))
        return out

    monkeypatch.setattr(CheckpointStore, "added_since", spying)
    reader = Reader(Catalog([path]))
    assert _page(reader, path)["leaderboard"]["n_rows"] == 3
    _add(path, "more", 100.0)
    page = _page(reader, path)
    # the last row read before, and the new one
    assert len(read[-1]) <= 2 and "more" in read[-1]
    assert page["leaderboard"]["n_rows"] == 4 and page["summary"]["n_candidates"] == 4
    # a record written again replaces the old one
    _add(path, "more", 1000.0)
    page = _page(reader, path)
    assert read[-1] == ["more"] and page["leaderboard"]["n_rows"] == 4
    assert 1000.0 in [v for row in page["leaderboard"]["rows"] for v in row]
    assert 100.0 not in [v for row in page["leaderboard"]["rows"] for v in row]


def test_costly_figures_wait_until_a_running_search_goes_quiet(tmp_path, fitted, monkeypatch):
    path = _written(tmp_path)
    monkeypatch.setattr(_data, "_REREAD_FACTOR", 0, raising=False)
    monkeypatch.setattr(_data, "_QUIET_SECONDS", 1e6, raising=False)
    reader = Reader(Catalog([path]))
    with CheckpointStore(path) as store:
        store.begin_run({"search": "GridSearch"})
        store.add("more", {"C": 100.0}, [OUT] * 3)
        page = _page(reader, path)
        assert page["summary"]["status"] == "running"
        assert page["leaderboard"]["n_rows"] == 4
        assert "convergence" in page["figures"] and "importance" not in page["figures"]
        assert fitted == []
        assert any("once the search pauses or ends" in n for n in page["notes"])
        # quiet: the figures come, and are not computed again while nothing changes
        monkeypatch.setattr(_data, "_QUIET_SECONDS", 0.0)
        page = _page(reader, path)
        assert "importance" in page["figures"] and fitted == [
            "param_importance", "partial_dependence"]
        assert not any("pauses or ends" in n for n in page["notes"])
        _page(reader, path)
        assert len(fitted) == 2
        store.end_run("completed")


def test_between_full_reads_a_poll_naming_its_version_gets_the_fresh_summary(
        tmp_path, counted, monkeypatch):
    path = _written(tmp_path)
    monkeypatch.setattr(_data, "_REREAD_FACTOR", 1e6, raising=False)
    monkeypatch.setattr(_data, "_QUIET_SECONDS", 1e6, raising=False)
    reader = Reader(Catalog([path]))
    (ident,) = reader.catalog.entries()
    with CheckpointStore(path) as store:
        store.begin_run({"search": "GridSearch"})
        store.add("more", {"C": 100.0}, [OUT] * 3)
        first = reader.search(ident)
        assert first["summary"]["status"] == "running" and len(counted) == 1
        store.add("again", {"C": 1000.0}, [OUT] * 3)
        live = reader.search(ident, since=first["version"])
        assert live == {"id": ident, "version": first["version"], "unchanged": True,
                        "summary": {**first["summary"], "n_candidates": 5},
                        "notes": first["notes"]}
        # a full read: a new version, and the page in full for the older one
        monkeypatch.setattr(_data, "_REREAD_FACTOR", 0, raising=False)
        store.add("third", {"C": 3000.0}, [OUT] * 3)
        page = reader.search(ident, since=first["version"])
        assert len(counted) == 2 and page["version"] != first["version"]
        assert "unchanged" not in page and page["leaderboard"]["n_rows"] == 6
        store.end_run("completed")


@pytest.fixture
def collector_seen(monkeypatch):
    """Whether Python's cyclic collector was on while each page was computed."""
    seen = []
    leaderboard = _data._leaderboard

    def recording(*args):
        seen.append(gc.isenabled())
        return leaderboard(*args)

    monkeypatch.setattr(_data, "_leaderboard", recording)
    return seen


def test_the_collector_is_off_during_a_read_and_on_again_after(tmp_path, collector_seen):
    path = _written(tmp_path)
    assert gc.isenabled()
    page = _page(Reader(Catalog([path])), path)
    assert page["summary"]["n_candidates"] == 3
    assert collector_seen == [False]
    assert gc.isenabled()


def test_a_read_that_raises_turns_the_collector_on_again(tmp_path, monkeypatch):
    path = _written(tmp_path)

    def failing(*args):
        raise RuntimeError("a figure failed")

    monkeypatch.setattr(_data, "_leaderboard", failing)
    with pytest.raises(RuntimeError, match="a figure failed"):
        _page(Reader(Catalog([path])), path)
    assert gc.isenabled()


def test_a_program_that_turned_the_collector_off_keeps_it_off(tmp_path, collector_seen):
    path = _written(tmp_path)
    gc.disable()
    try:
        _page(Reader(Catalog([path])), path)
        assert collector_seen == [False]
        assert not gc.isenabled()
    finally:
        gc.enable()
