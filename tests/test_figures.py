"""The figure size rule (snippets/README.md, "Figures"): text ≥ 10 pt in a figure at most 5 in wide, everything
included. ``sitegen.snippet.subplots`` makes a figure of exactly the size asked, a legend outside the data inside it;
the build measures every figure (``sitegen.checks.figure_problems``) and fails on one that a phone would draw with
text under 9 px. No site is built here: figures are saved the way the build's worker saves them.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from sitegen.checks import drawn_px, figure_problems, result_problems, svg_text_sizes  # noqa: E402
from sitegen.snippet import rc_params, subplots  # noqa: E402
from sitegen.worker import _svg  # noqa: E402


def _with_outside_legend(fig, ax):
    for k in range(3):
        ax.plot([0, 1, 2], [k, k + 1, k * 2], label=f"series number {k + 1}")
    ax.set_xlabel("step")
    ax.set_ylabel("value")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)  # outside the data, to the right
    return _svg(fig)


@pytest.fixture(autouse=True)
def site_style():
    with matplotlib.rc_context(rc_params("light")):
        yield


def test_plain_subplots_with_an_outside_legend_grows_past_5_in_and_the_build_says_so():
    """The co-author's case: a 5 × 3 in figure with its legend outside came out wider, too wide for a phone."""
    svg = _with_outside_legend(*plt.subplots(figsize=(5, 3)))
    width, sizes = svg_text_sizes(svg)
    assert width / 72 > 5.5 and min(sizes) == 10
    assert drawn_px(width, min(sizes), "phone") < 9
    problems = figure_problems("t/s", {"fig": svg})
    assert len(problems) == 1 and "on a phone its smallest text is drawn at" in problems[0], problems
    assert "sitegen.snippet.subplots()" in problems[0] and "'fig_narrow'" in problems[0]
    # ... and the build reports it as the snippet's problem, in the result's own check.
    found = result_problems("t/s", {"figures": {"en": {"light": {"fig": svg}, "dark": {"fig": svg}}}})
    assert found and found[0].startswith("snippets/t/s.py: figure 'fig' is") and found[0].endswith("(en)"), found


@pytest.mark.parametrize("width,height", [(5.0, 3.0), (5.0, 4.2), (4.0, 2.5)])
def test_helper_figure_is_exactly_the_size_asked_with_its_legend_inside(width, height):
    fig, ax = subplots(width=width, height=height)
    svg = _with_outside_legend(fig, ax)
    head = svg[:1000].decode()
    assert f'width="{width * 72:g}pt"' in head and f'height="{height * 72:g}pt"' in head, head[:400]
    assert figure_problems("t/s", {"fig": svg}) == []


def test_helper_figure_keeps_the_outside_legend_inside_the_canvas():
    fig, ax = subplots()
    _with_outside_legend(fig, ax)  # saved (and closed) as the build does; the layout stays as drawn
    legend, axes, canvas = ax.get_legend().get_window_extent(), ax.get_window_extent(), fig.bbox
    assert axes.x1 < legend.x0 and legend.x1 <= canvas.x1 and legend.y0 >= canvas.y0, (axes, legend, canvas)


def test_helper_figure_on_a_phone_and_a_laptop():
    svg = _with_outside_legend(*subplots())
    width, sizes = svg_text_sizes(svg)
    assert width == 360 and min(sizes) == 10
    assert drawn_px(width, 10, "phone") >= 9 and drawn_px(width, 10, "laptop") >= 11


def test_a_wide_figure_passes_with_its_phone_variant_only():
    wide = _with_outside_legend(*subplots(width=8, height=3))
    narrow = _with_outside_legend(*subplots(height=5))
    assert figure_problems("t/s", {"fig": wide})  # on a phone, alone, it is too small
    assert figure_problems("t/s", {"fig": wide, "fig_narrow": narrow}) == []
