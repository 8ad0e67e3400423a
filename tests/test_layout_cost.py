"""Off-screen sections are not laid out when a page loads (``hooks/layout_cost.py``), and nothing a reader uses breaks:
heading anchors, the table of contents following the scroll (``toc.follow``), sizes measured by a script."""

from __future__ import annotations

import pytest

from tests.browser import SiteServer, site_prefix

pytestmark = pytest.mark.browser

PAGE = "en/batchnorm/"
# The last two bodies stay rendered (the footer must not move when the end is shown): the third from the end is skipped.
LAST_BODY = "[...document.querySelectorAll('article .section-body')].at(-3)"


@pytest.fixture(scope="module")
def tab(chromium, built_site):
    with SiteServer(built_site.site, site_prefix(built_site.site)) as server:
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.base = server.url("")
        yield page
        context.close()


def _toc_active(tab) -> str | None:
    return tab.evaluate("(() => { const a = document.querySelector('.md-nav--secondary .md-nav__link--active');"
                        " return a && a.getAttribute('href'); })()")


def test_every_section_body_is_wrapped_and_skipped_until_near_the_viewport(tab):
    tab.goto(tab.base + PAGE, wait_until="load")
    n = tab.evaluate("document.querySelectorAll('article .section-body').length")
    assert n >= 5
    # No heading inside a wrapped body: the headings the table of contents lists are measured without layout.
    assert tab.evaluate("document.querySelectorAll('article .section-body :is(h2,h3,h4)').length") == 0
    css = tab.evaluate(f"getComputedStyle({LAST_BODY}).contentVisibility")
    assert css == "auto"
    assert tab.evaluate("getComputedStyle([...document.querySelectorAll('article .section-body')].at(-1))"
                        ".contentVisibility") == "visible"
    # Far below the first screen: its content is skipped (not rendered) …
    assert tab.evaluate(f"{LAST_BODY}.firstElementChild.checkVisibility({{contentVisibilityAuto: true}})") is False
    # … yet a script measuring it gets a real size (laid out on demand).
    assert tab.evaluate(f"{LAST_BODY}.getBoundingClientRect().height") > 10


def test_a_heading_anchor_scrolls_to_the_heading_and_the_toc_follows(tab):
    tab.goto(tab.base + PAGE, wait_until="load")
    # Headings a reader can reach by scrolling (not inside a closed "deeper" block) with at least a screen and a half
    # of page below them, so the page can scroll them to the top (the last short sections cannot get there).
    ids = tab.evaluate("[...document.querySelectorAll('article :is(h2,h3)[id]')]"
                       ".filter(h => !h.closest('details:not([open])'))"
                       ".filter(h => document.documentElement.scrollHeight - (h.getBoundingClientRect().top"
                       " + scrollY) > 1.5 * innerHeight).map(h => h.id)")
    target = ids[-1]  # near the end: every body above it was skipped at load
    tab.goto(tab.base + PAGE + "#" + target, wait_until="load")
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


def test_find_in_page_and_links_into_a_skipped_body_reach_their_target(tab):
    """An element with an id inside a body (not a heading) is revealed by a fragment link."""
    tab.goto(tab.base + PAGE, wait_until="load")
    target = tab.evaluate("(() => { const b = [...document.querySelectorAll('article .section-body')].at(-3);"
                          " const t = b.querySelector('table, img, p'); t.id = t.id || 'probe'; return t.id; })()")
    tab.evaluate(f"location.hash = '{target}'")
    tab.wait_for_timeout(500)
    top = tab.evaluate(f"document.getElementById('{target}').getBoundingClientRect().top")
    assert 0 <= top < 800
    assert tab.evaluate(f"document.getElementById('{target}').checkVisibility({{contentVisibilityAuto: true}})")


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
