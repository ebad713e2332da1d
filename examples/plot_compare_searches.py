"""
Compare searches, and follow successive halving
===============================================

Grid, random and hand-picked candidates for the same SVM, their best score
so far against evaluations and against time on one plot; then a
successive-halving search, each candidate followed through its rungs.
Every plot also reads scikit-learn's own searches: the halving search here
is scikit-learn's ``HalvingRandomSearchCV``.

Run ``python examples/plot_compare_searches.py [OUTPUT_DIR]``; the pictures
go to OUTPUT_DIR (default: ``docs/_build/gallery``).
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
from scipy.stats import loguniform
from sklearn.datasets import load_digits
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import HalvingRandomSearchCV
from sklearn.svm import SVC

import sktune
from sktune.distributions import LogUniform
from sktune.plot import plot_convergence, plot_hyperband

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "docs/_build/gallery"
out.mkdir(parents=True, exist_ok=True)

X, y = load_digits(return_X_y=True)
X, y = X[::3], y[::3]  # a third of the digits keeps the example quick
space = {"C": LogUniform(1e-2, 1e2), "gamma": LogUniform(1e-5, 1e-1)}

grid = sktune.GridSearch(SVC(), space, n_points=4, cv=3).fit(X, y)
rand = sktune.RandomSearch(SVC(), space, n_iter=16, cv=3, random_state=0).fit(X, y)
manual = sktune.ManualSearch(
    SVC(), [{"C": 1.0, "gamma": "scale"}, {"C": 10.0, "gamma": 1e-3}, {"C": 10.0, "gamma": 1e-4}],
    cv=3,
).fit(X, y)

# %%
# Several searches overlay on one Axes; ``x="time"`` uses fit and score time.
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
searches = [grid, rand, manual]
plot_convergence(searches, ax=left)
plot_convergence(searches, x="time", ax=right)
fig.savefig(out / "compare_convergence.png", dpi=100, bbox_inches="tight")

# %%
# Successive halving: each line is one candidate, from the budget it
# started at to the largest it was promoted to.
halving = HalvingRandomSearchCV(
    SVC(), {"C": loguniform(1e-2, 1e2), "gamma": loguniform(1e-5, 1e-1)},
    factor=3, min_resources=30, cv=3, random_state=0,
).fit(X, y)
axes = plot_hyperband(halving)
axes[0].figure.savefig(out / "compare_halving.png", dpi=100, bbox_inches="tight")
plt.close("all")
print(sktune.format_leaderboard(halving, top=5))
