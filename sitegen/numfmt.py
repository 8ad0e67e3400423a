"""Numbers as a reader of each language expects them: one notation for prose, tables, figures and math.

The digits come from Python's own format mini-language (exact and locale-free); the symbols come from CLDR via
Babel (the machine has no ``uk_UA`` locale, so :mod:`locale` is no help). Whatever the locale says, negative numbers
use the true minus sign U+2212 and powers of ten are written ``× 10ⁿ``, never ``e-05``.

>>> fmt(-1234.5, ",.1f", "uk")
'−1\\xa0234,5'
>>> fmt(-1234.5, ",.1f", "en")
'−1,234.5'
>>> fmt(0.000123, ".2e", "uk")
'1,23\xa0×\xa010<sup>−4</sup>'
>>> fmt(0.000123, ".2e", "en", target="math")
'1.23 \\\\times 10^{-4}'
>>> fmt(0.000123, ".2e", "uk", target="math")
'1{,}23 \\\\times 10^{-4}'
>>> fmt(0.000123, ".2e", "uk", target="text")
'1,23×10⁻⁴'
>>> fmt(3, "d", "uk"), fmt(0.25, ".0%", "uk"), fmt(1e-300 * 1e-300, ".3g", "en")
('3', '25%', '0')
>>> fmt(0.0, ".4f", "uk"), fmt(-0.0, ".1e", "uk"), fmt(0.00001, ".4f", "uk")
('0', '0', '0,0000')
>>> plural(1, "uk", one="вузол", few="вузли", many="вузлів", other="вузла")
'вузол'
>>> [plural(n, "uk", one="вузол", few="вузли", many="вузлів", other="вузла") for n in (2, 5, 11, 21, 22)]
['вузли', 'вузлів', 'вузлів', 'вузол', 'вузли']
>>> plural(2, "en", one="node", other="nodes")
'nodes'
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from babel import Locale
from babel import numbers as babel_numbers

MINUS = "\u2212"
TARGETS = ("html", "math", "text")
_SUPERSCRIPT = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")
_NUMBER = re.compile(r"^(?P<sign>[-+ ]?)(?P<mant>[0-9,]*\.?[0-9]*)(?:e(?P<exp>[-+][0-9]+))?(?P<pct>%?)$")


@lru_cache(maxsize=None)
def _symbols(lang: str) -> tuple[str, str]:
    return babel_numbers.get_decimal_symbol(lang), babel_numbers.get_group_symbol(lang)


class Bound(float):
    """A result that is exactly zero in exact arithmetic, known only to lie below this bound.

    Its round-off digits depend on the machine (BLAS, threads, instruction set), so they are never shown: ``fmt``
    writes ``< 10⁻¹²``. Make one with :func:`exact_zero`, which asserts the measured value is below the bound.
    Measured precision (float32 against float64, the finite-difference error) is a result and stays a number.

    >>> b = exact_zero(3.2e-15)
    >>> fmt(b, ".1e", "uk"), fmt(b, "", "en", "math"), fmt(b, ".2g", "en", "text")
    ('&lt;\xa010<sup>−12</sup>', '< 10^{-12}', '< 10⁻¹²')
    >>> exact_zero(2e-9)
    Traceback (most recent call last):
    ...
    AssertionError: 2e-09 is not below the declared bound 1e-12 of a value that is zero in exact arithmetic
    """

    def __reduce__(self):
        return (Bound, (float(self),))


def exact_zero(measured, bound: float = 1e-12) -> Bound:
    """Declare a value zero in exact arithmetic: check ``|measured| < bound`` and keep only the bound."""
    measured = float(measured.item() if hasattr(measured, "item") else measured)
    exp = math.log10(bound)
    if bound <= 0 or exp != round(exp):
        raise ValueError(f"the bound must be a power of ten, got {bound!r}")
    if not abs(measured) < bound:
        raise AssertionError(f"{measured!r} is not below the declared bound {bound!r} of a value that is zero in "
                             f"exact arithmetic")
    return Bound(bound)


def fmt(value, spec: str = "", lang: str = "en", target: str = "html") -> str:
    """Format ``value`` with a Python format ``spec`` for language ``lang``.

    ``target`` is ``"html"`` (prose and tables), ``"math"`` (inside ``$…$``) or ``"text"`` (matplotlib labels,
    plain strings).
    """
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}; use one of {TARGETS}")
    if isinstance(value, Bound):  # the spec is ignored: no digits to show
        e = round(math.log10(value))
        return {"html": f"&lt;\u00a010<sup>{str(e).replace('-', MINUS)}</sup>", "math": f"< 10^{{{e}}}",
                "text": "< 10" + str(e).translate(_SUPERSCRIPT)}[target]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if hasattr(value, "item"):  # numpy / torch scalars
            value = value.item()
        else:
            raise TypeError(f"fmt() wants a number, got {type(value).__name__}: {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raw = {"inf": "∞", "-inf": MINUS + "∞", "nan": "NaN"}[str(value)]
        return raw
    if value == 0 and spec[-1:] in ("e", "E", "f", "F", "g", "G"):
        return "0"  # an exact zero is 0, not «0,0000» (which reads as a rounded small number)
    raw = format(value, spec)
    m = _NUMBER.match(raw.strip())
    if not m:
        raise ValueError(f"cannot localise {raw!r} (format spec {spec!r})")
    sign, mant, exp, pct = m["sign"], m["mant"], m["exp"], m["pct"]
    if exp is not None and int(exp) == 0:
        exp = None
    decimal, group = _symbols(lang)
    if target == "math":
        decimal = "{,}" if decimal == "," else decimal
        group = "\\," if group.strip() == "" else "{" + group + "}"
    mant = mant.replace(",", "\x00").replace(".", decimal).replace("\x00", group)
    sign = {"-": "-" if target == "math" else MINUS, "+": "+", " ": " ", "": ""}[sign]
    out = sign + mant
    if exp is not None:
        e = int(exp)
        if target == "html":
            out += f"\u00a0×\u00a010<sup>{str(e).replace('-', MINUS)}</sup>"  # no line break inside
        elif target == "math":
            out += f" \\times 10^{{{e}}}"
        else:
            out += "×10" + str(e).translate(_SUPERSCRIPT)
    if pct:
        out += "\\%" if target == "math" else "%"
    return out


def printed(text: str, lang: str):
    """The number a reader sees in ``text`` (what :func:`fmt` printed), as a :class:`~decimal.Decimal` that keeps
    its printed decimals, for the plural rules; ``None`` when the number has no plural form: a power of ten
    («2,5 × 10⁷ разів» is not a form CLDR defines) or a percentage.

    >>> printed("34", "uk"), printed("1\xa0234,50", "uk"), printed("−2.5", "en")
    (Decimal('34'), Decimal('1234.50'), Decimal('-2.5'))
    >>> printed("2,5\xa0×\xa010<sup>7</sup>", "uk") is None, printed("25%", "uk") is None
    (True, True)
    """
    from decimal import Decimal, InvalidOperation

    if "×" in text or "%" in text or "\\times" in text:
        return None
    decimal, group = _symbols(lang)
    t = text.replace(MINUS, "-").replace("{,}", ",").replace("\\,", "")
    t = t.replace(group, "").replace("\u00a0", "").replace("\u202f", "").replace(decimal, ".")
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def plural(n, lang: str, **forms: str) -> str:
    """The CLDR plural form of a word next to the number ``n`` (``one``, ``few``, ``many``, ``other``).

    Pass the number as printed (:func:`printed`): 33.96 printed «34» takes the form of 34, not of 33.96.

    >>> plural(printed("34", "uk"), "uk", one="раз", few="рази", many="разів", other="раза")
    'рази'
    >>> plural(printed("2,5", "uk"), "uk", one="раз", few="рази", many="разів", other="раза")
    'раза'
    """
    category = Locale.parse(lang).plural_form(abs(n))
    if category in forms:
        return forms[category]
    if "other" in forms:
        return forms["other"]
    raise KeyError(f"no plural form {category!r} for {n} in {lang!r}; given {sorted(forms)}")
