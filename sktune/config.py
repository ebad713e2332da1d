"""Tuning jobs described in a TOML file, as run by ``sktune run CONFIG.toml``.

A configuration names the estimator, the data, the search strategy with its
settings, and the search space. It is plain data: distributions are written
as text and parsed without ``eval``, and classes are named by import path.
Relative file paths (``data.csv``, ``search.checkpoint``) are relative to
the folder of the configuration file, so a job runs the same from any
working directory.

.. code-block:: toml

    [estimator]                      # a class, by import path ...
    path = "sklearn.svm.SVC"
    params = { kernel = "rbf" }      # ... with fixed parameters

    [data]
    dataset = "digits"               # a built-in scikit-learn dataset

    [search]
    strategy = "random"              # grid, random, bayes, hyperband or manual
    n_iter = 20                      # any argument of the strategy's class
    cv = 5
    scoring = "accuracy"
    n_jobs = -1
    random_state = 0
    checkpoint = "svc.db"            # resume from here when run again

    [space]
    C = "LogUniform(1e-3, 1e3)"      # a distribution, written as a call
    gamma = "LogUniform(1e-4, 1e-1)"
    shrinking = [true, false]        # a list of values

The tables:

``[estimator]``
    Either ``path`` (an import path such as ``"sklearn.svm.SVC"``) or
    ``steps``, a list of ``[name, step]`` pairs that make a
    :class:`~sklearn.pipeline.Pipeline`; a step is an import path,
    ``"passthrough"``, or an object table (below). ``params`` holds fixed
    parameters, named as ``set_params`` names them (``svc__kernel`` in a
    pipeline).

``[data]``
    Either ``dataset``, the name of a built-in scikit-learn dataset
    (``breast_cancer``, ``diabetes``, ``digits``, ``iris``, ``linnerud``,
    ``wine``), or ``csv``, a CSV file with a header line, together with
    ``target`` (the target column) and optionally ``features`` (the feature
    columns; default every other column) and ``delimiter`` (default
    ``","``). Features must be numeric (an empty cell is NaN); the target
    may be text (class labels).

``[search]``
    ``strategy`` picks the search class: ``grid`` (:class:`~sktune.GridSearch`),
    ``random`` (:class:`~sktune.RandomSearch`), ``bayes``
    (:class:`~sktune.BayesSearch`), ``hyperband``
    (:class:`~sktune.HyperbandSearch`) or ``manual``
    (:class:`~sktune.ManualSearch`). Every other key is an argument of that
    class (``n_iter``, ``n_points``, ``cv``, ``scoring``, ``n_jobs``,
    ``random_state``, ``checkpoint``, ``max_time``...). ``cv`` is a number
    of folds or an object table naming a splitter.

``[space]``
    Parameter name -> one of

    * a distribution written as a call of a class of
      :mod:`sktune.distributions`, with literal arguments only (numbers,
      strings, ``None``, ``True``/``False``, lists, keyword arguments):
      ``"LogUniform(1e-3, 1e3)"``, ``"Integer(1, 10, log=True)"``,
      ``"Categorical(['rbf', 'linear'], weights=[0.7, 0.3])"``;
    * a table with ``distribution`` (the class name) and the class's
      arguments: ``{ distribution = "Integer", low = 2, high = 5 }``;
    * a list of values (a categorical choice; with ``grid``, exactly those
      values).

    ``[[space]]`` (an array of tables) gives a list of sub-spaces
    (conditional parameters), as a list of dicts does in Python.

``[[candidates]]``
    For the ``manual`` strategy, instead of ``[space]``: one table of
    parameter values per candidate, evaluated in order.

Values: TOML has no null, so the string ``"None"`` stands for Python's
``None`` in fixed parameters, lists of values, candidates and search
settings. An *object table* ``{ path = "module.Class", params = { ... } }``
builds an object (a splitter for ``cv``, an estimator as a parameter value
or as a choice in a list); ``{ steps = [...] }`` builds a pipeline.

Naming a class by import path imports its module, which runs its code: a
configuration file is as trusted as a Python script.
"""

import ast
import csv
import difflib
import importlib
import inspect
import os
import re
import sys
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.pipeline import Pipeline

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

import sktune

from . import distributions
from .store import CheckpointError, CheckpointStore

__all__ = [
    "STRATEGIES",
    "ConfigError",
    "TuningJob",
    "display_path",
    "load_config",
    "run_config",
]

