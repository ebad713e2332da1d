"""Leaderboards and the SearchResults view, from every kind of search and from dicts."""

import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris
from sklearn.exceptions import FitFailedWarning, NotFittedError
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

import sktune
from sktune import GridSearch, ManualSearch, RandomSearch, format_leaderboard, leaderboard
from sktune.distributions import LogUniform, Uniform
from sktune.report import (
    MISSING,
    SearchResults,
    label,
    leaderboard_table,
    ranks,
)
from sktune.report._values import is_number

X, y = load_iris(return_X_y=True)


def _searches():
    space = {"C": LogUniform(1e-2, 1e2), "kernel": ["rbf", "linear"]}
    out = {
        "GridSearch": GridSearch(SVC(), space, n_points=3, cv=3),
        "RandomSearch": RandomSearch(SVC(), space, n_iter=6, cv=3, random_state=0),
        "ManualSearch": ManualSearch(
            SVC(), [{"C": 1.0, "kernel": "rbf"}, {"C": 0.01, "kernel": "linear"},
                    {"C": 30.0, "kernel": "rbf"}], cv=3,
        ),
        "GridSearchCV": GridSearchCV(SVC(), {"C": [0.01, 1, 100], "kernel": ["rbf"]}, cv=3),
    }
    # the other search classes, once they exist
    if hasattr(sktune, "BayesSearch"):
        out["BayesSearch"] = sktune.BayesSearch(SVC(), space, n_iter=6, cv=3, random_state=0)
    if hasattr(sktune, "HyperbandSearch"):
        out["HyperbandSearch"] = sktune.HyperbandSearch(
            SVC(), space, max_resources=90, min_resources=10, cv=3, random_state=0
        )
    return out


@pytest.fixture(scope="module")
def fitted():
    return {name: s.fit(X, y) for name, s in _searches().items()}


@pytest.mark.parametrize("name", list(_searches()))
def test_leaderboard_of_every_search_class(fitted, name):
    search = fitted[name]
    table = leaderboard(search, top=3)
    results = search.cv_results_
    n = len(results["params"])
    assert len(table) == min(3, n)
    assert list(table.columns[:3]) == ["rank", "mean_score", "std_score"]
    assert "C" in table.columns and "kernel" in table.columns
    assert "fit_time" in table.columns
    # best first, by the mean test score, with cv_results_'s own index
    scores = np.asarray(results["mean_test_score"], dtype=float)
    expected = np.argsort(-np.nan_to_num(scores, nan=-np.inf), kind="stable")[: len(table)]
    assert sorted(table.index) == sorted(expected)
    np.testing.assert_allclose(table["mean_score"], scores[table.index])
    np.testing.assert_allclose(table["std_score"], results["std_test_score"][table.index])
    np.testing.assert_allclose(table["fit_time"], results["mean_fit_time"][table.index])
    assert table["mean_score"].is_monotonic_decreasing
    assert table.index.name == "candidate"
    assert table["rank"].iloc[0] == 1
    for i, row in table.iterrows():
        assert row["C"] == results["params"][i]["C"]
    if "n_resources" in results:
        assert list(table["n_resources"]) == list(results["n_resources"][table.index])


def test_leaderboard_equals_from_search_and_from_its_cv_results(fitted):
    search = fitted["RandomSearch"]
    pd.testing.assert_frame_equal(
        leaderboard(search, top=None), leaderboard(dict(search.cv_results_), top=None)
    )
    assert len(leaderboard(search, top=None)) == 6
    assert len(leaderboard(search, top=100)) == 6


def test_multimetric_shows_every_metric_and_ranks_by_the_chosen_one():
    search = GridSearch(
        SVC(), {"C": [0.01, 0.1, 1, 10]}, scoring=["accuracy", "balanced_accuracy"],
        refit="balanced_accuracy", cv=3,
    ).fit(X, y)
    table = leaderboard(search)
    assert list(table.columns) == [
        "rank", "mean_balanced_accuracy", "std_balanced_accuracy",
        "mean_accuracy", "std_accuracy", "C", "fit_time",
    ]
    by_acc = leaderboard(search, metric="accuracy")
    assert list(by_acc.columns[1:3]) == ["mean_accuracy", "std_accuracy"]
    assert by_acc["mean_accuracy"].is_monotonic_decreasing
    # a dict has no refit: the first metric in cv_results_ order ranks
    res = SearchResults.from_search(dict(search.cv_results_))
    assert res.refit_metric == res.metrics[0]
    assert SearchResults.from_search(search).refit_metric == "balanced_accuracy"


def test_hyperband_budget_columns_from_a_halving_search():
    search = HalvingGridSearchCV(
        DecisionTreeClassifier(random_state=0), {"max_depth": [1, 2, 3, None]},
        factor=2, min_resources=30, cv=3, random_state=0,
    ).fit(X, y)
    table = leaderboard(search, top=None)
    assert table.columns[-1] == "n_resources"
    assert list(table["n_resources"]) == list(search.cv_results_["n_resources"][table.index])


