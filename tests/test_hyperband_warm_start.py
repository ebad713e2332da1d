"""HyperbandSearch continues the boosting rounds of promoted candidates by warm start."""

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import (
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sktune import HyperbandSearch
from sktune.distributions import LogUniform
from sktune.search.hyperband._resources import continues_rounds, warm_start_param

X, Y = make_classification(300, 6, n_informative=4, n_classes=3, random_state=0)
XR, YR = make_regression(300, 6, noise=5.0, random_state=0)
RATES = {"learning_rate": LogUniform(0.01, 1.0)}

# (learning_rate, rounds already trained) at the start of every fit
STARTS = []


class LoggedHGB(HistGradientBoostingClassifier):
    def fit(self, X, y, sample_weight=None):
        STARTS.append((self.learning_rate, getattr(self, "n_iter_", 0)))
        return super().fit(X, y, sample_weight=sample_weight)


def _search(estimator, resource, continue_training=True, space=RATES, **kwargs):
    search = HyperbandSearch(
        estimator, space, resource=resource, min_resources=1, max_resources=9, cv=3,
        n_jobs=1, random_state=0, **kwargs,
    )
    search._continue_training = continue_training
    return search


@pytest.mark.parametrize("estimator, resource, rate, data", [
    (HistGradientBoostingClassifier(random_state=0), "max_iter", "learning_rate", (X, Y)),
    (GradientBoostingClassifier(subsample=0.7, random_state=0), "n_estimators",
     "learning_rate", (X, Y)),
    (Pipeline([("scale", StandardScaler()),
               ("gbr", GradientBoostingRegressor(max_features=0.5, random_state=0))]),
     "gbr__n_estimators", "gbr__learning_rate", (XR, YR)),
])
def test_continued_rounds_score_like_training_from_scratch(estimator, resource, rate, data):
    space = {rate: LogUniform(0.01, 1.0)}
    continued = _search(estimator, resource, space=space).fit(*data)
    scratch = _search(estimator, resource, continue_training=False, space=space).fit(*data)
    a, b = continued.cv_results_, scratch.cv_results_
    assert a["params"] == b["params"]
    keys = [k for k in a if k.startswith(("split", "mean_test", "rank_test"))]
    assert keys
    for key in keys:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)
    assert continued.best_params_ == scratch.best_params_
    # the user's warm_start (False), though the candidates were trained with True
    assert continued.best_estimator_.get_params()[warm_start_param(estimator, resource)] is False


def test_promoted_candidates_train_only_the_new_rounds():
    STARTS.clear()
    search = _search(LoggedHGB(early_stopping=False, random_state=0), "max_iter").fit(X, Y)
    res = search.cv_results_
    budget_of = {(p["learning_rate"], r): b
                 for p, r, b in zip(res["params"], res["rung"], res["n_resources"])}
    # each row's three fold models start with the rounds of its previous rung
    expected = sorted(
        budget_of.get((p["learning_rate"], r - 1), 0)
        for p, r in zip(res["params"], res["rung"]) for _ in range(3)
    )
    refit = STARTS.pop()  # best_estimator_, trained from scratch
    assert refit[1] == 0
    assert max(expected) > 0
    assert sorted(start for _, start in STARTS) == expected


@pytest.mark.parametrize("kwargs", [
    {"early_stopping": True, "n_iter_no_change": 2},  # each fit would restart the count
])
def test_no_continuation_with_early_stopping(kwargs):
    STARTS.clear()
    _search(LoggedHGB(random_state=0, **kwargs), "max_iter").fit(X, Y)
    assert STARTS and all(start == 0 for _, start in STARTS)


def test_when_rounds_continue():
    hgb = HistGradientBoostingClassifier()
    assert continues_rounds(hgb, "max_iter", (), n_train=10_000)
    # "auto" turns early stopping on above 10,000 samples
    assert not continues_rounds(hgb, "max_iter", (), n_train=10_001)
    assert continues_rounds(hgb.set_params(early_stopping=False), "max_iter", (), 10**6)
    assert not continues_rounds(hgb, "max_iter", ("early_stopping",), 100)
    gbc = GradientBoostingClassifier()
    assert continues_rounds(gbc, "n_estimators", (), 100)
    assert not continues_rounds(gbc.set_params(n_iter_no_change=3), "n_estimators", (), 100)
    assert not continues_rounds(GradientBoostingClassifier(), "n_estimators",
                                ("n_iter_no_change",), 100)
    # other parameters and other estimators train again: MLP's warm_start
    # would add max_iter more epochs, and forests' models are large to send back
    assert warm_start_param(hgb, "max_depth") is None
    assert warm_start_param(MLPClassifier(), "max_iter") is None
    assert warm_start_param(RandomForestClassifier(), "n_estimators") is None
    pipe = Pipeline([("scale", StandardScaler()), ("gbc", GradientBoostingClassifier())])
    assert warm_start_param(pipe, "gbc__n_estimators") == "gbc__warm_start"
