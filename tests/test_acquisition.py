"""Log expected improvement: values, stability and gradients."""

import numpy as np
import pytest
from scipy.stats import norm

from sktune.optimizers import log_expected_improvement, log_h


def _naive_h(z):
    return norm.pdf(z) + z * norm.cdf(z)


@pytest.mark.parametrize("z", [-30.0, -5.0, -1.0 - 1e-9, -1.0, -0.3, 0.0, 0.7, 4.0, 12.0])
def test_log_h_matches_the_definition_where_it_does_not_underflow(z):
    assert log_h(np.array([z]))[0] == pytest.approx(np.log(_naive_h(z)), rel=1e-9)


def test_log_h_is_finite_increasing_and_continuous_across_branches():
    z = np.concatenate([-np.logspace(10, -3, 4000), np.linspace(0, 20, 500)])
    z.sort()
    out = log_h(z)
    assert np.all(np.isfinite(out))
    assert np.all(np.diff(out) > 0)
    # the branch points: z = -1 and z = -1 / sqrt(eps)
    for edge in (-1.0, -1.0 / np.sqrt(np.finfo(float).eps)):
        lo, hi = log_h(np.array([edge * (1 + 1e-9), edge * (1 - 1e-9)]))
        assert lo == pytest.approx(hi, rel=1e-6)


def test_log_h_far_tail_follows_its_asymptote():
    z = np.array([-1e3, -1e6])
    expected = -0.5 * z**2 - 0.5 * np.log(2 * np.pi) - 2 * np.log(-z)
    np.testing.assert_allclose(log_h(z), expected, rtol=1e-6)


def test_log_ei_equals_log_of_ei():
    mean = np.array([0.5, -1.0, 2.0, 0.0])
    std = np.array([1.0, 0.3, 2.0, 0.05])
    best = 0.2
    z = (mean - best) / std
    expected = np.log(std * _naive_h(z))
    np.testing.assert_allclose(log_expected_improvement(mean, std, best), expected, rtol=1e-9)


def test_log_ei_stays_finite_where_ei_underflows():
    mean, std = np.array([-100.0]), np.array([1.0])
    assert std * _naive_h((mean - 0.0) / std) == 0.0
    value, dmean, dstd = log_expected_improvement(mean, std, 0.0, return_grad=True)
    assert np.isfinite(value).all() and value[0] < -4000
    assert dmean[0] > 0 and np.isfinite(dstd[0])


@pytest.mark.parametrize("mean", [-60.0, -8.0, -1.5, -0.2, 0.0, 0.4, 3.0])
@pytest.mark.parametrize("std", [0.05, 1.0, 3.0])
def test_gradients_match_finite_differences(mean, std):
    best, h = 0.1, 1e-6
    _, dmean, dstd = log_expected_improvement(np.array([mean]), np.array([std]), best,
                                              return_grad=True)

    def f(m, s):
        return log_expected_improvement(np.array([m]), np.array([s]), best)[0]

    fd_mean = (f(mean + h, std) - f(mean - h, std)) / (2 * h)
    fd_std = (f(mean, std + h) - f(mean, std - h)) / (2 * h)
    assert dmean[0] == pytest.approx(fd_mean, rel=1e-4, abs=1e-6)
    assert dstd[0] == pytest.approx(fd_std, rel=1e-4, abs=1e-6)
