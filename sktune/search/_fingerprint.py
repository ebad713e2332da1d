"""What makes two runs of a search comparable, as a dict of named hashes."""

import joblib
import numpy as np
from sklearn.base import clone

# Settings that change how long a search runs or how it is executed, not what
# its candidates score: a checkpoint may be continued with other values.
RUN_SETTINGS = frozenset(
    {"n_iter", "n_jobs", "verbose", "pre_dispatch", "checkpoint", "max_time",
     "n_iter_no_change", "tol", "fit_timeout"}
)
# Warm-start arguments left at None are not hashed: a checkpoint written
# before they existed still resumes.
_HASHED_UNLESS_NONE = frozenset({"initial_candidates", "prior_results"})


def _hash(value):
    return joblib.hash(value)


def fingerprint(search, X, y, fit_params, splits):
    """Hash everything that decides a candidate's scores and the search's path.

    Parameters
    ----------
    search : BaseSearch
        The search being fitted.
    X, y : array-like
        The data.
    fit_params : dict
        Routed fit parameters of the estimator.
    splits : list of (train, test)
        The search's cross-validation splits.

    Returns
    -------
    fingerprint : dict of str -> str
        Component name -> hash; the names appear in mismatch errors.
    """
    settings = {
        k: v
        for k, v in search.get_params(deep=False).items()
        # the estimator, space, scoring and cv have entries of their own
        if k not in RUN_SETTINGS
        and k not in ("estimator", "scoring", "cv", search._space_param)
        and not (k == "refit" and isinstance(v, bool))
        and not (k in _HASHED_UNLESS_NONE and v is None)
    }
    if settings.get("prior_results") is not None:
        # what the optimizer is told, not the object it came from: a fitted
        # search or a dict of masked arrays does not hash stably
        settings["prior_results"] = search._prior_arrays()
    out = {
        "estimator": _hash(clone(search.estimator)),
        "scoring": _hash(search.scoring),
        "cv splits": _hash([(np.asarray(tr), np.asarray(te)) for tr, te in splits]),
        "X": _hash(X),
        "y": _hash(y),
        "fit parameters": _hash(fit_params),
        "search settings": _hash(settings),
    }
    if search._space_in_fingerprint:
        out["search space"] = _hash(search._space_argument())
    return out


def compare(stored, current):
    """Names of the components that differ (``[]`` when all match)."""
    return sorted(k for k in set(stored) | set(current) if stored.get(k) != current.get(k))
