"""The MkDocs side of the companion notebooks (``sitegen/notebooks.py`` holds the rest); called by ``snippets.py``.

Why not let mkdocs-jupyter find the notebooks in ``docs/``: mkdocs-static-i18n (folder structure) rebuilds the file
list after mkdocs-jupyter wrapped it, so a notebook under ``docs/<lang>/`` ends up an asset (mkdocs-static-i18n issue
#198). Here, after i18n (``on_files`` at priority -150), each language gets for every topic

- ``<lang>/notebooks/<topic>.ipynb``: the committed notebook with outputs filled from the build's snippet results
  (nothing executes: mkdocs-jupyter's ``execute`` stays off), wrapped by mkdocs-jupyter itself into a page at
  ``[en/]notebooks/<topic>/``;
- the committed notebook, byte for byte, at ``[en/]notebooks/<topic>.ipynb`` for download.

Topic pages and notebook pages get a links box (download, Open in Colab from ``extra.repository``) after their H1.
"""

from __future__ import annotations

import importlib
import logging
import os
import pickle
import posixpath
import sys
import tempfile
import types
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import nbformat
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from sitegen import pagecache
from sitegen.directives import parse_cached
from sitegen.environment import installed_hash
from sitegen.notebooks import (DEFAULT_REPOSITORY, LANGS, TOPICS, clean_html, collapse_helpers, colab_url, fill_outputs, heading_ids,
                               insert_after_h1, links_html, notebook_path, remap_heading_ids, run_names)


log = logging.getLogger("mkdocs.notebook_pages")


class _Deferred(types.ModuleType):
    """A module imported on the first use of one of its attributes (``__getattr__`` runs for missing ones only)."""

    def __getattr__(self, attr):
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attr)


def load_jupyter(config) -> None:
    """mkdocs-jupyter, loaded here (``on_config``) instead of from mkdocs.yml's ``plugins``, with the options in
    ``extra.notebooks.mkdocs-jupyter``.

    Its module imports nbconvert and jupytext at once, 0.6 s of a warm ``mkdocs build`` (a third of it), and needs
    them only to convert a notebook whose HTML is not in its cache. MkDocs imports every listed plugin before any
    hook can act, so the plugin is listed nowhere and this hook imports it with those two modules deferred to their
    first use. Its events run as before: registered now, each in the place its priority gives it (mkdocs-static-i18n's
    are at other priorities, ours do not depend on its order)."""
    options = (config.extra.get("notebooks") or {}).get("mkdocs-jupyter")
    if options is None or config.plugins.get("mkdocs-jupyter") is not None:
        return
    for name in ("jupytext", "mkdocs_jupyter.convert"):
        if name not in sys.modules:
            sys.modules[name] = _Deferred(name)
    from mkdocs_jupyter.plugin import Plugin

    plugin = Plugin()
    errors, warnings = plugin.load_config(dict(options), config.config_file_path)
    for key, message in warnings:
        log.warning(f"extra.notebooks.mkdocs-jupyter.{key}: {message}")
    if errors:
        raise PluginError("; ".join(f"extra.notebooks.mkdocs-jupyter.{key}: {message}" for key, message in errors))
    config.plugins["mkdocs-jupyter"] = plugin


def snippet_names(root: Path) -> dict[str, str]:
    """Every snippet a committed notebook shows -> the notebook that shows it (for error messages)."""
    names: dict[str, str] = {}
    for topic in TOPICS:
        for lang in LANGS:
            p = notebook_path(root, topic, lang)
            if p.is_file():
                for n in _run_names(p.read_bytes()):
                    names.setdefault(n, p.relative_to(root).as_posix())
    return names


@lru_cache(maxsize=64)  # by the notebook's bytes; `mkdocs serve` asks again on every rebuild
def _run_names(data: bytes) -> tuple[str, ...]:
    return tuple(run_names(nbformat.reads(data.decode("utf-8"), as_version=4)))


def _alts(docs: Path, lang: str) -> dict[tuple[str, str], str]:
    """Alt text of every figure the pages of ``lang`` embed: a notebook shows the same figure with the same words."""
    alts = {}
    for md in sorted((docs / lang).rglob("*.md")):
        try:
            directives = parse_cached(md.read_text(encoding="utf-8"))
        except Exception:  # noqa: BLE001 - the page's own build reports it
            continue
        for d in directives:
            if d.kind == "figure" and isinstance(d.args.get("alt"), str):
                alts.setdefault((d.snippet, d.output), d.args["alt"])
    return alts


def _write(path: Path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".ipynb")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def use_language_cache(config, root: Path, lang: str):
    """mkdocs-jupyter's HTML cache, one folder per language.

    Its cache is keyed by the notebook's bytes (here: the copy with outputs filled from the snippet cache, whose
    metadata carries the hash of every installed distribution's version, see ``add_files``), but at the
    end of every build it deletes the entries that build did not use; mkdocs-static-i18n builds each language
    separately, so with one folder each language would evict the other's. A folder per language keeps both warm.
    """
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is not None and jupyter.config.get("cache"):
        jupyter.config["cache_dir"] = str(root / ".cache" / "mkdocs-jupyter" / lang)


