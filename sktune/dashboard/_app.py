"""The dashboard's web application: pages, JSON endpoints and the two scripts.

Built on starlette and served by uvicorn. Only the routes below exist: a
checkpoint is named by its catalog id (any other path, ``/../`` included, is
a 404), the static files are a fixed list read from the installed packages,
and nothing is ever written to a checkpoint. Bound to the loopback
interface, the application also refuses requests for another host name
(a web page elsewhere cannot reach it by DNS rebinding).
"""

import importlib.util
import os
from collections.abc import Sequence
from typing import Any

from ._data import Catalog, Reader
from ._pages import CSP, compare_page, experiments_page, not_found_page, search_page

_LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]
_HERE = os.path.dirname(os.path.abspath(__file__))


def _import_starlette():
    try:
        import starlette  # noqa: F401
    except ImportError:
        raise ImportError(
            "sktune dashboard needs starlette, uvicorn and plotly: "
            "pip install sktune[dashboard]"
        ) from None


def _plotly_js():
    spec = importlib.util.find_spec("plotly")
    path = None if spec is None else os.path.join(
        spec.submodule_search_locations[0], "package_data", "plotly.min.js")
    if path is None or not os.path.isfile(path):
        raise ImportError(
            "sktune dashboard needs plotly, whose package holds plotly.min.js: "
            "pip install sktune[dashboard]"
        )
    return path


def is_loopback(host):
    """Whether ``host`` is this machine's loopback interface only.

    Examples
    --------
    >>> from sktune.dashboard._app import is_loopback
    >>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0")
    (True, False)
    """
    return host in _LOOPBACK_NAMES or host.startswith("127.")


def create_app(paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], *,
               host: str = "127.0.0.1") -> Any:
    """The dashboard application over checkpoint files and folders of them.

    Parameters
    ----------
    paths : list of str or os.PathLike
        Checkpoint files, and folders searched for checkpoints.
    host : str, default="127.0.0.1"
        The interface it will be served on: on a loopback interface, requests
        naming another host are refused.

    Returns
    -------
    app : starlette.applications.Starlette
        An ASGI application.

    Raises
    ------
    ValueError
        If ``paths`` is empty or names something that does not exist.
    ImportError
        If starlette or plotly is missing.

    Examples
    --------
    >>> import tempfile
    >>> from sktune.dashboard import create_app
    >>> app = create_app([tempfile.mkdtemp()])
    >>> type(app).__name__
    'Starlette'
    """
    _import_starlette()
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.responses import FileResponse, HTMLResponse, JSONResponse
    from starlette.routing import Route

    reader = Reader(Catalog(paths))
    statics = {
        "plotly.min.js": (_plotly_js(), "text/javascript"),
        "dashboard.js": (os.path.join(_HERE, "static", "dashboard.js"), "text/javascript"),
        "dashboard.css": (os.path.join(_HERE, "static", "dashboard.css"), "text/css"),
    }
    headers = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
               "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}

    # Plain functions: starlette runs them in its thread pool, so that reading
    # a large checkpoint (or fitting the importance forest) for one page does
    # not hold up the others.
    def page(text, status_code=200):
        return HTMLResponse(text, status_code=status_code, headers=headers)

    def data(value):
        if value is None:
            return JSONResponse({"error": "no such checkpoint"}, status_code=404,
                                headers=headers)
        return JSONResponse(value, headers=headers)

    def not_found(what):
        return page(not_found_page(what), 404)

    def experiments(request):
        return page(experiments_page())

    def search(request):
        ident = request.path_params["ident"]
        path = reader.catalog.path(ident)
        if path is None:
            return not_found(ident)
        return page(search_page(ident, os.path.basename(path)))

    def compare(request):
        idents = request.query_params.getlist("id")
        if len(idents) < 1 or any(reader.catalog.path(i) is None for i in idents):
            return not_found(", ".join(idents) or "(no id)")
        return page(compare_page(idents))

    def api_experiments(request):
        return data(reader.experiments())

    def api_search(request):
        return data(reader.search(request.path_params["ident"],
                                  since=request.query_params.get("since")))

    def api_compare(request):
        return data(reader.compare(request.query_params.getlist("id")))

    def static(request):
        entry = statics.get(request.path_params["name"])
        if entry is None:
            return not_found(request.path_params["name"])
        return FileResponse(entry[0], media_type=entry[1], headers=headers)

    async def missing(request, exc):
        return not_found(request.url.path)

    middleware = []
    if is_loopback(host):
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=_LOOPBACK_NAMES))
    return Starlette(
        routes=[
            Route("/", experiments),
            Route("/search/{ident}", search),
            Route("/compare", compare),
            Route("/api/experiments", api_experiments),
            Route("/api/search/{ident}", api_search),
            Route("/api/compare", api_compare),
            Route("/static/{name}", static),
        ],
        middleware=middleware,
        exception_handlers={404: missing},
    )
