"""What a search may start from: candidates to try first, and earlier results.

``initial_candidates`` are parameter dicts a search evaluates before any it
draws; ``prior_results`` (BayesSearch) are scores measured earlier, told to
the optimizer as observations and never refitted. Both are checked against
the search space in ``fit``, before any model is fitted or file created.
"""

import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..distributions import Distribution, is_scipy_frozen
from ..space import SearchSpace, candidate_key


def _names_message(params, space):
    """Why the names of ``params`` match no sub-space: which are extra, which missing."""
    names = set(params)
    # the sub-space closest in names says the least surprising thing
    sub = min(space.subspaces, key=lambda s: len(names ^ set(s)))
    parts = []
    if unknown := sorted(names - set(sub)):
        parts.append(f"{', '.join(map(repr, unknown))} not in the search space")
    if missing := sorted(set(sub) - names):
        parts.append(f"{', '.join(map(repr, missing))} missing")
    return "; ".join(parts)


def _fits(dist, value):
    """Whether ``dist`` can take ``value`` (the check ``SearchSpace.encode`` makes)."""
    try:
        SearchSpace({"v": dist}).encode([{"v": value}])
    except ValueError:
        return False
    return True


def _bad_value(params, space):
    """``(name, value)`` of the first value of ``params`` its distribution cannot take.

    Looked for in the first sub-space with the names of ``params``: when
    ``space.encode`` refuses such a row, that sub-space refuses a value.
    """
    sub = next(s for s in space.subspaces if set(s) == set(params))
    return next((n, params[n]) for n, d in sub.items() if not _fits(d, params[n]))


def check_candidate_rows(
    rows: Any, space: SearchSpace, what: str, search: str
) -> np.ndarray:
    """Check parameter dicts against ``space``; return their unit-cube rows.

    Each dict must hold the names of one sub-space, each value one its
    distribution can take.

    Parameters
    ----------
    rows : sequence of dict
        The candidates.
    space : SearchSpace
        The search's space.
    what : str
        How the message names a row, formatted with its index:
        ``"initial_candidates[{}]"``.
    search : str
        Class name of the search, for the message.

    Returns
    -------
    U : ndarray of shape (n_rows, n_dims)
        The rows in the unit cube of ``space``.

    Raises
    ------
    TypeError
        If a row is not a dict of str to values, or holds a distribution.
    ValueError
        If a row's names or values do not fit ``space``.

    Examples
    --------
    >>> from sktune.distributions import LogUniform
    >>> from sktune.space import SearchSpace
    >>> from sktune.search._warm_start import check_candidate_rows
    >>> space = SearchSpace({"C": LogUniform(0.01, 100)})
    >>> check_candidate_rows([{"C": 1.0}], space, "initial_candidates[{}]", "BayesSearch")
    array([[0.5]])
    >>> check_candidate_rows([{"C": 1e3}], space, "initial_candidates[{}]", "BayesSearch")
    Traceback (most recent call last):
    ...
    ValueError: initial_candidates[0] of BayesSearch sets 'C' to 1000.0, a value outside ...
    """
    out = []
    for i, params in enumerate(rows):
        where = what.format(i)
        if not isinstance(params, Mapping) or not all(isinstance(n, str) for n in params):
            raise TypeError(
                f"{where} of {search} must be a dict of parameter names to values. "
                f"Got {params!r} instead."
            )
        for name, value in params.items():
            if isinstance(value, Distribution) or is_scipy_frozen(value):
                raise TypeError(
                    f"{where} of {search} must set {name!r} to a value, not a "
                    f"distribution. Got {value!r} instead."
                )
        if not any(set(sub) == set(params) for sub in space.subspaces):
            raise ValueError(
                f"{where} of {search} must set the parameters of its search space "
                f"{sorted(space.names)!r}: {_names_message(params, space)}. "
                f"Got {dict(params)!r} instead."
            )
        try:
            out.append(space.encode([params])[0])
            continue
        except ValueError:
            pass
        # which value, for the message: checked one axis at a time
        name, value = _bad_value(params, space)
        dist = next(s[name] for s in space.subspaces if set(s) == set(params))
        raise ValueError(
            f"{where} of {search} sets {name!r} to {value!r}, a value outside "
            f"the support of its distribution {dist!r}."
        )
    return np.array(out, dtype=float).reshape(len(out), space.n_dims)


