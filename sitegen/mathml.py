"""TeX to MathML at build time, so pages carry no math JavaScript (Chromium renders MathML Core natively).

pymdownx.arithmatex (generic mode) marks math as ``<span class="arithmatex">\\(…\\)</span>`` and
``<div class="arithmatex">\\[…\\]</div>``; :func:`typeset` replaces those with ``<math>`` elements.

>>> out = typeset('<p>a <span class="arithmatex">\\\\(x^2 &lt; 1\\\\)</span></p>')
>>> out.startswith('<p>a <math') and '<msup>' in out and 'arithmatex' not in out
True
>>> 'display="block"' in typeset('<div class="arithmatex">\\\\[\\\\frac{a}{b}\\\\]</div>')
True
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
