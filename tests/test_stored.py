"""cv_results_ rebuilt from a checkpoint file, and the store's read-only mode."""

import pickle
import sqlite3
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import SGDClassifier
from sklearn.svm import SVC

from sktune import BayesSearch, GridSearch, HyperbandSearch, RandomSearch
from sktune.distributions import LogUniform
from sktune.search import results_from_checkpoint
from sktune.store import CheckpointError, CheckpointStore

X, y = load_iris(return_X_y=True)


def _assert_same_rows(stored, results):
    """Same candidates and the same columns, up to the order of rows."""
    order = [results["params"].index(p) for p in stored["params"]]
    assert sorted(order) == list(range(len(results["params"])))
    assert set(stored) == set(results)
    for key, column in results.items():
        if key == "params":
            continue
        expected = np.asarray(column)[order]
        if "time" in key:
            np.testing.assert_allclose(stored[key], expected, err_msg=key)
        elif key.startswith("param_"):
            assert list(stored[key]) == list(expected), key
        else:
            np.testing.assert_array_equal(stored[key], expected, err_msg=key)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(scoring=["accuracy", "balanced_accuracy"], refit="accuracy"),
        dict(return_train_score=True),
    ],
)
def test_rebuilt_results_equal_the_search_results(tmp_path, kwargs):
    path = tmp_path / "s.db"
    search = RandomSearch(
        SVC(), {"C": LogUniform(1e-2, 1e2), "kernel": ["rbf", "linear"]}, n_iter=6, cv=3,
        random_state=0, checkpoint=path, **kwargs,
    ).fit(X, y)
    _assert_same_rows(results_from_checkpoint(path), search.cv_results_)


def _two_scores(estimator, X, y):
    return {"acc": float(np.mean(estimator.predict(X) == y)), "one": 1.0}


def test_failed_fits_of_a_callable_multimetric_search_get_a_score_per_metric(tmp_path):
    # a callable scorer's failed fits are recorded with one NaN, not a dict:
    # the metric names are known only from a successful fit
    path = tmp_path / "s.db"
    search = GridSearch(
        # a weight for a class the data has not: allowed by the constraints, refused by fit
        SVC(), {"class_weight": [None, {99: 1.0}]}, cv=2, checkpoint=path, scoring=_two_scores,
        refit="acc",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, y)
        stored = results_from_checkpoint(path)
    failed = stored["params"].index({"class_weight": {99: 1.0}})
    for metric in ("acc", "one"):
        assert np.isnan(stored[f"mean_test_{metric}"][failed])
        assert np.isfinite(stored[f"mean_test_{metric}"][1 - failed])
    _assert_same_rows(stored, search.cv_results_)


def test_reads_while_another_process_holds_the_writer_lock(tmp_path):
    path = tmp_path / "s.db"
    with CheckpointStore(path) as writer:
        writer.set_fingerprint({"X": "x"})
        writer.add("k1", {"C": 1.0}, [{"test_scores": 0.5, "fit_error": None,
                                       "fit_time": 0.1, "score_time": 0.01,
                                       "n_test_samples": 10}])
        with pytest.raises(CheckpointError, match="being written by another process"):
            CheckpointStore(path)
        results = results_from_checkpoint(path)
        assert results["params"] == [{"C": 1.0}]
        assert results["mean_test_score"].tolist() == [0.5]
        with CheckpointStore(path, read_only=True) as reader:
            assert len(reader) == 1 and reader.fingerprint() == {"X": "x"}
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                reader.add("k2", {"C": 2.0}, [])
        # the writer goes on after the reader
        writer.add("k2", {"C": 2.0}, [{"test_scores": 0.7, "fit_error": None,
                                       "fit_time": 0.1, "score_time": 0.01,
                                       "n_test_samples": 10}])
    assert results_from_checkpoint(path)["mean_test_score"].tolist() == [0.5, 0.7]


def test_read_only_mode_leaves_no_file_behind_for_a_missing_checkpoint(tmp_path):
    path = tmp_path / "missing.db"
    with pytest.raises(CheckpointError, match=r"The checkpoint '.*missing.db' does not exist"):
        results_from_checkpoint(path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "content, match",
    [
        (b"not a database" * 100, "is not a readable sktune checkpoint"),
        (b"", "is not a readable sktune checkpoint"),
    ],
)
def test_a_file_that_is_not_a_checkpoint_is_refused(tmp_path, content, match):
    path = tmp_path / "other.db"
    path.write_bytes(content)
    with pytest.raises(CheckpointError, match=match):
        results_from_checkpoint(path)


