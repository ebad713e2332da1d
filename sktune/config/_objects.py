"""TOML values -> Python objects: object tables built with their arguments.

An *object table* is one of

* ``{ path = "module.Class", args = [...], params = { ... } }``: the class,
  called with the positional ``args`` and the keyword ``params`` (a name
  with ``__``, such as ``svc__C``, is set afterwards with ``set_params``,
  the way a pipeline names the parameters of its steps);
* ``{ steps = [[name, step], ...], params = { ... } }``: a
  :class:`~sklearn.pipeline.Pipeline`, a step being an import path,
  ``"passthrough"`` or an object table;
* ``{ ref = "module.name" }``: the object itself, not called (a function
  or a type that an argument takes, such as ``numpy.log1p``).

Inside them, ``"None"`` is ``None`` (TOML has no null) and a list of
``[name, object]`` or ``[name, object, columns]`` lists is a list of tuples,
as ``Pipeline``, ``ColumnTransformer``, ``FeatureUnion`` and the ensembles
take them. What may be imported is decided by :mod:`sktune.config._trust`.
"""

import inspect
import re

from sklearn.pipeline import Pipeline

from ._errors import suggest
from ._trust import ImportRefused

_BUILD_KEYS = ("path", "args", "params")
_PIPELINE_KEYS = ("steps", "params")
# the strings that stand for an object in a (name, object) tuple
_PLACEHOLDERS = ("passthrough", "drop")


def _is_object_table(value):
    return isinstance(value, dict) and ("path" in value or "steps" in value or "ref" in value)


def _is_named_list(value):
    """Whether ``value`` is ``[[name, object], ...]`` or ``[[name, object, columns], ...]``."""
    return bool(value) and all(
        isinstance(item, list)
        and len(item) in (2, 3)
        and isinstance(item[0], str)
        and (_is_object_table(item[1]) or item[1] in _PLACEHOLDERS)
        for item in value
    )


def validate(obj, key, error, names=None):
    """Run scikit-learn's own parameter checks of ``obj`` now, not in its first fit.

    A bad value would otherwise fail every candidate of the search. The
    error names ``key``, or ``names[p]`` when scikit-learn names a parameter
    ``p`` that ``names`` (parameter -> key) holds.
    """
    check = getattr(obj, "_validate_params", None)
    if check is None or not hasattr(obj, "_parameter_constraints"):
        return  # a third-party estimator without declared constraints
    try:
        check()
    except (TypeError, ValueError) as exc:
        message = str(exc)
        match = re.match(r"The '(\w+)' parameter of", message)
        if match and names and match.group(1) in names:
            key = names[match.group(1)]
        raise error(key, message) from None


def _check_memory(name, value, key, error):
    if name.rpartition("__")[2] == "memory" and value not in (None, "None"):
        # joblib's cache unpickles whatever that folder holds
        raise error(key, "a configuration cannot set a cache folder: joblib's cache "
                    "unpickles its files; leave memory out")


