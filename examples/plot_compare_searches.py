"""
Compare searches, and follow Hyperband's brackets
=================================================

Grid, random, Bayesian and hand-picked candidates for the same SVM, their
best score so far against evaluations and against time on one plot; then
Hyperband, each candidate followed through the rungs of its bracket. Every
plot also reads scikit-learn's own searches (``GridSearchCV``,
``HalvingRandomSearchCV``...).

Run ``python examples/plot_compare_searches.py [OUTPUT_DIR]``; the pictures
go to OUTPUT_DIR (default: ``docs/_build/gallery``).
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
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
bayes = sktune.BayesSearch(SVC(), space, n_iter=16, cv=3, random_state=0).fit(X, y)
manual = sktune.ManualSearch(
    SVC(), [{"C": 1.0, "gamma": "scale"}, {"C": 10.0, "gamma": 1e-3}, {"C": 10.0, "gamma": 1e-4}],
    cv=3,
).fit(X, y)

# %%
# Several searches overlay on one Axes; ``x="time"`` uses fit and score time.
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
searches = [grid, rand, bayes, manual]
plot_convergence(searches, ax=left)
plot_convergence(searches, x="time", ax=right)
fig.savefig(out / "compare_convergence.png", dpi=100, bbox_inches="tight")

# %%
# Hyperband: each line is one candidate of a bracket, from the budget (here
# training samples) it started at to the largest it was promoted to.
hyperband = sktune.HyperbandSearch(SVC(), space, min_resources=15, cv=3, random_state=0)
hyperband.fit(X, y)
print(hyperband.schedule_)
axes = plot_hyperband(hyperband)
axes[0].figure.savefig(out / "compare_hyperband.png", dpi=100, bbox_inches="tight")
plt.close("all")
print(sktune.format_leaderboard(hyperband, top=5))
