"""One fit context per fit: folds split once, no side channels, conventions of peers.

Each test here failed before the fit context existed (sktune 0.1.0.dev0 at
d4d4440): shuffling splitters were split again every round, so a model
continued by Hyperband trained on rows of its own test fold.
"""

import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_iris
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import KFold, ShuffleSplit, StratifiedShuffleSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sktune import (
    BayesSearch,
    GridSearch,
    HyperbandSearch,
    ManualSearch,
    RandomSearch,
    format_leaderboard,
    leaderboard,
)
from sktune.distributions import LogUniform, Uniform

X_IRIS, Y_IRIS = load_iris(return_X_y=True)
# column 0 is each row's id, so an estimator can tell which rows it sees
X_IDS = np.column_stack([np.arange(len(X_IRIS)), X_IRIS])

# what every fitted model reported, across the clones the search makes
LEAKS, TEST_FOLDS = [], set()


class RowRecorder(ClassifierMixin, BaseEstimator):
    """Remembers the ids of the rows it was trained on; flags any it is scored on."""

    def __init__(self, alpha=0.5, max_iter=1):
        self.alpha = alpha
        self.max_iter = max_iter

    def _train(self, X, y):
        ids = set(np.asarray(X)[:, 0].astype(int).tolist())
        self.seen_ = getattr(self, "seen_", set()) | ids
        self.classes_ = np.unique(y)
        self.majority_ = np.bincount(np.asarray(y, dtype=int)).argmax()
        return self

    def fit(self, X, y):
        self.seen_ = set()
        return self._train(X, y)

    def partial_fit(self, X, y, classes=None):
        return self._train(X, y)

    def predict(self, X):
        ids = np.asarray(X)[:, 0].astype(int)
        if len(ids) < len(X_IDS):  # the refit predicts nothing; CV scores test folds
            TEST_FOLDS.add(tuple(sorted(ids.tolist())))
            LEAKS.extend(sorted(self.seen_ & set(ids.tolist())))
        # a score that depends on alpha, so the schedule has something to rank
        return np.full(len(ids), self.majority_ if self.alpha < 0.5 else 0)


SPLITTERS = {
    "KFold(shuffle=True)": lambda: KFold(3, shuffle=True),
    "ShuffleSplit()": lambda: ShuffleSplit(3, test_size=0.3),
    "StratifiedShuffleSplit()": lambda: StratifiedShuffleSplit(3, test_size=0.3),
}
RESOURCES = {
    "partial_fit": dict(resource="partial_fit", max_resources=9),
    "max_iter": dict(resource="max_iter", max_resources=9),
    "n_samples": dict(resource="n_samples"),
}


@pytest.fixture(autouse=True)
def _reset_records():
    LEAKS.clear()
    TEST_FOLDS.clear()
    yield


@pytest.mark.parametrize("asynchronous", [False, True], ids=["rounds", "asha"])
@pytest.mark.parametrize("splitter", SPLITTERS)
@pytest.mark.parametrize("resource", RESOURCES)
def test_hyperband_never_scores_a_model_on_rows_it_trained_on(splitter, resource, asynchronous):
    # no random_state on the splitter, as many users write it
    search = HyperbandSearch(
        RowRecorder(), {"alpha": Uniform(0, 1)}, cv=SPLITTERS[splitter](),
        min_resources=1 if resource != "n_samples" else 20, random_state=0,
        asynchronous=asynchronous, **RESOURCES[resource],
    )
    search.fit(X_IDS, Y_IRIS)
    assert LEAKS == []
    # every round scored the same three folds
    assert len(TEST_FOLDS) == 3


@pytest.mark.parametrize("splitter", SPLITTERS)
def test_bayes_rounds_are_scored_on_the_same_folds(splitter):
    search = BayesSearch(
        RowRecorder(), {"alpha": Uniform(0, 1)}, n_iter=6, n_initial_points=2,
        cv=SPLITTERS[splitter](), random_state=0,
    )
    search.fit(X_IDS, Y_IRIS)
    assert max(search.cv_results_["iter"]) >= 3
    assert len(TEST_FOLDS) == 3 and LEAKS == []


@pytest.mark.parametrize("cls, kwargs", [
    (BayesSearch, dict(n_iter=4, n_initial_points=2)),
    (HyperbandSearch, dict(resource="max_iter", max_resources=9)),
])
def test_a_generator_as_cv_serves_every_round(cls, kwargs):
    # a generator can be iterated once: it is split once, for every round
    cv = (split for split in KFold(3).split(X_IDS))
    search = cls(RowRecorder(), {"alpha": Uniform(0, 1)}, cv=cv, random_state=0, **kwargs)
    search.fit(X_IDS, Y_IRIS)
    assert search.n_splits_ == 3 and len(TEST_FOLDS) == 3


