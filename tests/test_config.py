"""TOML configurations: what they build, and one clear error per mistake."""

import re
import shutil
import subprocess
import sys
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


# objects built with their arguments (issue 18) ------------------------------------------------


def test_objects_are_built_with_their_arguments(tmp_path):
    # ColumnTransformer and SelectFromModel have required arguments: built
    # empty and then set, as before, they could not be built at all
    job = _load(tmp_path, _config(
        estimator='[estimator]\nsteps = [\n'
                  '  ["prep", { path = "sklearn.compose.ColumnTransformer", args = [[\n'
                  '    ["log", { path = "sklearn.preprocessing.FunctionTransformer", '
                  'args = [{ ref = "numpy.log1p" }] }, [0, 1]],\n'
                  '    ["onehot", { path = "sklearn.preprocessing.OneHotEncoder", '
                  'params = { handle_unknown = "ignore", dtype = { ref = "numpy.float32" } } },'
                  ' [2]],\n'
                  '  ]], params = { remainder = "passthrough" } }],\n'
                  '  ["select", { path = "sklearn.feature_selection.SelectFromModel", args = '
                  '[{ path = "sklearn.linear_model.LogisticRegression", params = '
                  '{ max_iter = 500 } }], params = { estimator__C = 0.5 } }],\n'
                  '  ["svc", "sklearn.svm.SVC"],\n]\n',
        space='[space]\nsvc__C = [1.0, 10.0]\n',
    ))
    prep, select, _ = (step for _, step in job.search.estimator.steps)
    log, onehot = prep.transformers
    assert isinstance(log, tuple) and log[0] == "log" and log[2] == [0, 1]
    assert log[1].func is np.log1p
    assert onehot[1].get_params()["handle_unknown"] == "ignore"
    assert onehot[1].dtype is np.float32
    assert prep.remainder == "passthrough"
    assert type(select.estimator).__name__ == "LogisticRegression"
    assert (select.estimator.max_iter, select.estimator.C) == (500, 0.5)
    assert job.search.fit(job.X, job.y).best_score_ > 0.9


def test_splitters_kernels_and_column_selectors_are_built_too(tmp_path):
    job = _load(tmp_path, _config(
        estimator='[estimator]\npath = "sklearn.gaussian_process.GaussianProcessClassifier"\n'
                  'params = { kernel = { path = "sklearn.gaussian_process.kernels.RBF", '
                  'args = [2.0] } }\n',
        search='[search]\nstrategy = "grid"\ncv = { path = "sklearn.model_selection.KFold", '
               'args = [3] }\n',
        space='[space]\nmax_iter_predict = [50]\n',
    ))
    assert job.search.estimator.kernel.length_scale == 2.0
    assert job.search.cv.n_splits == 3
    selector = load_config(_write(tmp_path, _config(
        estimator='[estimator]\npath = "sklearn.compose.ColumnTransformer"\nargs = [[["scale", '
                  '{ path = "sklearn.preprocessing.StandardScaler" }, { path = '
                  '"sklearn.compose.make_column_selector", params = { dtype_include = '
                  '{ ref = "numpy.number" } } }]]]\n',
        space='[space]\nsparse_threshold = [0.3]\n',
    ))).search.estimator.transformers[0][2]
    assert selector.dtype_include is np.number


