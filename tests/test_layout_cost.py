"""What a page costs the browser as it loads (``hooks/layout_cost.py``): code listings with fewer nodes and their
colours kept; off-screen parts skipped until scrolled to, with heading anchors, the table of contents following the
scroll (``toc.follow``), the footer and axe's colour check working as on a page drawn whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import SiteServer, site_prefix

pytestmark = pytest.mark.browser

NOTEBOOK = "en/notebooks/backprop/"


@pytest.fixture(scope="module")
def tab(chromium, built_site):
    with SiteServer(built_site.site, site_prefix(built_site.site)) as server:
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.base = server.url("")
        yield page
        context.close()


# What the parts looked like when the load event fired (before assets/parts.js draws them when idle): whether each
# was drawn (checkVisibility is false for what lies inside a part the browser skips) and had Material's copy button.
# (A part's first child may be hidden for its own reasons, a notebook cell's collapser: any drawn child counts.)
DRAWN = "[...e.children].some(c => c.checkVisibility({contentVisibilityAuto: true}))"
AT_LOAD = """addEventListener('load', () => { window.__atLoad = [...document.querySelectorAll('.cv-box')].map(e =>
  [""" + DRAWN + """, !!e.querySelector('.md-code__button')]); });"""


@pytest.mark.parametrize("page", ["backprop/", NOTEBOOK])
def test_off_screen_parts_are_skipped_at_load_and_drawn_when_idle_then_the_height_holds(tab, page):
    """hooks/layout_cost.py marks the sections of a topic page and the listings of a notebook page (``.cv-box``,
    ``content-visibility: auto``): at load the browser skips those far below the screen; once the page is idle,
    assets/parts.js draws them all, and from then on the page's height does not change while the reader scrolls
    through it (the scrollbar keeps its length)."""
    tab.add_init_script(AT_LOAD)
    tab.goto(tab.base + page, wait_until="load")
    tab.wait_for_function("window.__atLoad")
    at_load = tab.evaluate("window.__atLoad")
    assert len(at_load) >= 5 and [shown for shown, _ in at_load].count(False) >= 3, at_load
    if page == NOTEBOOK:  # Material mounts a listing's copy button as it comes into view (feature content.lazy)
        assert not any(button for shown, button in at_load if not shown), at_load
    tab.wait_for_function("[...document.querySelectorAll('.cv-box')].every(e => e.classList.contains('cv-drawn')"
                          " && (e.closest('details:not([open])') || " + DRAWN + "))", timeout=10000)
    heights = tab.evaluate("""async () => {
      const seen = [];
      for (let y = 0; y <= document.documentElement.scrollHeight; y += innerHeight / 2) {
        window.scrollTo(0, y);
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        seen.push(document.documentElement.scrollHeight);
      }
      return seen;
    }""")
    assert max(heights) - min(heights) <= 1, heights
    if page == NOTEBOOK:
        listing = tab.evaluate("[...document.querySelectorAll('.cv-box')].map(e => e.matches('.jp-Cell-inputWrapper'))")
        skipped = [i for i, (shown, _) in enumerate(at_load) if not shown and listing[i]]
        listings = "document.querySelectorAll('.cv-box')"
        tab.evaluate(f"{listings}[{skipped[-1]}].scrollIntoView()")
        tab.wait_for_function(f"{listings}[{skipped[-1]}].querySelector('.md-code__button')", timeout=5000)


def test_a_toc_entry_of_a_closed_block_opens_the_block(tab):
    """hooks/layout_cost.py points the table of contents' entries for headings inside a closed "deeper" block at the
    block (Material's toc.follow reads every target's position at load; a heading inside the closed block made the
    browser lay the hidden block out). Clicked, such an entry opens the block, with the heading in view."""
    tab.goto(tab.base + "en/backprop/", wait_until="load")
    entries = tab.evaluate("[...document.querySelectorAll('.md-sidebar--secondary a.md-nav__link')]"
                           ".map(a => [a.getAttribute('href'), a.textContent.trim()])"
                           ".filter(([h]) => document.getElementById(h.slice(1)).tagName === 'DETAILS')")
    assert entries, "no entry leads to a closed block"
    href, text = entries[0]
    block = f"document.getElementById('{href[1:]}')"
    assert not tab.evaluate(f"{block}.open")
    heading = tab.evaluate(f"[...{block}.querySelectorAll('h2,h3,h4')].find(h => h.textContent.trim().startsWith("
                           f"{text[:20]!r})).id")
    tab.locator(f".md-sidebar--secondary a.md-nav__link[href='{href}']", has_text=text).first.click()
    tab.wait_for_function(f"{block}.open", timeout=5000)
    tab.wait_for_timeout(500)
    top = tab.evaluate(f"document.getElementById('{heading}').getBoundingClientRect().top")
    assert 0 <= top < 800, top


def test_no_skipped_part_is_taller_than_its_estimate(chromium, built_site):
    """Until it is drawn, a skipped part keeps the height hooks/layout_cost.py estimated for it (``--cv-h``). Drawn,
    with its images loaded and fonts in, none is taller than that, on every page, at a small phone's width (320 px:
    the narrowest column makes every part its tallest; the estimates assume 358 px and keep a margin): what a script measures inside a skipped part (axe's colour check, Lighthouse's too) never lies
    over what follows it, and parts only get shorter as they are drawn."""
    from tests.browser import site_pages

    rels = [p.rel for p in site_pages(built_site.site)]
    too_short = []
    with SiteServer(built_site.site, site_prefix(built_site.site)) as server:
        context = chromium.new_context(viewport={"width": 320, "height": 700})
        tab = context.new_page()
        try:
            for rel in rels:
                tab.goto(server.url(rel), wait_until="load")
                boxes = tab.evaluate("""async () => {
                  await document.fonts.ready;
                  const s = document.createElement('style');
                  s.textContent = '.cv-box { content-visibility: visible !important; }';
                  document.head.append(s);
                  await Promise.all([...document.images].map(i => { i.loading = 'eager'; return i.decode().catch(() => 0); }));
                  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                  return [...document.querySelectorAll('.cv-box')].map(e => [
                    e.getBoundingClientRect().height, parseFloat(e.style.getPropertyValue('--cv-h')),
                    (e.previousElementSibling?.id || e.querySelector('pre')?.textContent || '').slice(0, 40)]); }""")
                too_short += [f"{rel} {where!r}: drawn {real:.0f}px, estimated {est:.0f}px"
                              for real, est, where in boxes if real > est]
        finally:
            context.close()
    assert not too_short, "\n".join(too_short)


def test_a_notebook_page_has_few_nodes_per_code_token(built_site):
    """Each listing keeps its colours with about one node per coloured run: the page's nodes against the number of
    code tokens Pygments makes of its code (an independent count)."""
    import html as _html
    import re as _re

    from pygments.lexers import PythonLexer

    page = (built_site.site / NOTEBOOK / "index.html").read_text(encoding="utf-8")
    codes = _re.findall(r'<div class="highlight"><pre>(.*?)</pre>', page, _re.S)
    assert codes
    text = "".join(_html.unescape(_re.sub(r"<[^>]+>", "", c)) for c in codes)
    tokens = sum(1 for _, v in PythonLexer().get_tokens(text) if v.strip())
    spans = sum(c.count("<span") for c in codes)
    assert spans < 0.35 * tokens, (spans, tokens)


def test_code_tokens_share_a_span_only_where_material_colours_them_alike():
    """hooks/layout_cost.py's groups, read back from Material's own stylesheets: in the light scheme (main) and the
    dark one (palette, slate), every class of a group resolves to one colour, and a dropped class to the code's own."""
    import glob
    import re as _re

    import material

    from hooks.layout_cost import PLAIN, SAME_COLOUR

    base = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    main = Path(glob.glob(str(base / "main.*.min.css"))[0]).read_text(encoding="utf-8")
    palette = Path(glob.glob(str(base / "palette.*.min.css"))[0]).read_text(encoding="utf-8")
    rule = {}  # token class -> the CSS value of its colour
    for m in _re.finditer(r"((?:\.highlight \.[a-z0-9]+,?)+)\{color:([^;}]+)[;}]", main):
        for cls in _re.findall(r"\.highlight \.([a-z0-9]+)", m.group(1)):
            rule[cls] = m.group(2)

    def value(var, css):
        found = _re.findall(_re.escape(var) + r":([^;}]+)", css)
        return found[-1] if found else None

    slate = palette[palette.index('[data-md-color-scheme=slate]'):]
    for css in (main, slate):
        def colour(cls):
            v = rule.get(cls)
            m = _re.fullmatch(r"var\((--md-code-hl-[a-z]+-color)\)", v or "")
            return value(m.group(1), css) or value(m.group(1), main) if m else v

        for first, members in SAME_COLOUR.items():
            assert len({colour(c) for c in members}) == 1, (first, {c: colour(c) for c in members})
        # Dropped: the code's own colour or no rule, except operators and punctuation, recoloured on purpose.
        for cls in set(PLAIN) - {"o", "ow", "p"}:
            assert colour(cls) in (None, "var(--md-code-fg-color)"), (cls, colour(cls))


