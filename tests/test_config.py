"""TOML configurations: what they build, and one clear error per mistake."""

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC

import sktune
from sktune.config import ConfigError, load_config, run_config
from sktune.distributions import Categorical, Integer, LogUniform, Normal, Uniform
from sktune.store import CheckpointStore

EXAMPLES = Path(__file__).parents[1] / "examples"

ESTIMATOR = '[estimator]\npath = "sklearn.svm.SVC"\n'
DATA = '[data]\ndataset = "iris"\n'
SEARCH = '[search]\nstrategy = "random"\nn_iter = 2\ncv = 2\n'
SPACE = '[space]\nC = "LogUniform(1e-2, 1e2)"\n'


def _write(tmp_path, text, name="job.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _load(tmp_path, text):
    return load_config(_write(tmp_path, text))


def _config(estimator=ESTIMATOR, data=DATA, search=SEARCH, space=SPACE):
    return estimator + data + search + space


# what a configuration builds ------------------------------------------------------------


def test_a_pipeline_with_fixed_parameters_and_a_space(tmp_path):
    job = _load(tmp_path, _config(
        estimator='[estimator]\nsteps = [["scale", "sklearn.preprocessing.StandardScaler"],'
                  ' ["svc", "sklearn.svm.SVC"]]\nparams = { svc__kernel = "poly", '
                  'svc__degree = 2 }\n',
        search='[search]\nstrategy = "random"\nn_iter = 7\ncv = 4\nscoring = "accuracy"\n'
               'n_jobs = 2\nrandom_state = 3\n',
        space='[space]\nsvc__C = "LogUniform(1e-2, 1e2)"\nsvc__shrinking = [true, false]\n',
    ))
    search = job.search
    assert isinstance(search, sktune.RandomSearch)
    assert job.strategy == "random"
    assert isinstance(search.estimator, Pipeline)
    assert [n for n, _ in search.estimator.steps] == ["scale", "svc"]
    assert search.estimator.get_params()["svc__kernel"] == "poly"
    assert search.estimator.get_params()["svc__degree"] == 2
    assert search.param_distributions == {
        "svc__C": LogUniform(1e-2, 1e2), "svc__shrinking": [True, False],
    }
    assert (search.n_iter, search.cv, search.scoring, search.n_jobs, search.random_state) == (
        7, 4, "accuracy", 2, 3,
    )
    assert job.X.shape == (150, 4) and job.y.shape == (150,)
    assert "iris" in job.data


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"LogUniform(1e-3, 1e3)"', LogUniform(1e-3, 1e3)),
        ('"Integer(1, 10, log=True)"', Integer(1, 10, log=True)),
        ('" Uniform( -1 , 1 ) "', Uniform(-1, 1)),
        ('"Normal(0, 1, low=-2, high=None)"', Normal(0, 1, low=-2)),
        ("\"Categorical(['rbf', None], weights=[0.75, 0.25])\"",
         Categorical(["rbf", None], weights=[0.75, 0.25])),
        ('{ distribution = "Integer", low = 2, high = 5 }', Integer(2, 5)),
        ('{ distribution = "Categorical", choices = ["a", "None"] }', Categorical(["a", None])),
        ('[1, "None", "scale"]', [1, None, "scale"]),
    ],
)
def test_distribution_forms(tmp_path, text, expected):
    job = _load(tmp_path, _config(
        estimator='[estimator]\npath = "sklearn.dummy.DummyClassifier"\n',
        space=f"[space]\nconstant = {text}\n",
    ))
    assert job.search.param_distributions == {"constant": expected}


@pytest.mark.parametrize(
    "strategy, key, value, cls",
    [
        ("grid", "n_points", 3, "GridSearch"),
        ("random", "sampler", "sobol", "RandomSearch"),
        ("bayes", "n_initial_points", 3, "BayesSearch"),
        ("hyperband", "eta", 2, "HyperbandSearch"),
    ],
)
def test_each_strategy_builds_its_search_class(tmp_path, strategy, key, value, cls):
    written = f'"{value}"' if isinstance(value, str) else value
    job = _load(tmp_path, _config(search=f'[search]\nstrategy = "{strategy}"\n{key} = {written}\n'))
    assert type(job.search) is getattr(sktune, cls)
    assert job.search.get_params()[key] == value


