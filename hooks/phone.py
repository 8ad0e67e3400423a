"""Tables and code that read on a phone (issue 28): no column past the edge of a scroll box, no identifier broken.

Every table used to fit the page on a phone only because it scrolled in a box of its own, and a scroll box is an
escape hatch, not a layout: on /backprop/ the columns the homework asks for sat past the right edge of their box, and
on /factorized-conv/ the last column of a five-column table was squeezed to a sliver with rows 180 px tall.

- ``cards``: a table that cannot show its columns side by side in a phone's column (``fits_a_phone``, an estimate
  from its text) becomes, below Material's 45em breakpoint (``site.css``), one card per row: each cell on a line of
  its own, led by its column's header. The build writes the header into the cell (``data-label``; a formula in a
  header is written as text, ``_label``), the stylesheet shows it before the cell and hides the header row from the
  eye only. ``display`` changes there, and some browsers drop a table's semantics from the accessibility tree when it
  does (a table drawn as blocks is read as text), so ``docs/assets/a11y.js`` gives the parts of a card table their
  ARIA roles (``table``, ``rowgroup``, ``row``, ``columnheader``, ``cell``): a screen reader still announces each
  cell's column header. Not in the HTML: it forbids a role on a table's rows and cells (the Nu checker rejects it).
  The label drawn before the cell has an empty alternative text (``site.css``), so it is not read twice. On a laptop
  the card table is the table it was. A table that fits stays a table (a small table of numbers reads best as one).
- ``code_breaks``: Material lets inline code break anywhere (``word-break: break-word``), so a narrow cell broke
  ``result6 = result5 / result4`` every three to five characters. ``site.css`` lets inline code break only where the
  text allows (spaces) and the build adds a ``<wbr>`` after each run of operators or punctuation (``w0*x0`` may break
  after ``*``, ``torch.exp(`` after ``.`` and ``(``), never inside a name or a number.

Printed output (the ``output`` directive's ``snippet-output`` blocks) wraps instead of scrolling: ``site.css``.
``hooks/layout_cost.py``'s height estimate follows both layouts. ``tests/test_layout.py`` measures, on a phone, that
every table fits its column, that no identifier in inline code is broken across lines, and that no printed output
is cut.
"""

from __future__ import annotations

import html
import math
import re

from mkdocs.plugins import event_priority

# -- tables as cards ------------------------------------------------------------------------------------------------
# The column a phone has for a table: a 375 px phone (iPhone SE, mini; 390 px is the tests' phone) less Material's
# margins (16 px a side), less the padding and border of a collapsible block or an admonition when the table is in one.
PHONE_COLUMN, IN_A_BOX = 343, 28
# Material's table text (.64rem: 12.8 px of DejaVu Sans in the tests) is ~7.6 px a character (Cyrillic is wider than
# Latin), ~8.3 in a bold header, monospace code ~6.6 px, a token of math ~10 px; each cell has .6em of padding either
# side (site.css). Measured against Chromium's min-content and max-content widths of every table of the site.
CHAR, BOLD, CODE_CHAR, MATH_TOKEN, CELL_PADDING = 7.6, 1.1, 6.6, 10.0, 16
# A table whose cells would wrap to more lines than this in a phone's column reads badly: a squeezed column of prose
# (/factorized-conv/'s «компроміс» at 180 px a row) or numbers broken over lines.
MAX_LINES = 4

