"""Every plot, drawn headless from real fitted searches of each class and from dicts."""

import sys
import warnings

import matplotlib

matplotlib.use("Agg")  # headless, for this test process only

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.exceptions import FitFailedWarning  # noqa: E402
from sklearn.experimental import enable_halving_search_cv  # noqa: E402,F401
from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV  # noqa: E402
from sklearn.svm import SVC  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

import sktune  # noqa: E402
from sktune import GridSearch, ManualSearch, RandomSearch  # noqa: E402
from sktune.distributions import LogUniform  # noqa: E402
from sktune.plot import (  # noqa: E402
    plot_convergence,
    plot_hyperband,
    plot_importance,
    plot_parallel_coordinates,
    plot_param_slices,
)
from sktune.report import SearchResults, hyperband_paths  # noqa: E402

X, y = load_iris(return_X_y=True)
SPACE = {"C": LogUniform(1e-2, 1e2), "kernel": ["rbf", "linear"]}


def _searches():
    out = {
        "GridSearch": GridSearch(SVC(), SPACE, n_points=3, cv=3),
        "RandomSearch": RandomSearch(SVC(), SPACE, n_iter=8, cv=3, random_state=0),
        "ManualSearch": ManualSearch(
            SVC(), [{"C": 1.0, "kernel": "rbf"}, {"C": 0.01, "kernel": "linear"},
                    {"C": 30.0, "kernel": "rbf"}, {"C": 0.1, "kernel": "rbf"}], cv=3,
        ),
        # no search_space_: the log axis of C is inferred from its values
        "GridSearchCV": GridSearchCV(
            SVC(), {"C": [0.01, 1.0, 100.0], "kernel": ["rbf", "linear"]}, cv=3
        ),
    }
    if hasattr(sktune, "BayesSearch"):
        out["BayesSearch"] = sktune.BayesSearch(SVC(), SPACE, n_iter=8, cv=3, random_state=0)
    if hasattr(sktune, "HyperbandSearch"):
        out["HyperbandSearch"] = sktune.HyperbandSearch(
            SVC(), SPACE, max_resources=90, min_resources=10, cv=3, random_state=0
        )
    return out


NAMES = list(_searches())


@pytest.fixture(scope="module")
def fitted():
    return {name: s.fit(X, y) for name, s in _searches().items()}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _axes():
    return Figure().subplots()


def _texts(labels):
    return [t.get_text() for t in labels]


def _twin(ax, name):
    """The parameter axis of a parallel-coordinates plot named ``name``."""
    (twin,) = [a for a in ax.figure.axes if a is not ax and a.get_label() == name]
    return twin


def _n_points(ax):
    return sum(len(c.get_offsets()) for c in ax.collections)


def _comparable(search):
    """cv_results_ restricted to the rows that compare: Hyperband's full budget."""
    r = search.cv_results_
    if "n_resources" not in r:
        return r
    keep = np.flatnonzero(r["n_resources"] == np.max(r["n_resources"]))
    return {k: ([v[i] for i in keep] if isinstance(v, list) else np.asarray(v)[keep])
            for k, v in r.items()}


# one test per plot, on every search class ------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_convergence_of_every_search_class(fitted, name):
    search = fitted[name]
    r = _comparable(search)
    scores = np.asarray(r["mean_test_score"], dtype=float)
    ax = plot_convergence(search, ax=_axes())
    assert len(ax.lines) == 1
    np.testing.assert_allclose(ax.lines[0].get_ydata(), np.fmax.accumulate(scores))
    assert list(ax.lines[0].get_xdata()) == list(range(1, len(scores) + 1))
    assert _n_points(ax) == np.isfinite(scores).sum()
    assert ax.get_xlabel() == "evaluations"
    assert ax.get_ylabel() == "best mean_test_score so far"

    ax = plot_convergence(search, x="time", ax=_axes())
    seconds = np.cumsum(3 * (r["mean_fit_time"] + r["mean_score_time"]))
    np.testing.assert_allclose(ax.lines[0].get_xdata(), seconds)
    assert ax.get_xlabel() == "fit + score time, cumulative (s)"


