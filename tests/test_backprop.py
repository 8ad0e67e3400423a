"""Cross-checks for the backprop page: the chain rule by hand, torch autograd, finite differences and sympy agree.

Reference values come from sympy's symbolic derivative evaluated with mpmath at 50 digits, never from the snippets.
"""

from __future__ import annotations

import contextlib
import io
import math
import runpy
from pathlib import Path

import matplotlib
import mpmath
import pytest
import sympy as sp
import torch

from snippets.backprop import _graph, finite_diff, graph, mistakes
from snippets.backprop._graph import HEALTHY, HOMEWORK, INPUTS

matplotlib.use("Agg")
BACKPROP = Path(__file__).resolve().parent.parent / "snippets" / "backprop"
POINTS = {"saturated": HOMEWORK, "healthy": HEALTHY}

_syms = sp.symbols("w0 x0 w1 x1", real=True)
_x = _syms[0] * _syms[1] + _syms[2] * _syms[3]
_F = (sp.exp(2 * _x) - 1) / (sp.exp(2 * _x) + 1)
_GRADS = {name: sp.lambdify(_syms, sp.diff(_F, s), "mpmath") for name, s in zip(INPUTS, _syms)}


def symbolic_grads(p: dict) -> dict:
    """∂F/∂input from sympy's derivative, evaluated at 50 digits."""
    args = [mpmath.mpf(p[k]) for k in INPUTS]
    with mpmath.workdps(50):
        return {k: float(f(*args)) for k, f in _GRADS.items()}


def rel(a: float, b: float) -> float:
    return abs(a - b) / abs(b)


@pytest.mark.parametrize("point", POINTS)
def test_manual_equals_autograd_equals_symbolic(point):
    p = POINTS[point]
    ref = symbolic_grads(p)
    hand = _graph.manual(p)["grad"]
    auto = _graph.autograd(p, torch.float64)["grad"]
    for k in INPUTS:
        # About ten float64 operations, each rounded to half an ulp (1.1e-16), and no cancellation on the staged
        # path (u − 1 and u + 1 do not lose the digits the backward pass uses): 1e-14 leaves a 10× margin.
        assert rel(hand[k], ref[k]) < 1e-14, (k, hand[k], ref[k])
        # Autograd runs the very same operations in the same order.
        assert rel(auto[k], hand[k]) < 1e-15, (k, auto[k], hand[k])


# Central differences along an input whose coefficient in x is c (c = x0 for w0, w0 for x0, …; |c| ≤ 4 here):
# relative error ≈ c²·|f3/f1|·h²/6 + ε|F|/(h·|c|·f1), with f1 = tanh'(x), f3 = tanh'''(x), ε = 2⁻⁵³ ≈ 1.1e-16.
# Saturated (x = −10): f3/f1 ≈ 4 and f1 = 8.2e-9; at h = 1e-3 the worst inputs (c = 4: 1.1e-5 + 3.4e-6,
# or c = −1: 6.7e-7 + 1.4e-5) stay below 1.5e-5, so the tolerance 1e-4 has a margin of about 7.
# Healthy (x = −1): f3/f1 ≈ 1.5 and f1 = 0.42; at h = 1e-5 the worst input (c = 4) gives 4e-10 + 7e-12,
# so the tolerance 1e-8 has a margin of 25.
FD = {"saturated": (1e-3, 1e-4), "healthy": (1e-5, 1e-8)}


@pytest.mark.parametrize("point", POINTS)
def test_finite_differences_confirm_the_gradients(point):
    p = POINTS[point]
    h, tol = FD[point]
    ref = symbolic_grads(p)
    hand = _graph.manual(p)["grad"]
    for k in INPUTS:
        fd = _graph.central_fd(p, k, h)
        assert rel(fd, ref[k]) < tol, (k, fd, ref[k])
        assert rel(fd, hand[k]) < tol, (k, fd, hand[k])


def test_finite_differences_with_a_tiny_step_see_nothing_when_saturated():
    # dF/dw0 ≈ 1.6e-8 and h = 1e-10: F changes by ~1.6e-18, far below the float64 spacing near 1 (1.1e-16).
    assert _graph.central_fd(HOMEWORK, "w0", 1e-10) == 0.0
    assert rel(_graph.central_fd(HEALTHY, "w0", 1e-10), symbolic_grads(HEALTHY)["w0"]) < 1e-4