def test_bracket_and_budget_columns_from_a_dict():
    results = {
        "params": [{"C": 1}, {"C": 2}, {"C": 2}], "mean_test_score": [0.5, 0.6, 0.9],
        "n_resources": np.array([10, 10, 30]), "bracket": np.array([1, 1, 1]),
    }
    columns, rows, index = leaderboard_table(results, budgets="all")
    assert columns == ["rank", "mean_score", "std_score", "C", "fit_time", "n_resources",
                       "bracket"]
    assert index == [2, 1, 0]
    # by default only the rows at the largest budget, which compare
    assert leaderboard_table(results)[2] == [2]
    assert rows[0][-2:] == (30, 1)
    assert type(rows[0][-2]) is int
    # columns cv_results_ lacks are NaN, not an error
    assert np.isnan(rows[0][2]) and np.isnan(rows[0][4])


def test_failed_candidates_rank_last_and_show_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (FitFailedWarning, UserWarning))
        # a weight for a class iris has not: allowed by the constraints, refused by fit
        search = ManualSearch(SVC(), [{"class_weight": {99: 1.0}}, {"C": 1.0}, {"C": 0.01}],
                              cv=3).fit(X, y)
    table = leaderboard(search)
    assert list(table.index) == [1, 2, 0]
    assert np.isnan(table["mean_score"].iloc[-1])
    assert table["rank"].iloc[-1] == 3
    last = format_leaderboard(search).splitlines()[-1].split()
    assert last[:2] == ["3", "nan"]


def test_conditional_parameters_and_none_values():
    results = {
        "params": [{"max_depth": None, "criterion": "gini"}, {"max_depth": 3},
                   {"max_depth": 5, "criterion": "entropy"}],
        "mean_test_score": [0.9, 0.8, 0.7], "mean_fit_time": [0.1, 0.1, 0.1],
    }
    columns, rows, _ = leaderboard_table(results)
    assert columns[3:5] == ["criterion", "max_depth"]
    assert rows[0][3:5] == ("gini", None)
    assert rows[1][3] is MISSING
    table = leaderboard(results)
    assert table["max_depth"].iloc[0] is None
    assert pd.isna(table["criterion"].iloc[1])
    text = format_leaderboard(results)
    lines = text.splitlines()
    assert lines[1].split()[3:5] == ["gini", "None"]
    assert lines[2].split()[3] == "-"


