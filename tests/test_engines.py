"""The site in Firefox and WebKit (Safari's engine), beside the Chromium checks: what differs between engines.

Chromium runs everything else (axe, screenshots, Lighthouse, the layout and reader checks: ``site_visits``). Here
Debian's firefox-esr and WebKitGTK (``tests/engines.py``) load every topic page, the glossary and one notebook page,
both languages, at 1280×800 and 390×844, once per page × width × language; that one load records (``record``):

- every table-of-contents entry clicked in turn: where its target lands (the heading, or the summary of the closed
  "deeper" block that holds it, where ``hooks/layout_cost.py`` points the entry), after the page settles;
- no sideways page scroll; display formulas and tables that fit the column or scroll in a focusable, labelled box;
  tables, inline code and printed output as on a phone they should be (cards, breaks between tokens, nothing cut);
  scripts (``msup``/``msub``) smaller than their base unless the engine's minimum font size stops them; inline
  formulas no taller than about two lines of text (``tests/layout.py`` MEASURE_JS, every block open);
- the figure zoom (first figure): opens whole, at the figure's own width or the screen's, and closes with Escape;
- every console error or warning.

Then fresh loads of the page at the two section links furthest down (``page/#id``). About three minutes per engine;
each engine is a unit of its own under ``pytest -n`` (``conftest.py``), so the two run side by side.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import pytest

from browser import SitePage, VIEWPORTS, site_pages
from layout import MEASURE_JS

ENGINES = ("firefox", "webkit")
LANDING_PX = 200          # a section link's target must end up within the top 200 px of the screen
FRESH_LOADS = 2           # per page, width and language: the section links furthest down, each a fresh load
PRELOAD_PAGE = "en/backprop/"  # a page that preloads the math font (overrides/main.html)


def chosen_pages(site) -> list[SitePage]:
    """Every topic page, the glossary and the backprop notebook page, in both languages."""
    from sitegen.topics import load as load_topics

    topics = {t.slug for t in load_topics()}
    keep = topics | {"glossary", "notebooks/backprop"}
    return [p for p in site_pages(site) if p.topic in keep]


# -- what one load records, in the page ---------------------------------------------------------------------------
# Wait until the target's position has not changed for 200 ms (at least 300 ms after the jump, at most 6 s).
SETTLE_JS = """async (id) => {
  const el = document.getElementById(id);
  if (!el) return {missing: true};
  const t0 = performance.now();
  let last = null, since = t0;
  while (performance.now() - t0 < 6000) {
    await new Promise(r => setTimeout(r, 100));
    const top = el.getBoundingClientRect().top;
    if (last === null || Math.abs(top - last) > 0.5) { last = top; since = performance.now(); }
    else if (performance.now() - since >= 200 && performance.now() - t0 >= 300) break;
  }
  const root = document.documentElement;
  return {top: Math.round(el.getBoundingClientRect().top), scrollY: Math.round(scrollY), height: root.scrollHeight,
          atBottom: scrollY + innerHeight >= root.scrollHeight - 2, vh: innerHeight};
}"""

# Every table-of-contents entry of the page (the laptop's sidebar, or the phone's drawer: the same links), clicked in
# document order, each landing measured once the page has settled. A click on a link does what a reader's tap does:
# the page's listeners run, then the browser follows the link.
TOC_JS = """async () => {
  const seen = new Set(), out = [];
  const links = [...document.querySelectorAll('.md-nav--secondary a.md-nav__link[href^="#"]')]
    .filter(a => !seen.has(a.getAttribute('href')) && seen.add(a.getAttribute('href')));
  const settle = """ + SETTLE_JS + """;
  for (const a of links) {
    const id = decodeURIComponent(a.getAttribute('href').slice(1));
    a.click();
    out.push({id, ...(await settle(id))});
  }
  return out;
}"""

# The furthest-down section links of the page: the last headings with an id (a heading in a closed block counts as
# its block, which the table of contents points at).
LAST_IDS_JS = """(n) => [...document.querySelectorAll('.md-nav--secondary a.md-nav__link[href^="#"]')]
  .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))
  .filter((id, i, all) => all.indexOf(id) === i).slice(-n)"""

# Inline formulas taller than about two lines of the text around them (a fraction set at display size doubles the line).
INLINE_MATH_JS = """() => {
  const tall = [];
  for (const m of document.querySelectorAll('.md-content math:not([display="block"])')) {
    if (!m.getClientRects().length) continue;
    const host = m.parentElement, cs = getComputedStyle(host);
    const line = cs.lineHeight === 'normal' ? 1.2 * parseFloat(cs.fontSize) : parseFloat(cs.lineHeight);
    const h = m.getBoundingClientRect().height;
    if (h > 2 * line) tall.push({tex: (m.getAttribute('alttext') || '').slice(0, 60), height: Math.round(h),
                                 line: Math.round(line)});
  }
  return tall;
}"""

# The engine's own minimum font size for math scripts: the size a script at a very deep level gets.
MIN_SCRIPT_JS = """() => {
  const box = document.createElement('div');
  box.innerHTML = '<math><msup><mi>x</mi><msup><mi>x</mi><msup><mi>x</mi><msup><mi>x</mi><mi>x</mi></msup></msup></msup></msup></math>';
  box.style.fontSize = '16px';
  document.body.append(box);
  const sizes = [...box.querySelectorAll('mi')].map(e => parseFloat(getComputedStyle(e).fontSize));
  box.remove();
  return Math.min(...sizes);
}"""

# The figure zoom: the first figure's link clicked; what the dialog shows.
ZOOM_OPEN_JS = """async () => {
  const a = [...document.querySelectorAll('.snippet-figure a')].find(a => a.getClientRects().length);
  if (!a) return null;
  const img = a.querySelector('img');
  const wide = img.closest('.snippet-figure').querySelector('img.snippet-figure__wide[src$="#only-light"]') || img;
  a.click();
  const shown = document.querySelector('dialog.figure-zoom img');
  for (let i = 0; i < 50 && !(shown.complete && shown.naturalWidth); i++) await new Promise(r => setTimeout(r, 100));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const r = shown.getBoundingClientRect();
  return {open: document.querySelector('dialog.figure-zoom').open, width: r.width, left: r.left, top: r.top,
          right: r.right, bottom: r.bottom, vw: innerWidth, vh: innerHeight,
          own: [+wide.getAttribute('width'), +wide.getAttribute('height')],
          src: shown.getAttribute('src').split('#')[0], wideSrc: wide.getAttribute('src').split('#')[0]};
}"""


# Straight to a heading far down (a scroll, not a link: no part is drawn for it), then where it is 2.5 s later.
SCROLLED_JS = """async () => {
  const h = [...document.querySelectorAll('article h2[id]')].at(-3);
  h.scrollIntoView();
  const before = h.getBoundingClientRect().top;
  await new Promise(r => setTimeout(r, 2500));
  return {id: h.id, before, after: h.getBoundingClientRect().top,
          undrawn: document.querySelectorAll('.cv-box:not(.cv-drawn)').length};
}"""


# Once the page has drawn its skipped parts (assets/parts.js), every formula or table that scrolls sideways has been
# marked by assets/a11y.js (a tab stop, a label, the fade) without any help: nothing opened, no resize. (MEASURE_JS
# below forces everything drawn and fires a resize, which would mark what a reader's page never did.)
UNMARKED_JS = """async () => {
  for (let i = 0; i < 100 && document.querySelector('.cv-box:not(.cv-drawn)'); i++)
    await new Promise(r => setTimeout(r, 100));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [...document.querySelectorAll('.md-content .math-display, .md-content .md-typeset__scrollwrap')]
    .filter(b => b.getClientRects().length && !b.closest('details:not([open])') && b.scrollWidth > b.clientWidth + 1)
    .filter(b => !(b.classList.contains('scrollbox') && b.tabIndex === 0 && b.getAttribute('aria-label')))
    .map(b => (b.querySelector('math')?.getAttribute('alttext') || b.querySelector('th')?.textContent || '').slice(0, 40));
}"""


@dataclass
class EngineVisit:
    engine: str
    page: SitePage
    width: str
    toc: list = field(default_factory=list)       # TOC_JS
    fresh: list = field(default_factory=list)     # SETTLE_JS after a fresh load at page/#id
    sideways: tuple = (0, 0)
    layout: dict = field(default_factory=dict)    # MEASURE_JS
    tall_inline: list = field(default_factory=list)
    unmarked: list = field(default_factory=list)   # UNMARKED_JS
    zoom: dict | None = None
    zoom_closed: bool | None = None
    console: list = field(default_factory=list)
    min_script: float = 0.0
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return f"{self.engine} {self.width} /{self.page.rel}"


def visit(tab, server, page: SitePage, width: str) -> EngineVisit:
    v = EngineVisit(tab.name, page, width)
    t0 = time.monotonic()
    tab.console()  # what an earlier page left
    url = server.url(page.rel)
    tab.goto(url)
    v.sideways = tuple(tab.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"))
    v.toc = tab.evaluate(TOC_JS, timeout=180)
    last = tab.evaluate(LAST_IDS_JS, FRESH_LOADS)
    tab.goto(url)
    zoom = tab.evaluate(ZOOM_OPEN_JS)
    if zoom:
        v.zoom = zoom
        tab.press("Escape")
        v.zoom_closed = not tab.evaluate("() => document.querySelector('dialog.figure-zoom').open")
    v.unmarked = tab.evaluate(UNMARKED_JS, timeout=30)
    v.min_script = tab.evaluate(MIN_SCRIPT_JS)
    v.layout = tab.evaluate(MEASURE_JS, timeout=60)
    v.tall_inline = tab.evaluate(INLINE_MATH_JS)
    for n, id_ in enumerate(last):
        # A query string makes each a fresh load (a new document), not a jump within the loaded one.
        tab.goto(f"{url}?fresh={n}#{id_}")
        v.fresh.append({"id": id_, **tab.evaluate(SETTLE_JS, id_)})
    v.console = tab.console()
    v.seconds = time.monotonic() - t0
    return v


@pytest.fixture(scope="module", params=ENGINES)
def engine_visits(request, built_site, site_server):
    """{(width, rel): EngineVisit} of one engine: every chosen page, both languages, at both widths."""
    from engines import launch

    pages = chosen_pages(built_site.site)
    out = {}
    with launch(request.param) as tab:
        for width, size in VIEWPORTS.items():
            tab.set_viewport(size["width"], size["height"])
            for page in pages:
                out[(width, page.rel)] = visit(tab, site_server, page, width)
        # A reader who scrolls far down right after the load, before the parts above are drawn: what is on screen
        # stays put while they are drawn (assets/parts.js; WebKit has no scroll anchoring of its own).
        tab.goto(site_server.url(PRELOAD_PAGE))
        out["scrolled"] = tab.evaluate(SCROLLED_JS)
        # Firefox reports a preloaded resource not used 10 s after the preload: one page with the math font
        # preloaded, left alone for that long (a warning shows up in the next console() read).
        tab.console()
        tab.goto(site_server.url(PRELOAD_PAGE))
        assert tab.evaluate("() => !!document.querySelector('link[rel=preload][as=font]')"), PRELOAD_PAGE
        time.sleep(10.5)
        out["preload"] = tab.console()
    if os.environ.get("ENGINE_TIMES"):
        for v in out.values():
            if not isinstance(v, EngineVisit):
                continue
            print(f"{v.name}: {v.seconds:.1f} s")
    return out


def pages_of(engine_visits) -> list[EngineVisit]:
    return [v for v in engine_visits.values() if isinstance(v, EngineVisit)]


def test_every_page_was_visited_in_both_languages_at_both_widths(engine_visits):
    langs = {(v.width, v.page.lang) for v in pages_of(engine_visits)}
    assert langs == {(w, lang) for w in VIEWPORTS for lang in ("uk", "en")}
    assert len(pages_of(engine_visits)) >= 2 * 2 * 6


def test_section_links_land_at_the_top_of_the_screen(engine_visits):
    """Every TOC entry clicked within one load, and fresh loads at the furthest-down #links: the target within the
    top 200 px once the page has settled (a target near the page's end may sit lower: the page cannot scroll past
    its end, so the target must then be on screen and the page scrolled to its bottom)."""
    bad = []
    for v in pages_of(engine_visits):
        assert v.toc, f"{v.name}: no table of contents"
        for how, landings in (("toc", v.toc), ("fresh", v.fresh)):
            for x in landings:
                if x.get("missing"):
                    bad.append((v.name, how, x["id"], "no such id"))
                elif not (0 <= x["top"] <= LANDING_PX or x["atBottom"] and 0 <= x["top"] < x["vh"] - 40):
                    bad.append((v.name, how, x["id"], x["top"]))
    assert not bad, f"{len(bad)} section links land away from the top of the screen: {bad[:20]}"


def test_no_sideways_page_scroll(engine_visits):
    wide = {v.name: v.sideways for v in pages_of(engine_visits) if v.sideways[0] > v.sideways[1]}
    assert not wide, wide


def test_formulas_and_tables_fit_or_scroll_in_a_labelled_box(engine_visits):
    """As tests/test_layout.py in Chromium: on a laptop nothing wider than the column; on a phone every display
    formula fits, and a table or listing that does not scrolls in a focusable, labelled box that shows its cut."""
    bad = []
    for v in pages_of(engine_visits):
        wide = v.layout["wide"] if v.width == "laptop" else [w for w in v.layout["wide"] if w["what"].startswith("math")]
        bad += [(v.name, w) for w in wide]
        bad += [(v.name, b) for b in v.layout["boxes"]
                if b["tabindex"] < 0 or not b["label"] or not b["role"] or not b["cue"]]
    assert not bad, bad[:10]


def test_boxes_that_scroll_are_marked_as_the_page_draws_them(engine_visits):
    unmarked = {v.name: v.unmarked for v in pages_of(engine_visits) if v.unmarked}
    assert not unmarked, unmarked


def test_tables_code_and_printed_output_fit(engine_visits):
    """As tests/test_layout.py in Chromium (issue 28): no table, its scroll wrapper or a cell overflows sideways; on a
    phone each table the build marks (hooks/phone.py) is drawn as cards, at a laptop's width none is; inline code
    breaks only at a space or after an operator or punctuation; printed output wraps, nothing of it cut."""
    bad = []
    for v in pages_of(engine_visits):
        m = v.layout
        bad += [(v.name, t) for t in m["tables"] if t["over"] > 0 or t["cards"] != (t["marked"] and v.width == "phone")]
        bad += [(v.name, c) for c in m["codeBreaks"]]
        bad += [(v.name, o) for o in m["outputs"] if o["over"] > 1]
    assert not bad, bad[:10]
    assert any(t["cards"] for v in pages_of(engine_visits) for t in v.layout["tables"])


def test_scripts_are_smaller_than_their_base(engine_visits):
    """Unless the engine's own minimum font size stops them: a script at that minimum may equal a base as small."""
    bad = []
    for v in pages_of(engine_visits):
        for s in v.layout["scripts"]:
            at_minimum = s["script"] <= v.min_script + 0.01 and s["base"] <= v.min_script + 0.01
            if not at_minimum:
                bad.append((v.name, s))
    assert not bad, bad[:10]


