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

from sitegen.directives import Context, DirectiveError, expand, parse  # noqa: E402
from sitegen.mathml import MathError, typeset  # noqa: E402
from sitegen.parity import untranslated  # noqa: E402
from sitegen.runner import Runner, SnippetError  # noqa: E402
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


def on_config(config):
    if S.depth == 0:  # a new outermost build (this module lives as long as the process: reset per build)
        opts = config.extra.get("snippets", {}) or {}
        langs, _ = _langs(config)
        S.root = Path(config.config_file_path).resolve().parent if config.config_file_path else ROOT
        S.runner = Runner(S.root, langs=langs, timeout=float(opts.get("timeout", 120)),
                          cache_dir=os.environ.get("SNIPPETS_CACHE_DIR") or None)
        S.final_site_dir = None
        S.results, S.failed, S.names, S.stats = {}, {}, [], None
    if S.command != "serve" and S.final_site_dir is None:
        # Build into a staging folder; it replaces site_dir only when the whole build succeeded.
        S.final_site_dir = config.site_dir
        config.site_dir = config.site_dir.rstrip("/\\") + ".staging"
    _configure_repository(config)
    config.extra["provenance"] = _provenance()
    return config


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
    docs = Path(config.docs_dir)
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.config.docs_structure == "folder":
        # A page in one language only: i18n would copy it silently into the other language's tree.
        missing = untranslated(docs, _langs(config)[0],
                               f"{docs.relative_to(S.root).as_posix()}/" if docs.is_relative_to(S.root) else "")
        if missing:
            _fail("\n".join(missing))
    embedded_by: dict[str, str] = {}
    for md in sorted(docs.rglob("*.md")):
        label = md.relative_to(S.root).as_posix() if md.is_relative_to(S.root) else str(md)
        try:
            directives = parse(md.read_text(encoding="utf-8"))
        except DirectiveError as exc:
            _fail(f"{label}:{str(exc).removeprefix('line ')}")
            continue
        for d in directives:
            embedded_by.setdefault(d.snippet, f"{label}:{d.line}")
    for name, where in notebook_pages.snippet_names(S.root).items():
        embedded_by.setdefault(name, where)
    S.names = sorted(n for n in embedded_by if S.runner.exists(n))
    results, stats = S.runner.ensure(S.names, embedded_by, strict=S.command != "serve")
    S.results, S.stats = results, stats
    S.failed = {name: str(err) for name, err in stats.errors.items()}
    for msg in S.failed.values():
        serve_log.error(msg)


def _fail(message: str):
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
                                    S.root / ".cache" / "notebooks")


_ERROR_TITLE = {"uk": "Помилка скрипта", "en": "Snippet error"}


def _error_box(message: str, lang: str = "en") -> str:
    serve_log.error(message)
    title = _ERROR_TITLE.get(lang, _ERROR_TITLE["en"])
    return (f'\n<div class="admonition failure"><p class="admonition-title">{title}</p>'
            f"<pre>{html.escape(message)}</pre></div>\n")


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        return markdown  # a notebook page: mkdocs-jupyter renders it; its "markdown" is the notebook's JSON
    lang = _current_lang(config)
    docs = Path(config.docs_dir)
    label = f"{docs.relative_to(S.root).as_posix()}/{page.file.src_uri}" if docs.is_relative_to(S.root) \
        else page.file.src_uri
    results = dict(S.results)
    on_error = (lambda message: _error_box(message, lang)) if S.command == "serve" else None
    ctx = Context(lang=lang, page_src=page.file.src_uri, page_label=label, results=results,
                  figure_src=_figure_src(lang), on_error=on_error, failed=S.failed)
    try:
        return expand(markdown, ctx)
    except DirectiveError as exc:
        raise PluginError(str(exc)) from None


def on_page_content(html_text, page, config, files):
    lang = _current_lang(config)
    prefix = "" if lang == _langs(config)[1] else f"{lang}/"
    html_text = notebook_pages.page_html(html_text, page, config, S.root, lang, prefix)
    _plain_math_titles(page)
    try:
        return typeset(html_text)
    except MathError as exc:
        label = page.file.src_uri
        _fail(f"docs/{label}: {exc}")
        return html_text


_TEX_INLINE = re.compile(r"\\\((.*?)\\\)")


def _plain_math_titles(page):
    """Table-of-contents and navigation titles are plain text: show ``$p(0.7)$`` as ``p(0.7)``, not ``\\(p(0.7)\\)``."""
    def walk(items):
        for item in items:
            item.title = _TEX_INLINE.sub(r"\1", item.title)
            walk(item.children)

    walk(page.toc)
    if page.title:
        page.title = _TEX_INLINE.sub(r"\1", page.title)


@event_priority(-200)  # after mkdocs-static-i18n has built the other languages
def on_post_build(config):
    S.depth -= 1
    if S.depth > 0:
        return
    _expand_search_index(config)
    if S.command != "serve" and not S.failed:
        S.runner.prune(S.names)  # entries of snippets no page uses any more
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
    """Ukrainian word forms into the search index that i18n has just written for all languages (sitegen/search.py)."""
    from sitegen.search import expand_index

    index = Path(config.site_dir) / "search" / "search_index.json"
    if index.exists():
        langs, default = _langs(config)
        r = expand_index(index, langs, default)
        log.info(f"search: {r['forms']} Ukrainian word forms indexed; search_index.json "
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
