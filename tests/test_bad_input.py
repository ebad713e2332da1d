"""Bad search spaces and arguments fail early, with a message that helps.

One table: each row builds a distribution or fits a search on a bad input,
and must raise ``ValueError`` or ``TypeError`` whose message names the
parameter and shows the bad value (DESIGN.md rule 6), before any model is
fitted. The estimator records every call to its ``fit`` and then raises an
error that is neither a ValueError nor a TypeError, so a row passes only if
the error came first.
"""

import math
import numbers
import re

import numpy as np
import pytest
from scipy import stats
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sktune import BayesSearch, GridSearch, HyperbandSearch, ManualSearch, RandomSearch
from sktune._compat import Interval, StrOptions
from sktune.distributions import (
    Beta,
    Categorical,
    Exponential,
    Gamma,
    Integer,
    LogNormal,
    LogUniform,
    Normal,
    ScipyDistribution,
    Uniform,
)

X = np.arange(40, dtype=float).reshape(20, 2)
y = np.arange(20, dtype=float)


class FitWasCalled(Exception):
    """Neither ValueError nor TypeError: pytest.raises below will not catch it."""


class FitRecorder(RegressorMixin, BaseEstimator):
    calls = []

    def __init__(self, alpha=1.0, kernel="rbf"):
        self.alpha = alpha
        self.kernel = kernel

    def fit(self, X, y):
        type(self).calls.append(self.get_params())
        raise FitWasCalled("a model was fitted before the bad input was reported")

    def predict(self, X):
        return np.zeros(len(X))


class ConstrainedRecorder(FitRecorder):
    """A FitRecorder that declares its parameters' constraints, as sklearn's estimators do."""

    _parameter_constraints = {
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "kernel": [StrOptions({"rbf", "linear"})],
        "max_iter": [Interval(numbers.Integral, 1, 100, closed="both")],
    }

    def __init__(self, alpha=1.0, kernel="rbf", max_iter=10):
        super().__init__(alpha=alpha, kernel=kernel)
        self.max_iter = max_iter


def _search(cls, space, kwargs):
    estimator = kwargs.pop("estimator", FitRecorder())
    return cls(estimator, space, cv=2, error_score="raise", **kwargs).fit(X, y)


def random_search(space, **kwargs):
    return _search(RandomSearch, space, kwargs)


def grid_search(space, **kwargs):
    return _search(GridSearch, space, kwargs)


def bayes_search(space, **kwargs):
    return _search(BayesSearch, space, kwargs)


def manual_search(candidates, **kwargs):
    return _search(ManualSearch, candidates, kwargs)


def hyperband_search(space, **kwargs):
    return _search(HyperbandSearch, space, {"random_state": 0, **kwargs})


def pipeline(model=None):
    return Pipeline([("scale", StandardScaler()), ("model", model or FitRecorder())])


def _msg(param, value, cls=None):
    """A pattern for rule 6: the parameter, the class, and the value shown."""
    where = rf" parameter of {cls} must be" if cls else ""
    return rf"'{re.escape(param)}'{where}.*{re.escape(value)}"


