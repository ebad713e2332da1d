"""Figures of the user guide, drawn at build time by ``.. plot::`` directives.

Only the documentation imports this module; it is not part of sktune.
"""

import matplotlib.pyplot as plt
import numpy as np

from sktune.optimizers import BayesOptimizer
from sktune.space import SearchSpace

N_GRID = 7
N_RANDOM = 20
N_BAYES = 16
TARGET_QUANTILE = 0.7


def bayes_proposals(dist, n=N_BAYES, random_state=0):
    """Values BayesOptimizer proposes for ``dist`` on a one-parameter toy problem.

    The toy score peaks at the value at quantile ``TARGET_QUANTILE`` of the
    distribution (``exp(-((u - 0.7) / 0.15)**2)`` with ``u = dist.cdf(x)``),
    so the same problem is posed to every distribution.
    """
    space = SearchSpace({"x": dist})
    # a space of a few values holds fewer distinct candidates than asked for
    n = int(min(n, dist.n_values))
    n_initial = min(6, n)
    opt = BayesOptimizer(space, n_initial_points=n_initial, random_state=random_state)
    values = []
    while len(values) < n:
        U = opt.ask(1 if values else n_initial)
        if len(U) == 0:
            break
        xs = [p["x"] for p in space.decode(U)]
        u = np.asarray(space.encode([{"x": x} for x in xs]))[:, 0]
        opt.tell(U, np.exp(-(((u - TARGET_QUANTILE) / 0.15) ** 2)))
        values.extend(xs)
    return values[:n]


def _positions(dist, values):
    if dist.is_categorical:
        return np.array([dist.index(v) for v in values], dtype=float)
    return np.asarray(values, dtype=float)


def distribution_figure(dist, title=None):
    """Density of ``dist`` above what grid, random and Bayesian search draw from it.

    Returns the figure: the density (a bar per value for discrete ones,
    the density per decade for log-scaled ones) and, below it, three rows of
    markers: ``dist.grid(7)``, 20 random draws and 16 values proposed by
    Bayesian optimization on a toy score.
    """
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(6.4, 3.4), sharex=True, gridspec_kw={"height_ratios": [2.2, 1.4]}
    )
    discrete = dist.is_categorical or dist.is_integer
    if dist.is_categorical:
        k = len(dist.choices)
        probs = np.diff(np.concatenate([[0.0], [dist.cdf(c) for c in dist.choices]]))
        top.bar(np.arange(k), probs, width=0.6, color="C0", alpha=0.7)
        top.set_ylabel("probability")
        bottom.set_xticks(np.arange(k), [str(c) for c in dist.choices])
    elif discrete:
        low, high = dist.support()
        ks = np.arange(low, high + 1)
        probs = np.asarray(dist.cdf(ks)) - np.asarray(dist.cdf(ks - 1))
        top.bar(ks, probs, width=0.8 if len(ks) < 40 else 1.0, color="C0", alpha=0.7)
        top.set_ylabel("probability")
        if dist.is_log:
            top.set_xscale("log")
    else:
        lo, hi = dist.ppf(1e-3), dist.ppf(1 - 1e-3)
        low, high = dist.support()
        lo, hi = max(lo, low), min(hi, high)
        if dist.is_log:
            x = np.geomspace(lo, hi, 400)
            density = np.gradient(np.asarray(dist.cdf(x)), np.log10(x))
            top.set_xscale("log")
            top.set_ylabel("density per decade")
        else:
            x = np.linspace(lo, hi, 400)
            density = np.gradient(np.asarray(dist.cdf(x)), x)
            top.set_ylabel("density")
        top.fill_between(x, density, color="C0", alpha=0.3)
        top.plot(x, density, color="C0")
    top.set_ylim(bottom=0)
    top.set_title(title or repr(dist), fontsize=10)

    rows = [
        (f"grid({N_GRID})", dist.grid(N_GRID), "C1", "|"),
        (f"random ({N_RANDOM})", list(np.atleast_1d(dist.rvs(size=N_RANDOM, random_state=0))),
         "C2", "o"),
        (f"Bayes ({N_BAYES})", bayes_proposals(dist), "C3", "o"),
    ]
    rng = np.random.RandomState(1)
    for i, (_label, values, color, marker) in enumerate(rows):
        xs = _positions(dist, values)
        jitter = 0.25 * rng.uniform(-1, 1, len(xs)) if discrete else np.zeros(len(xs))
        if marker == "|":
            bottom.scatter(xs, np.full(len(xs), -i), marker="|", s=160, color=color)
        else:
            bottom.scatter(xs + jitter * (0.3 if dist.is_categorical else 0), -i + jitter,
                           s=14, color=color, alpha=0.7)
    peak = _positions(dist, [dist.ppf(TARGET_QUANTILE)])[0]
    bottom.axvline(peak, color="C3", lw=0.8, ls=":")
    bottom.set_yticks([0, -1, -2], [r[0] for r in rows])
    bottom.set_ylim(-2.6, 0.6)
    bottom.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig
