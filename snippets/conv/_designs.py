"""Shared helpers for the factorized-convolution snippets: the designs, an instrumented multiplication count, a
measured receptive field.

Every design is an ``nn.Sequential`` of bias-free ``nn.Conv2d`` layers, stride 1, so the same two instruments work
for all of them: forward hooks count multiplications, the gradient of one output pixel measures the receptive field.

A single 7×7 layer on a 20×20 input without padding: output 14×14, 14·14·49 multiplications, 49 parameters.

>>> d = dict(designs(1))["full7"]
>>> count_mults(d, 20)["mults"] == 14 * 14 * 49, count_params(d) == 49
(True, True)
>>> rf = measure_rf(d, 20)
>>> rf["height"], rf["width"], rf["pixels"]
(7, 7, 49)

A 3×3 layer with dilation 3 spans 1 + 3·2 = 7 pixels each way but looks at only 9 of them:

>>> rf = measure_rf(dict(designs(1))["dilated"], 20)
>>> rf["height"], rf["pixels"]
(7, 9)
"""

from __future__ import annotations

import torch
from torch import nn

# The homework's "new design": 3×1, 1×3, 5×1, 1×5, 7×1, 1×7, applied from the smallest to the largest.
CASCADE = [(3, 1), (1, 3), (5, 1), (1, 5), (7, 1), (1, 7)]
RANKS = list(range(1, 8))  # sums of k separable passes, k = 1…7


def conv(c_in: int, c_out: int, k, dilation: int = 1, groups: int = 1, padding=0) -> nn.Conv2d:
    return nn.Conv2d(c_in, c_out, k, dilation=dilation, groups=groups, padding=padding, bias=False)


def stack(*layers: nn.Module) -> nn.Sequential:
    return nn.Sequential(*layers).double()


def designs(c: int, padding=0) -> list[tuple[str, nn.Sequential]]:
    """The replacements for one 7×7 layer with ``c`` input and ``c`` output channels, in table order.

    ``padding=0`` is the page's setting; ``padding="same"`` reproduces how the homework counted.
    """
    p = padding
    out = [
        ("full7", stack(conv(c, c, 7, padding=p))),
        ("pair7", stack(conv(c, c, (7, 1), padding=p), conv(c, c, (1, 7), padding=p))),
        ("three3", stack(*[conv(c, c, 3, padding=p) for _ in range(3)])),
        ("three_pairs3", stack(*[conv(c, c, k, padding=p) for _ in range(3) for k in ((3, 1), (1, 3))])),
        ("dilated", stack(conv(c, c, 3, dilation=3, padding=p))),
    ]
    for k in RANKS:
        # k branches (7×1 then 1×7), summed: a 7×1 layer to k·c channels, then a 1×7 layer back to c channels.
        out.append((f"rank{k}", stack(conv(c, k * c, (7, 1), padding=p), conv(k * c, c, (1, 7), padding=p))))
    out.append(("depthwise", stack(conv(c, c, 7, groups=c, padding=p), conv(c, c, 1))))
    out.append(("cascade", stack(*[conv(c, c, k, padding=p) for k in CASCADE])))
    return out


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def count_mults(model: nn.Sequential, size: int) -> dict:
    """Run ``model`` on a 1×C×size×size input and count multiplications with forward hooks on every conv.

    One output element of a conv costs k_h·k_w·(c_in/groups) multiplications (the bias is off).
    Returns the total, the per-layer counts and the output's spatial shape.
    """
    per_layer: list[int] = []
    shapes: list[list[int]] = []

    def hook(m: nn.Conv2d, inputs, output):
        kh, kw = m.kernel_size
        per_layer.append(output[0].numel() * kh * kw * (m.in_channels // m.groups))
        shapes.append([output.shape[-2], output.shape[-1]])

    handles = [m.register_forward_hook(hook) for m in model if isinstance(m, nn.Conv2d)]
    try:
        c = model[0].in_channels
        with torch.no_grad():
            y = model(torch.zeros(1, c, size, size, dtype=torch.float64))
    finally:
        for h in handles:
            h.remove()
    return {"mults": sum(per_layer), "per_layer": per_layer, "shapes": shapes, "out": [y.shape[-2], y.shape[-1]]}


def positive_copy(model: nn.Sequential, seed: int = 0) -> nn.Sequential:
    """The same architecture with strictly positive weights, so no path from input to output can cancel."""
    import copy

    g = torch.Generator().manual_seed(seed)
    m = copy.deepcopy(model)
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.rand(p.shape, generator=g, dtype=p.dtype) + 0.5)
    return m


def rf_map(model: nn.Sequential, size: int, ones: bool = False) -> torch.Tensor:
    """|∂ y[centre] / ∂ x| summed over channels: which input pixels the centre output pixel depends on (size×size).

    With ``ones`` every weight is 1, so the map counts the paths from each input pixel to the output pixel.
    """
    m = positive_copy(model)
    if ones:
        with torch.no_grad():
            for p in m.parameters():
                p.fill_(1.0)
    c = m[0].in_channels
    x = torch.ones(1, c, size, size, dtype=torch.float64, requires_grad=True)
    y = m(x)
    i, j = y.shape[-2] // 2, y.shape[-1] // 2
    y[0, :, i, j].sum().backward()
    return x.grad[0].abs().sum(0)


def measure_rf(model: nn.Sequential, size: int) -> dict:
    """Bounding box (height, width) of the input pixels with a non-zero gradient, and how many there are."""
    g = rf_map(model, size) > 0
    rows = torch.nonzero(g.any(1)).flatten()
    cols = torch.nonzero(g.any(0)).flatten()
    return {"height": int(rows[-1] - rows[0] + 1), "width": int(cols[-1] - cols[0] + 1), "pixels": int(g.sum())}
