"""Checks of a search's arguments against what a fit can hold.

Each runs in ``fit`` before any model is fitted, so a bad argument costs
nothing, and says which argument to change.
"""

# The most candidates a search lists before its first fit. GridSearch and
# RandomSearch build every candidate up front: at 10**5 candidates on two
# axes GridSearch took 1.5 s and 120 MB to reach its first fit, RandomSearch
# 29 s (sampler="random") and 19 s ("sobol"), so a million takes minutes and
# about a gigabyte before n_splits fits of each candidate even start.
MAX_CANDIDATES = 10**6


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