@pytest.mark.parametrize("name", NAMES)
def test_parallel_coordinates_of_every_search_class(fitted, name):
    search = fitted[name]
    n = len(_comparable(search)["params"])
    ax = plot_parallel_coordinates(search, ax=_axes())
    assert _texts(ax.get_xticklabels()) == ["C", "kernel", "mean_test_score"]
    assert len(ax.lines) == n
    assert _twin(ax, "C").get_yscale() == "log"
    assert _twin(ax, "kernel").get_yscale() == "linear"
    assert set(_texts(_twin(ax, "kernel").get_yticklabels())) <= {"rbf", "linear"}
    assert _twin(ax, "mean_test_score").get_yscale() == "linear"
    # every line spans the three axes, inside the padded unit range
    for line in ax.lines:
        ys = np.asarray(line.get_ydata(), dtype=float)
        assert len(ys) == 3 and np.all((ys[:2] >= 0) & (ys[:2] <= 1))


@pytest.mark.parametrize("name", NAMES)
def test_param_slices_of_every_search_class(fitted, name):
    search = fitted[name]
    r = _comparable(search)
    scores = np.asarray(r["mean_test_score"], dtype=float)
    axes = plot_param_slices(search, ax=Figure().subplots(1, 2))
    assert [a.get_xlabel() for a in axes] == ["C", "kernel"]
    assert axes[0].get_xscale() == "log"
    assert axes[1].get_xscale() == "linear"
    assert set(_texts(axes[1].get_xticklabels())) <= {"rbf", "linear"}
    assert axes[0].get_ylabel() == "mean_test_score"
    for a in axes:
        assert _n_points(a) == np.isfinite(scores).sum()
    # the points sit at the candidates' values of C
    offsets = axes[0].collections[0].get_offsets()
    cs = [p["C"] for p, s in zip(r["params"], scores) if np.isfinite(s)]
    np.testing.assert_allclose(np.asarray(offsets)[:, 0], cs)


@pytest.mark.parametrize("name", NAMES)
def test_importance_of_every_search_class(fitted, name):
    search = fitted[name]
    ax = plot_importance(search, ax=_axes())
    # the budget is never a hyperparameter
    expected = {"C", "kernel"}
    assert set(_texts(ax.get_yticklabels())) == expected
    assert len(ax.patches) == len(expected)
    widths = [p.get_width() for p in ax.patches]
    assert all(0 <= w <= 1 for w in widths) and widths == sorted(widths, reverse=True)
    assert "fANOVA" in ax.get_xlabel()


def test_several_searches_overlay_for_comparison(fitted):
    searches = [fitted[n] for n in NAMES]
    ax = plot_convergence(searches, ax=_axes())
    assert len(ax.lines) == len(searches)
    assert _texts(ax.get_legend().get_texts()) == NAMES
    ax = plot_convergence([fitted["GridSearch"], fitted["GridSearch"]], labels=["a", "b"])
    assert _texts(ax.get_legend().get_texts()) == ["a", "b"]
    ax = plot_convergence([fitted["GridSearch"], fitted["GridSearch"]])
    assert _texts(ax.get_legend().get_texts()) == ["GridSearch (1)", "GridSearch (2)"]


def test_plots_with_ax_none_make_a_new_figure(fitted):
    search = fitted["RandomSearch"]
    before = plt.get_fignums()
    assert isinstance(plot_convergence(search), matplotlib.axes.Axes)
    assert isinstance(plot_parallel_coordinates(search), matplotlib.axes.Axes)
    axes = plot_param_slices(search)
    assert len(axes) == 2 and axes[0].figure is axes[1].figure
    assert isinstance(plot_importance(search), matplotlib.axes.Axes)
    assert len(plt.get_fignums()) == len(before) + 4


def test_drawing_leaves_matplotlib_global_state_alone(fitted):
    rc = dict(matplotlib.rcParams)
    backend = matplotlib.get_backend()
    search = fitted["GridSearchCV"]
    for plot in (plot_convergence, plot_parallel_coordinates, plot_importance):
        plot(search).figure.canvas.draw()
    plot_param_slices(search)[0].figure.canvas.draw()
    assert matplotlib.get_backend() == backend
    assert dict(matplotlib.rcParams) == rc


# hard cases -------------------------------------------------------------------------

