"""sktune: scikit-learn-compatible hyperparameter search.

Grid, random, Bayesian and Hyperband searches share one vocabulary of
distributions and behave as drop-ins for scikit-learn's own searches.
"""

from . import distributions, report
from ._skops import skops_trusted_types
from .distributions import (
    Beta,
    Categorical,
    Exponential,
    Gamma,
    Integer,
    LogNormal,
    LogUniform,
    Normal,
    Uniform,
)

# write_report draws, so it lives in plot/; neither import needs matplotlib
# or pandas. The name sktune.report is the subpackage's alone.
from .plot import write_report
from .report import format_leaderboard, leaderboard
from .search import BayesSearch, GridSearch, HyperbandSearch, ManualSearch, RandomSearch
from .space import SearchSpace

__version__ = "0.1.0.dev0"

__all__ = [
    "BayesSearch",
    "Beta",
    "Categorical",
    "Exponential",
    "Gamma",
    "GridSearch",
    "HyperbandSearch",
    "Integer",
    "LogNormal",
    "LogUniform",
    "ManualSearch",
    "Normal",
    "RandomSearch",
    "SearchSpace",
    "Uniform",
    "distributions",
    "format_leaderboard",
    "leaderboard",
    "report",
    "skops_trusted_types",
    "write_report",
]
