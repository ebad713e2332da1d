"""SearchResults: one read-only view of any search's ``cv_results_``.

Every leaderboard, plot and report reads a search through this view, so a
fitted sktune search, a fitted scikit-learn search (``GridSearchCV``,
``HalvingRandomSearchCV``...) and a bare ``cv_results_`` dict all behave the
same. Nothing here imports matplotlib or pandas.
"""

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.exceptions import NotFittedError

from .._typing import SearchLike
from ._axis import ParamAxis, make_axis, space_distributions
from ._budgets import budget_params, check_budgets, full_budget_rows, take
from ._values import MISSING


def _search_error(func, obj):
    return TypeError(
        f"The 'search' argument of {func} must be a fitted search (an object with "
        "cv_results_, such as sktune.RandomSearch or sklearn's GridSearchCV) or a "
        f"cv_results_ dict. Got {obj!r:.80} (of type {type(obj).__name__}) instead."
    )


class SearchResults:
    """A read-only view of a search's ``cv_results_``, for reports and plots.

    Parameters
    ----------
    cv_results : dict
        A ``cv_results_`` dict: ``params`` and at least one ``mean_test_*``
        column.
    space : SearchSpace or None, default=None
        The search space, which says which parameters are log-scaled;
        without it a numeric parameter is log-scaled when its values span
        two decades or more and spread more evenly on a log scale than on a
        linear one.
    refit_metric : str or None, default=None
        The metric that ranks candidates by default; ``None`` takes
        ``"score"`` for single-metric results, else the first metric.
    name : str, default="search"
        Label of the search in legends and titles.
    search : estimator or None, default=None
        The fitted search, when there is one (for its settings).
    rows : array-like of int or None, default=None
        Each row's index in the search's whole ``cv_results_`` when this view
        holds some of its rows (:meth:`at_budgets`); ``None`` for all.
    whole : SearchResults or None, default=None
        The view of every row, when this one holds some of them.

    Attributes
    ----------
    params : list of dict
        The candidates, in evaluation order.
    param_names : list of str
        Every parameter set by any candidate, sorted.
    tuned_names : list of str
        The hyperparameters: ``param_names`` without the budget of a
        multi-budget search (a parameter that always equals ``n_resources``).
    rows : ndarray of int
        Each row's index in the search's ``cv_results_``.
    metrics : list of str
        Metric names (``["score"]`` for a single metric).
    refit_metric : str
        The default metric.
    n_splits : int
        Cross-validation splits per candidate.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn.svm import SVC
    >>> from sktune.report import SearchResults
    >>> X, y = load_iris(return_X_y=True)
    >>> grid = GridSearchCV(SVC(), {"C": [0.01, 1, 100], "kernel": ["rbf", "linear"]}, cv=3)
    >>> res = SearchResults.from_search(grid.fit(X, y))
    >>> res.n_candidates, res.param_names, res.metrics
    (6, ['C', 'kernel'], ['score'])
    >>> res.axis("C")
    ParamAxis('C', 'log', low=0.01, high=100)
    >>> res.axis("kernel")
    ParamAxis('kernel', 'categorical', levels=['rbf', 'linear'])
    """

    def __init__(self, cv_results: Mapping[str, Any], *, space: Any = None,
                 refit_metric: str | None = None, name: str = "search", search: Any = None,
                 rows: Any = None, whole: "SearchResults | None" = None) -> None:
        self.cv_results = cv_results
        self.space = space
        self.name = name
        self.search = search
        self.params = [dict(p) for p in cv_results["params"]]
        self.rows = np.arange(len(self.params)) if rows is None else np.asarray(rows)
        self._whole = self if whole is None else whole
        names = {n for p in self.params for n in p}
        self.param_names = sorted(names)
        every = self._whole
        if every is self:
            budgets = cv_results.get("n_resources")
            self._budget_names = (
                set() if budgets is None else budget_params(self.params, budgets)
            )
        else:
            self._budget_names = every._budget_names
        self.tuned_names = [n for n in self.param_names if n not in self._budget_names]
        self.metrics = [k[len("mean_test_"):] for k in cv_results if k.startswith("mean_test_")]
        if refit_metric is None:
            refit_metric = "score" if "score" in self.metrics else self.metrics[0]
        self.refit_metric = refit_metric
        pattern = re.compile(rf"split\d+_test_{re.escape(self.metrics[0])}$")
        self.n_splits = sum(1 for k in cv_results if pattern.match(k)) or 1
        self._axes: dict[str, ParamAxis] = {}

    # construction ------------------------------------------------------------
    @classmethod
    def from_search(cls, search: SearchLike, func: str = "SearchResults.from_search",
                    budgets: str = "full") -> "SearchResults":
        """The view of a fitted search, a ``cv_results_`` dict or a view.

        Parameters
        ----------
        search : fitted search, dict or SearchResults
            What to read.
        func : str, default="SearchResults.from_search"
            The public function asking, named in error messages.
        budgets : {"full", "all"}, default="full"
            For results at several budgets (an ``n_resources`` column, as
            HyperbandSearch and scikit-learn's halving searches have):
            ``"full"`` keeps the rows at the largest budget, the only ones
            that compare with each other and the ones ``best_params_`` comes
            from; ``"all"`` keeps every evaluation. Other results have one
            budget and are kept whole.

        Returns
        -------
        results : SearchResults

        Raises
        ------
        sklearn.exceptions.NotFittedError
            If ``search`` is a search that has not been fitted.
        TypeError, ValueError
            If ``search`` is none of the above, or a dict without a
            ``params`` and a ``mean_test_*`` column.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.svm import SVC
        >>> from sktune import GridSearch
        >>> from sktune.report import SearchResults
        >>> X, y = load_iris(return_X_y=True)
        >>> search = GridSearch(SVC(), {"C": [0.01, 1.0]}, cv=3).fit(X, y)
        >>> res = SearchResults.from_search(search)
        >>> res.name, res.n_candidates, res.space is search.search_space_
        ('GridSearch', 2, True)
        >>> SearchResults.from_search(search.cv_results_).name  # a bare dict
        'search'
        >>> SearchResults.from_search(GridSearch(SVC(), {"C": [1.0]}))
        Traceback (most recent call last):
        ...
        sklearn.exceptions.NotFittedError: This GridSearch instance is not fitted yet, ...
        """
        check_budgets(budgets, func)
        if isinstance(search, SearchResults):
            return search.at_budgets(budgets, func)
        if isinstance(search, Mapping):
            _check_cv_results(search, func)
            return cls(search).at_budgets(budgets, func)
        if hasattr(search, "cv_results_"):
            results = search.cv_results_
            _check_cv_results(results, func)
            refit = getattr(search, "refit", None)
            multi = getattr(search, "multimetric_", False)
            metric = refit if multi and isinstance(refit, str) else None
            return cls(
                results,
                space=getattr(search, "search_space_", None),
                refit_metric=metric,
                name=type(search).__name__,
                search=search,
            ).at_budgets(budgets, func)
        if hasattr(search, "fit") and hasattr(search, "get_params"):
            raise NotFittedError(
                f"This {type(search).__name__} instance is not fitted yet, so {func} "
                "has no results to show. Call 'fit' first."
            )
        raise _search_error(func, search)

    def at_budgets(self, budgets: str,
                   func: str = "SearchResults.at_budgets") -> "SearchResults":
        """This view's rows at the largest budget (``"full"``) or at every one (``"all"``).

        Parameters
        ----------
        budgets : {"full", "all"}
            Which rows to keep (see :meth:`from_search`).
        func : str, default="SearchResults.at_budgets"
            The public function asking, named in error messages.

        Returns
        -------
        results : SearchResults
            ``rows`` gives each kept row's index in the whole results.

        Examples
        --------
        >>> from sktune.report import SearchResults
        >>> res = SearchResults({"params": [{"C": 1, "max_iter": 3}, {"C": 2, "max_iter": 9}],
        ...                      "mean_test_score": [0.9, 0.8], "n_resources": [3, 9]})
        >>> full = res.at_budgets("full")
        >>> full.rows.tolist(), full.scores().tolist(), full.tuned_names
        ([1], [0.8], ['C'])
        >>> full.at_budgets("all") is res
        True
        """
        check_budgets(budgets, func)
        whole = self._whole
        if budgets == "all":
            return whole
        rows = full_budget_rows(whole.cv_results)
        if rows is None:
            return whole
        if whole is not self and np.array_equal(rows, self.rows):
            return self
        return SearchResults(
            take(whole.cv_results, rows), space=whole.space, refit_metric=whole.refit_metric,
            name=whole.name, search=whole.search, rows=rows, whole=whole,
        )

    # candidates ----------------------------------------------------------------
    @property
    def n_candidates(self) -> int:
        """Number of rows of ``cv_results_``.

        Examples
        --------
        >>> from sktune.report import SearchResults
        >>> res = SearchResults({"params": [{"C": 0.1}, {"C": 1.0}], "mean_test_score": [0.8, 0.9]})
        >>> res.n_candidates
        2
        """
        return len(self.params)

    def check_metric(self, metric: str | None, func: str) -> str:
        """Return ``metric``, or the refit metric when ``None``; raise if unknown.

        Parameters
        ----------
        metric : str or None
            A metric name (``"accuracy"``; ``"score"`` for single-metric).
        func : str
            The public function asking, named in the error.

        Returns
        -------
        metric : str

        Raises
        ------
        ValueError
            If ``metric`` is not a metric of the search; the message names
            ``func``.

        Examples
        --------
        >>> from sktune.report import SearchResults
        >>> res = SearchResults({"params": [{"C": 0.1}, {"C": 1.0}],
        ...                      "mean_test_accuracy": [0.8, 0.9], "mean_test_f1": [0.7, 0.9]})
        >>> res.check_metric(None, "my_plot"), res.check_metric("f1", "my_plot")
        ('accuracy', 'f1')
        >>> res.check_metric("auc", "my_plot")
        Traceback (most recent call last):
        ...
        ValueError: The 'metric' parameter of my_plot must be one of ... Got 'auc' instead.
        """
        if metric is None:
            return self.refit_metric
        if metric not in self.metrics:
            raise ValueError(
                f"The 'metric' parameter of {func} must be one of the metrics of "
                f"the search, {self.metrics!r}. Got {metric!r} instead."
            )
        return metric

    def scores(self, metric: str | None = None) -> np.ndarray:
        """Mean test score of each candidate (NaN for a failed fit).

        Parameters
        ----------
        metric : str or None, default=None
            Metric name; ``None`` for the refit metric.

        Returns
        -------
        scores : ndarray of shape (n_candidates,)

        Examples
        --------
        >>> from sktune.report import SearchResults
        >>> res = SearchResults({"params": [{"C": 0.1}, {"C": 1.0}, {"C": 10.0}],
        ...                      "mean_test_score": [0.8, 0.95, None]})
        >>> res.scores()
        array([0.8 , 0.95,  nan])
        """
        metric = self.check_metric(metric, "SearchResults.scores")
        return np.asarray(self.cv_results[f"mean_test_{metric}"], dtype=float)

    def stds(self, metric: str | None = None) -> np.ndarray:
        """Standard deviation of the test score across splits.

        Parameters
        ----------
        metric : str or None, default=None
            Metric name; ``None`` for the refit metric.

        Returns
        -------
        stds : ndarray of shape (n_candidates,)
            NaN everywhere when ``cv_results_`` has no ``std_test_*`` column.

        Examples
        --------
        >>> from sktune.report import SearchResults
        >>> results = {"params": [{"C": 0.1}, {"C": 1.0}], "mean_test_score": [0.8, 0.9]}
        >>> SearchResults(results).stds()
        array([nan, nan])
        >>> SearchResults({**results, "std_test_score": [0.02, 0.01]}).stds()
        array([0.02, 0.01])
        """
        metric = self.check_metric(metric, "SearchResults.stds")
        key = f"std_test_{metric}"
        if key not in self.cv_results:
            return np.full(self.n_candidates, np.nan)
        return np.asarray(self.cv_results[key], dtype=float)

    def column(self, key: str) -> np.ndarray | None:
        """A ``cv_results_`` column as an array, or ``None`` when absent.

        Parameters
        ----------
        key : str
            Column name (``"n_resources"``, ``"bracket"``...).

        Returns
        -------
        column : ndarray of shape (n_candidates,) or None

        Examples
        --------
        >>> from sktune.report import SearchResults
        >>> res = SearchResults({"params": [{"C": 0.1}, {"C": 1.0}], "mean_test_score": [0.8, 0.9],
        ...                      "n_resources": [30, 90]})
        >>> res.column("n_resources"), res.column("bracket")
        (array([30, 90]), None)
        """
        if key not in self.cv_results:
            return None
        return np.asarray(self.cv_results[key])

    def times(self) -> np.ndarray:
        """Seconds spent per candidate: mean fit plus score time, times the splits.

        ``cv_results_`` keeps no clock times, so this is the compute time
        of each candidate; its running sum equals wall time for a
        sequential search (``n_jobs=1``), less the search's own overhead.

        Returns
        -------
        seconds : ndarray of shape (n_candidates,)

        Examples
        --------
        Two splits of 0.5 s of fitting and 0.1 s of scoring, then two of 1 s
        and 0.1 s:

        >>> from sktune.report import SearchResults
        >>> res = SearchResults({
        ...     "params": [{"C": 0.1}, {"C": 1.0}], "mean_test_score": [0.8, 0.9],
        ...     "split0_test_score": [0.8, 0.9], "split1_test_score": [0.8, 0.9],
        ...     "mean_fit_time": [0.5, 1.0], "mean_score_time": [0.1, 0.1]})
        >>> res.n_splits, res.times()
        (2, array([1.2, 2.2]))
        """
        fit = self.column("mean_fit_time")
        score = self.column("mean_score_time")
        total = np.zeros(self.n_candidates)
        for part in (fit, score):
            if part is not None:
                total = total + np.nan_to_num(np.asarray(part, dtype=float))
        return total * self.n_splits

    def values(self, name: str) -> list[Any]:
        """Each candidate's value of parameter ``name`` (:data:`MISSING` if unset).

        Parameters
        ----------
        name : str
            Parameter name.

        Returns
        -------
        values : list

        Examples
        --------
        >>> from sktune.report import SearchResults
        >>> res = SearchResults({"params": [{"kernel": "rbf", "gamma": 0.1}, {"kernel": "linear"}],
        ...                      "mean_test_score": [0.9, 0.8]})
        >>> res.values("kernel"), res.values("gamma")
        (['rbf', 'linear'], [0.1, MISSING])
        """
        return [p.get(name, MISSING) for p in self.params]

    def axis(self, name: str) -> ParamAxis:
        """How parameter ``name`` is laid out on plot axes.

        Parameters
        ----------
        name : str
            Parameter name.

        Returns
        -------
        axis : ParamAxis

        Examples
        --------
        Without a search space, values that span decades evenly get a log
        axis:

        >>> from sktune.report import SearchResults
        >>> res = SearchResults({"params": [{"C": 0.01}, {"C": 1.0}, {"C": 100.0}],
        ...                      "mean_test_score": [0.7, 0.9, 0.8]})
        >>> res.axis("C")
        ParamAxis('C', 'log', low=0.01, high=100)
        """
        if name not in self._axes:
            dists = space_distributions(self.space, name)
            self._axes[name] = make_axis(name, self.values(name), dists)
        return self._axes[name]

    def check_params(self, params: Sequence[str] | None, func: str) -> list[str]:
        """Return ``params`` (all parameters when ``None``); raise on unknown names.

        Parameters
        ----------
        params : list of str or None
            Parameter names.
        func : str
            The public function asking, named in the error.

        Returns
        -------
        params : list of str

        Raises
        ------
        ValueError
            If a name is not a parameter of the search, or ``params`` is
            empty; the message names ``func``.

        Examples
        --------
        >>> from sktune.report import SearchResults
        >>> res = SearchResults({"params": [{"C": 1.0, "gamma": 0.1}], "mean_test_score": [0.9]})
        >>> res.check_params(None, "my_plot"), res.check_params("C", "my_plot")
        (['C', 'gamma'], ['C'])
        >>> res.check_params(["c"], "my_plot")
        Traceback (most recent call last):
        ...
        ValueError: The 'params' parameter of my_plot must list parameters ... Got ['c'] instead.
        """
        if params is None:
            return list(self.tuned_names)
        if isinstance(params, str):
            params = [params]
        unknown = [p for p in params if p not in self.tuned_names]
        if unknown or not params:
            raise ValueError(
                f"The 'params' parameter of {func} must list parameters of the "
                f"search, from {self.tuned_names!r}. Got {list(params)!r} instead."
            )
        return list(params)

    def best_index(self, metric: str | None = None) -> int | None:
        """Index of the candidate with the highest mean score (None if all failed).

        Parameters
        ----------
        metric : str or None, default=None
            Metric name; ``None`` for the refit metric.

        Returns
        -------
        index : int or None

        Examples
        --------
        >>> from sktune.report import SearchResults
        >>> params = [{"C": 0.1}, {"C": 1.0}, {"C": 10.0}]
        >>> SearchResults({"params": params, "mean_test_score": [0.8, None, 0.9]}).best_index()
        2
        >>> print(SearchResults({"params": params, "mean_test_score": [None] * 3}).best_index())
        None
        """
        scores = self.scores(metric)
        if not np.isfinite(scores).any():
            return None
        return int(np.nanargmax(np.where(np.isfinite(scores), scores, np.nan)))


def _check_cv_results(results, func):
    if not isinstance(results, Mapping) or "params" not in results or not any(
        k.startswith("mean_test_") for k in results
    ):
        keys = sorted(results)[:8] if isinstance(results, Mapping) else None
        raise ValueError(
            f"The 'search' argument of {func} must be a cv_results_ dict with a "
            f"'params' column and at least one 'mean_test_*' column. Got a dict with "
            f"keys {keys!r} instead."
        )
