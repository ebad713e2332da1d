"""Serving the dashboard with uvicorn on a socket bound before the start.

Binding first gives the real port of ``port=0`` (any free port), which is
printed before the server runs, so that a script or a test can read it.
"""

import numbers
import os
import socket
import sys
from collections.abc import Sequence

from ._app import create_app


def _check(host, port):
    if not isinstance(host, str) or not host:
        raise TypeError(
            "The 'host' parameter of sktune dashboard must be a non-empty str such as "
            f"'127.0.0.1'. Got {host!r} instead."
        )
    if isinstance(port, bool) or not isinstance(port, numbers.Integral) or not 0 <= port <= 65535:
        raise ValueError(
            "The 'port' parameter of sktune dashboard must be an int in [0, 65535] (0: "
            f"any free port). Got {port!r} instead."
        )


def serve(paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], *,
          host: str = "127.0.0.1", port: int = 8050, log_level: str = "warning") -> None:
    """Serve the dashboard of ``paths`` until interrupted (Ctrl-C).

    Parameters
    ----------
    paths : list of str or os.PathLike
        Checkpoint files, and folders searched for checkpoints.
    host : str, default="127.0.0.1"
        The interface to listen on; the default reaches this machine only.
    port : int, default=8050
        The port; 0 takes any free one. The URL is printed once listening.
    log_level : str, default="warning"
        uvicorn's log level.

    Returns
    -------
    None

    Raises
    ------
    ValueError, TypeError
        For a bad ``paths``, ``host`` or ``port``, before anything listens.
    OSError
        If the port is in use.

    Examples
    --------
    >>> from sktune.dashboard import serve
    >>> serve(["no-such-folder"])
    Traceback (most recent call last):
    ...
    ValueError: The 'paths' parameter of sktune dashboard must name checkpoint files or folders. Got 'no-such-folder', which does not exist.
    """  # noqa: E501
    _check(host, port)
    app = create_app(paths, host=host)
    import uvicorn

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)  # from here on a client may connect: it waits for the server to start
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    print(f"sktune dashboard: http://{shown}:{bound}/ (Ctrl-C to stop)", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, lifespan="off"))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        sys.stdout.flush()
