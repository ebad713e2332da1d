"""Docstrings and the API reference: every public name is documented (issue 9).

A name is public when it is in the ``__all__`` of :mod:`sktune` or of one of
its public submodules. A member (method, classmethod, staticmethod or
property) is public when its name does not start with ``_`` and a public
class, or one of sktune's own bases of it, defines it: what scikit-learn or
``object`` define is theirs to document, but an override sktune writes
(``fit``, ``predict``) is ours. Each public class, function and member must
have a numpydoc docstring of its own (read with numpydoc's own parser; an
override that only inherits its base's docstring would show the base's
example on the page of the subclass) with

* a ``Parameters`` section when it takes any argument, naming each of them
  (``self`` and ``cls`` excepted; ``**params`` may be written as such);
* ``Attributes`` for a class, ``Returns`` (or ``Yields``) for a function or
  method; a method that returns ``self`` (``fit``) says ``self : object``,
  as scikit-learn does, and one that returns nothing says ``None``;
* an ``Examples`` section with at least one doctest (``>>>``), which
  ``make test`` runs (``--doctest-modules``).

A property is read like an attribute, so it needs no ``Parameters`` or
``Returns``: its summary says what it is, its example shows a value.

The exceptions, each for a reason:

* an exception class needs no ``Attributes``: it carries its message;
* a dataclass documents its fields once, in ``Parameters`` or in
  ``Attributes``: they are both its constructor's arguments and its
  attributes;
* a function that returns nothing but raises on failure (a check) documents
  ``Raises`` instead of ``Returns``;
* a constant of a built-in type (a tuple, a dict) cannot carry a docstring;
  its ``#:`` comment is its documentation in the reference. A marker
  object of a class of sktune's (``sktune.report.MISSING``) needs an
  example in its class's docstring.

Every public name must also appear in ``docs/api.rst``, so that the API
reference is complete.
"""

import dataclasses
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from numpydoc.docscrape import NumpyDocString

import sktune

API_RST = Path(__file__).resolve().parents[1] / "docs" / "api.rst"


