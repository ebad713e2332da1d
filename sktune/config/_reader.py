"""One configuration file -> a :class:`TuningJob`; every error names the file and the key."""

import inspect
import math
import os
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

import sktune

from .. import distributions
from ..search import check_value, invalid_name, invalid_name_message, searched_step
from ..space import SearchSpace
from ._data import read_data
from ._errors import ConfigError, suggest
from ._job import TuningJob
from ._objects import ObjectBuilder, validate
from ._trust import ImportPolicy, is_module_name, is_standard_library

#: Strategy names of ``search.strategy`` -> name of the search class in ``sktune``.
STRATEGIES = {
    "grid": "GridSearch",
    "random": "RandomSearch",
    "bayes": "BayesSearch",
    "hyperband": "HyperbandSearch",
    "manual": "ManualSearch",
}

_SECTIONS = ("estimator", "data", "search", "space", "candidates", "trust")
_ESTIMATOR_KEYS = ("path", "args", "steps", "params")

# The deepest job we know of (a pipeline inside a ColumnTransformer, offered
# as one choice of a space list) nests 14 levels; 32 leaves room and keeps
# the builder's recursion, a few frames per level, far below Python's limit.
MAX_DEPTH = 32

# RandomSearch draws its n_iter candidates before fitting the first one, at
# about 0.8 ms each (measured: 7.4 s for 10 000 on two log-uniform axes, 84 s
# for 100 000), so a larger n_iter looks like a hang before any output.
MAX_N_ITER = 10_000

def _too_deep(doc):
    """The key (``"space.C"``) of a value nested deeper than MAX_DEPTH, or None."""
    # a stack, not recursion: the point is to refuse what recursion cannot handle
    stack = [(doc, 0, "")]
    while stack:
        value, depth, key = stack.pop()
        if depth > MAX_DEPTH:
            return key
        if isinstance(value, dict):
            items = value.items()
        elif isinstance(value, list):
            items = ((None, v) for v in value)
        else:
            continue
        for name, child in items:
            where = key if name is None or depth >= 2 else f"{key}.{name}".lstrip(".")
            stack.append((child, depth + 1, where))
    return None


