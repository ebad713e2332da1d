"""ManualSearch: exactly the listed candidates, in order, with everything else shared."""

import warnings

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils._param_validation import InvalidParameterError

from sktune import ManualSearch
from sktune.distributions import Categorical
from sktune.search import Batch
from sktune.search._manual import ManualProposer

X, y = load_iris(return_X_y=True)


def test_evaluates_exactly_the_listed_candidates_in_order():
    candidates = [{"C": 10.0}, {"C": 0.01}, {"C": 1.0, "kernel": "linear"}]
    search = ManualSearch(SVC(), candidates, cv=3).fit(X, y)
    assert search.cv_results_["params"] == candidates
    assert len(search.cv_results_["mean_test_score"]) == 3
    # the low-C candidate is clearly worse, and the best is one of the others
    assert search.cv_results_["rank_test_score"][1] == 3
    assert search.best_params_ in (candidates[0], candidates[2])
    assert search.n_splits_ == 3


def test_same_scores_as_grid_search_cv_on_the_same_points():
    candidates = [{"C": c, "kernel": k} for c in (0.1, 1.0) for k in ("linear", "rbf")]
    ours = ManualSearch(SVC(), candidates, cv=3).fit(X, y)
    grid = GridSearchCV(SVC(), {"C": [0.1, 1.0], "kernel": ["linear", "rbf"]}, cv=3).fit(X, y)
    assert ours.cv_results_["params"] == grid.cv_results_["params"]
    np.testing.assert_allclose(
        ours.cv_results_["mean_test_score"], grid.cv_results_["mean_test_score"]
    )
    assert ours.best_params_ == grid.best_params_


def test_parallel_jobs_give_the_same_results():
    candidates = [{"C": 0.1}, {"C": 1.0}, {"C": 3.0}]
    one = ManualSearch(SVC(), candidates, cv=3).fit(X, y)
    # threads rather than processes: the same parallel code path, without
    # seconds of worker start-up on a shared machine
    with parallel_config(backend="threading"):
        two = ManualSearch(
            SVC(), candidates, cv=3, n_jobs=2
        ).fit(X, y)
    np.testing.assert_allclose(
        one.cv_results_["mean_test_score"], two.cv_results_["mean_test_score"]
    )


def test_multimetric_scoring_and_pipeline_names():
    pipe = Pipeline([("scale", StandardScaler()), ("svc", SVC())])
    candidates = [{"svc__C": 0.1}, {"svc__C": 10.0, "scale": "passthrough"}]
    search = ManualSearch(
        pipe, candidates, scoring=["accuracy", "f1_macro"], refit="f1_macro", cv=3
    ).fit(X, y)
    assert "mean_test_accuracy" in search.cv_results_
    assert "mean_test_f1_macro" in search.cv_results_
    best = int(np.argmax(search.cv_results_["mean_test_f1_macro"]))
    assert search.best_index_ == best


def test_search_space_lists_what_was_tried_per_set_of_names():
    candidates = [{"C": 1.0}, {"C": 5.0}, {"C": 1.0, "kernel": "linear"}]
    search = ManualSearch(SVC(), candidates, cv=3).fit(X, y)
    subspaces = search.search_space_.subspaces
    assert len(subspaces) == 2
    assert subspaces[0] == {"C": Categorical([1.0, 5.0])}
    assert subspaces[1] == {"C": Categorical([1.0]), "kernel": Categorical(["linear"])}


def test_a_repeated_candidate_is_evaluated_again_with_a_warning():
    candidates = [{"C": 1.0}, {"C": 2.0}, {"C": 1.0}]
    match = r"candidates\[2\] of ManualSearch repeats candidates\[0\]"
    with pytest.warns(UserWarning, match=match):
        search = ManualSearch(SVC(), candidates, cv=3).fit(X, y)
    assert search.cv_results_["params"] == candidates


def test_a_failing_candidate_scores_nan_and_the_rest_still_count():
    # allowed by the constraints, refused by fit: iris has no class 99
    candidates = [{"C": 1.0}, {"class_weight": {99: 1.0}}]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (FitFailedWarning, UserWarning))
        search = ManualSearch(SVC(), candidates, cv=3).fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert np.isfinite(scores[0]) and np.isnan(scores[1])
    assert search.best_index_ == 0


def test_the_candidates_parameter_is_not_changed():
    candidates = [{"C": 1.0}, {"C": 2.0}]
    search = ManualSearch(SVC(), candidates, cv=3)
    search.fit(X, y)
    assert search.candidates is candidates
    assert candidates == [{"C": 1.0}, {"C": 2.0}]
    assert clone(search).get_params()["candidates"] == candidates


