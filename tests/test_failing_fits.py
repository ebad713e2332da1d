"""A round whose fits all fail does not end a sequential search (issue 17).

scikit-learn raises "All the N fits failed" when every fit of one call of
``evaluate_candidates`` failed; a search of several rounds goes on and raises
only when no fit of the whole search succeeded.
"""

import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_iris
from sklearn.exceptions import FitFailedWarning

from sktune import BayesSearch, GridSearch, HyperbandSearch
from sktune.distributions import Uniform

X, y = load_iris(return_X_y=True)


class FailsBelow(ClassifierMixin, BaseEstimator):
    """Fails to fit when ``max_iter`` is below ``min_iter`` or ``x`` below ``min_x``."""

    def __init__(self, x=0.5, max_iter=1, min_iter=0, min_x=-1.0):
        self.x = x
        self.max_iter = max_iter
        self.min_iter = min_iter
        self.min_x = min_x

    def fit(self, X, y):
        if self.max_iter < self.min_iter or self.x < self.min_x:
            raise RuntimeError("this budget is too small")
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        # better the larger x, so the search has a best
        return np.where(np.arange(len(X)) % 10 < 10 * self.x, self.classes_[0], self.classes_[1])


def test_hyperband_goes_on_after_rounds_whose_fits_all_failed():
    # budgets 1 and 3 fail for every candidate; budget 9 works
    search = HyperbandSearch(
        FailsBelow(min_iter=9), {"x": Uniform(0, 1)}, resource="max_iter",
        min_resources=1, max_resources=9, cv=3, random_state=0,
    )
    with pytest.warns(FitFailedWarning, match="All the 27 fits failed"):
        search.fit(X, y)
    res = search.cv_results_
    assert np.isnan(res["mean_test_score"][res["n_resources"] < 9]).all()
    assert np.isfinite(search.best_score_)
    assert search.best_params_["max_iter"] == 9


def test_bayes_goes_on_after_a_first_round_that_failed_entirely():
    # x < 0.8 fails: with this seed both initial points do, later ones need not
    search = BayesSearch(FailsBelow(min_x=0.8), {"x": Uniform(0, 1)}, n_iter=8,
                         n_initial_points=2, cv=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FitFailedWarning)
        search.fit(X, y)
    first = search.cv_results_["iter"] == 0
    assert np.isnan(search.cv_results_["mean_test_score"][first]).all()
    assert len(search.cv_results_["params"]) == 8
    assert search.best_params_["x"] >= 0.8


@pytest.mark.parametrize("make", [
    lambda: BayesSearch(FailsBelow(min_x=2.0), {"x": Uniform(0, 1)}, n_iter=5,
                        n_initial_points=2, cv=3, random_state=0),
    lambda: HyperbandSearch(FailsBelow(min_iter=100), {"x": Uniform(0, 1)},
                            resource="max_iter", min_resources=1, max_resources=9, cv=3,
                            random_state=0),
], ids=["BayesSearch", "HyperbandSearch"])
def test_a_search_whose_every_fit_failed_raises_counting_them_all(make):
    search = make()
    with pytest.raises(ValueError, match=r"All the (\d+) fits failed") as info:
        search.fit(X, y)
    n_fits = int(str(info.value).split("All the ")[1].split(" ")[0])
    # every round ran before the error: 5 candidates, or Hyperband's 9+3+1+5+1+3
    assert n_fits in (5 * 3, 22 * 3)


def test_a_grid_whose_fits_all_fail_raises_as_scikit_learn_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", FitFailedWarning)
        with pytest.raises(ValueError, match="All the 6 fits failed"):
            GridSearch(FailsBelow(min_x=2.0), {"x": [0.1, 0.2]}, cv=3).fit(X, y)
