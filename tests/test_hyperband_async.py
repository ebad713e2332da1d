"""HyperbandSearch(asynchronous=True): asynchronous successive halving (ASHA, Li et al. 2020)."""

import threading
import time
import warnings

import joblib
import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.estimator_checks import parametrize_with_checks
from test_hyperband_search import (
    PASSES,
    X_IRIS,
    X_IRIS_STD,
    X_SMALL,
    Y_IRIS,
    Y_SMALL,
    CountingIncremental,
    Toy,
    TrainSize,
    _assert_same_scores,
    _partial_fit_search,
)

from sktune import HyperbandSearch, leaderboard
from sktune.distributions import LogUniform, Uniform
from sktune.optimizers import AsyncHyperbandPlan, HyperbandSchedule


# the plan -------------------------------------------------------------------------------
def _plan(min_resources=1, max_resources=9, eta=3, n_iterations=1):
    schedule = HyperbandSchedule.from_resources(min_resources, max_resources, eta)
    return AsyncHyperbandPlan(schedule, n_iterations)


def test_a_rung_promotes_its_top_third_of_finished_results_once_each():
    plan = _plan()
    jobs = [plan.next_job() for _ in range(6)]
    assert [(j.rung, j.candidate) for j in jobs] == [(0, c) for c in range(6)]
    for job, score in zip(jobs, [0.1, 0.5, np.nan, 0.9, 0.2, 0.3]):
        plan.report(job, score)
    # 6 finished: the top 2 (0.9 then 0.5) go on, the best first, then new ones start
    promoted = [plan.next_job() for _ in range(3)]
    assert [(j.rung, j.candidate, j.n_resources) for j in promoted[:2]] == [(1, 3, 3), (1, 1, 3)]
    assert (promoted[2].rung, promoted[2].candidate) == (0, 6)


def test_the_highest_rung_is_promoted_first():
    plan = _plan()
    first = [plan.next_job() for _ in range(9)]
    for k, job in enumerate(first):
        plan.report(job, float(k))
    up = [plan.next_job() for _ in range(3)]  # candidates 8, 7, 6 at budget 3
    assert [(j.rung, j.candidate) for j in up] == [(1, 8), (1, 7), (1, 6)]
    for job, score in zip(up, [3.0, 2.0, 1.0]):
        plan.report(job, score)
    # rung 1 has three results: its best goes to the top rung before anything else
    top = plan.next_job()
    assert (top.run, top.rung, top.candidate, top.n_resources) == (0, 2, 8, 9)


def test_new_configurations_fill_each_bracket_in_the_papers_order():
    plan = _plan()
    jobs = [plan.next_job() for _ in range(9 + 5 + 3)]  # nothing reported: all new
    assert [(j.run, j.n_resources) for j in jobs] == [(0, 1)] * 9 + [(1, 3)] * 5 + [(2, 9)] * 3
    # every configuration has started and nothing can be promoted: the search ends
    assert plan.next_job() is None


def test_the_jobs_stop_once_the_synchronous_budget_is_spent():
    plan = _plan(n_iterations=2)
    spent = 0
    while (job := plan.next_job()) is not None:
        spent += job.n_resources
        plan.report(job, float(job.candidate))
    assert plan.total_resources == 2 * plan.schedule.total_resources
    # it stops at the first job that reaches the total
    assert plan.total_resources <= spent < plan.total_resources + plan.schedule.max_resources


def test_a_small_space_lowers_the_quota():
    plan = _plan()
    plan.set_quota(0, 2)
    runs = [plan.next_job().run for _ in range(3)]
    assert runs == [0, 0, 1]


def test_a_candidate_written_off_by_may_promote_is_never_promoted():
    plan = _plan(max_resources=27, n_iterations=2)
    rng = np.random.RandomState(0)
    written_off, n_promotions = set(), 0
    while (job := plan.next_job()) is not None:
        if job.rung > 0:
            assert (job.run, job.rung - 1, job.candidate) not in written_off
            n_promotions += 1
        plan.report(job, rng.uniform() if rng.uniform() > 0.1 else np.nan)
        if plan.resources_started >= plan.total_resources:
            continue  # the end writes off every candidate
        for r, bracket in enumerate(plan._brackets):
            for k in range(len(bracket.rungs) - 1):
                for c, _ in plan._finished[r][k]:
                    if c not in plan._promoted[r][k] and not plan.may_promote(r, k, c):
                        written_off.add((r, k, c))
    assert n_promotions > 20
    # most finished candidates are written off before the budget ends
    assert len(written_off) > n_promotions


