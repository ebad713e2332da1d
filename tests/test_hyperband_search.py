"""HyperbandSearch: schedule followed, promotions, resources, best at full budget."""

import warnings
from collections import Counter

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_iris, make_classification
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import KFold, StratifiedKFold, check_cv
from sklearn.naive_bayes import GaussianNB
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from sktune import HyperbandSearch
from sktune.distributions import LogUniform, Uniform
from sktune.optimizers import HyperbandSchedule
from sktune.search.hyperband._resources import _subsample_positions, _SubsampledTrainCV


def _target(budget):
    # The best x moves with the budget, so the ranking at a small budget
    # differs from the one at the full budget.
    return 0.3 + 0.5 / budget


class Toy(ClassifierMixin, BaseEstimator):
    """Fits instantly; its score is a known function of (x, max_iter)."""

    def __init__(self, x=0.5, max_iter=1, fail_below=-1.0):
        self.x = x
        self.max_iter = max_iter
        self.fail_below = fail_below

    def fit(self, X, y):
        if self.x < self.fail_below:
            raise ValueError("toy failure")
        self.classes_ = np.unique(y)
        self.n_train_ = len(X)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y=None):
        return -((self.x - _target(self.max_iter)) ** 2)


class TrainSize(ClassifierMixin, BaseEstimator):
    """Scores the number of samples it was fitted on."""

    def __init__(self, x=0.5):
        self.x = x

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.n_train_ = len(X)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y=None):
        return float(self.n_train_)


class Incremental(ClassifierMixin, BaseEstimator):
    """Counts partial_fit calls; its score is 1000 * n_classes_seen + calls."""

    def __init__(self, x=0.5):
        self.x = x

    def partial_fit(self, X, y, classes=None):
        if not hasattr(self, "n_calls_"):
            self.n_calls_ = 0
            self.classes_ = np.asarray(classes)
        self.n_calls_ += 1
        return self

    def fit(self, X, y):
        raise AssertionError("resource='partial_fit' must not call fit")

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y=None):
        return 1000.0 * len(self.classes_) + self.n_calls_


X_SMALL, Y_SMALL = make_classification(40, 4, random_state=0)
X_IRIS, Y_IRIS = load_iris(return_X_y=True)
X_IRIS_STD = StandardScaler().fit_transform(X_IRIS)


def _toy_search(**kwargs):
    params = dict(resource="max_iter", min_resources=1, max_resources=81, cv=2, random_state=0)
    params.update(kwargs)
    return HyperbandSearch(Toy(), {"x": Uniform(0, 1)}, **params)


def _rows(search, **where):
    res = search.cv_results_
    mask = np.ones(len(res["params"]), dtype=bool)
    for key, value in where.items():
        mask &= np.asarray(res[key]) == value
    return np.flatnonzero(mask)


@pytest.fixture(scope="module")
def toy81():
    return _toy_search().fit(X_SMALL, Y_SMALL)


# the schedule ---------------------------------------------------------------------
def test_rung_sizes_follow_the_paper_table(toy81):
    schedule = HyperbandSchedule.from_resources(1, 81, 3)
    assert toy81.schedule_ == schedule
    assert toy81.n_candidates_ == [
        [81, 27, 9, 3, 1], [34, 11, 3, 1], [15, 5, 1], [8, 2], [5],
    ]
    assert toy81.n_resources_ == [
        [1, 3, 9, 27, 81], [3, 9, 27, 81], [9, 27, 81], [27, 81], [81],
    ]
    res = toy81.cv_results_
    counts = Counter(zip(res["bracket"], res["rung"], res["n_resources"]))
    expected = {
        (bracket.s, i, rung.n_resources): rung.n_candidates
        for bracket in schedule.brackets
        for i, rung in enumerate(bracket.rungs)
    }
    assert counts == expected
    # the parameter resource is set in every candidate
    assert all(p["max_iter"] == r for p, r in zip(res["params"], res["n_resources"]))


def test_r243_search_runs_six_brackets():
    search = _toy_search(max_resources=243).fit(X_SMALL, Y_SMALL)
    assert search.schedule_.n_brackets == 6
    assert len(search.n_candidates_) == 6
    assert search.n_candidates_[0] == [243, 81, 27, 9, 3, 1]


