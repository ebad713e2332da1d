"""
Checkpoint, resume and extend a search
======================================

With ``checkpoint=``, a search records every candidate in an SQLite file as
soon as its cross-validation finishes. Fitting again with the same file,
data and settings reads the recorded candidates instead of fitting them:
an interrupted search resumes, and a finished one is extended by a larger
``n_iter``. ``n_iter_no_change`` and ``max_time`` stop a search early; the
stop reason is ``stop_reason_``.
"""

import os
import tempfile

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sktune import LogUniform, RandomSearch
from sktune.plot import plot_convergence
from sktune.search import results_from_checkpoint

X, y = load_digits(return_X_y=True)
X, y = X[::4], y[::4]
pipe = make_pipeline(StandardScaler(), SVC())
space = {"svc__C": LogUniform(1e-2, 1e3), "svc__gamma": LogUniform(1e-5, 1e0)}
path = os.path.join(tempfile.mkdtemp(), "svc.db")

# %%
# A first run of 8 candidates, then the same search extended to 24: the
# first 8 are read from the checkpoint, only 16 are fitted.
first = RandomSearch(pipe, space, n_iter=8, sampler="sobol", cv=3, random_state=0,
                     checkpoint=path).fit(X, y)
extended = RandomSearch(pipe, space, n_iter=24, sampler="sobol", cv=3, random_state=0,
                        checkpoint=path).fit(X, y)
print(f"first run: {len(first.cv_results_['params'])} candidates, "
      f"best {first.best_score_:.4f}")
print(f"extended: {len(extended.cv_results_['params'])} candidates, "
      f"{extended.n_reused_} read from the checkpoint, best {extended.best_score_:.4f}")

# %%
# Anyone can read the checkpoint, even while the search runs: this is what
# ``sktune show`` and ``sktune report`` do.
stored = results_from_checkpoint(path)
print(f"{len(stored['params'])} candidates recorded in {os.path.basename(path)}")

fig, ax = plt.subplots(figsize=(6, 3.5))
plot_convergence(extended, ax=ax, labels=["RandomSearch, resumed"])
ax.axvline(8.5, color="0.5", ls=":")
ax.text(8.7, ax.get_ylim()[0], " resumed here", va="bottom", color="0.4")
fig.tight_layout()

# %%
# A changed search refuses the checkpoint instead of mixing its results
# with another search's:
try:
    narrower = {**space, "svc__C": LogUniform(1e-1, 1e3)}
    RandomSearch(pipe, narrower, n_iter=24, sampler="sobol", cv=3, random_state=0,
                 checkpoint=path).fit(X, y)
except ValueError as exc:  # sktune.store.CheckpointError
    print(type(exc).__name__, ":", exc)

# %%
# Stop when the search no longer improves: after 10 candidates in a row
# without a better score.
patient = RandomSearch(pipe, space, n_iter=200, cv=3, random_state=0, n_iter_no_change=10)
patient.fit(X, y)
print(f"stopped: {patient.stop_reason_} after {len(patient.cv_results_['params'])} "
      f"of 200 candidates, best {patient.best_score_:.4f}")
