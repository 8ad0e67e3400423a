"""The two languages of a page, compared from their Markdown sources: same pages, heading ids and directives.

``docs/<lang>/<page>.md`` exists once per language (mkdocs-static-i18n's folder structure). A page present in one
language only is an error (i18n would otherwise copy it silently into the other tree); the build checks that
(``hooks/snippets.py``). The structure of a pair (``structure()``) is what tests compare: the explicit heading ids
in order and the directives in order, with their language-neutral arguments (numbers are never compared, so a
translation cannot drift by re-typing one).

>>> s = structure('''# Title { #top }
... Text <!-- value t/a:x fmt=".2f" one="вузол" few="вузли" -->
... ```
... ## Not a heading { #no }
... ```
... ## Section {: #sec .class }
... <!-- figure t/a:f alt="Графік" -->
... ''')
>>> s.headings
[(1, 'top'), (2, 'sec')]
>>> s.directives
[('value', 't/a', 'x', (('fmt', '.2f'),)), ('figure', 't/a', 'f', ())]
>>> structure("## No id here").missing_ids
[1]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .directives import _FENCE, parse

# Arguments that are the same in every language; the others (alt, caption, title, plural words) are translated.
NEUTRAL_ARGS = ("fmt", "math", "html", "section", "lines")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_ATTRS = re.compile(r"\{:?\s*([^}]*)\}\s*$")


@dataclass
class Structure:
    headings: list[tuple[int, str]] = field(default_factory=list)  # (level, id)
    directives: list[tuple] = field(default_factory=list)  # (kind, snippet, output, neutral args)
    missing_ids: list[int] = field(default_factory=list)  # line numbers of headings without an explicit id


def structure(markdown: str) -> Structure:
    s = Structure()
    fence = None
    for lineno, line in enumerate(markdown.splitlines(), 1):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
            continue
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip()[len(m.group(1)):]:
                fence = None
            continue
        h = _HEADING.match(line)
        if not h:
            continue
        attrs = _ATTRS.search(h.group(2))
        ident = next((a[1:] for a in (attrs.group(1).split() if attrs else []) if a.startswith("#")), None)
        if ident is None:
            s.missing_ids.append(lineno)
        else:
            s.headings.append((len(h.group(1)), ident))
    for d in parse(markdown):
        args = tuple((k, d.args[k]) for k in NEUTRAL_ARGS if k in d.args)
        s.directives.append((d.kind, d.snippet, d.output, args))
    return s


def pages(docs: Path, langs: list[str]) -> dict[str, set[str]]:
    """For each language, the set of its pages (paths relative to ``docs/<lang>/``)."""
    return {lang: {p.relative_to(docs / lang).as_posix() for p in (docs / lang).rglob("*.md")} for lang in langs}


def untranslated(docs: Path, langs: list[str], label: str = "") -> list[str]:
    """One message per page that exists in some languages but not all, naming the files (``label`` + path).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     d = Path(tmp)
    ...     for p in ("uk/a.md", "en/a.md", "en/sub/b.md"):
    ...         (d / p).parent.mkdir(parents=True, exist_ok=True)
    ...         _ = (d / p).write_text("# A { #a }")
    ...     untranslated(d, ["uk", "en"])
    ['en/sub/b.md has no translation: uk/sub/b.md is missing']
    """
    by_lang = pages(docs, langs)
    everything = sorted(set().union(*by_lang.values()))
    out = []
    for page in everything:
        have = [lang for lang in langs if page in by_lang[lang]]
        missing = [lang for lang in langs if page not in by_lang[lang]]
        if missing:
            out.append(f"{', '.join(f'{label}{lang}/{page}' for lang in have)} has no translation: "
                       f"{', '.join(f'{label}{lang}/{page}' for lang in missing)} is missing")
    return out
