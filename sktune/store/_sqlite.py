"""An SQLite file that records finished candidates as they finish.

The store knows nothing of estimators or searches: it keeps a fingerprint (a
dict of named hashes), the runs that wrote it (when, by which process, in
which environment; each a JSON dict in the ``meta`` table, so that files
written before runs were recorded still open) and records (a key, the candidate's parameters, its
per-split results and the search's own columns for it), all in open
columns: SQL values and JSON text (``_schema`` lists the tables). The search
layer decides what goes in and turns values JSON cannot hold into JSON.
Nothing read from the file is executed or unpickled.

Durability: WAL journal, one transaction per candidate, ``synchronous=NORMAL``
(a killed process loses nothing committed; only a power cut may lose the last
transactions). :meth:`CheckpointStore.close` moves the log into the database
file, so that the file alone holds every record once a search has stopped.
"""

import os
import socket
import sqlite3
import tempfile
import time
import urllib.parse
import warnings

from ._errors import CheckpointError
from ._rows import from_json, output_rows, outputs_of, to_json
from ._schema import add_tables, create, has_table, kind_of
from ._wal import wal_damage
from ._workers import with_workers, worker_rows

try:  # POSIX advisory locks; other platforms go without the one-writer guard
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

_REMEDY = "Re-run the search into a new checkpoint file."


def _check_writable(path):
    folder = os.path.dirname(os.path.abspath(path)) or "."
    if not os.path.isdir(folder):
        raise CheckpointError(
            f"The checkpoint {path!r} cannot be created: folder {folder!r} does not exist."
        )
    # Try for real (os.access says yes to root everywhere); WAL mode also
    # writes -wal and -shm files beside the database.
    try:
        with open(path, "ab"):
            pass
        tempfile.TemporaryFile(dir=folder).close()
    except OSError as exc:
        raise CheckpointError(
            f"The checkpoint {path!r} is in a read-only location ({exc.strerror}); "
            "choose a writable path."
        ) from None


