"""Equivalences between a 7×7 convolution and its factorizations, checked numerically in float64.

``compose(a, b)`` is the single kernel equal to correlating with ``a`` and then with ``b`` (no padding, stride 1):
the full 2-D convolution of the two kernels. Two all-ones 3×3 kernels give a 5×5 kernel whose rows are the
coefficients of (1 + t + t²)² = 1, 2, 3, 2, 1 times the same along the columns:

>>> import torch
>>> k = compose(torch.ones(3, 3, dtype=torch.float64), torch.ones(3, 3, dtype=torch.float64))
>>> k[2].tolist(), k[0, 0].item(), k[2, 2].item()
([3.0, 6.0, 9.0, 6.0, 3.0], 1.0, 9.0)

The cyclotomic polynomial 1 + t + … + t⁶ is the product of t² − 2·cos(2πj/7)·t + 1, j = 1, 2, 3:

>>> import contextlib, io
>>> with contextlib.redirect_stdout(io.StringIO()):
...     r = compute()
>>> r["errors"]["diagonal"] < 1e-10, r["jacobian_rank"] == 27 - 2
(True, True)

A 7×1 then 1×7 pair through C_mid intermediate channels gives, per pair of input and output channels, a kernel of
rank C_mid (a sum of C_mid outer products of random vectors):

>>> r["multichannel"]["ranks"] == [r["multichannel"]["c_mid"]] * 4
True
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from sitegen.snippet import Table, exact_zero, plural

LABELS = {
    "uk": {"what": "що порівнюємо", "diff": "різниця", "equal": "однакові (до 10⁻¹⁰)?",
           "rank1": r"ядро рангу 1 $u v^\top$ (7×7) і $7\times 1$ ($u$), потім $1\times 7$ ($v$)",
           "svd7": r"довільне 7×7 і сума 7 роздільних пар із SVD",
           "three3": r"три лінійні шари $3\times 3$ і одне 7×7 — їхня композиція",
           "cascade": r"лінійний каскад із домашнього завдання і одне ядро 13×13 рангу 1",
           "diagonal": r"діагональна лінія 7×7 і три $3\times 3$ (множники $1 + t + \dots + t^6$)",
           "fit_linear": r"три лінійні $3\times 3$: найкраще наближення одним 7×7 (відносна похибка)",
           "fit_relu": r"три $3\times 3$ з ReLU між ними: найкраще наближення одним 7×7 (відносна похибка)",
           "report": "ранг якобіана трьох 3×3 за їхніми {free} вагами: {rank} (ядро 7×7 має {full} {weights})",
           "weights": {"one": "вагу", "few": "ваги", "many": "ваг", "other": "ваги"}},
    "en": {"what": "what is compared", "diff": "difference", "equal": "equal (to 10⁻¹⁰)?",
           "rank1": r"rank-1 kernel $u v^\top$ (7×7) vs $7\times 1$ ($u$) then $1\times 7$ ($v$)",
           "svd7": r"any 7×7 vs the sum of 7 separable pairs from the SVD",
           "three3": r"three linear $3\times 3$ layers vs one 7×7, their composition",
           "cascade": r"the homework's linear cascade vs one rank-1 13×13 kernel",
           "diagonal": r"7×7 diagonal line vs three $3\times 3$ (factors of $1 + t + \dots + t^6$)",
           "fit_linear": r"three linear $3\times 3$: best fit by one 7×7 (relative error)",
           "fit_relu": r"three $3\times 3$ with ReLU between: best fit by one 7×7 (relative error)",
           "report": "rank of the Jacobian of three 3×3 in their {free} weights: {rank} (a 7×7 kernel has {full} {weights})",
           "weights": {"one": "weight", "other": "weights"}},
}

RELU_DRAWS = 4  # further random draws of the three 3×3 kernels for the ReLU fit
ROWS = ("rank1", "svd7", "three3", "cascade", "diagonal", "fit_linear", "fit_relu")


def corr(x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    """What nn.Conv2d does with one channel, no padding: y[i, j] = Σ k[a, b]·x[i + a, j + b]."""
    return F.conv2d(x, k[None, None])


def compose(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The kernel c with corr(corr(x, a), b) == corr(x, c): c[m, n] = Σ a[i, j]·b[m − i, n − j] (full convolution)."""
    out = torch.zeros(a.shape[0] + b.shape[0] - 1, a.shape[1] + b.shape[1] - 1, dtype=a.dtype)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            out[i:i + b.shape[0], j:j + b.shape[1]] += a[i, j] * b
    return out


