"""The environment a search runs in, recorded in its checkpoint with each run.

Scores computed under other versions of scikit-learn or numpy may differ
(a changed default, another solver's tolerance), so resuming a checkpoint
under other versions warns with what changed instead of mixing results in
silence.
"""

import os
import platform
import warnings

import joblib
import numpy as np
import scipy
import sklearn
from joblib.parallel import BACKENDS, get_active_backend

# what decides the scores; the machine and the backend only decide the speed
_VERSIONS = ("python", "scikit-learn", "numpy", "scipy", "joblib", "sktune")


def _backend_name():
    backend, _ = get_active_backend()
    for name, cls in BACKENDS.items():
        if type(backend) is cls:
            return name
    return type(backend).__name__


def environment(n_jobs=None):
    """The versions, joblib backend and machine of the running process.

    Parameters
    ----------
    n_jobs : int or None, default=None
        The search's ``n_jobs``, recorded with the backend.

    Returns
    -------
    environment : dict of str -> str or int or None
        ``python``, ``scikit-learn``, ``numpy``, ``scipy``, ``joblib`` and
        ``sktune`` versions, ``joblib backend``, ``n_jobs``, ``machine``
        (system, release, architecture) and ``cpus``.

    Examples
    --------
    >>> import joblib
    >>> from sktune.search._environment import environment
    >>> env = environment(n_jobs=2)
    >>> env["joblib backend"], env["n_jobs"], env["numpy"] == __import__("numpy").__version__
    ('loky', 2, True)
    >>> with joblib.parallel_config(backend="threading"):
    ...     environment()["joblib backend"]
    'threading'
    """
    from .. import __version__  # sktune's package is still importing this module

    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "joblib": joblib.__version__,
        "sktune": __version__,
        "joblib backend": _backend_name(),
        "n_jobs": n_jobs,
        "machine": f"{platform.system()} {platform.release()} {platform.machine()}",
        "cpus": os.cpu_count(),
    }


def changed_versions(before, now):
    """The versions that differ, as ``"name old -> new"`` strings.

    Parameters
    ----------
    before, now : dict
        Two results of :func:`environment`.

    Returns
    -------
    changes : list of str
        One entry per differing version, in a fixed order.

    Examples
    --------
    >>> from sktune.search._environment import changed_versions
    >>> changed_versions({"numpy": "1.26.4", "scipy": "1.13.0"},
    ...                  {"numpy": "2.1.0", "scipy": "1.13.0"})
    ['numpy 1.26.4 -> 2.1.0']
    """
    return [
        f"{name} {before.get(name)} -> {now.get(name)}"
        for name in _VERSIONS
        if before.get(name) != now.get(name)
    ]


def begin_run(store, search):
    """Record a run of ``search`` in its checkpoint; warn when the versions changed.

    Parameters
    ----------
    store : CheckpointStore
        The search's checkpoint, open for writing.
    search : BaseSearch
        The search being fitted.

    Returns
    -------
    None

    Warns
    -----
    UserWarning
        When the checkpoint holds results of a run under other versions of
        Python, scikit-learn, numpy, scipy, joblib or sktune.
    """
    now = environment(search.n_jobs)
    runs = store.runs()
    before = runs[-1].get("environment") if runs else None
    if type(before) is dict and (changes := changed_versions(before, now)):
        warnings.warn(
            f"The checkpoint {store.path!r} of {type(search).__name__} holds results "
            f"computed under other versions ({', '.join(changes)}); resuming mixes them "
            "with results of this environment, and scores may differ. Use another "
            "checkpoint path to start over under this one.",
            UserWarning,
            stacklevel=4,
        )
    store.begin_run({
        "search": type(search).__name__,
        "estimator": repr(search.estimator)[:500],
        # a scorer's name says the metric's sign (neg_*) to the dashboard
        "scoring": search.scoring if isinstance(search.scoring, (str, type(None)))
        else repr(search.scoring)[:200],
        "environment": now,
    })
