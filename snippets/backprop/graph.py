"""The homework's graph, forward and backward, at the homework's point (x = −10) and at a healthy one (x = −1).

The chain rule by hand (``_graph.manual``) and torch autograd through the same stages agree to the last bits;
at x = 0 the gradient of F with respect to x is tanh'(0) = 1 (a closed form):

>>> import contextlib, io
>>> with contextlib.redirect_stdout(io.StringIO()):
...     r = compute()
>>> r["zero"]["grad"]["x"]
1.0
>>> abs(r["healthy"]["grad"]["x"] - (1 - math.tanh(-1.0) ** 2)) < 1e-15
True
>>> len(r["explorer_reference"]) >= 3
True
"""

from __future__ import annotations

import math
import warnings

import matplotlib.pyplot as plt
import torch

from sitegen.snippet import Table, fmt, label, palette
from snippets.backprop._graph import HEALTHY, HOMEWORK, INPUTS, VALUES, autograd, manual

LABELS = {
    "uk": {
        "title_homework": "Точка з домашнього завдання: x = {x}",
        "title_healthy": "Той самий граф, x₀ = 1: x = {x}",
        "legend_fwd": "над ребром: значення прямого проходу",
        "legend_bwd": "під ребром, [курсивом у квадратних дужках]: градієнт ∂F/∂(значення)",
        "legend_fork": "• розгалуження: градієнти двох гілок додаються",
        "col_node": "вузол", "col_input": "вхід", "col_out": "вихід",
        "col_local": "локальний градієнт", "col_up": "∂F/∂(вихід)",
        "col_down": "∂F/∂(вхід)",
        "sum_note": "сума двох гілок",
        "report_point": "точка з домашнього завдання: x = {x}, F = {F}", "report_healthy": "у точці x = {x}: {g}",
    },
    "en": {
        "title_homework": "The homework's point: x = {x}",
        "title_healthy": "The same graph with x₀ = 1: x = {x}",
        "legend_fwd": "above an edge: forward value",
        "legend_bwd": "below an edge, [bracketed, italic]: gradient ∂F/∂(value)",
        "legend_fork": "• fork: the gradients of the two branches add up",
        "col_node": "node", "col_input": "input", "col_out": "output",
        "col_local": "local gradient", "col_up": "∂F/∂(output)",
        "col_down": "∂F/∂(input)",
        "sum_note": "sum of both branches",
        "report_point": "the homework's point: x = {x}, F = {F}", "report_healthy": "at x = {x}: {g}",
    },
}

# Where the nodes sit (data units) and what they show.
POS = {"w0": (0.0, 5.6), "x0": (0.0, 4.4), "w1": (0.0, 1.6), "x1": (0.0, 0.4),
       "a": (3.3, 5.0), "b": (3.3, 1.0), "x": (6.1, 3.0), "c": (9.5, 3.0), "u": (12.8, 3.0), "fork": (15.6, 3.0),
       "n": (17.9, 5.0), "d": (17.9, 1.0), "F": (20.1, 3.0), "out": (21.9, 3.0)}
RADIUS = 0.38
NODE_TEXT = {"a": "·", "b": "·", "x": "+", "c": "×2", "u": "exp", "n": "−1", "d": "+1", "F": "÷"}
INPUT_TEXT = {"w0": "w₀", "x0": "x₀", "w1": "w₁", "x1": "x₁"}
# (from, to, value carried, gradient shown, bend): an edge runs horizontally from its source to the bend point
# and carries its labels there, then goes straight into its target. The gradient on a branch edge is that
# branch's share.
EDGES = [("w0", "a", "w0", "w0", (2.5, 5.6)), ("x0", "a", "x0", "x0", (2.5, 4.4)),
         ("w1", "b", "w1", "w1", (2.5, 1.6)), ("x1", "b", "x1", "x1", (2.5, 0.4)),
         ("a", "x", "a", "a", (6.1, 5.0)), ("b", "x", "b", "b", (6.1, 1.0)), ("x", "c", "x", "x", None),
         ("c", "u", "c", "c", None), ("u", "fork", "u", "u", None), ("fork", "n", "u", "u_via_n", (15.6, 5.0)),
         ("fork", "d", "u", "u_via_d", (15.6, 1.0)), ("n", "F", "n", "n", (20.1, 5.0)),
         ("d", "F", "d", "d", (20.1, 1.0)), ("F", "out", "F", "F", None)]
