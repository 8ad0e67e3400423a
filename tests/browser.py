"""Browser harness for the built site: a local static server, the pages to visit, and one visit of each.

``SiteServer(site, prefix)`` serves a built site the way GitHub Pages does: under a path prefix (``/<repo>/``),
with the root ``404.html`` and status 404 for any missing path. The test session serves ``built_site`` under the
prefix of its ``site_url`` (read back from the built ``sitemap.xml``), so absolute links MkDocs writes into the
404 page resolve exactly as they will when published. The standard library's ``http.server`` does the serving.

Usage outside the test session (e.g. to check the published layout under ``/dl-basics/``)::

    with SiteServer(Path("site"), "/dl-basics/") as server:
        page.goto(server.url("en/backprop/"))

``visit_site`` loads each page once per viewport and colour scheme and records in that one load what
``tests/test_browser.py``, ``tests/test_layout.py`` and ``tests/test_reader.py`` check (the session fixture
``site_visits`` in ``tests/conftest.py``): a check added there costs no page load.
"""

from __future__ import annotations

import functools
import http.server
import os
import posixpath
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, unquote

LANGS = ("uk", "en")
DEFAULT_LANG = "uk"


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def log_message(self, *args):  # keep pytest output clean
        pass

    def translate_path(self, path):
        path = urlsplit(path).path
        if not path.startswith(self.prefix):
            return ""  # outside the site: 404
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class SiteServer:
    """A threaded static server over ``site`` on 127.0.0.1 (free port), serving it under ``prefix``."""

    def __init__(self, site: Path, prefix: str = "/"):
        self.site = Path(site)
        self.prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        handler = type("Handler", (_Handler,), {"prefix": self.prefix})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.base = self.origin + self.prefix
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "SiteServer":
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, rel: str) -> str:
        """URL of a site-relative path such as ``en/backprop/``."""
        return self.base + rel.lstrip("/")


def site_prefix(site: Path) -> str:
    """The path of ``site_url`` the site was built for (``/`` when it had none), from its ``sitemap.xml``."""
    try:
        root = ET.parse(site / "sitemap.xml").getroot()
    except (OSError, ET.ParseError):
        return "/"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [el.text or "" for el in root.findall("s:url/s:loc", ns)]
    paths = [urlsplit(loc).path for loc in locs if loc.startswith(("http://", "https://"))]
    if not paths:
        return "/"
    common = posixpath.commonpath(paths)
    return common.rstrip("/") + "/"


@dataclass(frozen=True)
class SitePage:
    rel: str   # site-relative URL path: "", "backprop/", "en/", "en/backprop/"
    lang: str

    @property
    def counterpart(self) -> "SitePage":
        """The same page in the other language."""
        if self.lang == DEFAULT_LANG:
            return SitePage("en/" + self.rel, "en")
        return SitePage(self.rel.removeprefix("en/"), DEFAULT_LANG)

    @property
    def topic(self) -> str:
        return self.rel.removeprefix("en/").strip("/") or "index"


def site_pages(site: Path) -> list[SitePage]:
    """Every HTML page of both languages (``**/index.html``; the 404 page and assets excluded)."""
    pages = []
    for f in sorted(site.rglob("index.html")):
        rel = f.parent.relative_to(site).as_posix()
        rel = "" if rel == "." else rel + "/"
        if rel.startswith(("assets/", "search/")):
            continue
        lang = "en" if rel == "en/" or rel.startswith("en/") else DEFAULT_LANG
        pages.append(SitePage(rel, lang))
    return pages


def url_to_rel(url: str, server: SiteServer) -> str | None:
    """Site-relative path of a URL on ``server`` (no query or fragment), or None when it is not on the site."""
    if not url.startswith(server.base):
        return None
    return unquote(urlsplit(url).path)[len(server.prefix):]



# -- one visit per page, viewport and colour scheme ----------------------------------------------------------------
VIEWPORTS = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
SCHEMES = {"light": "default", "dark": "slate"}  # Playwright colour scheme -> Material palette scheme
# The dark scheme changes colours only (Material's palette), not the DOM: every axe rule runs in light, and in dark
# the rules whose outcome depends on colour.
AXE_RULES = {"light": None, "dark": ["color-contrast", "link-in-text-block"]}
MISSING = "en/no-such-page/deeper/"  # a 404 two levels deep: absolute links must still work
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "dl-basics-screenshots")
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
# Pages shown as a reader first sees them (nothing opened, every image loaded), per width, light (tests/test_reader.py).
READER_SHOTS = ("", "backprop/", "en/notebooks/backprop/")

