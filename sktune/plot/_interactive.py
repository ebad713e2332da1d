"""Interactive figures: plotly.js specifications, as plain JSON-ready dicts.

Each function returns ``{"data": [...], "layout": {...}}``, what
``Plotly.newPlot`` draws in a browser (hover, zoom, toggling a trace from
the legend). Nothing here imports plotly's Python package: the dashboard
serves the JavaScript that ships in it, and JSON needs no more.

The readability rules of every figure:

* **the metric's natural sign**: a ``neg_*`` scorer (``neg_root_mean_squared_error``)
  is shown as the loss it negates (RMSE, lower is better);
* **robust ranges**: the score axis spans the bulk of the scores and the
  whole best-so-far curve, not one failed-looking outlier, which would
  flatten the curve to a line; the points left out are counted in the title;
* **log axes** for log-scaled parameters, with plotly's own tick labels;
* **importances in [0, 1]**, error bars included.

Text from a checkpoint (a categorical choice such as ``<script>``) is handed
to plotly with ``<``, ``>`` and ``&`` as entities, so that plotly's
pseudo-HTML text shows it as text.
"""

import math

import numpy as np

from ..report import label

_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")


def plain_text(value):
    """``value`` as text plotly shows literally.

    Examples
    --------
    >>> from sktune.plot._interactive import plain_text
    >>> plain_text("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    """
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def metric_view(metric, scoring=None):
    """How to show a metric: its sign and its name.

    Parameters
    ----------
    metric : str
        The metric of ``cv_results_`` (``"score"`` for a single metric).
    scoring : str or None, default=None
        The search's ``scoring``, when it is a scorer's name.

    Returns
    -------
    sign : {1, -1}
        What the scores are multiplied by: -1 for a ``neg_*`` scorer.
    name : str
        The axis title: ``"root_mean_squared_error (lower is better)"`` for
        ``neg_root_mean_squared_error``.

    Examples
    --------
    >>> from sktune.plot._interactive import metric_view
    >>> metric_view("score", "neg_root_mean_squared_error")
    (-1, 'root_mean_squared_error (lower is better)')
    >>> metric_view("neg_log_loss")
    (-1, 'log_loss (lower is better)')
    >>> metric_view("score", "accuracy")
    (1, 'accuracy')
    >>> metric_view("score")
    (1, 'score')
    """
    name = scoring if metric == "score" and isinstance(scoring, str) else metric
    if name.startswith("neg_"):
        return -1, f"{name[4:]} (lower is better)"
    return 1, name


def robust_range(scores, keep=()):
    """The score axis's range: the bulk of ``scores`` and every value of ``keep``.

    Scores below Tukey's lower fence (first quartile less 1.5 interquartile
    ranges) are left out, unless they are in ``keep`` (the best-so-far
    curve past its first point, which is often the outlier itself).

    Parameters
    ----------
    scores : array-like of shape (n,)
        Scores, higher is better; NaN for failed fits.
    keep : array-like, default=()
        Values the range must show.

    Returns
    -------
    low, high : float or None
        The range, with a margin; ``None`` for no finite score.
    n_out : int
        Finite scores below ``low``.

    Examples
    --------
    >>> from sktune.plot._interactive import robust_range
    >>> low, high, n_out = robust_range([-1e6, 0.80, 0.82, 0.85, 0.9, 0.88])
    >>> round(low, 3), round(high, 3), n_out
    (0.694, 0.91, 1)
    """
    scores = np.asarray(scores, dtype=float)
    keep = np.asarray(keep, dtype=float)
    finite = scores[np.isfinite(scores)]
    if finite.size == 0:
        return None, None, 0
    q1, q3 = np.percentile(finite, [25, 75])
    low = max(finite.min(), q1 - 1.5 * (q3 - q1))
    keep = keep[np.isfinite(keep)]
    if keep.size:
        low = min(low, keep.min())
    high = finite.max()
    margin = 0.05 * (high - low) if high > low else max(abs(high) * 0.05, 1e-3)
    n_out = int(np.sum(finite < low))
    return float(low - margin), float(high + margin), n_out


