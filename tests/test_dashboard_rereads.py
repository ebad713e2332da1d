"""While a search writes a checkpoint, a polled page reads its count and status
at once but computes its figures again only now and then, so that watching
a search does not slow it down (benchmarks/dashboard_polling.py)."""

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

    def counting(path):
        reads.append(path)
        return full(path)

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
