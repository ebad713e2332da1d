"""One self-contained HTML page about a search: settings, best, leaderboard, figures.

The page has no external resource (inline CSS, images as base64 ``data:``
URIs), so it opens offline in any browser and can be mailed as one file.
This module draws nothing: figures come in ready-made, as PNG bytes, as
objects with a matplotlib-style ``savefig``, or as plotly figures, embedded
interactive with plotly.js inline (see :func:`sktune.plot.write_report` for
the page with every plot).
"""

import base64
import datetime
import html
import io
import os
from collections.abc import Mapping
from typing import Any

from .._typing import SearchLike
from ._leaderboard import format_cells, leaderboard_table
from ._results import SearchResults
from ._values import label

_CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 1.6em; }
.meta { color: #666; margin-top: 0; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #eee; text-align: right; }
th { background: #f4f4f4; }
td.text, th.text { text-align: left; }
tr:first-child td { font-weight: 600; }
table.kv td { text-align: left; vertical-align: top; }
table.kv tr:first-child td { font-weight: normal; }
pre { margin: 0; white-space: pre-wrap; font-size: 0.95em; }
figure { margin: 1em 0; }
figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
"""


def _esc(value):
    return html.escape(str(value), quote=True)


def _png_bytes(figure, caption):
    if isinstance(figure, (bytes, bytearray)):
        return bytes(figure)
    if hasattr(figure, "savefig"):
        buf = io.BytesIO()
        figure.savefig(buf, format="png", dpi=100, bbox_inches="tight")
        return buf.getvalue()
    raise TypeError(
        f"Each value of the 'figures' parameter of render_html must be PNG bytes or a "
        f"figure with a savefig method. Got {figure!r:.80} (of type "
        f"{type(figure).__name__}) for {caption!r} instead."
    )


def _kv_table(pairs):
    rows = "".join(
        f"<tr><td><b>{_esc(k)}</b></td><td><pre>{_esc(v)}</pre></td></tr>" for k, v in pairs
    )
    return f'<table class="kv">{rows}</table>'


def _settings(res):
    search = res.search
    if search is None or not hasattr(search, "get_params"):
        return "<p>Built from a cv_results_ dict: the search's settings are not known.</p>"
    params = search.get_params(deep=False)
    pairs = [("class", type(search).__name__)]
    pairs += [(k, label(v, width=2000)) for k, v in sorted(params.items())]
    return _kv_table(pairs)


def _best(res, metric):
    search = res.search
    best = getattr(search, "best_params_", None) if search is not None else None
    index = getattr(search, "best_index_", None) if search is not None else None
    # the search's index counts every row; the view may hold some of them
    whole = res.at_budgets("all")
    if best is None or index is None or metric != res.refit_metric:
        index = res.best_index(metric)
        index = None if index is None else int(res.rows[index])
        best = None if index is None else whole.params[index]
    if best is None:
        return "<p>No candidate has a finite score: every fit failed.</p>"
    score = whole.scores(metric)[int(index)]
    pairs = [(f"mean {metric}", f"{score:.4f}"), ("candidate", int(index))]
    pairs += [(k, label(v, width=2000)) for k, v in best.items()]
    return _kv_table(pairs)


def _leaderboard_html(res, top, metric):
    columns, rows, _ = leaderboard_table(res, top, metric, func="render_html")
    cells = format_cells(columns, rows)
    numeric = {"rank", "fit_time", "n_resources", "bracket"}
    numeric |= {c for c in columns if c.startswith(("mean_", "std_"))}
    kind = ["" if c in numeric else ' class="text"' for c in columns]
    head = "".join(f"<th{k}>{_esc(c)}</th>" for c, k in zip(columns, kind))
    body = "".join(
        "<tr>" + "".join(f"<td{k}>{_esc(v)}</td>" for v, k in zip(row, kind)) + "</tr>"
        for row in cells
    )
    return f'<table id="leaderboard"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _environment(res, environment):
    """The environment row's text: given, or that of the search's checkpoint."""
    if environment is None:
        path = getattr(res.search, "checkpoint", None)
        if path is None or not os.path.isfile(path):
            return None
        from ..store import CheckpointError, CheckpointStore

        try:
            with CheckpointStore(path, read_only=True) as store:
                runs = store.runs()
        except CheckpointError:
            return None
        environment = runs[-1].get("environment") if runs else None
    if not isinstance(environment, Mapping):
        return None
    return ", ".join(f"{k} {v}" for k, v in environment.items() if v is not None)


def render_html(search: SearchLike, *, figures: Mapping[str, Any] | None = None,
                title: str | None = None, top: int | None = 10,
                metric: str | None = None,
                environment: Mapping[str, Any] | None = None) -> str:
    """The HTML text of a one-page report on a search.

    Parameters
    ----------
    search : fitted search or dict
        Any fitted search with ``cv_results_``, or a ``cv_results_`` dict.
    figures : dict of str -> figure or bytes, default=None
        Caption -> a figure (anything with a matplotlib-style ``savefig``)
        or PNG bytes, embedded in order as base64 images.
    title : str or None, default=None
        Page title; ``None`` gives ``"sktune report: <search class>"``.
    top : int or None, default=10
        Rows of the leaderboard; ``None`` for every candidate.
    metric : str or None, default=None
        Metric that ranks the leaderboard and picks the best candidate;
        ``None`` for the refit metric.
    environment : dict or None, default=None
        The versions and machine the search ran under, as a checkpoint
        records them (:meth:`sktune.store.CheckpointStore.runs`); ``None``
        reads them from the checkpoint of a fitted search that has one.

    Returns
    -------
    html : str
        A complete, self-contained HTML document.

    Examples
    --------
    >>> from sktune.report import render_html
    >>> results = {"params": [{"C": 1}, {"C": 10}], "mean_test_score": [0.8, 0.9]}
    >>> page = render_html(results, title="C sweep")
    >>> "<title>C sweep</title>" in page, 'id="leaderboard"' in page
    (True, True)
    """
    res = SearchResults.from_search(search, "render_html")
    metric = res.check_metric(metric, "render_html")
    if title is None:
        title = f"sktune report: {res.name}"
    if figures is not None and not isinstance(figures, Mapping):
        raise TypeError(
            "The 'figures' parameter of render_html must be a dict of captions to "
            f"figures or PNG bytes. Got {figures!r:.80} instead."
        )
    board = _leaderboard_html(res, top, metric)
    images: list[str] = []
    for caption, fig in (figures or {}).items():
        if hasattr(fig, "to_html") and hasattr(fig, "to_plotly_json"):
            # a plotly figure: plotly.js goes inline once, so the page works
            # offline; plotly's JSON escapes "<", so no value ends the script
            div = fig.to_html(full_html=False, include_plotlyjs=not any(
                "<figure class=\"plotly\">" in i for i in images), config={"displaylogo": False})
            images.append(f'<figure class="plotly">{div}'
                          f"<figcaption>{_esc(caption)}</figcaption></figure>")
            continue
        data = base64.b64encode(_png_bytes(fig, caption)).decode("ascii")
        images.append(
            f'<figure><img alt="{_esc(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{_esc(caption)}</figcaption></figure>"
        )
    from .. import __version__

    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    estimator = getattr(res.search, "estimator", None)
    summary = [
        ("search", res.name),
        ("estimator", label(estimator, width=2000) if estimator is not None else "unknown"),
        ("candidates", res.at_budgets("all").n_candidates),
        ("cross-validation splits", res.n_splits),
        ("metrics", ", ".join(res.metrics)),
        ("ranked by", metric),
    ]
    if (env := _environment(res, environment)) is not None:
        summary.append(("environment", env))
    shown = "every" if top is None or top >= res.n_candidates else f"top {top} of"
    n_all = res.at_budgets("all").n_candidates
    ranked = "candidates"
    if res.n_candidates < n_all:
        # Hyperband and halving: only the full-budget rows compare
        ranked = f"evaluations at the largest budget, of {n_all} at every budget"
        summary.append(("ranked rows", f"{res.n_candidates} at the largest budget"))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_esc(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_esc(title)}</h1>",
        f'<p class="meta">Generated by sktune {_esc(__version__)} on {when}.</p>',
        "<h2>Summary</h2>",
        _kv_table(summary),
        "<h2>Best candidate</h2>",
        _best(res, metric),
        f"<h2>Leaderboard ({shown} {res.n_candidates} {_esc(ranked)})</h2>",
        board,
    ]
    if images:
        parts += ["<h2>Plots</h2>", *images]
    parts += ["<h2>Settings</h2>", _settings(res), "</body></html>"]
    return "\n".join(parts)


def write_html(search: SearchLike, path: str | os.PathLike[str], *,
               figures: Mapping[str, Any] | None = None, title: str | None = None,
               top: int | None = 10, metric: str | None = None,
               environment: Mapping[str, Any] | None = None) -> str:
    """Write :func:`render_html`'s page to ``path``.

    Parameters
    ----------
    search : fitted search or dict
        Any fitted search with ``cv_results_``, or a ``cv_results_`` dict.
    path : str or path-like
        File to write (UTF-8), replaced if it exists.
    figures : dict of str -> figure or bytes, default=None
        Caption -> figure or PNG bytes to embed.
    title : str or None, default=None
        Page title.
    top : int or None, default=10
        Rows of the leaderboard.
    metric : str or None, default=None
        Metric that ranks the leaderboard.
    environment : dict or None, default=None
        The environment the search ran under (see :func:`render_html`).

    Returns
    -------
    path : str
        The path written.

    Examples
    --------
    >>> import os, tempfile
    >>> from sktune.report import write_html
    >>> results = {"params": [{"C": 1}, {"C": 10}], "mean_test_score": [0.8, 0.9]}
    >>> path = write_html(results, os.path.join(tempfile.mkdtemp(), "report.html"))
    >>> os.path.getsize(path) > 1000
    True
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"The 'path' parameter of write_html must be a str or path-like. "
            f"Got {path!r} (of type {type(path).__name__}) instead."
        )
    page = render_html(search, figures=figures, title=title, top=top, metric=metric,
                       environment=environment)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(page)
    return os.fspath(path)
