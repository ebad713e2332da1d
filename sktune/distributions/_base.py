"""The one base class every sktune distribution derives from.

A distribution maps the unit interval onto parameter values (``ppf``) and
back (``to_unit``). Every search strategy works through these two maps, so
no other module needs to know which distribution it holds.

Three kinds of value geometry exist:

* continuous: a scipy frozen distribution, optionally truncated to
  ``[low, high]``;
* rounded: a continuous distribution on ``[low - 0.5, high + 0.5]`` whose
  draws are rounded to integers (``Integer``);
* scipy discrete: a frozen ``rv_discrete`` (``randint``, ``bernoulli``...).

``Categorical`` overrides the maps with its cumulative weights.
"""

import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.utils import check_random_state

from .._typing import RandomStateLike

# scipy's discrete ppf(0) is ``low - 1`` and ppf(1) may be inf; keeping u
# inside (0, 1) by this margin lands on the support's first and last values.
_EDGE = 1e-12


def _as_python_scalar(value):
    """numpy scalars -> int/float so estimators see the type users wrote."""
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _pretty(x, low=-np.inf, high=np.inf):
    """Round to 12 significant digits: grids show ``0.01``, not ``0.0099999``.

    A rounded value that would leave ``[low, high]`` (``low=1/3`` rounds
    down) is returned unrounded.
    """
    rounded = float(f"{x:.12g}")
    return rounded if low <= rounded <= high else float(x)


