"""What a Hyperband budget does to training: subsampled folds, partial_fit passes."""

import inspect

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import type_of_target

_SPECIAL_RESOURCES = ("n_samples", "partial_fit")

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

