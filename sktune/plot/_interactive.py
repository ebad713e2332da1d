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
* **log axes** for log-scaled parameters, with plotly's own tick labels
  (which stay apart over less than a decade, unlike matplotlib's minor labels);
* **importances in [0, 1]**, error bars included.

Text from a checkpoint (a categorical choice such as ``<script>``) is handed
to plotly with ``<``, ``>`` and ``&`` as entities, so that plotly's
pseudo-HTML text shows it as text.
"""



import numpy as np

from ..report import label
from ._readable import log_axis, robust_range

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
    return coords, log_axis(coords) if axis.is_log else {"type": "linear"}


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


# viridis at five stops: enough for lines told apart by their score
_VIRIDIS = ((0.0, (68, 1, 84)), (0.25, (59, 82, 139)), (0.5, (33, 145, 140)),
            (0.75, (94, 201, 98)), (1.0, (253, 231, 37)))
# the lines of the best candidates drawn, at most: more is a blur, and slow
_MAX_LINES = 400


def _viridis(u):
    for (a, ca), (b, cb) in zip(_VIRIDIS, _VIRIDIS[1:]):
        if u <= b:
            t = (u - a) / (b - a)
            return "rgb({},{},{})".format(*(round(x + t * (y - x)) for x, y in zip(ca, cb)))
    return "rgb({},{},{})".format(*_VIRIDIS[-1][1])


def _ticks(axis, u, values):
    """(position in [0, 1], text) of an axis's labels."""
    if axis.is_categorical:
        n = len(axis.levels)
        return [((k / (n - 1)) if n > 1 else 0.5, plain_text(t)) for k, t in enumerate(axis.labels)]
    finite = [(p, v) for p, v in zip(u, values) if np.isfinite(p)]
    if not finite:
        return []
    (p_lo, v_lo), (p_hi, v_hi) = min(finite), max(finite)
    return [(p_lo, f"{v_lo:.3g}"), (p_hi, f"{v_hi:.3g}")]


def parallel_figure(res, *, sign=1, metric="score"):
    """Parallel coordinates: one line per candidate, coloured by its score.

    Drawn in SVG (plotly's own ``parcoords`` needs WebGL and code generated
    at run time, which the dashboard's content security policy forbids):
    each parameter is a vertical axis from its lowest value to its highest
    (in log space for a log-scaled one), the score last; the best lines are
    the brightest, and drawn on top.

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
    >>> fig = parallel_figure(res)
    >>> [trace["y"][0] for trace in fig["data"]]  # C's axis; worst first, the best on top
    [0.0, 0.5, 1.0]
    >>> [a["text"] for a in fig["layout"]["annotations"][:2]]
    ['0.01', '100']
    """
    scores = res.scores(res.refit_metric)
    low, high, n_out = robust_range(scores)
    names = res.tuned_names
    columns, annotations = [], []
    for k, name in enumerate(names):
        axis = res.axis(name)
        values = res.values(name)
        u = axis.unit(values)
        columns.append(u)
        coords = axis.coords(values)
        for pos, text in _ticks(axis, u, coords):
            annotations.append({"x": k, "y": pos, "text": text, "showarrow": False,
                                "xanchor": "right", "xshift": -4, "font": {"size": 11}})
    finite = np.isfinite(scores)
    score_u = np.full(len(scores), np.nan)
    if low is not None:
        lo, hi = low, high
        score_u[finite] = np.clip((scores[finite] - lo) / (hi - lo), 0, 1)
        for pos, value in ((0.0, lo), (1.0, hi)):
            annotations.append({"x": len(names), "y": pos, "text": f"{sign * value:.4g}",
                                "showarrow": False, "xanchor": "left", "xshift": 4,
                                "font": {"size": 11}})
    columns.append(score_u)
    order = np.argsort(np.where(finite, scores, -np.inf), kind="stable")[-_MAX_LINES:]
    xs = list(range(len(columns)))
    data = []
    for i in order:
        ys = [None if not np.isfinite(c[i]) else round(float(c[i]), 6) for c in columns]
        text = "<br>".join(f"{plain_text(n)}={plain_text(label(res.params[i].get(n)))}"
                           for n in names if n in res.params[i])
        shown = "failed" if not finite[i] else f"{sign * scores[i]:.4g}"
        data.append({
            "type": "scatter", "mode": "lines", "x": xs, "y": ys, "showlegend": False,
            "line": {"width": 1.5, "color": "#bbbbbb" if not finite[i]
                     else _viridis(float(score_u[i]) if sign > 0 else 1 - float(score_u[i]))},
            "hovertemplate": f"{text}<br>{plain_text(metric)}={shown}<extra></extra>",
        })
    shapes = [{"type": "line", "x0": k, "x1": k, "y0": 0, "y1": 1, "line": {"color": "#444"}}
              for k in xs]
    titles = [plain_text(n) + (" (log)" if res.axis(n).is_log else "") for n in names]
    return {"data": data, "layout": {
        "title": {"text": "Parallel coordinates" + _out_note(n_out)},
        "xaxis": {"tickvals": xs, "ticktext": [*titles, plain_text(metric)], "side": "top",
                  "range": [-0.6, len(xs) - 0.4], "showgrid": False, "zeroline": False},
        "yaxis": {"visible": False, "range": [-0.05, 1.05]},
        "shapes": shapes, "annotations": annotations, "hovermode": "closest",
        "margin": {"t": 90},
    }}


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
    spans = bool(budgets) and min(budgets) > 0 and max(budgets) / min(budgets) >= 10
    return {"data": data, "layout": {
        "title": {"text": "Learning curves across budgets" + _out_note(n_out)},
        # the budgets themselves are the ticks: eta's powers, which log_axis
        # would round to 1-2-5
        "xaxis": {"title": {"text": "budget (n_resources)"},
                  **({"type": "log", "tickvals": sorted(set(budgets)),
                      "ticktext": [f"{b:g}" for b in sorted(set(budgets))]} if spans
                     else {"type": "linear"})},
        "yaxis": _score_axis(metric, low, high, sign),
        "hovermode": "closest",
    }}

