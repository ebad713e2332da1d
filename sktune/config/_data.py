"""The ``[data]`` table: a built-in scikit-learn dataset, or a CSV or Parquet file.

Files are read with pandas; text and categorical columns are kept as they
are, for the estimator (a ``ColumnTransformer``, say) to encode. The file is
what the configuration points at, possibly not a table at all
(``csv = "/etc/passwd"``), so a message never shows a cell, and shows the
header's column names only once the file has parsed as a table of at least
two columns.
"""

import csv
import os

from ._errors import suggest

# load_<name>(return_X_y=True) of sklearn.datasets: shipped with the
# package, no download
DATASETS = ("breast_cancer", "diabetes", "digits", "iris", "linnerud", "wine")

KEYS = ("dataset", "csv", "parquet", "target", "features", "delimiter")
_SOURCES = ("dataset", "csv", "parquet")
# names listed in a message, at most
_MAX_LISTED = 20
# rows named in a message, at most
_MAX_ROWS = 5
# pyarrow 14.0.1 stopped unpickling extension types found in a file
# (CVE-2023-47248)
_PYARROW_MIN = (14, 0, 1)


def read_data(table, resolve, error):
    """``X, y, description`` of a ``[data]`` table.

    Parameters
    ----------
    table : dict
        The table, as parsed.
    resolve : callable
        Relative file name -> path (relative to the configuration).
    error : callable
        ``error(key, problem)`` returns the exception to raise.

    Returns
    -------
    X : ndarray or pandas.DataFrame
        The features: an array for a built-in dataset, a DataFrame (column
        names and types as in the file) for a file.
    y : ndarray
        The target.
    data : str
        Where the data comes from, for messages.
    """
    for name in table:
        if name not in KEYS:
            raise error(f"data.{name}", f"unknown key{suggest(name, KEYS)}")
    sources = [s for s in _SOURCES if s in table]
    if len(sources) != 1:
        raise error("data", "needs one of 'dataset' (a built-in dataset), 'csv' or 'parquet'")
    (source,) = sources
    if source == "dataset":
        for extra in ("target", "features", "delimiter"):
            if extra in table:
                raise error(f"data.{extra}", "only applies to data.csv and data.parquet")
        return _dataset(table["dataset"], error)
    if "delimiter" in table and source != "csv":
        raise error("data.delimiter", "only applies to data.csv")
    return _Table(table, source, resolve, error).read()


def _dataset(name, error):
    if name not in DATASETS:
        raise error(
            "data.dataset",
            f"unknown built-in dataset {name!r}{suggest(name, DATASETS)}; "
            f"choose from {', '.join(DATASETS)}",
        )
    import sklearn.datasets

    X, y = getattr(sklearn.datasets, f"load_{name}")(return_X_y=True)
    return X, y, f"{name} ({X.shape[0]} samples, {X.shape[1]} features)"


def _numbers(rows):
    """``"2, 5 and 9"``, at most a few of them."""
    shown = [str(r) for r in rows[:_MAX_ROWS]]
    more = len(rows) - len(shown)
    if more:
        return f"{', '.join(shown)} and {more} more"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


