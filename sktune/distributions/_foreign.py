"""The space objects of the libraries users arrive from, read as sktune distributions.

scikit-optimize's ``Real``, ``Integer`` and ``Categorical`` and Optuna's
``FloatDistribution``, ``IntDistribution`` and ``CategoricalDistribution``
are recognised by their module and attributes, without importing either
library, and become the sktune distribution that draws the same values.
scikit-optimize's tuple shorthand ``(1e-6, 1e6, "log-uniform")`` is refused
with its translation: a tuple is a list of values in scikit-learn, and
taking it as three values would fail every fit that draws the string.
"""

import numbers
from typing import Any

import numpy as np

from ._continuous import LogUniform, Uniform
from ._discrete import Categorical, Integer

_SKOPT_PRIORS = ("uniform", "log-uniform")


def _module(value):
    return type(value).__module__ or ""


def _from_skopt(value):
    kind = type(value).__name__
    if kind == "Categorical":
        prior = getattr(value, "prior", None)
        return Categorical(list(value.categories), weights=None if prior is None else list(prior))
    log = getattr(value, "prior", "uniform") == "log-uniform"
    if kind == "Real":
        return (LogUniform if log else Uniform)(float(value.low), float(value.high))
    if kind == "Integer":
        return Integer(int(value.low), int(value.high), log=log)
    return None


def _stepped(low, high, step, cast):
    n = int(np.floor((high - low) / step + 1e-9)) + 1
    return Categorical([cast(low + i * step) for i in range(n)])


def _from_optuna(value):
    kind = type(value).__name__
    if kind == "CategoricalDistribution":
        return Categorical(list(value.choices))
    step = getattr(value, "step", None)
    log = bool(getattr(value, "log", False))
    if kind == "FloatDistribution":
        if step is not None:
            # Optuna's grid low, low + step, ...; decimals as the step writes them
            return _stepped(value.low, value.high, step, lambda v: round(float(v), 12))
        return (LogUniform if log else Uniform)(float(value.low), float(value.high))
    if kind == "IntDistribution":
        if step not in (None, 1):
            return _stepped(value.low, value.high, step, int)
        return Integer(int(value.low), int(value.high), log=log)
    return None


def from_foreign(value: object) -> Any:
    """The sktune distribution of a scikit-optimize or Optuna space object, or None.

    Parameters
    ----------
    value : object
        What the user wrote for one parameter.

    Returns
    -------
    distribution : Distribution or None
        ``None`` when ``value`` is neither library's space object.

    Examples
    --------
    >>> from optuna.distributions import FloatDistribution, IntDistribution
    >>> from sktune.distributions import from_foreign
    >>> from_foreign(FloatDistribution(1e-3, 1e3, log=True))
    LogUniform(low=0.001, high=1000.0)
    >>> from_foreign(IntDistribution(1, 9, step=4))
    Categorical([1, 5, 9])
    >>> print(from_foreign([1, 2]))
    None
    """
    module = _module(value)
    if module.startswith("skopt.space"):
        return _from_skopt(value)
    if module.startswith("optuna.distributions"):
        return _from_optuna(value)
    return None


def check_not_skopt_shorthand(value: object, name: str, owner: str) -> None:
    """Raise on scikit-optimize's ``(low, high, prior)`` tuple, with its translation.

    Parameters
    ----------
    value : object
        What the user wrote for one parameter.
    name : str
        The parameter's name, for the message.
    owner : str
        Where the value came from, for the message.

    Raises
    ------
    ValueError
        If ``value`` is a tuple of two numbers and ``"uniform"`` or
        ``"log-uniform"``.

    Examples
    --------
    >>> from sktune.distributions import check_not_skopt_shorthand
    >>> check_not_skopt_shorthand((1, 2, 3), "C", "the search space")
    >>> check_not_skopt_shorthand((1e-3, 1e3, "log-uniform"), "C", "the search space")
    Traceback (most recent call last):
    ...
    ValueError: The value for 'C' in the search space is scikit-optimize's ... LogUniform(0.001, ...
    """
    if not (isinstance(value, tuple) and len(value) in (3, 4)):
        return
    low, high, prior = value[:3]
    numeric = all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in (low, high)
    )
    if not (numeric and isinstance(prior, str) and prior in _SKOPT_PRIORS):
        return
    integer = all(isinstance(v, numbers.Integral) for v in (low, high))
    if integer:
        spelled = f"Integer({low!r}, {high!r}{', log=True' if prior == 'log-uniform' else ''})"
    else:
        cls = "LogUniform" if prior == "log-uniform" else "Uniform"
        spelled = f"{cls}({float(low)!r}, {float(high)!r})"
    raise ValueError(
        f"The value for {name!r} in {owner} is scikit-optimize's shorthand {value!r}; "
        f"in sktune, as in scikit-learn, a tuple is a list of values to try, and "
        f"{prior!r} would be tried as one of them. Write {spelled} from "
        f"sktune.distributions instead."
    )
