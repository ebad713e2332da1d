"""ParamAxis: how one parameter is laid out on a plot axis, from its values and its space."""

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..space import candidate_key
from ._values import MISSING, is_number, label

# Without a search space to say how values were drawn, a log axis needs
# values spanning at least this ratio (two decades): [10, 50, 100] reads
# better on a linear axis than on a log one.
_LOG_RATIO = 100.0


def _looks_log(values):
    """Whether positive values spanning decades sit more evenly on a log axis.

    Uniform draws on (0, 1) span decades too (their smallest is near 0), so
    the ratio alone is not enough: the median must also be nearer the middle
    of the range in log space than in linear space, as it is for log-spaced
    grids ([0.01, 1, 100]) and log-uniform draws.
    """
    v = np.unique(np.asarray(values, dtype=float))
    if len(v) < 2 or v[0] <= 0 or v[-1] / v[0] < _LOG_RATIO:
        return False
    if len(v) == 2:
        return True
    med = np.median(v)
    lin = (med - v[0]) / (v[-1] - v[0])
    log = (np.log(med) - np.log(v[0])) / (np.log(v[-1]) - np.log(v[0]))
    return abs(log - 0.5) < abs(lin - 0.5)


class ParamAxis:
    """How one parameter is laid out on a plot axis.

    Parameters
    ----------
    name : str
        Parameter name.
    kind : {"log", "linear", "categorical"}
        Axis type.
    levels : list, default=()
        The categories in axis order (``kind="categorical"`` only).
    low, high : float, default=nan
        Range of the finite values (numeric kinds only).

    Attributes
    ----------
    labels : list of str
        Text for each level.

    Examples
    --------
    >>> from sktune.report import ParamAxis
    >>> axis = ParamAxis("C", "log", low=0.01, high=100)
    >>> axis.unit([0.01, 1.0, 100.0]).tolist()
    [0.0, 0.5, 1.0]
    >>> kernel = ParamAxis("kernel", "categorical", levels=["rbf", "linear", None])
    >>> kernel.coords(["linear", None]).tolist(), kernel.labels
    ([1.0, 2.0], ['rbf', 'linear', 'None'])
    """

    def __init__(self, name: str, kind: str, levels: Sequence[Any] = (),
                 low: float = np.nan, high: float = np.nan) -> None:
        self.name = name
        self.kind = kind
        self.levels = list(levels)
        self.low = float(low)
        self.high = float(high)
        self._keys = [candidate_key({"v": v}) for v in self.levels]
        self.labels = [label(v, width=20) for v in self.levels]

    @property
    def is_log(self) -> bool:
        """Whether values are shown on a log axis.

        Examples
        --------
        >>> from sktune.report import ParamAxis
        >>> ParamAxis("C", "log", low=0.01, high=100).is_log
        True
        >>> ParamAxis("alpha", "linear", low=0, high=1).is_log
        False
        """
        return self.kind == "log"

    @property
    def is_categorical(self) -> bool:
        """Whether values are shown as labelled ticks.

        Examples
        --------
        >>> from sktune.report import ParamAxis
        >>> ParamAxis("kernel", "categorical", levels=["rbf", "linear"]).is_categorical
        True
        >>> ParamAxis("C", "log", low=0.01, high=100).is_categorical
        False
        """
        return self.kind == "categorical"

    def coords(self, values: Sequence[Any]) -> np.ndarray:
        """Data coordinates of ``values``: the value itself, or a level's index.

        Parameters
        ----------
        values : sequence
            Parameter values; :data:`MISSING` and non-finite numbers give NaN.

        Returns
        -------
        x : ndarray of shape (n_values,)

        Examples
        --------
        A numeric axis keeps the values (a log axis drops those <= 0); a
        categorical one gives each level's index:

        >>> from sktune.report import MISSING, ParamAxis
        >>> ParamAxis("C", "log", low=0.01, high=100).coords([0.1, MISSING, -1.0]).tolist()
        [0.1, nan, nan]
        >>> kernel = ParamAxis("kernel", "categorical", levels=["rbf", "linear"])
        >>> kernel.coords(["linear", "rbf", "poly"]).tolist()
        [1.0, 0.0, nan]
        """
        out = np.full(len(values), np.nan)
        for i, v in enumerate(values):
            if v is MISSING:
                continue
            if self.is_categorical:
                key = candidate_key({"v": v})
                out[i] = self._keys.index(key) if key in self._keys else np.nan
            elif is_number(v):
                out[i] = float(v)
        if self.kind == "log":
            out[~(out > 0)] = np.nan
        return out

    def unit(self, values: Sequence[Any]) -> np.ndarray:
        """Positions of ``values`` in ``[0, 1]`` along the axis (NaN when absent).

        Parameters
        ----------
        values : sequence
            Parameter values.

        Returns
        -------
        u : ndarray of shape (n_values,)

        Examples
        --------
        >>> from sktune.report import ParamAxis
        >>> ParamAxis("C", "log", low=0.01, high=100).unit([0.01, 1.0, 100.0]).tolist()
        [0.0, 0.5, 1.0]
        >>> ParamAxis("alpha", "linear", low=0, high=2).unit([0.5, 2.0]).tolist()
        [0.25, 1.0]
        >>> ParamAxis("kernel", "categorical", levels=["rbf", "linear"]).unit(["linear"]).tolist()
        [1.0]
        """
        x = self.coords(values)
        if self.is_categorical:
            n = len(self.levels)
            return x / (n - 1) if n > 1 else np.where(np.isnan(x), np.nan, 0.5)
        lo, hi = self.low, self.high
        if self.kind == "log":
            x, lo, hi = np.log10(x), np.log10(lo), np.log10(hi)
        if not hi > lo:
            return np.where(np.isnan(x), np.nan, 0.5)
        return (x - lo) / (hi - lo)

    def __repr__(self):
        if self.is_categorical:
            return f"ParamAxis({self.name!r}, 'categorical', levels={self.labels!r})"
        return f"ParamAxis({self.name!r}, {self.kind!r}, low={self.low:g}, high={self.high:g})"


def space_distributions(space, name):
    if space is None:
        return []
    return [sub[name] for sub in getattr(space, "subspaces", []) if name in sub]


def make_axis(name, values, dists):
    present = [v for v in values if v is not MISSING]
    numeric = [float(v) for v in present if is_number(v)]
    finite = [v for v in numeric if np.isfinite(v)]
    all_numeric = len(numeric) == len(present) and bool(finite)
    declared = [d for d in dists if not getattr(d, "is_categorical", False)]
    if all_numeric:
        low, high = min(finite), max(finite)
        if declared:
            # the search space says how the values were drawn
            is_log = any(getattr(d, "is_log", False) for d in declared)
        else:
            is_log = _looks_log(finite)
        return ParamAxis(name, "log" if is_log else "linear", low=low, high=high)
    # categorical: a declared list's order, else numbers sorted then the rest as met
    levels, keys = [], set()
    ordered = [c for d in dists if getattr(d, "is_categorical", False) for c in d.choices]
    ordered += sorted((v for v in present if is_number(v)), key=float)
    ordered += [v for v in present if not is_number(v)]
    seen_now = {candidate_key({"v": v}) for v in present}
    for v in ordered:
        key = candidate_key({"v": v})
        if key in seen_now and key not in keys:
            keys.add(key)
            levels.append(v)
    return ParamAxis(name, "categorical", levels=levels)
