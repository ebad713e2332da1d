"""Coming from scikit-optimize's BayesSearchCV (issue 16).

What users of scikit-optimize's ``BayesSearchCV`` write, in our own words,
run on :class:`sktune.BayesSearch`: ``Real`` / ``Integer`` /
``Categorical`` dimensions from ``skopt.space`` itself, skopt's tuple
shorthand, a list of sub-spaces, ``n_iter`` and ``n_points`` (``batch_size``
here), the initial points of ``optimizer_kwargs`` (``n_initial_points``
here), held-out scores, ``random_state``, and cross-validation given as a
generator, an empty iterable or a shuffled splitter.

Where sktune differs on purpose, the test pins sktune's behaviour and its
docstring says why (docs/comparison.rst, "Coming from scikit-optimize").
"""

from collections import Counter

import numpy as np
import pytest
from migration_cases import TestFoldRecorder, iris_with_row_ids
from sklearn.datasets import load_iris
from sklearn.model_selection import KFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier
from skopt.space import Categorical as SkoptCategorical
from skopt.space import Integer as SkoptInteger
from skopt.space import Real

from sktune import BayesSearch, Categorical, Integer, LogUniform, Uniform

X_IRIS, Y_IRIS = load_iris(return_X_y=True)


def _search(space, **kwargs):
    params = dict(estimator=SVC(), n_iter=8, n_initial_points=4, cv=3, random_state=0)
    return BayesSearch(param_distributions=space, **{**params, **kwargs})


SKOPT_SPACE = {
    "C": Real(1e-6, 1e6, prior="log-uniform"),
    "gamma": Real(1e-6, 1e1, prior="log-uniform"),
    "degree": SkoptInteger(1, 8),
    "kernel": SkoptCategorical(["linear", "poly", "rbf"]),
}


def test_skopt_dimensions_are_accepted():
    # skopt's own test_searchcv_runs space, as its users write it.
    # Fails today: TypeError, a skopt dimension is not a distribution.
    X_train, X_test, y_train, y_test = train_test_split(X_IRIS, Y_IRIS, random_state=0)
    search = _search(SKOPT_SPACE, n_iter=11).fit(X_train, y_train)
    for params in search.cv_results_["params"]:
        assert 1e-6 <= params["C"] <= 1e6 and 1e-6 <= params["gamma"] <= 1e1
        assert params["degree"] in range(1, 9) and isinstance(params["degree"], int)
        assert params["kernel"] in ("linear", "poly", "rbf")
    assert search.score(X_test, y_test) > 0.9


@pytest.mark.parametrize(
    "skopt_dimension, ours",
    [
        (Real(1e-3, 1e3, prior="log-uniform"), LogUniform(1e-3, 1e3)),
        (Real(1e-3, 1e3, prior="log-uniform", base=2), LogUniform(1e-3, 1e3)),
        (Real(0.0, 2.0), Uniform(0.0, 2.0)),
        (SkoptInteger(1, 64, prior="log-uniform"), Integer(1, 64, log=True)),
        (SkoptInteger(1, 8), Integer(1, 8)),
        (SkoptCategorical([0.1, 1.0, 10.0], prior=[0.2, 0.3, 0.5]),
         Categorical([0.1, 1.0, 10.0], weights=[0.2, 0.3, 0.5])),
    ],
    ids=["log-uniform", "log-uniform-base-2", "uniform", "log-integer", "integer", "categorical"],
)
def test_a_skopt_dimension_searches_like_its_sktune_equivalent(skopt_dimension, ours):
    # The translation is exact: the same random_state gives the same
    # candidates as the sktune distribution with the same geometry.
    name = "max_depth" if isinstance(ours, Integer) else "ccp_alpha"
    tree = DecisionTreeClassifier(random_state=0)
    theirs = _search({name: skopt_dimension}, estimator=tree, n_iter=6).fit(X_IRIS, Y_IRIS)
    mine = _search({name: ours}, estimator=tree, n_iter=6).fit(X_IRIS, Y_IRIS)
    assert theirs.cv_results_["params"] == mine.cv_results_["params"]


def test_skopts_tuple_shorthand_is_refused_with_its_translation():
    # skopt reads (1e-6, 1e+6, 'log-uniform') as a log-uniform Real. sktune
    # reads a tuple as a list of values, as scikit-learn does, and searches
    # C='log-uniform' among them without a word: every such fit fails.
    # Fails today: no error.
    search = _search({"C": (1e-6, 1e6, "log-uniform")})
    with pytest.raises(ValueError, match=r"'C' in param_distributions of BayesSearch.*LogUniform"):
        search.fit(X_IRIS, Y_IRIS)


def test_a_two_number_tuple_is_a_list_of_values():
    # Deliberate difference: skopt reads (1, 8) as Integer(1, 8); sktune
    # follows scikit-learn, for which a tuple is a list of values, so that
    # GridSearch and RandomSearch stay drop-ins for scikit-learn's searches.
    search = _search({"degree": (1, 8)}, estimator=SVC(kernel="poly"))
    with pytest.warns(UserWarning, match="holds only 2 distinct candidates"):
        search.fit(X_IRIS, Y_IRIS)
    assert sorted(p["degree"] for p in search.cv_results_["params"]) == [1, 8]


