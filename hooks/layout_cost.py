"""Less layout work when a page loads: the browser skips the rendering of what is off screen.

A topic page is thousands of nodes (MathML, tables, listings) and Material's script measures the page as it starts
(sidebars, ``toc.follow``), so the first layout of the whole page was most of the main thread's time (issue 19,
Lighthouse's "Style & Layout"). Here each section's body (what follows an ``h2``…``h6`` heading, up to the next
heading) is wrapped in ``<div class="section-body">`` and the page gets, inline in its ``<head>``, ``content-visibility: auto``
for those bodies and for the cells of a notebook page: off-screen ones are not laid out until the reader scrolls
near them, with ``contain-intrinsic-size: auto …`` as their size until then (``auto``: the size last rendered).

What keeps working: every heading stays outside the wrapped bodies, so the table of contents (``toc.follow``, which
measures each heading it lists as the page starts) and heading anchors measure real boxes without laying out
what is skipped; Chromium reveals a skipped body for a fragment link, find-in-page or focus inside it,
and a script that asks for an element's size (a test measuring widths) gets it laid out on demand.
"""

from __future__ import annotations

import re

from mkdocs.plugins import event_priority

_HEADING = re.compile(r"<(h[2-6])\b[^>]*>.*?</\1>", re.S)
# The last sections and cells stay rendered: a reader (or axe) jumping to the end of the page would otherwise have
# them laid out under the footer just then, moving it while it is read (Lighthouse's axe, at a phone's width, then
# measured the footer's colours against the wrong background).
STYLE = ("<style>.md-typeset .section-body,.md-typeset .jp-Cell{content-visibility:auto;"
         "contain-intrinsic-size:auto 600px}.md-typeset .section-body:nth-last-of-type(-n+2),"
         ".md-typeset .jp-Cell:nth-last-child(-n+3){content-visibility:visible}</style>")


def wrap_sections(html: str) -> str:
    """Wrap what follows each top-level heading (up to the next one or the end) in ``div.section-body``.

    >>> wrap_sections('<h1>T</h1><p>a</p><h2 id="x">X</h2><p>b</p><h3 id="y">Y</h3><p>c</p>')
    '<h1>T</h1><p>a</p><h2 id="x">X</h2><div class="section-body"><p>b</p></div><h3 id="y">Y</h3><div class="section-body"><p>c</p></div>'
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
        out.append(f'<div class="section-body">{body}</div>' if body.strip() else body)
    return "".join(out)


_OPEN = re.compile(r"<(div|details|section|blockquote|table|ul|ol)\b|</(div|details|section|blockquote|table|ul|ol)>")


# Pygments' tokens whose colour is the code's own colour in Material's both schemes (``.highlight .n`` is
# ``--md-code-hl-name-color: var(--md-code-fg-color)``; whitespace has no rule): the span adds a node, not a look.
_PLAIN_TOKEN = re.compile(r'<span class="(?:n|w)">([^<]*)</span>')


def lean_code(html: str) -> str:
    """Code listings without the spans of plain names and whitespace (a third of a listing's nodes).

    >>> lean_code('<span class="n">x</span><span class="w"> </span><span class="o">=</span><span class="nb">len</span>')
    'x <span class="o">=</span><span class="nb">len</span>'
    """
    return _PLAIN_TOKEN.sub(r"\1", html)


def _top_level(html: str, pos: int) -> bool:
    depth = 0
    for m in _OPEN.finditer(html, 0, pos):
        depth += 1 if m.group(1) else -1
    return depth == 0


@event_priority(-100)  # after the snippets hook has expanded directives and typeset the math
def on_page_content(html, page, config, files):
    return wrap_sections(lean_code(html))


def on_post_page(output, page, config):
    return output.replace("</head>", STYLE + "</head>", 1)