OBJECT_MISTAKES = [
    ('{ path = "sklearn.compose.ColumnTransformer" }', "estimator.steps[0]",
     "cannot build ColumnTransformer: .*missing 1 required positional argument: "
     "'transformers'"),
    ('{ path = "sklearn.preprocessing.OneHotEncoder", params = { handle_unknow = "ignore" } }',
     "estimator.steps[0].params.handle_unknow",
     r"OneHotEncoder has no parameter 'handle_unknow' \(did you mean 'handle_unknown'\?\)"),
    ('{ path = "sklearn.preprocessing.OneHotEncoder", params = { handle_unknown = "ignor" } }',
     "estimator.steps[0].params.handle_unknown",
     "The 'handle_unknown' parameter of OneHotEncoder must be a str among"),
    ('{ path = "sklearn.preprocessing.StandardScaler", args = "x" }', "estimator.steps[0].args",
     "must be a list of arguments; got 'x'"),
    ('{ path = "sklearn.preprocessing.StandardScaler", kwargs = {} }',
     "estimator.steps[0].kwargs", r"unknown key \(did you mean 'args'\?\)"),
    ('{ steps = [["s", "sklearn.preprocessing.StandardScaler"]], args = [] }',
     "estimator.steps[0].args", "unknown key"),
    ('{ path = "sklearn.preprocessing.FunctionTransformer", params = { func = '
     '{ ref = "numpy.log1p", args = [] } } }', "estimator.steps[0].params.func.args",
     "unknown key"),
    ('{ path = "sklearn.preprocessing.FunctionTransformer", params = { func = '
     '{ ref = "numpy.savetxt" } } }', "estimator.steps[0].params.func.ref",
     r"'numpy.savetxt' is not allowed: a configuration references only numpy ufuncs and "
     r"scalar types and the score functions of sklearn.feature_selection; to allow it: "
     r"sktune run --allow-import numpy"),
    ('{ steps = [["s", "sklearn.preprocessing.StandardScaler"]], params = { memory = "cache" } }',
     "estimator.steps[0].params.memory",
     "a configuration cannot set a cache folder: joblib's cache unpickles its files"),
]


@pytest.mark.parametrize("step, key, problem", OBJECT_MISTAKES)
def test_an_object_table_mistake_names_its_key(tmp_path, step, key, problem):
    text = _config(estimator=f'[estimator]\nsteps = [["a", {step}], ["svc", "sklearn.svm.SVC"]]\n',
                   space='[space]\nsvc__C = [1.0]\n')
    with pytest.raises(ConfigError, match=f"job.toml: {re.escape(key)}: {problem}"):
        _load(tmp_path, text)


def test_a_cache_folder_set_by_name_is_refused_too(tmp_path):
    with pytest.raises(ConfigError, match=r"estimator.params.memory: a configuration cannot "
                       "set a cache folder"):
        _load(tmp_path, _config(
            estimator='[estimator]\nsteps = [["svc", "sklearn.svm.SVC"]]\n'
                      'params = { memory = "cache" }\n',
            space='[space]\nsvc__C = [1.0]\n',
        ))
    with pytest.raises(ConfigError, match=r"estimator.params.inner__memory: a configuration "
                       "cannot set a cache folder"):
        _load(tmp_path, _config(
            estimator='[estimator]\nsteps = [["inner", { steps = [["svc", "sklearn.svm.SVC"]] '
                      '}]]\nparams = { inner__memory = "cache" }\n',
            space='[space]\ninner__svc__C = [1.0]\n',
        ))


# what a configuration may import ------------------------------------------------------------

USER_MODULE = '''
import os
import pathlib
from os import system

from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.dummy import DummyClassifier

pathlib.Path(os.environ["SKTUNE_MARKER"]).touch()


class Always(ClassifierMixin, BaseEstimator):
    def __init__(self, label=0):
        self.label = label

    def fit(self, X, y):
        self.classes_ = sorted(set(y))
        return self

    def predict(self, X):
        return [self.label] * len(X)


class NoFit:
    pass
'''


@pytest.fixture
def user_module(tmp_path, monkeypatch):
    """A module of the user's, ``usermod``, which marks a file when it is imported."""
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "usermod.py").write_text(USER_MODULE)
    marker = tmp_path / "imported"
    monkeypatch.setenv("SKTUNE_MARKER", str(marker))
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, "usermod", raising=False)
    return marker


