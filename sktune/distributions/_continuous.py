"""Named continuous distributions: thin declarations over scipy.stats."""

import math

import numpy as np
from scipy import special, stats

from ._base import Distribution
from ._checks import check_bounds, check_real


def _set_fields(obj, **fields):
    obj.__dict__.update(fields)


def _span(low, high, x):
    """``low + (high - low) * x``, also where ``high - low`` overflows a float."""
    if math.isfinite(high - low):
        return low + (high - low) * x
    # halving and doubling are exact for floats this large
    return 2.0 * (low / 2.0 + (high / 2.0 - low / 2.0) * x)


class _Halved:
    """A scipy frozen distribution of ``x / 2``, seen on the scale of ``x``.

    Where ``high - low`` overflows a float, scipy's ``uniform(loc=-1e308,
    scale=inf)`` answers NaN to every question; its half,
    ``uniform(-5e307, 1e308)``, does not.
    """

    def __init__(self, make, low, high):
        self._half = make(low / 2.0, high / 2.0 - low / 2.0)
        self._ends = (low, high)

    def support(self):
        return self._ends

    def cdf(self, x):
        return self._half.cdf(np.asarray(x) / 2.0)

    def sf(self, x):
        return self._half.sf(np.asarray(x) / 2.0)

    def ppf(self, q):
        return 2.0 * self._half.ppf(q)

    def isf(self, q):
        return 2.0 * self._half.isf(q)


def _on_interval(make, low, high):
    """``make(loc, scale)`` spread over ``[low, high]``, however wide."""
    if math.isfinite(high - low):
        return make(low, high - low)
    return _Halved(make, low, high)


class Uniform(Distribution):
    """Uniform distribution on ``[low, high]``.

    Parameters
    ----------
    low, high : float
        Bounds, ``low < high``.

    Attributes
    ----------
    low, high : float
        The bounds, as given.

    Examples
    --------
    >>> from sktune.distributions import Uniform
    >>> Uniform(0, 10).grid(3)
    [0.0, 5.0, 10.0]
    """

    _fields = ("low", "high")

    def __init__(self, low: float, high: float) -> None:
        low = check_real("Uniform", "low", low)
        high = check_real("Uniform", "high", high)
        check_bounds("Uniform", low, high)
        _set_fields(self, low=low, high=high)
        self._setup(_on_interval(lambda loc, scale: stats.uniform(loc, scale), low, high))


class LogUniform(Distribution):
    """Log-uniform distribution on ``[low, high]``: uniform in ``log(x)``.

    The usual choice for scales such as a learning rate or ``C``.

    Parameters
    ----------
    low, high : float
        Bounds, ``0 < low < high``.

    Attributes
    ----------
    low, high : float
        The bounds, as given.

    Examples
    --------
    >>> from sktune.distributions import LogUniform
    >>> LogUniform(1e-3, 1e3).grid(7)
    [0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0]
    """

    _fields = ("low", "high")
    is_log = True

    def __init__(self, low: float, high: float) -> None:
        low = check_real("LogUniform", "low", low, positive=True)
        high = check_real("LogUniform", "high", high, positive=True)
        check_bounds("LogUniform", low, high, positive=True)
        _set_fields(self, low=low, high=high)
        self._setup(stats.loguniform(low, high))


class Normal(Distribution):
    """Normal distribution, optionally truncated to ``[low, high]``.

    A prior centred on a known good value: Bayesian search explores densely
    near ``mu``.

    Parameters
    ----------
    mu : float
        Mean.
    sigma : float
        Standard deviation, > 0.
    low, high : float or None, default=None
        Optional truncation bounds.

    Attributes
    ----------
    mu, sigma : float
        Mean and standard deviation, as given.
    low, high : float or None
        Truncation bounds, as given.

    Examples
    --------
    >>> from sktune.distributions import Normal
    >>> Normal(0, 1, low=0).support()
    (0.0, inf)
    """

    _fields = ("mu", "sigma", "low", "high")

    def __init__(self, mu: float, sigma: float, *, low: float | None = None,
                 high: float | None = None) -> None:
        mu = check_real("Normal", "mu", mu)
        sigma = check_real("Normal", "sigma", sigma, positive=True)
        low = None if low is None else check_real("Normal", "low", low)
        high = None if high is None else check_real("Normal", "high", high)
        if low is not None and high is not None:
            check_bounds("Normal", low, high)
        _set_fields(self, mu=mu, sigma=sigma, low=low, high=high)
        if low is None and high is None:
            self._setup(stats.norm(mu, sigma))
            return
        # scipy's truncnorm keeps its precision in the tails, where
        # renormalising norm.cdf loses it: at low = mu + 6 sigma only seven
        # digits of cdf(ppf(u)) == u survive that way.
        a = -math.inf if low is None else (low - mu) / sigma
        b = math.inf if high is None else (high - mu) / sigma
        self._setup(stats.truncnorm(a, b, loc=mu, scale=sigma), low=low, high=high)


