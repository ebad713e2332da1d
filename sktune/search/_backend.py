"""What a search needs to know of joblib's active backend.

**Streaming results.** A search asks joblib for the results of its fits as
they finish (``return_as="generator_unordered"``), so that the checkpoint
records each candidate as soon as its last split is done. Some backends
cannot stream: ``multiprocessing`` and Ray's (``ray.util.joblib``, which
derives from it) only return the whole list of a ``Parallel`` call.
:func:`result_order` picks what the active backend can do.

**Dask.** Under ``joblib.parallel_backend("dask")`` every task of a search goes to the
cluster of a ``distributed.Client``. joblib already scatters a large
top-level argument of a task, but once per ``Parallel`` call: the data go
out again for every round of a BayesSearch and every wave of a
HyperbandSearch, and a list (text data) is never scattered because it
cannot be weakly referenced. A Python list or a ``fit`` parameter nested in
the ``fit_params`` dict, such as ``sample_weight``, even goes out with every
batch of tasks.

So a search broadcasts its data (``X``, ``y``, and the routed ``fit`` and
score parameters) to every worker once per ``fit`` and passes the resulting
futures to its tasks; distributed resolves them on the worker. A broadcast copy
does not stay on every worker, though: the scheduler's active memory
manager drops replicas it sees no use for. When the worker holding the last
copy dies, the futures are lost and the tasks that need them are cancelled
(:func:`lost_data`); the search then scatters again and re-runs only the
fits that had not finished.

When joblib runs a call in the calling process instead (it does so when the
cluster has a single thread), the tasks receive the futures themselves;
:func:`local_values` maps them back to the objects they stand for, which the
calling process still holds.

**Where tasks run.** ``fit_timeout`` runs each fit in a child process of
the process running the task, which the search must own:
:func:`where_tasks_run` tells whether a search's fits run there.

**Orphaned workers.** loky's and ``multiprocessing``'s workers are children
of the search's process and outlive it when it is killed (SIGKILL, the
out-of-memory killer): measured here, still alive after 35 s and a minute.
:func:`watch_owner` makes such a worker exit once its parent is gone.
"""

import os
import sys
import threading
import time
from contextlib import contextmanager

from joblib import effective_n_jobs
from joblib.parallel import (
    LokyBackend,
    MultiprocessingBackend,
    SequentialBackend,
    ThreadingBackend,
    get_active_backend,
)

# Objects smaller than this travel inside the task message. It is joblib's
# own threshold for scattering an argument (joblib/_dask.py): a scattered
# object costs one extra dependency per task, worth it only above ~1 kB.
_MIN_SCATTER_BYTES = 1_000

# id(future) -> (future, object), in the process that scattered the objects
# and only while its fit runs; see local_values.
_LOCAL = {}


def result_order():
    """The ``return_as`` of a search's ``Parallel`` under joblib's active backend.

    Returns
    -------
    return_as : {"generator_unordered", "list"}
        ``"generator_unordered"`` when the backend can stream results (loky,
        threading, Dask), so each candidate is reported as it finishes;
        ``"list"`` when it cannot (``multiprocessing``, Ray), so the
        candidates of one ``Parallel`` call are reported when the call
        returns. joblib's one flag, ``supports_return_generator``, covers
        the ordered generator too: a backend that cannot stream unordered
        results cannot stream ordered ones either.

    Examples
    --------
    >>> import joblib
    >>> from sktune.search._backend import result_order
    >>> result_order()
    'generator_unordered'
    >>> with joblib.parallel_config(backend="multiprocessing"):
    ...     result_order()
    'list'
    """
    # What Parallel(n_jobs=...) resolves when no backend is passed to it
    backend, _ = get_active_backend()
    return "generator_unordered" if backend.supports_return_generator else "list"


# Backends whose workers run each task in the main thread of a process
# they started. Exact types: Ray's backend derives from the multiprocessing
# one but runs tasks in its own actors.
_PROCESS_BACKENDS = (LokyBackend, MultiprocessingBackend)
# Backends that run a call in the calling thread when it resolves to one
# job (their configure falls back to SequentialBackend); Dask's does not.
_FALLBACK_BACKENDS = (SequentialBackend, ThreadingBackend, *_PROCESS_BACKENDS)


def where_tasks_run(n_jobs):
    """Where the tasks of ``Parallel(n_jobs=n_jobs)`` run under joblib's active backend.

    Parameters
    ----------
    n_jobs : int or None
        The search's ``n_jobs``.

    Returns
    -------
    where : {"caller", "workers", "elsewhere"}
        ``"caller"``: in the calling thread (one job); ``"workers"``: each
        in the main thread of a worker process this process started (loky,
        ``multiprocessing``); ``"elsewhere"``: in threads, or in processes
        a cluster manages (``threading``, Dask, Ray...).
    backend : str
        The class name of the backend.
    n_jobs : int
        The number of jobs it resolves ``n_jobs`` to.

    Examples
    --------
    >>> import joblib
    >>> from sktune.search._backend import where_tasks_run
    >>> where_tasks_run(1), where_tasks_run(2)
    (('caller', 'LokyBackend', 1), ('workers', 'LokyBackend', 2))
    >>> with joblib.parallel_backend("threading"):
    ...     where_tasks_run(2)
    ('elsewhere', 'ThreadingBackend', 2)
    """
    backend, _ = get_active_backend()
    n_jobs = effective_n_jobs(n_jobs)
    kind = type(backend)
    if n_jobs == 1 and kind in _FALLBACK_BACKENDS:
        where = "caller"
    elif kind in _PROCESS_BACKENDS:
        where = "workers"
    else:
        where = "elsewhere"
    return where, kind.__name__, n_jobs


