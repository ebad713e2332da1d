"""One coercion: lists, scipy frozen distributions and ours -> Distribution."""

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import stats

from .._typing import RandomStateLike
from ._base import Distribution, _as_python_scalar
from ._discrete import Categorical, _merge_repeats
from ._foreign import check_not_skopt_shorthand, from_foreign


class ScipyDistribution(Distribution):
    """Wrap a ``scipy.stats`` frozen distribution (continuous or discrete).

    Parameters
    ----------
    frozen : scipy.stats frozen distribution
        For example ``scipy.stats.expon(scale=2)`` or ``scipy.stats.randint(1, 5)``.

    Attributes
    ----------
    frozen : scipy.stats frozen distribution
        The wrapped distribution, as given.

    Examples
    --------
    >>> from scipy import stats
    >>> from sktune.distributions import ScipyDistribution
    >>> d = ScipyDistribution(stats.randint(1, 4))
    >>> d.grid(10)
    [1, 2, 3]
    """

    _fields = ("frozen",)
    frozen: Any

    def __init__(self, frozen: Any) -> None:
        if not (hasattr(frozen, "dist") and hasattr(frozen, "ppf")):
            raise TypeError(
                "The 'frozen' parameter of ScipyDistribution must be a scipy.stats "
                f"frozen distribution. Got {frozen!r} instead."
            )
        if np.isnan(_support_or_nan(frozen)).any():
            # scipy accepts invalid arguments when freezing and returns NaN
            # from every method later; fail now, before any fit.
            raise ValueError(
                "The 'frozen' parameter of ScipyDistribution must be a scipy.stats "
                f"frozen distribution with valid arguments. Got {_frozen_repr(frozen)} "
                "instead; check that its scale is > 0 and its shapes are in range."
            )
        self.__dict__["frozen"] = frozen
        self._setup(frozen)
        self.__dict__["is_integer"] = self._scipy_discrete
        self.__dict__["is_log"] = frozen.dist.name in ("loguniform", "reciprocal")

    def rvs(self, size: int | tuple[int, ...] | None = None,
            random_state: RandomStateLike = None) -> Any:
        """Draw random values with the wrapped distribution's own sampler.

        A seed gives the same draws as the scipy object itself, and so as
        scikit-learn's ``ParameterSampler`` given that object; a single
        draw comes back as a Python scalar.

        Parameters
        ----------
        size : int or tuple of int, default=None
            Output shape; ``None`` returns one scalar.
        random_state : int, RandomState instance or None, default=None
            Source of randomness.

        Returns
        -------
        x : scalar or ndarray

        Examples
        --------
        >>> from scipy import stats
        >>> from sktune.distributions import ScipyDistribution
        >>> frozen = stats.expon(scale=2)
        >>> ScipyDistribution(frozen).rvs(size=3, random_state=0)
        array([1.59174902, 2.51186153, 1.84644629])
        >>> frozen.rvs(size=3, random_state=0)
        array([1.59174902, 2.51186153, 1.84644629])
        >>> type(ScipyDistribution(stats.randint(1, 5)).rvs(random_state=0))
        <class 'int'>
        """
        # The frozen distribution's own sampler, so that a seed gives the
        # same draws as scikit-learn's ParameterSampler with the same object.
        out = self.frozen.rvs(size=size, random_state=random_state)
        return _as_python_scalar(out) if size is None else out

    def __reduce__(self):
        f = self.frozen
        if getattr(stats, f.dist.name, None) is None:
            return (ScipyDistribution, (f,))
        return (_rebuild_scipy, (f.dist.name, tuple(f.args), dict(f.kwds)))

    def _key(self):
        f = self.frozen
        return (f.dist.name, tuple(f.args), tuple(sorted(f.kwds.items())))

    def __repr__(self):
        return f"ScipyDistribution({_frozen_repr(self.frozen)})"


def _frozen_repr(frozen):
    args = [repr(a) for a in frozen.args] + [f"{k}={v!r}" for k, v in frozen.kwds.items()]
    return f"{frozen.dist.name}({', '.join(args)})"


