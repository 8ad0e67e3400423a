"""One topic, as a reader sees it: ``./dev check <topic>`` (tools/check_topic.py) runs this module with ``--topic``.

The strict build of the site (``built_site``, the whole site: a topic's pages link to the others), then the topic's
page, its notebook page and the home page (its card) in both languages, each loaded once at a laptop's 1280×800 and a
phone's 390×844, light and dark (the notebook pages in dark on a laptop only, as the full suite does; the home page
in light only), by the same
``tests/browser.py`` ``visit_site`` that ``./dev test`` uses for every page, and checked as tests/test_layout.py,
tests/test_reader.py and tests/test_browser.py check every page: no sideways scroll, formulas and tables fit or
scroll in a labelled box, math typeset in the shipped font, figure text readable as drawn, every image loaded, no
request leaving the site or failing, a clean console, axe clean.

Collected only with ``--topic`` (conftest.py): ``./dev test`` checks every page already.
"""

from __future__ import annotations

import re

import pytest

from browser import SitePage, is_notebook, url_to_rel, visit_site
from layout import (formulas_wider_than_the_column, unlabelled_scroll_boxes, wider_than_the_column,
                    wider_than_the_screen)
from sitegen import topics
from sitegen.checks import FIGURE_MIN_PX, svg_text_sizes

LANG_PREFIX = {"uk": "", "en": "en/"}


@pytest.fixture(scope="module")
def topic(request) -> topics.Topic:
    wanted = request.config.getoption("--topic")
    known = topics.by_id()
    if wanted not in known:
        pytest.fail(f"no topic {wanted!r} in topics.yml (known: {', '.join(known)})")
    return known[wanted]


def test_the_site_builds_strict(built_site):
    """First: the strict build (parity of every page pair, topics.yml, directives, snippets, formulas, the language
    check with its numerals, links). Its snippet results are what the doctests then reuse (conftest.py)."""
    summary = re.findall(r"snippets: .*", built_site.output)
    print("\n" + (summary[-1] if summary else "no snippet summary"))
    assert built_site.returncode == 0


@pytest.fixture(scope="module")
def visits(topic, chromium, site_server, built_site) -> dict:
    pages = [SitePage(f"{prefix}{rel}", lang) for lang, prefix in LANG_PREFIX.items()
             for rel in (f"{topic.slug}/", f"notebooks/{topic.id}/", "")]
    home = tuple(p for p in pages if p.rel in LANG_PREFIX.values())  # for the topic's card: in light only
    found = visit_site(chromium, site_server, pages, (topic.slug,), missing=False, light_only=home)
    assert {rel for (_, _, rel) in found} == {p.rel for p in pages}
    return found


def _report(problems: dict) -> str:
    return "\n".join(f"{where}: {what}" for where, what in problems.items() if what)


def _each(visits, check, width: str | None = None, layout: bool = False) -> dict:
    """``check(visit)`` for every visit (at ``width``; with a layout record only): {"/rel [width, scheme]": problems}."""
    out = {}
    for (w, scheme, rel), v in visits.items():
        if (width and w != width) or (layout and v.layout is None):
            continue
        out[f"/{rel} [{w}, {scheme}]"] = check(v)
    return out


def test_every_page_loads_cleanly(visits):
    bad = _each(visits, lambda v: ([f"HTTP {v.status}"] if v.status != 200 else []) +
                [f"external: {u}" for u in v.external] + v.failed + v.console)
    assert not any(bad.values()), _report(bad)


def test_every_displayed_image_loads(visits):
    bad = _each(visits, lambda v: [i["src"] for i in v.data["images"]
                                   if i["displayed"] and not (i["complete"] and i["width"] > 0)])
    assert not any(bad.values()), _report(bad)