@pytest.mark.parametrize("page", ["en/batchnorm/", NOTEBOOK])
def test_a_heading_anchor_scrolls_to_the_heading_and_the_toc_follows(tab, page):
    tab.goto(tab.base + page, wait_until="load")
    # Headings a reader can reach by scrolling (not inside a closed "deeper" block) with at least a screen and a half
    # of page below them, so the page can scroll them to the top (the last short sections cannot get there),
    # measured with every part drawn (a skipped part is as tall as its estimate, an upper bound).
    tab.add_style_tag(content=".cv-box { content-visibility: visible !important; }")
    ids = tab.evaluate("[...document.querySelectorAll('article :is(h2,h3)[id]')]"
                       ".filter(h => !h.closest('details:not([open])'))"
                       ".filter(h => document.documentElement.scrollHeight - (h.getBoundingClientRect().top"
                       " + scrollY) > 1.5 * innerHeight).map(h => h.id)")
    target = ids[-1]  # near the end: every body above it was skipped at load
    tab.goto(tab.base + page + "#" + target, wait_until="load")
    tab.wait_for_timeout(500)
    top = tab.evaluate(f"document.getElementById('{target}').getBoundingClientRect().top")
    assert 0 <= top < 200, f"#{target} is at {top}px, not at the top of the viewport"
    tab.wait_for_function(f"(() => {{ const a = document.querySelector('.md-nav--secondary .md-nav__link--active');"
                          f" return a && a.getAttribute('href') === '#{target}'; }})()", timeout=5000)
    # Scrolling back to the first section moves the highlight with it.
    first = ids[0]
    tab.evaluate(f"document.getElementById('{first}').scrollIntoView()")
    tab.wait_for_function(f"(() => {{ const a = document.querySelector('.md-nav--secondary .md-nav__link--active');"
                          f" return a && a.getAttribute('href') === '#{first}'; }})()", timeout=5000)


