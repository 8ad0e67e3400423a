"""How well a sum of k separable (rank-1) passes approximates a 7×7 kernel: the truncated SVD, k = 1…7.

By Eckart–Young the best rank-k approximation keeps the k largest singular values, so its relative error is
sqrt(Σ_{i>k} σ_i²) / sqrt(Σ σ_i²). For the 7×7 diagonal line (the identity matrix) all singular values are 1 and
the error of rank k is sqrt((7 − k)/7):

>>> import contextlib, io
>>> with contextlib.redirect_stdout(io.StringIO()):
...     r = compute()
>>> abs(r["errors"]["diagonal"][3] - ((7 - 3) / 7) ** 0.5) < 1e-12
True

A sampled Gaussian is an outer product g(y)·g(x), so one separable pass is exact:

>>> r["ranks"]["gaussian"]
1
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import torch

from sitegen.snippet import fmt, label, local_numbers, palette

N = 7
KERNELS = ("random", "gaussian", "log", "disk", "diagonal")
TOL = 1e-12  # relative; a singular value below TOL·σ₁ counts as zero (float64)

LABELS = {
    "uk": {"random": "випадкове", "gaussian": "гауссове", "log": "лапласіан гауссіана (LoG)", "disk": "диск",
           "diagonal": "діагональна лінія", "k": "кількість роздільних пар k (ранг)",
           "err": "відносна похибка", "floor": "точність float64", "rank": "ранг"},
    "en": {"random": "random", "gaussian": "Gaussian", "log": "Laplacian of Gaussian", "disk": "disk",
           "diagonal": "diagonal line", "k": "number of separable pairs k (rank)",
           "err": "relative error", "floor": "float64 precision", "rank": "rank"},
}


def kernels() -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    c = torch.arange(N, dtype=torch.float64) - N // 2
    y, x = torch.meshgrid(c, c, indexing="ij")
    r2 = x ** 2 + y ** 2
    s, s_log = 1.5, 1.2
    return {
        "random": torch.randn(N, N, generator=g, dtype=torch.float64),
        "gaussian": torch.exp(-r2 / (2 * s ** 2)),
        "log": (r2 - 2 * s_log ** 2) / s_log ** 4 * torch.exp(-r2 / (2 * s_log ** 2)),
        "disk": (r2 <= 9.5).double(),
        "diagonal": torch.eye(N, dtype=torch.float64),
    }


def rank_k(kernel: torch.Tensor, k: int) -> torch.Tensor:
    """Sum of the first k separable terms σ_i·u_i·v_iᵀ: k pairs of a 7×1 and a 1×7 filter."""
    u, s, vh = torch.linalg.svd(kernel)
    return (u[:, :k] * s[:k]) @ vh[:k]


def compute() -> dict:
    ks = kernels()
    errors, ranks, svals = {}, {}, {}
    for name, kern in ks.items():
        norm = torch.linalg.norm(kern)
        errors[name] = [float(torch.linalg.norm(kern - rank_k(kern, k)) / norm) for k in range(0, N + 1)]
        s = torch.linalg.svdvals(kern)
        svals[name] = s.tolist()
        ranks[name] = int((s > TOL * s[0]).sum())
    # Claims the page makes.
    assert ranks["gaussian"] == 1 and errors["gaussian"][1] < 1e-12        # one separable pair is exact
    assert ranks["log"] == 2 and errors["log"][1] > 0.1 and errors["log"][2] < 1e-12   # two pairs are exact
    assert ranks["diagonal"] == N and ranks["random"] == N                 # need all seven pairs
    assert all(abs(errors["diagonal"][k] - math.sqrt((N - k) / N)) < 1e-12 for k in range(N + 1))
    assert errors["random"][1] > 0.3 and errors["random"][N - 1] > 1e-3
    assert errors["disk"][1] > 0.1 and 2 < ranks["disk"] < N
    assert all(e[N] < 1e-12 for e in errors.values())                       # rank 7 reproduces any 7×7
    assert all(a >= b - 1e-15 for e in errors.values() for a, b in zip(e, e[1:]))  # never worse with more pairs
    return {"errors": errors, "ranks": ranks, "singular_values": svals,
            "kernels": {n: k.tolist() for n, k in ks.items()},
            "random_rank1": errors["random"][1], "random_rank3": errors["random"][3],
            "disk_rank": ranks["disk"], "diagonal_rank1": errors["diagonal"][1]}


def report(r: dict, lang: str) -> None:
    """The rank of each kernel (how many separable pairs reproduce it exactly), in the page's language."""
    L = LABELS[lang]
    print(f'{L["rank"]}: ' + ", ".join(f"{L[n]} {k}" for n, k in r["ranks"].items()))


def _figure(r: dict, lang: str, theme: str, narrow: bool):
    import textwrap

    p = palette(theme)
    # Text sizes for the page (issue 16): wide, ~7 in at 9.5 pt, shown at about its natural size in a 688 px column
    # (≥ 11 CSS px); narrow (phones), 5 in at 10 pt (≥ 9 CSS px), the kernels in two rows. The legend sits under
    # the plot, never over a curve.
    fs = 10.0 if narrow else 9.5
    with plt.rc_context({"font.size": fs}):
        fig = plt.figure(figsize=(5.0, 8.0) if narrow else (7.0, 6.0), layout="constrained")
        krows, kcols = (2, 3) if narrow else (1, len(KERNELS))
        gs = fig.add_gridspec(krows + 1, kcols, height_ratios=[1] * krows + [2.6 if narrow else 2.4])
        colors = [p["blue"], p["orange"], p["forward"], p["purple"], p["backward"]]
        markers = "osD^v"
        for i, name in enumerate(KERNELS):
            ax = fig.add_subplot(gs[i // kcols, i % kcols])
            k = np.array(r["kernels"][name])
            lim = float(np.abs(k).max())
            ax.imshow(k, cmap="RdBu_r", vmin=-lim, vmax=lim)
            ax.set_xticks([])
            ax.set_yticks([])
            title = "\n".join(textwrap.wrap(label(LABELS, lang, name), 13))
            ax.set_title(f'{title}\n{label(LABELS, lang, "rank")} {r["ranks"][name]}', fontsize=fs, color=colors[i])
            for sp in ax.spines.values():
                sp.set_color(colors[i])
        ax = fig.add_subplot(gs[krows, :])
        floor = 1e-16
        ks = np.arange(1, N + 1)
        for i, name in enumerate(KERNELS):
            e = np.maximum(np.array(r["errors"][name][1:]), floor)
            ax.semilogy(ks, e, marker=markers[i], color=colors[i], label=label(LABELS, lang, name))
        ax.axhline(1e-15, color=p["muted"], ls=":", lw=1)
        ax.text(N - 0.5, 2e-15, label(LABELS, lang, "floor"), color=p["muted"], ha="right", va="bottom", fontsize=fs)
        ax.set_ylim(floor / 2, 2)
        ax.set_xticks(ks)
        ax.set_xticklabels([fmt(int(k), "d", lang, target="text") for k in ks])
        ax.set_xlabel(label(LABELS, lang, "k"))
        ax.set_ylabel(label(LABELS, lang, "err"))
        ax.grid(True, alpha=0.5)
        ax.legend(fontsize=fs, loc="upper center", bbox_to_anchor=(0.5, -0.22 if narrow else -0.2),
                  ncol=2 if narrow else 3)
        local_numbers(fig, lang)
    return fig


def figures(r: dict, lang: str, theme: str) -> dict:
    return {"rank": _figure(r, lang, theme, False), "rank_narrow": _figure(r, lang, theme, True)}


if __name__ == "__main__":
    compute()