class _Table:
    """One file of ``data.csv`` or ``data.parquet``."""

    def __init__(self, table, source, resolve, error):
        self.table, self.source, self.error = table, source, error
        self.key = f"data.{source}"
        self.file = table[source]
        if not isinstance(self.file, str):
            raise error(self.key, f"must be a file path; got {self.file!r}")
        self.path = resolve(self.file)
        self.header = None  # the column names, once the file parsed as a table

    def fail(self, key, problem):
        return self.error(key, f"{self.file} {problem}" if key == self.key else problem)

    def safe(self):
        # one "column" may be the first line of a file that is no table
        return self.header is not None and len(self.header) >= 2

    def columns_hint(self, name):
        """A "did you mean" and the list of columns, when it is safe to show them."""
        if not self.safe():
            return ""
        listed = ", ".join(self.header[:_MAX_LISTED])
        if len(self.header) > _MAX_LISTED:
            listed += f", ... ({len(self.header)} in all)"
        return f"{suggest(name, self.header)}; the columns are {listed}"

    def read(self):
        target = self.table.get("target")
        if target is None:
            raise self.error("data.target", f"missing; name the target column of {self.key}")
        if not isinstance(target, str):
            raise self.error("data.target", f"must be a column name; got {target!r}")
        if not os.path.exists(self.path):
            raise self.error(self.key, f"no such file: {self.path}")
        if not os.path.isfile(self.path):
            # a folder, or a device such as /dev/zero that would never end
            raise self.error(self.key, f"{self.path} is not a regular file")
        pd = _pandas(self.key, self.error)
        frame = self.read_csv(pd) if self.source == "csv" else self.read_parquet(pd)
        features = self.features(target)
        y = frame[target]
        empty = y.isna() | (y.astype(str).str.strip() == "")
        if empty.any():
            rows = [i + 1 for i in empty.to_numpy().nonzero()[0].tolist()]
            raise self.error(
                "data.target",
                f"column {target!r} of {self.file} is empty in data row{'s' * (len(rows) > 1)} "
                f"{_numbers(rows)} (the header is not counted); a row without a target "
                "cannot be fitted: fill it in or remove it",
            )
        X = frame[features]
        text = [c for c in features if not pd.api.types.is_numeric_dtype(X[c])]
        kinds = f", {len(text)} not numeric" if text else ""
        description = (
            f"{self.file} ({X.shape[0]} samples, {X.shape[1]} features{kinds}, "
            f"target {target!r})"
        )
        return X, y.to_numpy(), description

    def features(self, target):
        if target not in self.header:
            raise self.error(
                "data.target", f"no column {target!r} in {self.file}{self.columns_hint(target)}"
            )
        features = self.table.get("features")
        if features is None:
            features = [h for h in self.header if h != target]
            if not features:
                raise self.error(
                    "data.target", f"is the only column of {self.file}; there is nothing "
                    "to predict it from"
                )
            return features
        if not isinstance(features, list) or not all(isinstance(c, str) for c in features):
            raise self.error("data.features", f"must be a list of column names; got {features!r}")
        if not features:
            raise self.error(
                "data.features", "is empty; name at least one feature column, or leave "
                "data.features out to use every column but the target",
            )
        for name in features:
            if name not in self.header:
                raise self.error(
                    "data.features",
                    f"no column {name!r} in {self.file}"
                    f"{suggest(name, self.header) if self.safe() else ''}",
                )
        if target in features:
            raise self.error(
                "data.features", f"lists the target column {target!r}: the model would "
                "see the answer; leave it out of data.features",
            )
        twice = sorted({c for c in features if features.count(c) > 1})
        if twice:
            raise self.error("data.features", f"lists {twice[0]!r} twice")
        return features

    def check_names(self, names):
        """Refuse a header with an unnamed or a repeated column."""
        for j, name in enumerate(names):
            if not name:
                raise self.fail(self.key, f"has no name for column {j + 1} of its header")
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            # pandas would keep one under its name and rename the other
            raise self.fail(
                self.key, f"has two columns named {repeated[0]!r}; rename one of them"
            )
        self.header = names

    def read_csv(self, pd):
        delimiter = self.table.get("delimiter", ",")
        if not isinstance(delimiter, str) or len(delimiter) != 1:
            raise self.error("data.delimiter", f"must be one character; got {delimiter!r}")
        names = self.scan_csv(delimiter)
        self.check_names(names)
        # scan_csv has parsed the file with the same dialect: pandas reads a table
        frame = pd.read_csv(
            self.path, sep=delimiter, encoding="utf-8-sig", skipinitialspace=True,
            low_memory=False,
            # an empty cell is missing; "NA", "None" or "null" are values as written
            keep_default_na=False, na_values=[""],
        )
        frame.columns = names
        return frame

    def scan_csv(self, delimiter):
        """The header's names; refuses a file that is no table, naming lines, never cells."""
        try:
            with open(self.path, newline="", encoding="utf-8-sig") as f:
                reader = csv.reader(f, delimiter=delimiter)
                header = next((row for row in reader if row), None)
                n_rows = 0
                for row in reader:
                    if not row:
                        continue
                    n_rows += 1
                    if len(row) != len(header):
                        raise self.error(
                            self.key, f"line {reader.line_num} of {self.file} has "
                            f"{len(row)} fields, the header {len(header)}",
                        )
        except UnicodeDecodeError:
            raise self.fail(self.key, "is not a UTF-8 text file") from None
        except csv.Error:
            raise self.fail(self.key, f"cannot be parsed as CSV (line {reader.line_num})") from None
        except OSError as exc:
            raise self.fail(self.key, f"cannot be read ({exc.strerror})") from None
        if header is None or n_rows == 0:
            raise self.fail(self.key, "needs a header line and at least one row")
        return [h.strip() for h in header]

    def read_parquet(self, pd):
        try:
            import pyarrow
        except ImportError:
            raise self.error(
                self.key, "reading Parquet needs pyarrow: pip install 'sktune[tables]'"
            ) from None
        version = tuple(int(p) for p in pyarrow.__version__.split(".")[:3] if p.isdigit())
        if version < _PYARROW_MIN:
            raise self.error(
                self.key, f"reading Parquet needs pyarrow >= 14.0.1 (older versions unpickle "
                f"extension types found in a file); this is {pyarrow.__version__}",
            )
        try:
            frame = pd.read_parquet(self.path, engine="pyarrow")
        except (ValueError, OSError, pyarrow.ArrowException):
            raise self.fail(self.key, "is not a readable Parquet file") from None
        names = [str(c) for c in frame.columns]
        self.check_names(names)
        if len(frame) == 0:
            raise self.fail(self.key, "has no rows")
        frame.columns = names
        return frame


def _pandas(key, error):
    try:
        import pandas
    except ImportError:
        raise error(key, "reading a data file needs pandas: pip install 'sktune[tables]'") from None
    return pandas
