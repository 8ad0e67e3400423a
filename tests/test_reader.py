"""What a reader looks at and touches (issue 16), in Chromium at a laptop's 1280×800 and a phone's 390×844, both
languages: figure text as drawn, decimal commas in Ukrainian figures, no sideways scroll, the explorer's number
fields and labels, figures that open larger, the home page's topic cards.

Screenshots of the home, backprop and a notebook page at both widths go to ``$TMPDIR/dl-basics-screenshots``.
"""

from __future__ import annotations

import itertools
import math
import random
import re

import pytest

from browser import READER_SHOTS, SCREENSHOTS, SiteServer, load_all_images, site_prefix, url_to_rel
from sitegen.checks import FIGURE_MIN_PX, svg_text_sizes
from sitegen.topics import load as load_topics
from snippets.backprop._graph import INPUTS, autograd

pytestmark = pytest.mark.browser

WIDTHS = {"laptop": (1280, 800), "phone": (390, 844)}
MIN_PX = FIGURE_MIN_PX  # smallest figure text as drawn, CSS px: the build checks the same (sitegen/checks.py)
TOPICS = load_topics()
LANG_PREFIX = {"uk": "", "en": "en/"}


def pages_of(lang: str) -> list[str]:
    p = LANG_PREFIX[lang]
    return [f"{p}{t.slug}/" for t in TOPICS] + [f"{p}notebooks/{t.id}/" for t in TOPICS] + [f"{p}sample/", p]


@pytest.fixture(scope="module")
def server(built_site):
    with SiteServer(built_site.site, site_prefix(built_site.site)) as s:
        yield s


@pytest.fixture(scope="module", params=sorted(WIDTHS))
def tab(request, chromium):
    width, height = WIDTHS[request.param]
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.width_name = request.param
    yield page
    context.close()


def reader_visits(site_visits, width: str) -> dict[str, object]:
    """The session's light load of each page of ``pages_of`` at ``width`` (``site_visits``: every image loaded, every
    ``<details>`` open for the figures; the sideways scroll read as loaded, nothing opened)."""
    found = {rel: site_visits[(width, "light", rel)] for lang in LANG_PREFIX for rel in pages_of(lang)}
    assert all(v.status == 200 for v in found.values()), {rel: v.status for rel, v in found.items()}
    return found


# -- figures ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_smallest_figure_text_as_drawn(site_visits, site_server, built_site, width):
    """Every displayed figure, per width: its smallest SVG text times the scale it is drawn at."""
    report, seen = [], 0
    for rel, visit in reader_visits(site_visits, width).items():
        for fig in visit.figures:
            path = url_to_rel(fig["src"], site_server)
            view_w, sizes = svg_text_sizes((built_site.site / path).read_text(encoding="utf-8"))
            if not sizes:
                continue
            drawn = min(sizes) * fig["width"] / view_w
            seen += 1
            report.append((round(drawn, 1), rel, path))
    low = sorted(r for r in report if r[0] < MIN_PX[width])
    print(f"\n{width}: smallest figure text per figure (CSS px):\n  " +
          "\n  ".join(f"{px:5.1f}  {path}  on /{rel}" for px, rel, path in sorted(set(report))))
    assert seen >= 8, report
    assert not low, f"{width}: figure text under {MIN_PX[width]} CSS px: {low}"


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_phone_gets_the_narrow_variant_and_laptop_the_wide(site_visits, width):
    srcs = [f["src"] for f in site_visits[(width, "light", "backprop/")].figures]
    narrow = [s for s in srcs if "_narrow." in s]
    if width == "phone":
        assert any("graph_narrow." in s for s in narrow), srcs
    else:
        assert srcs and not narrow, srcs


