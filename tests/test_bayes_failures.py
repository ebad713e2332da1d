"""BayesOptimizer models failed evaluations instead of scoring them worst (issue 17)."""

import hashlib

import numpy as np
import pytest

from sktune.optimizers import BayesOptimizer, log_expected_improvement

CENTRE = np.array([0.3, 0.7])


def _quadratic(U):
    return -((U - CENTRE) ** 2).sum(axis=1)


def _fails_at_random(U, seed):
    """Half the points fail, by a hash of the point: the same law for every method."""
    return np.array([
        hashlib.sha256(np.round(u, 12).tobytes() + bytes([seed])).digest()[0] < 128 for u in U
    ])


def _scores(U, seed):
    y = _quadratic(U)
    y[_fails_at_random(U, seed)] = np.nan
    return y


def test_random_failures_do_not_stop_the_optimizer_improving():
    # Imputing the worst score made each random failure next to the optimum
    # push the model away from it: at f540e42 the mean regret was 0.035,
    # 3.5 times random sampling's (0.0099), and only 2 of 5 seeds beat it;
    # 0.0005 with the pessimistic imputation alone (e1e1bb7), 0.0026 since a
    # failure's imputation is weighted towards the worst score by how
    # clustered failures are (random failures look clustered now and then).
    # Since failures that do not depend on the point are ignored, 0.00009:
    # the optimizer's own regret without failures after as many successes
    # (about 15) is 0.00005.
    bayes, random = [], []
    for seed in range(5):
        opt = BayesOptimizer(2, random_state=seed)
        while len(opt.y_) < 30:
            points = opt.ask(1)
            opt.tell(points, _scores(points, seed))
        bayes.append(-np.nanmax(opt.y_))
        U = np.random.RandomState(seed).uniform(size=(30, 2))
        random.append(-np.nanmax(_scores(U, seed)))
    bayes, random = np.array(bayes), np.array(random)
    assert bayes.mean() < 0.1 * random.mean(), (bayes, random)
    assert (bayes < random).sum() >= 4, (bayes, random)


def _random_failures(seed, n=24):
    U = np.random.RandomState(seed).uniform(size=(n, 2))
    return U, _scores(U, seed)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_failures_leave_the_proposals_of_the_successes_alone(seed):
    # A failure that strikes at random says nothing about its point; the
    # classifier's P(success) still reached its floor of 1e-12 around some
    # of them and the imputation weighted one in ten towards the worst
    # score (benchmarks/README.md, failing fits). The ideal optimizer under
    # random failures is the one that only saw the successes.
    U, y = _random_failures(seed)
    ok = np.isfinite(y)
    assert 6 <= (~ok).sum() <= 18
    told_all = BayesOptimizer(2, random_state=seed).tell(U, y)
    told_ok = BayesOptimizer(2, random_state=seed).tell(U[ok], y[ok])
    assert np.array_equal(told_all.ask(2), told_ok.ask(2))
    assert told_all.feasibility_ is None


def test_failures_are_modelled_once_they_depend_on_the_point():
    from threadpoolctl import threadpool_limits

    from sktune.optimizers import FeasibilityModel

    random_flagged, region_missed = 0, 0
    # threaded BLAS on 30 x 30 matrices made these 40 fits take 30 s on 2 busy cores
    with threadpool_limits(limits=1, user_api="blas"):
        for seed in range(20):
            rng = np.random.RandomState(seed)
            Z = rng.uniform(size=(30, 2))
            random_flagged += FeasibilityModel().fit(Z, rng.uniform(size=30) < 0.5).informative_
            region_missed += not FeasibilityModel().fit(Z, Z[:, 0] < 0.6).informative_
    # 0 to 7 % false alarms on such random labellings (_feasibility.py)
    assert random_flagged <= 2, random_flagged
    assert region_missed == 0, region_missed


