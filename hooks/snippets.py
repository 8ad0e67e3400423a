"""The thin MkDocs side of the snippet pipeline: everything else lives in ``sitegen`` and knows nothing of MkDocs.

Order of events with mkdocs-static-i18n (which builds the other language from inside its own ``on_post_build``):
``pre_build(uk)`` → … → ``post_build(uk)`` → [``pre_build(en)`` → … → ``post_build(en)``] → end. The snippets
run in the outermost ``pre_build`` (depth 0), for the pages of every language at once, so the second language is a
pure cache hit; the summary line, cache pruning and the move of the staged site happen when depth returns to 0.
"""

from __future__ import annotations

import html
import logging
import os
import pickle
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sitegen.directives import Context, DirectiveError, expand, parse_cached  # noqa: E402
from sitegen.mathml import _MATH, MathError, check_tex, to_mathml, typeset  # noqa: E402
from sitegen.parity import mismatches, untranslated  # noqa: E402
from sitegen.runner import Runner, SnippetError  # noqa: E402
from sitegen import pagecache  # noqa: E402
from sitegen import topics as topics_data  # noqa: E402
from hooks import notebook_pages  # noqa: E402  (companion notebooks: pages, downloads, links)

log = logging.getLogger("mkdocs.snippets")
# Under `mkdocs serve` a failure is reported outside the "mkdocs" logger: strict mode would otherwise abort the
# rebuild and the server would keep showing the previous (stale) pages. The page shows the error instead.
serve_log = logging.getLogger("sitegen.serve")
if not serve_log.handlers:
    _h = logging.StreamHandler(sys.stderr)
    _h.setFormatter(logging.Formatter("ERROR   -  %(message)s"))
    serve_log.addHandler(_h)
    serve_log.propagate = False