class Reader:
    """Parse one configuration.

    Parameters
    ----------
    path : str or os.PathLike
        The configuration file.
    allow_import : sequence of str
        Modules allowed on the command line (``--allow-import``).
    """

    def __init__(self, path, allow_import=()):
        self.path = os.fspath(path)
        self.folder = os.path.dirname(os.path.abspath(self.path))
        self.allow_import = tuple(allow_import)
        self.objects = None  # the ObjectBuilder, made by load
        self.search_name = None  # the search class of [search], set by load

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
            doc = tomllib.loads(text.decode("utf-8"))
        except UnicodeDecodeError:
            raise self.error(None, "not a UTF-8 text file") from None
        except tomllib.TOMLDecodeError as exc:
            raise self.error(None, f"invalid TOML: {exc}") from None
        except RecursionError:
            raise self.error(
                None, f"invalid TOML: nested too deeply to parse (a configuration nests "
                f"at most {MAX_DEPTH} levels)"
            ) from None
        deep = _too_deep(doc)
        if deep is not None:
            raise self.error(deep or None, f"nested more than {MAX_DEPTH} levels deep")
        return doc

    def load(self):
        doc = self.read()
        self.objects = ObjectBuilder(self.error, ImportPolicy(self.allow_import))
        self.objects.check_keys(doc, _SECTIONS, None, "section")
        for name in ("estimator", "data", "search"):
            if name not in doc:
                raise self.error(name, f"missing; a configuration needs [{name}]")
            self.objects.check_table(doc[name], name)
        # before anything is imported: what the user allowed
        trusted = self.trusted(doc.get("trust", {}))
        self.objects.policy = ImportPolicy(self.allow_import + trusted)
        estimator = self.estimator(doc["estimator"])
        X, y, data = read_data(doc["data"], self.resolve, self.error)
        strategy, cls, settings = self.search_settings(doc["search"])
        # the search class the space is checked for, named in messages as fit names it
        self.search_name = cls.__name__
        space = self.space_argument(doc, strategy, estimator)
        self.check_n_iter(settings, space)
        search = cls(estimator, space, **settings)
        validate(search, "search", self.error, {k: f"search.{k}" for k in settings})
        return TuningJob(self.path, strategy, search, X, y, data)

    def resolve(self, file):
        return os.path.normpath(os.path.join(self.folder, os.path.expanduser(file)))

    def value(self, value, key):
        return self.objects.value(value, key)

    # sections ----------------------------------------------------------------------
    def trusted(self, table):
        """The modules that a ``[trust]`` table allows."""
        self.objects.check_table(table, "trust")
        self.objects.check_keys(table, ("allow_import",), "trust")
        modules = table.get("allow_import", [])
        if not isinstance(modules, list):
            raise self.error(
                "trust.allow_import", f"must be a list of module names such as "
                f'["mypackage"]; got {modules!r}',
            )
        for i, name in enumerate(modules):
            key = f"trust.allow_import[{i}]"
            if not is_module_name(name):
                raise self.error(key, f"must be a module name such as 'mypackage'; got {name!r}")
            if is_standard_library(name):
                raise self.error(
                    key, f"a configuration file cannot allow the standard library module "
                    f"{name!r}: it holds no estimators, but os, subprocess and builtins; "
                    f"if you mean it, run sktune run --allow-import {name}",
                )
        return tuple(modules)

    def estimator(self, table):
        self.objects.check_keys(table, _ESTIMATOR_KEYS, "estimator")
        estimator = self.objects.build(table, "estimator")
        if not hasattr(estimator, "fit"):
            raise self.error(
                "estimator.path", f"{type(estimator).__name__} is not an estimator (no fit)"
            )
        return estimator

    def search_settings(self, table):
        if "strategy" not in table:
            raise self.error(
                "search.strategy", f"missing; choose from {', '.join(STRATEGIES)}"
            )
        strategy = table["strategy"]
        if strategy not in STRATEGIES:
            raise self.error(
                "search.strategy",
                f"unknown strategy {strategy!r}{suggest(strategy, STRATEGIES)}; "
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
                    f"{suggest(name, allowed)}; its settings are {', '.join(allowed)}",
                )
            value = self.value(value, key)
            # paths in the file are relative to it
            if name in ("checkpoint", "prior_results") and isinstance(value, str):
                value = self.resolve(value)
            if name == "scoring":
                self.check_scoring(value, key)
            settings[name] = value
        self.check_refit(settings)
        return strategy, cls, settings

    def check_scoring(self, scoring, key):
        """Every scorer named by text must be one of scikit-learn's names."""
        if isinstance(scoring, dict):
            named = {f"{key}.{k}": v for k, v in scoring.items()}
        elif isinstance(scoring, list):
            named = {f"{key}[{i}]": v for i, v in enumerate(scoring)}
        else:
            named = {key: scoring}
        from sklearn.metrics import get_scorer_names

        for where, value in named.items():
            if isinstance(value, str) and value not in get_scorer_names():
                raise self.error(
                    where,
                    f"unknown scorer {value!r}{suggest(value, get_scorer_names())}; "
                    "sklearn.metrics.get_scorer_names() lists them",
                )

    def check_refit(self, settings):
        # scikit-learn finds this out in fit, in a message that names no key
        scoring = settings.get("scoring")
        refit = settings.get("refit", True)
        if not isinstance(scoring, (dict, list)) or refit is False or callable(refit):
            return
        names = list(scoring)
        if refit not in names:
            choices = ", ".join(repr(n) for n in names)
            raise self.error(
                "search.refit",
                f"with several scorers, refit must name the one that picks the best "
                f"candidate ({choices}) or be false; got {refit!r}",
            )

    def check_n_iter(self, settings, space):
        n_iter = settings.get("n_iter")
        if not isinstance(n_iter, int) or isinstance(n_iter, bool) or n_iter <= MAX_N_ITER:
            return
        try:
            size = SearchSpace(space).size
        except (TypeError, ValueError):
            size = math.inf  # the search reports what is wrong with the space
        if min(n_iter, size) > MAX_N_ITER:
            raise self.error(
                "search.n_iter",
                f"{n_iter} candidates is more than a configuration runs: at most "
                f"{MAX_N_ITER} (drawing them alone would take minutes before the "
                f"first fit)",
            )

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
                self.objects.check_table(cand, key)
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
        self.objects.check_table(table, key)
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
        """Raise if the estimator's own constraints reject ``params`` (before any fit).

        The search's own check (:func:`sktune.search.check_value`), so the
        command line and the Python API give the same message; the error
        names ``key.<name>``, or ``key`` alone when not ``per_name``.
        """
        for name, value in params.items():
            if searched_step(estimator, name, params):
                continue  # a parameter of a step searched in the same table
            try:
                check_value(estimator, name, value, self.search_name)
            except ValueError as exc:
                raise self.error(f"{key}.{name}" if per_name else key, str(exc)) from None

    def check_names(self, estimator, table, key):
        # the search's own check, with the key of the offending name
        name = invalid_name(estimator, table)
        if name is not None:
            raise self.error(
                f"{key}.{name}", invalid_name_message(estimator, name, self.search_name)
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
        try:
            return distributions.distribution_class(name)
        except ValueError as exc:
            raise self.error(key, str(exc)) from None

    def distribution(self, text, key):
        try:
            return distributions.parse(text)
        except (TypeError, ValueError) as exc:
            raise self.error(key, str(exc)) from None

    def call(self, cls, args, kwargs, key):
        try:
            return cls(*args, **kwargs)
        except (TypeError, ValueError) as exc:
            raise self.error(key, str(exc)) from None