def test_a_module_that_is_not_allowed_is_not_even_imported(tmp_path, user_module):
    with pytest.raises(ConfigError, match=r"estimator.path: 'usermod.Always' is not allowed: "
                       r"module 'usermod' is not one of .*; to allow it: sktune run "
                       r"--allow-import usermod, or \[trust\] allow_import = \[\"usermod\"\]"):
        _load(tmp_path, _config(estimator='[estimator]\npath = "usermod.Always"\n',
                                space='[space]\nlabel = [0, 1]\n'))
    assert not user_module.exists() and "usermod" not in sys.modules


@pytest.mark.parametrize("how", ["argument", "table"])
def test_an_allowed_module_is_imported_and_used(tmp_path, user_module, how):
    text = _config(estimator='[estimator]\npath = "usermod.Always"\n',
                   space='[space]\nlabel = [0, 1]\n')
    if how == "table":
        job = _load(tmp_path, text + '[trust]\nallow_import = ["usermod"]\n')
    else:
        job = load_config(_write(tmp_path, text), allow_import=["usermod"])
    assert type(job.search.estimator).__name__ == "Always" and user_module.exists()
    assert job.search.fit(job.X, job.y).best_score_ == pytest.approx(1 / 3)


def test_what_an_allowed_module_holds_is_the_users_to_take(tmp_path, user_module):
    # the user vouched for usermod: its names are judged as usermod's, even
    # one it imported from os; an sklearn class it imported stays an estimator
    text = _config(estimator='[estimator]\npath = "usermod.DummyClassifier"\n',
                   space='[space]\nstrategy = ["prior"]\n')
    job = load_config(_write(tmp_path, text), allow_import=["usermod"])
    assert type(job.search.estimator).__name__ == "DummyClassifier"
    with pytest.raises(ConfigError, match=r"estimator.path: NoFit is not an estimator \(no fit\)"):
        load_config(_write(tmp_path, _config(estimator='[estimator]\npath = "usermod.NoFit"\n')),
                    allow_import=["usermod"])


TRUST_MISTAKES = [
    ('[trust]\nallow_import = "usermod"\n', "trust.allow_import",
     r"must be a list of module names such as \[\"mypackage\"\]; got 'usermod'"),
    ('[trust]\nallow_import = ["user mod"]\n', r"trust.allow_import\[0\]",
     "must be a module name such as 'mypackage'; got 'user mod'"),
    ('[trust]\nallow_import = ["usermod", "os"]\n', r"trust.allow_import\[1\]",
     "a configuration file cannot allow the standard library module 'os': it holds no "
     "estimators, but os, subprocess and builtins; if you mean it, run sktune run "
     "--allow-import os"),
    ('[trust]\nallow_imports = ["usermod"]\n', "trust.allow_imports",
     r"unknown key \(did you mean 'allow_import'\?\)"),
    ('trust = ["usermod"]\n', "trust", "must be a table"),
]


@pytest.mark.parametrize("table, key, problem", TRUST_MISTAKES)
def test_a_trust_table_mistake_names_its_key(tmp_path, user_module, table, key, problem):
    text = table + _config(estimator='[estimator]\npath = "usermod.Always"\n',
                           space='[space]\nlabel = [0, 1]\n')
    with pytest.raises(ConfigError, match=f"job.toml: {key}: {problem}"):
        _load(tmp_path, text)
    assert not user_module.exists()


@pytest.mark.parametrize(
    "allow_import, error", [("usermod", TypeError), (None, TypeError), (["user mod"], ValueError),
                            ([3], ValueError)],
)
def test_load_and_run_config_check_allow_import(tmp_path, allow_import, error):
    path = _write(tmp_path, _config())
    for function in (load_config, run_config):
        with pytest.raises(error, match=rf"The 'allow_import' parameter of {function.__name__} "
                           rf"must be a list of module names such as \['mypackage'\]\. Got "
                           rf"{re.escape(repr(allow_import))} instead\."):
            function(path, allow_import=allow_import)


# data files, read with pandas (issues 17 and 18) -------------------------------------------------


def _table(tmp_path, rows, name="d.csv"):
    (tmp_path / name).write_text("".join(f"{row}\n" for row in rows))


