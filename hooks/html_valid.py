"""Every built page passes the Nu HTML checker (``vnu --errors-only``), Material's and mkdocs-jupyter's markup included.

The last step on each page's HTML (``on_post_page``, lowest priority) and on the 404 page (``on_post_template``):
Material's partials are not copied into the repository, their output is corrected here, each fix keeping what the
invalid markup was for.

- ``autocomplete="off"`` on Material's drawer and search checkboxes (``autocomplete`` is not allowed on a checkbox).
  It is there so that Firefox does not restore them after a reload (a reloaded page opening with the drawer or the
  search overlay open). The attribute goes; a ``pageshow`` listener (which runs after Firefox's form restoration
  and on a return from the back-forward cache) puts every Material toggle back to its state in the markup and
  tells Material through the ``change`` event it listens to.
- ``tabindex=""`` on the navigation's section labels: an empty tabindex is not a number, and browsers treat it as
  absent (the label is not focusable); the attribute goes, the behaviour is the same.
- Notebook pages (mkdocs-jupyter's template): an empty ``<script src="">`` (it loads the page itself as a script)
  and a ``<style>`` in the body whose text is a Python list's ``repr`` (a CSS parse error) with Pygments' rules for
  ``.highlight-ipynb``, a class no element has any more (``sitegen.notebooks.clean_html`` makes code cells Material
  code blocks): both go.
- ``aria-label`` on ``<p class="notebook-links">`` (not allowed on a paragraph): the box already starts with its
  visible label in ``<strong>``, so the attribute only repeated it; it goes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

if str(Path(__file__).resolve().parent.parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen import pagecache  # noqa: E402

_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*?) autocomplete="off"')
_EMPTY_TABINDEX = re.compile(r'(<label class="md-nav__link[^>]*?) tabindex=""')
_EMPTY_SCRIPT = re.compile(r'<script src="">\s*</script>\n?')
# mkdocs-jupyter renders a list of CSS strings with Python's repr inside one <style> (content starts with "['").
_LIST_STYLE = re.compile(r"[ \t]*<style>\s*\['.*?'\]\s*</style>\n?", re.S)
_NOTEBOOK_LINKS = re.compile(r'<p class="notebook-links" aria-label="[^"]*">')
# A figure directive inside a collapsed block (pymdownx.details): Python-Markdown treats HTML there as inline, so the
# <figure> comes wrapped in <p> and md_in_html leaves its markdown="span" (the images inside are rendered all the
# same). A <figure> may not sit in a <p>: unwrap it, and drop the attribute md_in_html left behind.
_FIGURE_IN_P = re.compile(r'<p>(<figure class="snippet-figure")(?: markdown="span")?>(.*?</figure>)</p>', re.S)
_FIGURE_MD = re.compile(r'(<figure class="snippet-figure") markdown="span">')

# Firefox restores checkbox state on reload; Material's markup prevented that with autocomplete="off".
RESET_TOGGLES = ('<script>addEventListener("pageshow",function(){'
                 'document.querySelectorAll("input.md-toggle[data-md-toggle]").forEach(function(e){'
                 'if(e.checked!==e.defaultChecked){e.checked=e.defaultChecked;'
                 'e.dispatchEvent(new Event("change"))}})})</script>')


def fix(output: str) -> str:
    """The page's HTML with the markup the Nu HTML checker rejects replaced by an equivalent that it accepts.

    >>> fix('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
    ...     '</body>')  # doctest: +ELLIPSIS
    '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer"><script>addEventListener("pageshow"...</script></body>'
    >>> fix('<label class="md-nav__link" for="__nav_2" id="__nav_2_label" tabindex="">')
    '<label class="md-nav__link" for="__nav_2" id="__nav_2_label">'
    >>> fix('<label class="md-nav__link" for="__nav_3" id="__nav_3_label" tabindex="0">')  # a real value stays
    '<label class="md-nav__link" for="__nav_3" id="__nav_3_label" tabindex="0">'
    >>> fix("<p>a</p><script src=\\"\\"> </script>\\n<style>\\n['pre { x: 1 }', '.a {}']\\n</style>\\n<p>b</p>")
    '<p>a</p><p>b</p>'
    >>> fix('<style>pre { x: 1 }</style>')  # ordinary CSS is not touched
    '<style>pre { x: 1 }</style>'
    >>> fix('<p class="notebook-links" aria-label="Notebook"><strong>Notebook:</strong>')
    '<p class="notebook-links"><strong>Notebook:</strong>'
    >>> fix('<p><figure class="snippet-figure" markdown="span">\\n  <a href="f.svg">i</a>\\n</figure></p>')
    '<figure class="snippet-figure">\\n  <a href="f.svg">i</a>\\n</figure>'
    """
    output, n = _AUTOCOMPLETE.subn(r"\1", output)
    if n:
        head, sep, tail = output.rpartition("</body>")
        output = head + RESET_TOGGLES + sep + tail if sep else output
    output = _EMPTY_TABINDEX.sub(r"\1", output)
    output = _EMPTY_SCRIPT.sub("", output)
    output = _LIST_STYLE.sub("", output)
    output = _FIGURE_IN_P.sub(r"\1>\2", output)
    output = _FIGURE_MD.sub(r"\1>", output)
    return _NOTEBOOK_LINKS.sub('<p class="notebook-links">', output)


@event_priority(-100)  # after every other hook and plugin has written its markup
def on_post_page(output, page, config):
    cache = pagecache.store(pagecache.project_of(config), "html-valid")  # a function of the page's HTML alone
    return cache.memo(cache.key(output), lambda: fix(output))


@event_priority(-100)
def on_post_template(output, template_name, config):
    return fix(output) if output else output