def test_every_ukrainian_figure_writes_decimal_commas(built_site):
    """The text of every Ukrainian SVG (axes, ticks, labels): no decimal point between digits."""
    figures = sorted((built_site.site / "_figures").rglob("*.svg"))
    assert len(figures) >= 16
    for svg in figures:
        texts = re.findall(r"<text[^>]*>(.*?)</text>", svg.read_text(encoding="utf-8"), re.S)
        text = " ".join(re.sub(r"<[^>]+>", "", t) for t in texts)
        assert not re.search(r"\d\.\d", text), (svg, re.findall(r"\S*\d\.\d\S*", text))
        assert "-" not in re.sub(r"[^\d\s-]", " ", text).replace(" - ", " "), (svg, "a hyphen for a minus")


ZOOM_JS = """() => { const i = document.querySelector('dialog.figure-zoom img'), r = i.getBoundingClientRect();
  return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, src: i.getAttribute('src'),
          vw: innerWidth, vh: innerHeight, done: i.complete && i.naturalWidth > 0}; }"""


def test_a_figure_opens_whole_at_its_own_size_or_the_screens(tab, server):
    """The zoom shows the figure's wide variant, uncropped: as wide as the figure's own size (the SVG's, written on
    the <img> at build time) or as the screen allows, whichever is smaller; Escape and a click outside close it."""
    tab.goto(server.url("en/backprop/"))
    load_all_images(tab)  # a lazy image not loaded yet has no size: it would never count as visible
    img = tab.locator(".snippet-figure img:visible").first
    img.scroll_into_view_if_needed()
    own = tab.evaluate("""() => { const i = document.querySelector('.snippet-figure img:not(.snippet-figure__narrow)');
        return [+i.getAttribute('width'), +i.getAttribute('height'), i.getAttribute('src').split('#')[0]]; }""")
    assert own[0] > 200 and own[1] > 100, own
    for close in ("Escape", "outside"):
        img.click()
        dialog = tab.locator("dialog.figure-zoom")
        assert dialog.is_visible()
        tab.wait_for_function("document.querySelector('dialog.figure-zoom img').complete")
        z = tab.evaluate(ZOOM_JS)
        assert z["src"].split("#")[0] == own[2], (z, own)          # the wide variant, whatever the page shows
        assert z["left"] >= 0 and z["top"] >= 0 and z["right"] <= z["vw"] and z["bottom"] <= z["vh"], z  # uncropped
        fit = min(own[0], 0.8 * z["vw"], 0.8 * z["vh"] * own[0] / own[1])  # its own width, or nearly the screen's
        assert z["width"] >= fit - 1 and z["width"] <= own[0] + 1, (z, own, fit)
        if close == "Escape":
            tab.keyboard.press("Escape")
        else:
            tab.mouse.click(3, z["vh"] - 3)
        assert not dialog.is_visible()


# -- pages ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_no_sideways_scroll_on_topic_and_notebook_pages(site_visits, width):
    wide = {rel: v.sideways for rel, v in reader_visits(site_visits, width).items() if v.sideways[0] > v.sideways[1]}
    assert not wide, f"{width}: pages wider than the screen: {wide}"


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_screenshots_at_both_widths(site_visits, width):
    """Taken in the session's load of each page (``site_visits``), as a reader first sees it, every image loaded."""
    for rel in READER_SHOTS:
        assert site_visits[(width, "light", rel)].status == 200
        name = (rel.strip("/").replace("/", "-") or "home") + f"-{width}.png"
        assert (SCREENSHOTS / name).stat().st_size > 10_000


@pytest.mark.parametrize("lang", sorted(LANG_PREFIX))
def test_home_links_to_every_topic_its_notebook_and_the_explorer(tab, server, lang):
    tab.goto(server.url(LANG_PREFIX[lang]))
    cards = tab.locator(".grid.cards > ul > li")
    assert cards.count() == len(TOPICS) + 1
    raw = cards.evaluate_all("els => els.flatMap(li => [...li.querySelectorAll('a')].map(a => a.href))")
    hrefs = [url_to_rel(h, server) for h in raw]
    p = LANG_PREFIX[lang]
    for t in TOPICS:
        assert f"{p}{t.slug}/" in hrefs, (t.slug, hrefs)
        assert f"{p}notebooks/{t.id}/" in hrefs, (t.id, hrefs)
        card = cards.filter(has_text=t.summary[lang])
        assert card.count() == 1 and card.locator("img:visible").count() == 1, t.id
    assert server.url(f"{p}backprop/#explorer") in raw, raw
    # The site title once in the sidebar: its title bar, not again as the home page's entry.
    title = tab.evaluate("document.querySelector('.md-nav--primary > .md-nav__title').textContent.trim()")
    entries = tab.locator(".md-nav--primary .md-nav__link").all_inner_texts()
    assert sum(title in e for e in entries) == 0, (title, entries)


