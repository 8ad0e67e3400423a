"""Browser harness for the built site: a local static server and the pages to visit.

``SiteServer(site, prefix)`` serves a built site the way GitHub Pages does: under a path prefix (``/<repo>/``),
with the root ``404.html`` and status 404 for any missing path. The test session serves ``built_site`` under the
prefix of its ``site_url`` (read back from the built ``sitemap.xml``), so absolute links MkDocs writes into the
404 page resolve exactly as they will when published. The standard library's ``http.server`` does the serving.

Usage outside the test session (e.g. to check the published layout under ``/dl-basics/``)::

    with SiteServer(Path("site"), "/dl-basics/") as server:
        page.goto(server.url("en/backprop/"))
"""

from __future__ import annotations

import functools
import http.server
import posixpath
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
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

