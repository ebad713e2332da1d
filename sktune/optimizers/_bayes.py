"""BayesOptimizer: ask/tell Bayesian optimization in the unit cube.

Notation (shapes in brackets)
-----------------------------
d         number of axes of the search space (``space.n_dims``)
p         number of surrogate features (one-hot blocks make ``p >= d``)
U [m, d]  points in the unit cube, the optimizer's currency; a
          distribution's ``ppf`` maps an axis to parameter values, so the
          distribution acts as the prior over its axis
Z [m, p]  surrogate features of ``U`` (see ``_Encoder``)
y [n]     told scores, maximised; NaN is a failed fit
t [n]     warped targets the surrogate is fitted to

One ``ask`` round: warp the scores, fit the GP (warm-started), then for each
point of the batch maximise log EI over a quasi-random start set refined by
L-BFGS-B, and condition the GP on the chosen point at its predicted mean
(Kriging believer, Ginsbourger et al. 2010) before choosing the next.
"""

import numbers
import time
from fractions import Fraction

import numpy as np
from scipy.optimize import minimize
from scipy.stats import qmc
from sklearn.utils import check_random_state
from threadpoolctl import ThreadpoolController

from ..space import SearchSpace
from ._acquisition import log_expected_improvement
from ._feasibility import FeasibilityModel
from ._gp import GaussianProcess, _sq_dist

# Size of the quasi-random start set of the acquisition maximisation, and of
# the cloud of perturbations drawn around the best observed points. 512 + 256
# keeps one ask under a few milliseconds of acquisition evaluations at 100
# observations while covering 8 dimensions far better than the 5 L-BFGS-B
# starts alone.
_N_SOBOL = 512
_N_LOCAL = 256
_N_TOP_OBSERVED = 4
_LOCAL_SCALE = 0.08
_N_STARTS = 5
# The refinement stops when an iteration gains less than this fraction of the
# summed log EI. Through the input warps of log-scaled axes L-BFGS-B crawls
# along the compressed ends: at 100 points on 8 such axes it ran 30 to 50
# iterations, past the tenth gaining a few hundredths of log EI, and took
# over half the time of an ask. Without input warping the default (2.2e-9)
# stays: the optimizer is then the one measured before the warps.
_REFINE_FTOL = 1e-4
# Candidates whose posterior std is below this fraction of the signal's are
# ranked after all others, by this many log-EI units.
_MIN_STD = 0.01
_UNINFORMATIVE_PENALTY = 1e3
# Candidates closer than this (Euclidean, in the kernel's features) to an
# observed or pending point are not proposed.
_MIN_DISTANCE = 1e-3
# Warped scores below the median by more than this many robust standard
# deviations are squashed logarithmically (see warp_scores).
_SQUASH_BELOW = -2.0
# ... and floored here: a score 1e6 deviations below the median is simply
# very bad, and must not stretch the standardised scale of the rest.
_FLOOR = -5.0
# The GP's hyperparameters are refitted at every ask up to this many
# observations, then whenever their number has grown by this factor since the
# last fit (every 10 points at 100): at 100 points in 8 dimensions a fit costs
# more than all the rest of an ask. A fraction, since 1.1 * 50 > 55 in floats.
_REFIT_ALWAYS_UP_TO = 50
_REFIT_GROWTH = Fraction(11, 10)
# Past this many points the hyperparameters are fitted to a random subset
# of this size (the posterior still conditions on all of them).
_MAX_FIT_POINTS = 300
# Past this many points (observed and fantasised) an ask bounds its cost,
# which grows as n^2 in the posterior std of the start set and in each
# step of the L-BFGS-B refinement: the start set (Sobol and local points)
# shrinks by 300 / n, its Sobol part to a power of two, at least 64 and 32
# points; the refinement runs at most 50 * (300 / n)^2 iterations, at least
# _MIN_REFINE_ITER, from the best 5 * 300 / n starts, at least 2 (each of
# its steps solves against the n x n factor for all starts at once: at
# 1,000 points that solve took 0.29 ms for 5 starts, 0.05 ms for one); and
# the incumbent's mean comes from alpha in O(n). At 1,000 points in 8
# dimensions the std of the 768 starts was a third of an ask and the
# refinement half (benchmarks/optimizer_cost.py). An exact
# screen (the std given the 10 nearest observations bounds the std given
# all) pruned nothing there: 740 of the 768 starts were within _MIN_STD of
# the data, where the bound is loose.
_BOUNDED_FROM = 300
_MIN_SOBOL, _MIN_LOCAL = 64, 32
_REFINE_MAXITER = 50
_MIN_REFINE_ITER = 5
_MIN_REFINED_STARTS = 2
# Default initial design: 2 (d + 1) Sobol points, at least 6 and at most 10.
# Fewer (d + 1, at least 4) gave the model more rounds by 15 evaluations but
# fitted its length-scales on too few points: on benchmarks/bayes.py the
# larger design lost about 2 points at 15 evaluations and gained 3 to 5 at 30.
_MIN_INITIAL = 6
_MAX_INITIAL = 10
# Quantile of the warped scores at which the GP's prior mean sits. With the
# usual zero (their mean), every region far from the data looks average and
# highly uncertain, and expected improvement chases it: it ran to the corners
# of the box (MLP on breast cancer: alpha at its upper bound in 8 of 10
# model points; SVC on iris: five points at C = 1e3 that differed only in a
# gamma the linear kernel ignores). A low constant mean makes the unexplored
# look like the weaker configurations seen, as most of a wide hyperparameter
# space is; De Ath et al. (2020, "What do you mean? The role of the mean
# function in Bayesian optimisation") found the worst observed value the
# best constant mean on their synthetic problems of more than 5 dimensions.
# On benchmarks/bayes.py the lower quartile and the minimum both gained on
# two seed sets, the quartile more at 15 evaluations (benchmarks/README.md).
_PRIOR_MEAN_QUANTILE = 0.25
# Quantiles kept out of the model's search on an unbounded axis, each side:
# 1e-3 is 3.1 sigma for a Normal prior.
_TAIL = 1e-3
# A failed point is imputed this many posterior stds below the GP's mean
# there. On the analytic problems of benchmarks/README.md (failing fits),
# 2 stds lost a quarter of the gain under 50 % random failures and kept
# few more points out of a failing region.
_FAILED_STDS_BELOW = 1.0
# Random draws tried, per wanted point, before a space is taken as exhausted.
_MAX_FALLBACK_DRAWS = 200


