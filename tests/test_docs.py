"""Docstrings and the API reference: every public name is documented (issue 9).

A name is public when it is in the ``__all__`` of :mod:`sktune` or of one of
its public submodules. Each public class and function must have a numpydoc
docstring (read with numpydoc's own parser) with

* a ``Parameters`` section when it takes any argument, naming each of them;
* ``Attributes`` for a class, ``Returns`` (or ``Yields``) for a function;
* an ``Examples`` section with at least one doctest (``>>>``), which
  ``make test`` runs (``--doctest-modules``).

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
    doc = inspect.getdoc(obj)
    if not doc:
        return ["no docstring"]
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
    elif not (parsed["Returns"] or parsed["Yields"] or parsed["Raises"]):
        problems.append("no Returns section")
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
