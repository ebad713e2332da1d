"""RandomSearch: RandomizedSearchCV's draws, without repeats, or quasi-random."""

import numbers
import os
import warnings
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from sklearn.utils.random import sample_without_replacement

from .._compat import Interval, ParameterGrid, StrOptions
from ..distributions import Categorical
from ..space import SAMPLERS, SearchSpace, candidate_key
from ._base import BaseSearch, FixedProposer, Scoring
from ._checks import MAX_CANDIDATES, check_n_iter
from ._warm_start import check_initial_candidates

# Draws allowed per wanted candidate before a space is taken to have no more
# distinct candidates to give (a bernoulli crossed with a short list, say).
_MAX_TRIES_PER_CANDIDATE = 100


def _all_unweighted_lists(space):
    return all(
        isinstance(d, Categorical) and d.weights is None
        for sub in space.subspaces
        for d in sub.values()
    )


def _as_grid(space):
    """The space as a ParameterGrid over every value of every parameter."""
    return ParameterGrid(
        [{n: d.grid(d.n_values) for n, d in sub.items()} for sub in space.subspaces]
    )


def draw_unique(
    space: SearchSpace, n_iter: int, sampler: str, random_state: np.random.RandomState,
    search: str = "RandomSearch", warn: bool = True,
) -> list[dict[str, Any]]:
    """Draw up to ``n_iter`` distinct candidates from ``space``.

    With ``sampler="random"`` the candidates are those scikit-learn's
    ``ParameterSampler`` draws for the same ``random_state``, except that a
    repeat is skipped and replaced by the next new draw. A finite space with
    at most ``n_iter`` candidates is enumerated whole, with a warning.

    Parameters
    ----------
    space : SearchSpace
        Where to draw.
    n_iter : int
        Number of candidates wanted.
    sampler : {"random", "sobol", "lhs"}
        Random draws or a quasi-random design in the unit cube.
    random_state : numpy.random.RandomState
        Source of randomness.
    search : str, default="RandomSearch"
        Name used in warnings.
    warn : bool, default=True
        Warn when the space gives fewer than ``n_iter`` distinct candidates.
        ``False`` leaves the saying to the caller, who sees it in the length
        of the result.

    Returns
    -------
    candidates : list of dict

    Examples
    --------
    >>> import numpy as np
    >>> from sktune.distributions import LogUniform
    >>> from sktune.search import draw_unique
    >>> from sktune.space import SearchSpace
    >>> space = SearchSpace({"C": LogUniform(0.01, 100), "kernel": ["rbf", "linear"]})
    >>> candidates = draw_unique(space, 4, "sobol", np.random.RandomState(0))
    >>> len(candidates), sorted(candidates[0])
    (4, ['C', 'kernel'])
    """
    size = space.size
    if warn and size < n_iter:
        warnings.warn(
            f"The search space of {search} holds only {size} distinct candidates, "
            f"fewer than n_iter={n_iter}; evaluating all {size} of them.",
            UserWarning,
        )
    if _all_unweighted_lists(space) or size <= n_iter:
        grid = _as_grid(space)
        n = min(n_iter, len(grid))
        # scikit-learn's ParameterSampler does exactly this for lists alone.
        picked = sample_without_replacement(len(grid), n, random_state=random_state)
        return [grid[i] for i in picked]

    seen: set[tuple[Any, ...]] = set()
    out: list[dict[str, Any]] = []
    design = None if sampler == "random" else space.design(sampler, random_state)
    tries = 0
    while len(out) < n_iter and tries < _MAX_TRIES_PER_CANDIDATE * n_iter:
        wanted = 1 if design is None else n_iter - len(out)
        tries += wanted
        if design is None:
            batch = [space.sample_params(random_state)]
        else:
            batch = space.decode(design.draw(wanted))
        for params in batch:
            key = candidate_key(params)
            if key not in seen:
                seen.add(key)
                out.append(params)
    if warn and len(out) < n_iter:
        warnings.warn(
            f"{search} found only {len(out)} distinct candidates in "
            f"{tries} draws; evaluating those instead of n_iter={n_iter}.",
            UserWarning,
        )
    return out


