"""The ``sktune`` command line: ``demo``, ``run``, ``show`` and ``report``."""

from ._main import build_parser, main

__all__ = ["build_parser", "main"]