def _kept_models_under_asha(n_iterations):
    """Most fold models an asynchronous proposer held at once, and its promotions without one."""
    from sktune.search import AsyncHyperbandProposer
    from sktune.space import SearchSpace

    schedule = HyperbandSchedule.from_resources(1, 27, eta=3)
    proposer = AsyncHyperbandProposer(
        SearchSpace({"x": Uniform(0, 1)}), schedule, "max_iter", np.random.RandomState(0),
        n_iterations=n_iterations, continue_training=True,
    )
    rng = np.random.RandomState(1)
    running, most, cold_promotions = [], 0, 0
    while True:
        # four workers: a random one of the running evaluations finishes first
        while len(running) < 4 and (batch := proposer.ask()) is not None:
            cold_promotions += batch.more_results["rung"][0] > 0 and not batch.init_estimators
            running.append(batch)
        if not running:
            return most, cold_promotions, len(proposer._models)
        batch = running.pop(rng.randint(len(running)))
        if batch.fitted_estimators is not None:
            batch.fitted_estimators[0] = [object(), object(), object()]
        proposer.tell(batch, [rng.uniform()])
        most = max(most, len(proposer._models))


def test_asynchronous_continued_training_keeps_only_promotable_models():
    one_most, one_cold, one_left = _kept_models_under_asha(1)
    four_most, four_cold, four_left = _kept_models_under_asha(4)
    # every promotion continues a kept model, and nothing is held at the end
    assert one_cold == four_cold == 0
    assert one_left == four_left == 0
    # a bracket's rung 0 of 27 promotes at most 9: far fewer are kept than
    # finished, and four times the iterations does not keep four times more
    assert one_most <= 9 + 3 + 1 + 4
    assert four_most <= one_most + 4


def test_bad_plan_arguments_are_refused():
    with pytest.raises(TypeError, match="'schedule' argument of AsyncHyperbandPlan"):
        AsyncHyperbandPlan("R=9")
    with pytest.raises(ValueError, match="'n_iterations' argument of AsyncHyperbandPlan"):
        _plan(n_iterations=0)


# the search -----------------------------------------------------------------------------
class Slow(ClassifierMixin, BaseEstimator):
    """Toy's score; ``x`` above ``slow_above`` sleeps ``slow`` s, others 10 ms. Logs each fit."""

    LOG: list = []
    LOCK = threading.Lock()

    def __init__(self, x=0.5, max_iter=1, slow_above=2.0, slow=1.0):
        self.x = x
        self.max_iter = max_iter
        self.slow_above = slow_above
        self.slow = slow

    def fit(self, X, y):
        start = time.monotonic()
        time.sleep(self.slow if self.x > self.slow_above else 0.01)
        with self.LOCK:
            self.LOG.append((self.x, self.max_iter, start, time.monotonic()))
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y=None):
        return Toy(self.x, self.max_iter).score(X, y)


@pytest.fixture(autouse=True)
def _clear_log():
    Slow.LOG.clear()


def _search(asynchronous=True, **kwargs):
    params = dict(resource="max_iter", min_resources=1, max_resources=27, cv=2,
                  random_state=0, asynchronous=asynchronous)
    estimator = Slow(**{k: kwargs.pop(k) for k in ("slow_above", "slow") if k in kwargs})
    return HyperbandSearch(estimator, {"x": Uniform(0, 1)}, **{**params, **kwargs})


@pytest.mark.parametrize("asynchronous", [False, True])
def test_free_workers_go_on_while_a_slow_fit_runs(asynchronous):
    search = _search(asynchronous, slow_above=0.9, slow=2.0, n_jobs=4, refit=False)
    with joblib.parallel_backend("threading"):
        search.fit(X_SMALL, Y_SMALL)
    slow_start, slow_end, budget = min(
        (start, end, max_iter) for x, max_iter, start, end in Slow.LOG if x > 0.9
    )
    # evaluations at larger budgets that started while the slow fit ran
    meanwhile = [x for x, max_iter, start, _ in Slow.LOG
                 if slow_start < start < slow_end and max_iter > budget]
    if asynchronous:
        # the other workers went on promoting and starting candidates
        assert len(meanwhile) >= 10
    else:
        # the round (the rung at its budget) waits for its slowest fit
        assert meanwhile == []


