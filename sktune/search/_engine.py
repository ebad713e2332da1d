"""Evaluating candidates: parallel fits streamed back as they finish.

This replaces the ``evaluate_candidates`` closure of scikit-learn's
``BaseSearchCV.fit`` with one that

* reports every candidate as soon as its last split finishes, so a
  checkpoint holds all finished work, not only whole batches (under a
  joblib backend that cannot stream results, ``multiprocessing`` or Ray,
  when the batch's call returns, still one record per candidate);
* takes candidates recorded in the checkpoint from there instead of fitting
  them again (resume and continue);
* stops starting new candidates once a stop rule fires (``max_time``,
  ``n_iter_no_change``);
* with ``fit_timeout``, stops each fit at its time limit (see ``_timeout``);
* with ``verbose > 0``, prints scikit-learn's "Fitting ..." line once, when
  the search starts, then one line per round with the best score so far.

The results it returns are built by ``BaseSearchCV._format_results``, so
``cv_results_`` has exactly scikit-learn's layout; they are formatted only
when read (see ``_round_results``), not after every round.
"""

import copy
import hashlib
import itertools
import math
import os
import pickle
import socket
import threading
import time
import uuid
import warnings
from collections import defaultdict
from contextlib import ExitStack, contextmanager

import joblib
import numpy as np
from joblib import delayed
from sklearn.base import clone
from sklearn.exceptions import FitFailedWarning

from .._compat import _fit_and_score, _insert_error_scores, _warn_or_raise_about_fit_failures
from ..store._rows import WORKER_KEYS
from ._autolog import candidate_listeners
from ._backend import dask_client, local_values, lost_data, scattered, watch_owner
from ._json_values import ChoiceIndex
from ._round_results import RoundResults
from ._runner import release_data
from ._timeout import FitLimit, run_limited

# How many times one call of evaluate_candidates sends the data again after
# the worker holding them died; a cluster that keeps losing workers fails.
_MAX_DATA_LOSSES = 3


def _indexed_fit_and_score(index, split, *, owner_pid, limit, **kwargs):
    watch_owner(owner_pid)
    # the wall clock, not a monotonic one: starts are compared across processes
    started = time.time()
    # Results come back in completion order; the indices say whose they are.
    # None: max_time ran out before or during the fit (see _timeout).
    out = run_limited(_fit_and_score, limit, local_values(kwargs))
    if out is not None:
        # where and when it ran, as the worker sees it (the dashboard's timeline)
        out.update(start_time=started, worker_host=socket.gethostname(), worker_pid=os.getpid())
    return index, split, out


def candidate_score(outputs, metric):
    """The refit metric's mean test score of one candidate, NaN if a fold failed."""
    scores = [o["test_scores"] for o in outputs]
    if isinstance(scores[0], dict):
        # refit=True/callable with several metrics: follow the first one
        metric = metric if metric in scores[0] else sorted(scores[0])[0]
        scores = [s[metric] if isinstance(s, dict) else s for s in scores]
    return float(np.mean(np.asarray(scores, dtype=float)))


def _mean_score(outputs, metric):
    score = candidate_score(outputs, metric)
    return score if math.isfinite(score) else -math.inf


def _split_contexts(callback_ctx, pending, n_candidates, n_splits):
    # Created up front, as scikit-learn does: creating them inside the
    # parallel loop would pickle an estimator while it is being changed.
    contexts = [None] * (n_candidates * n_splits)
    if callback_ctx is not None:
        for i in pending:
            for s in range(n_splits):
                contexts[i * n_splits + s] = callback_ctx.subcontext(
                    task_name="candidate-split-evaluation", task_id=i * n_splits + s
                )
    return contexts


def _for_worker(ctx):
    """``ctx`` as a fit's task carries it: its ancestors hold only the path to it.

    Every context of a search's fits hangs from one parent, so a context
    pickled whole carries all its siblings, about 80 bytes per fit of the
    search in every task sent: 12 MB and over half a second per fit at
    144,000 fits, which made a search with ``n_jobs=2`` over 48,000
    candidates finish one candidate every 4 s. Without a callback nothing
    reads the siblings; with one, the tree is sent whole, as scikit-learn
    sends it (a callback may walk the tree, and under the threading backend
    the task's context is the main process's own).
    """
    if ctx is None or ctx._callbacks:
        return ctx
    lean = node = copy.copy(ctx)
    while node.parent is not None:
        parent = copy.copy(node.parent)
        parent._children_map = {node.task_id: node}
        node.parent = parent
        node = parent
    return lean


