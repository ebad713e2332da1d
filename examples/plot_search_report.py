"""
Look at what a search found
===========================

Tune an SVM on the wine data with a quasi-random search, then look at the
results from every side: a leaderboard in the terminal, the convergence,
parallel coordinates, the score against each parameter, which parameters
matter (functional ANOVA, Hutter, Hoos & Leyton-Brown, ICML 2014), and one
self-contained HTML report with all of it.

Run ``python examples/plot_search_report.py [OUTPUT_DIR]``; the pictures and
``report.html`` go to OUTPUT_DIR (default: ``docs/_build/gallery``).
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
from sklearn.datasets import load_wine
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import sktune
from sktune.distributions import LogUniform
from sktune.plot import (
    plot_convergence,
    plot_importance,
    plot_parallel_coordinates,
    plot_param_slices,
)

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "docs/_build/gallery"
out.mkdir(parents=True, exist_ok=True)

X, y = load_wine(return_X_y=True)
pipe = make_pipeline(StandardScaler(), SVC())
space = {
    "svc__C": LogUniform(1e-2, 1e3),
    "svc__gamma": LogUniform(1e-4, 1e1),
    "svc__kernel": ["rbf", "sigmoid"],
}
search = sktune.RandomSearch(pipe, space, n_iter=24, sampler="lhs", cv=3, random_state=0)
search.fit(X, y)

# %%
# The ten best candidates, as text (``sktune.leaderboard`` gives a DataFrame).
print(sktune.format_leaderboard(search, top=10))

# %%
# Each plot takes ``ax=`` and returns what it drew.
ax = plot_convergence(search)
ax.set_title("Best score so far")
ax.figure.savefig(out / "search_convergence.png", dpi=100, bbox_inches="tight")

ax = plot_parallel_coordinates(search)
ax.figure.savefig(out / "search_parallel_coordinates.png", dpi=100, bbox_inches="tight")

axes = plot_param_slices(search)
axes[0].figure.savefig(out / "search_param_slices.png", dpi=100, bbox_inches="tight")

ax = plot_importance(search)
ax.figure.savefig(out / "search_importance.png", dpi=100, bbox_inches="tight")
plt.close("all")

# %%
# Everything on one page that opens offline in any browser.
path = sktune.write_report(search, out / "report.html", title="SVM on the wine data")
print(f"wrote {path}")
