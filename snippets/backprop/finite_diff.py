"""Central finite differences for ∂F/∂w0 over step sizes h, saturated (x = −10) and healthy (x = −1).

(F(w0 + h) − F(w0 − h)) / 2h has two errors: truncation, about |g'''|h²/6 (g = F as a function of w0), and rounding,
about ε|F|/h (F is stored with relative error ε = 2⁻⁵³ in float64). Their sum is smallest at h* = (3ε|F|/|g'''|)^{1/3}.

The second derivative of tanh at 0 is 0, so there the model's truncation term is the only one; at any point the
rounding term grows as h shrinks (independent check of ``model_error``):

>>> model_error(1e-3, 0.0, 1.0)["rounding"] * 1e-3 == model_error(1e-6, 0.0, 1.0)["rounding"] * 1e-6
True
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import torch

from sitegen.snippet import local_numbers, fmt, label, palette
from snippets.backprop._graph import HEALTHY, HOMEWORK, central_fd
from snippets.backprop.precision import exact

LABELS = {
    "uk": {"xlabel": "крок h", "ylabel": "відносна похибка ∂F/∂w₀", "sat64": "x = −10 (домашнє завдання), float64",
           "healthy64": "x = −1, float64", "sat32": "x = −10, float32", "model": "модель: h²-член + ε/h-член",
           "best": "найкращий h"},
    "en": {"xlabel": "step h", "ylabel": "relative error of ∂F/∂w₀", "sat64": "x = −10 (homework), float64",
           "healthy64": "x = −1, float64", "sat32": "x = −10, float32", "model": "model: h² term + ε/h term",
           "best": "best h"},
}

EPS64 = 2.0**-53
HS = [10.0 ** (-k / 4) for k in range(0, 53)]  # 1 … 1e-13, four steps per decade


def model_error(h: float, x: float, x0: float) -> dict:
    """Relative error model of the central difference of F = tanh(x) along w0 (dx/dw0 = x0), in float64."""
    t = math.tanh(x)
    s = 1 - t * t  # tanh'
    f3 = -2 * s * s + 4 * t * t * s  # tanh'''
    g1, g3 = x0 * s, x0**3 * f3
    return {"truncation": abs(g3) * h * h / 6 / abs(g1), "rounding": EPS64 * abs(t) / h / abs(g1)}


def best_h_model(x: float, x0: float) -> float:
    t = math.tanh(x)
    s = 1 - t * t
    f3 = -2 * s * s + 4 * t * t * s
    return (3 * EPS64 * abs(t) / abs(x0**3 * f3)) ** (1 / 3)


def sweep(p: dict, dtype) -> dict:
    ref = exact(p)["grad"]["w0"]
    fd = [central_fd(p, "w0", h, dtype) for h in HS]
    err = [abs(f - ref) / abs(ref) for f in fd]  # NaN where the step vanished in this dtype
    # The best h is judged with its two neighbours (the worst of the three), so that a single lucky
    # cancellation of rounding errors does not win.
    worst3 = [max(err[max(j - 1, 0):j + 2]) for j in range(len(err))]
    i = int(np.nanargmin(worst3))
    return {"fd": fd, "relerr": err, "best_h": HS[i], "best_relerr": err[i], "exact": ref}


def compute() -> dict:
    sat, healthy = sweep(HOMEWORK, torch.float64), sweep(HEALTHY, torch.float64)
    sat32 = sweep(HOMEWORK, torch.float32)
    x_sat, x_ok = -10.0, -1.0
    h_model = {"sat": best_h_model(x_sat, HOMEWORK["x0"]), "healthy": best_h_model(x_ok, HEALTHY["x0"])}
    # Claims of the page:
    # the best step found by the sweep is within a factor 10 of the error model's h*, at both points;
    for key, run in (("sat", sat), ("healthy", healthy)):
        assert 0.1 < run["best_h"] / h_model[key] < 10, (key, run["best_h"], h_model[key])
    # saturation makes the best h larger and the best achievable error at least 1000 times worse;
    assert sat["best_h"] > 10 * healthy["best_h"]
    assert sat["best_relerr"] > 1000 * healthy["best_relerr"]
    # still, at its best h finite differences confirm the tiny saturated gradient to better than 1e-4 (relative);
    assert sat["best_relerr"] < 1e-4 and healthy["best_relerr"] < 1e-8
    # with a "small" h = 1e-10 the saturated estimate is exactly 0 even in float64 (F(w0 ± h) are the same float),
    # while at x = −1 the same h still gives four correct digits;
    i10 = HS.index(min(HS, key=lambda h: abs(math.log10(h) + 10)))
    assert sat["fd"][i10] == 0.0 and healthy["relerr"][i10] < 1e-4
    zero64 = [h for h, f in zip(HS, sat["fd"]) if f == 0.0]
    assert zero64 and all(f == 0.0 for h, f in zip(HS, sat["fd"]) if h <= max(zero64))
    # in float32 F(w0 ± h) rounds to exactly −1 for every h ≤ 0.1: the difference quotient is exactly 0.
    # (below h ≈ 1e-7 the step itself vanishes: 3 + h == 3 in float32, and there is no quotient at all.)
    small = [f for h, f in zip(HS, sat32["fd"]) if h <= 0.1 + 1e-12 and not math.isnan(f)]
    assert len(small) >= 5 and all(f == 0.0 for f in small)
    vanished = [h for h, f in zip(HS, sat32["fd"]) if math.isnan(f)]
    assert vanished and max(vanished) < 1e-6 and min(h for h, f in zip(HS, sat32["fd"]) if not math.isnan(f)) > 1e-8
    assert sat32["best_relerr"] > 0.1
    print(f"best h: saturated {sat['best_h']:.1e} (model {h_model['sat']:.1e}), rel. error {sat['best_relerr']:.1e}")
    print(f"best h: healthy {healthy['best_h']:.1e} (model {h_model['healthy']:.1e}), "
          f"rel. error {healthy['best_relerr']:.1e}")
    return {"hs": HS, "sat": sat, "healthy": healthy, "sat32": sat32, "h_model": h_model,
            "h_textbook": HS[i10], "relerr_sat_textbook": sat["relerr"][i10],
            "relerr_healthy_textbook": healthy["relerr"][i10],
            "h64_zero_from": max(zero64), "h32_vanishes_below": min(h for h, f in zip(HS, sat32["fd"]) if not math.isnan(f))}


def figures(r: dict, lang: str, theme: str) -> dict:
    p = palette(theme)
    fig, ax = plt.subplots(figsize=(5.0, 4.4))  # one layout for laptop and phone: text ≥ 10 pt
    hs = np.array(r["hs"])
    style = {"sat64": (r["sat"], p["backward"], "-", "o"), "healthy64": (r["healthy"], p["blue"], "-", "s"),
             "sat32": (r["sat32"], p["orange"], ":", "^")}
    for key, (run, colour, ls, marker) in style.items():
        ax.loglog(hs, run["relerr"], ls, color=colour, marker=marker, ms=3.5, lw=1.4, label=label(LABELS, lang, key))
    for key, run, x, x0, colour in (("sat", r["sat"], -10.0, HOMEWORK["x0"], p["backward"]),
                                    ("healthy", r["healthy"], -1.0, HEALTHY["x0"], p["blue"])):
        m = [model_error(h, x, x0) for h in hs]
        ax.loglog(hs, [e["truncation"] + e["rounding"] for e in m], "--", color=p["muted"], lw=1,
                  label=label(LABELS, lang, "model") if key == "sat" else None)
        # The best step is named in the legend (a label beside the star would cover a curve).
        ax.plot([run["best_h"]], [run["best_relerr"]], marker="*", ms=13, color=colour, ls="none",
                label=f'{label(LABELS, lang, "best")} ≈ {fmt(run["best_h"], ".0e", lang, target="text")}')
    ax.set_ylim(1e-13, 1e3)
    ax.set_xlabel(label(LABELS, lang, "xlabel"))
    ax.set_ylabel(label(LABELS, lang, "ylabel"))
    ax.grid(True, which="major", lw=0.5)
    # The legend under the axes, never over a curve.
    ax.legend(fontsize=10, loc="upper left", bbox_to_anchor=(-0.18, -0.2), ncol=1, borderaxespad=0)
    fig.tight_layout()
    local_numbers(fig, lang)
    return {"relerr_vs_h": fig}


if __name__ == "__main__":
    compute()
