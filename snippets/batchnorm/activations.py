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

A sample's normalized value depends on the other samples of its batch: for N values the batch mean alone wanders
with a standard deviation of 1/√N of the feature's spread, 0.125 for N = 64 (``noise`` measures the whole x̂):

>>> round(1 / 64 ** 0.5, 3)
0.125

>>> r = compute()
>>> r["shrink"] > 5
True
>>> max(abs(s - 1) for s in r["std.bn"]) < 1e-3
True
"""

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from sitegen.snippet import fmt, label, local_numbers, palette
from snippets.batchnorm._spiral import mlp, spirals

VARIANTS = ("default", "bn", "he")
NOISE_BATCH, NOISE_DRAWS = 64, 200
PCTS = (5, 25, 50, 75, 95)

LABELS = {
    "uk": {"default": "без BN, стандартна ініціалізація PyTorch", "bn": "з BN (та сама ініціалізація)",
           "he": "без BN, ініціалізація Хе", "layer": "шар", "value": "вхід ReLU"},
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
    x, labels = spirals()
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

    # The homework says BN reduces vanishing gradients. At initialization, with the same default init, every Linear
    # layer's weight gradient (cross-entropy on the whole set) is over 50 times smaller without BN than with it;
    # Kaiming initialization without BN gets gradients of the same order as BN (within a factor of 20).
    grads = {}
    for name, net in nets.items():
        net.zero_grad()
        F.cross_entropy(net(x), labels).backward()
        grads[name] = [m.weight.grad.norm().item() for m in net if isinstance(m, nn.Linear)]
    out["grad_norm"] = grads
    out["grad_ratio_bn_default_min"] = min(b / d for b, d in zip(grads["bn"], grads["default"]))
    assert out["grad_ratio_bn_default_min"] > 50, grads
    # The page: "about 100 times smaller (at least 98 times in every layer)": the power of ten nearest the smallest ratio,
    # which lies within a factor of 1.5 of it, and the smallest ratio rounded down, so that "at least" is true.
    ratios = [b / d for b, d in zip(grads["bn"], grads["default"])]
    out["grad_ratio_bn_default_about"] = 10 ** round(math.log10(out["grad_ratio_bn_default_min"]))
    out["grad_ratio_bn_default_floor"] = math.floor(out["grad_ratio_bn_default_min"])
    assert 1 / 1.5 < out["grad_ratio_bn_default_min"] / out["grad_ratio_bn_default_about"] < 1.5
    assert all(r >= out["grad_ratio_bn_default_floor"] for r in ratios)
    assert min(ratios) > out["grad_ratio_bn_default_about"] / 1.5
    assert all(0.05 < h / b < 20 for h, b in zip(grads["he"], grads["bn"])), grads

    # BN's noise: in train mode one fixed input (sample 0) is normalized with the statistics of whatever batch it is
    # in. Over NOISE_DRAWS random batches of NOISE_BATCH, the first BN layer's output for it wanders with a standard
    # deviation of the order of 1/√N (between 0.5/√N and 2/√N on average over the features), and the network's
    # two logits for it wander too: noise in training that the original paper credits with a regularizing effect.
    # Measured on the untrained network (He initialization, BN after every linear layer), as the page says.
    net = mlp(bn=True, init="he").train()
    bn1 = next(m for m in net if isinstance(m, nn.BatchNorm1d))
    seen = []
    hook = bn1.register_forward_hook(lambda mod, inp, o: seen.append(o[0].detach().clone()))
    g = torch.Generator().manual_seed(1)
    logits = []
    with torch.no_grad():
        for _draw in range(NOISE_DRAWS):
            idx = torch.cat([torch.tensor([0]), torch.randint(1, len(x), (NOISE_BATCH - 1,), generator=g)])
            logits.append(net(x[idx])[0])
    hook.remove()
    bn_std = torch.stack(seen).std(0).mean().item()
    logit_std = torch.stack(logits).std(0).mean().item()
    assert 0.5 / NOISE_BATCH**0.5 < bn_std < 2 / NOISE_BATCH**0.5, bn_std
    assert logit_std > bn_std, (logit_std, bn_std)
    out["noise"] = {"batch": NOISE_BATCH, "draws": NOISE_DRAWS, "bn1_std": bn_std, "logit_std": logit_std,
                    "one_over_sqrt_n": 1 / NOISE_BATCH**0.5}
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