def add_files(files, config, root: Path, lang: str, prefix: str, results: dict, cache_dir: Path,
              digests: dict | None = None):
    """Add this language's notebook pages and downloads to ``files`` (after mkdocs-static-i18n). ``digests``: a hash
    of each snippet's results (computed here when not given)."""
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is None:
        return files
    alts = None
    store = pagecache.store(root, "notebook-filled")
    for topic in TOPICS:
        committed = notebook_path(root, topic, lang)
        if not committed.is_file():
            continue
        data = committed.read_bytes()
        names = _run_names(data)
        if any(n not in results for n in names):
            continue  # a failed snippet (mkdocs serve): the build already shows its error
        if alts is None:
            alts = _alts(Path(config.docs_dir), lang)
        page_dir = f"{prefix}notebooks/{topic}/" if config.use_directory_urls else f"{prefix}notebooks/"

        def fill(page_dir=page_dir, data=data):
            def figure_url(snippet, fig, theme):
                return posixpath.relpath(f"{prefix}_figures/{snippet}/{fig}.{theme}.svg", page_dir.rstrip("/") or ".")

            nb = nbformat.reads(data.decode("utf-8"), as_version=4)
            filled = fill_outputs(nb, results, lang, figure_url, lambda s, f: alts.get((s, f)))
            # mkdocs-jupyter keys its HTML cache by these bytes: every installed version (nbconvert, …) is in the key
            filled.metadata["dl_basics_build"] = {"installed": installed_hash()}
            return nbformat.writes(filled) + "\n"

        # The filled copy is a function of the committed notebook, its snippets' results, the figures' alt texts and
        # where the page lives: kept by all of them (sitegen/pagecache.py).
        key = store.key(lang, prefix, page_dir, data, sorted(alts.items()),
                        [(digests or {}).get(n) or pagecache.digest(n, pickle.dumps(results[n], protocol=5))
                         for n in names])
        rendered = cache_dir / lang / f"{topic}.ipynb"
        _write(rendered, store.memo(key, fill))
        page = File.generated(config, f"{lang}/notebooks/{topic}.ipynb", abs_src_path=str(rendered),
                              inclusion=InclusionLevel.NOT_IN_NAV)
        page = list(jupyter.on_files(Files([page]), config))[0]  # mkdocs-jupyter's own NotebookFile
        page.abs_src_path = str(rendered)  # a cached_property of File: the wrapper would compute None from src_dir
        page.dest_path = page_dir + ("index.html" if config.use_directory_urls else f"{topic}.html")
        page.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, page.dest_path))
        page.url = page_dir if config.use_directory_urls else page.dest_path
        # For mkdocs-static-i18n's language selector: the same notebook's page in every language.
        page.locale = page.localization = page.locale_alternate_of = lang
        rel_url = page.url[len(prefix):]
        page.alternates = {other: SimpleNamespace(url=("" if is_default else f"{other}/") + rel_url)
                           for other, is_default in _languages(config)}
        files.append(page)
        download = File.generated(config, f"{lang}/notebooks/{topic}.download.ipynb", content=data)
        download.dest_uri = f"{prefix}notebooks/{topic}.ipynb"
        files.append(download)
    return files


def _languages(config) -> list[tuple[str, bool]]:
    i18n = config.plugins.get("i18n")
    return [(lang.locale, bool(lang.default)) for lang in i18n.config.languages] if i18n else []


def _topic_of(src_uri: str, lang: str) -> tuple[str, bool] | None:
    """(topic, is the notebook page) for a topic page or a notebook page of ``lang``; None otherwise."""
    rel = src_uri[len(lang) + 1:] if src_uri.startswith(f"{lang}/") else src_uri
    for topic, spec in TOPICS.items():
        if rel == spec["page"]:
            return topic, False
        if rel == f"notebooks/{topic}.ipynb":
            return topic, True
    return None


def page_html(html_text: str, page, config, root: Path, lang: str, prefix: str) -> str:
    """A notebook page without foreign scripts and with the shared heading ids; the links box on both kinds."""
    found = _topic_of(page.file.src_uri, lang)
    if found is None or not notebook_path(root, found[0], lang).is_file():
        return html_text
    topic, is_notebook = found
    here = posixpath.dirname(page.file.dest_uri) or "."
    download = posixpath.relpath(f"{prefix}notebooks/{topic}.ipynb", here)
    repo = str(config.extra.get("repository") or DEFAULT_REPOSITORY).strip().strip("/")
    colab = colab_url(repo, lang, topic)
    if is_notebook:
        # The notebook repeats the snippets' code: searching it would bury the topic pages (and weigh the index).
        page.meta.setdefault("search", {})["exclude"] = True
        # A function of the rendered page and the committed notebook: kept by both (sitegen/pagecache.py).
        committed = notebook_path(root, topic, lang)
        data = committed.read_bytes()
        cache = pagecache.store(root, "notebook-html")
        html_text, ids = cache.memo(cache.key(lang, data, html_text),
                                    lambda: _notebook_html(html_text, data, lang))
        _remap_toc(page.toc, iter(ids))
        return insert_after_h1(html_text, links_html(lang, download, colab))
    nb_page = posixpath.relpath(f"{prefix}notebooks/{topic}/", here) + "/" if config.use_directory_urls else \
        posixpath.relpath(f"{prefix}notebooks/{topic}.html", here)
    return insert_after_h1(html_text, links_html(lang, download, colab, nb_page))


def _notebook_html(html_text: str, data: bytes, lang: str) -> tuple[str, list[str]]:
    """A notebook page's HTML cleaned, its helper cells folded, its headings given the site's ids; and those ids."""
    nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    ids = heading_ids(nb)
    html_text = collapse_helpers(clean_html(html_text), nb, lang)
    return remap_heading_ids(html_text, ids)[0], ids


def _remap_toc(items, ids):
    for item in items:
        try:
            item.id = next(ids)
        except StopIteration:
            return
        _remap_toc(item.children, ids)
