"""FeasibilityModel: the probability that an evaluation succeeds.

Notation (shapes in brackets)
-----------------------------
Z [n, p]  surrogate features of the told points (see ``_bayes._Encoder``)
c [n]     1 for a finite score, 0 for a failed evaluation (NaN)
r         the success rate ``mean(c)``, the model's prior mean
s         the spread ``std(c)`` that standardises the labels
m(z)      the posterior mean of a GP fitted to ``(c - r) / s``
P(z)      ``clip(r + s m(z), P_min, 1)``, the probability of success

Bayesian optimization with unknown constraints (Gelbart, Snoek & Adams
2014, "Bayesian Optimization with Unknown Constraints", Eq. 4) multiplies
the acquisition by the probability that the constraint holds, here that
the fit does not fail: the optimizer adds ``log P`` to log EI. The
classifier is a GP regression on the labels (least-squares classification,
Rasmussen & Williams 2006, Section 6.5): it reuses the regression GP with
its analytic gradients and fitted length-scales, and, since its prior mean
is the success rate, when failures are random (no structure for the
length-scales to fit, the labels are explained as noise) ``P`` stays near
``r`` everywhere and the factor is nearly a constant, which moves no
argmax.
"""

import numpy as np
from numpy.typing import ArrayLike
from scipy.linalg import cho_solve

from ._gp import GaussianProcess

# The smallest probability of success, there only to keep log P finite
# where the least-squares fit goes below 0. A floor of 1e-3 (log P >= -6.9)
# was too weak: late in a search log EI differs by tens of units between
# the explored optimum and the unexplored rest, and the optimizer kept
# returning to a region where every fit had failed (toy problem, issue 17).
_MIN_PROBA = 1e-12
# Failures count as depending on the point when the classifier's
# leave-one-out Brier score beats the constant rate's by this many standard
# errors of the paired differences. On 100 random labellings of 10 to 40
# uniform points in 2 and 4 features, 2 standard errors flagged 2 to 17 %
# as depending on the point, 3 flagged 0 to 7 %, and still found a failing
# region (40 % of the first axis) in 69 to 100 % of the same point sets.
_EVIDENCE_SES = 3.0


