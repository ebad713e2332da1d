"""HyperbandSearch: brackets of successive halving over a budget (Li et al. 2018).

The schedule (:class:`~sktune.optimizers.HyperbandSchedule`) is computed
before any model is fitted. The proposer here follows its rounds
(:meth:`~sktune.optimizers.HyperbandSchedule.rounds`): brackets in the
paper's order, so the most aggressive bracket's winner comes early, and rungs
of other brackets at the same budget joining a round that would leave
workers idle. A round has one budget, hence one cross-validation splitter,
and is one ``evaluate_candidates`` call.

Three kinds of budget ("resource") are supported:

* ``"n_samples"``: each training fold is subsampled to the budget; the test
  folds are untouched, so every score is a real cross-validation score;
* the name of an integer estimator parameter (``"max_iter"``,
  ``"clf__n_estimators"``), set to the budget in every candidate;
* ``"partial_fit"``: the estimator is trained by that many passes of
  ``partial_fit`` over each training fold. A promoted candidate continues
  its fold models of the previous rung: the fitted models come back from
  the workers with the rung's scores, those of the promoted candidates are
  sent with the next rung's tasks, and the others are dropped.
"""

import inspect
import numbers
import warnings

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import BaseEstimator, clone, is_classifier
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets, type_of_target

from ..._compat import Interval, StrOptions
from ...optimizers import HyperbandSchedule
from ...space import candidate_key
from .._base import BaseSearch, Batch
from .._checks import check_resource_takes_int
from .._random import draw_unique
from .._validation import suggest

_SAMPLERS = ("random", "bayes")
_SPECIAL_RESOURCES = ("n_samples", "partial_fit")

# Key of the number of partial_fit passes in the candidates evaluated with
# resource="partial_fit"; it is removed from cv_results_["params"] and
# best_params_ after the search (the n_resources column keeps the value).
_EPOCHS = "partial_fit_epochs"

# The paper's running example (R = 81, eta = 3) has five brackets. Default
# budgets give at most that many: with more, the most aggressive bracket
# draws eta**s_max configurations and ranks them on budgets too small to
# tell them apart (the paper's section 5 discusses this trade-off).
_DEFAULT_MAX_HALVINGS = 4

# BOHB (Falkner et al. 2018, section 4): the model is fitted at the largest
# budget with at least d + 1 + 2 finite observations...
_BOHB_EXTRA_OBSERVATIONS = 3
# ...and a fraction 1/3 of the configurations stays random, which keeps
# Hyperband's guarantees (rho = 1/3 in the paper's experiments).
_BOHB_RANDOM_FRACTION_DENOMINATOR = 3


def drop_epochs(results):
    """Remove the epoch count of ``resource="partial_fit"`` from results' params.

    Also for results rebuilt from a checkpoint, whose records keep it; the
    ``n_resources`` column holds the same number.
    """
    results["params"] = [{k: v for k, v in p.items() if k != _EPOCHS} for p in results["params"]]
    results.pop(f"param_{_EPOCHS}", None)
    return results


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _subsample_positions(n_total, n_keep, seed, labels=None):
    """Positions of a deterministic subsample of ``n_keep`` out of ``n_total``.

    The positions are the first ``n_keep`` of a fixed random order, so the
    subsample at a larger budget contains the one at a smaller budget (the
    same seed, the same order). With ``labels``, the order starts with one
    member of each class and then interleaves the classes in proportion to
    their frequencies, so every prefix is stratified and holds every class
    once it has at least as many samples as there are classes.
    """
    rng = np.random.RandomState(seed)
    if labels is None:
        order = rng.permutation(n_total)
    else:
        keys = np.empty(n_total)
        for cls in np.unique(labels):
            members = rng.permutation(np.flatnonzero(labels == cls))
            offset = rng.uniform()
            # member j of a class of size m sits at (j + offset) / m in [0, 1):
            # evenly spread, so a prefix holds each class in proportion.
            keys[members] = (np.arange(len(members)) + offset) / len(members)
            keys[members[0]] = offset - 1.0  # one of each class first
        order = np.argsort(keys, kind="stable")
    return np.sort(order[:n_keep])


