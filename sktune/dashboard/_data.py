"""What the dashboard shows, read from the checkpoints it was given.

A checkpoint is addressed by an id, the start of a hash of its real path,
never by a path: a URL can only name a file of the catalog. Each read opens
the file read-only (SQLite's ``mode=ro``, through
:class:`~sktune.store.CheckpointStore`) and closes it at once, so that the
dashboard holds no lock and no snapshot of the write-ahead log while a
search writes it. What is read is kept until the file (or its log) changes;
while a search writes it, a poll reads only the rows written since the last
read, the page's leaderboard and figures are computed again only now and
then (see :class:`Reader`), its count of candidates and status at once, and
the figures that fit a model to the scores (a forest, a Gaussian process)
only once the file has gone quiet. The list of experiments reads summaries
only.
"""

import contextlib
import datetime
import gc
import hashlib
import itertools
import math
import numbers
import os
import secrets
import socket
import threading
import time

import numpy as np

from ..plot._dependence import dependence_note
from ..plot._figures import COSTLY, figure_specs
from ..plot._interactive import convergence_figure
from ..plot._readable import metric_view
from ..report import MISSING, SearchResults, convergence, leaderboard_table
from ..search._json_values import decode_params
from ..search._stored import results_from_records
from ..store import CheckpointError, CheckpointStore
from ..store._schema import APPLICATION_ID
from ._timeline import timeline_spec

_SQLITE_HEADER = b"SQLite format 3\x00"
# the rows of a leaderboard a page receives; the page sorts and filters them
_MAX_ROWS = 2000
# A page's figures (a forest, a Gaussian process) take about a second of CPU
# to compute on a few hundred candidates; recomputed at every change of a
# file being written, they kept the dashboard's process busy beside the
# search for as long as a page polled it (benchmarks/dashboard_polling.py).
# So a changed file is read in full again only once this many times its
# last full read has passed: full reads then take at most 1 % of a core
# (at 20, 5 %, a page open throughout cost a search using both cores of a
# two-core machine 2.8 %; at 100, 1.8 %). In between, a poll reads the
# file's count of candidates and status only.
_REREAD_FACTOR = 100
# The figures of COSTLY (a forest, a Gaussian process) are computed only once
# the file has not changed for this many seconds (a search between rounds,
# or ended), never while each poll finds new rows.
_QUIET_SECONDS = 3.0
# The versions of a page's data: unique to this process, so that a page
# left open while the dashboard restarts never takes new data for its own.
_PROCESS = secrets.token_hex(4)
_VERSIONS = itertools.count(1)


def is_checkpoint(path):
    """Whether the file at ``path`` is an sktune checkpoint, by its header alone.

    Parameters
    ----------
    path : str
        A file.

    Returns
    -------
    bool

    Examples
    --------
    >>> import os, tempfile
    >>> from sktune.store import CheckpointStore
    >>> from sktune.dashboard._data import is_checkpoint
    >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
    >>> CheckpointStore(path).close()
    >>> is_checkpoint(path), is_checkpoint(__file__)
    (True, False)
    """
    return _is_sktune_header(_read(path, 0, 72)) or (
        # a running search's file may still be empty: its first page is in its
        # write-ahead log, the first frame (after the log's header and the
        # frame's, 32 and 24 bytes) when that frame is of page 1
        int.from_bytes(_read(path + "-wal", 32, 4), "big") == 1
        and _is_sktune_header(_read(path + "-wal", 56, 72))
    )


def _read(path, offset, size):
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            return f.read(size)
    except OSError:
        return b""


def _is_sktune_header(head):
    return (len(head) == 72 and head[:16] == _SQLITE_HEADER
            and int.from_bytes(head[68:72], "big") == APPLICATION_ID)


def _id(path):
    return hashlib.sha256(os.path.realpath(path).encode()).hexdigest()[:12]