class CheckpointStore:
    """Open (or create) a checkpoint file for one writer, or read it.

    A writer accepts a new (empty) file or a checkpoint of this format only,
    and refuses anything else before writing to it: another program's
    SQLite database, a checkpoint of sktune's older pickled format, one
    with records but no fingerprint (deleted, or never set with
    :meth:`set_fingerprint`), one whose write-ahead log is damaged.

    Parameters
    ----------
    path : str or os.PathLike
        The SQLite file.
    read_only : bool, default=False
        Open an existing file for reading only: no writer lock is taken, so
        it can be read while a search is writing it (``sktune show``, the
        dashboard); writing raises ``sqlite3.OperationalError``. Reading
        the file of a stopped search creates and changes no file.

    Attributes
    ----------
    path : str
        The SQLite file.

    Raises
    ------
    CheckpointError
        If the file is not an sktune checkpoint of this format, is corrupt,
        is in use by another process, or cannot be written.

    Examples
    --------
    >>> import os, tempfile
    >>> from sktune.store import CheckpointStore
    >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
    >>> with CheckpointStore(path) as store:
    ...     store.set_fingerprint({"data": "abc"})
    ...     store.add("k1", {"C": 1.0}, [{"test_scores": 0.9}])
    >>> with CheckpointStore(path) as store:
    ...     store.records()["k1"][0]
    {'C': 1.0}

    The file is plain SQLite, JSON in its text columns:

    >>> import sqlite3
    >>> with sqlite3.connect(path) as conn:
    ...     conn.execute("SELECT json_extract(params, '$.C'), score FROM candidates"
    ...                  " JOIN scores USING (seq)").fetchall()
    [(1.0, 0.9)]
    """

    def __init__(self, path, *, read_only=False):
        self.path = os.fspath(path)
        self._read_only = read_only
        self._lock_file = None
        self._conn = None
        self._writing = False  # opened for writing, and found or made a checkpoint
        self._immutable = None  # (size, mtime) of the file a reader opened as immutable
        if read_only and not os.path.isfile(self.path):
            raise CheckpointError(f"The checkpoint {self.path!r} does not exist.")
        if not read_only:
            _check_writable(self.path)
            self._acquire_lock()
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            self.close()
            hint = "" if read_only else (
                "; it may be truncated or corrupt. Delete it or choose another path"
            )
            raise CheckpointError(
                f"The checkpoint {self.path!r} is not a readable sktune checkpoint "
                f"({exc}){hint}."
            ) from None
        except BaseException:
            self.close()
            raise

    def _open(self):
        # before SQLite reads the log, which would drop what follows the damage
        # a reader of a running search's log (the dashboard polls it) checks
        # only the frames written since its last check
        damage = wal_damage(self.path, incremental=self._read_only)
        if damage is not None:
            raise CheckpointError(
                f"The write-ahead log {self.path + '-wal'!r} of the checkpoint "
                f"{self.path!r} is damaged: {damage} would be silently dropped by SQLite "
                f"(they are not in {os.path.basename(self.path)!r} itself). Restore an "
                "intact copy of the log beside the file, or re-run the search into a new "
                "checkpoint file."
            )
        if self._read_only:
            uri = "file:" + urllib.parse.quote(os.path.abspath(self.path)) + "?mode=ro"
            self._immutable = None
            if not os.path.exists(self.path + "-wal"):
                # No writer is at work (a closed writer removes its log), and
                # SQLite would otherwise create a log and its index beside the
                # file just to read it: as immutable, it reads the file alone,
                # and _fresh opens it again once a writer changed it.
                uri += "&immutable=1"
                self._immutable = self._stamp()
            self._conn = sqlite3.connect(uri, uri=True, timeout=5.0, isolation_level=None)
        else:
            self._conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
        c = self._conn
        # a file's views and triggers may only call SQLite's innocuous functions
        c.execute("PRAGMA trusted_schema = OFF")
        kind = kind_of(c, self.path)
        if kind == "new" and self._read_only:
            raise sqlite3.DatabaseError("it holds no sktune tables")
        if self._read_only:
            self._check_meta()
            return
        if c.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("integrity check failed")
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("PRAGMA synchronous=NORMAL")
        if kind == "new":
            create(c)
        else:
            add_tables(c)
        self._check_meta()
        n = len(self)
        if n and self.fingerprint() is None:
            raise CheckpointError(
                f"The checkpoint {self.path!r} records {n} candidates but no fingerprint: "
                "it was changed outside sktune, and its results cannot be checked against "
                f"the search that would continue them. {_REMEDY}"
            )
        self._writing = True

    def _stamp(self):
        st = os.stat(self.path)
        return st.st_size, st.st_mtime_ns

    def _fresh(self):
        """Open a reader again if a writer started or changed the file since it opened."""
        if self._immutable is None or self._conn is None:
            return
        try:
            changed = os.path.exists(self.path + "-wal") or self._stamp() != self._immutable
        except OSError:
            changed = True
        if changed:
            self._conn.close()
            self._conn = None
            try:
                self._open()
            except sqlite3.DatabaseError as exc:
                raise self._damaged(exc) from None

    def _check_meta(self):
        # parsed once at opening, so that a damaged value fails here, before
        # a search uses the store
        for (name,) in self._conn.execute("SELECT name FROM meta"):
            self._meta(name)
        self.fingerprint()
        self.runs()

    def _damaged(self, problem):
        return CheckpointError(
            f"The checkpoint {self.path!r} cannot be read: {problem}. It was not written "
            f"by sktune, or was changed since. {_REMEDY}"
        )

    def _acquire_lock(self):
        if fcntl is None:
            return
        # flock on the database file itself: no lock file is left behind, and
        # on Linux flock does not interact with SQLite's own fcntl locks.
        lock = open(self.path, "ab")
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            raise CheckpointError(
                f"The checkpoint {self.path!r} is being written by another process. "
                "Wait for it to finish or use another path."
            ) from None
        self._lock_file = lock

    def _release_lock(self):
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def _meta(self, name):
        row = self._conn.execute("SELECT value FROM meta WHERE name=?", (name,)).fetchone()
        if row is None:
            return None
        try:
            return from_json(row[0], f"the meta value {name!r}", mapping=False)
        except ValueError as exc:
            raise self._damaged(exc) from None

    def _set_meta(self, name, value):
        text = to_json(value, f"The meta value {name!r} of CheckpointStore", mapping=False)
        self._conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, text))

    def fingerprint(self):
        """The stored fingerprint dict, or ``None`` for a new file.

        Returns
        -------
        fingerprint : dict or None
            Name -> hash string, as given to :meth:`set_fingerprint`.

        Raises
        ------
        CheckpointError
            If the stored value is not a dict of str to str.

        Examples
        --------
        >>> import os, tempfile
        >>> from sktune.store import CheckpointStore
        >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
        >>> with CheckpointStore(path) as store:
        ...     print(store.fingerprint())
        ...     store.set_fingerprint({"data": "abc"})
        None
        >>> with CheckpointStore(path, read_only=True) as store:
        ...     store.fingerprint()
        {'data': 'abc'}
        """
        self._fresh()
        value = self._meta("fingerprint")
        if value is not None and not (
            type(value) is dict and all(type(v) is str for v in value.values())
        ):
            raise self._damaged("the fingerprint is not a dict of hashes")
        return value

    def set_fingerprint(self, fingerprint):
        """Record ``fingerprint``, replacing any fingerprint stored before.

        Parameters
        ----------
        fingerprint : dict of str -> str
            Name of each input of the search (data, estimator, splits...)
            -> a hash of it.

        Returns
        -------
        None

        Examples
        --------
        >>> import os, tempfile
        >>> from sktune.store import CheckpointStore
        >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
        >>> with CheckpointStore(path) as store:
        ...     store.set_fingerprint({"data": "abc", "cv": "123"})
        ...     store.fingerprint()
        {'data': 'abc', 'cv': '123'}
        """
        self._set_meta("fingerprint", dict(fingerprint))

    def runs(self):
        """The runs of the search that wrote the file, oldest first.

        A run is one ``fit`` writing into the file: a new search, or one
        resumed. A checkpoint written before runs were recorded has none.

        Returns
        -------
        runs : list of dict
            The dicts given to :meth:`begin_run` (when it started, the
            process, the environment...), with ``"ended"`` (Unix time) and
            ``"stop_reason"`` set by :meth:`end_run`, ``None`` while the run
            goes on or after its process was killed.

        Raises
        ------
        CheckpointError
            If the stored value is not a list of dicts.

        Examples
        --------
        >>> import os, tempfile
        >>> from sktune.store import CheckpointStore
        >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
        >>> with CheckpointStore(path) as store:
        ...     store.runs()
        ...     store.begin_run({"environment": {"numpy": "2.1.0"}})
        ...     store.end_run("completed")
        []
        >>> with CheckpointStore(path, read_only=True) as store:
        ...     [(run["environment"], run["stop_reason"]) for run in store.runs()]
        [({'numpy': '2.1.0'}, 'completed')]
        """
        self._fresh()
        value = self._meta("runs")
        if value is None:
            return []
        if type(value) is not list or not all(type(run) is dict for run in value):
            raise self._damaged("the runs are not a list of dicts")
        return value

    def begin_run(self, info):
        """Record the start of a run: ``info``, the time and the writing process.

        Parameters
        ----------
        info : dict
            What the writer knows of the run (its search, its environment),
            name -> JSON value.

        Returns
        -------
        None

        Examples
        --------
        >>> import os, tempfile
        >>> from sktune.store import CheckpointStore
        >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
        >>> with CheckpointStore(path) as store:
        ...     store.begin_run({"search": "GridSearch"})
        ...     sorted(store.runs()[0])
        ['ended', 'host', 'pid', 'search', 'started', 'stop_reason']
        """
        run = {**info, "started": time.time(), "ended": None, "stop_reason": None,
               "pid": os.getpid(), "host": socket.gethostname()}
        self._set_meta("runs", [*self.runs(), run])

    def end_run(self, stop_reason):
        """Record the end of the last run begun, and why it stopped.

        Parameters
        ----------
        stop_reason : str
            ``"completed"``, a stop rule, ``"interrupted"``...

        Returns
        -------
        None

        Examples
        --------
        >>> import os, tempfile
        >>> from sktune.store import CheckpointStore
        >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
        >>> with CheckpointStore(path) as store:
        ...     store.begin_run({})
        ...     store.end_run("max_time")
        ...     store.runs()[-1]["stop_reason"]
        'max_time'
        """
        runs = self.runs()
        if runs:
            runs[-1].update(ended=time.time(), stop_reason=str(stop_reason))
            self._set_meta("runs", runs)

    def add(self, key, params, outputs, extra=None):
        """Record one finished candidate in its own transaction.

        Everything is checked first: nothing is written when it raises.

        Parameters
        ----------
        key : str
            Identity of the candidate within the search.
        params : dict
            Its parameters, name -> JSON value (``str``, ``int``, finite
            ``float``, ``bool``, ``None``, lists and str-keyed dicts of them):
            the search layer turns other values into such JSON.
        outputs : list of dict
            Its per-split results: ``test_scores`` and ``train_scores`` (a
            number, NaN allowed, or a dict of metric names to numbers),
            ``fit_time``, ``score_time``, ``n_test_samples``, ``fit_error``
            (a str or ``None``), and where the fit ran, ``start_time``
            (Unix time), ``worker_host`` and ``worker_pid``, each optional.
        extra : dict or None, default=None
            The search's own ``cv_results_`` columns for this candidate
            (Hyperband's ``bracket`` and ``n_resources``, BayesSearch's
            ``iter``...), name -> JSON value; read back by :meth:`extras`.

        Returns
        -------
        None

        Raises
        ------
        TypeError
            If ``key`` is not a str, or a value is not of the types above.

        Examples
        --------
        A key recorded again replaces its record:

        >>> import os, tempfile
        >>> from sktune.store import CheckpointStore
        >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
        >>> with CheckpointStore(path) as store:
        ...     store.set_fingerprint({"data": "abc"})
        ...     store.add("k1", {"C": 1.0}, [{"test_scores": 0.5}])
        ...     store.add("k1", {"C": 1.0}, [{"test_scores": 0.9}])
        ...     store.add("k2", {"C": 10.0}, [{"test_scores": 0.8}])
        ...     len(store), store.records()["k1"][1]
        (2, [{'fit_error': None, 'test_scores': 0.9}])
        """
        if type(key) is not str:
            raise TypeError(
                f"The 'key' argument of CheckpointStore.add must be a str. Got {key!r} instead."
            )
        params = to_json(params, "The 'params' argument of CheckpointStore.add")
        extra = to_json({} if extra is None else extra,
                        "The 'extra' argument of CheckpointStore.add")
        splits, scores = output_rows(outputs)
        workers = worker_rows(outputs)
        c = self._conn
        finished = time.time()
        c.execute("BEGIN IMMEDIATE")
        try:
            for table in ("scores", "splits", "fit_workers", "candidates"):
                c.execute(
                    f"DELETE FROM {table} WHERE seq IN (SELECT seq FROM candidates WHERE key=?)",
                    (key,),
                )
            seq = c.execute(
                "INSERT INTO candidates (key, finished, params, extra) VALUES (?, ?, ?, ?)",
                (key, finished, params, extra),
            ).lastrowid
            # rows an older sktune left for a record it replaced at this seq
            c.execute("DELETE FROM fit_workers WHERE seq=?", (seq,))
            c.executemany("INSERT INTO fit_workers VALUES (?, ?, ?, ?, ?, ?)",
                          [(seq, finished, *row) for row in workers])
            c.executemany("INSERT INTO splits VALUES (?, ?, ?, ?, ?, ?)",
                          [(seq, *row) for row in splits])
            c.executemany("INSERT INTO scores VALUES (?, ?, ?, ?, ?)",
                          [(seq, *row) for row in scores])
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def _select(self, sql, args=()):
        try:
            return self._conn.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise CheckpointError(
                f"The checkpoint {self.path!r} cannot be read ({exc}). {_REMEDY}"
            ) from None

    def records(self, decode=None):
        """All records as ``{key: (params, outputs)}`` in the order they finished.

        Parameters
        ----------
        decode : callable or None, default=None
            Applied to each record's ``params`` dict (the search layer's
            reading of its JSON); a ``ValueError`` it raises is reported as
            an unreadable record.

        Returns
        -------
        records : dict of str -> tuple of (dict, list of dict)
            The ``params`` (decoded) and ``outputs`` given to :meth:`add`; a
            NaN score reads back as NaN, and ``fit_error`` is always there
            (``None`` when not given).

        Raises
        ------
        CheckpointError
            If a record holds anything :meth:`add` does not write, or
            ``decode`` refuses it.

        Examples
        --------
        >>> import os, tempfile
        >>> from sktune.store import CheckpointStore
        >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
        >>> with CheckpointStore(path) as store:
        ...     store.set_fingerprint({"data": "abc"})
        ...     store.add("b", {"C": 10.0}, [{"test_scores": 0.8, "fit_time": 0.1}])
        ...     store.add("a", {"C": 1.0}, [{"test_scores": float("nan")}])
        >>> with CheckpointStore(path, read_only=True) as store:
        ...     store.records()
        {'b': ({'C': 10.0}, [{'fit_error': None, 'fit_time': 0.1, 'test_scores': 0.8}]),
         'a': ({'C': 1.0}, [{'fit_error': None, 'test_scores': nan}])}
        """
        return self._read_records("", (), decode)[2]

    def added_since(self, seq, decode=None):
        """The records written after sequence number ``seq``, with their search's columns.

        A reader that keeps what it read (the dashboard, polling a running
        search) reads only the new rows: each :meth:`add` gives its record a
        sequence number above every other record's (a replaced record too,
        which keeps its number when it was the last one).

        Parameters
        ----------
        seq : int
            The ``last_seq`` of an earlier call; 0 for every record.
        decode : callable or None, default=None
            Applied to each record's ``params`` and ``extra``, as by :meth:`records`.

        Returns
        -------
        last_seq : int
            The highest sequence number in the file (``seq`` when none is higher).
        n_records : int
            The number of records in the file, read in the same transaction.
        records : dict of str -> tuple of (dict, list of dict)
            The records after ``seq``, as :meth:`records` gives them.
        extras : dict of str -> dict
            Their ``extra``, as :meth:`extras` gives them.

        Raises
        ------
        CheckpointError
            As :meth:`records`.

        Examples
        --------
        >>> import os, tempfile
        >>> from sktune.store import CheckpointStore
        >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
        >>> with CheckpointStore(path) as store:
        ...     store.set_fingerprint({"data": "abc"})
        ...     store.add("a", {"C": 1.0}, [{"test_scores": 0.9}])
        ...     seq, n, records, _ = store.added_since(0)
        ...     store.add("b", {"C": 10.0}, [{"test_scores": 0.8}], {"iter": 1})
        ...     store.added_since(seq)[1:]
        (2, {'b': ({'C': 10.0}, [{'fit_error': None, 'test_scores': 0.8}])}, {'b': {'iter': 1}})
        """
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise TypeError(
                "The 'seq' argument of CheckpointStore.added_since must be an int >= 0. "
                f"Got {seq!r} instead."
            )
        return self._read_records(" WHERE seq > ?", (seq,), decode, seq)

    def _read_records(self, where, args, decode, seq=0):
        self._fresh()
        # one read transaction: a consistent snapshot while a writer commits
        self._conn.execute("BEGIN")
        try:
            rows = self._select(
                f"SELECT seq, key, params, extra FROM candidates{where} ORDER BY seq", args)
            splits = self._by_seq(
                "SELECT seq, split, fit_time, score_time, n_test_samples, fit_error"
                f" FROM splits{where} ORDER BY seq, split", args
            )
            scores = self._by_seq(
                f"SELECT seq, split, subset, metric, score FROM scores{where}"
                " ORDER BY seq, split, rowid", args
            )
            # a file from before fit_workers has no such table, and no worker to show
            workers = self._by_seq(
                "SELECT seq, split, start_time, worker_host, worker_pid FROM fit_workers"
                f" JOIN candidates USING (seq, finished){where} ORDER BY seq, split", args
            ) if has_table(self._conn, "fit_workers") else {}
            n_records = self._select("SELECT COUNT(*) FROM candidates")[0][0]
        finally:
            # nothing to keep; and SQLite may have ended it on a read error
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
        out, extras = {}, {}
        for n, (seq, key, params, extra) in enumerate(rows, 1):
            try:
                if type(key) is not str:
                    raise ValueError(f"the key is {key!r}, not a str")
                params = from_json(params, "the params column")
                extra = from_json(extra, "the extra column")
                if decode is not None:
                    params, extra = decode(params), decode(extra)
                outputs = with_workers(outputs_of(splits.get(seq, []), scores.get(seq, [])),
                                       workers.get(seq, []))
            except ValueError as exc:
                raise self._damaged(f"record {n}: {exc}") from None
            out[key], extras[key] = (params, outputs), extra
        return (rows[-1][0] if rows else seq), n_records, out, extras

    def _by_seq(self, sql, args=()):
        grouped = {}
        for seq, *row in self._select(sql, args):
            grouped.setdefault(seq, []).append(tuple(row))
        return grouped

    def extras(self, decode=None):
        """The search's own columns of every record, ``{key: dict}``, in finishing order.

        Parameters
        ----------
        decode : callable or None, default=None
            Applied to each dict, as by :meth:`records`.

        Returns
        -------
        extras : dict of str -> dict
            The ``extra`` given to :meth:`add`; an empty dict for a record
            written without it.

        Raises
        ------
        CheckpointError
            If a value is not a JSON object, or ``decode`` refuses it.

        Examples
        --------
        >>> import os, tempfile
        >>> from sktune.store import CheckpointStore
        >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
        >>> with CheckpointStore(path) as store:
        ...     store.set_fingerprint({"data": "abc"})
        ...     store.add("a", {"C": 1.0}, [{"test_scores": 0.9}], {"bracket": 2, "n_resources": 9})
        ...     store.add("b", {"C": 10.0}, [{"test_scores": 0.8}])
        ...     store.extras()
        {'a': {'bracket': 2, 'n_resources': 9}, 'b': {}}
        """
        self._fresh()
        out = {}
        rows = self._select("SELECT key, extra FROM candidates ORDER BY seq")
        for n, (key, extra) in enumerate(rows, 1):
            try:
                extra = from_json(extra, "the extra column")
                out[key] = extra if decode is None else decode(extra)
            except ValueError as exc:
                raise self._damaged(f"record {n}: {exc}") from None
        return out

    def __len__(self):
        self._fresh()
        return self._select("SELECT COUNT(*) FROM candidates")[0][0]

    def _fold_log(self):
        # Without this, a reader still open when the search ends (a
        # dashboard, sktune show) keeps SQLite from moving the log into the
        # file, and a copy of the file alone misses the last records.
        try:
            busy = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite3.Error:
            busy = 1
        if busy:
            warnings.warn(
                f"A reader kept the write-ahead log of the checkpoint {self.path!r} in use "
                f"beyond the writer's close; its last records are in {self.path + '-wal'!r}, "
                "to copy together with the file.",
                RuntimeWarning,
                stacklevel=3,
            )

    def close(self):
        """Close the database and release the writer lock.

        A writer first moves its write-ahead log into the database file, so
        that the file alone holds every record. Closing twice does nothing;
        leaving a ``with`` block closes the store.

        Returns
        -------
        None

        Examples
        --------
        >>> import os, tempfile
        >>> from sktune.store import CheckpointStore
        >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
        >>> store = CheckpointStore(path)
        >>> store.set_fingerprint({"data": "abc"})
        >>> store.add("k1", {"C": 1.0}, [{"test_scores": 0.9}])
        >>> store.close()
        >>> store.close()  # a second close does nothing
        >>> with CheckpointStore(path) as writer:  # the file is free for a new writer
        ...     len(writer)
        1
        """
        try:
            if self._writing:
                self._writing = False
                self._fold_log()
        finally:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            self._release_lock()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