# Rows of the node table, in backward order: node value, input value, local-gradient key, its formula.
ROWS = [("F", "n", "F/n", r"$1/d$"), ("F", "d", "F/d", r"$-n/d^2$"), ("n", "u", "n/u", r"$1$"),
        ("d", "u", "d/u", r"$1$"), ("u", "c", "u/c", r"$e^{c} = u$"), ("c", "x", "c/x", r"$2$"),
        ("x", "a", "x/a", r"$1$"), ("x", "b", "x/b", r"$1$"), ("a", "w0", "a/w0", r"$x_0$"),
        ("a", "x0", "a/x0", r"$w_0$"), ("b", "w1", "b/w1", r"$x_1$"), ("b", "x1", "b/x1", r"$w_1$")]
NODE_MATH = {"a": r"$a = w_0 x_0$", "b": r"$b = w_1 x_1$", "x": r"$x = a + b$", "c": r"$c = 2x$",
             "u": r"$u = e^{c}$", "n": r"$n = u - 1$", "d": r"$d = u + 1$", "F": r"$F = n / d$"}
VALUE_MATH = {"w0": "$w_0$", "x0": "$x_0$", "w1": "$w_1$", "x1": "$x_1$", "a": "$a$", "b": "$b$", "x": "$x$",
              "c": "$c$", "u": "$u$", "n": "$n$", "d": "$d$", "F": "$F$"}

EXPLORER_POINTS = [HOMEWORK, HEALTHY, {"w0": 2.0, "x0": 0.5, "w1": 1.0, "x1": -1.0},
                   {"w0": 0.5, "x0": 1.0, "w1": -0.25, "x1": 2.0}, {"w0": 1.0, "x0": 1.5, "w1": 0.5, "x1": 1.0}]


def show(v: float, lang: str, target: str = "text", spec: str = ".4g") -> str:
    """Four significant digits (or ``spec``), unless that would print a value like 0.9999999979 as a misleading "1"."""
    if float(format(v, spec)) != v and round(v) != 0 and abs(v - round(v)) < 5e-4:
        spec = ".10g"
    return fmt(v, spec, lang, target=target)


def show_short(v: float, lang: str) -> str:
    """For the figure: three significant digits; a value that only rounds to an integer is marked with ≈."""
    text = fmt(v, ".3g", lang, target="text")
    return "≈" + text if float(format(v, ".3g")) != v and round(v) != 0 and abs(v - round(v)) < 5e-3 else text


def _point(p: dict) -> dict:
    m = manual(p)
    a = autograd(p, torch.float64)
    # The chain rule by hand and autograd through the same stages compute the same floating-point operations.
    for k in VALUES:
        assert math.isclose(m["fwd"][k], a["fwd"][k], rel_tol=1e-15, abs_tol=0), (k, m["fwd"][k], a["fwd"][k])
        assert math.isclose(m["grad"][k], a["grad"][k], rel_tol=1e-14, abs_tol=0), (k, m["grad"][k], a["grad"][k])
    # The exp output feeds two branches: its gradient is the sum of theirs, and autograd agrees.
    assert m["grad"]["u"] == m["branch"]["u_via_n"] + m["branch"]["u_via_d"]
    return m


