"""The text form of distributions: sktune.distributions.parse, shared by Python and TOML jobs."""

import re

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.svm import SVC

from sktune import RandomSearch
from sktune.config import load_config
from sktune.distributions import (
    Categorical,
    Integer,
    LogUniform,
    Normal,
    Uniform,
    distribution_class,
    parse,
)
from sktune.search import suggest

X, y = load_iris(return_X_y=True)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("LogUniform(1e-3, 1e3)", LogUniform(1e-3, 1e3)),
        ("  Integer(1, 10, log=True) ", Integer(1, 10, log=True)),
        ("Normal(0, 1, low=-2, high=2)", Normal(0, 1, low=-2, high=2)),
        ("Categorical(['rbf', 'linear'], weights=[0.7, 0.3])",
         Categorical(["rbf", "linear"], weights=[0.7, 0.3])),
        ("Categorical([None, {'a': 1}])", Categorical([None, {"a": 1}])),
    ],
)
def test_parse_builds_the_same_distribution_as_the_call(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text, match",
    [
        ("LogUniform(1e-2, ", r"malformed distribution 'LogUniform\(1e-2, ': expected a call"),
        ("LogUniform", "malformed distribution 'LogUniform'"),
        ("LogUniform(low, 1)", "malformed distribution"),
        ("os.system('ls')", "malformed distribution"),
        ("LogUniform(**{})", "malformed distribution"),
        ("LogUniform(1, 2)(3)", "malformed distribution"),
        ("Categorical({[1]: 2})", "malformed distribution"),
        ("(" * 300 + ")" * 300, "malformed distribution"),
        ("LogUnifrom(1, 10)",
         r"unknown distribution 'LogUnifrom' \(did you mean 'LogUniform'\?\); choose from Beta"),
        ("ScipyDistribution(1)", "unknown distribution 'ScipyDistribution'"),
        ("LogUniform(10, 1)", r"LogUniform"),
    ],
)
def test_parse_refuses_what_is_not_one_literal_call(text, match):
    with pytest.raises(ValueError, match=match):
        parse(text)


def test_parse_refuses_a_non_str():
    with pytest.raises(TypeError, match=r"The 'text' parameter of parse must be a str .*"
                                        r"Got 3 \(of type int\) instead"):
        parse(3)


def test_arguments_the_class_does_not_take():
    with pytest.raises(TypeError, match="unexpected keyword argument 'loww'"):
        parse("Uniform(loww=0, high=1)")


def test_distribution_class():
    assert distribution_class("Uniform") is Uniform
    # the search's own hint, not a second copy of it
    hint = suggest("Unifrom", ["Uniform"])
    assert hint == " (did you mean 'Uniform'?)"
    with pytest.raises(ValueError, match="unknown distribution 'Unifrom'" + re.escape(hint)):
        distribution_class("Unifrom")
    with pytest.raises(ValueError, match="unknown distribution 'Distribution'"):
        distribution_class("Distribution")


def test_a_seeded_search_gives_the_same_results_from_text_and_from_objects(tmp_path):
    text = {"C": "LogUniform(1e-2, 1e2)", "gamma": "LogUniform(1e-3, 1e1)"}
    objects = {"C": LogUniform(1e-2, 1e2), "gamma": LogUniform(1e-3, 1e1)}
    kwargs = dict(n_iter=5, cv=3, random_state=0)
    parsed = RandomSearch(SVC(), {k: parse(v) for k, v in text.items()}, **kwargs).fit(X, y)
    direct = RandomSearch(SVC(), objects, **kwargs).fit(X, y)
    assert parsed.cv_results_["params"] == direct.cv_results_["params"]
    np.testing.assert_array_equal(parsed.cv_results_["mean_test_score"],
                                  direct.cv_results_["mean_test_score"])
    # and the TOML job reads its space through the same parser
    job = tmp_path / "job.toml"
    job.write_text(
        '[estimator]\npath = "sklearn.svm.SVC"\n[data]\ndataset = "iris"\n'
        '[search]\nstrategy = "random"\nn_iter = 5\ncv = 3\nrandom_state = 0\n'
        f'[space]\nC = "{text["C"]}"\ngamma = "{text["gamma"]}"\n',
        encoding="utf-8",
    )
    assert load_config(job).search.param_distributions == objects