COLLECT_JS = """async () => {
  // Open every collapsed block ("??? note" deeper parts, self-check answers): what a reader sees after expanding
  // them is checked too (figures load in their theme, math is typeset).
  document.querySelectorAll('details:not([open])').forEach(d => { d.open = true; });
  // Lazy images load only when scrolled to: bring each displayed one into view and wait for it.
  const imgs = [...document.images];
  for (const img of imgs) {
    if (!img.getClientRects().length) continue;
    img.scrollIntoView();
    if (!img.complete) await new Promise(r => { img.addEventListener('load', r, {once: true});
                                                 img.addEventListener('error', r, {once: true});
                                                 setTimeout(r, 5000); });
  }
  window.scrollTo(0, 0);
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, math, textarea').forEach(e => e.remove());
  const text = clone.textContent;
  return {
    lang: document.documentElement.lang,
    scheme: document.body.getAttribute('data-md-color-scheme'),
    text,
    unTypeset: [...document.querySelectorAll('.arithmatex')].filter(e => !e.querySelector('math'))
                 .map(e => e.textContent.slice(0, 80)),
    mathCount: document.querySelectorAll('math').length,
    images: imgs.map(img => ({src: img.currentSrc || img.src, attrSrc: img.getAttribute('src') || '',
                              alt: img.getAttribute('alt'), displayed: img.getClientRects().length > 0,
                              complete: img.complete, width: img.naturalWidth,
                              content: !!img.closest('.md-content'),
                              narrow: img.classList.contains('snippet-figure__narrow')})),
    selector: [...document.querySelectorAll('.md-select__link[hreflang]')]
                .map(a => ({lang: a.getAttribute('hreflang'), href: a.href})),
  };
}"""

AXE_JS = """async (rules) => {
  const opts = {resultTypes: ['violations']};
  if (rules) opts.runOnly = {type: 'rule', values: rules};
  const r = await axe.run(document, opts);
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').slice(0, 200))}));
}"""

# The figures shown (their picture, its drawn width), once every image has loaded.
SHOWN_FIGURES_JS = """() => [...document.querySelectorAll('.snippet-figure img')]
  .filter(i => i.getClientRects().length && getComputedStyle(i).display !== 'none')
  .map(i => { const pic = i.getAttribute('src').split('#')[0];
              return {src: new URL(pic, location.href).href, width: i.getBoundingClientRect().width}; })"""


def load_all_images(tab):
    """Every image of the page loaded, lazy ones too, wherever they are."""
    tab.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
    tab.wait_for_function("[...document.images].every(i => i.complete)", timeout=15000)


def is_notebook(page: SitePage | None) -> bool:
    return page is not None and page.rel.removeprefix("en/").startswith("notebooks/")


@dataclass
class Visit:
    """What one load of one page showed. ``page`` None: the 404 page (at MISSING)."""
    page: SitePage | None
    url: str
    width: str                     # a key of VIEWPORTS
    scheme: str                    # a key of SCHEMES
    status: int = 0
    external: list = field(default_factory=list)   # requests that left the site
    requests: list = field(default_factory=list)
    failed: list = field(default_factory=list)     # failed requests and HTTP errors
    console: list = field(default_factory=list)    # console errors and uncaught exceptions
    sideways: tuple = (0, 0)       # the page's scrollWidth and clientWidth as loaded, nothing opened
    data: dict = field(default_factory=dict)       # COLLECT_JS: every <details> open, every displayed image loaded
    figures: list = field(default_factory=list)    # SHOWN_FIGURES_JS after COLLECT_JS
    layout: dict | None = None     # tests/layout.py MEASURE_JS (+ "fonts" drawn, light): pages but notebooks
    axe: list | None = None        # serious and critical violations (AXE_RULES of the scheme), None: not run

    @property
    def name(self) -> str:
        return f"{self.page.rel or '/' if self.page else '404'} [{self.scheme}]"


def visit_plan(pages: list[SitePage], missing: bool = True,
               light_only: tuple = ()) -> dict[tuple[str, str], list[SitePage | None]]:
    """(width, scheme) -> the pages visited. On a laptop every page and (``missing``) the 404 page; on a phone every
    page but the notebooks, and in light the notebook pages too (figures and sideways scroll, tests/test_reader.py).
    Pages in ``light_only`` are visited in light only."""
    plan = {}
    for width in VIEWPORTS:
        for scheme in SCHEMES:
            if width == "laptop":
                plan[(width, scheme)] = [*pages, None] if missing else list(pages)
            else:
                plan[(width, scheme)] = [p for p in pages if scheme == "light" or not is_notebook(p)]
            if scheme != "light":
                plan[(width, scheme)] = [p for p in plan[(width, scheme)] if p not in light_only]
    return plan


