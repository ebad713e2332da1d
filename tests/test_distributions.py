"""Property tests of every distribution, with hypothesis.

Each strategy draws a *builder*: a zero-argument function that constructs one
distribution, so a test can build the same distribution twice (value
equality) and hypothesis can shrink the constructor arguments.
"""

import copy
import math
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.datasets import make_regression
from sklearn.model_selection import RandomizedSearchCV
from sklearn.svm import SVR
from sklearn.tree import DecisionTreeRegressor

from sktune.distributions import (
    Beta,
    Categorical,
    Distribution,
    Exponential,
    Gamma,
    Integer,
    LogNormal,
    LogUniform,
    Normal,
    ScipyDistribution,
    Uniform,
    as_distribution,
)

# --------------------------------------------------------------------------
# strategies: each returns a builder (a zero-argument callable)
# --------------------------------------------------------------------------

reals = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
positive = st.floats(1e-2, 1e2, allow_nan=False, allow_infinity=False)
decades = st.floats(-6, 3, allow_nan=False, allow_infinity=False)


def _builder(cls, *args, **kwargs):
    def build():
        return cls(*args, **kwargs)

    build.spec = (cls.__name__, args, kwargs)
    return build


@st.composite
def uniforms(draw):
    low = draw(reals)
    return _builder(Uniform, low, low + draw(positive))


@st.composite
def loguniforms(draw):
    low = 10 ** draw(decades)
    return _builder(LogUniform, low, low * 10 ** draw(st.floats(0.1, 6)))


@st.composite
def normals(draw):
    return _builder(Normal, draw(reals), draw(positive))


@st.composite
def truncated_normals(draw):
    mu, sigma = draw(reals), draw(positive)
    # bounds up to 8 sigma out, one-sided or two-sided
    a = draw(st.floats(-8, 7))
    b = a + draw(st.floats(0.05, 8))
    side = draw(st.sampled_from(["both", "low", "high"]))
    low = mu + a * sigma if side != "high" else None
    high = mu + b * sigma if side != "low" else None
    return _builder(Normal, mu, sigma, low=low, high=high)


@st.composite
def lognormals(draw):
    return _builder(LogNormal, draw(st.floats(-5, 5)), draw(st.floats(0.05, 3)))


@st.composite
def exponentials(draw):
    return _builder(Exponential, draw(positive))


@st.composite
def gammas(draw):
    return _builder(Gamma, draw(st.floats(0.2, 20)), draw(positive))


@st.composite
def betas(draw):
    return _builder(Beta, draw(st.floats(0.2, 10)), draw(st.floats(0.2, 10)))


@st.composite
def rescaled_betas(draw):
    low = draw(reals)
    return _builder(
        Beta, draw(st.floats(0.2, 10)), draw(st.floats(0.2, 10)),
        low=low, high=low + draw(positive),
    )


@st.composite
def integers(draw):
    low = draw(st.integers(-1000, 1000))
    return _builder(Integer, low, low + draw(st.integers(1, 1000)))


@st.composite
def log_integers(draw):
    low = draw(st.integers(1, 1000))
    return _builder(Integer, low, low * draw(st.integers(2, 1000)), log=True)


def _frozen_builder(make, *args, **kwargs):
    def build():
        return ScipyDistribution(make(*args, **kwargs))

    build.spec = ("ScipyDistribution", make.name, args, kwargs)
    return build


@st.composite
def scipy_continuous(draw):
    which = draw(st.sampled_from(["norm", "expon", "loguniform", "uniform"]))
    if which == "norm":
        return _frozen_builder(stats.norm, draw(reals), draw(positive))
    if which == "expon":
        return _frozen_builder(stats.expon, scale=draw(positive))
    if which == "loguniform":
        low = 10 ** draw(decades)
        return _frozen_builder(stats.loguniform, low, low * 10 ** draw(st.floats(0.1, 6)))
    return _frozen_builder(stats.uniform, draw(reals), draw(positive))


