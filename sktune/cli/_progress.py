"""Progress of a search on the terminal, through scikit-learn's callbacks.

On a terminal with rich installed, scikit-learn's ``ProgressBar`` draws live
bars. Elsewhere (pipes, CI logs, no rich) :class:`LineProgress` prints a
line when the search starts, after each round and at the end.
"""

import os
import sys
import time


class LineProgress:
    """A scikit-learn callback printing one line per search round on a stream.

    The cross-validation fits run in worker processes, which receive a copy
    of the callback; only the process that created it prints, so lines never
    interleave.

    Parameters
    ----------
    stream : file-like or None, default=None
        Where to print; ``None`` for ``sys.stderr`` at the time of printing.
    """

    def __init__(self, stream=None):
        self.stream = stream
        self._pid = os.getpid()
        self._start = None
        self._rounds = 0
        self._candidates = 0
        self._n_rounds = None

    def __getstate__(self):
        # workers get a copy without the stream (files do not pickle)
        return {**self.__dict__, "stream": None}

    def _print(self, text):
        print(text, file=self.stream or sys.stderr, flush=True)

    def _here(self):
        return os.getpid() == self._pid

    def setup(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, **kwargs):
        if not self._here() or context.task_name != "search":
            return
        self._start = time.perf_counter()
        self._rounds = self._candidates = 0
        name = type(estimator).__name__
        n_splits = getattr(estimator, "n_splits_", None)
        folds = f"{n_splits}-fold CV" if n_splits else "cross-validation"
        # the subtasks of a search in rounds are its rounds, else its fits
        self._n_rounds = context.max_subtasks if context.sequential_subtasks else None
        if self._n_rounds:
            size = f"at most {self._n_rounds} rounds"
        elif context.max_subtasks and n_splits:
            size = f"{context.max_subtasks // n_splits} candidates"
        else:
            size = "in rounds"
        self._print(f"{name}: {size}, {folds}")

    def on_fit_task_end(self, estimator, context, **kwargs):
        if not self._here() or self._start is None:
            return
        elapsed = time.perf_counter() - self._start
        n_splits = getattr(estimator, "n_splits_", None) or 1
        if context.task_name == "search-round":
            self._rounds += 1
            self._candidates += (context.max_subtasks or 0) // n_splits
            of = f" of {self._n_rounds}" if self._n_rounds else ""
            self._print(
                f"  round {self._rounds}{of}: {self._candidates} evaluations so far, "
                f"{elapsed:.1f} s"
            )
        elif context.task_name == "search":
            self._print(f"  search done in {elapsed:.1f} s; refitting the best candidate")

    def teardown(self, estimator, context):
        pass


def progress_callbacks(quiet=False, stream=None):
    """The callbacks that show a search's progress, as a list.

    Parameters
    ----------
    quiet : bool, default=False
        Show nothing: return ``[]``.
    stream : file-like or None, default=None
        The terminal; ``None`` for ``sys.stderr``.

    Returns
    -------
    callbacks : list
        ``[ProgressBar(max_propagation_depth=0)]`` (the search and its rounds)
        on a terminal when rich is installed, else
        ``[LineProgress()]``.
    """
    if quiet:
        return []
    stream = stream or sys.stderr
    if stream.isatty():
        try:
            from sklearn.callback import ProgressBar

            return [ProgressBar(max_propagation_depth=0)]
        except ImportError:  # rich (or the callback API) is not installed
            pass
    return [LineProgress(stream)]