def test_cv_results_keep_the_synchronous_columns_and_the_best_is_at_full_budget():
    with joblib.parallel_backend("threading"):
        sync = _search(False, n_jobs=2).fit(X_SMALL, Y_SMALL)
        asha = _search(True, n_jobs=2).fit(X_SMALL, Y_SMALL)
    assert set(asha.cv_results_) == set(sync.cv_results_)
    res = asha.cv_results_
    for column in ("iter", "bracket", "hyperband_iteration", "rung", "n_resources"):
        assert len(res[column]) == len(res["params"])
    # each evaluation is a round of its own
    assert sorted(res["iter"].tolist()) == list(range(len(res["params"])))
    assert res["n_resources"][asha.best_index_] == asha.max_resources_ == 27
    full = np.flatnonzero(res["n_resources"] == 27)
    assert asha.best_score_ == np.nanmax(res["mean_test_score"][full])
    table = leaderboard(asha)
    assert table["x"].iloc[0] == asha.best_params_["x"] and table["n_resources"].iloc[0] == 27
    # the budget parameter is the row's budget; the bracket's rungs in order
    assert all(p["max_iter"] == n for p, n in zip(res["params"], res["n_resources"]))
    assert asha.n_resources_[0] == [1, 3, 9, 27]
    assert sum(sum(counts) for counts in asha.n_candidates_) == len(res["params"])


def test_the_same_configurations_and_budget_as_the_synchronous_mode():
    # one worker: ASHA fits one at a time, so every bracket's rungs promote as
    # the synchronous ones would, the same configurations drawn from the seed
    sync = _search(False).fit(X_SMALL, Y_SMALL)
    asha = _search(True).fit(X_SMALL, Y_SMALL)
    first = {p["x"] for p, r in zip(sync.cv_results_["params"], sync.cv_results_["rung"]) if r == 0}
    started = {p["x"] for p, r in zip(asha.cv_results_["params"], asha.cv_results_["rung"])
               if r == 0}
    assert started <= first
    spent = int(asha.cv_results_["n_resources"].sum())
    total = asha.schedule_.total_resources
    assert total <= spent < total + asha.max_resources_
    assert asha.best_params_["max_iter"] == 27


def test_synchronous_stays_the_default_and_unchanged():
    kwargs = dict(resource="max_iter", min_resources=1, max_resources=27, cv=2, random_state=0)
    default = HyperbandSearch(Toy(), {"x": Uniform(0, 1)}, **kwargs)
    explicit = HyperbandSearch(Toy(), {"x": Uniform(0, 1)}, asynchronous=False, **kwargs)
    assert default.asynchronous is False
    _assert_same_scores(default.fit(X_SMALL, Y_SMALL), explicit.fit(X_SMALL, Y_SMALL))
    # in rounds: a round holds many evaluations
    assert len(set(default.cv_results_["iter"].tolist())) < len(default.cv_results_["iter"])


def test_n_samples_trains_each_evaluation_on_its_budget_of_its_own_folds():
    search = HyperbandSearch(
        TrainSize(), {"x": Uniform(0, 1)}, min_resources=10, max_resources=90,
        cv=StratifiedKFold(3), random_state=0, asynchronous=True, n_jobs=2,
    )
    with joblib.parallel_backend("threading"):
        search.fit(X_IRIS, Y_IRIS)
    res = search.cv_results_
    np.testing.assert_array_equal(res["mean_test_score"], res["n_resources"])
    assert set(res["n_resources"].tolist()) == {10, 30, 90}


