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

latex2mathml's tree is set the way TeX sets it before it is written out (:func:`_textbook`): primes attached to their
letter, ``|x|`` spaced as fences, operator names such as ``\\tanh`` applied to their argument with a thin space,
``\\hat`` a small accent, ``/`` and ``\\partial`` unspaced, operators in scripts unspaced; and an inline formula whose
scripts would reach script level 2 (half the text size) is refused (:func:`script_level_2`).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from xml.etree.ElementTree import Element, SubElement, tostring
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
    _textbook(tree)
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


def _polish(mathml: str) -> str:
    """``1{,}5`` (the Ukrainian decimal comma) is one number, not 1, a comma and 5.

    >>> _polish("<mrow><mn>1</mn><mrow><mo>&#x0002C;</mo></mrow><mn>5</mn></mrow>")
    '<mrow><mn>1,5</mn></mrow>'
    """
    return _DECIMAL_COMMA.sub(r"<mn>\1,\2</mn>", mathml)


# -- latex2mathml's tree set like a textbook ----------------------------------------------------------------------
# Token texts are as latex2mathml stores them: numeric character references ("&#x02032;"), written out unchanged.
_PRIMES = re.compile(r"(?:&#x0203[234];|&#x02057;)+")   # ′ ″ ‴ ⁗
_BARS = {"&#x0007C;", "&#x02016;"}                       # | and ‖ (\|)
_NAME = re.compile(r"[A-Za-z]{2,}")                      # tanh, exp, max, an \operatorname
_OPENING, _CLOSING = "([{⟨⌈⌊", ")]}⟩⌉⌋"
_SCRIPTED = ("msub", "msup", "msubsup")
_ROWS = ("math", "mrow", "mstyle", "mtd", "msqrt", "mpadded", "menclose", "mphantom")  # children in sequence
_AS_OPERATOR = {"&#x0007E;": "&#x0223C;", "&#x000B1;": "&#x000B1;", "&#x02213;": "&#x02213;"}  # \sim, \pm, \mp
_ORDINARY = {"&#x02202;": {}, "&#x0221E;": {}, "&#x02207;": {"mathvariant": "normal"}}  # \partial, \infty, \nabla
_THIN = "0.167em"  # TeX's \, (latex2mathml writes \, as this width too)


def _text(el: Element) -> str:
    return html.unescape("".join(el.itertext()))


def _is_name(el: Element) -> bool:
    return el.tag == "mi" and not el.attrib and bool(_NAME.fullmatch(el.text or ""))


def _textbook(tree: Element) -> None:
    r"""Every correction below, in an order where each sees what the one before made."""
    for fix in (_operators, _accents, _attach_primes, _fence_bars, _signs, _apply_functions):
        for parent in list(tree.iter()):
            fix(parent)
    _tight_scripts(tree)


def _operators(parent: Element) -> None:
    r"""Operators latex2mathml writes as something else.

    ``\max``, ``\operatorname{Bernoulli}`` are one identifier, like ``\tanh`` (then applied to their argument
    below): latex2mathml writes them as an operator, which MathML spaces as an unknown infix one, a thick space on
    each side (TeX: none before a parenthesis). ``\sim`` and ``\pm`` it writes as identifiers, ``\sim`` as the ASCII
    tilde (drawn high, no space around it): they are the operators ∼ and ±, spaced as a relation and a binary
    operator (a leading ± is a sign: MathML's prefix form, unspaced). A slash is TeX's ordinary symbol, unspaced
    (MathML Core gives it a thin space on each side: ``n / d``), and so are ``\partial``, ``\infty`` and ``\nabla``,
    which latex2mathml writes as operators (spaced: ``∂F/ ∂x``): identifiers, ∂ in italic as TeX sets it.

    >>> _inner(r"r \sim \operatorname{Bernoulli}(p)")
    '<mrow><mi>r</mi><mo>&#x0223C;</mo><mrow><mi>Bernoulli</mi><mo lspace="0" rspace="0">&#x2061;</mo></mrow><mo stretchy="false">&#x00028;</mo><mi>p</mi><mo stretchy="false">&#x00029;</mo></mrow>'
    >>> _inner(r"\pm 1")
    '<mrow><mo>&#x000B1;</mo><mn>1</mn></mrow>'
    >>> _inner(r"\partial F/\partial x")
    '<mrow><mi>&#x02202;</mi><mi>F</mi><mo lspace="0" rspace="0">&#x0002F;</mo><mi>&#x02202;</mi><mi>x</mi></mrow>'
    >>> _inner(r"4u/(u+1)")
    '<mrow><mn>4</mn><mi>u</mi><mo lspace="0" rspace="0">&#x0002F;</mo><mo stretchy="false">&#x00028;</mo><mi>u</mi><mo>&#x0002B;</mo><mn>1</mn><mo stretchy="false">&#x00029;</mo></mrow>'
    """
    for el in parent:
        if el.tag == "mo" and not el.attrib and _NAME.fullmatch(el.text or ""):
            el.tag = "mi"
        elif el.tag == "mo" and not el.attrib and el.text == "&#x0002F;":
            el.attrib = {"lspace": "0", "rspace": "0"}
        elif el.tag == "mo" and not el.attrib and el.text in _ORDINARY:
            el.tag, el.attrib = "mi", dict(_ORDINARY[el.text])
        elif el.tag == "mi" and not el.attrib and el.text in _AS_OPERATOR:
            el.tag, el.text = "mo", _AS_OPERATOR[el.text]


