"""Slips that MkDocs and Python-Markdown publish without a word, found in a page's Markdown or a snippet's result.

Each function returns problems as ``(line, message)`` (pages) or messages (snippets); ``hooks/snippets.py`` names the
file and fails the build (under ``mkdocs serve``: logs them and shows a banner).

- :func:`table_problems`: a hand-written Markdown table whose rows have different numbers of cells. Python-Markdown
  drops the extra cells of a longer row and pads a shorter one, silently; a header whose delimiter line has another
  number of cells is no table at all, and neither is a table glued to the paragraph above it.
- :func:`html_problems`: an HTML block left open (``<details>`` without ``</details>``) swallows the rest of the page
  into raw HTML; a closing tag that closes nothing; a comment never closed hides the rest of the page.
- :func:`result_problems`: what a snippet returned that would publish a broken or oversized page: a figure name that
  cannot be a file name and a URL, printed output or a table beyond the size limits below, a figure whose smallest
  text would be drawn too small to read (:func:`figure_problems`). Over the limit the build fails naming the snippet
  (no truncated view: a page shows what the snippet printed, whole, or nothing).
"""

from __future__ import annotations

import re

from .directives import _CANDIDATE, _CODE_OR_COMMENT, fenced

MAX_OUTPUT_LINES = 500  # what a snippet prints, per language: a page and a notebook show it whole
MAX_OUTPUT_BYTES = 50_000
MAX_TABLE_ROWS = 200
MAX_TABLE_BYTES = 100_000
FIGURE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
# Figure text as drawn (issue 16; tests/test_reader.py measures the same in Chromium): the smallest text of a figure,
# in CSS px once the figure is scaled into the page's text column, at least this much. A figure is shown at its own
# size (1 pt = 4/3 px) or, when that is wider, at the column's width. A figure with a phone variant `<name>_narrow`
# is shown on laptops only, the variant on phones only.
FIGURE_MIN_PX = {"laptop": 11.0, "phone": 9.0}
COLUMN_PX = {"laptop": 688, "phone": 358}  # Material's text column at 1280×800 and at 390×844
_SVG_FONT = re.compile(r"font(?:-size)?:\s*(?:(?:italic|oblique|bold|normal|\d00)\s+)*([\d.]+)px")
_SVG_VIEWBOX = re.compile(r'viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"')

_SEPARATOR = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
# A line after which a new block starts without a blank line: a heading, an admonition, a `???` block, a tab.
_OPENS_BLOCK = re.compile(r"^[ \t]*(?:#{1,6}[ \t]|!!!|\?\?\?\+?|===[ \t])")


def _splitter():
    """Python-Markdown's own table-row splitter (pipes in code spans and ``\\|`` do not split), without a parser."""
    from markdown.extensions.tables import TableProcessor

    proc = TableProcessor.__new__(TableProcessor)
    proc.border, proc.separator, proc.config = False, "", {"use_align_attribute": False}
    return proc


def table_problems(markdown: str) -> list[tuple[int, str]]:
    """Tables whose rows do not all have the header's number of cells, as Python-Markdown splits them.

    >>> table_problems("| a | b |\\n| --- | --- |\\n| 1 | 2 | 3 |\\n| `x|y` | 4 |\\n| 5 |\\n\\n| ok | \\\\| |\\n|-|-|\\n| 1 | 2 |\\n")
    [(3, 'this table row has 3 cells, its header (line 1) has 2: Python-Markdown drops the extra cells of a longer row and pads a shorter one; write \\\\| for a | inside a cell'), (5, 'this table row has 1 cell, its header (line 1) has 2: Python-Markdown drops the extra cells of a longer row and pads a shorter one; write \\\\| for a | inside a cell')]
    >>> table_problems("Text\\n| a | b |\\n|---|---|\\n")
    [(2, 'a table needs a blank line before it: glued to the line above it is shown as text')]
    >>> table_problems("| a | b | c |\\n|---|---|\\n")
    [(1, 'this table header has 3 cells but the delimiter line under it has 2: the table is shown as text')]
    >>> table_problems("```\\n| a |\\n|---|---|\\n```\\n!!! note\\n    | a | b |\\n    |---|---|\\n    | 1 | 2 |\\n")
    []
    """
    lines = ["" if in_code else line for _, line, in_code in fenced(markdown.splitlines())]
    proc = _splitter()
    problems = []
    i = 0
    while i + 1 < len(lines):
        head, sep = lines[i].strip(" \t"), lines[i + 1]
        if not ("|" in head and "|" in sep and "-" in sep and _SEPARATOR.match(sep)):
            i += 1
            continue
        end = i + 2
        while end < len(lines) and lines[end].strip():
            end += 1
        if i > 0 and lines[i - 1].strip() and not _OPENS_BLOCK.match(lines[i - 1]):
            problems.append((i + 1, "a table needs a blank line before it: glued to the line above it is shown "
                                    "as text"))
        elif not proc.test(None, "\n".join(line.strip(" \t") for line in lines[i:end])):
            proc.border = head.startswith("|") * 1 | bool(proc.RE_END_BORDER.search(head)) * 2
            problems.append((i + 1, f"this table header has {len(proc._split_row(head))} cells but the delimiter "
                                    f"line under it has {len(proc._split_row(sep.strip(' ')))}: the table is shown "
                                    f"as text"))
        else:
            width = len(proc.separator)
            for k in range(i + 2, end):
                n = len(proc._split_row(lines[k].strip(" \t")))
                if n != width:
                    problems.append((k + 1, f"this table row has {n} cell{'s' if n != 1 else ''}, its header (line "
                                            f"{i + 1}) has {width}: Python-Markdown drops the extra cells of a longer "
                                            f"row and pads a shorter one; write \\| for a | inside a cell"))
        i = end
    return problems


