"""The readability defects of the plots, fixed in the matplotlib and the interactive ones:
an outlier flattened the convergence curve, losses showed negative, log axes under a
decade had overlapping labels, an importance bar ran past 1."""

import itertools

import matplotlib

matplotlib.use("Agg")  # headless, for this test process only

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from sklearn.datasets import load_diabetes  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402

from sktune import GridSearch  # noqa: E402
from sktune.plot import (  # noqa: E402
    plot_convergence,
    plot_importance,
    plot_parallel_coordinates,
    plot_param_slices,
)
from sktune.report import SearchResults, convergence, param_importance  # noqa: E402

# one diverged candidate among reasonable ones
OUTLIER = {"params": [{"C": c} for c in (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)],
           "mean_test_score": [0.80, -1e6, 0.85, 0.90, 0.88, 0.91]}


@pytest.fixture(scope="module")
def rmse_search():
    X, y = load_diabetes(return_X_y=True)
    return GridSearch(Ridge(), {"alpha": [0.01, 0.1, 1.0, 10.0]}, cv=3,
                      scoring="neg_root_mean_squared_error").fit(X, y)


def _visible_share(low, high, values):
    """The share of the axis height that ``values`` span."""
    return (np.nanmax(values) - np.nanmin(values)) / (high - low)


@pytest.mark.parametrize("first", [False, True])
def test_an_outlier_does_not_flatten_the_convergence_curve(first):
    results = dict(OUTLIER)
    if first:  # the outlier is the first point of the best-so-far curve too
        scores = results["mean_test_score"]
        results["mean_test_score"] = [scores[1], scores[0], *scores[2:]]
    ax = plot_convergence(results, ax=Figure().subplots())
    low, high = ax.get_ylim()
    assert low > 0.5 and high < 1.0
    best = ax.lines[0].get_ydata()[1:]
    assert _visible_share(low, high, best) > 0.3  # was 1e-7 of it
    from sktune.plot._interactive import convergence_figure

    fig = convergence_figure([("s", convergence(results))])
    low, high = fig["layout"]["yaxis"]["range"]
    assert low > 0.5 and "1 scores outside the range" in fig["layout"]["title"]["text"]


def test_a_neg_scorer_is_shown_as_the_loss(rmse_search):
    ax = plot_convergence(rmse_search, ax=Figure().subplots())
    assert ax.get_ylabel() == "best root_mean_squared_error (lower is better) so far"
    best = ax.lines[0].get_ydata()
    assert best[-1] == pytest.approx(-rmse_search.best_score_) and (best > 0).all()
    assert list(best) == sorted(best, reverse=True)  # a loss goes down
    from sktune.plot._interactive import convergence_figure

    (panel,) = plot_param_slices(rmse_search, ax=Figure().subplots())
    assert panel.get_ylabel() == "root_mean_squared_error (lower is better)"
    assert (panel.collections[0].get_offsets()[:, 1] > 0).all()
    fig = convergence_figure([("s", convergence(rmse_search))], sign=-1, metric="rmse")
    assert fig["data"][1]["y"][-1] == pytest.approx(-rmse_search.best_score_)


def test_a_neg_metric_of_a_multi_metric_dict_is_shown_as_the_loss():
    results = {"params": [{"C": 1}, {"C": 2}], "mean_test_neg_log_loss": [-0.5, -0.3],
               "mean_test_accuracy": [0.8, 0.9]}
    ax = plot_convergence(results, metric="neg_log_loss", ax=Figure().subplots())
    assert ax.lines[0].get_ydata().tolist() == [0.5, 0.3]
    assert "log_loss (lower is better)" in ax.get_ylabel()


def _overlaps(ax, which):
    ax.figure.draw_without_rendering()
    axis = getattr(ax, f"{which}axis")
    low, high = sorted(axis.get_view_interval())
    boxes = []
    for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
        for text in (tick.label1, tick.label2):  # a twin axis labels its right side
            if text.get_visible() and text.get_text() and low <= tick.get_loc() <= high:
                boxes.append(text.get_window_extent())
    assert len(boxes) >= 2, "the axis has too few labels to read"
    return [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]


@pytest.mark.parametrize("low, high", [(2.0, 9.0), (0.3, 40.0)])
def test_log_axes_under_two_decades_have_labels_apart(low, high):
    from sktune import RandomSearch
    from sktune.distributions import LogUniform

    X, y = load_diabetes(return_X_y=True)
    search = RandomSearch(Ridge(), {"alpha": LogUniform(low, high)}, n_iter=12, cv=3,
                          random_state=0).fit(X, y)
    fig = Figure(figsize=(3.2, 3.0))
    (panel,) = plot_param_slices(search, ax=fig.subplots())
    assert panel.get_xscale() == "log"
    assert _overlaps(panel, "x") == []
    ax = plot_parallel_coordinates(search, ax=Figure(figsize=(4, 3)).subplots())
    twin = next(t for t in ax.figure.axes if t is not ax and t.get_yscale() == "log")
    assert _overlaps(twin, "y") == []
    from sktune.plot._interactive import slices_figure

    xaxis = slices_figure(SearchResults.from_search(search))["layout"]["xaxis"]
    assert xaxis["type"] == "log" and len(xaxis["tickvals"]) >= 3


def test_importance_bars_stay_in_zero_one():
    rng = np.random.RandomState(0)
    a, b = rng.uniform(size=4), rng.uniform(size=4)
    results = {"params": [{"a": x, "b": y} for x, y in zip(a, b)],
               "mean_test_score": a + 0.01 * b}
    mean, std = param_importance(results)["a"]
    assert mean + std > 1  # the spread across trees alone would run past 1
    ax = plot_importance(results, ax=Figure().subplots())
    ends = np.concatenate([seg[:, 0] for c in ax.collections for seg in c.get_segments()])
    assert ends.min() >= 0.0 and ends.max() <= 1.0
    assert all(0 <= p.get_width() <= 1 for p in ax.patches)
    from sktune.plot._interactive import importance_figure

    bar = importance_figure(param_importance(results))["data"][0]
    assert all(m + e <= 1 + 1e-12 and m - d >= -1e-12 for m, e, d in
               zip(bar["x"], bar["error_x"]["array"], bar["error_x"]["arrayminus"]))
