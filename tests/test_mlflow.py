"""MLflow's scikit-learn autologging sees sktune's searches as it sees GridSearchCV (issue 18).

Every test runs the real MLflow against its own local file store in
``tmp_path`` (MLflow's lightest local store: a folder, where a SQLite store
spends about 10 s creating its tables) and compares what a search logged
with what ``GridSearchCV`` logs for the same candidates. MLflow writes its
errors ("Changing param values is not allowed") to stderr, read through
``capsys``.
"""

import os

# MLflow starts its usage reporting when imported; the tests use no network
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

import re  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import mlflow  # noqa: E402
import mlflow.sklearn  # noqa: E402
import mlflow.sklearn.utils  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from scipy.stats import rankdata  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

import sktune.mlflow  # noqa: E402
from sktune import (  # noqa: E402
    BayesSearch,
    GridSearch,
    HyperbandSearch,
    Integer,
    LogUniform,
    ManualSearch,
    RandomSearch,
)

X, Y = load_iris(return_X_y=True)
TREE = DecisionTreeClassifier(random_state=0)
# 3-fold scores 0.66, 0.93, 0.96, 0.97: one best, no ties
DEPTHS = [1, 2, 3, 4]
N_CHILDREN = 2
CHANGING = "Changing param values"

# Each search tries max_depth 1 to 4, as GridSearchCV does below; BayesSearch
# draws 4 of the 4 values but decides the order.
SEARCHES = {
    "GridSearch": lambda: GridSearch(TREE, {"max_depth": DEPTHS}, cv=3),
    "RandomSearch": lambda: RandomSearch(
        TREE, {"max_depth": Integer(1, 4)}, n_iter=4, cv=3, random_state=0
    ),
    "BayesSearch": lambda: BayesSearch(
        TREE, {"max_depth": Integer(1, 4)}, n_iter=4, n_initial_points=2, cv=3, random_state=0
    ),
    "ManualSearch": lambda: ManualSearch(TREE, [{"max_depth": d} for d in DEPTHS], cv=3),
}


def _hyperband(**kwargs):
    return HyperbandSearch(
        TREE, {"max_depth": Integer(1, 6), "min_samples_split": Integer(2, 30)},
        resource="n_samples", max_resources=90,
        min_resources=10, cv=3, random_state=0, **kwargs,
    )


