"""The configurations a Hyperband bracket starts with: random, or proposed as BOHB does."""

import warnings

import numpy as np

from ...space import candidate_key
from .._random import draw_unique

# BOHB (Falkner et al. 2018, section 4): the model is fitted at the largest
# budget with at least d + 1 + 2 finite observations...
_BOHB_EXTRA_OBSERVATIONS = 3
# ...and a fraction 1/3 of the configurations stays random, which keeps
# Hyperband's guarantees (rho = 1/3 in the paper's experiments).
_BOHB_RANDOM_FRACTION_DENOMINATOR = 3


class BracketSampler:
    """Draws the configurations of a bracket's first rung.

    :meth:`draw_random` draws distinct configurations from the space;
    :meth:`draw_bayes` follows BOHB (Falkner et al. 2018): a
    :class:`~sktune.optimizers.BayesOptimizer` fitted on the scores of the
    largest budget that has enough of them proposes two thirds of the
    configurations, and the others stay random. :meth:`observe` records the
    scores it learns from.

    Parameters
    ----------
    space : SearchSpace
        Where configurations are drawn.
    random_state : numpy.random.RandomState
        The search's single source of randomness, shared with its proposer.
    search : str, default="HyperbandSearch"
        Name used in warnings.
    """

    def __init__(self, space, random_state, search="HyperbandSearch"):
        self.space = space
        self.search = search
        self._rng = random_state
        # budget level -> list of (candidate, score)
        self._observed = {}
        self._warned_small_space = False

    def observe(self, level, candidates, scores):
        """Record the scores of ``candidates``, evaluated at budget level ``level``."""
        self._observed.setdefault(level, []).extend(zip(candidates, scores))

    def draw_random(self, n):
        """``n`` distinct random configurations, fewer if the space holds fewer."""
        # draw_unique's own warnings speak of n_iter; one of Hyperband's, once
        # per fit, says what a small space does to the brackets instead
        out = draw_unique(self.space, n, "random", self._rng, self.search, warn=False)
        if len(out) < n and not self._warned_small_space:
            self._warned_small_space = True
            warnings.warn(
                f"The search space of {self.search} holds only {len(out)} distinct "
                f"candidates (or gave no more in many draws); brackets that start with "
                f"more configurations evaluate these only.",
                UserWarning,
            )
        return out

    def _model_level(self):
        """Largest budget level with enough finite scores to fit a model."""
        needed = self.space.n_dims + _BOHB_EXTRA_OBSERVATIONS
        for level in sorted(self._observed, reverse=True):
            scores = np.array([s for _, s in self._observed[level]], dtype=float)
            if np.isfinite(scores).sum() >= needed:
                return level
        return None

    def draw_bayes(self, n):
        """``n`` configurations, two thirds proposed by a model once one can be fitted."""
        level = self._model_level()
        if level is None or self.space.n_dims == 0:
            return self.draw_random(n)
        from ...optimizers import BayesOptimizer

        observed = self._observed[level]
        # the model proposes from its first ask: the level already holds
        # more observations than BOHB's minimum, whatever the default design.
        # No input warps: fitted to the scores of a low budget, they made the
        # MLP benchmark of benchmarks/hyperband.py end worse with partial_fit
        # in each of 6 seeds (benchmarks/README.md).
        optimizer = BayesOptimizer(
            self.space, n_initial_points=1, input_warping=False,
            random_state=self._rng.randint(0, 2**31 - 1),
        )
        optimizer.tell(
            self.space.encode([c for c, _ in observed]),
            np.array([s for _, s in observed], dtype=float),
        )
        n_model = n - n // _BOHB_RANDOM_FRACTION_DENOMINATOR
        out, seen = [], set()
        for params in self.space.decode(optimizer.ask(n_model)):
            key = candidate_key(params)
            if key not in seen and len(out) < n_model:
                seen.add(key)
                out.append(params)
        for params in self.draw_random(n):
            if len(out) == n:
                break
            key = candidate_key(params)
            if key not in seen:
                seen.add(key)
                out.append(params)
        return out
