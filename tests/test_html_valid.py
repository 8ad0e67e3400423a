"""Every built page is valid HTML: the Nu HTML checker (vnu-jar from npm, a Java program) finds no error.

``./dev test`` installs the checker (``npm ci``) and a headless JRE (apt) when ``java`` is missing; neither being
there is a failure, never a skip. The fixes themselves are in ``hooks/html_valid.py``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from hooks.html_valid import fix

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _vnu(*paths: Path) -> list[dict]:
    java = shutil.which("java")
    assert java, "java missing: ./dev test installs a headless JRE (default-jre-headless)"
    assert VNU.is_file(), f"{VNU} missing: ./dev test installs it (npm ci)"
    proc = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, paths)],
                          capture_output=True, text=True, timeout=600)
    return json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]


def test_the_checker_reports_an_invalid_page(tmp_path):
    """The check can fail: the markup this project used to ship is reported (and passes once fixed)."""
    bad = ('<!doctype html><html lang="en"><head><title>t</title></head><body>'
           '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
           '<label class="md-nav__link" for="__drawer" id="l" tabindex="">x</label>'
           '<p class="notebook-links" aria-label="Notebook"><strong>Notebook:</strong></p>'
           '<script src=""> </script>\n<div><p>a</p><style>\n[\'pre { x: 1 }\']\n</style>\n</div></body></html>')
    (tmp_path / "bad.html").write_text(bad, encoding="utf-8")
    (tmp_path / "fixed.html").write_text(fix(bad), encoding="utf-8")
    found = _vnu(tmp_path / "bad.html")
    assert len([m for m in found if m["type"] == "error"]) >= 5, found
    assert _vnu(tmp_path / "fixed.html") == []


def test_every_built_page_is_valid_html(built_site):
    pages = sorted(built_site.site.rglob("*.html"))
    assert len(pages) > 20 and built_site.site / "404.html" in pages
    site = str(built_site.site.resolve())
    errors = [f'{m.get("url", "?").rsplit(site, 1)[-1]}:{m.get("lastLine", "?")}: {m["message"]}' for m in _vnu(*pages)]
    assert errors == [], "\n".join(errors[:40])


@pytest.mark.browser
def test_a_restored_toggle_is_put_back_on_pageshow(chromium, built_site):
    """What ``autocomplete="off"`` did: a drawer or search checkbox restored checked (Firefox after a reload) is
    unchecked again, with the ``change`` event Material listens to."""
    from tests.browser import SiteServer, site_prefix

    with SiteServer(built_site.site, site_prefix(built_site.site)) as server:
        tab = chromium.new_page()
        try:
            tab.goto(server.url("en/backprop/"))
            tab.wait_for_load_state("load")
            assert tab.evaluate('document.querySelector("#__search").getAttribute("autocomplete")') is None
            state = tab.evaluate("""() => {
                const drawer = document.querySelector("#__drawer"), search = document.querySelector("#__search");
                const heard = [];  // Material listens to "change" on these checkboxes (its watchToggle)
                for (const el of [drawer, search]) el.addEventListener("change", () => heard.push(el.id));
                drawer.checked = search.checked = true;  // as Firefox's form restoration after a reload: no event
                window.dispatchEvent(new PageTransitionEvent("pageshow", {persisted: false}));
                return {drawer: drawer.checked, search: search.checked, heard: heard.sort()};
            }""")
        finally:
            tab.close()
    assert state == {"drawer": False, "search": False, "heard": ["__drawer", "__search"]}, state