ALL_SEARCHES = {**SEARCHES, "HyperbandSearch": _hyperband}


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A fresh file store as the tracking URI; autologging off afterwards."""
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    # a test starts from MLflow's own list of searches, whatever ran before
    sktune.mlflow.autolog(disable=True)
    mlflow.set_tracking_uri((tmp_path / "mlruns").as_uri())
    yield tmp_path
    while mlflow.active_run() is not None:
        mlflow.end_run()
    sktune.mlflow.autolog(disable=True)
    mlflow.set_tracking_uri(None)


def _all_runs():
    return mlflow.search_runs(search_all_experiments=True)


def _logged(run_id):
    """What a run holds: params, metrics, child runs, cv_results.csv (or None)."""
    run = mlflow.get_run(run_id)
    children = mlflow.search_runs(
        [run.info.experiment_id], filter_string=f"tags.mlflow.parentRunId = '{run_id}'"
    )
    names = [a.path for a in mlflow.MlflowClient().list_artifacts(run_id)]
    table = None
    if "cv_results.csv" in names:
        table = pd.read_csv(mlflow.artifacts.download_artifacts(
            run_id=run_id, artifact_path="cv_results.csv"
        ))
    return run.data.params, run.data.metrics, children, table


def _fit_in_run(search):
    with mlflow.start_run() as run:
        search.fit(X, Y)
    return run.info.run_id


@pytest.fixture(scope="module")
def gridsearchcv(tmp_path_factory):
    """What mlflow.sklearn.autolog logs for GridSearchCV over DEPTHS."""
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    mlflow.set_tracking_uri((tmp_path_factory.mktemp("baseline") / "mlruns").as_uri())
    try:
        mlflow.sklearn.autolog(log_models=False, max_tuning_runs=N_CHILDREN)
        search = GridSearchCV(TREE, {"max_depth": DEPTHS}, cv=3)
        logged = _logged(_fit_in_run(search))
    finally:
        mlflow.sklearn.autolog(disable=True)
        mlflow.set_tracking_uri(None)
        del os.environ["MLFLOW_ALLOW_FILE_STORE"]
    return search, logged


@pytest.mark.parametrize("name", SEARCHES)
def test_search_logs_as_gridsearchcv(name, store, gridsearchcv, capsys):
    reference, (ref_params, ref_metrics, ref_children, _) = gridsearchcv
    sktune.mlflow.autolog(log_models=False, max_tuning_runs=N_CHILDREN)
    search = SEARCHES[name]()
    run_id = _fit_in_run(search)
    params, metrics, children, table = _logged(run_id)

    # the search's own parameters, then best_*: what GridSearchCV's run holds
    best = {f"best_{k}": str(v) for k, v in search.best_params_.items()}
    own = {k: str(v) for k, v in search.get_params(deep=False).items()}
    assert params == {**own, **best}
    assert set(ref_params) == set(reference.get_params(deep=False)) | set(best)
    assert best == {k: ref_params[k] for k in best} == {"best_max_depth": "4"}
    assert set(metrics) == set(ref_metrics)
    assert metrics["best_cv_score"] == pytest.approx(search.best_score_)

    assert len(children) == N_CHILDREN == len(ref_children)
    # and the search's own cv_results_ columns (BayesSearch's surrogate_mean...)
    assert set(children.columns) >= set(ref_children.columns)
    assert sorted(children["params.max_depth"]) == sorted(ref_children["params.max_depth"])
    assert set(children["metrics.rank_test_score"]) == {1.0, 2.0}

    assert len(table) == len(search.cv_results_["params"]) == len(DEPTHS)
    assert table["mean_test_score"].to_numpy() == pytest.approx(
        search.cv_results_["mean_test_score"]
    )
    # the inner fits created no run and wrote nothing into this one
    assert len(_all_runs()) == 1 + N_CHILDREN
    assert CHANGING not in capsys.readouterr().err


def test_score_after_fit_is_logged_into_the_searchs_run(store):
    # the patched score of a parameter search, as for GridSearchCV
    sktune.mlflow.autolog(log_models=False)
    with mlflow.start_run() as run:
        search = SEARCHES["ManualSearch"]().fit(X[::2], Y[::2])
        search.score(X[1::2], Y[1::2])
    metrics = mlflow.get_run(run.info.run_id).data.metrics
    assert [k for k in metrics if k.startswith("ManualSearch_score")] != []


def test_hyperband_children_are_its_full_budget_candidates(store, capsys):
    sktune.mlflow.autolog(log_models=False, max_tuning_runs=None)
    search = _hyperband()
    params, metrics, children, table = _logged(_fit_in_run(search))

    budget = np.asarray(search.cv_results_["n_resources"])
    full = budget == search.max_resources_
    assert 0 < full.sum() < len(budget)
    # every child is a candidate at the full budget, ranked among those only
    assert len(children) == full.sum()
    assert set(children["metrics.n_resources"]) == {search.max_resources_}
    expected = rankdata(-search.cv_results_["mean_test_score"][full], method="min")
    assert sorted(children["metrics.rank_test_score"]) == sorted(expected)
    top = children[children["metrics.rank_test_score"] == 1]
    best = {k: str(v) for k, v in search.best_params_.items()}
    assert best in [{k: row[f"params.{k}"] for k in best} for _, row in top.iterrows()]
    assert {k: params[f"best_{k}"] for k in best} == best
    assert metrics["best_cv_score"] == pytest.approx(search.best_score_)
    # the artifact keeps every budget
    assert len(table) == len(budget)
    assert sorted(set(table["n_resources"])) == sorted(set(budget.tolist()))
    assert CHANGING not in capsys.readouterr().err


@pytest.mark.parametrize("name", ALL_SEARCHES)
def test_autolog_alone_keeps_inner_fits_out_of_the_run(name, store, capsys):
    mlflow.sklearn.autolog(log_models=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run_id = _fit_in_run(ALL_SEARCHES[name]())
        # with no active run either: no inner fit starts a run of its own
        ALL_SEARCHES[name]().fit(X, Y)
    params, metrics, children, _ = _logged(run_id)
    assert params == {} and metrics == {} and len(children) == 0
    assert len(_all_runs()) == 1
    assert CHANGING not in capsys.readouterr().err
    advice = [str(w.message) for w in caught if "sktune.mlflow.autolog()" in str(w.message)]
    assert len(advice) == 2
    assert advice[0].startswith(f"mlflow.sklearn.autolog() is on but does not log {name} ")


def test_autolog_keeps_the_settings_mlflow_was_given(store):
    mlflow.sklearn.autolog(log_models=False, max_tuning_runs=1)
    sktune.mlflow.autolog()
    _, _, children, _ = _logged(_fit_in_run(SEARCHES["GridSearch"]()))
    assert len(children) == 1
    # a later mlflow.sklearn.autolog still logs sktune's searches, as searches
    mlflow.sklearn.autolog(log_models=False, max_tuning_runs=3)
    params, _, children, _ = _logged(_fit_in_run(SEARCHES["GridSearch"]()))
    assert len(children) == 3 and params["best_max_depth"] == "4"


def test_autolog_disable_gives_mlflow_its_own_searches_back(store):
    sktune.mlflow.autolog(log_models=False)
    sktune.mlflow.autolog(disable=True)
    assert not mlflow.sklearn.utils._is_parameter_search_estimator(SEARCHES["GridSearch"]())
    mlflow.sklearn.autolog(log_models=False)
    with pytest.warns(UserWarning, match=r"Call sktune\.mlflow\.autolog\(\) to log it"):
        run_id = _fit_in_run(SEARCHES["GridSearch"]())
    params, _, children, _ = _logged(run_id)
    assert params == {} and len(children) == 0


def test_autolog_names_the_extra_without_mlflow(monkeypatch):
    monkeypatch.setitem(sys.modules, "mlflow", None)
    monkeypatch.setitem(sys.modules, "mlflow.sklearn", None)
    with pytest.raises(ImportError, match=r"pip install sktune\[mlflow\]"):
        sktune.mlflow.autolog()


def test_autolog_says_when_mlflow_lacks_a_hook(store, monkeypatch):
    monkeypatch.delattr(mlflow.sklearn.utils, "_is_parameter_search_estimator")
    with pytest.raises(RuntimeError, match=r"mlflow.sklearn.utils has no "
                       r"_is_parameter_search_estimator\. sktune's searches are not logged"):
        sktune.mlflow.autolog(log_models=False)


def test_autolog_says_when_mlflow_does_not_patch_the_searches(store, monkeypatch):
    # An MLflow that no longer asks this function for its list: in its
    # place, one that looks hooked already and lists MLflow's own searches.
    listed = mlflow.sklearn.utils._get_meta_estimators_for_autologging

    def mlflow_own():
        return list(listed())

    mlflow_own._sktune_original = listed
    monkeypatch.setattr(mlflow.sklearn.utils, "_get_meta_estimators_for_autologging", mlflow_own)
    with pytest.raises(RuntimeError, match="no longer patches the listed searches"):
        sktune.mlflow.autolog(log_models=False)


def test_import_sktune_does_not_import_mlflow():
    code = "import sys, sktune, sktune.mlflow; print('mlflow' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_log_model_in_mlflows_default_format_round_trips(store):
    # MLflow saves scikit-learn models with skops by default; it refuses types
    # it does not trust until they are listed, which skops_trusted_types does
    from sklearn.svm import SVC

    from sktune import skops_trusted_types

    # an SVC, which skops trusts (a tree's node arrays it does not, by design)
    search = BayesSearch(SVC(), {"C": LogUniform(0.01, 100)}, n_iter=4, cv=3,
                         random_state=0).fit(X, Y)
    with mlflow.start_run():
        with pytest.raises(mlflow.exceptions.MlflowException, match="untrusted types"):
            mlflow.sklearn.log_model(search, name="untrusted")
        info = mlflow.sklearn.log_model(
            search, name="model", skops_trusted_types=skops_trusted_types()
        )
    loaded = mlflow.sklearn.load_model(info.model_uri)
    assert type(loaded) is BayesSearch
    assert loaded.best_params_ == search.best_params_
    np.testing.assert_array_equal(loaded.predict(X), search.predict(X))


# --- every candidate logged as it finishes (log_every_candidate) ------------------

JOB = Path(__file__).with_name("mlflow_job.py")
ROOT = Path(sktune.__file__).resolve().parents[1]


def _children(run_id):
    return mlflow.search_runs(
        search_all_experiments=True, filter_string=f"tags.mlflow.parentRunId = '{run_id}'"
    )


def _n_in_checkpoint(db):
    from sktune.search import results_from_checkpoint

    try:
        return len(results_from_checkpoint(db)["params"])
    except Exception:  # not written yet
        return 0


def test_a_killed_search_keeps_the_child_runs_of_its_finished_candidates(tmp_path):
    from checkpoint_job import SlowCentroids
    from sklearn.model_selection import cross_val_score

    from sktune.search import results_from_checkpoint

    uri, db, k = (tmp_path / "mlruns").as_uri(), tmp_path / "search.db", 3
    env = dict(os.environ, MLFLOW_ALLOW_FILE_STORE="true", SKTUNE_FIT_DELAY="0.2",
               PYTHONPATH=str(ROOT))
    # 12 candidates of 3 fits of 0.2 s: about 7 s, killed after the third
    proc = subprocess.Popen([sys.executable, str(JOB), uri, str(db)], env=env,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while _n_in_checkpoint(db) < k:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the search recorded no candidate in 120 s"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    mlflow.set_tracking_uri(uri)
    try:
        runs = mlflow.search_runs(search_all_experiments=True)
        parent = runs[runs["tags.mlflow.runName"] == "search"]
        assert len(parent) == 1
        # MLflow never learnt that its run ended
        assert parent["status"].item() == "RUNNING"
        children = _children(parent["run_id"].item())
    finally:
        mlflow.set_tracking_uri(None)
        del os.environ["MLFLOW_ALLOW_FILE_STORE"]
    stored = results_from_checkpoint(db)
    assert len(children) >= k
    assert len(runs) == 1 + len(children)
    assert len(children) <= len(stored["params"]) < 12
    assert set(children["status"]) == {"FINISHED"}
    logged = {(float(row["params.shrink"]), float(row["params.power"])): row
              for _, row in children.iterrows()}
    assert len(logged) == len(children)
    for params, mean, std in zip(stored["params"], stored["mean_test_score"],
                                 stored["std_test_score"]):
        row = logged.get((params["shrink"], params["power"]))
        if row is None:  # recorded after the last child run, before the kill
            continue
        scores = cross_val_score(SlowCentroids(**params), X, Y, cv=3)
        assert row["metrics.mean_test_score"] == pytest.approx(scores.mean()) == mean
        assert row["metrics.std_test_score"] == pytest.approx(std)
        assert row["metrics.mean_fit_time"] >= 0.2
        # the estimator's other parameters too, as in MLflow's own child runs
        assert set(row.dropna().index) >= {"params.shrink", "params.power",
                                           "tags.estimator_class"}
        # ranks are known only once the search ends
        assert "metrics.rank_test_score" not in row.dropna().index


def _live_children_match(search, children):
    """Exactly one child run per row of cv_results_, with the row's values and rank."""
    results = search.cv_results_
    assert len(children) == len(results["params"])
    rows = {
        tuple(str(v) for v in p.values()): i for i, p in enumerate(results["params"])
    }
    names = list(results["params"][0])
    seen = set()
    for _, child in children.iterrows():
        i = rows[tuple(child[f"params.{n}"] for n in names)]
        seen.add(i)
        assert child["metrics.mean_test_score"] == pytest.approx(results["mean_test_score"][i])
        assert child["metrics.std_test_score"] == pytest.approx(results["std_test_score"][i])
        assert child["metrics.mean_fit_time"] == pytest.approx(results["mean_fit_time"][i])
        assert child["metrics.rank_test_score"] == results["rank_test_score"][i]
    assert seen == set(range(len(results["params"])))