class _SubsampledTrainCV:
    """A splitter whose training folds are subsampled to ``n_samples``.

    Test folds are the base splitter's, untouched. Each fold gets its own
    seed (``seed + fold``), fixed across budgets, so the subsample at a
    larger budget contains the one at a smaller budget whenever the base
    splitter yields the same folds at each call.

    Parameters
    ----------
    cv : cross-validation generator
        The search's checked splitter.
    n_samples : int
        Training samples kept per fold (all of them if the fold is smaller).
    seed : int
        Seed of the subsampling.
    stratify : bool
        Keep class proportions (classifiers with a binary or multiclass
        target).
    """

    def __init__(self, cv, n_samples, seed, stratify):
        self.cv = cv
        self.n_samples = n_samples
        self.seed = seed
        self.stratify = stratify

    def get_n_splits(self, X=None, y=None, groups=None):
        return self.cv.get_n_splits(X, y, groups)

    def split(self, X, y=None, groups=None, **params):
        labels = None
        if self.stratify and y is not None:
            y_arr = np.asarray(y)
            if type_of_target(y_arr) in ("binary", "multiclass"):
                labels = y_arr
        for fold, (train, test) in enumerate(self.cv.split(X, y, groups, **params)):
            train = np.asarray(train)
            if len(train) > self.n_samples:
                fold_labels = None if labels is None else labels[train]
                keep = _subsample_positions(
                    len(train), self.n_samples, self.seed + fold, fold_labels
                )
                train = train[keep]
            yield train, test

    def __repr__(self):
        return f"_SubsampledTrainCV({self.cv!r}, n_samples={self.n_samples})"


def _delegates(method):
    def check(self):
        return hasattr(self.estimator_ if hasattr(self, "estimator_") else self.estimator, method)

    return check


class _PartialFitEpochs(BaseEstimator):
    """Fit ``estimator`` by ``partial_fit_epochs`` passes of ``partial_fit``.

    Used by HyperbandSearch with ``resource="partial_fit"`` in place of the
    user's estimator while the search runs. ``set_params`` sends every name
    but ``partial_fit_epochs`` to the inner estimator, so candidates use the
    user's parameter names.

    The first fit trains a fresh clone. Fitting a fitted wrapper again
    continues its model (as ``warm_start=True`` does in scikit-learn) up to
    ``partial_fit_epochs`` passes in all: the search sends a promoted
    candidate's fold model of the previous rung back to the same training
    fold with more passes. Successive ``partial_fit`` calls are the same
    computation in one fit or over several, so the model equals one trained
    from scratch. A model already trained for more passes is not continued:
    a fresh clone is trained.

    Parameters
    ----------
    estimator : estimator object
        Implements ``partial_fit``.
    partial_fit_epochs : int, default=1
        Passes over the training data.
    classes : ndarray or None, default=None
        All classes of the target, given to the first ``partial_fit`` call of
        a classifier (a training fold may miss some).

    Attributes
    ----------
    estimator_ : estimator object
        The trained clone of ``estimator``.
    n_epochs_ : int
        Passes of ``partial_fit`` it has had in all.
    """

    def __init__(self, estimator, partial_fit_epochs=1, classes=None):
        self.estimator = estimator
        self.partial_fit_epochs = partial_fit_epochs
        self.classes = classes

    def get_params(self, deep=True):
        params = {
            "estimator": self.estimator,
            "partial_fit_epochs": self.partial_fit_epochs,
            "classes": self.classes,
        }
        if deep:
            # The search checks its parameter names against these: the
            # user's names, unprefixed.
            params = {**self.estimator.get_params(deep=True), **params}
        return params

    def set_params(self, **params):
        if _EPOCHS in params:
            self.partial_fit_epochs = params.pop(_EPOCHS)
        if params:
            self.estimator.set_params(**params)
        return self

    def __sklearn_tags__(self):
        return get_tags(self.estimator)

    def fit(self, X, y=None, **fit_params):
        done = getattr(self, "n_epochs_", 0)
        first = {}
        if 0 < done <= self.partial_fit_epochs:
            est = self.estimator_
        else:
            est, done = clone(self.estimator), 0
            if (
                self.classes is not None
                and "classes" in inspect.signature(est.partial_fit).parameters
            ):
                first = {"classes": self.classes}
        args = (X,) if y is None else (X, y)
        # a failed pass leaves no model that could be continued by mistake
        self.n_epochs_ = 0
        for _ in range(self.partial_fit_epochs - done):
            # the user's fit parameters win: fit(X, y, classes=...) is the
            # usual partial_fit convention and must not be passed twice
            est.partial_fit(*args, **{**first, **fit_params})
            first = {}
        self.estimator_ = est
        self.n_epochs_ = self.partial_fit_epochs
        return self

    @available_if(_delegates("predict"))
    def predict(self, X, **params):
        return self.estimator_.predict(X, **params)

    @available_if(_delegates("predict_proba"))
    def predict_proba(self, X, **params):
        return self.estimator_.predict_proba(X, **params)

    @available_if(_delegates("predict_log_proba"))
    def predict_log_proba(self, X, **params):
        return self.estimator_.predict_log_proba(X, **params)

    @available_if(_delegates("decision_function"))
    def decision_function(self, X, **params):
        return self.estimator_.decision_function(X, **params)

    @available_if(_delegates("transform"))
    def transform(self, X, **params):
        return self.estimator_.transform(X, **params)

    @available_if(_delegates("score"))
    def score(self, X, y=None, **params):
        return self.estimator_.score(X, y, **params)

    @property
    def classes_(self):
        return self.estimator_.classes_

    @property
    def n_features_in_(self):
        return self.estimator_.n_features_in_

    @property
    def feature_names_in_(self):
        return self.estimator_.feature_names_in_


