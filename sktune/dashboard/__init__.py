"""``sktune dashboard``: the checkpoints of searches in a browser, live.

An experiments page lists every search found (strategy, estimator, data,
start, status, candidates, best score, environment); a search page shows its
leaderboard and interactive plots; a compare page puts the best-so-far
curves of several searches on one axis. Pages update while a search writes
its checkpoint, which is only ever read. Needs ``pip install sktune[dashboard]``.
"""

from ._app import create_app
from ._serve import serve

__all__ = ["create_app", "serve"]
