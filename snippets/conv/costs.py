"""Cost table of the replacements for a 7×7 convolution: parameters, multiplications (counted by forward hooks),
output size and receptive field (measured as the gradient of one output pixel), on a 20×20 input, stride 1, no
padding, no bias; once with one channel in and out, once with 64.

Closed forms the counts must match (one channel, H = 20): a 7×7 layer gives a (H−6)×(H−6) output and costs
49·(H−6)² multiplications; the pair 7×1 → 1×7 costs 7·(H−6)·H for the first layer plus 7·(H−6)² for the second.

>>> import contextlib, io
>>> with contextlib.redirect_stdout(io.StringIO()):
...     r = compute()
>>> r["c1"]["full7"]["mults"] == 49 * 14 ** 2, r["c1"]["pair7"]["mults"] == 7 * 14 * 20 + 7 * 14 ** 2
(True, True)
>>> r["c64"]["full7"]["params"] == 64 * 64 * 49
True
>>> r["c1"]["cascade"]["rf"], r["c1"]["cascade"]["out"]
([13, 13], [8, 8])

With one channel the depthwise design adds a 1×1 layer (one multiplication per output pixel) to a full 7×7, and the
pair's exact share of a 7×7 is (20/14 + 1)/7 = 34/98:

>>> r["c1"]["depthwise"]["mults"] == 50 * 14 ** 2, abs(r["rule"]["exact"] - 34 / 98) < 1e-15
(True, True)
"""

from __future__ import annotations

from sitegen.snippet import Table

try:
    from ._designs import RANKS, count_mults, count_params, designs, measure_rf
except ImportError:  # run as a file
    from snippets.conv._designs import RANKS, count_mults, count_params, designs, measure_rf

SIZE = 20
WIDE = 64

NAMES = {
    "uk": {
        "full7": r"$7\times 7$",
        "pair7": r"$7\times 1 \to 1\times 7$",
        "three3": r"три $3\times 3$",
        "three_pairs3": r"три пари $3\times 1 \to 1\times 3$",
        "dilated": r"$3\times 3$, розширення (dilation) 3",
        "rank": r"сума $k = {k}$ роздільних пар $7\times 1 \to 1\times 7$",
        "depthwise": r"поканальна $7\times 7$ + $1\times 1$ (depthwise separable)",
        "cascade": r"каскад із домашнього завдання",
    },
    "en": {
        "full7": r"$7\times 7$",
        "pair7": r"$7\times 1 \to 1\times 7$",
        "three3": r"three $3\times 3$",
        "three_pairs3": r"three pairs $3\times 1 \to 1\times 3$",
        "dilated": r"$3\times 3$, dilation 3",
        "rank": r"sum of $k = {k}$ separable pairs $7\times 1 \to 1\times 7$",
        "depthwise": r"depthwise $7\times 7$ + pointwise $1\times 1$",
        "cascade": r"the homework's cascade",
    },
}

LABELS = {
    "uk": {"design": "конструкція", "params": "параметри", "mults": "множення", "share": "множення відносно 7×7",
           "out": "вихід", "rf": "рецептивне поле", "pixels": "задіяні пікселі входу", **NAMES["uk"]},
    "en": {"design": "design", "params": "parameters", "mults": "multiplications", "share": "multiplications vs 7×7",
           "out": "output", "rf": "receptive field", "pixels": "input pixels used", **NAMES["en"]},
}


def measure(c: int) -> dict:
    rows = {}
    for key, model in designs(c):
        cnt = count_mults(model, SIZE)
        rf = measure_rf(model, SIZE)
        rows[key] = {"params": count_params(model), "mults": cnt["mults"], "out": cnt["out"],
                     "rf": [rf["height"], rf["width"]], "pixels": rf["pixels"]}
    full = rows["full7"]
    for row in rows.values():
        row["share"] = row["mults"] / full["mults"]
        row["param_ratio"] = full["params"] / row["params"]
        row["mult_ratio"] = full["mults"] / row["mults"]
    return rows