def test_manual_strategy_takes_candidates_and_object_tables(tmp_path):
    job = _load(tmp_path, ESTIMATOR + DATA + '[search]\nstrategy = "manual"\ncv = 3\n'
                '[[candidates]]\nC = 1.0\nkernel = "linear"\n'
                '[[candidates]]\nC = 0.5\nclass_weight = "None"\n')
    assert isinstance(job.search, sktune.ManualSearch)
    assert job.search.candidates == [
        {"C": 1.0, "kernel": "linear"}, {"C": 0.5, "class_weight": None},
    ]


def test_object_tables_build_splitters_and_estimator_choices(tmp_path):
    job = _load(tmp_path, _config(
        estimator='[estimator]\nsteps = [["scale", "passthrough"], '
                  '["clf", { path = "sklearn.svm.SVC", params = { C = 2.0 } }]]\n',
        search='[search]\nstrategy = "grid"\ncv = { path = "sklearn.model_selection.'
               'StratifiedKFold", params = { n_splits = 3, shuffle = true, '
               'random_state = 1 } }\n',
        space='[space]\nclf = [{ path = "sklearn.svm.SVC" }, { path = '
              '"sklearn.tree.DecisionTreeClassifier", params = { max_depth = "None" } }]\n',
    ))
    cv = job.search.cv
    assert isinstance(cv, StratifiedKFold) and (cv.n_splits, cv.shuffle) == (3, True)
    assert job.search.estimator.steps[0] == ("scale", "passthrough")
    assert job.search.estimator.steps[1][1].C == 2.0
    svc, tree = job.search.param_grid["clf"]
    assert isinstance(svc, SVC) and tree.max_depth is None


def test_a_list_of_subspaces(tmp_path):
    job = _load(tmp_path, _config(
        space='[[space]]\nkernel = ["linear"]\n[[space]]\nkernel = ["rbf"]\n'
              'gamma = "LogUniform(1e-3, 1)"\n',
    ))
    assert job.search.param_distributions == [
        {"kernel": ["linear"]}, {"kernel": ["rbf"], "gamma": LogUniform(1e-3, 1)},
    ]


def test_relative_paths_are_relative_to_the_configuration(tmp_path, monkeypatch):
    folder = tmp_path / "jobs"
    folder.mkdir()
    (folder / "train.csv").write_text("a;b;label\n1;2;x\n3;;y\n5;6;x\n")
    path = _write(folder, _config(
        data='[data]\ncsv = "train.csv"\ntarget = "label"\ndelimiter = ";"\n',
        search='[search]\nstrategy = "grid"\ncheckpoint = "runs.db"\n',
    ))
    monkeypatch.chdir(tmp_path)
    job = load_config(path)
    assert job.search.checkpoint == str(folder / "runs.db")
    np.testing.assert_array_equal(job.X, [[1, 2], [3, np.nan], [5, 6]])
    assert job.y.tolist() == ["x", "y", "x"]


def test_csv_feature_selection_and_numeric_target(tmp_path):
    (tmp_path / "d.csv").write_text("a,b,c,y\n1,2,3,0\n4,5,6,1\n")
    job = _load(tmp_path, _config(
        data='[data]\ncsv = "d.csv"\ntarget = "y"\nfeatures = ["c", "a"]\n',
    ))
    np.testing.assert_array_equal(job.X, [[3, 1], [6, 4]])
    assert job.y.dtype.kind == "i" and job.y.tolist() == [0, 1]


# one clear error per mistake ---------------------------------------------------------------