@pytest.mark.parametrize("cls", [BayesSearch, RandomSearch, HyperbandSearch, GridSearch])
@pytest.mark.parametrize("cv", [iter([]), []], ids=["exhausted iterator", "empty list"])
def test_an_empty_cv_iterator_gets_scikit_learns_message(cls, cv):
    kwargs = {"resource": "max_iter", "max_resources": 9} if cls is HyperbandSearch else {}
    search = cls(RowRecorder(), {"alpha": [0.1, 0.9]}, cv=cv, **kwargs)
    with pytest.raises(ValueError, match=r"No fits were performed\. Was the CV iterator empty\?"):
        search.fit(X_IDS, Y_IRIS)


@pytest.mark.parametrize("cls", [BayesSearch, RandomSearch])
def test_an_empty_space_evaluates_the_default_candidate(cls):
    with pytest.warns(UserWarning, match="holds only 1 distinct candidates"):
        search = cls(SVC(), {}, n_iter=5, cv=3, random_state=0).fit(X_IRIS, Y_IRIS)
    assert search.cv_results_["params"] == [{}]
    assert search.best_params_ == {} and search.best_score_ > 0.9


def test_partial_fit_takes_the_users_classes():
    classes = np.unique(Y_IRIS)
    search = HyperbandSearch(
        SGDClassifier(random_state=0), {"alpha": LogUniform(1e-5, 1e-1)},
        resource="partial_fit", max_resources=9, cv=3, random_state=0,
    )
    search.fit(X_IRIS, Y_IRIS, classes=classes)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert list(search.best_estimator_.classes_) == list(classes)
    # the same scores as letting the search find the classes itself
    alone = HyperbandSearch(
        SGDClassifier(random_state=0), {"alpha": LogUniform(1e-5, 1e-1)},
        resource="partial_fit", max_resources=9, cv=3, random_state=0,
    ).fit(X_IRIS, Y_IRIS)
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"], alone.cv_results_["mean_test_score"]
    )


@pytest.mark.parametrize("resource", RESOURCES)
def test_the_estimator_parameter_is_never_swapped_and_no_state_is_left(resource):
    estimator = RowRecorder()
    search = HyperbandSearch(
        estimator, {"alpha": Uniform(0, 1)}, cv=3, random_state=0,
        min_resources=1 if resource != "n_samples" else 20, **RESOURCES[resource],
    )
    search.fit(X_IDS, Y_IRIS)
    assert search.estimator is estimator
    leftovers = {"_fit_seed", "_stop", "_base_cv", "_recorded"} & set(vars(search))
    assert leftovers == set()


# results that never mislead ---------------------------------------------------------
def _hyperband(resource):
    space = {"alpha": LogUniform(1e-5, 1e-1)}
    if resource == "n_samples":
        return HyperbandSearch(SGDClassifier(random_state=0), space, cv=3, random_state=0,
                               min_resources=30)
    if resource == "max_iter":
        return HyperbandSearch(SGDClassifier(random_state=0, tol=None), space, cv=3,
                               resource="max_iter", max_resources=27, random_state=0)
    return HyperbandSearch(SGDClassifier(random_state=0), space, cv=3,
                           resource="partial_fit", max_resources=27, random_state=0)


@pytest.fixture(scope="module")
def hyperbands():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SGD's ConvergenceWarning at small budgets
        return {r: _hyperband(r).fit(X_IRIS, Y_IRIS) for r in RESOURCES}


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.slow
def test_the_leaderboards_first_row_is_best_params(hyperbands, resource):
    search = hyperbands[resource]
    table = leaderboard(search)
    assert table.index[0] == search.best_index_
    assert table.iloc[0]["alpha"] == search.best_params_["alpha"]
    assert table.iloc[0]["mean_score"] == search.best_score_
    # only full-budget rows by default; every row on request
    assert set(table["n_resources"]) == {search.max_resources_}
    every = leaderboard(search, top=None, budgets="all")
    assert len(every) == len(search.cv_results_["params"])
    first_line = format_leaderboard(search).splitlines()[1]
    assert first_line.split()[0] == "1" and repr(search.best_params_["alpha"])[:6] in first_line


def test_a_bad_budgets_value_is_refused(hyperbands):
    with pytest.raises(ValueError, match=r"The 'budgets' parameter of leaderboard must be"):
        leaderboard(hyperbands["max_iter"], budgets="some")


