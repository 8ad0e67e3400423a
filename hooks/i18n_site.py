"""Two things Material and mkdocs-static-i18n get wrong on a two-language site, fixed at build time.

1. **No ``<link rel="alternate" hreflang>`` in ``<head>``.** Material's JavaScript fetches ``sitemap.xml`` next to
   *every* such link when a page loads, to map the current page onto the other language when the reader picks one
   in the language selector. mkdocs-static-i18n already points each selector entry at the very page in the other
   language (computed at build time), so the runtime lookup is redundant — and since the links are per page, it
   asks for ``<page>/sitemap.xml`` (404) in both languages on every page. With the head links gone Material fetches
   nothing; the selector (``<a hreflang>`` in the header) is untouched, and crawlers still get the hreflang pairs
   from ``sitemap.xml`` (``xhtml:link rel="alternate"`` entries written by mkdocs-static-i18n).
2. **One bilingual ``404.html`` at the root.** GitHub Pages serves only the root ``404.html``. mkdocs-static-i18n
   renders theme templates once per language into the same folder, so the last language built (English) used to
   overwrite the root one, with the language selector of whichever page was rendered last. The default language
   now renders it (``overrides/404.html`` carries both languages) and the other builds skip it.

And one accessibility fix axe-core asks for: Material's search overlay is ``role="dialog"`` without a name; it gets
``aria-label`` in the page's language.
"""

from __future__ import annotations

import copy
import re
from urllib.parse import urlsplit

_HEAD_ALTERNATE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">[ \t]*\n?')


_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_SEARCH_LABEL = {"uk": "Пошук", "en": "Search"}


def _fix(output: str, lang: str) -> str:
    head, sep, rest = output.partition("</head>")
    label = _SEARCH_LABEL.get(lang, "Search")
    rest = rest.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{label}">', 1)
    return _HEAD_ALTERNATE.sub("", head) + sep + rest


def _lang(config) -> str:
    i18n = _i18n(config)
    return i18n.current_language if i18n is not None else config.theme.get("language", "en")


def _i18n(config):
    return config.plugins.get("i18n")


def on_post_page(output, page, config):
    return _fix(output, _lang(config))


def on_template_context(context, template_name, config):
    """The 404 page is not a page and is served at any depth: its selector gets the absolute home links built from
    ``site_url`` instead of the language links of the last page rendered. Runs after mkdocs-static-i18n's own
    ``on_template_context`` (hooks come after plugins of the same priority)."""
    i18n = _i18n(config)
    if template_name == "404.html" and i18n is not None and getattr(i18n, "extra_alternate", None):
        _set_alternates(config, copy.deepcopy(i18n.extra_alternate))
    return context


def _get_alternates(config):
    # mkdocs-static-i18n assigns ``config.extra.alternate`` as an attribute, which Jinja reads before the item.
    try:
        return config.extra.alternate
    except AttributeError:
        return config.extra.get("alternate")


def _set_alternates(config, alternates):
    try:
        config.extra.alternate = alternates
    except AttributeError:
        config.extra["alternate"] = alternates


def on_page_context(context, page, config, nav):
    """Language-selector links relative to the page, so one build works at a domain root and under ``/<repo>/``.

    mkdocs-static-i18n (priority 50, before this) gives the home pages root-absolute links (``/en/``, or
    ``/<repo>/en/`` with a ``site_url``); Material passes each through the ``url`` filter, which leaves absolute
    paths alone and makes site-relative ones relative to the page.
    """
    alternates = _get_alternates(config)
    if not alternates:
        return context
    base = urlsplit(config.site_url or "/").path
    fixed = []
    for alt in alternates:
        alt = dict(alt)
        link = alt.get("link", "")
        if link.startswith(base) and not link.startswith("//"):
            alt["link"] = link[len(base):] or "./"
        elif link.startswith("/") and not link.startswith("//"):
            alt["link"] = link.lstrip("/") or "./"
        fixed.append(alt)
    _set_alternates(config, fixed)
    return context



def on_post_template(output, template_name, config):
    if template_name != "404.html":
        return output
    i18n = _i18n(config)
    if i18n is not None:
        default = next(lang.locale for lang in i18n.config.languages if lang.default)
        if i18n.current_language != default:
            return ""  # MkDocs then skips writing it (logged at INFO): the default build's bilingual 404 stays
    return _fix(output, _lang(config))
