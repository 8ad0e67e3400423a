"""Slips that MkDocs and Python-Markdown publish without a word, found in a page's Markdown or a snippet's result.

Each function returns problems as ``(line, message)`` (pages) or messages (snippets); ``hooks/snippets.py`` names the
file and fails the build (under ``mkdocs serve``: logs them and shows a banner).

- :func:`table_problems`: a hand-written Markdown table whose rows have different numbers of cells. Python-Markdown
  drops the extra cells of a longer row and pads a shorter one, silently; a header whose delimiter line has another
  number of cells is no table at all, and neither is a table glued to the paragraph above it.
- :func:`html_problems`: an HTML block left open (``<details>`` without ``</details>``) swallows the rest of the page
  into raw HTML; a closing tag that closes nothing; a comment never closed hides the rest of the page.
- :func:`result_problems`: what a snippet returned that would publish a broken or oversized page: a figure name that
  cannot be a file name and a URL, printed output or a table beyond the size limits below. Over the limit the build
  fails naming the snippet (no truncated view: a page shows what the snippet printed, whole, or nothing).
"""

from __future__ import annotations

import re

from .directives import _CANDIDATE, _CODE_OR_COMMENT, fenced

MAX_OUTPUT_LINES = 500  # what a snippet prints, per language: a page and a notebook show it whole
MAX_OUTPUT_BYTES = 50_000
MAX_TABLE_ROWS = 200
MAX_TABLE_BYTES = 100_000
FIGURE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")

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
    return problems
