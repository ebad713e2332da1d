"""``fit_timeout``: a time limit on each fit, enforced by killing the process that runs it.

**What is stopped, and where.** Under ``fit_timeout`` each fit runs in a
*fit runner*, a child process that the process running the task owns (see
``_runner``): the search's own process with ``n_jobs=1``, each loky or
``multiprocessing`` worker, each thread of the threading backend. The task
waits for the runner's answer for the fit's limit; when it passes, the
runner is killed with ``SIGKILL`` and the fit is scored ``error_score``
(``error_score="raise"`` raises :class:`FitTimeoutError`). Whatever the fit
is doing is stopped: Python code, a long C call that never checks for
signals (one large BLAS product), a native library that masks signals, a
true hang. The worker itself is never killed, so loky's executor stays
whole and the next fit starts a new runner. A fit that ends its runner
(a segmentation fault, ``os._exit``) is a failed fit too, with a message
saying how the process ended (a ``ChildProcessError``).

Dask and Ray run tasks in processes the search does not control and are
untested here, so :func:`check_fit_timeout` refuses ``fit_timeout`` there
before any fit, and on Windows, whose pipes the runner cannot wait on.

**With max_time.** A fit's limit is the smaller of ``fit_timeout`` and the
time left before ``max_time``. A fit cut by ``max_time`` is not a failure
of its candidate: the candidate is dropped, as one that had not started,
and a fit that would start with no time left does not start. The deadline
travels to the workers as a ``time.monotonic()`` value: on Linux and macOS
that clock is shared by the processes of one machine, the only place the
allowed backends run.
"""

import os
import time
from dataclasses import dataclass

from joblib.parallel import ThreadingBackend

from .._compat import _MultimetricScorer
from ._backend import where_tasks_run
from ._runner import DATA_KEYS, RunnerDied, runner


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
    data_token : str, default=""
        Names the search's data, which go to a fit runner once, not with
        every fit.

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
    data_token: str = ""

    def seconds_left(self):
        """The limit of a fit starting now: ``fit_timeout``, or less near ``max_time``."""
        if self.deadline is None:
            return self.fit_timeout
        return min(self.fit_timeout, self.deadline - time.monotonic())


def check_fit_timeout(search):
    """Raise if ``fit_timeout`` is set where the search cannot own the fits' processes.

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
        If ``fit_timeout`` is set and the fits would run in processes a
        cluster manages (Dask, Ray), or on a platform that is not POSIX
        (Windows).

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
    """
    if search.fit_timeout is None:
        return
    name = type(search).__name__
    if os.name != "posix":
        raise ValueError(
            f"The 'fit_timeout' parameter of {name} needs a POSIX system (Linux, macOS), "
            f"where a fit's child process can be waited on and killed. Got "
            f"{search.fit_timeout!r} instead; leave fit_timeout=None here."
        )
    where, backend, n_jobs = where_tasks_run(search.n_jobs)
    if where != "elsewhere" or backend == ThreadingBackend.__name__:
        return
    raise ValueError(
        f"The 'fit_timeout' parameter of {name} cannot be honoured under joblib's "
        f"{backend} with n_jobs={n_jobs}: its fits run in processes that a cluster "
        "manages, not the search. Got "
        f"fit_timeout={search.fit_timeout!r}; use the loky, multiprocessing or "
        "threading backend (or n_jobs=1), or leave fit_timeout=None and bound the "
        "search with max_time."
    )


def _message(limit, seconds, parameters):
    return (
        f"The fit of {limit.search} candidate {parameters!r} took longer than "
        f"fit_timeout={limit.fit_timeout!r} (stopped after {seconds:.3g} s)."
    )


def run_limited(fit_and_score, limit, kwargs):
    """Run ``fit_and_score(**kwargs)`` under ``limit``; ``None`` if ``max_time`` cut it.

    Parameters
    ----------
    fit_and_score : callable
        scikit-learn's ``_fit_and_score``.
    limit : FitLimit or None
        The time limit of the fit; ``None`` runs it here, with no limit.
    kwargs : dict
        Its arguments.

    Returns
    -------
    out : dict or None
        Its result, marked as a failed fit scored ``error_score`` if
        ``fit_timeout`` passed or the fit ended its process; ``None`` when
        ``max_time`` ran out before or during the fit, whose candidate is
        then dropped.

    Raises
    ------
    FitTimeoutError
        If ``fit_timeout`` passed and ``error_score="raise"``.
    ChildProcessError
        If the fit ended its process and ``error_score="raise"``.

    Examples
    --------
    >>> from sktune.search._timeout import FitLimit, run_limited
    >>> def fit_and_score(X, y, fit_params, score_params, error_score):
    ...     return {"fit_error": None, "n": len(X)}
    >>> data = dict(X=[1, 2], y=[0, 1], fit_params={}, score_params={})
    >>> run_limited(fit_and_score, FitLimit(30.0, None, "GridSearch", "t"),
    ...             dict(data, error_score=float("nan")))
    {'fit_error': None, 'n': 2}
    """
    if limit is None:
        return fit_and_score(**kwargs)
    if limit.seconds_left() <= 0:
        return None
    data = {key: kwargs[key] for key in DATA_KEYS}
    rest = {key: value for key, value in kwargs.items() if key not in DATA_KEYS}
    start = time.monotonic()
    try:
        status, value = runner().call(
            fit_and_score, rest, token=limit.data_token, data=data,
            seconds=limit.seconds_left,
        )
    except RunnerDied as how:
        error = ChildProcessError(
            f"The fit of {limit.search} candidate {kwargs.get('parameters')!r} ended "
            f"before it returned: {how}. fit_timeout runs each fit in a process of "
            "its own; a crash there (a segmentation fault, os._exit) fails the fit."
        )
        return _failed(kwargs, error, time.monotonic() - start)
    if status == "ok":
        return value
    if status == "error":
        raise value
    if value < limit.fit_timeout:
        return None  # cut by max_time: dropped, not failed
    error = FitTimeoutError(_message(limit, value, kwargs.get("parameters")))
    return _failed(kwargs, error, value)


def _failed(kwargs, error, seconds):
    if kwargs["error_score"] == "raise":
        raise error
    return _failed_output(kwargs, error, seconds)


def _error_text(error):
    # as the last line of the traceback _fit_and_score records, which
    # FitFailedWarning shows
    kind = type(error)
    module = "" if kind.__module__ == "builtins" else f"{kind.__module__}."
    return f"{module}{kind.__name__}: {error}"


def _failed_output(kwargs, error, seconds):
    """What ``_fit_and_score`` returns for a fit that raised ``error``, built here."""
    scorer, error_score = kwargs["scorer"], kwargs["error_score"]
    scores = (
        dict.fromkeys(scorer._scorers, error_score)
        if isinstance(scorer, _MultimetricScorer)
        else error_score
    )
    out = {
        "fit_error": _error_text(error),
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
