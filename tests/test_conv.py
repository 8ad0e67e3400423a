"""Cross-checks of the factorized-convolution snippets by independent methods.

Multiplications: the hook count (snippets/conv/_designs.py) against (a) closed forms written out by hand below,
(b) a brute-force convolution in plain Python that counts every product it makes, (c) torch.profiler's FLOP count.
Receptive fields: the gradient measurement against 1 + Σ d·(k − 1) per axis. Equivalences: float64, 1e−10.
"""

from __future__ import annotations

import contextlib
import io
import math

import numpy as np
import pytest
import torch
from torch.profiler import ProfilerActivity, profile

from snippets.conv import costs, equiv, homework, rank, rf
from snippets.conv._designs import RANKS, count_mults, count_params, designs, measure_rf, rf_map


def quiet(fn):
    with contextlib.redirect_stdout(io.StringIO()):
        return fn()


# ---------------------------------------------------------------- closed forms, written from the layer shapes
def closed_form(key: str, c: int, h: int) -> tuple[int, int]:
    """(multiplications, parameters) of each design, square input h×h, c channels in and out, no padding."""
    s = h - 6  # output side of anything with a 7-pixel receptive field
    if key == "full7":
        return c * c * 49 * s * s, 49 * c * c
    if key == "pair7":
        return c * c * 7 * (s * h + s * s), 14 * c * c
    if key == "three3":
        return c * c * 9 * ((h - 2) ** 2 + (h - 4) ** 2 + s ** 2), 27 * c * c
    if key == "three_pairs3":
        m = sum(3 * ((h - 2 * i) * (h - 2 * i + 2) + (h - 2 * i) ** 2) for i in (1, 2, 3))
        return c * c * m, 18 * c * c
    if key == "dilated":
        return c * c * 9 * s * s, 9 * c * c
    if key.startswith("rank"):
        k = int(key[4:])
        return k * c * c * 7 * (s * h + s * s), 14 * k * c * c
    if key == "depthwise":
        return c * 49 * s * s + c * c * s * s, 49 * c + c * c
    if key == "cascade":
        m = 3 * ((h - 2) * h + (h - 2) ** 2) + 5 * ((h - 6) * (h - 2) + (h - 6) ** 2) \
            + 7 * ((h - 12) * (h - 6) + (h - 12) ** 2)
        return c * c * m, 30 * c * c
    raise KeyError(key)


# Receptive field per axis, 1 + Σ dilation·(k − 1), from the layer list of each design.
RF_SPEC = {"full7": (7, 7), "pair7": (7, 7), "three3": (7, 7), "three_pairs3": (7, 7), "dilated": (7, 7),
           "depthwise": (7, 7), "cascade": (1 + 2 + 4 + 6, 1 + 2 + 4 + 6), **{f"rank{k}": (7, 7) for k in RANKS}}


@pytest.mark.parametrize("c", [1, 3, 64])
def test_counts_match_closed_form(c):
    for key, model in designs(c):
        mults, params = closed_form(key, c, 20)
        assert count_mults(model, 20)["mults"] == mults, key
        assert count_params(model) == params, key


