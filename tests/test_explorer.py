"""The backprop explorer (docs/assets/explorer.js) in Chromium: its numbers are torch's, and a reader can use it.

The build writes the snippet's reference points (``explorer_reference`` of snippets/backprop/graph.py) into the
page; this test types each point into the number fields and compares every number the explorer shows
(``data-value``, full precision) with the staged float64 graph run through torch autograd here, independently of
the page. Two page loads in all: Ukrainian in the light scheme, English in the dark one, on the session's one
Chromium.
"""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import pytest

from browser import SiteServer, site_prefix
from snippets.backprop._graph import HOMEWORK, INPUTS, VALUES, autograd

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {"uk": ("backprop/", "light"), "en": ("en/backprop/", "dark")}
NAMES = {"uk": {"w0": "вага w₀", "x0": "вхід x₀", "w1": "вага w₁", "x1": "вхід x₁"},
         "en": {"w0": "weight w₀", "x0": "input x₀", "w1": "weight w₁", "x1": "input x₁"}}
# Every value the staged graph has, forward and backward, plus the two shares of u's gradient (one per branch).
KEYS = {f"fwd.{k}" for k in VALUES} | {f"grad.{k}" for k in VALUES} | {"grad.u_via_n", "grad.u_via_d"}
REL, ABS = 1e-6, 1e-300
SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")

READ_JS = """root => [...root.querySelectorAll('[data-key]')].map(e => ({
  key: e.dataset.key, value: e.dataset.value, text: e.textContent,
  italic: getComputedStyle(e).fontStyle === 'italic',
  y: e.getBoundingClientRect().top, cx: (r => r.left + r.width / 2)(e.getBoundingClientRect()),
  left: e.getBoundingClientRect().left, anchor: e.getAttribute('text-anchor'),
  svg: e.namespaceURI === 'http://www.w3.org/2000/svg'}))"""


def torch_expected(point: dict) -> dict[str, float]:
    """The staged graph in float64 through torch autograd; branch shares: ∂F/∂n·∂n/∂u and ∂F/∂d·∂d/∂u (both ·1)."""
    t = autograd(point, dtype=__import__("torch").float64)
    out = {f"fwd.{k}": v for k, v in t["fwd"].items()} | {f"grad.{k}": v for k, v in t["grad"].items()}
    out["grad.u_via_n"], out["grad.u_via_d"] = t["grad"]["n"], t["grad"]["d"]
    return out


def parse_shown(text: str, lang: str) -> float:
    """A number as the reader sees it (−1,649×10⁻⁸, [0.9999999979], [≈1]) back to a float."""
    s = text.strip("[]").removeprefix("\u2248").replace("\u2212", "-")  # ≈1 on an edge: 0.9999999979
    if lang == "uk":
        assert "." not in s, text
        s = s.replace(",", ".")
    else:
        assert "," not in s, text
    m = re.fullmatch(r"(-?[0-9.]+)(?:×10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?", s)
    assert m, f"not a number as the site writes them: {text!r}"
    return float(m[1]) * (10.0 ** int(m[2].translate(SUPERSCRIPT)) if m[2] else 1.0)


@pytest.fixture(scope="module")
def site(built_site):
    with SiteServer(built_site.site, site_prefix(built_site.site)) as server:
        yield server


@pytest.fixture(scope="module", params=sorted(PAGES))
def explorer(request, chromium, site):
    """One loaded page per language (its colour scheme from PAGES), with the requests it made."""
    lang = request.param
    rel, scheme = PAGES[lang]
    context = chromium.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site.url(rel))
    page.wait_for_selector(".bp-explorer--ready")
    yield {"lang": lang, "scheme": scheme, "page": page, "root": page.locator(".bp-explorer"), "site": site,
           "requests": requests, "errors": errors, "html": (Path(site.site) / rel / "index.html").read_text()}
    context.close()


def reference(html_text: str) -> list[dict]:
    m = re.search(r'class="bp-explorer" data-lang="\w+" data-reference="([^"]*)"', html_text)
    assert m, "no explorer block with a data-reference on the page"
    return json.loads(html.unescape(m[1]))


def type_point(page, point: dict, keystrokes: bool = False):
    for k in INPUTS:
        field = page.locator(f'.bp-explorer input.bp-explorer__field[data-var="{k}"]')
        if keystrokes:  # real key presses, character by character
            field.fill("")
            field.press_sequentially(repr(float(point[k])))
        else:
            field.fill(repr(float(point[k])))


def shown(page) -> list[dict]:
    return page.locator(".bp-explorer").evaluate(READ_JS)


def test_reference_is_torchs_and_includes_the_homework_point(built_site):
    refs = {lang: reference((built_site.site / rel / "index.html").read_text()) for lang, (rel, _) in PAGES.items()}
    assert refs["uk"] == refs["en"]
    points = refs["en"]
    assert len(points) >= 3
    assert {k: points[0]["inputs"][k] for k in INPUTS} == HOMEWORK and points[0]["saturated"]
    assert any(not p["saturated"] for p in points)
    for p in points:
        expected = torch_expected(p["inputs"])
        for k in VALUES:
            assert math.isclose(p["forward"][k], expected[f"fwd.{k}"], rel_tol=1e-12, abs_tol=ABS), (p["inputs"], k)
            assert math.isclose(p["grad"][k], expected[f"grad.{k}"], rel_tol=1e-12, abs_tol=ABS), (p["inputs"], k)
        assert abs(p["forward"]["x"]) > 3 if p["saturated"] else abs(p["forward"]["x"]) <= 3


