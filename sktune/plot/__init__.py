"""Plots of search results, drawn with matplotlib (``pip install sktune[plot]``).

Every plot reads a fitted search (sktune's or scikit-learn's, such as
``GridSearchCV``) or a ``cv_results_`` dict through
:class:`sktune.report.SearchResults`, takes ``ax=`` and returns what it drew.
matplotlib is imported only when a plot is drawn, and no plot changes
matplotlib's global style or backend. :func:`interactive_figures` gives
the same plots as interactive plotly figures (Jupyter, the HTML report and
the dashboard).
"""

from ._convergence import plot_convergence
from ._figures import interactive_figures
from ._hyperband import plot_hyperband
from ._importance import plot_importance
from ._parallel import plot_parallel_coordinates
from ._report import report_figures, write_report
from ._slices import plot_param_slices

__all__ = [
    "interactive_figures",
    "plot_convergence",
    "plot_hyperband",
    "plot_importance",
    "plot_parallel_coordinates",
    "plot_param_slices",
    "report_figures",
    "write_report",
]
