"""Partial dependence of a Gaussian-process surrogate fitted to a search's scores.

Method: J. H. Friedman, "Greedy function approximation: a gradient boosting
machine", Annals of Statistics 29(5), 2001, section 8.2: the partial
dependence of ``f`` on parameter ``j`` at value ``v`` is the mean of
``f(x)`` over the observed points ``x`` with their ``j``-th coordinate set
to ``v``. scikit-optimize's ``plot_objective`` draws the same quantity for
its surrogate. Here ``f`` is sktune's own :class:`GaussianProcess` (the
surrogate of :class:`~sktune.optimizers.BayesOptimizer`), fitted to the
finite scores of the full-budget rows.

Encoding: a numeric parameter goes to ``[0, 1]`` as on the plot axes (log
parameters in log space), a categorical one to a one-hot block (as the
optimizer's own encoder does, so that the kernel does not order the
categories); a candidate that does not set a parameter sits at -0.25 (one
extra value below the range, as for the importances) or has an all-zero
block.
"""

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.utils import check_random_state

from .._typing import RandomStateLike, SearchLike
from ..optimizers import GaussianProcess
from ._importance import _ABSENT
from ._results import SearchResults

# Exact GP fits cost O(n^3): past this many points a seeded subset is used.
# On a loaded 2-core machine 200 points took about 3 s per dashboard refresh,
# 100 points 0.2 to 1.7 s (4 parameters, 2000 candidates).
_MAX_POINTS = 100


@dataclass(frozen=True, eq=False)
class PartialDependence:
    """The partial dependence of the surrogate on one parameter.

    Attributes
    ----------
    name : str
        Parameter name.
    kind : {"log", "linear", "categorical"}
        How the parameter's axis is drawn.
    values : list
        The grid, in the parameter's own units (the categories themselves
        for a categorical parameter).
    mean : ndarray of shape (n_values,)
        Surrogate mean averaged over the observed points, in score units.
    std : ndarray of shape (n_values,)
        Surrogate standard deviation averaged over the same points.

    Examples
    --------
    >>> import numpy as np
    >>> from sktune.report import PartialDependence
    >>> dep = PartialDependence("C", "log", [0.1, 1.0, 10.0], np.array([0.7, 0.9, 0.8]),
    ...                         np.array([0.05, 0.02, 0.04]))
    >>> dep.values[int(np.argmax(dep.mean))]
    1.0
    """

    name: str
    kind: str
    values: list[Any]
    mean: np.ndarray
    std: np.ndarray


def _columns(res, names):
    """Encoded columns of each parameter, and the encoder of its grid values."""
    blocks, encoders = [], []
    for name in names:
        axis = res.axis(name)
        if axis.is_categorical:
            def encode(values, axis=axis):
                idx = axis.coords(values)
                block = np.zeros((len(values), len(axis.levels)))
                ok = ~np.isnan(idx)
                block[np.flatnonzero(ok), idx[ok].astype(int)] = 1.0
                return block
        else:
            def encode(values, axis=axis):
                u = axis.unit(values)
                return np.where(np.isnan(u), _ABSENT, u)[:, None]
        blocks.append(encode(res.values(name)))
        encoders.append(encode)
    return blocks, encoders


def _grid(axis, values, n_points):
    if axis.is_categorical:
        return list(axis.levels)
    if not axis.high > axis.low:  # one value tried: nothing to vary
        return [axis.low]
    if axis.is_log:
        grid = np.geomspace(axis.low, axis.high, n_points)
    else:
        grid = np.linspace(axis.low, axis.high, n_points)
    integral = [v for v in values if isinstance(v, numbers.Integral)]
    if integral and len(integral) == len([v for v in values if isinstance(v, numbers.Real)]):
        return [int(v) for v in np.unique(np.round(grid))]
    return [float(v) for v in grid]


def _check_int(name, value, minimum, func):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(
            f"The '{name}' parameter of {func} must be an int >= {minimum}. "
            f"Got {value!r} instead."
        )


