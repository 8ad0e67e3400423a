"""The site's topics, read from ``topics.yml`` (the one place a topic is declared); no MkDocs in here.

>>> [t.id for t in load()][:2]
['backprop', 'batchnorm']
>>> by_id()["conv"].slug
'factorized-conv'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("uk", "en")
_KEYS = {"id", "page", "title", "summary", "notebook"}


@dataclass(frozen=True)
class Topic:
    id: str                                  # snippets/<id>/, notebooks/<lang>/<id>.ipynb
    page: str                                # docs/<lang>/<page>
    title: dict                              # {lang: notebook title}
    summary: dict                            # {lang: one line}
    notebook: tuple                          # ((snippet, {lang: heading}), ...) in notebook order

    @property
    def slug(self) -> str:
        """The page's URL path segment (``factorized-conv`` for ``factorized-conv.md``)."""
        return self.page[:-3] if self.page.endswith(".md") else self.page

    @property
    def order(self) -> list[str]:
        return [name for name, _ in self.notebook]

    def heading(self, snippet: str, lang: str) -> str:
        return dict(self.notebook)[snippet][lang]


class TopicsError(ValueError):
    pass


def parse(data, source: str = "topics.yml") -> list[Topic]:
    """Validate and convert the YAML list; every problem names the entry.

    >>> parse([{"id": "x", "page": "x.md", "title": {"uk": "a"}, "summary": {"uk": "", "en": ""}, "notebook": []}])
    Traceback (most recent call last):
    ...
    sitegen.topics.TopicsError: topics.yml: topic 'x': title needs both languages uk, en
    """
    if not isinstance(data, list):
        raise TopicsError(f"{source}: expected a list of topics")
    topics, seen = [], set()
    for i, entry in enumerate(data):
        name = entry.get("id", f"#{i + 1}") if isinstance(entry, dict) else f"#{i + 1}"
        where = f"{source}: topic {name!r}"
        if not isinstance(entry, dict) or set(entry) != _KEYS:
            got = set(entry) if isinstance(entry, dict) else set()
            raise TopicsError(f"{where}: keys must be {sorted(_KEYS)}; missing {sorted(_KEYS - got)}, "
                              f"unknown {sorted(got - _KEYS)}")
        if name in seen:
            raise TopicsError(f"{where}: declared twice")
        seen.add(name)
        if not str(entry["page"]).endswith(".md"):
            raise TopicsError(f"{where}: page must be a .md file name")
        for key in ("title", "summary"):
            if not isinstance(entry[key], dict) or set(entry[key]) != set(LANGS):
                raise TopicsError(f"{where}: {key} needs both languages {', '.join(LANGS)}")
        notebook = []
        for item in entry["notebook"] or []:
            if not isinstance(item, dict) or set(item) != {"snippet", *LANGS}:
                raise TopicsError(f"{where}: each notebook item is {{snippet: name, uk: heading, en: heading}}")
            notebook.append((item["snippet"], {lang: item[lang] for lang in LANGS}))
        topics.append(Topic(entry["id"], entry["page"], dict(entry["title"]), dict(entry["summary"]), tuple(notebook)))
    return topics


@lru_cache(maxsize=None)
def _load(path: str, mtime: float) -> tuple:
    return tuple(parse(yaml.safe_load(Path(path).read_text(encoding="utf-8")), Path(path).name))


def load(root: Path = ROOT) -> list[Topic]:
    path = Path(root) / "topics.yml"
    return list(_load(str(path), path.stat().st_mtime))


def by_id(root: Path = ROOT) -> dict[str, Topic]:
    return {t.id: t for t in load(root)}


# -- what the rest of the site derives from the topics ----------------------------------------------------------------
# Pages after the topics, in this order, then the notebooks in a section of their own (README "Adding a topic").
AFTER_TOPICS = ("glossary.md", "sample.md")
NOTEBOOKS_SECTION = {"uk": "Зошити-супутники", "en": "Companion notebooks"}


def pages(root: Path = ROOT) -> list[str]:
    """Topic pages in teaching order (``["backprop.md", …]``): for the home page's cards and the tests."""
    return [t.page for t in load(root)]


def nav(root: Path = ROOT, lang: str = LANGS[0]) -> list:
    """The explicit navigation, the same for every language (mkdocs-static-i18n resolves ``backprop.md`` to the
    current language's file; titles come from each page's H1, the notebooks section's title is ``lang``'s).

    >>> nav()[:2], nav()[-1][NOTEBOOKS_SECTION["uk"]][0]
    (['index.md', 'backprop.md'], 'notebooks/backprop.ipynb')
    """
    topics = load(root)
    return (["index.md", *[t.page for t in topics], *AFTER_TOPICS,
             {NOTEBOOKS_SECTION[lang]: [f"notebooks/{t.id}.ipynb" for t in topics]}])


def problems(root: Path = ROOT) -> list[str]:
    """Everything in the project that disagrees with topics.yml, one message each (empty: all consistent).

    Per topic: its snippet folder exists, every snippet in it (helpers ``_x.py`` aside) is listed under ``notebook``
    and every listed one exists, both pages exist, and a notebook per language exists. And every page of
    ``docs/<lang>/`` is in the navigation, every notebook belongs to a topic.
    """
    root = Path(root)
    out = []
    for t in load(root):
        where = f"topics.yml: topic {t.id!r}"
        folder = root / "snippets" / t.id
        if not folder.is_dir():
            out.append(f"{where}: no snippet folder snippets/{t.id}/")
            continue
        have = sorted(p.stem for p in folder.glob("*.py") if not p.name.startswith("_"))
        for name in have:
            if name not in t.order:
                out.append(f"{where}: snippets/{t.id}/{name}.py is not listed under notebook: (add "
                           f"`- {{snippet: {name}, uk: \"…\", en: \"…\"}}`, or name it _{name}.py if it is a helper)")
        for name in t.order:
            if name not in have:
                out.append(f"{where}: notebook lists {name!r}, but snippets/{t.id}/{name}.py does not exist "
                           f"(known: {', '.join(have) or 'none'})")
        for lang in LANGS:
            if not (root / "docs" / lang / t.page).is_file():
                out.append(f"{where}: page docs/{lang}/{t.page} does not exist")
            if not (root / "notebooks" / lang / f"{t.id}.ipynb").is_file():
                out.append(f"{where}: notebooks/{lang}/{t.id}.ipynb does not exist (run python tools/make_notebooks.py)")
    # And the other way round: a page or a notebook that no topic declares.
    in_nav = {n for n in nav(root) if isinstance(n, str)}
    ids = {t.id for t in load(root)}
    for lang in LANGS:
        for p in sorted((root / "docs" / lang).glob("*.md")):
            if p.name not in in_nav:
                out.append(f"docs/{lang}/{p.name} is in no topic: add its entry to topics.yml (or, for a page that is "
                           f"not a topic, to AFTER_TOPICS in sitegen/topics.py)")
        for p in sorted((root / "notebooks" / lang).glob("*.ipynb")):
            if p.stem not in ids:
                out.append(f"notebooks/{lang}/{p.name} belongs to no topic in topics.yml")
    return out
