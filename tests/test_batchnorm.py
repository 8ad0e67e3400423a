"""Cross-checks of the Batch Normalization snippets by independent computations (numpy / plain Python)."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from snippets.batchnorm import activations, transform


@pytest.fixture(scope="module")
def bn_results():
    return transform.compute()


def _numpy_bn(x, gamma, beta, mean, var, eps):
    return np.asarray(gamma) * (x - mean) / np.sqrt(var + eps) + np.asarray(beta)


def test_train_output_equals_numpy(bn_results):
    x = np.array(transform.X)
    mean = x.mean(axis=0)
    var = x.var(axis=0)  # numpy's default ddof=0: the biased variance used in train mode
    expected = _numpy_bn(x, transform.GAMMA, transform.BETA, mean, var, transform.EPS)
    np.testing.assert_allclose(bn_results["y_train"], expected, rtol=0, atol=1e-12)


def test_running_stats_and_eval_output_equal_numpy(bn_results):
    x = np.array(transform.X)
    m = 0.1  # PyTorch's documented default momentum
    running_mean = (1 - m) * 0.0 + m * x.mean(axis=0)
    running_var = (1 - m) * 1.0 + m * x.var(axis=0, ddof=1)  # unbiased
    np.testing.assert_allclose(bn_results["running_mean"], running_mean, rtol=0, atol=1e-15)
    np.testing.assert_allclose(bn_results["running_var"], running_var, rtol=0, atol=1e-15)
    expected = _numpy_bn(x, transform.GAMMA, transform.BETA, running_mean, running_var, transform.EPS)
    np.testing.assert_allclose(bn_results["y_eval"], expected, rtol=0, atol=1e-12)


def test_statistics_by_hand(bn_results):
    # Feature 2: (10, 10, 14, 18): mean 13, squared deviations 9 + 9 + 1 + 25 = 44.
    assert bn_results["mean"][1] == 13
    assert bn_results["var_biased"][1] == 44 / 4
    assert math.isclose(bn_results["var_unbiased"][1], 44 / 3, rel_tol=1e-15)


def test_module_matches_functional_on_random_batch():
    # A third route: torch.nn.functional.batch_norm with explicit statistics, on data the snippet never saw.
    g = torch.Generator().manual_seed(7)
    x = torch.randn(16, 5, generator=g, dtype=torch.float64) * 3 + 2
    gamma = torch.rand(5, generator=g, dtype=torch.float64) + 0.5
    beta = torch.randn(5, generator=g, dtype=torch.float64)
    bn = nn.BatchNorm1d(5, dtype=torch.float64)
    with torch.no_grad():
        bn.weight.copy_(gamma)
        bn.bias.copy_(beta)
        y_module = bn(x)
    y_hand = transform.bn_by_hand(x, x.mean(0), x.var(0, unbiased=False), gamma, beta)
    torch.testing.assert_close(y_module, y_hand, rtol=0, atol=1e-12)
    torch.testing.assert_close(bn.running_var, 0.9 + 0.1 * x.var(0, unbiased=True), rtol=0, atol=1e-12)
    bn.eval()
    with torch.no_grad():
        y_eval = bn(x)
    y_func = nn.functional.batch_norm(x, bn.running_mean, bn.running_var, gamma, beta, training=False, eps=1e-5)
    torch.testing.assert_close(y_eval, y_func, rtol=0, atol=1e-12)


def test_gamma_beta_undo_normalization(bn_results):
    assert bn_results["max_undo_err"] < 1e-12


def test_default_init_shrinks_and_bn_restores_unit_scale():
    r = activations.compute()
    # Closed-form expectation for PyTorch's default init: second moment × ~1/6 per layer, i.e. std × ~0.41, until
    # the biases (std ≈ 1/√(3·64) ≈ 0.072) dominate. The measured first-to-second-layer ratio is near 0.41.
    ratio = r["std.default"][1] / r["std.default"][0]
    assert 0.25 < ratio < 0.6
    assert abs(r["std.default"][-1] - 1 / math.sqrt(3 * 64)) < 0.03
    assert all(abs(s - 1) < 1e-3 for s in r["std.bn"])
