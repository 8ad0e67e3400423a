"""Less layout work when a page loads: code listings with fewer nodes.

A notebook page was eleven thousand nodes, most of them one ``<span>`` per code token, and Material's script
measures the page as it starts (sidebars, ``toc.follow``), so the first layout of the whole page was most of the main
thread's time (issue 19, Lighthouse's "Style & Layout"). ``lean_code`` drops the spans of tokens drawn in the code's
own colour (names, whitespace and, on purpose, operators and punctuation) and lets neighbouring tokens that Material
colours alike share one span: the backprop notebook page went from 11 212 nodes to 4 778, the backprop page from
3 991 to 3 799 (its nodes are mostly MathML).

Measured and dropped: ``content-visibility: auto`` (with ``contain-intrinsic-size``) on each section of the topic
pages and on each notebook cell, so that off-screen ones are not laid out at load. On the topic pages Lighthouse's
performance and main-thread time did not move beyond run-to-run noise, and its colour check measured a bold line of
a late section against the footer (a section above it changed height as it was laid out: accessibility 1.0 → 0.97).
On a notebook page a link to a late heading landed 400 px off (cells above it took their real height after the jump)
and the table of contents marked the heading before it.
"""

from __future__ import annotations

import re

from mkdocs.plugins import event_priority

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


@event_priority(-100)  # after the snippets hook has expanded directives and typeset the math
def on_page_content(html, page, config, files):
    return lean_code(html)