def _accents(parent: Element) -> None:
    r"""``\hat x`` is the circumflex accent ˆ (U+02C6), not the ASCII caret ^ latex2mathml writes.

    The caret is a big glyph set high: Chromium drew it well above the letter and raised a superscript over it
    (``\hat\sigma^2``), Firefox stretched it. U+02C6, not stretched, sits on the letter in Chromium and Firefox;
    WebKit still sets it too high, as it sets every accent of this font (the combining U+0302 it does not draw at all).

    >>> _inner(r"\hat\sigma^2")
    '<mrow><msup><mover accent="true"><mi>&#x003C3;</mi><mo stretchy="false">&#x002C6;</mo></mover><mn>2</mn></msup></mrow>'
    """
    if parent.tag == "mover" and parent.get("accent") == "true" and len(parent) == 2:
        accent = parent[1]
        if accent.tag == "mo" and accent.text == "&#x0005E;" and not accent.attrib:
            accent.text = "&#x002C6;"
            accent.set("stretchy", "false")


def _attach_primes(parent: Element) -> None:
    r"""A prime sits against its letter at full size: ``W'`` is ``W`` then ``′``, not a superscript ``′``.

    latex2mathml writes ``W'`` as TeX does, a superscript prime (``W^{\prime}``); but TeX's ``\prime`` is a tall glyph
    made to be shrunk and raised, and Unicode's ′ (U+2032) is already small and high, so as a superscript it is drawn
    at script size a further script shift up, floating above the letter (Chromium, Firefox and WebKit alike; the
    shipped font has no ``ssty`` variant that would enlarge it). At full size, after the letter, it is attached in all
    three. A superscript after the primes stays one: ``x'^2`` is ``(x′)²``.

    >>> _inner("W' = 14")
    '<mrow><mrow><mi>W</mi><mo lspace="0" rspace="0">&#x02032;</mo></mrow><mo>&#x0003D;</mo><mn>14</mn></mrow>'
    >>> _inner("g''(y)")
    '<mrow><mrow><mi>g</mi><mo lspace="0" rspace="0">&#x02033;</mo></mrow><mo stretchy="false">&#x00028;</mo><mi>y</mi><mo stretchy="false">&#x00029;</mo></mrow>'
    >>> _inner("x'^2")
    '<mrow><msup><mrow><mi>x</mi><mo lspace="0" rspace="0">&#x02032;</mo></mrow><mrow><mn>2</mn></mrow></msup></mrow>'
    """
    for i, el in enumerate(list(parent)):
        if el.tag != "msup" or len(el) != 2:
            continue
        base, script = el
        rest = []
        if script.tag == "mrow" and len(script) and script[0].tag == "mi" and _PRIMES.fullmatch(script[0].text or ""):
            script, rest = script[0], list(script)[1:]
        if script.tag != "mi" or not _PRIMES.fullmatch(script.text or ""):
            continue
        primed = Element("mrow")
        primed.append(base)
        SubElement(primed, "mo", {"lspace": "0", "rspace": "0"}).text = script.text
        primed.tail = el.tail
        if rest:  # x'^2: the superscript 2 on x′
            sup = Element("msup")
            sup.append(primed)
            SubElement(sup, "mrow").extend(rest)
            primed = sup
        parent[i] = primed