def compute() -> dict:
    hw, healthy, zero = _point(HOMEWORK), _point(HEALTHY), _point(EXPLORER_POINTS[2])
    assert hw["fwd"]["x"] == -10.0 and healthy["fwd"]["x"] == -1.0 and zero["fwd"]["x"] == 0.0
    # Claims of the page: at the homework's point every gradient into the inputs is tiny (below 1e-7) …
    tiny = max(abs(hw["grad"][k]) for k in INPUTS)
    assert tiny < 1e-7, tiny
    # … while F is within 1e-8 of −1, and n, d within 1e-8 of −1 and 1, the two branch gradients within 1e-8 of 1.
    assert abs(hw["fwd"]["F"] + 1) < 1e-8 and abs(hw["fwd"]["n"] + 1) < 1e-8 and abs(hw["fwd"]["d"] - 1) < 1e-8
    assert all(abs(hw["branch"][k] - 1) < 1e-8 for k in ("u_via_n", "u_via_d"))
    # The whole loss of gradient happens at one node: exp, whose local gradient is u = e^{−20}.
    assert hw["grad"]["u"] > 1.9 and hw["grad"]["c"] < 1e-8
    # At x = −1 the gradients are healthy: every one into the inputs is at least 0.4 in size.
    assert 0.4 < min(abs(healthy["grad"][k]) for k in INPUTS) and max(abs(healthy["grad"][k]) for k in INPUTS) < 1.7
    # … and the two branches at u carry clearly different shares there (on the homework's point both are ≈ 1).
    assert healthy["branch"]["u_via_n"] - healthy["branch"]["u_via_d"] > 0.1
    ratio = healthy["grad"]["x"] / hw["grad"]["x"]
    assert ratio > 1e7
    # That factor is for ∂F/∂x only: ∂F/∂w0 = ∂F/∂x · x0, and x0 changed too (−2 → 1), so its ratio is half as large
    # in size (and of the opposite sign).
    ratio_w0 = abs(healthy["grad"]["w0"] / hw["grad"]["w0"])
    assert math.isclose(ratio_w0, ratio * abs(HEALTHY["x0"] / HOMEWORK["x0"]), rel_tol=1e-12) and 1e7 < ratio_w0 < ratio
    # cs231n's patterns in the backward flow, read off autograd at x = −1 (not off the hand-written chain rule):
    # an add node distributes its upstream gradient unchanged to both inputs, a multiply node hands each input the
    # upstream gradient times the *other* input, and a fork (u feeds n and d) sums its branches.
    ag = autograd(HEALTHY, torch.float64)["grad"]
    assert ag["a"] == ag["b"] == ag["x"]
    assert ag["w0"] == ag["a"] * HEALTHY["x0"] and ag["x0"] == ag["a"] * HEALTHY["w0"]
    assert ag["w1"] == ag["b"] * HEALTHY["x1"] and ag["x1"] == ag["b"] * HEALTHY["w1"]
    assert math.isclose(ag["u"], healthy["branch"]["u_via_n"] + healthy["branch"]["u_via_d"], rel_tol=1e-15)
    # Autograd sums the branches in its own buffers: .grad is filled for leaves only, unless retain_grad() is called
    # on an intermediate tensor (``_graph.autograd`` does, to show every value).
    t = {k: torch.tensor(HEALTHY[k], dtype=torch.float64, requires_grad=True) for k in INPUTS}
    u = torch.exp(2 * (t["w0"] * t["x0"] + t["w1"] * t["x1"]))
    ((u - 1) / (u + 1)).backward()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch warns when a non-leaf's .grad is read
        assert u.grad is None and all(t[k].grad is not None for k in INPUTS)
    explorer = []
    for p in EXPLORER_POINTS:
        m = _point(p)
        explorer.append({"inputs": {k: p[k] for k in INPUTS},
                         "forward": {k: m["fwd"][k] for k in VALUES},
                         "grad": {k: m["grad"][k] for k in VALUES},
                         "grad_branches": dict(m["branch"]),
                         "saturated": abs(m["fwd"]["x"]) > 5})
    assert explorer[0]["saturated"] and not any(e["saturated"] for e in explorer[1:])
    return {"homework": hw, "healthy": healthy, "zero": zero, "ratio_healthy_to_homework": ratio,
            "ratio_healthy_to_homework_w0": ratio_w0,
            "max_input_grad_homework": tiny, "explorer_reference": explorer}


def report(r: dict, lang: str) -> None:
    """The gradients at the homework's point beside those at x = −1, printed in the page's language."""
    L, hw, healthy = LABELS[lang], r["homework"], r["healthy"]
    print(L["report_point"].format(x=fmt(hw["fwd"]["x"], "g", lang, "text"), F=fmt(hw["fwd"]["F"], "", lang, "text")))
    for k in INPUTS:
        at = L["report_healthy"].format(x=fmt(healthy["fwd"]["x"], "g", lang, "text"),
                                        g=fmt(healthy["grad"][k], "", lang, "text"))
        print(f"  dF/d{k} = {fmt(hw['grad'][k], '', lang, 'text')}   ({at})")


