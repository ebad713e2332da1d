"""BayesSearch: Bayesian optimization of cross-validated scores."""

import math
import numbers
import os
import warnings
from collections.abc import Callable
from typing import Literal

import numpy as np
from joblib import effective_n_jobs

from .._compat import Interval
from ..optimizers import BayesOptimizer
from ..space import candidate_key
from ._base import BaseSearch, Batch, Scoring
from ._checks import check_n_iter
from ._warm_start import check_initial_candidates, prior_observations

# The most candidates BayesSearch evaluates. Its exact Gaussian process holds
# every evaluation: at 2,000 on two axes one ask took 0.4 GB and, when it
# refitted the kernel, 18 s; both grow as n**2 and n**3.
_MAX_N_ITER = 10_000

# Extra cv_results_ columns, one value per candidate. ``iter`` is the name
# scikit-learn's halving searches give the round a candidate was proposed in.
_INFO_COLUMNS = {
    "initial_design": "initial",
    "surrogate_mean": "mean",
    "surrogate_std": "std",
    "acquisition_value": "acquisition",
    "suggest_time": "time",
}


class _BayesProposer:
    """Rounds of a BayesOptimizer: the initial design, then model batches.

    The user's initial candidates, if any, come first, in one batch of their
    own; the design then fills what remains of ``n_initial_points`` after
    them and the prior observations (a told point needs no design point).
    ``n_rounds`` bounds the number of batches: a batch smaller than asked
    means the space has no new candidate left, and ends the search.
    """

    n_candidates = None

    def __init__(self, space, optimizer, n_iter, batch_size, initial=()):
        self.space = space
        self.optimizer = optimizer
        self.n_iter = n_iter
        self.batch_size = batch_size
        self.n_asked = 0
        self.round = 0
        self._points = None
        self._exhausted = False
        self._initial = list(initial)
        n_first = len(self._initial)
        n_design = min(
            max(0, optimizer.n_initial_points_ - len(optimizer.X_) - n_first), n_iter - n_first
        )
        self.n_rounds = (
            (n_first > 0) + (n_design > 0)
            + math.ceil((n_iter - n_first - n_design) / batch_size)
        )

    def _first_batch(self):
        params, self._initial = self._initial, []
        n = len(params)
        self._points = self.space.encode(params)
        more = {
            "iter": [0] * n, "initial_design": [True] * n, "surrogate_mean": [np.nan] * n,
            "surrogate_std": [np.nan] * n, "acquisition_value": [np.nan] * n,
            "suggest_time": [0.0] * n,
        }
        self.n_asked += n
        # the design that follows shares round 0: neither needs a model
        return Batch(params, more)

    def ask(self):
        if self._initial:
            return self._first_batch()
        remaining = self.n_iter - self.n_asked
        if remaining <= 0 or self._exhausted:
            return None
        design_left = self.optimizer.n_initial_points_ - len(self.optimizer.X_)
        if self.round == 0 and design_left > 0:
            # the whole initial design in one batch: it needs no model
            wanted = min(design_left, remaining)
        else:
            self.round = max(self.round, 1)
            wanted = min(self.batch_size, remaining)
        points, info = self.optimizer.ask(wanted, return_info=True)
        if len(points) == 0:
            return None
        # fewer points than asked only when a finite space ran out
        self._exhausted = len(points) < wanted
        self._points = points
        more = {"iter": [self.round] * len(points)}
        for column, key in _INFO_COLUMNS.items():
            more[column] = info[key].tolist()
        self.n_asked += len(points)
        self.round += 1
        return Batch(self.space.decode(points), more)

    def tell(self, batch, scores):
        self.optimizer.tell(self._points, scores)


