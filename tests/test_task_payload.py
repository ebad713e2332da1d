"""What each fit's task carries to a worker does not grow with the search.

Every fit of a search gets a callback context, and all of them hang from
one parent; pickled whole, each task carried every other task's context
(and the search, which holds the tree's root), so a search of 48,000
candidates with ``n_jobs=2`` sent 12 MB per fit and finished one candidate
every 4 s. Without a callback, a task now carries the path from the root
to its own context only.
"""

import pickle

import pytest
from sklearn.datasets import load_iris
from sklearn.tree import DecisionTreeClassifier

from sktune import GridSearch
from sktune.search import _engine

callback = pytest.importorskip("sklearn.callback")
from sklearn.callback._callback_context import (  # noqa: E402
    CallbackContext,
    get_context_path,
)

X, y = load_iris(return_X_y=True)


def _tree(n_tasks, callbacks=()):
    owner = DecisionTreeClassifier()
    owner._skl_callbacks = list(callbacks)
    root = CallbackContext._from_estimator(owner, "fit", 0, 1, True)
    search = root.subcontext(task_name="search", max_subtasks=n_tasks,
                             sequential_subtasks=False)
    return [search.subcontext(task_name="candidate-split-evaluation", task_id=i)
            for i in range(n_tasks)]


def _path(ctx):
    return [(c.task_name, c.task_id, c.root_uuid) for c in get_context_path(ctx)]


def test_a_task_keeps_its_path_to_the_root_and_drops_its_siblings():
    tasks = _tree(5000)
    lean = _engine._for_worker(tasks[1234])
    assert _path(lean) == _path(tasks[1234])
    assert len(lean.parent._children_map) == 1
    assert len(pickle.dumps(lean)) * 100 < len(pickle.dumps(tasks[1234]))
    # the search's own tree is left whole
    assert len(tasks[1234].parent._children_map) == 5000
    assert tasks[1234].parent.parent._children_map[0] is tasks[1234].parent


def test_with_a_callback_the_tree_goes_whole():
    tasks = _tree(10, callbacks=[callback.ProgressBar()])
    assert _engine._for_worker(tasks[3]) is tasks[3]
    assert _engine._for_worker(None) is None


def _task_payload(monkeypatch, grid):
    """Pickled bytes of the context and the search the first fit's task carries."""
    sizes = []
    tasks = _engine.Evaluator._tasks

    def first_measured(self, *args, **kwargs):
        for task in tasks(self, *args, **kwargs):
            if not sizes:
                kw = task[2]
                sizes.append(len(pickle.dumps((kw["callback_ctx"], kw["caller"]))))
            yield task

    monkeypatch.setattr(_engine.Evaluator, "_tasks", first_measured)
    GridSearch(DecisionTreeClassifier(random_state=0), grid, cv=3, refit=False,
               max_time=0.5).fit(X, y)
    return sizes[0]


def test_a_task_is_as_small_in_a_search_of_ten_thousand_candidates(monkeypatch):
    # the same 200 values either way, 100 or 10,000 candidates (30,000 fits)
    small = _task_payload(monkeypatch, {"max_depth": list(range(1, 101)),
                                        "min_samples_leaf": list(range(1, 101))[:1]})
    large = _task_payload(monkeypatch, {"max_depth": list(range(1, 101)),
                                        "min_samples_leaf": list(range(1, 101))})
    assert large - small < 2000, (small, large)


def test_a_search_without_callbacks_fits_the_same_in_workers():
    grid = {"max_depth": [1, 2, 3, None], "min_samples_leaf": [1, 5]}
    one, two = (GridSearch(DecisionTreeClassifier(random_state=0), grid, cv=3, n_jobs=n)
                .fit(X, y) for n in (1, 2))
    assert one.cv_results_["params"] == two.cv_results_["params"]
    assert list(one.cv_results_["mean_test_score"]) == list(two.cv_results_["mean_test_score"])
    assert "_callback_fit_ctx" not in vars(two)