def _draw_all(search, n_params):
    """Every plot, rendered to pixels, so drawing errors surface too."""
    axes = [
        plot_convergence(search, ax=_axes()),
        plot_parallel_coordinates(search, ax=_axes()),
        plot_importance(search, ax=_axes()),
        *plot_param_slices(search, ax=Figure().subplots(1, n_params, squeeze=False)[0]),
    ]
    for ax in axes:
        ax.figure.canvas.draw()
    return axes


def test_categoricals_and_none_values():
    search = GridSearchCV(
        DecisionTreeClassifier(random_state=0),
        {"max_depth": [None, 1, 3], "criterion": ["gini", "entropy"]}, cv=3,
    ).fit(X, y)
    conv, par, imp, crit, depth = _draw_all(search, 2)
    assert _texts(_twin(par, "max_depth").get_yticklabels()) == ["1", "3", "None"]
    assert _texts(_twin(par, "criterion").get_yticklabels()) == ["gini", "entropy"]
    assert _texts(depth.get_xticklabels()) == ["1", "3", "None"]
    assert depth.get_xlabel() == "max_depth"
    assert _n_points(depth) == 6
    assert len(par.lines) == 6
    assert set(_texts(imp.get_yticklabels())) == {"max_depth", "criterion"}


def _broken_kernel(X, Y):
    # a kernel SVC's constraints allow (a callable) whose every fit fails
    raise RuntimeError("this kernel cannot be computed")


def test_a_failed_candidate():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (FitFailedWarning, UserWarning))
        search = ManualSearch(
            SVC(), [{"C": 1.0, "kernel": "rbf"}, {"C": 10.0, "kernel": _broken_kernel},
                    {"C": 0.01, "kernel": "rbf"}, {"C": 100.0, "kernel": "linear"}], cv=3,
        ).fit(X, y)
    assert np.isnan(search.cv_results_["mean_test_score"][1])
    conv, par, imp, c_panel, k_panel = _draw_all(search, 2)
    assert _n_points(conv) == 3
    assert np.isnan(conv.lines[0].get_ydata()).sum() == 0
    assert len(par.lines) == 4
    dotted = [line for line in par.lines if line.get_linestyle() == ":"]
    assert len(dotted) == 1 and np.isnan(dotted[0].get_ydata()[-1])
    assert _n_points(c_panel) == 3
    assert c_panel.get_xscale() == "log"
    ticks = _texts(k_panel.get_xticklabels())
    assert ticks[0] == "rbf" and ticks[1].startswith("<function _broken") and ticks[2] == "linear"


def test_every_candidate_failed():
    results = {"params": [{"C": 1.0}, {"C": 2.0}], "mean_test_score": [np.nan, np.nan]}
    conv, par, imp, panel = _draw_all(results, 1)
    assert np.isnan(conv.lines[0].get_ydata()).all()
    assert _n_points(panel) == 0
    assert "too few successful candidates" in imp.texts[0].get_text()


def test_a_single_candidate():
    search = ManualSearch(SVC(), [{"C": 1.0, "kernel": "rbf"}], cv=3).fit(X, y)
    conv, par, imp, c_panel, k_panel = _draw_all(search, 2)
    assert len(conv.lines[0].get_ydata()) == 1
    assert len(par.lines) == 1
    assert np.allclose(par.lines[0].get_ydata()[:2], 0.5)
    assert len(imp.patches) == 2 and imp.texts
    assert _n_points(c_panel) == 1 and _texts(k_panel.get_xticklabels()) == ["rbf"]


def test_conditional_parameters_break_the_lines():
    results = {
        "params": [{"kernel": "linear", "C": 1.0}, {"kernel": "rbf", "C": 2.0, "gamma": 0.1},
                   {"kernel": "rbf", "C": 3.0, "gamma": 10.0}],
        "mean_test_score": [0.5, 0.6, 0.7],
    }
    conv, par, imp, c_panel, g_panel, k_panel = _draw_all(results, 3)
    assert _texts(par.get_xticklabels()) == ["C", "gamma", "kernel", "mean_test_score"]
    linear = [line for line in par.lines if np.isnan(line.get_ydata()[1])]
    assert len(linear) == 1
    assert _n_points(g_panel) == 2
    assert g_panel.get_xscale() == "log"  # 0.1 to 10 spans two decades


