"""The interactive figure of the surrogate's partial dependence on each parameter."""

import numpy as np

from ..report import label
from ._interactive import _COLORS, _signed, plain_text
from ._readable import log_axis

#: finite full-budget scores the surrogate needs before its figure is drawn: a GP
#: fitted to fewer says more about its prior than about the search
MIN_POINTS = 5

# panels per row: beyond three, the tick labels of a 1100-pixel figure collide
_PER_ROW = 3


def _panel(dep, sign, suffix, metric):
    """The traces of one parameter: the mean, and the band of one std either side."""
    mean, std = dep.mean, dep.std
    axes = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
    hover = f"{plain_text(dep.name)}=%{{x}}<br>{plain_text(metric)}=%{{y}}<extra></extra>"
    if dep.kind == "categorical":
        xs = [plain_text(label(v)) for v in dep.values]
        return [{"type": "scatter", "mode": "markers", "x": xs, "y": _signed(mean, sign),
                 "error_y": {"type": "data", "array": _signed(std, 1)},
                 "marker": {"color": _COLORS[0], "size": 9}, "name": plain_text(dep.name),
                 "hovertemplate": hover, **axes}]
    xs = [float(v) for v in dep.values]
    band = list(_signed(mean + std, sign)) + list(_signed(mean - std, sign))[::-1]
    return [
        {"type": "scatter", "mode": "lines", "x": xs + xs[::-1], "y": band, "fill": "toself",
         "fillcolor": "rgba(31, 119, 180, 0.2)", "line": {"width": 0}, "hoverinfo": "skip",
         "name": "± 1 std", **axes},
        {"type": "scatter", "mode": "lines", "x": xs, "y": _signed(mean, sign),
         "line": {"color": _COLORS[0]}, "name": plain_text(dep.name),
         "hovertemplate": hover, **axes},
    ]


def dependence_figure(dependence, *, sign=1, metric="score"):
    """The surrogate's partial dependence on each parameter, one panel each.

    Parameters
    ----------
    dependence : dict of str -> PartialDependence
        :func:`sktune.report.partial_dependence`.
    sign : {1, -1}, default=1
        From :func:`metric_view`.
    metric : str, default="score"
        The score axes' title.

    Returns
    -------
    figure : dict

    Examples
    --------
    >>> import numpy as np
    >>> from sktune.report import PartialDependence
    >>> from sktune.plot._dependence import dependence_figure
    >>> fig = dependence_figure({
    ...     "C": PartialDependence("C", "log", [0.1, 1.0], np.array([0.5, 0.7]),
    ...                            np.array([0.1, 0.1])),
    ...     "k": PartialDependence("k", "categorical", ["<b>"], np.array([0.6]),
    ...                            np.array([0.2]))})
    >>> fig["layout"]["xaxis"]["type"], fig["data"][1]["y"], fig["data"][2]["x"]
    ('log', [0.5, 0.7], ['&lt;b&gt;'])
    """
    names = list(dependence)
    n_cols = min(len(names), _PER_ROW)
    n_rows = -(-len(names) // _PER_ROW)
    gap_x, gap_y = 0.08, 0.12 if n_rows > 1 else 0.0
    width = (1 - gap_x * (n_cols - 1)) / n_cols
    height = (1 - gap_y * (n_rows - 1)) / n_rows
    data, layout = [], {"title": {"text": "Partial dependence of the surrogate (mean ± 1 std)"},
                        "showlegend": False, "hovermode": "closest"}
    if n_rows > 1:
        layout["height"] = 320 * n_rows + 80
    for k, name in enumerate(names):
        dep = dependence[name]
        suffix = "" if k == 0 else str(k + 1)
        data += _panel(dep, sign, suffix, metric)
        row, col = divmod(k, _PER_ROW)
        left, top = col * (width + gap_x), 1 - row * (height + gap_y)
        if dep.kind == "categorical":
            xaxis = {"type": "category"}
        elif dep.kind == "log":
            xaxis = log_axis(dep.values)
        else:
            xaxis = {"type": "linear"}
        layout[f"xaxis{suffix}"] = {**xaxis, "domain": [left, left + width],
                                    "title": {"text": plain_text(name)},
                                    "anchor": f"y{suffix}"}
        layout[f"yaxis{suffix}"] = {"domain": [top - height, top], "anchor": f"x{suffix}",
                                    "zeroline": False,
                                    "title": {"text": plain_text(metric) if col == 0 else ""}}
    return {"data": data, "layout": layout}


def dependence_note(res):
    """What a page says in place of the figure when there are too few scores, or ``None``.

    Parameters
    ----------
    res : SearchResults
        The full-budget rows.

    Returns
    -------
    note : str or None

    Examples
    --------
    >>> from sktune.report import SearchResults
    >>> from sktune.plot._dependence import dependence_note
    >>> dependence_note(SearchResults({"params": [{"C": 1}, {"C": 2}],
    ...                                "mean_test_score": [0.5, float("nan")]}))
    'Partial dependence of the surrogate: drawn once 5 full-budget candidates have a finite score (1 so far).'
    """  # noqa: E501
    n_finite = int(np.isfinite(res.scores()).sum())
    if n_finite >= MIN_POINTS or not res.tuned_names:
        return None
    return (f"Partial dependence of the surrogate: drawn once {MIN_POINTS} full-budget "
            f"candidates have a finite score ({n_finite} so far).")