def check_initial_candidates(
    candidates: Sequence[Mapping[str, Any]] | None, space: SearchSpace, n_iter: int,
    search: str,
) -> list[dict[str, Any]]:
    """The ``initial_candidates`` of a search, checked: distinct, at most ``n_iter``.

    Parameters
    ----------
    candidates : list of dict or None
        The parameter.
    space : SearchSpace
        The search's space.
    n_iter : int
        The search's budget of candidates, which the initial ones count in.
    search : str
        Class name of the search, for the message.

    Returns
    -------
    candidates : list of dict
        Copies of the candidates, in order; empty for ``None``.

    Raises
    ------
    TypeError, ValueError
        Naming the parameter, the index of the candidate and its value.

    Examples
    --------
    >>> from sktune.space import SearchSpace
    >>> from sktune.search._warm_start import check_initial_candidates
    >>> space = SearchSpace({"C": [1, 10, 100]})
    >>> check_initial_candidates([{"C": 10}], space, 5, "RandomSearch")
    [{'C': 10}]
    >>> check_initial_candidates([{"C": 10}, {"C": 10}], space, 5, "RandomSearch")
    Traceback (most recent call last):
    ...
    ValueError: initial_candidates[1] of RandomSearch repeats initial_candidates[0]: {'C': 10}. ...
    """
    if candidates is None:
        return []
    if not isinstance(candidates, (list, tuple)):
        raise TypeError(
            f"The 'initial_candidates' parameter of {search} must be a list of dicts of "
            f"parameter names to values, or None. Got {candidates!r} instead."
        )
    if len(candidates) > n_iter:
        raise ValueError(
            f"The 'initial_candidates' parameter of {search} must hold at most n_iter="
            f"{n_iter} candidates: they count in n_iter. Got {len(candidates)} instead; "
            "raise n_iter or list fewer."
        )
    check_candidate_rows(candidates, space, "initial_candidates[{}]", search)
    seen: dict[tuple[Any, ...], int] = {}
    for i, params in enumerate(candidates):
        key = candidate_key(params)
        if key in seen:
            raise ValueError(
                f"initial_candidates[{i}] of {search} repeats initial_candidates"
                f"[{seen[key]}]: {dict(params)!r}. A search evaluates each candidate once."
            )
        seen[key] = i
    return [dict(p) for p in candidates]


def _score_column(results, refit, search):
    """The column of ``results`` the search's own scores are compared with."""
    keys = [k for k in results if k.startswith("mean_test_")]
    if isinstance(refit, str) and f"mean_test_{refit}" in results:
        return f"mean_test_{refit}"
    if "mean_test_score" in results:
        return "mean_test_score"
    if isinstance(refit, str) or not keys:
        wanted = f"'mean_test_{refit}' or " if isinstance(refit, str) else ""
        raise ValueError(
            f"The 'prior_results' parameter of {search} must hold the scores of its "
            f"candidates in a column {wanted}'mean_test_score'. Got columns "
            f"{sorted(results)!r} instead."
        )
    # multi-metric without a named refit: the first metric, as the search does
    return sorted(keys)[0]


