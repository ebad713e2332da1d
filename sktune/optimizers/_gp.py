"""Gaussian-process surrogate: Matern-5/2 ARD kernel, noise, ML-II fitting.

Notation (shapes in brackets)
-----------------------------
n, p      number of observations, number of input features
Z [n, p]  training inputs (features: unit-cube coordinates, one-hot blocks)
y [n]     training targets, already normalised by the caller (mean 0, sd ~1)
theta     log hyperparameters ``[log s2, log l_1 .. log l_p, log s2_n,
          log a_1 .. log a_q, log b_1 .. log b_q]``: signal variance ``s2``,
          length-scales ``l``, noise variance ``s2_n``, and the shapes of the
          input warps of the q warped features (none by default)
w(z)      a warped feature ``1 - (1 - z^a)^b`` (Kumaraswamy CDF; identity at
          a = b = 1); the kernel sees ``w(z)`` in place of ``z``
r         scaled distance ``sqrt(sum_k ((w(z_k) - w(z'_k)) / l_k)^2)``
k(r)      Matern-5/2: ``s2 * (1 + sqrt5 r + 5 r^2 / 3) * exp(-sqrt5 r)``
K [n, n]  ``k(Z, Z) + (s2_n + jitter) I``, with Cholesky factor ``L``
alpha [n] ``K^-1 y``

The log marginal likelihood (Rasmussen & Williams 2006, Eq. 5.8) is

    log p(y | theta) = -1/2 y^T alpha - sum(log diag L) - n/2 log(2 pi)

and its gradient (Eq. 5.9) is ``1/2 tr((alpha alpha^T - K^-1) dK/dtheta_j)``;
for a warp shape, ``dK_ij = (dk/dr / r) (w_i - w_j) (dw_i - dw_j) / l^2``.
We maximise it plus a log prior on ``theta`` (MAP-II), which keeps the fit
sane with the 5 to 30 points of a hyperparameter search. The Matern-5/2 ARD
kernel is the choice of Snoek et al. (2012), "Practical Bayesian
Optimization of Machine Learning Algorithms".
"""

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.linalg.lapack import dpotri, dpotrs, dtrtrs
from scipy.optimize import minimize
from sklearn.utils import check_random_state

from .._typing import RandomStateLike

_SQRT5 = np.sqrt(5.0)
_LOG_2PI = np.log(2.0 * np.pi)
# A relative jitter keeps the Cholesky factorisation stable when two inputs
# coincide (a repeated integer configuration, a fantasy point).
_JITTER = 1e-8

# Box constraints of the log hyperparameters. Length-scales below 1e-2 of the
# unit cube only fit noise; above 1e2 a feature is effectively ignored.
_LOG_LS_BOUNDS = (np.log(1e-2), np.log(1e2))
_LOG_S2_BOUNDS = (np.log(5e-2), np.log(20.0))
_LOG_NOISE_BOUNDS = (np.log(1e-6), np.log(1.0))
# Up to this many points the fit also restarts from the prior (cheap there,
# and the posterior still moves a lot); beyond it the warm start alone is
# kept, which halves the cost of a fit at 100 points.
_COLD_RESTARTS_UP_TO = 40
# Input warps (Snoek et al. 2014, "Input Warping for Bayesian Optimization of
# Non-stationary Functions") with a, b in [1, 5]: a warp may only compress
# the ends of a feature's range, never stretch them. A log-scaled
# hyperparameter typically plateaus at both ends of its decades (too much or
# too little regularisation) and changes in between; compressing the ends
# gives the kernel its resolution there. Shapes below 1 stretch an end
# without limit (w' is infinite at 0 when a < 1), and expected improvement
# then kept returning to the bounds; on benchmarks/bayes.py compress-only
# warps beat warps with a, b in [0.2, 5] by 12 and 5 normalized points on
# one seed set and tied on the other (benchmarks/README.md). The prior on
# log a, log b is normal, centred on a mild compression.
_LOG_WARP_BOUNDS = (0.0, np.log(5.0))
_WARP_PRIOR_MEAN = 0.3
_WARP_PRIOR_SD = 0.75
# Warped features are clipped this far inside [0, 1], where log z and
# log(1 - z^a) in the shape derivatives are finite.
_WARP_EPS = 1e-6
# L-BFGS-B iterations from a warm start; from the prior the limit is 100.
_WARM_MAXITER = 20