def test_params_selects_and_orders_the_axes(fitted):
    ax = plot_parallel_coordinates(fitted["GridSearch"], params=["kernel"], ax=_axes())
    assert _texts(ax.get_xticklabels()) == ["kernel", "mean_test_score"]
    (panel,) = plot_param_slices(fitted["GridSearch"], params="C", ax=_axes())
    assert panel.get_xlabel() == "C"


def test_multimetric_plots_follow_the_metric():
    search = GridSearch(
        SVC(), {"C": [0.01, 1.0]}, scoring=["accuracy", "f1_macro"], refit="accuracy", cv=3
    ).fit(X, y)
    ax = plot_convergence(search, metric="f1_macro", ax=_axes())
    np.testing.assert_allclose(
        ax.lines[0].get_ydata(), np.fmax.accumulate(search.cv_results_["mean_test_f1_macro"])
    )
    assert ax.get_ylabel() == "best mean_test_f1_macro so far"
    ax = plot_parallel_coordinates(search, ax=_axes())
    assert _texts(ax.get_xticklabels())[-1] == "mean_test_accuracy"


# Hyperband ------------------------------------------------------------------------

HAND_MADE = {
    # bracket 1: three candidates at 10, the best one promoted to 30 (and
    # the budget parameter max_iter equal to n_resources); bracket 0: two at 30
    "params": [{"C": 1, "max_iter": 10}, {"C": 2, "max_iter": 10}, {"C": 3, "max_iter": 10},
               {"C": 3, "max_iter": 30}, {"C": 4, "max_iter": 30}, {"C": 5, "max_iter": 30}],
    "mean_test_score": [0.6, np.nan, 0.75, 0.8, 0.7, 0.72],
    "n_resources": np.array([10, 10, 10, 30, 30, 30]),
    "bracket": np.array([1, 1, 1, 1, 0, 0]),
    "rung": np.array([0, 0, 0, 1, 0, 0]),
}


def test_hyperband_from_a_hand_made_cv_results():
    paths = hyperband_paths(HAND_MADE)
    assert [(p.bracket, p.rows.tolist()) for p in paths] == [
        (1, [0]), (1, [1]), (1, [2, 3]), (0, [4]), (0, [5])
    ]
    axes = plot_hyperband(HAND_MADE, ax=Figure().subplots(1, 2))
    assert [a.get_title() for a in axes] == ["bracket 1", "bracket 0"]
    assert [len(a.lines) for a in axes] == [3, 2]
    assert all(a.get_xscale() == "log" for a in axes)
    assert axes[0].get_xlabel() == "n_resources (budget)"
    assert axes[0].get_ylabel() == "mean_test_score"
    promoted = axes[0].lines[2]
    assert promoted.get_xdata().tolist() == [10, 30]
    assert promoted.get_ydata().tolist() == [0.75, 0.8]
    for a in axes:
        a.figure.canvas.draw()


def test_hyperband_from_scikit_learn_halving_search():
    search = HalvingGridSearchCV(
        DecisionTreeClassifier(random_state=0), {"max_depth": [1, 2, 3, 4, 5, None]},
        factor=2, min_resources=20, cv=3, random_state=0,
    ).fit(X, y)
    (ax,) = plot_hyperband(search)
    r = search.cv_results_
    assert len(ax.lines) == np.sum(r["iter"] == 0) == 6
    longest = max(len(line.get_xdata()) for line in ax.lines)
    assert longest == search.n_iterations_
    assert ax.get_title() == "bracket 0"


@pytest.mark.skipif(not hasattr(sktune, "HyperbandSearch"), reason="no HyperbandSearch yet")
def test_hyperband_from_hyperband_search(fitted):
    search = fitted["HyperbandSearch"]
    r = search.cv_results_
    brackets = list(dict.fromkeys(np.asarray(r["bracket"]).tolist()))
    axes = plot_hyperband(search)
    assert len(axes) == len(brackets)
    for a, b in zip(axes, brackets):
        first_rung = (np.asarray(r["bracket"]) == b) & (np.asarray(r["rung"]) == 0)
        assert len(a.lines) == first_rung.sum()
        assert a.get_title() == f"bracket {b}"