class _Encoder:
    """Unit-cube rows -> canonical rows and surrogate features.

    A continuous axis is its own feature. An integer axis is rounded to the
    centre of its value's quantile interval, and a categorical axis becomes a
    one-hot block, both *inside* the kernel, so that the surrogate is flat
    across the points that decode to one configuration (Garrido-Merchan &
    Hernandez-Lobato 2020, "Dealing with categorical and integer-valued
    variables in Bayesian optimization with Gaussian processes"). An axis
    that a row's sub-space does not use gets a constant feature.
    """

    def __init__(self, space):
        self.space = space
        self.kinds, self.columns, self.edges = [], [], []
        p = 0
        for dim in space.dimensions:
            dist = dim.distribution
            if dist.is_categorical:
                k = dist.n_values
                w = np.full(k, 1.0 / k) if dist.weights is None else np.asarray(dist.weights)
                edges = np.concatenate([[0.0], np.cumsum(w)])
                edges[-1] = 1.0
                self.kinds.append("cat")
                self.edges.append(edges)
                self.columns.append(np.arange(p, p + k))
                p += k
            else:
                self.kinds.append("int" if dist.is_integer else "cont")
                self.edges.append(None)
                self.columns.append(np.array([p]))
                p += 1
        self.n_features = p
        # The model searches an unbounded axis (Normal, LogNormal...) only in
        # its central quantiles: at u = 0 or 1 a Normal sits 7 sigma out,
        # and EI, whose std is largest at the corners of the cube, would
        # happily go there.
        self.low = np.zeros(len(self.kinds))
        self.high = np.ones(len(self.kinds))
        for j, dim in enumerate(space.dimensions):
            if self.kinds[j] == "cont" and not dim.distribution.is_bounded:
                self.low[j], self.high[j] = _TAIL, 1.0 - _TAIL
        self.cont_axes = np.array([j for j, k in enumerate(self.kinds) if k == "cont"], dtype=int)
        # features the GP sees through a fitted input warp (see _gp.py)
        self.log_features = [
            int(self.columns[j][0]) for j, dim in enumerate(space.dimensions)
            if self.kinds[j] != "cat" and dim.distribution.is_log
        ]
        self.discrete_axes = [j for j, k in enumerate(self.kinds) if k != "cont"]
        self._cat_axes = [j for j, k in enumerate(self.kinds) if k == "cat"]
        self._own_axes = np.array([j for j, k in enumerate(self.kinds) if k != "cat"], dtype=int)
        self._own_columns = np.array([self.columns[j][0] for j in self._own_axes], dtype=int)
        self.conditional = len(space.subspaces) > 1

    def active(self, U):
        if not self.conditional:
            return np.ones(U.shape, dtype=bool)
        return self.space.active_mask(U)

    def _category(self, j, u):
        edges = self.edges[j]
        return np.clip(np.searchsorted(edges, u, side="right") - 1, 0, len(edges) - 2)

    def canonical(self, U):
        """Rows that decode identically map to one row (inactive axes -> 0.5)."""
        U = np.clip(np.asarray(U, dtype=float), 0.0, 1.0).copy()
        for j, kind in enumerate(self.kinds):
            if kind == "cat":
                i = self._category(j, U[:, j])
                U[:, j] = 0.5 * (self.edges[j][i] + self.edges[j][i + 1])
            elif kind == "int":
                dist = self.space.dimensions[j].distribution
                U[:, j] = dist.to_unit(dist.ppf(U[:, j]))
        if self.conditional:
            U[~self.active(U)] = 0.5
        return U

    def features(self, U):
        """Surrogate features, an ndarray of shape (n_points, n_features)."""
        U = np.asarray(U, dtype=float)
        Uc = self.canonical(U)
        # continuous axes keep their exact coordinate (canonical only clips)
        Z = np.empty((len(U), self.n_features))
        # one copy for every axis that is its own feature: the L-BFGS-B
        # refinement computes features at each step
        Z[:, self._own_columns] = Uc[:, self._own_axes]
        for j in self._cat_axes:
            cols = self.columns[j]
            i = self._category(j, Uc[:, j])
            block = np.zeros((len(U), len(cols)))
            block[np.arange(len(U)), i] = 1.0
            Z[:, cols] = block
        if self.conditional:
            inactive = ~self.active(Uc)
            for j in range(len(self.kinds)):
                rows = inactive[:, j]
                if rows.any():
                    Z[np.ix_(rows, self.columns[j])] = 0.5 if self.kinds[j] != "cat" else 0.0
        return Z, Uc


