"""The built-in demonstration: tune an SVC on the digits data with each strategy.

Every strategy searches the same space (``C`` and ``gamma`` of an RBF SVC
after standard scaling) with 3-fold cross-validation on all cores and a
budget of about 16 full evaluations, so that ``sktune demo`` runs in about a
minute on two cores. The Bayesian and Hyperband strategies are included when
this version of sktune has them.
"""

import inspect
import os
import time
from typing import NamedTuple

from joblib import Parallel, delayed, effective_n_jobs
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import sktune

from .distributions import LogUniform

DEMO_SPACE = {
    "svc__C": LogUniform(1e-2, 1e3),
    "svc__gamma": LogUniform(1e-4, 1e-1),
}

# strategy -> (search class name in sktune, its budget settings)
_SETTINGS = {
    "grid": ("GridSearch", dict(n_points=4)),
    "random": ("RandomSearch", dict(n_iter=16, sampler="sobol")),
    # a 6-point initial design, then 5 model-based rounds of 2
    "bayes": ("BayesSearch", dict(n_iter=16, n_initial_points=6, batch_size=2)),
    # budget: training samples per fold; min_resources is set from the data
    "hyperband": ("HyperbandSearch", dict(resource="n_samples", eta=3)),
}

#: The strategies this version of sktune can demonstrate, in display order.
STRATEGIES = tuple(s for s, (cls, _) in _SETTINGS.items() if hasattr(sktune, cls))


class DemoRun(NamedTuple):
    """One strategy's run: the fitted search, its wall time, its report and its checkpoint."""

    search: object
    seconds: float
    report: object = None
    checkpoint: object = None


def _fresh_checkpoint(strategy, folder):
    """The path of the strategy's checkpoint in ``folder``, its file of an earlier run removed.

    Each run starts afresh rather than resuming, so that its wall time and
    its dashboard show this run's fits: continuing would take every
    candidate from the file and fit nothing. A file of that name that is not
    an sktune checkpoint is left alone (the search then refuses it).
    """
    from .dashboard._data import is_checkpoint

    path = os.path.join(folder, f"{strategy}.db")
    if os.path.isfile(path) and is_checkpoint(path):
        for suffix in ("-wal", "-shm", ""):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    return path


def _make_search(strategy, random_state, n_jobs, n_samples, checkpoint=None):
    cls_name, settings = _SETTINGS[strategy]
    cls = getattr(sktune, cls_name)
    if "random_state" in inspect.signature(cls).parameters:
        settings = {**settings, "random_state": random_state}
    if strategy == "hyperband":
        # a ninth of a training fold (of 3): 3 brackets of 9, 5 and 3
        # candidates, 22 evaluations; 133 samples at the smallest rung on
        # the whole digits data
        settings = {**settings, "min_resources": max(n_samples * 2 // 3 // 9, 1)}
    estimator = make_pipeline(StandardScaler(), SVC())
    return cls(estimator, DEMO_SPACE, cv=3, n_jobs=n_jobs, checkpoint=checkpoint, **settings)


def _warm_up(X, y, n_jobs):
    # Start joblib's reusable workers and import the model in each before any
    # clock runs, so that the first strategy's wall time does not include
    # them (several seconds on a busy machine).
    model = make_pipeline(StandardScaler(), SVC())
    Parallel(n_jobs=n_jobs)(
        delayed(clone(model).fit)(X[:40], y[:40]) for _ in range(effective_n_jobs(n_jobs))
    )


def _write_report(search, strategy, folder):
    path = os.path.join(folder, f"{strategy}.html")
    title = f"sktune demo: {strategy} search of an SVC on the digits data"
    try:
        return sktune.write_report(search, path, title=title)
    except ImportError:
        # no matplotlib: the page without its plots
        from .report import write_html

        return write_html(search, path, title=title)


def run_demo(strategies=STRATEGIES, *, random_state=0, n_samples=None, n_jobs=-1,
             report_dir=None, callbacks=()):
    """Tune an SVC pipeline on the digits data with each strategy.

    Parameters
    ----------
    strategies : sequence of str, default=STRATEGIES
        Strategies to run, from :data:`STRATEGIES`.
    random_state : int, default=0
        Seed of every search.
    n_samples : int or None, default=None
        Use only the first ``n_samples`` digits (for a quick run).
    n_jobs : int, default=-1
        Parallel jobs of each search (all cores by default).
    report_dir : str or None, default=None
        Folder where each strategy's HTML report is written as
        ``<strategy>.html`` and its checkpoint as ``<strategy>.db`` (created
        if needed; a checkpoint of an earlier demo there is replaced, not
        resumed), which ``sktune dashboard <report_dir>`` shows; ``None``
        writes nothing.
    callbacks : sequence of callback objects, default=()
        scikit-learn callbacks (progress bars) set on every search.

    Returns
    -------
    results : dict of str -> DemoRun
        Per strategy, the fitted search, its wall time in seconds, the
        paths of its report and its checkpoint (``None`` without ``report_dir``).

    Examples
    --------
    >>> from sktune.demo import run_demo
    >>> results = run_demo(["grid"], n_samples=300, n_jobs=1)
    >>> search, seconds, report, checkpoint = results["grid"]
    >>> sorted(search.best_params_)
    ['svc__C', 'svc__gamma']
    """
    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown:
        raise ValueError(
            f"The 'strategies' parameter of run_demo must be a list of {STRATEGIES}. "
            f"Got {unknown!r} instead."
        )
    X, y = load_digits(return_X_y=True)
    if n_samples is not None:
        X, y = X[:n_samples], y[:n_samples]
    if report_dir is not None:
        os.makedirs(report_dir, exist_ok=True)
    _warm_up(X, y, n_jobs)
    results = {}
    for name in strategies:
        checkpoint = None if report_dir is None else _fresh_checkpoint(name, report_dir)
        search = _make_search(name, random_state, n_jobs, len(X), checkpoint)
        if callbacks:
            search.set_callbacks(*callbacks)
        start = time.perf_counter()
        search.fit(X, y)
        seconds = time.perf_counter() - start
        report = None if report_dir is None else _write_report(search, name, report_dir)
        results[name] = DemoRun(search, seconds, report, checkpoint)
    return results


def format_comparison(results):
    """The strategies side by side: best score, evaluations and wall time.

    Parameters
    ----------
    results : dict of str -> DemoRun
        From :func:`run_demo`.

    Returns
    -------
    text : str
        A header line and one line per strategy. ``evaluations`` counts the
        rows of ``cv_results_``: a candidate at one budget, each
        cross-validated.

    Examples
    --------
    >>> from sktune.demo import DemoRun, format_comparison
    >>> class Fitted:
    ...     best_score_ = 0.9712
    ...     cv_results_ = {"params": [{}] * 16}
    >>> print(format_comparison({"random": DemoRun(Fitted(), 12.34)}))
    strategy  best score  evaluations  wall time
    random        0.9712           16     12.3 s
    """
    lines = ["strategy  best score  evaluations  wall time"]
    for name, run in results.items():
        n = len(run.search.cv_results_["params"])
        lines.append(
            f"{name:<9} {run.search.best_score_:10.4f}  {n:11d}  {run.seconds:7.1f} s"
        )
    return "\n".join(lines)
