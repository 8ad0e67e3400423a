"""Saturation and precision at the homework's point x = −10: float64 vs float32, staged graph vs ``torch.tanh``.

The reference is tanh computed with mpmath at 50 significant digits. The student's derivative
4e^{2x}/(e^{2x} + 1)² is the same function as 1 − tanh²x (sympy proves it); numerically they differ in float32.

Independent checks: at x = 0 both formulas give exactly 1, and float32's spacing just below 1 is 2⁻²⁴:

>>> student(torch.tensor(0.0)).item(), one_minus_tanh2(torch.tensor(0.0)).item()
(1.0, 1.0)
>>> 1.0 - torch.nextafter(torch.tensor(1.0), torch.tensor(0.0)).item() == 2.0 ** -24
True

At x = +10, u = e^{20} lies between 2^{28} and 2^{29}, where float32 numbers are 2^{28−23} = 32 apart, so u ± 1 round
back to u; and exp(2x) overflows where 2x passes ln(largest float) ≈ 128 ln 2 (float32) or 1024 ln 2 (float64):

>>> u = torch.exp(torch.tensor(20.0))
>>> 2.0 ** 28 < u.item() < 2.0 ** 29, bool(u + 1 == u), bool(u - 1 == u)
(True, True, True)
>>> abs(overflow_threshold(torch.float32) - 64 * math.log(2)) < 1e-5
True
>>> abs(overflow_threshold(torch.float64) - 512 * math.log(2)) < 1e-9
True
"""

from __future__ import annotations

import math

import mpmath
import sympy as sp
import torch

from sitegen.snippet import Table, label
from snippets.backprop._graph import HOMEWORK, INPUTS, autograd

LABELS = {
    "uk": {"col_method": "спосіб", "col_dtype": "тип", "col_F": "F", "col_err": "найбільша відносна похибка",
           "staged": "покрокова схема (autograd)", "tanh": "torch.tanh (autograd)", "exact": "точне значення (mpmath, 50 цифр)",
           "col_formula": "формула ∂F/∂x", "student": "студентська $4e^{2x}/(e^{2x}+1)^2$",
           "tanh2": "$1 - \\tanh^2 x$", "float64": "float64", "float32": "float32",
           "col_err32": "відносна похибка float32"},
    "en": {"col_method": "method", "col_dtype": "dtype", "col_F": "F", "col_err": "largest relative error",
           "staged": "staged graph (autograd)", "tanh": "torch.tanh (autograd)", "exact": "exact (mpmath, 50 digits)",
           "col_formula": "formula for ∂F/∂x", "student": "the student's $4e^{2x}/(e^{2x}+1)^2$",
           "tanh2": "$1 - \\tanh^2 x$", "float64": "float64", "float32": "float32",
           "col_err32": "relative error in float32"},
}

MIRROR = {"w0": 3.0, "x0": 2.0, "w1": -1.0, "x1": -4.0}  # the homework's point mirrored: x = +10

METHODS = [("staged", torch.float64), ("tanh", torch.float64), ("staged", torch.float32), ("tanh", torch.float32)]


def student(x: torch.Tensor) -> torch.Tensor:
    """The student's derivative of tanh: 4e^{2x} / (e^{2x} + 1)²."""
    u = torch.exp(2 * x)
    return 4 * u / (u + 1) ** 2


def one_minus_tanh2(x: torch.Tensor) -> torch.Tensor:
    """The textbook derivative of tanh, from its output: 1 − tanh²x (what ``torch.tanh``'s backward computes)."""
    return 1 - torch.tanh(x) ** 2


def exact(p: dict) -> dict:
    """F and ∂F/∂input at 50 significant digits, from 1 − tanh²x in mpmath, rounded to float at the end."""
    with mpmath.workdps(50):
        w0, x0, w1, x1 = (mpmath.mpf(p[k]) for k in INPUTS)
        x = w0 * x0 + w1 * x1
        F = mpmath.tanh(x)
        g = 1 - F**2
        grads = {"w0": g * x0, "x0": g * w0, "w1": g * x1, "x1": g * w1, "x": g}
        return {"F": float(F), "grad": {k: float(v) for k, v in grads.items()}}


def symbolic_check() -> dict:
    """sympy: d/dx (e^{2x} − 1)/(e^{2x} + 1) and the student's formula both equal 1 − tanh²x."""
    x = sp.symbols("x", real=True)
    F = (sp.exp(2 * x) - 1) / (sp.exp(2 * x) + 1)
    stud = 4 * sp.exp(2 * x) / (sp.exp(2 * x) + 1) ** 2
    textbook = (1 - sp.tanh(x) ** 2).rewrite(sp.exp)
    return {"F_is_tanh": sp.simplify(F - sp.tanh(x).rewrite(sp.exp)) == 0,
            "derivative_is_student": sp.simplify(sp.diff(F, x) - stud) == 0,
            "student_is_textbook": sp.simplify(stud - textbook) == 0}