def test_promotion_keeps_exactly_the_best_1_over_eta(toy81):
    res = toy81.cv_results_
    keys = [p["x"] for p in res["params"]]
    scores = res["mean_test_score"]
    for bracket in toy81.schedule_.brackets:
        for i in range(len(bracket.rungs) - 1):
            here = _rows(toy81, bracket=bracket.s, rung=i)
            nxt = _rows(toy81, bracket=bracket.s, rung=i + 1)
            best = here[np.argsort(-scores[here], kind="stable")[: len(here) // 3]]
            assert len(nxt) == len(here) // 3
            assert sorted(keys[j] for j in nxt) == sorted(keys[j] for j in best)


def test_failed_candidates_rank_last():
    # x < 0.2 fails: those candidates score NaN and are never promoted
    search = HyperbandSearch(
        Toy(fail_below=0.2), {"x": Uniform(0, 1)}, resource="max_iter", min_resources=1,
        max_resources=27, cv=2, random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X_SMALL, Y_SMALL)
    res = search.cv_results_
    failed = np.isnan(res["mean_test_score"])
    assert failed[res["rung"] == 0].any()
    assert not failed[res["rung"] > 0].any()


def test_best_comes_from_the_largest_budget(toy81):
    res = toy81.cv_results_
    assert res["n_resources"][toy81.best_index_] == 81
    top = _rows(toy81, n_resources=81)
    assert toy81.best_score_ == res["mean_test_score"][top].max()
    # a smaller budget scored higher: the rule matters here
    assert res["mean_test_score"].max() > toy81.best_score_
    assert toy81.best_params_["max_iter"] == 81
    assert toy81.best_estimator_.max_iter == 81


def test_callable_refit_sees_every_row():
    search = _toy_search(max_resources=9, refit=lambda results: 0).fit(X_SMALL, Y_SMALL)
    assert search.best_index_ == 0
    assert search.cv_results_["n_resources"][0] == 1


def test_multimetric_refit_by_name():
    search = HyperbandSearch(
        LogisticRegression(), {"C": LogUniform(0.01, 10)}, scoring=["accuracy", "f1_macro"],
        refit="f1_macro", resource="max_iter", min_resources=3, max_resources=9, cv=3,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X_IRIS, Y_IRIS)
    res = search.cv_results_
    top = _rows(search, n_resources=9)
    assert search.best_index_ in top
    assert search.best_score_ == res["mean_test_f1_macro"][top].max()


# rounds and parallelism --------------------------------------------------------------
def test_one_worker_runs_brackets_in_the_paper_order(toy81):
    res = toy81.cv_results_
    order = [(bracket.s, i) for bracket in toy81.schedule_.brackets
             for i in range(len(bracket.rungs))]
    for k, (b, i) in enumerate(order):
        rows = _rows(toy81, iter=k)
        assert set(res["bracket"][rows]) == {b} and set(res["rung"][rows]) == {i}
    assert max(res["iter"]) == len(order) - 1


def test_idle_workers_get_rungs_of_other_brackets():
    with parallel_config("threading", n_jobs=8):
        search = _toy_search(max_resources=27).fit(X_SMALL, Y_SMALL)
    res = search.cv_results_
    # rounds of 2-fold fits on 8 workers, as HyperbandSchedule.rounds says
    rounds = search.schedule_.rounds(1, 8, 2)
    assert max(res["iter"]) == len(rounds) - 1
    for k, members in enumerate(rounds):
        rows = _rows(search, iter=k)
        assert sorted(set(zip(res["bracket"][rows], res["rung"][rows]))) == sorted(
            (search.schedule_.brackets[b].s, i) for _, b, i in members
        )
        assert len(set(res["n_resources"][rows])) == 1
    assert any(len(members) > 1 for members in rounds)
    # the same random candidates, whatever the number of workers
    alone = _toy_search(max_resources=27).fit(X_SMALL, Y_SMALL)

    def rows_of(s):
        r = s.cv_results_
        return sorted(zip(r["bracket"], r["rung"], [p["x"] for p in r["params"]]))

    assert rows_of(search) == rows_of(alone)


def test_iterations_run_one_after_the_other_with_one_worker():
    search = _toy_search(max_resources=9, n_iterations=2).fit(X_SMALL, Y_SMALL)
    assert len(search.n_candidates_) == 6
    assert max(search.cv_results_["iter"]) == 2 * 6 - 1
    # the second iteration's first bracket: the schedule's s=2 again
    assert list(search.cv_results_["bracket"][_rows(search, iter=6)]) == [2] * 9
    assert list(search.cv_results_["hyperband_iteration"][_rows(search, iter=6)]) == [1] * 9
    assert set(search.cv_results_["hyperband_iteration"][_rows(search, iter=5)]) == {0}


def _count_calls(search, X, y):
    calls = []
    original = search._make_proposer

    def spy(space, rng):
        proposer = original(space, rng)
        ask = proposer.ask

        def counted():
            batch = ask()
            if batch is not None:
                calls.append(len(batch.params))
            return batch

        proposer.ask = counted
        return proposer

    search._make_proposer = spy
    search.fit(X, y)
    return calls


def test_one_evaluate_call_per_round():
    calls = _count_calls(_toy_search(max_resources=27), X_SMALL, Y_SMALL)
    assert calls == [27, 9, 3, 1, 12, 4, 1, 6, 2, 4]


@pytest.mark.slow
def test_parallel_run_matches_sequential():
    kwargs = dict(cv=3, random_state=0, min_resources=30, max_resources=100)
    space = {"C": LogUniform(0.1, 100), "gamma": LogUniform(1e-3, 1)}
    one = HyperbandSearch(SVC(), space, n_jobs=1, **kwargs).fit(X_IRIS, Y_IRIS)
    two = HyperbandSearch(SVC(), space, n_jobs=2, **kwargs).fit(X_IRIS, Y_IRIS)
    assert one.cv_results_["params"] == two.cv_results_["params"]
    np.testing.assert_allclose(
        one.cv_results_["mean_test_score"], two.cv_results_["mean_test_score"]
    )


# n_samples resource --------------------------------------------------------------------
def test_n_samples_subsamples_training_folds_only():
    search = HyperbandSearch(
        TrainSize(), {"x": Uniform(0, 1)}, min_resources=10, max_resources=90,
        cv=StratifiedKFold(3), random_state=0,
    ).fit(X_IRIS, Y_IRIS)
    res = search.cv_results_
    # the estimator saw exactly n_resources training samples
    np.testing.assert_array_equal(res["mean_test_score"], res["n_resources"])
    assert search.max_resources_ == 90 and search.schedule_.budgets == (10, 30, 90)


def test_subsampled_splitter():
    y = np.array([0] * 60 + [1] * 30 + [2] * 10)
    X = np.zeros((100, 1))
    base = StratifiedKFold(5)
    small = list(_SubsampledTrainCV(base, 20, 7, True).split(X, y))
    large = list(_SubsampledTrainCV(base, 50, 7, True).split(X, y))
    again = list(_SubsampledTrainCV(base, 20, 7, True).split(X, y))
    for (tr_s, te_s), (tr_l, te_l), (tr_a, _), (tr, te) in zip(
        small, large, again, base.split(X, y)
    ):
        np.testing.assert_array_equal(te_s, te)  # test folds untouched
        np.testing.assert_array_equal(te_l, te)
        assert len(tr_s) == 20 and len(tr_l) == 50
        assert set(tr_s) <= set(tr_l) <= set(tr)  # nested subsamples of the fold
        np.testing.assert_array_equal(tr_s, tr_a)  # deterministic
    # stratified: class proportions 60/30/10 within two samples, for every
    # fold and seed (a plain random subsample misses this about a third of
    # the time per fold)
    for seed in range(10):
        for tr, _ in _SubsampledTrainCV(base, 40, seed, True).split(X, y):
            counts = np.bincount(y[tr], minlength=3)
            assert np.all(np.abs(counts - 40 * np.array([0.6, 0.3, 0.1])) <= 2), counts
    # a budget above the fold size keeps the whole fold
    for (tr_big, _), (tr, _) in zip(_SubsampledTrainCV(base, 500, 7, True).split(X, y),
                                    base.split(X, y)):
        np.testing.assert_array_equal(tr_big, tr)


def test_subsample_holds_every_class_once_it_can():
    labels = np.array([0] * 97 + [1, 2, 3])
    for seed in range(20):
        picked = _subsample_positions(100, 4, seed, labels)
        assert sorted(labels[picked]) == [0, 1, 2, 3]
    unstratified = _subsample_positions(100, 10, 0)
    assert len(set(unstratified)) == 10


def test_n_samples_defaults():
    search = HyperbandSearch(
        TrainSize(), {"x": Uniform(0, 1)}, cv=KFold(5), random_state=0
    ).fit(X_IRIS, Y_IRIS)
    assert search.max_resources_ == 120  # the largest training fold
    assert search.min_resources_ == 2 * 5 * 3  # scikit-learn's "smallest"
    big_X = np.zeros((5000, 1))
    big_y = np.arange(5000) % 2
    search = HyperbandSearch(TrainSize(), {"x": Uniform(0, 1)}, cv=KFold(2), random_state=0)
    search.fit(big_X, big_y)
    assert search.max_resources_ == 2500
    assert search.min_resources_ == 2500 // 81  # at most five brackets
    assert search.schedule_.n_brackets == 5


def test_n_samples_in_a_pipeline():
    pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())])
    search = HyperbandSearch(
        pipe, {"clf__C": LogUniform(0.01, 100)}, cv=3, random_state=0
    ).fit(X_IRIS, Y_IRIS)
    assert isinstance(search.best_estimator_, Pipeline)
    assert search.best_score_ > 0.9
    assert search.cv_results_["n_resources"][search.best_index_] == search.max_resources_


