"""MLflow autologging that logs sktune's searches as it logs ``GridSearchCV``.

``mlflow.sklearn.autolog()`` gives ``GridSearchCV`` and ``RandomizedSearchCV``
a parent run with the search's parameters, ``best_*`` parameters, the
``best_cv_score`` metric, one child run for each of the ``max_tuning_runs``
best candidates and a ``cv_results.csv`` artifact. It knows them from a
fixed list of scikit-learn classes (issue 18), so it saw sktune's searches as
plain estimators. :func:`autolog` adds them to that list and to MLflow's test
of what is a parameter search before turning autologging on: MLflow then
patches their ``fit`` and logs them with its own code for ``GridSearchCV``.
The three functions of ``mlflow.sklearn.utils`` it wraps are private to
MLflow; :func:`autolog` says so with a ``RuntimeError`` when a version of
MLflow no longer has them or no longer patches the searches.

A ``HyperbandSearch`` ranks its rows at every budget together; its child
runs are taken from the rows at the largest budget, ranked among
themselves, which is where ``best_params_`` comes from. ``cv_results.csv``
keeps every row.

With ``log_every_candidate`` (on by default for a search with a
``checkpoint``), each candidate is logged as a child run as soon as it
finishes (:class:`~sktune._mlflow_runs.LiveChildRuns`), and at the end the
hook that created MLflow's child runs ranks those instead.

MLflow is imported when :func:`autolog` is called, never before.
"""

import functools
import sys
import warnings
import weakref

from ._mlflow_runs import LiveChildRuns, bind_arguments, ranked_rows, rows_view
from .search import (
    BaseSearch,
    BayesSearch,
    GridSearch,
    HyperbandSearch,
    ManualSearch,
    RandomSearch,
)
from .search import _autolog as _guard

__all__ = ["autolog"]

_SEARCHES = (GridSearch, RandomSearch, BayesSearch, HyperbandSearch, ManualSearch)

# log_every_candidate as last set by autolog
_live_setting = "auto"
# search -> the LiveChildRuns of its fit now being logged, until MLflow ranks them
_live_children: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _import_mlflow_sklearn():
    try:
        import mlflow.sklearn
        import mlflow.sklearn.utils
    except ImportError as exc:
        raise ImportError(
            "sktune.mlflow.autolog needs MLflow, which is not installed: "
            "pip install sktune[mlflow]"
        ) from exc
    return mlflow.sklearn


def _unsupported(what):
    return RuntimeError(
        f"sktune.mlflow.autolog cannot make MLflow {sys.modules['mlflow'].__version__} log "
        f"sktune's searches: {what}. sktune's searches are not logged as parameter "
        "searches; their cross-validation fits are still kept out of the run."
    )


def _full_budget_view(search):
    """A shallow copy of a fitted HyperbandSearch whose results are its largest-budget rows."""
    return rows_view(search, *ranked_rows(search))


def _meta_estimators(original):
    def meta_estimators():
        return [*original(), *_SEARCHES]

    return meta_estimators


def _is_search(original):
    def is_search(estimator):
        return isinstance(estimator, BaseSearch) or original(estimator)

    return is_search


def _child_runs(original):
    def create_child_runs(*args, **kwargs):
        arguments = bind_arguments(original, args, kwargs)
        search = arguments["cv_estimator"]
        live = _live_children.pop(search, None) if isinstance(search, BaseSearch) else None
        if live is not None and live.parent_run_id == arguments["parent_run"].info.run_id:
            # the candidates have their child runs already: rank them, no second set
            return live.finish(original, arguments)
        if isinstance(search, HyperbandSearch):
            arguments["cv_estimator"] = _full_budget_view(search)
        return original(**arguments)

    return create_child_runs


def _live_logging(setting):
    """What the search layer calls when MLflow starts logging a search's fit."""

    def live(search):
        _live_children.pop(search, None)
        if setting is False or (setting == "auto" and getattr(search, "checkpoint", None) is None):
            return None
        import mlflow

        children = _live_children[search] = LiveChildRuns(search, mlflow.active_run())
        return children

    return live


_HOOKS = {
    "_get_meta_estimators_for_autologging": _meta_estimators,
    "_is_parameter_search_estimator": _is_search,
    "_create_child_runs_for_parameter_search": _child_runs,
}
# what live logging needs of mlflow.sklearn.utils besides those, private to MLflow too
_LIVE_NEEDS = ("_get_estimator_info_tags",)


