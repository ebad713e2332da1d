"""Leaderboards, plot data and HTML reports from any search's ``cv_results_``.

Everything here reads a fitted search (sktune's or scikit-learn's, such as
``GridSearchCV``) or a bare ``cv_results_`` dict, and never imports
matplotlib; pandas is imported only by :func:`leaderboard`. The drawings
live in :mod:`sktune.plot`, which also writes the report with every plot
(``sktune.write_report(search, "report.html")``).
"""

from ._axis import ParamAxis
from ._curves import Convergence, HyperbandPath, convergence, hyperband_paths
from ._dependence import PartialDependence, partial_dependence
from ._export import export_results
from ._html import render_html, write_html
from ._importance import param_importance
from ._leaderboard import (
    check_top,
    format_cells,
    format_leaderboard,
    leaderboard,
    leaderboard_table,
    ranks,
)
from ._results import SearchResults
from ._values import MISSING, label

__all__ = [
    "MISSING",
    "Convergence",
    "HyperbandPath",
    "ParamAxis",
    "PartialDependence",
    "SearchResults",
    "check_top",
    "convergence",
    "export_results",
    "format_cells",
    "format_leaderboard",
    "hyperband_paths",
    "label",
    "leaderboard",
    "leaderboard_table",
    "param_importance",
    "partial_dependence",
    "ranks",
    "render_html",
    "write_html",
]