def test_format_leaderboard_is_an_aligned_table_without_pandas(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    results = {
        "params": [{"C": 0.001234, "kernel": "rbf"}, {"C": 10.0, "kernel": "linear"}],
        "mean_test_score": [0.81234, 0.9], "std_test_score": [0.01, 0.02],
        "mean_fit_time": [0.1, 0.25],
    }
    text = format_leaderboard(results, top=2)
    assert text == textwrap.dedent("""\
        rank  mean_score  std_score         C  kernel  fit_time
           1      0.9000     0.0200        10  linear     0.25s
           2      0.8123     0.0100  0.001234     rbf      0.1s""")
    with pytest.raises(ImportError, match=r"pip install sktune\[report\]"):
        leaderboard(results)


def test_a_parameter_named_like_a_column_keeps_its_prefix():
    results = {"params": [{"rank": 1}, {"rank": 2}], "mean_test_score": [0.1, 0.2]}
    columns, _, _ = leaderboard_table(results)
    assert columns == ["rank", "mean_score", "std_score", "param_rank", "fit_time"]


def test_ranks_match_scikit_learn(fitted):
    search = fitted["GridSearchCV"]
    np.testing.assert_array_equal(
        ranks(search.cv_results_["mean_test_score"]), search.cv_results_["rank_test_score"]
    )
    assert ranks([np.nan, np.nan]).tolist() == [1, 1]
    assert ranks([]).tolist() == []


def test_label_texts_of_numpy_and_subclassed_values():
    # the exact types take a fast path; numpy's and subclasses must read the same
    class Text(str):
        pass

    class Ratio(float):
        pass

    assert label(np.float64(0.000123456)) == label(0.000123456) == "0.0001235"
    assert label(np.float32(0.5)) == label(Ratio(0.5)) == "0.5"
    assert label(np.int64(3)) == label(3) == "3"
    assert label(True) == "True" and label(np.bool_(True)) == repr(np.bool_(True))
    assert label(Text("rbf")) == label("rbf") == "rbf"
    assert label(np.float64("inf")) == label(float("inf")) == "inf"
    assert label(123456789012345678901234567890, width=10) == "1234567..."
    assert is_number(np.int64(1)) and is_number(2.5) and is_number(Ratio(1.0))
    assert not is_number(True) and not is_number(np.bool_(False)) and not is_number("1")


def test_label_texts():
    assert label(None) == "None"
    assert label(0.1 + 0.2) == "0.3"
    assert label(True) == "True"
    assert label(MISSING) == "-"
    assert label("x" * 50) == "x" * 27 + "..."
    assert label(SVC(C=2)) == "SVC(C=2)"


def test_search_results_axes_follow_the_search_space():
    # declared LogUniform over less than two decades: still a log axis;
    # declared Uniform over many decades: still linear
    search = RandomSearch(
        SVC(), {"C": LogUniform(1, 20), "tol": Uniform(1e-6, 1.0)}, n_iter=5, cv=3,
        random_state=0,
    ).fit(X, y)
    res = SearchResults.from_search(search)
    assert res.axis("C").kind == "log"
    assert res.axis("tol").kind == "linear"
    # the same values read from a dict are inferred from their spread
    plain = SearchResults.from_search(dict(search.cv_results_))
    assert plain.axis("C").kind == "linear"
    spread = {"params": [{"a": 1e-3}, {"a": 10.0}, {"a": 0.5}], "mean_test_score": [1, 2, 3]}
    axis = SearchResults.from_search(spread).axis("a")
    assert axis.kind == "log" and (axis.low, axis.high) == (1e-3, 10.0)
    mixed = {"params": [{"a": 3}, {"a": None}, {"a": 1}, {"a": "auto"}],
             "mean_test_score": [1, 2, 3, 4]}
    axis = SearchResults.from_search(mixed).axis("a")
    assert axis.kind == "categorical" and axis.labels == ["1", "3", "None", "auto"]
    assert axis.coords([3, None, MISSING]).tolist()[:2] == [1.0, 2.0]
    assert np.isnan(axis.coords([MISSING])[0])


def test_results_view_times_and_splits(fitted):
    res = SearchResults.from_search(fitted["GridSearchCV"])
    assert res.n_splits == 3
    r = fitted["GridSearchCV"].cv_results_
    np.testing.assert_allclose(res.times(), 3 * (r["mean_fit_time"] + r["mean_score_time"]))
    assert res.best_index() == fitted["GridSearchCV"].best_index_


@pytest.mark.parametrize("top", [0, -1, True, 2.5, "3"])
def test_top_must_be_a_positive_int(fitted, top):
    with pytest.raises(ValueError, match=r"The 'top' parameter of leaderboard must be an int"):
        leaderboard(fitted["GridSearch"], top=top)
    with pytest.raises(ValueError, match=r"'top' parameter of format_leaderboard"):
        format_leaderboard(fitted["GridSearch"], top=top)


def test_unknown_metric_names_the_known_ones(fitted):
    with pytest.raises(ValueError, match=r"must be one of the metrics of the search, \['score'\]"):
        leaderboard(fitted["GridSearch"], metric="accuracy")


@pytest.mark.parametrize("obj", [42, "search", [1, 2], None])
def test_not_a_search_nor_a_dict(obj):
    with pytest.raises(TypeError, match=r"The 'search' argument of leaderboard must be a fitted"):
        leaderboard(obj)


def test_a_dict_without_results_columns():
    with pytest.raises(ValueError, match=r"cv_results_ dict with a 'params' column"):
        format_leaderboard({"params": [{"C": 1}]})
    with pytest.raises(ValueError, match=r"cv_results_ dict with a 'params' column"):
        format_leaderboard({"mean_test_score": [1.0]})


def test_an_unfitted_search():
    with pytest.raises(NotFittedError, match=r"This GridSearch instance is not fitted yet"):
        leaderboard(GridSearch(SVC(), {"C": [1]}))


@pytest.mark.slow
def test_import_sktune_loads_no_matplotlib_and_needs_no_pandas():
    # scikit-learn itself imports pandas when it is installed, so "needs no
    # pandas" is checked by hiding pandas (and matplotlib) altogether.
    code = textwrap.dedent("""
        import sys
        sys.modules["pandas"] = None
        sys.modules["matplotlib"] = None
        import sktune, sktune.plot, sktune.report
        results = {"params": [{"C": 1}, {"C": 10}], "mean_test_score": [0.8, 0.9]}
        print(sktune.format_leaderboard(results).splitlines()[1].split()[3])
        for call in (lambda: sktune.leaderboard(results),
                     lambda: sktune.plot.plot_convergence(results),
                     lambda: sktune.write_report(results, "never.html")):
            try:
                call()
            except ImportError as exc:
                print(exc)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[0] == "10"
    assert "pip install sktune[report]" in out[1]
    assert "plot_convergence draws with matplotlib" in out[2]
    assert "pip install sktune[plot]" in out[2]
    assert "pip install sktune[plot]" in out[3] and "write_html" in out[3]
    fresh = subprocess.run(
        [sys.executable, "-c", "import sys, sktune; print('matplotlib' in sys.modules)"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert fresh == "False"


def test_sktune_report_is_the_package_and_write_report_the_function():
    # issue 19: the function named sktune.report hid the subpackage, so
    # `import sktune.report as r` gave the function
    import sktune.report as report_attr
    from sktune.report import write_html

    assert report_attr is sys.modules["sktune.report"] is sktune.report
    assert report_attr.write_html is write_html
    assert sktune.write_report is sktune.plot.write_report
    assert "write_report" in sktune.__all__
    with pytest.raises(TypeError, match="not callable"):
        sktune.report(None, "never.html")
