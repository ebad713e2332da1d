"""Integer and categorical distributions."""

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from ._base import Distribution, _as_python_scalar, _check_n, _grid_quantiles
from ._checks import _fail, check_int


class Integer(Distribution):
    """Integers ``low, low + 1, ..., high`` (both included), optionally log-scaled.

    With ``log=True`` small values are as likely as large ones on a log scale
    (``n_estimators`` from 10 to 1000). Values come back as Python ``int``.

    Parameters
    ----------
    low, high : int
        Inclusive bounds, ``low < high`` (``low >= 1`` when ``log=True``),
        of absolute value below ``2**52``, where a float64 holds every
        integer exactly.
    log : bool, default=False
        Sample uniformly in ``log(x)``.

    Attributes
    ----------
    low, high : int
        The bounds, as given.
    log : bool
        Whether the distribution is log-scaled.

    Examples
    --------
    >>> from sktune.distributions import Integer
    >>> Integer(1, 1000, log=True).grid(4)
    [1, 10, 100, 1000]
    >>> type(Integer(1, 5).rvs(random_state=0))
    <class 'int'>
    """

    _fields = ("low", "high", "log")
    is_integer = True
    low: int
    high: int
    log: bool

    def __init__(self, low: int, high: int, log: bool = False) -> None:
        low = check_int("Integer", "low", low, minimum=1 if log else None, float_exact=True)
        high = check_int("Integer", "high", high, float_exact=True)
        if not low < high:
            raise ValueError(
                "The 'low' parameter of Integer must be smaller than 'high'. "
                f"Got low={low!r} and high={high!r} instead."
            )
        if not isinstance(log, (bool, np.bool_)):
            _fail("Integer", "log", "a bool", log, TypeError)
        self.__dict__.update(low=low, high=high, log=bool(log))
        # Integer k owns the interval [k - 0.5, k + 0.5) of the continuous
        # distribution, so every value gets its fair share of probability.
        if log:
            frozen = stats.loguniform(low - 0.5, high + 0.5)
        else:
            frozen = stats.uniform(loc=low - 0.5, scale=high - low + 1)
        self._setup(frozen, low=low, high=high, rounded=True)

    @property
    def is_log(self) -> bool:  # type: ignore[override]  # a read-only base attribute
        """Whether the values are log-scaled: the ``log`` argument.

        Examples
        --------
        >>> from sktune.distributions import Integer
        >>> Integer(1, 5).is_log, Integer(1, 1000, log=True).is_log
        (False, True)
        """
        return self.log

    def grid(self, n: int) -> list[Any]:
        """Return at most ``n`` integers from ``low`` to ``high``, sorted and distinct.

        Every value when there are at most ``n``; otherwise ``n`` points
        evenly spaced between the bounds (geometrically with ``log=True``),
        rounded, so that both bounds are included. Rounding may merge
        neighbours, which gives fewer than ``n`` values.

        Parameters
        ----------
        n : int
            Number of points, at least 1.

        Returns
        -------
        values : list of int

        Examples
        --------
        >>> from sktune.distributions import Integer
        >>> Integer(1, 5).grid(10), Integer(0, 100).grid(5)
        ([1, 2, 3, 4, 5], [0, 25, 50, 75, 100])
        >>> Integer(1, 1000, log=True).grid(4)
        [1, 10, 100, 1000]
        """
        n = _check_n(n)
        if self.n_values <= n:
            return list(range(self.low, self.high + 1))
        # Quantiles of the unrounded range, so the end points are exactly
        # low and high and a log grid gives 1, 10, 100, 1000.
        space = np.geomspace if self.log else np.linspace
        return sorted({int(v) for v in np.rint(space(self.low, self.high, n))})


