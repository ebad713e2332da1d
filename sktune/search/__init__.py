"""The search meta-estimators: the only layer that sees estimators and data."""

from ._base import BaseSearch, Batch, FixedProposer
from ._bayes import BayesSearch
from ._context import FitContext, FixedSplits
from ._grid import GridSearch, expand_grid
from ._manual import ManualSearch
from ._random import RandomSearch, draw_unique
from ._stored import results_from_checkpoint
from ._timeout import FitTimeoutError
from ._validation import (
    check_param_names,
    check_space,
    check_value,
    check_value_allowed,
    invalid_name,
    invalid_name_message,
    searched_step,
    suggest,
)
from .hyperband import AsyncHyperbandProposer, HyperbandProposer, HyperbandSearch

__all__ = [
    "AsyncHyperbandProposer",
    "Batch",
    "BaseSearch",
    "BayesSearch",
    "FitContext",
    "FitTimeoutError",
    "FixedProposer",
    "FixedSplits",
    "GridSearch",
    "HyperbandProposer",
    "HyperbandSearch",
    "ManualSearch",
    "RandomSearch",
    "check_param_names",
    "check_space",
    "check_value",
    "check_value_allowed",
    "draw_unique",
    "expand_grid",
    "invalid_name",
    "invalid_name_message",
    "results_from_checkpoint",
    "searched_step",
    "suggest",
]
