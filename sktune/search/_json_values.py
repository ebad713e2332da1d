"""Candidate values as JSON for the checkpoint, and back, with nothing executed.

JSON gives back ``str``, ``int``, finite ``float``, ``bool`` and ``None``
exactly: those are stored as they are. Every other value is a JSON object
with a ``"type"`` and a ``"repr"`` (what a reader without sktune shows):

* ``{"type": "float", "value": "nan"}``: a NaN or infinite float;
* ``{"type": "numpy", "dtype": "float32", "value": 0.5}``: a numpy scalar of
  a bool, integer or float dtype;
* ``{"type": "tuple", "items": [...]}`` and ``"list"``: a tuple or list of
  such values;
* ``{"type": "object", "choice": 2, "hash": "..."}``: anything else (an
  estimator, a dict, a function) by its index among the categorical choices
  the search space offers for the parameter (``null`` when it is none of
  them), with its ``joblib.hash`` to check that the choice at that index is
  still the same object. Without the space it reads back as its repr.

Reading builds nothing but these types: a numpy scalar only of the dtypes
listed, an object only by picking it from the search space.
"""

import math
import reprlib
import warnings

import joblib
import numpy as np

from ..distributions import Categorical

_NUMPY_DTYPES = frozenset(
    {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
     "float16", "float32", "float64"}
)
_NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
# fields of each tagged form besides "type" and "repr"
_FIELDS = {
    "float": {"value"},
    "numpy": {"dtype", "value"},
    "tuple": {"items"},
    "list": {"items"},
    "object": {"choice", "hash"},
}
# hyperparameters nest a few levels at most ((10, (3, 3)) for a layer
# spec); a file nesting deeper is not one sktune wrote
_MAX_DEPTH = 16
_NOT_EXACT = object()


class StoredRepr(str):
    """An object a checkpoint records by its search-space index, as read from the file.

    A ``str`` whose ``repr`` is the recorded ``repr`` of the object, so a
    parameter dict read from a checkpoint prints as the search's own did;
    :meth:`ChoiceIndex.resolve` swaps it for the search space's very object.

    Parameters
    ----------
    text : str
        The ``repr`` of the object when it was recorded.
    choice : int or None, default=None
        Its index among the space's choices for its parameter.
    digest : str or None, default=None
        Its ``joblib.hash``.

    Attributes
    ----------
    choice, digest
        The arguments.

    Examples
    --------
    >>> from sktune.search._json_values import StoredRepr
    >>> {"estimator": StoredRepr("LogisticRegression(C=2.0)", choice=1)}
    {'estimator': LogisticRegression(C=2.0)}
    """

    def __new__(cls, text, choice=None, digest=None):
        self = super().__new__(cls, text)
        self.choice, self.digest = choice, digest
        return self

    def __repr__(self):
        return str(self)


class MissingChoice(ValueError):
    """A recorded object that the search space does not offer (any more)."""


# a file's content in a message, cut short: it may be anything, and huge
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 60


def _short(value):
    return _REPR.repr(value)


def _float_json(x):
    if math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def _exact(value, depth=0):
    """The JSON form of a value that JSON can give back exactly, else ``_NOT_EXACT``."""
    kind = type(value)
    if value is None or kind in (str, bool, int):
        return value
    if kind is float:
        if math.isfinite(value):
            return value
        return {"type": "float", "value": _float_json(value), "repr": repr(value)}
    if (
        isinstance(value, np.generic)
        and value.dtype.name in _NUMPY_DTYPES
        and kind is value.dtype.type
    ):
        item = value.item()
        item = _float_json(item) if isinstance(item, float) else item
        return {"type": "numpy", "dtype": value.dtype.name, "value": item, "repr": repr(value)}
    if kind in (tuple, list) and depth < _MAX_DEPTH:
        items = [_exact(v, depth + 1) for v in value]
        if any(i is _NOT_EXACT for i in items):
            return _NOT_EXACT
        return {"type": kind.__name__, "items": items, "repr": repr(value)}
    return _NOT_EXACT


def _is_number(x):
    return type(x) in (int, float) and math.isfinite(x)