@pytest.mark.parametrize("rel", ["en/glossary/", "en/notebooks/backprop/", "notebooks/conv/"])
def test_the_end_of_the_page_stays_put_and_passes_colour_contrast_at_a_phones_width(chromium, built_site, rel):
    """Jumping to the footer lays nothing out under it (the last sections are never skipped), so the footer does not
    move while it is read, and axe's colour-contrast check (Lighthouse's, at 412 px) finds its real background."""
    from pathlib import Path

    axe = (Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js").read_text()
    with SiteServer(built_site.site, site_prefix(built_site.site)) as server:
        context = chromium.new_context(viewport={"width": 412, "height": 823})
        tab = context.new_page()
        try:
            tab.goto(server.url(rel), wait_until="load")
            moved = tab.evaluate("""async () => {
                const f = document.querySelector('.md-footer-meta');
                f.scrollIntoView();
                const before = f.getBoundingClientRect().top;
                await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                await new Promise(r => setTimeout(r, 300));
                return Math.abs(f.getBoundingClientRect().top - before);
            }""")
            tab.evaluate("window.scrollTo(0, 0)")
            tab.add_script_tag(content=axe)
            violations = tab.evaluate("async () => (await axe.run(document, {runOnly: ['color-contrast']}))"
                                      ".violations.map(v => v.nodes.map(n => n.html + ' ' + n.failureSummary))")
        finally:
            context.close()
    if "notebooks/" not in rel:  # nbconvert nests cells in cells: only the flat sections of a page are checked
        assert moved < 1, f"the footer moved {moved}px once the end of the page was shown"
    assert violations == [], violations


@pytest.mark.parametrize("scheme,stored,expected", [("dark", None, "slate"), ("light", None, "default"),
                                                    ("dark", 0, "default"), ("light", 1, "slate")])
def test_the_palette_is_the_readers_before_materials_script_runs(chromium, built_site, scheme, stored, expected):
    """overrides/partials/palette-early.js picks the palette as Material's bundle does (the reader's stored choice,
    else the system's scheme) while the page is parsed: with the bundle blocked, the body already has it, and the
    toggle that leads to the other palette is the one shown."""
    import json

    with SiteServer(built_site.site, site_prefix(built_site.site)) as server:
        context = chromium.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 800})
        tab = context.new_page()
        try:
            tab.route("**/assets/javascripts/bundle.*.min.js", lambda route: route.abort())
            tab.goto(server.url("en/glossary/"), wait_until="domcontentloaded")
            if stored is not None:  # Material stores {index, color} under its scoped key; __md_set writes it
                tab.evaluate(f"__md_set('__palette', {json.dumps({'index': stored})})")
                tab.reload(wait_until="domcontentloaded")
            got = tab.evaluate("""() => ({scheme: document.body.getAttribute('data-md-color-scheme'),
                switching: document.body.hasAttribute('data-md-color-switching'),
                shown: [...document.querySelectorAll('[data-md-component=palette] label')].filter(l => !l.hidden)
                         .map(l => document.getElementById(l.htmlFor).getAttribute('data-md-color-scheme'))})""")
        finally:
            context.close()
    assert got["scheme"] == expected, got
    assert got["shown"] == ["default" if expected == "slate" else "slate"], got
    assert got["switching"], got  # transitions off until Material's bundle has settled the palette


