"""Monte Carlo dropout: dropout kept on at inference, on purpose, to see where the network is unsure.

A small regression network (with a BatchNorm layer and two Dropout layers, p = 0.2) learns y = sin x + noise from
60 points on two intervals, [−4, −1.5] and [1.5, 4]; there is no data between them. At inference only the Dropout
modules are switched back to train mode (BatchNorm stays in eval mode and keeps its running statistics); 200
stochastic forward passes give a mean prediction and a standard deviation at every x.

``enable_mc_dropout`` leaves BatchNorm in eval mode and Dropout in train mode:

>>> net = make_net()
>>> enable_mc_dropout(net)
>>> [type(m).__name__ for m in net.modules() if m.training]
['Dropout', 'Dropout']

The claims of the page (a larger spread inside the gap than over the data; BatchNorm untouched by MC sampling) are
asserted in ``compute()``, run by the build and by ``tests/test_dropout.py``.
"""

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from sitegen.snippet import label, local_numbers, palette

P = 0.2
WIDTH = 64
STEPS = 1000
SAMPLES = 200
N = 60
LEFT, RIGHT = (-4.0, -1.5), (1.5, 4.0)
GAP = (-1.0, 1.0)          # the middle of the gap, where the spread is measured
GRID = (-5.0, 5.0, 201)

LABELS = {
    "uk": {"data": "навчальні дані", "truth": "sin x", "mean": "середнє прогнозів (дропаут Монте-Карло)",
           "band": "±2σ", "gap": "немає даних", "x": "x", "y": "y",
           "std": "σ"},
    "en": {"data": "training data", "truth": "sin x", "mean": "mean of MC predictions",
           "band": "±2σ", "gap": "no data", "x": "x", "y": "y", "std": "σ"},
}


def make_data(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    half = N // 2
    x = torch.cat([torch.rand(half, generator=g) * (LEFT[1] - LEFT[0]) + LEFT[0],
                   torch.rand(half, generator=g) * (RIGHT[1] - RIGHT[0]) + RIGHT[0]])
    y = torch.sin(x) + 0.1 * torch.randn(N, generator=g)
    return x[:, None], y[:, None]


def make_net(seed: int = 0) -> nn.Sequential:
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Linear(1, WIDTH), nn.BatchNorm1d(WIDTH), nn.ReLU(), nn.Dropout(P),
        nn.Linear(WIDTH, WIDTH), nn.ReLU(), nn.Dropout(P),
        nn.Linear(WIDTH, 1),
    )


# --8<-- [start:enable]
def enable_mc_dropout(model: nn.Module) -> None:
    """Eval mode everywhere (BatchNorm uses its running statistics), then Dropout alone back in train mode."""
    model.eval()
    for m in model.modules():
        if isinstance(m, nn.Dropout):
            m.train()
# --8<-- [end:enable]


def compute() -> dict:
    x, y = make_data()
    net = make_net()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3, weight_decay=1e-4)
    for _ in range(STEPS):
        loss = ((net(x) - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        train_mse = ((net(x) - y) ** 2).mean().item()
    assert train_mse < 0.05, "the network must fit the training data"

    grid = torch.linspace(*GRID)[:, None]
    bn = net[1]
    before = (bn.running_mean.clone(), bn.running_var.clone())

    # Plain eval: deterministic.
    with torch.no_grad():
        eval_passes_equal = bool(torch.equal(net(grid), net(grid)))

    # MC dropout: only the Dropout modules sample masks.
    enable_mc_dropout(net)
    torch.manual_seed(123)
    with torch.no_grad():
        preds = torch.stack([net(grid)[:, 0] for _ in range(SAMPLES)])
    mc_passes_differ = not torch.equal(preds[0], preds[1])
    bn_unchanged = torch.equal(bn.running_mean, before[0]) and torch.equal(bn.running_var, before[1])
    assert not bn.training and bn_unchanged and mc_passes_differ and eval_passes_equal

    # The tempting shortcut model.train() also puts BatchNorm in train mode: batch statistics, and a forward
    # pass overwrites the running statistics learned in training.
    net.train()
    with torch.no_grad():
        net(grid)
    train_mode_moves_bn = not torch.equal(bn.running_mean, before[0])
    assert train_mode_moves_bn

    mean, std = preds.mean(0), preds.std(0)
    g = grid[:, 0]
    in_gap = (g > GAP[0]) & (g < GAP[1])
    on_data = ((g >= LEFT[0]) & (g <= LEFT[1])) | ((g >= RIGHT[0]) & (g <= RIGHT[1]))
    std_gap, std_data = std[in_gap].mean().item(), std[on_data].mean().item()
    # Claim of the page: the spread is larger inside the gap than over the training data (here > 1.3×).
    assert std_gap > 1.3 * std_data, (std_gap, std_data)
    # ... and beyond both ends of the data (|x| > 4.5) it is larger still than over the data.
    outside = g.abs() > 4.5
    std_outside = std[outside].mean().item()
    assert std_outside > 1.3 * std_data
    return {
        "p": P, "samples": SAMPLES, "n": N, "steps": STEPS, "train_mse": train_mse,
        "x": x[:, 0].tolist(), "y": y[:, 0].tolist(), "grid": g.tolist(),
        "mean": mean.tolist(), "std": std.tolist(),
        "std_gap": std_gap, "std_data": std_data, "std_outside": std_outside, "ratio": std_gap / std_data,
        "left": list(LEFT), "right": list(RIGHT),
        "bn_unchanged": bn_unchanged, "mc_passes_differ": mc_passes_differ,
        "eval_passes_equal": eval_passes_equal, "train_mode_moves_bn": train_mode_moves_bn,
    }


def figures(r: dict, lang: str, theme: str) -> dict:
    p = palette(theme)
    g, mean, std = np.array(r["grid"]), np.array(r["mean"]), np.array(r["std"])
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(5.0, 4.9), sharex=True, gridspec_kw={"height_ratios": [3, 1.3]})
    for a in (ax, ax2):
        a.axvspan(r["left"][1], r["right"][0], color=p["grid"], alpha=0.5, lw=0)
        a.grid(True, lw=0.5)
    ax.fill_between(g, mean - 2 * std, mean + 2 * std, color=p["blue"], alpha=0.3, lw=0,
                    label=label(LABELS, lang, "band"))
    ax.plot(g, np.sin(g), color=p["muted"], ls="--", lw=1, label=label(LABELS, lang, "truth"))
    ax.plot(g, mean, color=p["blue"], lw=2, label=label(LABELS, lang, "mean"))
    ax.scatter(r["x"], r["y"], s=12, color=p["orange"], zorder=3, label=label(LABELS, lang, "data"))
    ax.text(0, 1.55, label(LABELS, lang, "gap"), ha="center", va="center", color=p["muted"])
    ax.set_ylim(-2.7, 2)
    ax.set_ylabel(label(LABELS, lang, "y"))
    # The legend above the plot, outside the axes: it never covers the band or the points.
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.02), fontsize=10, ncol=2, handlelength=1.5, columnspacing=1,
              borderaxespad=0)
    ax2.plot(g, std, color=p["blue"], lw=1.8)
    ax2.set_ylim(0, None)
    ax2.set_ylabel(label(LABELS, lang, "std"))
    ax2.set_xlabel(label(LABELS, lang, "x"))
    ax2.set_xlim(g[0], g[-1])
    fig.tight_layout()
    local_numbers(fig, lang)
    return {"band": fig}


if __name__ == "__main__":
    res = compute()
    print("std in the gap", res["std_gap"], "on the data", res["std_data"], "ratio", res["ratio"])