@pytest.mark.parametrize("width", ["laptop", "phone"])
def test_no_sideways_scroll(visits, width):
    bad = _each(visits, lambda v: v.sideways if v.sideways[0] > v.sideways[1] else
                (v.layout and wider_than_the_screen(v.layout)), width)
    assert not any(bad.values()), f"pages wider than the screen: {_report(bad)}"


def test_laptop_nothing_wider_than_the_column(visits):
    bad = _each(visits, lambda v: wider_than_the_column(v.layout), "laptop", layout=True)
    assert not any(bad.values()), f"display formulas or tables wider than the column: {_report(bad)}"


def test_phone_display_formulas_fit(visits):
    bad = _each(visits, lambda v: formulas_wider_than_the_column(v.layout), "phone", layout=True)
    assert not any(bad.values()), f"split these formulas into several $$…$$ blocks: {_report(bad)}"


@pytest.mark.parametrize("width", ["laptop", "phone"])
def test_every_scrolling_box_is_focusable_labelled_and_shows_the_cut(visits, width):
    bad = _each(visits, lambda v: unlabelled_scroll_boxes(v.layout), width, layout=True)
    assert not any(bad.values()), _report(bad)


def test_math_is_typeset_in_the_shipped_font_with_scripts_smaller_than_their_base(visits):
    def check(v):
        problems = [f"not typeset: {t}" for t in v.data["unTypeset"]]
        m = v.layout
        if m is not None and m["mathCount"]:
            if not (m["mathFamily"].startswith('"DL Math"') and m["mathFontLoaded"]):
                problems.append(f"math font: {m['mathFamily']}")
            if m.get("fonts") not in (None, ["Noto Sans Math"]):
                problems.append(f"math drawn in {m['fonts']}")
            problems += [f"script: {s}" for s in m["scripts"][:5]]
        return problems
    bad = _each(visits, check)
    assert not any(bad.values()), _report(bad)


@pytest.mark.parametrize("width", ["laptop", "phone"])
def test_figure_text_as_drawn(visits, site_server, built_site, width):
    """The smallest text of every figure shown, at the size it is drawn (the build checks the same from the SVG)."""
    def check(v):
        low = []
        for fig in v.figures:
            path = url_to_rel(fig["src"], site_server)
            view_w, sizes = svg_text_sizes((built_site.site / path).read_text(encoding="utf-8"))
            if sizes and min(sizes) * fig["width"] / view_w < FIGURE_MIN_PX[width]:
                low.append(f"{path}: {min(sizes) * fig['width'] / view_w:.1f} px")
        return low
    bad = _each(visits, check, width)
    assert not any(bad.values()), f"figure text under {FIGURE_MIN_PX[width]} px: {_report(bad)}"


@pytest.mark.parametrize("width", ["laptop", "phone"])
def test_axe_clean(visits, width):
    bad = _each(visits, lambda v: [f"{a['id']}: {a['nodes'][:2]}" for a in (v.axe or [])], width)
    assert not any(bad.values()), _report(bad)


def test_home_card_shows_the_topic_with_its_thumbnail_and_links(visits, topic):
    for lang, prefix in LANG_PREFIX.items():
        v = visits[("laptop", "light", prefix)]
        text = " ".join(v.data["text"].split())
        assert topic.title[lang] in text and " ".join(topic.summary[lang].split()) in text, (lang, topic.title[lang])
        thumbs = [i for i in v.data["images"] if i["displayed"] and topic.title[lang] in (i["alt"] or "")]
        assert thumbs and all(i["complete"] and i["width"] > 0 for i in thumbs), (lang, thumbs)


def test_topic_and_notebook_pages_were_measured(visits, topic):
    """Guards the checks above: both pages of the topic in both languages, at both widths (notebooks: light phone)."""
    for prefix in LANG_PREFIX.values():
        for width in ("laptop", "phone"):
            assert visits[(width, "light", f"{prefix}{topic.slug}/")].layout is not None
            nb = visits[(width, "light", f"{prefix}notebooks/{topic.id}/")]
            assert is_notebook(nb.page) and nb.status == 200
