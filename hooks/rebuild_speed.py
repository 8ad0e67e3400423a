"""Work a rebuild need not repeat, remembered in memory for the life of the process (``mkdocs serve``, tests).

A prose edit under ``mkdocs serve`` rebuilds the whole site, both languages: MkDocs has no incremental build, and
its ``--dirty`` mode leaves the navigation, the search index and the other language stale. The rebuild cost about
3 s on the reference machine, and almost all of it was the same work as last time, for pages nobody touched:

- **Jinja templates compiled again** (MkDocs makes a new Jinja environment for every build, and
  mkdocs-static-i18n builds once per language). Jinja's own answer is a *bytecode cache*
  (https://jinja.palletsprojects.com/en/stable/api/#bytecode-cache): compiled code is reused only while the
  checksum of the template's source matches, so an edited override compiles again.
- **Markdown → HTML of unchanged pages** (``Page.render``: Python-Markdown, pymdown-extensions, Pygments). The
  result is a function of the page's Markdown *after* ``on_page_markdown`` (snippet values are already in it), the
  Markdown extensions and their settings, the link-validation settings and the set of files links can resolve to.
  The cache key is a hash of exactly those, plus the bytes of every file the page pulls in with pymdownx.snippets
  (``--8<-- "path:section"``, how a listing of a snippet gets into a page); a page using any other include form is
  never cached. Whatever the render logged (a broken-link warning, say) is stored and logged again on a hit, so
  ``--strict`` fails a cached rebuild just as it failed the first one.
- **Material's search indexer re-parsing unchanged HTML** (``SearchIndex.add_entry_from_context``, an
  ``html.parser`` pass over pages full of MathML). Its entries depend on the page's final HTML, URL, title, meta
  and table of contents, which make the key.

(Pure functions of ``sitegen`` that a rebuild repeats, TeX → MathML of a page and the notebook HTML clean-up, are
memoised where they are defined, with ``functools.lru_cache``.)

Neither MkDocs nor Material offers a hook for the last two, so this wraps the two methods (the versions are pinned
in requirements.txt), only while a build runs (``on_pre_build`` to ``on_post_build``), and puts them back afterwards.
Each cache keeps the most recently used entries only (LRU), so memory stays bounded. ``tests/test_rebuild_speed.py``
checks that a rebuild from memory is byte-identical to a fresh build of the real site, and that an edited page, an
edited listing, a new link target and a broken link each reach the output of a cached rebuild. On the reference
machine a ``mkdocs serve`` rebuild after a prose edit went from about 3 s to about 1 s.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import re
from collections import OrderedDict
from pathlib import Path

from jinja2 import BytecodeCache
from mkdocs.structure.pages import Page

try:  # Material's search plugin; the site uses it, a test project may not
    from material.plugins.search.plugin import SearchIndex
except ImportError:  # pragma: no cover
    SearchIndex = None

MAX_ENTRIES = 512  # pages × languages × a few recent versions of each


class _MemoryBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # Jinja itself drops it when the source checksum differs

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


class _LRU(OrderedDict):
    def get_fresh(self, key):
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def put(self, key, value) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > MAX_ENTRIES:
            self.popitem(last=False)


class _Recorder(logging.Handler):
    """Collects what a render logs, whichever logger it goes through (MkDocs' own does not propagate to root)."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record) -> None:
        if all(record is not r for r in self.records):
            self.records.append(record)


BYTECODE = _MemoryBytecodeCache()
RENDERS = _LRU()
SEARCH = _LRU()
STATS = {"render_hits": 0, "render_misses": 0, "search_hits": 0, "search_misses": 0}

_ORIGINAL_RENDER = Page.render
_ORIGINAL_SEARCH = SearchIndex.add_entry_from_context if SearchIndex is not None else None
_files_digest: tuple[object, str] | None = None


def _digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, str) else repr(part)
        h.update(data.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _files_key(files) -> str:
    """Everything a link in a page can resolve to; computed once per Files object (once per build and language)."""
    global _files_digest
    if _files_digest is None or _files_digest[0] is not files:
        rows = sorted((f.src_uri, f.dest_uri, f.url, str(f.inclusion)) for f in files)
        _files_digest = (files, _digest(rows))
    return _files_digest[1]


_INCLUDE = re.compile(r'^[ \t]*--8<--[ \t]+"([^"]+)"[ \t]*$', re.M)
_SECTION_MARK = re.compile(r"--8<-- \[(?:start|end):[\w-]+\]")


def _included(markdown: str, config) -> list | None:
    """The files a page pulls in with pymdownx.snippets, as (path, sha256) rows; None when the page uses a form
    this key does not understand (block includes, URLs, missing files, includes nested in an included file)."""
    if "--8<--" not in markdown:
        return []
    if markdown.count("--8<--") != len(_INCLUDE.findall(markdown)):
        return None
    bases = (config["mdx_configs"].get("pymdownx.snippets") or {}).get("base_path") or ["."]
    bases = [bases] if isinstance(bases, str) else bases
    rows = []
    for spec in _INCLUDE.findall(markdown):
        name = spec.split(":", 1)[0]
        path = next((Path(b) / name for b in bases if (Path(b) / name).is_file()), None)
        if path is None:
            return None
        data = path.read_bytes()
        if b"--8<--" in _SECTION_MARK.sub("", data.decode("utf-8", "replace")).encode():
            return None
        rows.append((spec, hashlib.sha256(data).hexdigest()))
    return rows


def _render_key(page, config, files) -> str | None:
    included = _included(page.markdown, config)
    if included is None:
        return None
    return _digest(
        page.file.src_uri, page.file.dest_uri, page.file.url, page.markdown, included,
        config["markdown_extensions"], sorted(config["mdx_configs"].items()), config["validation"],
        config["use_directory_urls"], _files_key(files),
    )


def _replay(records) -> None:
    for record in records:
        logging.getLogger(record.name).handle(record)


def _cached_render(self: Page, config, files) -> None:
    key = _render_key(self, config, files)
    hit = RENDERS.get_fresh(key) if key is not None else None
    if hit is not None:
        STATS["render_hits"] += 1
        content, toc, title, anchors, links, records = hit
        self.content = content
        self.toc = copy.deepcopy(toc)  # later hooks may edit titles in place
        self._title_from_render = title
        self.present_anchor_ids = set(anchors)
        if links is not None:
            by_uri = {f.src_uri: f for f in files}
            self.links_to_anchors = {by_uri[uri]: dict(v) for uri, v in links.items()}
        _replay(records)
        return
    STATS["render_misses"] += 1
    recorder = _Recorder()
    loggers = [logging.getLogger(), logging.getLogger("mkdocs")]
    for lg in loggers:
        lg.addHandler(recorder)
    try:
        _ORIGINAL_RENDER(self, config, files)
    finally:
        for lg in loggers:
            lg.removeHandler(recorder)
    if key is None:
        return
    links = self.__dict__.get("links_to_anchors")
    RENDERS.put(key, (
        self.content, copy.deepcopy(self.toc), self._title_from_render, frozenset(self.present_anchor_ids or ()),
        None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
        tuple(recorder.records),
    ))


def _toc_rows(items) -> list:
    return [(item.id, item.url, item.title, _toc_rows(item.children)) for item in items]


def _cached_search_entry(self, page) -> None:
    meta = page.meta
    key = _digest(
        page.content, page.url, page.title, _toc_rows(page.toc),
        json.dumps({k: meta.get(k) for k in ("search", "tags", "title")}, sort_keys=True, default=str),
        sorted(self.config.items()) if isinstance(self.config, dict) else self.config,
    )
    hit = SEARCH.get_fresh(key)
    if hit is not None:
        STATS["search_hits"] += 1
        self.entries.extend(copy.deepcopy(hit))
        return
    STATS["search_misses"] += 1
    start = len(self.entries)
    _ORIGINAL_SEARCH(self, page)
    SEARCH.put(key, copy.deepcopy(self.entries[start:]))


def _install() -> None:
    Page.render = _cached_render
    if SearchIndex is not None:
        SearchIndex.add_entry_from_context = _cached_search_entry


def _uninstall() -> None:
    Page.render = _ORIGINAL_RENDER
    if SearchIndex is not None:
        SearchIndex.add_entry_from_context = _ORIGINAL_SEARCH


def on_env(env, config, files):
    env.bytecode_cache = BYTECODE
    return env


def on_pre_build(config):
    _install()


def on_post_build(config):
    _uninstall()


def on_build_error(error):
    _uninstall()
