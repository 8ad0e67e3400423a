"""What reaches each ReLU of a freshly initialized 6-layer MLP, with and without Batch Normalization.

The whole two-spiral training set (512 points) goes through three versions of the network: PyTorch's default
initialization without BN, the same with BN (train mode: the batch is the whole set), and Kaiming (He)
initialization without BN. For every layer we record the values entering the ReLU.

PyTorch's default ``nn.Linear`` initialization draws weights from U(−1/√n, 1/√n), variance 1/(3n); a ReLU keeps
half of the second moment, so each layer multiplies the second moment by about n · 1/(3n) · 1/2 = 1/6 and the
signal fades (until the biases dominate). Kaiming initialization uses variance 2/n, which keeps it at 1:

>>> n = 64
>>> round(n * (1 / (3 * n)) * 0.5, 6), round(n * (2 / n) * 0.5, 6)
(0.166667, 1.0)

>>> r = compute()
>>> r["shrink"] > 5
True
>>> max(abs(s - 1) for s in r["std.bn"]) < 1e-3
True
"""

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from sitegen.snippet import fmt, label, local_numbers, palette
from snippets.batchnorm._spiral import mlp, spirals

VARIANTS = ("default", "bn", "he")
PCTS = (5, 25, 50, 75, 95)

LABELS = {
    "uk": {"default": "без BN, стандартна ініціалізація PyTorch", "bn": "з BN (та сама ініціалізація)",
           "he": "без BN, ініціалізація Каймінга", "layer": "шар", "value": "вхід ReLU"},
    "en": {"default": "without BN, PyTorch default init", "bn": "with BN (same init)",
           "he": "without BN, Kaiming (He) init", "layer": "layer", "value": "input of the ReLU"},
}


def relu_inputs(net: nn.Sequential, x: torch.Tensor) -> list[torch.Tensor]:
    """The tensors entering each ReLU of ``net`` for the input ``x``."""
    seen: list[torch.Tensor] = []
    hooks = [m.register_forward_hook(lambda mod, inp, out: seen.append(inp[0].detach().clone()))
             for m in net if isinstance(m, nn.ReLU)]
    with torch.no_grad():
        net(x)
    for h in hooks:
        h.remove()
    return seen


def compute() -> dict:
    x, _ = spirals()
    nets = {
        "default": mlp(bn=False, init="default"),
        "bn": mlp(bn=True, init="default").train(),
        "he": mlp(bn=False, init="he"),
    }
    out: dict = {"variants": list(VARIANTS), "pcts": list(PCTS), "n": len(x)}
    for name, net in nets.items():
        acts = relu_inputs(net, x)
        out[f"std.{name}"] = [a.std(unbiased=False).item() for a in acts]
        out[f"mean.{name}"] = [a.mean().item() for a in acts]
        out[f"pct.{name}"] = [np.percentile(a.numpy().ravel(), PCTS).tolist() for a in acts]
    out["layers"] = len(out["std.default"])
    out["shrink"] = out["std.default"][0] / out["std.default"][-1]
    # Claims of the page: the default-initialized plain network loses scale layer after layer (here > 5×);
    # with BN every layer gets mean 0 and standard deviation 1 per feature, hence overall too;
    # Kaiming initialization keeps the scale of the same order without BN (within a factor of 2 of 1).
    assert out["shrink"] > 5
    assert all(a > b for a, b in zip(out["std.default"][:3], out["std.default"][1:4])), "must shrink early on"
    assert max(abs(s - 1) for s in out["std.bn"]) < 1e-3 and max(abs(m) for m in out["mean.bn"]) < 1e-6
    assert all(0.5 < s < 2 for s in out["std.he"])
    return out


def _figure(r: dict, lang: str, theme: str, narrow: bool):
    p = palette(theme)
    colors = {"default": p["orange"], "bn": p["blue"], "he": p["forward"]}
    # Text sizes for the page (issue 16): the wide figure is shown scaled to a 688 px column (10.5 pt ≥ 11 CSS px);
    # the narrow one (phones) stacks the panels, 5 in wide with 10 pt text (≥ 9 CSS px at 358 px).
    fs = 10.0 if narrow else 10.5
    with plt.rc_context({"font.size": fs}):
        fig, axes = plt.subplots(3, 1, figsize=(5.0, 7.6), sharex=True) if narrow else \
            plt.subplots(1, 3, figsize=(9, 3.4), sharey=True)
        layers = np.arange(1, r["layers"] + 1)
        for ax, name in zip(axes, r["variants"]):
            c = colors[name]
            pct = np.array(r[f"pct.{name}"])          # layers × (5, 25, 50, 75, 95)
            ax.vlines(layers, pct[:, 0], pct[:, 4], color=c, lw=1.2)
            ax.bar(layers, pct[:, 3] - pct[:, 1], bottom=pct[:, 1], width=0.5, color=c, alpha=0.45, edgecolor=c)
            ax.hlines(pct[:, 2], layers - 0.25, layers + 0.25, color=c, lw=2)
            for i, s in zip(layers, r[f"std.{name}"]):
                ax.text(i, 2.7, fmt(s, ".2f", lang, target="text"), ha="center", va="bottom", fontsize=fs, color=c)
            ax.axhline(0, color=p["muted"], lw=0.8)
            ax.set_title(label(LABELS, lang, name), fontsize=fs)
            ax.set_xticks(layers)
            if narrow:
                ax.set_ylabel(label(LABELS, lang, "value"))
            if not narrow or ax is axes[-1]:
                ax.set_xlabel(label(LABELS, lang, "layer"))
            ax.set_ylim(-3, 3.6)
            ax.grid(True, axis="y", lw=0.5)
        axes[0].set_ylabel(label(LABELS, lang, "value"))
        fig.tight_layout()
        local_numbers(fig, lang)
    return fig


def figures(r: dict, lang: str, theme: str) -> dict:
    return {"per_layer": _figure(r, lang, theme, False), "per_layer_narrow": _figure(r, lang, theme, True)}


if __name__ == "__main__":
    res = compute()
    for v in VARIANTS:
        print(v, "std per layer:", [round(s, 3) for s in res[f"std.{v}"]])
