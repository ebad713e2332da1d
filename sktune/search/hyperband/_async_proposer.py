"""AsyncHyperbandProposer: asynchronous successive halving (ASHA) as one-candidate batches."""

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ...optimizers import AsyncHyperbandPlan, HyperbandJob, HyperbandSchedule
from ...space import SearchSpace
from .._base import Batch
from ._proposer import _Run, with_budget
from ._resources import _SubsampledTrainCV, continues
from ._sampler import BracketSampler


class AsyncHyperbandProposer:
    """Asks one evaluation at a time, whenever a worker is free, as ASHA does.

    :class:`~sktune.optimizers.AsyncHyperbandPlan` chooses each evaluation
    (a promotion when one is allowed, the highest rung first, else a new
    configuration); this proposer turns it into a one-candidate
    :class:`~sktune.search.Batch` carrying what a synchronous round carries:
    the budget (the resource parameter, or the training folds subsampled to
    it), the ``cv_results_`` columns and, with ``resource="partial_fit"``,
    the fold models the candidate continues. With ``sampler="random"`` the
    configurations are those the synchronous mode draws for the same random
    generator; with ``sampler="bayes"`` a bracket's configurations are
    proposed when its first one is about to start.

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
        Times the brackets are run.
    sampler : {"random", "bayes"}, default="random"
        How the configurations of a bracket are drawn.
    cv : cross-validation generator or None, default=None
        The search's splitter, subsampled for ``resource="n_samples"``.
    stratify : bool, default=False
        Stratify the training subsamples.
    search : str, default="HyperbandSearch"
        Name used in messages.
    continue_training : bool or None, default=None
        Continue the fold models of the candidate's previous rung, as
        :class:`HyperbandProposer` does.

    Attributes
    ----------
    plan : AsyncHyperbandPlan
        Who runs next, and when the search ends.
    runs : list of _Run
        Every bracket of every iteration; ``runs[j].n_candidates`` counts the
        evaluations of each of its rungs so far.
    n_iter : int
        The most evaluations :meth:`ask` hands out.

    Examples
    --------
    >>> import numpy as np
    >>> from sktune.distributions import LogUniform
    >>> from sktune.optimizers import HyperbandSchedule
    >>> from sktune.search import AsyncHyperbandProposer
    >>> from sktune.space import SearchSpace
    >>> space = SearchSpace({"C": LogUniform(0.01, 100)})
    >>> schedule = HyperbandSchedule.from_resources(1, 9, eta=3)
    >>> proposer = AsyncHyperbandProposer(space, schedule, "max_iter", np.random.RandomState(0))
    >>> batches = [proposer.ask() for _ in range(3)]
    >>> [b.params[0]["max_iter"] for b in batches]
    [1, 1, 1]
    >>> for batch, score in zip(batches, [0.1, 0.3, 0.2]):
    ...     proposer.tell(batch, np.array([score]))
    >>> promoted = proposer.ask()  # the best of the three finished, at budget 3
    >>> promoted.params[0]["C"] == batches[1].params[0]["C"], promoted.more_results["rung"]
    (True, [1])
    """

    asynchronous = True
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
        cv: Any = None,
        stratify: bool = False,
        search: str = "HyperbandSearch",
        continue_training: bool | None = None,
    ) -> None:
        self.resource = resource
        self.sampler = sampler
        self.cv = cv
        self.stratify = stratify
        self._continue = continues(continue_training, resource)
        # drawn first, as in the synchronous proposer: the same subsamples and candidates
        self._seed = int(random_state.randint(0, 2**31 - 2**16))
        self.plan = AsyncHyperbandPlan(schedule, n_iterations)
        self.runs = [
            _Run(j, m, schedule.brackets[b]) for j, (m, b) in enumerate(self.plan.runs)
        ]
        self._draws = BracketSampler(space, random_state, search)
        if sampler == "random":
            for run in self.runs:
                self._draw(run, random=True)
        n_rungs = sum(len(run.bracket.rungs) * run.bracket.n_candidates for run in self.runs)
        self.n_iter = min(n_rungs, self.plan.total_resources // schedule.budgets[0] + 1)
        self.n_asked = 0
        # budget -> its splitter, split once by the evaluator
        self._subsampled: dict[int, _SubsampledTrainCV] = {}
        self._jobs: dict[int, HyperbandJob] = {}  # id(batch) -> its job
        # (run, candidate) -> (rung it finished, the fold models it may continue)
        self._models: dict[tuple[int, int], tuple[int, list]] = {}

    def _release(self, run):
        """Let go of the models of ``run``'s candidates that can no longer be promoted.

        ASHA may promote a finished candidate long after it finished, so its
        fold models wait; those of a candidate it never can promote go at
        once, and all go once the budget is spent.
        """
        if self.plan.resources_started >= self.plan.total_resources:
            self._models.clear()  # the search starts nothing more
            return
        later = self.plan.promotable_later(run)
        for key in [k for k, (rung, _) in self._models.items()
                    if k[0] == run and (rung, k[1]) not in later]:
            del self._models[key]

    def _draw(self, run, random):
        n = run.bracket.n_candidates
        run.candidates = self._draws.draw_random(n) if random else self._draws.draw_bayes(n)
        # a small space gives a run fewer configurations than planned
        self.plan.set_quota(run.index, len(run.candidates))

    def _cv(self, budget):
        if self.resource != "n_samples":
            return None
        if budget not in self._subsampled:
            self._subsampled[budget] = _SubsampledTrainCV(
                self.cv, budget, self._seed, self.stratify
            )
        return self._subsampled[budget]

    def ask(self) -> Batch | None:
        """The next evaluation as a one-candidate :class:`~sktune.search.Batch`, or None.

        Returns
        -------
        batch : Batch or None
            With the ``iter`` (the evaluation's position), ``bracket``,
            ``hyperband_iteration``, ``rung`` and ``n_resources`` columns of
            ``cv_results_``; ``None`` once the plan ends the search.

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.distributions import LogUniform
        >>> from sktune.optimizers import HyperbandSchedule
        >>> from sktune.search import AsyncHyperbandProposer
        >>> from sktune.space import SearchSpace
        >>> space = SearchSpace({"C": LogUniform(0.01, 100)})
        >>> schedule = HyperbandSchedule.from_resources(1, 9, eta=3)
        >>> proposer = AsyncHyperbandProposer(space, schedule, "max_iter", np.random.RandomState(0))
        >>> batch = proposer.ask()
        >>> sorted(batch.params[0]), batch.more_results["n_resources"], batch.cv
        (['C', 'max_iter'], [1], None)
        """
        # a bayes bracket's configurations are proposed as its first one may start
        while (j := self.plan.new_run) is not None and self.runs[j].candidates is None:
            self._draw(self.runs[j], random=False)
        job = self.plan.next_job()
        if job is None:
            return None
        run = self.runs[job.run]
        if len(run.n_candidates) == job.rung:
            run.n_candidates.append(0)
            run.n_resources.append(job.n_resources)
        run.n_candidates[job.rung] += 1
        params = [with_budget(run.candidates[job.candidate], job.n_resources, self.resource)]
        more = {
            "iter": [self.n_asked], "bracket": [run.bracket.s],
            "hyperband_iteration": [run.iteration], "rung": [job.rung],
            "n_resources": [job.n_resources],
        }
        batch = Batch(params, more, self._cv(job.n_resources))
        if self._continue:
            kept = self._models.pop((job.run, job.candidate), None)
            if kept is not None:
                batch.init_estimators = [kept[1]]
            # the top rung's models go on nowhere
            if job.rung < len(run.bracket.rungs) - 1:
                batch.fitted_estimators = {}
        self._jobs[id(batch)] = job
        self.n_asked += 1
        return batch

    def tell(self, batch: Batch, scores: ArrayLike) -> None:
        """Record the finished evaluation's score; keep its fold models for a promotion.

        Parameters
        ----------
        batch : Batch
            A batch from :meth:`ask`.
        scores : array-like of shape (1,)
            Its mean test score of the refit metric; NaN ranks last.

        Returns
        -------
        None

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.distributions import LogUniform
        >>> from sktune.optimizers import HyperbandSchedule
        >>> from sktune.search import AsyncHyperbandProposer
        >>> from sktune.space import SearchSpace
        >>> space = SearchSpace({"C": LogUniform(0.01, 100)})
        >>> schedule = HyperbandSchedule.from_resources(1, 9, eta=3)
        >>> proposer = AsyncHyperbandProposer(space, schedule, "max_iter", np.random.RandomState(0))
        >>> batches = [proposer.ask() for _ in range(3)]
        >>> for batch, score in zip(batches, [0.5, 0.9, 0.1]):
        ...     proposer.tell(batch, [score])
        >>> proposer.ask().params[0]["C"] == batches[1].params[0]["C"]
        True
        """
        job = self._jobs.pop(id(batch))
        score = float(np.asarray(scores, dtype=float)[0])
        run = self.runs[job.run]
        self.plan.report(job, score)
        level = run.bracket.rungs[job.rung].level
        self._draws.observe(level, [run.candidates[job.candidate]], [score])
        fitted = batch.fitted_estimators or {}
        if self._continue and fitted.get(0) is not None:
            # kept while ASHA may still promote the candidate
            self._models[(job.run, job.candidate)] = (job.rung, fitted[0])
        if self._continue:
            self._release(job.run)
        # the batch stays in the results' bookkeeping: it must not hold models
        fitted.clear()
        if batch.init_estimators:
            batch.init_estimators.clear()
