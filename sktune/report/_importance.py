"""Hyperparameter importance: functional ANOVA over a random forest.

Method: F. Hutter, H. Hoos and K. Leyton-Brown, "An Efficient Approach for
Assessing Hyperparameter Importance", ICML 2014 (fANOVA).

Notation, per tree of the forest:

* the configuration space is the box ``Θ = Π_d [a_d, b_d]`` of encoded
  parameters (section "encoding" below), with uniform measure;
* a regression tree splits ``Θ`` into leaf boxes ``B_l`` with constant
  prediction ``v_l`` and volume fraction ``|B_l| = Π_d w_ld`` where
  ``w_ld`` is the fraction of ``[a_d, b_d]`` the leaf covers;
* ``f_0 = Σ_l |B_l| v_l`` is the mean prediction and
  ``V = Σ_l |B_l| (v_l - f_0)^2`` its total variance (paper, eq. 1-2);
* the marginal of parameter ``i`` at ``x`` is
  ``m_i(x) = Σ_{l: x ∈ B_l} v_l Π_{d≠i} w_ld`` (paper, Theorem 2: the
  marginal of a tree is a sum over its leaves, computed in linear time);
* its main-effect variance is ``V_i = ∫ (m_i(x) - f_0)^2 dx`` over the
  uniform ``x``, piecewise constant between the leaves' split points, and
  the importance of ``i`` is the fraction ``V_i / V`` (paper, eq. 4).

Fractions are averaged over the trees; their spread across trees is the
reported uncertainty. Only main effects are computed (no pairwise terms),
so the fractions of all parameters sum to at most 1, the rest being
interactions.

Encoding: each parameter goes to ``[0, 1]`` as on the plot axes (log
parameters in log space, categories at evenly spaced positions, so trees
split categories by their order); a candidate that does not set the
parameter (conditional spaces) sits at -0.25, one extra value below the
range. Failed candidates (NaN score) are left out.

Budgets: the rows of a Hyperband or successive-halving search are scores at
several budgets (``n_resources``), and a small budget lowers every score.
Only the rows at the largest budget are read, which compare with each other;
the budget is never one of the parameters.
"""

import numbers

import numpy as np
from sklearn.ensemble import RandomForestRegressor

from .._typing import RandomStateLike, SearchLike
from ._results import SearchResults

# Position of "parameter not set" below the [0, 1] range of set values.
_ABSENT = -0.25


def _leaf_boxes(tree, lower, upper):
    """Boxes (lower, upper) and values of the leaves of a fitted sklearn tree."""
    t = tree.tree_
    boxes_lo, boxes_hi, values = [], [], []
    stack = [(0, lower.copy(), upper.copy())]
    while stack:
        node, lo, hi = stack.pop()
        left, right = t.children_left[node], t.children_right[node]
        if left == -1:
            boxes_lo.append(lo)
            boxes_hi.append(hi)
            values.append(float(t.value[node].ravel()[0]))
            continue
        f, thr = t.feature[node], t.threshold[node]
        lo_l, hi_l = lo.copy(), hi.copy()
        hi_l[f] = min(hi_l[f], thr)
        lo_r, hi_r = lo.copy(), hi.copy()
        lo_r[f] = max(lo_r[f], thr)
        stack.append((left, lo_l, hi_l))
        stack.append((right, lo_r, hi_r))
    return np.array(boxes_lo), np.array(boxes_hi), np.array(values)


def _tree_fractions(tree, lower, upper):
    """Main-effect variance fraction of each input of one tree (NaN if V = 0)."""
    lo, hi, v = _leaf_boxes(tree, lower, upper)
    span = upper - lower
    widths = np.where(span > 0, (hi - lo) / np.where(span > 0, span, 1), 1.0)
    volume = widths.prod(axis=1)
    f0 = volume @ v
    total = volume @ (v - f0) ** 2
    n_dims = len(lower)
    if not total > 1e-12 * max(1.0, f0**2):
        return np.full(n_dims, np.nan)
    out = np.zeros(n_dims)
    for i in range(n_dims):
        if span[i] <= 0:
            continue
        cuts = np.unique(np.concatenate([lo[:, i], hi[:, i]]))
        mids = 0.5 * (cuts[:-1] + cuts[1:])
        seg = np.diff(cuts) / span[i]
        others = np.delete(widths, i, axis=1).prod(axis=1) * v
        inside = (lo[:, i][None, :] <= mids[:, None]) & (mids[:, None] < hi[:, i][None, :])
        marginal = inside @ others
        out[i] = seg @ (marginal - f0) ** 2 / total
    return out