def _numpy_scalar(dtype, value):
    name = dtype if type(dtype) is str else None
    if name not in _NUMPY_DTYPES:
        raise ValueError(f"numpy dtype {_short(dtype)} is not one sktune records")
    scalar_type = np.dtype(name).type
    if name == "bool":
        if type(value) is not bool:
            raise ValueError(f"a numpy bool holds {_short(value)}")
        return scalar_type(value)
    if name.startswith(("int", "uint")):
        info = np.iinfo(name)
        if type(value) is not int or not info.min <= value <= info.max:
            raise ValueError(f"a numpy {name} holds {_short(value)}")
        return scalar_type(value)
    if type(value) is str and value in _NONFINITE:
        return scalar_type(_NONFINITE[value])
    if not _is_number(value):
        raise ValueError(f"a numpy {name} holds {_short(value)}")
    return scalar_type(value)


def decode_params(stored):
    """Map a candidate's JSON form back to its values; objects become :class:`StoredRepr`.

    Parameters
    ----------
    stored : dict
        As returned by :meth:`ChoiceIndex.encode`, or read from a checkpoint.

    Returns
    -------
    params : dict
        Name -> value.

    Raises
    ------
    ValueError
        If ``stored`` holds anything :meth:`ChoiceIndex.encode` does not write.

    Examples
    --------
    >>> from sktune.search._json_values import decode_params
    >>> decode_params({"C": 0.5, "tol": {"type": "float", "value": "inf", "repr": "inf"}})
    {'C': 0.5, 'tol': inf}
    >>> decode_params({"C": {"type": "pickle"}})
    Traceback (most recent call last):
    ...
    ValueError: C={'type': 'pickle'} is not a value sktune records
    """
    if type(stored) is not dict:
        raise ValueError(f"{_short(stored)} is not a dict of parameter values")
    return {name: _decode(name, value, 0) for name, value in stored.items()}


def _decode(name, obj, depth):
    if obj is None or type(obj) in (str, bool, int) or _is_number(obj):
        return obj
    fields = _FIELDS.get(obj.get("type")) if type(obj) is dict else None
    if (
        fields is None
        or set(obj) != fields | {"type", "repr"}
        or type(obj["repr"]) is not str
        or depth >= _MAX_DEPTH
    ):
        raise ValueError(f"{name}={_short(obj)} is not a value sktune records")
    kind = obj["type"]
    if kind == "float":
        if obj["value"] not in _NONFINITE:
            raise ValueError(f"{name}={_short(obj)} is not a NaN or infinite float")
        return _NONFINITE[obj["value"]]
    if kind == "numpy":
        try:
            return _numpy_scalar(obj["dtype"], obj["value"])
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    if kind in ("tuple", "list"):
        if type(obj["items"]) is not list:
            raise ValueError(f"{name}={_short(obj)} has no list of items")
        items = [_decode(name, v, depth + 1) for v in obj["items"]]
        return tuple(items) if kind == "tuple" else items
    index, digest = obj["choice"], obj["hash"]
    if (index is not None and (type(index) is not int or index < 0)) or type(digest) is not str:
        raise ValueError(f"{name}={_short(obj)} is not a value sktune records")
    return StoredRepr(obj["repr"], choice=index, digest=digest)


