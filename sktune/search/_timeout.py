"""``fit_timeout``: a time limit on each fit, enforced by a timer signal.

**What is stopped, and where.** The process that runs a fit arms a one-shot
``ITIMER_REAL`` timer before the fit and a ``SIGALRM`` handler that raises
:class:`FitTimeoutError`. Python delivers a signal to the main thread of a
process, between two bytecodes: so the fit must run in the main thread of
its process. It does with ``n_jobs=1`` (the calling thread, which must be
the main thread) and under joblib's ``loky`` and ``multiprocessing``
backends (each task runs in the main thread of a worker process). The
signal interrupts Python code and the C calls that check for signals
(``time.sleep``, most I/O). One long C call that never checks for signals
(a single large BLAS product, say) is not cut short: the handler runs when
that call returns, and the fit is then stopped and counted as timed out.

The threading backend runs fits in threads, Dask and Ray in threads or
processes the search does not control: there no signal reaches the fit,
so :func:`check_fit_timeout` refuses ``fit_timeout`` before any fit.

**With max_time.** A fit's limit is the smaller of ``fit_timeout`` and the
time left before ``max_time``. A fit cut by ``max_time`` is not a failure
of its candidate: the candidate is dropped, as one that had not started,
and a fit that would start with no time left does not start. The deadline
travels to the workers as a ``time.monotonic()`` value: on Linux and macOS
that clock is shared by the processes of one machine, the only place the
allowed backends run.
"""

import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from .._compat import _MultimetricScorer
from ._backend import where_tasks_run


class FitTimeoutError(TimeoutError):
    """A fit ran longer than ``fit_timeout``.

    With a numeric ``error_score`` the fit is scored ``error_score`` and the
    search goes on; with ``error_score="raise"`` the search raises this
    error.

    Examples
    --------
    >>> import time
    >>> from sklearn.base import BaseEstimator, ClassifierMixin
    >>> from sklearn.datasets import load_iris
    >>> from sktune import GridSearch
    >>> from sktune.search import FitTimeoutError
    >>> class Sleepy(ClassifierMixin, BaseEstimator):
    ...     def __init__(self, seconds=0.0):
    ...         self.seconds = seconds
    ...     def fit(self, X, y):
    ...         time.sleep(self.seconds)
    ...         self.classes_ = sorted(set(y))
    ...         return self
    ...     def predict(self, X):
    ...         return [self.classes_[0]] * len(X)
    >>> X, y = load_iris(return_X_y=True)
    >>> search = GridSearch(Sleepy(), {"seconds": [5.0]}, cv=2, fit_timeout=0.1,
    ...                     error_score="raise")
    >>> try:
    ...     search.fit(X, y)
    ... except FitTimeoutError as exc:
    ...     print(str(exc)[:69])
    The fit of GridSearch candidate {'seconds': 5.0} took longer than fit
    """


class _OutOfTime(BaseException):
    # A BaseException, so that _fit_and_score does not score it as a failed
    # fit: a fit cut by max_time drops its candidate instead.
    pass


@dataclass(frozen=True)
class FitLimit:
    """What a task needs to stop its fit in time; sent with every task.

    Parameters
    ----------
    fit_timeout : float
        Seconds a fit (with its scoring) may take.
    deadline : float or None
        ``time.monotonic()`` at which ``max_time`` runs out, or ``None``.
    search : str
        Class name of the search, for the message.

    Examples
    --------
    >>> from sktune.search._timeout import FitLimit
    >>> limit = FitLimit(2.0, None, "RandomSearch")
    >>> limit.seconds_left()
    2.0
    """

    fit_timeout: float
    deadline: float | None
    search: str

    def seconds_left(self):
        """The limit of a fit starting now: ``fit_timeout``, or less near ``max_time``."""
        if self.deadline is None:
            return self.fit_timeout
        return min(self.fit_timeout, self.deadline - time.monotonic())


