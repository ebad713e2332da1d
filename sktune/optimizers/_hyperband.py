"""The Hyperband schedule and plan: brackets of successive halving, as plain data.

Notation (Li et al., "Hyperband: A Novel Bandit-Based Approach to
Hyperparameter Optimization", JMLR 18(185), 2018, Algorithm 1):

* ``eta`` (η): the halving rate; each rung keeps the best ``1/eta``.
* ``R``: the largest budget in units of the smallest, ``max_resources //
  min_resources`` here.
* ``s_max = floor(log_eta(R))``: the number of halvings of the most
  aggressive bracket; there are ``s_max + 1`` brackets.
* Bracket ``s`` starts ``n = ceil((s_max + 1) * eta**s / (s + 1))``
  configurations at budget ``r = R * eta**-s``; its rung ``i`` evaluates
  ``n_i = floor(n * eta**-i)`` configurations at ``r_i = r * eta**i``.

Every quantity is computed with integers (DESIGN.md rule 7): ``s_max`` comes
from an integer loop, never from ``floor(log(R, eta))``, which is 4 instead
of 5 for ``R = 243, eta = 3`` because ``math.log(243, 3)`` is
``4.999999999999999``.

The schedule is known before any model is fitted (DESIGN.md rule 8); a
search only follows it, with a :class:`HyperbandPlan` that orders its rungs
in rounds and says which candidates of a rung go on, from their scores.
"""

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["Bracket", "HyperbandPlan", "HyperbandSchedule", "Rung", "floor_log"]


def floor_log(x: int, base: int) -> int:
    """Largest integer ``k`` with ``base**k <= x``, in exact integer arithmetic.

    Parameters
    ----------
    x : int
        A positive integer.
    base : int
        An integer >= 2.

    Returns
    -------
    k : int

    Examples
    --------
    >>> import math
    >>> from sktune.optimizers import floor_log
    >>> floor_log(243, 3), math.floor(math.log(243, 3))
    (5, 4)
    >>> floor_log(80, 3)
    3
    """
    x, base = _as_int("x", x, 1, "floor_log"), _as_int("base", base, 2, "floor_log")
    k, power = 0, base
    while power <= x:
        k, power = k + 1, power * base
    return k


def ranked_best_first(scores):
    """Positions of ``scores`` from the best down; NaN last, ties in their order."""
    # nan_to_num leaves -inf scores above the NaN ones, as -(largest float)
    return np.argsort(-np.nan_to_num(np.asarray(scores, dtype=float), nan=-np.inf),
                      kind="stable")


def _as_int(name, value, minimum, owner, maximum=None):
    allowed = f">= {minimum}" if maximum is None else f"from {minimum} to {maximum}"
    message = f"The {name!r} argument of {owner} must be an int {allowed}. Got {value!r} instead."
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise TypeError(message)
    number = int(value.__index__())
    if number < minimum or (maximum is not None and number > maximum):
        raise ValueError(message)
    return number


@dataclass(frozen=True)
class Rung:
    """One round of successive halving.

    Parameters
    ----------
    n_candidates : int
        Configurations evaluated in this rung.
    n_resources : int
        Budget given to each of them.
    n_promoted : int
        How many of them go on to the next rung (the best
        ``floor(n_candidates / eta)``); 0 in a bracket's last rung.
    level : int
        Index of ``n_resources`` in :attr:`HyperbandSchedule.budgets`.

    Examples
    --------
    >>> from sktune.optimizers import HyperbandSchedule
    >>> HyperbandSchedule.from_resources(1, 9, eta=3).brackets[0].rungs[0]
    Rung(n_candidates=9, n_resources=1, n_promoted=3, level=0)
    """

    n_candidates: int
    n_resources: int
    n_promoted: int
    level: int


