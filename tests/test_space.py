"""Property tests of SearchSpace (dict <-> unit-cube rows) and the designs."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sktune.distributions import (
    Beta,
    Categorical,
    Exponential,
    Integer,
    LogUniform,
    Normal,
    ScipyDistribution,
    Uniform,
)
from sktune.space import SAMPLERS, SearchSpace, UnitDesign, candidate_key

# A pool of distributions (and what users write instead: lists, scipy), each
# a zero-argument builder so that two sub-spaces can hold equal but distinct
# objects (shared axes compare by value, not identity).
POOL = [
    lambda: Uniform(-2, 3),
    lambda: LogUniform(1e-4, 1e2),
    lambda: Normal(0, 1),
    lambda: Normal(1, 2, low=0),
    lambda: Exponential(2),
    lambda: Beta(2, 5, low=1, high=3),
    lambda: Integer(1, 50),
    lambda: Integer(1, 1000, log=True),
    lambda: Categorical(["rbf", "linear", None]),
    lambda: Categorical([0.1, 1, "auto"], weights=[1, 2, 3]),
    lambda: ["a", "b", "c", "d"],
    lambda: [True, False],
    lambda: stats.uniform(0, 5),
    lambda: stats.randint(3, 9),
    lambda: stats.poisson(2),
]
# No deadline: the machines that run this are shared and a slow example is
# not a wrong one. 100 examples per property and kind keep the file fast.
PROPERTY = settings(deadline=None, max_examples=100)
NAMES = ["alpha", "clf__C", "gamma", "kernel", "n"]


@st.composite
def spaces(draw, max_subspaces=3):
    """A dict or a list of dicts over a few shared names."""
    n_sub = draw(st.integers(1, max_subspaces))
    subs = []
    for _ in range(n_sub):
        names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
        subs.append({n: POOL[draw(st.integers(0, len(POOL) - 1))]() for n in names})
    if n_sub == 1 and draw(st.booleans()):
        return subs[0]
    return subs


def _assert_same_params(got, expected):
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert set(g) == set(e)
        for name in e:
            a, b = g[name], e[name]
            if isinstance(b, float):
                assert type(a) is float and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), (
                    name, a, b,
                )
            else:
                assert type(a) is type(b) and (a is b or a == b), (name, a, b)


@settings(deadline=None, max_examples=150)
@given(space=spaces(), seed=st.integers(0, 2**31 - 1))
def test_dict_to_row_to_dict_round_trip(space, seed):
    space = SearchSpace(space)
    rng = np.random.RandomState(seed)
    params = [space.sample_params(rng) for _ in range(8)]
    U = space.encode(params)
    assert U.shape == (8, space.n_dims)
    assert np.all((U >= 0) & (U <= 1))
    _assert_same_params(space.decode(U), params)


@settings(deadline=None, max_examples=150)
@given(space=spaces(), data=st.data())
def test_row_to_dict_to_row_is_stable(space, data):
    space = SearchSpace(space)
    rows = data.draw(
        st.lists(
            st.lists(st.floats(0, 1), min_size=space.n_dims, max_size=space.n_dims),
            min_size=1, max_size=5,
        )
    )
    U = np.array(rows, dtype=float).reshape(-1, space.n_dims)
    params = space.decode(U)
    for p, k in zip(params, space.subspace_of(U)):
        assert set(p) == set(space.subspaces[k])
    again = space.decode(space.encode(params))
    _assert_same_params(again, params)


@PROPERTY
@given(space=spaces(), data=st.data())
def test_encode_gives_the_subspace_and_active_axes_back(space, data):
    space = SearchSpace(space)
    U = np.array(
        data.draw(st.lists(st.floats(0, 1), min_size=space.n_dims, max_size=space.n_dims)),
        dtype=float,
    ).reshape(1, -1)
    params = space.decode(U)
    V = space.encode(params)
    # a dict does not say which sub-space it came from when two share their
    # names and both hold its values; it must land in one with its names
    k = space.subspace_of(V)[0]
    assert set(space.subspaces[k]) == set(space.subspaces[space.subspace_of(U)[0]])
    mask = space.active_mask(V)
    active = {space.dimensions[i].name for i in np.flatnonzero(mask[0])}
    expected = set(space.subspaces[k]) | ({"<subspace>"} if len(space.subspaces) > 1 else set())
    assert active == expected
    # inactive axes are parked in the middle
    assert np.all(V[0, ~mask[0]] == 0.5)


def test_shared_axes_for_equal_distributions():
    space = SearchSpace(
        [
            {"kernel": ["rbf"], "C": LogUniform(1e-2, 1e2), "gamma": LogUniform(1e-4, 1)},
            {"kernel": ["linear"], "C": LogUniform(1e-2, 1e2)},
        ]
    )
    names = [d.name for d in space.dimensions]
    # one sub-space axis, one C axis shared, gamma, two kernel axes
    assert names.count("C") == 1
    assert names.count("kernel") == 2
    assert names[0] == "<subspace>"
    assert space.n_dims == 5
    C = next(d for d in space.dimensions if d.name == "C")
    assert C.subspaces == (0, 1)


def test_different_distributions_get_their_own_axes():
    space = SearchSpace([{"C": LogUniform(1e-2, 1e2)}, {"C": LogUniform(1, 10)}])
    assert [d.name for d in space.dimensions] == ["<subspace>", "C", "C"]


def test_subspaces_with_equal_names_round_trip_by_value():
    space = SearchSpace([{"C": [1, 2]}, {"C": [10, 20]}, {"C": Uniform(100, 200)}])
    params = [{"C": 20}, {"C": 1}, {"C": 150.0}, {"C": 2}]
    _assert_same_params(space.decode(space.encode(params)), params)


def test_encode_rejects_unknown_names_and_values():
    space = SearchSpace({"C": [1, 2]})
    with pytest.raises(ValueError, match=r"\{'D': 1\} does not match the parameter names"):
        space.encode([{"D": 1}])
    with pytest.raises(ValueError, match=r"\{'C': 3\} is outside the support"):
        space.encode([{"C": 3}])


def test_decode_examples_by_hand():
    space = SearchSpace({"C": LogUniform(1e-2, 1e2), "k": ["a", "b", "c", "d"]})
    assert space.decode([[0.5, 0.0], [1.0, 0.99]]) == [
        {"C": pytest.approx(1.0), "k": "a"},
        {"C": pytest.approx(100.0), "k": "d"},
    ]
    assert np.allclose(space.encode([{"C": 0.1, "k": "c"}]), [[0.25, 0.625]])


def test_size_and_names():
    space = SearchSpace([{"a": [1, 2, 3], "b": stats.bernoulli(0.5)}, {"c": Integer(1, 4)}])
    assert space.size == 3 * 2 + 4
    assert space.names == ["a", "b", "c"]
    assert SearchSpace({"a": [1], "x": Uniform(0, 1)}).size == math.inf


def test_sample_params_matches_sklearn_parameter_sampler():
    from sklearn.model_selection import ParameterSampler

    dists = [
        {"a": [1, 2, 3], "b": stats.uniform(0, 1), "c": stats.randint(1, 100)},
        {"d": ["x", "y"], "e": stats.expon()},
    ]
    space = SearchSpace(dists)
    for seed in range(5):
        rng = np.random.RandomState(seed)
        ours = [space.sample_params(rng) for _ in range(6)]
        assert ours == list(ParameterSampler(dists, 6, random_state=seed))


def test_candidate_key_is_equal_for_equal_candidates():
    a = {"C": 1.0, "k": [1, 2], "w": np.array([1.0, 2.0]), "n": None}
    b = {"n": None, "w": np.array([1.0, 2.0]), "k": [1, 2], "C": 1.0}
    assert candidate_key(a) == candidate_key(b)
    assert hash(candidate_key(a)) == hash(candidate_key(b))
    assert candidate_key(a) != candidate_key({**a, "w": np.array([1.0, 3.0])})
    assert candidate_key(a) != candidate_key({**a, "C": 2.0})


# --------------------------------------------------------------------------
# designs
# --------------------------------------------------------------------------


@pytest.mark.parametrize("method", SAMPLERS)
@PROPERTY
@given(
    n_dims=st.integers(1, 6),
    sizes=st.lists(st.integers(1, 40), min_size=1, max_size=4),
    seed=st.integers(0, 2**31 - 1),
)
def test_designs_give_rows_in_the_unit_cube_deterministic_under_a_seed(
    method, n_dims, sizes, seed
):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # scipy's Sobol warns off powers of two
        a = UnitDesign(n_dims, method, np.random.RandomState(seed))
        b = UnitDesign(n_dims, method, np.random.RandomState(seed))
        for n in sizes:
            rows = a.draw(n)
            assert rows.shape == (n, n_dims)
            assert np.all((rows >= 0) & (rows <= 1))
            assert np.array_equal(rows, b.draw(n))


@pytest.mark.parametrize("method", SAMPLERS)
def test_designs_depend_on_the_seed(method):
    a = UnitDesign(3, method, np.random.RandomState(0)).draw(8)
    b = UnitDesign(3, method, np.random.RandomState(1)).draw(8)
    assert not np.allclose(a, b)


def test_design_of_an_empty_space():
    for method in SAMPLERS:
        assert UnitDesign(0, method, np.random.RandomState(0)).draw(3).shape == (3, 0)


def _balanced(rows):
    """Each of the len(rows) equal slices of every axis holds one row."""
    n = len(rows)
    cells = np.floor(rows * n).astype(int)
    return all(sorted(cells[:, j]) == list(range(n)) for j in range(rows.shape[1]))


@PROPERTY
@given(
    sizes=st.lists(st.integers(1, 20), min_size=2, max_size=5),
    n_dims=st.integers(1, 5),
    seed=st.integers(0, 2**31 - 1),
)
def test_sobol_stream_continues_balanced_across_draws(sizes, n_dims, seed):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        design = UnitDesign(n_dims, "sobol", np.random.RandomState(seed))
        rows = np.vstack([design.draw(n) for n in sizes])
        whole = UnitDesign(n_dims, "sobol", np.random.RandomState(seed)).draw(len(rows))
    # successive draws are one stream: the same rows as one big draw
    assert np.array_equal(rows, whole)
    # every power-of-two prefix of a Sobol sequence is balanced
    m = 1
    while 2 * m <= len(rows):
        m *= 2
    assert _balanced(rows[:m])


def test_random_design_is_not_balanced_where_sobol_is():
    # the balance check above can fail: uniform draws rarely pass it
    rows = UnitDesign(2, "random", np.random.RandomState(0)).draw(16)
    assert not _balanced(rows)


@PROPERTY
@given(n=st.integers(1, 30), n_dims=st.integers(1, 4), seed=st.integers(0, 2**31 - 1))
def test_one_lhs_draw_is_a_latin_hypercube(n, n_dims, seed):
    rows = UnitDesign(n_dims, "lhs", np.random.RandomState(seed)).draw(n)
    assert _balanced(rows)


def test_space_design_rejects_an_unknown_method():
    with pytest.raises(
        ValueError,
        match=r"The 'method' argument of SearchSpace\.design must be one of "
        r"\('random', 'sobol', 'lhs'\)\. Got 'halton' instead\.",
    ):
        SearchSpace({"a": [1]}).design("halton", np.random.RandomState(0))


def test_space_design_decodes_inside_the_supports():
    k = ScipyDistribution(stats.randint(0, 3))
    space = SearchSpace({"C": LogUniform(1e-3, 1e3), "n": Integer(1, 9), "k": k})
    rows = space.design("sobol", np.random.RandomState(0)).draw(32)
    params = space.decode(rows)
    assert all(1e-3 <= p["C"] <= 1e3 and 1 <= p["n"] <= 9 and p["k"] in (0, 1, 2) for p in params)
    # 32 Sobol points cover all nine integers and all three categories
    assert {p["n"] for p in params} == set(range(1, 10))
    assert {p["k"] for p in params} == {0, 1, 2}


def test_tuple_valued_choices_round_trip():
    # hidden_layer_sizes-style choices are single values, not vectors
    space = SearchSpace({"hidden": [(16,), (32, 32), (8, 8, 8)], "alpha": [1e-4, 1e-3]})
    params = [{"hidden": (32, 32), "alpha": 1e-3}, {"hidden": (8, 8, 8), "alpha": 1e-4}]
    assert space.decode(space.encode(params)) == params


def test_a_value_far_in_one_tail_is_encoded_in_the_sub_space_that_holds_it():
    # 7.46 is in the support of both sub-spaces named "C", but the Normal's
    # unit coordinate cannot hold it (found by the round-trip property test)
    space = SearchSpace([{"C": Normal(0.0, 1.0)}, {"C": LogUniform(1e-4, 100.0)}])
    params = [{"C": 7.46470024356059}, {"C": 0.5}]
    U = space.encode(params)
    assert space.subspace_of(U).tolist() == [1, 0]
    _assert_same_params(space.decode(U), params)


def test_a_list_that_repeats_values_counts_each_value_once():
    # RandomSearch enumerates a space no larger than n_iter: a size that
    # counted the repeats made it evaluate 1 twice (issue 17)
    space = SearchSpace({"a": [1, 1, 1, 2], "b": ["x", "y"]})
    assert space.size == 4
    assert space.subspaces[0]["a"] == Categorical([1, 2], weights=[3, 1])
    rows = space.design("sobol", np.random.RandomState(0)).draw(64)
    values = [p["a"] for p in space.decode(rows)]
    assert values.count(1) == 48  # a balanced design: three quarters of the quantiles
