"""Inverted dropout, measured: what ``nn.Dropout(0.7)`` does to a million ones in train mode and in eval mode.

In train mode each element is zeroed with probability p and the survivors are multiplied by 1/(1 − p), so the
expected value of every element is unchanged: (1 − p) · 1/(1 − p) · x + p · 0 = x. In eval mode the layer is the
identity. For p = 0.7 the scale is 1/0.3 = 10/3:

>>> r = compute()
>>> report(r, "en")  # doctest: +ELLIPSIS
nn.Dropout(0.7).train(), input = 10 ones:
tensor([...])
nn.Dropout(0.7).eval():
tensor([1., 1., 1., 1., 1., 1., 1., 1., 1., 1.])
>>> abs(r["kept_value"] - 10 / 3) < 1e-6
True

The fraction zeroed is a binomial proportion, so it lies within a few standard errors √(p(1 − p)/n) of p:

>>> import math
>>> abs(r["frac_zero"] - 0.7) < 5 * math.sqrt(0.7 * 0.3 / r["n"])
True
>>> r["eval_identity"]
True
"""

import math

import torch
from torch import nn

from sitegen.snippet import Table, fmt

P = 0.7
N = 1_000_000

LABELS = {
    "uk": {
        "source": "джерело", "name": "параметр", "means": "що означає", "for": "запис, що відкидає {pct}",
        "keep": "ймовірність **зберегти** нейрон", "drop": "ймовірність **відкинути** нейрон",
        "measured": "виміряно: частка нулів {f}",
        "srivastava": "Шрівастава та ін., 2014",
        "cs231n": "конспект курсу cs231n",
        "ones": "nn.Dropout({p}).train(), на вході {n} одиниць:",
    },
    "en": {
        "source": "source", "name": "parameter", "means": "meaning", "for": "to drop {pct}",
        "keep": "probability to **keep** a unit", "drop": "probability to **drop** a unit",
        "measured": "measured: fraction of zeros {f}",
        "srivastava": "Srivastava et al., 2014",
        "cs231n": "cs231n course notes",
        "ones": "nn.Dropout({p}).train(), input = {n} ones:",
    },
}


def compute() -> dict:
    torch.manual_seed(0)
    drop = nn.Dropout(P)
    assert drop.training, "a fresh module is in train mode"
    x = torch.ones(N)
    y = drop(x)
    zero = y == 0
    frac_zero = zero.float().mean().item()
    kept = y[~zero]
    kept_value = kept.mean().item()
    kept_spread = (kept.max() - kept.min()).item()
    mean = y.mean().item()
    se = math.sqrt(P * (1 - P) / N)
    # Claims of the page: p is the probability to DROP; survivors are scaled by exactly 1/(1 − p);
    # the mean is preserved (up to sampling noise); eval() turns the layer into the identity.
    assert abs(frac_zero - P) < 5 * se, frac_zero
    assert kept_spread == 0.0 and abs(kept_value - 1 / (1 - P)) < 1e-6
    assert abs(mean - 1) < 5 * se / (1 - P)
    drop.eval()
    z = torch.randn(1000)
    eval_identity = bool(torch.equal(drop(z), z))
    assert eval_identity

    # A small example for the page: ten ones through the same layer in train mode.
    torch.manual_seed(1)
    small = nn.Dropout(P)(torch.ones(10))
    small_eval = nn.Dropout(P).eval()(torch.ones(10))
    return {"p": P, "n": N, "frac_zero": frac_zero, "frac_kept": 1 - frac_zero, "kept_value": kept_value,
            "scale": 1 / (1 - P), "mean": mean, "se": se, "eval_identity": eval_identity,
            "small_zeros": int((small == 0).sum().item()), "small": small.tolist(), "small_eval": small_eval.tolist()}


def report(r: dict, lang: str) -> None:
    """The small example as the page shows it, in the page's language (the build calls it once per language)."""
    print(LABELS[lang]["ones"].format(p=r["p"], n=len(r["small"])))
    print(torch.tensor(r["small"]))
    print(f"nn.Dropout({r['p']}).eval():")
    print(torch.tensor(r["small_eval"]))


def tables(r: dict, lang: str) -> dict:
    L = LABELS[lang]
    p, q = r["p"], round(1 - r["p"], 10)
    measured = L["measured"].format(f=fmt(r["frac_zero"], ".4f", lang))
    rows = [
        [L["srivastava"], "$p$", L["keep"], f'$p = {fmt(q, "g", lang, target="math")}$'],
        [L["cs231n"], "`p`", L["keep"], f"`p = {q}`"],
        ["PyTorch `nn.Dropout(p)`", "`p`", f'{L["drop"]} ({measured})', f"`nn.Dropout(p={p})`"],
        ["TensorFlow 2 `tf.nn.dropout(x, rate)`", "`rate`", L["drop"], f"`rate={p}`"],
        ["Keras `layers.Dropout(rate)`", "`rate`", L["drop"], f"`Dropout({p})`"],
        ["TensorFlow 1 `tf.nn.dropout(x, keep_prob)`", "`keep_prob`", L["keep"], f"`keep_prob={q}`"],
    ]
    header = L["for"].format(pct=fmt(p, ".0%", lang))
    return {"conventions": Table([L["source"], L["name"], L["means"], header], rows, align="llll")}


if __name__ == "__main__":
    report(compute(), "en")
