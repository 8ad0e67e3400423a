"""Off-screen sections are not laid out when a page loads (``hooks/layout_cost.py``), and nothing a reader uses breaks:
heading anchors, the table of contents following the scroll (``toc.follow``), sizes measured by a script."""

from __future__ import annotations

import pytest

from tests.browser import SiteServer, site_prefix

pytestmark = pytest.mark.browser

PAGE = "en/batchnorm/"
LAST_BODY = "document.querySelectorAll('article .section-body')[document.querySelectorAll('article .section-body').length - 1]"


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
    # Far below the first screen: its content is skipped (not rendered) …
    assert tab.evaluate(f"{LAST_BODY}.firstElementChild.checkVisibility({{contentVisibilityAuto: true}})") is False
    # … yet a script measuring it gets a real size (laid out on demand).
    assert tab.evaluate(f"{LAST_BODY}.getBoundingClientRect().height") > 10


def test_a_heading_anchor_scrolls_to_the_heading_and_the_toc_follows(tab):
    ids = tab.evaluate("[...document.querySelectorAll('article :is(h2,h3)[id]')].map(h => h.id)")
    target = ids[-2]  # near the end: every body above it was skipped at load
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
    target = tab.evaluate("(() => { const b = [...document.querySelectorAll('article .section-body')].pop();"
                          " const t = b.querySelector('table, img, p'); t.id = t.id || 'probe'; return t.id; })()")
    tab.evaluate(f"location.hash = '{target}'")
    tab.wait_for_timeout(500)
    top = tab.evaluate(f"document.getElementById('{target}').getBoundingClientRect().top")
    assert 0 <= top < 800
    assert tab.evaluate(f"document.getElementById('{target}').checkVisibility({{contentVisibilityAuto: true}})")