class _AsyncBayesProposer:
    """One candidate per ask, for a search that starts one whenever a worker is free.

    The optimizer treats every candidate asked and not yet told as a pending
    point (a fantasy at the surrogate's mean), so each new candidate is
    chosen knowing which ones are still running. The user's initial
    candidates come first, then the candidates the checkpoint holds: the
    order a resumed asynchronous search asks in depends on which fits
    finished first, so the recorded candidates are handed over again
    (and told at once, not fitted) instead of being proposed anew.
    """

    asynchronous = True
    n_candidates = None

    def __init__(self, space, optimizer, n_iter, initial=(), recorded=()):
        self.space = space
        self.optimizer = optimizer
        self.n_iter = n_iter
        taken = {candidate_key(p) for p in initial}
        self._replay = [*initial, *(p for p in recorded if candidate_key(p) not in taken)]
        self.n_asked = 0
        self._points = {}

    def ask(self):
        if self.n_asked >= self.n_iter:
            return None
        if self._replay:
            params = [self._replay.pop(0)]
            point = self.space.encode(params)
            # running like an asked point: the model must not propose it again
            self.optimizer.add_pending(point)
            info = {"initial": [True], "mean": [np.nan], "std": [np.nan],
                    "acquisition": [np.nan], "time": [0.0]}
        else:
            point, info = self.optimizer.ask(1, return_info=True)
            if len(point) == 0:
                return None
            params = self.space.decode(point)
        # each candidate is a round of its own
        more = {"iter": [self.n_asked]}
        for column, key in _INFO_COLUMNS.items():
            more[column] = [bool(info[key][0]) if key == "initial" else float(info[key][0])]
        self.n_asked += 1
        batch = Batch(params, more)
        self._points[id(batch)] = point
        return batch

    def tell(self, batch, scores):
        self.optimizer.tell(self._points.pop(id(batch)), scores)


