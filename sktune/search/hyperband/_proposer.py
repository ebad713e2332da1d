"""HyperbandProposer: the rounds of a Hyperband schedule as batches of the search loop."""

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ...optimizers import HyperbandPlan, HyperbandSchedule
from ...space import SearchSpace
from .._base import Batch
from ._resources import _EPOCHS, _SubsampledTrainCV, continues
from ._sampler import BracketSampler


def with_budget(candidate, budget, resource):
    """The candidate as evaluated at ``budget``: the resource parameter set, if any."""
    if resource == "n_samples":
        return dict(candidate)
    key = _EPOCHS if resource == "partial_fit" else resource
    return {**candidate, key: int(budget)}


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

    With continued training (``resource="partial_fit"``, or boosting rounds
    continued by warm start; see ``continue_training``), a batch whose rungs
    promote asks for its fitted fold models
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
    continue_training : bool or None, default=None
        Continue the fold models of the previous rung: ``None`` does with
        ``resource="partial_fit"`` only; ``True`` also with an estimator
        parameter as the resource, for an estimator that continues a fitted
        model when fitted again with a larger budget (boosting with
        ``warm_start=True``); ``False`` trains every rung from scratch (the
        same scores, at a higher cost). Never with ``resource="n_samples"``.

    Attributes
    ----------
    runs : list of _Run
        Every bracket, iteration by iteration in the paper's order;
        ``runs[j].n_candidates`` and ``runs[j].n_resources`` list its
        evaluated rungs.
    plan : HyperbandPlan
        The rounds, and who goes on after each rung.
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
        space: SearchSpace,
        schedule: HyperbandSchedule,
        resource: str,
        random_state: np.random.RandomState,
        *,
        n_iterations: int = 1,
        sampler: str = "random",
        n_workers: int = 1,
        fits_per_candidate: int = 1,
        cv: Any = None,
        stratify: bool = False,
        search: str = "HyperbandSearch",
        continue_training: bool | None = None,
    ) -> None:
        self.space = space
        self.schedule = schedule
        self.resource = resource
        self.sampler = sampler
        self.cv = cv
        self.stratify = stratify
        self.search = search
        self._continue = continues(continue_training, resource)
        self._rng = random_state
        # drawn first, so the candidates do not depend on the resource kind
        self._seed = int(random_state.randint(0, 2**31 - 2**16))
        self.plan = HyperbandPlan(schedule, n_iterations, n_workers, fits_per_candidate)
        self.runs = [
            _Run(j, m, schedule.brackets[b]) for j, (m, b) in enumerate(self.plan.runs)
        ]
        self._rounds = self.plan.rounds
        self._round = 0
        self.n_rounds = len(self._rounds)
        self._pending = None
        self._draws = BracketSampler(space, random_state, search)
        if sampler == "random":
            for run in self.runs:
                run.candidates = self._draws.draw_random(run.bracket.n_candidates)

    # the ask/tell protocol ----------------------------------------------------
    def ask(self) -> Batch | None:
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
                run.candidates = self._draws.draw_bayes(rung.n_candidates)
            run.n_candidates.append(len(run.candidates))
            run.n_resources.append(budget)
            # the batch owns the models now; the evaluator frees them as it goes
            init.extend(run.models or [None] * len(run.candidates))
            run.models = None
            promotes = promotes or rung.n_promoted > 0
            for cand in run.candidates:
                params.append(with_budget(cand, budget, self.resource))
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

    def tell(self, batch: Batch, scores: ArrayLike) -> None:
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
            self._draws.observe(rung.level, run.candidates, rung_scores.tolist())
            promoted = self.plan.promote(run_id, i, rung_scores)
            run.candidates = [run.candidates[j] for j in promoted]
            if self._continue:
                run.models = [fitted.get(offset + j) for j in promoted]
        # the rung is decided: the losers' models go now
        fitted.clear()
        batch.init_estimators = None
        self._pending = None
