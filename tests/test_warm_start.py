"""Searches that start from what is known: initial candidates and prior results (issue 21)."""

import os
import pickle
import sqlite3

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_iris
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sktune import BayesSearch, RandomSearch
from sktune.distributions import Integer, LogUniform
from sktune.store import CheckpointError

X, Y = load_iris(return_X_y=True)
SPACE = {"C": LogUniform(1e-2, 1e2), "gamma": LogUniform(1e-3, 1e1)}
GOOD = [{"C": 3.0, "gamma": 0.05}, {"C": 30.0, "gamma": 0.005}]


class CountingSVC(ClassifierMixin, BaseEstimator):
    """An SVC that counts its fits in a class attribute: no fit may run before a refusal."""

    n_fits = 0

    def __init__(self, C=1.0, gamma="scale"):
        self.C = C
        self.gamma = gamma

    def fit(self, X, y):
        type(self).n_fits += 1
        self.model_ = SVC(C=self.C, gamma=self.gamma).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)


@pytest.fixture(scope="module")
def prior_search():
    return BayesSearch(SVC(), SPACE, n_iter=8, cv=3, random_state=1).fit(X, Y)


def _bayes(**kwargs):
    kwargs = {"n_iter": 4, "cv": 3, "random_state": 0, "batch_size": 1, **kwargs}
    return BayesSearch(SVC(), SPACE, **kwargs)


# initial candidates -------------------------------------------------------------
def test_bayes_initial_candidates_come_first_in_order_and_count_in_n_iter():
    search = _bayes(n_iter=8, initial_candidates=GOOD).fit(X, Y)
    res = search.cv_results_
    assert res["params"][:2] == GOOD
    assert len(res["params"]) == 8
    assert res["iter"].tolist()[:2] == [0, 0]
    # the design fills the rest of n_initial_points (6 on two axes)
    assert res["initial_design"].tolist() == [True] * 6 + [False] * 2
    assert search.optimizer_.X_.shape == (8, 2)


def test_random_initial_candidates_come_first_then_the_same_draws():
    plain = RandomSearch(SVC(), SPACE, n_iter=6, cv=3, random_state=0).fit(X, Y)
    warm = RandomSearch(SVC(), SPACE, n_iter=6, cv=3, random_state=0,
                        initial_candidates=GOOD).fit(X, Y)
    assert warm.cv_results_["params"][:2] == GOOD
    assert warm.cv_results_["params"][2:] == plain.cv_results_["params"][:4]


def test_a_draw_equal_to_an_initial_candidate_is_skipped():
    space = {"C": [0.1, 1.0, 10.0, 100.0]}
    search = RandomSearch(SVC(), space, n_iter=4, cv=3, random_state=0,
                          initial_candidates=[{"C": 10.0}]).fit(X, Y)
    assert search.cv_results_["params"][0] == {"C": 10.0}
    assert sorted(p["C"] for p in search.cv_results_["params"]) == [0.1, 1.0, 10.0, 100.0]


BAD_CANDIDATES = [
    ({"C": 1.0, "gamma": 0.1, "kernel": "rbf"}, ValueError,
     r"initial_candidates\[1\] of {cls} must set the parameters of its search space "
     r"\['C', 'gamma'\]: 'kernel' not in the search space\. Got .*'kernel': 'rbf'"),
    ({"C": 1.0}, ValueError, r"initial_candidates\[1\] of {cls} .*'gamma' missing\."),
    ({"C": 1e3, "gamma": 0.1}, ValueError,
     r"initial_candidates\[1\] of {cls} sets 'C' to 1000\.0, a value outside the support "
     r"of its distribution LogUniform"),
    ({"C": LogUniform(1, 2), "gamma": 0.1}, TypeError,
     r"initial_candidates\[1\] of {cls} must set 'C' to a value, not a distribution"),
    (["C", 1.0], TypeError, r"initial_candidates\[1\] of {cls} must be a dict"),
    (dict(GOOD[0]), ValueError,
     r"initial_candidates\[1\] of {cls} repeats initial_candidates\[0\]"),
]


@pytest.mark.parametrize("cls", [BayesSearch, RandomSearch])
@pytest.mark.parametrize("bad, error, pattern", BAD_CANDIDATES)
def test_a_bad_initial_candidate_is_refused_before_any_fit_or_file(
    tmp_path, cls, bad, error, pattern
):
    path = tmp_path / "search.db"
    CountingSVC.n_fits = 0
    search = cls(CountingSVC(), SPACE, n_iter=5, cv=3, random_state=0, checkpoint=path,
                 initial_candidates=[GOOD[0], bad])
    with pytest.raises(error, match=pattern.format(cls=cls.__name__)):
        search.fit(X, Y)
    assert CountingSVC.n_fits == 0
    assert not path.exists()