class RandomSearch(BaseSearch):
    """Random or quasi-random search, a drop-in for ``RandomizedSearchCV``.

    With the default ``sampler="random"`` it evaluates the candidates that
    ``RandomizedSearchCV`` draws for the same ``random_state``, but never the
    same candidate twice. ``sampler="sobol"`` or ``"lhs"`` spread the
    candidates evenly through each distribution's quantiles instead, which
    covers the space better for the same ``n_iter``.

    Parameters
    ----------
    estimator : estimator object
        The estimator to tune.
    param_distributions : dict or list of dict
        Parameter names -> sktune distributions, lists of values or scipy
        frozen distributions. A list of dicts gives conditional sub-spaces.
    n_iter : int, default=10
        Number of candidates, at most ``10**6`` unless the space holds fewer
        (it is then evaluated whole, with a warning).
    sampler : {"random", "sobol", "lhs"}, default="random"
        How candidates are drawn.
    initial_candidates : list of dict or None, default=None
        Candidates to evaluate first, in order (known good settings, or the
        best of an earlier search). They count in ``n_iter``: the draws
        fill the rest, skipping a draw equal to one of them. Each must set
        the names of the space (of one of its sub-spaces) to values its
        distributions can take.
    scoring : str, callable, list, tuple or dict, default=None
        As in ``RandomizedSearchCV``.
    n_jobs : int, default=None
        Number of jobs to run in parallel.
    refit : bool, str or callable, default=True
        Refit the best estimator on the whole data.
    cv : int, cross-validation generator or iterable, default=None
        Splitting strategy (5-fold by default).
    verbose : int, default=0
        Verbosity, as in ``RandomizedSearchCV``.
    pre_dispatch : int or str, default="2*n_jobs"
        Jobs dispatched ahead.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws.
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
        One entry per candidate, as in ``RandomizedSearchCV``.
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
        The parsed search space.
    stop_reason_ : str
        Why the search ended: ``"completed"``, ``"max_time"``,
        ``"n_iter_no_change"`` or ``"callback"``.
    n_reused_ : int
        Candidates taken from the checkpoint instead of being fitted.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sktune import RandomSearch
    >>> from sktune.distributions import LogUniform
    >>> X, y = load_iris(return_X_y=True)
    >>> search = RandomSearch(SVC(), {"C": LogUniform(0.01, 100)}, n_iter=8,
    ...                       sampler="sobol", cv=3, random_state=0)
    >>> bool(search.fit(X, y).best_score_ > 0.9)
    True
    >>> first = RandomSearch(SVC(), {"C": LogUniform(0.01, 100)}, n_iter=3, cv=3,
    ...                      initial_candidates=[{"C": 1.0}], random_state=0).fit(X, y)
    >>> first.cv_results_["params"][0]
    {'C': 1.0}
    """

    _parameter_constraints: dict = {
        **BaseSearch._parameter_constraints,
        "param_distributions": [dict, list],
        "n_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "sampler": [StrOptions(set(SAMPLERS))],
        "initial_candidates": [list, tuple, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator: object,
        param_distributions: dict | list,
        *,
        n_iter: int = 10,
        sampler: str = "random",
        initial_candidates: list | tuple | None = None,
        scoring: Scoring = None,
        n_jobs: int | None = None,
        refit: bool | str | Callable = True,
        cv: object = None,
        verbose: int = 0,
        pre_dispatch: int | str = "2*n_jobs",
        random_state: int | np.random.RandomState | None = None,
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
        self.param_distributions = param_distributions
        self.n_iter = n_iter
        self.sampler = sampler
        self.initial_candidates = initial_candidates
        self.random_state = random_state

    def _check_input_parameters(self, X, y, split_params, cv=None):
        # fit calls this before it creates a checkpoint file or fits a model
        check_n_iter(
            type(self).__name__, self.n_iter, self._build_space, MAX_CANDIDATES,
            "the most candidates it lists before its first fit",
        )
        if self.initial_candidates is not None:
            self._initial(self._build_space())

    def _initial(self, space):
        return check_initial_candidates(
            self.initial_candidates, space, self.n_iter, type(self).__name__
        )

    def _make_proposer(self, space, context):
        initial = self._initial(space)
        # n_iter draws, as without initial candidates, so that the draws
        # kept are the first of that same sequence
        drawn = draw_unique(
            space, self.n_iter, self.sampler, context.random_state, type(self).__name__
        )
        taken = {candidate_key(p) for p in initial}
        drawn = [p for p in drawn if candidate_key(p) not in taken]
        return FixedProposer(initial + drawn[: self.n_iter - len(initial)])