@pytest.mark.parametrize("name", SEARCHES)
def test_every_candidate_has_one_child_run_ranked_as_in_cv_results(name, store, capsys):
    # max_tuning_runs does not thin out the candidates logged as they finished
    sktune.mlflow.autolog(log_models=False, max_tuning_runs=N_CHILDREN,
                          log_every_candidate=True)
    search = SEARCHES[name]()
    run_id = _fit_in_run(search)
    params, metrics, children, table = _logged(run_id)
    _live_children_match(search, children)
    assert len(_all_runs()) == 1 + len(DEPTHS)
    # the search's run as without live logging
    assert params["best_max_depth"] == "4"
    assert metrics["best_cv_score"] == pytest.approx(search.best_score_)
    assert len(table) == len(DEPTHS)
    assert CHANGING not in capsys.readouterr().err


def test_child_runs_of_a_parallel_search_come_from_its_own_process(store):
    sktune.mlflow.autolog(log_models=False, log_every_candidate=True)
    search = GridSearch(TREE, {"max_depth": DEPTHS}, cv=3, n_jobs=2)
    _, _, children, _ = _logged(_fit_in_run(search))
    _live_children_match(search, children)


def test_a_search_tuned_by_a_search_logs_no_child_run_of_its_own(store):
    # the inner searches run inside the outer one's fit: only its candidates are logged
    sktune.mlflow.autolog(log_models=False, log_every_candidate=True)
    inner = GridSearch(TREE, {"max_depth": DEPTHS}, cv=2)
    search = GridSearch(inner, {"cv": [2, 3]}, cv=2)
    run_id = _fit_in_run(search)
    children = _children(run_id)
    assert sorted(children["params.cv"]) == ["2", "3"]
    assert sorted(children["metrics.rank_test_score"]) == sorted(
        search.cv_results_["rank_test_score"])
    assert len(_all_runs()) == 1 + 2