def _fence_bars(parent: Element) -> None:
    r"""``|x|`` and ``\|x\|`` are fences: no space inside, none added outside.

    latex2mathml writes each ``|`` as a bare operator; MathML Core then spaces the closing one of ``|x| \le 1`` as an
    infix operator, a thick space on each side (``|x |  ≤``). TeX treats ``|`` as an ordinary symbol (no space), and so
    does this: zero spacing, ``form`` prefix and postfix alternating within a row (for screen readers; nested bars
    such as ``||x| - |y||`` get the spacing right and may get the form wrong).

    >>> _inner(r"|x| \le 1")
    '<mrow><mo fence="true" form="prefix" stretchy="false" lspace="0" rspace="0">&#x0007C;</mo><mi>x</mi><mo fence="true" form="postfix" stretchy="false" lspace="0" rspace="0">&#x0007C;</mo><mo>&#x02264;</mo><mn>1</mn></mrow>'
    >>> 'form="postfix" stretchy="false" lspace="0"' in _inner(r"\|v\|")
    True
    >>> _inner(r"|x|^2")
    '<mrow><mo fence="true" form="prefix" stretchy="false" lspace="0" rspace="0">&#x0007C;</mo><mi>x</mi><msup><mo fence="true" form="postfix" stretchy="false" lspace="0" rspace="0">&#x0007C;</mo><mn>2</mn></msup></mrow>'
    """
    if parent.tag not in _ROWS:
        return
    opened = False
    for el in parent:
        if el.tag in _SCRIPTED and len(el):
            el = el[0]  # |x|^2: the closing bar carries the square
        if el.tag == "mo" and el.text in _BARS and el.get("stretchy") != "true" and el.get("form") is None:
            el.attrib = {"fence": "true", "form": "postfix" if opened else "prefix", "stretchy": "false",
                         "lspace": "0", "rspace": "0"}
            opened = not opened


def _signs(parent: Element) -> None:
    r"""A minus or plus that opens a row or follows an operator is a sign (MathML's prefix form, unspaced); after a
    closing parenthesis or bar it is the binary operator, spaced (``F(a) - F(b)``).

    >>> _inner(r"(-1) - (2^{-3})")
    '<mrow><mo stretchy="false">&#x00028;</mo><mo form="prefix">&#x02212;</mo><mn>1</mn><mo stretchy="false">&#x00029;</mo><mo>&#x02212;</mo><mo stretchy="false">&#x00028;</mo><msup><mn>2</mn><mrow><mo form="prefix">&#x02212;</mo><mn>3</mn></mrow></msup><mo stretchy="false">&#x00029;</mo></mrow>'
    >>> _inner(r"|x| - 1 = -2")
    '<mrow><mo fence="true" form="prefix" stretchy="false" lspace="0" rspace="0">&#x0007C;</mo><mi>x</mi><mo fence="true" form="postfix" stretchy="false" lspace="0" rspace="0">&#x0007C;</mo><mo>&#x02212;</mo><mn>1</mn><mo>&#x0003D;</mo><mo form="prefix">&#x02212;</mo><mn>2</mn></mrow>'
    """
    if parent.tag not in _ROWS:
        return
    before = None
    for el in parent:
        if el.tag == "mo" and not el.attrib and el.text in ("&#x02212;", "&#x0002B;") and (
                before is None or before.tag == "mo" and not _closes(before)):
            el.set("form", "prefix")
        before = el


def _closes(el: Element) -> bool:
    """A closing delimiter, a factorial or a prime: what ends an operand."""
    t = _text(el)
    return el.get("form") == "postfix" or len(t) == 1 and t in _CLOSING + "!′″‴⁗"


def _function(el: Element) -> bool:
    r"""An operator name, with scripts (``\tanh^2``, ``\max_i``) or primes (``\tanh'``)."""
    if el.tag in _SCRIPTED or el.tag == "mrow" and len(el) > 1 and all(
            c.tag == "mo" and _PRIMES.fullmatch(c.text or "") for c in list(el)[1:]):
        return len(el) > 0 and _is_name(el[0])
    return _is_name(el)