@st.composite
def scipy_discrete(draw):
    which = draw(st.sampled_from(["randint", "poisson", "bernoulli", "binom"]))
    if which == "randint":
        low = draw(st.integers(-100, 100))
        return _frozen_builder(stats.randint, low, low + draw(st.integers(1, 500)))
    if which == "poisson":
        return _frozen_builder(stats.poisson, draw(st.floats(0.1, 50)))
    if which == "bernoulli":
        return _frozen_builder(stats.bernoulli, draw(st.floats(0.05, 0.95)))
    return _frozen_builder(stats.binom, draw(st.integers(1, 30)), draw(st.floats(0.05, 0.95)))


# Shared objects, so that two builds of one Categorical hold the same objects
# (estimators compare by identity).
_ESTIMATORS = (SVR(), DecisionTreeRegressor(max_depth=2))
_choice_values = st.one_of(
    st.integers(-10, 10),
    st.floats(-10, 10, allow_nan=False),
    st.text(max_size=3),
    st.none(),
    st.booleans(),
    st.sampled_from(_ESTIMATORS),
)


def _distinct(values):
    out = []
    for v in values:
        if not any(type(v) is type(w) and v is w or (type(v) is type(w) and v == w) for w in out):
            out.append(v)
    return out


@st.composite
def categoricals(draw):
    choices = _distinct(draw(st.lists(_choice_values, min_size=1, max_size=6)))
    return _builder(Categorical, choices)


@st.composite
def weighted_categoricals(draw):
    choices = _distinct(draw(st.lists(_choice_values, min_size=1, max_size=6)))
    weights = draw(
        st.lists(
            st.one_of(st.just(0.0), st.floats(0.01, 10.0)),
            min_size=len(choices), max_size=len(choices),
        ).filter(lambda w: sum(w) > 0)
    )
    return _builder(Categorical, choices, weights=weights)


@st.composite
def object_categoricals(draw):
    # None and estimators among the choices: they must come back as is.
    extra = draw(st.lists(st.sampled_from(["a", "b", 3]), max_size=2, unique=True))
    return _builder(Categorical, [None, *_ESTIMATORS, *extra])


@st.composite
def coerced_lists(draw):
    kind = draw(st.sampled_from(["list", "tuple", "range", "array"]))
    values = draw(st.lists(st.integers(-50, 50), min_size=1, max_size=8, unique=True))
    if kind == "tuple":
        values = tuple(values)
    elif kind == "range":
        values = range(values[0], values[0] + len(values))
    elif kind == "array":
        values = np.array(values)

    def build():
        return as_distribution(values, name="p")

    build.spec = ("as_distribution", kind, values)
    return build


CONTINUOUS = {
    "Uniform": uniforms(),
    "LogUniform": loguniforms(),
    "Normal": normals(),
    "Normal-truncated": truncated_normals(),
    "LogNormal": lognormals(),
    "Exponential": exponentials(),
    "Gamma": gammas(),
    "Beta": betas(),
    "Beta-rescaled": rescaled_betas(),
    "Scipy-continuous": scipy_continuous(),
}
INTEGER = {
    "Integer": integers(),
    "Integer-log": log_integers(),
    "Scipy-discrete": scipy_discrete(),
}
CATEGORICAL = {
    "Categorical": categoricals(),
    "Categorical-weighted": weighted_categoricals(),
    "Categorical-objects": object_categoricals(),
    "list-as_distribution": coerced_lists(),
}
ALL = {**CONTINUOUS, **INTEGER, **CATEGORICAL}

# No deadline: the machines that run this are shared and a slow example is
# not a wrong one. 60 examples per property and kind keep the file fast.
PROPERTY = settings(deadline=None, max_examples=60)
seeds = st.integers(0, 2**31 - 1)
unit = st.floats(0.0, 1.0, allow_nan=False)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def _is_choice(d, x):
    """x is one of the drawable choices of Categorical d (same object)."""
    return any(x is c for c, w in zip(d.choices, d.weights or [1] * len(d.choices)) if w > 0)