def test_a_checkpoint_turns_live_logging_on_by_default(store, tmp_path):
    sktune.mlflow.autolog(log_models=False, max_tuning_runs=N_CHILDREN)
    search = GridSearch(TREE, {"max_depth": DEPTHS}, cv=3, checkpoint=tmp_path / "s.db")
    _, _, children, _ = _logged(_fit_in_run(search))
    _live_children_match(search, children)
    # and off: MLflow's max_tuning_runs best, when the search ends
    sktune.mlflow.autolog(log_every_candidate=False)
    search = GridSearch(TREE, {"max_depth": DEPTHS}, cv=3, checkpoint=tmp_path / "t.db")
    _, _, children, _ = _logged(_fit_in_run(search))
    assert sorted(children["params.max_depth"]) == ["3", "4"]
    # a later call without it keeps it off
    sktune.mlflow.autolog(log_models=False, max_tuning_runs=N_CHILDREN)
    _, _, children, _ = _logged(_fit_in_run(
        GridSearch(TREE, {"max_depth": DEPTHS}, cv=3, checkpoint=tmp_path / "u.db")))
    assert len(children) == N_CHILDREN


def test_candidates_taken_from_a_checkpoint_get_one_child_run_at_the_end(store, tmp_path):
    db = tmp_path / "s.db"
    ManualSearch(TREE, [{"max_depth": d} for d in DEPTHS[:2]], cv=3, checkpoint=db).fit(X, Y)
    sktune.mlflow.autolog(log_models=False, max_tuning_runs=1)
    # ManualSearch grows its list: two candidates from the checkpoint, two fitted
    search = ManualSearch(TREE, [{"max_depth": d} for d in DEPTHS], cv=3, checkpoint=db)
    run_id = _fit_in_run(search)
    assert search.n_reused_ == 2
    _, _, children, _ = _logged(run_id)
    _live_children_match(search, children)


