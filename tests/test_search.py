"""Search as a reader uses it: typed into Material's search box in Chromium, inflected Ukrainian and English included.

Ukrainian words are found in any grammatical case, English ones in any inflection (plural, -ing, -ed), because the
build adds their inflected forms to the search index (``sitegen/search.py``). The cases below are data: add a line when a page teaches a new term. A case whose page is
not built yet is skipped locally and fails in CI (every topic page must exist there). Besides the listed terms,
every Ukrainian page is searched for a form of a word of its title that occurs nowhere on the site as written, so
only the added forms can find it.
"""

from __future__ import annotations

import json
import os
import re

import pytest

from browser import SiteServer, site_prefix, url_to_rel
from sitegen.search import tokens, word_forms

pytestmark = pytest.mark.browser

# (query as a reader types it, page expected among the first three results)
CASES = [
    ("нормалізацію", "batchnorm/"),
    ("згорткою", "factorized-conv/"),
    ("градієнтів", "backprop/"),
    ("ймовірністю", "dropout/"),
    ("normalization", "en/batchnorm/"),
    ("convolution", "en/factorized-conv/"),
    ("gradient", "en/backprop/"),
    ("probability", "en/dropout/"),
]
# English forms that are on no token of their page as written (checked below): only the added forms can find them.
EN_FORMS = [
    ("derivatives", "en/backprop/"),
    ("chaining", "en/backprop/"),
    ("graphs", "en/backprop/"),
    ("computing", "en/backprop/"),
    ("normalizing", "en/batchnorm/"),
    ("normalizations", "en/batchnorm/"),
    ("variances", "en/batchnorm/"),
    ("shifting", "en/batchnorm/"),
    ("dropouts", "en/dropout/"),
    ("neurons", "en/dropout/"),
    ("probabilities", "en/dropout/"),
    ("averaging", "en/dropout/"),
    ("factorizing", "en/factorized-conv/"),
    ("filtering", "en/factorized-conv/"),
    ("ranks", "en/factorized-conv/"),
]
TOP = 3
META = "document.querySelector('.md-search-result__meta').textContent.trim()"
T = "JSON.parse(document.getElementById('__config').textContent).translations"
RESULTS_JS = """() => [...document.querySelectorAll('.md-search-result__item')]
    .map(li => li.querySelector('a') && li.querySelector('a').href)"""


@pytest.fixture(scope="module")
def index(built_site) -> dict:
    return json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def search(chromium, built_site):
    """``search(lang, query)`` -> site-relative paths of the result pages, in order, from one reused tab."""
    with SiteServer(built_site.site, site_prefix(built_site.site)) as server:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})  # desktop: the box is in the header
        tab = context.new_page()

        def run(lang: str, query: str) -> list[str]:
            tab.goto(server.url("" if lang == "uk" else f"{lang}/"))
            # The index is fetched when search is opened (overrides/partials/search-on-demand.js); wait until the
            # worker has built it and the box says "type", so a result list is never the previous query's.
            tab.locator("input.md-search__input").click()
            tab.wait_for_function(f"() => {META} === {T}['search.result.placeholder']", timeout=15_000)
            tab.keyboard.insert_text(query)  # the text arrives as one input event, as from an input method
            tab.keyboard.press("End")  # Material reads the box on keyup (or focus), not on input
            tab.wait_for_function(f"() => document.querySelector('.md-search-result__item') || "
                                  f"{META} === {T}['search.result.none']", timeout=15_000)
            hrefs = tab.evaluate(RESULTS_JS)
            return [url_to_rel(h.split("#")[0], server) for h in hrefs if h]

        yield run
        context.close()


def _built(built_site, rel: str) -> bool:
    return (built_site.site / rel / "index.html").exists()


def _require(built_site, rel: str):
    if not _built(built_site, rel):
        message = f"page {rel} is not built yet"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.parametrize("query, page", CASES, ids=[q for q, _ in CASES])
def test_a_term_finds_its_page_in_its_own_language(search, built_site, query, page):
    _require(built_site, page)
    lang = "en" if page.startswith("en/") else "uk"
    found = search(lang, query)
    # (Pages of the other language may rank too: the index holds both, and notebooks share English code.)
    assert page in found[:TOP], f"{query!r}: expected {page} among the first {TOP} results, got {found[:8]}"


