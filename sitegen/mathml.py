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

An inline formula whose scripts would reach script level 2 (half the text size) is refused
(:func:`script_level_2`).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from xml.etree.ElementTree import Element, tostring
from xml.sax.saxutils import unescape

from latex2mathml.converter import convert_to_element

_MATH = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])</(?P=tag)>',
    re.S,
)


class MathError(Exception):
    pass


@lru_cache(maxsize=4096)
def to_mathml(tex: str, display: bool) -> str:
    try:
        tree = convert_to_element(tex, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many types
        raise MathError(f"cannot typeset {tex!r}: {type(exc).__name__}: {exc}") from None
    if not display:
        deep = script_level_2(tree)
        if deep:
            raise MathError(f"an inline formula may not reach script level 2 (half the text size, unreadable on a phone): "
                            f"{deep}; write it as a display formula ($$…$$) or with a slash (a/b)")
    out = _polish(unescape(tostring(tree, encoding="unicode")))  # written out the way latex2mathml writes it
    if not display:
        # Text style said outright: WebKit sets an inline <mfrac> at display size without it (a line twice as tall).
        out = out.replace(' display="inline"', ' display="inline" displaystyle="false"', 1)
    # Keep the source for screen readers, copy-paste and search.
    return out.replace("<math ", f'<math alttext="{html.escape(tex, quote=True)}" ', 1)


def _inner(tex: str, display: bool = False) -> str:
    """What is inside ``<math>``: for the examples below."""
    return re.sub(r"^<math[^>]*>|</math>$", "", to_mathml(tex, display))


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


_SCRIPTED = ("msub", "msup", "msubsup")


def _text(el: Element) -> str:
    return html.unescape("".join(el.itertext()))


# -- how deep scripts go ---------------------------------------------------------------------------------------------
def script_level_2(tree: Element) -> str:
    r"""Where an inline formula reaches script level 2 (empty: it does not), the way MathML Core counts levels.

    Level 1 is a script or an inline fraction's numerator or denominator (drawn at the font's ScriptPercentScaleDown),
    level 2 a script of that (ScriptScriptPercentScaleDown, half the text size): on a phone, 8 px. A fraction in
    display style (``$$…$$``, ``\dfrac``) keeps its parts at the level it is at, as TeX does.

    >>> script_level_2(convert_to_element(r"\frac{e^{2x}}{2}"))
    "'2x', a superscript in a fraction"
    >>> script_level_2(convert_to_element(r"\frac{a}{b} + x_{i_j}"))
    "'j', a subscript in a subscript"
    >>> script_level_2(convert_to_element(r"\frac{N}{N-1}\sigma_B^2 + \hat\sigma^2 + \sqrt{\sigma^2}"))
    ''
    >>> script_level_2(convert_to_element(r"\frac{e^{2x}}{2}", display="block")), script_level_2(convert_to_element(r"\dfrac{e^{2x}}{2}"))
    ('', '')
    """
    def walk(el: Element, level: int, display: bool, path: tuple[str, ...]) -> str:
        if el.tag == "mstyle":
            display = {"true": True, "false": False}.get(el.get("displaystyle"), display)
            sl = el.get("scriptlevel")
            if sl:
                level = level + int(sl) if sl[0] in "+-" else int(sl)
        if level >= 2 and el.tag in ("mi", "mn", "mo", "mtext") and _text(el).strip():
            return f"{_text(path_el[0]).strip()!r}, " + " in ".join(reversed(path))
        for k, child in enumerate(el):
            up, what = 0, None
            if el.tag == "mfrac":
                up, what = (0 if display else 1), "a fraction"
            elif k > 0 and el.tag in _SCRIPTED + ("mmultiscripts",):
                up, what = 1, ("a superscript" if el.tag == "msup" or k == 2 else "a subscript")
            elif k > 0 and el.tag in ("munder", "mover", "munderover"):
                over = el.tag == "mover" or k == 2
                accent = el.get("accent" if over else "accentunder") == "true" or child.get("accent") == "true"
                up, what = (0 if accent else 1), ("a limit above" if over else "a limit below")
            elif k == 1 and el.tag == "mroot":
                up, what = 2, "a root's index"
            if up:
                if level + up >= 2 and not path_el:
                    path_el.append(child)  # the part that reached level 2, named in the message
                found = walk(child, level + up, False, path + (what,))
                path_el.clear()
            else:
                found = walk(child, level, False if el.tag in ("mfrac", "mtable") else display, path)
            if found:
                return found
        return ""

    path_el: list[Element] = []
    math_display = tree.get("display") == "block" or tree.get("displaystyle") == "true"
    return walk(tree, 0, math_display, ())


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
