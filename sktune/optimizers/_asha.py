"""Asynchronous successive halving (ASHA) over the brackets of a Hyperband schedule.

Li, Jamieson, Rostamizadeh, Gonina, Ben-tzur, Hardt, Recht and Talwalkar,
"A System for Massively Parallel Hyperparameter Tuning", MLSys 2020,
Algorithm 2: whenever a worker is free, promote a configuration of the
highest rung that has one in the top ``1/eta`` of the rung's finished
results and not yet promoted; otherwise start a new configuration at the
lowest rung. No rung waits for its last result, so no worker waits for the
slowest fit of a round; the price is that a configuration may be promoted
on the results known so far, which the synchronous rung would not promote.

Section 3.3 of the paper runs Hyperband asynchronously by looping over
brackets of ASHA. Here the brackets are those of the synchronous
:class:`~sktune.optimizers.HyperbandSchedule`, in the paper's order: each
bracket of each iteration (a *run*) receives as many new configurations as
in the synchronous schedule, then the next run does; promotions are looked
for in every run, the highest rung first (by budget), the earliest run
first among equal budgets.
"""

from dataclasses import dataclass

from ._hyperband import HyperbandSchedule, _as_int, ranked_best_first

__all__ = ["AsyncHyperbandPlan", "HyperbandJob"]


@dataclass(frozen=True)
class HyperbandJob:
    """One evaluation chosen by :meth:`AsyncHyperbandPlan.next_job`.

    Parameters
    ----------
    run : int
        Index into :attr:`AsyncHyperbandPlan.runs`.
    rung : int
        Index of the rung in its bracket; 0 starts a new configuration.
    candidate : int
        The configuration's position among those its run started (0, 1, ...).
    n_resources : int
        The rung's budget.

    Examples
    --------
    >>> from sktune.optimizers import AsyncHyperbandPlan, HyperbandSchedule
    >>> AsyncHyperbandPlan(HyperbandSchedule.from_resources(1, 9, eta=3)).next_job()
    HyperbandJob(run=0, rung=0, candidate=0, n_resources=1)
    """

    run: int
    rung: int
    candidate: int
    n_resources: int