def test_inline_formulas_are_at_most_two_lines_tall(engine_visits):
    tall = {v.name: v.tall_inline for v in pages_of(engine_visits) if v.tall_inline}
    assert not tall, tall


def test_figure_zoom_opens_whole_at_its_own_or_the_screens_width_and_escape_closes_it(engine_visits):
    zoomed = [v for v in pages_of(engine_visits) if v.zoom]
    assert len(zoomed) >= 8, "figures on the topic pages"
    for v in zoomed:
        z = v.zoom
        assert z["open"], v.name
        assert z["src"] == z["wideSrc"], (v.name, z)
        # at its own width, or nearly the screen's (a dialog's margins and padding aside)
        fit = min(z["own"][0], 0.8 * z["vw"], 0.8 * z["vh"] * z["own"][0] / z["own"][1])
        assert fit - 1 <= z["width"] <= z["own"][0] + 1, (v.name, z)
        assert z["left"] >= 0 and z["top"] >= 0 and z["right"] <= z["vw"] and z["bottom"] <= z["vh"], (v.name, z)
        assert v.zoom_closed, f"{v.name}: Escape left the zoom open"


RO_LOOP = "ResizeObserver loop completed with undelivered notifications"


def test_no_console_errors_or_warnings(engine_visits):
    """Nothing, but at most one "ResizeObserver loop" report per load in Firefox. Its source: Material's bundle has
    the only ResizeObserver (on the header, main and body); when a jump lands while skipped parts are still being
    drawn (the first second or two after a load, assets/parts.js), a part drawn by the browser changes main's size
    after the frame's observations were delivered, and the spec defers them to the next frame (nothing is lost), with
    this report. Once the parts are drawn, it does not occur (before, it came at every jump: 2-10 per page)."""
    noisy, loops = {}, {}
    for v in pages_of(engine_visits):
        other = [line for line in v.console if RO_LOOP not in line]
        if other:
            noisy[v.name] = other
        n = len(v.console) - len(other)
        if n > 1 + len(v.fresh) or (n and v.engine != "firefox"):
            loops[v.name] = n
    assert not noisy, noisy
    assert not loops, f"ResizeObserver loop reports beyond one per load: {loops}"


def test_the_preloaded_math_font_is_used(engine_visits):
    """Firefox warns when a preloaded font is not used within 10 s of its preload (it was, on most loads: the math
    of a topic page lay in parts the browser skipped); assets/parts.js draws every part once the page is idle."""
    assert not engine_visits["preload"], engine_visits["preload"]


def test_what_is_on_screen_stays_put_while_the_parts_above_are_drawn(engine_visits):
    s = engine_visits["scrolled"]
    assert s["undrawn"] == 0, s
    assert abs(s["after"] - s["before"]) < 40, s
