"""The tables of a checkpoint file, and what the file found at a path is.

Format 2 keeps everything in open columns, SQL values and JSON text, that
``sqlite3`` and ``pandas.read_sql`` read as they are. Format 1 pickled its
records: it is recognised by its layout and refused, never loaded, because
unpickling a received file can run any code hidden in it.

Within format 2 a table may be added, never a column: an sktune from
before the table reads and continues a file holding it (it checks the
tables it knows and writes their rows in full), and a file from before the
table opens read-only as it is and gains the table when a writer opens it.
``fit_workers`` is such a table.

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
#: tables added within format 2 (see above): a file may lack them
_ADDED_TABLES = {
    "fit_workers": """
        seq INTEGER NOT NULL REFERENCES candidates (seq),
        finished REAL NOT NULL,              -- the candidate's: see below
        split INTEGER NOT NULL,
        start_time REAL,                     -- Unix time the fit started, in the worker
        worker_host TEXT,                    -- the worker's host name, as it sees it
        worker_pid INTEGER,                  -- the worker's process id
        PRIMARY KEY (seq, split)
    """,
}
# An sktune from before fit_workers that records a candidate's key again
# deletes its splits but not its fit_workers rows, and may give the new
# record the same seq: a row belongs to the record whose `finished` it holds.
_INDEXES = ("CREATE INDEX scores_of_candidate ON scores (seq, split)",)
_COLUMNS = {
    "meta": ("name", "value"),
    "candidates": ("seq", "key", "finished", "params", "extra"),
    "splits": ("seq", "split", "fit_time", "score_time", "n_test_samples", "fit_error"),
    "scores": ("seq", "split", "subset", "metric", "score"),
    "fit_workers": ("seq", "finished", "split", "start_time", "worker_host", "worker_pid"),
}


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
        if table in _ADDED_TABLES and table not in tables:
            continue
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
    ['meta', 'candidates', 'splits', 'scores', 'fit_workers']
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {FORMAT}")
        for table, columns in {**_TABLES, **_ADDED_TABLES}.items():
            conn.execute(f"CREATE TABLE {table} ({columns})")
        for index in _INDEXES:
            conn.execute(index)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def add_tables(conn):
    """Create the tables added within format 2 that a checkpoint lacks.

    Parameters
    ----------
    conn : sqlite3.Connection
        Open for writing on a file :func:`kind_of` found ``"sktune"``.

    Returns
    -------
    None

    Examples
    --------
    >>> import sqlite3
    >>> from sktune.store._schema import add_tables, create, has_table
    >>> conn = sqlite3.connect(":memory:", isolation_level=None)
    >>> create(conn)
    >>> _ = conn.execute("DROP TABLE fit_workers")
    >>> has_table(conn, "fit_workers")
    False
    >>> add_tables(conn)
    >>> has_table(conn, "fit_workers")
    True
    """
    for table, columns in _ADDED_TABLES.items():
        conn.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")


def has_table(conn, table):
    """Whether the database open on ``conn`` holds ``table``.

    Examples
    --------
    >>> import sqlite3
    >>> from sktune.store._schema import has_table
    >>> has_table(sqlite3.connect(":memory:"), "fit_workers")
    False
    """
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)
    ).fetchone()
    return found is not None
