"""The search's own work per candidate: what a free-to-fit estimator still pays.

benchmarks/optimizer_cost.py measures it; these tests pin the behaviour that
keeps it small without changing a result.
"""

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

from sktune import BayesSearch, HyperbandSearch
from sktune.distributions import LogUniform

X, y = load_iris(return_X_y=True)
SPACE = {"C": LogUniform(1e-3, 1e3), "gamma": LogUniform(1e-4, 1e1)}


def _count_formatting(monkeypatch, cls):
    calls = []
    original = cls._format_results

    def counted(self, *args, **kwargs):
        calls.append(len(args[0]))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, "_format_results", counted)
    return calls


def test_results_are_formatted_once_not_after_every_round(monkeypatch):
    # formatting after each of 10 rounds made the bookkeeping quadratic
    calls = _count_formatting(monkeypatch, BayesSearch)
    search = BayesSearch(SVC(), SPACE, n_iter=10, n_initial_points=3, cv=3,
                         random_state=0).fit(X, y)
    assert calls == [10]
    assert len(search.cv_results_["params"]) == 10
    assert type(search.cv_results_) is dict
    np.testing.assert_array_equal(search.optimizer_.y_, search.cv_results_["mean_test_score"])


def test_verbose_rounds_still_show_the_best_so_far(monkeypatch, capsys):
    calls = _count_formatting(monkeypatch, BayesSearch)
    BayesSearch(SVC(), SPACE, n_iter=5, n_initial_points=3, cv=3, verbose=1,
                random_state=0).fit(X, y)
    lines = [line for line in capsys.readouterr().out.splitlines() if "round" in line]
    assert len(lines) == 3 and all("Best is candidate" in line for line in lines)
    # the printed lines read the results of their round, the search the last
    assert calls[:3] == [3, 4, 5]


def test_a_hyperband_search_formats_its_results_once(monkeypatch):
    calls = _count_formatting(monkeypatch, HyperbandSearch)
    search = HyperbandSearch(LogisticRegression(), {"C": LogUniform(0.01, 10)},
                             resource="max_iter", min_resources=3, max_resources=9, cv=3,
                             random_state=0).fit(X, y)
    n_rows = len(search.cv_results_["params"])
    assert n_rows > 3 and calls == [n_rows]


def _scorers(estimator, X, y):
    return {"acc": estimator.score(X, y), "half": estimator.score(X, y) / 2}


def test_a_callable_scorer_without_the_refit_metric_fails_at_the_first_round(monkeypatch):
    calls = _count_formatting(monkeypatch, BayesSearch)
    search = BayesSearch(SVC(), SPACE, n_iter=6, n_initial_points=3, cv=3, scoring=_scorers,
                         refit="missing", random_state=0)
    with pytest.raises(ValueError, match="'missing' was passed"):
        search.fit(X, y)
    assert calls == []


def _start_set_sizes(monkeypatch, n_told, n_dims=2):
    from sktune.optimizers import BayesOptimizer, GaussianProcess

    sizes = []
    original = GaussianProcess.predict

    def spy(self, X, return_std=False, return_grad=False):
        if return_std and not return_grad:
            sizes.append(len(X))
        return original(self, X, return_std=return_std, return_grad=return_grad)

    rng = np.random.RandomState(0)
    opt = BayesOptimizer(n_dims, random_state=0)
    U = rng.uniform(size=(n_told, n_dims))
    opt.tell(U, -((U - 0.3) ** 2).sum(axis=1))
    monkeypatch.setattr(GaussianProcess, "predict", spy)
    point = opt.ask(1)
    assert point.shape == (1, n_dims)
    return max(sizes)


def test_the_start_set_keeps_its_size_up_to_300_points(monkeypatch):
    assert _start_set_sizes(monkeypatch, 250) == 512 + 256


def test_past_300_points_the_start_set_shrinks_with_the_data(monkeypatch):
    # its posterior std costs O(n^2) per point: a third of an ask at 1,000
    assert _start_set_sizes(monkeypatch, 600) <= (512 + 256) * 300 / 600
