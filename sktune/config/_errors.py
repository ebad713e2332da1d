"""The one error type of configurations; its "did you mean" is the search layer's."""

import os

from ..search import suggest  # noqa: F401  (re-exported for the config modules)


class ConfigError(ValueError):
    """A configuration that cannot be run: names the file, the key and the problem.

    Parameters
    ----------
    file : str
        The configuration file.
    key : str or None
        Dotted key of the faulty entry (``"space.C"``), or ``None`` when the
        problem is the file itself.
    problem : str
        What is wrong, and the remedy when there is one.

    Examples
    --------
    >>> from sktune.config import ConfigError
    >>> print(ConfigError("job.toml", "search.strategy", "unknown strategy 'rnd'"))
    job.toml: search.strategy: unknown strategy 'rnd'
    """

    def __init__(self, file: str | os.PathLike[str], key: str | None, problem: str) -> None:
        self.file, self.key, self.problem = file, key, problem
        where = str(file) if key is None else f"{file}: {key}"
        super().__init__(f"{where}: {problem}")