def check_fit_timeout(search):
    """Raise if ``fit_timeout`` is set where no signal can stop a fit.

    Called by ``fit`` before any model is fitted or file created; reads the
    joblib backend active at that point, the one the search's ``Parallel``
    will use.

    Parameters
    ----------
    search : BaseSearch
        The search about to be fitted.

    Returns
    -------
    None

    Raises
    ------
    ValueError
        If ``fit_timeout`` is set and the fits would run in a thread that is
        not the main thread of their process (the threading backend, Dask,
        Ray, ``n_jobs=1`` called from a thread), or where ``SIGALRM`` does
        not exist (Windows).

    Examples
    --------
    >>> import joblib
    >>> from sklearn.svm import SVC
    >>> from sktune import GridSearch
    >>> from sktune.search._timeout import check_fit_timeout
    >>> search = GridSearch(SVC(), {"C": [1, 10]}, n_jobs=2, fit_timeout=5)
    >>> check_fit_timeout(search)  # loky, joblib's default: allowed
    >>> with joblib.parallel_backend("threading"):
    ...     check_fit_timeout(search)
    Traceback (most recent call last):
    ...
    ValueError: The 'fit_timeout' parameter of GridSearch cannot be honoured under ...
    """
    if search.fit_timeout is None:
        return
    name = type(search).__name__
    if not hasattr(signal, "setitimer"):
        raise ValueError(
            f"The 'fit_timeout' parameter of {name} needs the SIGALRM timer signal, "
            "which this platform does not have. Got "
            f"{search.fit_timeout!r} instead; leave fit_timeout=None here."
        )
    where, backend, n_jobs = where_tasks_run(search.n_jobs)
    if where == "workers":
        return
    if where == "caller":
        if threading.current_thread() is threading.main_thread():
            return
        raise ValueError(
            f"The 'fit_timeout' parameter of {name} can stop a fit with n_jobs=1 only "
            "when fit is called from the main thread, where the timer signal is "
            f"delivered. Got fit_timeout={search.fit_timeout!r} in thread "
            f"{threading.current_thread().name!r}; call fit from the main thread, use "
            "n_jobs=2 or more (loky), or leave fit_timeout=None."
        )
    raise ValueError(
        f"The 'fit_timeout' parameter of {name} cannot be honoured under joblib's "
        f"{backend} with n_jobs={n_jobs}: its fits run in threads or remote "
        "processes that the timer signal does not reach. Got "
        f"fit_timeout={search.fit_timeout!r}; use the loky or multiprocessing "
        "backend (or n_jobs=1), or leave fit_timeout=None and bound the search "
        "with max_time."
    )


def _message(limit, seconds, parameters):
    return (
        f"The fit of {limit.search} candidate {parameters!r} took longer than "
        f"fit_timeout={limit.fit_timeout!r} (stopped after {seconds:.3g} s)."
    )


@contextmanager
def time_limit(limit, parameters):
    """Stop the fit run inside the block once its time is up.

    Parameters
    ----------
    limit : FitLimit or None
        The limit; ``None`` sets none.
    parameters : dict
        The candidate, for the message.

    Yields
    ------
    fired : list
        Empty while the limit has not been reached; holds the
        :class:`FitTimeoutError` raised once it has (code in the fit may
        catch the exception, the list still tells).

    Raises
    ------
    FitTimeoutError
        Inside the block, when ``fit_timeout`` passes.

    Examples
    --------
    >>> import time
    >>> from sktune.search._timeout import FitLimit, FitTimeoutError, time_limit
    >>> try:
    ...     with time_limit(FitLimit(0.05, None, "GridSearch"), {"C": 1}) as fired:
    ...         time.sleep(5)
    ... except FitTimeoutError as exc:
    ...     print(type(exc).__name__, len(fired))
    FitTimeoutError 1
    """
    fired = []
    if limit is None:
        yield fired
        return
    seconds = limit.seconds_left()
    if seconds <= 0:
        raise _OutOfTime
    cut_by_max_time = seconds < limit.fit_timeout
    start = time.monotonic()
    # The handler raises only while armed: a signal handled once the block
    # is over (between its end and the timer's reset) must not escape.
    armed = [True]

    def on_alarm(signum, frame):
        if not armed[0]:
            return
        if cut_by_max_time:
            raise _OutOfTime
        fired.append(FitTimeoutError(_message(limit, time.monotonic() - start, parameters)))
        raise fired[0]

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    previous_delay, previous_interval = 0.0, 0.0
    try:
        # armed inside the try, so that the handler is restored even if the
        # timer fires before the block starts
        previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
        yield fired
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay > 0:
            # someone else's timer was pending: re-arm what is left of it (at
            # once if it ran out meanwhile)
            left = max(previous_delay - (time.monotonic() - start), 1e-6)
            signal.setitimer(signal.ITIMER_REAL, left, previous_interval)


