"""The timeline of fits: one row per worker, a bar per fit, as a plotly.js dict.

It shows how the workers were kept busy: gaps are idle time (a round
waiting for its slowest fit, a stop rule), long bars the costly candidates.
"""

import numpy as np

from ..report import label
from ._interactive import plain_text


def timeline_figure(fits, params, scores, *, sign=1, metric="score"):
    """Horizontal bars from each fit's start to its end, one row per worker.

    Parameters
    ----------
    fits : list of tuple
        ``(worker, start, seconds, candidate)`` per fit: the worker's name,
        the Unix time it started the fit, the fit and score time, and the
        candidate's row in ``params``.
    params : list of dict
        Each candidate's parameters, shown on hover.
    scores : array-like of shape (n_candidates,)
        Each candidate's mean test score (NaN for a failed one), the bars' colour.
    sign : {1, -1}, default=1
        From :func:`~sktune.plot._readable.metric_view`: -1 shows a
        ``neg_*`` score as the loss it negates.
    metric : str, default="score"
        The colour bar's title.

    Returns
    -------
    figure : dict
        ``{"data": [...], "layout": {...}}``; the x axis counts seconds
        from the first start.

    Examples
    --------
    >>> from sktune.plot._timeline import timeline_figure
    >>> fig = timeline_figure([("h pid 7", 100.0, 2.0, 0), ("h pid 8", 100.5, 1.0, 1)],
    ...                       [{"k": "<b>"}, {"k": "a"}], [0.5, 0.9])
    >>> bars = fig["data"][0]
    >>> bars["y"], bars["base"], bars["x"]
    (['h pid 7', 'h pid 8'], [0.0, 0.5], [2.0, 1.0])
    >>> bars["customdata"][0]
    ['candidate 0<br>k=&lt;b&gt;', '0.5']
    """
    scores = np.asarray(scores, dtype=float)
    first = min((start for _, start, _, _ in fits), default=0.0)
    colors, custom, shown = [], [], {}
    for _, _, _, i in fits:
        # the text of a candidate once, not once per fit (per split): most of
        # the figure's cost, recomputed by the dashboard while a search runs
        if i not in shown:
            text = "<br>".join(f"{plain_text(n)}={plain_text(label(v))}"
                               for n, v in params[i].items())
            finite = bool(np.isfinite(scores[i]))
            shown[i] = (float(sign * scores[i]) if finite else None,
                        (f"candidate {i}" + (f"<br>{text}" if text else ""),
                         f"{sign * scores[i]:.4g}" if finite else "failed"))
        color, hover = shown[i]
        colors.append(color)
        custom.append(list(hover))
    workers = sorted({w for w, _, _, _ in fits})
    bars = {
        "type": "bar", "orientation": "h",
        "y": [plain_text(w) for w, _, _, _ in fits],
        "base": [round(start - first, 6) for _, start, _, _ in fits],
        "x": [round(seconds, 6) for _, _, seconds, _ in fits],
        "customdata": custom,
        "marker": {"color": colors, "colorscale": "Viridis", "reversescale": sign < 0,
                   "colorbar": {"title": {"text": plain_text(metric)}},
                   "line": {"width": 0.5, "color": "#ffffff"}},
        "hovertemplate": "%{customdata[0]}<br>" + plain_text(metric)
        + "=%{customdata[1]}<br>%{base:.2f} s + %{x:.2f} s<extra>%{y}</extra>",
    }
    return {"data": [bars], "layout": {
        "title": {"text": f"Fits per worker ({len(fits)} fits on {len(workers)} workers)"},
        "xaxis": {"title": {"text": "seconds since the first fit started"}, "zeroline": False},
        "yaxis": {"type": "category", "categoryarray": [plain_text(w) for w in workers],
                  "automargin": True},
        "barmode": "overlay", "hovermode": "closest", "showlegend": False,
    }}
