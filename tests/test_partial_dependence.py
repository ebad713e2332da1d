"""Partial dependence of the surrogate: its numbers, its figure, and what the dashboard reads."""

import json

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from sktune import BayesSearch
from sktune.dashboard._data import Catalog, Reader
from sktune.distributions import LogUniform
from sktune.plot._dependence import dependence_figure
from sktune.plot._figures import figure_specs
from sktune.report import partial_dependence


def quadratic_results(n=40, seed=0):
    """A search whose score peaks at C = 1 (log scale) and gamma = 0.3, and prefers "b"."""
    rng = np.random.RandomState(seed)
    C = 10 ** rng.uniform(-3, 3, n)
    gamma = rng.uniform(0, 1, n)
    kernel = np.array(["a", "b", "<c>"])[np.arange(n) % 3]
    score = -np.log10(C) ** 2 / 9 - 4 * (gamma - 0.3) ** 2 + 0.5 * (kernel == "b")
    params = [{"C": c, "gamma": g, "kernel": k} for c, g, k in zip(C, gamma, kernel)]
    return {"params": params, "mean_test_score": score}


@pytest.fixture(scope="module")
def dependence():
    return partial_dependence(quadratic_results())


def test_it_peaks_near_the_best_value_of_each_parameter(dependence):
    C, gamma, kernel = dependence["C"], dependence["gamma"], dependence["kernel"]
    assert abs(np.log10(C.values[np.argmax(C.mean)])) < 0.5
    assert abs(gamma.values[np.argmax(gamma.mean)] - 0.3) < 0.1
    assert kernel.values[np.argmax(kernel.mean)] == "b"
    # the effect is in score units: the quadratic drops by about 1 from C = 1 to 1e-3
    assert C.mean.max() - C.mean[0] == pytest.approx(1.0, abs=0.3)
    assert np.all(C.std > 0)


def test_shapes_and_grids_in_the_parameters_units(dependence):
    results = quadratic_results()
    C = [p["C"] for p in results["params"]]
    dep = dependence["C"]
    assert dep.kind == "log" and len(dep.values) == 40
    assert dep.mean.shape == dep.std.shape == (40,)
    assert dep.values[0] == pytest.approx(min(C)) and dep.values[-1] == pytest.approx(max(C))
    # evenly spaced in log space
    assert np.allclose(np.diff(np.log10(dep.values)), np.diff(np.log10(dep.values))[0])
    assert dependence["gamma"].kind == "linear"
    assert np.allclose(np.diff(dependence["gamma"].values), np.diff(dependence["gamma"].values)[0])
    kernel = dependence["kernel"]
    assert kernel.kind == "categorical" and kernel.values == ["a", "b", "<c>"]
    assert kernel.mean.shape == (3,)
    assert list(dependence) == ["C", "gamma", "kernel"]


def test_it_is_deterministic():
    a, b = partial_dependence(quadratic_results()), partial_dependence(quadratic_results())
    for name in a:
        assert np.array_equal(a[name].mean, b[name].mean)
        assert np.array_equal(a[name].std, b[name].std)


def test_integer_parameters_keep_distinct_integers():
    rng = np.random.RandomState(1)
    depth = rng.randint(1, 8, 20)
    results = {"params": [{"depth": int(d)} for d in depth],
               "mean_test_score": -((depth - 4.0) ** 2)}
    dep = partial_dependence(results, n_points=40)["depth"]
    assert dep.values == list(range(1, 8))
    assert dep.values[int(np.argmax(dep.mean))] == 4


def test_too_few_points_give_nothing_and_the_figure_is_omitted():
    results = quadratic_results(n=4)
    assert partial_dependence(results) == {}
    assert "dependence" not in figure_specs(results)
    assert "dependence" in figure_specs(quadratic_results(n=5))
    # failed fits do not count
    results = quadratic_results(n=8)
    results["mean_test_score"][:4] = np.nan
    assert partial_dependence(results) == {}


def test_only_full_budget_rows_are_modelled():
    full = quadratic_results(n=4)
    low = quadratic_results(n=30, seed=1)
    results = {"params": full["params"] + low["params"],
               "mean_test_score": np.concatenate([full["mean_test_score"],
                                                  low["mean_test_score"]]),
               "n_resources": np.array([9] * 4 + [1] * 30)}
    # 30 rows at budget 1, only 4 at the full budget: too few
    assert partial_dependence(results) == {}
    results["n_resources"][4:9] = 9
    dep = partial_dependence(results)
    assert list(dep) == ["C", "gamma", "kernel"]


@pytest.mark.parametrize("name, value", [("n_points", 1), ("n_points", 2.5),
                                         ("min_points", True), ("min_points", 1)])
def test_bad_arguments_are_named(name, value):
    with pytest.raises(ValueError, match=rf"The '{name}' parameter of partial_dependence "
                                         rf"must be an int >= \d+\. Got {value!r} instead\."):
        partial_dependence(quadratic_results(), **{name: value})


def test_the_figure_has_one_panel_per_parameter_with_escaped_labels(dependence):
    fig = dependence_figure(dependence, sign=-1, metric="RMSE")
    layout = fig["layout"]
    assert layout["xaxis"]["type"] == "log" and layout["xaxis2"]["type"] == "linear"
    assert layout["xaxis3"]["type"] == "category"
    # a band and a mean line per numeric parameter, error bars for the categories
    assert [t["xaxis"] for t in fig["data"]] == ["x", "x", "x2", "x2", "x3"]
    text = json.dumps(fig)
    assert "<c>" not in text and "&lt;c&gt;" in text
    mean_line = fig["data"][1]
    assert mean_line["y"] == pytest.approx(list(-dependence["C"].mean))
    # four parameters wrap onto a second row, with room for it
    four = dict(dependence, other=dependence["gamma"])
    layout = dependence_figure(four)["layout"]
    assert layout["yaxis4"]["domain"][1] < layout["yaxis"]["domain"][0]
    assert layout["height"] > 440


def test_the_dashboard_shows_it_for_a_bayes_search_and_notes_too_few(tmp_path):
    X, y = load_iris(return_X_y=True)
    space = {"C": LogUniform(1e-3, 1e3)}
    for name, n_iter in (("bayes.db", 8), ("short.db", 3)):
        BayesSearch(LogisticRegression(max_iter=200), space, n_iter=n_iter, n_initial_points=3,
                    cv=2, random_state=0, checkpoint=tmp_path / name).fit(X, y)
    reader = Reader(Catalog([tmp_path]))
    pages = {s["name"]: reader.search(s["id"]) for s in reader.experiments()}
    page = pages["bayes.db"]
    assert page["summary"]["strategy"] == "BayesSearch"
    fig = page["figures"]["dependence"]
    assert fig["layout"]["xaxis"]["type"] == "log" and len(fig["data"][1]["x"]) == 40
    assert page["notes"] == []
    short = pages["short.db"]
    assert "dependence" not in short["figures"]
    assert short["notes"] == ["Partial dependence of the surrogate: drawn once 5 full-budget "
                              "candidates have a finite score (3 so far)."]


def test_a_parameter_tried_at_one_value_has_a_one_point_grid():
    results = quadratic_results(n=10)
    for p in results["params"]:
        p["gamma"] = 0.5
    dep = partial_dependence(results)
    assert dep["gamma"].values == [0.5] and dep["gamma"].mean.shape == (1,)
    assert len(dep["C"].values) == 40
