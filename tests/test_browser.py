"""The built site in Chromium, as readers use it: every page of both languages, light and dark.

One Chromium for the session (``chromium`` in conftest.py); each page is loaded once per viewport and colour scheme
(``site_visits`` in conftest.py, ``tests/browser.py``) and every check below reads the laptop's records (1280×800),
so adding a check costs no page load. The site is served under the path prefix of its ``site_url``, as GitHub Pages
will serve it. Accessibility: axe-core from npm (``node_modules``), injected into each page. Screenshots of one page
per topic, light and dark, go to ``$TMPDIR/dl-basics-screenshots``.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit, unquote

import pytest
from bs4 import BeautifulSoup

from sitegen.topics import load as load_topics
from browser import (LANGS, MISSING, SCHEMES, SCREENSHOTS, SitePage, Visit, is_notebook, screenshot_pages,
                     site_pages, site_prefix, url_to_rel)

pytestmark = pytest.mark.browser

TOPICS = tuple(t.slug for t in load_topics())  # topics.yml, in teaching order

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN = re.compile(r"[A-Za-z]")
# TeX left in visible text (outside code): delimiters, $$, and any control word such as \frac or \partial.
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\[A-Za-z]{2,}|\$[^$\n]{0,80}[\\^_][^$\n]{0,80}\$")


@pytest.fixture(scope="session")
def pages(built_site) -> list[SitePage]:
    found = site_pages(built_site.site)
    assert {p.lang for p in found} == set(LANGS), found
    return found


@pytest.fixture(scope="session")
def visits(site_visits) -> dict[tuple[str, str], Visit]:
    """Every page (and the 404 page) once per colour scheme at a laptop's width; key: (scheme, rel) with rel None
    for the 404 page."""
    return {(scheme, rel): v for (width, scheme, rel), v in site_visits.items() if width == "laptop"}


def _report(problems: dict) -> str:
    return "\n".join(f"{name}:\n  " + "\n  ".join(map(str, items)) for name, items in problems.items() if items)


def _page_visits(visits):
    return [v for v in visits.values() if v.page is not None]


# -- network and console ----------------------------------------------------------------------------------------
def test_no_request_leaves_the_site_and_none_fails(visits):
    problems = {v.name: [f"external: {u}" for u in v.external] + v.failed for v in visits.values()}
    assert not any(problems.values()), _report(problems)
    assert all(v.status == 200 for v in _page_visits(visits))


def test_a_page_does_not_download_the_search_index_until_search_is_opened(visits):
    """Material asks for search/search_index.json on every page load; overrides/partials/search-on-demand.js holds
    it back until the reader opens search (tests/test_search.py opens it)."""
    problems = {v.name: [u for u in v.requests if "search_index" in u] for v in visits.values()}
    assert not any(problems.values()), _report(problems)


def test_only_a_page_with_an_explorer_loads_the_explorer(visits, built_site):
    with_explorer = set()
    for v in _page_visits(visits):
        html = (built_site.site / v.page.rel / "index.html").read_text(encoding="utf-8")
        loads = {Path(urlsplit(u).path).name for u in v.requests} & {"explorer.js", "explorer.css"}
        if 'class="bp-explorer"' in html:
            with_explorer.add(v.page.rel)
            assert loads == {"explorer.js", "explorer.css"}, v.name
        else:
            assert not loads, (v.name, loads)
    assert with_explorer, "no page embeds the explorer"


def test_no_console_errors(visits):
    problems = {v.name: v.console for v in visits.values()}
    assert not any(problems.values()), _report(problems)


def test_every_displayed_image_loads_and_each_theme_shows_its_figure_variant(visits):
    problems = {}
    for v in _page_visits(visits):
        bad = [f"not loaded: {i['src']}" for i in v.data["images"] if i["displayed"] and not (i["complete"] and i["width"] > 0)]
        for img in v.data["images"]:
            if img["narrow"]:  # a figure's phone variant: hidden at this width (tests/test_reader.py checks phones)
                continue
            for theme in ("light", "dark"):
                if img["attrSrc"].endswith(f"#only-{theme}") and img["displayed"] != (theme == v.scheme):
                    bad.append(f"{theme} variant {'shown' if img['displayed'] else 'hidden'}: {img['attrSrc']}")
        problems[v.name] = bad
    assert not any(problems.values()), _report(problems)
    # Each variant was really loaded in its own scheme: across both schemes no figure is left unchecked.
    for v in _page_visits(visits):
        for img in v.data["images"]:
            if img["attrSrc"].endswith(("#only-light", "#only-dark")) and not img["narrow"]:
                theme = img["attrSrc"].rsplit("#only-", 1)[1]
                other = visits[(theme, v.page.rel)]
                assert any(i["attrSrc"] == img["attrSrc"] and i["width"] > 0 for i in other.data["images"]), \
                    f"{img['attrSrc']} never loaded on {v.page.rel} in {theme}"


def test_palette_follows_the_readers_colour_scheme(visits):
    wrong = {v.name: v.data["scheme"] for v in visits.values() if v.data["scheme"] != SCHEMES[v.scheme]}
    assert not wrong, wrong


# -- content ----------------------------------------------------------------------------------------------------
def test_math_is_typeset_and_no_raw_tex_is_visible(visits):
    problems = {}
    for v in visits.values():
        if v.scheme != "light":
            continue
        leaks = sorted({m.group(0) for m in RAW_TEX.finditer(v.data["text"])})
        problems[v.name] = [f"raw TeX: {leak!r}" for leak in leaks] + \
            [f"arithmatex without MathML: {t!r}" for t in v.data["unTypeset"]]
    assert not any(problems.values()), _report(problems)


def test_html_lang_is_the_pages_language(visits):
    wrong = {v.name: v.data["lang"] for v in _page_visits(visits) if v.data["lang"] != v.page.lang}
    assert not wrong, wrong


def test_language_selector_leads_to_the_same_page_in_the_other_language(visits, pages, site_server):
    existing = {p.rel for p in pages}
    problems = {}
    for v in _page_visits(visits):
        if v.scheme != "light":
            continue
        links = {link["lang"]: url_to_rel(link["href"], site_server) for link in v.data["selector"]}
        want = {v.page.lang: v.page.rel, v.page.counterpart.lang: v.page.counterpart.rel}
        bad = []
        if v.page.counterpart.rel not in existing:
            bad.append(f"no {v.page.counterpart.lang} counterpart ({v.page.counterpart.rel}) in the built site")
        if links != want:
            bad.append(f"selector links {links}, expected {want}")
        problems[v.name] = bad
    assert not any(problems.values()), _report(problems)


def test_every_content_image_has_alt_text_in_the_pages_language(visits):
    problems = {}
    for v in _page_visits(visits):
        if v.scheme != "light":
            continue
        bad = []
        for img in v.data["images"]:
            if not img["content"]:
                continue
            alt = (img["alt"] or "").strip()
            if not alt:
                bad.append(f"no alt: {img['attrSrc']}")
            elif v.page.lang == "uk" and not CYRILLIC.search(alt):
                bad.append(f"alt not Ukrainian: {alt!r}")
            elif v.page.lang == "en" and (CYRILLIC.search(alt) or not LATIN.search(alt)):
                bad.append(f"alt not English: {alt!r}")
        problems[v.name] = bad
    assert not any(problems.values()), _report(problems)


# -- accessibility ----------------------------------------------------------------------------------------------
def test_axe_finds_no_serious_or_critical_violations_in_light_and_dark(visits):
    """Notebook pages and the 404 page here; topic, glossary and home pages in tests/test_layout.py (both widths)."""
    assert {v.scheme for v in visits.values()} == set(SCHEMES)
    here = [v for v in visits.values() if v.page is None or is_notebook(v.page)]
    assert all(v.axe is not None for v in here) and len(here) > 2
    problems = {v.name: [f"{a['impact']} {a['id']}: {a['help']}\n    " + "\n    ".join(a["nodes"]) for a in v.axe]
                for v in here}
    assert not any(problems.values()), _report(problems)


# -- screenshots ------------------------------------------------------------------------------------------------
def test_screenshots_of_one_page_per_topic_in_both_schemes(visits, pages):
    chosen = screenshot_pages(pages, TOPICS)
    for page in chosen:
        for scheme in SCHEMES:
            shot = SCREENSHOTS / f"{page.lang}-{page.topic}-{scheme}.png"
            assert shot.exists() and shot.stat().st_size > 10_000, shot
    print(f"\n{len(chosen) * 2} screenshots in {SCREENSHOTS}")


# -- the 404 page -----------------------------------------------------------------------------------------------
def test_one_404_page_serves_both_languages(visits, built_site, site_server):
    site = built_site.site
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("404.html")) == ["404.html"]
    for scheme in SCHEMES:
        v = visits[(scheme, None)]
        assert v.status == 404
        assert v.data["lang"] == "uk"
        assert "Сторінку не знайдено" in v.data["text"] and "Page not found" in v.data["text"]
        links = {link["lang"]: url_to_rel(link["href"], site_server) for link in v.data["selector"]}
        assert links == {"uk": "", "en": "en/"}, links
    soup = BeautifulSoup((site / "404.html").read_text(encoding="utf-8"), "html.parser")
    english = soup.select_one('[lang="en"]')
    assert english is not None and "Page not found" in english.get_text()
    assert not CYRILLIC.search(english.get_text())
    hrefs = {urljoin(site_server.url(MISSING), a["href"]) for a in soup.select(".md-content a[href]")}
    assert {site_server.url(""), site_server.url("en/")} <= hrefs, hrefs


# -- links ------------------------------------------------------------------------------------------------------
def _ids(path: Path, cache: dict) -> set[str]:
    if path not in cache:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        cache[path] = {el["id"] for el in soup.select("[id]")} | {el["name"] for el in soup.select("a[name]")}
    return cache[path]


def test_every_internal_link_and_anchor_resolves(built_site):
    """A crawl of the built HTML: every local href/src points at a file, every #fragment at an id in it."""
    site = built_site.site
    prefix = site_prefix(site)
    base = "http://site.invalid" + prefix
    cache: dict = {}
    broken: dict[str, list[str]] = {}
    html_files = sorted(site.rglob("*.html"))
    checked = 0
    for f in html_files:
        rel = f.relative_to(site).as_posix()
        page_url = base + rel.removesuffix("index.html")
        soup = BeautifulSoup(f.read_text(encoding="utf-8"), "html.parser")
        bad = []
        for el, attr in [(a, "href") for a in soup.select("a[href], link[href]")] + \
                        [(s, "src") for s in soup.select("img[src], script[src]")]:
            raw = el[attr]
            if raw.startswith(("mailto:", "javascript:", "data:")):
                continue
            target = urljoin(page_url, raw)
            parts = urlsplit(target)
            if parts.netloc != "site.invalid":
                continue  # another host: a navigation for the reader, checked by no crawler here
            path = unquote(parts.path)
            if not path.startswith(prefix):
                bad.append(f"{raw}: outside the site ({path})")
                continue
            local = site / path[len(prefix):]
            if path.endswith("/") or local.is_dir():
                local = local / "index.html"
            checked += 1
            if not local.is_file():
                bad.append(f"{raw}: no file {local.relative_to(site)}")
            elif parts.fragment and local.suffix == ".html" and unquote(parts.fragment) not in _ids(local, cache):
                bad.append(f"{raw}: no id {parts.fragment!r} in {local.relative_to(site)}")
        broken[rel] = bad
    assert checked > 10 * len(html_files)
    assert not any(broken.values()), _report(broken)