def _lean_caller(search):
    """The search as its fits' tasks carry it: without the tree of contexts
    it holds (see :func:`_for_worker`) when no callback would read it."""
    root = getattr(search, "_callback_fit_ctx", None)
    if root is None or root._callbacks:
        return search
    lean = copy.copy(search)
    del lean._callback_fit_ctx
    return lean


class StopRules:
    """``max_time`` and ``n_iter_no_change`` / ``tol``, checked as candidates finish.

    Parameters
    ----------
    max_time : float or None
        Seconds after which no new candidate starts.
    n_iter_no_change : int or None
        Stop after this many finished candidates without an improvement of
        the best score by more than ``tol``.
    tol : float
        Smallest improvement that counts.
    """

    def __init__(self, max_time=None, n_iter_no_change=None, tol=0.0):
        self.deadline = None if max_time is None else time.monotonic() + max_time
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.best = -math.inf
        self.since_best = 0
        self.reason = None

    def out_of_time(self):
        if self.reason is None and self.deadline is not None and time.monotonic() >= self.deadline:
            self.reason = "max_time"
        return self.reason is not None

    def record(self, score):
        """Account for one finished candidate's score (in candidate order)."""
        if score > self.best + self.tol:
            self.best, self.since_best = score, 0
        else:
            self.since_best += 1
        if (
            self.reason is None
            and self.n_iter_no_change is not None
            and self.since_best >= self.n_iter_no_change
        ):
            self.reason = "n_iter_no_change"


