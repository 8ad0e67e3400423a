"""The homework's numbers for a 20×20×1 input, recomputed: which padding its counts assume, what they are without
padding, and what its "new design" (3×1, 1×3, 5×1, 1×5, 7×1, 1×7) really is.

With 'same' padding every layer keeps the 20×20 grid, so a k-tap layer costs 20·20·k multiplications: the
homework's 19600 = 20·20·49 and 12000 = 20·20·(3+3+5+5+7+7).

>>> import contextlib, io
>>> with contextlib.redirect_stdout(io.StringIO()):
...     r = compute()
>>> r["same"]["full7"]["mults"] == 20 * 20 * 49, r["same"]["cascade"]["mults"] == 20 * 20 * 30
(True, True)

Without padding a stack of stride-1 layers shrinks the input by (receptive field − 1): the cascade's receptive
field is 1 + 2 + 4 + 6 = 13 per axis, so 20×20 becomes 8×8.

>>> r["valid"]["cascade"]["out"], r["cascade_rf"]
([8, 8], [13, 13])
"""

from __future__ import annotations

import torch

from sitegen.snippet import Table

try:
    from ._designs import conv, count_mults, designs, measure_rf, stack
except ImportError:
    from snippets.conv._designs import conv, count_mults, designs, measure_rf, stack

SIZE = 20
# Quoted from the homework (/work/shared/homework.md, task 3, the student's answer).
QUOTED = {"full7_mults": 19600, "full7_out": [14, 14], "pair7_mults": 5600, "pair7_out": [14, 14],
          "cascade_mults": 12000, "cascade_sizes": [[18, 18], [14, 14], [8, 8]], "saving": 1 / 3}

LABELS = {
    "uk": {"what": "величина", "quoted": "у домашньому завданні (цитата)", "same": "доповнення «same»",
           "valid": "без доповнення",
           "full7_mults": r"$7\times 7$: кількість множень", "full7_out": r"$7\times 7$: вихід",
           "pair7_mults": r"$7\times 1 \to 1\times 7$: кількість множень", "pair7_out": r"$7\times 1 \to 1\times 7$: вихід",
           "cascade_mults": "каскад: кількість множень", "cascade_sizes": "каскад: розмір після кожної пари",
           "cascade_rf": "каскад: рецептивне поле",
           "pair13_mults": r"$13\times 1 \to 1\times 13$ (те саме поле): кількість множень",
           "full13_mults": r"$13\times 13$: кількість множень"},
    "en": {"what": "quantity", "quoted": "in the homework (quoted)", "same": "'same' padding",
           "valid": "no padding",
           "full7_mults": r"$7\times 7$: multiplications", "full7_out": r"$7\times 7$: output",
           "pair7_mults": r"$7\times 1 \to 1\times 7$: multiplications",
           "pair7_out": r"$7\times 1 \to 1\times 7$: output",
           "cascade_mults": "cascade: multiplications", "cascade_sizes": "cascade: size after each pair",
           "cascade_rf": "cascade: receptive field",
           "pair13_mults": r"$13\times 1 \to 1\times 13$ (same field): multiplications",
           "full13_mults": r"$13\times 13$: multiplications"},
}


def extra(padding) -> dict:
    return {"pair13": stack(conv(1, 1, (13, 1), padding=padding), conv(1, 1, (1, 13), padding=padding)),
            "full13": stack(conv(1, 1, 13, padding=padding))}