def test_recorded_candidates_come_first_from_the_fit_context(tmp_path):
    # Candidates an earlier fit recorded in the checkpoint come first (once),
    # then the listed ones, so the results add up.
    path = str(tmp_path / "manual.db")
    ManualSearch(SVC(), [{"C": 1.0}, {"C": 0.5}], cv=3, checkpoint=path).fit(X, y)
    search = ManualSearch(SVC(), [{"C": 2.0}, {"C": 1.0}], cv=3, checkpoint=path).fit(X, y)
    assert search.cv_results_["params"] == [{"C": 0.5}, {"C": 2.0}, {"C": 1.0}]
    assert search.n_reused_ == 2
    assert not hasattr(search, "_recorded")


def test_fitting_again_with_the_same_checkpoint_adds_to_the_earlier_results(tmp_path):
    path = tmp_path / "manual.db"
    first = ManualSearch(SVC(), [{"C": 0.01}, {"C": 1.0}], cv=3, checkpoint=path).fit(X, y)
    assert first.n_reused_ == 0

    more = ManualSearch(SVC(), [{"C": 10.0}], cv=3, checkpoint=path).fit(X, y)
    assert more.cv_results_["params"] == [{"C": 0.01}, {"C": 1.0}, {"C": 10.0}]
    assert more.n_reused_ == 2
    np.testing.assert_allclose(
        more.cv_results_["mean_test_score"][:2], first.cv_results_["mean_test_score"]
    )
    # listing an earlier candidate again reuses it in its new place
    again = ManualSearch(SVC(), [{"C": 1.0}, {"C": 3.0}], cv=3, checkpoint=path).fit(X, y)
    assert again.cv_results_["params"] == [{"C": 0.01}, {"C": 10.0}, {"C": 1.0}, {"C": 3.0}]
    assert again.n_reused_ == 3
    # without the checkpoint, only the listed candidates
    alone = ManualSearch(SVC(), [{"C": 3.0}], cv=3).fit(X, y)
    assert alone.cv_results_["params"] == [{"C": 3.0}]


def test_run_controls_stop_a_long_list():
    # C=1 is good; the two tiny values that follow do not improve on it
    candidates = [{"C": 1.0}, {"C": 1e-4}, {"C": 1e-5}, {"C": 10.0}]
    search = ManualSearch(SVC(), candidates, cv=3, n_iter_no_change=2).fit(X, y)
    assert search.stop_reason_ == "n_iter_no_change"
    assert search.cv_results_["params"] == candidates[:3]


def test_manual_proposer_hands_over_one_batch_then_stops():
    proposer = ManualProposer([{"a": 1}, {"a": 2}], recorded=[{"a": 2}, {"a": 0}])
    assert proposer.n_candidates == 3
    batch = proposer.ask()
    assert isinstance(batch, Batch) and batch.params == [{"a": 0}, {"a": 1}, {"a": 2}]
    assert proposer.ask() is None


@pytest.mark.parametrize(
    "candidates, error, match",
    [
        ([], ValueError, r"The 'candidates' parameter of ManualSearch must be a non-empty list"),
        (
            [{"C": 1.0}, "C=2"],
            TypeError,
            r"Each entry of the 'candidates' parameter of ManualSearch must be a dict.*"
            r"candidates\[1\]='C=2'",
        ),
        ([{1: 2.0}], TypeError, r"Parameter names in the 'candidates' parameter of ManualSearch"),
        (
            [{"C": 1.0}, {"not_a_param": 3}],
            ValueError,
            r"Invalid parameter 'not_a_param' in the search space of ManualSearch",
        ),
    ],
)
def test_invalid_candidates_are_rejected_before_any_fit(candidates, error, match):
    with pytest.raises(error, match=match):
        ManualSearch(SVC(), candidates, cv=3).fit(X, y)


def test_candidates_must_be_a_list():
    with pytest.raises(InvalidParameterError, match=r"The 'candidates' parameter of ManualSearch"):
        ManualSearch(SVC(), {"C": 1.0}).fit(X, y)


def test_registered_for_the_shared_contract_tests():
    from search_cases import SEARCH_CASES

    search = SEARCH_CASES["ManualSearch"](SVC(), {"C": [0.1, 1, 10], "kernel": ["rbf"]}, cv=3)
    assert isinstance(search, ManualSearch)
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 3
