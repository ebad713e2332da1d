"""GaussianProcess: likelihood gradients, predictions, fantasies."""

import numpy as np
import pytest
from scipy.optimize import approx_fprime

from sktune.optimizers import GaussianProcess


def _data(n=25, p=3, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(size=(n, p))
    y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2 + 0.05 * rng.standard_normal(n)
    return X, (y - y.mean()) / y.std()


@pytest.mark.parametrize("warped", [(), (0, 2)])
def test_log_posterior_gradient_matches_finite_differences(warped):
    X, y = _data()
    gp = GaussianProcess(warped_features=warped)
    n, p = X.shape
    diff = X[:, None, :] - X[None, :, :]
    D2 = (diff * diff).reshape(n * n, p)
    rng = np.random.RandomState(1)
    for _ in range(3):
        theta = np.concatenate([[rng.normal(0, 0.5)], rng.normal(-0.5, 0.5, p),
                                [rng.normal(-3, 1)], rng.uniform(0, 1.5, 2 * len(warped))])
        _, grad = gp._neg_log_posterior(theta, X, y, D2)
        fd = approx_fprime(theta, lambda t: gp._neg_log_posterior(t, X, y, D2)[0], 1e-6)
        np.testing.assert_allclose(grad, fd, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("warped", [(), (0, 2)])
def test_predict_gradients_match_finite_differences(warped):
    X, y = _data()
    gp = GaussianProcess(warped_features=warped).fit(X, y)
    Xq = np.random.RandomState(2).uniform(size=(4, X.shape[1]))
    Xq[0] = [0.01, 0.5, 0.99]  # near the ends, where a warp is steepest or flattest
    _, _, dmean, dstd = gp.predict(Xq, return_grad=True)
    h = 1e-6
    for k in range(X.shape[1]):
        e = np.zeros(X.shape[1])
        e[k] = h
        mp, sp = gp.predict(Xq + e, return_std=True)
        mm, sm = gp.predict(Xq - e, return_std=True)
        np.testing.assert_allclose(dmean[:, k], (mp - mm) / (2 * h), rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(dstd[:, k], (sp - sm) / (2 * h), rtol=1e-4, atol=1e-6)


def test_fit_interpolates_a_smooth_function_and_is_unsure_far_away():
    X = np.linspace(0, 1, 12)[:, None]
    y = np.sin(5 * X[:, 0])
    gp = GaussianProcess().fit(X, (y - y.mean()) / y.std())
    mean, std = gp.predict(np.array([[0.52]]), return_std=True)
    truth = (np.sin(5 * 0.52) - y.mean()) / y.std()
    assert mean[0] == pytest.approx(truth, abs=0.05)
    assert std[0] < 0.05
    assert gp.predict(np.array([[3.0]]), return_std=True)[1][0] > 0.5


def test_fit_recovers_irrelevant_features_as_long_length_scales():
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(40, 2))
    y = np.sin(6 * X[:, 0])
    gp = GaussianProcess().fit(X, (y - y.mean()) / y.std())
    ls = np.exp(gp.theta_[1:-1])
    assert ls[1] > 3 * ls[0]


def test_warm_start_reuses_the_previous_solution():
    X, y = _data(n=50)
    gp = GaussianProcess().fit(X, y)
    first = gp.theta_.copy()
    gp.fit(X, y)
    np.testing.assert_allclose(gp.theta_, first, atol=1e-3)


def test_duplicate_inputs_and_constant_targets_do_not_break_the_fit():
    X = np.array([[0.2, 0.3]] * 5 + [[0.8, 0.1]])
    gp = GaussianProcess().fit(X, np.zeros(6))
    mean, std = gp.predict(X, return_std=True)
    assert np.all(np.isfinite(mean)) and np.all(std > 0)


def test_condition_on_shrinks_uncertainty_at_the_new_point():
    X, y = _data()
    gp = GaussianProcess().fit(X, y)
    x_new = np.array([[0.99, 0.01, 0.5]])
    before = gp.predict(x_new, return_std=True)[1][0]
    fantasy = gp.condition_on(x_new, gp.predict(x_new))
    after = fantasy.predict(x_new, return_std=True)[1][0]
    assert after < 0.5 * before
    np.testing.assert_array_equal(fantasy.theta_, gp.theta_)


def _step(z):
    """Flat at both ends, a steep step in the middle: a saturating response."""
    return np.tanh(12 * (z[:, 0] - 0.5))


def test_a_warp_compresses_both_ends_of_a_saturating_response():
    Z = np.random.RandomState(0).uniform(size=(30, 1))
    raw = _step(Z)
    y = (raw - raw.mean()) / raw.std()
    plain = GaussianProcess().fit(Z, y)
    warped = GaussianProcess(warped_features=[0]).fit(Z, y)
    log_a, log_b = warped.theta_[-2:]
    # both shapes above the identity: the ends are squeezed, the middle spread
    assert log_a > 0.5 and log_b > 0.5, warped.theta_
    assert warped.log_marginal_likelihood_ > plain.log_marginal_likelihood_ + 2
    # the step is followed more closely between the data
    zq = np.linspace(0.35, 0.65, 31)[:, None]
    truth = (_step(zq) - raw.mean()) / raw.std()
    err_warped = np.abs(warped.predict(zq) - truth).max()
    err_plain = np.abs(plain.predict(zq) - truth).max()
    assert err_warped < err_plain, (err_warped, err_plain)


def test_a_warp_never_stretches_an_end():
    # a response that changes only near z = 0 would like a < 1 (a stretched
    # end); the bounds keep the warp at most the identity there
    z = np.linspace(0, 1, 25)[:, None]
    y = np.exp(-30 * z[:, 0])
    gp = GaussianProcess(warped_features=[0]).fit(z, (y - y.mean()) / y.std())
    assert np.all(gp.theta_[-2:] >= 0.0)
    _, std = gp.predict(np.array([[0.0], [1.0]]), return_std=True)
    assert np.all(np.isfinite(std))


def _refactorised(gp, X, y):
    """The posterior of ``gp``'s hyperparameters on (X, y), factorised from scratch."""
    full = GaussianProcess(warped_features=gp.warped_features)
    full.theta_ = gp.theta_
    full._set_posterior(X, y)
    return full


@pytest.mark.parametrize("warped", [False, True])
def test_update_with_appended_points_extends_the_factor_exactly(warped):
    rng = np.random.default_rng(3)
    X = rng.uniform(size=(40, 3))
    y = np.sin(5 * X[:, 0]) + X[:, 1] ** 2
    gp = GaussianProcess(random_state=0, warped_features=[0] if warped else ()).fit(X[:30], y[:30])
    theta = gp.theta_.copy()
    # the scores of the old points change too (a search re-warps them all)
    y2 = y + 0.3
    gp.update(X, y2)
    assert np.array_equal(gp.theta_, theta)
    full = _refactorised(gp, X, y2)
    np.testing.assert_allclose(gp._L, full._L, rtol=1e-8, atol=1e-10)
    Q = rng.uniform(size=(25, 3))
    for got, want in zip(gp.predict(Q, return_grad=True), full.predict(Q, return_grad=True)):
        np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-9)


def test_update_with_other_points_refactorises():
    rng = np.random.default_rng(4)
    X = rng.uniform(size=(20, 2))
    y = X.sum(1)
    gp = GaussianProcess(random_state=0).fit(X, y)
    X2 = X[::-1].copy()  # same points, another order: not an extension
    gp.update(X2, y[::-1])
    np.testing.assert_allclose(gp._L, _refactorised(gp, X2, y[::-1])._L, rtol=1e-10)


def test_condition_on_matches_a_refactorised_posterior_and_leaves_the_original():
    rng = np.random.default_rng(5)
    X = rng.uniform(size=(25, 2))
    y = np.cos(4 * X[:, 0]) * X[:, 1]
    gp = GaussianProcess(random_state=0).fit(X, y)
    L_before = gp._L.copy()
    X_new, y_new = rng.uniform(size=(3, 2)), np.array([0.5, -0.2, 0.1])
    believer = gp.condition_on(X_new, y_new)
    full = _refactorised(gp, np.vstack([X, X_new]), np.concatenate([y, y_new]))
    Q = rng.uniform(size=(10, 2))
    np.testing.assert_allclose(believer.predict(Q, return_std=True),
                               full.predict(Q, return_std=True), rtol=1e-7, atol=1e-9)
    assert np.array_equal(gp._L, L_before) and len(gp._X) == 25


def test_an_extension_that_is_not_positive_falls_back_to_refactorising():
    X = np.linspace(0, 1, 10)[:, None]
    gp = GaussianProcess(random_state=0).fit(X, np.sin(6 * X[:, 0]))
    # a block that is not positive definite: the step must fall back, not fail
    gp._L = gp._L * 1e-8
    X2 = np.vstack([X, [[0.05]]])
    gp.update(X2, np.sin(6 * X2[:, 0]))
    np.testing.assert_allclose(gp._L, _refactorised(gp, X2, np.sin(6 * X2[:, 0]))._L, rtol=1e-10)
