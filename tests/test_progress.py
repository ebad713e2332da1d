"""What a person watching a search sees: progress bars, verbose lines, the HTML display.

scikit-learn's ``ProgressBar`` draws one bar per task of the search's
callback tree; a task's share done is the mean of its subtasks' shares
over its ``max_subtasks``, so a task whose total is unknown stays at 0 %
until it ends. Every search must state its total before it starts: its
candidates' fits for a search of one batch, its rounds for a search in
rounds (issue 18). :class:`Recorder` computes the search's share done
that way at every task end, as the bar shows it.
"""

import math
import os
import re
import subprocess
import sys
import warnings
from collections import defaultdict
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.svm import SVC

from sktune import (
    BayesSearch,
    GridSearch,
    HyperbandSearch,
    Integer,
    LogUniform,
    ManualSearch,
    RandomSearch,
)
from sktune.cli._progress import LineProgress, progress_callbacks

pytest.importorskip("sklearn.callback")

ROOT = Path(__file__).resolve().parents[1]
X, y = load_iris(return_X_y=True)
SPACE = {"C": LogUniform(1e-2, 1e2), "gamma": LogUniform(1e-3, 1e1)}

SEARCHES = {
    "RandomSearch": lambda **kw: RandomSearch(SVC(), SPACE, n_iter=5, cv=3, random_state=0,
                                              **kw),
    "GridSearch": lambda **kw: GridSearch(SVC(), SPACE, n_points=2, cv=3, **kw),
    "ManualSearch": lambda **kw: ManualSearch(SVC(), [{"C": 0.1}, {"C": 1.0}, {"C": 10.0}],
                                              cv=3, **kw),
    "BayesSearch": lambda **kw: BayesSearch(SVC(), SPACE, n_iter=9, n_initial_points=4, cv=3,
                                            random_state=0, **kw),
    "HyperbandSearch": lambda **kw: HyperbandSearch(
        SVC(), SPACE, max_resources=100, min_resources=10, cv=3, random_state=0, **kw),
}


def _search_task(context):
    while context is not None and context.task_name != "search":
        context = context.parent
    return context


class Recorder:
    """A callback recording, at every task end, the share done of the search task.

    The share is computed as scikit-learn's progress bar computes it: 1 for a
    task that ended, else the sum of its subtasks' shares over its
    ``max_subtasks`` (0 while that is unknown). Run the search with
    ``n_jobs=None``: the fits' hooks then run in this process.
    """

    def __init__(self):
        self.children = defaultdict(list)
        self.ended = set()
        self.shares = []
        self.search_tasks = []

    def setup(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context):
        if context.parent is not None:
            self.children[id(context.parent)].append(context)
        if context.task_name == "search":
            self.search_tasks.append(context)

    def on_fit_task_end(self, estimator, context):
        self.ended.add(id(context))
        search = _search_task(context)
        if search is not None and search is not context:
            self.shares.append(self._share(search))

    def _share(self, context):
        if id(context) in self.ended:
            return 1.0
        if not context.max_subtasks:
            return 0.0
        done = sum(self._share(child) for child in self.children[id(context)])
        return done / context.max_subtasks

    def teardown(self, estimator, context):
        pass


def _fit(search):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return search.fit(X, y)


# the progress bar --------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_the_search_progress_moves_through_intermediate_values_to_the_end(name):
    recorder = Recorder()
    search = SEARCHES[name]()
    search.set_callbacks(recorder)
    _fit(search)
    shares = recorder.shares
    assert shares == sorted(shares), shares
    assert any(0 < s < 1 for s in shares), shares
    # the total was right: the last fit or round completes the bar by itself
    assert shares[-1] == pytest.approx(1.0), shares


@pytest.mark.parametrize("name", ["BayesSearch", "HyperbandSearch"])
def test_a_search_in_rounds_states_its_number_of_rounds(name):
    recorder = Recorder()
    search = SEARCHES[name]()
    search.set_callbacks(recorder)
    _fit(search)
    (task,) = recorder.search_tasks
    n_rounds = len(set(search.cv_results_["iter"]))
    assert task.max_subtasks == n_rounds
    assert len(recorder.children[id(task)]) == n_rounds


@pytest.mark.parametrize(
    "space, kwargs",
    [
        ({"C": [1.0, 2.0, 3.0]}, dict(n_iter=10)),  # fewer candidates than n_iter
        ({"C": Integer(1, 8)}, dict(n_iter=8, n_initial_points=6)),
        ({"C": Integer(1, 8)}, dict(n_iter=10, n_initial_points=12)),
        (SPACE, dict(n_iter=10, n_initial_points=3, batch_size=3)),
    ],
)
def test_a_bayes_search_never_has_more_rounds_than_it_states(space, kwargs):
    # scikit-learn refuses a subtask beyond max_subtasks with a ValueError
    recorder = Recorder()
    search = BayesSearch(SVC(), space, cv=3, random_state=0, **kwargs)
    search.set_callbacks(recorder)
    _fit(search)
    (task,) = recorder.search_tasks
    assert len(recorder.children[id(task)]) <= task.max_subtasks


@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_every_search_runs_under_the_real_progress_bar(name):
    pytest.importorskip("rich")
    from sklearn.callback import ProgressBar

    search = SEARCHES[name](n_jobs=2)
    search.set_callbacks(ProgressBar())
    assert _fit(search).best_params_


