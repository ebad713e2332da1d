"""cv_results_ rebuilt from a checkpoint file, and the store's read-only mode."""

import copy
import json
import pickle
import sqlite3
import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_iris
from sklearn.linear_model import SGDClassifier
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.svm import SVC

from sktune import BayesSearch, GridSearch, HyperbandSearch, ManualSearch, RandomSearch
from sktune.distributions import LogUniform
from sktune.search import results_from_checkpoint
from sktune.search._json_values import StoredRepr, decode_params
from sktune.store import CheckpointError, CheckpointStore

X, y = load_iris(return_X_y=True)


def _assert_same_rows(stored, results):
    """Same candidates and the same columns, up to the order of rows."""
    # an object is stored by its place among the choices and reads back as
    # its repr: compare candidates as they print
    printed = [repr(p) for p in results["params"]]
    order = [printed.index(repr(p)) for p in stored["params"]]
    assert sorted(order) == list(range(len(results["params"])))
    assert set(stored) == set(results)
    for key, column in results.items():
        if key == "params":
            continue
        expected = np.asarray(column)[order]
        if "time" in key:
            np.testing.assert_allclose(stored[key], expected, err_msg=key)
        elif key.startswith("param_"):
            assert [repr(v) for v in stored[key]] == [repr(v) for v in expected], key
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
    # a dict is stored by its place among the choices: read back, it prints as one
    failed = [i for i, p in enumerate(stored["params"]) if p["class_weight"] is not None][0]
    assert str(stored["params"][failed]["class_weight"]) == "{99: 1.0}"
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
    with pytest.raises(
        CheckpointError,
        match=r"is not an sktune checkpoint: it is an SQLite database of another program "
        r"\(tables 't'\)",
    ):
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
        store.set_fingerprint({"X": "x"})
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


def _format_1_file(path, value):
    """A checkpoint of the first, pickled layout, every value pickled."""
    out = {"test_scores": 0.5, "fit_error": None, "fit_time": 0.1, "score_time": 0.01,
           "n_test_samples": 10}
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB)")
        conn.execute("CREATE TABLE candidates (seq INTEGER PRIMARY KEY, key TEXT UNIQUE,"
                     " params BLOB, outputs BLOB, finished REAL, extra BLOB)")
        conn.execute("INSERT INTO meta VALUES ('schema', ?)", (pickle.dumps("1"),))
        conn.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (pickle.dumps({"X": "x"}),))
        conn.execute("INSERT INTO candidates (key, params, outputs, finished, extra)"
                     " VALUES (?,?,?,?,?)",
                     ("a", pickle.dumps({"C": value}), pickle.dumps([out]), 0.0,
                      pickle.dumps({})))
    conn.close()


