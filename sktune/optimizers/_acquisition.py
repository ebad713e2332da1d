"""Acquisition functions: pure functions of (mean, std, best).

Notation (shapes in brackets)
-----------------------------
mean [m]  posterior mean of the surrogate at m points (higher is better)
std [m]   posterior standard deviation, > 0
best      incumbent value (a float) that an improvement is measured from
z [m]     ``(mean - best) / std``
phi, Phi  standard normal density and distribution function
h(z)      ``phi(z) + z Phi(z)``, so that ``EI = std * h(z)``

Expected improvement (Jones et al. 1998) underflows to exactly 0 for
``z < -38`` in double precision and its gradient vanishes long before, so an
optimizer started far from the incumbent sees a flat surface. We compute its
logarithm stably instead, following Ament et al. (2023), "Unexpected
Improvements to Expected Improvement for Bayesian Optimization", Eq. (9):

    log h(z) = log(phi(z) + z Phi(z))                       z > -1
             = -z^2/2 - c1 + log1mexp(log(erfcx(-z/sqrt2) |z|) + c2)
                                                            -1/sqrt(eps) < z <= -1
             = -z^2/2 - c1 - 2 log|z|                       z <= -1/sqrt(eps)

with ``c1 = log(2 pi) / 2`` and ``c2 = log(pi / 2) / 2``. Since
``h'(z) = Phi(z)``, ``d log h / dz = Phi(z) / h(z)``, which we evaluate as
``exp(log Phi(z) - log h(z))`` to stay finite everywhere.
"""

from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import erfcx, log_ndtr, ndtr

_C1 = 0.5 * np.log(2.0 * np.pi)
_C2 = 0.5 * np.log(np.pi / 2.0)
_INV_SQRT_EPS = 1.0 / np.sqrt(np.finfo(float).eps)
_SQRT_HALF = np.sqrt(0.5)


def _log1mexp(x):
    """``log(1 - exp(x))`` for ``x < 0``, accurate on both sides of ``-log 2``."""
    x = np.asarray(x, dtype=float)
    return np.where(x > -np.log(2.0), np.log(-np.expm1(x)), np.log1p(-np.exp(x)))


def log_h(z: ArrayLike) -> np.ndarray:
    """Stable ``log(phi(z) + z * Phi(z))``, the log of EI at unit ``std``.

    Parameters
    ----------
    z : array-like of float
        Standardised improvements ``(mean - best) / std``.

    Returns
    -------
    out : ndarray
        Same shape as ``z``; finite for every finite ``z``.

    Examples
    --------
    >>> from sktune.optimizers import log_h
    >>> float(log_h(0.0))  # log(phi(0))
    -0.918...
    >>> bool(log_h(-100.0) > -1e4)  # where EI itself is exactly 0
    True
    """
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    upper = z > -1.0
    far = z <= -_INV_SQRT_EPS
    mid = ~upper & ~far
    zu = z[upper]
    out[upper] = np.log(np.exp(-0.5 * zu * zu - _C1) + zu * ndtr(zu))
    zm = z[mid]
    out[mid] = -0.5 * zm * zm - _C1 + _log1mexp(np.log(erfcx(-zm * _SQRT_HALF) * np.abs(zm)) + _C2)
    zf = z[far]
    out[far] = -0.5 * zf * zf - _C1 - 2.0 * np.log(np.abs(zf))
    return out


def log_expected_improvement(mean: ArrayLike, std: ArrayLike, best: float,
                             return_grad: bool = False) -> Any:
    """Logarithm of the expected improvement over ``best`` (maximisation).

    ``EI = E[max(f - best, 0)]`` for ``f ~ N(mean, std^2)``, computed in log
    space so that it neither underflows nor loses its gradient far from the
    incumbent (Ament et al. 2023).

    Parameters
    ----------
    mean : array-like of shape (n_points,)
        Posterior means.
    std : array-like of shape (n_points,)
        Posterior standard deviations, > 0.
    best : float
        Incumbent value.
    return_grad : bool, default=False
        Also return the partial derivatives with respect to ``mean`` and
        ``std``.

    Returns
    -------
    log_ei : ndarray of shape (n_points,)
    dmean, dstd : ndarray of shape (n_points,)
        Only with ``return_grad``.

    Examples
    --------
    >>> import numpy as np
    >>> from sktune.optimizers import log_expected_improvement
    >>> log_ei = log_expected_improvement(np.array([0.0, -50.0]), np.array([1.0, 1.0]), 0.0)
    >>> float(np.exp(log_ei[0]))  # phi(0) = 1 / sqrt(2 pi)
    0.3989...
    >>> bool(np.isfinite(log_ei[1]))
    True
    """
    mean = np.asarray(mean, dtype=float)
    std = np.asarray(std, dtype=float)
    z = (mean - best) / std
    lh = log_h(z)
    out = lh + np.log(std)
    if not return_grad:
        return out
    dlh = np.exp(log_ndtr(z) - lh)  # d log h / dz = Phi(z) / h(z)
    dmean = dlh / std
    dstd = (1.0 - dlh * z) / std
    return out, dmean, dstd