def _install_hooks(mlflow_sklearn):
    """Wrap MLflow's functions in every module that holds them, once."""
    utils = mlflow_sklearn.utils
    for name in _HOOKS:
        if not hasattr(utils, name):
            raise _unsupported(f"mlflow.sklearn.utils has no {name}")
    for name, make in _HOOKS.items():
        for module in (utils, mlflow_sklearn):
            original = getattr(module, name, None)
            if original is None or hasattr(original, "_sktune_original"):
                continue
            hooked = functools.update_wrapper(make(original), original)
            hooked._sktune_original = original
            setattr(module, name, hooked)


def _remove_hooks(mlflow_sklearn):
    for name in _HOOKS:
        for module in (mlflow_sklearn.utils, mlflow_sklearn):
            hooked = getattr(module, name, None)
            if hasattr(hooked, "_sktune_original"):
                setattr(module, name, hooked._sktune_original)


def _check_setting(value):
    if value is None or isinstance(value, bool) or (isinstance(value, str) and value == "auto"):
        return value
    error = ValueError if isinstance(value, str) else TypeError
    raise error(
        "The 'log_every_candidate' parameter of sktune.mlflow.autolog must be a bool or "
        f"'auto'. Got {value!r} instead."
    )


def _live_unsupported(mlflow_sklearn):
    """What live logging needs and this MLflow lacks, or None."""
    for name in _LIVE_NEEDS:
        if not hasattr(mlflow_sklearn.utils, name):
            return f"mlflow.sklearn.utils has no {name}"
    if not hasattr(getattr(mlflow_sklearn, "_SklearnTrainingSession", None), "_session_stack"):
        return "mlflow.sklearn._SklearnTrainingSession has no _session_stack"
    return None


def _set_live(mlflow_sklearn, setting):
    global _live_setting
    setting = _live_setting if setting is None else setting
    missing = _live_unsupported(mlflow_sklearn) if setting is not False else None
    if missing and setting is True:
        raise RuntimeError(
            f"sktune.mlflow.autolog cannot make MLflow {sys.modules['mlflow'].__version__} "
            f"log each candidate as it finishes: {missing}. Pass log_every_candidate=False "
            "to log the child runs when the search ends."
        )
    if missing:
        warnings.warn(
            f"MLflow {sys.modules['mlflow'].__version__} cannot log each candidate of a "
            f"search with a checkpoint as it finishes ({missing}): the child runs are "
            "logged when the search ends.",
            RuntimeWarning,
            stacklevel=3,
        )
    _live_setting = setting
    _guard.live_logging = None if missing else _live_logging(setting)