@pytest.mark.parametrize("cls", [BayesSearch, RandomSearch])
def test_initial_candidates_must_be_a_list_of_at_most_n_iter(cls):
    with pytest.raises(ValueError, match=rf"'initial_candidates' parameter of {cls.__name__} "
                       r"must be an instance of 'list', an instance of 'tuple' or None"):
        cls(SVC(), SPACE, n_iter=3, initial_candidates={"C": 1.0}).fit(X, Y)
    with pytest.raises(ValueError, match=rf"'initial_candidates' parameter of {cls.__name__} "
                       r"must hold at most n_iter=1 candidates: they count in n_iter\. Got 2"):
        cls(SVC(), SPACE, n_iter=1, initial_candidates=GOOD).fit(X, Y)


# prior results ------------------------------------------------------------------
def test_prior_results_change_the_first_proposal_and_are_not_refitted(prior_search):
    cold = _bayes().fit(X, Y)
    warm = _bayes(prior_results=prior_search).fit(X, Y)
    assert warm.cv_results_["params"][0] != cold.cv_results_["params"][0]
    # told, not evaluated: the model proposes from the first candidate on
    assert warm.n_prior_results_ == 8
    assert len(warm.cv_results_["params"]) == 4
    assert warm.cv_results_["initial_design"].tolist() == [False] * 4
    assert warm.optimizer_.X_.shape == (12, 2)
    np.testing.assert_array_equal(warm.optimizer_.y_[:8],
                                  prior_search.cv_results_["mean_test_score"])
    evaluated = {tuple(sorted(p.items())) for p in warm.cv_results_["params"]}
    assert not evaluated & {tuple(sorted(p.items())) for p in prior_search.cv_results_["params"]}


def test_a_dict_a_fitted_search_and_its_checkpoint_give_the_same_search(tmp_path):
    path = tmp_path / "prior.db"
    prior = BayesSearch(SVC(), SPACE, n_iter=8, cv=3, random_state=1,
                        checkpoint=path).fit(X, Y)
    runs = [_bayes(prior_results=p).fit(X, Y)
            for p in (prior, prior.cv_results_, path, str(path))]
    for run in runs[1:]:
        assert run.cv_results_["params"] == runs[0].cv_results_["params"]


def test_the_same_priors_and_seed_give_the_same_search_for_any_n_jobs(prior_search):
    runs = [_bayes(n_iter=5, batch_size=2, n_jobs=n, prior_results=prior_search).fit(X, Y)
            for n in (1, 2)]
    assert runs[0].cv_results_["params"] == runs[1].cv_results_["params"]
    np.testing.assert_array_equal(runs[0].cv_results_["mean_test_score"],
                                  runs[1].cv_results_["mean_test_score"])


def test_a_warm_search_resumes_from_its_checkpoint(tmp_path, prior_search):
    path = tmp_path / "warm.db"
    first = _bayes(prior_results=prior_search.cv_results_, initial_candidates=GOOD[:1],
                   checkpoint=path).fit(X, Y)
    again = clone(first).fit(X, Y)
    assert again.n_reused_ == 4
    assert again.cv_results_["params"] == first.cv_results_["params"]


def test_multimetric_priors_are_read_in_the_refit_metric():
    n = 4
    rows = [{"C": c, "gamma": 0.01} for c in (0.1, 1.0, 10.0, 50.0)]
    prior = {"params": rows, "mean_test_acc": np.linspace(0.5, 0.9, n),
             "mean_test_other": np.linspace(0.9, 0.5, n)}
    search = _bayes(scoring={"acc": "accuracy", "other": "balanced_accuracy"},
                    refit="other", prior_results=prior, n_iter=1).fit(X, Y)
    np.testing.assert_array_equal(search.optimizer_.y_[:n], prior["mean_test_other"])


def test_failed_prior_rows_are_failures_to_the_optimizer():
    rows = [{"C": c, "gamma": g} for c in (0.1, 1.0, 10.0) for g in (0.01, 0.1)]
    scores = [0.6, 0.7, np.nan, 0.9, -np.inf, 0.8]
    search = _bayes(prior_results={"params": rows, "mean_test_score": scores}).fit(X, Y)
    y = search.optimizer_.y_[:6]
    assert np.isnan(y[[2, 4]]).all() and np.isfinite(y[[0, 1, 3, 5]]).all()
    # the optimizer's failure classifier, fitted only when some told score
    # failed, saw them (it then ignores them if they look random)
    assert 0 < search.optimizer_._feasibility.rate_ < 1