_CONTROLLER = []


def _blas_controller():
    # Finding the loaded BLAS libraries takes ~10 ms on a busy machine: once.
    if not _CONTROLLER:
        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0]


def warp_scores(y):
    """Map scores to surrogate targets, robust to outliers and failures.

    Scores are centred on their median and scaled by their median absolute
    deviation (MAD); values more than ``2`` such units below the median are
    squashed logarithmically (``c - log1p(c - t)``) and floored at ``-5``,
    and the result is standardised.
    The good half keeps its linear scale, where the differences that matter
    live, while a diverged model or a chance-level score cannot stretch the
    scale and flatten the rest (the failure mode of plain standardisation
    that Cowen-Rivers et al. 2022, HEBO, address with power transforms). A
    failed fit (NaN) gets the worst finite score.

    Parameters
    ----------
    y : array-like of shape (n_points,)
        Scores, higher is better; NaN for failures.

    Returns
    -------
    t : ndarray of shape (n_points,)
        Targets with mean 0 and standard deviation 1 (all zeros when every
        score is equal or fewer than two are finite); the order of ``y`` is
        kept.

    Examples
    --------
    >>> import numpy as np
    >>> from sktune.optimizers import warp_scores
    >>> t = warp_scores([0.90, 0.92, 0.94, np.nan, -1e6])
    >>> bool(t[2] - t[1] > 0.2)  # the outlier does not flatten the top
    True
    >>> bool(t[3] == t[4] == t.min())
    True
    """
    y = np.asarray(y, dtype=float)
    finite = np.isfinite(y)
    if finite.sum() < 2:
        return np.zeros(len(y))
    yf = y[finite]
    median = np.median(yf)
    dev = np.abs(yf - median)
    # 1.4826 MAD is the standard deviation for normal data, and survives up
    # to half the scores being outliers (an IQR does not survive a quarter).
    # Ties (a plateau of equal accuracies) can make it 0: then the mean
    # absolute deviation is used.
    scale = 1.4826 * np.median(dev) or dev.mean()
    if scale <= 0:
        return np.zeros(len(y))
    t = (np.where(finite, y, yf.min()) - median) / scale
    low = t < _SQUASH_BELOW
    t[low] = np.maximum(_SQUASH_BELOW - np.log1p(_SQUASH_BELOW - t[low]), _FLOOR)
    return (t - t.mean()) / t.std()


def _check_int(name, value, minimum, allow_none=False):
    if allow_none and value is None:
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(
            f"The {name!r} parameter of BayesOptimizer must be an int >= {minimum}"
            f"{' or None' if allow_none else ''}. Got {value!r} instead."
        )
    return int(value)


