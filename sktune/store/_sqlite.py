"""An SQLite file that records finished candidates as they finish.

The store knows nothing of estimators or searches: it keeps a fingerprint (a
dict of named hashes) and records (a key, the candidate's parameters, its
per-split results and the search's own columns for it, all pickled). The
search layer decides what goes in.

Durability: WAL journal, one transaction per candidate, ``synchronous=NORMAL``
(a killed process loses nothing committed; only a power cut may lose the last
transactions).
"""

import os
import pickle
import sqlite3
import tempfile
import time
import urllib.parse

try:  # POSIX advisory locks; other platforms go without the one-writer guard
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

_SCHEMA_VERSION = "1"


class CheckpointError(ValueError):
    """A checkpoint file that cannot be used: corrupt, busy, foreign or unwritable.

    A subclass of ``ValueError``; a search raises it from ``fit`` before any
    model is fitted, with a message that names the file and the remedy.

    Examples
    --------
    >>> import os, tempfile
    >>> from sktune.store import CheckpointError, CheckpointStore
    >>> path = os.path.join(tempfile.mkdtemp(), "missing.db")
    >>> try:
    ...     CheckpointStore(path, read_only=True)
    ... except CheckpointError as exc:
    ...     print(type(exc).__name__, issubclass(CheckpointError, ValueError))
    CheckpointError True
    """


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

    Parameters
    ----------
    path : str or os.PathLike
        The SQLite file.
    read_only : bool, default=False
        Open an existing file for reading only: no writer lock is taken, so
        it can be read while a search is writing it (``sktune show``);
        writing raises ``sqlite3.OperationalError``.

    Attributes
    ----------
    path : str
        The SQLite file.

    Raises
    ------
    CheckpointError
        If the file is not an sktune checkpoint, is corrupt, is in use by
        another process, or cannot be written.

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
    """

    def __init__(self, path, *, read_only=False):
        self.path = os.fspath(path)
        self._lock_file = None
        if read_only:
            self._open_read_only()
            return
        _check_writable(self.path)
        self._acquire_lock()
        try:
            self._conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
            self._init_schema()
        except sqlite3.DatabaseError as exc:
            self._release_lock()
            raise CheckpointError(
                f"The checkpoint {self.path!r} is not a readable sktune checkpoint "
                f"({exc}); it may be truncated or corrupt. Delete it or choose another path."
            ) from None

    def _open_read_only(self):
        if not os.path.isfile(self.path):
            raise CheckpointError(f"The checkpoint {self.path!r} does not exist.")
        uri = "file:" + urllib.parse.quote(os.path.abspath(self.path)) + "?mode=ro"
        try:
            self._conn = sqlite3.connect(uri, uri=True, timeout=5.0, isolation_level=None)
            if self._meta("schema") != _SCHEMA_VERSION:
                raise sqlite3.DatabaseError("not an sktune checkpoint")
        except sqlite3.DatabaseError as exc:
            self.close()
            raise CheckpointError(
                f"The checkpoint {self.path!r} is not a readable sktune checkpoint ({exc})."
            ) from None

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

    def _init_schema(self):
        c = self._conn
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("PRAGMA synchronous=NORMAL")
        if c.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("integrity check failed")
        c.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB)")
        c.execute(
            "CREATE TABLE IF NOT EXISTS candidates (seq INTEGER PRIMARY KEY, key TEXT UNIQUE,"
            " params BLOB, outputs BLOB, finished REAL, extra BLOB)"
        )
        version = self._meta("schema")
        if version is None:
            self._set_meta("schema", _SCHEMA_VERSION)
        elif version != _SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"schema version {version!r}, expected {_SCHEMA_VERSION}")
        if not self._has_extra():
            # Added without a new schema version: files written before the
            # column existed gain it here and are read without it read-only.
            c.execute("ALTER TABLE candidates ADD COLUMN extra BLOB")

    def _has_extra(self):
        columns = self._conn.execute("PRAGMA table_info(candidates)").fetchall()
        return any(col[1] == "extra" for col in columns)

    def _meta(self, name):
        row = self._conn.execute("SELECT value FROM meta WHERE name=?", (name,)).fetchone()
        return None if row is None else pickle.loads(row[0])

    def _set_meta(self, name, value):
        self._conn.execute(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, pickle.dumps(value))
        )

    def fingerprint(self):
        """The stored fingerprint dict, or ``None`` for a new file.

        Returns
        -------
        fingerprint : dict or None
            Name -> hash string, as given to :meth:`set_fingerprint`.

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
        return self._meta("fingerprint")

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

    def add(self, key, params, outputs, extra=None):
        """Record one finished candidate in its own transaction.

        Parameters
        ----------
        key : str
            Identity of the candidate within the search.
        params : dict
            Its parameters.
        outputs : list of dict
            Its per-split results.
        extra : dict or None, default=None
            The search's own ``cv_results_`` columns for this candidate
            (Hyperband's ``bracket`` and ``n_resources``, BayesSearch's
            ``round``...), name -> value; read back by :meth:`extras`.

        Returns
        -------
        None

        Examples
        --------
        A key recorded again replaces its record:

        >>> import os, tempfile
        >>> from sktune.store import CheckpointStore
        >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
        >>> with CheckpointStore(path) as store:
        ...     store.add("k1", {"C": 1.0}, [{"test_scores": 0.5}])
        ...     store.add("k1", {"C": 1.0}, [{"test_scores": 0.9}])
        ...     store.add("k2", {"C": 10.0}, [{"test_scores": 0.8}])
        ...     len(store), store.records()["k1"][1]
        (2, [{'test_scores': 0.9}])
        """
        self._conn.execute(
            "INSERT OR REPLACE INTO candidates (key, params, outputs, finished, extra)"
            " VALUES (?,?,?,?,?)",
            (key, pickle.dumps(params), pickle.dumps(outputs), time.time(),
             pickle.dumps(dict(extra or {}))),
        )

    def records(self):
        """All records as ``{key: (params, outputs)}`` in the order they finished.

        Returns
        -------
        records : dict of str -> tuple of (dict, list of dict)

        Raises
        ------
        CheckpointError
            If a record cannot be unpickled (written by an incompatible
            version of a library).

        Examples
        --------
        >>> import os, tempfile
        >>> from sktune.store import CheckpointStore
        >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
        >>> with CheckpointStore(path) as store:
        ...     store.add("b", {"C": 10.0}, [{"test_scores": 0.8}])
        ...     store.add("a", {"C": 1.0}, [{"test_scores": 0.9}])
        >>> with CheckpointStore(path, read_only=True) as store:
        ...     store.records()
        {'b': ({'C': 10.0}, [{'test_scores': 0.8}]), 'a': ({'C': 1.0}, [{'test_scores': 0.9}])}
        """
        rows = self._conn.execute("SELECT key, params, outputs FROM candidates ORDER BY seq")
        return {k: (self._load(p), self._load(o)) for k, p, o in rows}

    def extras(self):
        """The search's own columns of every record, ``{key: dict}``, in finishing order.

        Returns
        -------
        extras : dict of str -> dict
            The ``extra`` given to :meth:`add`; an empty dict for a record
            written without it or before the column existed.

        Raises
        ------
        CheckpointError
            If a value cannot be unpickled.

        Examples
        --------
        >>> import os, tempfile
        >>> from sktune.store import CheckpointStore
        >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
        >>> with CheckpointStore(path) as store:
        ...     store.add("a", {"C": 1.0}, [{"test_scores": 0.9}], {"bracket": 2, "n_resources": 9})
        ...     store.add("b", {"C": 10.0}, [{"test_scores": 0.8}])
        ...     store.extras()
        {'a': {'bracket': 2, 'n_resources': 9}, 'b': {}}
        """
        if not self._has_extra():
            return {k: {} for (k,) in self._conn.execute("SELECT key FROM candidates ORDER BY seq")}
        rows = self._conn.execute("SELECT key, extra FROM candidates ORDER BY seq")
        return {k: {} if e is None else self._load(e) for k, e in rows}

    def _load(self, blob):
        try:
            return pickle.loads(blob)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
            raise CheckpointError(
                f"The checkpoint {self.path!r} holds a record that cannot be read ({exc})."
            ) from None

    def __len__(self):
        return self._conn.execute("SELECT COUNT(*) FROM candidates").fetchone()[0]

    def close(self):
        """Close the database and release the writer lock.

        Closing twice does nothing; leaving a ``with`` block closes the store.

        Returns
        -------
        None

        Examples
        --------
        >>> import os, tempfile
        >>> from sktune.store import CheckpointStore
        >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
        >>> store = CheckpointStore(path)
        >>> store.add("k1", {"C": 1.0}, [{"test_scores": 0.9}])
        >>> store.close()
        >>> store.close()  # a second close does nothing
        >>> with CheckpointStore(path) as writer:  # the file is free for a new writer
        ...     len(writer)
        1
        """
        if getattr(self, "_conn", None) is not None:
            self._conn.close()
            self._conn = None
        self._release_lock()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
