"""A loaded tuning job, and where its files are shown from."""

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..store import CheckpointError, CheckpointStore


@dataclass
class TuningJob:
    """A loaded configuration: the search to fit and its data.

    Attributes
    ----------
    path : str
        The configuration file.
    strategy : str
        The strategy name (``"random"``...).
    search : estimator
        The unfitted search, with the estimator, space and settings of the
        configuration.
    X : ndarray or pandas.DataFrame of shape (n_samples, n_features)
        The features: a DataFrame, with the file's column names and types,
        when they come from a CSV or Parquet file.
    y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        The target.
    data : str
        Where the data comes from, for messages.

    Examples
    --------
    >>> import os, tempfile
    >>> from sktune.config import TuningJob, load_config
    >>> path = os.path.join(tempfile.mkdtemp(), "job.toml")
    >>> with open(path, "w") as f:
    ...     _ = f.write('''
    ... [estimator]
    ... path = "sklearn.svm.SVC"
    ... [data]
    ... dataset = "iris"
    ... [search]
    ... strategy = "grid"
    ... [space]
    ... C = [0.1, 1.0, 10.0]
    ... ''')
    >>> job = load_config(path)
    >>> isinstance(job, TuningJob), job.strategy, type(job.search).__name__, job.X.shape
    (True, 'grid', 'GridSearch', (150, 4))
    """

    path: str
    strategy: str
    search: Any
    X: object
    y: np.ndarray
    data: str

    @property
    def checkpoint(self) -> str | None:
        """The search's checkpoint path, or ``None``.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.svm import SVC
        >>> from sktune import GridSearch
        >>> from sktune.config import TuningJob
        >>> X, y = load_iris(return_X_y=True)
        >>> search = GridSearch(SVC(), {"C": [0.1, 1.0]}, checkpoint="svc.db")
        >>> TuningJob("job.toml", "grid", search, X, y, "iris").checkpoint
        'svc.db'
        >>> print(TuningJob("job.toml", "grid", GridSearch(SVC(), {"C": [0.1]}), X, y, "iris")
        ...       .checkpoint)
        None
        """
        return self.search.get_params().get("checkpoint")

    def run(self, callbacks: Sequence[Any] = ()) -> Any:
        """Fit the search on the data and return it (see :func:`run_config`).

        Parameters
        ----------
        callbacks : sequence of callback objects, default=()
            scikit-learn callbacks set on the search before fitting.

        Returns
        -------
        search : estimator
            The fitted search, the job's own ``search`` object.

        Raises
        ------
        KeyboardInterrupt
            On Ctrl-C, with a message saying where the finished candidates
            are kept and how to resume.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.svm import SVC
        >>> from sktune import GridSearch
        >>> from sktune.config import TuningJob
        >>> X, y = load_iris(return_X_y=True)
        >>> job = TuningJob("job.toml", "grid", GridSearch(SVC(), {"C": [0.01, 1.0]}, cv=3),
        ...                 X, y, "iris")
        >>> search = job.run()
        >>> search is job.search, search.best_params_
        (True, {'C': 1.0})
        """
        if callbacks:
            self.search.set_callbacks(*callbacks)
        try:
            return self.search.fit(self.X, self.y)
        except KeyboardInterrupt:
            raise KeyboardInterrupt(self._interrupt_message()) from None

    def _interrupt_message(self):
        if self.checkpoint is None:
            return (
                "the finished candidates are not kept; set search.checkpoint in "
                f"{self.path} to resume an interrupted run"
            )
        try:
            with CheckpointStore(self.checkpoint, read_only=True) as store:
                n = len(store)
        except CheckpointError:  # interrupted before the file was created
            n = 0
        return (
            f"{n} finished candidates are saved in {display_path(self.checkpoint)}; run "
            f"the same configuration again to resume (sktune run {self.path})"
        )


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` relative to the working directory when it is below it.

    Parameters
    ----------
    path : str or os.PathLike
        A file path.

    Returns
    -------
    path : str

    Examples
    --------
    >>> import os
    >>> from sktune.config import display_path
    >>> display_path(os.path.join(os.getcwd(), "runs", "a.db")) == os.path.join("runs", "a.db")
    True
    """
    path = os.fspath(path)
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith(os.pardir) else relative