def test_a_failing_region_is_learnt_and_penalised():
    # fits fail for x0 > 0.5; the optimum of the finite scores is at x0 = 0.3
    opt = BayesOptimizer(2, random_state=0)
    in_region = []
    while len(opt.y_) < 30:
        points, info = opt.ask(1, return_info=True)
        y = _quadratic(points)
        y[points[:, 0] > 0.5] = np.nan
        if not info["initial"][0]:
            in_region.append(points[0, 0] > 0.5)
        opt.tell(points, y)
    assert -np.nanmax(opt.y_) < 1e-3
    grid = np.array([[a, b] for a in (0.1, 0.3, 0.8, 0.95) for b in (0.2, 0.7)])
    p = np.exp(opt.feasibility_.log_proba(grid))
    assert p[:4].min() > 0.8 and p[4:].max() < 0.1, p
    assert np.mean(in_region) < 0.25


def test_random_failures_leave_the_probability_of_success_nearly_flat():
    from sktune.optimizers import FeasibilityModel  # new in issue 17

    rng = np.random.RandomState(0)
    Z = rng.uniform(size=(40, 2))
    model = FeasibilityModel().fit(Z, rng.uniform(size=40) < 0.5)
    p = np.exp(model.log_proba(rng.uniform(size=(200, 2))))
    # no region is ruled out: at most a factor of 3 between any two points
    assert p.min() > 0.15 and p.max() / p.min() < 3.0, (p.min(), p.max())


def test_the_acquisition_includes_the_probability_of_success():
    opt = BayesOptimizer(2, random_state=0)
    points = opt.ask(6)
    y = _quadratic(points)
    y[points[:, 0] > 0.5] = np.nan
    opt.tell(points, y)
    new, info = opt.ask(1, return_info=True)
    z = new  # continuous axes: the features are the coordinates
    mean = info["mean"] - opt.prior_mean_
    best = float(np.max(opt.surrogate_.predict(opt.surrogate_._X)))
    expected = log_expected_improvement(mean, info["std"], best) + opt.feasibility_.log_proba(z)
    assert np.allclose(info["acquisition"], expected)


def test_without_failures_there_is_no_feasibility_model():
    opt = BayesOptimizer(2, random_state=0)
    points = opt.ask(6)
    opt.tell(points, _quadratic(points))
    opt.ask(1)
    assert opt.feasibility_ is None


def test_feasibility_model_needs_both_outcomes():
    from sktune.optimizers import FeasibilityModel

    with pytest.raises(ValueError, match=r"'success' argument of FeasibilityModel.fit must "
                                         r"hold both True and False. Got \[True\] instead"):
        FeasibilityModel().fit(np.zeros((3, 2)), [True, True, True])


def _imputed_and_worst(opt):
    """The surrogate's value at each failed point, and the worst finite score, both
    in the surrogate's units."""
    from sktune.optimizers import warp_scores

    failed = ~np.isfinite(opt.y_)
    worst = warp_scores(opt.y_[np.isfinite(opt.y_)]).min() - opt.prior_mean_
    return opt.surrogate_.predict(opt.X_[failed]), worst, opt.X_[failed]


def test_failures_in_a_region_are_imputed_worst_random_ones_are_not():
    # On the benchmark (benchmarks/README.md, failing fits) imputing one std
    # below the GP's mean let 19 % of the model's points land in a failing
    # region, against 8 % for the worst score: the imputation followed the
    # good scores next to the boundary. A failure where failures cluster now
    # gets the worst score; a random one keeps the pessimistic prediction.
    rng = np.random.RandomState(0)
    U = rng.uniform(size=(40, 2))
    y = _quadratic(U)
    y[U[:, 0] > 0.6] = np.nan
    opt = BayesOptimizer(2, random_state=0)
    opt.tell(U, y)
    opt.ask(1)
    imputed, worst, X = _imputed_and_worst(opt)
    deep = X[:, 0] > 0.75
    assert deep.sum() >= 5
    assert np.allclose(imputed[deep], worst, atol=0.1 * abs(worst)), (imputed[deep], worst)

    y = _quadratic(U)
    y[_fails_at_random(U, 0)] = np.nan
    opt = BayesOptimizer(2, random_state=0)
    opt.tell(U, y)
    opt.ask(1)
    imputed, worst, _ = _imputed_and_worst(opt)
    # most random failures stay well above the worst score
    assert np.mean(imputed > worst + 0.3 * abs(worst)) > 0.7, (imputed, worst)
