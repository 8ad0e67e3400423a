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

from sitegen.snippet import fmt, label, palette

try:
    from ._designs import designs, measure_rf, rf_map
except ImportError:
    from snippets.conv._designs import designs, measure_rf, rf_map

SIZE = 20
SHOWN = ("full7", "pair7", "three3", "three_pairs3", "dilated", "cascade")

LABELS = {
    "uk": {"full7": "7×7", "pair7": "7×1 → 1×7", "three3": "три 3×3", "three_pairs3": "три пари 3×1 → 1×3",
           "dilated": "3×3, розширення 3", "cascade": "каскад із домашнього завдання", "rf": "поле",
           "note": "вхід 20×20; яскравість — кількість шляхів до центрального виходу (усі ваги = 1)"},
    "en": {"full7": "7×7", "pair7": "7×1 → 1×7", "three3": "three 3×3", "three_pairs3": "three pairs 3×1 → 1×3",
           "dilated": "3×3, dilation 3", "cascade": "homework's cascade", "rf": "field",
           "note": "20×20 input; brightness = number of paths to the centre output (all weights = 1)"},
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
    print(support)
    return {"maps": maps, "support": support, "three3_centre_to_corner": centre_to_corner,
            "three3_centre": float(nz.max()), "three3_corner": float(nz.min())}


def figures(r: dict, lang: str, theme: str) -> dict:
    p = palette(theme)
    fig, axes = plt.subplots(2, 3, figsize=(7.6, 5.6))
    for ax, key in zip(axes.flat, SHOWN):
        m = np.array(r["maps"][key])
        ax.imshow(m / m.max(), cmap="viridis", vmin=0, vmax=1)
        h, w, _ = r["support"][key]
        ax.set_title(f'{label(LABELS, lang, key)}\n{label(LABELS, lang, "rf")} '
                     f'{fmt(h, "d", lang, target="text")}×{fmt(w, "d", lang, target="text")}', fontsize=9)
        ax.set_xticks([0, SIZE - 1])
        ax.set_yticks([0, SIZE - 1])
        ax.tick_params(labelsize=7, color=p["muted"])
    fig.suptitle(label(LABELS, lang, "note"), fontsize=8.5, color=p["muted"], y=0.02)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return {"fields": fig}


if __name__ == "__main__":
    compute()