# Elements that open a raw HTML block in Markdown and must be closed (those whose end tag HTML lets one omit, such as
# <p>, <li>, <td>, <tr>, are left out).
BLOCK_TAGS = frozenset(
    "address article aside audio blockquote canvas details dialog div dl fieldset figcaption figure footer form h1 h2 "
    "h3 h4 h5 h6 header iframe main menu nav noscript object ol pre script section style summary table textarea ul "
    "video".split())
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*?(/?)>")


def html_problems(markdown: str) -> list[tuple[int, str]]:
    """HTML blocks of a page's Markdown that are not balanced, outside code and comments.

    >>> html_problems('<div class="x">\\n\\n<details>\\n<summary>More</summary>\\n\\nText `<div>`\\n</div>\\n\\n<details>\\n')
    [(3, '<details> is never closed: expected </details> before the </div> at line 7'), (9, '<details> is never closed: expected </details> (an open block swallows the rest of the page)')]
    >>> html_problems("</figure>\\n<!-- <div> -->\\n```\\n<div>\\n```\\n<br><img src=x />")
    [(1, '</figure> closes nothing: no <figure> is open here')]
    >>> html_problems("Text <!-- a note\\nthat never ends")
    [(1, '<!-- is never closed: expected --> (the rest of the page is hidden)')]
    """
    lines = markdown.splitlines(keepends=True)
    text = "".join(re.sub(r"[^\n]", " ", line) if in_code else line for _, line, in_code in fenced(lines))
    problems = []

    def line_of(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    plain = list(text)
    for m in _CODE_OR_COMMENT.finditer(text):
        plain[m.start():m.end()] = re.sub(r"[^\n]", " ", m.group(0))
        if m["body"] is not None and not m["close"] and _CANDIDATE.match(m["body"]) is None:
            problems.append((line_of(m.start()), "<!-- is never closed: expected --> (the rest of the page is hidden)"))
    plain = "".join(plain)
    stack: list[tuple[str, int]] = []
    for m in _TAG.finditer(plain):
        closing, tag, self_closing = m[1], m[2].lower(), m[3]
        if tag not in BLOCK_TAGS or self_closing:
            continue
        line = line_of(m.start())
        if not closing:
            stack.append((tag, line))
        elif any(t == tag for t, _ in stack):
            while stack[-1][0] != tag:
                t, opened = stack.pop()
                problems.append((opened, f"<{t}> is never closed: expected </{t}> before the </{tag}> at line {line}"))
            stack.pop()
        else:
            problems.append((line, f"</{tag}> closes nothing: no <{tag}> is open here"))
    for t, opened in stack:
        problems.append((opened, f"<{t}> is never closed: expected </{t}> (an open block swallows the rest of the "
                                 f"page)"))
    return sorted(problems)


def _kb(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB"


def _line_of(source: str, *needles: str) -> str:
    """``:LINE`` of the first needle found in a snippet's source, or nothing."""
    for needle in needles:
        i = source.find(needle)
        if i >= 0:
            return f":{source.count(chr(10), 0, i) + 1}"
    return ""


def svg_text_sizes(svg: str | bytes) -> tuple[float, list[float]]:
    """(the width of the SVG's drawing in user units, the size of each text in the same units). Matplotlib writes
    one user unit per point of the figure and its text sizes (``svg.fonttype: none``) in those units.

    >>> svg_text_sizes('<svg width="360pt" height="216pt" viewBox="0 0 360 216"><g style="font: 10px sans-serif">'
    ...                '<text style="font-size: 12px">a</text></g></svg>')
    (360.0, [10.0, 12.0])
    """
    if isinstance(svg, bytes):
        svg = svg.decode("utf-8", "replace")
    m = _SVG_VIEWBOX.search(svg)
    if not m:
        raise ValueError("an SVG without a viewBox")
    return float(m[3]), [float(x) for x in _SVG_FONT.findall(svg)]


def drawn_px(width: float, size: float, screen: str) -> float:
    """CSS px of text of ``size`` pt in a figure ``width`` pt wide, on ``screen`` ("laptop", "phone").

    >>> round(drawn_px(360, 10, "phone"), 2), round(drawn_px(425, 10, "phone"), 2)  # 5 in, 5.9 in
    (9.94, 8.42)
    """
    return size * min(4 / 3, COLUMN_PX[screen] / width)


def figure_problems(name: str, figures: dict) -> list[str]:
    """Figures whose smallest text would be drawn under FIGURE_MIN_PX on a laptop or a phone; ``figures`` is one
    language's and theme's ``{name: svg}``. The rule it enforces: text ≥ 10 pt in a figure at most 5 in wide, the
    legend and every label inside those 5 in (``sitegen.snippet.subplots`` draws exactly that), or a phone variant.

    >>> svg = '<svg viewBox="0 0 {w} 200"><text style="font: 10px sans-serif">a</text></svg>'
    >>> figure_problems("t/s", {"ok": svg.format(w=360), "wide": svg.format(w=425)})  # doctest: +ELLIPSIS
    ["snippets/t/s.py: figure 'wide' is 5.9 in wide with 10 pt text: on a phone its smallest text is drawn at 8.4 px, under 9 px; ..."]
    >>> figure_problems("t/s", {"wide": svg.format(w=425), "wide_narrow": svg.format(w=360)})
    []
    """
    problems = []
    for fig in sorted(figures):
        try:
            width, sizes = svg_text_sizes(figures[fig])
        except ValueError:
            continue
        if not sizes:
            continue  # a drawing without text (the home page's thumbnails)
        screens = ("phone",) if fig.endswith("_narrow") else ("laptop",) if f"{fig}_narrow" in figures \
            else ("laptop", "phone")
        for screen in screens:
            px = drawn_px(width, min(sizes), screen)
            if px < FIGURE_MIN_PX[screen]:
                problems.append(
                    f"snippets/{name}.py: figure {fig!r} is {width / 72:.1f} in wide with {min(sizes):g} pt text: on a "
                    f"{screen} its smallest text is drawn at {px:.1f} px, under {FIGURE_MIN_PX[screen]:g} px; draw it "
                    f"with sitegen.snippet.subplots() (exactly 5 in wide, legend and labels inside) and text ≥ 10 pt, "
                    f"or add a phone variant '{fig}_narrow' (snippets/README.md, Figures)")
                break
    return problems


def result_problems(name: str, result: dict, source: str = "") -> list[str]:
    """What a snippet's result would publish wrongly, each message naming ``snippets/<name>.py`` (and a line).

    >>> from sitegen.snippet import Table
    >>> r = {"figures": {"en": {"light": {"my fig": b"", "ok_1": b""}}}, "stdout": {"en": "x\\n" * 600},
    ...      "tables": {"en": {"big": Table(["n"], [[i] for i in range(201)])}}}
    >>> for m in result_problems("t/s", r, "def figures(values, lang, theme):\\n    return {'my fig': fig}\\n"): print(m)
    snippets/t/s.py:2: figures() returned the figure name 'my fig': a figure name is letters, digits, '_' and '-' (it becomes a file name and a URL, and <!-- figure t/s:NAME --> names it)
    snippets/t/s.py: printed 600 lines (1.2 kB) for en: an output may have at most 500 lines and 50 kB (a page and a notebook show it whole): print a summary instead
    snippets/t/s.py: table 'big' has 201 rows (1.5 kB of Markdown) for en: a table may have at most 200 rows and 100 kB: show a summary or a sample instead
    """
    where = f"snippets/{name}.py"
    problems = []
    names = {fig for by_theme in result.get("figures", {}).values() for figs in by_theme.values() for fig in figs}
    for fig in sorted(names):
        if not FIGURE_NAME.fullmatch(fig):
            line = _line_of(source, f'"{fig}"', f"'{fig}'", "def figures(")
            problems.append(f"{where}{line}: figures() returned the figure name {fig!r}: a figure name is letters, "
                            f"digits, '_' and '-' (it becomes a file name and a URL, and <!-- figure {name}:NAME --> "
                            f"names it)")
    for lang, text in (result.get("stdout") or {}).items():
        n, size = len(text.splitlines()), len(text.encode("utf-8"))
        if n > MAX_OUTPUT_LINES or size > MAX_OUTPUT_BYTES:
            problems.append(f"{where}: printed {n:,} lines ({_kb(size)}) for {lang}: an output may have at most "
                            f"{MAX_OUTPUT_LINES} lines and {MAX_OUTPUT_BYTES // 1000} kB (a page and a notebook show "
                            f"it whole): print a summary instead")
            break
    for lang, tables in (result.get("tables") or {}).items():
        big = []
        for tab, table in tables.items():
            rows, size = len(table.rows), len(table.to_markdown(lang).encode("utf-8"))
            if rows > MAX_TABLE_ROWS or size > MAX_TABLE_BYTES:
                big.append(f"{where}: table {tab!r} has {rows:,} rows ({_kb(size)} of Markdown) for {lang}: a table "
                           f"may have at most {MAX_TABLE_ROWS} rows and {MAX_TABLE_BYTES // 1000} kB: show a summary "
                           f"or a sample instead")
        if big:
            problems += big
            break
    for lang, by_theme in (result.get("figures") or {}).items():
        found = figure_problems(name, next(iter(by_theme.values()), {}))  # sizes are the same in every theme
        if found:
            problems += [f"{p} ({lang})" for p in found]
            break
    return problems
