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

from .directives import fenced, parse

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
    for lineno, line, in_code in fenced(markdown.splitlines()):
        if in_code:
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


_MATH_SRC = re.compile(r"(?<!\\)\$\$(?P<block>.+?)(?<!\\)\$\$|(?<!\\)\$(?P<inline>[^$\n]+?)(?<!\\)\$", re.S)
_TEXT_ARG = re.compile(r"\\(?:text|textrm|mathrm|textit|operatorname)\s*\{[^{}]*\}")
_DIRECTIVE_SRC = re.compile(r"<!--\s*(\w+)\s+([\w/-]+)(?::([\w.\-]+))?[^>]*-->")


def normalise_equation(tex: str) -> str:
    """What must be equal in both languages' version of an equation.

    Differences allowed: words inside ``\\text{…}`` (and ``\\mathrm``, ``\\operatorname``), the decimal separator
    ``{,}`` against ``.``, a directive's translated arguments, and whitespace.

    >>> normalise_equation(r"p = 0{,}5 \\text{ (ймовірність)}") == normalise_equation(r"p = 0.5\\text{ (probability)}")
    True
    >>> normalise_equation("a + b") == normalise_equation("a - b")
    False
    """
    tex = _DIRECTIVE_SRC.sub(lambda m: f"<{m[1]} {m[2]}:{m[3] or ''}>", tex)
    tex = _TEXT_ARG.sub(lambda m: m.group(0).split("{", 1)[0] + "{}", tex)
    tex = tex.replace("{,}", ".")
    return re.sub(r"\s+", "", tex)


def _items(markdown: str) -> dict[str, list[tuple[int, object]]]:
    """(line, item) of every heading id, directive and equation, in order, outside code blocks."""
    headings, masked_lines = [], []
    for lineno, line, in_code in fenced(markdown.splitlines()):
        if in_code:
            masked_lines.append("")
            continue
        masked_lines.append(re.sub(r"(`+)(?:(?!\1).)+?\1", lambda c: " " * len(c.group(0)), line))
        h = _HEADING.match(line)
        if h:
            attrs = _ATTRS.search(h.group(2))
            ident = next((a[1:] for a in (attrs.group(1).split() if attrs else []) if a.startswith("#")), None)
            headings.append((lineno, f"heading h{len(h.group(1))} {{ #{ident} }}" if ident else
                             f"heading h{len(h.group(1))} without an id"))
    masked = "\n".join(masked_lines)
    equations = []
    for m in _MATH_SRC.finditer(masked):
        tex = m["block"] if m["block"] is not None else m["inline"]
        line = masked.count("\n", 0, m.start()) + 1
        equations.append((line, ("$$" if m["block"] is not None else "$") + normalise_equation(tex)))
    directives = []
    for d in parse(markdown):
        args = " ".join(f"{k}={d.args[k]}" if d.args[k] is not True else k for k in NEUTRAL_ARGS if k in d.args)
        directives.append((d.line, f"<!-- {d.kind} {d.snippet}{':' + d.output if d.output else ''}"
                                   f"{' ' + args if args else ''} -->"))
    return {"heading ids": headings, "directives": directives, "equations": equations}


def compare(a_text: str, b_text: str, a_label: str, b_label: str) -> str | None:
    """The first difference between two translations of a page, naming both files and lines; None if they match.

    >>> print(compare("# A { #a }\\n$x = 1{,}5$\\n", "# A { #a }\\n\\n$x = 2.5$\\n", "uk/p.md", "en/p.md"))
    translations differ in equations: uk/p.md:2 has $x=1.5 but en/p.md:3 has $x=2.5 (equal after normalisation: \\text{…} words and the decimal separator {,} may differ)
    >>> print(compare("# A { #a }\\n<!-- value t/s:x -->", "# A { #a }\\n", "uk/p.md", "en/p.md"))
    translations differ in directives: uk/p.md:2 has <!-- value t/s:x --> but en/p.md has none there (it has only 0)
    """
    a, b = _items(a_text), _items(b_text)
    for kind in ("heading ids", "directives", "equations"):
        xs, ys = a[kind], b[kind]
        for i in range(max(len(xs), len(ys))):
            x = xs[i] if i < len(xs) else None
            y = ys[i] if i < len(ys) else None
            if x is not None and y is not None and x[1] == y[1]:
                continue
            side = lambda item, label, items: (f"{label}:{item[0]} has {item[1]}" if item is not None  # noqa: E731
                                               else f"{label} has none there (it has only {len(items)})")
            note = (" (equal after normalisation: \\text{…} words and the decimal separator {,} may differ)"
                    if kind == "equations" else "")
            return f"translations differ in {kind}: {side(x, a_label, xs)} but {side(y, b_label, ys)}{note}"
    return None


def mismatches(docs: Path, langs: list[str], label: str = "", cache=None) -> list[str]:
    """``compare()`` for every page that exists in all languages, against the first language; with ``cache`` (a
    ``sitegen.pagecache`` store) each pair's answer is kept by the two texts and their labels."""
    by_lang = pages(docs, langs)
    common = sorted(set.intersection(*by_lang.values())) if by_lang else []
    out = []
    for page in common:
        first = (docs / langs[0] / page).read_text(encoding="utf-8")
        for other in langs[1:]:
            second = (docs / other / page).read_text(encoding="utf-8")
            labels = (f"{label}{langs[0]}/{page}", f"{label}{other}/{page}")
            try:
                diff = compare(first, second, *labels) if cache is None else \
                    cache.memo(cache.key(first, second, labels), lambda: compare(first, second, *labels))
            except Exception:  # noqa: BLE001 - a page whose directives do not parse is reported by the build itself
                continue
            if diff:
                out.append(diff)
    return out


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