@pytest.mark.parametrize(
    "open_it",
    [
        results_from_checkpoint,
        lambda path: CheckpointStore(path, read_only=True),
        CheckpointStore,
    ],
    ids=["results_from_checkpoint", "reader", "writer"],
)
def test_a_checkpoint_of_the_pickled_format_is_refused_unread(tmp_path, open_it):
    path = tmp_path / "old.db"
    _format_1_file(path, 1.0)
    before = path.read_bytes()
    with pytest.raises(
        CheckpointError,
        match=r"The checkpoint '.*old\.db' was written by an older sktune, in a format "
        r"\(pickled records\) that is not read any more: loading a pickle can run code "
        r"hidden in the file\. Re-run the search into a new checkpoint file",
    ):
        open_it(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.db"]


def test_the_checkpoint_is_plain_sqlite_and_json_that_pandas_reads(tmp_path):
    import pandas as pd

    path = tmp_path / "s.db"
    search = RandomSearch(
        SVC(), {"C": LogUniform(1e-2, 1e2), "kernel": ["rbf", "linear"]}, n_iter=6, cv=3,
        random_state=0, checkpoint=path, scoring=["accuracy", "balanced_accuracy"],
        refit="accuracy", return_train_score=True,
    ).fit(X, y)
    with sqlite3.connect(path) as conn:
        table = pd.read_sql(
            "SELECT json_extract(c.params, '$.C') AS C,"
            " json_extract(c.params, '$.kernel') AS kernel, AVG(s.score) AS mean_score"
            " FROM candidates AS c JOIN scores AS s ON s.seq = c.seq"
            " WHERE s.subset = 'train' AND s.metric = 'balanced_accuracy'"
            " GROUP BY c.seq", conn,
        )
        splits = pd.read_sql("SELECT * FROM splits", conn)
        workers = pd.read_sql("SELECT * FROM fit_workers", conn)
        meta = dict(conn.execute("SELECT name, value FROM meta").fetchall())
    conn.close()
    results = search.cv_results_
    expected = {
        (p["C"], p["kernel"]): m
        for p, m in zip(results["params"], results["mean_train_balanced_accuracy"])
    }
    assert dict(zip(zip(table.C, table.kernel), table.mean_score)) == pytest.approx(expected)
    assert list(splits.columns) == [
        "seq", "split", "fit_time", "score_time", "n_test_samples", "fit_error"
    ]
    assert len(splits) == 6 * 3 and splits.fit_error.isna().all()
    # where each fit ran, by the same (seq, split)
    assert list(workers.columns) == [
        "seq", "finished", "split", "start_time", "worker_host", "worker_pid"
    ]
    assert sorted(zip(workers.seq, workers.split)) == sorted(zip(splits.seq, splits.split))
    assert workers.start_time.notna().all() and workers.worker_pid.notna().all()
    assert (splits.n_test_samples == 50).all()
    assert sorted(json.loads(meta["fingerprint"])) == [
        "X", "cv splits", "estimator", "fit parameters", "scoring", "search settings",
        "search space", "y",
    ]


class Echo(ClassifierMixin, BaseEstimator):
    """Predicts the majority class; ``value`` may be anything."""

    def __init__(self, value=None):
        self.value = value

    def fit(self, X, y):
        self.classes_, counts = np.unique(y, return_counts=True)
        self.majority_ = self.classes_[np.argmax(counts)]
        return self

    def predict(self, X):
        return np.full(len(X), self.majority_)


def _values():
    """Parameter values JSON cannot hold as they are, and the objects among them."""
    objects = [StandardScaler(), {0: 1.0, 1: 2.0}, np.array([1, 2]), np.longdouble(2)]
    return [
        None, "rbf", True, 3, -2.5, 1e300, 2**40, float("nan"), float("-inf"),
        np.float32(0.25), np.float64(-1.5), np.int64(7), np.uint8(200), np.bool_(False),
        np.float16(np.inf), (1, (2, 3.5)), [np.int32(4), None], (), *objects,
    ], objects


def _same_value(a, b):
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same_value, a, b))
    return type(a) is type(b) and (a == b or (a != a and b != b))


def test_values_json_cannot_hold_come_back_exactly_or_as_their_repr(tmp_path):
    path = tmp_path / "s.db"
    values, objects = _values()
    GridSearch(Echo(), {"value": values}, cv=2, checkpoint=path).fit(X, y)
    stored = [p["value"] for p in results_from_checkpoint(path)["params"]]
    assert len(stored) == len(values)
    for value, read in zip(values, stored):
        if any(value is o for o in objects):
            assert isinstance(read, StoredRepr) and repr(read) == repr(value)
        else:
            assert _same_value(read, value), (value, read)
    # the keys of a resumed search are those recorded: nothing is fitted again
    again = GridSearch(Echo(), {"value": values}, cv=2, checkpoint=path).fit(X, y)
    assert again.n_reused_ == len(values)
    # an object is recorded by its index among the space's choices
    with sqlite3.connect(path) as conn:
        stored = [json.loads(p)["value"] for (p,) in conn.execute("SELECT params FROM candidates")]
    conn.close()
    tagged = [v for v in stored if isinstance(v, dict) and v["type"] == "object"]
    assert sorted(v["choice"] for v in tagged) == sorted(
        next(i for i, v in enumerate(values) if v is o) for o in objects
    )


