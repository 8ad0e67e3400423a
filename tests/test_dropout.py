"""Cross-checks of the Dropout snippets: the inverted-dropout scale and the MC-dropout spread."""

import math

import pytest
import torch
from torch import nn

from snippets.dropout import inverted, mc_dropout


@pytest.fixture(scope="module")
def inv():
    return inverted.compute()


@pytest.fixture(scope="module")
def mc():
    torch.set_num_threads(1)
    return mc_dropout.compute()


def test_scale_is_one_over_one_minus_p(inv):
    assert math.isclose(inv["kept_value"], 1 / (1 - 0.7), rel_tol=1e-6)


def test_fraction_dropped_is_p_not_one_minus_p(inv):
    se = math.sqrt(0.7 * 0.3 / inv["n"])
    assert abs(inv["frac_zero"] - 0.7) < 5 * se
    assert abs(inv["frac_zero"] - 0.3) > 100 * se


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_scale_for_other_p(p):
    torch.manual_seed(3)
    y = nn.Dropout(p)(torch.ones(200_000))
    kept = y[y != 0]
    assert torch.allclose(kept, torch.full_like(kept, 1 / (1 - p)))
    # Expectation preserved: E[y] = 1, standard error √(p / (1 − p) / n).
    assert abs(y.mean().item() - 1) < 5 * math.sqrt(p / (1 - p) / len(y))


def test_eval_is_identity(inv):
    assert inv["eval_identity"]
    d = nn.Dropout(0.7).eval()
    x = torch.randn(50)
    assert torch.equal(d(x), x)


def test_mc_spread_larger_in_gap_than_on_data(mc):
    # Recompute the two means from the raw curve instead of trusting the snippet's own summary.
    grid, std = torch.tensor(mc["grid"]), torch.tensor(mc["std"])
    in_gap = (grid > -1) & (grid < 1)
    on_data = ((grid >= -4) & (grid <= -1.5)) | ((grid >= 1.5) & (grid <= 4))
    assert std[in_gap].mean() > 1.3 * std[on_data].mean()
    # ... and at the training inputs themselves (nearest grid point), the spread is below the gap's.
    idx = torch.tensor([int(torch.argmin((grid - x).abs())) for x in mc["x"]])
    assert std[idx].max() < std[in_gap].mean() * 1.2
    assert std[idx].mean() < std[in_gap].mean()


def test_mc_dropout_leaves_batchnorm_alone(mc):
    assert mc["bn_unchanged"] and mc["mc_passes_differ"] and mc["eval_passes_equal"]
    assert mc["train_mode_moves_bn"]


def test_enable_mc_dropout_modes():
    net = mc_dropout.make_net()
    net.train()
    mc_dropout.enable_mc_dropout(net)
    modes = {type(m).__name__: m.training for m in net.modules() if not isinstance(m, nn.Sequential)}
    assert modes == {"Linear": False, "BatchNorm1d": False, "ReLU": False, "Dropout": True}