def test_text_and_categorical_columns_are_kept_for_the_estimator(tmp_path):
    # a text column was refused ("not numeric ... encode it first")
    _table(tmp_path, ["n,colour,note,y"] + [
        f"{i},{'red' if i % 2 else 'blue'},{'NA' if i % 3 else 'a b'},{'yes' if i % 2 else 'no'}"
        for i in range(12)
    ])
    job = _load(tmp_path, _config(
        estimator='[estimator]\nsteps = [["prep", { path = "sklearn.compose.ColumnTransformer", '
                  'args = [[["colour", { path = "sklearn.preprocessing.OneHotEncoder" }, '
                  '["colour"]], ["note", { path = "sklearn.feature_extraction.text.'
                  'CountVectorizer" }, "note"]]] }], ["tree", "sklearn.tree.'
                  'DecisionTreeClassifier"]]\n',
        data='[data]\ncsv = "d.csv"\ntarget = "y"\n',
        search='[search]\nstrategy = "grid"\ncv = 2\n',
        space='[space]\ntree__max_depth = [1, 2]\n',
    ))
    assert list(job.X.columns) == ["n", "colour", "note"]
    assert job.X["colour"].tolist()[:2] == ["blue", "red"]
    assert job.X["note"].tolist()[:2] == ["a b", "NA"]  # as written, not a missing value
    assert job.y.tolist()[:2] == ["no", "yes"]
    assert "12 samples, 3 features, 2 not numeric, target 'y'" in job.data
    assert job.search.fit(job.X, job.y).best_score_ == 1.0


def test_parquet_keeps_categories_and_types(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow", reason="pyarrow reads Parquet: pip install 'sktune[tables]'")
    frame = pd.DataFrame({
        "size": [1.0, 2.5, 3.0, 4.5, 5.0, 6.5],
        "kind": pd.Categorical(["a", "b", "a", "b", "a", "b"]),
        "label": [0, 1, 0, 1, 0, 1],
    })
    frame.to_parquet(tmp_path / "d.parquet")
    job = _load(tmp_path, _config(
        estimator='[estimator]\npath = "sklearn.ensemble.HistGradientBoostingClassifier"\n'
                  'params = { categorical_features = "from_dtype", max_iter = 5 }\n',
        data='[data]\nparquet = "d.parquet"\ntarget = "label"\n',
        search='[search]\nstrategy = "grid"\ncv = 2\n',
        space='[space]\nmin_samples_leaf = [1]\n',
    ))
    assert isinstance(job.X["kind"].dtype, pd.CategoricalDtype)
    assert job.X["size"].tolist() == frame["size"].tolist()
    assert job.y.tolist() == [0, 1, 0, 1, 0, 1]
    assert np.isfinite(job.search.fit(job.X, job.y).best_score_)


def _data_error(tmp_path, data, files):
    for name, content in files.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif content is None:
            path.mkdir()
        else:
            path.write_text(content)
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, _config(data=f"[data]\n{data}\n"))
    return str(info.value)


SECRET = "root:x:0:0:SECRET-TOKEN-42:/root:/bin/bash"