def _opens(el: Element) -> bool:
    if el.tag == "mrow" and len(el):
        return _opens(el[0])
    return el.tag == "mo" and (el.get("form") == "prefix" or len(_text(el)) == 1 and _text(el) in _OPENING)


def _ordinary(el: Element) -> bool:
    r"""What TeX spaces from an operator name by a thin space (an Ord, a closing delimiter, a group)."""
    if el.tag == "mo":
        return _closes(el)
    return el.tag not in ("mspace", "mtext") and not (el.tag == "mrow" and len(el) == 0)


def _apply_functions(parent: Element) -> None:
    r"""An operator name applied to its argument (U+2061 FUNCTION APPLICATION), spaced as TeX spaces ``\tanh``.

    TeX sets a thin space between an operator name and an ordinary argument (``\tanh x``, ``\tanh^2 x``), none
    before a parenthesis (``\tanh(x)``), and a thin space after an ordinary symbol before the name (``2\cos``).
    MathML draws ``<mi>tanh</mi><mi>x</mi>`` as "tanhx" in Chromium and WebKit; Firefox adds its own thin space
    after a multi-letter identifier unless the name and the U+2061 are one row, so they are (tried in all three:
    one thin space in each). A name followed by an operator or by nothing (``\tanh' > 0``, "the $\exp$ node") is not
    applied to anything and is left alone.

    >>> _inner(r"1 - \tanh^2 x")
    '<mrow><mn>1</mn><mo>&#x02212;</mo><mrow><msup><mi>tanh</mi><mn>2</mn></msup><mo lspace="0" rspace="0.167em">&#x2061;</mo></mrow><mi>x</mi></mrow>'
    >>> _inner(r"\tanh(-1)")
    '<mrow><mrow><mi>tanh</mi><mo lspace="0" rspace="0">&#x2061;</mo></mrow><mo stretchy="false">&#x00028;</mo><mo form="prefix">&#x02212;</mo><mn>1</mn><mo stretchy="false">&#x00029;</mo></mrow>'
    >>> _inner(r"2\cos(\pi)")
    '<mrow><mn>2</mn><mrow><mspace width="0.167em" /><mi>cos</mi><mo lspace="0" rspace="0">&#x2061;</mo></mrow><mo stretchy="false">&#x00028;</mo><mi>&#x003C0;</mi><mo stretchy="false">&#x00029;</mo></mrow>'
    >>> _inner(r"\tanh' > 0"), _inner(r"\exp")
    ('<mrow><mrow><mi>tanh</mi><mo lspace="0" rspace="0">&#x02032;</mo></mrow><mo>&#x0003E;</mo><mn>0</mn></mrow>', '<mrow><mi>exp</mi></mrow>')
    """
    if parent.tag not in _ROWS:
        return  # a script or a fraction: its children are positions, not a sequence
    children = list(parent)
    out = []
    for i, el in enumerate(children):
        after = children[i + 1] if i + 1 < len(children) else None
        if not _function(el) or after is None or after.tag == "mo" and not _opens(after):
            out.append(el)
            continue
        applied = Element("mrow")
        if i > 0 and _ordinary(children[i - 1]):
            SubElement(applied, "mspace", {"width": _THIN})
        applied.tail, el.tail = el.tail, None
        applied.append(el)
        thin = not _opens(after) and after.tag != "mspace"  # the author's own \, or \! stands
        SubElement(applied, "mo", {"lspace": "0", "rspace": _THIN if thin else "0"}).text = "&#x2061;"
        out.append(applied)
    parent[:] = out


# -- how deep scripts go ---------------------------------------------------------------------------------------------
def _levels(tree: Element):
    r"""Every element with its script level, counted as MathML Core counts it, and the way there: a tuple of
    (what, the child that went a level up, the level it reached).

    Level 1 is a script, or an inline fraction's numerator or denominator (drawn at the font's
    ScriptPercentScaleDown); level 2 a script of that (ScriptScriptPercentScaleDown, half the text size). A fraction in
    display style (``$$…$$``, ``\dfrac``) keeps its parts at its own level, as TeX does; an accent (``\hat``) adds none.
    """
    def walk(el: Element, level: int, display: bool, path: tuple):
        if el.tag == "mstyle":
            display = {"true": True, "false": False}.get(el.get("displaystyle"), display)
            sl = el.get("scriptlevel")
            if sl:
                level = level + int(sl) if sl[0] in "+-" else int(sl)
        yield el, level, path
        for k, child in enumerate(el):
            up, what = 0, ""
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
                yield from walk(child, level + up, False, path + ((what, child, level + up),))
            else:
                yield from walk(child, level, False if el.tag in ("mfrac", "mtable") else display, path)

    yield from walk(tree, 0, tree.get("display") == "block" or tree.get("displaystyle") == "true", ())


