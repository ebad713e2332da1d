"""The shared base of every sktune search: one ask -> evaluate -> tell loop.

A concrete search only builds a *proposer*, an object that turns the search
space into batches of candidate dicts and learns from their scores:

* ``proposer.ask()`` returns a :class:`Batch`, or ``None`` when done;
* ``proposer.tell(batch, scores)`` receives the refit metric's mean test
  score of each candidate of the batch (NaN for a failed fit), higher is
  better;
* ``proposer.n_candidates`` is the total number of candidates when it is
  known before the search starts (one batch), else ``None``;
* ``proposer.n_rounds``, optional, is the most batches ``ask`` returns,
  when known before the search starts: progress bars count rounds.
* ``proposer.asynchronous``, optional, true for a proposer whose ``ask``
  returns one candidate at a time and may be called while earlier ones
  still run (it is then called whenever a worker frees up, from joblib's
  dispatching thread, and each candidate is told as soon as it finishes);
  its ``n_iter`` is the most candidates it asks.
"""

import numbers
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from joblib import Parallel
from joblib.parallel import get_active_backend
from sklearn.base import clone, is_classifier
from sklearn.model_selection import check_cv
from sklearn.utils import check_random_state, indexable

from .._compat import BaseSearchCV, Interval, _check_method_params, _fit_context
from ..space import SearchSpace
from ..store import CheckpointError, CheckpointStore
from ._autolog import inner_fits_unlogged
from ._backend import result_order
from ._context import FitContext, FixedSplits
from ._engine import Evaluator, StopRules
from ._environment import begin_run
from ._fingerprint import compare, fingerprint
from ._json_values import decode_params
from ._timeout import check_fit_timeout
from ._validation import check_space

# What ``scoring`` accepts, as in scikit-learn's searches; the signatures of
# every search share it.
Scoring = str | Callable | list | tuple | dict | None


@dataclass
class Batch:
    """Candidates handed to ``evaluate_candidates`` in one call.

    Parameters
    ----------
    params : list of dict
        The candidates.
    more_results : dict of str -> list
        Extra ``cv_results_`` columns, one value per candidate.
    cv : cross-validation generator or None
        Splitter for this batch (Hyperband's subsampled folds); ``None`` uses
        the search's own.
    init_estimators : list or None, default=None
        Per candidate, ``None`` or one fitted estimator per split whose
        training the batch continues (HyperbandSearch with
        ``resource="partial_fit"``); passed on to ``evaluate_candidates``.
    fitted_estimators : dict or None, default=None
        A dict asks ``evaluate_candidates`` to fill it with the fitted
        estimators of the batch, ``{candidate index: one per split}``.

    Examples
    --------
    >>> from sktune.search import Batch
    >>> batch = Batch([{"C": 1.0}, {"C": 10.0}], more_results={"iter": [0, 0]})
    >>> batch.params, batch.more_results, batch.cv
    ([{'C': 1.0}, {'C': 10.0}], {'iter': [0, 0]}, None)
    """

    params: list
    more_results: dict = field(default_factory=dict)
    cv: object = None
    init_estimators: list = None
    fitted_estimators: dict = None


class FixedProposer:
    """Hands a list of candidates known in advance over in one batch.

    Parameters
    ----------
    candidates : list of dict
        The candidates, in evaluation order.

    Attributes
    ----------
    n_candidates : int
        Number of candidates, known before the search starts.

    Examples
    --------
    >>> from sktune.search import FixedProposer
    >>> proposer = FixedProposer([{"C": 1.0}, {"C": 10.0}])
    >>> proposer.n_candidates, proposer.ask().params, proposer.ask()
    (2, [{'C': 1.0}, {'C': 10.0}], None)
    """

    def __init__(self, candidates):
        self._candidates = candidates
        self.n_candidates = len(candidates)

    def ask(self):
        """Hand over every candidate on the first call, then ``None``.

        Returns
        -------
        batch : Batch or None
            All the candidates the first time; ``None`` afterwards, which
            ends the search.

        Examples
        --------
        >>> from sktune.search import FixedProposer
        >>> proposer = FixedProposer([{"C": 1.0}, {"C": 10.0}])
        >>> proposer.ask().params
        [{'C': 1.0}, {'C': 10.0}]
        >>> print(proposer.ask())
        None
        """
        if self._candidates is None:
            return None
        batch, self._candidates = Batch(self._candidates), None
        return batch

    def tell(self, batch, scores):
        """Take the scores and ignore them: the candidates were fixed in advance.

        Parameters
        ----------
        batch : Batch
            The batch from the last :meth:`ask`.
        scores : array-like of shape (n_candidates,)
            Mean test score of the refit metric of each candidate.

        Returns
        -------
        None

        Examples
        --------
        >>> from sktune.search import FixedProposer
        >>> proposer = FixedProposer([{"C": 1.0}, {"C": 10.0}])
        >>> batch = proposer.ask()
        >>> proposer.tell(batch, [0.9, 0.7])
        >>> print(proposer.ask())  # no new candidates, whatever the scores
        None
        """