def _table(m: dict, lang: str, spec: str = ".4g") -> Table:
    """``spec``: the table at x = −1 uses the page's prose format (four decimals), so a reader finds the same digits."""
    L = LABELS[lang]

    def cell(v: float) -> str:  # whole numbers (the inputs, a, b, x, c, the constant 2) as the prose shows them
        return show(v, lang, "html", "g" if float(v).is_integer() else spec)

    rows = []
    for out, inp, key, formula in ROWS:
        up = cell(m["grad"][out])
        if inp == "u":
            share = m["branch"]["u_via_n" if out == "n" else "u_via_d"]
            down = cell(share)
        elif out == "u":
            up = f"{cell(m['grad']['u'])} ({L['sum_note']})"
            down = cell(m["grad"][inp])
        else:
            down = cell(m["grad"][inp])
        rows.append([NODE_MATH[out], VALUE_MATH[inp], cell(m["fwd"][out]),
                     formula if formula.strip("$").isdigit() else f"{formula} = {cell(m['local'][key])}",
                     up, down])
    return Table([L["col_node"], L["col_input"], L["col_out"], L["col_local"], L["col_up"], L["col_down"]], rows,
                 align="llrrrr")


def tables(r: dict, lang: str) -> dict:
    return {"nodes": _table(r["homework"], lang), "nodes_healthy": _table(r["healthy"], lang, ".4f")}


