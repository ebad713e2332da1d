"""The ``sktune`` command line."""

from ._main import main

__all__ = ["main"]
