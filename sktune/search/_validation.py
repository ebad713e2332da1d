"""Checks of a search space against the estimator, before any model is fitted.

One function, :func:`check_space`, serves the Python API (each search's
``fit``) and the command line (``sktune run``), so both reject a misspelled
name or a value the estimator's own ``_parameter_constraints`` forbid with
the same message, and before anything is fitted or written.
"""

from collections.abc import Iterable
from typing import Any

from sklearn.base import BaseEstimator

from .._compat import StrOptions, validate_parameter_constraints

# the one "did you mean" of sktune; it sits with the distributions, the
# lowest layer that needs it (distributions.parse names a misspelled class)
from ..distributions._checks import suggest


def _prefixes(name):
    parts = name.split("__")
    return ["__".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]


def invalid_name(estimator: BaseEstimator, names: Iterable[str]) -> str | None:
    """The first of ``names`` (one sub-space) that ``estimator`` cannot set, or None.

    A nested name (``clf__C``) is also accepted when one of its prefixes
    (``clf``) is among ``names``, since the estimator put there decides which
    names exist, and when the step it belongs to is not a scikit-learn
    ``BaseEstimator`` (which alone is known to reject names).

    Parameters
    ----------
    estimator : estimator object
        The search's estimator.
    names : collection of str
        The names of one sub-space.

    Returns
    -------
    name : str or None

    Examples
    --------
    >>> from sklearn.svm import SVC
    >>> from sktune.search import invalid_name
    >>> print(invalid_name(SVC(), ["C", "gamma"]))
    None
    >>> invalid_name(SVC(), ["C", "gama"])
    'gama'
    """
    if not hasattr(estimator, "get_params"):
        return None
    valid = estimator.get_params(deep=True)
    for name in names:
        prefixes = _prefixes(name)
        if name in valid or set(prefixes) & set(names):
            continue
        owner = next((valid[p] for p in prefixes if p in valid), estimator)
        if owner is not estimator and not isinstance(owner, BaseEstimator):
            # Only BaseEstimator.set_params is known to reject unknown
            # names; a third-party step may accept more than it lists.
            continue
        return name
    return None


def invalid_name_message(estimator: BaseEstimator, name: str, search: str) -> str:
    """The message for a searched ``name`` that ``estimator`` has not.

    Parameters
    ----------
    estimator : estimator object
        The search's estimator.
    name : str
        The name, from :func:`invalid_name`.
    search : str
        Class name of the search.

    Returns
    -------
    message : str
        Names the parameter, the search and the estimator, suggests the
        closest valid name and lists them all.

    Examples
    --------
    >>> from sklearn.svm import SVC
    >>> from sktune.search import invalid_name_message
    >>> invalid_name_message(SVC(), "gama", "RandomSearch")[:80]
    "Invalid parameter 'gama' in the search space of RandomSearch for estimator SVC ("
    """
    valid = estimator.get_params(deep=True)
    return (
        f"Invalid parameter {name!r} in the search space of {search} for "
        f"estimator {type(estimator).__name__}{suggest(name, valid)}. Valid "
        f"parameters are: {sorted(valid)!r}."
    )


def check_param_names(estimator: BaseEstimator, space: Any, search: str) -> None:
    """Raise if a searched name is not a parameter of ``estimator``.

    Parameters
    ----------
    estimator : estimator object
        The search's estimator.
    space : SearchSpace
        The parsed search space.
    search : str
        Class name of the search, for the message.

    Raises
    ------
    ValueError
        If a name cannot be set on ``estimator`` (:func:`invalid_name`); the
        message suggests the closest valid name and lists them all.

    Examples
    --------
    >>> from sklearn.svm import SVC
    >>> from sktune.search import check_param_names
    >>> from sktune.space import SearchSpace
    >>> check_param_names(SVC(), SearchSpace({"C": [1.0, 10.0]}), "GridSearch")
    >>> check_param_names(SVC(), SearchSpace({"CC": [1.0]}), "GridSearch")
    Traceback (most recent call last):
    ...
    ValueError: Invalid parameter 'CC' in the search space of ... SVC (did you mean 'C'?). ...
    """
    for sub in space.subspaces:
        name = invalid_name(estimator, sub)
        if name is not None:
            raise ValueError(invalid_name_message(estimator, name, search))


def _values_to_check(dist):
    """The values a user listed (a list or ``Categorical``'s choices).

    A range (``Integer(0, 10)``) is not checked: a value of it the estimator
    rejects is a failed fit, scored as ``error_score``, like any other.
    """
    return list(getattr(dist, "choices", ()))


def _owner_constraints(estimator, name):
    """The estimator owning ``name`` (``svc`` of ``svc__C``), the leaf name, its constraints."""
    owner_name, _, param = name.rpartition("__")
    owner = estimator
    if owner_name:
        params = estimator.get_params(deep=True) if hasattr(estimator, "get_params") else {}
        owner = params.get(owner_name)
    constraints = getattr(owner, "_parameter_constraints", None)
    if not isinstance(constraints, dict) or param not in constraints:
        return owner, param, None
    return owner, param, constraints[param]


