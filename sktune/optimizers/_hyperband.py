"""The Hyperband schedule: brackets of successive halving, as plain data.

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
search only follows it.
"""

from dataclasses import dataclass

__all__ = ["Bracket", "HyperbandSchedule", "Rung", "floor_log"]


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


def _as_int(name, value, minimum, owner):
    message = (
        f"The {name!r} argument of {owner} must be an int >= {minimum}. "
        f"Got {value!r} instead."
    )
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise TypeError(message)
    if int(value.__index__()) < minimum:
        raise ValueError(message)
    return int(value.__index__())


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
