"""`sktune export` and export_results: a search's results for other tools."""

import csv
import json

import numpy as np
import pyarrow.parquet as pq
import pytest
from checkpoint_job import SlowCentroids
from sklearn.datasets import load_iris
from sklearn.svm import SVC

from sktune import GridSearch, HyperbandSearch
from sktune.cli import main
from sktune.distributions import LogUniform
from sktune.report import export_results
from sktune.search import results_from_checkpoint

X, y = load_iris(return_X_y=True)
SHRINKS = [0.1, 1.0, -1.0]


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    db = tmp_path_factory.mktemp("export") / "s.db"
    # shrink=-1 divides by zero in fit: a failed fit, a NaN score
    GridSearch(SlowCentroids(), {"shrink": SHRINKS}, cv=3, checkpoint=db,
               error_score=np.nan).fit(X, y)
    return db


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_export_writes_every_row_in_each_format(tmp_path, checkpoint, fmt):
    out = tmp_path / f"results.{fmt}"
    assert main(["export", str(checkpoint), "-o", str(out)]) == 0
    if fmt == "csv":
        with open(out, newline="") as f:
            rows = list(csv.DictReader(f))
        read = lambda row, key: row[key]  # noqa: E731
        assert [float(r["param_shrink"]) for r in rows] == SHRINKS
        assert rows[2]["mean_test_score"] == ""  # the failed fit
    elif fmt == "json":
        rows = json.loads(out.read_text())
        assert [r["param_shrink"] for r in rows] == SHRINKS
        assert rows[2]["mean_test_score"] is None
        read = lambda row, key: str(row[key])  # noqa: E731
    else:
        rows = pq.read_table(out).to_pylist()
        assert [r["param_shrink"] for r in rows] == SHRINKS
        assert rows[2]["mean_test_score"] is None
        read = lambda row, key: str(row[key])  # noqa: E731
    expected = results_from_checkpoint(checkpoint)
    assert read(rows[1], "rank_test_score") == str(expected["rank_test_score"][1])
    assert {"split0_test_score", "mean_fit_time", "std_test_score"} <= set(rows[0])
    assert "params" not in rows[0]


def test_the_format_option_wins_over_the_extension(tmp_path, checkpoint):
    out = tmp_path / "results.txt"
    assert main(["export", str(checkpoint), "-o", str(out), "--format", "json"]) == 0
    assert len(json.loads(out.read_text())) == 3


def test_export_of_a_fitted_search_keeps_every_budget(tmp_path):
    from sklearn.linear_model import SGDClassifier

    search = HyperbandSearch(
        SGDClassifier(random_state=0), {"alpha": LogUniform(1e-5, 1e-1)},
        resource="max_iter", max_resources=9, eta=3, cv=3, random_state=0,
    ).fit(X, y)
    rows = json.loads(open(export_results(search, tmp_path / "hb.json")).read())
    assert len(rows) == len(search.cv_results_["params"])
    assert sorted({r["n_resources"] for r in rows}) == sorted(
        set(search.cv_results_["n_resources"].tolist()))


def test_an_object_parameter_is_written_as_its_repr(tmp_path):
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    pipe = Pipeline([("scale", StandardScaler()), ("svc", SVC())])
    search = GridSearch(pipe, {"scale": [StandardScaler(), "passthrough"]}, cv=3).fit(X, y)
    path = export_results(search, tmp_path / "r.parquet")
    assert pq.read_table(path).column("param_scale").to_pylist() == [
        "StandardScaler()", "passthrough"]


def test_an_unknown_format_is_refused_before_any_file_is_written(tmp_path, checkpoint, capsys):
    out = tmp_path / "results.xlsx"
    with pytest.raises(ValueError, match=r"The 'format' parameter of export_results must be "
                       r"one of 'csv', 'json', 'parquet' or None\. Got 'xlsx' instead\."):
        export_results(results_from_checkpoint(checkpoint), out, format="xlsx")
    with pytest.raises(ValueError, match=r"'format' parameter of export_results.*Got None, "
                       r"and the path '.*results\.xlsx' has none of these extensions"):
        export_results(results_from_checkpoint(checkpoint), out)
    assert main(["export", str(checkpoint), "-o", str(out)]) == 2
    assert "has none of these extensions" in capsys.readouterr().err
    assert not out.exists()


def test_export_of_a_missing_checkpoint_is_one_error_line(tmp_path, capsys):
    out = tmp_path / "r.csv"
    assert main(["export", str(tmp_path / "none.db"), "-o", str(out)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not out.exists()
