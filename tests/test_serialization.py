"""Fitted searches saved and loaded with pickle, joblib and skops (issue 18).

Every search class, fitted, goes through ``pickle``, ``joblib.dump`` /
``joblib.load`` and ``skops.io.dumps`` / ``skops.io.loads``, and must
predict the same and report the same ``best_params_`` after loading. skops
loads only the types it is told to trust: ``sktune.skops_trusted_types()``
must be enough for what sktune adds to a search, and hold nothing that no
fitted search needs.
"""

import io
import json
import pickle
import warnings
import zipfile

import joblib
import numpy as np
import pytest
from scipy import stats
from sklearn.datasets import load_diabetes, load_iris
from sklearn.linear_model import Ridge, SGDClassifier
from sklearn.svm import SVC

import sktune
from sktune import (
    BayesSearch,
    Beta,
    Categorical,
    Exponential,
    Gamma,
    GridSearch,
    HyperbandSearch,
    Integer,
    LogNormal,
    LogUniform,
    ManualSearch,
    Normal,
    RandomSearch,
    Uniform,
)
from sktune.space import Dimension, SearchSpace

sio = pytest.importorskip("skops.io")

X, y = load_iris(return_X_y=True)
X_REG, y_REG = load_diabetes(return_X_y=True)

# The scipy frozen distribution of the "scipy" case is the user's own
# argument: its types are the user's to trust, not sktune's.
USER_TYPES = {
    "scipy": [
        "scipy.stats._continuous_distns.reciprocal_gen",
        "scipy.stats._distn_infrastructure.rv_continuous_frozen",
    ],
}

EVERY_DISTRIBUTION = {
    "alpha": LogUniform(1e-5, 1e-1),
    "l1_ratio": Beta(2, 2),
    "eta0": Gamma(2.0, scale=0.05),
    "power_t": Uniform(0.1, 0.9),
    "epsilon": Exponential(0.1),
    "tol": LogNormal(-7.0, 1.0),
    "validation_fraction": Normal(0.15, 0.03, low=0.05, high=0.3),
    "max_iter": Integer(20, 60),
    "penalty": Categorical(["l2", "elasticnet"]),
}

CASES = {
    "random-every-distribution": lambda: RandomSearch(
        SGDClassifier(random_state=0), EVERY_DISTRIBUTION, n_iter=4, cv=3, random_state=0,
    ),
    "scipy": lambda: RandomSearch(
        SVC(), {"C": stats.loguniform(1e-2, 1e2)}, n_iter=4, cv=3, random_state=0,
    ),
    "grid": lambda: GridSearch(SVC(), {"C": [0.1, 1.0, 10.0], "kernel": ["rbf", "linear"]},
                               cv=3),
    "manual": lambda: ManualSearch(SVC(), [{"C": 0.1}, {"C": 10.0}], cv=3),
    "bayes": lambda: BayesSearch(
        SVC(), {"C": LogUniform(1e-2, 1e2), "gamma": LogUniform(1e-3, 1e1)},
        n_iter=8, cv=3, random_state=0,
    ),
    "hyperband-classifier-bayes": lambda: HyperbandSearch(
        SVC(), {"C": LogUniform(1e-2, 1e2)}, max_resources=100, sampler="bayes",
        cv=3, random_state=0,
    ),
    "hyperband-regressor": lambda: HyperbandSearch(
        Ridge(), {"alpha": LogUniform(1e-3, 1e2)}, max_resources=290, cv=3, random_state=0,
    ),
    "hyperband-partial-fit": lambda: HyperbandSearch(
        SGDClassifier(random_state=0), {"alpha": LogUniform(1e-5, 1e-1)},
        resource="partial_fit", max_resources=9, cv=3, random_state=0,
    ),
}


@pytest.fixture(scope="module")
def fitted():
    cache = {}

    def get(case):
        if case not in cache:
            data = (X_REG, y_REG) if "regressor" in case else (X, y)
            with warnings.catch_warnings():
                # SGD's few iterations do not converge; a small space warns
                warnings.simplefilter("ignore")
                cache[case] = (CASES[case]().fit(*data), data[0])
        return cache[case]

    return get


def _joblib_roundtrip(obj):
    buffer = io.BytesIO()
    joblib.dump(obj, buffer)
    buffer.seek(0)
    return joblib.load(buffer)


def _skops_roundtrip(obj, case):
    return sio.loads(sio.dumps(obj), trusted=sktune.skops_trusted_types() + USER_TYPES.get(
        case, []))


LOADERS = {
    "pickle": lambda obj, case: pickle.loads(pickle.dumps(obj)),
    "joblib": lambda obj, case: _joblib_roundtrip(obj),
    "skops": _skops_roundtrip,
}


@pytest.mark.parametrize("how", sorted(LOADERS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_fitted_search_round_trips(case, how, fitted):
    search, X_case = fitted(case)
    loaded = LOADERS[how](search, case)
    assert type(loaded) is type(search)
    np.testing.assert_array_equal(loaded.predict(X_case), search.predict(X_case))
    assert loaded.best_params_ == search.best_params_
    assert loaded.best_score_ == search.best_score_
    assert loaded.search_space_.dimensions[0].distribution == (
        search.search_space_.dimensions[0].distribution
    )


def test_the_trusted_types_are_exactly_what_sktune_adds(fitted):
    # Enough for every case, and each listed type needed by one of them.
    needed = set()
    for case in CASES:
        search, _ = fitted(case)
        untrusted = set(sio.get_untrusted_types(data=sio.dumps(search)))
        needed |= untrusted - set(USER_TYPES.get(case, []))
    assert needed == set(sktune.skops_trusted_types())


def test_a_search_over_sktune_distributions_needs_no_scipy_type(fitted):
    # a distribution is saved by its parameters, not its scipy internals
    search, _ = fitted("random-every-distribution")
    untrusted = sio.get_untrusted_types(data=sio.dumps(search))
    assert not [name for name in untrusted if name.startswith("scipy.")], untrusted


@pytest.mark.parametrize("dist", list(EVERY_DISTRIBUTION.values()), ids=repr)
def test_each_distribution_round_trips_through_skops(dist):
    loaded = sio.loads(sio.dumps(dist), trusted=sktune.skops_trusted_types())
    assert loaded == dist
    assert loaded.ppf(0.3) == dist.ppf(0.3)


def test_a_dimension_round_trips_through_pickle_and_skops():
    dim = SearchSpace([{"C": [1, 2]}, {"C": [1, 2], "k": [3]}]).dimensions[1]
    for loaded in (pickle.loads(pickle.dumps(dim)),
                   sio.loads(sio.dumps(dim), trusted=sktune.skops_trusted_types())):
        assert isinstance(loaded, Dimension)
        assert (loaded.name, loaded.distribution, loaded.subspaces) == (
            dim.name, dim.distribution, dim.subspaces)


def test_a_tampered_distribution_is_checked_by_its_constructor():
    # skops restores a distribution through its constructor, so bounds
    # edited in the file are refused like bounds given in code
    data = sio.dumps(LogUniform(0.01, 100))
    schema = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("schema.json"))
    schema["content"]["content"]["low"]["content"] = "-1.0"
    tampered = io.BytesIO()
    with zipfile.ZipFile(tampered, "w") as archive:
        archive.writestr("schema.json", json.dumps(schema))
    with pytest.raises(ValueError, match="'low' parameter of LogUniform"):
        sio.loads(tampered.getvalue(), trusted=sktune.skops_trusted_types())