def _signed(values, sign):
    return [None if not np.isfinite(v) else float(sign * v) for v in np.asarray(values, float)]


def _score_axis(title, low, high, sign):
    axis = {"title": {"text": plain_text(title)}, "zeroline": False}
    if low is not None:
        axis["range"] = sorted([sign * low, sign * high])
    return axis


def _out_note(n_out):
    return f" ({n_out} scores outside the range)" if n_out else ""


def convergence_figure(curves, *, sign=1, metric="score", x="evaluations"):
    """Scores and best so far of one or more searches on one axis.

    Parameters
    ----------
    curves : list of (str, Convergence)
        Each search's name and :func:`sktune.report.convergence`.
    sign : {1, -1}, default=1
        From :func:`metric_view`.
    metric : str, default="score"
        The score axis's title.
    x : {"evaluations", "seconds"}, default="evaluations"
        The horizontal axis.

    Returns
    -------
    figure : dict

    Examples
    --------
    >>> from sktune.report import convergence
    >>> from sktune.plot._interactive import convergence_figure
    >>> curve = convergence({"params": [{}, {}, {}], "mean_test_score": [-50.0, -2.0, -1.0]})
    >>> fig = convergence_figure([("search", curve)], sign=-1, metric="rmse")
    >>> fig["data"][1]["y"], fig["layout"]["yaxis"]["title"]["text"]
    ([50.0, 2.0, 1.0], 'rmse')
    """
    data = []
    all_scores, all_best = [], []
    for k, (name, curve) in enumerate(curves):
        color = _COLORS[k % len(_COLORS)]
        xs = getattr(curve, x).tolist()
        text = plain_text(name)
        data.append({"type": "scatter", "mode": "markers", "x": xs,
                     "y": _signed(curve.scores, sign), "name": f"{text}: each candidate",
                     "marker": {"color": color, "opacity": 0.45, "size": 6},
                     "legendgroup": str(k)})
        data.append({"type": "scatter", "mode": "lines", "x": xs,
                     "y": _signed(curve.best, sign), "name": f"{text}: best so far",
                     "line": {"color": color, "width": 2.5, "shape": "hv"},
                     "legendgroup": str(k)})
        all_scores.append(curve.scores)
        # a curve's first point may be the outlier: its best so far from then on
        all_best.append(curve.best[1:])
    low, high, n_out = robust_range(np.concatenate([np.zeros(0), *all_scores]),
                                    np.concatenate([np.zeros(0), *all_best]))
    layout = {
        "title": {"text": "Convergence" + _out_note(n_out)},
        "xaxis": {"title": {"text": "evaluations" if x == "evaluations"
                            else "fit + score time (s)"}},
        "yaxis": _score_axis(metric, low, high, sign),
        "hovermode": "closest",
        "legend": {"orientation": "h", "y": -0.2},
    }
    return {"data": data, "layout": layout}


def _axis_values(res, name):
    """Plot coordinates of a parameter, and how its axis is drawn."""
    axis = res.axis(name)
    values = res.values(name)
    if axis.is_categorical:
        levels = [plain_text(label(v)) for v in axis.levels]
        return [plain_text(label(v)) for v in values], {"type": "category",
                                                       "categoryarray": levels}
    coords = [float(v) if isinstance(v, (int, float, np.number)) and not isinstance(v, bool)
              else None for v in values]
    return coords, {"type": "log" if axis.is_log else "linear"}


