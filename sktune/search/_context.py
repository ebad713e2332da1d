"""The fit context: what one ``fit`` of a search hands to its loop, built once.

``BaseSearch.fit`` builds a :class:`FitContext` before any model is fitted and
passes it to the proposer's constructor and to the evaluator. Nothing of a
fit travels through temporary attributes of the search, and the search's
parameters are never swapped during a fit.

The cross-validation folds are split once per fit (:class:`FixedSplits`) and
every round reuses them. Splitting again per round would, with
``KFold(shuffle=True)`` and no seed, let a model continued from the previous
rung (Hyperband with ``partial_fit``) train on rows that are now its test
fold, and would score the rounds of a Bayesian or Hyperband search on
different folds.
"""

from dataclasses import dataclass

import numpy as np


class FixedSplits:
    """A splitter that yields the same materialized folds at every call.

    Parameters
    ----------
    splits : iterable of (train, test)
        Index arrays of each fold, as ``cv.split`` yields them; read once.

    Attributes
    ----------
    splits : tuple of (ndarray, ndarray)
        The folds, in order.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import KFold
    >>> from sktune.search import FixedSplits
    >>> X = np.zeros((6, 1))
    >>> cv = FixedSplits(KFold(3, shuffle=True).split(X))
    >>> first = [test.tolist() for _, test in cv.split(X)]
    >>> first == [test.tolist() for _, test in cv.split(X)], cv.get_n_splits()
    (True, 3)
    """

    def __init__(self, splits):
        self.splits = tuple(
            (np.asarray(train), np.asarray(test)) for train, test in splits
        )

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of folds.

        Parameters
        ----------
        X, y, groups : object, default=None
            Ignored; accepted as every scikit-learn splitter accepts them.

        Returns
        -------
        n_splits : int

        Examples
        --------
        >>> from sktune.search import FixedSplits
        >>> FixedSplits([([0, 1], [2]), ([1, 2], [0])]).get_n_splits()
        2
        """
        return len(self.splits)

    def split(self, X=None, y=None, groups=None, **params):
        """Yield the materialized folds, the same at every call.

        Parameters
        ----------
        X, y, groups : object, default=None
            Ignored: the folds were split from the data already.
        **params : dict
            Ignored.

        Yields
        ------
        train, test : ndarray
            Indices of each fold's training and test rows.

        Examples
        --------
        >>> from sktune.search import FixedSplits
        >>> [(tr.tolist(), te.tolist()) for tr, te in FixedSplits([([0, 1], [2])]).split()]
        [([0, 1], [2])]
        """
        yield from self.splits

    def __repr__(self):
        return f"FixedSplits(n_splits={len(self.splits)})"


@dataclass(frozen=True)
class FitContext:
    """Everything one fit's ask -> evaluate -> tell loop shares, immutable.

    Parameters
    ----------
    random_state : numpy.random.RandomState
        The fit's single source of randomness (from ``random_state``, or the
        seed a checkpoint keeps when it is ``None``).
    cv : FixedSplits
        The search's folds, split once; every round reuses them.
    stop : StopRules
        ``max_time`` and ``n_iter_no_change``, shared with the evaluator;
        the one object of the context that changes (it records why the
        search stopped).
    store : CheckpointStore or None
        Where finished candidates are written.
    recorded : tuple of dict
        Parameters of the candidates the checkpoint held when the fit
        started, in the order they finished.
    estimator : estimator object
        What each candidate's parameters are set on and fitted: the search's
        estimator, or the wrapper a search trains it through
        (HyperbandSearch's ``partial_fit`` passes).
    space : SearchSpace
        The parsed and checked search space.

    Examples
    --------
    What a proposer receives; ``BaseSearch.fit`` builds it:

    >>> import numpy as np
    >>> from sklearn.model_selection import KFold
    >>> from sklearn.svm import SVC
    >>> from sktune.search import FitContext, FixedSplits
    >>> from sktune.search._engine import StopRules
    >>> context = FitContext(np.random.RandomState(0), FixedSplits(KFold(3).split(np.zeros(6))),
    ...                      StopRules(), estimator=SVC())
    >>> context.n_splits, context.recorded, context.store is None
    (3, (), True)
    """

    random_state: np.random.RandomState
    cv: FixedSplits
    stop: object
    store: object = None
    recorded: tuple = ()
    estimator: object = None
    space: object = None

    @property
    def n_splits(self):
        """Number of cross-validation folds of every candidate.

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.search import FitContext, FixedSplits
        >>> FitContext(np.random.RandomState(0), FixedSplits([([0], [1])]), None).n_splits
        1
        """
        return self.cv.get_n_splits()