def test_hyperband_needs_budgets(fitted):
    with pytest.raises(ValueError, match=r"needs the 'n_resources' column.*GridSearch has no"):
        plot_hyperband(fitted["GridSearch"])


# errors -----------------------------------------------------------------------------

def test_convergence_errors(fitted):
    search = fitted["GridSearch"]
    with pytest.raises(ValueError, match=r"The 'x' parameter of plot_convergence must be one of"):
        plot_convergence(search, x="wall")
    with pytest.raises(ValueError, match=r"'labels' parameter of plot_convergence.*\(2\)"):
        plot_convergence([search, search], labels=["only one"])
    with pytest.raises(ValueError, match=r"Got an empty list instead"):
        plot_convergence([])
    with pytest.raises(TypeError, match=r"The 'search' argument of plot_convergence"):
        plot_convergence([search, 3])


def test_panel_count_must_match(fitted):
    with pytest.raises(ValueError, match=r"must hold one Axes per parameter \(2\)\. Got 1"):
        plot_param_slices(fitted["GridSearch"], ax=_axes())
    with pytest.raises(ValueError, match=r"must hold one Axes per bracket \(2\)\. Got 3"):
        plot_hyperband(HAND_MADE, ax=Figure().subplots(1, 3))


def test_unknown_params_and_metric(fitted):
    with pytest.raises(ValueError, match=r"'params' parameter of plot_param_slices must list"):
        plot_param_slices(fitted["GridSearch"], params=["gamma"])
    with pytest.raises(ValueError, match=r"'params' parameter of plot_parallel_coordinates"):
        plot_parallel_coordinates(fitted["GridSearch"], params=[])
    with pytest.raises(ValueError, match=r"'metric' parameter of plot_importance must be one"):
        plot_importance(fitted["GridSearch"], metric="f1")
    with pytest.raises(ValueError, match=r"'n_trees' parameter of plot_importance"):
        plot_importance(fitted["GridSearch"], n_trees=0)


@pytest.mark.parametrize(
    "plot", [plot_convergence, plot_parallel_coordinates, plot_param_slices, plot_importance,
             plot_hyperband],
)
def test_missing_matplotlib_names_the_extra(monkeypatch, plot):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install sktune\[plot\]"):
        plot(HAND_MADE)


def test_importance_finds_the_parameter_that_matters():
    rng = np.random.RandomState(0)
    a, b, c = rng.uniform(size=(3, 60))
    results = {
        "params": [{"a": x, "b": y_, "c": z} for x, y_, z in zip(a, b, c)],
        "mean_test_score": np.sin(3 * b) + 0.05 * a,
    }
    ax = plot_importance(results, ax=_axes())
    assert _texts(ax.get_yticklabels())[0] == "b"
    assert ax.patches[0].get_width() > 0.8
    # uniform draws on (0, 1) span decades near 0, yet read better on a linear axis
    assert SearchResults.from_search(results).axis("b").kind == "linear"


def test_importance_reads_the_full_budget_and_never_lists_the_budget():
    # scores rise with the budget (and its parameter max_iter); at the full
    # budget only b matters
    rng = np.random.RandomState(0)
    a, b = rng.uniform(size=90), rng.uniform(size=90)
    budget = np.repeat([10, 30, 90], 30)
    score = np.where(budget == 90, b, a) + np.log(budget)
    results = {"params": [{"a": x, "b": z, "max_iter": int(n)} for x, z, n in zip(a, b, budget)],
               "mean_test_score": score, "n_resources": budget}
    ax = plot_importance(results, ax=_axes())
    assert _texts(ax.get_yticklabels()) == ["b", "a"]
    assert ax.patches[0].get_width() > 0.8


def test_plot_imports_only_public_names_of_report():
    # issue 19: plot/ borrowed report/'s private modules and helpers
    import ast
    from pathlib import Path

    import sktune.report

    borrowed = []
    for path in sorted(Path(sktune.plot.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            # the absolute name of the module imported from
            package = ["sktune", "plot"][: 2 - node.level + 1] if node.level else []
            module = ".".join(package + (node.module or "").split("."))
            if module.startswith("sktune.report"):
                for alias in node.names:
                    if module != "sktune.report" or alias.name not in sktune.report.__all__:
                        borrowed.append(f"{path.name}: {module}.{alias.name}")
    assert borrowed == []