@dataclass(frozen=True)
class Bracket:
    """One run of successive halving.

    Parameters
    ----------
    s : int
        The paper's bracket index: the number of halvings, ``s_max`` for the
        most aggressive bracket, 0 for the one that is plain random search at
        the full budget.
    rungs : tuple of Rung
        The rounds, from the smallest budget to the largest.

    Examples
    --------
    >>> from sktune.optimizers import HyperbandSchedule
    >>> bracket = HyperbandSchedule.from_resources(1, 9, eta=3).brackets[0]
    >>> bracket.s, bracket.n_candidates, bracket.total_resources
    (2, 9, 27)
    """

    s: int
    rungs: tuple

    @property
    def n_candidates(self) -> int:
        """Configurations the bracket starts with.

        Examples
        --------
        >>> from sktune.optimizers import HyperbandSchedule
        >>> schedule = HyperbandSchedule.from_resources(1, 81, eta=3)
        >>> [bracket.n_candidates for bracket in schedule.brackets]
        [81, 34, 15, 8, 5]
        """
        return self.rungs[0].n_candidates

    @property
    def total_resources(self) -> int:
        """Sum of the budgets of every evaluation in the bracket.

        Examples
        --------
        The most aggressive bracket of ``R = 81, eta = 3`` spends ``81 x 1``
        on each of its five rungs:

        >>> from sktune.optimizers import HyperbandSchedule
        >>> schedule = HyperbandSchedule.from_resources(1, 81, eta=3)
        >>> [bracket.total_resources for bracket in schedule.brackets]
        [405, 363, 351, 378, 405]
        """
        return sum(r.n_candidates * r.n_resources for r in self.rungs)


