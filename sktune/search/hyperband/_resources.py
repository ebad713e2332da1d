"""The budget of a Hyperband search: its checks and bounds, subsampled folds, partial_fit passes."""

import inspect

import numpy as np
from sklearn.base import BaseEstimator, clone, is_classifier
from sklearn.ensemble import (
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets, type_of_target

from .._checks import _is_int, check_resource_takes_int
from .._validation import suggest

_SPECIAL_RESOURCES = ("n_samples", "partial_fit")

# The paper's running example (R = 81, eta = 3) has five brackets. Default
# budgets give at most that many: with more, the most aggressive bracket
# draws eta**s_max configurations and ranks them on budgets too small to
# tell them apart (the paper's section 5 discusses this trade-off).
_DEFAULT_MAX_HALVINGS = 4

# Key of the number of partial_fit passes in the candidates evaluated with
# resource="partial_fit"; it is removed from cv_results_["params"] and
# best_params_ after the search (the n_resources column keeps the value).
_EPOCHS = "partial_fit_epochs"


def drop_epochs(results):
    """Remove the epoch count of ``resource="partial_fit"`` from results' params.

    Also for results rebuilt from a checkpoint, whose records keep it; the
    ``n_resources`` column holds the same number.
    """
    results["params"] = [{k: v for k, v in p.items() if k != _EPOCHS} for p in results["params"]]
    results.pop(f"param_{_EPOCHS}", None)
    return results


def resource_kind(resource):
    """``"n_samples"``, ``"partial_fit"``, or ``"parameter"`` for an estimator parameter."""
    if resource in _SPECIAL_RESOURCES:
        return resource
    return "parameter"


def check_resource(search, estimator, resource, min_resources, max_resources):
    """Raise unless ``resource`` fits ``estimator`` (the user's).

    ``resource``, ``min_resources`` and ``max_resources`` are the search's
    arguments as given; ``search`` is its class name, for the messages.

    Raises
    ------
    ValueError
        If the estimator has no such parameter, no ``partial_fit``, or its
        parameter refuses an int budget.
    """
    if resource == "partial_fit":
        if not hasattr(estimator, "partial_fit"):
            raise ValueError(
                f"The 'resource' parameter of {search} can be 'partial_fit' only for an "
                f"estimator with a partial_fit method; {type(estimator).__name__} has "
                f"none. Use resource='n_samples' or an iteration parameter such as "
                f"'max_iter' instead."
            )
        if max_resources is None:
            raise ValueError(
                f"The 'max_resources' parameter of {search} must be set with "
                f"resource='partial_fit': the number of partial_fit passes of the "
                f"largest budget cannot be guessed. Got None instead; try "
                f"max_resources=27."
            )
        return
    if resource == "n_samples":
        return
    valid = estimator.get_params(deep=True) if hasattr(estimator, "get_params") else {}
    if resource not in valid:
        # a step's own name (max_iter of a pipeline's sgdclassifier) first
        nested = [v for v in valid if v.endswith(f"__{resource}")]
        hint = f" (did you mean {nested[0]!r}?)" if nested else suggest(resource, valid)
        raise ValueError(
            f"The 'resource' parameter of {search} must be 'n_samples', 'partial_fit' "
            f"or the name of a parameter of {type(estimator).__name__}. Got "
            f"{resource!r} instead{hint}. Valid parameters are: {sorted(valid)!r}."
        )
    check_resource_takes_int(search, estimator, resource, min_resources, max_resources)


def resource_bounds(search, estimator, resource, y, cv, *, min_resources, max_resources, eta):
    """The smallest and the largest budget of a fit.

    Parameters
    ----------
    search : str
        Class name of the search, for the messages.
    estimator : estimator object
        The search's estimator, whose resource :func:`check_resource` accepted.
    resource : str
        The search's ``resource``.
    y : array-like or None
        The target, whose classes raise the smallest sample count.
    cv : FixedSplits
        The fit's folds, split once.
    min_resources, max_resources : int or None
        The search's arguments; ``None`` takes the defaults that
        :class:`HyperbandSearch` documents.
    eta : int
        Halving rate.

    Returns
    -------
    min_resources, max_resources : int
    """
    hi, floor = _largest_budget(search, estimator, resource, y, cv, max_resources)
    if min_resources is None:
        lo = min(max(floor, hi // eta**_DEFAULT_MAX_HALVINGS), hi)
    else:
        lo = min_resources
        if lo > hi:
            raise ValueError(
                f"The 'min_resources' parameter of {search} must be at most "
                f"max_resources ({hi}). Got {lo!r} instead."
            )
    return int(lo), int(hi)


def _largest_budget(search, estimator, resource, y, cv, max_resources):
    """The largest budget, and the smallest that a default ``min_resources`` may take."""
    kind = resource_kind(resource)
    if kind == "n_samples":
        n_splits = cv.get_n_splits()
        largest = max(len(train) for train, _ in cv.split())
        if max_resources is not None and max_resources > largest:
            raise ValueError(
                f"The 'max_resources' parameter of {search} must be at most the number "
                f"of samples in the largest training fold ({largest}) with "
                f"resource='n_samples'. Got {max_resources!r} instead."
            )
        # scikit-learn's min_resources="smallest" of the halving searches
        floor = 2 * n_splits
        if is_classifier(estimator) and y is not None:
            y_arr = np.asarray(y)
            if type_of_target(y_arr) in ("binary", "multiclass"):
                floor *= len(np.unique(y_arr))
        return (largest if max_resources is None else max_resources), floor
    if kind == "parameter" and max_resources is None:
        current = estimator.get_params(deep=True)[resource]
        if not _is_int(current) or current < 1:
            raise ValueError(
                f"The 'max_resources' parameter of {search} must be set when the "
                f"current value of {resource!r} is not an int >= 1. Got None "
                f"instead, and {type(estimator).__name__} has "
                f"{resource}={current!r}."
            )
        return int(current), 1
    return max_resources, 1


# Boosting whose rounds are the resource. Set to more rounds and fitted
# again with warm_start=True, a fitted model only adds the new rounds, and
# ends equal to one trained from scratch (the same trees, for a fixed
# random_state; checked by the tests) unless early stopping is on: its
# count of rounds without progress restarts at every fit.
_BOOSTING_ROUNDS = (
    ((HistGradientBoostingClassifier, HistGradientBoostingRegressor), "max_iter"),
    ((GradientBoostingClassifier, GradientBoostingRegressor), "n_estimators"),
)
# HistGradientBoosting's early_stopping="auto" is on above this many samples
_HGB_AUTO_EARLY_STOPPING = 10_000


def warm_start_param(estimator, resource):
    """The ``warm_start`` parameter that lets ``resource`` add rounds to a fit.

    Parameters
    ----------
    estimator : estimator object
        The search's estimator (a pipeline's step is found by its prefix).
    resource : str
        An estimator parameter name, such as ``"max_iter"`` or
        ``"gbc__n_estimators"``.

    Returns
    -------
    name : str or None
        ``"warm_start"`` with the resource's prefix, when the resource is the
        number of rounds of one of scikit-learn's gradient boosting
        estimators; None otherwise.
    """
    prefix, _, name = resource.rpartition("__")
    owner = estimator.get_params(deep=True).get(prefix) if prefix else estimator
    for classes, rounds in _BOOSTING_ROUNDS:
        if isinstance(owner, classes) and name == rounds:
            return f"{prefix}__warm_start" if prefix else "warm_start"
    return None


def continues_rounds(trainer, resource, searched, n_train):
    """Whether a promoted candidate can continue its fold models by warm start.

    True when :func:`warm_start_param` finds the boosting estimator and early
    stopping is off for every candidate, so that a continued model equals one
    trained from scratch with the larger budget.

    Parameters
    ----------
    trainer : estimator object
        The estimator the candidates are set on.
    resource : str
        The search's ``resource``.
    searched : collection of str
        The parameter names of the search space.
    n_train : int
        Samples of the largest training fold.

    Returns
    -------
    bool
    """
    key = warm_start_param(trainer, resource)
    if key is None:
        return False
    prefix = key[: -len("warm_start")]
    params = trainer.get_params(deep=True)
    if f"{prefix}early_stopping" in params:  # HistGradientBoosting
        if f"{prefix}early_stopping" in searched:
            return False
        stops = params[f"{prefix}early_stopping"]
        return stops is False or (stops == "auto" and n_train <= _HGB_AUTO_EARLY_STOPPING)
    stopper = f"{prefix}n_iter_no_change"  # GradientBoosting
    return stopper not in searched and params[stopper] is None


def continues(continue_training, resource):
    """A proposer's ``continue_training`` argument resolved for ``resource``."""
    if continue_training is None:
        return resource == "partial_fit"
    return bool(continue_training) and resource != "n_samples"


def partial_fit_trainer(estimator, y, fit_params):
    """The wrapper that trains ``estimator`` by passes of ``partial_fit``.

    Parameters
    ----------
    estimator : estimator object
        The search's estimator, with a ``partial_fit`` method.
    y : array-like or None
        The whole target.
    fit_params : dict
        The user's fit parameters, routed to the estimator.

    Returns
    -------
    trainer : _PartialFitEpochs
    """
    classes = None
    if "classes" not in fit_params and y is not None and is_classifier(estimator):
        # partial_fit needs every class on its first call; a training fold
        # may miss some. A bad target gets scikit-learn's own message.
        check_classification_targets(y)
        y_arr = np.asarray(y)
        if type_of_target(y_arr) in ("binary", "multiclass"):
            classes = np.unique(y_arr)
    return _PartialFitEpochs(estimator, classes=classes)


def _subsample_positions(n_total, n_keep, seed, labels=None):
    """Positions of a deterministic subsample of ``n_keep`` out of ``n_total``.

    The positions are the first ``n_keep`` of a fixed random order, so the
    subsample at a larger budget contains the one at a smaller budget (the
    same seed, the same order). With ``labels``, the order starts with one
    member of each class and then interleaves the classes in proportion to
    their frequencies, so every prefix is stratified and holds every class
    once it has at least as many samples as there are classes.
    """
    rng = np.random.RandomState(seed)
    if labels is None:
        order = rng.permutation(n_total)
    else:
        keys = np.empty(n_total)
        for cls in np.unique(labels):
            members = rng.permutation(np.flatnonzero(labels == cls))
            offset = rng.uniform()
            # member j of a class of size m sits at (j + offset) / m in [0, 1):
            # evenly spread, so a prefix holds each class in proportion.
            keys[members] = (np.arange(len(members)) + offset) / len(members)
            keys[members[0]] = offset - 1.0  # one of each class first
        order = np.argsort(keys, kind="stable")
    return np.sort(order[:n_keep])


class _SubsampledTrainCV:
    """A splitter whose training folds are subsampled to ``n_samples``.

    Test folds are the base splitter's, untouched. Each fold gets its own
    seed (``seed + fold``), fixed across budgets, so the subsample at a
    larger budget contains the one at a smaller budget whenever the base
    splitter yields the same folds at each call.

    Parameters
    ----------
    cv : cross-validation generator
        The search's checked splitter.
    n_samples : int
        Training samples kept per fold (all of them if the fold is smaller).
    seed : int
        Seed of the subsampling.
    stratify : bool
        Keep class proportions (classifiers with a binary or multiclass
        target).
    """

    def __init__(self, cv, n_samples, seed, stratify):
        self.cv = cv
        self.n_samples = n_samples
        self.seed = seed
        self.stratify = stratify

    def get_n_splits(self, X=None, y=None, groups=None):
        return self.cv.get_n_splits(X, y, groups)

    def split(self, X, y=None, groups=None, **params):
        labels = None
        if self.stratify and y is not None:
            y_arr = np.asarray(y)
            if type_of_target(y_arr) in ("binary", "multiclass"):
                labels = y_arr
        for fold, (train, test) in enumerate(self.cv.split(X, y, groups, **params)):
            train = np.asarray(train)
            if len(train) > self.n_samples:
                fold_labels = None if labels is None else labels[train]
                keep = _subsample_positions(
                    len(train), self.n_samples, self.seed + fold, fold_labels
                )
                train = train[keep]
            yield train, test

    def __repr__(self):
        return f"_SubsampledTrainCV({self.cv!r}, n_samples={self.n_samples})"


def _delegates(method):
    def check(self):
        return hasattr(self.estimator_ if hasattr(self, "estimator_") else self.estimator, method)

    return check


class _PartialFitEpochs(BaseEstimator):
    """Fit ``estimator`` by ``partial_fit_epochs`` passes of ``partial_fit``.

    Used by HyperbandSearch with ``resource="partial_fit"`` in place of the
    user's estimator while the search runs. ``set_params`` sends every name
    but ``partial_fit_epochs`` to the inner estimator, so candidates use the
    user's parameter names.

    The first fit trains a fresh clone. Fitting a fitted wrapper again
    continues its model (as ``warm_start=True`` does in scikit-learn) up to
    ``partial_fit_epochs`` passes in all: the search sends a promoted
    candidate's fold model of the previous rung back to the same training
    fold with more passes. Successive ``partial_fit`` calls are the same
    computation in one fit or over several, so the model equals one trained
    from scratch. A model already trained for more passes is not continued:
    a fresh clone is trained.

    Parameters
    ----------
    estimator : estimator object
        Implements ``partial_fit``.
    partial_fit_epochs : int, default=1
        Passes over the training data.
    classes : ndarray or None, default=None
        All classes of the target, given to the first ``partial_fit`` call of
        a classifier (a training fold may miss some).

    Attributes
    ----------
    estimator_ : estimator object
        The trained clone of ``estimator``.
    n_epochs_ : int
        Passes of ``partial_fit`` it has had in all.
    """

    def __init__(self, estimator, partial_fit_epochs=1, classes=None):
        self.estimator = estimator
        self.partial_fit_epochs = partial_fit_epochs
        self.classes = classes

    def get_params(self, deep=True):
        params = {
            "estimator": self.estimator,
            "partial_fit_epochs": self.partial_fit_epochs,
            "classes": self.classes,
        }
        if deep:
            # The search checks its parameter names against these: the
            # user's names, unprefixed.
            params = {**self.estimator.get_params(deep=True), **params}
        return params

    def set_params(self, **params):
        if _EPOCHS in params:
            self.partial_fit_epochs = params.pop(_EPOCHS)
        if params:
            self.estimator.set_params(**params)
        return self

    def __sklearn_tags__(self):
        return get_tags(self.estimator)

    def fit(self, X, y=None, **fit_params):
        done = getattr(self, "n_epochs_", 0)
        first = {}
        if 0 < done <= self.partial_fit_epochs:
            est = self.estimator_
        else:
            est, done = clone(self.estimator), 0
            if (
                self.classes is not None
                and "classes" in inspect.signature(est.partial_fit).parameters
            ):
                first = {"classes": self.classes}
        args = (X,) if y is None else (X, y)
        # a failed pass leaves no model that could be continued by mistake
        self.n_epochs_ = 0
        for _ in range(self.partial_fit_epochs - done):
            # the user's fit parameters win: fit(X, y, classes=...) is the
            # usual partial_fit convention and must not be passed twice
            est.partial_fit(*args, **{**first, **fit_params})
            first = {}
        self.estimator_ = est
        self.n_epochs_ = self.partial_fit_epochs
        return self

    @available_if(_delegates("predict"))
    def predict(self, X, **params):
        return self.estimator_.predict(X, **params)

    @available_if(_delegates("predict_proba"))
    def predict_proba(self, X, **params):
        return self.estimator_.predict_proba(X, **params)

    @available_if(_delegates("predict_log_proba"))
    def predict_log_proba(self, X, **params):
        return self.estimator_.predict_log_proba(X, **params)

    @available_if(_delegates("decision_function"))
    def decision_function(self, X, **params):
        return self.estimator_.decision_function(X, **params)

    @available_if(_delegates("transform"))
    def transform(self, X, **params):
        return self.estimator_.transform(X, **params)

    @available_if(_delegates("score"))
    def score(self, X, y=None, **params):
        return self.estimator_.score(X, y, **params)

    @property
    def classes_(self):
        return self.estimator_.classes_

    @property
    def n_features_in_(self):
        return self.estimator_.n_features_in_

    @property
    def feature_names_in_(self):
        return self.estimator_.feature_names_in_

