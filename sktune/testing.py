"""Shared checks that every sktune optimizer must pass.

An optimizer is an ask/tell object in the unit cube (DESIGN.md, rule 2):
``ask(n)`` returns an ndarray of shape ``(n, d)`` in ``[0, 1]^d``, and
``tell(X, y)`` records scores, maximised, with NaN for a failed evaluation.
"""

from collections.abc import Callable
from typing import Any

import numpy as np

from .distributions import Categorical, Integer, LogUniform, Normal, Uniform
from .space import SearchSpace, candidate_key

__all__ = ["check_optimizer"]


def _spaces():
    return {
        "continuous": SearchSpace({"a": Uniform(-1, 1), "b": LogUniform(1e-3, 1e3),
                                   "c": Normal(0, 1)}),
        "mixed": SearchSpace({"x": Uniform(0, 1), "n": Integer(1, 5),
                              "kind": Categorical(["p", "q", "r"])}),
        "conditional": SearchSpace([
            {"kernel": ["rbf"], "C": LogUniform(1e-2, 1e2), "gamma": LogUniform(1e-3, 1)},
            {"kernel": ["linear"], "C": LogUniform(1e-2, 1e2)},
        ]),
        "finite": SearchSpace({"n": Integer(1, 3), "kind": ["p", "q"]}),
    }


def _score(U):
    """A smooth test score of unit-cube rows: best near 0.3 on every axis."""
    return -np.sum((np.asarray(U) - 0.3) ** 2, axis=1)


def _fail(name, what):
    raise AssertionError(f"check_optimizer[{name}]: {what}")


def _ask(opt, n, space, name):
    X = opt.ask(n)
    if not isinstance(X, np.ndarray) or X.ndim != 2 or X.shape[1] != space.n_dims:
        _fail(name, f"ask({n}) must return an ndarray of shape (n, {space.n_dims}); "
                    f"got {getattr(X, 'shape', type(X))!r}")
    if len(X) > n:
        _fail(name, f"ask({n}) returned {len(X)} points")
    if X.size and (not np.all(np.isfinite(X)) or X.min() < 0 or X.max() > 1):
        _fail(name, f"ask({n}) returned points outside [0, 1]: {X!r}")
    return X


def _run(opt_factory, space, name, seed, rounds, nan_every=0):
    opt = opt_factory(space, seed)
    history, keys = [], set()
    for i, n in enumerate(rounds):
        X = _ask(opt, n, space, name)
        if len(X) < n and space.size >= len(keys) + n:
            _fail(name, f"ask({n}) returned only {len(X)} points although the space "
                        "has more new candidates")
        for params in space.decode(X):
            key = candidate_key(params)
            if key in keys:
                _fail(name, f"proposed the configuration {params!r} twice")
            keys.add(key)
        y = _score(X)
        if nan_every and i % nan_every == 0 and len(y):
            y[0] = np.nan  # a failed fit
        opt.tell(X, y)
        history.append(X)
    return history


def check_optimizer(opt_factory: Callable[[], Any], *, n_evals: int = 16) -> None:
    """Check that an optimizer meets sktune's ask/tell contract.

    The optimizer is run on a continuous, a mixed (integer and categorical),
    a conditional and a small finite space. The checks: ``ask(n)`` returns
    an ndarray of shape ``(n, d)`` with values in ``[0, 1]``; the same seed
    gives the same proposals; scores with NaN (failed fits) are accepted and
    the search goes on; no configuration is proposed twice, and a finite
    space is exhausted without repeats.

    Parameters
    ----------
    opt_factory : callable
        ``opt_factory(space, random_state)`` returns a new optimizer for a
        :class:`~sktune.space.SearchSpace` and an int seed.
    n_evals : int, default=16
        Points evaluated per run (asked in batches of 1, 3 and 2).

    Raises
    ------
    AssertionError
        Naming the space and the broken rule.

    Examples
    --------
    >>> from sktune.optimizers import BayesOptimizer
    >>> from sktune.testing import check_optimizer
    >>> check_optimizer(lambda space, seed: BayesOptimizer(space, random_state=seed))
    """
    pattern = [1, 3, 2]
    rounds: list[int] = []
    while sum(rounds) < n_evals:
        rounds.append(pattern[len(rounds) % len(pattern)])
    for name, space in _spaces().items():
        if name == "finite":
            # 6 candidates: 4 + 4 asked, so the second ask must stop at 2
            history = _run(opt_factory, space, name, 0, [4, 4, 1])
            total = sum(len(X) for X in history)
            if total != space.size:
                _fail(name, f"a space of {space.size} candidates gave {total} distinct "
                            "proposals when more were asked")
            continue
        first = _run(opt_factory, space, name, 0, rounds, nan_every=4)
        again = _run(opt_factory, space, name, 0, rounds, nan_every=4)
        for a, b in zip(first, again):
            if a.shape != b.shape or not np.array_equal(a, b):
                _fail(name, "the same random_state gave different proposals")