class LogNormal(Distribution):
    """Log-normal distribution: ``log(x)`` is ``Normal(mu, sigma)``.

    ``mu`` and ``sigma`` are the mean and standard deviation of the
    underlying normal, so the median of ``x`` is ``exp(mu)``.

    Parameters
    ----------
    mu : float
        Mean of ``log(x)``.
    sigma : float
        Standard deviation of ``log(x)``, > 0.

    Attributes
    ----------
    mu, sigma : float
        The parameters of ``log(x)``, as given.

    Examples
    --------
    >>> import math
    >>> from sktune.distributions import LogNormal
    >>> LogNormal(math.log(0.1), 1.0).ppf(0.5)
    0.1...
    """

    _fields = ("mu", "sigma")
    is_log = True

    def __init__(self, mu: float, sigma: float) -> None:
        mu = check_real("LogNormal", "mu", mu)
        sigma = check_real("LogNormal", "sigma", sigma, positive=True)
        _set_fields(self, mu=mu, sigma=sigma)
        self._setup(stats.lognorm(s=sigma, scale=math.exp(mu)))


class Exponential(Distribution):
    """Exponential distribution on ``[0, inf)`` with mean ``scale``.

    Parameters
    ----------
    scale : float
        Mean, > 0.

    Attributes
    ----------
    scale : float
        The mean, as given.

    Examples
    --------
    >>> from sktune.distributions import Exponential
    >>> Exponential(2.0).support()
    (0.0, inf)
    """

    _fields = ("scale",)

    def __init__(self, scale: float = 1.0) -> None:
        scale = check_real("Exponential", "scale", scale, positive=True)
        _set_fields(self, scale=scale)
        self._setup(stats.expon(scale=scale))


class Gamma(Distribution):
    """Gamma distribution with ``shape`` and ``scale`` (mean ``shape * scale``).

    Parameters
    ----------
    shape : float
        Shape, > 0.
    scale : float, default=1.0
        Scale, > 0.

    Attributes
    ----------
    shape, scale : float
        The parameters, as given.

    Examples
    --------
    >>> from sktune.distributions import Gamma
    >>> Gamma(2.0, 0.5).rvs(random_state=0) > 0
    True
    """

    _fields = ("shape", "scale")

    def __init__(self, shape: float, scale: float = 1.0) -> None:
        shape = check_real("Gamma", "shape", shape, positive=True)
        scale = check_real("Gamma", "scale", scale, positive=True)
        _set_fields(self, shape=shape, scale=scale)
        self._setup(stats.gamma(a=shape, scale=scale))


class Beta(Distribution):
    """Beta distribution, rescaled to ``[low, high]`` (default ``[0, 1]``).

    A natural prior for fractions such as ``subsample`` or ``l1_ratio``.

    Parameters
    ----------
    a, b : float
        Shape parameters, > 0.
    low, high : float, default=0.0, 1.0
        Interval the distribution is rescaled to.

    Attributes
    ----------
    a, b : float
        Shape parameters, as given.
    low, high : float
        The interval, as given.

    Examples
    --------
    >>> from sktune.distributions import Beta
    >>> Beta(2, 2, low=0.5, high=1.0).ppf(0.5)
    0.75
    """

    _fields = ("a", "b", "low", "high")

    def __init__(self, a: float, b: float, *, low: float = 0.0, high: float = 1.0) -> None:
        a = check_real("Beta", "a", a, positive=True)
        b = check_real("Beta", "b", b, positive=True)
        low = check_real("Beta", "low", low)
        high = check_real("Beta", "high", high)
        check_bounds("Beta", low, high)
        _set_fields(self, a=a, b=b, low=low, high=high)
        self._setup(_on_interval(lambda loc, scale: stats.beta(a, b, loc, scale), low, high))

    def _quantile(self, q):
        # scipy.special's inverse incomplete beta function, not stats.beta.ppf:
        # with scipy 1.17, beta(0.5, 2).ppf(1e-12) is 2.3e-27 instead of
        # 4.4e-25, with a RuntimeWarning from boost's root finding, where
        # betaincinv is right. The upper half uses the mirror image
        # beta(b, a), so its tail keeps its digits too.
        q = np.asarray(q, dtype=float)
        x = np.where(
            q <= 0.5,
            special.betaincinv(self.a, self.b, np.minimum(q, 0.5)),
            1.0 - special.betaincinv(self.b, self.a, np.minimum(1.0 - q, 0.5)),
        )
        return _span(self.low, self.high, x)