class Catalog:
    """The checkpoints a dashboard serves: the files given, and those in the folders given.

    A folder is searched again at each listing, so that a search started
    into it after the dashboard shows up.

    Parameters
    ----------
    paths : list of str
        Checkpoint files and folders of them.

    Raises
    ------
    ValueError
        If ``paths`` is empty, or a path is neither a file nor a folder.

    Examples
    --------
    >>> import os, tempfile
    >>> from sktune.store import CheckpointStore
    >>> from sktune.dashboard._data import Catalog
    >>> folder = tempfile.mkdtemp()
    >>> CheckpointStore(os.path.join(folder, "a.db")).close()
    >>> catalog = Catalog([folder])
    >>> [os.path.basename(p) for p in catalog.entries().values()]
    ['a.db']
    >>> catalog.path("../../etc/passwd") is None
    True
    """

    def __init__(self, paths):
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        paths = [os.fspath(p) for p in paths]
        if not paths:
            raise ValueError(
                "The 'paths' parameter of sktune dashboard must name at least one "
                "checkpoint file or folder of checkpoints. Got [] instead."
            )
        for path in paths:
            if not (os.path.isfile(path) or os.path.isdir(path)):
                raise ValueError(
                    "The 'paths' parameter of sktune dashboard must name checkpoint "
                    f"files or folders. Got {path!r}, which does not exist."
                )
        self.paths = paths

    def entries(self):
        """Id -> path of every checkpoint, the files given first, then the folders' by name.

        Returns
        -------
        entries : dict of str -> str
        """
        found = []
        for path in self.paths:
            if os.path.isfile(path):
                found.append(path)
                continue
            for folder, dirs, files in os.walk(path):
                dirs.sort()
                found += [p for p in (os.path.join(folder, f) for f in sorted(files))
                          if not p.endswith(("-wal", "-shm")) and is_checkpoint(p)]
        return {_id(p): p for p in found}

    def path(self, ident):
        """The path of the checkpoint ``ident``, or ``None`` for an id not in the catalog."""
        return self.entries().get(ident) if isinstance(ident, str) else None


def jsonable(value):
    """``value`` as JSON: NaN and a parameter not set are ``null``, objects their text.

    Examples
    --------
    >>> import numpy as np
    >>> from sktune.report import MISSING
    >>> from sktune.dashboard._data import jsonable
    >>> jsonable([np.float64("nan"), MISSING, np.int64(3), ("a", 1.5), {"k": object}])
    [None, None, 3, ['a', 1.5], {'k': "<class 'object'>"}]
    """
    if value is None or value is MISSING:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or type(value) is str:
        return value
    if isinstance(value, str):  # a StoredRepr: the repr it was recorded with
        return str(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return repr(value)


def _iso(timestamp):
    if not isinstance(timestamp, (int, float)):
        return None
    return datetime.datetime.fromtimestamp(timestamp).isoformat(sep=" ", timespec="seconds")


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, TypeError, ValueError):
        return isinstance(pid, int)
    return True


def status(runs):
    """A checkpoint's status from its runs: ``(status, detail)``.

    ``"running"`` while the last run's process lives (on this machine),
    ``"finished"`` when it ended by itself (the detail says why: completed,
    ``max_time``...), ``"interrupted"`` when stopped by Ctrl-C or killed,
    ``"failed"`` when the fit raised, ``"unknown"`` for a checkpoint written
    before runs were recorded.

    Examples
    --------
    >>> from sktune.dashboard._data import status
    >>> status([{"stop_reason": "max_time", "ended": 1.0}])
    ('finished', 'max_time')
    >>> status([{"stop_reason": None, "ended": None, "pid": -5, "host": "elsewhere"}])
    ('running', 'on elsewhere')
    >>> status([])
    ('unknown', 'written by an sktune that did not record runs')
    """
    if not runs:
        return "unknown", "written by an sktune that did not record runs"
    run = runs[-1]
    reason = run.get("stop_reason")
    if reason == "interrupted":
        return "interrupted", "Ctrl-C"
    if reason == "error":
        return "failed", "the fit raised an error"
    if reason is not None:
        return "finished", str(reason)
    if run.get("host") != socket.gethostname():
        # another machine's process cannot be checked from here
        return "running", f"on {run.get('host')}"
    if _alive(run.get("pid")):
        return "running", f"process {run.get('pid')}"
    return "interrupted", "its process was killed"


