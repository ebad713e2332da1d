"""The rows of multi-budget results (Hyperband, successive halving) that compare."""

import numpy as np

# What SearchResults.from_search keeps of multi-budget results (Hyperband,
# successive halving): the rows at the largest budget, which alone compare
# with each other and hold best_params_, or every row.
BUDGETS = ("full", "all")


def check_budgets(budgets, func):
    """Return ``budgets``; raise unless it is ``"full"`` or ``"all"``."""
    if not isinstance(budgets, str) or budgets not in BUDGETS:
        raise ValueError(
            f"The 'budgets' parameter of {func} must be 'full' (the rows at the largest "
            f"budget, which compare with each other) or 'all' (every evaluation). Got "
            f"{budgets!r} instead."
        )
    return budgets


def full_budget_rows(cv_results):
    """Rows at the largest ``n_resources``, or None when there is one budget."""
    if "n_resources" not in cv_results:
        return None
    budgets = np.asarray(cv_results["n_resources"], dtype=float)
    if len(np.unique(budgets)) < 2:
        return None
    return np.flatnonzero(budgets == budgets.max())


def take(cv_results, rows):
    """The ``cv_results_`` dict restricted to ``rows`` (masked columns stay masked)."""
    n = len(cv_results["params"])
    out = {}
    for key, column in cv_results.items():
        if isinstance(column, np.ndarray) and len(column) == n:
            out[key] = column[rows]
        elif isinstance(column, (list, tuple)) and len(column) == n:
            out[key] = [column[i] for i in rows]
        else:
            out[key] = column
    return out


def budget_params(params, budgets):
    """Names of the parameters that always equal the row's ``n_resources``.

    Such a parameter is the budget itself (``max_iter`` with
    ``resource="max_iter"``), not a hyperparameter.

    Examples
    --------
    >>> from sktune.report._budgets import budget_params
    >>> sorted(budget_params([{"C": 1, "max_iter": 3}, {"C": 2, "max_iter": 9}], [3, 9]))
    ['max_iter']
    """
    names = {n for p in params for n in p}
    out = set()
    for name in names:
        if all(name in p and _equal(p[name], b) for p, b in zip(params, budgets)):
            out.add(name)
    return out


def _equal(value, budget):
    try:
        return bool(value == budget)
    except (TypeError, ValueError):
        return False