def effective_kernel(model: torch.nn.Sequential, size: int) -> torch.Tensor:
    """The single kernel a purely linear stack amounts to: ∂y[centre]/∂x with the model's own (random) weights,
    cropped to its support. No padding, so y[i, j] = Σ K[a, b]·x[i + a, j + b]."""
    x = torch.zeros(1, 1, size, size, dtype=torch.float64, requires_grad=True)
    y = model(x)
    y[0, 0, y.shape[-2] // 2, y.shape[-1] // 2].backward()
    g = x.grad[0, 0]
    nz = g != 0
    rows = torch.nonzero(nz.any(1)).flatten()
    cols = torch.nonzero(nz.any(0)).flatten()
    return g[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1].detach()


def compute() -> dict:
    torch.manual_seed(0)
    out = {}
    for mode, pad in (("same", "same"), ("valid", 0)):
        models = dict(designs(1, padding=pad))
        models = {k: models[k] for k in ("full7", "pair7", "cascade")} | extra(pad)
        out[mode] = {k: count_mults(m, SIZE) for k, m in models.items()}
    same, valid = out["same"], out["valid"]
    q = QUOTED
    # The homework's multiplication counts are exactly the 'same'-padding counts …
    for key in ("full7", "pair7", "cascade"):
        assert same[key]["mults"] == q[f"{key}_mults"], key
        assert valid[key]["mults"] != q[f"{key}_mults"], key
        assert same[key]["out"] == [SIZE, SIZE], key
    # … while its output sizes are the no-padding ones: the two halves of the answer assume different paddings.
    assert valid["full7"]["out"] == q["full7_out"] and valid["pair7"]["out"] == q["pair7_out"]
    sizes_valid = valid["cascade"]["shapes"][1::2]
    sizes_same = same["cascade"]["shapes"][1::2]
    assert sizes_valid == q["cascade_sizes"] and sizes_same != q["cascade_sizes"]
    # The cascade sees 13×13, not 7×7: it is not a replacement for a 7×7 layer.
    cascade = dict(designs(1))["cascade"]
    rf = measure_rf(cascade, SIZE)
    cascade_rf = [rf["height"], rf["width"]]
    assert cascade_rf == [13, 13]
    # Without non-linearities it collapses to one 13×13 kernel of rank 1 (one 13×1 → 1×13 pair).
    k_eff = effective_kernel(cascade, SIZE)
    sv = torch.linalg.svdvals(k_eff)
    assert list(k_eff.shape) == [13, 13]
    rank_gap = float(sv[1] / sv[0])
    assert rank_gap < 1e-12
    # The claimed saving: against a 7×7 with the same padding it is about 39 % (more than the claimed third) …
    saving_same = 1 - same["cascade"]["mults"] / same["full7"]["mults"]
    saving_valid = 1 - valid["cascade"]["mults"] / valid["full7"]["mults"]
    assert saving_same > q["saving"] and saving_valid > q["saving"]
    # … but it costs more than the plain 7×1 → 1×7 pair, and more than the 13×1 → 1×13 pair it is equivalent to.
    vs_pair7 = {m: out[m]["cascade"]["mults"] / out[m]["pair7"]["mults"] for m in out}
    vs_pair13 = {m: out[m]["cascade"]["mults"] / out[m]["pair13"]["mults"] for m in out}
    assert all(v > 1 for v in vs_pair7.values()) and all(v > 1 for v in vs_pair13.values())
    return {"same": same, "valid": valid, "sizes_valid": sizes_valid, "sizes_same": sizes_same,
            "cascade_rf": cascade_rf, "rank_gap": rank_gap, "singular_values": sv.tolist(),
            "saving_same": saving_same, "saving_valid": saving_valid, "vs_pair7": vs_pair7,
            "vs_pair13": vs_pair13, "quoted": QUOTED}


def _sz(s) -> str:
    return "{}×{}".format(*s)


def tables(r: dict, lang: str) -> dict:
    L, q, s, v = LABELS[lang], QUOTED, r["same"], r["valid"]
    arrow = " → "
    rows = [
        [L["full7_mults"], q["full7_mults"], s["full7"]["mults"], v["full7"]["mults"]],
        [L["full7_out"], _sz(q["full7_out"]), _sz(s["full7"]["out"]), _sz(v["full7"]["out"])],
        [L["pair7_mults"], q["pair7_mults"], s["pair7"]["mults"], v["pair7"]["mults"]],
        [L["pair7_out"], _sz(q["pair7_out"]), _sz(s["pair7"]["out"]), _sz(v["pair7"]["out"])],
        [L["cascade_mults"], q["cascade_mults"], s["cascade"]["mults"], v["cascade"]["mults"]],
        [L["cascade_sizes"], arrow.join(map(_sz, q["cascade_sizes"])), arrow.join(map(_sz, r["sizes_same"])),
         arrow.join(map(_sz, r["sizes_valid"]))],
        [L["cascade_rf"], None, _sz(r["cascade_rf"]), _sz(r["cascade_rf"])],
        [L["pair13_mults"], None, s["pair13"]["mults"], v["pair13"]["mults"]],
        [L["full13_mults"], None, s["full13"]["mults"], v["full13"]["mults"]],
    ]
    return {"claims": Table([L["what"], L["quoted"], L["same"], L["valid"]], rows,
                            formats=[None, ",d", ",d", ",d"])}


if __name__ == "__main__":
    compute()
