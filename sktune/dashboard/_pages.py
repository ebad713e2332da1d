"""The HTML of the dashboard's pages: shells that the page's script fills.

Every value a checkpoint holds reaches the page as JSON and is put in the
document as text (``textContent``) or handed to plotly as escaped text,
never as markup; the little the server writes itself is escaped here. The
pages load only the dashboard's own script and plotly.js, both served by
the dashboard (no network needed), and no inline script runs
(``Content-Security-Policy``).
"""

import html

#: served with every page
CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
       "style-src 'self' 'unsafe-inline'; font-src 'self' data:")


def _page(kind, title, body, **data):
    attrs = "".join(f' data-{k}="{html.escape(str(v))}"' for k, v in data.items())
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="/static/dashboard.css">
<script src="/static/plotly.min.js"></script>
<script src="/static/dashboard.js" defer></script>
</head>
<body data-page="{kind}"{attrs}>
<header><a href="/">sktune dashboard</a> <span id="live" class="live"></span></header>
<main>
<h1>{html.escape(title)}</h1>
{body}
</main>
</body>
</html>
"""


def experiments_page():
    """The list of every checkpoint served.

    Examples
    --------
    >>> from sktune.dashboard._pages import experiments_page
    >>> 'data-page="experiments"' in experiments_page()
    True
    """
    body = """<p><button id="compare" type="button" disabled>
Compare the selected searches</button></p>
<table id="experiments" class="table"><thead></thead><tbody></tbody></table>"""
    return _page("experiments", "Experiments", body)


def search_page(ident, name):
    """The page of one checkpoint.

    Parameters
    ----------
    ident : str
        Its id in the catalog.
    name : str
        The file's name, shown as the title.

    Examples
    --------
    >>> from sktune.dashboard._pages import search_page
    >>> "&lt;b&gt;.db" in search_page("abc", "<b>.db")
    True
    """
    body = """<section id="summary"><p>Candidates: <strong id="n-candidates">…</strong>
<span id="status"></span></p><table id="facts" class="facts"></table></section>
<section><h2>Leaderboard</h2>
<p><input id="filter" type="search" placeholder="filter rows" aria-label="filter rows">
<span id="n-shown"></span></p>
<div class="scroll">
<table id="leaderboard" class="table"><thead></thead><tbody></tbody></table></div>
</section>
<section><h2>Plots</h2><div id="figure-notes"></div><div id="figures"></div></section>
<section><h2>Environment and runs</h2><table id="runs" class="table"><thead></thead><tbody></tbody>
</table></section>"""
    return _page("search", name, body, id=ident)


def compare_page(idents):
    """The page comparing checkpoints ``idents``.

    Examples
    --------
    >>> from sktune.dashboard._pages import compare_page
    >>> 'data-ids="a,b"' in compare_page(["a", "b"])
    True
    """
    body = """<p id="same-data"></p>
<table id="searches" class="table"><thead></thead><tbody></tbody></table>
<div id="figures"></div>"""
    return _page("compare", "Compare searches", body, ids=",".join(idents))


def not_found_page(what):
    """The page of a URL that names nothing served.

    Examples
    --------
    >>> from sktune.dashboard._pages import not_found_page
    >>> "&lt;x&gt;" in not_found_page("<x>")
    True
    """
    return _page("none", "Not found",
                 f"<p>No checkpoint served here is named {html.escape(what)}. "
                 '<a href="/">See the experiments.</a></p>')
