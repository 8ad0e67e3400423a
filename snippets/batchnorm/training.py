"""The same network trained with and without Batch Normalization, at a modest and at a high learning rate.

A 6-layer ReLU MLP (64 units per layer, Kaiming initialization, so the network without BN starts well too) learns
two interleaved spirals with plain SGD, 400 steps of 64 samples. Every 10 steps the loss on the whole training set
is measured in eval mode.

The loss of a two-class classifier that knows nothing is ln 2 (it says 1/2 for both classes):

>>> import math
>>> abs(math.log(2) - 0.6931) < 1e-4
True

The claims of the page are asserted in ``compute()`` (run by the build). A cheap one here: at η = 1 the network
without BN blows up within a few steps (the build also checks that the one with BN trains at that η):

>>> run = train(bn=False, lr=1.0)
>>> run["diverged_at"] is not None and run["diverged_at"] < 20
True
"""

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from sitegen.snippet import Table, fmt, label, local_numbers, palette
from snippets.batchnorm._spiral import mlp, spirals

LRS = {"modest": 0.05, "high": 1.0}
STEPS = 400
BATCH = 64
EVERY = 10
BLOWUP = 100.0  # a training loss above this (or inf / NaN) counts as divergence

LABELS = {
    "uk": {
        "plain": "без BN", "bn": "з BN", "step": "крок SGD", "loss": "втрати (уся навчальна вибірка)",
        "lr": "швидкість навчання", "title": "швидкість навчання η = {lr}", "diverged": "розбіжність на кроці {k}",
        "col_net": "мережа", "col_lr": "η", "col_loss": "втрати наприкінці", "col_acc": "точність",
        "col_status": "результат", "ok": "навчилася", "slow": "навчилася повільно",
        "div": "розбіглася (крок {k})",
    },
    "en": {
        "plain": "without BN", "bn": "with BN", "step": "SGD step", "loss": "loss (whole training set)",
        "lr": "learning rate", "title": "learning rate η = {lr}", "diverged": "diverged at step {k}",
        "col_net": "network", "col_lr": "η", "col_loss": "final loss", "col_acc": "accuracy",
        "col_status": "outcome", "ok": "trained", "slow": "learns slowly",
        "div": "diverged (step {k})",
    },
}


def train(bn: bool, lr: float, seed: int = 0) -> dict:
    """Plain SGD; returns the whole-set loss every ``EVERY`` steps, the step of divergence (or None), the end."""
    x, y = spirals()
    net = mlp(bn=bn, seed=seed)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed + 1)

    def evaluate() -> tuple[float, float]:
        net.eval()
        with torch.no_grad():
            out = net(x)
            loss, acc = F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()
        net.train()
        return loss, acc

    curve = [evaluate()[0]]
    diverged_at = None
    for step in range(1, STEPS + 1):
        idx = torch.randint(0, len(x), (BATCH,), generator=g)
        loss = F.cross_entropy(net(x[idx]), y[idx])
        if not math.isfinite(loss.item()) or loss.item() > BLOWUP:
            diverged_at = step
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % EVERY == 0:
            curve.append(evaluate()[0])
    loss, acc = evaluate() if diverged_at is None else (None, None)
    return {"curve": curve, "diverged_at": diverged_at, "loss": loss, "acc": acc}


def compute() -> dict:
    runs = {(speed, kind): train(kind == "bn", lr) for speed, lr in LRS.items() for kind in ("plain", "bn")}
    chance = math.log(2)
    m_plain, m_bn = runs["modest", "plain"], runs["modest", "bn"]
    h_plain, h_bn = runs["high", "plain"], runs["high", "bn"]
    # Modest η: both train, the network without BN slowly (still far from 0 after 400 steps), BN >10× lower loss.
    assert m_plain["diverged_at"] is None and m_bn["diverged_at"] is None
    assert m_plain["loss"] < chance - 0.1, "without BN the network must learn something"
    assert m_plain["loss"] > 0.2, "...but slowly"
    assert m_bn["loss"] * 10 < m_plain["loss"], "with BN the loss must be more than ten times lower"
    assert m_bn["acc"] > 0.98
    # High η: without BN the loss blows up (inf/NaN) early; with BN the same η trains.
    assert h_plain["diverged_at"] is not None and h_plain["diverged_at"] <= 20, "must blow up within a few steps"
    assert h_bn["diverged_at"] is None and h_bn["loss"] < 0.3 and h_bn["acc"] > 0.9
    out: dict = {"lrs": LRS, "steps": STEPS, "batch": BATCH, "every": EVERY, "chance": chance,
                 "blowup": BLOWUP, "ratio_modest": m_plain["loss"] / m_bn["loss"], "ratio_lr": LRS["high"] / LRS["modest"]}
    for (speed, kind), run in runs.items():
        out.setdefault(speed, {})[kind] = run     # e.g. r["modest"]["bn"]["loss"], in a page modest.bn.loss
    return out