def _in_support(d, x):
    if d.is_categorical:
        return _is_choice(d, x)
    low, high = d.support()
    x = float(x)
    if d.is_integer and x != math.floor(x):
        return False
    return math.isfinite(x) and low <= x <= high


def _cdf_brackets(d, x, u, tol=1e-9):
    """``cdf(ppf(u)) == u`` up to the spacing of floats around ``x``.

    Near a bound with ``loc != 0`` (``Beta(0.25, 1, low=1, high=2)``) the
    quantile 1e-5 maps to 1 + 1e-20, which is 1.0 in floating point: the best
    a ppf can do is a float whose neighbours' cdf bracket ``u``. The 1e-9
    allows for the ends of an unbounded support, reached at quantile 1e-12.
    """
    below = d.cdf(np.nextafter(x, -np.inf))
    above = d.cdf(np.nextafter(x, np.inf))
    return below - tol <= u <= above + tol


def _ordered(d):
    return not d.is_categorical


# --------------------------------------------------------------------------
# sampling
# --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(ALL))
@PROPERTY
@given(data=st.data(), seed=seeds)
def test_samples_lie_in_the_support(kind, data, seed):
    d = data.draw(ALL[kind])()
    x = d.rvs(size=30, random_state=seed)
    assert np.shape(x) == (30,)
    bad = [v for v in x if not _in_support(d, v)]
    assert not bad, f"{d!r} drew {bad[:3]!r} outside its support {d.support()!r}"
    if d.is_integer:
        assert np.asarray(x).dtype.kind == "i"


@pytest.mark.parametrize("kind", sorted(ALL))
@PROPERTY
@given(data=st.data(), seed=seeds)
def test_scalar_draw_is_a_python_scalar_of_the_right_type(kind, data, seed):
    d = data.draw(ALL[kind])()
    x = d.rvs(random_state=seed)
    if d.is_categorical:
        # the very object given, not a numpy copy of it
        assert _is_choice(d, x)
    elif d.is_integer:
        assert type(x) is int
    else:
        assert type(x) is float
    assert _in_support(d, x)
    # one seed, one draw
    y = d.rvs(random_state=seed)
    assert x is y if d.is_categorical else x == y


@pytest.mark.parametrize("kind", sorted(ALL))
@PROPERTY
@given(data=st.data(), u=unit)
def test_ppf_of_a_scalar_is_a_python_scalar_in_the_support(kind, data, u):
    d = data.draw(ALL[kind])()
    x = d.ppf(u)
    assert _in_support(d, x), f"ppf({u!r}) = {x!r} outside {d.support()!r}"
    if d.is_categorical:
        assert _is_choice(d, x)
    else:
        assert type(x) is (int if d.is_integer else float)


# --------------------------------------------------------------------------
# the unit-interval maps
# --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(CONTINUOUS))
@PROPERTY
@given(data=st.data(), u=unit)
def test_cdf_inverts_ppf_for_continuous(kind, data, u):
    d = data.draw(CONTINUOUS[kind])()
    x = d.ppf(u)
    assert _cdf_brackets(d, x, u)
    assert d.to_unit(x) == pytest.approx(d.cdf(x))


@pytest.mark.parametrize("kind", sorted(CONTINUOUS))
@PROPERTY
@given(data=st.data(), u=st.lists(unit, min_size=1, max_size=10))
def test_ppf_is_monotone_and_keeps_the_shape(kind, data, u):
    d = data.draw(CONTINUOUS[kind])()
    u = np.sort(np.asarray(u))
    x = d.ppf(u)
    assert isinstance(x, np.ndarray) and x.shape == u.shape
    assert np.all(np.diff(x) >= 0)
    assert all(_cdf_brackets(d, xi, ui) for xi, ui in zip(x, u))