def _signature(path):
    out = []
    for p in (path, path + "-wal"):
        try:
            st = os.stat(p)
            out.append((st.st_size, st.st_mtime_ns))
        except OSError:
            out.append(None)
    return tuple(out)


class Reader:
    """The summaries and pages of a catalog's checkpoints, read when they change.

    Parameters
    ----------
    catalog : Catalog
        The checkpoints.

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sktune import GridSearch
    >>> from sktune.dashboard._data import Catalog, Reader
    >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
    >>> _ = GridSearch(SVC(), {"C": [0.1, 1.0]}, cv=3, checkpoint=path).fit(
    ...     *load_iris(return_X_y=True))
    >>> reader = Reader(Catalog([path]))
    >>> (summary,) = reader.experiments()
    >>> summary["strategy"], summary["status"], summary["n_candidates"]
    ('GridSearch', 'finished', 2)
    """

    def __init__(self, catalog):
        self.catalog = catalog
        self._cache = {}
        self._lock = threading.Lock()

    def _read(self, path, page=True):
        key = _signature(path)
        with self._lock:
            watched = self._cache.setdefault(path, _Watched())
        with watched.lock:
            data = watched.data
            if watched.key != key:
                if data is not None and time.monotonic() < watched.read_at + (
                        _REREAD_FACTOR * watched.read_cost):
                    progress = _progress(path, data)
                    if progress is not None:
                        return watched.served(progress, page)
                started = time.monotonic()
                data = _read_checkpoint(path, watched.rows, page)
                watched.update(key, data, started)
            elif page and not watched.page:
                data = _read_checkpoint(path, watched.rows, page)
                watched.update(key, data, time.monotonic())
            if page and watched.costly_key != key and _quiet(path, data):
                watched.costly_key = key
                watched.costly = _costly_figures(path, data)
                watched.version = _new_version()
            return watched.served(data, page)

    def experiments(self):
        """The summary of every checkpoint of the catalog (no figure is computed)."""
        return [{"id": ident, **self._read(path, page=False)["summary"]}
                for ident, path in self.catalog.entries().items()]

    def search(self, ident, since=None):
        """The whole page data of checkpoint ``ident``, or ``None`` for an unknown id.

        The data has a ``"version"``. Given the version of the data a page
        shows as ``since``, the answer is its summary and notes alone, with
        ``"unchanged": True``, while nothing else of the page changed since
        (a poll of a running search between two full reads): the page
        needs no more, and no megabytes of figures are sent again.
        """
        path = self.catalog.path(ident)
        if path is None:
            return None
        data = self._read(path)
        if since is not None and since == data["_version"]:
            return {"id": ident, "version": since, "unchanged": True,
                    "summary": data["summary"], "notes": data.get("notes", [])}
        return {"id": ident, "version": data["_version"],
                **{k: v for k, v in data.items() if not k.startswith("_")}}

    def compare(self, idents):
        """Best-so-far curves of checkpoints ``idents`` on one axis; ``None`` for an unknown id."""
        paths = [self.catalog.path(i) for i in idents]
        if any(p is None for p in paths):
            return None
        pages = [self._read(p, page=False) for p in paths]
        summaries = [{"id": i, **page["summary"]} for i, page in zip(idents, pages)]
        curves = [(s["name"], page["_curve"]) for s, page in zip(summaries, pages)
                  if page["_curve"] is not None]
        signs = {page["_view"] for page in pages if page["_view"] is not None}
        sign, metric = signs.pop() if len(signs) == 1 else (1, "score")
        data = {s["data"] for s in summaries}
        return {
            "searches": summaries,
            "same_data": len(data) == 1,
            "figure": convergence_figure(curves, sign=sign, metric=metric),
        }


