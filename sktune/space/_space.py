"""SearchSpace: parameter names -> distributions, and dicts <-> unit-cube rows."""

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..distributions import Categorical, as_distribution
from ._design import SAMPLERS, UnitDesign


class Dimension:
    """One axis of the unit cube.

    Parameters
    ----------
    name : str
        Parameter name (``"svc__C"``), or ``"<subspace>"`` for the axis that
        picks one of several conditional sub-spaces.
    distribution : Distribution
        Maps the axis to values.
    subspaces : tuple of int
        Indices of the sub-spaces in which the axis is active.

    Attributes
    ----------
    name, distribution, subspaces
        The arguments, as given (``subspaces`` grows while the space is
        parsed, when a later sub-space shares the axis).

    Examples
    --------
    >>> from sktune.distributions import LogUniform
    >>> from sktune.space import SearchSpace
    >>> space = SearchSpace([{"kernel": ["rbf"], "C": LogUniform(0.01, 100)},
    ...                      {"kernel": ["linear"], "C": LogUniform(0.01, 100)}])
    >>> space.dimensions[0], space.dimensions[0].subspaces
    (Dimension('<subspace>', Categorical([0, 1])), ())
    >>> space.dimensions[1], space.dimensions[1].subspaces
    (Dimension('C', LogUniform(low=0.01, high=100.0)), (0, 1))
    """

    __slots__ = ("name", "distribution", "subspaces")

    def __init__(self, name: str, distribution: Any, subspaces: tuple[int, ...]) -> None:
        self.name = name
        self.distribution = distribution
        self.subspaces = subspaces

    def __reduce__(self):
        # A class with __slots__ cannot be reduced by the protocol skops.io
        # uses (issue 18); rebuilt from its arguments, it can, and pickles too.
        return (type(self), (self.name, self.distribution, self.subspaces))

    def __repr__(self):
        return f"Dimension({self.name!r}, {self.distribution!r})"


def _check_structure(params, owner):
    if isinstance(params, Mapping):
        return [params]
    if isinstance(params, (list, tuple)) and params:
        for sub in params:
            if not isinstance(sub, Mapping):
                raise TypeError(
                    f"Each entry of {owner} must be a dict of parameter names to "
                    f"values. Got {sub!r} (of type {type(sub).__name__}) instead."
                )
        return list(params)
    raise TypeError(
        f"{owner} must be a dict or a non-empty list of dicts. "
        f"Got {params!r} (of type {type(params).__name__}) instead."
    )