@pytest.mark.parametrize("lang", sorted(LANG_PREFIX))
def test_backprop_page_links_to_its_explorer_at_the_top(tab, server, lang):
    tab.goto(server.url(f"{LANG_PREFIX[lang]}backprop/"))
    first = tab.locator("article h2").first.evaluate("h => h.getBoundingClientRect().top")
    link = tab.locator('article a[href="#explorer"]').first
    assert link.evaluate("a => a.getBoundingClientRect().top") < first


# -- the explorer -----------------------------------------------------------------------------------------------
def torch_values(point: dict) -> dict[str, float]:
    t = autograd(point, dtype=__import__("torch").float64)
    return {f"fwd.{k}": v for k, v in t["fwd"].items()} | {f"grad.{k}": v for k, v in t["grad"].items()}


def open_explorer(tab, server, lang):
    tab.goto(server.url(f"{LANG_PREFIX[lang]}backprop/"))
    tab.wait_for_selector(".bp-explorer--ready")
    return tab.locator(".bp-explorer")


def fields(tab):
    return {k: tab.locator(f'.bp-explorer input.bp-explorer__field[data-var="{k}"]') for k in INPUTS}


@pytest.mark.parametrize("lang", sorted(LANG_PREFIX))
def test_explorer_takes_commas_points_and_both_minus_signs(tab, server, lang):
    open_explorer(tab, server, lang)
    f = fields(tab)
    for k in INPUTS:
        assert f[k].get_attribute("type") == "text" and f[k].get_attribute("inputmode") == "decimal"
    # The homework's point as the page writes it: U+2212 minus; a decimal comma only in Ukrainian.
    shown = {k: f[k].input_value() for k in INPUTS}
    assert all("-" not in v for v in shown.values()), shown
    assert "\u2212" in shown["x0"]
    typed = {"w0": "0,5", "x0": "\u22122", "w1": "-2", "x1": "0.75"}
    for k, text in typed.items():
        f[k].fill("")
        f[k].press_sequentially(text)
    point = {"w0": 0.5, "x0": -2.0, "w1": -2.0, "x1": 0.75}
    want = torch_values(point)
    got = tab.locator(".bp-explorer [data-key]").evaluate_all(
        "els => els.map(e => [e.dataset.key, Number(e.dataset.value)])")
    for key, value in got:
        if key in want:
            assert math.isclose(value, want[key], rel_tol=1e-12, abs_tol=1e-300), (key, value, want[key])
    assert all(f[k].get_attribute("aria-invalid") is None for k in INPUTS)
    assert not tab.locator(".bp-explorer__error").is_visible()
    # The slider follows the typed value (0,5 is 0.5, not 5).
    assert tab.locator('.bp-explorer input[type="range"][data-var="w0"]').input_value() == "0.5"


@pytest.mark.parametrize("lang", sorted(LANG_PREFIX))
def test_explorer_refuses_what_is_not_a_number_visibly(tab, server, lang):
    open_explorer(tab, server, lang)
    f = fields(tab)
    before = tab.locator(".bp-explorer").get_attribute("data-x")
    for bad in ("0,5,1", "abc", "1.2.3", "--2", ""):
        f["w0"].fill(bad)
        assert f["w0"].get_attribute("aria-invalid") == "true", bad
        error = tab.locator(".bp-explorer__error")
        assert error.is_visible() and error.inner_text().strip(), bad
        assert tab.locator(".bp-explorer").get_attribute("data-x") == before, bad  # nothing silently computed