def partial_dependence(search: SearchLike, metric: str | None = None, *, n_points: int = 40,
                       min_points: int = 5, random_state: RandomStateLike = 0,
                       func: str = "partial_dependence") -> dict[str, PartialDependence]:
    """Partial dependence of a Gaussian-process surrogate of the score on each parameter.

    sktune's :class:`~sktune.optimizers.GaussianProcess` is fitted to the
    (parameters, score) pairs of the full-budget candidates with a finite
    score; for each parameter, its mean and standard deviation are averaged
    over those candidates with the parameter set to each value of a grid
    (Friedman 2001; the view of scikit-optimize's ``plot_objective``).

    Parameters
    ----------
    search : fitted search or dict
        Any fitted search with ``cv_results_``, or a ``cv_results_`` dict.
    metric : str or None, default=None
        Metric to model; ``None`` for the refit metric.
    n_points : int, default=40
        Grid values of a numeric parameter, evenly spaced in its own units
        (in log space for a log parameter) between its smallest and largest
        observed value; an integer parameter keeps the distinct integers.
        A categorical parameter has one value per category.
    min_points : int, default=5
        Fewest finite full-budget scores to fit the surrogate to; with fewer
        the result is empty.
    random_state : int, RandomState instance or None, default=0
        Seed of the surrogate's fit (and of the subset of 100 points used
        for larger searches).
    func : str, default="partial_dependence"
        The function named in error messages.

    Returns
    -------
    dependence : dict of str -> PartialDependence
        Parameter name -> its partial dependence, in the order of the
        parameters; empty with fewer than ``min_points`` finite scores.

    Examples
    --------
    >>> import numpy as np
    >>> from sktune.report import partial_dependence
    >>> rng = np.random.RandomState(0)
    >>> C, k = 10 ** rng.uniform(-2, 2, 30), ["a", "b"] * 15
    >>> results = {"params": [{"C": c, "k": s} for c, s in zip(C, k)],
    ...            "mean_test_score": -np.log10(C) ** 2 + (np.array(k) == "b")}
    >>> dep = partial_dependence(results)
    >>> dep["C"].kind, len(dep["C"].values), dep["k"].values
    ('log', 40, ['a', 'b'])
    >>> bool(abs(np.log10(dep["C"].values[np.argmax(dep["C"].mean)])) < 0.3)
    True
    >>> bool(dep["k"].mean[1] > dep["k"].mean[0])
    True
    """
    res = SearchResults.from_search(search, func)
    metric = res.check_metric(metric, func)
    _check_int("n_points", n_points, 2, func)
    _check_int("min_points", min_points, 2, func)
    names = list(res.tuned_names)
    y = res.scores(metric)
    ok = np.flatnonzero(np.isfinite(y))
    if len(ok) < min_points or not names:
        return {}
    rng = check_random_state(random_state)
    if len(ok) > _MAX_POINTS:
        ok = np.sort(rng.choice(ok, _MAX_POINTS, replace=False))
    blocks, encoders = _columns(res, names)
    Z = np.hstack(blocks)[ok]
    center, scale = y[ok].mean(), y[ok].std() or 1.0
    gp = GaussianProcess(n_restarts=1, random_state=rng).fit(Z, (y[ok] - center) / scale)
    out, start = {}, 0
    for name, block, encode in zip(names, blocks, encoders):
        cols = slice(start, start + block.shape[1])
        start = cols.stop
        axis = res.axis(name)
        grid = _grid(axis, res.values(name), n_points)
        # every observed point, with the parameter set to each grid value in turn
        Zg = np.repeat(Z[None], len(grid), axis=0)
        Zg[:, :, cols] = encode(grid)[:, None, :]
        mean, std = gp.predict(Zg.reshape(-1, Z.shape[1]), return_std=True)
        out[name] = PartialDependence(
            name, axis.kind, grid,
            center + scale * mean.reshape(len(grid), -1).mean(axis=1),
            scale * std.reshape(len(grid), -1).mean(axis=1))
    return out
