"""The MLflow child runs of a search: which rows are ranked, and runs logged as candidates finish.

:func:`sktune.mlflow.autolog` makes MLflow write one child run per candidate
of a search. MLflow writes them once ``fit`` returns, from ``cv_results_``;
:class:`LiveChildRuns` writes each one as soon as the candidate's last fold
finishes (issue 18: a search killed after an hour still has its runs), then,
when MLflow reaches the point where it would create its child runs, adds the
``rank_test_*`` metrics to them instead of creating a second set.

MLflow is imported by :mod:`sktune.mlflow` before anything here runs.
"""

import copy
import inspect
import numbers
import time
import warnings

import numpy as np

from ._compat import _insert_error_scores
from .report import ranks
from .search import HyperbandSearch

# columns of cv_results_ that are not a child run's metrics: MLflow's own
# rule for its child runs (parameters and per-split values), and the ranks,
# known only once the search is over
_NOT_METRICS = ("param", "split", "rank_test_")


def ranked_rows(search):
    """The rows of ``cv_results_`` whose child runs carry a rank, and their ranks.

    Every row, with its ``rank_test_*`` values; for a HyperbandSearch, whose
    scores at different budgets cannot be compared, the rows at the largest
    budget, ranked among themselves (where ``best_params_`` comes from).

    Parameters
    ----------
    search : BaseSearch
        A fitted search.

    Returns
    -------
    rows : ndarray of int
        Positions in ``cv_results_``.
    rank_columns : dict of str -> ndarray of shape (len(rows),)
        ``rank_test_<metric>`` of each of those rows.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sktune import GridSearch
    >>> from sktune._mlflow_runs import ranked_rows
    >>> X, y = load_iris(return_X_y=True)
    >>> search = GridSearch(DecisionTreeClassifier(random_state=0),
    ...                     {"max_depth": [1, 2, 3]}, cv=3).fit(X, y)
    >>> rows, rank_columns = ranked_rows(search)
    >>> rows.tolist(), rank_columns["rank_test_score"].tolist()
    ([0, 1, 2], [3, 2, 1])
    """
    results = search.cv_results_
    names = [key for key in results if key.startswith("rank_test_")]
    rows = np.arange(len(results["params"]))
    if not isinstance(search, HyperbandSearch):
        return rows, {name: np.asarray(results[name]) for name in names}
    budget = np.asarray(results["n_resources"])
    rows = np.flatnonzero(budget == budget.max())
    return rows, {
        name: ranks(np.asarray(results["mean_test_" + name[len("rank_test_"):]])[rows])
        for name in names
    }


def rows_view(search, rows, rank_columns):
    """A shallow copy of a fitted search whose ``cv_results_`` holds only some rows.

    Parameters
    ----------
    search : BaseSearch
        A fitted search.
    rows : array-like of int
        Positions in ``cv_results_`` to keep, in that order.
    rank_columns : dict of str -> array-like
        The ``rank_test_*`` columns of the view, one value per kept row;
        the search's own rank columns are left out.

    Returns
    -------
    view : BaseSearch
        The copy; ``search`` itself is not changed.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sktune import GridSearch
    >>> from sktune._mlflow_runs import rows_view
    >>> X, y = load_iris(return_X_y=True)
    >>> search = GridSearch(DecisionTreeClassifier(random_state=0),
    ...                     {"max_depth": [1, 2, 3]}, cv=3).fit(X, y)
    >>> view = rows_view(search, [2, 0], {"rank_test_score": [1, 2]})
    >>> view.cv_results_["params"], view.cv_results_["rank_test_score"].tolist()
    ([{'max_depth': 3}, {'max_depth': 1}], [1, 2])
    >>> len(search.cv_results_["params"])
    3
    """
    rows = [int(row) for row in rows]
    view = {
        key: value[rows] if isinstance(value, np.ndarray) else [value[i] for i in rows]
        for key, value in search.cv_results_.items()
        if not key.startswith("rank_test_")
    }
    view.update({name: np.asarray(values) for name, values in rank_columns.items()})
    search = copy.copy(search)
    search.cv_results_ = view
    return search