def _matern52(r, s2):
    """``k(r)`` and ``dk/dr / r`` (finite at r = 0) of the Matern-5/2 kernel."""
    e = np.exp(-_SQRT5 * r)
    k = s2 * (1.0 + _SQRT5 * r + (5.0 / 3.0) * r * r) * e
    # dk/dr = -5/3 s2 r (1 + sqrt5 r) e, so dk/dr / r stays finite at 0.
    dk_over_r = -(5.0 / 3.0) * s2 * (1.0 + _SQRT5 * r) * e
    return k, dk_over_r


def _kumaraswamy(Z, a, b, grad=False):
    """``w = 1 - (1 - z^a)^b`` column by column; with ``grad`` also the
    derivatives of ``w`` with respect to ``log a``, ``log b`` and ``z``."""
    z = np.clip(Z, _WARP_EPS, 1.0 - _WARP_EPS)
    za = z**a
    rest = 1.0 - za
    rest_b = rest**b
    w = 1.0 - rest_b
    if not grad:
        return w
    rest_b1 = rest ** (b - 1.0)
    dlog_a = a * b * rest_b1 * za * np.log(z)
    dlog_b = -b * rest_b * np.log(rest)
    dz = a * b * z ** (a - 1.0) * rest_b1
    return w, dlog_a, dlog_b, dz


def _solve_lower(L, B, trans=False):
    """``solve_triangular(L, B, lower=True, trans=trans)`` for finite float64 arrays.

    The same LAPACK call as scipy's (``trtrs``, on the transposed factor
    when ``L`` is C-ordered), without the checks and batching that scipy
    wraps around each call: they took a tenth of an ask of 100 candidates.
    """
    if B.size == 0:
        return np.empty_like(B, dtype=float)
    if L.flags.f_contiguous:
        x, info = dtrtrs(L, B, lower=1, trans=int(trans))
    else:
        x, info = dtrtrs(L.T, B, lower=0, trans=int(not trans))
    if info != 0:
        raise np.linalg.LinAlgError(f"trtrs failed with info={info}")
    return x


def _cho_solve(L, b):
    """``cho_solve((L, True), b, check_finite=False)``, by the same LAPACK call."""
    x, info = dpotrs(L, b, lower=1)
    if info != 0:
        raise ValueError(f"potrs failed with info={info}")
    return x


def _sq_dist(A, B, inv_ls):
    """Squared scaled distances, an ndarray of shape (len(A), len(B))."""
    A = A * inv_ls
    B = B * inv_ls
    d = (A * A).sum(1)[:, None] + (B * B).sum(1)[None, :] - 2.0 * A @ B.T
    return np.maximum(d, 0.0)