def test_hyperband_child_runs_carry_their_budget(store, capsys):
    sktune.mlflow.autolog(log_models=False, log_every_candidate=True)
    search = _hyperband()
    _, metrics, children, table = _logged(_fit_in_run(search))
    results = search.cv_results_
    budget = np.asarray(results["n_resources"])
    assert len(children) == len(budget) == len(table)
    # a child run per (candidate, budget): its params, budget, rung and scores
    rows = {}
    for i, p in enumerate(results["params"]):
        rows[(str(p["max_depth"]), str(p["min_samples_split"]), float(budget[i]))] = i
    assert len(rows) == len(budget)
    full = budget == search.max_resources_
    expected = rankdata(-results["mean_test_score"][full], method="min")
    rank = dict(zip(np.flatnonzero(full), expected))
    for _, child in children.iterrows():
        i = rows.pop((child["params.max_depth"], child["params.min_samples_split"],
                      child["metrics.n_resources"]))
        assert child["metrics.mean_test_score"] == pytest.approx(results["mean_test_score"][i])
        assert child["metrics.rung"] == results["rung"][i]
        # ranked among the full-budget rows only; smaller budgets have no rank
        if full[i]:
            assert child["metrics.rank_test_score"] == rank[i]
        else:
            assert np.isnan(child["metrics.rank_test_score"])
    assert rows == {}
    top = children[children["metrics.rank_test_score"] == 1]
    assert {k: str(v) for k, v in search.best_params_.items()} in [
        {k: row[f"params.{k}"] for k in search.best_params_} for _, row in top.iterrows()
    ]
    assert metrics["best_cv_score"] == pytest.approx(search.best_score_)
    assert CHANGING not in capsys.readouterr().err