# parameter resource --------------------------------------------------------------------
def test_parameter_resource_in_a_pipeline():
    pipe = Pipeline([("scale", StandardScaler()), ("clf", SGDClassifier(random_state=0))])
    search = HyperbandSearch(
        pipe, {"clf__alpha": LogUniform(1e-5, 1e-1)}, resource="clf__max_iter",
        min_resources=1, max_resources=9, cv=3, random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X_IRIS, Y_IRIS)
    assert search.best_params_["clf__max_iter"] == 9
    assert search.best_estimator_.named_steps["clf"].max_iter == 9
    assert [p["clf__max_iter"] for p in search.cv_results_["params"]] == list(
        search.cv_results_["n_resources"]
    )


def test_parameter_resource_default_max_is_current_value():
    search = HyperbandSearch(
        Toy(max_iter=27), {"x": Uniform(0, 1)}, resource="max_iter", cv=2, random_state=0
    ).fit(X_SMALL, Y_SMALL)
    assert search.max_resources_ == 27 and search.min_resources_ == 1
    assert search.schedule_.n_brackets == 4


# partial_fit resource --------------------------------------------------------------------
def test_partial_fit_resource_counts_passes_with_all_classes():
    y = np.repeat([0, 1, 2], 10)
    X = np.zeros((30, 2))
    search = HyperbandSearch(
        Incremental(), {"x": Uniform(0, 1)}, resource="partial_fit", max_resources=9,
        cv=KFold(3), random_state=0,  # unshuffled: each training fold misses a class
    ).fit(X, y)
    res = search.cv_results_
    np.testing.assert_array_equal(res["mean_test_score"], 3000 + res["n_resources"])
    # the pass count is not a parameter of the user's estimator
    assert all(set(p) == {"x"} for p in res["params"])
    assert "param_partial_fit_epochs" not in res
    assert set(search.best_params_) == {"x"}
    assert type(search.best_estimator_) is Incremental
    assert search.best_estimator_.n_calls_ == 9
    assert search.predict(X[:2]).shape == (2,)
    assert isinstance(search.estimator, Incremental)  # the parameter is restored