class FeasibilityModel:
    """Probability that an evaluation succeeds, from the told successes and failures.

    A Gaussian process (see :class:`GaussianProcess`) is fitted to the
    standardised labels (1 for a finite score, 0 for a failure); its
    posterior mean, mapped back to label units and clipped to
    ``[1e-12, 1]``, is the probability of success. Far from the data the
    probability is the overall success rate. :class:`BayesOptimizer` fits
    one whenever some, but not all, told scores are NaN, and multiplies
    expected improvement by it (Gelbart et al. 2014).

    Attributes
    ----------
    rate_ : float
        Share of successes among the told points, the prior probability.
    gp_ : GaussianProcess
        The process fitted to the standardised labels.
    informative_ : bool
        Whether the failures depend on the point: the classifier predicts
        each label, left out, better than the success rate of the others
        does (leave-one-out Brier scores, paired, by three standard errors).
        When failures strike at random it is False and
        :class:`BayesOptimizer` ignores them.

    Examples
    --------
    Fits fail above 0.6 on one axis, whatever the other:

    >>> import numpy as np
    >>> from sktune.optimizers import FeasibilityModel
    >>> Z = np.random.RandomState(0).uniform(size=(20, 2))
    >>> model = FeasibilityModel().fit(Z, Z[:, 0] < 0.6)
    >>> p = np.exp(model.log_proba(np.array([[0.2, 0.5], [0.9, 0.5]])))
    >>> bool(p[0] > 0.8), bool(p[1] < 0.2)
    (True, True)
    >>> model.informative_
    True

    Fits that fail at random, wherever they are:

    >>> FeasibilityModel().fit(Z, np.random.RandomState(1).uniform(size=20) < 0.5).informative_
    False
    """

    def fit(self, Z: ArrayLike, success: ArrayLike) -> "FeasibilityModel":
        """Fit the classifier to the told points.

        Parameters
        ----------
        Z : ndarray of shape (n_points, n_features)
            Features of the told points.
        success : array-like of bool of shape (n_points,)
            True where the evaluation gave a finite score. Both values must
            occur.

        Returns
        -------
        self : object
            The fitted model.

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.optimizers import FeasibilityModel
        >>> Z = np.linspace(0, 1, 10)[:, None]
        >>> model = FeasibilityModel().fit(Z, Z[:, 0] < 0.5)
        >>> model.rate_
        0.5
        """
        c = np.asarray(success, dtype=float)
        self.rate_ = float(c.mean())
        self._scale = float(c.std())
        if not 0.0 < self.rate_ < 1.0:
            raise ValueError(
                "The 'success' argument of FeasibilityModel.fit must hold both True and "
                f"False. Got {np.unique(c.astype(bool)).tolist()!r} instead."
            )
        gp = getattr(self, "gp_", None) or GaussianProcess(n_restarts=1)
        self.gp_ = gp.fit(np.asarray(Z, dtype=float), (c - self.rate_) / self._scale)
        # needed twice (the evidence test, then the imputation weights), an
        # O(n^3) solve each time: computed once per fit
        self._loo = self._loo_from_gp()
        self.informative_ = self._beats_constant_rate(c)
        return self

    def _beats_constant_rate(self, c):
        # A random failure says nothing about its neighbours, yet the fitted
        # classifier can still bend P(success) around it and the blend of
        # the imputation can weight it towards the worst score (issue 17).
        # The test asks whether the classifier predicts held-out labels
        # better than the constant rate does. Its leave-one-out mean still
        # has the rate of all labels as prior mean, so the constant is that
        # rate too: against the rate of the n - 1 others, which leans away
        # from each left-out label, the classifier won on a third of
        # random labellings (4 features, 16 points).
        n = len(c)
        d = (c - self.loo_proba()) ** 2 - (c - self.rate_) ** 2
        se = d.std(ddof=1) / np.sqrt(n)
        return bool(d.mean() < -_EVIDENCE_SES * se)

    def loo_proba(self) -> np.ndarray:
        """Probability of success at each fitted point, its own label left out.

        Returns
        -------
        p : ndarray of shape (n_points,)
            Clipped to ``[0, 1]``.

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.optimizers import FeasibilityModel
        >>> Z = np.linspace(0, 1, 12)[:, None]
        >>> model = FeasibilityModel().fit(Z, Z[:, 0] < 0.5)
        >>> p = model.loo_proba()
        >>> bool(p[-1] < 0.2), bool(p[0] > 0.8)  # inside a failing region, far from it
        (True, True)
        """
        return self._loo.copy()

    def _loo_from_gp(self):
        # The closed form of a GP's leave-one-out mean (Rasmussen & Williams
        # 2006, Section 5.4.2): y_i - [K^-1 y]_i / [K^-1]_ii.
        gp = self.gp_
        k_inv_diag = np.diag(cho_solve((gp._L, True), np.eye(len(gp._y))))
        mean = gp._y - gp._alpha / k_inv_diag
        return np.clip(self.rate_ + self._scale * mean, 0.0, 1.0)

    def log_proba(
        self, Z: ArrayLike, return_grad: bool = False
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """Log probability of success at ``Z`` (and its gradient).

        Parameters
        ----------
        Z : ndarray of shape (n_points, n_features)
            Query features.
        return_grad : bool, default=False
            Also return the gradient with respect to ``Z``.

        Returns
        -------
        log_p : ndarray of shape (n_points,)
        grad : ndarray of shape (n_points, n_features)
            Only with ``return_grad``; zero where the probability is clipped.

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.optimizers import FeasibilityModel
        >>> Z = np.linspace(0, 1, 10)[:, None]
        >>> model = FeasibilityModel().fit(Z, Z[:, 0] < 0.5)
        >>> log_p, grad = model.log_proba(np.array([[0.45]]), return_grad=True)
        >>> step = (model.log_proba([[0.45 + 1e-6]]) - model.log_proba([[0.45 - 1e-6]])) / 2e-6
        >>> bool(np.isclose(grad[0, 0], step[0], rtol=1e-4))
        True
        """
        Z = np.asarray(Z, dtype=float)
        if return_grad:
            mean, _, dmean, _ = self.gp_.predict(Z, return_grad=True)
        else:
            mean = self.gp_.predict(Z)
        raw = self.rate_ + self._scale * mean
        p = np.clip(raw, _MIN_PROBA, 1.0)
        log_p = np.log(p)
        if not return_grad:
            return log_p
        inside = (raw > _MIN_PROBA) & (raw < 1.0)
        grad = np.where(inside[:, None], self._scale * dmean / p[:, None], 0.0)
        return log_p, grad