def _public_modules():
    mods = [sktune]
    for info in pkgutil.walk_packages(sktune.__path__, "sktune."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        if hasattr(module, "__all__"):
            mods.append(module)
    return mods


def _public_objects():
    """(qualified name, object) of every public name, each object once."""
    seen, out = set(), []
    for module in _public_modules():
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.ismodule(obj) or id(obj) in seen:
                continue
            seen.add(id(obj))
            out.append((f"{module.__name__}.{name}", obj))
    return out


PUBLIC = _public_objects()


def _public_members(public):
    """(qualified name, member) of every public member of the classes in ``public``.

    A member comes as it is read from its class: a function (whose ``self``
    :func:`_params` drops), a bound classmethod (``cls`` already bound) or a
    property. One defined by a private base of sktune's is listed under
    the first public class that inherits it; one defined by a public base
    is listed under that base only.
    """
    classes = [(name, obj) for name, obj in public if inspect.isclass(obj)]
    public_ids = {id(obj) for _, obj in classes}
    seen, out = set(), []
    for name, cls in classes:
        for owner in cls.__mro__:
            if owner.__module__.split(".")[0] != "sktune" or (
                owner is not cls and id(owner) in public_ids
            ):
                continue
            for attr, value in vars(owner).items():
                if attr.startswith("_") or id(value) in seen:
                    continue
                if isinstance(value, property):
                    member = value
                elif inspect.isfunction(value) or isinstance(value, (classmethod, staticmethod)):
                    member = getattr(owner, attr)
                else:
                    continue  # a plain class attribute (a flag, a default)
                seen.add(id(value))
                out.append((f"{name}.{attr}", member))
    return out


MEMBERS = _public_members(PUBLIC)


def _params(obj):
    """Names of the arguments a class's constructor or a function takes."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):  # builtins, exceptions without __init__
        return []
    return [
        p.name for p in sig.parameters.values()
        if p.name != "self"
        and not (inspect.isclass(obj) and issubclass(obj, BaseException)
                 and p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD))
    ]


def _documented(section):
    names = set()
    for entry in section:
        for name in entry.name.split(","):
            names.add(name.strip().lstrip("*"))
    return names


def _problems(obj):
    if not (obj.__doc__ or "").strip():
        return ["no docstring"]
    doc = inspect.cleandoc(obj.__doc__)
    parsed = NumpyDocString(doc)
    problems = []
    params = _params(obj)
    documented = _documented(parsed["Parameters"])
    if dataclasses.is_dataclass(obj):
        # a record's constructor arguments are its fields
        documented |= _documented(parsed["Attributes"])
    if params and not documented:
        problems.append("no Parameters section")
    elif missing := [p for p in params if p not in documented]:
        problems.append(f"Parameters does not describe {missing}")
    if inspect.isclass(obj):
        is_record = dataclasses.is_dataclass(obj) and all(
            f.name in documented for f in dataclasses.fields(obj)
        )
        if not (parsed["Attributes"] or issubclass(obj, BaseException) or is_record):
            problems.append("no Attributes section")
    elif isinstance(obj, property):
        pass  # read like an attribute: nothing to return
    elif not (parsed["Returns"] or parsed["Yields"] or parsed["Raises"]):
        problems.append("no Returns section")
    elif wrong := [r.type for r in parsed["Returns"] if r.name == "self" and r.type != "object"]:
        problems.append(f"Returns says self : {wrong[0]}, not self : object")
    if not any(line.lstrip().startswith(">>>") for line in parsed["Examples"]):
        problems.append("no Examples section with a doctest")
    return problems


@pytest.mark.parametrize("name, obj", PUBLIC, ids=[name for name, _ in PUBLIC])
def test_public_docstring(name, obj):
    if not (inspect.isclass(obj) or callable(obj)):
        if type(obj).__module__ == "builtins":
            pytest.skip("a constant of a built-in type has no docstring of its own")
        # a marker object: its class's docstring, which needs only an example
        doc = NumpyDocString(inspect.getdoc(type(obj)) or "")
        assert any(line.lstrip().startswith(">>>") for line in doc["Examples"]), name
        return
    problems = _problems(obj)
    assert not problems, f"{name}: " + "; ".join(problems)


@pytest.mark.parametrize("name, member", MEMBERS, ids=[name for name, _ in MEMBERS])
def test_public_member_docstring(name, member):
    problems = _problems(member)
    assert not problems, f"{name}: " + "; ".join(problems)


def _api_entries():
    """(module, name) of every entry of the autosummary tables in docs/api.rst."""
    entries, module, in_table = set(), None, False
    for line in API_RST.read_text().splitlines():
        if m := re.match(r"\.\. currentmodule:: (\S+)", line):
            module = m.group(1)
        elif line.startswith(".. autosummary::"):
            in_table = True
        elif in_table and re.match(r"^   [A-Za-z_]\w*$", line):
            entries.add((module, line.strip()))
        elif in_table and line and not line.startswith(" "):
            in_table = False
    return entries


def test_api_reference_lists_every_public_name():
    listed = {id(getattr(importlib.import_module(m), n)) for m, n in _api_entries()}
    missing = [name for name, obj in PUBLIC if id(obj) not in listed]
    assert not missing, f"not in docs/api.rst: {missing}"


def test_problems_are_found():
    def undocumented(a, b):
        """Add.

        Parameters
        ----------
        a : int
            One.
        """

    assert _problems(undocumented) == [
        "Parameters does not describe ['b']",
        "no Returns section",
        "no Examples section with a doctest",
    ]


def test_member_problems_are_found():
    class Base:  # not sktune's: its members are not collected
        def ask(self, n):
            """Propose ``n`` points.

            Parameters
            ----------
            n : int
                How many.

            Returns
            -------
            points : list

            Examples
            --------
            >>> 1
            1
            """

    class _Private:  # a private base of sktune's: collected with the subclass
        __module__ = "sktune.fake"

        def close(self):
            """Close."""

    class Thing(_Private, Base):
        __module__ = "sktune.fake"
        flag = True

        def ask(self, n):  # an override that only inherits a docstring
            return []

        def fit(self, X):
            """Fit.

            Parameters
            ----------
            X : array-like
                Data.

            Returns
            -------
            self : Thing

            Examples
            --------
            >>> 1
            1
            """

        @classmethod
        def load(cls, path):
            """Load.

            Returns
            -------
            thing : Thing

            Examples
            --------
            >>> 1
            1
            """

        @property
        def size(self):
            """Number of things."""

        def _helper(self):
            pass

    members = dict(_public_members([("sktune.Thing", Thing)]))
    assert list(members) == [
        "sktune.Thing.ask", "sktune.Thing.fit", "sktune.Thing.load",
        "sktune.Thing.size", "sktune.Thing.close",
    ]
    assert _problems(members["sktune.Thing.ask"]) == ["no docstring"]
    assert _problems(members["sktune.Thing.fit"]) == [
        "Returns says self : Thing, not self : object"
    ]
    assert _problems(members["sktune.Thing.load"]) == ["no Parameters section"]
    assert _problems(members["sktune.Thing.size"]) == ["no Examples section with a doctest"]
    assert _problems(members["sktune.Thing.close"]) == [
        "no Returns section", "no Examples section with a doctest"
    ]