@pytest.mark.parametrize(
    "files, data, key, problem",
    [
        # the file is not a table: nothing of it is shown
        ({"passwd": f"{SECRET}\ndaemon:x:1:1:daemon:/usr/sbin\n"}, 'csv = "passwd"\ntarget = "y"',
         "data.target", r"no column 'y' in passwd$"),
        ({"passwd": f"{SECRET}\ndaemon:x:1:1:daemon,,,:/usr/sbin\n"},
         'csv = "passwd"\ntarget = "y"', "data.csv",
         r"line 2 of passwd has 4 fields, the header 1$"),
        ({"passwd": f"{SECRET}\ndaemon\n"}, 'csv = "passwd"\ntarget = "y"\nfeatures = '
         f'["{SECRET.replace("SECRET", "SECRXT")}"]', "data.target", r"no column 'y' in passwd$"),
        ({"passwd": f"{SECRET}\ndaemon\n"}, f'csv = "passwd"\ntarget = "{SECRET}"\nfeatures = '
         f'["{SECRET.replace("SECRET", "SECRXT")}"]', "data.features",
         r"no column 'root:x:0:0:SECRXT-TOKEN-42:/root:/bin/bash' in passwd$"),
        ({"passwd": f"{SECRET}\ndaemon\n"}, f'csv = "passwd"\ntarget = "{SECRET}"',
         "data.target", "is the only column of passwd; there is nothing to predict it from"),
        ({"key.bin": b"\x89PNG\r\n\x1a\n\x00\xff\xfe"}, 'csv = "key.bin"\ntarget = "y"',
         "data.csv", "key.bin is not a UTF-8 text file"),
        ({"big.csv": "a,y\n" + "x" * 200_000 + ",1\n"}, 'csv = "big.csv"\ntarget = "y"',
         "data.csv", r"big.csv cannot be parsed as CSV \(line 2\)"),
        ({"folder": None}, 'csv = "folder"\ntarget = "y"', "data.csv",
         r".*folder is not a regular file"),
        # defects of a real table
        ({"d.csv": "a,b,y\n1,2,0\n3,4,1\n"}, 'csv = "d.csv"\ntarget = "y"\nfeatures = ["a", "y"]',
         "data.features", "lists the target column 'y': the model would see the answer"),
        ({"d.csv": "a,b,a,y\n1,2,3,0\n3,4,5,1\n"}, 'csv = "d.csv"\ntarget = "y"', "data.csv",
         "d.csv has two columns named 'a'; rename one of them"),
        ({"d.csv": "a, b ,b,y\n1,2,3,0\n3,4,5,1\n"}, 'csv = "d.csv"\ntarget = "y"', "data.csv",
         "d.csv has two columns named 'b'"),
        ({"d.csv": "a,,y\n1,2,0\n3,4,1\n"}, 'csv = "d.csv"\ntarget = "y"', "data.csv",
         "d.csv has no name for column 2 of its header"),
        ({"d.csv": "a,y\n1,x\n2,\n3,z\n4, \n"}, 'csv = "d.csv"\ntarget = "y"', "data.target",
         r"column 'y' of d.csv is empty in data rows 2 and 4 \(the header is not counted\); "
         "a row without a target cannot be fitted"),
        ({"d.csv": "a,y\n" + "1,\n" * 7 + "1,x\n"}, 'csv = "d.csv"\ntarget = "y"',
         "data.target", r"is empty in data rows 1, 2, 3, 4, 5 and 2 more"),
        ({"d.csv": "a,y\n1,\n2,x\n"}, 'csv = "d.csv"\ntarget = "y"', "data.target",
         "is empty in data row 1 "),
        ({"d.csv": "a,b,y\n1,2,0\n3,4,1\n"}, 'csv = "d.csv"\ntarget = "y"\nfeatures = []',
         "data.features", "is empty; name at least one feature column, or leave "
         "data.features out to use every column but the target"),
        ({"d.csv": "a,b,y\n1,2,0\n3,4,1\n"}, 'csv = "d.csv"\ntarget = "y"\nfeatures = ["a", "a"]',
         "data.features", "lists 'a' twice"),
        ({"d.csv": "a,b,y\n1,2,0\n3,4,1\n"}, 'csv = "d.csv"\ntarget = "y"\nfeatures = "a"',
         "data.features", "must be a list of column names; got 'a'"),
        ({"d.csv": "a,b,y\n1,2,0\n3,4,1\n"}, 'csv = "d.csv"\ntarget = ["y"]', "data.target",
         r"must be a column name; got \['y'\]"),
        ({"d.csv": "a,b,y\n1,2,0\n3,4,1\n"}, 'csv = 3\ntarget = "y"', "data.csv",
         "must be a file path; got 3"),
        ({"d.csv": "a,b,y\n1,2,0\n3,4,1\n"}, 'csv = "d.csv"\ntarget = "z"', "data.target",
         r"no column 'z' in d.csv; the columns are a, b, y$"),
        ({"d.csv": ",".join(f"c{i}" for i in range(30)) + ",y\n" + "1," * 30 + "0\n"},
         'csv = "d.csv"\ntarget = "c_1"', "data.target",
         r"no column 'c_1' in d.csv \(did you mean 'c1'\?\); the columns are c0, c1, .*, c19, "
         r"\.\.\. \(31 in all\)$"),
        ({"d.parquet": "a,y\n1,0\n"}, 'parquet = "d.parquet"\ntarget = "y"\ndelimiter = ";"',
         "data.delimiter", "only applies to data.csv$"),
    ],
    ids=["one-column", "ragged", "feature-like-header", "feature-close-to-header",
         "target-is-the-line", "binary",
         "field-too-large", "folder", "target-in-features", "duplicate-header",
         "duplicate-after-strip", "unnamed-column", "empty-targets", "many-empty-targets",
         "one-empty-target", "no-features", "feature-twice", "features-not-a-list",
         "target-not-a-name", "file-not-a-path", "unknown-target", "long-header",
         "delimiter-of-parquet"],
)
def test_a_data_file_mistake_names_the_file_never_its_content(tmp_path, files, data, key,
                                                              problem):
    message = _data_error(tmp_path, data, files)
    assert re.match(rf"{re.escape(str(tmp_path / 'job.toml'))}: {key}: .*{problem}", message), (
        message
    )
    assert "SECRET" not in message and "daemon" not in message and "PNG" not in message