class _Counter(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


class _State:
    command: str | None = None
    root: Path = ROOT
    depth = 0
    runner: Runner | None = None
    results: dict = {}
    failed: dict = {}
    names: list = []
    stats = None
    final_site_dir: str | None = None
    counter: _Counter | None = None
    shown: set = set()  # (lang, snippet): the one error box of a failing snippet already placed on a page
    page_warnings: dict = {}  # (lang, src_uri) -> warnings that would fail a strict build (serve shows a banner)
    reported = 0  # problems reported so far (a page's math is cached only when it reported none)
    digests: dict = {}  # snippet -> a hash of its results (part of the key of a page's cached expansion)
    provenance: dict | None = None  # the commit, torch and Python versions shown in the footer, found once per build


S = _State()


def _langs(config) -> tuple[list[str], str]:
    i18n = config.plugins.get("i18n")
    if i18n is None:
        lang = config.theme.get("language", "en")
        return [lang], lang
    langs = [lang.locale for lang in i18n.config.languages]
    default = next(lang.locale for lang in i18n.config.languages if lang.default)
    return langs, default


def _current_lang(config) -> str:
    i18n = config.plugins.get("i18n")
    return i18n.current_language if i18n is not None else _langs(config)[1]


def on_startup(command, dirty):
    S.command = command


class _PageWarnings(logging.Handler):
    """Under ``mkdocs serve`` (non-strict): remember each warning with the page it concerns, for a banner there."""

    _DOC = re.compile(r"'([^']+\.(?:md|ipynb))'")

    def __init__(self):
        super().__init__(logging.WARNING)
        self.page: tuple | None = None
        self.lang = None

    def emit(self, record):
        if record.name.startswith("sitegen"):
            return
        msg = record.getMessage()
        m = self._DOC.search(msg)
        key = (self.lang, m.group(1).split("/", 1)[-1] if m and m.group(1).startswith(f"{self.lang}/") else
               m.group(1)) if m else self.page
        if key is not None:
            S.page_warnings.setdefault(key, []).append(msg)


_page_warnings = _PageWarnings()


def on_config(config):
    notebook_pages.load_jupyter(config)  # mkdocs-jupyter, its heavy imports deferred (extra.notebooks)
    if S.depth == 0:  # a new outermost build (this module lives as long as the process: reset per build)
        opts = config.extra.get("snippets", {}) or {}
        langs, _ = _langs(config)
        S.root = Path(config.config_file_path).resolve().parent if config.config_file_path else ROOT
        S.runner = Runner(S.root, langs=langs, timeout=float(opts.get("timeout", 120)),
                          cache_dir=os.environ.get("SNIPPETS_CACHE_DIR") or None)
        S.final_site_dir = None
        S.results, S.failed, S.names, S.stats, S.digests = {}, {}, [], None, {}
    if S.command == "serve":
        # `./dev serve` is `mkdocs serve --no-strict`: a strict abort would leave the server answering nothing
        # (README "The two commands"). Each warning is logged and shown as a banner on the page it concerns;
        # `./dev build` and CI stay strict.
        mk = logging.getLogger("mkdocs")
        for h in [h for h in mk.handlers if type(h).__name__ == "_PageWarnings" and h is not _page_warnings]:
            mk.removeHandler(h)  # left by an earlier load of this hook module
        if _page_warnings not in mk.handlers:
            mk.addHandler(_page_warnings)
    if S.depth == 0 and config.nav is None and (S.root / "topics.yml").is_file():
        _configure_nav(config)
    if S.command != "serve" and S.final_site_dir is None:
        # Build into a staging folder; it replaces site_dir only when the whole build succeeded.
        S.final_site_dir = config.site_dir
        config.site_dir = config.site_dir.rstrip("/\\") + ".staging"
    _configure_repository(config)
    if S.depth == 0 or S.provenance is None:  # once per build: each language's on_config asked git again
        S.provenance = _provenance()
    config.extra["provenance"] = dict(S.provenance)
    return config


def _configure_nav(config):
    """The navigation from topics.yml: home, the topics in teaching order, glossary, "How it works", then the
    companion notebooks in a section of their own (its title translated for the other languages)."""
    langs, default = _langs(config)
    config.nav = topics_data.nav(S.root, default)
    i18n = config.plugins.get("i18n")
    if i18n is not None:
        for lang in i18n.config.languages:
            if lang.locale != default and lang.locale in topics_data.NOTEBOOKS_SECTION:
                lang.nav_translations = {**(lang.nav_translations or {}),
                                         topics_data.NOTEBOOKS_SECTION[default]:
                                             topics_data.NOTEBOOKS_SECTION[lang.locale]}


def _configure_repository(config):
    """``extra.repository: owner/name`` is the one publishing setting: ``site_url`` and the source link derive from it.

    ``site_url`` becomes ``https://owner.github.io/name/`` (``https://owner.github.io/`` for a user site named
    ``owner.github.io``) unless mkdocs.yml sets one (a custom domain). Under ``mkdocs serve`` no ``site_url`` is
    derived, so the preview stays at ``http://127.0.0.1:8000/``. ``repo_url`` is deliberately not set: Material would
    query the GitHub API from every page.
    """
    repo = str(config.extra.get("repository") or "").strip().strip("/")
    if not repo:
        return
    if repo.count("/") != 1:
        raise PluginError(f"extra.repository must be 'owner/name', got {repo!r}")
    owner, name = repo.split("/")
    config.extra["repository_url"] = f"https://github.com/{owner}/{name}"
    if not config.site_url and S.command != "serve":
        host = f"{owner.lower()}.github.io"
        config.site_url = f"https://{host}/" if name.lower() == host else f"https://{host}/{name}/"


def _provenance() -> dict:
    try:
        commit = subprocess.run(["git", "describe", "--always", "--abbrev=12", "--dirty=+uncommitted"],
                                cwd=S.root, capture_output=True, text=True, timeout=10).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        commit = "unknown"
    return {"commit": commit, "torch": metadata.version("torch"), "python": sys.version.split()[0]}


def on_pre_build(config):
    S.depth += 1
    notebook_pages.use_language_cache(config, S.root, _current_lang(config))
    if S.depth > 1:
        return
    S.counter = _Counter()
    logging.getLogger("mkdocs").addHandler(S.counter)
    pagecache.begin_build(S.root)
    docs = Path(config.docs_dir)
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.config.docs_structure == "folder":
        # A page in one language only: i18n would copy it silently into the other language's tree.
        missing = untranslated(docs, _langs(config)[0],
                               f"{docs.relative_to(S.root).as_posix()}/" if docs.is_relative_to(S.root) else "")
        if missing:
            _fail("\n".join(missing))
        # Same heading ids, directives and equations in every language, checked before anything runs.
        for diff in mismatches(docs, _langs(config)[0],
                               f"{docs.relative_to(S.root).as_posix()}/" if docs.is_relative_to(S.root) else "",
                               cache=pagecache.store(S.root, "parity")):
            _fail(diff)
    if (S.root / "topics.yml").is_file():
        try:
            for problem in topics_data.problems(S.root):
                _fail(problem)
        except topics_data.TopicsError as exc:
            _fail(str(exc))
    embedded_by: dict[str, str] = {}
    for md in sorted(docs.rglob("*.md")):
        label = md.relative_to(S.root).as_posix() if md.is_relative_to(S.root) else str(md)
        try:
            directives = parse_cached(md.read_text(encoding="utf-8"))
        except DirectiveError as exc:
            _fail(f"{label}:{str(exc).removeprefix('line ')}")
            continue
        for d in directives:
            embedded_by.setdefault(d.snippet, f"{label}:{d.line}")
    for name, where in notebook_pages.snippet_names(S.root).items():
        embedded_by.setdefault(name, where)
    S.names = sorted(n for n in embedded_by if S.runner.exists(n))
    try:
        results, stats = S.runner.ensure(S.names, embedded_by, strict=S.command != "serve")
    except SnippetError as exc:
        raise PluginError(str(exc)) from None  # the snippet's own traceback, none of MkDocs'
    S.results, S.stats = results, stats
    S.digests = {name: pagecache.digest(name, pickle.dumps(r, protocol=5)) for name, r in results.items()}
    S.failed = {name: str(err) for name, err in stats.errors.items()}
    S.shown = set()
    S.page_warnings = {}
    for msg in S.failed.values():
        serve_log.error(msg)


def _fail(message: str):
    S.reported += 1
    if S.command == "serve":
        serve_log.error(message)
    else:
        raise PluginError(message)


def _figure_src(lang):
    return lambda snippet, fig, theme: f"{lang}/_figures/{snippet}/{fig}.{theme}.svg"


@event_priority(-150)  # after mkdocs-static-i18n has rebuilt the file list for this language
def on_files(files, config):
    lang = _current_lang(config)
    _, default = _langs(config)
    prefix = "" if lang == default else f"{lang}/"
    for name, r in S.results.items():
        for theme, figs in r["figures"].get(lang, {}).items():
            for fig, svg in figs.items():
                src = _figure_src(lang)(name, fig, theme)
                f = File.generated(config, src, content=svg)
                f.dest_uri = prefix + src.split("/", 1)[1]
                files.append(f)
    return notebook_pages.add_files(files, config, S.root, lang, prefix, S.results,
                                    S.root / ".cache" / "notebooks", S.digests)


ERROR_TITLES = {
    "snippet": {"uk": "Помилка скрипта", "en": "Snippet error"},
    "page": {"uk": "Помилка на сторінці", "en": "Error on this page"},
    "math": {"uk": "Помилка у формулі", "en": "Error in a formula"},
    "warning": {"uk": "Попередження збирання (строге збирання зупинилося б)",
                "en": "Build warning (a strict build would stop here)"},
}


def _box(kind: str, lang: str, message: str, inline: bool = False) -> str:
    title = ERROR_TITLES[kind].get(lang, ERROR_TITLES[kind]["en"])
    if inline:
        return f'<span class="snippet-error" title="{html.escape(message)}">⚠ {html.escape(title)}</span>'
    return (f'\n<div class="admonition failure"><p class="admonition-title">{html.escape(title)}</p>'
            f"<pre>{html.escape(message)}</pre></div>\n")


def _error_box_for(lang: str, label: str):
    """Under serve: one error box per failing snippet per page language (the first directive that uses it), a
    small marker for its other directives; a page's own mistake (unknown value, bad argument) gets its box."""
    def on_error(message: str, snippet: str | None = None, inline: bool = False) -> str:
        if snippet is not None and snippet in S.failed:
            if (lang, label, snippet) in S.shown:
                return _box("snippet", lang, message.splitlines()[0], inline=True)
            S.shown.add((lang, label, snippet))
            return _box("snippet", lang, S.failed[snippet])  # logged once, in on_pre_build
        serve_log.error(message)
        return _box("page", lang, message, inline=inline)
    return on_error


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        return markdown  # a notebook page: mkdocs-jupyter renders it; its "markdown" is the notebook's JSON
    lang = _current_lang(config)
    docs = Path(config.docs_dir)
    label = f"{docs.relative_to(S.root).as_posix()}/{page.file.src_uri}" if docs.is_relative_to(S.root) \
        else page.file.src_uri
    results = dict(S.results)
    on_error = _error_box_for(lang, label) if S.command == "serve" else None
    _page_warnings.page, _page_warnings.lang = (lang, page.file.src_uri.split("/", 1)[-1]), lang
    errors = []

    def counted(*args, **kwargs):
        errors.append(args)
        return on_error(*args, **kwargs)

    ctx = Context(lang=lang, page_src=page.file.src_uri, page_label=label, results=results,
                  figure_src=_figure_src(lang), on_error=counted if on_error else None, failed=S.failed)
    # The expansion is a function of the page's text, its language and place, the results of the snippets it names
    # and topics.yml (the home page's cards): kept by those (sitegen/pagecache.py), and only when nothing failed.
    cache, key = pagecache.store(S.root, "expand"), None
    try:
        used = sorted({d.snippet for d in parse_cached(markdown)})
    except DirectiveError:
        used = None
    if used is not None and all(n in S.digests and n not in S.failed for n in used):
        key = cache.key(lang, page.file.src_uri, label, markdown, [S.digests[n] for n in used], _topics_bytes())
        done = cache.get(key)
        if done is not pagecache.MISS:
            return done
    try:
        expanded = expand(markdown, ctx)
    except DirectiveError as exc:
        raise PluginError(str(exc)) from None
    if key is not None and not errors:
        cache.put(key, expanded)
    return expanded


def _topics_bytes() -> bytes:
    try:
        return (topics_data.ROOT / "topics.yml").read_bytes()  # what the cards directive reads (sitegen/cards.py)
    except OSError:
        return b""


def on_page_content(html_text, page, config, files):
    lang = _current_lang(config)
    prefix = "" if lang == _langs(config)[1] else f"{lang}/"
    html_text = notebook_pages.page_html(html_text, page, config, S.root, lang, prefix)
    _plain_math_titles(page)
    # The math of a page is a function of its HTML: kept by it (sitegen/pagecache.py), but only when nothing was
    # wrong with it, so a page with a bad formula reports it on every build.
    cache = pagecache.store(S.root, "math")
    key = cache.key(lang, html_text)
    done = cache.get(key)
    if done is not pagecache.MISS:
        return done
    reported = S.reported
    html_text = _checked_math(html_text, page, lang)
    try:
        html_text = typeset(html_text)
    except MathError as exc:
        _fail(f"{_label(page)}: {exc}")
        return html_text
    _no_dollars_left(html_text, page)
    if S.reported == reported:
        cache.put(key, html_text)
    return html_text


def _label(page) -> str:
    return f"docs/{page.file.src_uri}" if not page.file.src_uri.startswith("docs/") else page.file.src_uri


def _source_line(page, needle: str) -> int | None:
    """The line of the page's Markdown source where ``needle`` (or its first 12 characters) is written."""
    try:
        text = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    except (OSError, TypeError):
        return None
    for probe in (needle, needle[:12].strip()):
        i = text.find(probe) if probe else -1
        if i >= 0:
            return text.count("\n", 0, i) + 1
    return None


def _checked_math(html_text: str, page, lang: str) -> str:
    """Every formula checked (unknown command, unbalanced braces, conversion): under build the first one fails it,
    under serve it becomes an error box in place and the rest of the page is typeset."""
    def repl(m):
        display = m["block"] is not None
        tex = html.unescape(m["block"] if display else m["inline"]).strip()
        problems = check_tex(tex)
        if not problems:
            try:
                to_mathml(tex, display)
                return m.group(0)
            except MathError as exc:
                problems = [str(exc)]
        line = _source_line(page, tex)
        message = (f"{_label(page)}{f':{line}' if line else ''}: formula {'$$' if display else '$'}{tex}"
                   f"{'$$' if display else '$'}: {'; '.join(problems)}")
        if S.command != "serve":
            raise PluginError(message)
        S.reported += 1
        serve_log.error(message)
        return _box("math", lang, message, inline=not display)

    return _MATH.sub(repl, html_text)


_NOT_TEXT = re.compile(r"<(pre|code|script|style|math)\b.*?</\1>|<[^>]+>", re.S)


def _no_dollars_left(html_text: str, page):
    """A ``$`` in the rendered text is a formula that did not become math: ``$y = $`` (a space before the closing
    ``$``), an odd number of ``$`` on a line. Code, scripts and attributes are not text."""
    text = _NOT_TEXT.sub(" ", html_text)
    i = text.find("$")
    if i < 0:
        return
    context = html.unescape(text[max(0, i - 30):i + 30]).replace("\n", " ").strip()
    around = html.unescape(text[i:i + 20]).split("\n")[0]
    line = _source_line(page, around) or _source_line(page, context)
    _fail(f"{_label(page)}{f':{line}' if line else ''}: a $ is left in the page's text (…{context}…): a formula "
          f"that did not become math: no space may follow the opening $ or precede the closing one")


@event_priority(-50)
def on_post_page(output, page, config):
    """Under serve: the warnings that would fail a strict build, as a banner at the top of the affected page."""
    if S.command != "serve":
        return output
    lang = _current_lang(config)
    rel = page.file.src_uri.split("/", 1)[-1]
    found = S.page_warnings.get((lang, rel)) or S.page_warnings.get((lang, page.file.src_uri))
    if not found:
        return output
    banner = _box("warning", lang, "\n".join(dict.fromkeys(found)))
    return re.sub(r'(<article\b[^>]*>)', lambda m: m.group(1) + banner, output, count=1)


_TEX_INLINE = re.compile(r"\\\((.*?)\\\)")


def _plain_math_titles(page):
    """Table-of-contents and navigation titles are plain text: show ``$p(0.7)$`` as ``p(0.7)``, not ``\\(p(0.7)\\)``."""
    def walk(items):
        for item in items:
            item.title = _TEX_INLINE.sub(r"\1", item.title).replace("{,}", ",")
            walk(item.children)

    walk(page.toc)
    if page.title:
        page.title = _TEX_INLINE.sub(r"\1", page.title).replace("{,}", ",")


@event_priority(-200)  # after mkdocs-static-i18n has built the other languages
def on_post_build(config):
    S.depth -= 1
    if S.depth > 0:
        return
    _expand_search_index(config)
    if S.command != "serve" and not S.failed:
        S.runner.prune(S.names)  # entries of snippets no page uses any more
        if not (S.counter is not None and S.counter.count):
            pagecache.prune(S.root)  # results of pages, files and code versions this build did not use
    log.info(pagecache.summary(S.root))
    if S.stats is not None:
        log.info(S.stats.line())  # the build's last line of its own: benchmarks and people read it
    if S.counter is not None:
        logging.getLogger("mkdocs").removeHandler(S.counter)
    if S.final_site_dir and config.site_dir != S.final_site_dir:
        if config.strict and S.counter is not None and S.counter.count:
            log.error(f"strict build had {S.counter.count} warning(s): {S.final_site_dir} left untouched")
            return
        _move_into_place(config.site_dir, S.final_site_dir)
        config.site_dir = S.final_site_dir


def _expand_search_index(config):
    """Ukrainian and English word forms into the search index that i18n has just written for all languages (sitegen/search.py)."""
    from sitegen.search import expand_index

    index = Path(config.site_dir) / "search" / "search_index.json"
    if index.exists():
        langs, default = _langs(config)
        r = expand_index(index, langs, default, cache=pagecache.store(S.root, "search-forms"))
        per_lang = ", ".join(f"{n} {lang}" for lang, n in r["by_lang"].items())
        log.info(f"search: {r['forms']} word forms indexed ({per_lang}); search_index.json "
                 f"{r['before'] / 1000:.1f} kB -> {r['after'] / 1000:.1f} kB")


def _move_into_place(staging: str, final: str):
    old = final.rstrip("/\\") + ".old"
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(final):
        os.replace(final, old)
    os.replace(staging, final)
    shutil.rmtree(old, ignore_errors=True)


def on_build_error(error):
    if S.final_site_dir:  # the staged half-build goes; the previous site at final_site_dir was never touched
        shutil.rmtree(S.final_site_dir.rstrip("/\\") + ".staging", ignore_errors=True)
    S.depth = 0
    if S.counter is not None:
        logging.getLogger("mkdocs").removeHandler(S.counter)
        S.counter = None
