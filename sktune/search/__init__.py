"""The search meta-estimators: the only layer that sees estimators and data."""

from ._base import BaseSearch, Batch, FixedProposer, check_param_names
from ._bayes import BayesSearch
from ._grid import GridSearch, expand_grid
from ._hyperband import HyperbandProposer, HyperbandSearch
from ._manual import ManualSearch
from ._random import RandomSearch, draw_unique
from ._stored import results_from_checkpoint

__all__ = [
    "Batch",
    "BaseSearch",
    "BayesSearch",
    "FixedProposer",
    "GridSearch",
    "HyperbandProposer",
    "HyperbandSearch",
    "ManualSearch",
    "RandomSearch",
    "check_param_names",
    "draw_unique",
    "expand_grid",
    "results_from_checkpoint",
]