def dask_client():
    """The ``distributed.Client`` that joblib's active backend sends tasks to.

    Returns
    -------
    client : distributed.Client or None
        The client of joblib's Dask backend when it is active (inside
        ``joblib.parallel_backend("dask")`` or
        ``joblib.parallel_config(backend="dask")``), else ``None``.

    Examples
    --------
    >>> from sktune.search._backend import dask_client
    >>> dask_client() is None  # the default backend is loky
    True
    """
    # The Dask backend lives in joblib._dask, imported by joblib only when
    # it is used: if the module is not loaded, the backend is not active
    # (and dask, an optional dependency, is never imported here).
    module = sys.modules.get("joblib._dask")
    if module is None:
        return None
    backend, _ = get_active_backend()
    if isinstance(backend, module.DaskDistributedBackend):
        return backend.client
    return None


def _is_large(obj):
    from dask.sizeof import sizeof

    return obj is not None and sizeof(obj) >= _MIN_SCATTER_BYTES


@contextmanager
def scattered(client, data):
    """Broadcast the large values of ``data`` to every worker, once.

    Parameters
    ----------
    client : distributed.Client or None
        Where to scatter; ``None`` scatters nothing.
    data : dict of str -> object or dict
        The task arguments to send. A value that is a dict (``fit_params``)
        has its own values scattered one by one, as a task receives the dict.

    Yields
    ------
    task_data : dict
        ``data`` with every scattered object replaced by its future, inside
        dicts too. The futures are released when the context exits.

    Examples
    --------
    >>> import numpy as np
    >>> from sktune.search._backend import scattered
    >>> with scattered(None, {"X": np.zeros((2, 2))}) as task_data:
    ...     task_data["X"].shape
    (2, 2)
    """
    if client is None:
        yield dict(data)
        return
    # (name, key inside the dict or None, object) of everything large enough
    items = []
    for name, value in data.items():
        if isinstance(value, dict):
            items.extend((name, key, v) for key, v in value.items() if _is_large(v))
        elif _is_large(value):
            items.append((name, None, value))
    if not items:
        yield dict(data)
        return
    # hash=False: a fresh key per fit, so concurrent fits of the same data on
    # one client never release each other's copy (and no time is spent
    # hashing the data).
    futures = client.scatter([obj for _, _, obj in items], broadcast=True, hash=False)
    task_data = {name: dict(v) if isinstance(v, dict) else v for name, v in data.items()}
    for (name, key, obj), future in zip(items, futures):
        _LOCAL[id(future)] = (future, obj)
        if key is None:
            task_data[name] = future
        else:
            task_data[name][key] = future
    try:
        yield task_data
    finally:
        for future in futures:
            _LOCAL.pop(id(future), None)
            future.release()


def lost_data(exc):
    """Whether ``exc`` says a task was cancelled because data it needs died with a worker.

    Parameters
    ----------
    exc : BaseException
        What a ``Parallel`` call raised.

    Returns
    -------
    lost : bool
        ``True`` for distributed's ``FutureCancelledError``: scattered data
        cannot be recomputed, so the scheduler cancels the tasks that depend
        on data no live worker holds.

    Examples
    --------
    >>> from sktune.search._backend import lost_data
    >>> lost_data(ValueError("a failed fit"))
    False
    """
    # distributed is imported only if some code already uses it
    client = sys.modules.get("distributed.client")
    return client is not None and isinstance(exc, client.FutureCancelledError)


def _local(value):
    entry = _LOCAL.get(id(value))
    return entry[1] if entry is not None and entry[0] is value else value


def local_values(kwargs):
    """Replace the futures of :func:`scattered` in a task's arguments by their objects.

    Only the process that scattered the objects knows them; elsewhere (on a
    worker, where distributed has already resolved the futures) the
    arguments come back unchanged.

    Parameters
    ----------
    kwargs : dict
        Keyword arguments of one task; dict values are searched one level
        deep.

    Returns
    -------
    kwargs : dict
        The same arguments, with the objects in place of their futures.

    Examples
    --------
    >>> from sktune.search._backend import local_values
    >>> local_values({"X": [[0.0]], "fit_params": {}})
    {'X': [[0.0]], 'fit_params': {}}
    """
    if not _LOCAL:
        return kwargs
    return {
        name: {k: _local(v) for k, v in value.items()} if isinstance(value, dict) else _local(value)
        for name, value in kwargs.items()
    }


# How often a worker checks that the search's process is alive: a killed
# search's workers are gone about this long after it.
_WATCH_SECONDS = 1.0
_watching = False


def watch_owner(owner_pid):
    """In a worker process the search's process started, exit once that process dies.

    Does nothing in the search's own process (sequential and threading
    backends) and in workers whose parent is another process (a Dask
    nanny, Ray's raylet), whose lifetime their cluster manages.

    Parameters
    ----------
    owner_pid : int
        Process id of the search's process.

    Returns
    -------
    None

    Examples
    --------
    >>> import os
    >>> from sktune.search._backend import watch_owner
    >>> watch_owner(os.getpid())  # the search's own process: nothing to watch
    """
    global _watching
    if _watching or os.getpid() == owner_pid or os.getppid() != owner_pid:
        return
    _watching = True

    def watch():
        while os.getppid() == owner_pid:
            time.sleep(_WATCH_SECONDS)
        # the parent is gone: nobody will read this worker's results
        os._exit(1)

    threading.Thread(target=watch, name="sktune-owner-watch", daemon=True).start()
