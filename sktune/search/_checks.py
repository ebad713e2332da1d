"""Checks of a search's arguments against its estimator and against what a fit can hold.

Each runs in ``fit`` before any model is fitted, so a bad argument costs
nothing, and says which argument to change.
"""

import numbers

from ._validation import check_value_allowed

# The most candidates a search lists before its first fit. GridSearch and
# RandomSearch build every candidate up front: at 10**5 candidates on two
# axes GridSearch took 1.5 s and 120 MB to reach its first fit, RandomSearch
# 29 s (sampler="random") and 19 s ("sobol"), so a million takes minutes and
# about a gigabyte before n_splits fits of each candidate even start.
MAX_CANDIDATES = 10**6


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_resource_takes_int(search, estimator, resource, min_resources, max_resources):
    """Raise unless ``estimator``'s parameter ``resource`` accepts Hyperband's int budgets.

    The budgets checked are the ones the search will set: ``min_resources``
    when given, and the largest budget, ``max_resources`` or else the
    parameter's current value (``1`` when that is no int, which refuses a
    parameter such as ``kernel`` all the same).

    Parameters
    ----------
    search : str
        Class name of the search, for the message.
    estimator : estimator object
        The search's estimator.
    resource : str
        Name of the parameter that holds the budget.
    min_resources, max_resources : int or None
        The search's arguments.

    Returns
    -------
    None

    Raises
    ------
    ValueError
        Naming ``resource``, if the estimator's constraints refuse a budget.

    Examples
    --------
    >>> from sklearn.svm import SVC
    >>> from sktune.search._checks import check_resource_takes_int
    >>> check_resource_takes_int("HyperbandSearch", SVC(), "max_iter", None, 27)
    >>> check_resource_takes_int("HyperbandSearch", SVC(), "kernel", None, 27)
    Traceback (most recent call last):
    ...
    ValueError: The 'resource' parameter of HyperbandSearch must name a parameter of SVC ...
    """
    largest = max_resources
    if largest is None:
        current = estimator.get_params(deep=True).get(resource)
        largest = current if _is_int(current) and current >= 1 else 1
    for budget in ([] if min_resources is None else [min_resources]) + [largest]:
        try:
            check_value_allowed(estimator, resource, budget)
        except ValueError as exc:
            raise ValueError(
                f"The 'resource' parameter of {search} must name a parameter of "
                f"{type(estimator).__name__} that takes an int budget. Got {resource!r} "
                f"instead, which refuses the budget {budget!r}: {exc}"
            ) from exc


def check_n_iter(search, n_iter, build_space, limit, reason):
    """Raise if ``n_iter`` asks for more candidates than ``limit`` and the space holds more.

    A finite space with at most ``limit`` candidates is fine whatever
    ``n_iter``: the search evaluates all of them, with a warning.

    Parameters
    ----------
    search : str
        Class name of the search, for the message.
    n_iter : int
        Candidates asked for.
    build_space : callable
        Returns the search's :class:`~sktune.space.SearchSpace`; called only
        when ``n_iter`` is above ``limit``.
    limit : int
        The most candidates the search can take.
    reason : str
        Why, for the message: what ``limit`` is.

    Returns
    -------
    None

    Raises
    ------
    ValueError
        Naming ``n_iter`` and ``limit``.

    Examples
    --------
    >>> from sktune.distributions import Uniform
    >>> from sktune.space import SearchSpace
    >>> from sktune.search._checks import check_n_iter
    >>> why = "the most candidates it lists"
    >>> check_n_iter("RandomSearch", 10**12, lambda: SearchSpace({"a": [1, 2]}), 100, why)
    >>> check_n_iter("RandomSearch", 10**12, lambda: SearchSpace({"a": Uniform(0, 1)}), 100, why)
    Traceback (most recent call last):
    ...
    ValueError: The 'n_iter' parameter of RandomSearch must be an int in the range [1, 100], the
    most candidates it lists. Got 1000000000000 instead.
    """
    if n_iter <= limit:
        return
    size = build_space().size
    if size <= limit:
        return
    held = "" if size == float("inf") else f", and the search space holds {size} candidates"
    raise ValueError(
        f"The 'n_iter' parameter of {search} must be an int in the range [1, {limit}], "
        f"{reason}. Got {n_iter!r} instead{held}."
    )