def brute_force(model: torch.nn.Sequential, x: np.ndarray) -> tuple[np.ndarray, int]:
    """Direct convolution in Python loops, counting each product; returns the output and the count."""
    n = 0
    for layer in model:
        w = layer.weight.detach().numpy()
        c_out, c_in_g, kh, kw = w.shape
        d = layer.dilation[0]
        g = layer.groups
        ho, wo = x.shape[1] - d * (kh - 1), x.shape[2] - d * (kw - 1)
        y = np.zeros((c_out, ho, wo))
        per_group = c_out // g
        for o in range(c_out):
            base = (o // per_group) * c_in_g
            for i in range(ho):
                for j in range(wo):
                    acc = 0.0
                    for ci in range(c_in_g):
                        for a in range(kh):
                            for b in range(kw):
                                acc += w[o, ci, a, b] * x[base + ci, i + d * a, j + d * b]
                                n += 1
                    y[o, i, j] = acc
        x = y
    return x, n


@pytest.mark.parametrize("c", [1, 2])
def test_counts_match_brute_force(c):
    torch.manual_seed(1)
    x = torch.randn(1, c, 20, 20, dtype=torch.float64)
    for key, model in designs(c):
        if key.startswith("rank") and key not in ("rank1", "rank3"):
            continue  # same structure as rank3, only slower
        y_ref, n = brute_force(model, x[0].numpy())
        assert n == count_mults(model, 20)["mults"], key
        assert np.allclose(y_ref, model(x)[0].detach().numpy(), atol=1e-10), key


@pytest.mark.parametrize("c", [1, 64])
def test_counts_match_profiler(c):
    for key, model in designs(c):
        x = torch.zeros(1, c, 20, 20, dtype=torch.float64)
        with torch.no_grad(), profile(activities=[ProfilerActivity.CPU], with_flops=True) as prof:
            model(x)
        flops = sum(e.flops for e in prof.key_averages() if e.key == "aten::conv2d")
        assert flops == 2 * count_mults(model, 20)["mults"], key  # one multiply + one add per product


@pytest.mark.parametrize("padding", [0, "same"])
def test_receptive_fields_match_formula(padding):
    for key, model in designs(1, padding=padding):
        r = measure_rf(model, 20)
        assert (r["height"], r["width"]) == RF_SPEC[key], key
        expected_pixels = 9 if key == "dilated" else RF_SPEC[key][0] * RF_SPEC[key][1]
        assert r["pixels"] == expected_pixels, key


def test_path_counts_are_polynomial_coefficients():
    """With all weights 1 the gradient map is the outer product of the 1-D path counts, i.e. the coefficients of
    the product of (1 + t + … + t^(k−1)) over the layers."""
    models = dict(designs(1))
    for key, lengths in (("three3", (3, 3, 3)), ("cascade", (3, 5, 7))):
        coeff = np.array([1.0])
        for n in lengths:
            coeff = np.polymul(coeff, np.ones(n))
        m = rf_map(models[key], 20, ones=True).numpy()
        rows, cols = np.nonzero(m.any(1))[0], np.nonzero(m.any(0))[0]
        crop = m[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
        assert np.array_equal(crop, np.outer(coeff, coeff)), key


def test_costs_claims_from_closed_form():
    r = quiet(costs.compute)
    full_m, full_p = closed_form("full7", 1, 20)
    assert r["k_params"] == max(k for k in RANKS if 14 * k < full_p) == 3
    assert r["k_mults"] == max(k for k in RANKS if closed_form(f"rank{k}", 1, 20)[0] < full_m) == 2
    for c, rows in ((1, r["c1"]), (64, r["c64"])):
        for key, row in rows.items():
            assert (row["mults"], row["params"]) == closed_form(key, c, 20), key


def test_homework_counts():
    r = quiet(homework.compute)
    taps = {"full7": 49, "pair7": 7 + 7, "cascade": 3 + 3 + 5 + 5 + 7 + 7, "pair13": 26, "full13": 169}
    for key, t in taps.items():
        assert r["same"][key]["mults"] == 20 * 20 * t, key  # 'same' padding: every layer on all 400 pixels
    assert (r["same"]["full7"]["mults"], r["same"]["pair7"]["mults"], r["same"]["cascade"]["mults"]) == \
        (19600, 5600, 12000)                                  # the homework's numbers
    assert r["valid"]["full7"]["mults"] == 14 * 14 * 49
    assert r["valid"]["full13"]["mults"] == 8 * 8 * 169
    assert r["valid"]["pair13"]["mults"] == 13 * (8 * 20 + 8 * 8)
    shrink = np.cumsum([3 - 1, 5 - 1, 7 - 1])                  # each k×1 → 1×k pair removes k − 1 per axis
    assert r["sizes_valid"] == [[20 - int(d), 20 - int(d)] for d in shrink]  # 18, 14, 8
    assert r["cascade_rf"] == [13, 13]
    assert abs(r["saving_same"] - (1 - 12000 / 19600)) < 1e-15


def _full_conv2d_fft(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    shape = (a.shape[0] + b.shape[0] - 1, a.shape[1] + b.shape[1] - 1)
    return np.real(np.fft.ifft2(np.fft.fft2(a, shape) * np.fft.fft2(b, shape)))


def test_compose_matches_fft_and_torch():
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((3, 3)), rng.standard_normal((5, 2))
    c = equiv.compose(torch.from_numpy(a), torch.from_numpy(b)).numpy()
    assert np.abs(c - _full_conv2d_fft(a, b)).max() < 1e-12
    x = torch.from_numpy(rng.standard_normal((1, 1, 12, 12)))
    two = equiv.corr(equiv.corr(x, torch.from_numpy(a)), torch.from_numpy(b))
    assert (two - equiv.corr(x, torch.from_numpy(c))).abs().max() < 1e-12


def test_equivalences_hold():
    r = quiet(equiv.compute)
    for key in ("rank1", "svd7", "three3", "cascade", "diagonal", "fit_linear"):
        assert r["errors"][key] < 1e-10, key
    assert r["errors"]["fit_relu"] > 0.1
    assert r["jacobian_rank"] == 25


def test_diagonal_factorization_closed_form():
    # 1 + t + … + t^6 = Π_{j=1..3} (t² − 2 cos(2πj/7) t + 1): polynomial product by numpy.
    p = np.array([1.0])
    for j in (1, 2, 3):
        p = np.polymul(p, [1.0, -2 * math.cos(2 * math.pi * j / 7), 1.0])
    assert np.abs(p - np.ones(7)).max() < 1e-12


def test_rank_errors_independent():
    r = quiet(rank.compute)
    ks = rank.kernels()
    # Diagonal line: all singular values are 1, so the rank-k error is sqrt((7 − k)/7).
    assert all(abs(r["errors"]["diagonal"][k] - math.sqrt((7 - k) / 7)) < 1e-12 for k in range(8))
    # Rank-1 error by power iteration (no SVD): the best rank-1 approximation σ₁·u·vᵀ.
    for name, kern in ks.items():
        k = kern.numpy()
        v = np.ones(7) / math.sqrt(7)
        for _ in range(2000):
            u = k @ v
            u /= np.linalg.norm(u)
            v = k.T @ u
            sigma = np.linalg.norm(v)
            v /= sigma
        approx = sigma * np.outer(u, v)
        err = np.linalg.norm(k - approx) / np.linalg.norm(k)
        assert abs(err - r["errors"][name][1]) < 1e-6, name
    # LoG sampled on the grid is g''(y)·g(x) + g(y)·g''(x) up to a factor: rank 2 by construction.
    s = 1.2
    t = np.arange(7) - 3.0
    gg = np.exp(-t ** 2 / (2 * s ** 2))
    g2 = (t ** 2 / s ** 4 - 1 / s ** 2) * gg
    log = np.outer(g2, gg) + np.outer(gg, g2)
    assert np.abs(log - ks["log"].numpy()).max() < 1e-12
    assert r["ranks"]["log"] == 2


def test_rf_snippet():
    r = quiet(rf.compute)
    assert r["three3_centre_to_corner"] == 49.0