class _Watched:
    """What the dashboard read of one file: its rows, its page, when and at what cost."""

    def __init__(self):
        self.lock = threading.Lock()  # one read of a file at a time
        self.rows = _Rows()
        self.key = self.data = self.costly_key = None
        self.page = False
        self.costly = {}
        self.read_at, self.read_cost = -math.inf, 0.0
        self.version = _new_version()

    def update(self, key, data, started):
        done = time.monotonic()
        self.key, self.data, self.page = key, data, "leaderboard" in data
        self.read_at, self.read_cost = done, done - started
        self.version = _new_version()

    def served(self, data, page):
        """``data`` as served: with the costly figures, and the version of all
        but its summary and notes."""
        return {**_with_costly(data, self.costly, page), "_version": self.version}


def _new_version():
    return f"{_PROCESS}.{next(_VERSIONS)}"


class _Rows:
    """The records of one file read so far; each read adds only the rows written since."""

    def __init__(self):
        self.seq, self.records, self.extras = 0, {}, {}

    def read(self, store):
        # from the last row read: a record written again when it was the last
        # one keeps its sequence number (SQLite's rowid is then max + 1 again)
        seq, n, records, extras = store.added_since(max(self.seq - 1, 0),
                                                    decode=decode_params)
        for key in records:  # a record written again moves to the end
            self.records.pop(key, None)
            self.extras.pop(key, None)
        self.records.update(records)
        self.extras.update(extras)
        self.seq = seq
        if len(self.records) != n:  # records were deleted: read them all again
            self.seq, self.records, self.extras = 0, {}, {}
            self.read(store)


def _quiet(path, data):
    """Whether the file's search has ended or not written for ``_QUIET_SECONDS``."""
    if data["summary"]["status"] != "running":
        return True
    changed = max((os.stat(p).st_mtime for p in (path, path + "-wal") if os.path.exists(p)),
                  default=0.0)
    return time.time() - changed >= _QUIET_SECONDS


def _costly_figures(path, data):
    cv_results = data.get("_cv_results")
    if cv_results is None:
        return {}
    specs = figure_specs(cv_results, scoring=data["_scoring"], name=os.path.basename(path),
                         func="sktune dashboard")
    return {"n_candidates": len(cv_results["params"]),
            "figures": {k: specs[k] for k in COSTLY if k in specs}}


def _with_costly(data, costly, page):
    """The page of ``data`` with the last costly figures, and a note when they are older."""
    if not page or "figures" not in data:
        return data
    n = data["summary"]["n_candidates"]
    notes = list(data["notes"])
    if costly.get("n_candidates") != n:
        notes.append(
            "The importance and partial dependence figures are computed once the search "
            "pauses or ends" + (f"; shown: its first {costly['n_candidates']} candidates."
                               if costly else "."))
    return {**data, "figures": {**data["figures"], **costly.get("figures", {})},
            "notes": notes}


def _progress(path, data):
    """``data`` with the file's count of candidates and status read again (cheap).

    ``None`` when the status changed (a run began or ended: worth a full
    read) or the file cannot be read now.
    """
    summary = data["summary"]
    try:
        with CheckpointStore(path, read_only=True) as store:
            runs, n = store.runs(), len(store)
    except CheckpointError:
        return None
    state, detail = status(runs)
    if (state, len(runs)) != (summary["status"], summary.get("n_runs")):
        return None
    return {**data, "summary": {**summary, "n_candidates": n, "status_detail": detail}}


def _summary(path, runs, fingerprint, n, best, view):
    first, last = (runs[0], runs[-1]) if runs else ({}, {})
    state, detail = status(runs)
    data = ("X " + fingerprint.get("X", "?")[:8] + ", y " + fingerprint.get("y", "?")[:8]
            if fingerprint else None)
    return {
        "name": os.path.basename(path),
        "strategy": first.get("search"),
        "estimator": first.get("estimator"),
        "scoring": first.get("scoring"),
        "data": data,
        "started": _iso(first.get("started")),
        "status": state,
        "status_detail": detail,
        "n_runs": len(runs),
        "n_candidates": n,
        "best": best,
        "metric": None if view is None else view[1],
        "environment": jsonable(last.get("environment")),
    }


