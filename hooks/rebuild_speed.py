"""Work of MkDocs and Material that a build need not repeat, kept in memory (``mkdocs serve``, tests) and on disk.

A prose edit under ``mkdocs serve`` rebuilds the whole site, both languages: MkDocs has no incremental build, and
its ``--dirty`` mode leaves the navigation, the search index and the other language stale. Almost all of a rebuild
was the same work as last time, for pages nobody touched; a warm ``mkdocs build`` in a new process repeated all of
it as well. This hook keeps MkDocs' and Material's share (our hooks keep their own, all through
``sitegen/pagecache.py``: in memory for the process, on disk under ``.cache/pages/``, keyed by content and by the
code and library versions):

- **Jinja templates compiled again** (MkDocs makes a new Jinja environment for every build, mkdocs-static-i18n
  builds once per language, and Material's search plugin makes one of its own in every ``on_config`` to read its
  language strings). Jinja's own answer is a *bytecode cache*
  (https://jinja.palletsprojects.com/en/stable/api/#bytecode-cache): compiled code is reused only while the
  checksum of the template's source matches, so an edited override compiles again. Kept in memory and in
  ``.cache/pages/jinja/``.
- **The theme's file list** (``Files.add_files_from_theme``: Jinja lists every file of every theme folder, Material's
  ten thousand icons included, and MkDocs matches each name against its exclude patterns, per build and language).
  Kept by the names in each theme folder that is not an installed package (an installed one changes only with its
  version, which every key holds) and the exclude patterns; docs files still shadow theme files.
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

Neither MkDocs nor Material offers a hook for these, so this wraps the methods (the versions are pinned in
requirements.txt), only while a build runs (``on_config`` to ``on_post_build``), and puts them back afterwards.
``tests/test_rebuild_speed.py`` checks that a rebuild from memory and a build from the disk cache are byte-identical
to a build that computes everything, and that an edited page, an edited listing, a new link target, a broken link,
a new snippet value, an edited termbase and a new theme file each reach the output of a cached build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import site
import sys
import sysconfig
import tempfile
import threading
import time
from pathlib import Path

from jinja2 import BytecodeCache
from mkdocs.structure.files import File, Files
from mkdocs import utils
from mkdocs.plugins import event_priority
from mkdocs.theme import Theme
from mkdocs.structure.pages import Page

if str(Path(__file__).resolve().parent.parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen import pagecache  # noqa: E402

try:  # Material's search plugin; the site uses it, a test project may not
    from material.plugins.search.plugin import SearchIndex
except ImportError:  # pragma: no cover
    SearchIndex = None
try:  # pymdown-extensions' code highlighting, which calls Pygments through this module's global `highlight`
    import pymdownx.highlight as _pymdownx_highlight
except ImportError:  # pragma: no cover
    _pymdownx_highlight = None



class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates in memory, and on disk next to the page cache (``.cache/pages/jinja/``) so that a new
    process (``mkdocs build``) does not compile Material's templates again. Jinja checks each entry against the
    template's source and its own bytecode format (which names the Python version) before using it."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self.folder: Path | None = None  # set per build (on_env); None: memory only

    def _path(self, key: str) -> Path | None:
        return None if self.folder is None else self.folder / f"{key}.jinja"

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is None and self._path(bucket.key) is not None:
            try:
                code = self._path(bucket.key).read_bytes()
            except OSError:
                code = None
        if code is not None:
            bucket.bytecode_from_string(code)  # Jinja itself drops it when the source checksum differs

    def dump_bytecode(self, bucket) -> None:
        code = bucket.bytecode_to_string()
        self._code[bucket.key] = code
        path = self._path(bucket.key)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
                with os.fdopen(fd, "wb") as fh:
                    fh.write(code)
                os.replace(tmp, path)
            except OSError:
                pass

    def clear(self) -> None:
        self._code.clear()


class _Recorder(logging.Handler):
    """Collects what a render logs, whichever logger it goes through (MkDocs' own does not propagate to root)."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record) -> None:
        if all(record is not r for r in self.records):
            self.records.append(record)


BYTECODE = _MemoryBytecodeCache()
_PROJECT: list[Path] = [Path.cwd()]  # the project being built (set in on_pre_build): where the caches live
STATS = {"render_hits": 0, "render_misses": 0, "search_hits": 0, "search_misses": 0}

_ORIGINAL_RENDER = Page.render
_ORIGINAL_THEME_FILES = Files.add_files_from_theme
_ORIGINAL_GET_ENV = Theme.get_env
_ORIGINAL_HIGHLIGHT = getattr(_pymdownx_highlight, "highlight", None)
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
        # MkDocs keeps the links to other pages' anchors only when not logging at DEBUG (`mkdocs build -v`)
        logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG,
    )


