"""The one error of the checkpoint layer."""


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