@pytest.mark.parametrize("kind", sorted({**CONTINUOUS, **INTEGER}))
@PROPERTY
@given(data=st.data(), u=st.lists(unit, min_size=1, max_size=10))
def test_ppf_without_scipys_checks_is_scipys_ppf_to_the_bit(kind, data, u):
    d = data.draw({**CONTINUOUS, **INTEGER}[kind])()
    u = np.asarray(u + [0.0, 1e-13, 0.5, 1.0 - 1e-13, 1.0])
    direct = d.ppf(u)
    d.__dict__["_quantiles"] = (d._dist.ppf, d._dist.isf)  # scipy's public ones
    assert direct.tobytes() == d.ppf(u).tobytes()


@pytest.mark.parametrize("kind", sorted({**INTEGER, **CATEGORICAL}))
@PROPERTY
@given(data=st.data(), seed=seeds)
def test_ppf_inverts_to_unit_for_discrete(kind, data, seed):
    d = data.draw({**INTEGER, **CATEGORICAL}[kind])()
    for x in [*d.rvs(size=10, random_state=seed), *d.grid(7)]:
        u = d.to_unit(x)
        assert 0.0 <= u <= 1.0
        back = d.ppf(u)
        if d.is_categorical:
            assert back is x or back == x
        else:
            assert back == x and type(back) is int


# --------------------------------------------------------------------------
# grids
# --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(ALL))
@PROPERTY
@given(data=st.data(), n=st.integers(1, 25))
def test_grid_is_sorted_distinct_inside_the_support_and_at_most_n(kind, data, n):
    d = data.draw(ALL[kind])()
    g = d.grid(n)
    assert isinstance(g, list)
    assert 1 <= len(g) <= n
    assert all(_in_support(d, v) for v in g), (g, d.support())
    if _ordered(d):
        assert all(a < b for a, b in zip(g, g[1:])), g
        assert all(type(v) is (int if d.is_integer else float) for v in g)
    else:
        # categorical grids keep the order of the choices
        positions = [d.index(v) for v in g]
        assert positions == sorted(set(positions))


@pytest.mark.parametrize("kind", sorted(ALL))
@PROPERTY
@given(data=st.data())
def test_grid_holds_every_value_when_n_is_large_enough(kind, data):
    d = data.draw(ALL[kind])()
    if not math.isfinite(d.n_values) or d.n_values > 200:
        return
    g = d.grid(d.n_values)
    assert len(g) == d.n_values
    if d.is_categorical:
        assert all(_is_choice(d, v) for v in g)
    else:
        low, high = d.support()
        assert g == list(range(low, high + 1))


@pytest.mark.parametrize("kind", ["Uniform", "LogUniform", "Beta-rescaled"])
@PROPERTY
@given(data=st.data(), n=st.integers(2, 12))
def test_grid_of_a_bounded_continuous_includes_both_ends(kind, data, n):
    d = data.draw(CONTINUOUS[kind])()
    g = d.grid(n)
    low, high = d.support()
    assert g[0] == pytest.approx(low, rel=1e-11) and g[-1] == pytest.approx(high, rel=1e-11)


@PROPERTY
@given(data=st.data(), n=st.integers(3, 9))
def test_loguniform_grid_is_evenly_spaced_in_log(data, n):
    d = data.draw(loguniforms())()
    steps = np.diff(np.log(d.grid(n)))
    assert np.allclose(steps, steps[0], rtol=1e-6)


@pytest.mark.parametrize("n", [0, -1, 2.0, True, "3"])
def test_grid_rejects_a_bad_n(n):
    with pytest.raises(ValueError, match=r"The 'n' argument of grid must be an int >= 1\. Got"):
        Uniform(0, 1).grid(n)


def test_weighted_categorical_grid_keeps_rare_choices_and_drops_impossible_ones():
    d = Categorical(["a", "b", "c", "d"], weights=[0.97, 0.01, 0.02, 0.0])
    assert d.n_values == 3
    assert d.grid(3) == ["a", "b", "c"]
    assert d.grid(10) == ["a", "b", "c"]
    assert len(d.grid(2)) <= 2