# (id, action, exception, pattern); the action runs inside pytest.raises
BAD_INPUTS = [
    # ----- distributions: bounds --------------------------------------
    ("uniform-low-equals-high", lambda: Uniform(1, 1), ValueError,
     r"'low' parameter of Uniform must be smaller than 'high'\. Got low=1\.0 and high=1\.0"),
    ("uniform-low-above-high", lambda: random_search({"alpha": Uniform(2, 1)}), ValueError,
     r"'low' parameter of Uniform must be smaller than 'high'\. Got low=2\.0 and high=1\.0"),
    ("uniform-nan-low", lambda: Uniform(math.nan, 1), ValueError,
     _msg("low", "Got nan instead", "Uniform")),
    ("uniform-infinite-high", lambda: Uniform(0, math.inf), ValueError,
     _msg("high", "Got inf instead", "Uniform")),
    ("uniform-string-low", lambda: Uniform("0", 1), TypeError,
     _msg("low", "Got '0' instead", "Uniform")),
    ("loguniform-zero-low", lambda: LogUniform(0, 1), ValueError,
     r"'low' parameter of LogUniform must be a finite real number > 0\. Got 0\.0 instead"),
    ("loguniform-negative-low", lambda: random_search({"alpha": LogUniform(-1, 1)}), ValueError,
     r"'low' parameter of LogUniform must be a finite real number > 0\. Got -1\.0 instead"),
    ("loguniform-low-above-high", lambda: LogUniform(10, 1), ValueError,
     r"'low' parameter of LogUniform must be smaller than 'high'\. Got low=10\.0 and high=1\.0"),
    ("beta-low-above-high", lambda: Beta(2, 2, low=1, high=0), ValueError,
     r"'low' parameter of Beta must be smaller than 'high'\. Got low=1\.0 and high=0\.0"),
    ("normal-truncation-low-above-high", lambda: Normal(0, 1, low=2, high=-2), ValueError,
     r"'low' parameter of Normal must be smaller than 'high'\. Got low=2\.0 and high=-2\.0"),
    ("normal-infinite-truncation", lambda: Normal(0, 1, low=-math.inf), ValueError,
     _msg("low", "Got -inf instead", "Normal")),
    # ----- distributions: scales and shapes ---------------------------
    ("normal-negative-sigma", lambda: random_search({"alpha": Normal(0, -1)}), ValueError,
     r"The 'sigma' parameter of Normal must be a finite real number > 0\. Got -1\.0 instead\."),
    ("normal-zero-sigma", lambda: Normal(0, 0), ValueError,
     _msg("sigma", "Got 0.0 instead", "Normal")),
    ("normal-nan-mu", lambda: Normal(math.nan, 1), ValueError,
     _msg("mu", "Got nan instead", "Normal")),
    ("lognormal-negative-sigma", lambda: LogNormal(0, -0.5), ValueError,
     _msg("sigma", "Got -0.5 instead", "LogNormal")),
    ("exponential-zero-scale", lambda: Exponential(0), ValueError,
     _msg("scale", "Got 0.0 instead", "Exponential")),
    ("exponential-negative-scale", lambda: grid_search({"alpha": Exponential(-2)}), ValueError,
     _msg("scale", "Got -2.0 instead", "Exponential")),
    ("gamma-negative-shape", lambda: Gamma(-1), ValueError,
     _msg("shape", "Got -1.0 instead", "Gamma")),
    ("gamma-infinite-scale", lambda: Gamma(2, math.inf), ValueError,
     _msg("scale", "Got inf instead", "Gamma")),
    ("beta-zero-a", lambda: Beta(0, 1), ValueError, _msg("a", "Got 0.0 instead", "Beta")),
    ("beta-string-b", lambda: Beta(1, "2"), TypeError, _msg("b", "Got '2' instead", "Beta")),
    # ----- distributions whose draws overflow to inf (issue 17) --------
    ("normal-overflowing-sigma", lambda: Normal(0, 1e308), ValueError,
     r"The 'mu' and 'sigma' parameters of Normal must keep the values at quantiles 1e-12 "
     r"and 1 - 1e-12, where draws end, within the float range.*Got Normal\(mu=0\.0, "
     r"sigma=1e\+308, low=None, high=None\) instead, whose value at quantile 1e-12 is -inf"),
    ("normal-overflowing-mu", lambda: random_search({"alpha": Normal(1.7e308, 1e307)}), ValueError,
     r"'mu' and 'sigma' parameters of Normal.*value at quantile 1 - 1e-12 is inf"),
    ("normal-half-truncated-overflow", lambda: Normal(0, 1e308, low=0), ValueError,
     r"'mu', 'sigma' and 'low' parameters of Normal.*quantile 1 - 1e-12 is inf"),
    ("lognormal-overflowing-sigma", lambda: grid_search({"alpha": LogNormal(0, 500)}),
     ValueError, r"'mu' and 'sigma' parameters of LogNormal.*Got LogNormal\(mu=0\.0, "
     r"sigma=500\.0\) instead, whose value at quantile 1 - 1e-12 is inf"),
    ("exponential-overflowing-scale", lambda: Exponential(1e308), ValueError,
     r"The 'scale' parameter of Exponential must keep.*Got Exponential\(scale=1e\+308\)"),
    ("gamma-overflowing-scale", lambda: random_search({"alpha": Gamma(1, 1e308)}), ValueError,
     r"'shape' and 'scale' parameters of Gamma.*quantile 1 - 1e-12 is inf"),
    ("scipy-overflowing-scale", lambda: ScipyDistribution(stats.expon(scale=1e308)),
     ValueError, r"The 'frozen' parameter of ScipyDistribution must keep the values.*"
     r"Got ScipyDistribution\(expon\(scale=1e\+308\)\) instead"),
    # ----- Integer ----------------------------------------------------
    ("integer-float-bounds", lambda: Integer(1.5, 10), TypeError,
     r"'low' parameter of Integer must be an int\. Got 1\.5 instead"),
    ("integer-float-valued-high", lambda: random_search({"alpha": Integer(1, 10.0)}), TypeError,
     r"'high' parameter of Integer must be an int\. Got 10\.0 instead"),
    ("integer-low-equals-high", lambda: Integer(3, 3), ValueError,
     r"'low' parameter of Integer must be smaller than 'high'\. Got low=3 and high=3"),
    ("integer-log-low-zero", lambda: Integer(0, 100, log=True), ValueError,
     r"'low' parameter of Integer must be an int >= 1\. Got 0 instead"),
    ("integer-log-negative-low", lambda: grid_search({"alpha": Integer(-5, 100, log=True)}),
     ValueError, r"'low' parameter of Integer must be an int >= 1\. Got -5 instead"),
    ("integer-log-not-bool", lambda: Integer(1, 10, log="yes"), TypeError,
     r"'log' parameter of Integer must be a bool\. Got 'yes' instead"),
    ("integer-huge-high", lambda: Integer(0, 10**30), ValueError,
     r"The 'high' parameter of Integer must be an int of absolute value below 2\*\*52 "
     r"\(4503599627370496\), where a float64 still holds every integer and half-integer "
     r"exactly\. Got 1000000000000000000000000000000 instead\."),
    ("integer-int64-max-high", lambda: random_search({"alpha": Integer(0, 2**63 - 1)}),
     ValueError, _msg("high", "Got 9223372036854775807 instead", "Integer")),
    ("integer-first-inexact-high", lambda: Integer(0, 2**52), ValueError,
     _msg("high", "below 2**52 (4503599627370496)", "Integer")),
    ("integer-huge-negative-low", lambda: grid_search({"alpha": Integer(-(2**60), 0)}),
     ValueError, _msg("low", "Got -1152921504606846976 instead", "Integer")),
    ("integer-log-huge-high", lambda: Integer(1, 10**20, log=True), ValueError,
     _msg("high", "Got 100000000000000000000 instead", "Integer")),
    # ----- Categorical ------------------------------------------------
    ("categorical-empty", lambda: Categorical([]), ValueError,
     r"'choices' parameter of Categorical must be a non-empty list of options\. Got \[\]"),
    ("categorical-string-choices", lambda: Categorical("abc"), TypeError,
     r"'choices' parameter of Categorical must be a list of options\. Got 'abc' instead"),
    ("categorical-weights-wrong-length", lambda: Categorical([1, 2], weights=[1]), ValueError,
     r"'weights' parameter of Categorical must be a list of 2 numbers.*Got \[1\] instead"),
    ("categorical-negative-weight", lambda: Categorical(["a", "b"], weights=[1, -1]),
     ValueError, r"'weights' parameter of Categorical must be finite and non-negative.*"
     r"Got \[1, -1\] instead"),
    ("categorical-nan-weight", lambda: Categorical(["a", "b"], weights=[1, math.nan]),
     ValueError, r"'weights' parameter of Categorical.*Got \[1, nan\] instead"),
    ("categorical-zero-weights", lambda: random_search(
        {"kernel": Categorical(["a", "b"], weights=[0, 0])}), ValueError,
     r"'weights' parameter of Categorical.*positive sum\. Got \[0, 0\] instead"),
    ("categorical-string-weights", lambda: Categorical(["a", "b"], weights="ab"), ValueError,
     r"'weights' parameter of Categorical.*Got 'ab' instead"),
    ("categorical-repeated-choice", lambda: Categorical([1, 1, 1, 2]), ValueError,
     r"The 'choices' parameter of Categorical must list each option once\. Got \[1, 1, 1, 2\] "
     r"instead, which repeats 1; to make an option likelier, give it a larger weight: "
     r"Categorical\(\[1, 2\], weights=\[3, 1\]\)\."),
    ("categorical-repeated-weighted-choice", lambda: random_search(
        {"kernel": Categorical(["a", "b", "a"], weights=[1, 2, 3])}), ValueError,
     r"'choices' parameter of Categorical.*Got \['a', 'b', 'a'\] instead, which repeats 'a'.*"
     r"Categorical\(\['a', 'b'\], weights=\[4, 2\]\)"),
    ("categorical-repeated-unhashable-choice", lambda: Categorical([[1], [2], [1]]),
     ValueError, r"'choices' parameter of Categorical.*Got \[\[1\], \[2\], \[1\]\] instead"),
    # ----- scipy distributions ----------------------------------------
    ("scipy-invalid-scale", lambda: random_search({"alpha": stats.norm(0, -1)}), ValueError,
     r"value for 'alpha' in param_distributions of RandomSearch must be a scipy\.stats "
     r"frozen distribution with valid arguments\. Got norm\(0, -1\) instead"),
    ("scipy-invalid-in-grid", lambda: grid_search({"alpha": stats.uniform(0, -1)}), ValueError,
     r"value for 'alpha' in param_grid of GridSearch.*Got uniform\(0, -1\) instead"),
    ("scipy-empty-randint", lambda: ScipyDistribution(stats.randint(5, 2)), ValueError,
     r"'frozen' parameter of ScipyDistribution.*valid arguments\. Got randint\(5, 2\)"),
    ("scipy-not-frozen", lambda: ScipyDistribution(stats.norm), TypeError,
     r"'frozen' parameter of ScipyDistribution must be a scipy\.stats frozen distribution\. "
     r"Got <scipy\.stats.*norm_gen object"),
    # ----- grid / budget arguments ------------------------------------
    ("grid-n-zero", lambda: Uniform(0, 1).grid(0), ValueError,
     r"The 'n' argument of grid must be an int >= 1\. Got 0 instead"),
    ("n-points-zero", lambda: grid_search({"alpha": Uniform(0, 1)}, n_points=0), ValueError,
     r"'n_points' parameter of GridSearch must be an int in the range \[1, inf\)\. Got 0"),
    ("n-points-bool", lambda: grid_search({"alpha": Uniform(0, 1)}, n_points=True), TypeError,
     r"'n_points' parameter of GridSearch must be an int >= 1\. Got True instead"),
    ("n-iter-zero", lambda: random_search({"alpha": [1, 2]}, n_iter=0), ValueError,
     r"'n_iter' parameter of RandomSearch must be an int in the range \[1, inf\)\. Got 0"),
    ("n-iter-float", lambda: random_search({"alpha": [1, 2]}, n_iter=2.5), ValueError,
     r"'n_iter' parameter of RandomSearch must be an int .*Got 2\.5 instead"),
    ("unknown-sampler", lambda: random_search({"alpha": [1, 2]}, sampler="halton"), ValueError,
     r"'sampler' parameter of RandomSearch must be a str among .*Got 'halton' instead"),
    # ----- budgets beyond what a search can hold (issue 17) -----------
    ("n-iter-huge", lambda: random_search({"alpha": Uniform(0, 1)}, n_iter=10**12), ValueError,
     r"The 'n_iter' parameter of RandomSearch must be an int in the range \[1, 1000000\], "
     r"the most candidates it lists before its first fit\. Got 1000000000000 instead\.$"),
    ("n-iter-huge-sobol", lambda: random_search(
        {"alpha": Uniform(0, 1)}, n_iter=10**12, sampler="sobol"), ValueError,
     r"'n_iter' parameter of RandomSearch must be an int in the range \[1, 1000000\]"),
    ("n-iter-huge-lhs", lambda: random_search(
        {"alpha": LogUniform(1, 2), "kernel": ["a", "b"]}, n_iter=10**12, sampler="lhs"),
     ValueError, r"'n_iter' parameter of RandomSearch.*Got 1000000000000 instead"),
    ("n-iter-just-over", lambda: random_search({"alpha": Uniform(0, 1)}, n_iter=10**6 + 1),
     ValueError, r"'n_iter' parameter of RandomSearch.*Got 1000001 instead"),
    ("n-iter-huge-large-finite-space", lambda: random_search(
        {"alpha": Integer(0, 10**9)}, n_iter=10**12), ValueError,
     r"'n_iter' parameter of RandomSearch must be an int in the range \[1, 1000000\].*"
     r"Got 1000000000000 instead, and the search space holds 1000000001 candidates\."),
    ("n-iter-huge-bayes", lambda: bayes_search({"alpha": Uniform(0, 1)}, n_iter=10**12),
     ValueError, r"The 'n_iter' parameter of BayesSearch must be an int in the range "
     r"\[1, 10000\], the most its Gaussian process models, in memory that grows as "
     r"n_iter\*\*2\. Got 1000000000000 instead\."),
    ("n-iter-just-over-bayes", lambda: bayes_search({"alpha": Integer(0, 10**6)}, n_iter=10_001),
     ValueError, r"'n_iter' parameter of BayesSearch.*Got 10001 instead, and the search space "
     r"holds 1000001 candidates\."),
    ("n-points-huge", lambda: grid_search(
        {"alpha": Uniform(0, 1), "kernel": LogUniform(1, 2)}, n_points=10**6), ValueError,
     r"The 'n_points' parameter of GridSearch must keep the grid within 1000000 candidates, "
     r"the most a search lists before it fits\. Got 1000000 instead, which makes a grid of "
     r"1000000000000 candidates; lower n_points or draw the candidates with RandomSearch\."),
    ("n-points-just-over", lambda: grid_search(
        [{"alpha": Integer(1, 10**4), "kernel": ["a"]}, {"alpha": Uniform(0, 1)}],
        n_points=10**6), ValueError,
     r"'n_points' parameter of GridSearch.*Got 1000000 instead, which makes a grid of 1010000 "
     r"candidates"),
    ("grid-of-lists-huge", lambda: grid_search(
        {"alpha": np.arange(1001.0), "kernel": [str(i) for i in range(1000)]}), ValueError,
     r"The 'param_grid' parameter of GridSearch must hold at most 1000000 candidates, the most "
     r"a search lists before it fits\. Got a grid of 1001000 candidates instead"),
    # ----- parameter names --------------------------------------------
    ("unknown-name", lambda: random_search({"alpah": [1, 2]}), ValueError,
     r"Invalid parameter 'alpah' in the search space of RandomSearch for estimator "
     r"FitRecorder \(did you mean 'alpha'\?\)\. Valid parameters are: \['alpha', 'kernel'\]"),
    ("unknown-name-grid", lambda: grid_search({"alpha": [1], "gamma": [1, 2]}), ValueError,
     r"Invalid parameter 'gamma' in the search space of GridSearch"),
    ("unknown-name-in-pipeline-step", lambda: random_search(
        {"model__alpah": [1, 2]}, estimator=pipeline()), ValueError,
     r"Invalid parameter 'model__alpah' in the search space of RandomSearch for estimator "
     r"Pipeline \(did you mean 'model__alpha'\?\)\. Valid parameters are: \[.*'model__alpha'"),
    ("unknown-pipeline-step", lambda: grid_search(
        {"modle__alpha": [1, 2]}, estimator=pipeline()), ValueError,
     r"Invalid parameter 'modle__alpha' in the search space of GridSearch"),
    ("unknown-name-in-second-subspace", lambda: random_search(
        [{"alpha": [1, 2]}, {"kernal": ["rbf"]}]), ValueError,
     r"Invalid parameter 'kernal' in the search space of RandomSearch"),
    # ----- values that are not a distribution -------------------------
    ("scalar-value", lambda: random_search({"alpha": 3}), TypeError,
     r"value for 'alpha' in param_distributions of RandomSearch must be a list of values, "
     r"an sktune distribution or a scipy\.stats frozen distribution\. Got 3 \(of type int\) "
     r"instead; wrap a single value in a list"),
    ("string-value", lambda: random_search({"kernel": "rbf"}), TypeError,
     r"value for 'kernel' in param_distributions of RandomSearch must be a list.*"
     r"Got 'rbf' \(of type str\)"),
    ("string-value-grid", lambda: grid_search({"kernel": "rbf"}), TypeError,
     r"Parameter grid for parameter 'kernel' needs to be a list or a numpy array, but got "
     r"'rbf' \(of type str\)"),
    ("set-value", lambda: random_search({"alpha": {1, 2}}), TypeError,
     r"value for 'alpha' in param_distributions of RandomSearch.*Got \{1, 2\} \(of type set\)"),
    ("object-value", lambda: random_search({"alpha": object()}), TypeError,
     r"value for 'alpha' in param_distributions.*Got <object object at .*> \(of type object\)"),
    ("2d-array-value", lambda: random_search({"alpha": np.ones((2, 3))}), ValueError,
     r"value for 'alpha' in param_distributions of RandomSearch must be one-dimensional\. "
     r"Got an array of shape \(2, 3\)"),
    ("2d-array-value-grid", lambda: grid_search({"alpha": np.ones((2, 3))}), ValueError,
     r"(?s)Parameter array for 'alpha' should be one-dimensional, got: array.*shape \(2, 3\)"),
    ("empty-list-value", lambda: random_search({"alpha": []}), ValueError,
     r"value for 'alpha' in param_distributions of RandomSearch must be a non-empty list\. "
     r"Got \[\] instead"),
    ("empty-list-value-grid", lambda: grid_search({"alpha": []}), ValueError,
     r"Parameter grid for parameter 'alpha' need to be a non-empty sequence, got: \[\]"),
    # ----- structure of the space -------------------------------------
    ("non-dict-in-list", lambda: random_search([{"alpha": [1]}, 3]), TypeError,
     r"Each entry of param_distributions of RandomSearch must be a dict of parameter names "
     r"to values\. Got 3 \(of type int\) instead"),
    ("non-dict-in-list-grid", lambda: grid_search([{"alpha": [1]}, ["alpha"]]), TypeError,
     r"Each entry of param_grid of GridSearch must be a dict.*Got \['alpha'\] \(of type list\)"),
    ("empty-list-of-dicts", lambda: random_search([]), TypeError,
     r"param_distributions of RandomSearch must be a dict or a non-empty list of dicts\. "
     r"Got \[\] \(of type list\)"),
    ("empty-list-of-dicts-grid", lambda: grid_search([]), TypeError,
     r"param_grid of GridSearch must be a dict or a non-empty list of dicts\. Got \[\]"),
    ("non-str-key", lambda: random_search({1: [1, 2]}), TypeError,
     r"Parameter names in param_distributions of RandomSearch must be strings\. Got 1 instead"),
    ("non-str-key-grid", lambda: grid_search({("alpha",): [1, 2]}), TypeError,
     r"Parameter names in param_grid of GridSearch must be strings\. Got \('alpha',\) instead"),
    # ----- ManualSearch: values, not distributions (issue 17) ---------
    ("manual-distribution-value", lambda: manual_search([{"alpha": Uniform(0, 1)}]), TypeError,
     r"The value of 'alpha' in candidates\[0\] of ManualSearch must be the value to set, not "
     r"a distribution\. Got Uniform\(low=0\.0, high=1\.0\) instead; draw from "
     r"distributions with RandomSearch or BayesSearch\."),
    ("manual-scipy-value-in-second", lambda: manual_search(
        [{"alpha": 1.0}, {"alpha": 2.0, "kernel": stats.uniform(0, 1)}]), TypeError,
     r"value of 'kernel' in candidates\[1\] of ManualSearch must be the value to set.*Got "
     r"<scipy\.stats.*frozen"),
    # ----- HyperbandSearch: the resource takes int budgets (issue 17) --
    ("hyperband-resource-refuses-ints", lambda: hyperband_search(
        {"alpha": Uniform(0, 1)}, estimator=ConstrainedRecorder(), resource="kernel",
        max_resources=27), ValueError,
     r"The 'resource' parameter of HyperbandSearch must name a parameter of ConstrainedRecorder "
     r"that takes an int budget\. Got 'kernel' instead, which refuses the budget 27: The "
     r"'kernel' parameter of ConstrainedRecorder must be a str among .*\. Got 27 instead\."),
    ("hyperband-resource-in-a-step", lambda: hyperband_search(
        {"model__alpha": Uniform(0, 1)}, estimator=pipeline(ConstrainedRecorder()),
        resource="model__kernel"), ValueError,
     r"'resource' parameter of HyperbandSearch must name a parameter of Pipeline that takes "
     r"an int budget\. Got 'model__kernel' instead, which refuses the budget 1"),
    ("hyperband-max-resources-out-of-range", lambda: hyperband_search(
        {"alpha": Uniform(0, 1)}, estimator=ConstrainedRecorder(), resource="max_iter",
        max_resources=1000), ValueError,
     r"'resource' parameter of HyperbandSearch.*Got 'max_iter' instead, which refuses the "
     r"budget 1000: The 'max_iter' parameter of ConstrainedRecorder must be an int in the "
     r"range \[1, 100\]\. Got 1000 instead\."),
    ("space-is-a-string", lambda: random_search("alpha"), ValueError,
     r"'param_distributions' parameter of RandomSearch must be an instance of 'dict' or an "
     r"instance of 'list'\. Got 'alpha' instead"),
]


