"""The measured receptive field of each design: |∂ y[centre] / ∂ x| on a 20×20 input.

With every weight set to 1 the gradient counts the paths from an input pixel to the output pixel. For three
stacked 3×3 layers the count along one axis is the coefficient list of (1 + t + t²)³ = 1, 3, 6, 7, 6, 3, 1, so the
centre pixel has 7·7 = 49 paths and a corner pixel one:

>>> import contextlib, io
>>> with contextlib.redirect_stdout(io.StringIO()):
...     r = compute()
>>> r["three3_centre_to_corner"] == 7 * 7
True
>>> r["support"]["cascade"], r["support"]["dilated"]
([13, 13, 169], [7, 7, 9])
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from sitegen.snippet import fmt, label, local_numbers, palette, plural

try:
    from ._designs import designs, measure_rf, rf_map
except ImportError:
    from snippets.conv._designs import designs, measure_rf, rf_map

SIZE = 20
SHOWN = ("full7", "pair7", "three3", "three_pairs3", "dilated", "cascade")

LABELS = {
    "uk": {"full7": "7×7", "pair7": "7×1 → 1×7", "three3": "три 3×3", "three_pairs3": "три пари 3×1 → 1×3",
           "dilated": "3×3, розширення 3", "cascade": "каскад із домашнього завдання", "rf": "поле",
           "note": "вхід 20×20; яскравість — кількість шляхів до центрального вихідного пікселя (усі ваги = 1)",
           "cbar": "кількість шляхів (логарифмічна шкала)", "report": "{name}: рецептивне поле {h}×{w}, {n} {pixels}",
           "pixels": {"one": "піксель", "few": "пікселі", "many": "пікселів", "other": "пікселя"}},
    "en": {"full7": "7×7", "pair7": "7×1 → 1×7", "three3": "three 3×3", "three_pairs3": "three pairs 3×1 → 1×3",
           "dilated": "3×3, dilation 3", "cascade": "homework's cascade", "rf": "field",
           "note": "20×20 input; brightness = number of paths to the centre output pixel (all weights = 1)",
           "cbar": "number of paths (log scale)", "report": "{name}: receptive field {h}×{w}, {n} {pixels}",
           "pixels": {"one": "pixel", "other": "pixels"}},
}


def compute() -> dict:
    models = dict(designs(1))
    maps, support = {}, {}
    for key in SHOWN:
        m = rf_map(models[key], SIZE, ones=True)
        maps[key] = m.tolist()
        rf = measure_rf(models[key], SIZE)
        support[key] = [rf["height"], rf["width"], rf["pixels"]]
    # Claims the page makes.
    for key in ("full7", "pair7"):                                   # every pixel of the 7×7 window counts once
        vals = np.array(maps[key])
        assert set(np.unique(vals[vals > 0]).tolist()) == {1.0}, key
    t3 = np.array(maps["three3"])
    nz = t3[t3 > 0]
    centre_to_corner = float(nz.max() / nz.min())
    assert centre_to_corner == 49.0                                  # stacks weight the centre most
    assert np.array_equal(t3, np.array(maps["three_pairs3"]))        # same path counts as three pairs 3×1 → 1×3
    assert support["dilated"] == [7, 7, 9] and support["cascade"] == [13, 13, 169]
    return {"maps": maps, "support": support, "three3_centre_to_corner": centre_to_corner,
            "three3_centre": float(nz.max()), "three3_corner": float(nz.min())}


def report(r: dict, lang: str) -> None:
    """Each design's receptive field: height × width, and how many of its pixels reach the output."""
    L = LABELS[lang]
    for key, (h, w, pixels) in r["support"].items():
        print(L["report"].format(name=L[key], h=h, w=w, n=pixels, pixels=plural(pixels, lang, **L["pixels"])))


def _figure(r: dict, lang: str, theme: str, narrow: bool):
    import textwrap

    from matplotlib.colors import LogNorm

    p = palette(theme)
    # One colour scale for all panels (issue 16): the number of paths, on a log scale from 1 to the largest count,
    # with its colour bar; a pixel no path reaches is left blank. Wide: 2×3 panels, ~7 in, 9.5 pt text shown at
    # about its natural size in a 688 px column (≥ 11 CSS px); narrow (phones): 3×2 panels, 5 in, 10 pt (≥ 9 CSS px).
    fs = 10.0 if narrow else 9.5
    top = max(float(np.max(r["maps"][key])) for key in SHOWN)
    norm = LogNorm(vmin=1, vmax=top)
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad(alpha=0)
    with plt.rc_context({"font.size": fs}):
        rows, cols = (3, 2) if narrow else (2, 3)
        fig, axes = plt.subplots(rows, cols, figsize=(5.0, 8.2) if narrow else (7.0, 5.4), layout="constrained")
        for ax, key in zip(axes.flat, SHOWN):
            m = np.array(r["maps"][key], dtype=float)
            im = ax.imshow(np.ma.masked_less_equal(m, 0), cmap=cmap, norm=norm)
            h, w, _ = r["support"][key]
            ax.set_title(f'{label(LABELS, lang, key)}\n{label(LABELS, lang, "rf")} '
                         f'{fmt(h, "d", lang, target="text")}×{fmt(w, "d", lang, target="text")}', fontsize=fs)
            ax.set_xticks([0, SIZE - 1])
            ax.set_yticks([0, SIZE - 1])
            ax.tick_params(labelsize=fs, color=p["muted"])
            for sp in ax.spines.values():
                sp.set_color(p["muted"])
        bar = fig.colorbar(im, ax=axes, location="bottom" if narrow else "right", shrink=0.8 if narrow else 0.9,
                           aspect=30)
        bar.set_label(label(LABELS, lang, "cbar"), fontsize=fs)
        bar.ax.tick_params(labelsize=fs)
        local_numbers(fig, lang)
        fig.suptitle("\n".join(textwrap.wrap(label(LABELS, lang, "note"), 60 if narrow else 90)), fontsize=fs,
                     color=p["muted"])
    return fig


def figures(r: dict, lang: str, theme: str) -> dict:
    return {"fields": _figure(r, lang, theme, False), "fields_narrow": _figure(r, lang, theme, True)}


if __name__ == "__main__":
    compute()