#: Strategy names of ``search.strategy`` -> name of the search class in ``sktune``.
STRATEGIES = {
    "grid": "GridSearch",
    "random": "RandomSearch",
    "bayes": "BayesSearch",
    "hyperband": "HyperbandSearch",
    "manual": "ManualSearch",
}

# load_<name>(return_X_y=True) of sklearn.datasets: shipped with the
# package, no download
DATASETS = ("breast_cancer", "diabetes", "digits", "iris", "linnerud", "wine")

_SECTIONS = {
    "estimator": ("path", "steps", "params"),
    "data": ("dataset", "csv", "target", "features", "delimiter"),
}

# distribution classes a configuration may name: the public ones users write
_DISTRIBUTIONS = {
    name: getattr(distributions, name)
    for name in distributions.__all__
    if inspect.isclass(getattr(distributions, name))
    and issubclass(getattr(distributions, name), distributions.Distribution)
    and name not in ("Distribution", "ScipyDistribution")
}


class ConfigError(ValueError):
    """A configuration that cannot be run: names the file, the key and the problem.

    Parameters
    ----------
    file : str
        The configuration file.
    key : str or None
        Dotted key of the faulty entry (``"space.C"``), or ``None`` when the
        problem is the file itself.
    problem : str
        What is wrong, and the remedy when there is one.

    Examples
    --------
    >>> from sktune.config import ConfigError
    >>> print(ConfigError("job.toml", "search.strategy", "unknown strategy 'rnd'"))
    job.toml: search.strategy: unknown strategy 'rnd'
    """

    def __init__(self, file, key, problem):
        self.file, self.key, self.problem = file, key, problem
        where = str(file) if key is None else f"{file}: {key}"
        super().__init__(f"{where}: {problem}")


@dataclass
class TuningJob:
    """A loaded configuration: the search to fit and its data.

    Attributes
    ----------
    path : str
        The configuration file.
    strategy : str
        The strategy name (``"random"``...).
    search : estimator
        The unfitted search, with the estimator, space and settings of the
        configuration.
    X : ndarray of shape (n_samples, n_features)
        The features.
    y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        The target.
    data : str
        Where the data comes from, for messages.

    Examples
    --------
    >>> import os, tempfile
    >>> from sktune.config import TuningJob, load_config
    >>> path = os.path.join(tempfile.mkdtemp(), "job.toml")
    >>> with open(path, "w") as f:
    ...     _ = f.write('''
    ... [estimator]
    ... path = "sklearn.svm.SVC"
    ... [data]
    ... dataset = "iris"
    ... [search]
    ... strategy = "grid"
    ... [space]
    ... C = [0.1, 1.0, 10.0]
    ... ''')
    >>> job = load_config(path)
    >>> isinstance(job, TuningJob), job.strategy, type(job.search).__name__, job.X.shape
    (True, 'grid', 'GridSearch', (150, 4))
    """

    path: str
    strategy: str
    search: object
    X: np.ndarray
    y: np.ndarray
    data: str

    @property
    def checkpoint(self):
        """The search's checkpoint path, or ``None``.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.svm import SVC
        >>> from sktune import GridSearch
        >>> from sktune.config import TuningJob
        >>> X, y = load_iris(return_X_y=True)
        >>> search = GridSearch(SVC(), {"C": [0.1, 1.0]}, checkpoint="svc.db")
        >>> TuningJob("job.toml", "grid", search, X, y, "iris").checkpoint
        'svc.db'
        >>> print(TuningJob("job.toml", "grid", GridSearch(SVC(), {"C": [0.1]}), X, y, "iris")
        ...       .checkpoint)
        None
        """
        return self.search.get_params().get("checkpoint")

    def run(self, callbacks=()):
        """Fit the search on the data and return it (see :func:`run_config`).

        Parameters
        ----------
        callbacks : sequence of callback objects, default=()
            scikit-learn callbacks set on the search before fitting.

        Returns
        -------
        search : estimator
            The fitted search, the job's own ``search`` object.

        Raises
        ------
        KeyboardInterrupt
            On Ctrl-C, with a message saying where the finished candidates
            are kept and how to resume.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.svm import SVC
        >>> from sktune import GridSearch
        >>> from sktune.config import TuningJob
        >>> X, y = load_iris(return_X_y=True)
        >>> job = TuningJob("job.toml", "grid", GridSearch(SVC(), {"C": [0.01, 1.0]}, cv=3),
        ...                 X, y, "iris")
        >>> search = job.run()
        >>> search is job.search, search.best_params_
        (True, {'C': 1.0})
        """
        if callbacks:
            self.search.set_callbacks(*callbacks)
        try:
            return self.search.fit(self.X, self.y)
        except KeyboardInterrupt:
            raise KeyboardInterrupt(self._interrupt_message()) from None

    def _interrupt_message(self):
        if self.checkpoint is None:
            return (
                "the finished candidates are not kept; set search.checkpoint in "
                f"{self.path} to resume an interrupted run"
            )
        try:
            with CheckpointStore(self.checkpoint, read_only=True) as store:
                n = len(store)
        except CheckpointError:  # interrupted before the file was created
            n = 0
        return (
            f"{n} finished candidates are saved in {display_path(self.checkpoint)}; run "
            f"the same configuration again to resume (sktune run {self.path})"
        )