class BaseSearch(BaseSearchCV):
    """Base class of sktune's searches; subclasses implement ``_make_proposer``.

    ``_make_proposer(space, context)`` returns the object that proposes
    candidates (see the module docstring) from the parsed space and the fit
    context (:class:`~sktune.search.FitContext`: the random generator, the
    folds split once, the checkpoint's records); the base runs the loop. The
    search space is read from the attribute named by ``_space_param``
    (``"param_distributions"`` unless a subclass says otherwise).

    The base takes scikit-learn's parameters and the run controls
    (``checkpoint``, ``max_time``, ``n_iter_no_change``, ``tol``,
    ``fit_timeout``; see :class:`RandomSearch`) and stores them. A subclass
    still lists each of them in its own ``__init__``, since ``get_params``
    reads that signature, and passes them on in one ``super().__init__``
    call.

    Parameters
    ----------
    estimator : estimator object
        The estimator to tune.
    scoring : str, callable, list, tuple or dict, default=None
        As in ``GridSearchCV``.
    n_jobs : int, default=None
        Number of jobs to run in parallel.
    refit : bool, str or callable, default=True
        Refit the best estimator on the whole data.
    cv : int, cross-validation generator or iterable, default=None
        Splitting strategy (5-fold by default).
    verbose : int, default=0
        Verbosity.
    pre_dispatch : int or str, default="2*n_jobs"
        Jobs dispatched ahead.
    error_score : "raise" or float, default=np.nan
        Score given to a failed fit.
    return_train_score : bool, default=True
        Also record training scores.
    checkpoint : str, path-like or None, default=None
        SQLite file where every candidate is recorded as it finishes.
    max_time : float or None, default=None
        Seconds of wall time after which no new candidate starts.
    n_iter_no_change : int or None, default=None
        Stop once this many candidates in a row have not improved the best
        score by more than ``tol``.
    tol : float, default=0.0
        Smallest improvement that resets ``n_iter_no_change``.
    fit_timeout : float or None, default=None
        Seconds each fit may take before it is stopped and scored
        ``error_score``.

    Attributes
    ----------
    search_space_ : SearchSpace
        The parsed search space, added to scikit-learn's fitted attributes
        (``cv_results_``, ``best_params_``...).
    stop_reason_ : str
        Why the search ended: ``"completed"``, ``"max_time"``,
        ``"n_iter_no_change"`` or ``"callback"``.
    n_reused_ : int
        Candidates taken from the checkpoint instead of being fitted.

    Examples
    --------
    A search that tries the two ends of each distribution:

    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sktune.distributions import LogUniform
    >>> from sktune.search import BaseSearch, FixedProposer
    >>> class EndsSearch(BaseSearch):
    ...     def __init__(self, estimator, param_distributions, *, cv=None):
    ...         super().__init__(estimator, cv=cv)
    ...         self.param_distributions = param_distributions
    ...     def _make_proposer(self, space, context):
    ...         sub = space.subspaces[0]
    ...         return FixedProposer([{n: d.ppf(q) for n, d in sub.items()} for q in (0, 1)])
    >>> X, y = load_iris(return_X_y=True)
    >>> search = EndsSearch(SVC(), {"C": LogUniform(0.01, 100)}, cv=3).fit(X, y)
    >>> search.cv_results_["params"], search.stop_reason_
    ([{'C': 0.01}, {'C': 100.0}], 'completed')
    """

    _parameter_constraints: dict = {
        **BaseSearchCV._parameter_constraints,
        "checkpoint": [str, os.PathLike, None],
        "max_time": [Interval(numbers.Real, 0, None, closed="left"), None],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "fit_timeout": [Interval(numbers.Real, 0, None, closed="neither"), None],
    }

    # Searches that draw nothing (GridSearch, ManualSearch) have no
    # random_state parameter; their fit still gets a seed (_resolve_seed).
    random_state: int | np.random.RandomState | None = None
    # Searches that can start a candidate per free worker have the parameter.
    asynchronous: bool = False

    def __init__(
        self,
        estimator: object,
        *,
        scoring: Scoring = None,
        n_jobs: int | None = None,
        refit: bool | str | Callable = True,
        cv: object = None,
        verbose: int = 0,
        pre_dispatch: int | str = "2*n_jobs",
        error_score: float | Literal["raise"] = np.nan,
        return_train_score: bool = True,
        checkpoint: str | os.PathLike | None = None,
        max_time: float | None = None,
        n_iter_no_change: int | None = None,
        tol: float = 0.0,
        fit_timeout: float | None = None,
    ) -> None:
        super().__init__(
            estimator=estimator,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            error_score=error_score,
            return_train_score=return_train_score,
        )
        self.checkpoint = checkpoint
        self.max_time = max_time
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.fit_timeout = fit_timeout

    # The HTML display links the class name to its page of the API reference.
    _doc_link_module = "sktune"
    _doc_link_template = (
        "https://sktune.readthedocs.io/en/latest/generated/sktune.{estimator_name}.html"
    )

    # name of the constructor argument that holds the search space
    _space_param = "param_distributions"
    # whether a different space makes a checkpoint unusable (ManualSearch
    # grows its candidate list on purpose)
    _space_in_fingerprint = True

    def _space_argument(self):
        return getattr(self, self._space_param)

    def _build_space(self):
        """Parse and check the search space before any model is fitted."""
        owner = f"{self._space_param} of {type(self).__name__}"
        space = SearchSpace(self._space_argument(), owner=owner)
        check_space(self.estimator, space, type(self).__name__, values=self._refuses_bad_values())
        return space

    def _refuses_bad_values(self):
        """Whether a listed value the estimator's constraints forbid fails before any fit.

        It does with the default ``error_score`` (NaN) and with ``"raise"``:
        every fit of it would fail. A number as ``error_score`` asks for
        failed candidates to be scored, as ``GridSearchCV(...,
        error_score=0)`` scores them (scikit-learn's own tests do this).
        """
        score = self.error_score
        return isinstance(score, str) or bool(np.isnan(score))

    def _make_proposer(self, space, context):
        raise NotImplementedError

    def _check_input_parameters(self, X, y, split_params, cv=None):
        """Checks that need the data and the folds (``cv``, split once); none here."""

    def _score_key(self, results):
        if "mean_test_score" in results:
            return "mean_test_score"
        metrics = sorted(k[len("mean_test_"):] for k in results if k.startswith("mean_test_"))
        if isinstance(self.refit, str):
            # scikit-learn's own message when a callable scorer lacks the key
            self._check_refit_for_multimetric(dict.fromkeys(metrics))
            return f"mean_test_{self.refit}"
        # multi-metric without a named refit: follow the first metric
        return f"mean_test_{metrics[0]}"

    def _run_search(self, evaluate_candidates, *, callback_ctx=None, context,
                    evaluate_stream=None):
        """Run ask -> evaluate -> tell over the proposer built for ``context``.

        An asynchronous proposer (``proposer.asynchronous`` true) is run by
        ``evaluate_stream`` instead, one candidate asked per free worker.
        """
        space = context.space
        proposer = self._make_proposer(space, context)
        self.search_space_ = space
        stop = context.stop
        n_splits = context.n_splits

        n_total = proposer.n_candidates
        asynchronous = getattr(proposer, "asynchronous", False)
        # an asynchronous search is one stream of fits, of unknown length
        single = n_total is not None or asynchronous
        search_ctx = None
        if callback_ctx is not None:
            search_ctx = callback_ctx.subcontext(
                task_name="search",
                # an asynchronous proposer's n_iter bounds its candidates
                max_subtasks=(proposer.n_iter if asynchronous else n_total) * n_splits if single
                else getattr(proposer, "n_rounds", None),
                sequential_subtasks=not single,
            ).call_on_fit_task_begin(estimator=self)

        if asynchronous:
            evaluate_stream(proposer, callback_ctx=search_ctx)
        while not asynchronous and (batch := proposer.ask()) is not None:
            round_ctx = search_ctx
            if search_ctx is not None and not single:
                round_ctx = search_ctx.subcontext(
                    task_name="search-round",
                    max_subtasks=len(batch.params) * n_splits,
                    sequential_subtasks=False,
                ).call_on_fit_task_begin(estimator=self)
            # continued training only: other batches keep scikit-learn's signature
            models = {
                name: getattr(batch, name)
                for name in ("init_estimators", "fitted_estimators")
                if getattr(batch, name) is not None
            }
            results = evaluate_candidates(
                batch.params,
                cv=batch.cv,
                more_results=batch.more_results or None,
                callback_ctx=round_ctx,
                **models,
            )
            if stop.reason is None:
                # read without formatting the results (see _round_results)
                scores = results.mean_scores
                proposer.tell(batch, scores[len(scores) - len(batch.params):])
            if round_ctx is not search_ctx and round_ctx.call_on_fit_task_end(estimator=self):
                # a callback asked the search to stop after this round
                if stop.reason is None:
                    stop.reason = "callback"
            if stop.reason is not None:
                break

        if search_ctx is not None:
            search_ctx.call_on_fit_task_end(estimator=self)

    def _open_checkpoint(self, X, y, routed, splits):
        path = self.checkpoint
        if path is None:
            return None
        current = fingerprint(self, X, y, routed.estimator.fit, splits.splits)
        store = CheckpointStore(path)
        stored = store.fingerprint()
        if stored is None:
            store.set_fingerprint(current)
        elif differ := compare(stored, current):
            store.close()
            raise CheckpointError(
                f"The checkpoint {str(path)!r} of {type(self).__name__} was written by a "
                f"search with different {', '.join(differ)}; its results cannot be mixed "
                "with this one's. Use another checkpoint path, or delete the file to "
                "start over."
            )
        begin_run(store, self)
        return store

    def _resolve_seed(self, store):
        """The seed of this fit; persisted in the checkpoint when it is None."""
        seed = self.random_state
        if seed is None and store is not None:
            seed = store._meta("seed")
            if seed is None:
                seed = int(np.random.randint(0, 2**31 - 1))
                store._set_meta("seed", seed)
        return seed

    def _split_once(self, X, y, routed):
        """The search's folds, split once for the whole fit (DESIGN rule 14)."""
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        n_splits = cv.get_n_splits(X, y, **routed.splitter.split)
        splits = FixedSplits(cv.split(X, y, **routed.splitter.split))
        if not splits.splits:
            raise ValueError(
                "No fits were performed. Was the CV iterator empty? Were there no candidates?"
            )
        if len(splits.splits) != n_splits:
            raise ValueError(
                "cv.split and cv.get_n_splits return inconsistent results. "
                f"Expected {n_splits} splits, got {len(splits.splits)}"
            )
        return splits

    def _trainer(self, X, y, fit_params):
        """The estimator each candidate's parameters are set on and fitted.

        The search's own estimator; a subclass may train it through a wrapper
        (HyperbandSearch's ``partial_fit`` passes), which then travels in the
        fit context instead of replacing the ``estimator`` parameter.
        """
        return self.estimator

    @_fit_context(
        # the estimator of the search is validated when it is fitted
        prefer_skip_nested_validation=False
    )
    @inner_fits_unlogged
    def fit(self, X, y=None, **params):
        """Run the search: cross-validate candidates, then refit the best.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Targets, ``None`` for unsupervised estimators.
        **params : dict
            Parameters routed to the estimator's ``fit``, the scorers and the
            splitter (``groups``, ``sample_weight``...).

        Returns
        -------
        self : object
            The fitted search.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.svm import SVC
        >>> from sktune import RandomSearch
        >>> from sktune.distributions import LogUniform
        >>> X, y = load_iris(return_X_y=True)
        >>> search = RandomSearch(SVC(), {"C": LogUniform(0.01, 100)}, n_iter=4, cv=3,
        ...                       random_state=0)
        >>> search.fit(X, y) is search
        True
        >>> len(search.cv_results_["params"]), search.stop_reason_, search.n_reused_
        (4, 'completed', 0)
        >>> bool(search.best_score_ > 0.9)
        True
        """
        scorers, refit_metric = self._get_scorers()
        X, y = indexable(X, y)
        params = _check_method_params(X, params=params)
        routed = self._get_routed_params_for_fit(params)
        sample_weight = params.get("sample_weight")
        metadata = None if sample_weight is None else {"sample_weight": sample_weight}
        root_ctx = self._init_callback_context(
            max_subtasks=1 + (self.refit is not False)
        ).call_on_fit_task_begin(estimator=self, X=X, y=y, metadata=metadata)

        # Everything a user can get wrong is checked before a file is touched
        # or a model fitted.
        splits = self._split_once(X, y, routed)
        self.n_splits_ = splits.get_n_splits()
        self._check_input_parameters(X=X, y=y, split_params=routed.splitter.split, cv=splits)
        space = self._build_space()
        trainer = self._trainer(X, y, routed.estimator.fit)
        check_fit_timeout(self)
        parallel = self._parallel()

        store = self._open_checkpoint(X, y, routed, splits)
        stop = StopRules(self.max_time, self.n_iter_no_change, self.tol)
        metric = self.refit if isinstance(self.refit, str) else None
        engine = None
        outcome = "error"  # what the checkpoint's run records when fit raises
        try:
            # objects come back as StoredRepr: ManualSearch finds them in its space
            records = store.records(decode=decode_params) if store is not None else {}
            context = FitContext(
                random_state=check_random_state(self._resolve_seed(store)),
                cv=splits,
                stop=stop,
                store=store,
                recorded=tuple(params for params, _ in records.values()),
                estimator=trainer,
                space=space,
            )
            engine = Evaluator(self, X, y, routed, scorers, parallel, context, metric, records)
            with parallel, engine.data_on_workers():
                self._run_search(
                    engine.evaluate_candidates, callback_ctx=root_ctx, context=context,
                    evaluate_stream=engine.evaluate_stream,
                )
            outcome = stop.reason or "completed"
        except KeyboardInterrupt:
            outcome = "interrupted"
            raise KeyboardInterrupt(self._interrupt_message(engine)) from None
        finally:
            if store is not None:
                try:
                    store.end_run(outcome)
                finally:
                    store.close()
        engine.raise_if_every_fit_failed()
        self.stop_reason_ = stop.reason or "completed"
        self.n_reused_ = engine.n_reused
        results = engine.results
        if not results:
            raise ValueError(
                f"No candidate of {type(self).__name__} finished before the search "
                f"stopped ({self.stop_reason_}); raise max_time or n_iter_no_change."
            )
        self._finish(results, engine.all_out[0]["test_scores"], scorers, refit_metric,
                     X, y, routed, metadata, root_ctx, trainer)
        return self

    def _parallel(self):
        """The fit's ``Parallel``; checks the backend of an asynchronous search before any fit."""
        order = result_order()
        if not self.asynchronous:
            return Parallel(n_jobs=self.n_jobs, pre_dispatch=self.pre_dispatch, return_as=order)
        if order != "generator_unordered":
            backend, _ = get_active_backend()
            raise ValueError(
                f"asynchronous=True of {type(self).__name__} needs a joblib backend that "
                "returns each fit as it finishes (loky, threading, dask); the active "
                f"backend {type(backend).__name__} returns them only when all are done. "
                "Use another backend or asynchronous=False."
            )
        # One task per worker and no more: each task dispatched later is
        # proposed knowing every candidate that finished before it started.
        return Parallel(n_jobs=self.n_jobs, pre_dispatch="n_jobs", batch_size=1,
                        return_as=order)

    def _interrupt_message(self, engine):
        path = self.checkpoint
        if path is None:
            return (
                f"{type(self).__name__} interrupted; the finished candidates are not kept. "
                "Pass checkpoint='search.db' to keep them and resume later."
            )
        return (
            f"{type(self).__name__} interrupted; "
            f"{0 if engine is None else engine.n_finished} newly finished "
            f"candidates are saved in {str(path)!r} with those saved before. Call fit "
            "again with the same checkpoint and data to resume."
        )

    def _finish(self, results, first_test_scores, scorers, refit_metric,
                X, y, routed, metadata, root_ctx, trainer):
        """Pick the best candidate, refit it and store the fitted attributes."""
        self.multimetric_ = isinstance(first_test_scores, dict)
        if callable(self.scoring) and self.multimetric_:
            # a callable scorer's keys are only known after scoring
            self._check_refit_for_multimetric(first_test_scores)
            refit_metric = self.refit

        if self.refit or not self.multimetric_:
            self.best_index_ = self._select_best_index(self.refit, refit_metric, results)
            if not callable(self.refit):
                self.best_score_ = results[f"mean_test_{refit_metric}"][self.best_index_]
            self.best_params_ = results["params"][self.best_index_]

        if self.refit:
            # parameters may hold estimators: clone them too
            self.best_estimator_ = clone(clone(trainer)).set_params(
                **clone(self.best_params_, safe=False)
            )
            refit_ctx = root_ctx.subcontext(task_name="refit-with-best-params")
            with refit_ctx.propagate_callback_context(self.best_estimator_):
                refit_ctx.call_on_fit_task_begin(estimator=self, X=X, y=y, metadata=metadata)
                start = time.time()
                fit_args = (X,) if y is None else (X, y)
                self.best_estimator_.fit(*fit_args, **routed.estimator.fit)
                self.refit_time_ = time.time() - start
            if hasattr(self.best_estimator_, "feature_names_in_"):
                self.feature_names_in_ = self.best_estimator_.feature_names_in_
            refit_ctx.call_on_fit_task_end(estimator=self, X=X, y=y, metadata=metadata)

        self.scorer_ = getattr(scorers, "_scorers", scorers)
        self.cv_results_ = results
        root_ctx.call_on_fit_task_end(estimator=self, X=X, y=y, metadata=metadata)