def _encode(res, names):
    X = np.empty((res.n_candidates, len(names)))
    for j, name in enumerate(names):
        u = res.axis(name).unit(res.values(name))
        X[:, j] = np.where(np.isnan(u), _ABSENT, u)
    return X


def param_importance(search: SearchLike, metric: str | None = None, *, n_trees: int = 32,
                     random_state: RandomStateLike = 0,
                     func: str = "param_importance") -> dict[str, tuple[float, float]]:
    """How much of the score's variation each hyperparameter explains.

    A random forest is fitted to the search's (parameters, score) pairs and
    its functional ANOVA decomposition gives, per parameter, the fraction of
    the score's variance explained by that parameter alone (Hutter, Hoos &
    Leyton-Brown, "An Efficient Approach for Assessing Hyperparameter
    Importance", ICML 2014).

    Parameters
    ----------
    search : fitted search or dict
        Any fitted search with ``cv_results_``, or a ``cv_results_`` dict.
    metric : str or None, default=None
        Metric to explain; ``None`` for the refit metric.
    n_trees : int, default=32
        Trees in the forest.
    random_state : int, RandomState instance or None, default=0
        Seed of the forest.
    func : str, default="param_importance"
        The function named in error messages (a caller's own, such as
        ``plot_importance``).

    Returns
    -------
    importance : dict of str -> (float, float)
        Parameter name -> (mean, standard deviation across trees) of the
        explained fraction, most important first. Both are NaN when fewer
        than two candidates have a finite score or the score never varies.
        For results at several budgets (an ``n_resources`` column), computed
        from the rows at the largest budget.

    Examples
    --------
    >>> import numpy as np
    >>> from sktune.report import param_importance
    >>> rng = np.random.RandomState(0)
    >>> a, b = rng.uniform(size=40), rng.uniform(size=40)
    >>> results = {"params": [{"a": x, "b": y} for x, y in zip(a, b)],
    ...            "mean_test_score": 3 * a + 0.1 * b}
    >>> imp = param_importance(results)
    >>> list(imp), bool(imp["a"][0] > 0.8)
    (['a', 'b'], True)
    """
    res = SearchResults.from_search(search, func)
    metric = res.check_metric(metric, func)
    if isinstance(n_trees, bool) or not isinstance(n_trees, numbers.Integral) or n_trees < 1:
        raise ValueError(
            f"The 'n_trees' parameter of {func} must be an int >= 1. Got {n_trees!r} instead."
        )
    names = list(res.tuned_names)
    y = res.scores(metric)
    ok = np.isfinite(y)
    X = _encode(res, names)
    nan = dict.fromkeys(names, (np.nan, np.nan))
    if ok.sum() < 2 or np.ptp(y[ok]) == 0 or not names:
        return nan
    X = X[ok]
    y = y[ok]
    lower, upper = X.min(axis=0), X.max(axis=0)
    forest = RandomForestRegressor(
        n_estimators=n_trees, random_state=random_state, min_samples_leaf=1
    ).fit(X, y)
    fractions = np.array([_tree_fractions(t, lower, upper) for t in forest.estimators_])
    fractions = fractions[~np.isnan(fractions).any(axis=1)]
    if len(fractions) == 0:
        return nan
    mean, std = fractions.mean(axis=0), fractions.std(axis=0)
    order = np.argsort(-mean, kind="stable")
    return {names[i]: (float(mean[i]), float(std[i])) for i in order}