class Evaluator:
    """The ``evaluate_candidates`` of one ``fit``.

    Parameters
    ----------
    search : BaseSearch
        The search being fitted (its settings and ``_format_results``).
    X, y : array-like
        The data, already made indexable.
    routed : Bunch
        Routed metadata (``routed.estimator.fit``, ``routed.scorer.score``,
        ``routed.splitter.split``).
    scorers : callable or dict
        From ``search._get_scorers()``.
    parallel : joblib.Parallel
        Opened by the caller, with the ``return_as`` of
        :func:`~sktune.search._backend.result_order`: results in any order,
        as they finish or all at the end of a call.
    context : FitContext
        The fit's folds (split once), stop rules, checkpoint, search space
        and the estimator each candidate is fitted on.
    metric : str
        Key of the refit metric within multi-metric test scores.
    records : dict, default=None
        The checkpoint's records, ``{key: (params, outputs)}``.
    """

    def __init__(self, search, X, y, routed, scorers, parallel, context, metric, records=None):
        self.search = search
        self.X, self.y = X, y
        self.routed = routed
        self.cv = context.cv
        self.parallel = parallel
        self.stop = context.stop
        self.store = context.store
        self.metric = metric
        self.recorded = records or {}
        # called with each candidate as its last fold finishes (MLflow's live child runs)
        self.listeners = candidate_listeners()
        # objects of the space are stored by their index among its choices
        self._choices = ChoiceIndex(context.space)
        self._no_choices = ChoiceIndex()
        self.n_reused = 0
        self.n_finished = 0
        self.n_rounds = 0
        self.owner_pid = os.getpid()
        # messages of the rounds whose fits all failed while no fit had succeeded
        self._failed_rounds = []
        self.base_estimator = clone(context.estimator)
        self.limit = None
        if search.fit_timeout is not None:
            # the data go to each fit runner once per search, named by this token
            self.limit = FitLimit(search.fit_timeout, self.stop.deadline,
                                  type(search).__name__, uuid.uuid4().hex)
        self.fit_kwargs = dict(
            scorer=scorers,
            fit_params=routed.estimator.fit,
            score_params=routed.scorer.score,
            return_train_score=search.return_train_score,
            return_n_test_samples=True,
            return_times=True,
            return_parameters=False,
            error_score=search.error_score,
            verbose=search.verbose,
        )
        # what the tasks receive: the data, or their futures on a Dask cluster
        self.task_data = self._data()
        self.all_params, self.all_out = [], []
        self.all_more = defaultdict(list)
        # the refit metric's mean test score per candidate, kept as they come
        self.mean_scores = []
        self._round = None
        self._seen = defaultdict(int)

    def _data(self):
        return {
            "X": self.X,
            "y": self.y,
            "fit_params": self.fit_kwargs["fit_params"],
            "score_params": self.fit_kwargs["score_params"],
        }

    @contextmanager
    def data_on_workers(self):
        """Under joblib's Dask backend, send the data to every worker once.

        Without this, joblib sends them again for each ``Parallel`` call
        (each round of candidates), and a list or a ``fit`` parameter with
        every batch of tasks (issue 8).
        """
        with ExitStack() as self._scatter:
            try:
                self._send_data()
                yield
            finally:
                self.task_data = self._data()
                # the fit runners of this process (n_jobs=1) stay, without the data
                release_data()

    def _send_data(self):
        # closing the stack releases the futures of the previous copy
        self._scatter.close()
        self.task_data = self._scatter.enter_context(scattered(dask_client(), self._data()))

    def _tag(self, cv):
        # a batch's own splitter (Hyperband's budget) tells its evaluations apart
        return "" if cv is None or cv is self.cv else joblib.hash(cv)

    def _key(self, params, tag):
        # the n-th evaluation of the same candidate at the same budget
        ident = pickle.dumps((tag, sorted(params.items())), protocol=4)
        occurrence = self._seen[ident]
        self._seen[ident] += 1
        return hashlib.sha1(ident + str(occurrence).encode()).hexdigest()

    def _record(self, key, params, outputs, extra):
        # listeners first: a candidate the checkpoint holds has been logged too
        for listener in self.listeners:
            listener(params, outputs, extra)
        if self.store is not None:
            self.store.add(
                key, self._choices.encode(params), outputs, self._no_choices.encode(extra)
            )

    def _tasks(self, params, pending, splits_of, contexts, finished, init, returns_model):
        kwargs = {**self.fit_kwargs, **self.task_data}
        caller = _lean_caller(self.search)
        for i in pending:
            # No new candidate starts once a stop rule fired; started ones finish.
            if self.stop.reason is not None or self.stop.out_of_time():
                return
            splits = splits_of(i)
            n_splits = len(splits)
            for s, (train, test) in enumerate(splits):
                if s in finished[i]:
                    continue
                start = init[i][s] if init is not None and init[i] is not None else None
                yield delayed(_indexed_fit_and_score)(
                    i, s, owner_pid=self.owner_pid, limit=self.limit,
                    estimator=clone(self.base_estimator) if start is None else start,
                    train=train, test=test,
                    parameters=params[i],
                    split_progress=(s, n_splits),
                    candidate_progress=(i, len(params)),
                    caller=caller,
                    callback_ctx=_for_worker(contexts[i * n_splits + s]),
                    return_estimator=returns_model(i),
                    **kwargs,
                )

    @property
    def results(self):
        """The cumulative results dict of every candidate finished so far."""
        return {} if self._round is None else self._round.to_dict()

    def _record_in_order(self, outputs, next_in_order):
        if self.stop.n_iter_no_change is None:
            return next_in_order
        while next_in_order in outputs:
            self.stop.record(_mean_score(outputs[next_in_order], self.metric))
            next_in_order += 1
        return next_in_order

    def evaluate_candidates(
        self, candidate_params, cv=None, more_results=None, callback_ctx=None, *,
        init_estimators=None, fitted_estimators=None,
    ):
        """Evaluate candidates; return the cumulative results dict.

        Same signature and return value as the ``evaluate_candidates`` that
        scikit-learn passes to ``_run_search``, plus two keyword-only
        arguments that let a search continue the training of earlier fits
        (HyperbandSearch with ``resource="partial_fit"``):

        * ``init_estimators``: list with, per candidate, ``None`` or one
          fitted estimator per split. The split's task fits that estimator
          (whose ``fit`` continues its training) instead of a fresh clone.
          Each entry is set to ``None`` once its fit has finished, so the
          old models are freed as the new ones arrive.
        * ``fitted_estimators``: a dict, filled with ``{candidate index: list
          of n_splits fitted estimators}`` (``None`` for a failed fit), the
          models being sent back from the workers. Candidates taken from the
          checkpoint have no entry: it records scores, not models.
        """
        search = self.search
        params = list(candidate_params)
        cv = cv or self.cv
        n_splits = self.cv.get_n_splits()
        # a batch's own splitter (Hyperband's subsampled training folds) is
        # derived from the fit's fixed folds, never split afresh
        splits = list(cv.split(self.X, self.y, **self.routed.splitter.split))
        if search.verbose > 0 and self.n_rounds == 0:
            print(
                f"Fitting {n_splits} folds for each of {len(params)} candidates,"
                f" totalling {len(params) * n_splits} fits"
            )
        self.n_rounds += 1
        start_time = time.perf_counter()
        keys = [None] * len(params)
        if self.store is not None:
            keys = [self._key(p, self._tag(cv)) for p in params]
        outputs = {i: self.recorded[k][1] for i, k in enumerate(keys) if k in self.recorded}
        self.n_reused += len(outputs)
        pending = [i for i in range(len(params)) if i not in outputs]

        contexts = _split_contexts(callback_ctx, pending, len(params), n_splits)
        self._run_tasks(
            params, pending, lambda i: splits, contexts, outputs, keys, more_results,
            init_estimators, fitted_estimators,
            returns_model=lambda i: fitted_estimators is not None,
        )
        return self._collect(params, outputs, more_results, start_time)

    def _collect(self, params, outputs, more_results, start_time):
        """Add the finished candidates of one call to the results; return them."""
        search = self.search
        n_splits = self.cv.get_n_splits()
        done = sorted(outputs)
        out = [o for i in done for o in outputs[i]]
        if not out:
            if self.stop.reason is not None:
                return self.results
            raise ValueError(
                "No fits were performed. Was the CV iterator empty? Were there no candidates?"
            )
        self._check_fit_failures(out)
        # a callable scorer's return type is known only now: fill in failures
        if callable(search.scoring):
            _insert_error_scores(out, search.error_score)
        self.all_params.extend(params[i] for i in done)
        # scikit-learn's formatting reads every key of each output: keep
        # results alone (a record from an older checkpoint lacks the others)
        self.all_out.extend({k: v for k, v in o.items() if k not in WORKER_KEYS} for o in out)
        for name, values in (more_results or {}).items():
            self.all_more[name].extend(values[i] for i in done)
        metric = self._score_metric(out[0]["test_scores"])
        self.mean_scores.extend(candidate_score(outputs[i], metric) for i in done)
        n = len(self.all_params)
        self._round = RoundResults(
            lambda: search._format_results(
                self.all_params[:n], n_splits, self.all_out[: n * n_splits],
                {name: values[:n] for name, values in self.all_more.items()},
            ),
            np.array(self.mean_scores),
        )
        if search.verbose > 0:
            budgets = set((more_results or {}).get("n_resources", ()))
            print(self._round_line(len(done), time.perf_counter() - start_time, budgets))
        return self._round

    def _score_metric(self, test_scores):
        # the column _score_key picks, named by the keys formatting would make
        names = test_scores if isinstance(test_scores, dict) else ["score"]
        key = self.search._score_key(dict.fromkeys(f"mean_test_{name}" for name in names))
        return key[len("mean_test_"):]

    def evaluate_stream(self, proposer, callback_ctx=None):
        """Evaluate one candidate at a time, each asked as soon as a worker frees up.

        For a proposer whose ``ask`` returns one candidate per batch and may
        be called while earlier candidates still run (its ``asynchronous``
        attribute is true): joblib takes the next task from a lazy stream
        whenever a fit finishes, and the stream asks the proposer for a new
        candidate once every fold of the previous one is dispatched. Each
        candidate is told to the proposer as soon as its last fold finishes;
        candidates the checkpoint holds are told at once, not fitted.

        Parameters
        ----------
        proposer : object
            With ``ask()`` (a one-candidate :class:`~sktune.search.Batch` or
            ``None``) and ``tell(batch, scores)``; both are called under one
            lock, ``ask`` possibly from joblib's dispatching thread.
        callback_ctx : CallbackContext or None, default=None
            scikit-learn's callback context of the search.

        Returns
        -------
        results : dict
            The cumulative results, as :meth:`evaluate_candidates` returns.
        """
        n_splits = self.cv.get_n_splits()
        if self.search.verbose > 0:
            print(
                f"Fitting {n_splits} folds for each candidate, a new candidate starting "
                "as soon as a worker is free"
            )
        self.n_rounds += 1
        start_time = time.perf_counter()
        stream = CandidateStream(self, proposer, callback_ctx, n_splits)
        self._run_tasks(
            stream.params, stream, stream.splits_of, stream.contexts, stream.outputs,
            stream.keys, stream.more, stream.init, stream.fitted,
            on_finished=stream.finished, returns_model=stream.returns_model,
        )
        if not stream.params:
            return self.results
        return self._collect(stream.params, stream.outputs, stream.more, start_time)

    def _run_tasks(
        self, params, pending, splits_of, contexts, outputs, keys, more_results,
        init_estimators, fitted_estimators, *, returns_model, on_finished=None,
    ):
        # fills ``outputs`` (candidate index -> one output per split) as fits finish
        n_splits = self.cv.get_n_splits()
        partial = defaultdict(dict)
        next_in_order = 0
        for n_losses in range(_MAX_DATA_LOSSES + 1):
            try:
                tasks = self._tasks(
                    params, pending, splits_of, contexts, partial, init_estimators,
                    returns_model,
                )
                for i, s, out in self.parallel(tasks):
                    if out is None:
                        # cut by max_time: the candidate is dropped, not failed
                        self.stop.out_of_time()
                        continue
                    # models are handed over, never recorded nor kept in the results
                    model = out.pop("estimator", None)
                    if fitted_estimators is not None and out["fit_error"] is None:
                        fitted_estimators.setdefault(i, [None] * n_splits)[s] = model
                    if init_estimators is not None and init_estimators[i] is not None:
                        init_estimators[i][s] = None
                    partial[i][s] = out
                    if len(partial[i]) == n_splits:
                        outputs[i] = [partial[i].pop(k) for k in range(n_splits)]
                        self.n_finished += 1
                        if on_finished is not None:
                            on_finished(i)
                        if self.store is not None or self.listeners:
                            extra = {k: v[i] for k, v in (more_results or {}).items()}
                            self._record(keys[i], params[i], outputs[i], extra)
                    # the no-change rule reads scores in candidate order, whatever
                    # order the workers finish in, so it stops at the same candidate
                    next_in_order = self._record_in_order(outputs, next_in_order)
                break
            except Exception as exc:
                if not lost_data(exc) or n_losses == _MAX_DATA_LOSSES:
                    raise
                pending = (
                    pending.restart() if isinstance(pending, CandidateStream)
                    else [i for i in pending if i not in outputs]
                )
                warnings.warn(
                    f"The Dask worker holding the search's data died ({exc}); sending "
                    f"the data again and re-running the unfinished fits of "
                    f"{len(pending)} candidates.",
                    RuntimeWarning,
                    stacklevel=2,
                )
                self._send_data()
        self._record_in_order(outputs, next_in_order)

    def _check_fit_failures(self, out):
        succeeded_before = any(o["fit_error"] is None for o in self.all_out)
        try:
            _warn_or_raise_about_fit_failures(out, self.search.error_score)
        except ValueError as exc:
            # scikit-learn raises when every fit of one call failed. A
            # sequential search goes on instead, since a later round may
            # succeed (a first round of BayesSearch or Hyperband that fails
            # entirely ended the search before, issue 17); fit raises once
            # the whole search is over if no fit of it succeeded.
            if succeeded_before:
                warnings.warn(str(exc), FitFailedWarning)
            else:
                self._failed_rounds.append(str(exc))
        else:
            if not succeeded_before and self._failed_rounds:
                # the earlier rounds that failed entirely, now that one did not
                for message in self._failed_rounds:
                    warnings.warn(message, FitFailedWarning)
                self._failed_rounds = []

    def raise_if_every_fit_failed(self):
        """Raise scikit-learn's "All the N fits failed" when no fit of the search succeeded.

        Called once the search is over: a round whose fits all failed does
        not end a sequential search, the whole search failing does.

        Raises
        ------
        ValueError
            With every failed fit of the search counted, unless
            ``error_score="raise"`` raised at the first one already.
        """
        if self.all_out and not any(o["fit_error"] is None for o in self.all_out):
            _warn_or_raise_about_fit_failures(self.all_out, self.search.error_score)

    def _round_line(self, n_candidates, seconds, budgets=()):
        """One line on the round just evaluated and the best candidate so far."""
        search, results = self.search, self.results
        key = search._score_key(results)
        # the search's own choice, scores only (Hyperband looks at its
        # largest budget alone): what best_index_ would be now
        best = int(search._select_best_index(True, key[len("mean_test_"):], results))
        score = float(results[key][best])
        # rounds count from 0, as the ``iter`` column of cv_results_ does
        plural = "" if n_candidates == 1 else "s"
        # a Hyperband round has one budget
        at = f" at n_resources={int(next(iter(budgets)))}" if len(budgets) == 1 else ""
        line = (
            f"[{type(search).__name__}] round {self.n_rounds - 1}: {n_candidates} "
            f"candidate{plural}{at} x {search.n_splits_} folds in {seconds:.1f} s. "
        )
        if not math.isfinite(score):
            return line + f"No candidate has a finite {key} yet."
        budget = ""
        if "n_resources" in results:
            budget = f" at n_resources={results['n_resources'][best]}"
        return (
            line + f"Best is candidate {best}{budget} with {key} {score:.6g}: "
            f"{results['params'][best]!r}"
        )