def test_the_phone_drawer_is_drawn_only_while_open(chromium, built_site):
    """The navigation drawer of a phone's width (site.css) is not drawn while closed; it is drawn from the first frame
    of its opening slide, and stays drawn through its closing slide. At a laptop's width the sidebar is always drawn."""
    link = """() => {
        const a = document.querySelector('.md-sidebar--primary .md-nav__link[href]'), r = a.getBoundingClientRect();
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return {drawn: a.checkVisibility(), onTop: !!hit && a.contains(hit)};
    }"""
    with SiteServer(built_site.site, site_prefix(built_site.site)) as server:
        context = chromium.new_context(viewport={"width": 390, "height": 844})
        tab = context.new_page()
        try:
            tab.goto(server.url("en/backprop/"), wait_until="load")
            closed = tab.evaluate(link)
            tab.click("label[for=__drawer].md-header__button")
            opening = tab.evaluate(link)  # the slide has just begun
            tab.wait_for_timeout(600)
            opened = tab.evaluate(link)
            tab.click(".md-overlay", position={"x": 370, "y": 400})
            closing = tab.evaluate(link)
            tab.wait_for_timeout(600)
            after = tab.evaluate(link)
            tab.set_viewport_size({"width": 1280, "height": 800})
            laptop = tab.evaluate(link)
        finally:
            context.close()
    assert closed == {"drawn": False, "onTop": False}, closed
    assert opening["drawn"], opening
    assert opened == {"drawn": True, "onTop": True}, opened
    assert closing["drawn"], closing
    assert after == {"drawn": False, "onTop": False}, after
    assert laptop == {"drawn": True, "onTop": True}, laptop