def test_partial_fit_with_sgd():
    search = HyperbandSearch(
        SGDClassifier(random_state=0), {"alpha": LogUniform(1e-5, 1e-1)},
        resource="partial_fit", max_resources=9, cv=3, random_state=0,
    ).fit(X_IRIS_STD, Y_IRIS)
    # 9 passes over 150 samples, counted by SGD's own t_
    assert search.best_estimator_.t_ == 9 * 150 + 1
    assert search.best_score_ > 0.8
    assert search.score(X_IRIS_STD, Y_IRIS) > 0.8


# continued training with the partial_fit resource ---------------------------------------
PASSES = []  # (x, passes of the model so far) per partial_fit call, with n_jobs=1


class CountingIncremental(Incremental):
    """Incremental that logs its passes; fails from pass ``fail_at`` if x > fail_above."""

    def __init__(self, x=0.5, fail_at=None, fail_above=0.5):
        self.x = x
        self.fail_at = fail_at
        self.fail_above = fail_above

    def partial_fit(self, X, y, classes=None):
        super().partial_fit(X, y, classes=classes)
        PASSES.append((self.x, self.n_calls_))
        if self.fail_at is not None and self.x > self.fail_above and self.n_calls_ >= self.fail_at:
            raise ValueError("incremental failure")
        return self


def _partial_fit_search(estimator, space, continue_training=True, **kwargs):
    params = dict(resource="partial_fit", min_resources=1, max_resources=9, cv=3,
                  random_state=0)
    params.update(kwargs)
    search = HyperbandSearch(estimator, space, **params)
    search._continue_training = continue_training
    return search