def test_warm_start_inside_a_pipeline():
    pipe = make_pipeline(StandardScaler(), SVC())
    space = {"svc__C": LogUniform(1e-2, 1e2), "svc__degree": Integer(1, 4)}
    prior = {"params": [{"svc__C": 1.0, "svc__degree": 2}, {"svc__C": 10.0, "svc__degree": 3},
                        {"svc__C": 0.1, "svc__degree": 1}],
             "mean_test_score": [0.9, 0.95, 0.7]}
    search = BayesSearch(pipe, space, n_iter=3, cv=3, random_state=0, batch_size=1,
                         prior_results=prior,
                         initial_candidates=[{"svc__C": 5.0, "svc__degree": 2}]).fit(X, Y)
    assert search.cv_results_["params"][0] == {"svc__C": 5.0, "svc__degree": 2}
    assert search.n_prior_results_ == 3
    with pytest.raises(ValueError, match=r"prior_results row 0 of BayesSearch .*'svc__C', "
                       r"'svc__degree' missing.* Got \{'C': 1\.0"):
        BayesSearch(pipe, space, n_iter=3, cv=3,
                    prior_results={"params": [{"C": 1.0}], "mean_test_score": [0.9]}).fit(X, Y)


def test_clone_and_get_params_keep_the_warm_start(prior_search):
    search = _bayes(initial_candidates=GOOD, prior_results=prior_search.cv_results_)
    params = search.get_params(deep=False)
    assert params["initial_candidates"] is GOOD
    assert params["prior_results"] is prior_search.cv_results_
    copy = clone(search)
    assert copy.get_params(deep=False)["initial_candidates"] == GOOD
    assert copy.get_params(deep=False)["prior_results"] is not None
    assert copy.fit(X, Y).cv_results_["params"] == search.fit(X, Y).cv_results_["params"]
    assert clone(search).set_params(prior_results=None).prior_results is None


BAD_PRIORS = [
    (42, TypeError, r"The 'prior_results' parameter of BayesSearch must be a cv_results_ "
     r"dict, a fitted search, a checkpoint path or None\. Got 42 \(of type int\)"),
    ({"mean_test_score": [0.9]}, ValueError,
     r"'prior_results' parameter of BayesSearch must hold a 'params' list"),
    ({"params": [{"C": 1.0, "gamma": 0.1}], "score": [0.9]}, ValueError,
     r"must hold the scores of its candidates in a column 'mean_test_score'\. "
     r"Got columns \['params', 'score'\]"),
    ({"params": [{"C": 1.0, "gamma": 0.1}], "mean_test_score": [0.9, 0.8]}, ValueError,
     r"must hold one 'mean_test_score' per candidate\. Got 2 scores for 1 candidates"),
    ({"params": [{"C": 1.0, "gamma": 0.1}], "mean_test_score": ["high"]}, ValueError,
     r"The 'mean_test_score' column of the 'prior_results' parameter of BayesSearch must "
     r"hold numbers\. Got \['high'\]"),
    ({"params": [{"C": 1.0, "gamma": 0.1}, {"C": 1.0, "gamma": 50.0}],
      "mean_test_score": [0.9, 0.8]}, ValueError,
     r"prior_results row 1 of BayesSearch sets 'gamma' to 50\.0, a value outside"),
    (BayesSearch(SVC(), SPACE), ValueError,
     r"'prior_results' parameter of BayesSearch got an unfitted BayesSearch: fit it "
     r"first, or pass its cv_results_ dict"),
]


@pytest.mark.parametrize("bad, error, pattern", BAD_PRIORS)
def test_bad_prior_results_are_refused_before_any_fit_or_file(tmp_path, bad, error, pattern):
    path = tmp_path / "search.db"
    CountingSVC.n_fits = 0
    search = BayesSearch(CountingSVC(), SPACE, n_iter=3, cv=3, checkpoint=path,
                         prior_results=bad)
    with pytest.raises(error, match=pattern):
        search.fit(X, Y)
    assert CountingSVC.n_fits == 0
    assert not path.exists()


def test_a_checkpoint_of_another_space_is_refused_naming_the_names(tmp_path):
    path = tmp_path / "other.db"
    BayesSearch(SVC(), {"C": LogUniform(1e-2, 1e2), "tol": LogUniform(1e-4, 1e-2)},
                n_iter=2, cv=3, random_state=0, checkpoint=path).fit(X, Y)
    with pytest.raises(ValueError, match=r"The checkpoint '.*other\.db' given as "
                       r"'prior_results' of BayesSearch holds another search space: names "
                       r"only in the checkpoint \['tol'\], only in this search \['gamma'\]"):
        _bayes(prior_results=path).fit(X, Y)


class _Plant:
    """Unpickled, it creates the file ``marker``."""

    def __init__(self, marker):
        self.marker = os.fspath(marker)

    def __reduce__(self):
        return (exec, (f"open({self.marker!r}, 'w').close()",))