def test_line_progress_counts_the_rounds_of_a_bayes_search():
    stream = StringIO()
    (callback,) = progress_callbacks(stream=stream)
    assert isinstance(callback, LineProgress)  # a StringIO is not a terminal
    search = SEARCHES["BayesSearch"]()
    search.set_callbacks(callback)
    _fit(search)
    lines = stream.getvalue().splitlines()
    n_rounds = len(set(search.cv_results_["iter"]))
    assert lines[0] == f"BayesSearch: at most {n_rounds} rounds, 3-fold CV"
    assert re.match(rf"  round {n_rounds} of {n_rounds}: 9 evaluations so far", lines[-2])


def test_the_command_line_prints_each_round_of_a_bayes_job(tmp_path):
    (tmp_path / "job.toml").write_text(
        '[estimator]\npath = "sklearn.svm.SVC"\n[data]\ndataset = "iris"\n'
        '[search]\nstrategy = "bayes"\nn_iter = 8\nn_initial_points = 6\ncv = 3\n'
        'random_state = 0\n[space]\nC = "LogUniform(1e-2, 1e2)"\n'
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    proc = subprocess.run(
        [sys.executable, "-m", "sktune", "run", "job.toml"], cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "BayesSearch: at most 3 rounds, 3-fold CV" in proc.stderr
    assert re.search(r"round 3 of 3: 8 evaluations so far", proc.stderr), proc.stderr


# verbose -------------------------------------------------------------------------------

ROUND_LINE = re.compile(
    r"\[(\w+)\] round (\d+): (\d+) candidates?(?: at n_resources=\d+)? x 3 folds in [\d.]+ s\. "
    r"Best is candidate (\d+)(?: at n_resources=(\d+))? with mean_test_score (\S+): (.*)"
)


def _round_lines(out):
    return [m.groups() for line in out.splitlines() if (m := ROUND_LINE.fullmatch(line))]


def test_verbose_prints_one_line_a_round_with_the_best_so_far(capsys):
    search = _fit(SEARCHES["BayesSearch"](verbose=1))
    out = capsys.readouterr().out
    assert out.count("Fitting 3 folds") == 1, out
    results = search.cv_results_
    rounds = np.asarray(results["iter"])
    lines = _round_lines(out)
    assert [int(r) for _, r, *_ in lines] == sorted(set(rounds.tolist())), out
    scores = np.asarray(results["mean_test_score"])
    for name, r, n, best, _, score, params in lines:
        upto = np.flatnonzero(rounds <= int(r))
        expected = int(np.argmax(scores[upto]))  # the first of the best
        assert name == "BayesSearch"
        assert int(n) == int((rounds == int(r)).sum())
        assert int(best) == expected
        assert math.isclose(float(score), scores[expected], rel_tol=1e-5)
        assert params == repr(results["params"][expected])
    assert int(lines[-1][3]) == search.best_index_


def test_verbose_hyperband_names_the_best_at_the_largest_budget_so_far(capsys):
    search = _fit(SEARCHES["HyperbandSearch"](verbose=1))
    out = capsys.readouterr().out
    lines = _round_lines(out)
    results = search.cv_results_
    rounds = np.asarray(results["iter"])
    budgets = np.asarray(results["n_resources"])
    scores = np.asarray(results["mean_test_score"])
    assert len(lines) == len(set(rounds.tolist()))
    for _, r, _, best, budget, _, _ in lines:
        upto = rounds <= int(r)
        top = np.flatnonzero(upto & (budgets == budgets[upto].max()))
        assert int(best) == int(top[np.argmax(scores[top])])
        assert int(budget) == budgets[int(best)]
    assert int(lines[-1][3]) == search.best_index_
    # each round names its own budget once, in the engine's line only
    out_budgets = [int(b) for b in re.findall(r"candidates? at n_resources=(\d+) x", out)]
    assert out_budgets == [int(budgets[rounds == r][0]) for r in sorted(set(rounds.tolist()))]
    assert "HyperbandSearch round" not in out


def test_verbose_says_when_no_score_is_finite(capsys):
    def no_score(estimator, X, y):
        return np.nan

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ManualSearch(SVC(), [{"C": 1.0}], cv=3, scoring=no_score, refit=False,
                     verbose=1).fit(X, y)
    out = capsys.readouterr().out
    assert re.search(r"\[ManualSearch\] round 0: 1 candidate x 3 folds in [\d.]+ s\. "
                     r"No candidate has a finite mean_test_score yet\.", out), out


# the HTML display ----------------------------------------------------------------------


def _api_classes():
    text = (ROOT / "docs" / "api.rst").read_text()
    section = text.split(".. currentmodule:: sktune\n", 1)[1].split(".. currentmodule::")[0]
    return set(re.findall(r"^   (\w+)$", section, flags=re.M))


@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_the_html_display_links_to_the_api_page(name):
    # the API reference lists the class under sktune, so its page is
    # generated/sktune.<name>.html
    assert name in _api_classes()
    html = SEARCHES[name]()._repr_html_()
    url = f"https://sktune.readthedocs.io/en/latest/generated/sktune.{name}.html"
    assert f'href="{url}"' in html