def test_manual_search_finds_recorded_objects_among_its_candidates(tmp_path):
    path = tmp_path / "manual.db"
    # ManualSearch compares its candidates' values with ==: no NaN (never equal
    # to itself), nor a numpy scalar beside a tuple, a dict or a huge float here
    objects = [StandardScaler(), MinMaxScaler()]
    values = [None, "rbf", 3, -2.5, np.int64(7), np.bool_(False), np.float32(0.5), *objects]
    first = ManualSearch(Echo(), [{"value": v} for v in values], cv=2, checkpoint=path)
    first.fit(X, y)
    # the same list in another order, with other but equal objects
    listed = copy.deepcopy(values[::-1])
    again = ManualSearch(Echo(), [{"value": v} for v in listed], cv=2, checkpoint=path)
    again.fit(X, y)
    assert again.n_reused_ == len(values)
    for value, read in zip(listed, again.cv_results_["params"]):
        assert read["value"] is value
    # candidates whose objects are no longer listed are left out, with a warning
    with pytest.warns(UserWarning, match=r"left out: value=\w+Scaler\(\) is not one of "
                      r"the choices .* List it again among the candidates") as caught:
        other = ManualSearch(Echo(), [{"value": "new"}], cv=2, checkpoint=path).fit(X, y)
    assert len([w for w in caught if "left out" in str(w.message)]) == len(objects)
    kept = [p["value"] for p in other.cv_results_["params"]]
    assert len(kept) == len(values) - len(objects) + 1 and kept[-1] == "new"
    assert other.n_reused_ == len(values) - len(objects)


@pytest.mark.parametrize(
    "stored, match",
    [
        ([1.0], r"\[1.0\] is not a dict of parameter values"),
        ({"C": {"type": "pickle", "repr": "C"}}, r"C=\{.*\} is not a value sktune records"),
        ({"C": {"type": "float", "value": "nan", "repr": "nan", "code": "x"}},
         r"C=\{.*\} is not a value sktune records"),
        ({"C": {"type": "float", "value": "nan", "repr": 1}}, "is not a value sktune records"),
        ({"C": {"type": "float", "value": "1.5", "repr": "1.5"}},
         r"C=\{.*\} is not a NaN or infinite float"),
        ({"C": {"type": "numpy", "dtype": "O", "value": 1, "repr": "x"}},
         r"C: numpy dtype 'O' is not one sktune records"),
        ({"C": {"type": "numpy", "dtype": "bool", "value": 1, "repr": "x"}},
         r"C: a numpy bool holds 1"),
        ({"C": {"type": "numpy", "dtype": "int8", "value": 300, "repr": "x"}},
         r"C: a numpy int8 holds 300"),
        ({"C": {"type": "numpy", "dtype": "float32", "value": [1], "repr": "x"}},
         r"C: a numpy float32 holds \[1\]"),
        ({"C": {"type": "tuple", "items": "ab", "repr": "x"}}, r"C=\{.*\} has no list of items"),
        ({"C": {"type": "object", "choice": -1, "hash": "h", "repr": "x"}},
         r"C=\{.*\} is not a value sktune records"),
        ({"C": {"type": "object", "choice": None, "hash": 5, "repr": "x"}},
         r"C=\{.*\} is not a value sktune records"),
        ({"C": json.loads('{"type": "list", "repr": "", "items": [' * 20 + "]}" * 20)},
         r"C=\{.*\} is not a value sktune records"),
    ],
)
def test_a_value_sktune_does_not_write_is_not_read(stored, match):
    with pytest.raises(ValueError, match=match):
        decode_params(stored)


def test_results_are_built_without_a_search_object(tmp_path, monkeypatch):
    # issue 19: the rows were formatted by a fake search built only to lend
    # BaseSearchCV's private formatter
    from sklearn.model_selection._search import BaseSearchCV

    path = tmp_path / "s.db"
    search = GridSearch(SVC(), {"C": [0.1, 1.0, 10.0]}, cv=3, checkpoint=path).fit(X, y)

    def no_search(*args, **kwargs):
        raise AssertionError("a search object was built")

    monkeypatch.setattr(BaseSearchCV, "__init__", no_search)
    monkeypatch.setattr(BaseSearchCV, "_format_results", no_search)
    _assert_same_rows(results_from_checkpoint(path), search.cv_results_)


def test_reading_failed_candidates_does_not_warn(tmp_path):
    # the search warned of the non-finite scores when it ran; reading its
    # file again (sktune show, sktune report) is no new event
    path = tmp_path / "s.db"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        GridSearch(SVC(), {"class_weight": [None, {99: 1.0}]}, cv=2, checkpoint=path).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stored = results_from_checkpoint(path)
    failed = np.isnan(stored["mean_test_score"])
    assert failed.sum() == 1
    # the failed candidate ranks last
    assert stored["rank_test_score"][failed].tolist() == [2]
