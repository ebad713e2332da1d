"""HyperbandSearch: the estimator that runs a Hyperband schedule by cross-validation."""

import numbers
import os
from collections.abc import Callable
from typing import Literal

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import clone, is_classifier

from ..._compat import Interval, StrOptions
from ...optimizers import HyperbandSchedule
from .._base import BaseSearch, Scoring
from ._async_proposer import AsyncHyperbandProposer
from ._proposer import HyperbandProposer
from ._resources import (
    _EPOCHS,
    check_resource,
    continues_rounds,
    drop_epochs,
    partial_fit_trainer,
    resource_bounds,
    resource_kind,
    warm_start_param,
)

_SAMPLERS = ("random", "bayes")


class HyperbandSearch(BaseSearch):
    """Hyperband: random search that stops the poor candidates early.

    Follows Li et al., "Hyperband: A Novel Bandit-Based Approach to
    Hyperparameter Optimization" (JMLR 2018). Candidates are evaluated by
    cross-validation in brackets of successive halving: a bracket starts many
    candidates on a small budget, keeps the best ``1/eta`` of them by the
    refit metric, gives those ``eta`` times the budget, and so on up to
    ``max_resources``. Brackets differ in how many candidates they start
    with and how small their first budget is, from ``eta**s_max`` candidates
    at ``min_resources`` to a few at the full budget (plain random search).
    The schedule is known before fitting: ``schedule_`` holds it, and printing
    it shows each bracket's ``n_candidates@n_resources`` per rung.

    Brackets run in the paper's order, the most aggressive first: its
    winner, the best of ``eta**s_max`` candidates, is known after about
    ``1 / n_brackets`` of the total budget. A round (one call to
    ``evaluate_candidates``) is the next rung of the first unfinished
    bracket; when that rung has fewer fits (candidates x splits) than
    ``n_jobs``, the ready rungs of later brackets at the same budget join
    it, so workers do not wait for one bracket
    (:meth:`~sktune.optimizers.HyperbandSchedule.rounds`). With
    ``sampler="random"`` all candidates are drawn before the first round, so
    they do not depend on ``n_jobs``.

    The budget (``resource``) is either:

    * ``"n_samples"``: each cross-validation training fold is subsampled to
      ``n_resources`` samples (stratified for classifiers, the same
      subsample for every candidate, nested across budgets); test folds are
      never subsampled;
    * the name of an integer parameter of the estimator (``"max_iter"``,
      ``"n_estimators"``, ``"clf__max_iter"`` in a pipeline), set to
      ``n_resources`` in each candidate; it appears in ``cv_results_["params"]``
      and ``best_params_`` (at ``max_resources``), like in scikit-learn's
      halving searches. When it is the number of rounds of scikit-learn's
      gradient boosting (``max_iter`` of ``HistGradientBoosting*``,
      ``n_estimators`` of ``GradientBoosting*``) and early stopping is off,
      a promoted candidate continues its fold models by ``warm_start`` as
      with ``"partial_fit"`` below: only the new rounds are trained, and the
      scores equal those of training from scratch (given an int
      ``random_state``). ``best_estimator_`` keeps the ``warm_start`` of
      ``estimator``;
    * ``"partial_fit"``: each cross-validation model is trained by
      ``n_resources`` passes of ``partial_fit`` over its whole training
      fold. A promoted candidate continues its fold models of the previous
      rung (one per split, sent back from the workers) and is trained for
      the missing passes only; the models of candidates that are not
      promoted are dropped as soon as their rung is decided. Successive
      ``partial_fit`` calls are the same computation whether or not they
      are split in two, so the scores equal those of training from scratch
      (given an int ``random_state``). ``n_resources`` in ``cv_results_``
      is the model's total number of passes, but ``mean_fit_time`` is the
      time of the passes added at that rung. A candidate whose previous
      rung was taken from the ``checkpoint`` (which holds scores, not
      models), or whose fit failed there, is trained from scratch. A
      scikit-learn ``Pipeline`` has no ``partial_fit``: tune a pipeline
      with ``"n_samples"`` or a parameter such as ``"clf__max_iter"``.

    **Asynchronous mode (ASHA).** With ``asynchronous=True`` no worker waits
    for a rung's slowest fit: following Li et al., "A System for Massively
    Parallel Hyperparameter Tuning" (MLSys 2020, asynchronous successive
    halving), whenever a worker is free the search promotes a candidate of
    the highest rung that has one in the top ``1/eta`` of the rung's
    finished results and not yet promoted, else it starts a new candidate at
    its bracket's lowest rung (:class:`~sktune.optimizers.AsyncHyperbandPlan`).
    The brackets, budgets, resource kinds and ``partial_fit`` continuation
    are those of the synchronous mode, and with ``sampler="random"`` the
    configurations too; each bracket starts as many configurations as in
    the synchronous schedule, in the same order. The budget has the same
    meaning: the search stops handing out evaluations once their budgets
    add up to the synchronous total (``schedule_.total_resources *
    n_iterations``, each evaluation counting its whole ``n_resources``), or
    once every configuration has started and nothing can be promoted. A
    promotion on the results known so far may be one the synchronous rung
    would not make, and the last rungs may be left incomplete; the results
    depend on which fits finish first, so they are **not reproducible**
    for a given ``random_state`` (the synchronous default is). With
    continued training, a finished candidate's fold models are kept only
    while it may still be promoted: a rung of at most ``m`` results promotes
    only from its top ``m // eta``, so those ranked below go at once, and
    all go when the budget is spent. It needs a joblib
    backend that returns each fit as it finishes (loky, threading, Dask).

    **How the best candidate is chosen.** ``best_index_``, ``best_params_``
    and ``best_score_`` come from the candidates evaluated at the largest
    budget (``n_resources == max_resources_``) only: a score at a small
    budget is not comparable. A callable ``refit`` is applied to the whole
    ``cv_results_`` as usual. ``rank_test_*`` ranks all rows together, as
    in scikit-learn's halving searches; :func:`~sktune.leaderboard`, the
    plots, the report and ``sktune show`` rank the full-budget rows only
    (their first row is ``best_params_``), and take ``budgets="all"``
    (``--all-budgets``) for every row.

    Parameters
    ----------
    estimator : estimator object
        The estimator to tune.
    param_distributions : dict or list of dict
        Parameter names -> sktune distributions, lists of values or scipy
        frozen distributions. A list of dicts gives conditional sub-spaces.
        The resource parameter must not be in it.
    resource : str, default="n_samples"
        ``"n_samples"``, ``"partial_fit"`` or the name of an integer estimator
        parameter.
    min_resources : int or None, default=None
        Lower bound of the budgets. Budgets are anchored at
        ``max_resources``, as in the paper: with ``s_max`` the largest number
        of halvings such that ``max_resources // eta**s_max >=
        min_resources``, the rungs get ``max_resources // eta**k`` for ``k =
        s_max, ..., 0``. The smallest budget used is therefore at least
        ``min_resources`` and less than ``eta * min_resources``; it equals
        ``min_resources`` exactly when ``max_resources / min_resources`` is a
        power of ``eta`` (``schedule_.budgets`` lists them, and printing
        ``schedule_`` says where they start). Unlike scikit-learn's halving
        searches, whose first rung is at ``min_resources`` and whose last may
        stop short of ``max_resources``, every bracket here ends at
        ``max_resources``. ``None`` takes the larger of ``max_resources //
        eta**4`` (at most 5 brackets, as in the paper's example) and, for
        ``"n_samples"``, scikit-learn's smallest sensible sample count
        (``2 * n_splits``, times the number of classes for a classifier), or
        1 for other resources.
    max_resources : int or None, default=None
        Largest budget. ``None`` takes the size of the largest training fold
        for ``"n_samples"`` and the estimator's current value of the
        parameter for a parameter resource; it must be given for
        ``"partial_fit"``.
    eta : int, default=3
        Halving rate: each rung keeps the best ``1/eta`` of its candidates
        and gives them ``eta`` times the budget.
    n_iterations : int, default=1
        Times the whole schedule runs, with new candidates.
    sampler : {"random", "bayes"}, default="random"
        How a bracket's candidates are drawn. ``"bayes"`` proposes them with
        :class:`~sktune.optimizers.BayesOptimizer` fitted on the scores at
        the largest budget that has at least ``d + 3`` finite scores
        (``d`` = number of axes), keeping one third of random candidates, as
        BOHB does (Falkner et al. 2018); until such a budget exists, and for
        the first bracket, candidates are random. A bracket's candidates are
        proposed when its first rung starts, from every score known then.
    asynchronous : bool, default=False
        Run asynchronous successive halving (ASHA): an evaluation starts
        whenever a worker is free, instead of rounds that wait for their
        slowest fit. Not reproducible; see "Asynchronous mode" above.
    scoring : str, callable, list, tuple or dict, default=None
        As in ``RandomizedSearchCV``.
    n_jobs : int, default=None
        Number of jobs to run in parallel.
    refit : bool, str or callable, default=True
        Refit the best estimator on the whole data (at the full budget).
    cv : int, cross-validation generator or iterable, default=None
        Splitting strategy (5-fold by default).
    verbose : int, default=0
        Verbosity; > 0 prints one line per round.
    pre_dispatch : int or str, default="2*n_jobs"
        Jobs dispatched ahead.
    random_state : int, RandomState instance or None, default=None
        Seeds the candidates and the training subsamples.
    error_score : "raise" or float, default=np.nan
        Score given to a failed fit; a NaN score ranks last in its rung.
    return_train_score : bool, default=False
        Also record training scores (on the subsampled folds for
        ``"n_samples"``).
    checkpoint : str, path-like or None, default=None
        SQLite file where every evaluation is recorded as it finishes.
        Fitting again with the same file and data resumes: recorded
        evaluations are not fitted again.
    max_time : float or None, default=None
        Seconds of wall time after which no new evaluation starts. The best
        candidate is then taken at the largest budget reached.
        Without ``fit_timeout``, the fits running then finish: the search
        may run over by as long as its slowest candidate takes. With
        ``fit_timeout``, they are stopped when the time is up (and their
        candidates dropped), so it ends within one fit's timeout of the limit.
    n_iter_no_change : int or None, default=None
        Stop once this many evaluations in a row, in the order they run and
        at any budget, have not improved the best score by more than
        ``tol``. Scores at small budgets are usually lower, so this stops
        Hyperband early and crudely; ``max_time`` is the better brake.
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
        One entry per evaluation (a candidate at one budget), with the
        columns of ``RandomizedSearchCV`` plus ``iter`` (the round, one call
        to ``evaluate_candidates``; in asynchronous mode each evaluation is
        a round of its own),
        ``bracket`` (the schedule's ``s``, as ``print(schedule_)`` labels the
        brackets: ``s_max`` for the most aggressive, 0 for plain random
        search), ``hyperband_iteration`` (0 to ``n_iterations - 1``), ``rung``
        (index within the bracket) and ``n_resources``.
    best_estimator_ : estimator
        Refitted on the whole data (when ``refit``).
    best_score_ : float
        Mean cross-validated score of the best candidate at the largest budget.
    best_params_ : dict
        Parameters of that candidate.
    best_index_ : int
        Its index in ``cv_results_``.
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
    schedule_ : HyperbandSchedule
        Brackets and rungs of one iteration.
    min_resources_ : int
        Smallest budget allowed.
    max_resources_ : int
        Largest budget.
    n_candidates_ : list of list of int
        Per bracket of each iteration, in the schedule's order (iteration
        by iteration, ``s = s_max`` down to 0), the number of candidates
        evaluated in each rung (in asynchronous mode, as many as were
        promoted there, which may differ from the schedule).
    n_resources_ : list of list of int
        Per bracket, the budget of each rung.
    stop_reason_ : str
        Why the search ended: ``"completed"``, ``"max_time"``,
        ``"n_iter_no_change"`` or ``"callback"``.
    n_reused_ : int
        Evaluations taken from the checkpoint instead of being fitted.

    See Also
    --------
    sklearn.model_selection.HalvingRandomSearchCV : one bracket of successive
        halving.
    RandomSearch : every candidate at the full budget.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sktune import HyperbandSearch
    >>> from sktune.distributions import LogUniform
    >>> X, y = load_iris(return_X_y=True)
    >>> search = HyperbandSearch(SVC(), {"C": LogUniform(0.01, 100)},
    ...                          max_resources=120, min_resources=4, random_state=0)
    >>> print(search.fit(X, y).schedule_)
    HyperbandSchedule(min_resources=4, max_resources=120, eta=3): 4 brackets
      s=3: 27@4 -> 9@13 -> 3@40 -> 1@120
      s=2: 12@13 -> 4@40 -> 1@120
      s=1: 6@40 -> 2@120
      s=0: 4@120
    >>> search.n_candidates_
    [[27, 9, 3, 1], [12, 4, 1], [6, 2], [4]]
    >>> bool(search.best_score_ > 0.9), int(search.cv_results_["n_resources"][search.best_index_])
    (True, 120)
    """

    # Private switch: False trains every partial_fit rung from scratch (the
    # tests compare both paths).
    _continue_training = True

    _parameter_constraints: dict = {
        **BaseSearch._parameter_constraints,
        "param_distributions": [dict, list],
        "resource": [str],
        "min_resources": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "max_resources": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "eta": [Interval(numbers.Integral, 2, None, closed="left")],
        "n_iterations": [Interval(numbers.Integral, 1, None, closed="left")],
        "sampler": [StrOptions(set(_SAMPLERS))],
        "asynchronous": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator: object,
        param_distributions: dict | list,
        *,
        resource: str = "n_samples",
        min_resources: int | None = None,
        max_resources: int | None = None,
        eta: int = 3,
        n_iterations: int = 1,
        sampler: str = "random",
        asynchronous: bool = False,
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
        self.resource = resource
        self.min_resources = min_resources
        self.max_resources = max_resources
        self.eta = eta
        self.n_iterations = n_iterations
        self.sampler = sampler
        self.asynchronous = asynchronous
        self.random_state = random_state

    # validation ---------------------------------------------------------------
    def _check_input_parameters(self, X, y, split_params, cv=None):
        # Called by BaseSearch.fit with the data and the folds (split once),
        # before any model is fitted: the budgets and the schedule are settled here.
        name = type(self).__name__
        check_resource(name, self.estimator, self.resource, self.min_resources, self.max_resources)
        self.min_resources_, self.max_resources_ = resource_bounds(
            name, self.estimator, self.resource, y, cv,
            min_resources=self.min_resources, max_resources=self.max_resources, eta=self.eta,
        )
        self.schedule_ = HyperbandSchedule.from_resources(
            self.min_resources_, self.max_resources_, self.eta
        )

    # the search ---------------------------------------------------------------
    def _build_space(self):
        space = super()._build_space()
        if resource_kind(self.resource) == "parameter" and self.resource in space.names:
            raise ValueError(
                f"The 'resource' parameter of {type(self).__name__} is {self.resource!r}, "
                f"which is also searched in param_distributions. The resource is set by "
                f"the schedule; remove {self.resource!r} from param_distributions."
            )
        return space

    def _make_proposer(self, space, context):
        common = dict(
            n_iterations=self.n_iterations,
            sampler=self.sampler,
            cv=context.cv,
            stratify=is_classifier(self.estimator),
            search=type(self).__name__,
            continue_training=self._continue_training and (
                self.resource == "partial_fit"
                or continues_rounds(
                    context.estimator, self.resource, space.names,
                    max(len(train) for train, _ in context.cv.splits),
                )
            ),
        )
        args = (space, self.schedule_, self.resource, context.random_state)
        if self.asynchronous:
            proposer = AsyncHyperbandProposer(*args, **common)
        else:
            proposer = HyperbandProposer(
                *args, n_workers=effective_n_jobs(self.n_jobs),
                fits_per_candidate=self.n_splits_, **common,
            )
        # filled in as the search runs
        self.n_candidates_ = [run.n_candidates for run in proposer.runs]
        self.n_resources_ = [run.n_resources for run in proposer.runs]
        return proposer

    @staticmethod
    def _select_best_index(refit, refit_metric, results):
        """The best candidate among those evaluated at the largest budget.

        A score at a small budget is not comparable with one at the full
        budget, so, like scikit-learn's halving searches, the choice is
        restricted to the rows with the largest ``n_resources``; a callable
        ``refit`` still sees every row.
        """
        if callable(refit):
            return BaseSearch._select_best_index(refit, refit_metric, results)
        n_resources = np.asarray(results["n_resources"])
        top = np.flatnonzero(n_resources == n_resources.max())
        scores = np.asarray(results[f"mean_test_{refit_metric}"], dtype=float)[top]
        if np.all(np.isnan(scores)):
            return int(top[0])
        return int(top[np.nanargmax(scores)])

    def fit(self, X, y=None, **params):
        """Run the Hyperband schedule, then refit the best candidate.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Target.
        **params : dict of str -> object
            Parameters passed to the estimator's ``fit`` (or ``partial_fit``),
            the scorer and the splitter.

        Returns
        -------
        self : object
            The fitted search.

        Examples
        --------
        With ``resource="partial_fit"`` the budget is a number of passes of
        ``partial_fit``; the fitted search shows the estimator and
        parameters as given, without the wrapper that counts passes:

        >>> from sklearn.datasets import load_iris
        >>> from sklearn.linear_model import SGDClassifier
        >>> from sktune import HyperbandSearch
        >>> from sktune.distributions import LogUniform
        >>> X, y = load_iris(return_X_y=True)
        >>> search = HyperbandSearch(SGDClassifier(random_state=0),
        ...                          {"alpha": LogUniform(1e-5, 1e-1)}, resource="partial_fit",
        ...                          max_resources=9, cv=2, random_state=0)
        >>> search.fit(X, y) is search
        True
        >>> search.n_resources_
        [[1, 3, 9], [3, 9], [9]]
        >>> sorted(search.best_params_), type(search.best_estimator_).__name__
        (['alpha'], 'SGDClassifier')
        """
        super().fit(X, y, **params)
        if self.resource == "partial_fit":
            self._unwrap_partial_fit()
        warm = warm_start_param(self.estimator, self.resource)
        if warm is not None and hasattr(self, "best_estimator_"):
            # trained with the trainer's warm_start=True; shown as the user's
            self.best_estimator_.set_params(**{warm: self.estimator.get_params()[warm]})
        return self

    def _trainer(self, X, y, fit_params):
        if self.resource != "partial_fit":
            warm = warm_start_param(self.estimator, self.resource)
            if warm is None:
                return self.estimator
            # A fresh clone fits from scratch either way; a promoted
            # candidate's fitted fold model then adds only the new rounds.
            return clone(self.estimator).set_params(**{warm: True})
        # Candidates are trained by partial_fit passes through this wrapper,
        # which travels in the fit context: the estimator parameter stays the
        # user's during the fit.
        return partial_fit_trainer(self.estimator, y, fit_params)

    def _unwrap_partial_fit(self):
        drop_epochs(self.cv_results_)
        if hasattr(self, "best_params_"):
            self.best_params_ = {k: v for k, v in self.best_params_.items() if k != _EPOCHS}
        if hasattr(self, "best_estimator_"):
            self.best_estimator_ = self.best_estimator_.estimator_