def test_skopts_list_of_space_and_n_iter_pairs_is_refused():
    # Deliberate difference: skopt optimizes (space, n_iter) pairs one after
    # the other; sktune searches a list of sub-spaces jointly, with one
    # n_iter, and its model chooses where to spend it.
    pairs = [({"C": LogUniform(1e-3, 1e3)}, 4), {"gamma": LogUniform(1e-3, 1e3)}]
    with pytest.raises(TypeError, match="Each entry of param_distributions of BayesSearch"):
        _search(pairs).fit(X_IRIS, Y_IRIS)


def test_sub_spaces_that_choose_the_model_of_a_pipeline():
    # skopt's test_searchcv_runs_multiple_subspaces, as a list of dicts
    pipe = Pipeline([("model", SVC())])
    spaces = [
        {"model": [LinearSVC()], "model__C": LogUniform(1e-3, 1e3)},
        {"model": [DecisionTreeClassifier(random_state=0)], "model__max_depth": Integer(1, 32)},
    ]
    search = BayesSearch(pipe, spaces, n_iter=6, n_initial_points=4, cv=3, random_state=0)
    search.fit(X_IRIS, Y_IRIS)
    models = {type(p["model"]).__name__ for p in search.cv_results_["params"]}
    assert models == {"LinearSVC", "DecisionTreeClassifier"}


@pytest.mark.parametrize(
    "space, error, match",
    [
        (None, ValueError, "The 'param_distributions' parameter of BayesSearch must be"),
        ({"C": "1 ... 100.0"}, TypeError, "value for 'C' in param_distributions of BayesSearch"),
    ],
)
def test_a_bad_space_is_refused_at_fit_not_at_construction(space, error, match):
    # Deliberate difference: skopt checks its space in __init__; sktune
    # follows scikit-learn, whose __init__ only stores its arguments.
    search = _search(space)
    with pytest.raises(error, match=match):
        search.fit(X_IRIS, Y_IRIS)


def test_a_single_point_space():
    with pytest.warns(UserWarning, match="holds only 1 distinct candidates"):
        search = _search({"kernel": ["rbf"]}).fit(X_IRIS, Y_IRIS)
    assert search.cv_results_["params"] == [{"kernel": "rbf"}]


def test_n_points_is_batch_size_and_n_iter_counts_every_candidate():
    # skopt's n_points=2 asks two points per round; optimizer_kwargs=
    # {"n_initial_points": 4} is the n_initial_points argument here.
    search = _search({"C": LogUniform(1e-3, 1e3), "gamma": LogUniform(1e-4, 1e1)},
                     n_iter=10, batch_size=2).fit(X_IRIS, Y_IRIS)
    res = search.cv_results_
    assert len(res["params"]) == search.n_iter == 10  # skopt's total_iterations
    assert res["initial_design"].tolist() == [True] * 4 + [False] * 6
    assert Counter(res["iter"][4:].tolist()) == {1: 2, 2: 2, 3: 2}
    # skopt's optimizer_results_: the optimizer holds every point and score
    assert search.optimizer_.X_.shape == (10, 2)
    np.testing.assert_allclose(search.optimizer_.y_, res["mean_test_score"])


def test_the_same_random_state_gives_the_same_candidates():
    space = {"C": LogUniform(1e-3, 1e3), "gamma": LogUniform(1e-4, 1e1)}
    first, again = _search(space).fit(X_IRIS, Y_IRIS), _search(space).fit(X_IRIS, Y_IRIS)
    other = _search(space, random_state=1).fit(X_IRIS, Y_IRIS)
    assert first.cv_results_["params"] == again.cv_results_["params"]
    assert first.cv_results_["params"] != other.cv_results_["params"]


def test_every_round_is_scored_on_the_same_folds():
    # Folds are fixed for the whole fit (DESIGN rule 14): BayesSearch's
    # model compares scores across rounds, which needs the same folds.
    # Fails today: each round splits a seedless shuffled KFold again.
    X, y = iris_with_row_ids()
    recorder = TestFoldRecorder()
    search = _search({"C": LogUniform(1e-3, 1e3)}, cv=KFold(3, shuffle=True),
                     scoring=recorder).fit(X, y)
    assert len(recorder.folds) == 3 * len(search.cv_results_["params"])
    assert len(recorder.distinct_folds) == 3


def test_a_generator_of_splits_as_cv():
    space = {"C": LogUniform(1e-3, 1e3)}
    splits = list(KFold(3, shuffle=True, random_state=0).split(X_IRIS))
    from_list = _search(space, cv=splits).fit(X_IRIS, Y_IRIS)
    from_generator = _search(space, cv=KFold(3, shuffle=True, random_state=0).split(X_IRIS))
    from_generator.fit(X_IRIS, Y_IRIS)
    assert from_generator.cv_results_["params"] == from_list.cv_results_["params"]


@pytest.mark.parametrize("kind", ["empty list", "exhausted generator"])
def test_an_empty_cv_gives_scikit_learns_message(kind):
    # Known defect: ZeroDivisionError (the default batch size divides by
    # the number of splits).
    if kind == "empty list":
        cv = []
    else:
        cv = KFold(3).split(X_IRIS)
        list(cv)
    with pytest.raises(ValueError, match="No fits were performed. Was the CV iterator empty?"):
        _search({"C": LogUniform(1e-3, 1e3)}, cv=cv).fit(X_IRIS, Y_IRIS)