class SearchSpace:
    """Named distributions, with maps between parameter dicts and unit-cube rows.

    A list of dicts gives conditional sub-spaces, as ``GridSearchCV``'s list
    of grids does; an extra categorical axis then picks the sub-space. A
    parameter that appears in several sub-spaces with the same distribution
    shares one axis.

    Parameters
    ----------
    param_distributions : dict or list of dict
        Parameter name -> distribution, list of values or scipy frozen
        distribution.
    owner : str, default="param_distributions"
        How to name the argument in error messages.

    Attributes
    ----------
    subspaces : list of dict
        Per sub-space, name -> :class:`~sktune.distributions.Distribution`,
        names sorted.
    dimensions : list of Dimension
        The axes of the unit cube.

    Examples
    --------
    >>> from sktune.distributions import LogUniform
    >>> from sktune.space import SearchSpace
    >>> space = SearchSpace({"svc__C": LogUniform(1e-2, 1e2), "svc__kernel": ["rbf", "linear"]})
    >>> space.n_dims
    2
    >>> space.decode([[0.5, 0.9]])
    [{'svc__C': 1.0, 'svc__kernel': 'linear'}]
    >>> space.encode([{"svc__C": 1.0, "svc__kernel": "linear"}])
    array([[0.5 , 0.75]])
    """

    def __init__(self, param_distributions: Mapping[str, Any] | Sequence[Mapping[str, Any]],
                 *, owner: str = "param_distributions") -> None:
        self.subspaces = []
        self.dimensions = []
        self._axes = []  # per sub-space: name -> axis index
        for k, sub in enumerate(_check_structure(param_distributions, owner)):
            coerced, axes = {}, {}
            for name in sorted(sub):
                if not isinstance(name, str):
                    raise TypeError(
                        f"Parameter names in {owner} must be strings. "
                        f"Got {name!r} instead."
                    )
                dist = as_distribution(sub[name], name=name, owner=owner)
                coerced[name] = dist
                axes[name] = self._axis_for(name, dist, k)
            self.subspaces.append(coerced)
            self._axes.append(axes)
        if len(self.subspaces) > 1:
            self.dimensions.append(
                Dimension("<subspace>", Categorical(list(range(len(self.subspaces)))), ())
            )
            self._axes = [{n: i + 1 for n, i in axes.items()} for axes in self._axes]
            self.dimensions = self.dimensions[-1:] + self.dimensions[:-1]

    def _axis_for(self, name, dist, k):
        for i, dim in enumerate(self.dimensions):
            if dim.name == name and dim.distribution == dist:
                dim.subspaces += (k,)
                return i
        self.dimensions.append(Dimension(name, dist, (k,)))
        return len(self.dimensions) - 1

    @property
    def n_dims(self) -> int:
        """Number of axes of the unit cube.

        Several sub-spaces add one axis, which picks the sub-space.

        Examples
        --------
        >>> from sktune.distributions import LogUniform
        >>> from sktune.space import SearchSpace
        >>> SearchSpace({"C": LogUniform(0.01, 100), "kernel": ["rbf", "linear"]}).n_dims
        2
        >>> SearchSpace([{"C": [1, 10]}, {"alpha": [0.1, 1.0]}]).n_dims
        3
        """
        return len(self.dimensions)

    @property
    def names(self) -> list[str]:
        """Sorted names of every parameter in any sub-space.

        Examples
        --------
        >>> from sktune.space import SearchSpace
        >>> SearchSpace([{"kernel": ["rbf"], "gamma": [0.1, 1.0]}, {"kernel": ["linear"]}]).names
        ['gamma', 'kernel']
        """
        return sorted({n for sub in self.subspaces for n in sub})

    @property
    def size(self) -> float:
        """Number of distinct candidates (``inf`` if any axis is continuous).

        Sub-spaces add up; within one, the numbers of values multiply.

        Examples
        --------
        >>> from sktune.distributions import Integer, LogUniform
        >>> from sktune.space import SearchSpace
        >>> SearchSpace([{"C": [1, 10, 100], "kernel": ["rbf", "poly"]},
        ...              {"C": Integer(1, 5), "kernel": ["linear"]}]).size
        11
        >>> SearchSpace({"C": LogUniform(0.01, 100)}).size
        inf
        """
        total: float = 0
        for sub in self.subspaces:
            total += math.prod(d.n_values for d in sub.values())
        return total

    def subspace_of(self, U: ArrayLike) -> np.ndarray:
        """Index of the sub-space each row of ``U`` decodes into.

        The first axis picks the sub-space when there are several; with one
        sub-space every row is in sub-space 0.

        Parameters
        ----------
        U : array-like of shape (n_points, n_dims)
            Rows in ``[0, 1]^n_dims``.

        Returns
        -------
        subspaces : ndarray of int of shape (n_points,)

        Examples
        --------
        >>> from sktune.space import SearchSpace
        >>> space = SearchSpace([{"C": [1, 10]}, {"alpha": [0.1, 1.0]}])
        >>> space.subspace_of([[0.2, 0.5, 0.5], [0.8, 0.5, 0.5]]).tolist()
        [0, 1]
        """
        U = np.atleast_2d(np.asarray(U, dtype=float))
        if len(self.subspaces) == 1:
            return np.zeros(len(U), dtype=int)
        return self.dimensions[0].distribution._indices(np.clip(U[:, 0], 0, 1))

    def active_mask(self, U: ArrayLike) -> np.ndarray:
        """Which axes each row uses: those of the sub-space it decodes into.

        Parameters
        ----------
        U : array-like of shape (n_points, n_dims)
            Rows in ``[0, 1]^n_dims``.

        Returns
        -------
        mask : ndarray of bool of shape (n_points, n_dims)
            True where the axis sets a parameter of the row's candidate (or
            picks its sub-space).

        Examples
        --------
        >>> from sktune.space import SearchSpace
        >>> space = SearchSpace([{"C": [1, 10]}, {"alpha": [0.1, 1.0]}])
        >>> [d.name for d in space.dimensions]
        ['<subspace>', 'C', 'alpha']
        >>> space.active_mask([[0.2, 0.5, 0.5], [0.8, 0.5, 0.5]]).tolist()
        [[True, True, False], [True, False, True]]
        """
        ks = self.subspace_of(U)
        mask = np.zeros((len(ks), self.n_dims), dtype=bool)
        for row, k in enumerate(ks):
            mask[row, list(self._axes[k].values())] = True
            if len(self.subspaces) > 1:
                mask[row, 0] = True
        return mask

    def decode(self, U: ArrayLike) -> list[dict[str, Any]]:
        """Map unit-cube rows to parameter dicts.

        Parameters
        ----------
        U : array-like of shape (n_points, n_dims)
            Rows in ``[0, 1]^n_dims``.

        Returns
        -------
        params : list of dict

        Examples
        --------
        >>> from sktune.distributions import Integer, LogUniform
        >>> from sktune.space import SearchSpace
        >>> space = SearchSpace({"C": LogUniform(0.01, 100), "degree": Integer(1, 4)})
        >>> space.decode([[0.0, 0.0], [0.5, 0.9]])
        [{'C': 0.01, 'degree': 1}, {'C': 1.0, 'degree': 4}]
        """
        U = np.asarray(U, dtype=float)
        # an empty space has one candidate, {}: its rows have no columns
        U = U.reshape(len(U), 0) if self.n_dims == 0 else U.reshape(-1, self.n_dims)
        out = []
        for row, k in zip(U, self.subspace_of(U)):
            axes = self._axes[k]
            out.append({n: d.ppf(row[axes[n]]) for n, d in self.subspaces[k].items()})
        return out

    def encode(self, params: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Map parameter dicts to unit-cube rows (inactive axes get 0.5).

        Parameters
        ----------
        params : list of dict
            Candidates, each from one sub-space.

        Returns
        -------
        U : ndarray of shape (n_points, n_dims)

        Examples
        --------
        >>> from sktune.distributions import LogUniform
        >>> from sktune.space import SearchSpace
        >>> space = SearchSpace([{"C": LogUniform(0.01, 100)}, {"alpha": [0.1, 1.0]}])
        >>> space.encode([{"C": 1.0}, {"alpha": 1.0}])
        array([[0.25, 0.5 , 0.5 ],
               [0.75, 0.5 , 0.75]])
        >>> space.decode(space.encode([{"C": 1.0}, {"alpha": 1.0}]))
        [{'C': 1.0}, {'alpha': 1.0}]
        """
        U = np.full((len(params), self.n_dims), 0.5)
        for row, p in enumerate(params):
            k = self._find_subspace(p)
            if len(self.subspaces) > 1:
                U[row, 0] = self.dimensions[0].distribution.to_unit(k)
            for n, d in self.subspaces[k].items():
                U[row, self._axes[k][n]] = d.to_unit(p[n])
        return U

    def _find_subspace(self, p):
        # Sub-spaces may share their names and differ in values only
        # ([{"C": [1, 2]}, {"C": [10, 20]}]), so the values decide too.
        # An int is looked for in integer axes first, so that {"C": 3} from
        # Integer(1, 5) does not come back as 3.0 from a LogUniform(1, 10).
        named = [k for k, sub in enumerate(self.subspaces) if set(sub) == set(p)]
        if len(named) == 1:
            # nothing to choose between: skip the strict checks' round trips
            named_only = self.subspaces[named[0]]
            if all(_contains(d, p[n]) for n, d in named_only.items()):
                return named[0]
        for strict in (True, False):
            for k in named:
                if all(_contains(d, p[n], strict) for n, d in self.subspaces[k].items()):
                    return k
        if not named:
            raise ValueError(f"{p!r} does not match the parameter names of any sub-space.")
        raise ValueError(f"{p!r} is outside the support of every sub-space with its names.")

    def design(self, method: str, random_state: np.random.RandomState) -> UnitDesign:
        """A :class:`UnitDesign` stream over this space's cube.

        Parameters
        ----------
        method : {"random", "sobol", "lhs"}
            Sampler.
        random_state : numpy.random.RandomState
            Source of randomness.

        Returns
        -------
        design : UnitDesign

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.space import SearchSpace
        >>> space = SearchSpace({"C": [1, 10, 100], "kernel": ["rbf", "linear"]})
        >>> rows = space.design("lhs", np.random.RandomState(0)).draw(4)
        >>> rows.shape
        (4, 2)
        >>> sorted((rows * 4).astype(int)[:, 0].tolist())  # one row per quarter
        [0, 1, 2, 3]
        """
        if method not in SAMPLERS:
            raise ValueError(
                f"The 'method' argument of SearchSpace.design must be one of {SAMPLERS}. "
                f"Got {method!r} instead."
            )
        return UnitDesign(self.n_dims, method, random_state)

    def sample_params(self, random_state: np.random.RandomState) -> dict[str, Any]:
        """Draw one candidate with each distribution's ``rvs``.

        The order of draws is scikit-learn's ``ParameterSampler`` order (pick a
        sub-space, then parameters by sorted name), so the same
        ``random_state`` gives the same candidates as ``RandomizedSearchCV``.

        Parameters
        ----------
        random_state : numpy.random.RandomState
            Source of randomness; advanced in place.

        Returns
        -------
        params : dict

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.model_selection import ParameterSampler
        >>> from sktune.distributions import LogUniform
        >>> from sktune.space import SearchSpace
        >>> grid = {"C": LogUniform(0.01, 100), "kernel": ["rbf", "linear"]}
        >>> rng = np.random.RandomState(0)
        >>> ours = [SearchSpace(grid).sample_params(rng) for _ in range(3)]
        >>> ours[0]
        {'C': 1.568, 'kernel': 'linear'}
        >>> ours == list(ParameterSampler(grid, 3, random_state=0))
        True
        """
        sub = self.subspaces[random_state.choice(len(self.subspaces))]
        out = {}
        for name, dist in sub.items():
            if isinstance(dist, Categorical) and dist.weights is None:
                out[name] = dist.choices[random_state.randint(len(dist.choices))]
            else:
                out[name] = dist.rvs(random_state=random_state)
        return out

    def __repr__(self):
        if len(self.subspaces) == 1:
            return f"SearchSpace({self.subspaces[0]!r})"
        return f"SearchSpace({self.subspaces!r})"


def _contains(dist, value, strict=False):
    """Whether ``value`` is one of the values ``dist`` can take.

    With ``strict``, the kind must match too: an integral value for an
    integer distribution, a non-integral type for a continuous one; and a
    continuous value must come back from its unit coordinate. Far in a
    tail (7.5 under a standard Normal) it cannot, as the coordinate is kept
    off 0 and 1: a sub-space that holds the value exactly is then preferred.
    """
    if isinstance(dist, Categorical):
        try:
            dist.index(value)
        except ValueError:
            return False
        return True
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    if strict and dist.is_integer != isinstance(value, numbers.Integral):
        return False
    low, high = dist.support()
    if dist.is_integer:
        # Far in a scipy tail (39 under poisson(2)) to_unit rounds to 1 and
        # the value cannot come back; another sub-space may hold it.
        return bool(
            value == math.floor(value)
            and low <= value <= high
            and dist.ppf(dist.to_unit(value)) == value
        )
    if not low <= value <= high:
        return False
    return not strict or math.isclose(
        dist.ppf(dist.to_unit(value)), value, rel_tol=1e-9, abs_tol=1e-12
    )


def _freeze(value):
    """A hashable stand-in for one parameter value."""
    if isinstance(value, np.ndarray):
        return ("ndarray", value.dtype.str, value.shape, value.tobytes())
    try:
        hash(value)
    except TypeError:
        return ("repr", type(value).__name__, repr(value))
    return value


def candidate_key(params: Mapping[str, Any]) -> tuple[Any, ...]:
    """A hashable key that is equal for equal candidates.

    Parameters
    ----------
    params : dict
        One candidate.

    Returns
    -------
    key : tuple

    Examples
    --------
    >>> from sktune.space import candidate_key
    >>> candidate_key({"a": 1, "b": [2]}) == candidate_key({"b": [2], "a": 1})
    True
    """
    return tuple(sorted((name, _freeze(v)) for name, v in params.items()))
