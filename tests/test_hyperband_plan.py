"""The Hyperband plan: rounds in runs, and who goes on after a rung, from scores alone."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sktune.optimizers import HyperbandPlan, HyperbandSchedule

R81 = HyperbandSchedule.from_resources(1, 81, eta=3)
R9 = HyperbandSchedule.from_resources(1, 9, eta=3)


def _by_definition(scores, n_keep):
    """The best ``n_keep`` positions: numbers by value, then -inf, then NaN; ties by position."""
    def key(j):
        if math.isnan(scores[j]):
            return (2, 0.0, j)
        if scores[j] == -math.inf:
            return (1, 0.0, j)
        return (0, -scores[j], j)

    return sorted(range(len(scores)), key=key)[:n_keep]


# rounds and runs ----------------------------------------------------------------------
def test_rounds_are_the_schedules_rounds_in_runs():
    plan = HyperbandPlan(R9, n_iterations=2, n_workers=7, fits_per_candidate=2)
    assert plan.runs == tuple((m, b) for m in range(2) for b in range(3))
    expected = R9.rounds(n_iterations=2, n_workers=7, fits_per_candidate=2)
    assert [[plan.runs[run] + (i,) for run, i in r] for r in plan.rounds] == [
        list(r) for r in expected
    ]


def test_every_rung_of_every_run_is_in_one_round():
    plan = HyperbandPlan(R81, n_iterations=3, n_workers=40)
    planned = [(run, i) for run, (_, b) in enumerate(plan.runs)
               for i in range(len(R81.brackets[b].rungs))]
    assert sorted(pair for r in plan.rounds for pair in r) == planned


def test_the_plan_is_an_immutable_value():
    plan = HyperbandPlan(R9, n_workers=4)
    assert plan == HyperbandPlan(R9, n_workers=4)
    assert plan != HyperbandPlan(R9, n_workers=5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.n_workers = 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.rounds = ()


def test_numpy_integers_are_taken_as_ints():
    plan = HyperbandPlan(R9, n_iterations=np.int64(2))
    assert type(plan.n_iterations) is int and len(plan.runs) == 6


# promotions ---------------------------------------------------------------------------
def test_the_best_third_goes_on_best_first():
    scores = np.random.RandomState(0).uniform(size=81)
    promoted = HyperbandPlan(R81).promote(0, 0, scores)
    assert promoted.tolist() == np.argsort(-scores)[:27].tolist()
    assert promoted.dtype.kind == "i"


def test_ties_go_to_the_earlier_position():
    scores = [0.5, 0.9, 0.7, 0.7, 0.7, 0.1, 0.7, 0.0, 0.2]
    assert HyperbandPlan(R9).promote(0, 0, scores).tolist() == [1, 2, 3]


def test_failed_fits_rank_last_even_below_minus_infinity():
    scores = [np.nan, -np.inf, np.nan, -1e300, np.nan, -np.inf, np.nan, np.nan, np.nan]
    assert HyperbandPlan(R9).promote(0, 0, scores).tolist() == [3, 1, 5]


def test_a_rung_whose_fits_all_failed_promotes_its_first_candidates():
    assert HyperbandPlan(R9).promote(0, 0, [np.nan] * 9).tolist() == [0, 1, 2]


@pytest.mark.parametrize("n_scored, n_kept", [(9, 3), (8, 2), (4, 1), (2, 1), (1, 1), (0, 0)])
def test_fewer_candidates_than_planned_still_lose_all_but_one_in_eta(n_scored, n_kept):
    scores = np.arange(n_scored, dtype=float)
    promoted = HyperbandPlan(R9).promote(0, 0, scores)
    assert promoted.tolist() == list(range(n_scored - 1, n_scored - 1 - n_kept, -1))


@pytest.mark.parametrize("lo, hi, eta", [(1, 81, 3), (1, 8, 2), (3, 250, 4), (10, 1000, 3)])
def test_a_full_rung_promotes_what_the_schedule_says(lo, hi, eta):
    schedule = HyperbandSchedule.from_resources(lo, hi, eta=eta)
    plan = HyperbandPlan(schedule)
    for run, (_, b) in enumerate(plan.runs):
        for i, rung in enumerate(schedule.brackets[b].rungs):
            assert len(plan.promote(run, i, np.ones(rung.n_candidates))) == rung.n_promoted


def test_a_brackets_last_rung_promotes_none():
    plan = HyperbandPlan(R9, n_iterations=2)
    for run, (_, b) in enumerate(plan.runs):
        last = len(R9.brackets[b].rungs) - 1
        assert plan.promote(run, last, [1.0] * R9.brackets[b].rungs[last].n_candidates).size == 0


def test_scores_are_left_as_given():
    scores = np.array([0.3, np.nan, 0.9, 0.1, 0.5, 0.2, 0.8, 0.0, 0.4])
    before = scores.copy()
    HyperbandPlan(R9).promote(0, 0, scores)
    np.testing.assert_array_equal(scores, before)


@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=False, width=32),
            st.sampled_from([-math.inf, 0.5]),
        ),
        min_size=0,
        max_size=81,
    )
)
def test_promotion_matches_its_definition(scores):
    plan = HyperbandPlan(R81)
    n_keep = min(27, max(1, len(scores) // 3)) if scores else 0
    assert plan.promote(0, 0, scores).tolist() == _by_definition(scores, n_keep)


# bad input ----------------------------------------------------------------------------
def test_schedule_must_be_a_schedule():
    with pytest.raises(TypeError, match=r"The 'schedule' argument of HyperbandPlan must be a "
                       r"HyperbandSchedule\. Got \(1, 9\) instead"):
        HyperbandPlan((1, 9))


@pytest.mark.parametrize("name", ["n_iterations", "n_workers", "fits_per_candidate"])
def test_counts_must_be_positive_ints(name):
    with pytest.raises(ValueError, match=rf"The '{name}' argument of HyperbandPlan must be "
                       r"an int >= 1\. Got 0 instead"):
        HyperbandPlan(R9, **{name: 0})
    with pytest.raises(TypeError, match=rf"The '{name}' argument of HyperbandPlan must be "
                       r"an int >= 1\. Got 2\.0 instead"):
        HyperbandPlan(R9, **{name: 2.0})


@pytest.mark.parametrize("run, rung, bad", [(3, 0, "'run'"), (-1, 0, "'run'"), (1, 2, "'rung'")])
def test_promote_refuses_a_rung_the_plan_has_not(run, rung, bad):
    # R=9 has three runs; run 1 (bracket s=1) has two rungs
    limit = {"'run'": 2, "'rung'": 1}[bad]
    value = run if bad == "'run'" else rung
    with pytest.raises(ValueError, match=rf"The {bad} argument of HyperbandPlan\.promote must "
                       rf"be an int from 0 to {limit}\. Got {value} instead"):
        HyperbandPlan(R9).promote(run, rung, [0.5])


def test_promote_refuses_a_bool_run():
    with pytest.raises(TypeError, match=r"The 'run' argument of HyperbandPlan\.promote must "
                       r"be an int from 0 to 2\. Got True instead"):
        HyperbandPlan(R9).promote(True, 0, [0.5])


@pytest.mark.parametrize("scores, shape", [(np.zeros(10), r"\(10,\)"),
                                           (np.zeros((3, 3)), r"\(3, 3\)")])
def test_promote_refuses_scores_the_rung_cannot_hold(scores, shape):
    with pytest.raises(ValueError, match=r"The 'scores' argument of HyperbandPlan\.promote must "
                       rf"be a 1-d array of at most 9 scores .*Got an array of shape {shape}"):
        HyperbandPlan(R9).promote(0, 0, scores)
