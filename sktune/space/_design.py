"""Designs in the unit cube: random, Sobol and Latin hypercube rows."""

import numpy as np
from scipy.stats import qmc

SAMPLERS = ("random", "sobol", "lhs")


def _generator(random_state):
    # scipy.stats.qmc wants a Generator; derive it from the search's single
    # RandomState so that one random_state still fixes every draw.
    return np.random.default_rng(random_state.randint(0, 2**31 - 1, size=4))


class UnitDesign:
    """A stream of rows in ``[0, 1]^d`` drawn by one of :data:`SAMPLERS`.

    Successive :meth:`draw` calls continue the same sequence, so a Sobol
    stream stays balanced however the rows are requested.

    Parameters
    ----------
    n_dims : int
        Dimension ``d``.
    method : {"random", "sobol", "lhs"}
        How rows are drawn.
    random_state : numpy.random.RandomState
        Source of randomness.

    Attributes
    ----------
    n_dims : int
        Dimension ``d``, as given.
    method : str
        The sampler, as given.

    Examples
    --------
    >>> import numpy as np
    >>> from sktune.space import UnitDesign
    >>> design = UnitDesign(2, "sobol", np.random.RandomState(0))
    >>> design.draw(3).shape
    (3, 2)
    """

    def __init__(self, n_dims: int, method: str, random_state: np.random.RandomState) -> None:
        self.n_dims = n_dims
        self.method = method
        self._rs = random_state
        self._buffer = np.empty((0, n_dims))
        self._engine = None
        if n_dims > 0 and method == "sobol":
            self._engine = qmc.Sobol(n_dims, scramble=True, rng=_generator(random_state))
        elif n_dims > 0 and method == "lhs":
            self._engine = qmc.LatinHypercube(n_dims, rng=_generator(random_state))

    def draw(self, n: int) -> np.ndarray:
        """Return the next ``n`` rows of the stream.

        Parameters
        ----------
        n : int
            Number of rows.

        Returns
        -------
        rows : ndarray of shape (n, n_dims)
            Points in ``[0, 1]^n_dims``.

        Examples
        --------
        Three rows and then five continue one Sobol sequence, so the eight
        together put one point in each eighth of every axis:

        >>> import numpy as np
        >>> from sktune.space import UnitDesign
        >>> design = UnitDesign(2, "sobol", np.random.RandomState(0))
        >>> rows = np.vstack([design.draw(3), design.draw(5)])
        >>> rows.shape
        (8, 2)
        >>> sorted((rows[:, 0] * 8).astype(int).tolist())
        [0, 1, 2, 3, 4, 5, 6, 7]
        """
        if self.n_dims == 0:
            return np.empty((n, 0))
        if self.method == "random":
            return self._rs.uniform(size=(n, self.n_dims))
        while len(self._buffer) < n:
            self._buffer = np.vstack([self._buffer, self._next_block(n - len(self._buffer))])
        rows, self._buffer = self._buffer[:n], self._buffer[n:]
        return rows

    def _next_block(self, needed):
        if self.method == "lhs":
            return self._engine.random(needed)
        # Sobol keeps its balance only over power-of-two totals: the first
        # block is the next power of two, later ones double the total.
        done = self._engine.num_generated
        m = (done.bit_length() - 1) if done else (needed - 1).bit_length()
        return self._engine.random_base2(m)