@pytest.mark.parametrize("lang", sorted(LANG_PREFIX))
def test_explorer_explains_overflow_instead_of_nan(tab, server, lang):
    open_explorer(tab, server, lang)
    f = fields(tab)
    for k, v in {"w0": "100", "x0": "4", "w1": "0", "x1": "0"}.items():  # x = 400: exp(800) overflows float64
        f[k].fill(v)
    assert math.isnan(torch_values({"w0": 100.0, "x0": 4.0, "w1": 0.0, "x1": 0.0})["fwd.F"])  # the staged graph too
    text = tab.locator(".bp-explorer").inner_text()
    assert "NaN" not in text
    verdict = tab.locator(".bp-explorer__verdict").inner_text()
    assert "exp(2x)" in verdict and "float64" in verdict, verdict


def test_explorer_status_line_is_visually_hidden_and_layout_fits(tab, server):
    open_explorer(tab, server, "uk")
    live = tab.locator('.bp-explorer [role="status"]')
    box = live.bounding_box()
    assert box is None or (box["width"] <= 1 and box["height"] <= 1)
    width = tab.viewport_size["width"]
    root = tab.locator(".bp-explorer").bounding_box()
    assert root["x"] >= 0 and root["x"] + root["width"] <= width
    for part in (".bp-explorer__inputs", ".bp-explorer__plot", ".bp-explorer__graph"):
        b = tab.locator(part).bounding_box()
        assert b["x"] + b["width"] <= width + 0.5, part
    if tab.width_name == "phone":  # stacked: inputs, then the plot, then the graph
        ys = [tab.locator(p).bounding_box()["y"] for p in (".bp-explorer__inputs", ".bp-explorer__plot",
                                                            ".bp-explorer__graph")]
        assert ys == sorted(ys)
    # The graph fits its column (nothing to scroll sideways) and its smallest text, as drawn, is legible.
    graph = tab.evaluate("""() => { const g = document.querySelector('.bp-explorer__graph'),
        svg = g.querySelector('svg'), k = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * k);
        return {overflow: g.scrollWidth - g.clientWidth, smallest: Math.min(...sizes)}; }""")
    assert graph["overflow"] <= 0, graph
    assert graph["smallest"] >= 11, graph


OVERLAP_JS = """(points) => {
  const root = document.querySelector('.bp-explorer');
  const fields = {}; root.querySelectorAll('input.bp-explorer__field').forEach(f => fields[f.dataset.var] = f);
  const bad = [];
  for (const p of points) {
    for (const k in p) { fields[k].value = String(p[k]); fields[k].dispatchEvent(new Event('input')); }
    for (const svg of root.querySelectorAll('svg')) {
      const boxes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
        const b = t.getBBox(); return {t: t.textContent, x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height}; });
      const vb = svg.viewBox.baseVal;
      for (const b of boxes) if (b.x0 < vb.x - 0.5 || b.x1 > vb.x + vb.width + 0.5) bad.push([p, 'clipped', b.t]);
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.x0 < b.x1 - 0.5 && b.x0 < a.x1 - 0.5 && a.y0 < b.y1 - 0.5 && b.y0 < a.y1 - 0.5) bad.push([p, a.t, b.t]);
      }
    }
  }
  return bad;
}"""


def test_explorer_labels_never_overlap(tab, server, built_site):
    """At the build's reference points, every corner of the sliders' range and 200 points from a fixed seed."""
    open_explorer(tab, server, "uk")
    import html as _html
    import json
    page = (built_site.site / "backprop" / "index.html").read_text(encoding="utf-8")
    refs = json.loads(_html.unescape(re.search(r'data-reference="([^"]*)"', page)[1]))
    points = [r["inputs"] for r in refs]
    points += [dict(zip(INPUTS, c)) for c in itertools.product((-5, 5), repeat=4)]
    rng = random.Random(16)
    points += [{k: round(rng.uniform(-5, 5) / 0.25) * 0.25 for k in INPUTS} for _ in range(200)]
    bad = tab.evaluate(OVERLAP_JS, points)
    assert not bad, f"{len(bad)} overlaps, first: {bad[:5]}"