def test_a_search_not_autologged_logs_nothing(store, tmp_path):
    mlflow.sklearn.autolog(log_models=False)
    mlflow.sklearn.autolog(disable=True)
    sktune.mlflow.autolog(log_every_candidate=True, log_models=False)
    sktune.mlflow.autolog(disable=True)
    GridSearch(TREE, {"max_depth": DEPTHS}, cv=3, checkpoint=tmp_path / "s.db").fit(X, Y)
    assert len(_all_runs()) == 0
    # under mlflow.sklearn.autolog alone: nothing of the search either
    mlflow.sklearn.autolog(log_models=False)
    with pytest.warns(UserWarning, match="does not log GridSearch"):
        run_id = _fit_in_run(
            GridSearch(TREE, {"max_depth": DEPTHS}, cv=3, checkpoint=tmp_path / "t.db"))
    assert len(_logged(run_id)[2]) == 0 and len(_all_runs()) == 1


def test_a_search_fitted_with_a_checkpoint_never_imports_mlflow(tmp_path):
    code = (
        "import sys; from sklearn.datasets import load_iris; "
        "from sklearn.tree import DecisionTreeClassifier; import sktune, sktune.mlflow; "
        "s = sktune.GridSearch(DecisionTreeClassifier(), {'max_depth': [1, 2]}, cv=3, "
        f"checkpoint={str(tmp_path / 's.db')!r}).fit(*load_iris(return_X_y=True)); "
        "print(len(s.cv_results_['params']), 'mlflow' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "2 False"


@pytest.mark.parametrize("value, error", [("yes", ValueError), (1, TypeError),
                                          ("True", ValueError), (np.array([1]), TypeError)])
def test_log_every_candidate_must_be_a_bool_or_auto(value, error, store):
    with pytest.raises(error, match=(
        r"The 'log_every_candidate' parameter of sktune.mlflow.autolog must be a bool or "
        rf"'auto'. Got {re.escape(repr(value))} instead\."
    )):
        sktune.mlflow.autolog(log_every_candidate=value)
    # nothing was turned on
    assert not mlflow.sklearn.utils._is_parameter_search_estimator(SEARCHES["GridSearch"]())


def test_live_logging_says_when_mlflow_lacks_what_it_needs(store, tmp_path, monkeypatch):
    with monkeypatch.context() as m:
        m.delattr(mlflow.sklearn._SklearnTrainingSession, "_session_stack")
        with pytest.raises(RuntimeError, match=(
            r"cannot make MLflow .* log each candidate as it finishes: mlflow.sklearn."
            r"_SklearnTrainingSession has no _session_stack\. Pass log_every_candidate=False"
        )):
            sktune.mlflow.autolog(log_models=False, log_every_candidate=True)
        # by default: MLflow's child runs at the end, with a warning
        with pytest.warns(RuntimeWarning, match="the child runs are logged when the search ends"):
            sktune.mlflow.autolog(log_models=False, max_tuning_runs=1)
    search = GridSearch(TREE, {"max_depth": DEPTHS}, cv=3, checkpoint=tmp_path / "s.db")
    assert len(_logged(_fit_in_run(search))[2]) == 1


def test_a_failure_to_log_a_candidate_does_not_stop_the_search(store):
    sktune.mlflow.autolog(log_models=False, log_every_candidate=True)
    # MLflow refuses the metric names of this scorer ("mean_test_acc?")
    search = GridSearch(TREE, {"max_depth": DEPTHS}, cv=3, scoring={"acc?": "accuracy"},
                        refit="acc?")
    with pytest.warns(RuntimeWarning, match=(
        r"sktune.mlflow could not log a candidate of GridSearch as a child run when it "
        r"finished \(.*\)\. The search goes on"
    )) as caught:
        run_id = _fit_in_run(search)
    assert search.best_params_ == {"max_depth": 4}
    # the child runs it had begun are deleted: those left are the ones MLflow
    # begins when the search ends, one per candidate, which fail the same way
    assert len(_children(run_id)) == len(DEPTHS)
    assert sum("could not log a candidate" in str(w.message) for w in caught) == 1
