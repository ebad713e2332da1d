"""The Hyperband schedule: pure data, exact integers, the paper's numbers."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sktune.optimizers import Bracket, HyperbandSchedule, Rung, floor_log

# Li et al. (JMLR 2018), Table 1: R = 81, eta = 3, per bracket s the pairs
# (n_i, r_i) of its rungs i = 0..s.
PAPER_TABLE_R81 = {
    4: [(81, 1), (27, 3), (9, 9), (3, 27), (1, 81)],
    3: [(34, 3), (11, 9), (3, 27), (1, 81)],
    2: [(15, 9), (5, 27), (1, 81)],
    1: [(8, 27), (2, 81)],
    0: [(5, 81)],
}


def _table(schedule):
    return {b.s: [(r.n_candidates, r.n_resources) for r in b.rungs] for b in schedule.brackets}


def test_paper_table_r81_eta3():
    schedule = HyperbandSchedule.from_resources(1, 81, eta=3)
    assert _table(schedule) == PAPER_TABLE_R81
    assert [b.s for b in schedule.brackets] == [4, 3, 2, 1, 0]
    assert schedule.s_max == 4
    assert schedule.budgets == (1, 3, 9, 27, 81)


def test_paper_table_scales_with_min_resources():
    # r is in units of min_resources: the same table with every budget x 10
    schedule = HyperbandSchedule.from_resources(10, 810, eta=3)
    scaled = {s: [(n, 10 * r) for n, r in rungs] for s, rungs in PAPER_TABLE_R81.items()}
    assert _table(schedule) == scaled


def test_r243_eta3_keeps_all_six_brackets():
    # math.log(243, 3) == 4.999999999999999: floor(log) drops the s=5 bracket
    assert math.floor(math.log(243, 3)) == 4
    schedule = HyperbandSchedule.from_resources(1, 243, eta=3)
    assert schedule.n_brackets == 6
    assert schedule.s_max == 5
    assert _table(schedule)[5] == [(243, 1), (81, 3), (27, 9), (9, 27), (3, 81), (1, 243)]
    # s=4: n = ceil(6 * 81 / 5) = 98
    assert _table(schedule)[4][0] == (98, 3)
    assert schedule.budgets == (1, 3, 9, 27, 81, 243)


@pytest.mark.parametrize(
    "x, base, expected",
    [(1, 2, 0), (2, 2, 1), (3, 2, 1), (243, 3, 5), (242, 3, 4), (10**15, 10, 15), (999, 10, 2)],
)
def test_floor_log_exact(x, base, expected):
    assert floor_log(x, base) == expected


def test_floor_log_beats_float_log():
    # Every power where the float logarithm rounds below the integer.
    wrong = [
        (b, k) for b in range(2, 12) for k in range(1, 30)
        if math.floor(math.log(b**k, b)) != k
    ]
    assert wrong, "float log is exact everywhere; the test lost its point"
    for b, k in wrong:
        assert floor_log(b**k, b) == k


@given(st.integers(1, 10**6), st.integers(2, 10))
def test_floor_log_property(x, base):
    k = floor_log(x, base)
    assert base**k <= x < base ** (k + 1)


@given(st.integers(1, 50), st.integers(1, 3000), st.integers(2, 5))
def test_schedule_invariants(lo, span, eta):
    hi = lo + span - 1
    schedule = HyperbandSchedule.from_resources(lo, hi, eta)
    s_max = schedule.s_max
    assert lo * eta**s_max <= hi < lo * eta ** (s_max + 1)
    assert schedule.budgets[-1] == hi
    assert schedule.budgets[0] >= lo
    for a, b in zip(schedule.budgets, schedule.budgets[1:]):
        assert b >= eta * a  # at least eta times the budget at each level
    for bracket in schedule.brackets:
        rungs = bracket.rungs
        assert len(rungs) == bracket.s + 1
        assert rungs[-1].n_resources == hi
        assert rungs[-1].n_promoted == 0
        for r, nxt in zip(rungs, rungs[1:]):
            assert r.n_promoted == nxt.n_candidates == r.n_candidates // eta
            assert nxt.level == r.level + 1
        assert all(r.n_candidates >= 1 for r in rungs)
        # n = ceil((s_max + 1) eta^s / (s + 1)), checked with rationals
        n = bracket.n_candidates
        assert (n - 1) * (bracket.s + 1) < (s_max + 1) * eta**bracket.s <= n * (bracket.s + 1)


def test_budgets_anchor_at_max_resources():
    schedule = HyperbandSchedule.from_resources(10, 1000, eta=3)
    assert schedule.budgets == (12, 37, 111, 333, 1000)
    assert str(schedule).splitlines()[1] == "  s=4: 81@12 -> 27@37 -> 9@111 -> 3@333 -> 1@1000"


def test_single_bracket_when_range_below_eta():
    schedule = HyperbandSchedule.from_resources(50, 100, eta=3)
    assert schedule.n_brackets == 1
    assert _table(schedule) == {0: [(1, 100)]}


def _check_rounds(schedule, rounds, n_iterations):
    done = {}
    for k, members in enumerate(rounds):
        budgets = {schedule.brackets[b].rungs[i].n_resources for _, b, i in members}
        assert len(budgets) == 1  # one budget, so one splitter, per round
        assert len({(m, b) for m, b, _ in members}) == len(members)
        for m, b, i in members:
            assert (m, b, i) not in done
            if i > 0:  # the rung before ran in an earlier round
                assert done[(m, b, i - 1)] < k
            done[(m, b, i)] = k
    assert sorted(done) == sorted(
        (m, b, i)
        for m in range(n_iterations)
        for b, bracket in enumerate(schedule.brackets)
        for i in range(len(bracket.rungs))
    )


def test_rounds_with_one_worker_follow_the_paper_order():
    schedule = HyperbandSchedule.from_resources(1, 81, eta=3)
    rounds = schedule.rounds()
    assert [members for members in rounds] == [
        ((0, b, i),) for b, bracket in enumerate(schedule.brackets)
        for i in range(len(bracket.rungs))
    ]
    _check_rounds(schedule, rounds, 1)
    # as many fits per rung as workers: still one rung per round
    assert schedule.rounds(n_workers=5, fits_per_candidate=5) == rounds


def test_rounds_with_unlimited_workers_group_each_budget():
    schedule = HyperbandSchedule.from_resources(1, 81, eta=3)
    rounds = schedule.rounds(n_workers=10**6)
    assert len(rounds) == schedule.s_max + 1
    assert rounds[1] == ((0, 0, 1), (0, 1, 0))  # bracket 1 starts with rung 1 of bracket 0
    sizes = [sum(schedule.brackets[b].rungs[i].n_candidates for _, b, i in r) for r in rounds]
    assert sizes == [81, 27 + 34, 9 + 11 + 15, 3 + 3 + 5 + 8, 1 + 1 + 1 + 2 + 5]
    _check_rounds(schedule, rounds, 1)
    # a second iteration starts with the first
    two = schedule.rounds(n_iterations=2, n_workers=10**6)
    assert len(two) == schedule.s_max + 1 and two[0] == ((0, 0, 0), (1, 0, 0))


def test_rounds_fill_only_while_workers_would_idle():
    schedule = HyperbandSchedule.from_resources(1, 81, eta=3)
    rounds = schedule.rounds(n_workers=10, fits_per_candidate=5)
    # bracket 0's last rung is one candidate (5 fits < 10 workers): the
    # plain random-search bracket (5 @ 81) joins it
    assert rounds[4] == ((0, 0, 4), (0, 4, 0))
    # bracket 0's first rungs have >= 10 fits: they run alone
    assert rounds[:4] == tuple(((0, 0, i),) for i in range(4))
    _check_rounds(schedule, rounds, 1)


@given(
    st.integers(1, 400), st.integers(2, 4), st.integers(1, 3), st.integers(1, 64),
    st.integers(1, 5),
)
def test_rounds_property(hi, eta, n_iterations, n_workers, fits):
    schedule = HyperbandSchedule.from_resources(1, hi, eta)
    rounds = schedule.rounds(n_iterations, n_workers, fits)
    _check_rounds(schedule, rounds, n_iterations)
    for members in rounds:
        # a round only grows while it has fewer fits than workers
        sizes = [schedule.brackets[b].rungs[i].n_candidates * fits for _, b, i in members]
        assert all(sum(sizes[:j]) < n_workers for j in range(1, len(sizes)))


def test_rounds_errors():
    schedule = HyperbandSchedule.from_resources(1, 9, eta=3)
    with pytest.raises(ValueError, match=r"'n_workers' argument of HyperbandSchedule\.rounds "
                       r"must be an int >= 1\. Got 0 instead"):
        schedule.rounds(n_workers=0)


def test_totals():
    schedule = HyperbandSchedule.from_resources(1, 81, eta=3)
    assert schedule.n_candidates == 81 + 34 + 15 + 8 + 5
    assert schedule.n_evaluations == 121 + 49 + 21 + 10 + 5
    # each bracket spends about (s_max + 1) R = 405: Li et al., section 3.3
    for b in schedule.brackets:
        assert 5 * 81 - 81 <= b.total_resources <= 5 * 81 + 81
    assert schedule.total_resources == sum(b.total_resources for b in schedule.brackets)


def test_schedule_is_frozen_value():
    a = HyperbandSchedule.from_resources(1, 27, eta=3)
    b = HyperbandSchedule.from_resources(1, 27, eta=3)
    assert a == b and hash(a) == hash(b)
    assert a != HyperbandSchedule.from_resources(1, 27, eta=2)
    with pytest.raises(AttributeError):
        a.eta = 4
    assert isinstance(a.brackets[0], Bracket) and isinstance(a.brackets[0].rungs[0], Rung)


_OWNER = r"argument of HyperbandSchedule\.from_resources must be"


@pytest.mark.parametrize(
    "args, error, match",
    [
        ((0, 10, 3), ValueError, rf"'min_resources' {_OWNER} an int >= 1\. Got 0 instead"),
        ((1, 10, 1), ValueError, rf"'eta' {_OWNER} an int >= 2\. Got 1 instead"),
        ((1, 10.0, 3), TypeError, rf"'max_resources' {_OWNER} an int >= 1\. Got 10\.0 inst"),
        ((1, 10, True), TypeError, rf"'eta' {_OWNER} an int >= 2\. Got True instead"),
        ((20, 10, 3), ValueError, rf"'min_resources' {_OWNER} at most max_resources \(10\)"),
    ],
)
def test_schedule_errors(args, error, match):
    with pytest.raises(error, match=match):
        HyperbandSchedule.from_resources(*args)


def test_floor_log_errors():
    with pytest.raises(ValueError, match=r"'base' argument of floor_log must be an int >= 2"):
        floor_log(10, 1)
    with pytest.raises(ValueError, match=r"'x' argument of floor_log must be an int >= 1\. Got 0"):
        floor_log(0, 3)