def slices_figure(res, *, sign=1, metric="score"):
    """The score against each hyperparameter, one panel each.

    Parameters
    ----------
    res : SearchResults
        The rows to draw (the full-budget rows of a Hyperband search).
    sign : {1, -1}, default=1
        From :func:`metric_view`.
    metric : str, default="score"
        The score axis's title.

    Returns
    -------
    figure : dict

    Examples
    --------
    >>> from sktune.report import SearchResults
    >>> from sktune.plot._interactive import slices_figure
    >>> res = SearchResults({"params": [{"C": 0.01, "k": "a"}, {"C": 100.0, "k": "<b>"}],
    ...                      "mean_test_score": [0.5, 0.9]})
    >>> fig = slices_figure(res)
    >>> fig["layout"]["xaxis"]["type"], fig["data"][1]["x"]
    ('log', ['a', '&lt;b&gt;'])
    """
    names = res.tuned_names
    scores = res.scores(res.refit_metric)
    low, high, n_out = robust_range(scores)
    n = max(len(names), 1)
    gap = 0.1 if len(names) > 1 else 0.0  # room for each panel's tick labels
    width = (1 - gap * (n - 1)) / n
    data, layout = [], {"title": {"text": "Slices" + _out_note(n_out)}, "showlegend": False,
                        "hovermode": "closest"}
    for k, name in enumerate(names):
        suffix = "" if k == 0 else str(k + 1)
        xs, xaxis = _axis_values(res, name)
        data.append({"type": "scatter", "mode": "markers", "x": xs,
                     "y": _signed(scores, sign), "xaxis": f"x{suffix}", "yaxis": "y",
                     "name": plain_text(name), "marker": {"color": _COLORS[0], "opacity": 0.6},
                     "hovertemplate": f"{plain_text(name)}=%{{x}}<br>{plain_text(metric)}"
                     "=%{y}<extra></extra>"})
        start = k * (width + gap)
        layout[f"xaxis{suffix}"] = {**xaxis, "domain": [start, start + width],
                                    "title": {"text": plain_text(name)}, "anchor": "y"}
    layout["yaxis"] = _score_axis(metric, low, high, sign)
    return {"data": data, "layout": layout}


def parallel_figure(res, *, sign=1, metric="score"):
    """Parallel coordinates: one line per candidate, coloured by its score.

    Parameters
    ----------
    res : SearchResults
        The rows to draw.
    sign : {1, -1}, default=1
        From :func:`metric_view`.
    metric : str, default="score"
        The score's axis title.

    Returns
    -------
    figure : dict

    Examples
    --------
    >>> from sktune.report import SearchResults
    >>> from sktune.plot._interactive import parallel_figure
    >>> res = SearchResults({"params": [{"C": 0.01}, {"C": 100.0}, {"C": 1.0}],
    ...                      "mean_test_score": [0.5, 0.9, 0.7]})
    >>> dim = parallel_figure(res)["data"][0]["dimensions"][0]
    >>> dim["label"], dim["values"], dim["ticktext"]
    ('C (log)', [-2.0, 2.0, 0.0], ['0.01', '0.1', '1', '10', '100'])
    """
    scores = res.scores(res.refit_metric)
    low, high, _ = robust_range(scores)
    dims = []
    for name in res.tuned_names:
        axis = res.axis(name)
        values = res.values(name)
        if axis.is_categorical:
            levels = [label(v) for v in axis.levels]
            codes = [levels.index(label(v)) if label(v) in levels else None for v in values]
            dims.append({"label": plain_text(name), "values": codes,
                         "tickvals": list(range(len(levels))),
                         "ticktext": [plain_text(v) for v in levels]})
            continue
        coords = [float(v) if isinstance(v, (int, float, np.number)) and not isinstance(v, bool)
                  else math.nan for v in values]
        if axis.is_log:
            logs = [math.log10(v) if v > 0 else None for v in coords]
            finite = [v for v in logs if v is not None]
            ticks = list(range(math.floor(min(finite)), math.ceil(max(finite)) + 1)) \
                if finite else []
            dims.append({"label": f"{plain_text(name)} (log)", "values": logs,
                         "tickvals": [float(t) for t in ticks],
                         "ticktext": [f"{10.0 ** t:g}" for t in ticks]})
        else:
            dims.append({"label": plain_text(name),
                         "values": [None if math.isnan(v) else v for v in coords]})
    shown = _signed(scores, sign)
    score_dim = {"label": plain_text(metric), "values": shown}
    # the best candidates are bright whatever the sign
    color = {"color": shown, "colorscale": "Viridis", "showscale": True,
             "reversescale": sign < 0}
    if low is not None:
        score_dim["range"] = sorted([sign * low, sign * high])
        color.update(cmin=score_dim["range"][0], cmax=score_dim["range"][1])
    return {"data": [{"type": "parcoords", "dimensions": [*dims, score_dim], "line": color}],
            "layout": {"title": {"text": "Parallel coordinates"}}}