def _draw(ax, m: dict, lang: str, p: dict, nodes: set, fs: float):
    """The part of the graph made of ``nodes`` (edges between two of them), labels at ``fs`` points."""
    def start(name):  # where an edge leaves its source, going right
        x, y = POS[name]
        return (x + RADIUS, y) if name in NODE_TEXT else (x + 0.3, y) if name in INPUT_TEXT else (x, y)

    def end(name, frm):  # where an edge coming from ``frm`` meets its target
        x, y = POS[name]
        if name not in NODE_TEXT:
            return x, y
        dx, dy = frm[0] - x, frm[1] - y
        r = RADIUS / math.hypot(dx, dy)
        return x + r * dx, y + r * dy

    for src, dst, val, g, bend in EDGES:
        if src not in nodes or dst not in nodes:
            continue
        s = start(src)
        if src == "fork":  # up or down first, then right
            path = [s, bend]
            label_from, label_to = bend, end(dst, bend)
        elif bend is not None:
            path = [s, bend]
            label_from, label_to = s, bend
        else:
            path = [s]
            label_from, label_to = s, end(dst, s)
        last = path[-1]
        tip = end(dst, last)
        ax.plot([q[0] for q in path] + [tip[0]], [q[1] for q in path] + [tip[1]], color=p["muted"], lw=1.2,
                solid_capstyle="round", solid_joinstyle="round")
        if dst != "fork":
            ax.annotate("", xy=tip, xytext=(last[0] + 0.9 * (tip[0] - last[0]), last[1] + 0.9 * (tip[1] - last[1])),
                        arrowprops=dict(arrowstyle="-|>", color=p["muted"], lw=1.2, shrinkA=0, shrinkB=0))
        mx, my = (label_from[0] + label_to[0]) / 2, label_from[1]
        grad = m["branch"][g] if g.startswith("u_via") else m["grad"][g]
        ax.annotate(show_short(m["fwd"][val], lang), (mx, my), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", color=p["forward"], fontsize=fs)
        ax.annotate(f"[{show_short(grad, lang)}]", (mx, my), xytext=(0, -3), textcoords="offset points",
                    ha="center", va="top", color=p["backward"], fontsize=fs, style="italic")
    for name, text in NODE_TEXT.items():
        if name in nodes:
            ax.add_patch(plt.Circle(POS[name], RADIUS, facecolor="none", edgecolor=p["fg"], lw=1.3))
            ax.text(*POS[name], text, ha="center", va="center",
                    fontsize=fs * 1.9 if text == "·" else (fs * 1.15 if len(text) < 3 else fs), color=p["fg"])
    for name, text in INPUT_TEXT.items():
        if name in nodes:
            ax.text(*POS[name], text, ha="right", va="center", fontsize=fs * 1.25, color=p["fg"])
    if "fork" in nodes:
        ax.plot(*POS["fork"], "o", color=p["fg"], ms=5)
    if "out" in nodes:
        ax.text(POS["out"][0] + 0.1, POS["out"][1], "F", ha="left", va="center", fontsize=fs * 1.25, color=p["fg"])
    ax.axis("off")


def _legend(ax, lang: str, p: dict, fs: float, x: float, ys: tuple):
    ax.text(x, ys[0], label(LABELS, lang, "legend_fwd"), color=p["forward"], fontsize=fs, va="center")
    ax.text(x, ys[1], label(LABELS, lang, "legend_bwd"), color=p["backward"], fontsize=fs, va="center",
            style="italic")
    ax.text(x, ys[2], label(LABELS, lang, "legend_fork"), color=p["fg"], fontsize=fs, va="center")


# Text sizes (points) chosen for the page (issue 16): the wide figure is drawn ~10 in wide and shown scaled
# to a 688 px column (12 pt labels ≥ 11 CSS px); the narrow one (phones, ~360 px) splits the graph in two
# rows after the node c, 5 in wide with 9.5 pt labels (≥ 9 CSS px).
WIDE_FS, NARROW_FS = 11.8, 9.5


def _figure(m: dict, lang: str, theme: str, title_key: str):
    p = palette(theme)
    fig, ax = plt.subplots(figsize=(10.2, 4.5))
    ax.set_xlim(-0.9, 22.6)
    ax.set_ylim(-2.45, 6.4)
    ax.set_aspect("equal", adjustable="box")
    _draw(ax, m, lang, p, set(POS), WIDE_FS)
    _legend(ax, lang, p, WIDE_FS, -0.8, (-0.8, -1.45, -2.1))
    ax.set_title(label(LABELS, lang, title_key).format(x=show(m["fwd"]["x"], lang)), fontsize=WIDE_FS * 1.1,
                 loc="left")
    fig.subplots_adjust(left=0.01, right=0.99, top=0.93, bottom=0.01)
    return fig


def _figure_narrow(m: dict, lang: str, theme: str, title_key: str):
    p = palette(theme)
    fig, (ax1, ax2, ax3) = plt.subplots(3, 1, figsize=(5.0, 7.4), gridspec_kw={"height_ratios": [6.5, 6.5, 1.6]})
    first = {"w0", "x0", "w1", "x1", "a", "b", "x", "c"}
    _draw(ax1, m, lang, p, first, NARROW_FS)
    ax1.set_xlim(-0.9, 10.0)
    _draw(ax2, m, lang, p, (set(POS) - first) | {"c"}, NARROW_FS)
    ax2.set_xlim(9.0, 22.8)
    for ax in (ax1, ax2):
        ax.set_ylim(-0.3, 6.2)
        ax.set_aspect("equal", adjustable="box")
    ax3.axis("off")
    ax3.set_xlim(0, 1)
    ax3.set_ylim(0, 1)
    _legend(ax3, lang, p, NARROW_FS, 0.0, (0.82, 0.5, 0.18))
    ax1.set_title(label(LABELS, lang, title_key).format(x=show(m["fwd"]["x"], lang)), fontsize=NARROW_FS * 1.15,
                  loc="left")
    fig.subplots_adjust(left=0.01, right=0.99, top=0.95, bottom=0.01, hspace=0.05)
    return fig


def figures(r: dict, lang: str, theme: str) -> dict:
    out = {}
    for name, m, key in (("graph", r["homework"], "title_homework"), ("graph_healthy", r["healthy"], "title_healthy")):
        out[name] = _figure(m, lang, theme, key)
        out[name + "_narrow"] = _figure_narrow(m, lang, theme, key)
    return out


if __name__ == "__main__":
    compute()