# --------------------------------------------------------------------------
# value semantics, immutability, pickling
# --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(ALL))
@PROPERTY
@given(data=st.data())
def test_equal_arguments_give_equal_hashes_and_reprs(kind, data):
    build = data.draw(ALL[kind])
    a, b = build(), build()
    assert a is not b
    assert a == b and not (a != b)
    assert hash(a) == hash(b)
    assert repr(a) == repr(b)
    assert type(a).__name__ in repr(a)
    assert len({a, b}) == 1


@pytest.mark.parametrize(
    "a, b",
    [
        (Uniform(0, 1), Uniform(0, 2)),
        (Uniform(0, 1), LogUniform(0.5, 1)),
        (LogUniform(1, 10), Uniform(1, 10)),
        (Normal(0, 1), Normal(0, 1, low=-1)),
        (Normal(0, 1), Normal(0, 2)),
        (Beta(2, 2), Beta(2, 2, low=0, high=2)),
        (Integer(1, 10), Integer(1, 10, log=True)),
        (Integer(1, 10), Categorical(list(range(1, 11)))),
        (Categorical([1, 2]), Categorical([1.0, 2.0])),
        (Categorical([1, 0]), Categorical([True, False])),
        (Categorical(["a", "b"]), Categorical(["a", "b"], weights=[1, 2])),
        (Categorical(["a", "b"]), Categorical(["b", "a"])),
        (ScipyDistribution(stats.norm(0, 1)), ScipyDistribution(stats.norm(0, 2))),
        (ScipyDistribution(stats.uniform(0, 1)), Uniform(0, 1)),
    ],
    ids=repr,
)
def test_different_distributions_are_not_equal(a, b):
    assert a != b and b != a


@pytest.mark.parametrize(
    "d",
    [
        Uniform(0, 1),
        LogUniform(1e-3, 1e3),
        Normal(0.5, 2.0, low=0.0, high=None),
        LogNormal(0.0, 1.0),
        Exponential(3.0),
        Gamma(2.0, 0.5),
        Beta(2.0, 3.0, low=1.0, high=2.0),
        Integer(1, 1000, log=True),
        Categorical(["a", None, 3], weights=[0.5, 0.25, 0.25]),
    ],
    ids=repr,
)
def test_repr_evaluates_back_to_an_equal_distribution(d):
    namespace = {c.__name__: c for c in (
        Uniform, LogUniform, Normal, LogNormal, Exponential, Gamma, Beta, Integer, Categorical
    )}
    assert eval(repr(d), namespace) == d


@pytest.mark.parametrize("kind", sorted(ALL))
@PROPERTY
@given(data=st.data())
def test_distributions_are_immutable(kind, data):
    d = data.draw(ALL[kind])()
    before = repr(d)
    names = [*type(d)._fields, "low", "high", "new_attribute", "_dist"]
    for name in names:
        with pytest.raises(AttributeError, match="immutable"):
            setattr(d, name, 1)
    for name in type(d)._fields:
        with pytest.raises(AttributeError, match="immutable"):
            delattr(d, name)
    if d.is_categorical:
        assert isinstance(d.choices, tuple)
        assert d.weights is None or isinstance(d.weights, tuple)
    assert repr(d) == before


def test_constructor_copies_the_choices_list():
    choices, weights = ["a", "b"], [1.0, 3.0]
    d = Categorical(choices, weights=weights)
    choices.append("c")
    weights[0] = 100.0
    assert d.choices == ("a", "b") and d.weights == (0.25, 0.75)


def _same_maps(a, b):
    u = np.linspace(0.0, 1.0, 11)
    xa, xb = a.ppf(u), b.ppf(u)
    if a.is_categorical:
        return [repr(v) for v in xa] == [repr(v) for v in xb]
    return np.array_equal(xa, xb)