def compute() -> dict:
    c1, c64 = measure(1), measure(WIDE)
    full = c1["full7"]
    # Claims the page makes.
    for key in ("pair7", "three3", "three_pairs3"):
        assert c1[key]["rf"] == full["rf"] == [7, 7], key          # same receptive field as one 7×7 …
        assert c1[key]["pixels"] == 49, key                         # … with every pixel of it used
        assert c1[key]["params"] < full["params"], key              # … and fewer parameters
        assert c1[key]["out"] == full["out"] == [14, 14], key       # same output size
    assert c1["three_pairs3"]["params"] < c1["three3"]["params"] < full["params"]
    # The model answer's lead design: three pairs 3×1 → 1×3 are cheaper than the lecture's three 3×3 and than a 7×7.
    assert c1["three_pairs3"]["mults"] < c1["three3"]["mults"] < full["mults"]
    assert c1["three_pairs3"]["share"] < 0.6
    # A sum of two separable pairs (the main table's only sum) costs less than a 7×7 in parameters and multiplications.
    assert c1["rank2"]["params"] < full["params"] and c1["rank2"]["mults"] < full["mults"]
    assert c1["pair7"]["params"] < c1["three_pairs3"]["params"]
    assert c1["dilated"]["rf"] == [7, 7] and c1["dilated"]["pixels"] == 9    # the span of a 7×7, 9 pixels seen
    assert c1["dilated"]["params"] == 9
    # The first layer of a pair runs over a 14×20 strip, more positions than the 14×14 output.
    assert c1["pair7"]["mults"] > 2 * 7 * 14 * 14
    # Sums of k separable pairs: fewer parameters than 7×7 only for k ≤ 3, fewer multiplications only for k ≤ 2.
    k_params = max(k for k in RANKS if c1[f"rank{k}"]["params"] < full["params"])
    k_mults = max(k for k in RANKS if c1[f"rank{k}"]["mults"] < full["mults"])
    assert all(c1[f"rank{k}"]["params"] < full["params"] for k in RANKS if k <= k_params)
    assert all(c1[f"rank{k}"]["mults"] < full["mults"] for k in RANKS if k <= k_mults)
    assert k_mults < k_params
    assert c1["rank7"]["params"] > full["params"]                  # the exact (rank-7) sum costs more than 7×7
    # Not every replacement is cheaper: with one channel the depthwise design costs 50/49 ≈ 102% of the 7×7 (one
    # more multiplication per output pixel), and the sums of k ≥ 3 separable pairs cost k·(20 + 14)/(7·14) of it,
    # 104% to 243%.
    assert c1["depthwise"]["share"] == 50 / 49
    over = [c1[f"rank{k}"]["share"] for k in RANKS if k >= 3]
    assert all(s > 1 for s in over) and all(abs(c1[f"rank{k}"]["share"] - k * 34 / 98) < 1e-12 for k in RANKS)
    # Rule of thumb: a separable pair needs about 2k instead of k² multiplications per output pixel; without padding
    # the first layer runs over W columns, not W′ = W − k + 1, so the ratio to the k×k layer is exactly (W/W′ + 1)/k.
    k, w, w_out = 7, SIZE, SIZE - 7 + 1
    rule = {"approx": 2 / k, "exact": (w / w_out + 1) / k, "w": w, "w_out": w_out, "k": k}
    assert abs(c1["pair7"]["share"] - rule["exact"]) < 1e-12 and rule["exact"] > rule["approx"]
    # Depthwise separable: no saving with one channel, a large one with 64.
    assert c1["depthwise"]["params"] > full["params"]
    assert c64["depthwise"]["mult_ratio"] > 20
    # The homework's cascade: a 13×13 receptive field, an 8×8 output.
    assert c1["cascade"]["rf"] == [13, 13] and c1["cascade"]["out"] == [8, 8]
    # With 64 channels in and out every ratio is as with one channel, except for the depthwise design.
    for key in c1:
        same = abs(c1[key]["mult_ratio"] - c64[key]["mult_ratio"]) < 1e-12 and \
            abs(c1[key]["param_ratio"] - c64[key]["param_ratio"]) < 1e-12
        assert same == (key != "depthwise"), key
        assert c1[key]["rf"] == c64[key]["rf"] and c1[key]["out"] == c64[key]["out"], key
    return {"size": SIZE, "wide": WIDE, "c1": c1, "c64": c64, "k_params": k_params, "k_mults": k_mults,
            "over_min": min(over), "over_max": max(over), "rule": rule}


# The main table on the page: one row for the sums of k pairs (k = 2); the others are in the "deeper" block.
SHORT = ["full7", "pair7", "three3", "three_pairs3", "dilated", "rank2", "depthwise", "cascade"]
MORE = [f"rank{k}" for k in RANKS if k >= 3]


def _table(rows: dict, lang: str, keys: list[str] | None = None) -> Table:
    L = LABELS[lang]
    body = []
    for key, row in rows.items():
        if keys is not None and key not in keys:
            continue
        name = L["rank"].format(k=key[4:]) if key.startswith("rank") else L[key]
        body.append([name, row["params"], row["mults"], row["share"], "{}×{}".format(*row["out"]),
                     "{}×{}".format(*row["rf"]), row["pixels"]])
    return Table([L["design"], L["params"], L["mults"], L["share"], L["out"], L["rf"], L["pixels"]], body,
                 formats=[None, ",d", ",d", ".0%", None, None, "d"])


def tables(r: dict, lang: str) -> dict:
    return {"single": _table(r["c1"], lang, SHORT), "single_more": _table(r["c1"], lang, MORE),
            "wide": _table(r["c64"], lang)}


if __name__ == "__main__":
    compute()