def test_every_shown_value_equals_torch_at_every_reference_point(explorer):
    page, lang = explorer["page"], explorer["lang"]
    points = reference(explorer["html"])
    for i, p in enumerate(points):
        type_point(page, p["inputs"], keystrokes=i == 1)
        expected = torch_expected(p["inputs"])
        items = shown(page)
        assert {it["key"] for it in items} == KEYS
        for it in items:
            got = float(it["value"])
            want = expected[it["key"]]
            assert math.isclose(got, want, rel_tol=REL, abs_tol=ABS), (lang, p["inputs"], it["key"], got, want)
            # The rounded text is the same number to the four (or ten) significant digits shown.
            assert math.isclose(parse_shown(it["text"], lang), got, rel_tol=1e-3, abs_tol=ABS), (lang, it)
            if got < 0:
                assert it["text"].lstrip("[\u2248").startswith("\u2212"), it
        marker = page.locator(".bp-explorer .bp-marker")
        assert float(marker.get_attribute("data-x")) == pytest.approx(expected["fwd.x"], rel=REL, abs=ABS)
        verdict = page.locator(".bp-explorer__verdict").get_attribute("data-saturated")
        assert verdict == ("true" if p["saturated"] else "false")
    assert explorer["errors"] == []


def test_labels_name_each_variable_in_the_pages_language(explorer):
    page, lang = explorer["page"], explorer["lang"]
    for k in INPUTS:
        field = page.locator(f'.bp-explorer input.bp-explorer__field[data-var="{k}"]')
        label = page.locator(f'label[for="{field.get_attribute("id")}"]')
        assert label.is_visible() and label.inner_text().strip() == NAMES[lang][k]
        # Playwright resolves the field by its accessible name: the label is really attached.
        assert page.get_by_label(NAMES[lang][k], exact=True).first.get_attribute("data-var") == k
    other = "en" if lang == "uk" else "uk"
    text = explorer["root"].inner_text()
    assert all(name not in text for name in NAMES[other].values())


def test_forward_and_gradient_told_apart_without_colour(explorer):
    page = explorer["page"]
    type_point(page, HOMEWORK)
    items = [it for it in shown(page) if it["svg"]]  # edge by edge: its forward value, then its gradient
    fwd, grad = items[0::2], items[1::2]
    assert len(fwd) == len(grad) >= 14
    assert all(it["key"].startswith("fwd.") and not it["italic"] and not it["text"].startswith("[") for it in fwd)
    assert all(it["key"].startswith("grad.") and it["italic"] and it["text"].startswith("[") and it["text"].endswith("]")
               for it in grad)
    for f, g in zip(fwd, grad):  # on the same edge (same centre, or same start on an input's edge), gradient below
        at = "left" if f["anchor"] == "start" else "cx"
        assert g["anchor"] == f["anchor"] and g[at] == pytest.approx(f[at], abs=2) and g["y"] > f["y"], (f, g)


def test_keyboard_moves_x_through_saturation_and_is_announced(explorer):
    page, lang = explorer["page"], explorer["lang"]
    type_point(page, {**HOMEWORK, "x0": 0.0})  # x = w1·x1 = −4: saturated
    live = page.locator('.bp-explorer [aria-live="polite"]')
    assert live.count() == 1
    before = page.locator(".bp-explorer .bp-mark-tanh").get_attribute("cx")
    # Tab from w1's number field to x1's slider, then its own field; arrow keys step it (the step is 1).
    page.locator('.bp-explorer input.bp-explorer__field[data-var="w1"]').focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "range"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.var") == "x1"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # x1 = 2: x = −2, out of saturation
    x = -2.0
    assert float(page.locator(".bp-explorer").get_attribute("data-x")) == x
    assert page.locator(".bp-explorer__verdict").get_attribute("data-saturated") == "false"
    after = page.locator(".bp-explorer .bp-mark-tanh").get_attribute("cx")
    assert float(after) > float(before)  # the marker on the tanh plot moved right with x
    expected_x = "\u22122"
    page.wait_for_function("([el, x]) => el.textContent.startsWith('x = ' + x)",
                           arg=[live.element_handle(), expected_x], timeout=3000)
    grad_w0 = float(page.locator('.bp-explorer [data-key="grad.w0"]').first.get_attribute("data-value"))
    message = live.inner_text()
    assert torch_expected({**HOMEWORK, "x0": 0.0, "x1": 2.0})["grad.w0"] == pytest.approx(grad_w0, rel=REL)
    wanted = {"uk": ("Без насичення", ","), "en": ("Not saturated", ".")}[lang]
    assert wanted[0] in message and "∂F/∂w₀ = " in message
    # The reset button is reachable by keyboard and brings back the homework's point.
    page.locator(".bp-explorer__reset").focus()
    page.keyboard.press("Enter")
    assert float(page.locator(".bp-explorer").get_attribute("data-x")) == -10.0
    assert page.locator(".bp-explorer__verdict").get_attribute("data-saturated") == "true"


def test_no_foreign_requests_and_contrast_in_the_pages_scheme(explorer):
    page, site = explorer["page"], explorer["site"]
    assert all(url.startswith(site.origin) for url in explorer["requests"]), explorer["requests"]
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert scheme == {"light": "default", "dark": "slate"}[explorer["scheme"]]
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate("""async () => {
      const r = await axe.run('.bp-explorer', {resultTypes: ['violations']});
      return r.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)]);
    }""")
    assert result == []