@pytest.mark.parametrize("kind", sorted(ALL))
@PROPERTY
@given(data=st.data())
def test_pickle_deepcopy_and_clone_keep_the_distribution(kind, data):
    d = data.draw(ALL[kind])()
    for copied in (
        pickle.loads(pickle.dumps(d)),
        copy.deepcopy(d),
        clone(d, safe=False),
    ):
        assert type(copied) is type(d)
        assert repr(copied) == repr(d)
        assert _same_maps(copied, d)
        if not (d.is_categorical and any(isinstance(c, BaseEstimator) for c in d.choices)):
            # estimators compare by identity, so a copy of one is another choice
            assert copied == d and hash(copied) == hash(d)
        with pytest.raises(AttributeError):
            copied.new_attribute = 1


# --------------------------------------------------------------------------
# as_distribution
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ([1, 10, 100], Categorical([1, 10, 100])),
        (("rbf", "linear"), Categorical(["rbf", "linear"])),
        (range(3), Categorical([0, 1, 2])),
        ([None], Categorical([None])),
        (Uniform(0, 1), Uniform(0, 1)),
        (stats.expon(scale=2), ScipyDistribution(stats.expon(scale=2))),
    ],
    ids=repr,
)
def test_as_distribution_coerces_lists_and_scipy(value, expected):
    d = as_distribution(value)
    assert isinstance(d, Distribution)
    assert d == expected


def test_as_distribution_returns_a_distribution_unchanged():
    d = LogUniform(1, 2)
    assert as_distribution(d) is d


def test_as_distribution_of_an_array_keeps_its_values():
    d = as_distribution(np.array([0.5, 1.5]))
    assert d.is_categorical and list(d.choices) == [0.5, 1.5]


# --------------------------------------------------------------------------
# support, flags, documented values
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "d, support, is_integer, is_log",
    [
        (Uniform(-1, 2), (-1.0, 2.0), False, False),
        (LogUniform(0.1, 10), (0.1, 10.0), False, True),
        (Normal(0, 1), (-math.inf, math.inf), False, False),
        (Normal(0, 1, low=0), (0.0, math.inf), False, False),
        (Normal(0, 1, low=-2, high=3), (-2.0, 3.0), False, False),
        (LogNormal(0, 1), (0.0, math.inf), False, True),
        (Exponential(2), (0.0, math.inf), False, False),
        (Gamma(2, 3), (0.0, math.inf), False, False),
        (Beta(2, 2, low=5, high=7), (5.0, 7.0), False, False),
        (Integer(-3, 4), (-3, 4), True, False),
        (Integer(2, 64, log=True), (2, 64), True, True),
        (ScipyDistribution(stats.randint(1, 5)), (1, 4), True, False),
        (ScipyDistribution(stats.loguniform(1, 5)), (1.0, 5.0), False, True),
    ],
    ids=repr,
)
def test_support_and_flags(d, support, is_integer, is_log):
    assert d.support() == support
    assert d.is_integer is is_integer
    assert bool(d.is_log) is is_log


def test_integer_draws_every_value_about_equally():
    # Integer k owns [k - 0.5, k + 0.5): the end values are not half as likely.
    x = Integer(1, 4).rvs(size=40_000, random_state=0)
    counts = np.bincount(x, minlength=5)[1:]
    assert np.allclose(counts / counts.sum(), 0.25, atol=0.01)


def test_log_integer_draws_small_values_more_often():
    x = Integer(1, 1000, log=True).rvs(size=20_000, random_state=0)
    # log-uniform on [0.5, 1000.5]: P(x <= 31) = log(31.5/0.5)/log(1000.5/0.5) ~ 0.545
    assert np.mean(x <= 31) == pytest.approx(math.log(63) / math.log(2001), abs=0.02)


def test_weighted_categorical_follows_its_weights():
    d = Categorical(["a", "b", "c"], weights=[1, 2, 7])
    x = d.rvs(size=20_000, random_state=0)
    freq = [np.mean(x == c) for c in "abc"]
    assert np.allclose(freq, [0.1, 0.2, 0.7], atol=0.015)