def test_bracket_labels_are_the_schedules_s(hyperbands):
    search = hyperbands["max_iter"]
    res = search.cv_results_
    schedule = search.schedule_
    for bracket in schedule.brackets:
        rows = res["bracket"] == bracket.s
        assert sorted(set(res["n_resources"][rows])) == [r.n_resources for r in bracket.rungs]
        assert f"s={bracket.s}: {bracket.rungs[0].n_candidates}@" in str(schedule)
    assert set(res["hyperband_iteration"]) == {0}


def test_the_printed_schedule_says_where_budgets_start():
    search = HyperbandSearch(SVC(), {"C": LogUniform(1e-2, 1e2)}, resource="max_iter",
                             min_resources=60, max_resources=1200)
    search.fit(X_IRIS, Y_IRIS)
    assert search.schedule_.budgets[0] == 133
    assert "budgets from 133" in str(search.schedule_).splitlines()[0]


# validation parity with the command line -----------------------------------------------
PIPE = make_pipeline(StandardScaler(), SVC())


@pytest.mark.parametrize("cls, kwargs", [
    (GridSearch, {}), (RandomSearch, {"n_iter": 2}), (BayesSearch, {"n_iter": 2}),
])
def test_a_value_the_estimator_forbids_fails_before_any_fit(cls, kwargs, tmp_path):
    path = tmp_path / "search.db"
    search = cls(PIPE, {"svc__kernel": ["rbf", "rbff"]}, cv=3, checkpoint=str(path), **kwargs)
    with pytest.raises(ValueError, match=r"Invalid value 'rbff' for parameter 'svc__kernel' in "
                       rf"the search space of {cls.__name__} \(did you mean 'rbf'\?\)"):
        search.fit(X_IRIS, Y_IRIS)
    assert not path.exists()


def test_a_manual_candidate_the_estimator_forbids_fails_before_any_fit():
    with pytest.raises(ValueError, match=r"Invalid value -1 for parameter 'svc__degree'"):
        ManualSearch(PIPE, [{"svc__degree": -1}], cv=3).fit(X_IRIS, Y_IRIS)


def test_a_misspelled_name_gets_a_did_you_mean(tmp_path):
    path = tmp_path / "search.db"
    search = RandomSearch(PIPE, {"svc__gama": LogUniform(1e-3, 1)}, cv=3, checkpoint=str(path))
    with pytest.raises(ValueError, match=r"'svc__gama' .* \(did you mean 'svc__gamma'\?\)"):
        search.fit(X_IRIS, Y_IRIS)
    assert not path.exists()


def test_a_resource_of_a_pipeline_step_is_suggested():
    pipe = make_pipeline(StandardScaler(), SGDClassifier())
    search = HyperbandSearch(pipe, {"sgdclassifier__alpha": LogUniform(1e-5, 1e-1)},
                             resource="max_iter", max_resources=9)
    with pytest.raises(ValueError, match=r"Got 'max_iter' instead \(did you mean "
                       r"'sgdclassifier__max_iter'\?\)"):
        search.fit(X_IRIS, Y_IRIS)


def test_a_resource_in_the_space_fails_before_the_checkpoint_is_created(tmp_path):
    path = tmp_path / "search.db"
    search = HyperbandSearch(SGDClassifier(), {"max_iter": [5, 10]}, resource="max_iter",
                             max_resources=9, checkpoint=str(path))
    with pytest.raises(ValueError, match=r"also searched in param_distributions"):
        search.fit(X_IRIS, Y_IRIS)
    assert not path.exists()


def test_the_report_and_the_cli_rank_the_full_budget(hyperbands, tmp_path, capsys):
    from sktune.cli import main
    from sktune.report import render_html

    search = hyperbands["max_iter"]
    page = render_html(search)
    best = page.split("<h2>Best candidate</h2>")[1].split("</table>")[0]
    assert f"<pre>{search.best_index_}</pre>" in best
    assert f"{search.best_score_:.4f}" in best
    assert "evaluations at the largest budget" in page

    path = str(tmp_path / "hb.db")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = _hyperband("max_iter").set_params(checkpoint=path).fit(X_IRIS, Y_IRIS)
    capsys.readouterr()
    assert main(["show", path]) == 0
    rows = capsys.readouterr().out.strip().splitlines()
    header = rows[1].split()
    first = dict(zip(header, rows[2].split()))
    assert first["rank"] == "1" and first["mean_score"] == f"{fitted.best_score_:.4f}"
    assert first["n_resources"] == str(fitted.max_resources_)
    assert main(["show", path, "--all-budgets", "--top", "100"]) == 0
    every = capsys.readouterr().out.strip().splitlines()
    assert len(every) - 2 == len(fitted.cv_results_["params"])
