"""The language of the site, enforced at build time (issue 18). Everything comes from ``termbase.yml``.

1. **Language check** (``sitegen/langcheck.py``): every Ukrainian page, figure label, table header, notebook text and
   interface string against the termbase; a rejected variant is a warning with ``file:line`` (so ``--strict`` fails).
   Numeral agreement («34 рази», not «34 разів») is checked on the built text of each Ukrainian page, where the
   numbers are the ones a reader sees; its findings name the page's source line.
   Files listed in ``extra.language_check.pending`` (mkdocs.yml) are reported as a list at INFO instead: pages
   another change is rewriting, whose findings are applied after it lands. Empty the list to make them strict.
2. **Glossary** (``docs/<lang>/glossary.md``): the tables are generated from the termbase in place of
   ``<!-- glossary -->``, one anchor per concept.
3. **Glossary links on first use**: the first occurrence of a term on each page (found through its lemma: pymorphy3
   for Ukrainian, lemminflect for English) links to its glossary entry, with the definition as a tooltip. Never
   inside headings, links, code, math, quotes, figures or tables.
4. **Interface strings in the page's language**: the ``toc`` permalink tooltip (a Markdown extension option, which
   mkdocs-static-i18n cannot set per language), the navigation section of the notebooks and the notebooks' titles
   (``topics.yml``). The footer's licence line is ``copyright`` per language in mkdocs.yml (i18n overrides). Material's own Ukrainian strings
   are corrected in ``overrides/partials/language.html``.
"""

from __future__ import annotations

import html
import logging
import re
import sys
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sitegen import glossary as gl  # noqa: E402
from sitegen import langcheck  # noqa: E402
from sitegen import pagecache  # noqa: E402
from sitegen import termbase as tb  # noqa: E402
from sitegen.directives import parse as parse_directives  # noqa: E402

log = logging.getLogger("mkdocs.language")

PERMALINK_TITLE = {"uk": "Постійне посилання на цей розділ", "en": "Permanent link to this section"}


class _State:
    depth = 0
    rules: langcheck.Rules | None = None
    base: tb.Termbase | None = None
    base_key = ""  # a hash of termbase.yml's bytes: part of the key of every cached result that depends on it
    stamp = None
    listed: list = []


S = _State()


def _lang(config) -> str:
    i18n = config.plugins.get("i18n")
    return i18n.current_language if i18n is not None else config.theme.get("language", "en")


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent if config.config_file_path else ROOT


def _opts(config) -> dict:
    return config.extra.get("language_check") or {}


def _pending(f, entries) -> bool:
    for e in entries:
        name, _, lines = str(e).partition(":")
        if f.file == name:
            if not lines:
                return True
            lo, _, hi = lines.partition("-")
            if int(lo) <= f.line <= int(hi or lo):
                return True
    return False


def _report(findings, config):
    pending = _opts(config).get("pending") or []
    listed = []
    for f in findings:
        if _pending(f, pending):
            listed.append(f)
        else:
            log.warning(f"language: {f}")
    if listed:
        log.info(f"language: {len(listed)} finding(s) in pages listed as pending (extra.language_check.pending), "
                 "to apply after their rewrite:\n  " + "\n  ".join(map(str, listed)))
    S.listed += listed


def _rules() -> langcheck.Rules:
    """The check's rules, made from the termbase on first need (a build whose files are all cached needs none)."""
    if S.rules is None:
        S.rules = langcheck.Rules.from_termbase(S.base)
    return S.rules


def on_pre_build(config):
    S.depth += 1
    lang = _lang(config)
    # The permalink tooltip is an option of the toc extension: set per language before the pages are rendered.
    toc = config.mdx_configs.setdefault("toc", {})
    toc["permalink_title"] = PERMALINK_TITLE.get(lang, PERMALINK_TITLE["en"])
    if S.depth > 1:
        return
    S.listed = []
    root = _root(config)
    path = root / "termbase.yml"
    stamp = (str(path), path.stat().st_mtime_ns) if path.exists() else None
    if stamp is None or stamp != S.stamp:  # under `mkdocs serve`: reloaded only when termbase.yml changes
        try:
            data = path.read_bytes()
            S.base_key = pagecache.digest(data)
            # The parsed termbase, kept by its bytes (YAML parsing is a tenth of a second).
            S.base = pagecache.store(root, "termbase").memo(pagecache.store(root, "termbase").key(S.base_key),
                                                            lambda: tb.load(path))
        except (tb.TermbaseError, OSError) as exc:
            S.base, S.rules, S.stamp = None, None, None
            log.warning(f"language: {exc}")
            return
        S.rules = None
        S.stamp = stamp
    _report(langcheck.check_site(root, _rules, cache=pagecache.store(root, "language-files"),
                                 rules_key=S.base_key), config)
    for problem in gl.check_sources(root, S.base):
        log.warning(f"language: {problem}")