@pytest.mark.parametrize("query, page", EN_FORMS, ids=[q for q, _ in EN_FORMS])
def test_an_english_form_not_on_the_page_finds_the_page(search, index, built_site, query, page):
    _require(built_site, page)
    sep = index["config"]["separator"]
    written = {t for d in index["docs"] if d["location"].split("#")[0] == page
               for f in ("title", "text") for t in tokens(d.get(f, ""), sep)}
    assert written and not any(t.startswith(query) for t in written), \
        f"{query!r} is on {page} as written: pick a form only the added word forms can find"
    found = search("en", query)
    assert page in found[:TOP], f"{query!r}: expected {page} among the first {TOP} results, got {found[:8]}"


def _unwritten_forms(index: dict) -> list[tuple[str, str]]:
    """For each Ukrainian page: (a form of a noun of its title that no token of the site starts with, page)."""
    sep = index["config"]["separator"]
    uk = [d for d in index["docs"] if not d["location"].startswith("en/")]
    written = sorted({t for d in index["docs"] for f in ("title", "text") for t in tokens(d.get(f, ""), sep)})
    cases = []
    for doc in (d for d in uk if "#" not in d["location"]):
        for word in re.findall(r"[а-щьюяґєії'’]{4,}", doc["title"].lower()):
            forms = sorted(f for f in word_forms(word) if not any(t.startswith(f) for t in written))
            if forms:
                cases.append((forms[-1], doc["location"]))
                break
    return cases


def test_a_form_written_nowhere_on_the_site_still_finds_its_page(search, index):
    cases = _unwritten_forms(index)
    assert len(cases) >= 3, f"too few Ukrainian page titles with an inflectable word: {cases}"
    missed = {}
    for query, page in cases:
        found = search("uk", query)
        if page not in found[:TOP]:
            missed[query] = (page, found[:TOP])
    assert not missed, f"inflected forms that did not find their page in the first {TOP}: {missed}"


def test_search_index_is_utf8_with_the_word_form_fields(index, built_site):
    raw = (built_site.site / "search" / "search_index.json").read_bytes()
    assert b"\\u04" not in raw, "Cyrillic must be stored as UTF-8, not \\u escapes (three times the bytes)"
    fields = index["config"]["fields"]
    assert fields["forms"] == fields["text"] and fields["title_forms"] == fields["title"]
    for lang, docs in (("en", [d for d in index["docs"] if d["location"].startswith("en/")]),
                       ("uk", [d for d in index["docs"] if not d["location"].startswith("en/")])):
        assert sum("forms" in d for d in docs) >= 5, f"{lang}: too few entries with word forms"
    # lunr's trimmer strips \\W, i.e. every Cyrillic letter: it must never be in the pipeline.
    assert "trimmer" not in index["config"]["pipeline"]


# -- the index is downloaded when search is opened (overrides/partials/search-on-demand.js) -----------------------
@pytest.fixture
def fresh_tab(chromium, built_site):
    """A new tab on the built site and the list of URLs it requested."""
    with SiteServer(built_site.site, site_prefix(built_site.site)) as server:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        seen: list[str] = []
        tab.on("request", lambda r: seen.append(r.url))
        yield server, tab, seen
        context.close()


def _asked_for_index(seen) -> bool:
    return any(u.split("?")[0].endswith("/search/search_index.json") for u in seen)


@pytest.mark.parametrize("key", ["s", "/"])
def test_a_shortcut_opens_search_fetches_the_index_and_a_query_typed_at_once_is_answered(fresh_tab, key):
    server, tab, seen = fresh_tab
    tab.goto(server.url("en/"), wait_until="networkidle")
    assert not _asked_for_index(seen)
    tab.keyboard.press(key)
    tab.keyboard.type("gradient")  # at once: before the index has arrived, let alone been built
    tab.wait_for_function("() => document.querySelector('.md-search-result__item')", timeout=15_000)
    assert _asked_for_index(seen)


@pytest.mark.parametrize("param", ["h", "q"])
def test_an_address_that_asks_for_search_gets_the_index_at_once(fresh_tab, built_site, param):
    """?h= (a result's link: highlight the term on the page) and ?q= (open search with a query) need the index."""
    server, tab, seen = fresh_tab
    _require(built_site, "backprop")
    tab.goto(server.url("backprop/") + f"?{param}=градієнт", wait_until="load")
    if param == "h":
        tab.wait_for_function("() => document.querySelector('article mark[data-md-highlight]')", timeout=15_000)
    else:
        tab.wait_for_function("() => document.querySelector('.md-search-result__item')", timeout=15_000)
    assert _asked_for_index(seen)
