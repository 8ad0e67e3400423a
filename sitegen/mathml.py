"""TeX to MathML at build time, so pages carry no math JavaScript (Chromium renders MathML Core natively).

pymdownx.arithmatex (generic mode) marks math as ``<span class="arithmatex">\\(…\\)</span>`` and
``<div class="arithmatex">\\[…\\]</div>``; :func:`typeset` replaces those with ``<math>`` elements.

>>> out = typeset('<p>a <span class="arithmatex">\\\\(x^2 &lt; 1\\\\)</span></p>')
>>> out.startswith('<p>a <math') and '<msup>' in out and 'arithmatex' not in out
True
>>> 'display="block"' in typeset('<div class="arithmatex">\\\\[\\\\frac{a}{b}\\\\]</div>')
True
>>> 'displaystyle="false"' in to_mathml("\\\\frac{a}{b}", False), 'displaystyle' in to_mathml("\\\\frac{a}{b}", True)
(True, False)
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from latex2mathml.converter import convert

_MATH = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])</(?P=tag)>',
    re.S,
)


class MathError(Exception):
    pass


@lru_cache(maxsize=4096)
def to_mathml(tex: str, display: bool) -> str:
    try:
        out = convert(tex, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many types
        raise MathError(f"cannot typeset {tex!r}: {type(exc).__name__}: {exc}") from None
    out = _polish(out)
    if not display:
        # Text style said outright: WebKit sets an inline <mfrac> at display size without it (a line twice as tall).
        out = out.replace(' display="inline"', ' display="inline" displaystyle="false"', 1)
    # Keep the source for screen readers, copy-paste and search.
    return out.replace("<math ", f'<math alttext="{html.escape(tex, quote=True)}" ', 1)


_DECIMAL_COMMA = re.compile(r"<mn>(\d+)</mn><mrow><mo>&#x0002C;</mo></mrow><mn>(\d+)</mn>")
# A minus (or plus) that opens a group or follows another operator is a sign, not a binary operator.
_PREFIX_SIGN = re.compile(r"((?:<mrow>|<mo[^>]*>[^<]*</mo>|<math[^>]*>)\s*)<mo>(&#x02212;|&#x0002B;)</mo>")


def _polish(mathml: str) -> str:
    """Two fixes latex2mathml needs for Chromium: ``1{,}5`` is one number; a leading minus is a prefix sign.

    >>> _polish("<mrow><mn>1</mn><mrow><mo>&#x0002C;</mo></mrow><mn>5</mn></mrow>")
    '<mrow><mn>1,5</mn></mrow>'
    >>> _polish('<mrow><mo stretchy="false">(</mo><mo>&#x02212;</mo><mn>1</mn></mrow>')
    '<mrow><mo stretchy="false">(</mo><mo form="prefix">&#x02212;</mo><mn>1</mn></mrow>'
    """
    mathml = _DECIMAL_COMMA.sub(r"<mn>\1,\2</mn>", mathml)
    return _PREFIX_SIGN.sub(r'\1<mo form="prefix">\2</mo>', mathml)


@lru_cache(maxsize=128)  # whole pages: `mkdocs serve` rebuilds unchanged pages on every edit
def typeset(page_html: str) -> str:
    def repl(m: re.Match) -> str:
        display = m["block"] is not None
        tex = html.unescape(m["block"] if display else m["inline"]).strip()
        mathml = to_mathml(tex, display)
        return f'<div class="math-display">{mathml}</div>' if display else mathml

    return _MATH.sub(repl, page_html)


# -- checking TeX before it is typeset (latex2mathml accepts a misspelled command and prints it literally) ----------
_CONTROL_WORD = re.compile(r"\\([A-Za-z]+)")


@lru_cache(maxsize=1)
def known_commands() -> frozenset:
    """Every control word latex2mathml converts: its command table and its symbol table."""
    import latex2mathml.commands as commands
    import latex2mathml.symbols_parser as symbols

    known = {k for k in symbols.SYMBOLS if k.startswith("\\")}
    for name in dir(commands):
        v = getattr(commands, name)
        for x in ([v] if isinstance(v, str) else v if isinstance(v, (dict, set, list, tuple, frozenset)) else []):
            if isinstance(x, str) and x.startswith("\\"):
                known.add(x)
    return frozenset(known)


def check_tex(tex: str) -> list[str]:
    """What is wrong with one formula: unknown control words, unbalanced braces (empty list: nothing).

    >>> check_tex(r"\\frac{1}{2} + \\text{a}")
    []
    >>> check_tex(r"\\fracc{1}{2}")
    ['unknown command \\\\fracc (did you mean \\\\frac?)']
    >>> check_tex(r"\\frac{1}{2")
    ['unbalanced braces: 1 { not closed']
    >>> check_tex(r"a}b\\{")
    ['unbalanced braces: } at character 2 closes nothing']
    """
    import difflib

    problems = []
    known = known_commands()
    for m in _CONTROL_WORD.finditer(tex):
        if m.start() > 0 and tex[m.start() - 1] == "\\" and (m.start() < 2 or tex[m.start() - 2] != "\\"):
            continue  # "\\x": a line break followed by a letter
        word = "\\" + m.group(1)
        if word not in known:
            close = difflib.get_close_matches(word, known, n=1)
            problems.append(f"unknown command {word}" + (f" (did you mean {close[0]}?)" if close else ""))
    depth = 0
    i = 0
    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                problems.append(f"unbalanced braces: }} at character {i + 1} closes nothing")
                break
        i += 1
    if depth > 0:
        problems.append(f"unbalanced braces: {depth} {{ not closed")
    return problems