def overflow_threshold(dtype) -> float:
    """The x above which e^{2x} overflows to inf in ``dtype``: half the logarithm of its largest finite number."""
    return math.log(torch.finfo(dtype).max) / 2


def relerr(a: float, b: float) -> float:
    return abs(a - b) / abs(b)


def compute() -> dict:
    ref = exact(HOMEWORK)
    runs = []
    for kind, dtype in METHODS:
        r = autograd(HOMEWORK, dtype, use_tanh=(kind == "tanh"))
        grads = {k: r["grad"][k] + 0.0 for k in INPUTS}  # + 0.0 drops the sign of a zero: −0 prints as 0
        err = max(relerr(grads[k], ref["grad"][k]) for k in INPUTS)
        runs.append({"method": kind, "dtype": str(dtype).removeprefix("torch."), "F": r["fwd"]["F"], "grad": grads,
                     "max_relerr": err})
    run = {f"{r['method']}_{r['dtype']}": r for r in runs}

    # Claims of the page, measured:
    # 1. float64 through the staged graph is correct to about the last digit.
    assert run["staged_float64"]["max_relerr"] < 1e-14, run["staged_float64"]
    # 2. float64 through torch.tanh loses about half of its digits: its backward computes 1 − y² from y ≈ −1.
    assert 1e-10 < run["tanh_float64"]["max_relerr"] < 1e-6, run["tanh_float64"]
    # 3. float32: tanh(−10) rounds to exactly −1, so torch.tanh's gradient is exactly zero, for all four inputs …
    assert run["tanh_float32"]["F"] == -1.0 and run["staged_float32"]["F"] == -1.0
    assert all(v == 0.0 for v in run["tanh_float32"]["grad"].values())
    # … while the staged graph in float32 still gets every gradient right to better than 1e-6: exp's backward
    # multiplies by u = e^{−20} itself, which float32 holds fine; nothing subtracts two numbers near 1.
    assert all(v != 0.0 for v in run["staged_float32"]["grad"].values())
    assert run["staged_float32"]["max_relerr"] < 1e-7, run["staged_float32"]  # about seven digits
    # Why tanh(−10) is exactly −1 in float32: 1 − |tanh(−10)| is below half the gap between 1 and the float32 below it.
    gap32 = 1.0 - torch.nextafter(torch.tensor(1.0), torch.tensor(0.0)).item()
    distance = 1 + ref["F"]
    with mpmath.workdps(50):
        distance_exact = float(1 + mpmath.tanh(-10))
    assert distance_exact < gap32 / 2, (distance_exact, gap32)

    # The student's derivative: symbolically equal to 1 − tanh²x …
    sym = symbolic_check()
    assert all(sym.values()), sym
    # … numerically equal in float64 where tanh is not saturated (|x| ≤ 1: to 1e-15 relative) …
    xs = torch.linspace(-10, 10, 401, dtype=torch.float64)
    with mpmath.workdps(50):
        ref_grid = torch.tensor([float(1 - mpmath.tanh(mpmath.mpf(v)) ** 2) for v in xs.tolist()], dtype=torch.float64)
    near = xs.abs() <= 1
    agree64 = (torch.abs(student(xs) - one_minus_tanh2(xs)) / ref_grid)[near].max().item()
    assert agree64 < 1e-15, agree64
    # … but on [−10, 10] the student's form stays correct to the last digit while 1 − tanh²x loses up to half.
    grid_err = {"student": (torch.abs(student(xs) - ref_grid) / ref_grid).max().item(),
                "tanh2": (torch.abs(one_minus_tanh2(xs) - ref_grid) / ref_grid).max().item()}
    assert grid_err["student"] < 1e-15 and grid_err["tanh2"] > 1e-9, grid_err
    # … and at x = −10 in float32 the student's form is right while 1 − tanh²x is exactly 0.
    x = HOMEWORK["w0"] * HOMEWORK["x0"] + HOMEWORK["w1"] * HOMEWORK["x1"]
    forms = {}
    for name, f in (("student", student), ("tanh2", one_minus_tanh2)):
        v64 = f(torch.tensor(x, dtype=torch.float64)).item()
        v32 = f(torch.tensor(x, dtype=torch.float32)).item()
        forms[name] = {"float64": v64, "float32": v32, "relerr32": relerr(v32, ref["grad"]["x"]),
                       "relerr64": relerr(v64, ref["grad"]["x"])}
    assert forms["tanh2"]["float32"] == 0.0 and forms["student"]["relerr32"] < 1e-6
    assert forms["student"]["relerr64"] < 1e-14 and 1e-10 < forms["tanh2"]["relerr64"] < 1e-6

    # "No step subtracts two nearly equal numbers" holds for x < 0 only. At x = +10, u = e^{20} ≈ 4.9e8 and, in float32,
    # u − 1 and u + 1 round to u itself: F = 1 exactly, and at the fork the two branch gradients 1/d and −n/d² are
    # equal and opposite, so they cancel to exactly 0, and so does every gradient below.
    pos = autograd(MIRROR, torch.float32)
    assert pos["fwd"]["x"] == 10.0 and pos["fwd"]["F"] == 1.0, pos["fwd"]
    assert pos["fwd"]["n"] == pos["fwd"]["u"] == pos["fwd"]["d"]
    assert pos["grad"]["n"] == -pos["grad"]["d"] != 0 and pos["grad"]["u"] == 0
    assert all(pos["grad"][k] == 0 for k in INPUTS), pos["grad"]
    ref_pos = exact(MIRROR)
    # float64 keeps u ± 1 apart, but the same subtraction 1/d − n/d² costs it about half of its digits.
    pos64 = autograd(MIRROR, torch.float64)
    pos64_err = max(relerr(pos64["grad"][k], ref_pos["grad"][k]) for k in INPUTS)
    assert 1e-10 < pos64_err < 1e-6, pos64_err
    # Further out, exp itself overflows: e^{2x} = inf and F = inf/inf = NaN, from x ≈ 44.4 (float32), 354.9 (float64).
    overflow = {}
    for dtype in (torch.float32, torch.float64):
        name = str(dtype).removeprefix("torch.")
        t = torch.tensor(overflow_threshold(dtype), dtype=dtype)
        below, above = t - 0.01, t + 0.01
        assert torch.isfinite(torch.exp(2 * below)) and torch.isinf(torch.exp(2 * above)), name
        u_above = torch.exp(2 * above)
        assert torch.isnan((u_above - 1) / (u_above + 1)), name
        overflow[name] = overflow_threshold(dtype)
    assert 44 < overflow["float32"] < 45 and 354 < overflow["float64"] < 355, overflow

    tiny32 = torch.finfo(torch.float32).tiny  # the smallest normal float32: u = e^{−20} is far above it
    assert run["staged_float32"]["grad"]["w0"] != 0 and math.exp(-20) > 1e20 * tiny32
    return {"exact": ref, "runs": run, "gap32": gap32, "float32_tiny": tiny32, "half_gap32": gap32 / 2, "distance_to_minus_one": distance,
            "positive": {"float32": pos, "float64_max_relerr": pos64_err, "exact": ref_pos}, "overflow": overflow,
            "symbolic": sym, "student_vs_textbook_float64": agree64, "grid_relerr64": grid_err, "forms": forms, "x": x}