def _assert_same_scores(a, b):
    ra, rb = a.cv_results_, b.cv_results_
    assert ra["params"] == rb["params"]
    keys = [k for k in ra if k.startswith(("split", "mean_test", "std_test", "rank_test"))]
    assert keys
    for key in keys + ["n_resources", "bracket", "rung"]:
        np.testing.assert_array_equal(ra[key], rb[key], err_msg=key)


@pytest.mark.parametrize("estimator, space", [
    (SGDClassifier(random_state=0), {"alpha": LogUniform(1e-5, 1e-1)}),
    (MLPClassifier(hidden_layer_sizes=(8,), batch_size=32, random_state=0),
     {"alpha": LogUniform(1e-5, 1e-1), "learning_rate_init": LogUniform(1e-3, 1e-1)}),
])
def test_continued_training_scores_equal_training_from_scratch(estimator, space):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # MLP's ConvergenceWarning
        continued = _partial_fit_search(estimator, space).fit(X_IRIS_STD, Y_IRIS)
        scratch = _partial_fit_search(estimator, space, continue_training=False).fit(
            X_IRIS_STD, Y_IRIS
        )
    _assert_same_scores(continued, scratch)
    # ...and a manual loop of partial_fit calls, for the best row (continued
    # from 1 and 3 passes in its bracket)
    res, best = continued.cv_results_, continued.best_index_
    assert res["n_resources"][best] == 9
    splits = check_cv(3, Y_IRIS, classifier=True).split(X_IRIS_STD, Y_IRIS)
    for s, (train, test) in enumerate(splits):
        model = clone(estimator).set_params(**res["params"][best])
        for k in range(9):
            model.partial_fit(X_IRIS_STD[train], Y_IRIS[train],
                              **({"classes": np.unique(Y_IRIS)} if k == 0 else {}))
        score = model.score(X_IRIS_STD[test], Y_IRIS[test])
        assert res[f"split{s}_test_score"][best] == score


def test_continued_training_runs_only_the_missing_passes():
    def passes(continue_training):
        PASSES.clear()
        search = _partial_fit_search(
            CountingIncremental(), {"x": Uniform(0, 1)}, continue_training, max_resources=27,
            cv=2, refit=False,  # the search's passes only
        ).fit(X_SMALL, Y_SMALL)
        return search, len(PASSES)

    continued, n_continued = passes(True)
    scratch, n_scratch = passes(False)
    _assert_same_scores(continued, scratch)
    # every model has exactly n_resources passes (its score is 2000 + passes)
    res = continued.cv_results_
    np.testing.assert_array_equal(res["mean_test_score"], 2000 + res["n_resources"])
    # R=27, eta=3, per split: 27@1 -> 9@3 -> 3@9 -> 1@27, 12@3 -> 4@9 -> 1@27,
    # 6@9 -> 2@27, 4@27 cost 423 passes from scratch and 357 continued
    schedule = continued.schedule_
    assert n_scratch == 2 * sum(
        r.n_candidates * r.n_resources for b in schedule.brackets for r in b.rungs
    ) == 2 * 423
    assert n_continued == 2 * 357


def test_continued_training_keeps_only_the_promoted_models():
    search = _partial_fit_search(CountingIncremental(), {"x": Uniform(0, 1)}, max_resources=27)
    original = search._make_proposer
    held = []

    def spy(space, rng):
        proposer = original(space, rng)
        tell = proposer.tell

        def checked(batch, scores):
            tell(batch, scores)
            # the batch's models are dropped; each bracket keeps one model per
            # split of each promoted candidate
            assert not batch.fitted_estimators and batch.init_estimators is None
            for run in proposer.runs:
                if run.models is not None:
                    assert len(run.models) == len(run.candidates)
                    assert all(len(m) == 3 for m in run.models)
            held.append(sum(len(run.models or []) for run in proposer.runs))

        proposer.tell = checked
        return proposer

    search._make_proposer = spy
    search.fit(X_SMALL, Y_SMALL)
    # 27 -> 9 -> 3 -> 1, 12 -> 4 -> 1, 6 -> 2, 4, one round each with one worker
    assert held == [9, 3, 1, 0, 4, 1, 0, 2, 0, 0]