class AsyncHyperbandPlan:
    """Who runs next in asynchronous Hyperband: positions and scores in, jobs out.

    The plan holds neither configurations nor models: a job names a run, a
    rung and a position within the run, and :meth:`report` takes its score.

    **When it ends.** :meth:`next_job` returns ``None`` once the budgets of
    the jobs handed out reach the synchronous schedule's total
    (``schedule.total_resources * n_iterations``, each evaluation counting its
    whole budget), or once every run has started all its configurations and
    no finished result can be promoted. Results still running then are not
    waited for: their rung may promote no further.

    Parameters
    ----------
    schedule : HyperbandSchedule
        Brackets and rungs of one iteration.
    n_iterations : int, default=1
        Times the brackets are run, each time with new configurations.

    Attributes
    ----------
    runs : tuple of (int, int)
        ``(iteration, bracket index)`` of each run, in the paper's order.
    quotas : list of int
        New configurations each run starts; the bracket's ``n_candidates``
        unless :meth:`set_quota` lowered it (a small space).
    total_resources : int
        The budget the jobs may spend in all.
    resources_started : int
        Budget of the jobs handed out so far.

    Examples
    --------
    ``R = 9, eta = 3``: the first bracket starts its 9 configurations; once
    three have finished, the best of them goes on to budget 3 before any new
    configuration starts.

    >>> from sktune.optimizers import AsyncHyperbandPlan, HyperbandSchedule
    >>> plan = AsyncHyperbandPlan(HyperbandSchedule.from_resources(1, 9, eta=3))
    >>> jobs = [plan.next_job() for _ in range(3)]
    >>> [(j.run, j.rung, j.candidate, j.n_resources) for j in jobs]
    [(0, 0, 0, 1), (0, 0, 1, 1), (0, 0, 2, 1)]
    >>> for job, score in zip(jobs, [0.2, 0.9, 0.5]):
    ...     plan.report(job, score)
    >>> job = plan.next_job()
    >>> (job.run, job.rung, job.candidate, job.n_resources)
    (0, 1, 1, 3)
    """

    def __init__(self, schedule: HyperbandSchedule, n_iterations: int = 1) -> None:
        if not isinstance(schedule, HyperbandSchedule):
            raise TypeError(
                "The 'schedule' argument of AsyncHyperbandPlan must be a HyperbandSchedule. "
                f"Got {schedule!r} instead; build one with HyperbandSchedule.from_resources."
            )
        n_iterations = _as_int("n_iterations", n_iterations, 1, "AsyncHyperbandPlan")
        self.schedule = schedule
        self.runs = tuple(
            (m, b) for m in range(n_iterations) for b in range(schedule.n_brackets)
        )
        self._brackets = [schedule.brackets[b] for _, b in self.runs]
        self.quotas = [bracket.n_candidates for bracket in self._brackets]
        self.total_resources = schedule.total_resources * n_iterations
        self.resources_started = 0
        self._started = [0] * len(self.runs)
        # per run and rung: finished (candidate, score) in the order they finished
        self._finished: list[list[list[tuple[int, float]]]] = [
            [[] for _ in b.rungs] for b in self._brackets
        ]
        self._promoted: list[list[set[int]]] = [[set() for _ in b.rungs] for b in self._brackets]
        self._new_run = 0

    @property
    def new_run(self) -> int | None:
        """The run that receives the next new configuration, or None if all have theirs.

        Examples
        --------
        >>> from sktune.optimizers import AsyncHyperbandPlan, HyperbandSchedule
        >>> plan = AsyncHyperbandPlan(HyperbandSchedule.from_resources(1, 9, eta=3))
        >>> plan.new_run, [plan.next_job().run for _ in range(10)][-1], plan.new_run
        (0, 1, 1)
        """
        while self._new_run < len(self.runs) and (
            self._started[self._new_run] >= self.quotas[self._new_run]
        ):
            self._new_run += 1
        return self._new_run if self._new_run < len(self.runs) else None

    def set_quota(self, run: int, n: int) -> None:
        """Start at most ``n`` new configurations in ``run`` (a space that holds fewer).

        Parameters
        ----------
        run : int
            Index into :attr:`runs`.
        n : int
            The most configurations the run may start.

        Returns
        -------
        None

        Examples
        --------
        >>> from sktune.optimizers import AsyncHyperbandPlan, HyperbandSchedule
        >>> plan = AsyncHyperbandPlan(HyperbandSchedule.from_resources(1, 9, eta=3))
        >>> plan.set_quota(0, 2)
        >>> plan.quotas
        [2, 5, 3]
        """
        self.quotas[run] = min(self.quotas[run], int(n))

    def _promotable(self, run, rung, most=None):
        """Positions of rung ``rung`` of ``run`` in its top ``1/eta``, not yet promoted.

        The top of its ``most`` results if given (the most it can ever hold),
        else of those finished now.
        """
        finished = self._finished[run][rung]
        n_keep = (len(finished) if most is None else most) // self.schedule.eta
        if n_keep == 0:
            return []
        order = ranked_best_first([score for _, score in finished])[:n_keep]
        return [finished[k][0] for k in order if finished[k][0] not in self._promoted[run][rung]]

    def may_promote(self, run: int, rung: int, candidate: int) -> bool:
        """Whether ``candidate``, finished at ``rung`` of ``run``, may still be promoted.

        A rung with at most ``m`` results ever promotes only from its top
        ``m // eta`` at any time, and a result's rank among the rung's
        results can only fall as more arrive: a candidate ranked below that
        never will be promoted, nor one the search has no budget left for.
        Then what it would continue (its fold models) can be let go. ``m``
        is the run's quota at rung 0; above, the promotions the rung below
        made plus those it still may make (a rung may promote more than a
        ``1/eta`` of its results in all, as a promoted result that falls out
        of the top leaves its place to another).

        Parameters
        ----------
        run : int
            Index into :attr:`runs`.
        rung : int
            The rung the candidate finished at.
        candidate : int
            Its position among the configurations its run started.

        Returns
        -------
        bool

        Examples
        --------
        >>> from sktune.optimizers import AsyncHyperbandPlan, HyperbandSchedule
        >>> plan = AsyncHyperbandPlan(HyperbandSchedule.from_resources(1, 9, eta=3))
        >>> jobs = [plan.next_job() for _ in range(9)]  # the first run's 9 configurations
        >>> for job in jobs:
        ...     plan.report(job, float(job.candidate))
        >>> [plan.may_promote(0, 0, c) for c in (8, 6, 5)]  # at most 3 of 9 go on
        [True, True, False]
        """
        return (rung, candidate) in self.promotable_later(run)

    def promotable_later(self, run: int) -> set[tuple[int, int]]:
        """``(rung, candidate)`` of every finished result of ``run`` that may still be promoted.

        See :meth:`may_promote`; this answers for a whole run at once.

        Parameters
        ----------
        run : int
            Index into :attr:`runs`.

        Returns
        -------
        set of (int, int)

        Examples
        --------
        >>> from sktune.optimizers import AsyncHyperbandPlan, HyperbandSchedule
        >>> plan = AsyncHyperbandPlan(HyperbandSchedule.from_resources(1, 9, eta=3))
        >>> for job in [plan.next_job() for _ in range(9)]:
        ...     plan.report(job, float(job.candidate))
        >>> sorted(plan.promotable_later(0))
        [(0, 6), (0, 7), (0, 8)]
        """
        if self.resources_started >= self.total_resources:
            return set()
        out: set[tuple[int, int]] = set()
        most = self.quotas[run]
        for k in range(len(self._brackets[run].rungs) - 1):
            still = self._promotable(run, k, most)
            out.update((k, c) for c in still)
            # the results rung k + 1 can ever hold: those it got, and one per
            # candidate of rung k that may still go on or has yet to finish
            most = len(self._promoted[run][k]) + len(still) + most - len(self._finished[run][k])
        return out

    def _promotion(self):
        best = None  # (budget level, job); the earliest run wins a tie
        for run, bracket in enumerate(self._brackets):
            # the highest rung first: it is the one that will show a full-budget score soonest
            for rung in range(len(bracket.rungs) - 2, -1, -1):
                level = bracket.rungs[rung + 1].level
                if best is not None and level <= best[0]:
                    break
                promotable = self._promotable(run, rung)
                if promotable:
                    budget = bracket.rungs[rung + 1].n_resources
                    best = (level, HyperbandJob(run, rung + 1, promotable[0], budget))
                    break
        return None if best is None else best[1]

    def next_job(self) -> HyperbandJob | None:
        """The next evaluation for a free worker, or None when the search is over.

        Returns
        -------
        job : HyperbandJob or None
            A promotion when one is allowed (the highest rung first), else a
            new configuration at the lowest rung of :attr:`new_run`.

        Examples
        --------
        >>> from sktune.optimizers import AsyncHyperbandPlan, HyperbandSchedule
        >>> plan = AsyncHyperbandPlan(HyperbandSchedule.from_resources(1, 9, eta=3))
        >>> [plan.next_job().n_resources for _ in range(17)][-4:]  # nothing reported yet
        [3, 9, 9, 9]
        >>> print(plan.next_job())  # all started, none promotable
        None
        """
        if self.resources_started >= self.total_resources:
            return None
        job = self._promotion()
        if job is not None:
            self._promoted[job.run][job.rung - 1].add(job.candidate)
        else:
            run = self.new_run
            if run is None:
                return None
            job = HyperbandJob(run, 0, self._started[run], self._brackets[run].rungs[0].n_resources)
            self._started[run] += 1
        self.resources_started += job.n_resources
        return job

    def report(self, job: HyperbandJob, score: float) -> None:
        """Record the score of a finished job (NaN for a failed fit, which ranks last).

        Parameters
        ----------
        job : HyperbandJob
            From :meth:`next_job`.
        score : float
            The refit metric's mean test score, larger is better.

        Returns
        -------
        None

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.optimizers import AsyncHyperbandPlan, HyperbandSchedule
        >>> plan = AsyncHyperbandPlan(HyperbandSchedule.from_resources(1, 9, eta=3))
        >>> jobs = [plan.next_job() for _ in range(3)]
        >>> for job, score in zip(jobs, [np.nan, 0.1, 0.0]):
        ...     plan.report(job, score)
        >>> plan.next_job().candidate  # the failed fit ranks last
        1
        """
        if job.rung < len(self._brackets[job.run].rungs) - 1:
            self._finished[job.run][job.rung].append((job.candidate, float(score)))
