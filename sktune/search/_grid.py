"""GridSearch: GridSearchCV's exhaustive search, with distributions as grids."""

import numbers
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import numpy as np

from .._compat import Interval, ParameterGrid
from ..distributions import (
    Distribution,
    as_distribution,
    check_not_skopt_shorthand,
    from_foreign,
    is_scipy_frozen,
)
from ..space import SearchSpace
from ..space._space import _check_structure
from ._base import BaseSearch, FixedProposer, Scoring
from ._checks import MAX_CANDIDATES
from ._validation import check_space


def expand_grid(
    param_grid: Mapping[str, Any] | Sequence[Mapping[str, Any]], n_points: int,
    *, owner: str = "param_grid",
) -> dict[str, list[Any]] | list[dict[str, list[Any]]]:
    """Replace each distribution in ``param_grid`` by its ``grid(n_points)``.

    Parameters
    ----------
    param_grid : dict or list of dict
        Values are lists or distributions.
    n_points : int
        Points per distribution.
    owner : str, default="param_grid"
        How to name the argument in error messages.

    Returns
    -------
    grid : dict or list of dict
        The same structure holding lists only.

    Examples
    --------
    >>> from sktune.distributions import LogUniform
    >>> from sktune.search import expand_grid
    >>> expand_grid({"C": LogUniform(0.1, 10), "kernel": ["rbf"]}, 3)
    {'C': [0.1, 1.0, 10.0], 'kernel': ['rbf']}
    """

    def one(grid):
        if not isinstance(grid, dict):
            return grid
        out = {}
        for name, value in grid.items():
            if (
                isinstance(value, Distribution)
                or is_scipy_frozen(value)
                or from_foreign(value) is not None
            ):
                value = as_distribution(value, name=name, owner=owner).grid(n_points)
            else:
                check_not_skopt_shorthand(value, name, owner)
            out[name] = value
        return out

    if isinstance(param_grid, dict):
        return one(param_grid)
    if isinstance(param_grid, (list, tuple)):
        return [one(g) for g in param_grid]
    return param_grid  # type: ignore[return-value]  # refused later by the grid's own check


def _grid_size(param_grid, n_points, owner):
    """Candidates in ``expand_grid(param_grid, n_points)``, counted without expanding it.

    A distribution gives at most ``n_points`` values (fewer when it has fewer
    values); a value that is not a sequence counts once and is left for
    ``ParameterGrid`` to refuse.
    """
    total = 0
    for grid in _check_structure(param_grid, owner):
        count = 1
        for name, value in grid.items():
            if isinstance(value, Distribution) or is_scipy_frozen(value):
                count *= min(n_points, as_distribution(value, name=name, owner=owner).n_values)
            elif hasattr(value, "__len__"):
                count *= len(value)
        total += count
    return total


def check_grid_size(param_grid, n_points, search):
    """Raise if the grid holds more than ``MAX_CANDIDATES`` candidates.

    The message names ``n_points`` when fewer points per distribution would
    do, else ``param_grid``.

    Parameters
    ----------
    param_grid : dict or list of dict
        Values are lists or distributions.
    n_points : int
        Points per distribution.
    search : str
        Class name of the search, for the message.

    Returns
    -------
    None

    Raises
    ------
    ValueError
        If the grid is too large.

    Examples
    --------
    >>> from sktune.distributions import Uniform
    >>> from sktune.search._grid import check_grid_size
    >>> check_grid_size({"a": Uniform(0, 1), "b": [1, 2]}, 5, "GridSearch")
    >>> check_grid_size({"a": Uniform(0, 1), "b": Uniform(0, 1)}, 10**6, "GridSearch")
    Traceback (most recent call last):
    ...
    ValueError: The 'n_points' parameter of GridSearch must keep the grid within 1000000 ...
    """
    owner = f"param_grid of {search}"
    size = _grid_size(param_grid, n_points, owner)
    if size <= MAX_CANDIDATES:
        return
    if _grid_size(param_grid, 1, owner) <= MAX_CANDIDATES:
        raise ValueError(
            f"The 'n_points' parameter of {search} must keep the grid within "
            f"{MAX_CANDIDATES} candidates, the most a search lists before it fits. Got "
            f"{n_points!r} instead, which makes a grid of {size} candidates; lower n_points "
            "or draw the candidates with RandomSearch."
        )
    raise ValueError(
        f"The 'param_grid' parameter of {search} must hold at most {MAX_CANDIDATES} "
        f"candidates, the most a search lists before it fits. Got a grid of {size} "
        "candidates instead; split it, or draw from it with RandomSearch."
    )


