"""Less work when a page loads: code listings with fewer nodes, tables in a box of their own, off-screen parts skipped.

A notebook page was eleven thousand nodes, most of them one ``<span>`` per code token, and Material's script
measures the page as it starts (sidebars, ``toc.follow``), so the first layout of the whole page was most of the main
thread's time (issue 19, Lighthouse's "Style & Layout"). ``lean_code`` drops the spans of tokens drawn in the code's
own colour (names, whitespace and, on purpose, operators and punctuation) and lets neighbouring tokens that Material
colours alike share one span: the backprop notebook page went from 11 212 nodes to 4 778, the backprop page from
3 991 to 3 799 (its nodes are mostly MathML).

``box_tables`` puts each table in a ``<div class="table-box">`` of its own. Material's script wraps every table in its
scrolling box after the page has loaded, a change to the list of the table's parent's children; on a page with
MathML, Chromium's user-agent rule ``mmultiscripts > mprescripts ~ :nth-child(2n+1)`` makes such a change restyle
the parent's whole subtree, so a table directly in the article cost a restyle of the whole article (the most
expensive single step of the backprop page's load, traced with Chromium's invalidation tracking). In its own box, only
the table is restyled. The box is a plain block without margins (the scrolling box's margins collapse through it),
so the page looks the same; the layout tests measure every table.

``wrap_sections`` and ``skip_code_inputs`` mark what the browser may skip while it is far off screen (``.cv-box``,
``content-visibility: auto`` in ``site.css``): the body of each section of a topic page (what follows an ``h2``…``h6``,
up to the next heading; the headings stay outside, so anchors and ``toc.follow`` measure real boxes), and each listing
and each cell's outputs of a notebook page (``skip_code_inputs``, ``skip_outputs``; markdown cells, with the headings,
stay). A skipped part is not styled or laid out at load, so Material's start-up restyles of the whole document cover
only what is near the screen. Until drawn, a part is as tall as ``estimate`` says, an upper bound computed here (then the height it last
had). An earlier attempt gave every part 600 px: a part taller than that, measured by a script while skipped (axe's
colour check in Lighthouse), lay over the footer, and a heading link on a notebook page, inside a skipped cell, landed
400 px off. Upper bounds and headings outside every skipped part fix both (tests/test_layout_cost.py measures every
part at 320 px against its estimate, follows an anchor and the table of contents, and runs axe's colour check with the
footer in view). ``toc_to_closed_blocks`` (on the finished page) points the table of contents' entries for headings
inside a closed "deeper" block at the block, whose position costs nothing to read.

Also measured: Material's palette and root classes, set in the page's first bytes (overrides/main.html) so that the
bundle's writes change nothing, and ``docs/assets/a11y.js`` reading every box before writing any: each removed one
whole-document restyle at load.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

if str(Path(__file__).resolve().parent.parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen import pagecache  # noqa: E402

# Pygments' token classes that Material colours alike, in both schemes (its main and palette stylesheets set
# ``.highlight .<class> { color: var(--md-code-hl-<group>-color) }`` and each group's variable; tests/test_layout_cost.py
# reads them back). A token of a group is written with the group's first class, so neighbours can share one span.
SAME_COLOUR = {
    # --md-default-fg-color--light: comments, generic output, variables
    "c": ("c", "c1", "ch", "cm", "cs", "sd", "ge", "gh", "go", "gp", "gr", "gs", "gt", "gu", "na", "nv", "vc", "vg", "vi"),
    "s": ("cpf", "l", "s", "s1", "s2", "sb", "sc", "si", "ss"),
    "m": ("il", "m", "mb", "mf", "mh", "mi", "mo"),
    "k": ("k", "kd", "kn", "kp", "kr", "kt", "nd", "ni", "nl", "nt"),
    "nb": ("bp", "nb", "no"),
    "nf": ("nc", "ne", "nf", "nn"),
    "se": ("cp", "se", "sh", "sr", "sx"),
}
# The code's own colour (``.n``, ``.kc``: --md-code-hl-name-color, which is --md-code-fg-color), or no rule at all
# (``.w``, ``.sa``): the span adds a node, not a look. Operators and punctuation (``.o``, ``.ow``, ``.p``: Material
# greys them, --md-default-fg-color--light) are drawn in the code's own colour too: between the names they separate
# they were half of a notebook page's nodes, and full-contrast brackets read at least as well as grey ones.
PLAIN = ("n", "kc", "w", "sa", "o", "ow", "p")
_GROUP = {cls: first for first, members in SAME_COLOUR.items() for cls in members}
_TOKEN = re.compile(r'<span class="([a-z0-9]+)">([^<]*)</span>')
_NEIGHBOURS = re.compile(r'<span class="(' + "|".join(SAME_COLOUR) + r')">([^<]*)</span>(\s*)<span class="\1">')


def lean_code(html: str) -> str:
    """Code listings with fewer nodes and the same look: no span for a plain token, one span for neighbours of one
    colour (whitespace between them included).

    >>> lean_code('<span class="n">x</span><span class="w"> </span><span class="o">=</span><span class="nb">len</span>')
    'x =<span class="nb">len</span>'
    >>> lean_code('<span class="c1"># one</span> <span class="c1"># two</span>')
    '<span class="c"># one # two</span>'
    >>> lean_code('<span class="s2">"a</span><span class="se">\\n</span><span class="s2">"</span>')  # other colours stay
    '<span class="s">"a</span><span class="se">\\n</span><span class="s">"</span>'
    """
    def token(m):
        cls = m.group(1)
        if cls in PLAIN:
            return m.group(2)
        return f'<span class="{_GROUP[cls]}">{m.group(2)}</span>' if cls in _GROUP else m.group(0)

    html = _TOKEN.sub(token, html)
    n = 1
    while n:
        html, n = _NEIGHBOURS.subn(r'<span class="\1">\2\3', html)
    return html


_TABLE = re.compile(r"<table>(?:(?!<table[ >]).)*?</table>", re.S)


def box_tables(html: str) -> str:
    """Each table (Markdown's, without attributes) inside a box of its own.

    >>> box_tables('<p>a</p><table><tr><td>1</td></tr></table><p>b</p><table></table>')
    '<p>a</p><div class="table-box"><table><tr><td>1</td></tr></table></div><p>b</p><div class="table-box"><table></table></div>'
    >>> box_tables('<table class="x"></table>')  # a table with a class is someone else's
    '<table class="x"></table>'
    """
    return _TABLE.sub(lambda m: f'<div class="table-box">{m.group(0)}</div>', html)


# -- off-screen parts skipped until the reader nears them ---------------------------------------------------------
_HEADING = re.compile(r"<(h[2-6])\b[^>]*>.*?</\1>", re.S)
_OPEN = re.compile(r"<(div|details|section|blockquote|table|ul|ol)\b|</(div|details|section|blockquote|table|ul|ol)>")


def _top_level(html: str, pos: int) -> bool:
    depth = 0
    for m in _OPEN.finditer(html, 0, pos):
        depth += 1 if m.group(1) else -1
    return depth == 0


def estimate(body: str) -> int:
    """An upper bound, in CSS px, of the height of a section's body in a phone's 358 px column (a laptop's column is
    wider, so the section is shorter there): ~30 characters a line of 28 px, every block's margins, display math,
    figures, images, table rows, code lines and the explorer at their tallest. Skipped, the body keeps this height (and
    then the height it last had when it was drawn); it must not be smaller than the real one, or what a script measures
    inside it (axe's colour check) would lie over what follows it.

    >>> estimate('<p>' + 'a' * 300 + '</p>')
    527
    >>> estimate('<table><tr><td>1</td></tr><tr><td>2</td></tr></table>') > 2 * 48
    True
    """
    # A closed block (Material's "deeper" details) is drawn as its summary line.
    body = re.sub(r"<details\b(?![^>]*\bopen\b)[^>]*>\s*(<summary\b.*?</summary>).*?</details>", r"<div>\1</div>", body, flags=re.S)
    s = re.sub(r"<math\b.*?</math>", lambda m: "x" * (len(re.findall(r"<m[ino]\b", m.group(0))) + 2), body, flags=re.S)
    def chars(html):
        return len(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)))
    # a table's text wraps in columns narrower than the page's: counted twice, ~14 characters a line
    text = chars(s) + sum(chars(t) for t in re.findall(r"<table\b.*?</table>", s, re.S))
    px = (text / 28 + 1) * 28
    # each block starts a line of its own (the stream of characters above does not know), plus its margins
    px += (28 + 16) * len(re.findall(r"<(?:p|li|h[2-6]|div|details|summary|dt|dd)\b", body))
    px += 150 * len(re.findall(r"<img\b", re.sub(r"<figure\b.*?</figure>", "", body, flags=re.S)))  # thumbnails
    px += 100 * body.count('class="math-display"')
    px += 700 * body.count("<figure")
    px += 48 * body.count("<tr") + 60 * body.count("<table")
    px += 24 * sum(c.count("\n") + 1 for c in re.findall(r"<pre\b.*?</pre>", body, re.S))
    px += 3500 * body.count('class="bp-explorer"')
    return int(px * 1.15 + 100)


def wrap_sections(html: str) -> str:
    """What follows each top-level heading (up to the next one or the end) in ``div.section-body cv-box`` (skipped
    while off screen) with its estimated height. (Earlier the last two sections were always drawn; with upper bounds
    that is not needed, and on a topic page they were half of what was drawn at load.)

    >>> wrap_sections('<h1>T</h1><p>a</p><h2 id="x">X</h2><p>b</p><h3 id="y">Y</h3><p>c</p><h2 id="z">Z</h2><p>d</p>')
    '<h1>T</h1><p>a</p><h2 id="x">X</h2><div class="section-body cv-box" style="--cv-h:183px"><p>b</p></div><h3 id="y">Y</h3><div class="section-body cv-box" style="--cv-h:183px"><p>c</p></div><h2 id="z">Z</h2><div class="section-body cv-box" style="--cv-h:183px"><p>d</p></div>'
    >>> wrap_sections('<h2 id="x">X</h2><h3 id="y">Y</h3>')  # nothing between: nothing wrapped
    '<h2 id="x">X</h2><h3 id="y">Y</h3>'
    >>> wrap_sections('<div class="jp-Cell"><h2 id="x">X</h2></div><p>b</p>')  # a nested heading: no split there
    '<div class="jp-Cell"><h2 id="x">X</h2></div><p>b</p>'
    """
    heads = [m for m in _HEADING.finditer(html) if _top_level(html, m.start())]
    if not heads:
        return html
    out = [html[:heads[0].start()]]
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(html)
        body = html[m.end():end]
        out.append(m.group(0))
        if not body.strip():
            out.append(body)
        else:
            for kind, part in _split_headed_details(body):
                out.append(part if kind == "details" or not part.strip() else
                           f'<div class="section-body cv-box" style="--cv-h:{estimate(part)}px">{part}</div>')
    return "".join(out)


_DETAILS = re.compile(r"<details\b|</details>")
_DIV = re.compile(r"<div\b|</div>")


def _outermost(html: str, tags: re.Pattern, pos: int = 0):
    """(start, end) of each outermost element whose opening and closing tags ``tags`` matches, from ``pos`` on.

    >>> list(_outermost('<div><div></div></div><div></div>', _DIV))
    [(0, 22), (22, 33)]
    """
    depth = start = 0
    for m in tags.finditer(html, pos):
        if not m.group(0).startswith("</"):
            start = m.start() if depth == 0 else start
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                yield start, m.end()


def _split_headed_details(body: str):
    """The body in pieces: each top-level ``<details>`` that holds a heading with an id (a "deeper" block, its
    headings in the table of contents) on its own, the rest between. Such a block is left out of the skipped parts:
    Material's ``toc.follow`` reads the position of every heading in the table of contents at load, and reading one
    inside a skipped part made the browser style and lay that whole part out (traced on /backprop/); a closed block is
    drawn as its summary line, so leaving it drawn costs nothing.

    >>> list(_split_headed_details('<p>a</p><details><summary>s</summary><h3 id="x">X</h3></details><p>b</p>'))
    [('text', '<p>a</p>'), ('details', '<details><summary>s</summary><h3 id="x">X</h3></details>'), ('text', '<p>b</p>')]
    >>> list(_split_headed_details('<p>a</p><details><summary>s</summary><p>c</p></details>'))  # no heading: one piece
    [('text', '<p>a</p><details><summary>s</summary><p>c</p></details>')]
    """
    pos = 0
    for a, b in _outermost(body, _DETAILS):
        if not _HEAD_ID.search(body, a, b):
            continue
        if body[pos:a]:
            yield "text", body[pos:a]
        yield "details", body[a:b]
        pos = b
    if body[pos:]:
        yield "text", body[pos:]


_INPUT = re.compile(r'<div class="jp-Cell-inputWrapper"( tabindex="0")?>(?=(?:(?!<div class="jp-Cell-inputWrapper").)*?'
                    r'jp-CodeMirrorEditor(?:(?!<div class="jp-Cell-inputWrapper").)*?<pre>(.*?)</pre>)', re.S)


def skip_code_inputs(html: str) -> str:
    """A notebook page: each code cell's listing (nbconvert's input wrapper) is skipped while off screen, with its
    height bounded by its number of lines (a listing scrolls sideways, so its height does not depend on the width).
    Markdown cells, where the headings are, and outputs stay as they are.

    >>> skip_code_inputs('<div class="jp-Cell-inputWrapper" tabindex="0"><div class="jp-CodeMirrorEditor">'
    ...                  '<div class="highlight"><pre>a\\nb\\n</pre></div></div></div>')  # doctest: +ELLIPSIS
    '<div class="jp-Cell-inputWrapper cv-box" style="--cv-h:152px" tabindex="0">...'
    """
    def box(m):
        lines = m.group(2).count("\n") + 1
        return f'<div class="jp-Cell-inputWrapper cv-box" style="--cv-h:{32 * lines + 56}px"{m.group(1) or ""}>'
    return _INPUT.sub(box, html)


def skip_outputs(html: str) -> str:
    """A notebook page: each code cell's outputs (nbconvert's output wrapper: printed text, tables, figures) are
    skipped while off screen, with ``estimate``'s bound of their height.

    >>> skip_outputs('<div class="jp-Cell-outputWrapper"><div><pre>a\\nb</pre></div></div><p>x</p>')
    '<div class="jp-Cell-outputWrapper cv-box" style="--cv-h:241px"><div><pre>a\\nb</pre></div></div><p>x</p>'
    """
    out, pos = [], 0
    for m in re.finditer(r'<div class="jp-Cell-outputWrapper">', html):
        _, end = next(_outermost(html, _DIV, m.start()))
        body = html[m.end():end - len("</div>")]
        out.append(html[pos:m.start()])
        out.append(f'<div class="jp-Cell-outputWrapper cv-box" style="--cv-h:{estimate(body)}px">')
        pos = m.end()
    out.append(html[pos:])
    return "".join(out)


@event_priority(-100)  # after the snippets hook has expanded directives and typeset the math
def on_page_content(html, page, config, files):
    # A function of the HTML alone: kept by it (sitegen/pagecache.py), a rebuild redoes the edited page only.
    cache = pagecache.store(pagecache.project_of(config), "layout-content")
    return cache.memo(cache.key(html),
                      lambda: skip_outputs(skip_code_inputs(wrap_sections(box_tables(lean_code(html))))))


_HEAD_ID = re.compile(r'<h[2-6]\b[^>]*\bid="([^"]+)"')


def toc_to_closed_blocks(html: str) -> str:
    """Entries of the table of contents that lead into a closed block (a "deeper" ``<details>``) lead to the block
    instead: it gets an id (``block-`` and its first heading's), and Material opens a closed block that is the target
    of a link as it does one that holds the target. Material's ``toc.follow`` reads the position of every entry's
    target at load; the position of a heading inside a closed block made Chromium style and lay out the whole hidden
    block (its content is ``content-visibility: hidden``): on /backprop/ 627 elements and 1,141 layout objects, most
    of the load's longest task. The block's own box costs nothing to read. Links in the text keep their targets.

    >>> toc_to_closed_blocks('<a href="#x" class="md-nav__link">X</a><a href="#x">see</a>'
    ...     '<details class="note"><summary>s</summary><h3 id="x">X<a class="headerlink" href="#x">¶</a></h3></details>')
    '<a href="#block-x" class="md-nav__link">X</a><a href="#x">see</a><details id="block-x" class="note">...'
    >>> toc_to_closed_blocks('<details open><h3 id="x">X</h3></details>')  # an open block: nothing to do
    '<details open><h3 id="x">X</h3></details>'
    """
    out, pos, moved = [], 0, {}
    for start, end in _outermost(html, _DETAILS):
        block = html[start:end]
        tag = block[:block.index(">") + 1]
        ids = _HEAD_ID.findall(block)
        if not ids or re.search(r"\bopen\b", tag) or " id=" in tag:
            continue
        block_id = f"block-{ids[0]}"
        moved.update((i, block_id) for i in ids)
        out += [html[pos:start], f'<details id="{block_id}"', block[len("<details"):]]
        pos = end
    out.append(html[pos:])
    html = "".join(out)
    for heading, block_id in moved.items():
        html = html.replace(f'<a href="#{heading}" class="md-nav__link">', f'<a href="#{block_id}" class="md-nav__link">')
    return html


def on_post_page(output, page, config):
    cache = pagecache.store(pagecache.project_of(config), "layout-page")
    return cache.memo(cache.key(output), lambda: toc_to_closed_blocks(output))