MISTAKES = [
    # file and sections
    ("[estimator\n", None, r"invalid TOML: .*line 1"),
    (_config() + "[extra]\n", "extra", "unknown section"),
    (DATA + SEARCH + SPACE, "estimator", r"missing; a configuration needs \[estimator\]"),
    ("search = 3\n" + ESTIMATOR + DATA + SPACE, "search", "must be a table"),
    # estimator
    (_config(estimator='[estimator]\npath = "sklearn.svm.SVX"\n'), "estimator.path",
     r"cannot import 'sklearn.svm.SVX': module 'sklearn.svm' has no 'SVX' \(did you mean"),
    (_config(estimator='[estimator]\npath = "sklearnx.svm.SVC"\n'), "estimator.path",
     "cannot import 'sklearnx.svm.SVC': No module named 'sklearnx'"),
    (_config(estimator='[estimator]\npath = "SVC"\n'), "estimator.path",
     "must be an import path such as"),
    (_config(estimator='[estimator]\npath = "math.pi"\n'), "estimator.path", "is not a class"),
    (_config(estimator='[estimator]\npath = "collections.OrderedDict"\n'), "estimator.path",
     "OrderedDict is not an estimator"),
    (_config(estimator='[estimator]\nmodel = "sklearn.svm.SVC"\n'), "estimator.model",
     "unknown key"),
    (_config(estimator='[estimator]\nparams = {}\n'), "estimator",
     "needs either 'path' .* or 'steps'"),
    (_config(estimator=ESTIMATOR + 'params = { gama = 1.0 }\n'), "estimator.params.gama",
     r"SVC has no parameter 'gama' \(did you mean 'gamma'\?\)"),
    (_config(estimator=ESTIMATOR + 'params = { C = -1 }\n'), "estimator.params.C",
     "The 'C' parameter of SVC must be a float"),
    (_config(estimator='[estimator]\nsteps = [["svc"]]\n'), r"estimator.steps\[0\]",
     r"must be a \[name, step\] pair"),
    (_config(estimator='[estimator]\nsteps = []\n'), "estimator.steps", "non-empty list"),
    (_config(estimator='[estimator]\nsteps = [["a", "sklearn.svm.SVC"], '
             '["a", "sklearn.svm.SVC"]]\n'), "estimator.steps", "step names must be unique"),
    (_config(estimator='[estimator]\nsteps = [["a", "sklearn.svm.Nope"]]\n'),
     r"estimator.steps\[0\]", "cannot import 'sklearn.svm.Nope'"),
    # data
    (_config(data='[data]\ndataset = "digitz"\n'), "data.dataset",
     r"unknown built-in dataset 'digitz' \(did you mean 'digits'\?\)"),
    (_config(data='[data]\n'), "data", "needs either 'dataset' .* or 'csv'"),
    (_config(data='[data]\ndataset = "iris"\ntarget = "y"\n'), "data.target",
     "only applies to data.csv"),
    (_config(data='[data]\ncsv = "missing.csv"\ntarget = "y"\n'), "data.csv",
     "no such file: .*missing.csv"),
    (_config(data='[data]\ncsv = "d.csv"\n'), "data.target", "missing; name the target column"),
    (_config(data='[data]\ncsv = "d.csv"\ntarget = "z"\n'), "data.target",
     "no column 'z' in d.csv; the columns are a, b, y"),
    (_config(data='[data]\ncsv = "d.csv"\ntarget = "y"\nfeatures = ["a", "c"]\n'),
     "data.features", "no column 'c' in d.csv"),
    (_config(data='[data]\ncsv = "text.csv"\ntarget = "y"\n'), "data.features",
     r"column 'a' of text.csv is not numeric \(line 3: 'red'\)"),
    (_config(data='[data]\ncsv = "ragged.csv"\ntarget = "y"\n'), "data.csv",
     "line 2 of ragged.csv has 2 fields, the header 3"),
    (_config(data='[data]\ncsv = "empty.csv"\ntarget = "y"\n'), "data.csv",
     "needs a header line and at least one row"),
    (_config(data='[data]\ncsv = "d.csv"\ntarget = "y"\ndelimiter = ";;"\n'),
     "data.delimiter", "must be one character"),
    # search
    (_config(search='[search]\nn_iter = 3\n'), "search.strategy", "missing; choose from grid"),
    (_config(search='[search]\nstrategy = "randon"\n'), "search.strategy",
     r"unknown strategy 'randon' \(did you mean 'random'\?\)"),
    (_config(search='[search]\nstrategy = "grid"\nn_iter = 3\n'), "search.n_iter",
     r"not a setting of the grid strategy \(GridSearch\).*its settings are n_points"),
    (_config(search='[search]\nstrategy = "random"\nscoring = "acuracy"\n'), "search.scoring",
     r"unknown scorer 'acuracy' \(did you mean 'accuracy'\?\)"),
    (_config(search='[search]\nstrategy = "random"\nn_iter = 0\n'), "search.n_iter",
     "The 'n_iter' parameter of RandomSearch must be an int"),
    # space
    (_config(space=""), "space", r"missing; a configuration needs \[space\]"),
    (_config(space="[space]\n"), "space", "is empty"),
    (_config(space='[space]\nCC = [1, 2]\n'), "space.CC",
     r"SVC has no parameter 'CC' \(did you mean 'C'\?\)"),
    (_config(space='[space]\nC = "LogUniform(1e-2, "\n'), "space.C",
     r"malformed distribution 'LogUniform\(1e-2, ': expected a call"),
    (_config(space='[space]\nC = "LogUniform"\n'), "space.C", "malformed distribution"),
    (_config(space='[space]\nC = "LogUniform(low, 1)"\n'), "space.C", "malformed distribution"),
    (_config(space='[space]\nC = "os.system(\'ls\')"\n'), "space.C", "malformed distribution"),
    (_config(space='[space]\nC = "LogUniform(**{})"\n'), "space.C", "malformed distribution"),
    (_config(space='[space]\nC = "LogUniform(1, 2)(3)"\n'), "space.C", "malformed distribution"),
    (_config(space='[space]\nC = "rbf"\n'), "space.C", "malformed distribution 'rbf'"),
    (_config(space='[space]\nC = "LogUnifrom(1, 2)"\n'), "space.C",
     r"unknown distribution 'LogUnifrom' \(did you mean 'LogUniform'\?\); choose from Beta"),
    (_config(space='[space]\nC = "ScipyDistribution(1)"\n'), "space.C",
     "unknown distribution 'ScipyDistribution'"),
    (_config(space='[space]\nC = "LogUniform(10, 1)"\n'), "space.C",
     "The 'low' parameter of LogUniform must be"),
    (_config(space='[space]\nC = "LogUniform(1, 10, base=2)"\n'), "space.C",
     "unexpected keyword argument 'base'"),
    (_config(space='[space]\nC = { distribution = "Uniform", low = 1 }\n'), "space.C",
     "missing 1 required positional argument: 'high'"),
    (_config(space='[space]\nC = { low = 1, high = 2 }\n'), "space.C",
     "must be a distribution such as"),
    (_config(space='[space]\nC = 3\n'), "space.C", "must be a distribution such as"),
    (_config(space='[space]\nC = []\n'), "space.C", "an empty list has no value to try"),
    (_config(space='[space]\nkernel = ["rbf", "rbff"]\n'), r"space.kernel\[1\]",
     "The 'kernel' parameter of SVC must be a str among"),
    (_config(space='[[space]]\nC = [1]\n[[space]]\nD = [1]\n'), r"space\[1\].D",
     "SVC has no parameter 'D'"),
    # manual
    (ESTIMATOR + DATA + '[search]\nstrategy = "manual"\n', "candidates",
     r"missing; the manual strategy needs \[\[candidates\]\]"),
    (ESTIMATOR + DATA + '[search]\nstrategy = "manual"\n' + SPACE, "space",
     r"the manual strategy takes \[\[candidates\]\], not \[space\]"),
    (_config() + '[[candidates]]\nC = 1\n', "candidates",
     "only the manual strategy takes candidates"),
    (ESTIMATOR + DATA + '[search]\nstrategy = "manual"\n[[candidates]]\nC = 1\n'
     '[[candidates]]\nkernel = "nope"\n', r"candidates\[1\].kernel",
     "The 'kernel' parameter of SVC"),
]