class ObjectBuilder:
    """Turns the TOML values of one configuration into Python values.

    Parameters
    ----------
    error : callable
        ``error(key, problem)`` returns the exception to raise.
    policy : ImportPolicy
        What may be imported.
    """

    def __init__(self, error, policy):
        self.error = error
        self.policy = policy

    def check_keys(self, table, allowed, key, what="key"):
        for name in table:
            if name not in allowed:
                where = name if key is None else f"{key}.{name}"
                raise self.error(where, f"unknown {what}{suggest(name, allowed)}")

    def check_table(self, value, key):
        if not isinstance(value, dict):
            raise self.error(key, f"must be a table; got {value!r}")

    def value(self, value, key):
        """A TOML value as a Python value: "None" -> None, object tables -> objects."""
        if isinstance(value, str) and value == "None":
            return None
        if isinstance(value, list):
            if _is_named_list(value):
                return [self.named(item, f"{key}[{i}]") for i, item in enumerate(value)]
            return [self.value(v, f"{key}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, dict):
            if "ref" in value:
                return self.reference(value, key)
            if "path" in value or "steps" in value:
                return self.build(value, key)
            return {k: self.value(v, f"{key}.{k}") for k, v in value.items()}
        return value

    def named(self, item, key):
        name, obj, *columns = item
        obj = obj if obj in _PLACEHOLDERS else self.value(obj, f"{key}[1]")
        return (name, obj, *(self.value(c, f"{key}[2]") for c in columns))

    def resolve(self, path, key, use):
        try:
            return self.policy.resolve(path, use)
        except ImportRefused as exc:
            raise self.error(key, str(exc)) from None

    def reference(self, spec, key):
        self.check_keys(spec, ("ref",), key)
        return self.resolve(spec["ref"], f"{key}.ref", "ref")

    def build(self, spec, key, path_key=None):
        """An object table ``{path, args, params}`` or ``{steps, params}`` -> the object."""
        path_key = path_key or f"{key}.path"
        if ("path" in spec) == ("steps" in spec):
            raise self.error(key, "needs either 'path' (a class) or 'steps' (a pipeline)")
        self.check_keys(spec, _BUILD_KEYS if "path" in spec else _PIPELINE_KEYS, key)
        params = spec.get("params", {})
        self.check_table(params, f"{key}.params")
        # plain names go to the constructor; step__name only exists once it is built
        nested = {k: v for k, v in params.items() if "__" in k}
        kwargs = {k: v for k, v in params.items() if "__" not in k}
        if "steps" in spec:
            cls, args = Pipeline, [self.steps(spec["steps"], f"{key}.steps")]
        else:
            cls = self.resolve(spec["path"], path_key, "build")
            args = spec.get("args", [])
            if not isinstance(args, list):
                raise self.error(f"{key}.args", f"must be a list of arguments; got {args!r}")
            args = [self.value(a, f"{key}.args[{i}]") for i, a in enumerate(args)]
        self.check_names(cls, kwargs, f"{key}.params")
        kwargs = {k: self.value(v, f"{key}.params.{k}") for k, v in kwargs.items()}
        try:
            obj = cls(*args, **kwargs)
        except (TypeError, ValueError) as exc:
            raise self.error(key, f"cannot build {_name(cls)}: {exc}") from None
        validate(obj, key, self.error, {k: f"{key}.params.{k}" for k in kwargs})
        self.set_params(obj, nested, f"{key}.params")
        return obj

    def check_names(self, cls, kwargs, key):
        for name, value in kwargs.items():
            _check_memory(name, value, f"{key}.{name}", self.error)
        try:
            parameters = inspect.signature(cls).parameters.values()
        except (TypeError, ValueError):  # a class without a readable signature
            return
        if any(p.kind is p.VAR_KEYWORD for p in parameters):
            return
        valid = [p.name for p in parameters if p.kind is not p.VAR_POSITIONAL]
        for name in kwargs:
            if name not in valid:
                raise self.error(
                    f"{key}.{name}",
                    f"{_name(cls)} has no parameter {name!r}{suggest(name, valid)}",
                )

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
        """Set ``params`` (``set_params`` names) on ``estimator``, checking each."""
        # shallow names first, so that a replaced step's own names exist
        for name in sorted(params, key=lambda n: n.count("__")):
            where = f"{key}.{name}"
            valid = estimator.get_params(deep=True)
            if name not in valid:
                raise self.error(
                    where,
                    f"{type(estimator).__name__} has no parameter {name!r}"
                    f"{suggest(name, valid)}",
                )
            _check_memory(name, params[name], where, self.error)
            value = self.value(params[name], where)
            try:
                estimator.set_params(**{name: value})
            except (TypeError, ValueError) as exc:
                raise self.error(where, str(exc)) from None
            prefix = name.rpartition("__")[0]
            owner = estimator.get_params(deep=True)[prefix] if prefix else estimator
            validate(owner, where, self.error)


def _name(cls):
    return getattr(cls, "__name__", repr(cls))