class _Run:
    """One bracket of one Hyperband iteration, as it runs."""

    def __init__(self, index, iteration, bracket):
        self.index = index
        self.iteration = iteration
        self.bracket = bracket
        self.candidates = None  # of the rung to evaluate next
        # with continued training: per candidate, its fold models of the
        # previous rung (None if it has none, e.g. taken from the checkpoint)
        self.models = None
        self.n_candidates = []  # per evaluated rung
        self.n_resources = []


class HyperbandProposer:
    """Asks the rounds of a Hyperband schedule as batches; keeps the best 1/eta.

    The rounds are :meth:`HyperbandSchedule.rounds`: brackets in the paper's
    order, with rungs of later brackets at the same budget joining a round
    that has fewer fits than there are workers. With ``sampler="random"``
    every bracket's configurations are drawn up front, in bracket order, so
    the candidates do not depend on the number of workers; with
    ``sampler="bayes"`` a bracket's configurations are proposed when its
    first rung is asked, from every score known by then.

    With ``resource="partial_fit"`` (and ``continue_training``), a batch
    whose rungs promote asks for its fitted fold models
    (``Batch.fitted_estimators``); :meth:`tell` keeps those of the promoted
    candidates only, and the next rung's batch hands them over as
    ``Batch.init_estimators``, so their training continues instead of
    starting again. At most one rung's survivors' models are kept per
    bracket.

    Parameters
    ----------
    space : SearchSpace
        Where configurations are drawn.
    schedule : HyperbandSchedule
        Brackets and rungs of one iteration.
    resource : str
        ``"n_samples"``, ``"partial_fit"`` or an estimator parameter name.
    random_state : numpy.random.RandomState
        The search's single source of randomness.
    n_iterations : int, default=1
        Times the whole schedule runs.
    sampler : {"random", "bayes"}, default="random"
        How the configurations of a bracket are drawn.
    n_workers : int, default=1
        Fits that run at the same time.
    fits_per_candidate : int, default=1
        Cross-validation splits.
    cv : cross-validation generator or None, default=None
        The search's splitter, subsampled for ``resource="n_samples"``.
    stratify : bool, default=False
        Stratify the training subsamples.
    search : str, default="HyperbandSearch"
        Name used in messages.
    continue_training : bool, default=True
        With ``resource="partial_fit"``, continue the fold models of the
        previous rung; ``False`` trains every rung from scratch (the same
        scores, at a higher cost).

    Attributes
    ----------
    runs : list of _Run
        Every bracket, iteration by iteration in the paper's order;
        ``runs[j].n_candidates`` and ``runs[j].n_resources`` list its
        evaluated rungs.
    n_rounds : int
        Number of batches :meth:`ask` returns.

    Examples
    --------
    The first rung of ``R = 9, eta = 3``, then the best third promoted:

    >>> import numpy as np
    >>> from sktune.distributions import LogUniform
    >>> from sktune.optimizers import HyperbandSchedule
    >>> from sktune.search import HyperbandProposer
    >>> from sktune.space import SearchSpace
    >>> space = SearchSpace({"C": LogUniform(0.01, 100)})
    >>> schedule = HyperbandSchedule.from_resources(1, 9, eta=3)
    >>> proposer = HyperbandProposer(space, schedule, "max_iter", np.random.RandomState(0))
    >>> batch = proposer.ask()
    >>> len(batch.params), batch.more_results["n_resources"][0], sorted(batch.params[0])
    (9, 1, ['C', 'max_iter'])
    >>> proposer.tell(batch, np.arange(9.0))  # the last three score best
    >>> promoted = proposer.ask()
    >>> len(promoted.params), promoted.more_results["n_resources"][0]
    (3, 3)
    >>> sorted(p["C"] for p in promoted.params) == sorted(p["C"] for p in batch.params[6:])
    True
    """

    n_candidates = None

    def __init__(
        self,
        space,
        schedule,
        resource,
        random_state,
        *,
        n_iterations=1,
        sampler="random",
        n_workers=1,
        fits_per_candidate=1,
        cv=None,
        stratify=False,
        search="HyperbandSearch",
        continue_training=True,
    ):
        self.space = space
        self.schedule = schedule
        self.resource = resource
        self.sampler = sampler
        self.cv = cv
        self.stratify = stratify
        self.search = search
        self._continue = continue_training and resource == "partial_fit"
        self._rng = random_state
        # drawn first, so the candidates do not depend on the resource kind
        self._seed = int(random_state.randint(0, 2**31 - 2**16))
        n_b = schedule.n_brackets
        self.runs = [
            _Run(m * n_b + b, m, schedule.brackets[b])
            for m in range(n_iterations)
            for b in range(n_b)
        ]
        self._rounds = [
            [(m * n_b + b, i) for m, b, i in members]
            for members in schedule.rounds(n_iterations, n_workers, fits_per_candidate)
        ]
        self._round = 0
        self.n_rounds = len(self._rounds)
        self._pending = None
        # budget level -> list of (candidate, score), for the Bayesian sampler
        self._observed = {}
        self._warned_small_space = False
        if sampler == "random":
            for run in self.runs:
                run.candidates = self._draw_random(run.bracket.n_candidates)

    # drawing configurations ---------------------------------------------------
    def _draw_random(self, n):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = draw_unique(self.space, n, "random", self._rng, self.search)
        if caught and not self._warned_small_space:
            self._warned_small_space = True
            warnings.warn(
                f"The search space of {self.search} holds only {len(out)} distinct "
                f"candidates (or gave no more in many draws); brackets that start with "
                f"more configurations evaluate these only.",
                UserWarning,
            )
        return out

    def _model_level(self):
        """Largest budget level with enough finite scores to fit a model."""
        needed = self.space.n_dims + _BOHB_EXTRA_OBSERVATIONS
        for level in sorted(self._observed, reverse=True):
            scores = np.array([s for _, s in self._observed[level]], dtype=float)
            if np.isfinite(scores).sum() >= needed:
                return level
        return None

    def _draw_bayes(self, n):
        level = self._model_level()
        if level is None or self.space.n_dims == 0:
            return self._draw_random(n)
        from ...optimizers import BayesOptimizer

        observed = self._observed[level]
        # the model proposes from its first ask: the level already holds
        # more observations than BOHB's minimum, whatever the default design.
        # No input warps: fitted to the scores of a low budget, they made the
        # MLP benchmark of benchmarks/hyperband.py end worse with partial_fit
        # in each of 6 seeds (benchmarks/README.md).
        optimizer = BayesOptimizer(
            self.space, n_initial_points=1, input_warping=False,
            random_state=self._rng.randint(0, 2**31 - 1),
        )
        optimizer.tell(
            self.space.encode([c for c, _ in observed]),
            np.array([s for _, s in observed], dtype=float),
        )
        n_model = n - n // _BOHB_RANDOM_FRACTION_DENOMINATOR
        out, seen = [], set()
        for params in self.space.decode(optimizer.ask(n_model)):
            key = candidate_key(params)
            if key not in seen and len(out) < n_model:
                seen.add(key)
                out.append(params)
        for params in self._draw_random(n):
            if len(out) == n:
                break
            key = candidate_key(params)
            if key not in seen:
                seen.add(key)
                out.append(params)
        return out

    # the ask/tell protocol ----------------------------------------------------
    def _with_budget(self, candidate, budget):
        if self.resource == "n_samples":
            return dict(candidate)
        key = _EPOCHS if self.resource == "partial_fit" else self.resource
        return {**candidate, key: int(budget)}

    def ask(self):
        """The next round as a :class:`~sktune.search.Batch`, or None when done.

        Each candidate carries its budget as the ``resource`` parameter
        (``max_iter`` below); with ``resource="n_samples"`` the batch's
        ``cv`` subsamples the training folds instead. The batch's
        ``more_results`` give the ``iter``, ``bracket`` (the schedule's ``s``),
        ``hyperband_iteration``, ``rung`` and ``n_resources`` columns of
        ``cv_results_``.

        Returns
        -------
        batch : Batch or None
            The rungs of the next round, all at one budget; ``None`` once
            the schedule is done.

        Examples
        --------
        The rounds of ``R = 9, eta = 3``, one bracket after the other
        (``9@1 -> 3@3 -> 1@9``, ``5@3 -> 1@9``, ``3@9``):

        >>> import numpy as np
        >>> from sktune.distributions import LogUniform
        >>> from sktune.optimizers import HyperbandSchedule
        >>> from sktune.search import HyperbandProposer
        >>> from sktune.space import SearchSpace
        >>> space = SearchSpace({"C": LogUniform(0.01, 100)})
        >>> schedule = HyperbandSchedule.from_resources(1, 9, eta=3)
        >>> proposer = HyperbandProposer(space, schedule, "max_iter", np.random.RandomState(0))
        >>> rounds = []
        >>> while (batch := proposer.ask()) is not None:
        ...     rounds.append((len(batch.params), batch.params[0]["max_iter"]))
        ...     proposer.tell(batch, np.zeros(len(batch.params)))
        >>> rounds
        [(9, 1), (3, 3), (1, 9), (5, 3), (1, 9), (3, 9)]
        """
        if self._round == len(self._rounds):
            return None
        params, columns = [], {
            "iter": [], "bracket": [], "hyperband_iteration": [], "rung": [], "n_resources": []
        }
        init, promotes = [], False
        budget = None
        for run_id, i in self._rounds[self._round]:
            run = self.runs[run_id]
            rung = run.bracket.rungs[i]
            budget = rung.n_resources
            if i == 0 and self.sampler == "bayes":
                run.candidates = self._draw_bayes(rung.n_candidates)
            run.n_candidates.append(len(run.candidates))
            run.n_resources.append(budget)
            # the batch owns the models now; the evaluator frees them as it goes
            init.extend(run.models or [None] * len(run.candidates))
            run.models = None
            promotes = promotes or rung.n_promoted > 0
            for cand in run.candidates:
                params.append(self._with_budget(cand, budget))
                columns["iter"].append(self._round)
                # the schedule's own label of the bracket, as printed by schedule_
                columns["bracket"].append(run.bracket.s)
                columns["hyperband_iteration"].append(run.iteration)
                columns["rung"].append(i)
                columns["n_resources"].append(budget)
        cv = None
        if self.resource == "n_samples":
            cv = _SubsampledTrainCV(self.cv, budget, self._seed, self.stratify)
        self._pending = self._rounds[self._round]
        self._round += 1
        batch = Batch(params, columns, cv)
        if self._continue:
            batch.init_estimators = init if any(m is not None for m in init) else None
            batch.fitted_estimators = {} if promotes else None
        return batch

    def tell(self, batch, scores):
        """Promote the best ``1/eta`` of each rung of the last round.

        With continued training, the fold models of the promoted candidates
        are taken from ``batch.fitted_estimators`` for the next rung, and the
        batch's models are dropped.

        Parameters
        ----------
        batch : Batch
            The batch from the last :meth:`ask`.
        scores : array-like of shape (n_candidates,)
            Mean test score of the refit metric; NaN (a failed fit) ranks last.

        Returns
        -------
        None

        Examples
        --------
        Score each of the first 9 candidates by its ``C``, but let the
        largest fail: the next three largest go on to the next rung.

        >>> import numpy as np
        >>> from sktune.distributions import LogUniform
        >>> from sktune.optimizers import HyperbandSchedule
        >>> from sktune.search import HyperbandProposer
        >>> from sktune.space import SearchSpace
        >>> space = SearchSpace({"C": LogUniform(0.01, 100)})
        >>> schedule = HyperbandSchedule.from_resources(1, 9, eta=3)
        >>> proposer = HyperbandProposer(space, schedule, "max_iter", np.random.RandomState(0))
        >>> batch = proposer.ask()
        >>> scores = np.array([p["C"] for p in batch.params])
        >>> scores[np.argmax(scores)] = np.nan
        >>> proposer.tell(batch, scores)
        >>> promoted = [p["C"] for p in proposer.ask().params]
        >>> promoted == sorted(scores[np.isfinite(scores)], reverse=True)[:3]
        True
        """
        scores = np.asarray(scores, dtype=float)
        fitted = batch.fitted_estimators or {}
        start = 0
        for run_id, i in self._pending:
            run = self.runs[run_id]
            rung = run.bracket.rungs[i]
            n = len(run.candidates)
            rung_scores = scores[start : start + n]
            offset, start = start, start + n
            self._observed.setdefault(rung.level, []).extend(
                zip(run.candidates, rung_scores.tolist())
            )
            if rung.n_promoted == 0:
                run.candidates = []
                continue
            # Fewer candidates than planned (a small finite space) still
            # lose all but 1/eta of them.
            n_keep = min(rung.n_promoted, max(1, n // self.schedule.eta))
            ranked = np.argsort(-np.nan_to_num(rung_scores, nan=-np.inf), kind="stable")
            run.candidates = [run.candidates[j] for j in ranked[:n_keep]]
            if self._continue:
                run.models = [fitted.get(offset + j) for j in ranked[:n_keep]]
        # the rung is decided: the losers' models go now
        fitted.clear()
        batch.init_estimators = None
        self._pending = None


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
      halving searches;
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
    n_iter_no_change : int or None, default=None
        Stop once this many evaluations in a row, in the order they run and
        at any budget, have not improved the best score by more than
        ``tol``. Scores at small budgets are usually lower, so this stops
        Hyperband early and crudely; ``max_time`` is the better brake.
    tol : float, default=0.0
        Smallest improvement that resets ``n_iter_no_change``.

    Attributes
    ----------
    cv_results_ : dict of ndarray
        One entry per evaluation (a candidate at one budget), with the
        columns of ``RandomizedSearchCV`` plus ``iter`` (the round, one call
        to ``evaluate_candidates``),
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
        evaluated in each rung.
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
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        param_distributions,
        *,
        resource="n_samples",
        min_resources=None,
        max_resources=None,
        eta=3,
        n_iterations=1,
        sampler="random",
        scoring=None,
        n_jobs=None,
        refit=True,
        cv=None,
        verbose=0,
        pre_dispatch="2*n_jobs",
        random_state=None,
        error_score=np.nan,
        return_train_score=False,
        checkpoint=None,
        max_time=None,
        n_iter_no_change=None,
        tol=0.0,
    ):
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
        self.param_distributions = param_distributions
        self.resource = resource
        self.min_resources = min_resources
        self.max_resources = max_resources
        self.eta = eta
        self.n_iterations = n_iterations
        self.sampler = sampler
        self.random_state = random_state

    # validation ---------------------------------------------------------------
    def _resource_kind(self):
        if self.resource in _SPECIAL_RESOURCES:
            return self.resource
        return "parameter"

    def _check_resource(self, estimator):
        """Raise unless the resource fits ``estimator`` (the user's)."""
        name = type(self).__name__
        if self.resource == "partial_fit":
            if not hasattr(estimator, "partial_fit"):
                raise ValueError(
                    f"The 'resource' parameter of {name} can be 'partial_fit' only for an "
                    f"estimator with a partial_fit method; {type(estimator).__name__} has "
                    f"none. Use resource='n_samples' or an iteration parameter such as "
                    f"'max_iter' instead."
                )
            if self.max_resources is None:
                raise ValueError(
                    f"The 'max_resources' parameter of {name} must be set with "
                    f"resource='partial_fit': the number of partial_fit passes of the "
                    f"largest budget cannot be guessed. Got None instead; try "
                    f"max_resources=27."
                )
            return
        if self.resource == "n_samples":
            return
        valid = estimator.get_params(deep=True) if hasattr(estimator, "get_params") else {}
        if self.resource not in valid:
            # a step's own name (max_iter of a pipeline's sgdclassifier) first
            nested = [v for v in valid if v.endswith(f"__{self.resource}")]
            hint = f" (did you mean {nested[0]!r}?)" if nested else suggest(self.resource, valid)
            raise ValueError(
                f"The 'resource' parameter of {name} must be 'n_samples', 'partial_fit' "
                f"or the name of a parameter of {type(estimator).__name__}. Got "
                f"{self.resource!r} instead{hint}. Valid parameters are: {sorted(valid)!r}."
            )
        check_resource_takes_int(
            name, estimator, self.resource, self.min_resources, self.max_resources
        )

    def _check_input_parameters(self, X, y, split_params, cv=None):
        # Called by BaseSearch.fit with the data and the folds (split once),
        # before any model is fitted: the budgets and the schedule are settled here.
        name = type(self).__name__
        kind = self._resource_kind()
        estimator = self.estimator
        self._check_resource(estimator)

        floor = 1
        if kind == "n_samples":
            n_splits = cv.get_n_splits()
            largest = max(len(train) for train, _ in cv.split())
            if self.max_resources is not None and self.max_resources > largest:
                raise ValueError(
                    f"The 'max_resources' parameter of {name} must be at most the number "
                    f"of samples in the largest training fold ({largest}) with "
                    f"resource='n_samples'. Got {self.max_resources!r} instead."
                )
            max_resources = largest if self.max_resources is None else self.max_resources
            # scikit-learn's min_resources="smallest" of the halving searches
            floor = 2 * n_splits
            if is_classifier(estimator) and y is not None:
                y_arr = np.asarray(y)
                if type_of_target(y_arr) in ("binary", "multiclass"):
                    floor *= len(np.unique(y_arr))
        elif kind == "parameter":
            max_resources = self.max_resources
            if max_resources is None:
                current = estimator.get_params(deep=True)[self.resource]
                if not _is_int(current) or current < 1:
                    raise ValueError(
                        f"The 'max_resources' parameter of {name} must be set when the "
                        f"current value of {self.resource!r} is not an int >= 1. Got None "
                        f"instead, and {type(estimator).__name__} has "
                        f"{self.resource}={current!r}."
                    )
                max_resources = int(current)
        else:
            max_resources = self.max_resources

        if self.min_resources is None:
            min_resources = max(floor, max_resources // self.eta**_DEFAULT_MAX_HALVINGS)
            min_resources = min(min_resources, max_resources)
        else:
            min_resources = self.min_resources
            if min_resources > max_resources:
                raise ValueError(
                    f"The 'min_resources' parameter of {name} must be at most "
                    f"max_resources ({max_resources}). Got {min_resources!r} instead."
                )
        self.min_resources_ = int(min_resources)
        self.max_resources_ = int(max_resources)
        self.schedule_ = HyperbandSchedule.from_resources(
            self.min_resources_, self.max_resources_, self.eta
        )

    # the search ---------------------------------------------------------------
    def _build_space(self):
        space = super()._build_space()
        if self._resource_kind() == "parameter" and self.resource in space.names:
            raise ValueError(
                f"The 'resource' parameter of {type(self).__name__} is {self.resource!r}, "
                f"which is also searched in param_distributions. The resource is set by "
                f"the schedule; remove {self.resource!r} from param_distributions."
            )
        return space

    def _make_proposer(self, space, context):
        name = type(self).__name__
        proposer = HyperbandProposer(
            space,
            self.schedule_,
            self.resource,
            context.random_state,
            n_iterations=self.n_iterations,
            sampler=self.sampler,
            n_workers=effective_n_jobs(self.n_jobs),
            fits_per_candidate=self.n_splits_,
            cv=context.cv,
            stratify=is_classifier(self.estimator),
            search=name,
            continue_training=self._continue_training,
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
        return self

    def _trainer(self, X, y, fit_params):
        if self.resource != "partial_fit":
            return self.estimator
        classes = None
        if (
            "classes" not in fit_params
            and y is not None
            and is_classifier(self.estimator)
        ):
            # partial_fit needs every class on its first call; a training fold
            # may miss some. A bad target gets scikit-learn's own message.
            check_classification_targets(y)
            y_arr = np.asarray(y)
            if type_of_target(y_arr) in ("binary", "multiclass"):
                classes = np.unique(y_arr)
        # Candidates are trained by partial_fit passes through this wrapper,
        # which travels in the fit context: the estimator parameter stays the
        # user's during the fit.
        return _PartialFitEpochs(self.estimator, classes=classes)

    def _unwrap_partial_fit(self):
        drop_epochs(self.cv_results_)
        if hasattr(self, "best_params_"):
            self.best_params_ = {k: v for k, v in self.best_params_.items() if k != _EPOCHS}
        if hasattr(self, "best_estimator_"):
            self.best_estimator_ = self.best_estimator_.estimator_