def test_float32_tanh_rounds_to_minus_one():
    with mpmath.workdps(50):
        distance = 1 + mpmath.tanh(-10)  # how far tanh(−10) is from −1
    assert distance < mpmath.mpf(2) ** -25  # half the float32 spacing below 1: −1 is the nearest float32
    x = torch.tensor(-10.0, requires_grad=True)
    y = torch.tanh(x)
    y.backward()
    assert y.item() == -1.0 and x.grad.item() == 0.0


def test_student_derivative_matches_high_precision():
    for v in (-10.0, -3.0, -1.0, -0.1, 0.0, 0.7, 4.0):
        with mpmath.workdps(50):
            ref = float(1 - mpmath.tanh(v) ** 2)
        u = math.exp(2 * v)
        assert rel(4 * u / (u + 1) ** 2, ref) < 1e-15


def test_exp_node_gradients_add():
    for p in POINTS.values():
        m = _graph.manual(p)
        # d/du of (u − 1)/(u + 1) = 2/(u + 1)²: the sum of the two branches, in closed form.
        u = m["fwd"]["u"]
        assert rel(m["branch"]["u_via_n"] + m["branch"]["u_via_d"], 2 / (u + 1) ** 2) < 1e-15
        assert rel(_graph.autograd(p)["grad"]["u"], 2 / (u + 1) ** 2) < 1e-15


def test_explorer_reference_matches_symbolic():
    with contextlib.redirect_stdout(io.StringIO()):
        r = graph.compute()
    refs = r["explorer_reference"]
    assert refs[0]["inputs"] == HOMEWORK and refs[0]["saturated"]
    assert sum(not e["saturated"] for e in refs) >= 2
    for e in refs:
        ref = symbolic_grads(e["inputs"])
        for k in INPUTS:
            assert rel(e["grad"][k], ref[k]) < 1e-14
        assert math.isclose(e["forward"]["F"], math.tanh(e["forward"]["x"]), rel_tol=1e-15)


def test_homework_script_prints_gradients_of_w0_x0():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(str(BACKPROP / "homework_code.py"), run_name="__main__")
    lines = out.getvalue().splitlines()
    # d(w0·x0)/dw0 = x0 = −2, d(w0·x0)/dx0 = w0 = 3; w1 and x1 are not in w0·x0 at all.
    assert lines[1].endswith("w0: tensor(-2.)") and lines[3].endswith("x0: tensor(3.)")
    assert lines[2].endswith("w1: None") and lines[4].endswith("x1: None")


def test_homework_result6_is_constant():
    for v in (-10.0, 0.0, 3.0):
        assert abs(mistakes.homework_result6(v, torch.float64) - math.exp(-2)) < 1e-15


def test_corrected_script_prints_the_right_gradients():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(str(BACKPROP / "corrected.py"), run_name="__main__")
    ref = symbolic_grads(HOMEWORK)
    printed = dict(line.removeprefix("dF/d").split(" = ") for line in out.getvalue().splitlines()
                   if line.startswith("dF/d"))
    assert sorted(printed) == sorted(INPUTS)
    for k in INPUTS:
        assert rel(float(printed[k]), ref[k]) < 1e-10  # printed with 11 significant digits


def test_best_step_model():
    # h* = (3ε|F|/|g'''|)^{1/3}; at x = 0 tanh''' = −2, F would be 0: use x = −1 with a hand-computed tanh'''.
    t = math.tanh(-1.0)
    s = 1 - t * t
    f3 = -2 * s * s + 4 * t * t * s
    expected = (3 * 2.0**-53 * abs(t) / abs(f3)) ** (1 / 3)
    assert math.isclose(finite_diff.best_h_model(-1.0, 1.0), expected, rel_tol=1e-12)


@pytest.mark.parametrize("lang", ["uk", "en"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_graph_figure_is_small_and_shows_computed_values(lang, theme):
    import matplotlib.pyplot as plt

    from sitegen.snippet import fmt, rc_params

    with contextlib.redirect_stdout(io.StringIO()):
        r = graph.compute()
    with plt.rc_context(rc_params(theme)):
        figs = graph.figures(r, lang, theme)
        for name, fig in figs.items():
            buf = io.BytesIO()
            fig.savefig(buf, format="svg", metadata={"Date": None})
            plt.close(fig)
            svg = buf.getvalue().decode()
            assert len(buf.getvalue()) < 60_000, (name, len(buf.getvalue()))
            m = r["homework"] if name.removesuffix("_narrow") == "graph" else r["healthy"]  # and its phone variant
            # The gradient of w0 drawn on the figure is the computed one, in the page's number format.
            assert graph.show_short(m["grad"]["w0"], lang) in svg and fmt(m["grad"]["w0"], ".3g", lang, target="text") in svg
