"""Argument checks shared by the distribution constructors.

Messages follow the project's one voice: the parameter, the class, what is
allowed, and the value shown with ``!r``.
"""

import difflib
import math
import numbers
from collections.abc import Iterable

# Integer draws go through float64 quantiles rounded at half-integers, which
# a float64 holds exactly only below 2**52: Integer(0, 2**52) gave
# ppf(1.0) == 2**52 - 1, and Integer(0, 2**63 - 1) gave ppf(1.0) == -2**63.
FLOAT_EXACT_INT = 2**52


def _fail(cls_name, name, allowed, value, exc=ValueError):
    raise exc(
        f"The {name!r} parameter of {cls_name} must be {allowed}. Got {value!r} instead."
    )


def check_real(cls_name, name, value, *, positive=False):
    """Return ``value`` as a float after checking it is a finite real number."""
    allowed = "a finite real number" + (" > 0" if positive else "")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        _fail(cls_name, name, allowed, value, TypeError)
    value = float(value)
    if not math.isfinite(value) or (positive and value <= 0):
        _fail(cls_name, name, allowed, value)
    return value


def check_int(cls_name, name, value, *, minimum=None, float_exact=False):
    """Return ``value`` as an int after checking it is an integer.

    With ``float_exact``, also check that a float64 holds the value and its
    neighbouring half-integers exactly (``|value| < 2**52``).
    """
    allowed = "an int" + ("" if minimum is None else f" >= {minimum}")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        _fail(cls_name, name, allowed, value, TypeError)
    value = int(value)
    if minimum is not None and value < minimum:
        _fail(cls_name, name, allowed, value)
    if float_exact and not -FLOAT_EXACT_INT < value < FLOAT_EXACT_INT:
        _fail(
            cls_name, name,
            f"an int of absolute value below 2**52 ({FLOAT_EXACT_INT}), where a float64 "
            "still holds every integer and half-integer exactly", value,
        )
    return value


def check_bounds(cls_name, low, high, *, positive=False):
    """Check that ``low < high`` (both already validated numbers)."""
    if not low < high:
        raise ValueError(
            f"The 'low' parameter of {cls_name} must be smaller than 'high'. "
            f"Got low={low!r} and high={high!r} instead."
        )
    if positive and low <= 0:
        _fail(cls_name, "low", "> 0 for a log scale", low)


def suggest(name: object, choices: Iterable[object]) -> str:
    """A " (did you mean 'x'?)" hint for the closest of ``choices``, or "".

    Parameters
    ----------
    name : object
        What the user wrote (a parameter name, a string value).
    choices : iterable
        What is allowed.

    Returns
    -------
    hint : str
        To append to an error message; empty when nothing is close.

    Examples
    --------
    >>> from sktune.search import suggest
    >>> suggest("svc__CC", ["svc__C", "svc__kernel"])
    " (did you mean 'svc__C'?)"
    >>> suggest("zzz", ["svc__C"])
    ''
    """
    close = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