def patches(x: torch.Tensor, n: int) -> torch.Tensor:
    """Every n×n window of x as a row: a design matrix for fitting one n×n kernel by least squares."""
    return F.unfold(x, n).transpose(1, 2).reshape(-1, n * n)


def compute() -> dict:
    g = torch.Generator().manual_seed(0)

    def rnd(*shape):
        return torch.randn(*shape, generator=g, dtype=torch.float64)

    x = rnd(4, 1, 24, 24)
    err = {}
    # 1. A rank-1 kernel is exactly one separable pair.
    u, v = rnd(7), rnd(7)
    err["rank1"] = (corr(x, torch.outer(u, v)) - corr(corr(x, u[:, None]), v[None, :])).abs().max().item()
    # 2. Seven separable pairs from the SVD reproduce an arbitrary 7×7 kernel.
    k = rnd(7, 7)
    uu, s, vh = torch.linalg.svd(k)
    w1 = (uu * s).T.reshape(7, 1, 7, 1)          # 7 vertical filters σ_i·u_i, one per branch
    w2 = vh.reshape(1, 7, 1, 7)                  # 7 horizontal filters v_i, summed over the branches
    err["svd7"] = (corr(x, k) - F.conv2d(F.conv2d(x, w1), w2)).abs().max().item()
    # 3. Three linear 3×3 layers are one 7×7 layer whose kernel is their composition.
    k1, k2, k3 = rnd(3, 3), rnd(3, 3), rnd(3, 3)
    stack3 = corr(corr(corr(x, k1), k2), k3)
    err["three3"] = (stack3 - corr(x, compose(compose(k1, k2), k3))).abs().max().item()
    # 4. The homework's cascade, linear: one 13×13 kernel, the outer product of the composed 1-D filters.
    vs, hs = [rnd(n) for n in (3, 5, 7)], [rnd(n) for n in (3, 5, 7)]
    y = x
    for a, b in zip(vs, hs):
        y = corr(corr(y, a[:, None]), b[None, :])
    vfull, hfull = vs[0], hs[0]
    for a, b in zip(vs[1:], hs[1:]):
        vfull = compose(vfull[:, None], a[:, None])[:, 0]
        hfull = compose(hfull[None, :], b[None, :])[0]
    k13 = torch.outer(vfull, hfull)
    err["cascade"] = (y - corr(x, k13)).abs().max().item()
    cascade_rank_gap = float(torch.linalg.svdvals(k13)[1] / torch.linalg.svdvals(k13)[0])
    # 5. The diagonal line (rank 7, no separable pair can make it) is three 3×3 kernels.
    factors = [torch.diag(torch.tensor([1.0, -2 * math.cos(2 * math.pi * j / 7), 1.0], dtype=torch.float64))
               for j in (1, 2, 3)]
    diag = compose(compose(factors[0], factors[1]), factors[2])
    eye = torch.eye(7, dtype=torch.float64)
    via_three = corr(corr(corr(x, factors[0]), factors[1]), factors[2])
    err["diagonal"] = max((diag - eye).abs().max().item(), (via_three - corr(x, eye)).abs().max().item())
    # 6. 27 numbers cannot make an arbitrary 49: the map (k1, k2, k3) → 7×7 kernel has a 25-dimensional image
    #    (two scale factors can move between the three kernels without changing the product).
    jac = torch.autograd.functional.jacobian(
        lambda p: compose(compose(p[:9].reshape(3, 3), p[9:18].reshape(3, 3)), p[18:].reshape(3, 3)).flatten(),
        torch.cat([k1.flatten(), k2.flatten(), k3.flatten()]))
    sv = torch.linalg.svdvals(jac)
    jacobian_rank = int((sv > 1e-10 * sv[0]).sum())
    # 7. With ReLU between the layers no single 7×7 kernel reproduces the stack; without it one does exactly.
    xs = rnd(8, 1, 24, 24)
    relu3 = corr(F.relu(corr(F.relu(corr(xs, k1)), k2)), k3)
    lin3 = corr(corr(corr(xs, k1), k2), k3)
    P = torch.cat([patches(xs, 7), torch.ones(xs.shape[0] * 18 * 18, 1, dtype=torch.float64)], 1)
    fits = {}
    # The QR driver ``gels`` (P has full column rank): torch's default on CPU, ``gelsy``, gave a different last bit
    # from one run to the next with the same inputs, one thread and MKL's reproducible mode.
    for name, target in (("fit_linear", lin3), ("fit_relu", relu3)):
        t = target.reshape(-1, 1)       # a constant column lets the fit have a bias too
        sol = torch.linalg.lstsq(P, t, driver="gels").solution
        fits[name] = (torch.linalg.norm(P @ sol - t) / torch.linalg.norm(t)).item()
    err.update(fits)
    # The size of that misfit depends on the random kernels and inputs: redraw the three kernels a few times (same
    # inputs) and record the range; the page states the setup and this range, and every draw misses by over 10%.
    relu_draws = []
    for _draw in range(RELU_DRAWS):
        q1, q2, q3 = rnd(3, 3), rnd(3, 3), rnd(3, 3)
        t = corr(F.relu(corr(F.relu(corr(xs, q1)), q2)), q3).reshape(-1, 1)
        sol = torch.linalg.lstsq(P, t, driver="gels").solution
        relu_draws.append((torch.linalg.norm(P @ sol - t) / torch.linalg.norm(t)).item())
    assert min(relu_draws) > 0.1, relu_draws
    # 8. With several channels the rank-1 limit holds per intermediate channel: a 7×1 layer (C_in → C_mid) then a
    #    1×7 layer (C_mid → C_out) is, from input channel i to output channel o, the 7×7 kernel
    #    Σ_m u[m, i] v[o, m]ᵀ, a sum of C_mid rank-1 terms: rank ≤ C_mid, and for random weights exactly C_mid.
    c_in, c_mid, c_out = 2, 3, 2
    w_v, w_h = rnd(c_mid, c_in, 7, 1), rnd(c_out, c_mid, 1, 7)
    xm = rnd(2, c_in, 20, 20)
    kern = torch.einsum("mia,omb->oiab", w_v[..., 0], w_h[:, :, 0, :])   # effective 7×7 kernel per (o, i)
    multichannel_err = (F.conv2d(F.conv2d(xm, w_v), w_h) - F.conv2d(xm, kern)).abs().max().item()
    kernel_ranks = [int(torch.linalg.matrix_rank(kern[o, i])) for o in range(c_out) for i in range(c_in)]
    one_path_ranks = [int(torch.linalg.matrix_rank(torch.outer(w_v[m, i, :, 0], w_h[o, m, 0, :])))
                      for o in range(c_out) for i in range(c_in) for m in range(c_mid)]
    assert multichannel_err < 1e-10 and kernel_ranks == [c_mid] * (c_out * c_in) and set(one_path_ranks) == {1}
    # Claims the page makes.
    for key in ("rank1", "svd7", "three3", "cascade", "diagonal", "fit_linear"):
        assert err[key] < 1e-10, (key, err[key])
        # Zero in exact arithmetic: shown as "< 10⁻¹²", never as round-off digits that vary between machines.
        err[key] = exact_zero(err[key], 1e-12)
    assert cascade_rank_gap < 1e-12
    assert jacobian_rank == 27 - 2 and jacobian_rank < 49
    assert err["fit_relu"] > 0.1
    return {"errors": err, "jacobian_rank": jacobian_rank, "cascade_rank_gap": cascade_rank_gap,
            "free_three3": 27, "free_full7": 49,
            "fit_relu_setup": {"inputs": xs.shape[0], "size": xs.shape[-1], "draws": RELU_DRAWS + 1,
                               "min": min([err["fit_relu"], *relu_draws]), "max": max([err["fit_relu"], *relu_draws])},
            "multichannel": {"c_in": c_in, "c_mid": c_mid, "c_out": c_out, "ranks": kernel_ranks,
                             "max_diff": multichannel_err}}


def report(r: dict, lang: str) -> None:
    """How many 7×7 kernels three 3×3 layers can make (the rank of the map from their weights), in the page's language."""
    L = LABELS[lang]
    print(L["report"].format(free=r["free_three3"], rank=r["jacobian_rank"], full=r["free_full7"],
                             weights=plural(r["free_full7"], lang, **L["weights"])))


def tables(r: dict, lang: str) -> dict:
    L = LABELS[lang]
    rows = [[L[k], r["errors"][k], r["errors"][k] < 1e-10] for k in ROWS]
    return {"equivalences": Table([L["what"], L["diff"], L["equal"]], rows, formats=[None, ".1e", None])}


if __name__ == "__main__":
    compute()