class GaussianProcess:
    """Gaussian-process regressor with a Matern-5/2 ARD kernel and noise.

    Hyperparameters (signal variance, one length-scale per feature, noise
    variance, and the two shapes of each warped feature's Kumaraswamy CDF)
    are fitted by maximising the log marginal likelihood plus a weak
    log-normal prior, with analytic gradients and L-BFGS-B. Each
    :meth:`fit` warm-starts from the previous solution, so refitting after a
    few new points costs a handful of iterations.

    The targets should be roughly standardised (zero mean, unit variance);
    :class:`~sktune.optimizers.BayesOptimizer` does this. The class meets the
    surrogate protocol ``fit(X, y)`` / ``predict(X, return_std=True)``.

    Parameters
    ----------
    n_restarts : int, default=1
        Cold starting points of the hyperparameter fit besides the warm
        start (the previous solution): the prior's mode, then random draws
        near it. Beyond 40 points only the warm start is used.
    random_state : int, RandomState instance or None, default=None
        Source of the random restarts.
    warped_features : sequence of int, default=()
        Features in [0, 1] that the kernel sees through a fitted input warp
        ``1 - (1 - z^a)^b`` with ``a, b`` in [1, 5]: it can compress either
        end of the feature's range (Snoek et al. 2014).
        :class:`~sktune.optimizers.BayesOptimizer` warps the features of
        log-scaled parameters.

    Attributes
    ----------
    theta_ : ndarray of shape (n_features + 2 + 2 * len(warped_features),)
        Fitted log hyperparameters ``[log s2, log l_1 .. log l_p, log s2_n,
        log a_1 .. log a_q, log b_1 .. log b_q]``.
    log_marginal_likelihood_ : float
        Log marginal likelihood (without the prior) at ``theta_``.

    Examples
    --------
    >>> import numpy as np
    >>> from sktune.optimizers import GaussianProcess
    >>> X = np.linspace(0, 1, 8)[:, None]
    >>> y = np.sin(6 * X[:, 0])
    >>> gp = GaussianProcess(random_state=0).fit(X, y)
    >>> mean, std = gp.predict(np.array([[0.5]]), return_std=True)
    >>> bool(abs(mean[0] - np.sin(3.0)) < 0.1), bool(std[0] < 0.1)
    (True, True)

    A response flat at both ends of its range, seen through a warp:

    >>> Z = np.linspace(0, 1, 15)[:, None]
    >>> step = np.tanh(12 * (Z[:, 0] - 0.5))
    >>> warped = GaussianProcess(warped_features=[0], random_state=0).fit(Z, step)
    >>> warped.theta_.shape  # log s2, log l, log noise, log a, log b
    (5,)
    >>> bool(np.all(np.exp(warped.theta_[-2:]) > 1.5))  # both ends compressed
    True
    """

    def __init__(self, n_restarts: int = 1, random_state: RandomStateLike = None,
                 warped_features: Sequence[int] = ()) -> None:
        self.n_restarts = n_restarts
        self.random_state = random_state
        self.warped_features = warped_features

    # prior -----------------------------------------------------------------
    def _prior(self, n_features):
        """Mean and standard deviation of the normal prior on ``theta``."""
        # each step of a hyperparameter fit reads it
        key = (n_features, tuple(self.warped_features))
        cached = self.__dict__.get("_prior_cache")
        if cached is None or cached[0] != key:
            cached = self._prior_cache = (key, self._make_prior(n_features))
        return cached[1]

    def _make_prior(self, n_features):
        # Length-scales: centred on 0.5 * sqrt(p) (longer in more features,
        # as in Hvarfner et al. 2024, "Vanilla Bayesian Optimization Performs
        # Great in High Dimensions"), wide enough for data to move them.
        mu = np.concatenate(
            [[0.0], np.full(n_features, np.log(0.5) + 0.5 * np.log(max(n_features, 1))),
             [np.log(1e-2)]]
        )
        sd = np.concatenate([[1.0], np.full(n_features, 1.5), [2.0]])
        q = 2 * len(self.warped_features)
        mu = np.concatenate([mu, np.full(q, _WARP_PRIOR_MEAN)])
        sd = np.concatenate([sd, np.full(q, _WARP_PRIOR_SD)])
        return mu, sd

    def _bounds(self, n_features):
        return ([_LOG_S2_BOUNDS] + [_LOG_LS_BOUNDS] * n_features + [_LOG_NOISE_BOUNDS]
                + [_LOG_WARP_BOUNDS] * (2 * len(self.warped_features)))

    def _unpack(self, theta, p):
        """``s2, l, s2_n, a, b`` from the log hyperparameters."""
        e = np.exp(theta)
        q = len(self.warped_features)
        return e[0], e[1:p + 1], e[p + 1], e[p + 2:p + 2 + q], e[p + 2 + q:]

    @property
    def _warped_columns(self):
        return np.asarray(self.warped_features, dtype=int)

    def _warp(self, Z, theta, grad=False):
        """``Z`` with its warped features replaced by ``w(z)`` (and, with
        ``grad``, the derivatives of ``_kumaraswamy``; None when unwarped)."""
        cols = self._warped_columns
        if not len(cols):
            return (Z, None) if grad else Z
        _, _, _, a, b = self._unpack(theta, Z.shape[1])
        out = _kumaraswamy(Z[:, cols], a, b, grad=grad)
        W = Z.copy()
        W[:, cols] = out[0] if grad else out
        return (W, out[1:]) if grad else W

    # likelihood --------------------------------------------------------------
    def _neg_log_posterior(self, theta, Z, y, D2):
        """Negative log marginal likelihood + log prior, and its gradient.

        ``D2`` holds the squared feature differences of ``Z``, shape
        ``(n * n, p)``; those of warped features are recomputed here.
        """
        n, p = Z.shape
        self._last_lml = -np.inf
        s2, ls, noise, _, _ = self._unpack(theta, p)
        cols = self._warped_columns
        if len(cols):
            Zw, (dlog_a, dlog_b, _) = self._warp(Z, theta, grad=True)
            diff_w = Zw[:, None, cols] - Zw[None, :, cols]  # (n, n, q)
            D2 = D2.copy()
            D2[:, cols] = (diff_w * diff_w).reshape(n * n, len(cols))
        inv_ls2 = 1.0 / (ls * ls)
        r2 = D2 @ inv_ls2  # (n*n,)
        r = np.sqrt(r2).reshape(n, n)
        Kf, dk_over_r = _matern52(r, s2)
        K = Kf + (noise + _JITTER * s2) * np.eye(n)
        try:
            L = np.linalg.cholesky(K)
        except np.linalg.LinAlgError:
            return 1e25, np.zeros_like(theta)
        # a factor numpy returns is finite (potrf stops at a NaN pivot)
        alpha = _cho_solve(L, y)
        lml = -0.5 * y @ alpha - np.log(np.diag(L)).sum() - 0.5 * n * _LOG_2PI
        # K^-1 from the factor (LAPACK potri fills one triangle)
        Kinv, info = dpotri(L, lower=1)
        if info != 0:
            return 1e25, np.zeros_like(theta)
        # L's strict upper triangle is zero, so only the lower half is filled
        Kinv += np.tril(Kinv, -1).T
        W = np.outer(alpha, alpha) - Kinv
        grad = np.empty_like(theta)
        grad[0] = 0.5 * np.sum(W * Kf)
        # dK/dlog l_k = -dk/dr * r_k^2 / r = -(dk/dr / r) * (dz_k / l_k)^2
        M = (-(W * dk_over_r)).ravel()
        grad[1:p + 1] = 0.5 * (M @ D2) * inv_ls2
        grad[p + 1] = 0.5 * noise * np.trace(W)
        if len(cols):
            q = len(cols)
            Wd = W * dk_over_r
            for k, c in enumerate(cols):
                dw = diff_w[:, :, k] * inv_ls2[c]
                for g, slot in ((dlog_a, p + 2 + k), (dlog_b, p + 2 + q + k)):
                    grad[slot] = 0.5 * np.sum(Wd * dw * (g[:, k][:, None] - g[:, k][None, :]))
        mu, sd = self._prior(p)
        z = (theta - mu) / sd
        log_prior = -0.5 * np.sum(z * z)
        grad_prior = -z / sd
        self._last_lml = lml
        return -(lml + log_prior), -(grad + grad_prior)

    # protocol ------------------------------------------------------------------
    def fit(self, X: ArrayLike, y: ArrayLike) -> "GaussianProcess":
        """Fit the hyperparameters and the posterior to ``(X, y)``.

        Parameters
        ----------
        X : ndarray of shape (n_points, n_features)
            Inputs.
        y : ndarray of shape (n_points,)
            Targets, roughly standardised.

        Returns
        -------
        self : object
            The fitted process.

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.optimizers import GaussianProcess
        >>> X = np.linspace(0, 1, 8)[:, None]
        >>> y = np.sin(6 * X[:, 0])
        >>> gp = GaussianProcess(random_state=0)
        >>> gp.fit(X, y) is gp
        True
        >>> gp.theta_.shape  # log signal variance, one log length-scale, log noise
        (3,)
        >>> bool(np.allclose(gp.predict(X), y, atol=0.05))
        True
        """
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        n, p = X.shape
        diff = X[:, None, :] - X[None, :, :]
        D2 = (diff * diff).reshape(n * n, p)
        mu, sd = self._prior(p)
        starts = []
        prev = getattr(self, "theta_", None)
        if prev is not None and prev.shape == mu.shape:
            starts.append(prev)
        if not starts or n <= _COLD_RESTARTS_UP_TO:
            starts.append(mu)
            rng = check_random_state(self.random_state)
            for _ in range(self.n_restarts - 1):
                starts.append(mu + 0.5 * sd * rng.standard_normal(len(mu)))
        bounds = self._bounds(p)
        lo = np.array([b[0] for b in bounds])
        hi = np.array([b[1] for b in bounds])
        best: Any = None
        for i, theta0 in enumerate(starts):
            # A warm start is already close: a few iterations suffice, and
            # hyperparameters need no more than 3 digits.
            warm = i == 0 and prev is not None and prev.shape == mu.shape
            res = minimize(
                self._neg_log_posterior, np.clip(theta0, lo, hi), args=(X, y, D2),
                jac=True, method="L-BFGS-B", bounds=bounds,
                options={"maxiter": _WARM_MAXITER if warm else 100, "ftol": 1e-7},
            )
            if best is None or res.fun < best.fun:
                best = res
        self.theta_ = best.x
        self._neg_log_posterior(best.x, X, y, D2)
        self.log_marginal_likelihood_ = float(self._last_lml)
        self._set_posterior(X, y)
        return self

    def _set_posterior(self, X, y):
        """Factorise ``K`` for the current ``theta_`` (no hyperparameter fit)."""
        s2, ls, noise, _, _ = self._unpack(self.theta_, X.shape[1])
        self._X, self._y = X, y
        self._Xw = self._warp(X, self.theta_)
        self._s2, self._inv_ls = s2, 1.0 / ls
        r = np.sqrt(_sq_dist(self._Xw, self._Xw, self._inv_ls))
        K = _matern52(r, s2)[0] + (noise + _JITTER * s2) * np.eye(len(X))
        self._L = np.linalg.cholesky(K)
        self._alpha = _cho_solve(self._L, y)

    def _extend_posterior(self, X_new, y):
        """Append the rows ``X_new`` to the factor of ``K``, for all targets ``y``.

        A block Cholesky step costs O(n^2 m) against O(n^3) for refactorising:
        past a few hundred points the factorisation dominated each
        :meth:`update` and every fantasy (:meth:`condition_on`). Falls back to
        refactorising when the new block is not numerically positive.
        """
        X = np.vstack([self._X, X_new])
        noise = self._unpack(self.theta_, X.shape[1])[2]
        Xw_new = self._warp(X_new, self.theta_)
        K12 = _matern52(np.sqrt(_sq_dist(self._Xw, Xw_new, self._inv_ls)), self._s2)[0]
        K22 = _matern52(np.sqrt(_sq_dist(Xw_new, Xw_new, self._inv_ls)), self._s2)[0]
        K22 += (noise + _JITTER * self._s2) * np.eye(len(X_new))
        L21 = _solve_lower(self._L, K12).T
        try:
            L22 = np.linalg.cholesky(K22 - L21 @ L21.T)
        except np.linalg.LinAlgError:
            self._set_posterior(X, y)
            return
        n = len(self._L)
        L = np.zeros((len(X), len(X)))
        L[:n, :n] = self._L
        L[n:, :n] = L21
        L[n:, n:] = L22
        self._X, self._y, self._L = X, y, L
        self._Xw = np.vstack([self._Xw, Xw_new])
        self._alpha = _cho_solve(L, y)

    def update(self, X: ArrayLike, y: ArrayLike) -> "GaussianProcess":
        """Refactorise for new data, keeping the fitted hyperparameters.

        Parameters
        ----------
        X : ndarray of shape (n_points, n_features)
            Inputs.
        y : ndarray of shape (n_points,)
            Targets.

        Returns
        -------
        self : object
            The process, conditioned on ``(X, y)``.

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.optimizers import GaussianProcess
        >>> X = np.linspace(0, 1, 8)[:, None]
        >>> gp = GaussianProcess(random_state=0).fit(X, np.sin(6 * X[:, 0]))
        >>> theta = gp.theta_.copy()
        >>> X2 = np.vstack([X, [[0.55]]])
        >>> gp.update(X2, np.sin(6 * X2[:, 0])) is gp, bool(np.array_equal(gp.theta_, theta))
        (True, True)
        >>> _, std = gp.predict([[0.55]], return_std=True)
        >>> bool(std[0] < 0.05)  # the new point is known now
        True
        """
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        n = len(self._X)
        if len(X) > n and np.array_equal(X[:n], self._X):
            # the usual case in a search: the same points and a few new ones
            self._extend_posterior(X[n:], y)
        else:
            self._set_posterior(X, y)
        return self

    @property
    def signal_variance_(self) -> float:
        """Fitted signal variance ``s2``.

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.optimizers import GaussianProcess
        >>> X = np.linspace(0, 1, 8)[:, None]
        >>> gp = GaussianProcess(random_state=0).fit(X, np.sin(6 * X[:, 0]))
        >>> bool(np.isclose(gp.signal_variance_, np.exp(gp.theta_[0])))
        True
        >>> _, std = gp.predict([[5.0]], return_std=True)  # far from the data: the prior's spread
        >>> bool(np.isclose(std[0] ** 2, gp.signal_variance_))
        True
        """
        return float(np.exp(self.theta_[0]))

    def condition_on(self, X_new: ArrayLike, y_new: ArrayLike) -> "GaussianProcess":
        """A copy conditioned on extra points, with the same hyperparameters.

        Used for fantasies (Kriging believer): cheap, no refit.

        Parameters
        ----------
        X_new : ndarray of shape (n_new, n_features)
            Extra inputs.
        y_new : ndarray of shape (n_new,)
            Their (fantasised) targets.

        Returns
        -------
        gp : GaussianProcess

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.optimizers import GaussianProcess
        >>> X = np.linspace(0, 1, 8)[:, None]
        >>> gp = GaussianProcess(random_state=0).fit(X, np.sin(6 * X[:, 0]))
        >>> believer = gp.condition_on(np.array([[0.55]]), np.array([2.0]))
        >>> believer is gp, bool(np.array_equal(believer.theta_, gp.theta_))
        (False, True)
        >>> bool(believer.predict([[0.55]])[0] > 0.5)  # pulled towards the fantasy
        True
        >>> bool(abs(gp.predict([[0.55]])[0] - np.sin(3.3)) < 0.05)  # the original is unchanged
        True
        """
        gp = GaussianProcess(self.n_restarts, self.random_state, self.warped_features)
        gp.theta_ = self.theta_
        gp._X, gp._y, gp._Xw, gp._L = self._X, self._y, self._Xw, self._L
        gp._s2, gp._inv_ls = self._s2, self._inv_ls
        gp._extend_posterior(np.asarray(X_new, dtype=float),
                             np.concatenate([self._y, np.asarray(y_new, dtype=float)]))
        return gp

    def mean_at_data(self) -> np.ndarray:
        """Posterior mean at the training inputs, in O(n) from ``alpha``.

        ``K alpha = y`` with ``K = k(Z, Z) + s2_n' I`` gives
        ``k(Z, Z) alpha = y - s2_n' alpha`` (``s2_n'`` the noise plus
        jitter): what ``predict`` returns at the training inputs, up to
        rounding, without its ``n x n`` kernel matrix.

        Returns
        -------
        mean : ndarray of shape (n_points,)

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.optimizers import GaussianProcess
        >>> X = np.linspace(0, 1, 8)[:, None]
        >>> gp = GaussianProcess(random_state=0).fit(X, np.sin(6 * X[:, 0]))
        >>> bool(np.allclose(gp.mean_at_data(), gp.predict(X), rtol=0, atol=1e-10))
        True
        """
        noise = self._unpack(self.theta_, self._X.shape[1])[2]
        return self._y - (noise + _JITTER * self._s2) * self._alpha

    def predict(self, X: ArrayLike, return_std: bool = False,
                return_grad: bool = False) -> Any:
        """Posterior mean (and standard deviation) of the latent function.

        Parameters
        ----------
        X : ndarray of shape (n_points, n_features)
            Query points.
        return_std : bool, default=False
            Also return the posterior standard deviation (noise excluded).
        return_grad : bool, default=False
            Also return the gradients of mean and std with respect to ``X``,
            each an ndarray of shape (n_points, n_features). Implies
            ``return_std``.

        Returns
        -------
        mean : ndarray of shape (n_points,)
        std : ndarray of shape (n_points,)
            Only with ``return_std`` or ``return_grad``.
        dmean, dstd : ndarray of shape (n_points, n_features)
            Only with ``return_grad``.

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.optimizers import GaussianProcess
        >>> X = np.linspace(0, 1, 8)[:, None]
        >>> gp = GaussianProcess(random_state=0).fit(X, np.sin(6 * X[:, 0]))
        >>> mean, std = gp.predict([[0.5], [3.0]], return_std=True)
        >>> bool(abs(mean[0] - np.sin(3.0)) < 0.1), bool(std[0] < std[1])  # surer near the data
        (True, True)
        >>> mean, std, dmean, dstd = gp.predict([[0.5]], return_grad=True)
        >>> step = (gp.predict([[0.5 + 1e-6]]) - gp.predict([[0.5 - 1e-6]])) / 2e-6
        >>> dmean.shape, bool(np.isclose(dmean[0, 0], step[0], rtol=1e-4))
        ((1, 1), True)
        """
        X = np.asarray(X, dtype=float)
        if return_grad:
            Xw, shapes = self._warp(X, self.theta_, grad=True)
        else:
            Xw, shapes = self._warp(X, self.theta_), None
        r = np.sqrt(_sq_dist(Xw, self._Xw, self._inv_ls))
        Ks, dk_over_r = _matern52(r, self._s2)
        mean = Ks @ self._alpha
        if not (return_std or return_grad):
            return mean
        V = _solve_lower(self._L, Ks.T)  # (n, m)
        var = np.maximum(self._s2 - (V * V).sum(0), 1e-12)
        std = np.sqrt(var)
        if not return_grad:
            return mean, std
        # dk(x, z_i)/dx_k = dk/dr / r * (x_k - z_ik) / l_k^2
        inv_ls2 = self._inv_ls**2
        diff = (Xw[:, None, :] - self._Xw[None, :, :]) * inv_ls2  # (m, n, p)
        dmean = np.einsum("mn,mnp->mp", dk_over_r * self._alpha[None, :], diff)
        # K^-1 k*, (m, n)
        beta = _solve_lower(self._L, V, trans=True).T
        dvar = -2.0 * np.einsum("mn,mnp->mp", dk_over_r * beta, diff)
        dstd = dvar / (2.0 * std[:, None])
        if shapes is not None:
            # chain rule through the warp: d/dz = d/dw * dw/dz
            cols = self._warped_columns
            dmean[:, cols] *= shapes[2]
            dstd[:, cols] *= shapes[2]
        return mean, std, dmean, dstd
