"""Pure ask/tell optimizers in the unit cube; they never see an estimator or data."""

from ._acquisition import log_expected_improvement, log_h
from ._asha import AsyncHyperbandPlan, HyperbandJob
from ._bayes import BayesOptimizer, warp_scores
from ._feasibility import FeasibilityModel
from ._gp import GaussianProcess
from ._hyperband import Bracket, HyperbandPlan, HyperbandSchedule, Rung, floor_log

__all__ = [
    "AsyncHyperbandPlan",
    "BayesOptimizer",
    "Bracket",
    "FeasibilityModel",
    "GaussianProcess",
    "HyperbandJob",
    "HyperbandPlan",
    "HyperbandSchedule",
    "Rung",
    "floor_log",
    "log_expected_improvement",
    "log_h",
    "warp_scores",
]
