"""Batch Normalization by hand and by ``nn.BatchNorm1d``: train mode, running statistics, eval mode.

A batch of four samples with three features, chosen so that the statistics can be checked on paper. Feature 1 is
(1, 2, 3, 6): its mean is 3, the biased variance (divide by N = 4) is (4 + 1 + 0 + 9) / 4 = 3.5 and the unbiased one
(divide by N − 1 = 3) is 14 / 3.

>>> r = compute()
>>> r["mean"][0], r["var_biased"][0], round(r["var_unbiased"][0] * 3, 12)
(3.0, 3.5, 14.0)

PyTorch's default momentum is 0.1 and the running statistics start at mean 0, variance 1; after one step in
train mode they are 0.9 · start + 0.1 · (batch statistic), with the *unbiased* variance:

>>> r["momentum"]
0.1
>>> r["running_mean"][0] == 0.1 * 3.0
True
>>> abs(r["running_var"][0] - (0.9 * 1 + 0.1 * 14 / 3)) < 1e-15
True

In train mode the sample equal to the batch mean (x = 3) is mapped to β (up to rounding); feature 1 has β = 0:

>>> abs(r["y_train"][2][0] - 0.0) < 1e-15
True

The hand computation agrees with the module in both modes, and the two modes give different outputs:

>>> r["max_err_train"] < 1e-12 and r["max_err_eval"] < 1e-12
True
>>> r["max_train_eval_gap"] > 1
True

Choosing γ = √(σ² + ε) and β = μ undoes the normalization: the layer returns its input.

>>> r["max_undo_err"] < 1e-12
True
"""

import torch
from torch import nn

from sitegen.snippet import Table

LABELS = {
    "uk": {
        "sample": "приклад", "quantity": "величина", "mean": "$\\mu_B$",
        "var_b": "$\\sigma_B^2$ (÷ N)", "var_u": "дисперсія (÷ N − 1)",
        "gamma": "$\\gamma$", "beta": "$\\beta$",
        "rmean": "`running_mean`", "rvar": "`running_var`",
    },
    "en": {
        "sample": "sample", "quantity": "quantity", "mean": "$\\mu_B$",
        "var_b": "$\\sigma_B^2$ (÷ N)", "var_u": "variance (÷ N − 1)",
        "gamma": "$\\gamma$", "beta": "$\\beta$",
        "rmean": "`running_mean`", "rvar": "`running_var`",
    },
}

X = [[1.0, 10.0, -2.0],
     [2.0, 10.0, 0.0],
     [3.0, 14.0, 0.0],
     [6.0, 18.0, 2.0]]
GAMMA = [1.0, 2.0, 0.5]
BETA = [0.0, 1.0, -1.0]
EPS = 1e-5
MOMENTUM = 0.1


def bn_by_hand(x: torch.Tensor, mean: torch.Tensor, var: torch.Tensor, gamma, beta, eps: float = EPS):
    """y = γ · (x − μ) / √(σ² + ε) + β, feature by feature (broadcast over the batch)."""
    return torch.as_tensor(gamma, dtype=x.dtype) * (x - mean) / torch.sqrt(var + eps) + torch.as_tensor(
        beta, dtype=x.dtype)