def test_the_table_is_large_and_distinct():
    ids = [row[0] for row in BAD_INPUTS]
    assert len(ids) >= 30
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(
    "action, error, pattern", [row[1:] for row in BAD_INPUTS], ids=[row[0] for row in BAD_INPUTS]
)
def test_bad_input_is_reported_before_any_fit(action, error, pattern):
    FitRecorder.calls = []
    with pytest.raises(error, match=pattern):
        action()
    assert FitRecorder.calls == [], "a model was fitted before the error"


def test_the_recorder_does_catch_a_fit():
    # the guard above can fail: a good space reaches fit, which is recorded
    FitRecorder.calls = []
    with pytest.raises(FitWasCalled):
        random_search({"alpha": [1.0, 2.0]}, n_iter=2)
    assert len(FitRecorder.calls) == 1
    assert FitRecorder.calls[0]["alpha"] in (1.0, 2.0)


# Budgets and the resource are checked before fit creates its checkpoint file.
BEFORE_THE_CHECKPOINT = {
    "n-iter-huge": lambda path: random_search(
        {"alpha": Uniform(0, 1)}, n_iter=10**12, checkpoint=path),
    "n-iter-huge-bayes": lambda path: bayes_search(
        {"alpha": Uniform(0, 1)}, n_iter=10**12, checkpoint=path),
    "n-points-huge": lambda path: grid_search(
        {"alpha": Uniform(0, 1), "kernel": Uniform(0, 1)}, n_points=10**6, checkpoint=path),
    "hyperband-resource-refuses-ints": lambda path: hyperband_search(
        {"alpha": Uniform(0, 1)}, estimator=ConstrainedRecorder(), resource="kernel",
        max_resources=27, checkpoint=path),
}


@pytest.mark.parametrize("action", BEFORE_THE_CHECKPOINT.values(), ids=BEFORE_THE_CHECKPOINT)
def test_budget_errors_leave_no_checkpoint_file(action, tmp_path):
    FitRecorder.calls = []
    path = tmp_path / "search.db"
    with pytest.raises(ValueError, match=r"The '(n_iter|n_points|resource)' parameter of"):
        action(path)
    assert FitRecorder.calls == []
    assert not path.exists(), "the checkpoint file was created before the error"


def test_a_finite_space_smaller_than_a_huge_n_iter_is_evaluated_whole():
    # n_iter beyond the limit is fine when the space holds fewer candidates,
    # as RandomizedSearchCV evaluates a small grid whole
    FitRecorder.calls = []
    with pytest.warns(UserWarning, match=r"holds only 2 distinct candidates, fewer than "
                                         r"n_iter=1000000000000; evaluating all 2"):
        with pytest.raises(FitWasCalled):
            random_search({"alpha": [1.0, 2.0]}, n_iter=10**12)
    assert len(FitRecorder.calls) == 1
