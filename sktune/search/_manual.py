"""ManualSearch: evaluate the candidates a person lists, nothing more."""

import os
import warnings
from collections.abc import Callable, Mapping
from typing import Literal

import numpy as np

from ..distributions import Categorical, Distribution, is_scipy_frozen
from ..space import SearchSpace, candidate_key
from ._base import BaseSearch, FixedProposer, Scoring
from ._json_values import resolve_recorded
from ._validation import check_space


def _check_candidates(candidates, search):
    """The structural check of ``candidates``: a non-empty list of str-keyed dicts."""
    if not isinstance(candidates, (list, tuple)) or len(candidates) == 0:
        raise ValueError(
            f"The 'candidates' parameter of {search} must be a non-empty list of "
            f"dicts of parameter names to values. Got {candidates!r} instead."
        )
    for i, cand in enumerate(candidates):
        if not isinstance(cand, Mapping):
            raise TypeError(
                f"Each entry of the 'candidates' parameter of {search} must be a dict "
                f"of parameter names to values. Got candidates[{i}]={cand!r} "
                f"(of type {type(cand).__name__}) instead."
            )
        for name in cand:
            if not isinstance(name, str):
                raise TypeError(
                    f"Parameter names in the 'candidates' parameter of {search} must be "
                    f"strings. Got {name!r} in candidates[{i}] instead."
                )
            if isinstance(cand[name], Distribution) or is_scipy_frozen(cand[name]):
                raise TypeError(
                    f"The value of {name!r} in candidates[{i}] of {search} must be the value "
                    f"to set, not a distribution. Got {cand[name]!r} instead; draw from "
                    "distributions with RandomSearch or BayesSearch."
                )


def _space_of(candidates):
    """A SearchSpace whose sub-spaces are the candidates' distinct sets of names.

    Each parameter becomes a ``Categorical`` of the values listed for it, in
    the order first listed, so ``search_space_`` describes what was tried.
    """
    groups = {}  # frozenset of names -> {name: [values]}
    for cand in candidates:
        values = groups.setdefault(frozenset(cand), {n: [] for n in cand})
        for name, value in cand.items():
            known = values[name]
            if not any(candidate_key({"v": v}) == candidate_key({"v": value}) for v in known):
                known.append(value)
    subspaces = [
        {name: Categorical(values) for name, values in group.items()}
        for group in groups.values()
    ]
    return SearchSpace(subspaces, owner="candidates of ManualSearch")


class ManualProposer(FixedProposer):
    """The listed candidates in one batch, after those a checkpoint recorded.

    Parameters
    ----------
    candidates : list of dict
        The candidates, in evaluation order.
    recorded : iterable of dict, default=()
        Candidates an earlier fit with the same checkpoint evaluated. Those
        not listed again come first, so ``cv_results_`` holds the earlier
        results followed by the new ones (a checkpoint serves recorded
        candidates without fitting them).
    """

    def __init__(self, candidates, recorded=()):
        listed = {candidate_key(c) for c in candidates}
        earlier, seen = [], set()
        for c in recorded:
            key = candidate_key(c)
            if key not in listed and key not in seen:
                seen.add(key)
                earlier.append(dict(c))
        super().__init__(earlier + [dict(c) for c in candidates])


class ManualSearch(BaseSearch):
    """Evaluate exactly the candidates listed, in order.

    Hand-tuning gets the cross-validation, parallelism, ``cv_results_``,
    leaderboards and plots of the automatic searches: list the parameter
    dicts to try and ``fit`` evaluates each of them once, in the order given,
    as ``GridSearchCV`` would evaluate a grid of exactly those points.

    Parameters
    ----------
    estimator : estimator object
        The estimator to tune.
    candidates : list of dict
        Parameter dicts to evaluate (``{"svc__C": 10, "svc__kernel": "rbf"}``),
        in evaluation order. Candidates may set different parameters; a
        candidate listed twice is evaluated twice, with a warning.
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
        again with the same file and data adds to the earlier results: the
        candidates recorded before come first in ``cv_results_``, without
        being fitted again, followed by the listed ones (those recorded are
        not fitted again either).
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
        One entry per candidate, in the order listed.
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
        What was tried: per distinct set of parameter names, each parameter
        as a ``Categorical`` of its listed values.
    stop_reason_ : str
        Why the search ended: ``"completed"``, ``"max_time"``,
        ``"n_iter_no_change"`` or ``"callback"``.
    n_reused_ : int
        Candidates taken from the checkpoint instead of being fitted.

    See Also
    --------
    GridSearch : every combination of lists of values.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sktune import ManualSearch
    >>> X, y = load_iris(return_X_y=True)
    >>> search = ManualSearch(SVC(), [{"C": 1.0}, {"C": 0.01, "kernel": "linear"}], cv=3)
    >>> search.fit(X, y).best_params_
    {'C': 1.0}
    >>> [p for p in search.cv_results_["params"]]
    [{'C': 1.0}, {'C': 0.01, 'kernel': 'linear'}]
    """

    _parameter_constraints: dict = {
        **BaseSearch._parameter_constraints,
        "candidates": [list, tuple],
    }
    _space_param = "candidates"
    # a checkpoint stays usable when the list of candidates grows
    _space_in_fingerprint = False

    def __init__(
        self,
        estimator: object,
        candidates: list | tuple,
        *,
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
        self.candidates = candidates

    def _build_space(self):
        name = type(self).__name__
        _check_candidates(self.candidates, name)
        space = _space_of(self.candidates)
        check_space(self.estimator, space, name, values=self._refuses_bad_values())
        seen = {}
        for i, cand in enumerate(self.candidates):
            first = seen.setdefault(candidate_key(cand), i)
            if first != i:
                warnings.warn(
                    f"candidates[{i}] of {name} repeats candidates[{first}] "
                    f"({dict(cand)!r}); it is evaluated again.",
                    UserWarning,
                )
        return space

    def _make_proposer(self, space, context):
        # With a checkpoint, fitting again with more candidates finds the
        # stored ones in the context, so cv_results_ adds the new candidates
        # to the earlier results; objects come back by their index among
        # the listed values.
        recorded = resolve_recorded(context.recorded, space, type(self).__name__)
        return ManualProposer(self.candidates, recorded=recorded)