def screenshot_pages(pages: list[SitePage], topics: tuple[str, ...]) -> set[SitePage]:
    """Full-page screenshots in both schemes at a laptop's width: one page per topic that exists, the Ukrainian one,
    else the English one."""
    chosen = set()
    for topic in topics:
        found = [p for p in pages if p.topic == topic]
        if found:
            chosen.add(min(found, key=lambda p: p.lang != "uk"))
    return chosen


def visit_site(chromium, server: SiteServer, pages: list[SitePage], topics: tuple[str, ...],
               missing: bool = True, light_only: tuple = ()) -> dict:
    """Every visit of ``visit_plan``: {(width, scheme, rel): Visit}, rel None for the 404 page.

    In each load, in this order: the sideways scroll as loaded; the reader's screenshot (READER_SHOTS); every
    <details> opened and every displayed image loaded (COLLECT_JS); the layout measured with every block open
    (MEASURE_JS, pages but notebooks); the figures as drawn; the math fonts drawn (light); axe (every page on a
    laptop, pages but notebooks on a phone); screenshots. The next page loads only when no request is in flight."""
    from layout import MEASURE_JS, platform_fonts

    assert AXE.exists(), "node_modules/axe-core missing: run ./dev test (npm ci)"
    axe_src = AXE.read_text(encoding="utf-8")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    full_page_shots = screenshot_pages(pages, topics)
    out: dict = {}
    for (width, scheme), visiting in visit_plan(pages, missing, light_only).items():
        context = chromium.new_context(color_scheme=scheme, viewport=VIEWPORTS[width])
        tab = context.new_page()
        current: list[Visit] = []
        in_flight: set = set()

        def on_request(req):
            in_flight.add(req)
            current[-1].requests.append(req.url)
            if not req.url.startswith((server.origin + "/", "data:", "blob:")):
                current[-1].external.append(req.url)

        def on_failed(req):
            in_flight.discard(req)
            current[-1].failed.append(f"{req.url}: {req.failure}")

        def on_response(resp):
            v = current[-1]
            if resp.status >= 400 and not (v.page is None and resp.url == v.url):
                v.failed.append(f"{resp.url}: HTTP {resp.status}")

        def on_console(msg):
            if msg.type == "error":
                v = current[-1]
                loc = msg.location or {}
                # The 404 page's own document status is the point of it, not an error.
                if v.page is None and loc.get("url") == v.url and "404" in msg.text:
                    return
                v.console.append(f"{msg.text} @ {loc.get('url')}:{loc.get('lineNumber')}")

        tab.on("request", on_request)
        tab.on("requestfinished", lambda req: in_flight.discard(req))
        tab.on("requestfailed", on_failed)
        tab.on("response", on_response)
        tab.on("console", on_console)
        tab.on("pageerror", lambda err: current[-1].console.append(f"uncaught: {err}"))

        for page in visiting:
            rel = page.rel if page else None
            visit = Visit(page, server.url(rel if page else MISSING), width, scheme)
            current.append(visit)
            response = tab.goto(visit.url, wait_until="load")
            visit.status = response.status if response else 0
            visit.sideways = tuple(tab.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"))
            if scheme == "light" and rel in READER_SHOTS:
                load_all_images(tab)
                name = (rel.strip("/").replace("/", "-") or "home") + f"-{width}.png"
                tab.screenshot(path=str(SCREENSHOTS / name), full_page=rel == "")
            visit.data = tab.evaluate(COLLECT_JS)
            if page is not None and not is_notebook(page):
                visit.layout = tab.evaluate(MEASURE_JS)
                if scheme == "light" and visit.layout["mathCount"]:
                    visit.layout["fonts"] = sorted(platform_fonts(tab))
            visit.figures = tab.evaluate(SHOWN_FIGURES_JS)
            if width == "laptop" or visit.layout is not None:
                tab.add_script_tag(content=axe_src)
                visit.axe = tab.evaluate(AXE_JS, AXE_RULES[scheme])
            if visit.layout is not None and page.topic in topics:
                tab.evaluate("window.scrollTo(0, 0)")
                tab.screenshot(path=str(SCREENSHOTS / f"{page.lang}-{page.topic}-{width}-{scheme}.png"))
            if width == "laptop" and page in full_page_shots:
                tab.screenshot(path=str(SCREENSHOTS / f"{page.lang}-{page.topic}-{scheme}.png"), full_page=True)
            deadline = time.monotonic() + 10
            while in_flight and time.monotonic() < deadline:  # a late request belongs to this visit
                tab.wait_for_timeout(50)
            visit.failed += [f"{req.url}: still loading after 10 s" for req in in_flight]
            in_flight.clear()
            out[(width, scheme, rel)] = visit
        context.close()
    return out