class BayesOptimizer:
    """Bayesian optimization by ask and tell, in the unit cube of a search space.

    The optimizer never sees an estimator or data: it proposes rows of
    ``[0, 1]^d`` with :meth:`ask`, and learns their scores (maximised, NaN
    for a failed evaluation) with :meth:`tell`. ``space.decode`` turns rows
    into parameter dicts, so each distribution acts as the prior of its axis:
    a ``Normal`` is searched densely near its mean, a ``LogUniform`` evenly
    in log space.

    The first ``n_initial_points`` come from a scrambled Sobol design. After
    that a Gaussian process (Matern-5/2 ARD kernel with noise, MAP-II
    hyperparameters warm-started from the previous fit, refitted at every
    ask up to 50 points and then whenever the data has grown by 10%, past
    300 points on a random subset of 300; between refits a new point extends
    the Cholesky factor) is
    fitted to the robustly warped scores (see :func:`warp_scores`), with its
    prior mean at their lower quartile (far from the data the model expects
    a weak configuration, not an average one), and each
    point maximises log expected improvement (Ament et al. 2023). A batch of
    ``n`` points is chosen by the Kriging believer: after each choice, the
    GP is conditioned on the point at its predicted mean, which pushes the
    next choice elsewhere. Integer and categorical axes are rounded inside
    the kernel, and a configuration that was already asked or told is never
    proposed again. A log-scaled axis is seen through a fitted input warp
    that can compress either end of its range (Snoek et al. 2014; see
    :class:`GaussianProcess`).

    A failed evaluation (NaN) is not given a score: the GP is fitted to the
    finite scores, each failed point is imputed between one posterior
    standard deviation below the GP's mean there and the worst finite score,
    by how clustered the failures are around it (so the model does not
    return to it), the GP is refitted with the imputed points, and expected
    improvement is multiplied by the probability of
    success predicted by a :class:`FeasibilityModel` of the failures
    (Gelbart et al. 2014). All of this only once the classifier shows that
    failures depend on the point (it predicts left-out outcomes better than
    the overall success rate, see ``FeasibilityModel.informative_``):
    failures that strike at random are ignored, and the search goes on as
    on the successes alone; failures confined to a region make the
    probability small there. Without failures none of this runs.

    Parameters
    ----------
    space : SearchSpace or int
        The search space (its metadata only: kinds of axes, sub-spaces), or a
        number of continuous axes.
    n_initial_points : int or None, default=None
        Points drawn from the Sobol design before the surrogate takes over;
        ``None`` uses ``min(max(2 * d + 2, 6), 10)``.
    input_warping : bool, default=True
        Fit an input warp to every log-scaled axis (``LogUniform``,
        ``Integer(log=True)``). ``False`` models each axis as its unit-cube
        coordinate; :class:`~sktune.HyperbandSearch`'s Bayesian sampler
        does so (see benchmarks/README.md).
    random_state : int, RandomState instance or None, default=None
        Seeds every random choice; the same seed and the same told scores
        give the same proposals.

    Attributes
    ----------
    n_dims : int
        Number of axes ``d``.
    X_ : ndarray of shape (n_told, n_dims)
        Told points.
    y_ : ndarray of shape (n_told,)
        Told scores.
    surrogate_ : GaussianProcess or None
        The surrogate fitted by the last model-based :meth:`ask`, conditioned
        on the imputed failures. It models the warped scores minus
        ``prior_mean_``.
    prior_mean_ : float or None
        The surrogate's prior mean, in warped-score units: the lower quartile
        of ``warp_scores`` of the finite scores at the last model-based
        :meth:`ask`.
    feasibility_ : FeasibilityModel or None
        The classifier of failures used by the last model-based :meth:`ask`;
        None when no told score was NaN or when the failures did not depend
        on the point.

    Examples
    --------
    Maximise a function of one log-scaled parameter by hand:

    >>> import numpy as np
    >>> from sktune.distributions import LogUniform
    >>> from sktune.optimizers import BayesOptimizer
    >>> from sktune.space import SearchSpace
    >>> space = SearchSpace({"C": LogUniform(1e-3, 1e3)})
    >>> opt = BayesOptimizer(space, random_state=0)
    >>> for _ in range(12):
    ...     points = opt.ask(1)
    ...     C = space.decode(points)[0]["C"]
    ...     _ = opt.tell(points, [-(np.log10(C) - 1.0) ** 2])
    >>> best = space.decode(opt.X_[[np.argmax(opt.y_)]])[0]["C"]
    >>> bool(abs(np.log10(best) - 1.0) < 0.1)
    True
    """

    def __init__(self, space, *, n_initial_points=None, input_warping=True, random_state=None):
        if isinstance(space, numbers.Integral) and not isinstance(space, bool):
            from ..distributions import Uniform

            _check_int("space", space, 1)
            space = SearchSpace({f"x{i}": Uniform(0, 1) for i in range(int(space))})
        if not isinstance(space, SearchSpace):
            raise TypeError(
                "The 'space' parameter of BayesOptimizer must be a SearchSpace or an "
                f"int >= 1. Got {space!r} (of type {type(space).__name__}) instead."
            )
        self.space = space
        self.n_initial_points = _check_int(
            "n_initial_points", n_initial_points, 1, allow_none=True
        )
        if not isinstance(input_warping, (bool, np.bool_)):
            raise TypeError(
                "The 'input_warping' parameter of BayesOptimizer must be a bool. "
                f"Got {input_warping!r} instead."
            )
        self.input_warping = bool(input_warping)
        self.random_state = random_state
        self.n_dims = space.n_dims
        self._encoder = _Encoder(space)
        self._rng = check_random_state(random_state)
        self._design = space.design("sobol", self._rng)
        self.X_ = np.empty((0, self.n_dims))
        self.y_ = np.empty(0)
        self._pending = np.empty((0, self.n_dims))
        self._seen = set()
        self.surrogate_ = None
        self.prior_mean_ = None
        self.feasibility_ = None
        self._feasibility = FeasibilityModel()
        self._gp = GaussianProcess(
            n_restarts=1,
            warped_features=self._encoder.log_features if self.input_warping else (),
        )
        self._n_at_last_fit = 0
        self._n_prior = 0

    # bookkeeping ---------------------------------------------------------------
    @property
    def n_initial_points_(self):
        """Number of initial design points actually used.

        Examples
        --------
        >>> from sktune.optimizers import BayesOptimizer
        >>> [BayesOptimizer(d).n_initial_points_ for d in (1, 2, 5)]  # 2 d + 2, within [6, 10]
        [6, 6, 10]
        >>> BayesOptimizer(2, n_initial_points=7).n_initial_points_
        7
        """
        if self.n_initial_points is not None:
            return self.n_initial_points
        return min(max(2 * self.n_dims + 2, _MIN_INITIAL), _MAX_INITIAL)

    @staticmethod
    def _key(row):
        return np.round(row, 12).tobytes()

    def _check_points(self, points, name, method="tell"):
        X = np.asarray(points, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.n_dims:
            raise ValueError(
                f"The {name!r} argument of BayesOptimizer.{method} must be an array of "
                f"shape (n_points, {self.n_dims}). Got shape {X.shape!r} instead."
            )
        if X.size and (not np.all(np.isfinite(X)) or X.min() < 0 or X.max() > 1):
            raise ValueError(
                f"The {name!r} argument of BayesOptimizer.{method} must hold finite values "
                f"in [0, 1]. Got values from {float(np.nanmin(X))!r} to "
                f"{float(np.nanmax(X))!r} instead."
            )
        return X

    def tell(self, points, scores):
        """Record the scores of evaluated points.

        Parameters
        ----------
        points : array-like of shape (n_points, n_dims)
            Points in the unit cube, usually from :meth:`ask`.
        scores : array-like of shape (n_points,)
            Their scores, higher is better; NaN marks a failed evaluation
            (see :class:`BayesOptimizer` for how failures are modelled).

        Returns
        -------
        self : object
            The optimizer.

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.optimizers import BayesOptimizer
        >>> opt = BayesOptimizer(2, random_state=0)
        >>> points = opt.ask(3)
        >>> opt.tell(points, [0.5, np.nan, 0.9]) is opt
        True
        >>> opt.X_.shape, opt.y_.tolist()
        ((3, 2), [0.5, nan, 0.9])
        """
        X = self._check_points(points, "points")
        y = np.asarray(scores, dtype=float).reshape(-1)
        if len(y) != len(X):
            raise ValueError(
                "The 'scores' argument of BayesOptimizer.tell must hold one score per "
                f"point. Got {len(y)} scores for {len(X)} points instead."
            )
        if np.any(np.isinf(y)):
            raise ValueError(
                "The 'scores' argument of BayesOptimizer.tell must be finite or NaN. "
                f"Got {float(y[np.isinf(y)][0])!r} instead."
            )
        Xc = self._encoder.canonical(X) if len(X) else X
        self.X_ = np.vstack([self.X_, Xc])
        self.y_ = np.concatenate([self.y_, y])
        told = {self._key(r) for r in Xc}
        self._seen |= told
        if len(self._pending):
            keep = [self._key(r) not in told for r in self._pending]
            self._pending = self._pending[keep]
        return self

    def tell_prior(self, points, scores):
        """Record scores measured earlier on related data, before any other tell.

        Parameters
        ----------
        points : array-like of shape (n_points, n_dims)
            Points in the unit cube.
        scores : array-like of shape (n_points,)
            Their scores on the earlier data; NaN for a failure.

        Returns
        -------
        self : object
            The optimizer.

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.optimizers import BayesOptimizer
        >>> opt = BayesOptimizer(1, random_state=0).tell_prior([[0.2], [0.8]], [0.1, 0.9])
        >>> opt.X_.shape
        (2, 1)
        """
        if len(self.y_) > self._n_prior:
            raise ValueError(
                "BayesOptimizer.tell_prior must come before any tell. Got "
                f"{len(self.y_) - self._n_prior} scores told already."
            )
        self.tell(points, scores)
        self._n_prior = len(self.y_)
        return self

    def add_pending(self, points):
        """Mark points chosen elsewhere as being evaluated (pending).

        A point given by the user rather than asked (an initial candidate of
        an asynchronous search) runs beside the asked ones: later asks treat
        it as a fantasy at the surrogate's mean and never propose it again,
        and the initial design counts it, as it counts a told point. Its
        :meth:`tell` ends its pending state.

        Parameters
        ----------
        points : array-like of shape (n_points, n_dims)
            Points in the unit cube.

        Returns
        -------
        self : object
            The optimizer.

        Examples
        --------
        >>> from sktune.distributions import Integer
        >>> from sktune.optimizers import BayesOptimizer
        >>> from sktune.space import SearchSpace
        >>> space = SearchSpace({"k": Integer(0, 1)})
        >>> opt = BayesOptimizer(space, random_state=0)
        >>> running = space.encode([{"k": 0}])
        >>> new = opt.add_pending(running).ask(1)
        >>> space.decode(new)  # the only other value
        [{'k': 1}]
        """
        X = self._check_points(points, "points", "add_pending")
        Xc = self._encoder.canonical(X) if len(X) else X
        self._seen |= {self._key(r) for r in Xc}
        self._pending = np.vstack([self._pending, Xc])
        return self

    # asking -------------------------------------------------------------------
    def ask(self, n=1, return_info=False):
        """Propose ``n`` new points, distinct from every point asked or told.

        Points asked and not yet told are *pending*: later asks treat them
        as fantasies at the surrogate's mean, so asynchronous workers get
        distinct points too.

        Parameters
        ----------
        n : int, default=1
            Number of points.
        return_info : bool, default=False
            Also return a dict of per-point arrays: ``"initial"`` (drawn from
            the Sobol design), ``"mean"`` and ``"std"`` (the surrogate's
            prediction in warped-score units, NaN for initial points),
            ``"acquisition"`` (log expected improvement, plus the log
            probability of success once some evaluation failed; NaN for
            initial points) and ``"time"`` (seconds spent per point).

        Returns
        -------
        points : ndarray of shape (n_returned, n_dims)
            ``n_returned == n`` unless a finite space runs out of new
            configurations.
        info : dict of str -> ndarray of shape (n_returned,)
            Only with ``return_info``.

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.optimizers import BayesOptimizer
        >>> opt = BayesOptimizer(2, random_state=0)
        >>> points, info = opt.ask(6, return_info=True)  # the Sobol design first
        >>> points.shape, bool(info["initial"].all())
        ((6, 2), True)
        >>> _ = opt.tell(points, -((points - 0.3) ** 2).sum(axis=1))
        >>> new, info = opt.ask(2, return_info=True)  # then the Gaussian process
        >>> info["initial"].tolist(), bool(np.isfinite(info["acquisition"]).all())
        ([False, False], True)
        >>> any((row == points).all(axis=1).any() for row in new)  # never a point seen before
        False
        """
        # BLAS threads only slow down matrices of a few hundred rows, and
        # fight with joblib workers for cores: one ask ran 10x slower with
        # them on 2 busy cores.
        with _blas_controller().limit(limits=1, user_api="blas"):
            return self._ask(n, return_info)

    def _ask(self, n, return_info):
        n = _check_int("n", n, 1)
        start = time.perf_counter()
        n_known = len(self.X_) + len(self._pending)
        n_finite = int(np.isfinite(self.y_).sum())
        n_design = max(0, min(n, self.n_initial_points_ - n_known))
        if n_finite < 2:
            # too few finite scores to fit a model: the batch is all design
            n_design = n
        rows, info = [], {k: [] for k in ("initial", "mean", "std", "acquisition")}
        for row in self._design_points(n_design):
            rows.append(row)
            info["initial"].append(True)
            for k in ("mean", "std", "acquisition"):
                info[k].append(np.nan)
        if len(rows) < n and n_finite < 2:
            # a small space ran out of design points before any model exists
            extra = self._random_points(n - len(rows))
            rows.extend(extra)
            info["initial"].extend([True] * len(extra))
            for k in ("mean", "std", "acquisition"):
                info[k].extend([np.nan] * len(extra))
        if len(rows) < n and n_finite >= 2:
            for row, mean, std, acq in self._model_points(n - len(rows), rows):
                rows.append(row)
                info["initial"].append(False)
                info["mean"].append(mean)
                info["std"].append(std)
                info["acquisition"].append(acq)
        points = np.array(rows, dtype=float).reshape(len(rows), self.n_dims)
        self._pending = np.vstack([self._pending, points])
        if not return_info:
            return points
        elapsed = time.perf_counter() - start
        info = {k: np.asarray(v, dtype=bool if k == "initial" else float) for k, v in info.items()}
        info["time"] = np.full(len(points), elapsed / max(len(points), 1))
        return points, info

    def _claim(self, row):
        key = self._key(row)
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def _design_points(self, n):
        out, draws = [], 0
        while len(out) < n and draws < _MAX_FALLBACK_DRAWS * n:
            U = self._encoder.canonical(self._design.draw(n - len(out)))
            draws += len(U)
            out.extend(row for row in U if self._claim(row))
        return out

    def _random_points(self, n):
        out = []
        for _ in range(_MAX_FALLBACK_DRAWS * n):
            if len(out) == n:
                break
            row = self._encoder.canonical(self._rng.uniform(size=(1, self.n_dims)))[0]
            if self._claim(row):
                out.append(row)
        return out

    def _model_points(self, n, new_rows):
        """Fit the GP and choose ``n`` points by Kriging believer."""
        # A failed fit (NaN) says nothing about the score there: imputing the
        # worst score, as before, marked good regions bad when failures were
        # random (issue 17). The GP is fitted to the finite scores; each
        # failed point is then imputed one posterior std below its predicted
        # mean, or at the best score if that is lower (a pessimistic version
        # of the imputation of Forrester, Sobester & Keane 2006, "Optimization
        # with missing data"), moved towards the worst score where failures
        # cluster (below), which keeps the model from returning to it, and
        # log EI gains log P(success) from a classifier of the failures
        # (Gelbart, Snoek & Adams 2014). Variants measured in
        # benchmarks/README.md (failing fits).
        finite = np.isfinite(self.y_)
        Z_all, _ = self._features(self.X_)
        if self._n_prior:
            # the told prior rows are task 0, the new ones task 1: the GP
            # fits the task feature's length-scale, i.e. how far old scores
            # speak for new ones (Swersky, Snoek & Adams 2013)
            Z_all[: self._n_prior, -1] = 0.0
        self.feasibility_ = None
        # Failures that do not depend on the point (a flaky cluster, a
        # random crash) carry no information about it: the search then goes
        # on as on the successes alone. Modelling them anyway made
        # BayesSearch lose to random search at 25 % random failures
        # (benchmarks/README.md, failing fits).
        if not finite.all() and self._feasibility.fit(Z_all, finite).informative_:
            self.feasibility_ = self._feasibility
        # the GP's prior mean (zero) moves to the lower quartile of the scores
        t = self._warp_by_task(finite)
        offset = self.prior_mean_ = float(np.quantile(t, _PRIOR_MEAN_QUANTILE))
        t = t - offset
        Z = Z_all[finite]
        n_obs = len(t)
        if n_obs <= _REFIT_ALWAYS_UP_TO or n_obs >= _REFIT_GROWTH * self._n_at_last_fit:
            self._refit(Z, t)
            self._n_at_last_fit = n_obs
        else:
            # Past a few dozen points one more point barely moves the
            # hyperparameters: keep them, update the posterior (one Cholesky).
            self._gp.update(Z, t)
        gp = self._gp
        # While every finite score is equal the GP knows nothing of the
        # score: imputing below it would make the few successes the best
        # points and hold the search there (svc/iris with 50 % failures,
        # seed 5: 30 evaluations at chance level), so it explores instead.
        if self.feasibility_ is not None and np.ptp(t) > 0:
            Z_failed = Z_all[~finite]
            mean, std = gp.predict(Z_failed, return_std=True)
            pessimistic = np.minimum(mean - _FAILED_STDS_BELOW * std, t.max())
            # Where failures cluster the pessimistic prediction follows the
            # good scores next to the boundary and the model kept returning
            # to a failing region (19 % of its points against 8 % for the
            # worst score, benchmarks/README.md, failing fits). A failure's
            # weight is its leave-one-out failure probability above the
            # overall failure rate, scaled to [0, 1]: ~0 for a random
            # failure, ~1 inside a failing region, which gets the worst score.
            fail_rate = 1.0 - self.feasibility_.rate_
            p_fail = 1.0 - self.feasibility_.loo_proba()[~finite]
            w = np.clip((p_fail - fail_rate) / (1.0 - fail_rate), 0.0, 1.0)
            imputed = w * t.min() + (1.0 - w) * pessimistic
            # Refitted with the imputed points rather than conditioned on
            # them: the hyperparameters then see the spread the failures add
            # (conditioning left the search exploiting a plateau, e.g.
            # logistic/wine, region, seed 2: 20 evaluations at 0.978).
            gp = GaussianProcess(n_restarts=1, warped_features=self._gp.warped_features).fit(
                np.vstack([Z, Z_failed]), np.concatenate([t, imputed])
            )
        self.surrogate_ = gp
        fantasies = [r for r in self._pending] + list(new_rows)
        if fantasies:
            Zf, _ = self._features(np.array(fantasies))
            gp = gp.condition_on(Zf, gp.predict(Zf))
        out = []
        for _ in range(n):
            large = len(gp._X) > _BOUNDED_FROM
            best = float(np.max(gp.mean_at_data() if large else gp.predict(gp._X)))
            found = self._maximize(gp, best)
            if found is None:
                fallback = self._random_points(1)
                if not fallback:
                    break
                row = fallback[0]
                z, _ = self._features(row[None, :])
                mean, std = gp.predict(z, return_std=True)
                acq = float(self._log_acq(z, mean, std, best)[0])
                found = (row, float(mean[0]), float(std[0]), acq)
            out.append(found)
            if len(out) < n:
                z, _ = self._features(found[0][None, :])
                gp = gp.condition_on(z, np.array([found[1]]))
        # predictions are reported in warped-score units
        return [(row, mean + offset, std, acq) for row, mean, std, acq in out]

    def _warp_by_task(self, finite):
        """Warped finite scores; prior and new rows apart once 3 new ones are finite.

        A constant shift between the old data and the new (a noisier target)
        is then no difference the GP must explain.
        """
        if not self._n_prior:
            return warp_scores(self.y_[finite])
        is_prior = np.arange(len(self.y_)) < self._n_prior
        new = finite & ~is_prior
        if new.sum() < 3:
            return warp_scores(self.y_[finite])
        out = np.empty(len(self.y_))
        out[finite & is_prior] = warp_scores(self.y_[finite & is_prior])
        out[new] = warp_scores(self.y_[new])
        return out[finite]

    def _features(self, U):
        """Surrogate features of new points: a task column of ones once prior rows were told."""
        Z, Uc = self._encoder.features(U)
        if self._n_prior:
            Z = np.hstack([Z, np.ones((len(Z), 1))])
        return Z, Uc

    def _refit(self, Z, t):
        """Fit the GP's hyperparameters, on at most ``_MAX_FIT_POINTS`` points.

        Each step of the hyperparameter search factorises ``K``: at 1,000
        points a refit took seconds (benchmarks/optimizer_cost.py). Past the
        cap the hyperparameters are fitted to a random subset, drawn from a
        generator of its own so that the optimizer's stream, and every result
        below the cap, stays as it was; the posterior then uses every point.
        """
        if len(t) <= _MAX_FIT_POINTS:
            self._gp.fit(Z, t)
            return
        subset = np.sort(np.random.RandomState(len(t)).choice(len(t), _MAX_FIT_POINTS,
                                                               replace=False))
        self._gp.fit(Z[subset], t[subset])
        self._gp.update(Z, t)

    def _log_acq(self, Z, mean, std, best):
        """Log EI, plus log P(success) once some fit failed."""
        acq = log_expected_improvement(mean, std, best)
        if self.feasibility_ is not None:
            acq = acq + self.feasibility_.log_proba(Z)
        return acq

    def _acq(self, gp, U, best):
        Z, Uc = self._features(U)
        mean, std = gp.predict(Z, return_std=True)
        return self._log_acq(Z, mean, std, best), mean, std, Uc, Z

    def _maximize(self, gp, best):
        """The new point of highest log EI, or None if none is left."""
        enc, rng = self._encoder, self._rng
        d = self.n_dims
        sobol = qmc.Sobol(d, scramble=True, rng=np.random.default_rng(rng.randint(2**31 - 1)))
        lo, hi = enc.low, enc.high
        n_sobol, n_local = self._pool_sizes(len(gp._X))
        pools = [lo + (hi - lo) * sobol.random(n_sobol)]
        finite = np.isfinite(self.y_)
        if finite.any():
            order = np.argsort(np.where(finite, self.y_, -np.inf))[::-1]
            top = self.X_[order[: min(_N_TOP_OBSERVED, int(finite.sum()))]]
            centres = top[rng.randint(len(top), size=n_local)]
            local = centres + _LOCAL_SCALE * rng.standard_normal(centres.shape)
            # resample each discrete axis with probability 1 / d
            flip = rng.uniform(size=centres.shape) < 1.0 / d
            if enc.discrete_axes:
                mask = np.zeros(d, dtype=bool)
                mask[enc.discrete_axes] = True
                flip &= mask
                local = np.where(mask, centres, local)
            local = np.where(flip, rng.uniform(size=centres.shape), local)
            pools.append(np.clip(local, lo, hi))
        pool = np.vstack(pools)
        acq, mean, std, Uc, _ = self._acq(gp, pool, best)
        # A point the surrogate already knows almost exactly (std a few
        # percent of the signal's) teaches nothing: EI can sit on such points
        # next to the incumbent forever (Branin, seed 5: 17 evaluations at
        # one boundary point). Rank them last.
        min_std = _MIN_STD * np.sqrt(gp.signal_variance_)
        acq = np.where(std >= min_std, acq, acq - _UNINFORMATIVE_PENALTY)
        order = np.argsort(-acq, kind="stable")
        # distinct, new starts of highest acquisition
        starts, keys = [], set()
        for i in order:
            key = self._key(Uc[i])
            if key in self._seen or key in keys:
                continue
            keys.add(key)
            starts.append(i)
            if len(starts) == _N_STARTS:
                break
        if not starts:
            return None
        cand_U = [Uc[starts]]
        if len(enc.cont_axes):
            n_refined = self._refined_starts(len(gp._X))
            cand_U.append(self._refine(gp, Uc[starts[:n_refined]], best))
        cand = np.vstack(cand_U)
        acq_c, mean_c, std_c, Uc_c, Zc = self._acq(gp, cand, best)
        rank = np.where(std_c >= min_std, acq_c, acq_c - _UNINFORMATIVE_PENALTY)
        # a candidate a hair from a known or pending point (L-BFGS-B runs
        # into the same corner twice) is that point again: a noise term
        # leaves it some std, but its evaluation would teach nothing new
        near = np.sqrt(_sq_dist(Zc, gp._X, 1.0).min(axis=1)) < _MIN_DISTANCE
        for i in np.argsort(-rank, kind="stable"):
            if not near[i] and self._claim(Uc_c[i]):
                return Uc_c[i], float(mean_c[i]), float(std_c[i]), float(acq_c[i])
        return None

    @staticmethod
    def _pool_sizes(n_points):
        """Sobol and local points of the start set (smaller past ``_BOUNDED_FROM``)."""
        if n_points <= _BOUNDED_FROM:
            return _N_SOBOL, _N_LOCAL
        shrink = _BOUNDED_FROM / n_points
        n_sobol = 2 ** int(np.log2(max(_N_SOBOL * shrink, _MIN_SOBOL)))
        return n_sobol, max(int(_N_LOCAL * shrink), _MIN_LOCAL)

    @staticmethod
    def _refined_starts(n_points):
        if n_points <= _BOUNDED_FROM:
            return _N_STARTS
        return max(_MIN_REFINED_STARTS, int(_N_STARTS * _BOUNDED_FROM / n_points))

    @staticmethod
    def _refine_maxiter(n_points):
        if n_points <= _BOUNDED_FROM:
            return _REFINE_MAXITER
        bounded = int(_REFINE_MAXITER * (_BOUNDED_FROM / n_points) ** 2)
        return max(_MIN_REFINE_ITER, bounded)

    def _refine(self, gp, U0, best):
        """L-BFGS-B on the continuous axes, all starts at once.

        The starts are independent, so maximising the sum of their log EI
        gives each its own gradient; one vectorised run replaces ``k`` small
        ones (the trick BoTorch's ``gen_candidates_scipy`` uses).
        """
        enc = self._encoder
        axes = enc.cont_axes
        cols = np.array([enc.columns[j][0] for j in axes])
        U = U0.copy()
        k = len(U)
        active = enc.active(U)[:, axes]

        def objective(x):
            U[:, axes] = x.reshape(k, len(axes))
            Z, _ = self._features(U)
            mean, std, dmean, dstd = gp.predict(Z, return_grad=True)
            val, dm, ds = log_expected_improvement(mean, std, best, return_grad=True)
            grad = dm[:, None] * dmean + ds[:, None] * dstd
            if self.feasibility_ is not None:
                log_p, dlog_p = self.feasibility_.log_proba(Z, return_grad=True)
                val = val + log_p
                grad = grad + dlog_p
            grad = grad[:, cols] * active
            return -val.sum(), -grad.ravel()

        res = minimize(
            objective, U0[:, axes].ravel(), jac=True, method="L-BFGS-B",
            bounds=list(zip(enc.low[axes], enc.high[axes])) * k,
            options={"maxiter": self._refine_maxiter(len(gp._X)),
                     **({"ftol": _REFINE_FTOL} if self.input_warping else {})},
        )
        out = U0.copy()
        out[:, axes] = np.clip(res.x.reshape(k, len(axes)), enc.low[axes], enc.high[axes])
        return out