def check_value_allowed(estimator: BaseEstimator, name: str, value: object) -> None:
    """Raise if ``estimator``'s own constraints refuse ``value`` for parameter ``name``.

    The constraints are the ``_parameter_constraints`` of the estimator that
    owns ``name`` (the step ``model`` for ``"model__kernel"``), checked with
    scikit-learn's own validation, so the message is the one its ``fit``
    would give. An estimator without constraints for ``name`` accepts
    anything.

    Parameters
    ----------
    estimator : estimator object
        The estimator, or a pipeline or meta-estimator holding it.
    name : str
        A parameter name as ``set_params`` takes it (``"model__kernel"``).
    value : object
        The value to check.

    Returns
    -------
    None

    Raises
    ------
    ValueError
        If the constraints refuse ``value``.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.svm import SVC
    >>> from sktune.search import check_value_allowed
    >>> pipe = make_pipeline(StandardScaler(), SVC())
    >>> check_value_allowed(pipe, "svc__C", 10.0)
    >>> check_value_allowed(pipe, "svc__C", -1.0)
    Traceback (most recent call last):
    ...
    ValueError: The 'C' parameter of SVC must be a float in the range (0.0, inf]. Got -1.0 instead.
    """
    owner, param, constraints = _owner_constraints(estimator, name)
    if constraints is None:
        return
    try:
        validate_parameter_constraints(
            {param: constraints}, {param: value}, caller_name=type(owner).__name__
        )
    except ValueError as exc:  # scikit-learn's InvalidParameterError
        raise ValueError(str(exc)) from exc


def check_value(estimator: BaseEstimator, name: str, value: object, search: str) -> None:
    """Raise if the estimator's own constraints reject ``value`` for ``name``.

    Parameters
    ----------
    estimator : estimator object
        The search's estimator (not changed).
    name : str
        A parameter name of ``estimator`` (``svc__kernel`` in a pipeline).
    value : object
        A value the search would set.
    search : str
        Class name of the search, for the message.

    Raises
    ------
    ValueError
        If the ``_parameter_constraints`` of the estimator that owns ``name``
        reject the value (:func:`check_value_allowed`); the message names the
        searched parameter, the search and the value, and suggests the
        closest allowed string.

    Examples
    --------
    >>> from sklearn.svm import SVC
    >>> from sktune.search import check_value
    >>> check_value(SVC(), "kernel", "rbf", "GridSearch")
    >>> check_value(SVC(), "kernel", "rbff", "GridSearch")
    Traceback (most recent call last):
    ...
    ValueError: Invalid value 'rbff' for parameter 'kernel' ... (did you mean 'rbf'?): ...
    """
    try:
        check_value_allowed(estimator, name, value)
    except ValueError as exc:
        _, _, constraints = _owner_constraints(estimator, name)
        options = [o for c in constraints or () if isinstance(c, StrOptions) for o in c.options]
        hint = suggest(value, options) if isinstance(value, str) else ""
        raise ValueError(
            f"Invalid value {value!r} for parameter {name!r} in the search space of "
            f"{search}{hint}: {exc}"
        ) from None


def check_space(estimator: BaseEstimator, space: Any, search: str, *,
                values: bool = True) -> None:
    """The one structural check of a search space against its estimator.

    Every name must be a parameter of ``estimator`` (:func:`check_param_names`)
    and every value listed (the choices of a list or ``Categorical``) must
    pass the estimator's own ``_parameter_constraints`` (:func:`check_value`),
    so a typo fails before any model is fitted instead of leaving failed fits.

    Parameters
    ----------
    estimator : estimator object
        The search's estimator.
    space : SearchSpace
        The parsed search space.
    search : str
        Class name of the search, for the message.
    values : bool, default=True
        Also check the listed values; names only when False.

    Raises
    ------
    ValueError
        On the first unknown name or rejected value.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.svm import SVC
    >>> from sktune.search import check_space
    >>> from sktune.space import SearchSpace
    >>> pipe = make_pipeline(StandardScaler(), SVC())
    >>> check_space(pipe, SearchSpace({"svc__kernel": ["rbf", "linear"]}), "GridSearch")
    >>> check_space(pipe, SearchSpace({"svc__kernel": ["rbf", "rbff"]}), "GridSearch")
    Traceback (most recent call last):
    ...
    ValueError: Invalid value 'rbff' for parameter 'svc__kernel' ... (did you mean 'rbf'?): ...
    """
    check_param_names(estimator, space, search)
    if not values:
        return
    for sub in space.subspaces:
        for name, dist in sub.items():
            if searched_step(estimator, name, sub):
                continue
            for value in _values_to_check(dist):
                check_value(estimator, name, value, search)


def searched_step(estimator: BaseEstimator, name: str, names: Iterable[str]) -> bool:
    """Whether ``name``'s value cannot be checked alone: its step is searched too.

    Parameters
    ----------
    estimator : estimator object
        The search's estimator.
    name : str
        A searched name.
    names : collection of str
        The names searched with it (one sub-space or one candidate).

    Returns
    -------
    searched : bool
        True when ``name`` is not a parameter of ``estimator`` as it is, or
        a prefix of it (the step that owns it) is among ``names``.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.svm import SVC
    >>> from sktune.search import searched_step
    >>> pipe = make_pipeline(SVC())
    >>> searched_step(pipe, "svc__C", ["svc__C"]), searched_step(pipe, "svc__C", ["svc", "svc__C"])
    (False, True)
    """
    valid = estimator.get_params(deep=True) if hasattr(estimator, "get_params") else {}
    return name not in valid or bool(set(_prefixes(name)) & set(names))