def test_another_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(CheckpointError, match="is not a readable sktune checkpoint"):
        results_from_checkpoint(path)


def test_a_checkpoint_without_records_is_refused(tmp_path):
    path = tmp_path / "new.db"
    CheckpointStore(path).close()
    with pytest.raises(CheckpointError, match="records no finished candidate yet"):
        results_from_checkpoint(path)


def test_records_with_different_numbers_of_splits_are_refused(tmp_path):
    path = tmp_path / "odd.db"
    out = {"test_scores": 0.5, "fit_error": None, "fit_time": 0.1, "score_time": 0.01,
           "n_test_samples": 10}
    with CheckpointStore(path) as store:
        store.add("a", {"C": 1.0}, [out, out])
        store.add("b", {"C": 2.0}, [out])
    with pytest.raises(CheckpointError, match="different numbers of cross-validation splits"):
        results_from_checkpoint(path)


def _rows_by_budget(results):
    """Row index of each (params, budget): Hyperband evaluates a candidate at several budgets."""
    budgets = results.get("n_resources", [None] * len(results["params"]))
    keys = [(repr(sorted(p.items())), b) for p, b in zip(results["params"], budgets)]
    return {key: i for i, key in enumerate(keys)}


@pytest.mark.parametrize(
    "make_search",
    [
        lambda: BayesSearch(SVC(), {"C": LogUniform(1e-2, 1e2)}, n_iter=7, cv=3, random_state=0),
        lambda: HyperbandSearch(
            SGDClassifier(random_state=0), {"alpha": LogUniform(1e-5, 1.0)},
            resource="partial_fit", max_resources=9, cv=3, random_state=0,
        ),
        lambda: HyperbandSearch(
            SVC(), {"C": LogUniform(1e-2, 1e2)}, min_resources=30, cv=3, random_state=0,
        ),
    ],
    ids=["bayes", "hyperband-partial-fit", "hyperband-n-samples"],
)
def test_a_search_s_own_columns_come_back_from_the_checkpoint(tmp_path, make_search):
    path = tmp_path / "s.db"
    search = make_search().set_params(checkpoint=path).fit(X, y)
    stored = results_from_checkpoint(path)
    results = search.cv_results_
    assert set(stored) == set(results)
    rows = _rows_by_budget(results)
    order = [rows[key] for key in _rows_by_budget(stored)]
    assert sorted(order) == list(range(len(results["params"])))
    own = {"iter", "initial_design", "surrogate_mean", "bracket", "rung", "n_resources"}
    assert own & set(results)
    for key in own & set(results):
        np.testing.assert_array_equal(stored[key], np.asarray(results[key])[order], err_msg=key)
    np.testing.assert_array_equal(
        stored["mean_test_score"], results["mean_test_score"][order]
    )


def test_a_checkpoint_written_before_the_search_columns_existed_still_works(tmp_path):
    path = tmp_path / "old.db"
    out = {"test_scores": 0.5, "fit_error": None, "fit_time": 0.1, "score_time": 0.01,
           "n_test_samples": 10}
    with sqlite3.connect(path) as conn:  # the layout of the first checkpoints
        conn.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB)")
        conn.execute("CREATE TABLE candidates (seq INTEGER PRIMARY KEY, key TEXT UNIQUE,"
                     " params BLOB, outputs BLOB, finished REAL)")
        conn.execute("INSERT INTO meta VALUES ('schema', ?)", (pickle.dumps("1"),))
        conn.execute("INSERT INTO candidates (key, params, outputs, finished) VALUES (?,?,?,?)",
                     ("a", pickle.dumps({"C": 1.0}), pickle.dumps([out]), 0.0))
    # read-only: no column is added, the record has no own columns
    with CheckpointStore(path, read_only=True) as reader:
        assert reader.extras() == {"a": {}}
    assert results_from_checkpoint(path)["mean_test_score"].tolist() == [0.5]
    # a writer adds the column and records new candidates with their columns
    with CheckpointStore(path) as writer:
        writer.add("b", {"C": 2.0}, [out], {"bracket": 1})
        assert writer.extras() == {"a": {}, "b": {"bracket": 1}}
    results = results_from_checkpoint(path)
    assert "bracket" not in results  # not every record has it
    assert results["params"] == [{"C": 1.0}, {"C": 2.0}]
