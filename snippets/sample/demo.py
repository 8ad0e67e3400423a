"""A demonstration snippet: every kind of output the site can embed.

The sum of the first n odd numbers is n²; the script counts it, and doctests check it against the closed form.

>>> r = compute()
>>> report(r, "uk"); report(r, "en")
сума перших 12 непарних чисел: 144
sum of the first 12 odd numbers: 144
>>> r["odd_sum"] == r["n"] ** 2
True
>>> abs(r["pi_estimate"] - math.pi) < 1e-3
True
"""

import math

import numpy as np
import torch

from sitegen.snippet import Table, fmt, label, local_numbers, palette, subplots

LABELS = {
    "uk": {"n": "n", "partial": "часткова сума", "pi": "π", "x": "крок", "title": "Ряд Лейбніца", "col_k": "кількість кроків",
           "col_est": "оцінка π", "col_err": "похибка", "odd_sum": "сума перших {n} непарних чисел: {s}"},
    "en": {"n": "n", "partial": "partial sum", "pi": "π", "x": "step", "title": "Leibniz series", "col_k": "steps",
           "col_est": "estimate of π", "col_err": "error", "odd_sum": "sum of the first {n} odd numbers: {s}"},
}


def leibniz(k: int) -> float:
    """4·Σ (−1)^i / (2i+1) for i < k, in float64."""
    i = torch.arange(k, dtype=torch.float64)
    return float(4 * torch.sum((-1.0) ** i / (2 * i + 1)))


# --8<-- [start:compute]
def compute() -> dict:
    n = 12
    odd_sum = sum(range(1, 2 * n, 2))
    ks = [10, 100, 1000, 10000]
    estimates = [leibniz(k) for k in ks]
    # A claim the page makes: the error shrinks roughly like 1/k.
    errors = [abs(e - math.pi) for e in estimates]
    assert all(a > b for a, b in zip(errors, errors[1:])), "error must shrink with more steps"
    return {"n": n, "odd_sum": odd_sum, "ks": ks, "estimates": estimates, "errors": errors,
            "pi_estimate": estimates[-1], "negative": -0.000123}


def report(r: dict, lang: str) -> None:
    """What the script prints for a reader, in the page's language (the build calls it once per language)."""
    print(LABELS[lang]["odd_sum"].format(n=r["n"], s=fmt(r["odd_sum"], ",d", lang, target="text")))
# --8<-- [end:compute]


def tables(r: dict, lang: str) -> dict:
    L = LABELS[lang]
    return {"convergence": Table([L["col_k"], L["col_est"], L["col_err"]],
                                 [[k, e, err] for k, e, err in zip(r["ks"], r["estimates"], r["errors"])],
                                 formats=[",d", ".6f", ".2e"])}


def figures(r: dict, lang: str, theme: str) -> dict:
    p = palette(theme)
    # Exactly 5 × 3 in, the legend below the axes and inside those 5 in (snippets/README.md, "Figures").
    fig, ax = subplots(width=5, height=3)
    k = np.arange(1, 60)
    ax.plot(k, [leibniz(int(i)) for i in k], color=p["blue"], label=label(LABELS, lang, "partial"))
    ax.axhline(math.pi, color=p["muted"], ls="--", lw=1, label=label(LABELS, lang, "pi"))
    ax.set_xlabel(label(LABELS, lang, "x"))
    ax.set_title(f'{label(LABELS, lang, "title")}: π ≈ {fmt(r["estimates"][0], ".3f", lang, target="text")}…')
    fig.legend(loc="outside lower center", ncols=2)
    local_numbers(fig, lang)  # 3,2 on the Ukrainian y axis
    return {"series": fig}


if __name__ == "__main__":
    report(compute(), "en")