class _Reader:
    """Parse one configuration; every error names the file and the key."""

    def __init__(self, path):
        self.path = os.fspath(path)
        self.folder = os.path.dirname(os.path.abspath(self.path))

    def error(self, key, problem):
        return ConfigError(self.path, key, problem)

    # the file ------------------------------------------------------------------
    def read(self):
        try:
            with open(self.path, "rb") as f:
                text = f.read()
        except FileNotFoundError:
            raise self.error(None, "no such configuration file") from None
        except OSError as exc:
            raise self.error(None, f"cannot be read ({exc.strerror})") from None
        try:
            return tomllib.loads(text.decode("utf-8"))
        except UnicodeDecodeError:
            raise self.error(None, "not a UTF-8 text file") from None
        except tomllib.TOMLDecodeError as exc:
            raise self.error(None, f"invalid TOML: {exc}") from None

    def load(self):
        doc = self.read()
        allowed = ("estimator", "data", "search", "space", "candidates")
        self.check_keys(doc, allowed, None, "section")
        for name in ("estimator", "data", "search"):
            if name not in doc:
                raise self.error(name, f"missing; a configuration needs [{name}]")
            self.check_table(doc[name], name)
        estimator = self.estimator(doc["estimator"])
        X, y, data = self.data(doc["data"])
        strategy, cls, settings = self.search_settings(doc["search"])
        space = self.space_argument(doc, strategy, estimator)
        search = cls(estimator, space, **settings)
        self.validate(search, "search")
        return TuningJob(self.path, strategy, search, X, y, data)

    # helpers ---------------------------------------------------------------------
    def check_table(self, value, key):
        if not isinstance(value, dict):
            raise self.error(key, f"must be a table; got {value!r}")

    def check_keys(self, table, allowed, key, what="key"):
        for name in table:
            if name not in allowed:
                where = name if key is None else f"{key}.{name}"
                raise self.error(where, f"unknown {what}{_suggest(name, allowed)}")

    def resolve(self, file):
        return os.path.normpath(os.path.join(self.folder, os.path.expanduser(file)))

    def value(self, value, key):
        """A TOML value as a Python value: "None" -> None, object tables -> objects."""
        if isinstance(value, str) and value == "None":
            return None
        if isinstance(value, list):
            return [self.value(v, f"{key}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, dict):
            if "path" in value or "steps" in value:
                return self.build(value, key)
            return {k: self.value(v, f"{key}.{k}") for k, v in value.items()}
        return value

    def import_object(self, path, key):
        if not isinstance(path, str) or not re.fullmatch(r"[\w.]+\.\w+", path):
            raise self.error(
                key, f"must be an import path such as 'sklearn.svm.SVC'; got {path!r}"
            )
        module_name, _, name = path.rpartition(".")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise self.error(key, f"cannot import {path!r}: {exc}") from None
        if not hasattr(module, name):
            public = [n for n in dir(module) if not n.startswith("_")]
            raise self.error(
                key,
                f"cannot import {path!r}: module {module_name!r} has no "
                f"{name!r}{_suggest(name, public)}",
            )
        return getattr(module, name)

    def build(self, spec, key, path_key=None):
        """An object table ``{path, params}`` or ``{steps, params}`` -> the object."""
        path_key = path_key or f"{key}.path"
        self.check_keys(spec, ("path", "steps", "params"), key)
        if ("path" in spec) == ("steps" in spec):
            raise self.error(key, "needs either 'path' (a class) or 'steps' (a pipeline)")
        params = spec.get("params", {})
        self.check_table(params, f"{key}.params")
        if "steps" in spec:
            obj = Pipeline(self.steps(spec["steps"], f"{key}.steps"))
        else:
            cls = self.import_object(spec["path"], path_key)
            if not callable(cls):
                raise self.error(path_key, f"{spec['path']!r} is not a class")
            if isinstance(cls, type) and issubclass(cls, BaseEstimator):
                obj = cls()
            else:
                # not an estimator: no set_params, pass the parameters directly
                kwargs = {k: self.value(v, f"{key}.params.{k}") for k, v in params.items()}
                try:
                    return cls(**kwargs)
                except (TypeError, ValueError) as exc:
                    raise self.error(key, f"cannot build {spec['path']}: {exc}") from None
        self.set_params(obj, params, f"{key}.params")
        return obj

    def steps(self, steps, key):
        if not isinstance(steps, list) or not steps:
            raise self.error(key, "must be a non-empty list of [name, step] pairs")
        out = []
        for i, pair in enumerate(steps):
            where = f"{key}[{i}]"
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                raise self.error(
                    where,
                    "must be a [name, step] pair such as "
                    f"['svc', 'sklearn.svm.SVC']; got {pair!r}",
                )
            name, step = pair
            if step == "passthrough":
                out.append((name, step))
            elif isinstance(step, dict):
                out.append((name, self.build(step, where)))
            else:
                out.append((name, self.build({"path": step}, where, path_key=where)))
        names = [n for n, _ in out]
        if len(set(names)) != len(names):
            raise self.error(key, f"step names must be unique; got {names!r}")
        return out

    def set_params(self, estimator, params, key):
        # shallow names first, so that a replaced step's own names exist
        for name in sorted(params, key=lambda n: n.count("__")):
            where = f"{key}.{name}"
            valid = estimator.get_params(deep=True)
            if name not in valid:
                raise self.error(
                    where,
                    f"{type(estimator).__name__} has no parameter {name!r}"
                    f"{_suggest(name, valid)}",
                )
            value = self.value(params[name], where)
            try:
                estimator.set_params(**{name: value})
            except (TypeError, ValueError) as exc:
                raise self.error(where, str(exc)) from None
            prefix = name.rpartition("__")[0]
            owner = estimator.get_params(deep=True)[prefix] if prefix else estimator
            self.validate(owner, where)

    def validate(self, obj, key):
        # scikit-learn's own parameter checks, which an estimator otherwise
        # runs only in fit, where a bad value would fail every candidate
        check = getattr(obj, "_validate_params", None)
        if check is None or not hasattr(obj, "_parameter_constraints"):
            return  # a third-party estimator without declared constraints
        try:
            check()
        except (TypeError, ValueError) as exc:
            message = str(exc)
            match = re.match(r"The '(\w+)' parameter of", message)
            if key == "search" and match:
                key = f"search.{match.group(1)}"
            raise self.error(key, message) from None

    # sections ----------------------------------------------------------------------
    def estimator(self, table):
        self.check_keys(table, _SECTIONS["estimator"], "estimator")
        estimator = self.build(table, "estimator")
        if not hasattr(estimator, "fit"):
            raise self.error(
                "estimator.path", f"{type(estimator).__name__} is not an estimator (no fit)"
            )
        return estimator

    def data(self, table):
        self.check_keys(table, _SECTIONS["data"], "data")
        if ("dataset" in table) == ("csv" in table):
            raise self.error("data", "needs either 'dataset' (a built-in dataset) or 'csv'")
        if "dataset" in table:
            for extra in ("target", "features", "delimiter"):
                if extra in table:
                    raise self.error(f"data.{extra}", "only applies to data.csv")
            return self.dataset(table["dataset"])
        if "target" not in table:
            raise self.error("data.target", "missing; name the target column of data.csv")
        return self.csv(table)

    def dataset(self, name):
        if name not in DATASETS:
            raise self.error(
                "data.dataset",
                f"unknown built-in dataset {name!r}{_suggest(name, DATASETS)}; "
                f"choose from {', '.join(DATASETS)}",
            )
        import sklearn.datasets

        X, y = getattr(sklearn.datasets, f"load_{name}")(return_X_y=True)
        return X, y, f"{name} ({X.shape[0]} samples, {X.shape[1]} features)"

    def csv(self, table):
        file = table["csv"]
        if not isinstance(file, str):
            raise self.error("data.csv", f"must be a file path; got {file!r}")
        path = self.resolve(file)
        delimiter = table.get("delimiter", ",")
        if not isinstance(delimiter, str) or len(delimiter) != 1:
            raise self.error("data.delimiter", f"must be one character; got {delimiter!r}")
        try:
            with open(path, newline="", encoding="utf-8-sig") as f:
                rows = list(csv.reader(f, delimiter=delimiter))
        except FileNotFoundError:
            raise self.error("data.csv", f"no such file: {path}") from None
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise self.error("data.csv", f"cannot read {path}: {exc}") from None
        rows = [r for r in rows if r]
        if len(rows) < 2:
            raise self.error("data.csv", f"{path} needs a header line and at least one row")
        header = [h.strip() for h in rows[0]]
        target = table["target"]
        if target not in header:
            raise self.error(
                "data.target",
                f"no column {target!r} in {file}{_suggest(target, header)}; "
                f"the columns are {', '.join(header)}",
            )
        features = table.get("features")
        if features is None:
            features = [h for h in header if h != target]
        elif not isinstance(features, list) or not all(isinstance(c, str) for c in features):
            raise self.error("data.features", f"must be a list of column names; got {features!r}")
        for name in features:
            if name not in header:
                raise self.error(
                    "data.features",
                    f"no column {name!r} in {file}{_suggest(name, header)}",
                )
        for line, row in enumerate(rows[1:], start=2):
            if len(row) != len(header):
                raise self.error(
                    "data.csv",
                    f"line {line} of {file} has {len(row)} fields, the header {len(header)}",
                )
        columns = {h: [r[j].strip() for r in rows[1:]] for j, h in enumerate(header)}
        X = np.empty((len(rows) - 1, len(features)))
        for j, name in enumerate(features):
            for i, cell in enumerate(columns[name]):
                try:
                    X[i, j] = float(cell) if cell else np.nan
                except ValueError:
                    raise self.error(
                        "data.features",
                        f"column {name!r} of {file} is not numeric (line {i + 2}: "
                        f"{cell!r}); leave it out with data.features or encode it first",
                    ) from None
        y = _target_array(columns[target])
        return X, y, f"{file} ({X.shape[0]} samples, {X.shape[1]} features, target {target!r})"

    def search_settings(self, table):
        if "strategy" not in table:
            raise self.error(
                "search.strategy", f"missing; choose from {', '.join(STRATEGIES)}"
            )
        strategy = table["strategy"]
        if strategy not in STRATEGIES:
            raise self.error(
                "search.strategy",
                f"unknown strategy {strategy!r}{_suggest(strategy, STRATEGIES)}; "
                f"choose from {', '.join(STRATEGIES)}",
            )
        cls = getattr(sktune, STRATEGIES[strategy], None)
        if cls is None:
            raise self.error(
                "search.strategy",
                f"{strategy!r} is not available in this version of sktune "
                f"(no sktune.{STRATEGIES[strategy]})",
            )
        names = list(inspect.signature(cls).parameters)
        allowed = [n for n in names if n not in ("estimator", cls._space_param)]
        settings = {}
        for name, value in table.items():
            if name == "strategy":
                continue
            key = f"search.{name}"
            if name not in allowed:
                raise self.error(
                    key,
                    f"not a setting of the {strategy} strategy ({cls.__name__})"
                    f"{_suggest(name, allowed)}; its settings are {', '.join(allowed)}",
                )
            value = self.value(value, key)
            if name == "checkpoint" and isinstance(value, str):
                value = self.resolve(value)
            if name == "scoring" and isinstance(value, str):
                from sklearn.metrics import get_scorer_names

                if value not in get_scorer_names():
                    raise self.error(
                        key,
                        f"unknown scorer {value!r}{_suggest(value, get_scorer_names())}; "
                        "sklearn.metrics.get_scorer_names() lists them",
                    )
            settings[name] = value
        return strategy, cls, settings

    def space_argument(self, doc, strategy, estimator):
        if strategy == "manual":
            if "space" in doc:
                raise self.error(
                    "space", "the manual strategy takes [[candidates]], not [space]"
                )
            candidates = doc.get("candidates")
            if not isinstance(candidates, list) or not candidates:
                raise self.error(
                    "candidates", "missing; the manual strategy needs [[candidates]] tables"
                )
            out = []
            for i, cand in enumerate(candidates):
                key = f"candidates[{i}]"
                self.check_table(cand, key)
                self.check_names(estimator, cand, key)
                cand = {k: self.value(v, f"{key}.{k}") for k, v in cand.items()}
                self.check_values(estimator, cand, key)
                out.append(cand)
            return out
        if "candidates" in doc:
            raise self.error(
                "candidates", f"only the manual strategy takes candidates, not {strategy!r}"
            )
        if "space" not in doc:
            raise self.error("space", "missing; a configuration needs [space]")
        space = doc["space"]
        if isinstance(space, list):
            return [self.subspace(s, f"space[{i}]", estimator) for i, s in enumerate(space)]
        return self.subspace(space, "space", estimator)

    def subspace(self, table, key, estimator):
        self.check_table(table, key)
        if not table:
            raise self.error(key, "is empty; name at least one parameter")
        self.check_names(estimator, table, key)
        space = {name: self.dimension(v, f"{key}.{name}") for name, v in table.items()}
        for name, values in space.items():
            if isinstance(values, list):
                for i, value in enumerate(values):
                    self.check_values(
                        estimator, {name: value}, f"{key}.{name}[{i}]", per_name=False
                    )
        return space

    def check_values(self, estimator, params, key, per_name=True):
        """Raise if scikit-learn's own checks reject ``params`` (before any fit).

        The error names ``key.<name>``, or ``key`` alone when not ``per_name``.
        """
        trial = clone(estimator)
        for name in sorted(params, key=lambda n: n.count("__")):
            where = f"{key}.{name}" if per_name else key
            if name not in trial.get_params(deep=True):
                continue  # a parameter of a step searched in the same table
            try:
                trial.set_params(**{name: params[name]})
            except (TypeError, ValueError) as exc:
                raise self.error(where, str(exc)) from None
            prefix = name.rpartition("__")[0]
            self.validate(trial.get_params(deep=True)[prefix] if prefix else trial, where)

    def check_names(self, estimator, table, key):
        valid = estimator.get_params(deep=True)
        for name in table:
            parts = name.split("__")
            prefixes = ["__".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]
            if name in valid or set(prefixes) & set(table):
                # a step searched in the same table decides its own names
                continue
            owner = next((valid[p] for p in prefixes if p in valid), estimator)
            if owner is not estimator and not isinstance(owner, BaseEstimator):
                continue  # only BaseEstimator is known to reject unknown names
            raise self.error(
                f"{key}.{name}",
                f"{type(estimator).__name__} has no parameter {name!r}{_suggest(name, valid)}",
            )

    def dimension(self, value, key):
        if isinstance(value, str):
            return self.distribution(value, key)
        if isinstance(value, list):
            if not value:
                raise self.error(key, "an empty list has no value to try")
            return self.value(value, key)
        if isinstance(value, dict) and "distribution" in value:
            kwargs = dict(value)
            name = kwargs.pop("distribution")
            cls = self.distribution_class(name, key)
            kwargs = {k: self.value(v, f"{key}.{k}") for k, v in kwargs.items()}
            return self.call(cls, (), kwargs, key)
        raise self.error(
            key,
            "must be a distribution such as \"LogUniform(1e-3, 1e3)\", a table with a "
            f"'distribution' key, or a list of values; got {value!r}",
        )

    def distribution_class(self, name, key):
        if name not in _DISTRIBUTIONS:
            raise self.error(
                key,
                f"unknown distribution {name!r}{_suggest(name, _DISTRIBUTIONS)}; choose "
                f"from {', '.join(sorted(_DISTRIBUTIONS))}",
            )
        return _DISTRIBUTIONS[name]

    def distribution(self, text, key):
        bad = (
            f"malformed distribution {text!r}: expected a call such as "
            "\"LogUniform(1e-3, 1e3)\" with literal arguments"
        )
        try:
            node = ast.parse(text.strip(), mode="eval").body
        except SyntaxError:
            raise self.error(key, bad) from None
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            raise self.error(key, bad)
        cls = self.distribution_class(node.func.id, key)
        try:
            args = [ast.literal_eval(a) for a in node.args]
            kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
        except ValueError:
            raise self.error(key, bad) from None
        if None in kwargs:  # **mapping
            raise self.error(key, bad)
        return self.call(cls, args, kwargs, key)

    def call(self, cls, args, kwargs, key):
        try:
            return cls(*args, **kwargs)
        except (TypeError, ValueError) as exc:
            raise self.error(key, str(exc)) from None


def display_path(path):
    """``path`` relative to the working directory when it is below it.

    Parameters
    ----------
    path : str or os.PathLike
        A file path.

    Returns
    -------
    path : str

    Examples
    --------
    >>> import os
    >>> from sktune.config import display_path
    >>> display_path(os.path.join(os.getcwd(), "runs", "a.db")) == os.path.join("runs", "a.db")
    True
    """
    path = os.fspath(path)
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith(os.pardir) else relative


def _target_array(cells):
    try:
        values = np.array([float(c) for c in cells])
    except ValueError:
        return np.array(cells, dtype=object)
    if np.all(np.isfinite(values)) and np.all(values == np.round(values)):
        return values.astype(int)
    return values


def _suggest(name, choices):
    close = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def load_config(path):
    """Read a TOML configuration: the search, unfitted, and its data.

    Everything is checked before any model is fitted: import paths,
    parameter names and values, distributions, the data and the strategy's
    settings. See :mod:`sktune.config` for the format.

    Parameters
    ----------
    path : str or os.PathLike
        The configuration file.

    Returns
    -------
    job : TuningJob
        The search (``job.search``), the data (``job.X``, ``job.y``) and
        where they come from.

    Raises
    ------
    ConfigError
        If the file cannot be read or a key is wrong; the message names the
        file, the key and the problem.

    Examples
    --------
    >>> import os, tempfile
    >>> from sktune.config import load_config
    >>> path = os.path.join(tempfile.mkdtemp(), "job.toml")
    >>> with open(path, "w") as f:
    ...     _ = f.write('''
    ... [estimator]
    ... steps = [["scale", "sklearn.preprocessing.StandardScaler"],
    ...          ["svc", "sklearn.svm.SVC"]]
    ... [data]
    ... dataset = "iris"
    ... [search]
    ... strategy = "random"
    ... n_iter = 4
    ... cv = 3
    ... [space]
    ... svc__C = "LogUniform(1e-2, 1e2)"
    ... svc__kernel = ["rbf", "linear"]
    ... ''')
    >>> job = load_config(path)
    >>> job.search.param_distributions
    {'svc__C': LogUniform(low=0.01, high=100.0), 'svc__kernel': ['rbf', 'linear']}
    >>> job.X.shape, job.search.fit(job.X, job.y).n_splits_
    ((150, 4), 3)
    """
    return _Reader(path).load()


def run_config(path, *, callbacks=()):
    """Run the tuning job of a TOML configuration and return the fitted search.

    With ``search.checkpoint`` set, every finished candidate is recorded, and
    running the same configuration again resumes: recorded candidates are
    not fitted again.

    Parameters
    ----------
    path : str or os.PathLike
        The configuration file (see :mod:`sktune.config`).
    callbacks : sequence of callback objects, default=()
        scikit-learn callbacks (such as ``sklearn.callback.ProgressBar()``)
        set on the search before fitting.

    Returns
    -------
    search : estimator
        The fitted search (``cv_results_``, ``best_params_``...).

    Raises
    ------
    ConfigError
        If the configuration is wrong (nothing has been fitted then).
    KeyboardInterrupt
        On Ctrl-C, with a message saying where the finished candidates are
        kept and how to resume.

    Examples
    --------
    >>> import os, tempfile
    >>> from sktune.config import run_config
    >>> path = os.path.join(tempfile.mkdtemp(), "job.toml")
    >>> with open(path, "w") as f:
    ...     _ = f.write('''
    ... [estimator]
    ... path = "sklearn.linear_model.LogisticRegression"
    ... params = { max_iter = 500 }
    ... [data]
    ... dataset = "iris"
    ... [search]
    ... strategy = "grid"
    ... cv = 3
    ... checkpoint = "job.db"
    ... [space]
    ... C = [0.01, 1.0]
    ... ''')
    >>> search = run_config(path)
    >>> search.best_params_
    {'C': 1.0}
    >>> run_config(path).n_reused_  # the second run reads the checkpoint
    2
    """
    return load_config(path).run(callbacks)
