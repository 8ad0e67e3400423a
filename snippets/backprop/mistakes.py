"""The homework's code, run as handed in (``homework_code.py``), taken apart line by line.

Runs the script, keeps its variables, and checks what each line really computed against closed forms:
``exp(2x + 1) / … `` — the ±1 went inside the exponent, so result6 = e^{2x−1}/e^{2x+1} = e^{−2} whatever x is.

>>> import contextlib, io
>>> with contextlib.redirect_stdout(io.StringIO()):
...     r = compute()
>>> abs(r["result6"] - math.exp(-2)) < 1e-7
True
>>> r["printed"]["w0"] == HOMEWORK["x0"] and r["printed"]["x0"] == HOMEWORK["w0"]
True
"""

from __future__ import annotations

import contextlib
import io
import math
import runpy
from pathlib import Path

import torch

from sitegen.snippet import Table
from snippets.backprop._graph import HEALTHY, HOMEWORK, INPUTS, manual
from snippets.backprop.graph import show

HOMEWORK_SCRIPT = Path(__file__).with_name("homework_code.py")

LABELS = {
    "uk": {"col_line": "рядок", "col_does": "що він насправді обчислює", "col_value": "значення",
           "col_meant": "що мало бути обчислено", "col_meant_value": "правильне значення",
           "grads_w": "градієнти $w_0 x_0$: $x_0$ і $w_0$; для $w_1$, $x_1$ — `None`",
           "grads_meant": "`F.backward()`: $\\partial F/\\partial w_0$, $\\partial F/\\partial x_0$", "const": "стала $e^{-2}$ за будь-якого $x$"},
    "en": {"col_line": "line", "col_does": "what it really computes", "col_value": "value",
           "col_meant": "what was meant", "col_meant_value": "meant value",
           "grads_w": "gradients of $w_0 x_0$: $x_0$ and $w_0$; `None` for $w_1$, $x_1$",
           "grads_meant": "`F.backward()`: $\\partial F/\\partial w_0$, $\\partial F/\\partial x_0$", "const": "the constant $e^{-2}$ for every $x$"},
}


def run_homework() -> tuple[dict, str]:
    """Run the homework's script as ``__main__``; return its variables and what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        env = runpy.run_path(str(HOMEWORK_SCRIPT), run_name="__main__")
    return env, out.getvalue()


def homework_result6(x: float, dtype=torch.float32) -> float:
    """The homework's lines result4 … result6 for a given x (same expressions)."""
    result2 = torch.tensor(x, dtype=dtype)
    result4 = torch.exp(2 * result2 + 1)
    result5 = torch.exp(2 * result2 - 1)
    return (result5 / result4).item()


def backward_from_result6(p: dict) -> dict:
    """What the homework would have printed had it called result6.backward() (float32, as in the homework)."""
    t = {k: torch.tensor(p[k], requires_grad=True) for k in INPUTS}
    result2 = t["w0"] * t["x0"] + t["w1"] * t["x1"]
    result6 = torch.exp(2 * result2 - 1) / torch.exp(2 * result2 + 1)
    result6.backward()
    return {k: t[k].grad.item() for k in INPUTS}