@pytest.mark.parametrize("text, key, problem", MISTAKES)
def test_a_mistake_gives_one_error_naming_file_key_and_problem(tmp_path, text, key, problem):
    (tmp_path / "d.csv").write_text("a,b,y\n1,2,0\n3,4,1\n")
    (tmp_path / "text.csv").write_text("a,b,y\n1,2,0\nred,4,1\n")
    (tmp_path / "ragged.csv").write_text("a,b,y\n1,2\n")
    (tmp_path / "empty.csv").write_text("a,b,y\n")
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    where = re.escape(str(path)) + (": " + key if key else "")
    assert re.match(f"{where}: .*{problem}", message), message
    assert "\n" not in message
    assert info.value.file == str(path)


def test_missing_configuration_file(tmp_path):
    with pytest.raises(ConfigError, match=r"nope.toml: no such configuration file"):
        load_config(tmp_path / "nope.toml")


def test_a_strategy_missing_from_this_version_is_named(tmp_path, monkeypatch):
    monkeypatch.delattr(sktune, "BayesSearch")
    with pytest.raises(ConfigError, match=r"search.strategy: 'bayes' is not available .*"
                       r"no sktune.BayesSearch"):
        _load(tmp_path, _config(search='[search]\nstrategy = "bayes"\n'))