_TABLE = re.compile(r"<table>(.*?)</table>", re.S)  # Markdown's tables: no attributes, never nested
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</\1>", re.S)
_MATH = re.compile(r"<math\b.*?</math>", re.S)
_CODE = re.compile(r"<code\b[^>]*>(.*?)</code>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub("", fragment))).strip()


def cell_width(cell: str, bold: bool = False) -> tuple[float, float]:
    """(the width of the cell's content on one line, the width of its widest unbreakable piece), in CSS px at the
    table's font size: words break at spaces, code after its operators (``code_breaks``), a formula nowhere.

    >>> cell_width("a bb ccc")
    (60.8, 22.8)
    >>> cell_width('<code>result6 = result5 / result4</code>')
    (178.2, 46.2)
    """
    char = CHAR * (BOLD if bold else 1)
    pieces = [MATH_TOKEN * len(re.findall(r"<m[ino]\b", m.group(0))) for m in _MATH.finditer(cell)]
    line = sum(pieces)
    rest = _MATH.sub(" ", cell)
    for code in (_text(m.group(1)) for m in _CODE.finditer(rest)):
        pieces += [CODE_CHAR * len(p) for p in re.split(r"\s+|(?<=[.,;:=+\-*/%<>&|^~!(){}\[\]])", code) if p]
        line += CODE_CHAR * len(code)
    words = _text(_CODE.sub(" ", rest)).split()
    pieces += [char * len(w) for w in words]
    line += char * len(" ".join(words))
    return round(line, 1), round(max(pieces, default=0.0), 1)


def phone_lines(table: str, column: float = PHONE_COLUMN) -> float:
    """The most lines any body cell of a Markdown table wraps to in a phone's column, as a browser lays a table out
    (CSS 2's automatic layout, as browsers do it): each column at least as wide as its widest unbreakable piece, the
    room left shared in proportion to how much wider each column's longest line is; ``inf`` when the columns do not
    fit even so (the table would overflow).

    >>> phone_lines("<thead><tr><th>n</th><th>x</th></tr></thead><tbody><tr><td>1</td><td>0,25</td></tr></tbody>")
    1.0
    >>> phone_lines("<tr>" + "<td>a cell of quite a few words, more than fit on a line</td>" * 3 + "</tr>")
    5.0
    >>> phone_lines("<tr>" + "<td>unbreakable_names_in_a_row</td>" * 3 + "</tr>")
    inf
    """
    rows = [[(m.group(1), *cell_width(m.group(3), bold=m.group(1) == "th")) for m in _CELL.finditer(r)]
            for r in _ROW.findall(table)]
    n = max((len(r) for r in rows), default=0)
    least = [max((c[2] for r in rows if i < len(r) for c in [r[i]]), default=0.0) for i in range(n)]
    most = [max((c[1] for r in rows if i < len(r) for c in [r[i]]), default=0.0) for i in range(n)]
    room = column - 2 - n * CELL_PADDING
    if sum(least) > room:
        return float("inf")
    if sum(most) <= room:
        widths = most
    else:
        spare, extra = room - sum(least), sum(most) - sum(least)
        widths = [lo + spare * (hi - lo) / extra for lo, hi in zip(least, most)]
    def lines(text: float, width: float) -> float:  # words do not pack a line exactly: 10% slack once it wraps
        return 1.0 if text <= width + 0.5 else float(math.ceil(text * 1.1 / width))

    return max((lines(c[1], w) for r in rows for c, w in zip(r, widths) if c[0] == "td"), default=1.0)


def fits_a_phone(table: str, column: float = PHONE_COLUMN) -> bool:
    """Whether a Markdown table reads as a table in a phone's column: it fits, and no cell wraps to more than
    ``MAX_LINES`` lines.

    >>> fits_a_phone("<thead><tr><th>n</th><th>x</th></tr></thead><tbody><tr><td>1</td><td>0,25</td></tr></tbody>")
    True
    >>> fits_a_phone("<tr>" + "<td>a cell of quite a few words, more than fit on a line, and then some more</td>" * 3
    ...              + "</tr>")
    False
    """
    return phone_lines(table, column) <= MAX_LINES


_SUB = str.maketrans("0123456789+−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_SUP = str.maketrans("0123456789+−=()in", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ")


def _math_text(m: re.Match) -> str:
    """A formula as plain text, for a label (an attribute holds no markup): scripts as Unicode sub- and superscript
    characters where every character has one, else after ``_`` and ``^``."""
    def script(inner: str, table: dict, mark: str) -> str:
        t = _text(inner)
        return t.translate(table) if all(ord(c) in table for c in t) else mark + t

    s = m.group(0)
    for _ in range(4):  # innermost scripts first
        s = re.sub(r"<msubsup>((?:<m[ino][^>]*>[^<]*</m[ino]>|<mrow>(?:(?!<mrow>).)*?</mrow>))"
                   r"((?:<m[ino][^>]*>[^<]*</m[ino]>|<mrow>(?:(?!<mrow>).)*?</mrow>))"
                   r"((?:<m[ino][^>]*>[^<]*</m[ino]>|<mrow>(?:(?!<mrow>).)*?</mrow>))</msubsup>",
                   lambda k: _text(k.group(1)) + script(k.group(2), _SUB, "_") + script(k.group(3), _SUP, "^"), s)
        s = re.sub(r"<(msub|msup)>((?:<m[ino][^>]*>[^<]*</m[ino]>|<mrow>(?:(?!<mrow>).)*?</mrow>))"
                   r"((?:<m[ino][^>]*>[^<]*</m[ino]>|<mrow>(?:(?!<mrow>).)*?</mrow>))</\1>",
                   lambda k: _text(k.group(2)) + (script(k.group(3), _SUB, "_") if k.group(1) == "msub"
                                                  else script(k.group(3), _SUP, "^")), s)
    return _text(re.sub(r"<annotation\b.*?</annotation>", "", s, flags=re.S))


def _label(header: str) -> str:
    """A header cell's content as the text of a label.

    >>> _label('відносна <code>float32</code>')
    'відносна float32'
    >>> _label('<math><mrow><msubsup><mi>σ</mi><mi>B</mi><mn>2</mn></msubsup></mrow></math> (÷ N)')
    'σ_B² (÷ N)'
    >>> _label('<math><msub><mi>x</mi><mrow><mn>1</mn></mrow></msub></math>')
    'x₁'
    """
    return _text(_MATH.sub(_math_text, header))


_BOX = re.compile(r"<details\b[^>]*>|</details>|<div\b[^>]*>|</div>")


def _in_a_box(page_html: str, pos: int) -> bool:
    """Whether ``pos`` lies inside a collapsible block or an admonition (narrower than the page's column)."""
    stack: list[bool] = []
    for m in _BOX.finditer(page_html, 0, pos):
        tag = m.group(0)
        if tag.startswith("</"):
            if stack:
                stack.pop()
        else:
            stack.append(tag.startswith("<details") or "admonition" in tag)
    return any(stack)


def cards(page_html: str) -> str:
    """Each Markdown table that does not read as a table in a phone's column (``fits_a_phone``, in the narrower column
    of a collapsible block or an admonition when it is in one) marked to become cards there (``data-cards``), each
    body cell's column header in ``data-label``; tables that fit are left as they are.

    >>> words = "<td>a cell of quite a few words, more than fit on a line, and then some more words again</td>"
    >>> print(cards('<table>\\n<thead>\\n<tr>\\n<th>n</th>\\n<th style="x"><code>a_b</code> words</th>\\n<th></th>'
    ...             '\\n</tr>\\n</thead>\\n<tbody>\\n<tr>\\n<td>1</td>\\n' + words + '\\n' + words
    ...             + '\\n</tr>\\n</tbody>\\n</table>'))  # doctest: +ELLIPSIS
    <table data-cards>
    <thead>
    <tr>
    <th>n</th>
    <th style="x"><code>a_b</code> words</th>
    <th></th>
    </tr>
    </thead>
    <tbody>
    <tr>
    <td data-label="n">1</td>
    <td data-label="a_b words">a cell of quite a few words, ...</td>
    <td>a cell of quite a few words, ...</td>
    </tr>
    </tbody>
    </table>
    >>> cards('<table><tr><td>1</td></tr></table>')  # fits: unchanged
    '<table><tr><td>1</td></tr></table>'
    >>> wide = "<table><tr>" + "<td>twelve_chars</td>" * 3 + "</tr></table>"  # fits the page's column, not a box's
    >>> cards(wide) == wide, cards('<details><summary>s</summary>' + wide)
    (True, '<details><summary>s</summary><table data-cards><tr><td>twelve_chars</td>...</table>')
    """
    def table(m: re.Match) -> str:
        body = m.group(1)
        if fits_a_phone(body, PHONE_COLUMN - (IN_A_BOX if _in_a_box(page_html, m.start()) else 0)):
            return m.group(0)
        head = re.search(r"<thead>(.*?)</thead>", body, re.S)
        labels = [_label(c.group(3)) for c in _CELL.finditer(head.group(1))] if head else []

        cells = iter(range(10 ** 6))

        def cell(c: re.Match) -> str:
            tag, attrs, inner = c.groups()
            i = next(cells) % max(1, len(labels))
            if tag == "th" or i >= len(labels) or not labels[i]:
                return c.group(0)
            return f'<td data-label="{html.escape(labels[i])}"{attrs}>{inner}</td>'

        body = body[:head.end()] + _CELL.sub(cell, body[head.end():]) if head else body  # body cells only
        return f'<table data-cards>{body}</table>'

    return _TABLE.sub(table, page_html)


# -- inline code breaks between tokens only -------------------------------------------------------------------------
_BREAK_AFTER = set(".,;:=+-*/%<>&|^~!(){}[]")
_PRE = re.compile(r"<pre\b.*?</pre>", re.S)


def break_points(code: str) -> list[int]:
    """Where a line may break inside a piece of code, besides its spaces: after the last character of each run of
    operators or punctuation that a name, number or string follows. Never inside a decimal number (``0.5``) or an
    exponent (``1e-08``), nor between a sign and its number (``f(-2)`` may break before ``-``, not after it), nor
    where it would leave one or two characters on a line of their own.

    >>> def shown(s):
    ...     return "".join(("|" if i in break_points(s) else "") + c for i, c in enumerate(s))
    >>> shown("result4 = torch.exp(2*result2+1)")  # not before `1)`: two characters alone on a line
    'result4 = torch.|exp(|2*|result2+1)'
    >>> shown("tensor(-2.)"), shown("x=0.25, y=1e-08"), shown("a <= b"), shown("nn.Dropout(p=0.7)")
    ('tensor(|-2.)', 'x=|0.25, y=|1e-08', 'a <= b', 'nn.|Dropout(|p=|0.7)')
    """
    points = []
    for i in range(len(code) - 1):
        c, nxt = code[i], code[i + 1]
        if c not in _BREAK_AFTER or nxt.isspace() or nxt in _BREAK_AFTER:
            continue
        before = code[i - 1] if i else ""
        if c == "." and before.isdigit() and nxt.isdigit():
            continue
        if c in "+-" and nxt.isdigit():
            if before in ("e", "E") and i >= 2 and code[i - 2].isdigit():
                continue
            if not before or before.isspace() or before in _BREAK_AFTER:  # a sign: break before it, if anywhere
                if before in _BREAK_AFTER and (i < 2 or code[i - 2] not in _BREAK_AFTER):
                    points.append(i)
                continue
        points.append(i + 1)
    # No break that would leave one or two characters alone on a line (`torch.exp(2*result2+` | `1)`).
    ends = sorted({i for i, c in enumerate(code) if c.isspace()} | {len(code)})
    return [p for p in points if next(e for e in ends if e > p) - p > 2]


def code_breaks(page_html: str) -> str:
    """A ``<wbr>`` at each of ``break_points`` of the text of every inline ``<code>`` (not in a listing, ``<pre>``).

    >>> code_breaks('<p><code>w0*x0y</code> and <code>a &lt;= b</code></p><pre><code>w0*x0</code></pre>')
    '<p><code>w0*<wbr>x0y</code> and <code>a &lt;= b</code></p><pre><code>w0*x0</code></pre>'
    >>> code_breaks('<code class="highlight"><span class="n">nn</span>.Dropout(p)</code>')  # text between tags only
    '<code class="highlight"><span class="n">nn</span>.<wbr>Dropout(p)</code>'
    """
    def code(m: re.Match) -> str:
        # Break points are found in the element's whole text (a highlighted `nn.Dropout` is `nn</span>.Dropout`),
        # then written into the text runs between its tags; a run without one is left as it was.
        parts = re.split(r"(<[^>]+>)", m.group(0))
        texts = [html.unescape(r) if i % 2 == 0 else "" for i, r in enumerate(parts)]
        points, pos = set(break_points("".join(texts))), 0
        for i, raw in enumerate(texts):
            if i % 2 == 0 and raw:
                here = [k for k in range(len(raw)) if pos + k in points]
                if here:
                    parts[i] = "".join(("<wbr>" if k in here else "") + html.escape(ch, quote=False)
                                       for k, ch in enumerate(raw))
                pos += len(raw)
        return "".join(parts)

    out, last = [], 0
    for pre in _PRE.finditer(page_html):
        out.append(_CODE.sub(code, page_html[last:pre.start()]))
        out.append(pre.group(0))
        last = pre.end()
    out.append(_CODE.sub(code, page_html[last:]))
    return "".join(out)


@event_priority(-90)  # after the math is typeset (hooks/snippets.py), before hooks/layout_cost.py boxes the tables
def on_page_content(html_text, page, config, files):
    return cards(code_breaks(html_text))