def _same(a, b):
    """Equality that survives arrays and objects without ``__eq__``."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


class Categorical(Distribution):
    """A choice among arbitrary objects, optionally weighted.

    Choices come back as the very objects given (strings, ``None``,
    estimators...). The unit interval is split into one slice per choice,
    sized by its weight.

    Parameters
    ----------
    choices : sequence
        Non-empty sequence of distinct options. An option listed twice is
        refused: ``weights`` say how likely each one is (a plain list that
        repeats a value is turned into weights by
        :func:`~sktune.distributions.as_distribution`, as
        ``RandomizedSearchCV`` would weight it).
    weights : sequence of float or None, default=None
        Relative probabilities (normalised); uniform when ``None``.

    Attributes
    ----------
    choices : tuple
        The options, the very objects given.
    weights : tuple of float or None
        Probabilities summing to 1, or ``None`` for uniform.

    Examples
    --------
    >>> from sktune.distributions import Categorical
    >>> c = Categorical(["linear", "rbf", None])
    >>> c.ppf(0.9) is None
    True
    >>> c.grid(3)
    ['linear', 'rbf', None]
    """

    _fields = ("choices", "weights")
    choices: tuple[Any, ...]
    weights: Any
    _edges: np.ndarray
    is_categorical = True

    def __init__(self, choices: Sequence[Any],
                 weights: Sequence[float] | None = None) -> None:
        if isinstance(choices, (str, bytes)) or not isinstance(
            choices, (Sequence, np.ndarray, range)
        ):
            _fail("Categorical", "choices", "a list of options", choices, TypeError)
        choices = tuple(choices)
        if len(choices) == 0:
            _fail("Categorical", "choices", "a non-empty list of options", list(choices))
        if weights is not None:
            weights = _checked_weights(weights, len(choices))
        _check_distinct(choices, weights)
        if weights is not None:
            weights = _normalized(weights)
        self.__dict__.update(choices=choices, weights=weights)
        self.__dict__.update(
            _edges=_edges(len(choices), weights), _scipy_discrete=False, _rounded=False
        )

    def __reduce__(self):
        # Not through the constructor: normalising weights that already sum
        # to one can move their last digit, and a copy must equal the original.
        return (_rebuild_categorical, (self.choices, self.weights))

    def _key(self):
        return (len(self.choices), self.weights)

    def __eq__(self, other):
        return (
            type(other) is Categorical
            and self.weights == other.weights
            and len(self.choices) == len(other.choices)
            and all(_same(a, b) for a, b in zip(self.choices, other.choices))
        )

    __hash__ = Distribution.__hash__

    def __repr__(self):
        if self.weights is None:
            return f"Categorical({list(self.choices)!r})"
        return f"Categorical({list(self.choices)!r}, weights={list(self.weights)!r})"

    @property
    def n_values(self) -> float:
        """Number of choices that can be drawn (a zero weight excludes one).

        Examples
        --------
        >>> from sktune.distributions import Categorical
        >>> Categorical(["a", "b", "c"]).n_values
        3
        >>> Categorical(["a", "b", "c"], weights=[1, 1, 0]).n_values
        2
        """
        return len(self._drawable())

    def _drawable(self):
        # By the edges, not the weights: a weight of 1e-300 leaves its slice
        # of the unit interval empty, so ppf never returns that choice.
        return np.flatnonzero(np.diff(self._edges) > 0).tolist()

    @property
    def is_bounded(self) -> bool:
        """Always true: a categorical has finitely many values.

        Examples
        --------
        >>> from sktune.distributions import Categorical
        >>> Categorical(["rbf", "linear"]).is_bounded
        True
        """
        return True

    def index(self, x: object) -> int:
        """Position of the choice ``x`` in ``choices``.

        Parameters
        ----------
        x : object
            One of the choices.

        Returns
        -------
        index : int

        Raises
        ------
        ValueError
            If ``x`` is not one of the choices.

        Examples
        --------
        >>> from sktune.distributions import Categorical
        >>> Categorical(["rbf", "linear", None]).index(None)
        2
        """
        for i, c in enumerate(self.choices):
            if _same(c, x):
                return i
        raise ValueError(f"{x!r} is not one of the choices of {self!r}.")

    def _indices(self, u):
        idx = np.searchsorted(self._edges, u, side="right") - 1
        # u == 1 falls past the last edge: it belongs to the last choice that
        # can be drawn, not to a zero-weight one after it.
        return np.clip(idx, 0, self._drawable()[-1])

    def ppf(self, u: ArrayLike) -> Any:
        """Map quantiles ``u`` in ``[0, 1]`` to choices.

        The unit interval is cut into one slice per choice, in order, each
        as wide as the choice's weight; ``u`` picks the slice it falls in.

        Parameters
        ----------
        u : float or array-like of float
            Quantiles.

        Returns
        -------
        x : object or ndarray of object
            The very choice for scalar input, else an object array of
            ``u``'s shape.

        Examples
        --------
        >>> from sktune.distributions import Categorical
        >>> dist = Categorical(["a", "b", "c"], weights=[0.5, 0.25, 0.25])
        >>> dist.ppf(0.6)
        'b'
        >>> dist.ppf([0.1, 0.6, 0.9]).tolist()
        ['a', 'b', 'c']
        """
        u = np.asarray(u, dtype=float)
        idx = self._indices(np.clip(u, 0.0, 1.0))
        if idx.ndim == 0:
            return self.choices[int(idx)]
        out = np.empty(idx.shape, dtype=object)
        for pos, i in np.ndenumerate(idx):
            out[pos] = self.choices[i]
        return out

    def _positions(self, x):
        # A choice may itself be a tuple (hidden_layer_sizes=(50, 50)): a
        # value equal to a choice is that choice before it is a sequence.
        for i, c in enumerate(self.choices):
            if _same(c, x):
                return np.asarray(i)
        if isinstance(x, (list, tuple, np.ndarray)) and np.ndim(x) > 0:
            return np.array([self.index(v) for v in x])
        return np.asarray(self.index(x))

    def cdf(self, x: ArrayLike) -> Any:
        """Probability of drawing ``x`` or a choice listed before it.

        Parameters
        ----------
        x : object or sequence of objects
            One choice, or several; a value equal to a choice (a tuple
            choice such as ``(50, 50)``) is that choice.

        Returns
        -------
        p : float or ndarray

        Examples
        --------
        >>> from sktune.distributions import Categorical
        >>> dist = Categorical(["a", "b", "c"], weights=[0.5, 0.25, 0.25])
        >>> dist.cdf("b"), dist.cdf(["a", "c"]).tolist()
        (0.75, [0.5, 1.0])
        """
        out = self._edges[self._positions(x) + 1]
        return float(out) if np.ndim(out) == 0 else out

    def to_unit(self, x: ArrayLike) -> Any:
        """Centre of the slice of the unit interval that :meth:`ppf` maps to ``x``.

        So ``ppf(to_unit(x))`` is ``x`` again.

        Parameters
        ----------
        x : object or sequence of objects
            One choice, or several.

        Returns
        -------
        u : float or ndarray

        Examples
        --------
        >>> from sktune.distributions import Categorical
        >>> dist = Categorical(["a", "b", "c"], weights=[0.5, 0.25, 0.25])
        >>> dist.to_unit("b"), dist.ppf(dist.to_unit("b"))
        (0.625, 'b')
        >>> dist.to_unit(["a", "c"]).tolist()
        [0.25, 0.875]
        """
        i = self._positions(x)
        out = 0.5 * (self._edges[i] + self._edges[i + 1])
        return float(out) if np.ndim(out) == 0 else out

    def support(self) -> tuple[Any, ...]:
        """Return the tuple of choices.

        Returns
        -------
        choices : tuple
            The options, the very objects given.

        Examples
        --------
        >>> from sktune.distributions import Categorical
        >>> Categorical(["rbf", "linear"]).support()
        ('rbf', 'linear')
        """
        return self.choices

    def grid(self, n: int) -> list[Any]:
        """Return at most ``n`` choices, in the order given.

        Every choice that can be drawn, however rare, when there are at most
        ``n``; otherwise the choices whose slices of the unit interval hold
        the centres of ``n`` equal intervals (a heavy choice may hold
        several, which gives fewer than ``n`` choices).

        Parameters
        ----------
        n : int
            Number of choices, at least 1.

        Returns
        -------
        values : list

        Examples
        --------
        >>> from sktune.distributions import Categorical
        >>> dist = Categorical(["a", "b", "c"], weights=[0.5, 0.25, 0.25])
        >>> dist.grid(5), dist.grid(2)
        (['a', 'b', 'c'], ['a', 'c'])
        """
        n = _check_n(n)
        drawable = self._drawable()
        if n >= len(drawable):
            # Every choice that can be drawn, however small its weight: a
            # grid of quantile centres would drop the rare ones.
            return [self.choices[i] for i in drawable]
        picked = sorted(set(self._indices(_grid_quantiles(n, False)).tolist()))
        return [self.choices[i] for i in picked]


def _checked_weights(weights, n):
    """The weights as Python numbers, after checking they can weigh ``n`` choices."""
    w = np.asarray(weights, dtype=float) if _is_numeric_seq(weights) else None
    if w is None or w.shape != (n,):
        _fail("Categorical", "weights", f"a list of {n} numbers, one per choice", weights)
    with np.errstate(over="ignore"):
        total = w.sum()
    if not np.all(np.isfinite(w)) or np.any(w < 0) or total <= 0:
        _fail("Categorical", "weights", "finite and non-negative with a positive sum", weights)
    return [_as_python_scalar(x) for x in weights]


def _normalized(weights):
    w = np.asarray(weights, dtype=float)
    with np.errstate(over="ignore"):
        total = w.sum()
    if not np.isfinite(total):
        # finite weights whose sum overflows ([1e308, 1e308]): the plain
        # division gave zero weights and NaN slice edges
        w = w / w.max()
        total = w.sum()
    return tuple(float(x) for x in w / total)


def _first_positions(values):
    """For each value, the position of the first value equal to it (by ``_same``)."""
    first, hashed, unhashable = [], {}, []
    for i, v in enumerate(values):
        try:
            # by type too, as _same: max_features=1 and 1.0 differ
            j = hashed.setdefault((type(v), v), i)
        except (TypeError, ValueError):  # lists, arrays: compared one by one
            j = next((k for k in unhashable if _same(values[k], v)), i)
            if j == i:
                unhashable.append(i)
        first.append(j)
    return first


def _merge_repeats(values, weights=None):
    """The distinct values in the order first listed, each with its summed weight.

    Parameters
    ----------
    values : sequence
        Options, possibly repeated.
    weights : sequence of float or None, default=None
        One weight per value; ``None`` counts each listing as 1.

    Returns
    -------
    distinct : list
        The values, each once, the first listed object kept.
    summed : list
        Per distinct value, the sum of its weights (its count for ``None``).

    Examples
    --------
    >>> from sktune.distributions._discrete import _merge_repeats
    >>> _merge_repeats(["rbf", "linear", "rbf"])
    (['rbf', 'linear'], [2, 1])
    >>> _merge_repeats([1, 1.0, 1])  # 1.0 is another value for an estimator
    ([1, 1.0], [2, 1])
    """
    first = _first_positions(values)
    kept = {i: k for k, i in enumerate(sorted(set(first)))}
    summed = [0] * len(kept)
    for i, j in enumerate(first):
        summed[kept[j]] += 1 if weights is None else weights[i]
    return [values[i] for i in kept], summed


def _check_distinct(choices, weights):
    first = _first_positions(choices)
    if all(i == j for i, j in enumerate(first)):
        return
    repeated = choices[next(j for i, j in enumerate(first) if i != j)]
    distinct, summed = _merge_repeats(choices, weights)
    raise ValueError(
        "The 'choices' parameter of Categorical must list each option once. Got "
        f"{list(choices)!r} instead, which repeats {repeated!r}; to make an option "
        f"likelier, give it a larger weight: Categorical({distinct!r}, weights={summed!r})."
    )


def _edges(n, weights):
    """Cumulative slice edges of the unit interval, from 0 to exactly 1."""
    p = np.full(n, 1.0) if weights is None else np.array(weights)
    edges = np.concatenate([[0.0], np.cumsum(p)])
    # Dividing by the total makes the last edge exactly 1, and so every edge
    # after the last positive weight: a zero weight at the end keeps an empty
    # slice, where setting edges[-1] = 1.0 gave it a sliver of rounding error.
    return edges / edges[-1]


def _rebuild_categorical(choices, weights):
    obj = Categorical(choices)
    if weights is not None:
        obj.__dict__.update(weights=weights, _edges=_edges(len(choices), weights))
    return obj


def _is_numeric_seq(x):
    try:
        return all(
            isinstance(v, numbers.Real) and not isinstance(v, bool) for v in x
        )
    except TypeError:
        return False
