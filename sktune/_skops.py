"""The types to trust when loading a fitted search saved with skops.io."""


def skops_trusted_types() -> list[str]:
    """Names of the types a fitted sktune search holds beyond scikit-learn's own.

    ``skops.io.loads`` refuses any type that it does not trust by default
    until it is listed in ``trusted``. A fitted search of sktune holds a few
    of its own (the search, its space, distributions, optimizer or schedule)
    and a few that it builds from default arguments (the scorer of
    ``scoring=None``, the Sobol design of :class:`~sktune.BayesSearch`).
    This is that list and nothing more: each type is restored by setting
    attributes or by a constructor that checks its arguments (a distribution
    is rebuilt from its parameters), so loading one runs no code of the
    file's choosing.

    Types that come from your own arguments (your estimator if it is not
    scikit-learn's, a scorer, a splitter, a scipy frozen distribution in
    the search space) are not listed: read ``skops.io.get_untrusted_types``
    and add those you trust.

    Returns
    -------
    names : list of str
        Fully qualified type names, sorted, as ``skops.io`` spells them.

    Examples
    --------
    >>> import skops.io as sio
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sktune import BayesSearch, LogUniform, skops_trusted_types
    >>> X, y = load_iris(return_X_y=True)
    >>> search = BayesSearch(SVC(), {"C": LogUniform(0.01, 100)}, n_iter=8, cv=3,
    ...                      random_state=0).fit(X, y)
    >>> data = sio.dumps(search)
    >>> set(sio.get_untrusted_types(data=data)) <= set(skops_trusted_types())
    True
    >>> loaded = sio.loads(data, trusted=skops_trusted_types())
    >>> loaded.best_params_ == search.best_params_
    True
    """
    from scipy.stats import qmc

    from . import distributions, optimizers, search, space
    from ._compat import _PassthroughScorer
    from .optimizers._bayes import _Encoder

    types = [
        # the searches
        search.BayesSearch, search.GridSearch, search.HyperbandSearch,
        search.ManualSearch, search.RandomSearch,
        # search_space_
        space.SearchSpace, space.Dimension, space.UnitDesign,
        *(getattr(distributions, name) for name in distributions.__all__
          if isinstance(getattr(distributions, name), type)
          and name != "Distribution"),
        # BayesSearch's optimizer_ and HyperbandSearch's schedule_
        optimizers.BayesOptimizer, _Encoder, optimizers.GaussianProcess,
        optimizers.FeasibilityModel, qmc.Sobol,
        optimizers.HyperbandSchedule, optimizers.Bracket, optimizers.Rung,
        # built from scoring=None
        _PassthroughScorer,
    ]
    return sorted(f"{t.__module__}.{t.__qualname__}" for t in types)
