"""The tables of a checkpoint file, and what the file found at a path is.

Format 2 keeps everything in open columns, SQL values and JSON text, that
``sqlite3`` and ``pandas.read_sql`` read as they are. Format 1 pickled its
records: it is recognised by its layout and refused, never loaded, because
unpickling a received file can run any code hidden in it.

Telling the kinds of files apart reads the file only, so that a file that
is not sktune's is refused before anything is written to it.
"""

from ._errors import CheckpointError

#: SQLite's application id of sktune's checkpoints (header offset 68): "sktu"
APPLICATION_ID = 0x736B7475
#: kept in SQLite's ``user_version``
FORMAT = 2

_TABLES = {
    "meta": """
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL                  -- JSON
    """,
    "candidates": """
        seq INTEGER PRIMARY KEY,             -- finishing order
        key TEXT NOT NULL UNIQUE,            -- the candidate's identity in its search
        finished REAL NOT NULL,              -- Unix time
        params TEXT NOT NULL,                -- JSON object: name -> value
        extra TEXT NOT NULL                  -- JSON object: the search's own columns
    """,
    "splits": """
        seq INTEGER NOT NULL REFERENCES candidates (seq),
        split INTEGER NOT NULL,
        fit_time REAL,
        score_time REAL,
        n_test_samples INTEGER,
        fit_error TEXT,                      -- the traceback of a failed fit
        start_time REAL,                     -- Unix time the fit started, in the worker
        worker_host TEXT,                    -- the worker's host name, as it sees it
        worker_pid INTEGER,                  -- the worker's process id
        PRIMARY KEY (seq, split)
    """,
    "scores": """
        seq INTEGER NOT NULL REFERENCES candidates (seq),
        split INTEGER NOT NULL,
        subset TEXT NOT NULL CHECK (subset IN ('test', 'train')),
        metric TEXT,                         -- NULL: the search's single score
        score REAL                           -- NULL: NaN
    """,
}
_INDEXES = ("CREATE INDEX scores_of_candidate ON scores (seq, split)",)
#: columns of ``splits`` added within format 2: a file written before them
#: lacks them, reads as NULL, and gains them when opened for writing
WORKER_COLUMNS = {"start_time": "REAL", "worker_host": "TEXT", "worker_pid": "INTEGER"}
_COLUMNS = {
    "meta": ("name", "value"),
    "candidates": ("seq", "key", "finished", "params", "extra"),
    "splits": ("seq", "split", "fit_time", "score_time", "n_test_samples", "fit_error"),
    "scores": ("seq", "split", "subset", "metric", "score"),
}


def worker_columns(conn):
    """The :data:`WORKER_COLUMNS` the ``splits`` table of ``conn`` holds.

    Examples
    --------
    >>> import sqlite3
    >>> from sktune.store._schema import create, worker_columns
    >>> conn = sqlite3.connect(":memory:", isolation_level=None)
    >>> create(conn)
    >>> worker_columns(conn)
    ['start_time', 'worker_host', 'worker_pid']
    """
    held = _columns(conn, "splits")
    return [c for c in WORKER_COLUMNS if c in held]


def add_worker_columns(conn):
    """Add the :data:`WORKER_COLUMNS` a file of an earlier sktune lacks (NULL in old rows).

    Examples
    --------
    >>> import sqlite3
    >>> from sktune.store._schema import add_worker_columns, worker_columns
    >>> conn = sqlite3.connect(":memory:", isolation_level=None)
    >>> _ = conn.execute("CREATE TABLE splits (seq INTEGER, split INTEGER)")
    >>> add_worker_columns(conn)
    >>> worker_columns(conn)
    ['start_time', 'worker_host', 'worker_pid']
    """
    held = worker_columns(conn)
    for name, kind in WORKER_COLUMNS.items():
        if name not in held:
            conn.execute(f"ALTER TABLE splits ADD COLUMN {name} {kind}")


def _columns(conn, table):
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _names(names):
    return ", ".join(repr(n) for n in names)


def kind_of(conn, path):
    """What the database open on ``conn`` is, read without writing anything.

    Parameters
    ----------
    conn : sqlite3.Connection
        Open on the file.
    path : str
        The file, for messages.

    Returns
    -------
    kind : {"new", "sktune"}
        ``"new"`` for an empty database (no table, no application id),
        ``"sktune"`` for a checkpoint of this format.

    Raises
    ------
    CheckpointError
        For a checkpoint of the pickled format 1, of a newer format, one
        missing its tables or holding triggers, and any other database.

    Examples
    --------
    >>> import sqlite3
    >>> from sktune.store._schema import create, kind_of
    >>> conn = sqlite3.connect(":memory:", isolation_level=None)
    >>> kind_of(conn, "search.db")
    'new'
    >>> create(conn)
    >>> kind_of(conn, "search.db")
    'sktune'
    """
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    objects = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
    tables = sorted(n for t, n in objects if t == "table" and not n.startswith("sqlite_"))
    if app_id == APPLICATION_ID:
        _check_layout(conn, path, version, objects, tables)
        return "sktune"
    if not objects and app_id == 0 and version == 0:
        return "new"
    if {"meta", "candidates"} <= set(tables) and "outputs" in _columns(conn, "candidates"):
        raise CheckpointError(
            f"The checkpoint {path!r} was written by an older sktune, in a format "
            "(pickled records) that is not read any more: loading a pickle can run code "
            "hidden in the file. Re-run the search into a new checkpoint file; this one "
            "can be deleted."
        )
    held = f"tables {_names(tables)}" if tables else "no table of sktune's"
    raise CheckpointError(
        f"The checkpoint {path!r} is not an sktune checkpoint: it is an SQLite database "
        f"of another program ({held}). sktune only writes into a new file or one of its "
        "own checkpoints, and has not changed this one; choose another path."
    )


def _check_layout(conn, path, version, objects, tables):
    if version != FORMAT:
        raise CheckpointError(
            f"The checkpoint {path!r} is in checkpoint format {version!r}, and this sktune "
            f"reads format {FORMAT} only; upgrade sktune to read it, or re-run the search "
            "into a new checkpoint file."
        )
    triggers = [n for t, n in objects if t == "trigger"]
    if triggers:
        raise CheckpointError(
            f"The checkpoint {path!r} holds triggers ({_names(triggers)}), which sktune "
            "never writes: they would run SQL from the file with every record written. "
            "Re-run the search into a new checkpoint file."
        )
    for table, expected in _COLUMNS.items():
        missing = [c for c in expected if c not in _columns(conn, table)]
        if table not in tables or missing:
            lacks = f"lacks the columns {_names(missing)}" if missing else "is not a table"
            raise CheckpointError(
                f"The checkpoint {path!r} is damaged: its table {table!r} {lacks}. "
                "Re-run the search into a new checkpoint file."
            )


def create(conn):
    """Create the tables of an empty database in one transaction.

    Parameters
    ----------
    conn : sqlite3.Connection
        Open, in autocommit mode (``isolation_level=None``), on a database
        :func:`kind_of` found ``"new"``.

    Returns
    -------
    None

    Examples
    --------
    >>> import sqlite3
    >>> from sktune.store._schema import create
    >>> conn = sqlite3.connect(":memory:", isolation_level=None)
    >>> create(conn)
    >>> [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    ['meta', 'candidates', 'splits', 'scores']
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {FORMAT}")
        for table, columns in _TABLES.items():
            conn.execute(f"CREATE TABLE {table} ({columns})")
        for index in _INDEXES:
            conn.execute(index)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