@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
@pytest.mark.parametrize("fail_above", [0.5, -1.0])
def test_failed_partial_fit_is_not_continued(fail_above):
    # x > fail_above fails at its 3rd pass: fine at the first rung, NaN from
    # the second on. A failed fit has no model: if promoted anyway (all fail
    # with -1), it is trained from scratch, and fails again.
    search = _partial_fit_search(
        CountingIncremental(fail_at=3, fail_above=fail_above), {"x": Uniform(0, 1)},
        refit=fail_above > 0,
    )
    with pytest.warns(FitFailedWarning):
        search.fit(X_SMALL, Y_SMALL)
    res = search.cv_results_
    x = np.array([p["x"] for p in res["params"]])
    failed = np.isnan(res["mean_test_score"])
    np.testing.assert_array_equal(failed, (x > fail_above) & (res["n_resources"] >= 3))
    ok = ~failed
    np.testing.assert_array_equal(res["mean_test_score"][ok], 2000 + res["n_resources"][ok])
    if search.refit:
        assert search.best_params_["x"] <= fail_above


@pytest.mark.slow
def test_continued_training_does_not_depend_on_n_jobs():
    space = {"alpha": LogUniform(1e-5, 1e-1)}
    one = _partial_fit_search(SGDClassifier(random_state=0), space, n_jobs=1)
    two = _partial_fit_search(SGDClassifier(random_state=0), space, n_jobs=2)
    _assert_same_scores(one.fit(X_IRIS_STD, Y_IRIS), two.fit(X_IRIS_STD, Y_IRIS))


@pytest.mark.slow
def test_continued_training_resumes_from_a_checkpoint(tmp_path):
    # A search stopped early leaves some rungs in the checkpoint; their
    # candidates have no model and are trained from scratch when it resumes.
    space = {"alpha": LogUniform(1e-5, 1e-1)}
    kwargs = dict(max_resources=27, checkpoint=tmp_path / "hb.db")
    stopped = _partial_fit_search(SGDClassifier(random_state=0), space, n_iter_no_change=20,
                                  **kwargs).fit(X_IRIS_STD, Y_IRIS)
    assert stopped.stop_reason_ == "n_iter_no_change"
    n_stopped = len(stopped.cv_results_["params"])
    resumed = _partial_fit_search(SGDClassifier(random_state=0), space, **kwargs)
    resumed.fit(X_IRIS_STD, Y_IRIS)
    assert 0 < resumed.n_reused_ == n_stopped < len(resumed.cv_results_["params"])
    reference = _partial_fit_search(SGDClassifier(random_state=0), space, max_resources=27)
    _assert_same_scores(resumed, reference.fit(X_IRIS_STD, Y_IRIS))


def test_partial_fit_resource_refuses_a_pipeline():
    pipe = Pipeline([("scale", StandardScaler()), ("clf", SGDClassifier(random_state=0))])
    search = _partial_fit_search(pipe, {"clf__alpha": LogUniform(1e-5, 1e-1)})
    with pytest.raises(ValueError, match=r"can be 'partial_fit' only for an estimator with a "
                       r"partial_fit method; Pipeline has none"):
        search.fit(X_IRIS, Y_IRIS)


# the Bayesian sampler ---------------------------------------------------------------------
def test_bayes_sampler_learns_from_earlier_brackets():
    # The best x at the full budget is 0.3 + 0.5 / 27. The brackets of the
    # second iteration are proposed from the scores of the first; a batch of
    # GP proposals spreads out by design, so the test pools three seeds.
    def second_iteration_errors(sampler):
        errors = []
        for seed in range(3):
            search = _toy_search(
                max_resources=27, n_iterations=2, sampler=sampler, random_state=seed
            ).fit(X_SMALL, Y_SMALL)
            res = search.cv_results_
            rows = np.flatnonzero((res["hyperband_iteration"] == 1) & (res["rung"] == 0))
            errors += [abs(res["params"][j]["x"] - _target(27)) for j in rows]
        return np.array(errors)

    bayes, random = second_iteration_errors("bayes"), second_iteration_errors("random")
    assert len(bayes) == len(random) == 3 * (27 + 12 + 6 + 4)
    assert np.median(bayes) < 0.6 * np.median(random)


