"""The values of a cv_results_ row as tables and plots show them: MISSING, label."""

import numbers

import numpy as np


class _Missing:
    """Marks a parameter a candidate does not set (conditional sub-spaces).

    Examples
    --------
    >>> from sktune.report import MISSING, SearchResults
    >>> res = SearchResults({"params": [{"a": 1}, {"b": 2}], "mean_test_score": [1, 2]})
    >>> res.values("a")
    [1, MISSING]
    """

    def __repr__(self):
        return "MISSING"


MISSING = _Missing()


# The exact types most values have, checked before the abstract classes: a
# dashboard labels every value of tens of thousands of candidates per read,
# and the ABC checks of ``numbers.Real`` were most of that time.
_PLAIN_NUMBERS = (float, int, np.float64, np.int64)


def is_number(value: object) -> bool:
    """A real number, but not a bool."""
    if type(value) in _PLAIN_NUMBERS:
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def label(value: object, width: int = 30) -> str:
    """Short text for one parameter value: ``None``, ``'rbf'`` -> ``rbf``, 0.1.

    Parameters
    ----------
    value : object
        A parameter value.
    width : int, default=30
        Longer texts are cut and end with ``...``.

    Returns
    -------
    text : str

    Examples
    --------
    >>> from sktune.report import label
    >>> label(0.000123456), label("rbf"), label(None), label(3)
    ('0.0001235', 'rbf', 'None', '3')
    """
    if value is MISSING:
        return "-"
    kind = type(value)
    if kind is float or kind is np.float64 or (
            kind is not int and is_number(value) and not isinstance(value, numbers.Integral)):
        text = f"{float(value):.4g}"  # type: ignore[arg-type]  # is_number said Real
    elif isinstance(value, str):
        text = value
    else:
        text = repr(value) if not is_number(value) else str(value)
        text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."
