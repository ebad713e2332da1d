"""
Random, Sobol and Latin hypercube candidates
============================================

``RandomSearch(sampler=...)`` draws its candidates in the unit cube and maps
each axis through its distribution's quantile function. Independent draws
(``"random"``, what ``RandomizedSearchCV`` does) leave gaps and clumps; a
scrambled Sobol sequence (``"sobol"``) and a Latin hypercube (``"lhs"``)
spread the same number of points more evenly. This example measures how
evenly, with the centred L2 discrepancy of :mod:`scipy.stats.qmc` (lower is
more even), then shows that a search gets the benefit in parameter space.
"""

import matplotlib.pyplot as plt
import numpy as np
from scipy.stats import qmc

from sktune.distributions import LogUniform
from sktune.space import SAMPLERS, SearchSpace, UnitDesign

# %%
# Evenness of the designs
# -----------------------
# For each sampler and each number of points, the discrepancy of 5-dimensional
# designs, averaged over 10 seeds. The designs are the ones the searches use
# (:class:`~sktune.space.UnitDesign`), so no model is fitted here.

sizes = [8, 16, 32, 64, 128]
n_dims, n_seeds = 5, 10
discrepancy = {sampler: [] for sampler in SAMPLERS}
for sampler in SAMPLERS:
    for n in sizes:
        values = [
            qmc.discrepancy(UnitDesign(n_dims, sampler, np.random.RandomState(seed)).draw(n))
            for seed in range(n_seeds)
        ]
        discrepancy[sampler].append(np.mean(values))

fig, ax = plt.subplots(figsize=(5, 3.5))
for sampler in SAMPLERS:
    ax.plot(sizes, discrepancy[sampler], marker="o", label=sampler)
ax.set(xscale="log", yscale="log", xlabel="number of candidates",
       ylabel="centred L2 discrepancy", title=f"{n_dims} dimensions, mean of {n_seeds} seeds")
ax.set_xticks(sizes, [str(n) for n in sizes])
ax.legend()

for sampler in SAMPLERS:
    print(f"{sampler:>6}: " + "  ".join(f"{d:.4f}" for d in discrepancy[sampler]))

# %%
# What a search sees
# ------------------
# Sixteen candidates for two parameters of an SVM, drawn by each sampler
# through the same distributions: ``C`` log-uniform, ``gamma`` log-uniform.
# Lines mark the sixteen equally likely slices of each axis; the Sobol and
# Latin hypercube designs put exactly one candidate in each slice of each
# axis.

space = SearchSpace({"C": LogUniform(1e-2, 1e3), "gamma": LogUniform(1e-4, 1e1)})
fig, axes = plt.subplots(1, 3, figsize=(10, 3.3), sharex=True, sharey=True)
edges_gamma = LogUniform(1e-4, 1e1).ppf(np.linspace(0, 1, 17))
edges_C = LogUniform(1e-2, 1e3).ppf(np.linspace(0, 1, 17))
for ax, sampler in zip(axes, SAMPLERS):
    candidates = space.decode(space.design(sampler, np.random.RandomState(0)).draw(16))
    ax.vlines(edges_gamma, 1e-2, 1e3, color="0.9", lw=0.8)
    ax.hlines(edges_C, 1e-4, 1e1, color="0.9", lw=0.8)
    ax.scatter([c["gamma"] for c in candidates], [c["C"] for c in candidates], s=18)
    ax.set(xscale="log", yscale="log", xlabel="gamma", title=f'sampler="{sampler}"')
axes[0].set_ylabel("C")
fig.tight_layout()

# %%
# ``RandomSearch(estimator, space, n_iter=16, sampler="sobol")`` evaluates
# exactly such a design; see :ref:`random_search` for a search on real data.