def test_bayes_sampler_models_log_axes_without_input_warps(monkeypatch):
    # the warps of BayesSearch made the Hyperband MLP benchmark worse
    import sktune.optimizers

    made = []

    class Spy(sktune.optimizers.BayesOptimizer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(sktune.optimizers, "BayesOptimizer", Spy)
    search = HyperbandSearch(
        Toy(), {"x": LogUniform(1e-3, 1.0)}, resource="max_iter", min_resources=1,
        max_resources=9, sampler="bayes", n_iterations=2, cv=2, random_state=0,
    ).fit(X_SMALL, Y_SMALL)
    assert made and all(not opt.input_warping for opt in made)
    assert all(tuple(opt.surrogate_.warped_features) == () for opt in made
               if opt.surrogate_ is not None)
    assert np.isfinite(search.best_score_)


def test_bayes_first_bracket_is_random():
    random = _toy_search(max_resources=9).fit(X_SMALL, Y_SMALL)
    bayes = _toy_search(max_resources=9, sampler="bayes").fit(X_SMALL, Y_SMALL)
    s_max = random.schedule_.s_max
    first = _rows(random, bracket=s_max, rung=0)
    assert [random.cv_results_["params"][j] for j in first] == [
        bayes.cv_results_["params"][j] for j in _rows(bayes, bracket=s_max, rung=0)
    ]


class ShapedToy(Toy):
    def __init__(self, x=0.5, max_iter=1, fail_below=-1.0, shape=(16,)):
        super().__init__(x=x, max_iter=max_iter, fail_below=fail_below)
        self.shape = shape


def test_bayes_sampler_with_tuple_choices():
    search = HyperbandSearch(
        ShapedToy(), {"x": Uniform(0, 1), "shape": [(16,), (32, 32)]}, resource="max_iter",
        min_resources=1, max_resources=9, sampler="bayes", cv=2, random_state=0,
    )
    search.fit(X_SMALL, Y_SMALL)
    assert {p["shape"] for p in search.cv_results_["params"]} <= {(16,), (32, 32)}


# reproducibility, verbosity, small spaces -------------------------------------------------
def test_same_seed_same_search():
    a = _toy_search(max_resources=27).fit(X_SMALL, Y_SMALL)
    b = _toy_search(max_resources=27).fit(X_SMALL, Y_SMALL)
    assert a.cv_results_["params"] == b.cv_results_["params"]
    c = _toy_search(max_resources=27, random_state=1).fit(X_SMALL, Y_SMALL)
    assert a.cv_results_["params"] != c.cv_results_["params"]


def test_verbose_prints_rounds(capsys):
    _toy_search(max_resources=9, verbose=1).fit(X_SMALL, Y_SMALL)
    out = capsys.readouterr().out
    assert "[HyperbandSearch] round 0: 9 candidates at n_resources=1 x 2 folds" in out
    assert "[HyperbandSearch] round 2: 1 candidate at n_resources=9 x 2 folds" in out


def test_small_finite_space_warns_once_and_still_halves():
    search = HyperbandSearch(
        Toy(), {"x": [0.1, 0.35, 0.9]}, resource="max_iter", min_resources=1,
        max_resources=27, cv=2, random_state=0,
    )
    with pytest.warns(UserWarning, match="holds only 3 distinct candidates") as record:
        search.fit(X_SMALL, Y_SMALL)
    assert sum("distinct candidates" in str(w.message) for w in record) == 1
    assert search.n_candidates_[0] == [3, 1, 1, 1]


class _WarningUniform(Uniform):
    """A user's distribution whose draws warn (a deprecation in its own code, say)."""

    def rvs(self, size=None, random_state=None):
        warnings.warn("a warning of the distribution's own", RuntimeWarning)
        return super().rvs(size=size, random_state=random_state)


def test_a_warning_raised_while_drawing_reaches_the_user_as_it_is():
    # The proposer used to record every warning raised while drawing and say
    # instead that the space was small: an infinite space was said to hold 9.
    search = _toy_search(max_resources=9)
    search.set_params(param_distributions={"x": _WarningUniform(0, 1)})
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        search.fit(X_SMALL, Y_SMALL)
    messages = [(w.category, str(w.message)) for w in record]
    assert (RuntimeWarning, "a warning of the distribution's own") in messages
    assert not [m for _, m in messages if "distinct candidates" in m]
    assert search.n_candidates_[0] == [9, 3, 1]


# run controls shared by every search -----------------------------------------------------
def test_checkpoint_resumes_without_refitting(tmp_path):
    path = tmp_path / "hyperband.db"
    kwargs = dict(min_resources=10, max_resources=90, cv=StratifiedKFold(3),
                  random_state=0, checkpoint=path)
    first = HyperbandSearch(TrainSize(), {"x": Uniform(0, 1)}, **kwargs).fit(X_IRIS, Y_IRIS)
    again = HyperbandSearch(TrainSize(), {"x": Uniform(0, 1)}, **kwargs).fit(X_IRIS, Y_IRIS)
    assert first.n_reused_ == 0
    assert again.n_reused_ == len(first.cv_results_["params"])
    assert again.cv_results_["params"] == first.cv_results_["params"]
    np.testing.assert_array_equal(
        again.cv_results_["n_resources"], first.cv_results_["n_resources"]
    )


def test_early_stop_takes_the_best_at_the_largest_budget_reached():
    # stops inside the first rung: every row has budget 1
    search = _toy_search(max_resources=27, n_iter_no_change=1).fit(X_SMALL, Y_SMALL)
    res = search.cv_results_
    assert search.stop_reason_ == "n_iter_no_change"
    assert set(res["n_resources"]) == {1} and len(res["params"]) < 27
    assert search.best_score_ == np.nanmax(res["mean_test_score"])
    assert search.best_params_["max_iter"] == 1


# errors -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"eta": 1}, ValueError, r"The 'eta' parameter of HyperbandSearch must be an int in "
         r"the range \[2, inf\)\. Got 1 instead"),
        ({"eta": True}, TypeError, r"The 'eta' parameter of HyperbandSearch must be an int in "
         r"the range \[2, inf\)\. Got True instead"),
        ({"n_iterations": 0}, ValueError, r"The 'n_iterations' parameter of HyperbandSearch "
         r"must be an int in the range \[1, inf\)"),
        ({"sampler": "tpe"}, ValueError, r"The 'sampler' parameter of HyperbandSearch must be "
         r"a str among"),
        ({"min_resources": 0}, ValueError, r"The 'min_resources' parameter of HyperbandSearch "
         r"must be an int in the range \[1, inf\) or None"),
        ({"max_resources": False}, TypeError, r"The 'max_resources' parameter of "
         r"HyperbandSearch must be an int in the range \[1, inf\) or None\. Got False"),
        ({"resource": 3}, ValueError, r"The 'resource' parameter of HyperbandSearch must be "
         r"an instance of 'str'"),
        ({"resource": "max_iter", "min_resources": 10, "max_resources": 5}, ValueError,
         r"The 'min_resources' parameter of HyperbandSearch must be at most max_resources "
         r"\(5\)\. Got 10 instead"),
        ({"resource": "n_iter"}, ValueError, r"The 'resource' parameter of HyperbandSearch "
         r"must be 'n_samples', 'partial_fit' or the name of a parameter of Toy\. Got "
         r"'n_iter' instead"),
        ({"resource": "x", "max_resources": 9}, ValueError, r"The 'resource' parameter of "
         r"HyperbandSearch is 'x', which is also searched in param_distributions"),
        ({"max_resources": 100, "cv": 2}, ValueError, r"The 'max_resources' parameter of "
         r"HyperbandSearch must be at most the number of samples in the largest training "
         r"fold \(20\) with resource='n_samples'\. Got 100 instead"),
        ({"resource": "fail_below"}, ValueError, r"The 'max_resources' parameter of "
         r"HyperbandSearch must be set when the current value of 'fail_below' is not an int "
         r">= 1\. Got None instead, and Toy has fail_below=-1\.0"),
        ({"resource": "partial_fit", "max_resources": 9}, ValueError, r"The 'resource' "
         r"parameter of HyperbandSearch can be 'partial_fit' only for an estimator with a "
         r"partial_fit method; Toy has none"),
    ],
)
def test_invalid_settings(kwargs, error, match):
    search = HyperbandSearch(Toy(), {"x": Uniform(0, 1)}, **kwargs)
    with pytest.raises(error, match=match):
        search.fit(X_SMALL, Y_SMALL)


def test_partial_fit_needs_max_resources():
    search = HyperbandSearch(Incremental(), {"x": Uniform(0, 1)}, resource="partial_fit")
    with pytest.raises(ValueError, match=r"The 'max_resources' parameter of HyperbandSearch "
                       r"must be set with resource='partial_fit'.*max_resources=27"):
        search.fit(X_SMALL, Y_SMALL)


# scikit-learn's estimator checks ----------------------------------------------------------
@pytest.mark.slow
@parametrize_with_checks(
    [
        HyperbandSearch(
            SGDClassifier(random_state=0), {"alpha": LogUniform(1e-4, 1.0)}, cv=3,
            random_state=0,
        ),
        HyperbandSearch(
            SGDClassifier(random_state=0), {"alpha": LogUniform(1e-4, 1.0)},
            resource="max_iter", min_resources=1, max_resources=3, cv=3, random_state=0,
        ),
        HyperbandSearch(
            GaussianNB(), {"var_smoothing": LogUniform(1e-10, 1e-6)}, resource="partial_fit",
            max_resources=3, cv=3, random_state=0,
        ),
    ]
)
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)