def tables(r: dict, lang: str) -> dict:
    L = LABELS[lang]
    rows = []
    for speed in LRS:
        for kind in ("plain", "bn"):
            k = r[speed][kind]["diverged_at"]
            loss = r[speed][kind]["loss"]
            if k is not None:
                status = L["div"].format(k=k)
            else:
                status = L["ok"] if loss < 0.1 else L["slow"]
            rows.append([L[kind], r["lrs"][speed], loss, r[speed][kind]["acc"], status])
    return {"summary": Table([L["col_net"], L["col_lr"], L["col_loss"], L["col_acc"], L["col_status"]], rows,
                             formats=[None, "g", ".3f", ".1%", None], align="lrrrl")}


def _figure(r: dict, lang: str, theme: str, narrow: bool):
    L = LABELS[lang]
    p = palette(theme)
    colors = {"plain": p["orange"], "bn": p["blue"]}
    # Text sizes for the page (issue 16): wide, shown scaled to a 688 px column, 10.5 pt (≥ 11 CSS px); narrow
    # (phones), the two panels stacked, 5 in wide, 10 pt (≥ 9 CSS px at 358 px).
    fs = 10.0 if narrow else 10.5
    with plt.rc_context({"font.size": fs}):
        fig, axes = plt.subplots(2, 1, figsize=(5.0, 6.4), sharex=True) if narrow else \
            plt.subplots(1, 2, figsize=(8.4, 3.5), sharey=True)
        for ax, speed in zip(axes, LRS):
            for kind in ("plain", "bn"):
                curve = np.array(r[speed][kind]["curve"])
                steps = np.arange(len(curve)) * r["every"]
                ax.plot(steps, curve, color=colors[kind], label=label(LABELS, lang, kind), lw=1.8)
                k = r[speed][kind]["diverged_at"]
                if k is not None:
                    ax.plot([steps[-1], k], [curve[-1], 5], color=colors[kind], ls="--", lw=1.2)
                    ax.plot([k], [5], marker="x", ms=9, mew=2, color=colors[kind], clip_on=False)
                    ax.annotate(L["diverged"].format(k=k), (k, 5), xytext=(10, -4), textcoords="offset points",
                                color=colors[kind], fontsize=fs)
            ax.axhline(r["chance"], color=p["muted"], ls=":", lw=1)
            ax.set_yscale("log")
            ax.set_ylim(3e-3, 8)
            ax.set_xlim(0, r["steps"])
            if not narrow or ax is axes[-1]:
                ax.set_xlabel(L["step"])
            if narrow:
                ax.set_ylabel(L["loss"])
            ax.set_title(L["title"].format(lr=fmt(r["lrs"][speed], "g", lang, target="text")), fontsize=fs * 1.1)
            ax.grid(True, which="major", lw=0.5)
        axes[0].set_ylabel(L["loss"])
        axes[0].text(r["steps"] * 0.98, r["chance"] * 1.15, "ln 2", ha="right", va="bottom", color=p["muted"],
                     fontsize=fs)
        axes[1].legend(loc="lower left")
        fig.tight_layout()
        local_numbers(fig, lang)
    return fig


def figures(r: dict, lang: str, theme: str) -> dict:
    return {"curves": _figure(r, lang, theme, False), "curves_narrow": _figure(r, lang, theme, True)}


if __name__ == "__main__":
    res = compute()
    for key, v in res.items():
        if not key.endswith("curve"):
            print(key, v)