def test_checkpoint_with_a_strategy_without_checkpoints_is_refused(tmp_path, monkeypatch):
    # a search class whose signature has no checkpoint (ManualSearch before
    # checkpoints existed): the setting is refused, not silently dropped
    class NoCheckpoint(sktune.ManualSearch):
        def __init__(self, estimator, candidates, *, cv=None):
            super().__init__(estimator, candidates, cv=cv)

    monkeypatch.setattr(sktune, "ManualSearch", NoCheckpoint)
    with pytest.raises(ConfigError, match=r"search.checkpoint: not a setting of the manual"):
        _load(tmp_path, ESTIMATOR + DATA + '[search]\nstrategy = "manual"\n'
              'checkpoint = "a.db"\n[[candidates]]\nC = 1\n')


# running ----------------------------------------------------------------------------------


def test_run_config_resumes_from_the_checkpoint(tmp_path):
    path = _write(tmp_path, _config(
        search='[search]\nstrategy = "grid"\nn_points = 3\ncv = 3\ncheckpoint = "job.db"\n',
    ))
    first = run_config(path)
    assert first.n_reused_ == 0
    with CheckpointStore(tmp_path / "job.db", read_only=True) as store:
        assert len(store) == 3
    again = run_config(path)
    assert again.n_reused_ == 3
    np.testing.assert_array_equal(
        again.cv_results_["mean_test_score"], first.cv_results_["mean_test_score"]
    )


@pytest.mark.parametrize("checkpoint", [True, False])
def test_interrupt_says_where_the_results_are_and_how_to_resume(tmp_path, monkeypatch,
                                                                checkpoint):
    setting = 'checkpoint = "job.db"\n' if checkpoint else ""
    path = _write(tmp_path, _config(search=f'[search]\nstrategy = "grid"\n{setting}'))
    job = load_config(path)

    def interrupted(X, y):
        if checkpoint:
            with CheckpointStore(job.search.checkpoint) as store:
                store.add("k", {"C": 1.0}, [{}])
        raise KeyboardInterrupt("RandomSearch interrupted")

    monkeypatch.setattr(job.search, "fit", interrupted)
    with pytest.raises(KeyboardInterrupt) as info:
        job.run()
    message = str(info.value)
    if checkpoint:
        assert message.startswith("1 finished candidates are saved in ")
        assert f"run the same configuration again to resume (sktune run {path})" in message
    else:
        assert message == (
            f"the finished candidates are not kept; set search.checkpoint in {path} "
            "to resume an interrupted run"
        )


def test_callbacks_are_set_on_the_search(tmp_path):
    seen = []

    class Record:
        def setup(self, estimator, context):
            pass

        def on_fit_task_begin(self, estimator, context, **kwargs):
            seen.append(context.task_name)

        def on_fit_task_end(self, estimator, context, **kwargs):
            pass

        def teardown(self, estimator, context):
            pass

    run_config(_write(tmp_path, _config()), callbacks=[Record()])
    assert "search" in seen


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.toml")))
def test_examples_run_as_they_are(tmp_path, example):
    # a copy, so that checkpoints land in tmp_path, not in the repository
    shutil.copytree(EXAMPLES, tmp_path / "examples", ignore=shutil.ignore_patterns("*.db*"))
    search = run_config(tmp_path / "examples" / example)
    assert np.isfinite(search.best_score_)
    assert len(search.cv_results_["params"]) >= 4