def test_the_real_passwd_file_is_not_shown(tmp_path):
    passwd = Path("/etc/passwd")
    if not passwd.is_file():
        pytest.skip("no /etc/passwd on this system")
    first = passwd.read_text().splitlines()[0]
    message = _data_error(tmp_path, 'csv = "/etc/passwd"\ntarget = "y"', {})
    assert first not in message and first.split(":")[0] not in message.split("passwd")[-1]
    assert message.startswith(f"{tmp_path / 'job.toml'}: data.")


def test_a_file_needs_pandas(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    message = _data_error(tmp_path, 'csv = "d.csv"\ntarget = "y"', {"d.csv": "a,y\n1,0\n"})
    assert message.endswith(
        "data.csv: reading a data file needs pandas: pip install 'sktune[tables]'"
    )


def test_parquet_needs_pyarrow(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    message = _data_error(tmp_path, 'parquet = "d.parquet"\ntarget = "y"', {"d.parquet": "x"})
    assert message.endswith(
        "data.parquet: reading Parquet needs pyarrow: pip install 'sktune[tables]'"
    )


def test_parquet_needs_a_pyarrow_that_does_not_unpickle(tmp_path, monkeypatch):
    pyarrow = pytest.importorskip("pyarrow", reason="pip install 'sktune[tables]'")
    data = 'parquet = "d.parquet"\ntarget = "y"'
    assert _data_error(tmp_path, data, {"d.parquet": "not parquet"}).endswith(
        "data.parquet: d.parquet is not a readable Parquet file"
    )
    monkeypatch.setattr(pyarrow, "__version__", "14.0.0")
    assert _data_error(tmp_path, data, {}).endswith(
        "data.parquet: reading Parquet needs pyarrow >= 14.0.1 (older versions unpickle "
        "extension types found in a file); this is 14.0.0"
    )


def test_an_empty_parquet_file_is_refused(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow", reason="pip install 'sktune[tables]'")
    pd.DataFrame({"a": [], "y": []}).to_parquet(tmp_path / "d.parquet")
    assert _data_error(tmp_path, 'parquet = "d.parquet"\ntarget = "y"', {}).endswith(
        "data.parquet: d.parquet has no rows"
    )


# TOML messages (issue 17) ------------------------------------------------------------------------

TOML_MISTAKES = [
    (_config(search='[search]\nstrategy = "random"\nscoring = { a = "accuracy", b = "max_eror" }\n'
             'refit = "a"\n'),
     "search.scoring.b", r"unknown scorer 'max_eror' \(did you mean 'neg_max_error'\?\)"),
    (_config(search='[search]\nstrategy = "random"\nscoring = ["accuracy", "f1_macr"]\n'
             'refit = "accuracy"\n'),
     r"search.scoring\[1\]", r"unknown scorer 'f1_macr' \(did you mean 'f1_macro'\?\)"),
    (_config(search='[search]\nstrategy = "random"\nscoring = { a = "accuracy", b = "f1_macro" '
             '}\n'),
     "search.refit", r"with several scorers, refit must name the one that picks the best "
     r"candidate \('a', 'b'\) or be false; got True"),
    (_config(search='[search]\nstrategy = "random"\nscoring = ["accuracy"]\nrefit = "f1"\n'),
     "search.refit", r"\('accuracy'\) or be false; got 'f1'"),
    (_config(space='[space]\nC = [' + "[" * 40 + "1" + "]" * 40 + "]\n"), "space.C",
     "nested more than 32 levels deep"),
    (_config(space='[space.C.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.A.B.C.D.E.F]\n'
             'x = 1\n'), "space.C", "nested more than 32 levels deep"),
    ("x = " + "[" * 2000 + "]" * 2000 + "\n" + _config(), None,
     r"invalid TOML: nested too deeply to parse \(a configuration nests at most 32 levels\)"),
    (_config(space='[space]\nC = "Categorical(' + "[" * 300 + "]" * 300 + ')"\n'), "space.C",
     "malformed distribution"),
    (_config(space='[space]\nC = "Categorical({[1]: 2})"\n'), "space.C",
     r"malformed distribution 'Categorical\(\{\[1\]: 2\}\)'"),
    (_config(search='[search]\nstrategy = "random"\nn_iter = 1000000000000\n'), "search.n_iter",
     r"1000000000000 candidates is more than a configuration runs: at most 10000 \(drawing "
     r"them alone would take minutes before the first fit\)"),
    (_config(search='[search]\nstrategy = "bayes"\nn_iter = 10001\n'), "search.n_iter",
     "10001 candidates is more than a configuration runs"),
    (_config(search='[search]\nstrategy = "random"\nn_iter = 1e12\n'), "search.n_iter",
     "The 'n_iter' parameter of RandomSearch must be an int"),
]


@pytest.mark.parametrize("text, key, problem", TOML_MISTAKES)
def test_a_toml_mistake_gives_one_error_naming_its_key(tmp_path, text, key, problem):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    where = re.escape(str(path)) + (": " + key if key else "")
    assert re.match(f"{where}: .*{problem}", message), message


def test_a_large_n_iter_over_a_small_finite_space_is_fine(tmp_path):
    # the search evaluates the whole space, 2 candidates: nothing to refuse
    job = _load(tmp_path, _config(search='[search]\nstrategy = "random"\nn_iter = 1000000000000\n'
                                  'cv = 2\n', space='[space]\nC = [1.0, 2.0]\n'))
    assert job.search.n_iter == 10**12


def test_several_scorers_with_refit(tmp_path):
    job = _load(tmp_path, _config(search='[search]\nstrategy = "random"\nn_iter = 2\ncv = 2\n'
                                  'scoring = { acc = "accuracy", f1 = "f1_macro" }\n'
                                  'refit = "f1"\n'))
    assert job.search.scoring == {"acc": "accuracy", "f1": "f1_macro"}
    assert "mean_test_f1" in job.search.fit(job.X, job.y).cv_results_


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
     r"'sklearnx.svm.SVC' is not allowed: module 'sklearnx' is not one of sklearn, sktune, "
     r"numpy, .*\(did you mean 'sklearn'\?\); to allow it: sktune run --allow-import "
     r"sklearnx.svm, or \[trust\] allow_import = \[\"sklearnx.svm\"\] in the configuration"),
    (_config(estimator='[estimator]\npath = "sklearn.nope.SVC"\n'), "estimator.path",
     "cannot import 'sklearn.nope.SVC': No module named 'sklearn.nope'"),
    (_config(estimator='[estimator]\npath = "SVC"\n'), "estimator.path",
     "must be an import path such as"),
    (_config(estimator='[estimator]\npath = "numpy.pi"\n'), "estimator.path",
     "'numpy.pi' is not a class"),
    (_config(estimator='[estimator]\npath = "sklearn.svm"\n'), "estimator.path",
     "'sklearn.svm' is not a class"),
    (_config(estimator='[estimator]\npath = "sklearn.utils.Bunch"\n'), "estimator.path",
     r"'sklearn.utils.Bunch' is not allowed: a configuration builds only estimators \(with "
     r"fit\), cross-validation splitters, kernels and column selectors, and Bunch is none "
     r"of them; to allow it: sktune run --allow-import sklearn.utils"),
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
    (_config(data='[data]\n'), "data", "needs one of 'dataset' .*, 'csv' or 'parquet'"),
    (_config(data='[data]\ncsv = "d.csv"\nparquet = "d.parquet"\ntarget = "y"\n'), "data",
     "needs one of"),
    (_config(data='[data]\ncsv = "d.csv"\ntarget = "y"\nsep = ";"\n'), "data.sep",
     "unknown key"),
    (_config(data='[data]\ndataset = "iris"\ntarget = "y"\n'), "data.target",
     "only applies to data.csv"),
    (_config(data='[data]\ncsv = "missing.csv"\ntarget = "y"\n'), "data.csv",
     "no such file: .*missing.csv"),
    (_config(data='[data]\ncsv = "d.csv"\n'), "data.target", "missing; name the target column"),
    (_config(data='[data]\ncsv = "d.csv"\ntarget = "z"\n'), "data.target",
     "no column 'z' in d.csv; the columns are a, b, y"),
    (_config(data='[data]\ncsv = "d.csv"\ntarget = "y"\nfeatures = ["a", "c"]\n'),
     "data.features", "no column 'c' in d.csv"),
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
     r"Invalid parameter 'CC' in the search space of RandomSearch for estimator SVC "
     r"\(did you mean 'C'\?\)"),
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
     "Invalid parameter 'D' in the search space of RandomSearch for estimator SVC"),
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
@pytest.mark.slow
def test_examples_run_as_they_are(tmp_path, example):
    # a copy, so that checkpoints land in tmp_path, not in the repository
    shutil.copytree(EXAMPLES, tmp_path / "examples", ignore=shutil.ignore_patterns("*.db*"))
    search = run_config(tmp_path / "examples" / example)
    assert np.isfinite(search.best_score_)
    assert len(search.cv_results_["params"]) >= 4


def test_the_mixed_type_data_is_what_its_script_writes(tmp_path):
    # the committed CSV is reproducible, and small enough to ship
    committed = EXAMPLES / "mixed_types.csv"
    subprocess.run([sys.executable, str(EXAMPLES / "mixed_types_data.py"), str(tmp_path / "m.csv")],
                   check=True, capture_output=True, timeout=120)
    assert (tmp_path / "m.csv").read_bytes() == committed.read_bytes()
    assert committed.stat().st_size < 100_000


def test_the_mixed_type_example_keeps_its_text_columns(tmp_path):
    shutil.copytree(EXAMPLES, tmp_path / "examples", ignore=shutil.ignore_patterns("*.db*"))
    job = load_config(tmp_path / "examples" / "mixed_types.toml")
    assert job.X.shape == (600, 5)
    assert [c for c in job.X if job.X[c].dtype.kind in "fi"] == ["age", "monthly_fee"]
    assert job.X["age"].isna().sum() > 0  # empty cells are missing values, imputed
    assert set(job.y) == {"yes", "no"}
    prepare = job.search.estimator.steps[0][1]
    assert [name for name, _, _ in prepare.transformers] == ["numbers", "categories", "words"]
