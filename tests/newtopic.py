"""A throwaway topic, ``softmax``, added to a copy of the real project the way README "Adding a topic" says.

Used by the tests that check what adding a topic takes (tests/test_serve.py: a running ``mkdocs serve`` picks it
up; tests/test_topics.py: its home card needs no thumbnail of its own). One snippet with a figure, two pages that
embed it, an entry at the end of ``topics.yml``, the notebooks written by ``tools/make_notebooks.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ID = "softmax"
PAGE = "softmax.md"
TITLE = {"uk": "Софтмакс", "en": "Softmax"}

SNIPPET = '''\
"""Softmax turns three scores into probabilities that sum to one.

>>> r = compute()
>>> abs(sum(r["p"]) - 1) < 1e-12 and r["p"][0] > r["p"][1] > r["p"][2]
True
"""

import math

from sitegen.snippet import label, local_numbers, palette, subplots

LABELS = {"uk": {"x": "клас", "p": "ймовірність"}, "en": {"x": "class", "p": "probability"}}


def compute() -> dict:
    z = [2.0, 1.0, 0.1]
    e = [math.exp(v) for v in z]
    return {"z": z, "p": [v / sum(e) for v in e]}


def figures(r: dict, lang: str, theme: str) -> dict:
    p = palette(theme)
    fig, ax = subplots(height=2.6)
    ax.bar(range(3), r["p"], color=p["blue"])
    ax.set_xticks(range(3))
    ax.set_xlabel(label(LABELS, lang, "x"))
    ax.set_ylabel(label(LABELS, lang, "p"))
    return {"probs": local_numbers(fig, lang)}


if __name__ == "__main__":
    print(compute())
'''

PAGES = {
    "uk": """\
# Софтмакс { #softmax }

Найбільша ймовірність серед трьох класів: <!-- value softmax/probs:p.0 fmt=".3f" -->.

<!-- figure softmax/probs:probs alt="Ймовірності трьох класів після софтмаксу" -->
""",
    "en": """\
# Softmax { #softmax }

The largest probability of the three classes: <!-- value softmax/probs:p.0 fmt=".3f" -->.

<!-- figure softmax/probs:probs alt="The probabilities of three classes after softmax" -->
""",
}

ENTRY = """\
- id: softmax
  page: softmax.md
  title: {uk: "Софтмакс", en: "Softmax"}
  summary:
    uk: "Як софтмакс перетворює оцінки на ймовірності."
    en: "How softmax turns scores into probabilities."
  notebook:
    - {snippet: probs, uk: "Ймовірності трьох класів", en: "The probabilities of three classes"}
"""

# What a build of the project reads (and nothing it writes): copied for a throwaway project.
PROJECT = ("mkdocs.yml", "topics.yml", "termbase.yml", "docs", "overrides", "hooks", "sitegen", "snippets",
           "notebooks", "tools")


def copy_project(root: Path, dest: Path, snippet_cache: Path) -> Path:
    """A copy of the project at ``root`` in ``dest``, with the snippet results of ``snippet_cache`` (valid in the copy:
    entries are keyed by the files' contents) in ``dest/.cache/snippets`` and mkdocs-jupyter's rendered notebooks,
    so its first build runs nothing that has not changed."""
    ignore = shutil.ignore_patterns("__pycache__", "dl_basics", "*.pyc")
    for name in PROJECT:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        else:
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    if snippet_cache.is_dir():
        shutil.copytree(snippet_cache, dest / ".cache" / "snippets")
    if (root / ".cache" / "mkdocs-jupyter").is_dir():
        shutil.copytree(root / ".cache" / "mkdocs-jupyter", dest / ".cache" / "mkdocs-jupyter")
    return dest


def write_files(root: Path):
    """Steps 1 and 2 of the guide: the snippet folder and the two pages."""
    folder = root / "snippets" / ID
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "__init__.py").write_text("")
    (folder / "probs.py").write_text(SNIPPET, encoding="utf-8")
    for lang, text in PAGES.items():
        (root / "docs" / lang / PAGE).write_text(text, encoding="utf-8")


def add_entry(root: Path):
    """Step 3: the entry in topics.yml, last in the teaching order."""
    path = root / "topics.yml"
    path.write_text(path.read_text(encoding="utf-8") + ENTRY, encoding="utf-8")


def make_notebooks(root: Path):
    """Step 4: ``python tools/make_notebooks.py`` of that project."""
    subprocess.run([sys.executable, str(root / "tools" / "make_notebooks.py")], cwd=root, check=True,
                   capture_output=True, text=True, timeout=300)


def add(root: Path):
    write_files(root)
    add_entry(root)
    make_notebooks(root)
