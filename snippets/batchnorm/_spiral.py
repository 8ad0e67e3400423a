"""Shared by the Batch Normalization snippets: a two-spiral dataset and a plain ReLU MLP with or without BN.

>>> x, y = spirals(n=100)
>>> tuple(x.shape), tuple(y.shape), sorted(set(y.tolist()))
((100, 2), (100,), [0, 1])
>>> net = mlp(bn=True, depth=3, width=8)
>>> sum(isinstance(m, nn.BatchNorm1d) for m in net), sum(isinstance(m, nn.Linear) for m in net)
(3, 4)
"""

import math

import torch
from torch import nn


def spirals(n: int = 512, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Two interleaved spirals in the plane, labels 0 and 1; a task a linear model cannot solve."""
    g = torch.Generator().manual_seed(seed)
    t = torch.rand(n, generator=g) * 3 * math.pi + 0.5
    y = torch.randint(0, 2, (n,), generator=g)
    angle = t + math.pi * y
    x = torch.stack([t * torch.cos(angle), t * torch.sin(angle)], 1) / 5
    x = x + 0.05 * torch.randn(n, 2, generator=g)
    return x, y


def mlp(bn: bool, depth: int = 6, width: int = 64, init: str = "he", seed: int = 0) -> nn.Sequential:
    """``depth`` × (Linear → [BatchNorm1d] → ReLU) → Linear(width, 2).

    ``init="he"``: Kaiming-normal weights for ReLU, zero biases; ``init="default"``: PyTorch's own default.
    With BN the Linear layer has no bias (BN's β plays that role).
    """
    torch.manual_seed(seed)
    layers: list[nn.Module] = []
    d = 2
    for _ in range(depth):
        layers.append(nn.Linear(d, width, bias=not bn))
        if bn:
            layers.append(nn.BatchNorm1d(width))
        layers.append(nn.ReLU())
        d = width
    layers.append(nn.Linear(d, 2))
    if init == "he":
        for m in layers:
            if isinstance(m, nn.Linear):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
    elif init != "default":
        raise ValueError(f"unknown init {init!r}")
    return nn.Sequential(*layers)