def test_continued_training_scores_equal_training_from_scratch():
    space = {"alpha": LogUniform(1e-5, 1e-1)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        continued = _partial_fit_search(SGDClassifier(random_state=0), space,
                                        asynchronous=True).fit(X_IRIS_STD, Y_IRIS)
        scratch = _partial_fit_search(SGDClassifier(random_state=0), space, False,
                                      asynchronous=True).fit(X_IRIS_STD, Y_IRIS)
    _assert_same_scores(continued, scratch)
    assert continued.cv_results_["n_resources"][continued.best_index_] == 9


def test_continued_training_runs_only_the_missing_passes():
    def passes(continue_training):
        PASSES.clear()
        search = _partial_fit_search(
            CountingIncremental(), {"x": Uniform(0, 1)}, continue_training, max_resources=27,
            cv=2, refit=False, asynchronous=True,
        ).fit(X_SMALL, Y_SMALL)
        return search, len(PASSES)

    continued, n_continued = passes(True)
    scratch, n_scratch = passes(False)
    _assert_same_scores(continued, scratch)
    res = continued.cv_results_
    # every model has exactly n_resources passes (its score is 2000 + passes)
    np.testing.assert_array_equal(res["mean_test_score"], 2000 + res["n_resources"])
    assert n_scratch == 2 * int(res["n_resources"].sum())
    # a promoted candidate adds the passes from its previous budget only
    added = np.where(res["rung"] > 0, res["n_resources"] * 2 // 3, res["n_resources"])
    assert n_continued == 2 * int(added.sum())
    assert n_continued < n_scratch


def test_a_checkpoint_resumes_without_refitting(tmp_path):
    path = tmp_path / "asha.db"
    first = _search(True, checkpoint=path, refit=False).fit(X_SMALL, Y_SMALL)
    n_fits = len(Slow.LOG)
    again = _search(True, checkpoint=path, refit=False).fit(X_SMALL, Y_SMALL)
    # one worker: the same evaluations in the same order, all from the checkpoint
    assert again.n_reused_ == len(first.cv_results_["params"])
    assert len(Slow.LOG) == n_fits
    _assert_same_scores(first, again)


def test_max_time_stops_starting_evaluations():
    search = _search(True, n_jobs=2, max_time=0.3, slow_above=0.0, slow=0.05)
    with joblib.parallel_backend("threading"):
        search.fit(X_SMALL, Y_SMALL)
    assert search.stop_reason_ == "max_time"
    assert 0 < len(search.cv_results_["params"]) < 60


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_bad_asynchronous_raises_before_any_fit(value, tmp_path):
    search = _search(value, checkpoint=tmp_path / "s.db")
    with pytest.raises(ValueError, match="'asynchronous' parameter of HyperbandSearch"):
        search.fit(X_SMALL, Y_SMALL)
    assert Slow.LOG == [] and not (tmp_path / "s.db").exists()


def test_backend_without_streaming_raises_before_any_fit(tmp_path):
    search = _search(True, checkpoint=tmp_path / "s.db")
    with joblib.parallel_config(backend="multiprocessing"), pytest.raises(
        ValueError, match=r"asynchronous=True of HyperbandSearch needs a joblib backend"
    ):
        search.fit(X_SMALL, Y_SMALL)
    assert Slow.LOG == [] and not (tmp_path / "s.db").exists()


@parametrize_with_checks(
    [
        HyperbandSearch(
            SGDClassifier(random_state=0), {"alpha": LogUniform(1e-4, 1.0)}, cv=3,
            random_state=0, asynchronous=True,
        ),
        HyperbandSearch(
            SGDClassifier(random_state=0), {"alpha": LogUniform(1e-4, 1.0)},
            resource="partial_fit", max_resources=3, cv=3, random_state=0, asynchronous=True,
        ),
    ]
)
def test_sklearn_compatible_asynchronous_search(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)


def _sgd_partial_fit_search(**kwargs):
    return _partial_fit_search(SGDClassifier(random_state=0), {"alpha": LogUniform(1e-5, 1e-1)},
                               asynchronous=True, n_jobs=2, **kwargs)


def _check_full_budget_rows(search):
    res = search.cv_results_
    assert np.isfinite(res["mean_test_score"]).all()
    assert res["n_resources"][search.best_index_] == 9
    assert set(res["n_resources"].tolist()) == {1, 3, 9}


@pytest.mark.slow  # starting loky's two worker processes takes most of the time
def test_continued_training_runs_on_loky():
    # the fold models travel to the worker processes and back
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = _sgd_partial_fit_search().fit(X_IRIS_STD, Y_IRIS)
    _check_full_budget_rows(search)


def test_continued_training_runs_on_dask():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
    ) as cluster, distributed.Client(cluster), joblib.parallel_backend("dask"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            search = _sgd_partial_fit_search().fit(X_IRIS_STD, Y_IRIS)
    _check_full_budget_rows(search)