@dataclass(frozen=True)
class HyperbandSchedule:
    """The brackets and rungs of one Hyperband iteration, known before fitting.

    Budgets are anchored at ``max_resources``: rung level ``k`` (0 for the
    smallest budget) gets ``max_resources // eta**(s_max - k)``. When
    ``max_resources / min_resources`` is a power of ``eta`` this is exactly
    the paper's ``min_resources * eta**k``; otherwise the smallest budget is
    the smallest one above ``min_resources`` that keeps the ratio ``eta``
    between levels and ends at ``max_resources``.

    Use :meth:`from_resources` to build one; the fields are the result.

    Parameters
    ----------
    min_resources : int
        Smallest budget allowed.
    max_resources : int
        Largest budget.
    eta : int
        Halving rate.
    brackets : tuple of Bracket
        From the most aggressive (``s = s_max``) to plain random search
        (``s = 0``), in the paper's order.

    Examples
    --------
    The paper's Table 1 (Li et al. 2018), ``R = 81, eta = 3``:

    >>> from sktune.optimizers import HyperbandSchedule
    >>> schedule = HyperbandSchedule.from_resources(1, 81, eta=3)
    >>> print(schedule)
    HyperbandSchedule(min_resources=1, max_resources=81, eta=3): 5 brackets
      s=4: 81@1 -> 27@3 -> 9@9 -> 3@27 -> 1@81
      s=3: 34@3 -> 11@9 -> 3@27 -> 1@81
      s=2: 15@9 -> 5@27 -> 1@81
      s=1: 8@27 -> 2@81
      s=0: 5@81
    >>> schedule.budgets
    (1, 3, 9, 27, 81)
    >>> len(schedule.rounds()), len(schedule.rounds(n_workers=1000))
    (15, 5)

    When the ratio is not a power of ``eta``, the first line says where the
    budgets start:

    >>> print(HyperbandSchedule.from_resources(60, 1200, eta=3))
    HyperbandSchedule(min_resources=60, max_resources=1200, eta=3): 3 brackets; budgets from 133
      s=2: 9@133 -> 3@400 -> 1@1200
      s=1: 5@400 -> 1@1200
      s=0: 3@1200
    """

    min_resources: int
    max_resources: int
    eta: int
    brackets: tuple

    @classmethod
    def from_resources(cls, min_resources: int, max_resources: int,
                       eta: int = 3) -> "HyperbandSchedule":
        """Compute the schedule of Li et al. (2018), Algorithm 1.

        Parameters
        ----------
        min_resources : int
            Smallest budget allowed, >= 1.
        max_resources : int
            Largest budget, >= ``min_resources``.
        eta : int, default=3
            Halving rate, >= 2.

        Returns
        -------
        schedule : HyperbandSchedule

        Examples
        --------
        >>> from sktune.optimizers import HyperbandSchedule
        >>> HyperbandSchedule.from_resources(1, 243, eta=3).n_brackets
        6
        >>> HyperbandSchedule.from_resources(10, 1000, eta=3).budgets
        (12, 37, 111, 333, 1000)
        """
        owner = "HyperbandSchedule.from_resources"
        lo = _as_int("min_resources", min_resources, 1, owner)
        hi = _as_int("max_resources", max_resources, 1, owner)
        eta = _as_int("eta", eta, 2, owner)
        if lo > hi:
            raise ValueError(
                f"The 'min_resources' argument of {owner} must be at most max_resources "
                f"({hi}). Got {lo!r} instead."
            )
        s_max = floor_log(hi // lo, eta)
        budgets = [hi // eta ** (s_max - k) for k in range(s_max + 1)]
        brackets = []
        for s in range(s_max, -1, -1):
            # n = ceil(B / R * eta^s / (s + 1)) with B = (s_max + 1) R, as an
            # integer ceiling division.
            n = -(-((s_max + 1) * eta**s) // (s + 1))
            sizes = [n // eta**i for i in range(s + 1)]
            rungs = tuple(
                Rung(
                    n_candidates=size,
                    n_resources=budgets[s_max - s + i],
                    n_promoted=sizes[i + 1] if i < s else 0,
                    level=s_max - s + i,
                )
                for i, size in enumerate(sizes)
            )
            brackets.append(Bracket(s=s, rungs=rungs))
        return cls(lo, hi, eta, tuple(brackets))

    @property
    def s_max(self) -> int:
        """Halvings in the most aggressive bracket.

        Examples
        --------
        >>> from sktune.optimizers import HyperbandSchedule
        >>> HyperbandSchedule.from_resources(1, 81, eta=3).s_max
        4
        >>> HyperbandSchedule.from_resources(1, 243, eta=3).s_max  # exact: 3**5 == 243
        5
        """
        return self.brackets[0].s

    @property
    def n_brackets(self) -> int:
        """Number of brackets, ``s_max + 1``.

        Examples
        --------
        >>> from sktune.optimizers import HyperbandSchedule
        >>> HyperbandSchedule.from_resources(1, 81, eta=3).n_brackets
        5
        """
        return len(self.brackets)

    @property
    def budgets(self) -> tuple[int, ...]:
        """The distinct budgets, smallest first; ``budgets[-1] == max_resources``.

        Examples
        --------
        >>> from sktune.optimizers import HyperbandSchedule
        >>> HyperbandSchedule.from_resources(1, 81, eta=3).budgets
        (1, 3, 9, 27, 81)
        >>> HyperbandSchedule.from_resources(10, 1000, eta=3).budgets
        (12, 37, 111, 333, 1000)
        """
        return tuple(r.n_resources for r in self.brackets[0].rungs)

    @property
    def n_candidates(self) -> int:
        """Configurations drawn in one iteration (all brackets).

        Examples
        --------
        >>> from sktune.optimizers import HyperbandSchedule
        >>> HyperbandSchedule.from_resources(1, 81, eta=3).n_candidates  # 81+34+15+8+5
        143
        """
        return sum(b.n_candidates for b in self.brackets)

    @property
    def n_evaluations(self) -> int:
        """Evaluations (configuration x budget) in one iteration.

        Examples
        --------
        >>> from sktune.optimizers import HyperbandSchedule
        >>> schedule = HyperbandSchedule.from_resources(1, 9, eta=3)
        >>> print(schedule)
        HyperbandSchedule(min_resources=1, max_resources=9, eta=3): 3 brackets
          s=2: 9@1 -> 3@3 -> 1@9
          s=1: 5@3 -> 1@9
          s=0: 3@9
        >>> schedule.n_evaluations  # 13 + 6 + 3
        22
        """
        return sum(r.n_candidates for b in self.brackets for r in b.rungs)

    @property
    def total_resources(self) -> int:
        """Sum of all budgets spent in one iteration.

        Examples
        --------
        >>> from sktune.optimizers import HyperbandSchedule
        >>> HyperbandSchedule.from_resources(1, 81, eta=3).total_resources  # 405+363+351+378+405
        1902
        """
        return sum(b.total_resources for b in self.brackets)

    def rounds(self, n_iterations: int = 1, n_workers: int = 1,
               fits_per_candidate: int = 1) -> tuple[tuple[tuple[int, int, int], ...], ...]:
        """The order in which a search evaluates the rungs, in rounds.

        A round is what one call to ``evaluate_candidates`` runs. Brackets go
        in the paper's order, the most aggressive first, so that its winner
        (the best of ``eta**s_max`` configurations) is known after about
        ``1 / n_brackets`` of the total budget. A round holds the next rung
        of the first unfinished bracket; while it has fewer fits than
        ``n_workers``, the ready rungs of later brackets (or iterations) at
        the same budget join it, so parallel workers do not wait for one
        bracket. A rung is ready when the rung before it in its bracket ran
        in an earlier round; first rungs are always ready. With one worker
        (or at least as many fits per rung as workers) this is the paper's
        sequential order; with unlimited workers, rung ``k`` of the first
        bracket runs with every other rung at the same budget.

        Parameters
        ----------
        n_iterations : int, default=1
            Times the whole schedule runs.
        n_workers : int, default=1
            Fits that can run at the same time.
        fits_per_candidate : int, default=1
            Fits per candidate and rung (the number of cross-validation
            splits).

        Returns
        -------
        rounds : tuple of tuple of (int, int, int)
            Per round, ``(iteration, bracket index, rung index)`` triples,
            all at one budget.

        Examples
        --------
        >>> from sktune.optimizers import HyperbandSchedule
        >>> schedule = HyperbandSchedule.from_resources(1, 9, eta=3)
        >>> schedule.rounds()
        (((0, 0, 0),), ((0, 0, 1),), ((0, 0, 2),), ((0, 1, 0),), ((0, 1, 1),), ((0, 2, 0),))
        >>> schedule.rounds(n_workers=100)
        (((0, 0, 0),), ((0, 0, 1), (0, 1, 0)), ((0, 0, 2), (0, 1, 1), (0, 2, 0)))
        """
        owner = "HyperbandSchedule.rounds"
        n_iterations = _as_int("n_iterations", n_iterations, 1, owner)
        n_workers = _as_int("n_workers", n_workers, 1, owner)
        fits_per_candidate = _as_int("fits_per_candidate", fits_per_candidate, 1, owner)
        runs = [(m, b) for m in range(n_iterations) for b in range(self.n_brackets)]
        next_rung = [0] * len(runs)

        def pending(j):
            rungs = self.brackets[runs[j][1]].rungs
            return rungs[next_rung[j]] if next_rung[j] < len(rungs) else None

        out = []
        while (lead := next((j for j in range(len(runs)) if pending(j)), None)) is not None:
            level = pending(lead).level
            members = [lead]
            fits = pending(lead).n_candidates * fits_per_candidate
            for j in range(lead + 1, len(runs)):
                if fits >= n_workers:
                    break
                rung = pending(j)
                if rung is not None and rung.level == level:
                    members.append(j)
                    fits += rung.n_candidates * fits_per_candidate
            out.append(tuple((*runs[j], next_rung[j]) for j in members))
            for j in members:
                next_rung[j] += 1
        return tuple(out)

    def __str__(self):
        lines = [
            f"HyperbandSchedule(min_resources={self.min_resources}, "
            f"max_resources={self.max_resources}, eta={self.eta}): "
            f"{self.n_brackets} bracket{'s' if self.n_brackets > 1 else ''}"
        ]
        if self.budgets[0] != self.min_resources:
            # budgets are anchored at max_resources: say where they start
            lines[0] += f"; budgets from {self.budgets[0]}"
        for b in self.brackets:
            rungs = " -> ".join(f"{r.n_candidates}@{r.n_resources}" for r in b.rungs)
            lines.append(f"  s={b.s}: {rungs}")
        return "\n".join(lines)


@dataclass(frozen=True)
class HyperbandPlan:
    """The rounds of a Hyperband search, and who goes on after each rung.

    A *run* is one bracket of one iteration: ``runs[j]`` is its
    ``(iteration, bracket index)``, iteration by iteration, brackets in the
    paper's order. ``rounds`` are :meth:`HyperbandSchedule.rounds` in runs:
    per round, the ``(run, rung index)`` pairs it evaluates.
    :meth:`promote` says which candidates of a rung go on to the next
    budget, given their scores. The plan holds neither candidates nor
    scores: positions and scores in, positions out, so the search that
    follows it keeps its candidates and its models to itself.

    Parameters
    ----------
    schedule : HyperbandSchedule
        Brackets and rungs of one iteration.
    n_iterations : int, default=1
        Times the whole schedule runs.
    n_workers : int, default=1
        Fits that can run at the same time.
    fits_per_candidate : int, default=1
        Fits per candidate and rung (the number of cross-validation splits).

    Attributes
    ----------
    runs : tuple of (int, int)
        ``(iteration, bracket index)`` of each run.
    rounds : tuple of tuple of (int, int)
        Per round, ``(run, rung index)`` pairs, all at one budget.

    Examples
    --------
    ``R = 9, eta = 3``: three brackets, one after the other with one worker.

    >>> import numpy as np
    >>> from sktune.optimizers import HyperbandPlan, HyperbandSchedule
    >>> plan = HyperbandPlan(HyperbandSchedule.from_resources(1, 9, eta=3))
    >>> plan.runs
    ((0, 0), (0, 1), (0, 2))
    >>> plan.rounds[:3]
    (((0, 0),), ((0, 1),), ((0, 2),))

    The first rung holds 9 candidates and promotes the best 3; the failed
    fit (NaN) ranks last, and of the two 0.7 at the cut the first goes on:

    >>> plan.promote(0, 0, [0.2, 0.9, np.nan, 0.8, 0.7, 0.1, 0.3, 0.7, 0.4])
    array([1, 3, 4])
    """

    schedule: HyperbandSchedule
    n_iterations: int = 1
    n_workers: int = 1
    fits_per_candidate: int = 1
    runs: tuple = field(init=False, repr=False, compare=False)
    rounds: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        owner = "HyperbandPlan"
        if not isinstance(self.schedule, HyperbandSchedule):
            raise TypeError(
                f"The 'schedule' argument of {owner} must be a HyperbandSchedule. "
                f"Got {self.schedule!r} instead; build one with "
                f"HyperbandSchedule.from_resources."
            )
        counts = {
            name: _as_int(name, getattr(self, name), 1, owner)
            for name in ("n_iterations", "n_workers", "fits_per_candidate")
        }
        n_b = self.schedule.n_brackets
        rounds = self.schedule.rounds(**counts)
        derived = {
            **counts,
            "runs": tuple((m, b) for m in range(counts["n_iterations"]) for b in range(n_b)),
            "rounds": tuple(tuple((m * n_b + b, i) for m, b, i in r) for r in rounds),
        }
        for name, value in derived.items():
            # a frozen dataclass sets its own fields only this way
            object.__setattr__(self, name, value)

    def promote(self, run: int, rung: int, scores: ArrayLike) -> np.ndarray:
        """Positions of the candidates of a rung that go on, best first.

        Of ``n`` scored candidates the best ``floor(n / eta)`` go on, at
        least one and at most the rung's ``n_promoted``: a small finite
        space gives a rung fewer candidates than the schedule plans, and
        they still lose all but ``1/eta`` of them. Of equal scores the
        earlier position goes first; NaN (a failed fit) ranks below every
        number, ``-inf`` included. A bracket's last rung promotes none.

        Parameters
        ----------
        run : int
            Index into :attr:`runs`.
        rung : int
            Index of the rung in its bracket.
        scores : array-like of shape (n_scored,)
            The rung's scores, larger is better; ``n_scored`` is at most the
            rung's ``n_candidates``.

        Returns
        -------
        promoted : ndarray of int of shape (n_promoted,)
            Positions into ``scores``.

        Examples
        --------
        The first rung of ``R = 81, eta = 3`` plans 81 candidates and
        promotes 27; given only 4 (a space of 4 values), it promotes one:

        >>> from sktune.optimizers import HyperbandPlan, HyperbandSchedule
        >>> plan = HyperbandPlan(HyperbandSchedule.from_resources(1, 81, eta=3))
        >>> plan.promote(0, 0, [0.5, 0.8, 0.1, 0.8])
        array([1])
        >>> len(plan.promote(0, 4, [0.9]))  # the bracket's last rung
        0
        """
        owner = "HyperbandPlan.promote"
        run = _as_int("run", run, 0, owner, maximum=len(self.runs) - 1)
        rungs = self.schedule.brackets[self.runs[run][1]].rungs
        planned = rungs[_as_int("rung", rung, 0, owner, maximum=len(rungs) - 1)]
        scores = np.asarray(scores, dtype=float)
        if scores.ndim != 1 or len(scores) > planned.n_candidates:
            raise ValueError(
                f"The 'scores' argument of {owner} must be a 1-d array of at most "
                f"{planned.n_candidates} scores (the candidates of rung {rung} of run "
                f"{run}). Got an array of shape {scores.shape} instead."
            )
        if planned.n_promoted == 0:
            return np.empty(0, dtype=np.intp)
        n_keep = min(planned.n_promoted, max(1, len(scores) // self.schedule.eta))
        return ranked_best_first(scores)[:n_keep]
