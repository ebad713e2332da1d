"""A search's results as a file other tools read: CSV, Parquet or JSON.

Every row of ``cv_results_`` is written, one column per parameter
(``param_<name>``) and per result column (``mean_test_score``,
``split0_test_score``, ``mean_fit_time``, Hyperband's ``n_resources``...);
the ``params`` column of dicts is left out, the ``param_*`` columns hold the
same values. A value that is not a number, a str, a bool or ``None`` (an
estimator drawn from the space) is written as its ``repr``; a parameter a
candidate does not set, and a failed fit's NaN, are empty (``null``).
"""

import csv
import json
import math
import numbers
import os

import numpy as np

from .._typing import SearchLike
from ._results import SearchResults

FORMATS = ("csv", "json", "parquet")


def _check_format(format, path):
    if format is None:
        format = os.path.splitext(os.fspath(path))[1].lstrip(".").lower()
        if format not in FORMATS:
            raise ValueError(
                "The 'format' parameter of export_results must be one of "
                f"{', '.join(map(repr, FORMATS))}, or None to take it from the file's "
                f"extension. Got None, and the path {os.fspath(path)!r} has none of these "
                "extensions."
            )
    if not isinstance(format, str) or format not in FORMATS:
        raise ValueError(
            "The 'format' parameter of export_results must be one of "
            f"{', '.join(map(repr, FORMATS))} or None. Got {format!r} instead."
        )
    return format


def _cell(value):
    if value is np.ma.masked or value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or isinstance(value, str):
        return value if type(value) in (bool, str) else str(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return None if math.isnan(value) else float(value)
    return repr(value)


def _uniform(values):
    # one type per column, which Parquet needs: mixed columns become text
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {int, float} or len(kinds) <= 1:
        return values
    return [None if v is None else str(v) for v in values]


def export_table(search):
    """The rows of a search's results as column names and plain Python values.

    Parameters
    ----------
    search : fitted search, dict or SearchResults
        Any fitted search with ``cv_results_`` or a ``cv_results_`` dict;
        every row is kept (all budgets of a Hyperband search).

    Returns
    -------
    columns : list of str
        The ``cv_results_`` keys but ``params``, in their order.
    data : dict of str -> list
        Each column's values: ``int``, ``float``, ``str``, ``bool`` or ``None``.

    Examples
    --------
    >>> from sktune.report._export import export_table
    >>> import numpy as np
    >>> results = {"params": [{"C": 1}, {"C": 10}], "param_C": np.ma.array([1, 10]),
    ...            "mean_test_score": np.array([0.8, np.nan])}
    >>> export_table(results)
    (['param_C', 'mean_test_score'], {'param_C': [1, 10], 'mean_test_score': [0.8, None]})
    """
    res = SearchResults.from_search(search, "export_results", budgets="all")
    n = res.n_candidates
    data = {}
    for key, column in res.cv_results.items():
        if key == "params" or len(column) != n:
            continue
        data[key] = _uniform([_cell(v) for v in column])
    return list(data), data


def export_results(search: SearchLike, path: str | os.PathLike[str], *,
                   format: str | None = None) -> str:
    """Write every row of a search's results to a CSV, Parquet or JSON file.

    Parameters
    ----------
    search : fitted search, dict or SearchResults
        Any fitted search with ``cv_results_`` (sktune's or scikit-learn's),
        or a ``cv_results_`` dict such as
        :func:`~sktune.search.results_from_checkpoint` reads from a
        checkpoint.
    path : str or os.PathLike
        The file to write (replaced when it exists).
    format : {"csv", "parquet", "json"} or None, default=None
        ``None`` takes it from the extension of ``path``. JSON is a list of
        one object per row; Parquet needs pyarrow (``pip install
        sktune[tables]``).

    Returns
    -------
    path : str
        The file written.

    Raises
    ------
    ValueError
        If ``format`` is not one of the above (checked before anything is
        written).

    Examples
    --------
    >>> import json, os, tempfile
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sktune import GridSearch
    >>> from sktune.report import export_results
    >>> X, y = load_iris(return_X_y=True)
    >>> search = GridSearch(SVC(), {"C": [0.01, 1.0]}, cv=3).fit(X, y)
    >>> path = export_results(search, os.path.join(tempfile.mkdtemp(), "results.json"))
    >>> rows = json.load(open(path))
    >>> [row["param_C"] for row in rows], rows[1]["rank_test_score"]
    ([0.01, 1.0], 1)
    """
    format = _check_format(format, path)
    columns, data = export_table(search)
    path = os.fspath(path)
    if format == "parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise ImportError(
                "export_results(format='parquet') needs pyarrow: "
                "pip install sktune[tables]"
            ) from None
        pq.write_table(pa.table({c: data[c] for c in columns}), path)
        return path
    rows = [dict(zip(columns, values)) for values in zip(*data.values())]
    with open(path, "w", newline="", encoding="utf-8") as f:
        if format == "json":
            json.dump(rows, f, indent=1, allow_nan=False)
        else:
            writer = csv.DictWriter(f, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    return path
