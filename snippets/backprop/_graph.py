"""The homework's computational graph, F = tanh(w0·x0 + w1·x1) written as (e^{2x} − 1)/(e^{2x} + 1), staged node by node.

Three independent ways to get the gradients: the chain rule by hand (``manual``, plain Python floats), torch
autograd through the same stages (``autograd``, any dtype, optionally with ``torch.tanh`` instead of the stages),
and central finite differences (``central_fd``).

At x = 0 every value is exact and tanh'(0) = 1, so ∂F/∂w0 = x0, ∂F/∂x0 = w0, …:

>>> g = manual({"w0": 2.0, "x0": 0.5, "w1": 1.0, "x1": -1.0})
>>> g["fwd"]["x"], g["fwd"]["F"], g["grad"]["x"]
(0.0, 0.0, 1.0)
>>> [g["grad"][k] for k in INPUTS]
[0.5, 2.0, -1.0, 1.0]

Away from zero the chain rule agrees with the closed form tanh'(x) = 1 − tanh²(x):

>>> g = manual({"w0": 0.5, "x0": 1.0, "w1": 0.0, "x1": 0.0})
>>> abs(g["grad"]["x"] - (1 - math.tanh(0.5) ** 2)) < 1e-15
True
"""

from __future__ import annotations

import math

import torch

INPUTS = ("w0", "x0", "w1", "x1")
HOMEWORK = {"w0": 3.0, "x0": -2.0, "w1": -1.0, "x1": 4.0}  # the homework's values: x = −10
HEALTHY = {"w0": 3.0, "x0": 1.0, "w1": -1.0, "x1": 4.0}  # the same graph with x0 = 1: x = −1

# Intermediate values in forward order: name, the node that produces it, its inputs.
NODES = (
    ("a", "mul", ("w0", "x0")),  # a = w0·x0
    ("b", "mul", ("w1", "x1")),  # b = w1·x1
    ("x", "add", ("a", "b")),  # x = a + b
    ("c", "times2", ("x",)),  # c = 2x
    ("u", "exp", ("c",)),  # u = exp(c)      — feeds two branches
    ("n", "minus1", ("u",)),  # n = u − 1
    ("d", "plus1", ("u",)),  # d = u + 1
    ("F", "div", ("n", "d")),  # F = n / d
)
VALUES = INPUTS + tuple(name for name, _, _ in NODES)


def manual(p: dict) -> dict:
    """Forward and backward pass by hand, in Python floats (IEEE float64), one line per node.

    Returns ``{"fwd": {value: number}, "grad": {value: ∂F/∂value}, "local": {...}, "branch": {...}}``.
    """
    w0, x0, w1, x1 = (float(p[k]) for k in INPUTS)
    # forward
    a = w0 * x0
    b = w1 * x1
    x = a + b
    c = 2.0 * x
    u = math.exp(c)
    n = u - 1.0
    d = u + 1.0
    F = n / d
    # backward: upstream gradient × local gradient, from the output back
    gF = 1.0
    local = {"F/n": 1.0 / d, "F/d": -n / d**2, "n/u": 1.0, "d/u": 1.0, "u/c": u, "c/x": 2.0,
             "x/a": 1.0, "x/b": 1.0, "a/w0": x0, "a/x0": w0, "b/w1": x1, "b/x1": w1}
    gn = gF * local["F/n"]
    gd = gF * local["F/d"]
    branch = {"u_via_n": gn * local["n/u"], "u_via_d": gd * local["d/u"]}
    gu = branch["u_via_n"] + branch["u_via_d"]  # u feeds two branches: the gradients add
    gc = gu * local["u/c"]
    gx = gc * local["c/x"]
    ga = gx * local["x/a"]
    gb = gx * local["x/b"]
    grad = {"F": gF, "d": gd, "n": gn, "u": gu, "c": gc, "x": gx, "a": ga, "b": gb,
            "w0": ga * local["a/w0"], "x0": ga * local["a/x0"], "w1": gb * local["b/w1"], "x1": gb * local["b/x1"]}
    fwd = {"w0": w0, "x0": x0, "w1": w1, "x1": x1, "a": a, "b": b, "x": x, "c": c, "u": u, "n": n, "d": d, "F": F}
    return {"fwd": fwd, "grad": grad, "local": local, "branch": branch}


def autograd(p: dict, dtype=torch.float64, use_tanh: bool = False) -> dict:
    """The same graph through torch autograd. With ``use_tanh`` the four stages after x are one ``torch.tanh``.

    Returns ``{"fwd": {...}, "grad": {...}}`` as Python floats; only the values that exist are present.
    """
    t = {k: torch.tensor(float(p[k]), dtype=dtype, requires_grad=True) for k in INPUTS}
    v = dict(t)
    v["a"] = t["w0"] * t["x0"]
    v["b"] = t["w1"] * t["x1"]
    v["x"] = v["a"] + v["b"]
    if use_tanh:
        v["F"] = torch.tanh(v["x"])
    else:
        v["c"] = 2 * v["x"]
        v["u"] = torch.exp(v["c"])
        v["n"] = v["u"] - 1
        v["d"] = v["u"] + 1
        v["F"] = v["n"] / v["d"]
    for k, tensor in v.items():
        if k not in INPUTS:
            tensor.retain_grad()
    v["F"].backward()
    return {"fwd": {k: tensor.item() for k, tensor in v.items()},
            "grad": {k: tensor.grad.item() for k, tensor in v.items()}}


def forward(p: dict, dtype=torch.float64) -> float:
    """F through the staged graph, without autograd (for finite differences)."""
    w0, x0, w1, x1 = (torch.tensor(float(p[k]), dtype=dtype) for k in INPUTS)
    u = torch.exp(2 * (w0 * x0 + w1 * x1))
    return ((u - 1) / (u + 1)).item()


def central_fd(p: dict, wrt: str, h: float, dtype=torch.float64) -> float:
    """(F(p + h) − F(p − h)) / 2h in ``dtype``, nudging the input ``wrt``.

    The step is taken in ``dtype`` too: the difference actually made between the two inputs is what divides.
    If the step vanishes in ``dtype`` (e.g. 3 + 1e-9 == 3 in float32) the quotient is undefined: NaN.
    """
    base = torch.tensor(float(p[wrt]), dtype=dtype)
    step = torch.tensor(h, dtype=dtype)
    up, down = base + step, base - step
    if up == down:
        return float("nan")
    f_up = forward({**p, wrt: up.item()}, dtype)
    f_down = forward({**p, wrt: down.item()}, dtype)
    return (f_up - f_down) / (up - down).item()