class GridSearch(BaseSearch):
    """Exhaustive search over a grid, a drop-in for ``GridSearchCV``.

    Takes the same arguments as :class:`sklearn.model_selection.GridSearchCV`
    and behaves the same; a value of ``param_grid`` may also be an sktune or
    scipy distribution, which is replaced by ``n_points`` of its quantiles
    (``LogUniform(1e-3, 1e3)`` gives log-spaced values).

    Parameters
    ----------
    estimator : estimator object
        The estimator to tune.
    param_grid : dict or list of dict
        Parameter names (``"svc__C"`` in a pipeline) -> lists of values or
        distributions. A list of dicts searches each grid in turn.
    n_points : int, default=5
        Points taken from each distribution. The grid may hold at most
        ``10**6`` candidates.
    scoring : str, callable, list, tuple or dict, default=None
        As in ``GridSearchCV``.
    n_jobs : int, default=None
        Number of jobs to run in parallel.
    refit : bool, str or callable, default=True
        Refit the best estimator on the whole data.
    cv : int, cross-validation generator or iterable, default=None
        Splitting strategy (5-fold by default).
    verbose : int, default=0
        Verbosity, as in ``GridSearchCV``.
    pre_dispatch : int or str, default="2*n_jobs"
        Jobs dispatched ahead.
    error_score : "raise" or float, default=np.nan
        Score given to a failed fit.
    return_train_score : bool, default=False
        Also record training scores.
    checkpoint : str, path-like or None, default=None
        SQLite file where every candidate is recorded as it finishes. Fitting
        again with the same file and data resumes: recorded candidates are
        not fitted again, and a larger budget continues the search.
    max_time : float or None, default=None
        Seconds of wall time after which no new candidate starts.
        Without ``fit_timeout``, the fits running then finish: the search
        may run over by as long as its slowest candidate takes. With
        ``fit_timeout``, they are stopped when the time is up (and their
        candidates dropped), so it ends within one fit's timeout of the limit.
    n_iter_no_change : int or None, default=None
        Stop once this many candidates in a row have not improved the best
        score by more than ``tol``.
    tol : float, default=0.0
        Smallest improvement that resets ``n_iter_no_change``.
    fit_timeout : float or None, default=None
        Seconds each fit, with its scoring, may take: a fit still running
        then is stopped (its process killed, even inside a C call), scored
        ``error_score``, and the search goes on; not under Dask or Ray. See
        :ref:`fit-timeout`.

    Attributes
    ----------
    cv_results_ : dict of ndarray
        One entry per candidate, as in ``GridSearchCV``.
    best_estimator_ : estimator
        Refitted on the whole data (when ``refit``).
    best_score_ : float
        Mean cross-validated score of the best candidate.
    best_params_ : dict
        Parameters of the best candidate.
    best_index_ : int
        Index of the best candidate in ``cv_results_``.
    scorer_ : function or dict
        Scorer(s) used.
    n_splits_ : int
        Number of cross-validation splits.
    refit_time_ : float
        Seconds spent refitting.
    multimetric_ : bool
        Whether several metrics were evaluated.
    search_space_ : SearchSpace
        The parsed grid.
    stop_reason_ : str
        Why the search ended: ``"completed"``, ``"max_time"``,
        ``"n_iter_no_change"`` or ``"callback"``.
    n_reused_ : int
        Candidates taken from the checkpoint instead of being fitted.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sktune import GridSearch
    >>> from sktune.distributions import LogUniform
    >>> X, y = load_iris(return_X_y=True)
    >>> search = GridSearch(SVC(), {"C": LogUniform(0.01, 100)}, n_points=5, cv=3)
    >>> search.fit(X, y).best_params_
    {'C': 10.0}
    """

    _parameter_constraints: dict = {
        **BaseSearch._parameter_constraints,
        "param_grid": [dict, list],
        "n_points": [Interval(numbers.Integral, 1, None, closed="left")],
    }
    _space_param = "param_grid"

    def __init__(
        self,
        estimator: object,
        param_grid: dict | list,
        *,
        n_points: int = 5,
        scoring: Scoring = None,
        n_jobs: int | None = None,
        refit: bool | str | Callable = True,
        cv: object = None,
        verbose: int = 0,
        pre_dispatch: int | str = "2*n_jobs",
        error_score: float | Literal["raise"] = np.nan,
        return_train_score: bool = False,
        checkpoint: str | os.PathLike | None = None,
        max_time: float | None = None,
        n_iter_no_change: int | None = None,
        tol: float = 0.0,
        fit_timeout: float | None = None,
    ) -> None:
        super().__init__(
            estimator,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            error_score=error_score,
            return_train_score=return_train_score,
            checkpoint=checkpoint,
            max_time=max_time,
            n_iter_no_change=n_iter_no_change,
            tol=tol,
            fit_timeout=fit_timeout,
        )
        self.param_grid = param_grid
        self.n_points = n_points

    def _check_input_parameters(self, X, y, split_params, cv=None):
        # fit calls this before it creates a checkpoint file or fits a model
        check_grid_size(self.param_grid, self.n_points, type(self).__name__)

    def _build_space(self):
        name = type(self).__name__
        owner = f"param_grid of {name}"
        if isinstance(self.n_points, bool):
            # Interval(Integral) lets a bool through; True would mean 1 point.
            raise TypeError(
                f"The 'n_points' parameter of {name} must be an int >= 1. "
                f"Got {self.n_points!r} instead."
            )
        # The structure first (ParameterGrid's "Parameter grid is not a dict
        # (0)" names neither the argument nor the class), then ParameterGrid's
        # own checks of each value, so messages match GridSearchCV's.
        _check_structure(self.param_grid, owner)
        grid = ParameterGrid(expand_grid(self.param_grid, self.n_points, owner=owner))
        space = SearchSpace(grid.param_grid, owner=owner)
        check_space(self.estimator, space, name, values=self._refuses_bad_values())
        return space

    def _make_proposer(self, space, context):
        return FixedProposer(list(ParameterGrid(expand_grid(self.param_grid, self.n_points))))
