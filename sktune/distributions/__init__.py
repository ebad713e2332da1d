"""Distributions: one vocabulary for every search strategy.

Each distribution maps the unit interval to parameter values (``ppf``) and
back (``to_unit``), samples like a scipy frozen distribution (``rvs``) and
offers ``grid(n)`` quantile points for grid search. :func:`parse` reads the
text form a TOML job writes, ``"LogUniform(1e-3, 1e3)"``.
"""

from ._base import Distribution
from ._coerce import ScipyDistribution, as_distribution, is_scipy_frozen
from ._continuous import Beta, Exponential, Gamma, LogNormal, LogUniform, Normal, Uniform
from ._discrete import Categorical, Integer
from ._foreign import check_not_skopt_shorthand, from_foreign
from ._parse import distribution_class, parse

__all__ = [
    "Beta",
    "Categorical",
    "Distribution",
    "Exponential",
    "Gamma",
    "Integer",
    "LogNormal",
    "LogUniform",
    "Normal",
    "ScipyDistribution",
    "Uniform",
    "as_distribution",
    "check_not_skopt_shorthand",
    "distribution_class",
    "from_foreign",
    "is_scipy_frozen",
    "parse",
]