def _support_or_nan(frozen):
    try:
        return np.asarray(frozen.support(), dtype=float)
    except ValueError:  # some scipy versions raise "Domain error" here
        return np.array([np.nan])


def _rebuild_scipy(name, args, kwds):
    return ScipyDistribution(getattr(stats, name)(*args, **kwds))


def is_scipy_frozen(value: object) -> bool:
    """Whether ``value`` is a scipy.stats frozen distribution.

    Parameters
    ----------
    value : object
        Anything.

    Returns
    -------
    is_frozen : bool

    Examples
    --------
    >>> from scipy import stats
    >>> from sktune.distributions import LogUniform, is_scipy_frozen
    >>> is_scipy_frozen(stats.loguniform(1e-3, 1e3)), is_scipy_frozen(LogUniform(1e-3, 1e3))
    (True, False)
    """
    return hasattr(value, "dist") and hasattr(value, "ppf") and hasattr(value, "rvs")


def as_distribution(
    value: object, *, name: str = "value", owner: str = "the search space"
) -> Distribution:
    """Return ``value`` as an sktune :class:`Distribution`.

    A distribution is returned as is, a scipy frozen distribution is wrapped,
    scikit-optimize's and Optuna's space objects become the sktune
    distribution that draws the same values (:func:`from_foreign`), and a
    list, tuple, range or 1-d array becomes a :class:`Categorical`. A
    value listed several times is listed once, with a weight that counts
    its listings: ``RandomizedSearchCV`` draws ``[1, 1, 2]`` as ``1`` two
    times in three, and sktune's searches then never try ``1`` twice.

    Parameters
    ----------
    value : Distribution, scipy frozen distribution or sequence
        What the user wrote for one parameter.
    name : str, default="value"
        Parameter name used in error messages.
    owner : str, default="the search space"
        Where the value came from, for error messages.

    Returns
    -------
    distribution : Distribution

    Examples
    --------
    >>> from scipy import stats
    >>> from sktune.distributions import as_distribution
    >>> as_distribution([1, 10, 100])
    Categorical([1, 10, 100])
    >>> as_distribution(["rbf", "rbf", "linear", "rbf"])
    Categorical(['rbf', 'linear'], weights=[0.75, 0.25])
    >>> as_distribution(stats.uniform(0, 2)).support()
    (0.0, 2.0)
    """
    if isinstance(value, Distribution):
        return value
    if is_scipy_frozen(value):
        try:
            return ScipyDistribution(value)
        except ValueError as exc:
            raise ValueError(
                f"The value for {name!r} in {owner} must be a scipy.stats frozen "
                f"distribution with valid arguments. Got {_frozen_repr(value)} instead."
            ) from exc
    foreign = from_foreign(value)
    if foreign is not None:
        return foreign
    check_not_skopt_shorthand(value, name, owner)
    if isinstance(value, np.ndarray) and value.ndim != 1:
        raise ValueError(
            f"The value for {name!r} in {owner} must be one-dimensional. "
            f"Got an array of shape {value.shape} instead."
        )
    if isinstance(value, (Sequence, np.ndarray, range)) and not isinstance(
        value, (str, bytes)
    ):
        if len(value) == 0:
            raise ValueError(
                f"The value for {name!r} in {owner} must be a non-empty list. "
                f"Got {value!r} instead."
            )
        choices, counts = _merge_repeats(list(value))
        if len(choices) < len(value):
            # RandomizedSearchCV draws a list's entries alike, so a value
            # listed twice is twice as likely: a weight, not a second choice.
            return Categorical(choices, weights=counts)
        return Categorical(choices)
    raise TypeError(
        f"The value for {name!r} in {owner} must be a list of values, an sktune "
        "distribution or a scipy.stats frozen distribution. "
        f"Got {value!r} (of type {type(value).__name__}) instead; "
        "wrap a single value in a list."
    )