class CandidateStream:
    """The candidate indices of :meth:`Evaluator.evaluate_stream`, asked lazily.

    Iterating asks the proposer for its next candidate and yields its index
    among the candidates asked so far; joblib iterates (through the tasks of
    each candidate's folds) whenever a worker frees up, from its dispatching
    thread, so ``ask`` and ``tell`` share one lock. A candidate the
    checkpoint holds is told at once and not yielded.

    Parameters
    ----------
    evaluator : Evaluator
        Its stop rules, checkpoint keys and records.
    proposer : object
        An asynchronous proposer (see :meth:`Evaluator.evaluate_stream`).
    callback_ctx : CallbackContext or None
        Parent of each fold's callback context.
    n_splits : int
        Folds per candidate.
    """

    def __init__(self, evaluator, proposer, callback_ctx, n_splits):
        self.evaluator = evaluator
        self.proposer = proposer
        self.callback_ctx = callback_ctx
        self.n_splits = n_splits
        self.lock = threading.Lock()
        self.params, self.keys, self.batches, self.contexts = [], [], [], []
        self.more = {}
        self.outputs = {}
        # per candidate, what a synchronous Batch carries for all of its
        # candidates: its folds (a budget's subsampled training folds), the
        # fold models it continues, whether its fitted models come back
        self.init, self._splits, self._wants_model = [], [], []
        self.fitted = {}
        self._folds = {}
        self._started = []
        self._asking = iter(self._ask_all())

    def _ask_all(self):
        evaluator = self.evaluator
        while evaluator.stop.reason is None:
            with self.lock:
                batch = self.proposer.ask()
                if batch is None:
                    return
                i = self._add(batch)
                recorded = evaluator.recorded.get(self.keys[i])
                if recorded is not None:
                    evaluator.n_reused += 1
                    self.outputs[i] = recorded[1]
                    self._tell(i)
                    continue
                self._started.append(i)
            yield i

    def _add(self, batch):
        if len(batch.params) != 1:
            raise ValueError(
                "An asynchronous proposer must ask one candidate at a time. "
                f"Got {len(batch.params)} instead."
            )
        i = len(self.params)
        params = batch.params[0]
        self.params.append(params)
        self.batches.append(batch)
        for name, values in batch.more_results.items():
            self.more.setdefault(name, []).append(values[0])
        evaluator = self.evaluator
        tag = evaluator._tag(batch.cv)
        self.keys.append(None if evaluator.store is None else evaluator._key(params, tag))
        self.init.append(batch.init_estimators[0] if batch.init_estimators else None)
        self._wants_model.append(batch.fitted_estimators is not None)
        self._splits.append(self._folds_of(batch.cv))
        n = self.n_splits
        self.contexts.extend(_split_contexts(self.callback_ctx, [i], i + 1, n)[i * n:])
        return i

    def _folds_of(self, cv):
        # split once per splitter (a proposer reuses one per budget), from the fit's folds
        evaluator = self.evaluator
        cv = evaluator.cv if cv is None else cv
        if id(cv) not in self._folds:
            splits = list(cv.split(evaluator.X, evaluator.y, **evaluator.routed.splitter.split))
            self._folds[id(cv)] = (cv, splits)
        return self._folds[id(cv)][1]

    def splits_of(self, i):
        """The training and test folds of candidate ``i``."""
        return self._splits[i]

    def returns_model(self, i):
        """Whether candidate ``i``'s fitted fold models go back to its proposer."""
        return self._wants_model[i]

    def _tell(self, i):
        batch = self.batches[i]
        models = self.fitted.pop(i, None)
        if batch.fitted_estimators is not None and models is not None:
            batch.fitted_estimators[0] = models
        self.init[i] = None
        score = candidate_score(self.outputs[i], self.evaluator.metric)
        self.proposer.tell(batch, np.array([score]))

    def __iter__(self):
        return self._asking

    def finished(self, i):
        """Tell the proposer the score of candidate ``i``, whose last fold just finished."""
        with self.lock:
            self._tell(i)

    def restart(self):
        """The started candidates not finished, then the rest (after a lost worker)."""
        with self.lock:
            unfinished = [i for i in self._started if i not in self.outputs]
        return itertools.chain(unfinished, self._asking)