def compute() -> dict:
    env, printed_text = run_homework()
    hw = manual(HOMEWORK)
    x = hw["fwd"]["x"]
    printed = {k: (None if env[k].grad is None else env[k].grad.item()) for k in INPUTS}
    # Mistake 1: backward() starts from `result` = w0·x0, so the printed "gradients" are x0 and w0, and w1, x1
    # get none at all (their .grad stays None).
    assert printed == {"w0": HOMEWORK["x0"], "x0": HOMEWORK["w0"], "w1": None, "x1": None}, printed
    assert "None" in printed_text
    # Signs and sizes of the two printed numbers (the page states these facts, whatever the teacher's remark meant):
    # they have the signs of the true gradients (tanh' > 0 keeps the sign of the local gradient) but are too large
    # by the factor 1/tanh'(x).
    assert all(math.copysign(1, printed[k]) == math.copysign(1, hw["grad"][k]) for k in ("w0", "x0"))
    too_large = printed["w0"] / hw["grad"]["w0"]
    assert math.isclose(too_large, 1 / hw["grad"]["x"], rel_tol=1e-12) and too_large > 1e7
    # Mistake 2: the ±1 went inside the exponent: result4 = e·e^{2x}, result5 = e^{2x}/e …
    r4, r5, r6 = env["result4"].item(), env["result5"].item(), env["result6"].item()
    assert math.isclose(r4, math.e * math.exp(2 * x), rel_tol=1e-6) and math.isclose(r5, math.exp(2 * x - 1), rel_tol=1e-6)
    # … so result6 = e^{−2} ≈ 0.1353 for every x — it is not tanh, it does not even depend on the inputs.
    xs = [-10.0, -3.0, -1.0, 0.0, 0.5, 2.0, 5.0]
    consts = [homework_result6(v) for v in xs]
    assert all(abs(c - math.exp(-2)) < 1e-6 for c in consts), consts
    assert abs(r6 - math.exp(-2)) < 1e-6 and abs(r6 - hw["fwd"]["F"]) > 1
    # Mistake 3 (what if only the backward call is fixed): result6.backward() gives rounding noise, not a gradient —
    # at x = −1, where the true gradients are at least 0.4 in size, every one it gives is below 1e-6.
    noise = backward_from_result6(HEALTHY)
    healthy = manual(HEALTHY)
    assert all(v == 0 for v in noise.values()), noise  # the page says «рівно 0» / exactly 0 at x = −1
    assert all(abs(noise[k]) < 1e-6 for k in INPUTS) and all(abs(healthy["grad"][k]) > 0.4 for k in INPUTS), noise
    # Advice (the point came with the task): at x = −10 even the correct gradients are tiny, so eyeballing cannot
    # tell a right answer (≈1e-8) from this wrong one (noise ≈1e-8): check a backward pass at a non-saturated point too.
    noise_hw = backward_from_result6(HOMEWORK)
    assert max(abs(v) for v in noise_hw.values()) < 1e-6 and max(abs(hw["grad"][k]) for k in INPUTS) < 1e-7
    return {"printed": printed, "printed_text": printed_text, "result4": r4, "result5": r5, "result6": r6,
            "e_minus_2": math.exp(-2), "x": x, "F": hw["fwd"]["F"], "too_large_factor": too_large,
            "result6_over_x": dict(zip([str(v) for v in xs], consts)), "noise_healthy": noise,
            "noise_homework": noise_hw, "healthy_grad": {k: healthy["grad"][k] for k in INPUTS},
            "max_noise_healthy": max(abs(v) for v in noise.values()), "true_grad": {k: hw["grad"][k] for k in INPUTS}}


def report(r: dict, lang: str) -> None:
    """What the homework's code printed, quoted as it printed it: the same on both pages."""
    print(r["printed_text"], end="")


def tables(r: dict, lang: str) -> dict:
    L = LABELS[lang]
    hw = manual(HOMEWORK)
    f = hw["fwd"]
    s = lambda v: show(v, lang, "html")  # noqa: E731
    rows = [
        ["`result = w0*x0`", "$w_0 x_0$", s(f["a"]), "$a = w_0 x_0$", s(f["a"])],
        ["`result1 = w1*x1`", "$w_1 x_1$", s(f["b"]), "$b = w_1 x_1$", s(f["b"])],
        ["`result2 = result + result1`", "$x = a + b$", s(f["x"]), "$x = a + b$", s(f["x"])],
        ["`result4 = torch.exp(2*result2+1)`", "$e^{2x+1} = e \\cdot e^{2x}$", s(r["result4"]), "$e^{2x} + 1$", s(f["d"])],
        ["`result5 = torch.exp(2*result2-1)`", "$e^{2x-1} = e^{2x} / e$", s(r["result5"]), "$e^{2x} - 1$", s(f["n"])],
        ["`result6 = result5 / result4`", L["const"], s(r["result6"]), "$F = \\tanh x$", s(f["F"])],
        ["`result.backward()`", L["grads_w"], f"{s(r['printed']['w0'])}, {s(r['printed']['x0'])}", L["grads_meant"],
         f"{s(r['true_grad']['w0'])}, {s(r['true_grad']['x0'])}"],
    ]
    return {"lines": Table([L["col_line"], L["col_does"], L["col_value"], L["col_meant"], L["col_meant_value"]], rows,
                           align="llrlr")}


if __name__ == "__main__":
    compute()
