"""The glossary, generated from the termbase, and the links from each page's first use of a term to its entry.

``docs/<lang>/glossary.md`` holds an introduction and the marker ``<!-- glossary -->``; :func:`expand` replaces the
marker with one table per topic, every concept of ``termbase.yml`` in it with the anchor ``#<id>``.
:func:`link_first_uses` links the first occurrence of every term on a page (matched by lemma) to that anchor.

>>> base = tb.load()
>>> out = link_first_uses("<h2>Ланцюгове правило</h2><p>За ланцюговим правилом і ще раз ланцюгове правило.</p>",
...                       base, "uk", "../glossary/")
>>> out.count('class="gloss"'), 'href="../glossary/#chain-rule"' in out, "<h2>Ланцюгове правило</h2>" in out
(1, True, True)
>>> "ланцюговим правилом</a>" in out
True
>>> link_first_uses("<p><code>dropout</code> and <a href='x'>dropout</a>; <em>Dropout</em> it is.</p>",
...                 base, "en", "g/").count('href="g/#dropout"')
1
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from . import termbase as tb

MARKER = "<!-- glossary -->"
TOPIC_TITLES = {
    "backprop": {"uk": "Зворотне поширення помилки", "en": "Backpropagation"},
    "numerics": {"uk": "Числа з рухомою комою і похибки", "en": "Floating point and errors"},
    "batchnorm": {"uk": "Пакетна нормалізація", "en": "Batch Normalization"},
    "dropout": {"uk": "Дропаут", "en": "Dropout"},
    "conv": {"uk": "Згортки", "en": "Convolutions"},
    "general": {"uk": "Загальні терміни", "en": "General terms"},
}
HEADERS = {"uk": ("українською", "англійською", "що означає"), "en": ("English", "Ukrainian", "meaning")}
SYNONYM = {"uk": "синонім", "en": "also"}


def _cell(s: str) -> str:
    return s.replace("|", "\\|")


def sections(root: Path = tb.ROOT) -> dict[str, dict[str, str]]:
    """topic -> its section title per language, in the glossary's order: TOPIC_TITLES, a topic of topics.yml that is
    not among them (a new topic, titled as in topics.yml) before the general terms.

    >>> list(sections())[-1], sections()["dropout"]["en"]
    ('general', 'Dropout')
    """
    from . import topics

    out = {k: v for k, v in TOPIC_TITLES.items() if k != "general"}
    if (Path(root) / "topics.yml").is_file():
        out.update({t.id: t.title for t in topics.load(root) if t.id not in TOPIC_TITLES})
    out["general"] = TOPIC_TITLES["general"]
    return out


def expand(markdown: str, base: tb.Termbase, lang: str, relative_url=None) -> str:
    """The glossary page with its tables in place of the marker."""
    if MARKER not in markdown:
        return markdown
    other = "en" if lang == "uk" else "uk"
    out = []
    for topic, titles in sections().items():
        concepts = [c for c in base.concepts if c.topic == topic]
        if not concepts:
            continue
        h = HEADERS[lang]
        out += [f"## {titles[lang]} {{ #topic-{topic} }}", "", f"| {h[0]} | {h[1]} | {h[2]} |", "| :-- | :-- | :-- |"]
        for c in concepts:
            term = c.uk if lang == "uk" else c.en
            shown = f"[{term}]({c.explained})" if c.explained else term
            definition = c.def_uk if lang == "uk" else c.def_en
            if lang == "uk" and c.synonym_uk:
                definition += f" ({SYNONYM['uk']}: {c.synonym_uk})"
            out.append(f'| <span id="{c.id}"></span>{_cell(shown)} | {_cell(c.en if lang == "uk" else c.uk)} | '
                       f"{_cell(definition)} |")
        out.append("")
    return markdown.replace(MARKER, "\n".join(out))


def check_sources(root: Path, base: tb.Termbase) -> list[str]:
    """Problems of the glossary sources: the marker missing, an ``explained`` link to a page or id that is not there."""
    problems = []
    for lang in ("uk", "en"):
        page = root / "docs" / lang / "glossary.md"
        if page.exists() and MARKER not in page.read_text(encoding="utf-8"):
            problems.append(f"docs/{lang}/glossary.md: no {MARKER} marker: the glossary is generated from termbase.yml")
    for c in base.concepts:
        if not c.explained:
            continue
        name, _, anchor = c.explained.partition("#")
        for lang in ("uk", "en"):
            target = root / "docs" / lang / name
            if not target.exists():
                problems.append(f"termbase.yml:{c.line}: {c.id}: explained: {c.explained}: no docs/{lang}/{name}")
            elif anchor and not re.search(rf"\{{[^}}]*#{re.escape(anchor)}\b[^}}]*\}}",
                                          target.read_text(encoding="utf-8")):
                problems.append(f"termbase.yml:{c.line}: {c.id}: explained: {c.explained}: no heading "
                                f"{{ #{anchor} }} in docs/{lang}/{name}")
    return problems


# -- first uses -----------------------------------------------------------------------------------------------------
_TOKEN = re.compile(r"(<!--.*?-->|<[^>]+>)", re.S)
_SKIP = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "math", "script", "style", "figure", "table",
         "blockquote", "svg", "button", "label", "summary", "kbd", "samp", "textarea", "select", "title", "abbr"}
_SKIP_CLASS = re.compile(r'class="[^"]*\b(quote|bp-explorer|notebook-links|md-source|headerlink|arithmatex|'
                         r'snippet-figure|failure)\b')
_VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "col", "area", "base", "embed", "param",
         "track"}


def _matchers(base: tb.Termbase, lang: str) -> tb.PhraseIndex:
    items = [(c, tb.phrase_lemmas(form, lang)) for c in base.concepts if c.link for form in c.forms(lang)]
    return tb.PhraseIndex(items)


def _plain(s: str) -> str:
    return re.sub(r"[`$]", "", s)


def link_first_uses(page_html: str, base: tb.Termbase, lang: str, glossary_href: str) -> str:
    matchers = _matchers(base, lang)
    total = len({c.id for c in base.concepts if c.link})
    done: set = set()
    stack: list = []  # (tag, skipping)
    parts = _TOKEN.split(page_html)
    for k, part in enumerate(parts):
        if not part:
            continue
        if part.startswith("<"):
            if part.startswith("<!--") or part.startswith("<!") or part.startswith("<?"):
                continue
            m = re.match(r"</?\s*([a-zA-Z][\w-]*)", part)
            if not m:
                continue
            name = m.group(1).lower()
            if part.startswith("</"):
                while stack:
                    tag, _ = stack.pop()
                    if tag == name:
                        break
            elif name not in _VOID and not part.endswith("/>"):
                skipping = (stack[-1][1] if stack else False) or name in _SKIP or bool(_SKIP_CLASS.search(part))
                stack.append((name, skipping))
            continue
        if (stack and stack[-1][1]) or not re.search(r"\w", part):
            continue
        parts[k] = _link_text(part, matchers, done, lang, glossary_href)
        if len(done) == total:
            break
    return "".join(parts)


def _link_text(text: str, index: tb.PhraseIndex, done: set, lang: str, href: str) -> str:
    out, pos = [], 0
    for c, start, end in index.find(text, lang, skip=lambda c: c.id in done):
        if c.id in done:
            continue
        definition = _plain(c.def_uk if lang == "uk" else c.def_en)
        term = c.uk if lang == "uk" else c.en
        out.append(text[pos:start])
        out.append(f'<a class="gloss" href="{html.escape(href)}#{c.id}" '
                   f'title="{html.escape(term + ": " + definition, quote=True)}">{text[start:end]}</a>')
        pos = end
        done.add(c.id)
    out.append(text[pos:])
    return "".join(out)
