"""Small thumbnails for the home page's topic cards (sitegen/cards.py): a drawing per topic, one for the backprop
explorer and a neutral one (``topic``). No text in them (the card says what they show), so nothing to translate or to
read small. A topic drawn for here is optional: without one its card shows the first figure of its page, and the
neutral drawing when the page has no figure.

Each drawing is computed, not typed: the tanh curve and its derivative, a batch before and after normalisation, a
dropout mask with p = 0.5, and the path counts of three stacked 3×3 convolutions (the receptive field of
snippets/conv/rf.py), which along one axis are the coefficients of (1 + t + t²)³:

>>> r = compute()
>>> r["paths"][3]
[1, 3, 6, 7, 6, 3, 1]
>>> abs(r["bn_after_mean"]) < 1e-12 and abs(r["bn_after_std"] - 1) < 1e-12
True
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from sitegen.snippet import palette

LABELS = {"uk": {}, "en": {}}  # the thumbnails carry no text
SIZE = (2.4, 1.5)  # inches; shown at most 100% of the card's width


def compute() -> dict:
    rng = np.random.default_rng(0)
    batch = rng.normal(3.0, 2.0, 400)
    after = (batch - batch.mean()) / batch.std()
    paths = {1: [1, 1, 1]}
    for k in (2, 3):
        paths[k] = np.convolve(paths[k - 1], [1, 1, 1]).tolist()
    return {"batch": batch.tolist(), "bn_after_mean": float(after.mean()), "bn_after_std": float(after.std()),
            "mask": (rng.random((6, 10)) >= 0.5).astype(int).tolist(), "paths": paths}


def _axes(theme):
    fig, ax = plt.subplots(figsize=SIZE)
    fig.subplots_adjust(0.02, 0.04, 0.98, 0.96)
    ax.axis("off")
    return fig, ax, palette(theme)


def _backprop(theme):
    fig, ax, p = _axes(theme)
    pts = {"w": (0, 1.6), "x": (0, 0.4), "m": (1.2, 1.0), "t": (2.4, 1.0), "F": (3.4, 1.0)}
    for a, b in (("w", "m"), ("x", "m"), ("m", "t"), ("t", "F")):
        (x0, y0), (x1, y1) = pts[a], pts[b]
        ax.annotate("", xy=(x1 - 0.22, y1 + (y0 - y1) * 0.18 if a in "wx" else y1), xytext=(x0 + 0.1, y0),
                    arrowprops=dict(arrowstyle="-|>", color=p["muted"], lw=1.4))
        ax.plot([(x0 + x1) / 2 - 0.2, (x0 + x1) / 2 + 0.2], [(y0 + y1) / 2 + 0.12] * 2, color=p["forward"], lw=2)
        ax.plot([(x0 + x1) / 2 - 0.2, (x0 + x1) / 2 + 0.2], [(y0 + y1) / 2 - 0.12] * 2, color=p["backward"], lw=2)
    for key in ("m", "t"):
        ax.add_patch(plt.Circle(pts[key], 0.2, facecolor="none", edgecolor=p["fg"], lw=1.4))
    ax.set_xlim(-0.2, 3.6)
    ax.set_ylim(0.1, 1.9)
    ax.set_aspect("equal")
    return fig


def _explorer(theme):
    fig, ax, p = _axes(theme)
    x = np.linspace(-4, 4, 200)
    t = np.tanh(x)
    ax.axvspan(-4, -3, color=p["grid"], alpha=0.6, lw=0)
    ax.axvspan(3, 4, color=p["grid"], alpha=0.6, lw=0)
    ax.plot(x, t, color=p["blue"], lw=2)
    ax.plot(x, 1 - t ** 2, color=p["orange"], lw=2, ls="--")
    ax.axvline(-1.0, color=p["fg"], lw=1, ls=":")
    ax.plot([-1.0], [np.tanh(-1.0)], "o", color=p["blue"], ms=6)
    ax.set_xlim(-4, 4)
    return fig


def _batchnorm(r, theme):
    fig, ax, p = _axes(theme)
    batch = np.array(r["batch"])
    after = (batch - batch.mean()) / batch.std()
    bins = np.linspace(-5, 10, 40)
    ax.hist(batch, bins=bins, color=p["orange"], alpha=0.55)
    ax.hist(after, bins=bins, color=p["blue"], alpha=0.75)
    ax.axvline(0, color=p["fg"], lw=1)
    return fig


def _dropout(r, theme):
    fig, ax, p = _axes(theme)
    mask = np.array(r["mask"])
    for i, row in enumerate(mask):
        for j, keep in enumerate(row):
            ax.add_patch(plt.Circle((j, -i), 0.32, facecolor=p["blue"] if keep else "none",
                                    edgecolor=p["blue"] if keep else p["muted"], lw=1.2,
                                    ls="-" if keep else ":"))
    ax.set_xlim(-0.6, mask.shape[1] - 0.4)
    ax.set_ylim(-mask.shape[0] + 0.4, 0.6)
    ax.set_aspect("equal")
    return fig


def _conv(r, theme):
    fig, ax, p = _axes(theme)
    counts = np.outer(r["paths"][3], r["paths"][3]).astype(float)
    ax.imshow(counts, cmap="viridis", extent=(4.2, 11.2, -0.5, 6.5))
    for i in range(3):  # three 3×3 kernels
        ax.add_patch(plt.Rectangle((i * 1.3, 1.5 + 0), 1.0, 1.0 * 3 / 3, facecolor="none", edgecolor=p["fg"], lw=1))
        for a in range(3):
            for b in range(3):
                ax.add_patch(plt.Rectangle((i * 1.3 + a / 3, 1.5 + b / 3), 1 / 3, 1 / 3, facecolor=p["grid"],
                                           edgecolor=p["muted"], lw=0.6))
    ax.annotate("", xy=(4.0, 2.0), xytext=(3.7, 2.0), arrowprops=dict(arrowstyle="-|>", color=p["muted"], lw=1.4))
    ax.set_xlim(-0.2, 11.4)
    ax.set_ylim(-0.7, 6.7)
    ax.set_aspect("equal")
    return fig


def _neutral(theme):
    """For a topic whose page has no figure: bars under a rising curve, nothing topic-specific."""
    fig, ax, p = _axes(theme)
    x = np.arange(7)
    ax.bar(x, 0.25 + 0.1 * x, width=0.6, color=p["grid"])
    ax.plot(x, 0.2 + 0.9 * (x / 6) ** 2, color=p["blue"], lw=2, marker="o", ms=5)
    ax.set_xlim(-0.7, 6.7)
    ax.set_ylim(0, 1.25)
    return fig


def figures(r: dict, lang: str, theme: str) -> dict:
    return {"backprop": _backprop(theme), "explorer": _explorer(theme), "batchnorm": _batchnorm(r, theme),
            "dropout": _dropout(r, theme), "conv": _conv(r, theme), "topic": _neutral(theme)}


if __name__ == "__main__":
    print(compute()["paths"])