def tables(r: dict, lang: str) -> dict:
    L = LABELS[lang]
    rows = [[L["exact"], "—", r["exact"]["F"], *[r["exact"]["grad"][k] for k in INPUTS], None]]
    for key in ("staged_float64", "tanh_float64", "staged_float32", "tanh_float32"):
        run = r["runs"][key]
        rows.append([L[run["method"]], run["dtype"], run["F"], *[run["grad"][k] for k in INPUTS], run["max_relerr"]])
    cols = [L["col_method"], L["col_dtype"], L["col_F"], "∂F/∂w₀", "∂F/∂x₀", "∂F/∂w₁", "∂F/∂x₁", L["col_err"]]
    formats = [None, None, ".10g", ".10g", ".10g", ".10g", ".10g", ".1e"]

    def part(keep):  # eight columns of ten-digit numbers are too wide for a laptop's column: two tables
        return Table([cols[j] for j in keep], [[row[j] for j in keep] for row in rows],
                     formats=[formats[j] for j in keep], align="ll" + "r" * (len(keep) - 2))

    methods, methods_more = part([0, 1, 2, 3, 4]), part([0, 1, 5, 6, 7])
    form_rows = [[L[name], r["forms"][name]["float64"], r["forms"][name]["float32"], r["forms"][name]["relerr32"]]
                 for name in ("student", "tanh2")]
    form_rows.append([L["exact"], r["exact"]["grad"]["x"], None, None])
    forms = Table([L["col_formula"], label(LABELS, lang, "float64"), label(LABELS, lang, "float32"), L["col_err32"]],
                  form_rows, formats=[None, ".10g", ".10g", ".1e"], align="lrrr")
    return {"methods": methods, "methods_more": methods_more, "formulas": forms}


if __name__ == "__main__":
    compute()