class BayesSearch(BaseSearch):
    """Bayesian optimization over hyperparameters, a drop-in for ``RandomizedSearchCV``.

    The first ``n_initial_points`` candidates come from a scrambled Sobol
    design over the distributions' quantiles. Then each round fits a Gaussian
    process to the scores seen so far and proposes ``batch_size`` new
    candidates that maximise log expected improvement; see
    :class:`~sktune.optimizers.BayesOptimizer` for the maths. Each
    distribution acts as the prior of its parameter (``LogUniform`` is
    searched in log space, ``Normal`` densely near its mean), a list of dicts
    gives conditional sub-spaces, and no candidate is evaluated twice.

    For multi-metric scoring the refit metric is optimized (the first metric
    when ``refit`` is not a metric name). A failed fit (with
    ``error_score=np.nan``) counts as the worst score seen, not as an error.

    For a given ``batch_size`` and ``random_state`` the candidates do not
    depend on ``n_jobs`` or on the joblib backend. With
    ``asynchronous=True`` no worker waits for a round to end: a new
    candidate is proposed as soon as one finishes, the running ones as
    pending points; the candidates then depend on which fits finish first.

    Parameters
    ----------
    estimator : estimator object
        The estimator to tune.
    param_distributions : dict or list of dict
        Parameter names -> sktune distributions, lists of values or scipy
        frozen distributions. A list of dicts gives conditional sub-spaces.
    n_iter : int, default=50
        Number of candidates evaluated in all, at most 10,000 unless the
        space holds fewer: the Gaussian process models every evaluation.
    n_initial_points : int or None, default=None
        Candidates of the quasi-random initial design, evaluated in one
        batch; ``None`` uses ``min(max(2 * n_dims + 2, 6), 10)``.
    batch_size : int or None, default=None
        Candidates proposed per model-based round. ``None`` uses
        ``ceil(n_workers / n_splits)``, the fewest that keep every worker
        busy (``n_workers`` is joblib's ``effective_n_jobs(n_jobs)``, so
        ``n_jobs=-1`` depends on the machine; pass ``batch_size`` to make
        results identical across machines). Smaller batches use the model
        better, larger ones finish sooner.
    initial_candidates : list of dict or None, default=None
        Candidates to evaluate first, in order, before any the optimizer
        proposes (known good settings, or the best of an earlier search).
        They count in ``n_iter`` and in ``n_initial_points`` (the design
        fills the rest), and appear in ``cv_results_`` like any candidate,
        with ``iter`` 0. Each must set the names of the space (of one of its
        sub-spaces) to values its distributions can take.
    prior_results : dict, fitted search, str, path-like or None, default=None
        Scores measured earlier, told to the optimizer before it proposes
        anything: a ``cv_results_``-like dict (``params`` and
        ``mean_test_<metric>``; the ``refit`` metric when it is a name, else
        ``mean_test_score`` or the first metric), a fitted search (its
        ``cv_results_``), or the path of a checkpoint of the same space, read
        as data (:func:`~sktune.search.results_from_checkpoint`). They are
        not refitted, not counted in ``n_iter`` and not in ``cv_results_``;
        they take the place of the initial design, so the model proposes
        from the first round. A failed row (NaN) counts as a failed fit.
        Scores from related data (another year, a subsample) are modelled
        as a second task: the GP fits how far they speak for the new scores,
        and they are standardized apart from them (benchmarks/README.md, warm
        start); they must come from the same kind of score (higher is better).
        Pass a fitted search's ``cv_results_`` rather than the search if
        the warm-started search is cloned
        (``cross_validate``): a clone clones the prior search too, unfitted.
    asynchronous : bool, default=False
        Propose one candidate whenever a worker frees up instead of in rounds
        of ``batch_size``: every worker stays busy when fit times vary, but
        the candidates depend on the order fits finish in, so they are not
        reproducible for a given ``random_state`` (``asynchronous=False``
        is). The candidates still running are the optimizer's pending
        points. Needs a joblib backend that returns each fit as it finishes
        (loky, threading, Dask); see :ref:`asynchronous`.
    scoring : str, callable, list, tuple or dict, default=None
        As in ``RandomizedSearchCV``.
    n_jobs : int, default=None
        Number of jobs to run in parallel.
    refit : bool, str or callable, default=True
        Refit the best estimator on the whole data.
    cv : int, cross-validation generator or iterable, default=None
        Splitting strategy (5-fold by default).
    verbose : int, default=0
        Verbosity: > 0 prints scikit-learn's "Fitting ..." line when the
        search starts, then one line per round with the best candidate so
        far; > 1 adds scikit-learn's line for each fit.
    pre_dispatch : int or str, default="2*n_jobs"
        Jobs dispatched ahead.
    random_state : int, RandomState instance or None, default=None
        Seed of the design and of the acquisition maximisation.
    error_score : "raise" or float, default=np.nan
        Score given to a failed fit.
    return_train_score : bool, default=False
        Also record training scores.
    checkpoint : str, path-like or None, default=None
        SQLite file where every candidate is recorded as it finishes. Fitting
        again with the same file and data resumes: the optimizer is replayed
        with the recorded scores, recorded candidates are not fitted again,
        and a larger ``n_iter`` continues the search.
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
        One entry per candidate, as in ``RandomizedSearchCV``, plus
        ``iter`` (the round that proposed the candidate, 0 for the initial
        design), ``initial_design`` (bool), ``surrogate_mean`` and
        ``surrogate_std`` (the surrogate's prediction at the candidate, in
        its warped-score units; NaN in the initial design),
        ``acquisition_value`` (log expected improvement; NaN in the initial
        design) and ``suggest_time`` (seconds the optimizer spent per
        candidate of its round).
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
    optimizer_ : BayesOptimizer
        The optimizer, holding every told point and score (the prior
        results first).
    n_prior_results_ : int
        Rows of ``prior_results`` told to the optimizer.
    batch_size_ : int
        Candidates per model-based round actually used (1 when
        ``asynchronous``).
    stop_reason_ : str
        Why the search ended: ``"completed"``, ``"max_time"``,
        ``"n_iter_no_change"`` or ``"callback"``.
    n_reused_ : int
        Candidates taken from the checkpoint instead of being fitted.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sktune import BayesSearch
    >>> from sktune.distributions import LogUniform
    >>> X, y = load_iris(return_X_y=True)
    >>> search = BayesSearch(SVC(), {"C": LogUniform(1e-2, 1e2), "gamma": LogUniform(1e-3, 1e1)},
    ...                      n_iter=10, cv=3, random_state=0)
    >>> bool(search.fit(X, y).best_score_ > 0.95)
    True
    >>> [int(i) for i in search.cv_results_["iter"]]
    [0, 0, 0, 0, 0, 0, 1, 2, 3, 4]

    A second search starts from the first one's results and best candidate:

    >>> warm = BayesSearch(SVC(), {"C": LogUniform(1e-2, 1e2), "gamma": LogUniform(1e-3, 1e1)},
    ...                    n_iter=3, cv=3, random_state=0, prior_results=search,
    ...                    initial_candidates=[search.best_params_]).fit(X, y)
    >>> warm.n_prior_results_, warm.cv_results_["params"][0] == search.best_params_
    (10, True)
    """

    _parameter_constraints: dict = {
        **BaseSearch._parameter_constraints,
        "param_distributions": [dict, list],
        "n_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_initial_points": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "initial_candidates": [list, tuple, None],
        "asynchronous": ["boolean"],
        # a dict, a fitted search or a path: prior_observations checks which
        "prior_results": "no_validation",
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator: object,
        param_distributions: dict | list,
        *,
        n_iter: int = 50,
        n_initial_points: int | None = None,
        batch_size: int | None = None,
        initial_candidates: list | tuple | None = None,
        prior_results: object = None,
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
        self.n_iter = n_iter
        self.n_initial_points = n_initial_points
        self.batch_size = batch_size
        self.initial_candidates = initial_candidates
        self.prior_results = prior_results
        self.asynchronous = asynchronous
        self.random_state = random_state

    def _check_input_parameters(self, X, y, split_params, cv=None):
        # fit calls this before it creates a checkpoint file or fits a model
        check_n_iter(
            type(self).__name__, self.n_iter, self._build_space, _MAX_N_ITER,
            "the most its Gaussian process models, in memory that grows as n_iter**2",
        )
        if self.initial_candidates is not None or self.prior_results is not None:
            self._warm_start(self._build_space())

    def _warm_start(self, space):
        """The initial candidates and the prior observations, checked against ``space``."""
        name = type(self).__name__
        initial = check_initial_candidates(self.initial_candidates, space, self.n_iter, name)
        return initial, prior_observations(self.prior_results, space, self.refit, name)

    def _prior_arrays(self):
        """The prior observations as the optimizer gets them, for the checkpoint's fingerprint."""
        return prior_observations(
            self.prior_results, self._build_space(), self.refit, type(self).__name__
        )

    def _make_proposer(self, space, context):
        size = space.size
        if size < self.n_iter:
            warnings.warn(
                f"The search space of {type(self).__name__} holds only {size} distinct "
                f"candidates, fewer than n_iter={self.n_iter}; evaluating all {size} "
                "of them.",
                UserWarning,
            )
        if self.asynchronous:
            self.batch_size_ = 1
        elif self.batch_size is None:
            self.batch_size_ = max(1, math.ceil(effective_n_jobs(self.n_jobs) / self.n_splits_))
        else:
            self.batch_size_ = self.batch_size
        self.optimizer_ = BayesOptimizer(
            space, n_initial_points=self.n_initial_points, random_state=context.random_state
        )
        initial, (prior_U, prior_y) = self._warm_start(space)
        self.optimizer_.tell_prior(prior_U, prior_y)
        self.n_prior_results_ = len(prior_y)
        if self.asynchronous:
            return _AsyncBayesProposer(space, self.optimizer_, self.n_iter, initial,
                                       context.recorded)
        return _BayesProposer(space, self.optimizer_, self.n_iter, self.batch_size_, initial)