def _read_checkpoint(path, rows=None, page=True):
    """The summary of the file at ``path`` and, with ``page``, its page but the costly figures.

    ``rows`` (a :class:`_Rows`) keeps the records between reads: only those
    written since its last read are read from the file (all without it).
    """
    with _collector_paused():
        return _read_page(path, rows, page)


class _Pause:
    """Python's cyclic garbage collector off while any thread reads a page.

    A page's read allocates so many objects that the collector ran full
    collections over every record kept so far, again and again: half of a
    read's CPU time at 24,000 candidates (1.7 s against 0.9 s), which a
    running search pays on a machine with no core to spare. What the read
    leaves is freed by reference counts; the collector resumes after, as it
    was (a program that had turned it off keeps it off).
    """

    def __init__(self):
        self.lock, self.readers, self.resume = threading.Lock(), 0, False

    @contextlib.contextmanager
    def __call__(self):
        with self.lock:
            if self.readers == 0:
                self.resume = gc.isenabled()
                gc.disable()
            self.readers += 1
        try:
            yield
        finally:
            with self.lock:
                self.readers -= 1
                if self.readers == 0 and self.resume:
                    gc.enable()


_collector_paused = _Pause()


def _read_page(path, rows, page):
    rows = _Rows() if rows is None else rows
    try:
        with CheckpointStore(path, read_only=True) as store:
            runs = store.runs()
            fingerprint = store.fingerprint() or {}
            rows.read(store)
        records = list(rows.records.values())
        cv_results = (results_from_records(path, records, list(rows.extras.values()))
                      if records else None)
    except CheckpointError as exc:
        return {"summary": {"name": os.path.basename(path), "status": "unreadable",
                            "status_detail": str(exc), "n_candidates": 0},
                "_curve": None, "_view": None}
    if cv_results is None:
        return {"summary": _summary(path, runs, fingerprint, 0, None, None),
                "_curve": None, "_view": None}
    scoring = runs[0].get("scoring") if runs else None
    full = SearchResults.from_search(cv_results, "sktune dashboard", budgets="full")
    view = metric_view(full.refit_metric, scoring)
    sign = view[0]
    best = full.best_index()
    best = None if best is None else jsonable(sign * full.scores()[best])
    data = {"summary": _summary(path, runs, fingerprint, len(records), best, view),
            "_curve": convergence(full), "_view": view, "_cv_results": cv_results,
            "_scoring": scoring}
    if not page:
        return data
    data.update(
        runs=jsonable(runs),
        leaderboard=_leaderboard(cv_results, sign),
        figures=figure_specs(cv_results, scoring=scoring, name=os.path.basename(path),
                             func="sktune dashboard", costly=False),
        notes=[n for n in [dependence_note(full)] if n],
    )
    timeline = timeline_spec([outputs for _, outputs in records], cv_results,
                             full.refit_metric, sign=sign, label=view[1])
    if timeline is not None:
        data["figures"]["timeline"] = timeline
    return data


def _leaderboard(cv_results, sign):
    """Full-budget rows ranked first, then the other budgets' rows (unranked)."""
    columns, rows, index = leaderboard_table(cv_results, top=None, func="sktune dashboard")
    full = set(index)
    if "n_resources" in cv_results:
        _, every, every_index = leaderboard_table(
            cv_results, top=None, budgets="all", func="sktune dashboard")
        rows += [(None, *row[1:]) for row, i in zip(every, every_index) if i not in full]
    # scores in the metric's natural sign (RMSE, not its negative)
    flip = {k for k, c in enumerate(columns) if c.startswith("mean_")} if sign < 0 else set()
    rows = [[(-v if k in flip and isinstance(v, float) else v) for k, v in enumerate(row)]
            for row in rows[:_MAX_ROWS]]
    return {"columns": columns, "rows": jsonable(rows), "n_rows": len(rows)}
