"""
Replace GridSearchCV in a pipeline, then nest the search
========================================================

sktune's searches take scikit-learn's arguments, so an existing
``GridSearchCV`` becomes a :class:`~sktune.GridSearch` by changing the
import, with the same candidates and the same scores. From there a
distribution can write the grid, another strategy is one word away, and
the search nests in ``cross_val_score`` to measure how well *tuning* works
on unseen data, which ``best_score_`` cannot tell.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_wine
from sklearn.model_selection import GridSearchCV, KFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sktune import GridSearch, LogUniform, RandomSearch

X, y = load_wine(return_X_y=True)
pipe = make_pipeline(StandardScaler(), SVC())

# %%
# The same search, two imports
# ----------------------------
grid = {"svc__C": [0.1, 1, 10, 100], "svc__gamma": [1e-3, 1e-2, 1e-1]}
before = GridSearchCV(pipe, grid, cv=5).fit(X, y)
after = GridSearch(pipe, grid, cv=5).fit(X, y)

print("same candidates:", before.cv_results_["params"] == after.cv_results_["params"])
print("same scores:", np.array_equal(before.cv_results_["mean_test_score"],
                                     after.cv_results_["mean_test_score"]))
print("best:", after.best_params_, f"{after.best_score_:.4f}")

# %%
# Distributions instead of lists
# ------------------------------
# ``LogUniform(1e-2, 1e3)`` with ``n_points=6`` is the grid 0.01, 0.1, ..., 1000;
# ``RandomSearch`` reads the same space and draws a Sobol design from it.
space = {"svc__C": LogUniform(1e-2, 1e3), "svc__gamma": LogUniform(1e-4, 1e0)}
log_grid = GridSearch(pipe, space, n_points=6, cv=5).fit(X, y)
print("C values of the grid:", sorted({float(c) for c in log_grid.cv_results_["param_svc__C"]}))
sobol = RandomSearch(pipe, space, n_iter=16, sampler="sobol", cv=5, random_state=0).fit(X, y)
print(f"grid, 36 candidates: {log_grid.best_score_:.4f}; Sobol, 16: {sobol.best_score_:.4f}")

# %%
# Nested cross-validation
# -----------------------
# ``best_score_`` is the best of many scores measured on the same folds, so
# it is optimistic. Each outer fold below tunes the search again on its
# training part and scores the refitted winner on data the search never saw.
inner = RandomSearch(pipe, space, n_iter=8, sampler="sobol", cv=3, random_state=0)
outer = cross_validate(inner, X, y, cv=KFold(5, shuffle=True, random_state=0),
                       return_estimator=True)
inner_best = [search.best_score_ for search in outer["estimator"]]
outer_test = outer["test_score"]
print(f"nested accuracy: {outer_test.mean():.3f} +/- {outer_test.std():.3f}")

fig, ax = plt.subplots(figsize=(6, 3.5))
folds = np.arange(1, 6)
ax.plot(folds, inner_best, "o-", label="best_score_ of the inner search")
ax.plot(folds, outer_test, "s--", label="score on the outer test fold")
ax.set(xticks=folds, xlabel="outer fold", ylabel="accuracy",
       title="Tuning, measured on data it never saw")
ax.legend()
fig.tight_layout()