def _prior_table(prior, search):
    """``(cv_results-like dict, source)`` of a ``prior_results`` value."""
    if isinstance(prior, (str, os.PathLike)):
        # imported here: _stored imports hyperband, which imports _random, which
        # imports this module
        from ._stored import results_from_checkpoint

        # read-only and without unpickling: the store holds JSON columns only
        return results_from_checkpoint(prior), "checkpoint"
    if isinstance(prior, Mapping):
        return prior, "dict"
    if hasattr(prior, "get_params") and hasattr(prior, "fit"):
        results = getattr(prior, "cv_results_", None)
        if results is None:
            raise ValueError(
                f"The 'prior_results' parameter of {search} got an unfitted "
                f"{type(prior).__name__}: fit it first, or pass its cv_results_ dict "
                "(a clone of the warm-started search clones the prior search too, "
                "unfitted; a dict survives cloning)."
            )
        return results, "search"
    raise TypeError(
        f"The 'prior_results' parameter of {search} must be a cv_results_ dict, a "
        f"fitted search, a checkpoint path or None. Got {prior!r} (of type "
        f"{type(prior).__name__}) instead."
    )


def prior_observations(
    prior: Any, space: SearchSpace, refit: Any, search: str
) -> tuple[np.ndarray, np.ndarray]:
    """The unit-cube rows and scores of a ``prior_results`` value.

    Parameters
    ----------
    prior : dict, fitted search, str, path-like or None
        A ``cv_results_``-like dict (``params`` and ``mean_test_<metric>``),
        a fitted search, or the path of a checkpoint of the same space.
    space : SearchSpace
        The search's space.
    refit : bool, str or callable
        The search's ``refit``: a metric name picks ``mean_test_<refit>``.
    search : str
        Class name of the search, for the message.

    Returns
    -------
    U : ndarray of shape (n_rows, n_dims)
        The rows, in the order of ``prior``.
    scores : ndarray of shape (n_rows,)
        Their scores; NaN for a failed row.

    Raises
    ------
    TypeError, ValueError
        If ``prior`` is not one of the above, lacks the score column, or holds
        a row its space does not.

    Examples
    --------
    >>> from sktune.distributions import LogUniform
    >>> from sktune.space import SearchSpace
    >>> from sktune.search._warm_start import prior_observations
    >>> space = SearchSpace({"C": LogUniform(0.01, 100)})
    >>> prior = {"params": [{"C": 0.1}, {"C": 10.0}], "mean_test_score": [0.7, 0.9]}
    >>> U, scores = prior_observations(prior, space, True, "BayesSearch")
    >>> U.round(2).tolist(), scores.tolist()
    ([[0.25], [0.75]], [0.7, 0.9])
    """
    if prior is None:
        return np.empty((0, space.n_dims)), np.empty(0)
    results, source = _prior_table(prior, search)
    params = results.get("params")
    if not isinstance(params, (list, tuple, np.ndarray)):
        raise ValueError(
            f"The 'prior_results' parameter of {search} must hold a 'params' list of "
            f"candidate dicts. Got {params!r} instead."
        )
    column = _score_column(results, refit, search)
    try:
        scores = np.asarray(results[column], dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(
            f"The {column!r} column of the 'prior_results' parameter of {search} must "
            f"hold numbers. Got {results[column]!r} instead."
        ) from None
    if len(scores) != len(params):
        raise ValueError(
            f"The 'prior_results' parameter of {search} must hold one {column!r} per "
            f"candidate. Got {len(scores)} scores for {len(params)} candidates instead."
        )
    if source == "checkpoint":
        # names first: a checkpoint of another space is refused as a whole
        recorded = sorted({n for p in params for n in p})
        if recorded != sorted(space.names):
            extra = sorted(set(recorded) - set(space.names))
            missing = sorted(set(space.names) - set(recorded))
            raise ValueError(
                f"The checkpoint {str(prior)!r} given as 'prior_results' of {search} "
                f"holds another search space: names only in the checkpoint {extra!r}, "
                f"only in this search {missing!r}."
            )
    U = check_candidate_rows(list(params), space, "prior_results row {}", search)
    # an infinite score (error_score=-np.inf) is a failed fit too
    return U, np.where(np.isfinite(scores), scores, np.nan)