def test_truncated_normal_keeps_precision_far_in_the_tail():
    d = Normal(0, 1, low=8, high=9)
    u = np.linspace(0, 1, 21)
    x = d.ppf(u)
    assert np.all(np.diff(x) > 0)
    assert np.allclose(d.cdf(x), u, atol=1e-9)


def test_beta_quantiles_are_accurate_in_both_tails():
    d, ref = Beta(0.5, 2.0), stats.beta(0.5, 2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # scipy's beta.ppf warns (and errs) here
        x = d.ppf(np.array([1e-12, 1e-6, 1 - 1e-6, 1 - 1e-12]))
        # subnormal quantiles: scipy's beta(3, 3).ppf(1e-308) is NaN
        tiny = Beta(3, 3).ppf(np.array([1e-308, 1 - 1e-17]))
    np.testing.assert_allclose(ref.cdf(x[:2]), [1e-12, 1e-6], rtol=1e-6)
    np.testing.assert_allclose(ref.sf(x[2:]), [1e-6, 1e-12], rtol=1e-3)
    assert np.all(np.isfinite(tiny)) and 0.0 <= tiny[0] < 1e-100 and tiny[1] <= 1.0


@pytest.mark.parametrize(
    "d", [Normal(0, 1), LogNormal(0, 1), Exponential(1), Gamma(2), Normal(1, 1, low=0)], ids=repr
)
def test_unbounded_ends_map_to_finite_values(d):
    # an optimizer reaching the edge of the unit cube must get a usable value
    x = d.ppf(np.array([0.0, 1.0]))
    assert np.all(np.isfinite(x))


def test_scipy_distribution_draws_like_the_frozen_one():
    # the wrapped frozen distribution's own sampler: same seed, same draws as
    # scikit-learn's ParameterSampler would get
    frozen = stats.loguniform(1e-3, 1e2)
    ours = ScipyDistribution(frozen).rvs(size=5, random_state=3)
    assert np.array_equal(ours, frozen.rvs(size=5, random_state=3))


# --------------------------------------------------------------------------
# inside scikit-learn's own RandomizedSearchCV
# --------------------------------------------------------------------------


class _TypeRecorder(RegressorMixin, BaseEstimator):
    """Regressor that records the value of ``p`` it was fitted with."""

    seen = []

    def __init__(self, p=None):
        self.p = p

    def fit(self, X, y):
        type(self).seen.append(self.p)
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_)


@pytest.mark.parametrize(
    "d, expected_type",
    [
        (Uniform(0, 1), float),
        (LogUniform(1e-3, 1e3), float),
        (Normal(0, 1, low=-1, high=1), float),
        (LogNormal(0, 1), float),
        (Exponential(2), float),
        (Gamma(2, 1), float),
        (Beta(2, 2, low=0.5, high=1.0), float),
        (Integer(1, 100), int),
        (Integer(1, 1000, log=True), int),
        (Categorical(["rbf", "linear", None]), (str, type(None))),
        (Categorical(list(_ESTIMATORS), weights=[1, 1]), (SVR, DecisionTreeRegressor)),
        (ScipyDistribution(stats.poisson(4)), int),
    ],
    ids=repr,
)
def test_works_inside_sklearn_randomized_search(d, expected_type):
    X, y = make_regression(n_samples=20, n_features=2, random_state=0)
    _TypeRecorder.seen = []
    search = RandomizedSearchCV(
        _TypeRecorder(), {"p": d}, n_iter=6, cv=2, random_state=0, error_score="raise"
    )
    search.fit(X, y)
    seen = _TypeRecorder.seen
    assert len(seen) == 6 * 2 + 1  # every split of every candidate, then the refit
    for value in seen:
        # not a list (scikit-optimize's rvs), not a numpy scalar
        assert isinstance(value, expected_type), (value, type(value))
        assert not isinstance(value, (list, np.ndarray, np.generic))
        if d.is_categorical:
            # sklearn clones parameters, so compare by type and repr
            assert repr(value) in {repr(c) for c in d.choices}
        else:
            assert _in_support(d, value)
    params = search.cv_results_["params"]
    assert len({repr(p["p"]) for p in params}) > 1


