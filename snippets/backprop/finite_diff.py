"""Central finite differences for ∂F/∂w0 over step sizes h, saturated (x = −10) and healthy (x = −1).

(F(w0 + h) − F(w0 − h)) / 2h has two errors: truncation, about |g'''|h²/6 (g = F as a function of w0), and rounding,
about ε|F|/h (F is stored with relative error ε = 2⁻⁵³ in float64). Their sum is smallest at h* = (3ε|F|/|g'''|)^{1/3}.

The second derivative of tanh at 0 is 0, so there the model's truncation term is the only one; at any point the
rounding term grows as h shrinks (independent check of ``model_error``):

>>> model_error(1e-3, 0.0, 1.0)["rounding"] * 1e-3 == model_error(1e-6, 0.0, 1.0)["rounding"] * 1e-6
True

float32 numbers in [2, 4) are 2^{1−23} apart; a step up to half that spacing rounds back to 3 (a tie goes to the even
3), so the largest step that vanishes next to w0 = 3 is 2^{−23}:

>>> largest_vanishing_step(3.0, torch.float32) == 2.0 ** -23
True

1 + tanh x = 2e^{2x}/(1 + e^{2x}) (``one_plus_F``) is exactly 1 + F on paper; at x = 0 it is 1:

>>> one_plus_F({"w0": 1.0, "x0": 0.0, "w1": 0.0, "x1": 0.0}, torch.float32)
1.0
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
           "healthy64": "x = −1, float64", "sat32": "x = −10, float32", "model": "модель похибки: h² + ε/h",
           "best": "найкращий h",
           "report": "{point}: найкращий h = {h} (модель: {model}), відносна похибка {err}"},
    "en": {"xlabel": "step h", "ylabel": "relative error of ∂F/∂w₀", "sat64": "x = −10 (homework), float64",
           "healthy64": "x = −1, float64", "sat32": "x = −10, float32", "model": "model: h² term + ε/h term",
           "best": "best h",
           "report": "{point}: best h = {h} (model: {model}), relative error {err}"},
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


def largest_vanishing_step(base: float, dtype) -> float:
    """The largest h (a power of two, checked against the next number above it) with base + h == base in ``dtype``."""
    b = torch.tensor(base, dtype=dtype)
    h = torch.tensor(1.0, dtype=dtype)
    while b + h != b:
        h = h / 2
    assert b - h == b and b + torch.nextafter(h, torch.tensor(1.0, dtype=dtype)) != b
    return h.item()


def one_plus_F(p: dict, dtype=torch.float64) -> float:
    """1 + F = 1 + tanh x computed without cancellation, as 2u/(1 + u) with u = e^{2x}: the same derivative as F,
    but a small number near the saturated point instead of one next to −1."""
    w0, x0, w1, x1 = (torch.tensor(float(p[k]), dtype=dtype) for k in ("w0", "x0", "w1", "x1"))
    u = torch.exp(2 * (w0 * x0 + w1 * x1))
    return (2 * u / (1 + u)).item()


def central_fd_of(f, p: dict, h: float, dtype) -> float:
    """Like ``_graph.central_fd`` along w0, for any function ``f(p, dtype)``."""
    base, step = torch.tensor(float(p["w0"]), dtype=dtype), torch.tensor(h, dtype=dtype)
    up, down = base + step, base - step
    if up == down:
        return float("nan")
    return (f({**p, "w0": up.item()}, dtype) - f({**p, "w0": down.item()}, dtype)) / (up - down).item()


def sweep(p: dict, dtype, f=None) -> dict:
    ref = exact(p)["grad"]["w0"]
    fd = [central_fd(p, "w0", h, dtype) if f is None else central_fd_of(f, p, h, dtype) for h in HS]
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
    # while at x = −1 the same h still gives about six correct digits (relative error between 1e-7 and 1e-6);
    i10 = HS.index(min(HS, key=lambda h: abs(math.log10(h) + 10)))
    assert sat["fd"][i10] == 0.0 and 1e-7 < healthy["relerr"][i10] < 1e-6, healthy["relerr"][i10]
    zero64 = [h for h, f in zip(HS, sat["fd"]) if f == 0.0]
    assert zero64 and all(f == 0.0 for h, f in zip(HS, sat["fd"]) if h <= max(zero64))
    # in float32 F(w0 ± h) rounds to exactly −1 for every h ≤ 0.1: the difference quotient is exactly 0.
    # (below h ≈ 1e-7 the step itself vanishes: 3 + h == 3 in float32, and there is no quotient at all.)
    small = [f for h, f in zip(HS, sat32["fd"]) if h <= 0.1 + 1e-12 and not math.isnan(f)]
    assert len(small) >= 5 and all(f == 0.0 for f in small)
    vanished = [h for h, f in zip(HS, sat32["fd"]) if math.isnan(f)]
    assert vanished and max(vanished) < 1e-6 and min(h for h, f in zip(HS, sat32["fd"]) if not math.isnan(f)) > 1e-8
    assert sat32["best_relerr"] > 0.1
    # exactly: 3 + h == 3 (and 3 − h == 3) in float32 for every h ≤ 2^{−23} ≈ 1.19e-7, and for no larger h;
    # the sweep's steps agree: NaN exactly where h ≤ 2^{−23}.
    h_vanish32 = largest_vanishing_step(HOMEWORK["w0"], torch.float32)
    assert all(math.isnan(f) == (h <= h_vanish32) for h, f in zip(HS, sat32["fd"]))
    # The cure in float32: difference 1 + F = 2u/(1 + u) instead of F. It has the same derivative, but near the
    # saturated point it is a small number (≈ 4e-9) that float32 holds to full relative precision, so nothing cancels:
    # at its best step the estimate is right to better than 1e-3 where differencing F itself gives exactly 0.
    fixed32 = sweep(HOMEWORK, torch.float32, f=one_plus_F)
    j = HS.index(fixed32["best_h"])
    assert fixed32["best_relerr"] < 1e-3 and sat32["fd"][j] == 0.0, (fixed32["best_relerr"], sat32["fd"][j])
    return {"hs": HS, "sat": sat, "healthy": healthy, "sat32": sat32, "h_model": h_model,
            "h_textbook": HS[i10], "relerr_sat_textbook": sat["relerr"][i10],
            "relerr_healthy_textbook": healthy["relerr"][i10],
            "fixed32": {"best_h": fixed32["best_h"], "best_relerr": fixed32["best_relerr"],
                        "plain_at_best_h": sat32["fd"][j]}, "h32_step_vanishes_max": h_vanish32,
            "h64_zero_from": max(zero64), "h32_vanishes_below": min(h for h, f in zip(HS, sat32["fd"]) if not math.isnan(f))}


def report(r: dict, lang: str) -> None:
    """The best step at each point in float64, measured and from the error model, in the page's language."""
    for key, model, point in (("sat", "sat", "sat64"), ("healthy", "healthy", "healthy64")):
        print(LABELS[lang]["report"].format(point=LABELS[lang][point], h=fmt(r[key]["best_h"], ".1e", lang, "text"),
                                            model=fmt(r["h_model"][model], ".1e", lang, "text"),
                                            err=fmt(r[key]["best_relerr"], ".1e", lang, "text")))


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