def script_level_2(tree: Element) -> str:
    r"""Where an inline formula reaches script level 2 (empty: it does not): the part that does, and in what.

    >>> script_level_2(convert_to_element(r"\frac{e^{2x}}{2}"))
    "'2x', a superscript in a fraction"
    >>> script_level_2(convert_to_element(r"\frac{a}{b} + x_{i_j}"))
    "'j', a subscript in a subscript"
    >>> script_level_2(convert_to_element(r"\frac{N}{N-1}\sigma_B^2 + \hat\sigma^2 + \sqrt{\sigma^2}"))
    ''
    >>> script_level_2(convert_to_element(r"\frac{e^{2x}}{2}", display="block")), script_level_2(convert_to_element(r"\dfrac{e^{2x}}{2}"))
    ('', '')
    """
    for el, level, path in _levels(tree):
        if level >= 2 and el.tag in ("mi", "mn", "mo", "mtext") and _text(el).strip():
            reached = next(child for _, child, lv in path if lv >= 2)
            return f"{_text(reached).strip()!r}, " + " in ".join(what for what, _, _ in reversed(path))
    return ""


def _tight_scripts(tree: Element) -> None:
    r"""Operators in a script set without space around them, as TeX sets them in script style: ``i=1`` under a sum,
    ``N-1`` under an inline fraction's bar, ``2x+1`` in an exponent (MathML Core spaces them as on the line).

    >>> _inner(r"e^{2x+1} + \frac{N}{N-1}")
    '<mrow><msup><mi>e</mi><mrow><mn>2</mn><mi>x</mi><mo lspace="0" rspace="0">&#x0002B;</mo><mn>1</mn></mrow></msup><mo>&#x0002B;</mo><mfrac><mrow><mi>N</mi></mrow><mrow><mi>N</mi><mo lspace="0" rspace="0">&#x02212;</mo><mn>1</mn></mrow></mfrac></mrow>'
    >>> '<mo>&#x02212;</mo>' in _inner(r"\frac{N}{N-1}", display=True)  # a display fraction's parts are on the line
    True
    """
    for el, level, _ in _levels(tree):
        if level >= 1 and el.tag == "mo" and "lspace" not in el.attrib and "rspace" not in el.attrib and \
                el.get("form") != "prefix" and _text(el) not in tuple(_OPENING + _CLOSING):
            el.set("lspace", "0")
            el.set("rspace", "0")


# An inline formula and the text written against it, with no space between: "(for $k = 7$)." or "$n$-th".
_ATTACHED = re.compile(r'([^\s<>]*)(<math [^>]*display="inline".*?</math>)([^\s<>]*)', re.S)


@lru_cache(maxsize=128)  # whole pages: `mkdocs serve` rebuilds unchanged pages on every edit
def typeset(page_html: str) -> str:
    r"""Every formula of a page as MathML; an inline one kept on one line with the text written against it.

    Chromium breaks a line between an inline ``<math>`` and a closing parenthesis or a full stop right after it (a
    line that starts with ")."), so such text and the formula are one ``<span class="math-nobreak">`` (site.css:
    ``white-space: nowrap``).

    >>> typeset('<p>(29% for <span class="arithmatex">\\(k = 7\\)</span>). Next</p>')
    '<p>(29% for <span class="math-nobreak"><math alttext="k = 7" ...</math>).</span> Next</p>'
    """
    def repl(m: re.Match) -> str:
        display = m["block"] is not None
        tex = html.unescape(m["block"] if display else m["inline"]).strip()
        mathml = to_mathml(tex, display)
        return f'<div class="math-display">{mathml}</div>' if display else mathml

    def glue(m: re.Match) -> str:
        return f'<span class="math-nobreak">{m[0]}</span>' if m[1] or m[3] else m[0]

    return _ATTACHED.sub(glue, _MATH.sub(repl, page_html))


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