@event_priority(-200)
def on_post_build(config):
    S.depth -= 1


def on_nav(nav, config, files):
    lang = _lang(config)
    titles = {t.id: t.title.get(lang) for t in _topics(config)}
    for f in files:
        m = re.search(r"notebooks/([\w-]+)\.ipynb$", f.src_uri)
        if m and f.page is not None and titles.get(m.group(1)):
            f.page.title = titles[m.group(1)]
    return nav



def _topics(config):
    from sitegen import topics

    return topics.load(_root(config))


def on_page_context(context, page, config, nav):
    src = page.file.src_uri
    m = re.search(r"notebooks/([\w-]+)\.ipynb$", src)
    if m:
        title = {t.id: t.title.get(_lang(config)) for t in _topics(config)}.get(m.group(1))
        if title:
            page.title = title
    return context


# -- pages: glossary, numerals --------------------------------------------------------------------------------------
@event_priority(-100)  # after hooks/snippets.py has expanded the directives: the numbers are the printed ones
def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if src.endswith(".ipynb") or S.base is None:
        return markdown
    lang = _lang(config)
    if src.endswith("glossary.md"):
        markdown = gl.expand(markdown, S.base, lang, get_relative_url)
    if lang == "uk":
        _numerals(markdown, page, config)
    return markdown


def _numerals(expanded: str, page, config):
    src_path = Path(page.file.abs_src_path or "")
    if not src_path.is_file():
        return
    source = src_path.read_text(encoding="utf-8")
    root = _root(config)
    label = src_path.relative_to(root).as_posix() if src_path.is_relative_to(root) else str(src_path)
    cache = pagecache.store(root, "language-numerals")
    _report(cache.memo(cache.key(label, source, expanded), lambda: numeral_findings(label, source, expanded)), config)


def numeral_findings(label: str, source: str, expanded: str) -> list:
    """The numeral and exact-zero findings of a Ukrainian page, at lines of its source (a function of its text)."""
    to_source = line_map(source, expanded)
    found = []
    for lineno, text, _ in langcheck.prose(expanded):
        for f in langcheck.numeral_findings(text):
            found.append(langcheck.Finding(label, to_source(lineno), f.text, f.message))
        for m in re.finditer(r"(?<![\d,])0,0+(?![\d])", text):
            found.append(langcheck.Finding(label, to_source(lineno), m.group(0),
                                           "точний нуль надруковано як «0,0» → «0» (fmt=\"g\")"))
    return sorted(set(found), key=lambda f: (f.line, f.text))


def line_map(source: str, expanded: str):
    """A function: line of the expanded page → line of its source. Text between directives is verbatim in the
    expansion; a line inside what a directive became maps to the directive's line.

    >>> f = line_map("a\\nb <!-- value t/s:x --> c\\n<!-- table t/s:t -->\\nd\\n", "a\\nb 3 c\\n\\n|x|\\n|-|\\n\\nd\\n")
    >>> [f(n) for n in range(1, 8)]
    [1, 2, 3, 3, 3, 3, 4]
    """
    directives = parse_directives(source)
    spans = []  # (expanded start, expanded end, source start, line of the directive after this text)
    pos_src, pos_exp = 0, 0
    for d in directives + [None]:
        seg = source[pos_src:d.start] if d else source[pos_src:]
        found = expanded.find(seg, pos_exp)
        if found < 0:
            break
        spans.append((found, found + len(seg), pos_src, d.line if d else None))
        pos_exp = found + len(seg)
        if d:
            pos_src = d.end
    starts = [0] + [m.end() for m in re.finditer("\n", expanded)]

    def to_source(exp_line: int) -> int:
        off = starts[min(exp_line - 1, len(starts) - 1)]
        previous = 1
        for start, end, src_start, directive_line in spans:
            if off < start:
                return previous  # inside what the previous directive became
            if off <= end:
                return source.count("\n", 0, src_start + (off - start)) + 1
            previous = directive_line or previous
        return previous
    return to_source


# -- glossary links on first use ------------------------------------------------------------------------------------
def on_page_content(html_text, page, config, files):
    if S.base is None or page.file.src_uri.endswith(".ipynb") or page.file.src_uri.endswith("glossary.md"):
        return html_text
    lang = _lang(config)
    glossary = files.get_file_from_path(f"{lang}/glossary.md") or files.get_file_from_path("glossary.md")
    if glossary is None:
        return html_text
    href = get_relative_url(glossary.url, page.file.url)
    cache = pagecache.store(_root(config), "glossary-links")
    return cache.memo(cache.key(S.base_key, lang, href, html_text),
                      lambda: gl.link_first_uses(html_text, S.base, lang, href))