class ChoiceIndex:
    """The categorical choices of a search space: objects recorded by index, and found again.

    Parameters
    ----------
    space : SearchSpace or None, default=None
        Whose choices: those each parameter has in any sub-space, in
        sub-space order. ``None`` (the search's own columns) has none:
        objects are recorded by their repr only.

    Attributes
    ----------
    space : SearchSpace or None
        The argument.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sktune.space import SearchSpace
    >>> from sktune.search._json_values import ChoiceIndex, decode_params
    >>> models = [LogisticRegression(), LogisticRegression(C=2.0)]
    >>> index = ChoiceIndex(SearchSpace({"clf": models, "k": [np.int64(3), 5]}))
    >>> stored = index.encode({"clf": models[1], "k": np.int64(3)})
    >>> stored["clf"]["choice"], stored["k"]
    (1, {'type': 'numpy', 'dtype': 'int64', 'value': 3, 'repr': 'np.int64(3)'})
    >>> read = decode_params(stored)
    >>> read
    {'clf': LogisticRegression(C=2.0), 'k': np.int64(3)}
    >>> index.resolve(read)["clf"] is models[1]
    True
    """

    def __init__(self, space=None):
        self.space = space
        self._choices = {}
        for sub in [] if space is None else space.subspaces:
            for name, dist in sub.items():
                if isinstance(dist, Categorical):
                    self._choices.setdefault(name, []).extend(dist.choices)
        self._hashes = {}

    def _hashes_of(self, name):
        if name not in self._hashes:
            # values JSON holds exactly are never looked up by hash
            self._hashes[name] = [
                None if _exact(c) is not _NOT_EXACT else joblib.hash(c)
                for c in self._choices.get(name, ())
            ]
        return self._hashes[name]

    def encode(self, params):
        """Map a candidate to its JSON form.

        Parameters
        ----------
        params : dict
            Parameter name -> value.

        Returns
        -------
        stored : dict
            Name -> JSON value (``str``, number, ``bool``, ``None`` or a
            tagged dict).

        Examples
        --------
        >>> from sktune.search._json_values import ChoiceIndex
        >>> ChoiceIndex().encode({"C": 0.5, "hidden": (10, 5)})
        {'C': 0.5, 'hidden': {'type': 'tuple', 'items': [10, 5], 'repr': '(10, 5)'}}
        """
        return {name: self._encode(name, value) for name, value in params.items()}

    def _encode(self, name, value):
        exact = _exact(value)
        if exact is not _NOT_EXACT:
            return exact
        digest = joblib.hash(value)
        choices = self._choices.get(name, ())
        index = next((i for i, c in enumerate(choices) if c is value), None)
        if index is None and digest in self._hashes_of(name):
            index = self._hashes_of(name).index(digest)
        return {"type": "object", "choice": index, "hash": digest, "repr": repr(value)}

    def resolve(self, params):
        """Swap each :class:`StoredRepr` of a candidate for the space's very object.

        Parameters
        ----------
        params : dict
            A candidate read by :func:`decode_params`.

        Returns
        -------
        params : dict
            The candidate with the space's objects.

        Raises
        ------
        MissingChoice
            If an object is none of the space's choices for its parameter.

        Examples
        --------
        >>> from sktune.space import SearchSpace
        >>> from sktune.search._json_values import ChoiceIndex, MissingChoice, StoredRepr
        >>> index = ChoiceIndex(SearchSpace({"weights": [{0: 1, 1: 5}]}))
        >>> try:
        ...     index.resolve({"weights": StoredRepr("{0: 3}", choice=0, digest="other")})
        ... except MissingChoice as exc:
        ...     print(exc)
        weights={0: 3} is not one of the choices the search space offers for 'weights'
        """
        return {name: self._find(name, v) if isinstance(v, StoredRepr) else v
                for name, v in params.items()}

    def _find(self, name, value):
        hashes = self._hashes_of(name)
        index = value.choice
        if index is not None and index < len(hashes) and hashes[index] == value.digest:
            return self._choices[name][index]
        if value.digest in hashes:
            # the choices moved (a ManualSearch list that grew or changed order)
            return self._choices[name][hashes.index(value.digest)]
        raise MissingChoice(
            f"{name}={value} is not one of the choices the search space offers for {name!r}"
        )


def resolve_recorded(candidates, space, search):
    """Recorded candidates with the space's objects; those it does not offer are left out.

    Parameters
    ----------
    candidates : iterable of dict
        Read from a checkpoint by :func:`decode_params`.
    space : SearchSpace
        The search space of this fit.
    search : str
        The search's class name, for the warning.

    Returns
    -------
    candidates : list of dict
        Those whose objects are all in ``space``, with them.

    Warns
    -----
    UserWarning
        For each candidate left out.

    Examples
    --------
    >>> from sktune.space import SearchSpace
    >>> from sktune.search._json_values import StoredRepr, resolve_recorded
    >>> recorded = [{"C": 1.0}, {"C": StoredRepr("Gone()", choice=0, digest="abc")}]
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     resolve_recorded(recorded, SearchSpace({"C": [1.0, 2.0]}), "ManualSearch")
    [{'C': 1.0}]
    >>> print(caught[0].message)
    A candidate the checkpoint of ManualSearch records is left out: C=Gone() is not ...
    """
    index = ChoiceIndex(space)
    out = []
    for cand in candidates:
        try:
            out.append(index.resolve(cand))
        except MissingChoice as exc:
            warnings.warn(
                f"A candidate the checkpoint of {search} records is left out: {exc}, so it "
                "cannot be rebuilt from the file (which holds its repr only). List it again "
                "among the candidates to keep its results.",
                UserWarning,
            )
    return out