class Distribution:
    """Base class of the sktune distributions.

    Subclasses declare their constructor arguments in ``_fields`` and call
    :meth:`_setup` with a scipy frozen distribution. Instances are immutable
    and compare by value.

    Attributes
    ----------
    is_integer : bool
        Values are integers.
    is_categorical : bool
        Values are unordered choices.
    is_log : bool
        The distribution lives on a log scale (plots use log axes).

    Examples
    --------
    Every distribution maps quantiles to values and back:

    >>> from sktune.distributions import Distribution, LogUniform
    >>> dist = LogUniform(1e-2, 1e2)
    >>> isinstance(dist, Distribution), dist.is_log
    (True, True)
    >>> dist.ppf(0.5), dist.to_unit(10.0)
    (1.0, 0.75)
    """

    _fields: tuple[str, ...] = ()
    is_integer = False
    is_categorical = False
    is_log = False
    # set once by _setup through __dict__, as instances are immutable
    _dist: Any
    _rounded: bool
    _scipy_discrete: bool
    _lo: float
    _hi: float

    def _setup(self, frozen, *, low=None, high=None, rounded=False):
        d = self.__dict__
        d["_dist"] = frozen
        d["_rounded"] = rounded
        d["_scipy_discrete"] = hasattr(frozen, "dist") and hasattr(frozen.dist, "pmf")
        # (ppf, isf) of the continuous quantile, scipy's own where it cannot be skipped
        d["_quantiles"] = _direct_quantiles(frozen) or (frozen.ppf, frozen.isf)
        lo, hi = frozen.support()
        if rounded:
            lo, hi = low - 0.5, high + 0.5
        elif low is not None or high is not None:
            lo = lo if low is None else max(lo, low)
            hi = hi if high is None else min(hi, high)
        d["_lo"], d["_hi"] = float(lo), float(hi)
        d["_flo"] = float(frozen.cdf(lo)) if np.isfinite(lo) else 0.0
        d["_fhi"] = float(frozen.cdf(hi)) if np.isfinite(hi) else 1.0
        d["_sfhi"] = float(frozen.sf(hi)) if np.isfinite(hi) else 0.0
        if self._scipy_discrete:
            d["_flo"], d["_fhi"], d["_sfhi"] = 0.0, 1.0, 0.0
        # Values at quantiles _EDGE and 1 - _EDGE: see _ppf.
        d["_xlo"], d["_xhi"] = self._lo, self._hi
        if not self._scipy_discrete and self._fhi > self._flo:
            with np.errstate(over="ignore", invalid="ignore"):
                x = self._quantile(np.array([_EDGE, 1.0 - _EDGE]))
            d["_xlo"], d["_xhi"] = np.clip(x, self._lo, self._hi).tolist()
        if not self._fhi > self._flo:
            name = type(self).__name__
            raise ValueError(
                f"The 'low' and 'high' parameters of {name} must enclose some "
                f"probability mass of the distribution. Got low={low!r} and "
                f"high={high!r} instead; widen them or move the centre of {self!r}."
            )
        if not self._scipy_discrete:  # its support may end at inf, which ppf never returns
            self._check_finite_ends()

    def _check_finite_ends(self):
        # Every draw lies between the values at quantiles _EDGE and 1 - _EDGE
        # (see _ppf); beyond the float range they are inf, which no estimator
        # can use: Normal(0, 1e308) drew inf one time in fourteen.
        for q, x in ((f"{_EDGE:g}", self._xlo), (f"1 - {_EDGE:g}", self._xhi)):
            if not np.isfinite(x):
                names = [f"{f!r}" for f in self._fields if getattr(self, f) is not None]
                params = f"{names[0]} parameter"
                if len(names) > 1:
                    params = f"{', '.join(names[:-1])} and {names[-1]} parameters"
                raise ValueError(
                    f"The {params} of {type(self).__name__} must keep the values at "
                    f"quantiles {_EDGE:g} and 1 - {_EDGE:g}, where draws end, within the "
                    f"float range (+-{np.finfo(float).max:.4g}). Got {self!r} instead, "
                    f"whose value at quantile {q} is {x!r}; narrow its spread."
                )

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} objects are immutable.")

    def __delattr__(self, name):
        raise AttributeError(f"{type(self).__name__} objects are immutable.")

    # value semantics ---------------------------------------------------------
    def __reduce__(self):
        # Rebuilt from the constructor arguments: pickles stay small and equal
        # for equal distributions (scipy's frozen objects carry caches), which
        # checkpoint fingerprints rely on.
        return (_rebuild, (type(self), {f: getattr(self, f) for f in self._fields}))

    def __getstate__(self):
        # skops.io saves an object by its __getstate__, pickle by __reduce__:
        # both keep the constructor arguments only (no scipy internals), and
        # a loaded distribution is rebuilt, and checked, by its constructor.
        return {f: getattr(self, f) for f in self._fields}

    def __setstate__(self, state):
        type(self).__init__(self, **state)

    def _key(self):
        return tuple(getattr(self, f) for f in self._fields)

    def __eq__(self, other):
        return type(self) is type(other) and self._key() == other._key()

    def __hash__(self):
        return hash((type(self).__name__, self._key()))

    def __repr__(self):
        args = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({args})"

    # the unit-interval maps -------------------------------------------------
    def ppf(self, u: ArrayLike) -> Any:
        """Map quantiles ``u`` in ``[0, 1]`` to parameter values.

        Parameters
        ----------
        u : float or array-like of float
            Quantiles.

        Returns
        -------
        x : scalar or ndarray
            A Python scalar for scalar input, else an array of ``u``'s shape.

        Examples
        --------
        >>> from sktune.distributions import Uniform
        >>> Uniform(0, 10).ppf(0.25)
        2.5
        >>> Uniform(0, 10).ppf([0.0, 0.5, 1.0])
        array([ 0.,  5., 10.])
        """
        u = np.asarray(u, dtype=float)
        out = self._ppf(np.clip(u, 0.0, 1.0))
        return _as_python_scalar(out[()]) if out.ndim == 0 else out

    def cdf(self, x: ArrayLike) -> Any:
        """Probability that a draw is ``<= x`` (scipy's ``cdf``).

        Parameters
        ----------
        x : float or array-like of float
            Values.

        Returns
        -------
        p : float or ndarray

        Examples
        --------
        >>> from sktune.distributions import Integer, Normal
        >>> Normal(0, 1).cdf(0.0)
        0.5
        >>> Integer(1, 4).cdf(2)  # two of the four values are <= 2
        0.5
        """
        x = np.asarray(x, dtype=float)
        if self._scipy_discrete:
            out = self._dist.cdf(np.floor(x))
        elif self._rounded:
            out = self._cont_cdf(np.floor(x) + 0.5)
        else:
            out = self._cont_cdf(x)
        out = np.asarray(out, dtype=float)
        return float(out) if out.ndim == 0 else out

    def to_unit(self, x: ArrayLike) -> Any:
        """Map values to the unit interval; the inverse of :meth:`ppf`.

        For continuous distributions this is :meth:`cdf`. For discrete ones it
        is the centre of the quantile interval that :meth:`ppf` maps onto
        ``x``, so ``ppf(to_unit(x)) == x`` exactly.

        Parameters
        ----------
        x : scalar or array-like
            Values in the support.

        Returns
        -------
        u : float or ndarray

        Examples
        --------
        >>> from sktune.distributions import Integer, LogUniform
        >>> round(LogUniform(1e-2, 1e2).to_unit(10.0), 6)
        0.75
        >>> dist = Integer(1, 4)
        >>> dist.to_unit(2), dist.ppf(dist.to_unit(2))
        (0.375, 2)
        """
        x = np.asarray(x, dtype=float)
        if self._scipy_discrete:
            out = 0.5 * (self._dist.cdf(x - 1) + self._dist.cdf(x))
        elif self._rounded:
            out = 0.5 * (self._cont_cdf(x - 0.5) + self._cont_cdf(x + 0.5))
        else:
            out = self._cont_cdf(x)
        out = np.asarray(out, dtype=float)
        return float(out) if out.ndim == 0 else out

    def _cont_cdf(self, x):
        x = np.clip(x, self._lo, self._hi)
        u = np.clip((self._dist.cdf(x) - self._flo) / (self._fhi - self._flo), 0, 1)
        # the inverse of the linear ends of _ppf; x - low overflows for the
        # values of Uniform(-1e308, 1e308) that np.where does not pick
        with np.errstate(over="ignore"):
            if np.isfinite(self._lo) and self._xlo > self._lo:
                u = np.where(x < self._xlo, _EDGE * (x - self._lo) / (self._xlo - self._lo), u)
            if np.isfinite(self._hi) and self._xhi < self._hi:
                u = np.where(
                    x > self._xhi, 1.0 - _EDGE * (self._hi - x) / (self._hi - self._xhi), u
                )
        return u

    def _quantile(self, q):
        """The value at quantile ``q`` of the (truncated) continuous distribution.

        The upper half goes through the survival function: scipy's
        ``beta(2, 0.5).ppf(1 - 1e-12)`` gives up with a RuntimeWarning where
        ``isf(1e-12)`` does not, and ``1 - q`` loses the digits that matter.
        """
        q = np.asarray(q, dtype=float)
        flat = q.reshape(-1)
        x = np.empty_like(flat)
        low = flat <= 0.5
        mass = self._fhi - self._flo
        # scipy's checks cost as much on an empty half as on a full one, and
        # a search decodes one value at a time (half of its decode time)
        ppf, isf = self._quantiles
        if low.any():
            x[low] = ppf(self._flo + flat[low] * mass)
        if not low.all():
            x[~low] = isf(self._sfhi + (1.0 - flat[~low]) * mass)
        return x.reshape(q.shape)

    def _ppf(self, u):
        if self._scipy_discrete:
            x = self._dist.ppf(np.clip(u, _EDGE, 1 - _EDGE))
            return x.astype(np.int64)
        # Quantiles stay inside [_EDGE, 1 - _EDGE] when scipy is asked:
        # ppf(0) of an unbounded end is -inf, which no estimator can use (an
        # optimizer reaching the edge of the cube gets the value at quantile
        # _EDGE instead, 7 sigma for a Normal), and scipy's root finding gives
        # up on subnormal quantiles (beta(3, 3).ppf(1e-308) is NaN, with a
        # RuntimeWarning). Beyond _EDGE a finite end is reached linearly, so
        # ppf(0) and ppf(1) are exactly the bounds; _cont_cdf inverts those
        # segments, so that encoding and decoding stay inverse maps there too.
        x = self._quantile(np.clip(u, _EDGE, 1.0 - _EDGE))
        # as in _cont_cdf, the rows np.where does not pick may overflow
        with np.errstate(over="ignore"):
            if np.isfinite(self._lo):
                x = np.where(u < _EDGE, self._lo + (self._xlo - self._lo) * (u / _EDGE), x)
            if np.isfinite(self._hi):
                x = np.where(
                    u > 1.0 - _EDGE, self._hi - (self._hi - self._xhi) * ((1.0 - u) / _EDGE), x
                )
        x = np.clip(x, self._lo, self._hi)
        if self._rounded:
            low, high = self._lo + 0.5, self._hi - 0.5
            return np.clip(np.rint(x), low, high).astype(np.int64)
        return x

    # sampling and grids -----------------------------------------------------
    def rvs(self, size: int | tuple[int, ...] | None = None,
            random_state: RandomStateLike = None) -> Any:
        """Draw random values, as scipy's frozen distributions do.

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
        >>> from sktune.distributions import LogUniform
        >>> dist = LogUniform(1e-3, 1e3)
        >>> x = dist.rvs(random_state=0)
        >>> type(x), x == dist.rvs(random_state=0)
        (<class 'float'>, True)
        >>> dist.rvs(size=(2, 3), random_state=0).shape
        (2, 3)
        """
        rng = check_random_state(random_state)
        return self.ppf(rng.uniform(size=size))

    def support(self) -> tuple[Any, ...]:
        """Return ``(low, high)``, the smallest and largest possible values.

        Returns
        -------
        low, high : int or float
            Integers for integer distributions; infinite for an unbounded
            end.

        Examples
        --------
        >>> from sktune.distributions import Integer, Normal
        >>> Integer(1, 5).support(), Normal(0, 1).support()
        ((1, 5), (-inf, inf))
        """
        if self._scipy_discrete:
            return tuple(int(v) if np.isfinite(v) else float(v) for v in self._dist.support())
        if self._rounded:
            return (int(self._lo + 0.5), int(self._hi - 0.5))
        return (float(self._lo), float(self._hi))

    @property
    def n_values(self) -> float:
        """Number of distinct values (``inf`` for continuous ones).

        Examples
        --------
        >>> from sktune.distributions import Integer, Uniform
        >>> Integer(1, 5).n_values, Uniform(0, 1).n_values
        (5, inf)
        """
        if not (self._scipy_discrete or self._rounded):
            return float("inf")
        low, high = self.support()
        return high - low + 1 if np.isfinite(high - low) else float("inf")

    @property
    def is_bounded(self) -> bool:
        """Whether both ends of the support are finite.

        Examples
        --------
        >>> from sktune.distributions import Normal, Uniform
        >>> Uniform(0, 1).is_bounded, Normal(0, 1).is_bounded
        (True, False)
        """
        low, high = self.support()
        return bool(np.isfinite(low) and np.isfinite(high))

    def grid(self, n: int) -> list[Any]:
        """Return at most ``n`` representative values, sorted and distinct.

        Bounded distributions include both end points (``LogUniform(1e-3, 1e3)``
        with ``n=7`` gives the powers of ten); unbounded ones use the centres
        of ``n`` equal-probability intervals.

        Parameters
        ----------
        n : int
            Number of points, at least 1.

        Returns
        -------
        values : list

        Examples
        --------
        >>> from sktune.distributions import LogUniform, Normal
        >>> LogUniform(1e-3, 1e3).grid(7)
        [0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0]
        >>> Normal(0, 1).grid(3)  # centres of three intervals of probability 1/3
        [-0.967421566102, 0.0, 0.967421566102]
        """
        n = _check_n(n)
        if self.is_integer and self.n_values <= n:
            low, high = self.support()
            return list(range(low, high + 1))
        u = _grid_quantiles(n, self.is_bounded)
        values = np.unique(self._ppf(u))
        if self.is_integer:
            return [int(v) for v in values]
        low, high = self.support()
        return sorted({_pretty(v, low, high) for v in values})