def test_a_checkpoint_with_a_pickle_in_it_is_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "marker"
    path = tmp_path / "prior.db"
    BayesSearch(SVC(), SPACE, n_iter=2, cv=3, random_state=0, checkpoint=path).fit(X, Y)
    pickle.loads(pickle.dumps(_Plant(marker)))  # the plant works when unpickled...
    assert marker.exists()
    marker.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("UPDATE candidates SET params = ? WHERE seq = 1",
                     (pickle.dumps(_Plant(marker)),))
    conn.close()
    CountingSVC.n_fits = 0
    out = tmp_path / "warm.db"
    with pytest.raises(CheckpointError, match=r"The checkpoint '.*prior\.db' cannot be read: "
                       r"record 1: the params column is a blob of \d+ bytes, not JSON text"):
        BayesSearch(CountingSVC(), SPACE, n_iter=2, cv=3, checkpoint=out,
                    prior_results=path).fit(X, Y)
    assert not marker.exists(), "a pickle of the prior checkpoint was loaded"
    assert CountingSVC.n_fits == 0 and not out.exists()


def test_a_configuration_reads_its_prior_checkpoint_beside_it(tmp_path, monkeypatch):
    from sktune.config import load_config

    folder = tmp_path / "job"
    folder.mkdir()
    prior = BayesSearch(SVC(), SPACE, n_iter=6, cv=3, random_state=1,
                        checkpoint=folder / "prior.db").fit(X, Y)
    (folder / "job.toml").write_text(
        '[estimator]\npath = "sklearn.svm.SVC"\n[data]\ndataset = "iris"\n'
        '[search]\nstrategy = "bayes"\nn_iter = 2\ncv = 3\nrandom_state = 0\n'
        'prior_results = "prior.db"\n'
        'initial_candidates = [{C = 3.0, gamma = 0.05}]\n'
        '[space]\nC = "LogUniform(0.01, 100)"\ngamma = "LogUniform(0.001, 10)"\n'
    )
    monkeypatch.chdir(tmp_path)  # not the folder of the file
    job = load_config(folder / "job.toml")
    assert job.search.prior_results == str(folder / "prior.db")
    search = job.search.fit(job.X, job.y)
    assert search.cv_results_["params"][0] == {"C": 3.0, "gamma": 0.05}
    np.testing.assert_array_equal(search.optimizer_.y_[:6],
                                  prior.cv_results_["mean_test_score"])


def test_initial_candidates_of_a_conditional_space():
    space = [{"kernel": ["linear"], "C": LogUniform(1e-2, 1e2)},
             {"kernel": ["rbf"], "C": LogUniform(1e-2, 1e2), "gamma": LogUniform(1e-3, 1e1)}]
    first = [{"kernel": "rbf", "C": 3.0, "gamma": 0.05}, {"kernel": "linear", "C": 1.0}]
    search = BayesSearch(SVC(), space, n_iter=3, cv=3, random_state=0,
                         initial_candidates=first).fit(X, Y)
    assert search.cv_results_["params"][:2] == first
    with pytest.raises(ValueError, match=r"initial_candidates\[0\] of BayesSearch sets "
                       r"'kernel' to 'poly', a value outside the support"):
        BayesSearch(SVC(), space, n_iter=3, cv=3,
                    initial_candidates=[{"kernel": "poly", "C": 1.0}]).fit(X, Y)


def _task_length_scale(prior_f, seed=0):
    """The fitted log length-scale of the task feature, prior rows from ``prior_f``."""
    from sktune.optimizers import BayesOptimizer

    rng = np.random.RandomState(seed)
    new_f = lambda U: -((U - 0.3) ** 2).sum(axis=1)  # noqa: E731
    opt = BayesOptimizer(2, random_state=seed)
    U_prior = rng.uniform(size=(20, 2))
    opt.tell_prior(U_prior, prior_f(U_prior))
    U_new = rng.uniform(size=(8, 2))
    opt.tell(U_new, new_f(U_new))
    opt.ask(1)
    # theta_ = [log s2, log l_1 .. log l_p, log noise, warps]; the task is the last feature
    return opt.surrogate_.theta_[opt.surrogate_._X.shape[1]]


def test_prior_rows_are_a_task_whose_relatedness_is_learned():
    same = _task_length_scale(lambda U: -((U - 0.3) ** 2).sum(axis=1))
    moved = _task_length_scale(lambda U: -((U - 0.9) ** 2).sum(axis=1))
    assert same > moved + 1.0


def test_tell_prior_after_tell_is_refused():
    from sktune.optimizers import BayesOptimizer

    opt = BayesOptimizer(1, random_state=0).tell([[0.5]], [1.0])
    with pytest.raises(ValueError, match="tell_prior must come before any tell"):
        opt.tell_prior([[0.2]], [0.3])