def _plain(value):
    """A value as a hashable key that is the same in a one-row and a whole ``cv_results_``."""
    if isinstance(value, dict):
        return tuple(sorted((name, _plain(v)) for name, v in value.items()))
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        # repr tells NaN apart from nothing and keeps every digit
        return repr(float(value))
    return repr(value)


class LiveChildRuns:
    """Log each candidate of a search as a child run of its MLflow run as it finishes.

    The evaluator of the search calls the object, in the search's own
    process, once all the folds of a candidate have finished; MLflow's
    patched ``fit`` calls :meth:`finish` when it would create its own child
    runs. Logging a candidate costs three calls to the tracking store
    (create the run, one ``log_batch`` with its parameters, tags and
    metrics, end the run); an error in them is warned about once and never
    stops the search.

    Parameters
    ----------
    search : BaseSearch
        The search MLflow is logging.
    parent_run : mlflow.entities.Run or mlflow.ActiveRun
        The search's run.

    Attributes
    ----------
    parent_run_id : str
        The run the child runs belong to.
    n_logged : int
        Candidates logged so far.

    Examples
    --------
    What :func:`sktune.mlflow.autolog` does with it
    (``log_every_candidate=True``), in a throw-away local store:

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
    ...     sktune.mlflow.autolog(log_models=False, log_every_candidate=True)
    ...     with mlflow.start_run() as run:
    ...         search = GridSearch(DecisionTreeClassifier(random_state=0),
    ...                             {"max_depth": [1, 2, 3]}, cv=3).fit(X, y)
    ...     children = mlflow.search_runs(
    ...         filter_string=f"tags.mlflow.parentRunId = '{run.info.run_id}'",
    ...         order_by=["metrics.rank_test_score"])
    ...     sktune.mlflow.autolog(disable=True)
    ...     mlflow.set_tracking_uri(None)
    >>> del os.environ["MLFLOW_ALLOW_FILE_STORE"]
    >>> children["params.max_depth"].tolist(), children["metrics.rank_test_score"].tolist()
    (['3', '2', '1'], [1.0, 2.0, 3.0])
    """

    def __init__(self, search, parent_run):
        import mlflow.sklearn.utils
        from mlflow.tracking.context import registry
        from mlflow.utils.autologging_utils.client import MlflowAutologgingQueueingClient
        from mlflow.utils.mlflow_tags import MLFLOW_AUTOLOGGING, MLFLOW_PARENT_RUN_ID

        utils = mlflow.sklearn.utils
        self.search = search
        self.parent_run_id = parent_run.info.run_id
        self._experiment_id = parent_run.info.experiment_id
        self._parent_start = parent_run.info.start_time
        self._client = mlflow.MlflowClient()
        self._queue = MlflowAutologgingQueueingClient()
        # the tags and parameters MLflow gives the child runs of GridSearchCV
        seed = search.estimator
        self._base_params = seed.get_params(deep=not utils._is_parameter_search_estimator(seed))
        self._run_tags = {MLFLOW_PARENT_RUN_ID: self.parent_run_id, MLFLOW_AUTOLOGGING: "sklearn"}
        self._tags = {**registry.resolve_tags(), **utils._get_estimator_info_tags(seed)}
        # key of each logged candidate -> its runs, to find them in cv_results_
        self._runs = {}
        self._key_columns = None
        self._warned = False
        self.n_logged = 0

    def _row(self, params, outputs, extra):
        """The candidate's row of ``cv_results_``, as the search will compute it."""
        outputs = [dict(out) for out in outputs]
        if callable(self.search.scoring):
            _insert_error_scores(outputs, self.search.error_score)
        with warnings.catch_warnings():
            # the search warns about non-finite scores itself, once
            warnings.simplefilter("ignore")
            return self.search._format_results(
                [params], len(outputs), outputs, {k: [v] for k, v in extra.items()}
            )

    def _key(self, results, row):
        return tuple(_plain(results[name][row]) if name in results else None
                     for name in self._key_columns)

    def __call__(self, params, outputs, extra):
        """Log one finished candidate as a child run.

        Parameters
        ----------
        params : dict
            The candidate's parameters.
        outputs : list of dict
            What ``_fit_and_score`` returned for each of its folds.
        extra : dict
            Its values of the search's extra ``cv_results_`` columns
            (``iter``, ``n_resources``...).

        Returns
        -------
        None
        """
        try:
            self._log(params, outputs, extra)
        except Exception as exc:
            # MLflow's own rule for autologging: logging never breaks training
            if not self._warned:
                self._warned = True
                warnings.warn(
                    f"sktune.mlflow could not log a candidate of {type(self.search).__name__} "
                    f"as a child run when it finished ({exc}). The search goes on; the "
                    "candidates missing then are logged when it ends.",
                    RuntimeWarning,
                    stacklevel=2,
                )

    def _log(self, params, outputs, extra):
        row = self._row(params, outputs, extra)
        if self._key_columns is None:
            # a candidate is told apart by its parameters, its budget and its scores
            self._key_columns = ["params", *extra, *(k for k in row if k.startswith("split"))]
        metrics = {
            name: values[0] for name, values in row.items()
            if not name.startswith(_NOT_METRICS) and isinstance(values[0], numbers.Number)
        }
        end = int(time.time() * 1000)
        # with n_jobs=1 its folds ran one after the other
        busy = sum(out["fit_time"] + out["score_time"] for out in outputs)
        start = max(self._parent_start, end - int(busy * 1000))
        run_id = self._client.create_run(
            self._experiment_id, start_time=start, tags=self._run_tags
        ).info.run_id
        try:
            self._queue.set_tags(run_id, self._tags)
            self._queue.log_params(run_id, {**self._base_params, **params})
            self._queue.log_metrics(run_id, metrics)
            self._queue.set_terminated(run_id, end_time=end)
            self._queue.flush(synchronous=True)
        except Exception:
            # no half-written child run beside the one created when the search
            # ends, and no operation of it left in the queue
            self._queue = type(self._queue)()
            self._client.delete_run(run_id)
            raise
        self._runs.setdefault(self._key(row, 0), []).append(run_id)
        self.n_logged += 1

    def finish(self, create_child_runs, arguments):
        """Rank the child runs; create those of the candidates not logged as they finished.

        Called in place of MLflow's ``_create_child_runs_for_parameter_search``
        once the search is fitted. Each row of ``cv_results_`` has exactly
        one child run: the one logged when it finished, or, for a candidate
        taken from a checkpoint, one MLflow creates now from its row.

        Parameters
        ----------
        create_child_runs : callable
            MLflow's ``_create_child_runs_for_parameter_search``.
        arguments : dict
            The arguments MLflow called it with, by name
            (``autologging_client``, ``cv_estimator``, ``parent_run``...).

        Returns
        -------
        None
        """
        search, client = arguments["cv_estimator"], arguments["autologging_client"]
        results = search.cv_results_
        rows, rank_columns = ranked_rows(search)
        rank_of = {
            int(row): {name: int(values[j]) for name, values in rank_columns.items()}
            for j, row in enumerate(rows)
        }
        unlogged = []
        for row in range(len(results["params"])):
            runs = self._runs.get(self._key(results, row)) if self._key_columns else None
            if not runs:
                unlogged.append(row)
            elif row in rank_of:
                client.log_metrics(run_id=runs.pop(0), metrics=rank_of[row])
            else:
                runs.pop(0)
        ranked = [row for row in unlogged if row in rank_of]
        for part, ranks_of_part in (
            (ranked, {name: [rank_of[row][name] for row in ranked] for name in rank_columns}),
            ([row for row in unlogged if row not in rank_of], {}),
        ):
            if part:
                create_child_runs(**{
                    **arguments,
                    "cv_estimator": rows_view(search, part, ranks_of_part),
                    "max_tuning_runs": None,
                })


def bind_arguments(function, args, kwargs):
    """The arguments of a call of ``function``, by name.

    Parameters
    ----------
    function : callable
    args : tuple
    kwargs : dict

    Returns
    -------
    arguments : dict

    Examples
    --------
    >>> from sktune._mlflow_runs import bind_arguments
    >>> bind_arguments(lambda a, b=2: None, (1,), {})
    {'a': 1, 'b': 2}
    """
    bound = inspect.signature(function).bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)