def _rebuild(cls, fields):
    return cls(**fields)


def _check_n(n):
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"The 'n' argument of grid must be an int >= 1. Got {n!r} instead.")
    return int(n)


def _grid_quantiles(n, bounded):
    if n == 1:
        return np.array([0.5])
    if bounded:
        return np.linspace(0.0, 1.0, n)
    return (np.arange(n) + 0.5) / n


def _direct_quantiles(frozen):
    """``(ppf, isf)`` of a scipy frozen continuous distribution without scipy's checks, or None.

    A search decodes one value at a time, and scipy's argument checks and
    broadcasting cost about 35 us of the 45 us of such a value. Inside
    ``(0, 1)`` scipy's answer is ``_ppf(q, *shapes) * scale + loc`` (and
    alike for ``isf``), the hooks a subclass of ``rv_continuous`` defines;
    these functions compute exactly that, and hand any quantile outside
    ``(0, 1)`` back to scipy.
    """
    dist = getattr(frozen, "dist", None)
    try:
        shapes, loc, scale = dist._parse_args(*frozen.args, **frozen.kwds)
        hooks = dist._ppf, dist._isf
    except (AttributeError, TypeError):
        return None
    shapes = tuple(np.asarray(a, dtype=float) for a in shapes)
    loc, scale = np.asarray(loc, dtype=float), np.asarray(scale, dtype=float)

    def direct(hook, public):
        def quantile(q):
            if not ((q > 0.0) & (q < 1.0)).all():
                return public(q)
            return hook(q, *shapes) * scale + loc

        return quantile

    return direct(hooks[0], frozen.ppf), direct(hooks[1], frozen.isf)