def autolog(*, log_every_candidate=None, **kwargs):
    """Turn on ``mlflow.sklearn`` autologging, with sktune's searches logged like ``GridSearchCV``.

    Call it in place of ``mlflow.sklearn.autolog``, with the same arguments,
    or after ``mlflow.sklearn.autolog(...)`` or ``mlflow.autolog(...)``:
    called without arguments while scikit-learn autologging is on, it keeps
    the settings it was turned on with. Then the ``fit`` of each sktune
    search logs, into the active run or a new one:

    * the search's parameters (``get_params(deep=False)``) and, after the
      fit, ``best_<name>`` for each entry of ``best_params_``;
    * the metrics ``best_cv_score`` and the ``training_*`` metrics of the
      refitted search;
    * one child run for each of the ``max_tuning_runs`` best candidates of
      ``cv_results_``, with the estimator's full parameters and the
      candidate's mean, std and rank columns (for ``HyperbandSearch``, the
      best of the candidates evaluated at the largest budget);
    * the ``cv_results.csv`` artifact, every row of ``cv_results_``;
    * with ``log_models=True``, the search and its ``best_estimator_``;

    and the fits of its candidates and its refit log nothing. The settings
    of MLflow (``max_tuning_runs``, ``log_models``...) apply as for
    ``GridSearchCV``. Once this has been called, later calls of
    ``mlflow.sklearn.autolog`` log sktune's searches too, until
    ``autolog(disable=True)`` turns scikit-learn autologging off and
    gives MLflow back its own list of searches.

    Without this call, ``mlflow.sklearn.autolog()`` alone still keeps the
    fits inside an sktune search out of the run, and warns that nothing of
    the search is logged.

    With ``log_every_candidate`` on, each candidate is logged as a child
    run as soon as all its folds have finished, and a killed search keeps
    the child runs of its finished candidates: every row of ``cv_results_``
    gets one child run, whatever ``max_tuning_runs``, and when the search
    ends each of them gets its ``rank_test_*`` metrics (for
    ``HyperbandSearch``, the rows at the largest budget, ranked among
    themselves) instead of a second set of child runs being created.

    Parameters
    ----------
    log_every_candidate : bool or "auto", default=None
        Log every candidate as a child run as it finishes (``True``), or the
        ``max_tuning_runs`` best ones when the search ends, as for
        ``GridSearchCV`` (``False``). ``"auto"`` logs them as they finish
        for a search with a ``checkpoint``, the mark of a search that may be
        stopped before it ends. ``None`` keeps the value of the previous
        call, ``"auto"`` at first.
    **kwargs : dict
        Arguments of ``mlflow.sklearn.autolog`` (``max_tuning_runs=5``,
        ``log_models=True``, ``disable=False``...). Without any, the settings
        of scikit-learn autologging when it is already on, else MLflow's
        defaults.

    Returns
    -------
    None

    Raises
    ------
    ValueError or TypeError
        If ``log_every_candidate`` is not a bool, ``"auto"`` or None.
    ImportError
        If MLflow is not installed (``pip install sktune[mlflow]``).
    RuntimeError
        If this version of MLflow cannot be made to log sktune's searches
        as parameter searches, or, with ``log_every_candidate=True``, each
        candidate as it finishes.

    Examples
    --------
    A search logged into a throw-away local store (MLflow's file store, a
    folder, which MLflow asks to allow with ``MLFLOW_ALLOW_FILE_STORE``):

    >>> import os
    >>> import tempfile
    >>> from pathlib import Path
    >>> import mlflow
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> import sktune.mlflow
    >>> from sktune import GridSearch
    >>> X, y = load_iris(return_X_y=True)
    >>> os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     mlflow.set_tracking_uri(Path(tmp, "mlruns").as_uri())
    ...     sktune.mlflow.autolog(log_models=False, max_tuning_runs=2)
    ...     with mlflow.start_run() as run:
    ...         search = GridSearch(DecisionTreeClassifier(random_state=0),
    ...                             {"max_depth": [1, 2, 3]}, cv=3).fit(X, y)
    ...     logged = mlflow.get_run(run.info.run_id).data
    ...     children = mlflow.search_runs(
    ...         filter_string=f"tags.mlflow.parentRunId = '{run.info.run_id}'")
    ...     sktune.mlflow.autolog(disable=True)
    ...     mlflow.set_tracking_uri(None)
    >>> del os.environ["MLFLOW_ALLOW_FILE_STORE"]
    >>> logged.params["best_max_depth"], search.best_params_
    ('3', {'max_depth': 3})
    >>> bool(logged.metrics["best_cv_score"] == search.best_score_), len(children)
    (True, 2)
    """
    global _live_setting
    log_every_candidate = _check_setting(log_every_candidate)
    mlflow_sklearn = _import_mlflow_sklearn()
    if kwargs.get("disable", False):
        _remove_hooks(mlflow_sklearn)
        _guard.registered = False
        _guard.live_logging = None
        _live_setting = "auto"
        _live_children.clear()
        mlflow_sklearn.autolog(**kwargs)
        return
    if not kwargs:
        from mlflow.utils.autologging_utils import AUTOLOGGING_INTEGRATIONS

        config = AUTOLOGGING_INTEGRATIONS.get("sklearn")
        if config and not config.get("disable", True):
            kwargs = dict(config)
    _set_live(mlflow_sklearn, log_every_candidate)
    _install_hooks(mlflow_sklearn)
    mlflow_sklearn.autolog(**kwargs)
    from sklearn.model_selection import GridSearchCV

    # MLflow patched scikit-learn's searches but not ours: it no longer takes
    # its list from the function wrapped above
    if "fit" in vars(GridSearchCV) and "fit" not in vars(GridSearch):
        raise _unsupported("its autolog no longer patches the listed searches")
    _guard.registered = True