# --------------------------------------------------------------------------
# the edges of the number types (issue 17)
# --------------------------------------------------------------------------


@pytest.mark.parametrize("low, high", [(-(2**52 - 1), 2**52 - 1), (2**52 - 10, 2**52 - 1)])
def test_integer_is_exact_up_to_its_bound(low, high):
    d = Integer(low, high)
    assert d.support() == (low, high)
    assert (d.ppf(0.0), d.ppf(1.0)) == (low, high)
    for v in (low, low + 1, high - 1, high):
        assert d.ppf(d.to_unit(v)) == v
    assert d.n_values == high - low + 1


_MAX = float(np.finfo(float).max)


@pytest.mark.parametrize(
    "d",
    [
        Uniform(-1e308, 1e308),
        Uniform(-_MAX, _MAX),
        Uniform(-1e308, 1.7e308),
        Beta(2, 3, low=-1e308, high=1e308),
    ],
    ids=repr,
)
def test_a_range_wider_than_the_largest_float_is_drawn_correctly(d):
    # high - low overflows: scipy's uniform(loc, scale=inf) gave NaN for everything
    low, high = d.low, d.high
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow on the way either
        assert d.support() == (low, high)
        assert (d.ppf(0.0), d.ppf(1.0)) == (low, high)
        draws = d.rvs(size=2000, random_state=0)
        u = np.linspace(0.01, 0.99, 9)
        x = d.ppf(u)
        back = d.cdf(x), d.to_unit(x)
        grid = d.grid(5)
    assert np.all(np.isfinite(draws)) and np.all((low <= draws) & (draws <= high))
    assert np.all(np.diff(x) > 0)
    np.testing.assert_allclose(back, [u, u], rtol=1e-9)
    assert np.all(np.isfinite(grid))
    assert grid[0] == pytest.approx(low, rel=1e-11) and grid[-1] == pytest.approx(high, rel=1e-11)
    if isinstance(d, Uniform):
        # the quantiles of a uniform are evenly spaced: halve to compare
        np.testing.assert_allclose(x / 2, low / 2 + u * (high / 2 - low / 2), rtol=1e-12)
        assert abs(np.mean(draws < d.ppf(0.5)) - 0.5) < 0.03


def test_a_narrow_range_keeps_its_exact_quantiles():
    # the overflow-safe path is taken only where the width overflows
    assert Uniform(0, 10).ppf([0.25, 0.5]).tolist() == [2.5, 5.0]
    assert Beta(2, 2, low=0.5, high=1.0).ppf(0.5) == 0.75


def test_weights_whose_sum_overflows_stay_proportions():
    d = Categorical(["a", "b", "c"], weights=[1e308, 1e308, 5e307])
    assert d.weights == pytest.approx((0.4, 0.4, 0.2))
    assert d.ppf([0.1, 0.5, 0.9]).tolist() == ["a", "b", "c"]
    assert d.n_values == 3


# --------------------------------------------------------------------------
# repeated choices (issue 17)
# --------------------------------------------------------------------------


def test_a_list_that_repeats_a_value_weights_it_as_randomized_search_does():
    d = as_distribution([1, 2, 1, 1])
    # RandomizedSearchCV draws each entry alike: 1 three times in four
    assert d == Categorical([1, 2], weights=[3, 1])
    assert d.n_values == 2
    assert d.grid(10) == [1, 2]
    draws = d.rvs(size=4000, random_state=0)
    assert abs(np.mean(draws == 1) - 0.75) < 0.03


def test_merging_repeats_keeps_types_and_the_first_object():
    # 1, 1.0 and True are different values for an estimator (max_features=1 vs 1.0)
    assert as_distribution([1, 1.0, True]).choices == (1, 1.0, True)
    first, again = [50, 50], [50, 50]
    d = as_distribution([first, (50,), again])
    assert d.choices[0] is first and d.choices[1] == (50,)
    assert d.weights == pytest.approx((2 / 3, 1 / 3))