def compute() -> dict:
    x = torch.tensor(X, dtype=torch.float64)
    n = x.shape[0]

    # --- by hand: statistics of the batch, per feature (column)
    mean = x.sum(0) / n
    var_biased = ((x - mean) ** 2).sum(0) / n           # used to normalize in train mode
    var_unbiased = ((x - mean) ** 2).sum(0) / (n - 1)   # used to update running_var
    y_train_hand = bn_by_hand(x, mean, var_biased, GAMMA, BETA)
    running_mean = (1 - MOMENTUM) * torch.zeros(3, dtype=torch.float64) + MOMENTUM * mean
    running_var = (1 - MOMENTUM) * torch.ones(3, dtype=torch.float64) + MOMENTUM * var_unbiased
    y_eval_hand = bn_by_hand(x, running_mean, running_var, GAMMA, BETA)

    # --- the module
    bn = nn.BatchNorm1d(3, eps=EPS, momentum=MOMENTUM, dtype=torch.float64)
    assert bn.momentum == 0.1 and bn.eps == 1e-5, "PyTorch defaults changed"
    with torch.no_grad():
        bn.weight.copy_(torch.tensor(GAMMA))
        bn.bias.copy_(torch.tensor(BETA))
    bn.train()
    with torch.no_grad():
        y_train = bn(x)                                  # one step: uses batch stats, updates running stats
    bn.eval()
    with torch.no_grad():
        y_eval = bn(x)                                   # the same batch, now through running stats

    max_err_train = (y_train - y_train_hand).abs().max().item()
    max_err_eval = (y_eval - y_eval_hand).abs().max().item()
    assert max_err_train < 1e-12 and max_err_eval < 1e-12
    assert torch.allclose(bn.running_mean, running_mean, rtol=0, atol=1e-15)
    assert torch.allclose(bn.running_var, running_var, rtol=0, atol=1e-15)
    # The page says: the same input gives a different output in eval mode after one step.
    gap = (y_train - y_eval).abs().max().item()
    assert gap > 1
    # The third sample of feature 1 equals the batch mean: its output is β₁ = 0 (up to rounding).
    assert abs(y_train[2, 0].item() - BETA[0]) < 1e-12
    # In train mode each feature of the output has mean β and (biased) standard deviation |γ| (up to ε).
    assert torch.allclose(y_train.mean(0), torch.tensor(BETA, dtype=torch.float64), atol=1e-12)
    assert torch.allclose(y_train.std(0, unbiased=False), torch.tensor(GAMMA, dtype=torch.float64), rtol=1e-5)

    # --- γ = √(σ² + ε), β = μ: the learned parameters can undo the normalization
    undo = nn.BatchNorm1d(3, eps=EPS, dtype=torch.float64)
    with torch.no_grad():
        undo.weight.copy_(torch.sqrt(var_biased + EPS))
        undo.bias.copy_(mean)
        y_undo = undo(x)
    max_undo_err = (y_undo - x).abs().max().item()
    assert max_undo_err < 1e-12

    # After many train-mode steps on the same batch the running stats approach μ and the UNBIASED variance.
    steps = 100
    many = nn.BatchNorm1d(3, dtype=torch.float64)
    with torch.no_grad():
        for _ in range(steps):
            many(x)
    assert torch.allclose(many.running_mean, mean, rtol=1e-4)
    assert torch.allclose(many.running_var, var_unbiased, rtol=1e-4)
    assert not torch.allclose(many.running_var, var_biased, rtol=1e-2)

    return {
        "x": x.tolist(), "gamma": GAMMA, "beta": BETA, "eps": EPS, "momentum": MOMENTUM, "n": n,
        "mean": mean.tolist(), "var_biased": var_biased.tolist(), "var_unbiased": var_unbiased.tolist(),
        "running_mean": bn.running_mean.tolist(), "running_var": bn.running_var.tolist(),
        "y_train": y_train.tolist(), "y_eval": y_eval.tolist(),
        "max_err_train": max_err_train, "max_err_eval": max_err_eval, "max_train_eval_gap": gap,
        "max_undo_err": max_undo_err, "steps": steps,
        "many_running_var": many.running_var.tolist(),
    }


def _clean(rows):
    """Rounding noise such as −1.1 × 10⁻¹⁶ shown as 0 (it would print as "−0.0000")."""
    return [[0.0 if abs(v) < 1e-12 else v for v in row] for row in rows]


def tables(r: dict, lang: str) -> dict:
    L = LABELS[lang]
    feats = [f"$x_{{{j + 1}}}$" for j in range(3)]
    ys = [f"$y_{{{j + 1}}}$" for j in range(3)]
    batch = Table([L["sample"]] + feats, [[i + 1] + row for i, row in enumerate(r["x"])], formats=["d"] + ["g"] * 3)
    # One row per quantity, one column per feature: four columns of numbers read as a table on a phone too, and each
    # quantity keeps its formula (as eight columns it became cards on a phone, the formulas flattened into labels).
    stats = Table(
        [L["quantity"]] + feats,
        [[L[k]] + r[v] for k, v in (("gamma", "gamma"), ("beta", "beta"), ("mean", "mean"), ("var_b", "var_biased"),
                                    ("var_u", "var_unbiased"), ("rmean", "running_mean"), ("rvar", "running_var"))],
        formats=[None] + [".4g"] * 3,
    )
    train = Table([L["sample"]] + ys, [[i + 1] + row for i, row in enumerate(_clean(r["y_train"]))],
                  formats=["d"] + [".4f"] * 3)
    ev = Table([L["sample"]] + ys, [[i + 1] + row for i, row in enumerate(_clean(r["y_eval"]))],
               formats=["d"] + [".4f"] * 3)
    return {"batch": batch, "stats": stats, "train": train, "eval": ev}


if __name__ == "__main__":
    res = compute()
    for k in ("mean", "var_biased", "var_unbiased", "running_mean", "running_var", "y_train", "y_eval"):
        print(k, res[k])
    print("max |hand - module|: train", res["max_err_train"], "eval", res["max_err_eval"])
