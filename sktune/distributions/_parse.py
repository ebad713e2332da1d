"""parse: a distribution from its text form, ``"LogUniform(1e-3, 1e3)"``.

The one reader of the text form, shared by the Python API and the TOML jobs
of ``sktune run``. Nothing is executed: the text must be a single call of a
public distribution class with literal arguments.
"""

import ast
import inspect

from ._base import Distribution
from ._checks import suggest


def _named_classes():
    # read at call time: this module is imported while the package is
    import sktune.distributions as package

    hidden = ("Distribution", "ScipyDistribution")
    return {
        name: obj
        for name in package.__all__
        if inspect.isclass(obj := getattr(package, name))
        and issubclass(obj, package.Distribution)
        and name not in hidden
    }


def distribution_class(name: str) -> type[Distribution]:
    """The public distribution class called ``name``, as a TOML job names it.

    A job's table form, ``C = {distribution = "LogUniform", low = 1e-3,
    high = 1e3}``, names its class this way.

    Parameters
    ----------
    name : str
        A class name such as ``"LogUniform"``.

    Returns
    -------
    cls : type
        A subclass of :class:`~sktune.distributions.Distribution`.

    Raises
    ------
    ValueError
        If no public distribution class has that name; the message suggests
        the closest and lists them all.

    Examples
    --------
    >>> from sktune.distributions import distribution_class
    >>> distribution_class("Integer").__name__
    'Integer'
    """
    classes = _named_classes()
    if name not in classes:
        raise ValueError(
            f"unknown distribution {name!r}{suggest(name, classes)}; choose "
            f"from {', '.join(sorted(classes))}"
        )
    return classes[name]


def parse(text: str) -> Distribution:
    """A distribution from its text form, the way a TOML job writes it.

    The text is one call of a public distribution class of
    :mod:`sktune.distributions` with literal arguments (numbers, strings,
    lists, tuples, dicts, ``None``, booleans). It is parsed, never
    evaluated: names, attribute access and nested calls are refused.

    Parameters
    ----------
    text : str
        Such as ``"LogUniform(1e-3, 1e3)"`` or ``"Integer(1, 10, log=True)"``.

    Returns
    -------
    distribution : Distribution
        Equal to the object the same call builds in Python.

    Raises
    ------
    TypeError
        If ``text`` is not a str, or the call's arguments do not fit the
        class.
    ValueError
        If the text is not one call with literal arguments, names no public
        distribution class (the message suggests the closest), or the class
        refuses its arguments.

    Examples
    --------
    >>> from sktune.distributions import LogUniform, parse
    >>> parse("LogUniform(1e-3, 1e3)") == LogUniform(1e-3, 1e3)
    True
    >>> parse("Categorical(['rbf', 'linear'])")
    Categorical(['rbf', 'linear'])
    >>> parse("LogUnifrom(1, 10)")
    Traceback (most recent call last):
    ...
    ValueError: unknown distribution 'LogUnifrom' (did you mean 'LogUniform'?); choose from ...
    """
    if not isinstance(text, str):
        raise TypeError(
            "The 'text' parameter of parse must be a str such as "
            f"\"LogUniform(1e-3, 1e3)\". Got {text!r} (of type {type(text).__name__}) instead."
        )
    bad = (
        f"malformed distribution {text!r}: expected a call such as "
        "\"LogUniform(1e-3, 1e3)\" with literal arguments"
    )
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:  # also Python's limit of 200 nested brackets
        raise ValueError(bad) from None
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        raise ValueError(bad)
    cls = distribution_class(node.func.id)
    try:
        args = [ast.literal_eval(a) for a in node.args]
        values = [ast.literal_eval(k.value) for k in node.keywords]
    except (ValueError, TypeError):  # TypeError: an unhashable key, {[1]: 2}
        raise ValueError(bad) from None
    kwargs = {k.arg: v for k, v in zip(node.keywords, values) if k.arg is not None}
    if len(kwargs) < len(values):  # **mapping
        raise ValueError(bad)
    return cls(*args, **kwargs)