def run_limited(fit_and_score, limit, kwargs):
    """Run ``fit_and_score(**kwargs)`` under ``limit``; ``None`` if ``max_time`` cut it.

    Parameters
    ----------
    fit_and_score : callable
        scikit-learn's ``_fit_and_score``.
    limit : FitLimit or None
        The time limit of the fit.
    kwargs : dict
        Its arguments.

    Returns
    -------
    out : dict or None
        Its result, marked as a failed fit scored ``error_score`` if
        ``fit_timeout`` passed (even if the estimator caught the exception);
        ``None`` when ``max_time`` ran out before or during the fit, whose
        candidate is then dropped.

    Raises
    ------
    FitTimeoutError
        If ``fit_timeout`` passed and ``error_score="raise"``.

    Examples
    --------
    >>> from sktune.search._timeout import FitLimit, run_limited
    >>> run_limited(lambda **kw: {"fit_error": None}, FitLimit(1.0, None, "GridSearch"), {})
    {'fit_error': None}
    """
    out = None
    start = time.monotonic()
    try:
        with time_limit(limit, kwargs.get("parameters")) as fired:
            out = fit_and_score(**kwargs)
    except _OutOfTime:
        return out
    except FitTimeoutError as exc:
        if kwargs["error_score"] == "raise":
            raise
        # fired outside the part of _fit_and_score that catches errors (while
        # it split the data, say)
        if out is None:
            return _failed_output(kwargs, str(exc), time.monotonic() - start)
        fired = [exc]
    if fired and out["fit_error"] is None:
        # the estimator swallowed the exception and went on: still a failure
        if kwargs["error_score"] == "raise":
            raise fired[0]
        _fill_error_score(out, kwargs["error_score"])
        out["fit_error"] = _error_text(str(fired[0]))
    return out


def _error_text(message):
    # as in the traceback _fit_and_score records, which FitFailedWarning shows
    return f"{FitTimeoutError.__module__}.{FitTimeoutError.__name__}: {message}"


def _fill_error_score(out, error_score):
    for key in ("test_scores", "train_scores"):
        if key in out:
            scores = out[key]
            out[key] = (
                dict.fromkeys(scores, error_score) if isinstance(scores, dict) else error_score
            )


def _failed_output(kwargs, message, seconds):
    """What ``_fit_and_score`` returns for a fit that raised, built here."""
    scorer, error_score = kwargs["scorer"], kwargs["error_score"]
    scores = (
        dict.fromkeys(scorer._scorers, error_score)
        if isinstance(scorer, _MultimetricScorer)
        else error_score
    )
    out = {
        "fit_error": _error_text(message),
        "test_scores": scores,
        "n_test_samples": len(kwargs["test"]),
        "fit_time": seconds,
        "score_time": 0.0,
    }
    if kwargs.get("return_train_score"):
        out["train_scores"] = dict(scores) if isinstance(scores, dict) else scores
    if kwargs.get("return_estimator"):
        out["estimator"] = kwargs["estimator"]
    return out