def _replay(records) -> None:
    """Log again what a render logged, as (logger, level, message) rows (an entry may come from another process)."""
    for name, level, message in records:
        logging.getLogger(name).handle(logging.makeLogRecord(
            {"name": name, "levelno": level, "levelname": logging.getLevelName(level), "msg": message}))


def _cached_render(self: Page, config, files) -> None:
    key = _render_key(self, config, files)
    renders = pagecache.store(_PROJECT[0], "render")
    hit = renders.get(renders.key(key)) if key is not None else pagecache.MISS
    if hit is not pagecache.MISS:
        STATS["render_hits"] += 1
        content, toc, title, anchors, links, records = hit
        self.content = content
        self.toc = toc  # a fresh copy: later hooks may edit titles in place
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
    renders.put(renders.key(key), (
        self.content, self.toc, self._title_from_render, frozenset(self.present_anchor_ids or ()),
        None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
        tuple((r.name, r.levelno, r.getMessage()) for r in recorder.records),
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
    entries = pagecache.store(_PROJECT[0], "search-entries")
    hit = entries.get(entries.key(key))
    if hit is not pagecache.MISS:
        STATS["search_hits"] += 1
        self.entries.extend(hit)
        return
    STATS["search_misses"] += 1
    start = len(self.entries)
    _ORIGINAL_SEARCH(self, page)
    entries.put(entries.key(key), self.entries[start:])


_INSTALLED_DIRS = tuple(sorted({os.path.realpath(p) for p in (*site.getsitepackages(), site.getusersitepackages(),
                                                               sysconfig.get_paths()["purelib"],
                                                               sysconfig.get_paths()["platlib"])}))


def _installed(path: str) -> bool:
    real = os.path.realpath(path)
    return any(real == d or real.startswith(d + os.sep) for d in _INSTALLED_DIRS)


def _theme_listing(path: str):
    """What decides which files a theme folder contributes: the names of its files. An installed package's folder
    (Material's, with its ten thousand icons) changes only with its version, which every key holds already."""
    if _installed(path):
        return "installed"
    return sorted(os.path.relpath(os.path.join(d, f), path) for d, _, fs in os.walk(path) for f in fs)


def _cached_theme_files(self: Files, env, config) -> None:
    """``Files.add_files_from_theme`` without walking the theme folders again: MkDocs lists every file of every theme
    folder (Jinja's ``list_templates``) and matches each name against its exclude patterns, on every build and for
    every language. Which files qualify is a function of the folders' file names and the exclude patterns; the list
    is kept by those (in memory and on disk, ``sitegen/pagecache.py``), and docs files still shadow theme files as
    MkDocs does."""
    dirs = list(config.theme.dirs)
    store = pagecache.store(_PROJECT[0], "theme-files")
    key = store.key(dirs, [_theme_listing(d) for d in dirs], sorted(config.theme.static_templates),
                    sorted(utils.markdown_extensions))

    def candidates():
        found = Files([])
        _ORIGINAL_THEME_FILES(found, env, config)
        return [(f.src_uri, f.src_dir) for f in found]

    for path, folder in store.memo(key, candidates):
        if self.get_file_from_path(path) is None:
            self.append(File(path, folder, config.site_dir, config.use_directory_urls))


def _cached_highlight(code, lexer, formatter, outfile=None):
    """Pygments' ``highlight`` for pymdownx.highlight, kept by the code, the lexer's and the formatter's classes and
    options (the whole input: its output is a function of them). An edited page keeps its listings: only its prose
    changed, and Pygments was most of the time its render took again."""
    if outfile is not None or getattr(lexer, "filters", None):
        return _ORIGINAL_HIGHLIGHT(code, lexer, formatter, outfile)
    store = pagecache.store(_PROJECT[0], "highlight")
    key = store.key(code, type(lexer).__module__, type(lexer).__qualname__, sorted(lexer.options.items()),
                    type(formatter).__module__, type(formatter).__qualname__, sorted(formatter.options.items()))
    return store.memo(key, lambda: _ORIGINAL_HIGHLIGHT(code, lexer, formatter))


def _get_env_with_bytecode(self: Theme):
    """``Theme.get_env`` with the compiled-template cache: Material's search plugin makes an environment of its own
    to read its language strings (``partials/language.html``) in every ``on_config``, that is twice per rebuild, and
    compiled that template and the ones it imports each time."""
    env = _ORIGINAL_GET_ENV(self)
    env.bytecode_cache = BYTECODE
    return env


def _install() -> None:
    Page.render = _cached_render
    Files.add_files_from_theme = _cached_theme_files
    Theme.get_env = _get_env_with_bytecode
    if SearchIndex is not None:
        SearchIndex.add_entry_from_context = _cached_search_entry
    if _ORIGINAL_HIGHLIGHT is not None:
        _pymdownx_highlight.highlight = _cached_highlight


def _uninstall() -> None:
    Page.render = _ORIGINAL_RENDER
    Files.add_files_from_theme = _ORIGINAL_THEME_FILES
    Theme.get_env = _ORIGINAL_GET_ENV
    if SearchIndex is not None:
        SearchIndex.add_entry_from_context = _ORIGINAL_SEARCH
    if _ORIGINAL_HIGHLIGHT is not None:
        _pymdownx_highlight.highlight = _ORIGINAL_HIGHLIGHT


def _use_project(config) -> None:
    _PROJECT[0] = pagecache.project_of(config)
    disk = os.environ.get("PAGE_CACHE", "1") != "0"
    BYTECODE.folder = pagecache.cache_root(_PROJECT[0]) / "jinja" if disk else None


log = logging.getLogger("mkdocs.rebuild_speed")
_CLOCK = {"start": None, "depth": 0}  # the outermost build's start, and how deep mkdocs-static-i18n has nested


@event_priority(100)  # first: before Material's search plugin reads its language strings (its on_config)
def on_config(config):
    if _CLOCK["depth"] == 0:
        _CLOCK["start"] = time.monotonic()
    _use_project(config)
    _install()
    return config


def on_env(env, config, files):
    env.bytecode_cache = BYTECODE
    return env


def on_pre_build(config):
    _CLOCK["depth"] += 1
    _use_project(config)
    _install()


@event_priority(-300)  # last: after mkdocs-static-i18n has built the other languages and our hooks have finished
def on_post_build(config):
    _uninstall()
    _CLOCK["depth"] -= 1
    if _CLOCK["depth"] == 0 and _CLOCK["start"] is not None:
        # The whole build, every language, as MkDocs' "Documentation built in" measures it; that line is logged only
        # when its text differs from every earlier one of the process (MkDocs' DuplicateFilter), so a `mkdocs serve`
        # whose rebuilds take the same hundredths of a second shows it once. This one is logged every time.
        log.info(f"all languages built in {time.monotonic() - _CLOCK['start']:.2f} s")
        _CLOCK["start"] = None


def on_build_error(error):
    _uninstall()
    _CLOCK["depth"], _CLOCK["start"] = 0, None


POLL_INTERVAL = 0.1  # seconds between two looks at the watched folders under `mkdocs serve` (MkDocs: 0.5)


def on_serve(server, config, builder):
    """Notice an edit sooner. MkDocs' server looks at every watched folder every 0.5 s (watchdog's polling observer,
    a fixed ``polling_interval`` that ``mkdocs serve`` does not expose), so an edit waited 0.25 s on average, up to
    0.5 s, before its rebuild began. Every 0.1 s instead: a look lists and stats the files of docs/, snippets/,
    sitegen/, hooks/ and notebooks/ (a few hundred), a millisecond or two. The folders of ``watch:`` are added after
    this event and take the observer's interval; the ones already added (docs/, mkdocs.yml) are set here."""
    observer = getattr(server, "observer", None)
    if observer is not None and isinstance(getattr(observer, "_timeout", None), (int, float)):
        observer._timeout = POLL_INTERVAL
        for emitter in list(getattr(observer, "emitters", ())):
            if isinstance(getattr(emitter, "_timeout", None), (int, float)):
                emitter._timeout = POLL_INTERVAL
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    return server


def _warm_up() -> None:
    """Load now what the first rebuild after an edit would load: the word dictionaries (pymorphy3's Ukrainian one,
    twice, and lemminflect's English one) that the edited page's search forms, glossary links and numerals need.
    The first build after start-up took every page from the page cache and loaded none of them; the first edit
    then paid half a second for them."""
    try:
        from sitegen import search, termbase

        search.word_forms("градієнт"), search.en_word_forms("gradient")
        termbase.uk_lemmas("градієнт"), termbase.en_lemmas("gradient")
    except Exception:  # noqa: BLE001 - a speed-up only: the rebuild loads them itself
        pass