def importance_figure(importance):
    """Horizontal bars of each hyperparameter's explained fraction, in [0, 1].

    Parameters
    ----------
    importance : dict of str -> (float, float)
        :func:`sktune.report.param_importance`.

    Returns
    -------
    figure : dict

    Examples
    --------
    >>> from sktune.plot._interactive import importance_figure
    >>> bar = importance_figure({"C": (0.9, 0.3), "gamma": (0.05, 0.1)})["data"][0]
    >>> bar["x"], bar["error_x"]["array"], bar["error_x"]["arrayminus"]
    ([0.9, 0.05], [0.1, 0.1], [0.3, 0.05])
    """
    names = list(importance)
    means, plus, minus = [], [], []
    for name in names:
        mean, std = importance[name]
        mean = min(max(mean, 0.0), 1.0) if np.isfinite(mean) else None
        std = std if np.isfinite(std) else 0.0
        means.append(mean)
        # a fraction cannot leave [0, 1]: the spread is cut at its bounds
        plus.append(0.0 if mean is None else round(min(std, 1.0 - mean), 12))
        minus.append(0.0 if mean is None else round(min(std, mean), 12))
    bar = {"type": "bar", "orientation": "h", "x": means, "y": [plain_text(n) for n in names],
           "error_x": {"type": "data", "symmetric": False, "array": plus, "arrayminus": minus},
           "marker": {"color": _COLORS[0]}}
    return {"data": [bar], "layout": {
        "title": {"text": "Parameter importance (fraction of the score's variance)"},
        "xaxis": {"range": [0, 1], "title": {"text": "explained fraction"}},
        "yaxis": {"autorange": "reversed"},
    }}


def hyperband_figure(paths, *, sign=1, metric="score"):
    """Each configuration's score across the budgets of its bracket.

    Parameters
    ----------
    paths : list of HyperbandPath
        :func:`sktune.report.hyperband_paths`.
    sign : {1, -1}, default=1
        From :func:`metric_view`.
    metric : str, default="score"
        The score axis's title.

    Returns
    -------
    figure : dict

    Examples
    --------
    >>> from sktune.report import hyperband_paths
    >>> from sktune.plot._interactive import hyperband_figure
    >>> paths = hyperband_paths({"params": [{"C": 1}, {"C": 1}], "mean_test_score": [0.6, 0.8],
    ...                          "n_resources": [10, 30], "bracket": [0, 0]})
    >>> hyperband_figure(paths)["data"][0]["x"]
    [10.0, 30.0]
    """
    data = []
    brackets = list(dict.fromkeys(p.bracket for p in paths))
    scores = np.concatenate([p.scores for p in paths]) if paths else np.zeros(0)
    low, high, n_out = robust_range(scores)
    seen = set()
    for path in paths:
        k = brackets.index(path.bracket)
        data.append({"type": "scatter", "mode": "lines+markers",
                     "x": [float(b) for b in path.budgets], "y": _signed(path.scores, sign),
                     "name": f"bracket {plain_text(path.bracket)}", "legendgroup": str(k),
                     "showlegend": k not in seen,
                     "line": {"color": _COLORS[k % len(_COLORS)], "width": 1},
                     "opacity": 0.7})
        seen.add(k)
    budgets = [float(b) for p in paths for b in p.budgets]
    spans = budgets and min(budgets) > 0 and max(budgets) / min(budgets) >= 10
    return {"data": data, "layout": {
        "title": {"text": "Learning curves across budgets" + _out_note(n_out)},
        "xaxis": {"title": {"text": "budget (n_resources)"},
                  "type": "log" if spans else "linear"},
        "yaxis": _score_axis(metric, low, high, sign),
        "hovermode": "closest",
    }}

