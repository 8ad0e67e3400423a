"""topics.yml is the one place a topic is declared: navigation, notebooks and checks derive from it (issue 15)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import os
import subprocess
import sys

import pytest

import newtopic
from conftest import ROOT, mkdocs_build
from sitegen import topics

LANGS = ("uk", "en")


def test_navigation_lists_every_page_in_teaching_order_then_glossary_how_it_works_and_the_notebooks():
    nav = topics.nav(ROOT)
    ids = [t.id for t in topics.load(ROOT)]
    assert nav[0] == "index.md"
    assert nav[1:1 + len(ids)] == [t.page for t in topics.load(ROOT)]
    assert nav[1 + len(ids):-1] == ["glossary.md", "sample.md"]
    assert nav[-1] == {topics.NOTEBOOKS_SECTION["uk"]: [f"notebooks/{i}.ipynb" for i in ids]}
    # Every page is in the navigation (validation.omitted_files stays quiet), and nothing else.
    for lang in LANGS:
        pages = sorted(p.relative_to(ROOT / "docs" / lang).as_posix() for p in (ROOT / "docs" / lang).rglob("*.md"))
        assert sorted(n for n in nav if isinstance(n, str)) == pages, lang


def test_the_project_agrees_with_topics_yml():
    assert topics.problems(ROOT) == []


def test_the_one_topic_check_selects_tests_that_exist():
    """``./dev check <topic>`` (tools/check_topic.py) picks existing tests by name: a renamed test or parameter would
    drop out of it silently, so every selection of every topic is collected here."""
    sys.path.insert(0, str(ROOT / "tools"))
    import check_topic

    args = list(dict.fromkeys(a for t in topics.load(ROOT) for a in check_topic.selection(t)[2:]))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-n0", "-p", "no:cacheprovider", "--collect-only", "-q",
                           "--topic", topics.load(ROOT)[0].id, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    collected = proc.stdout
    for arg in args:
        assert arg in collected if "::" in arg else f"{arg}/" in collected or f"{arg}::" in collected, arg
    assert "tests/test_topic.py::test_the_site_builds_strict" in collected


def _copy_topic(tmp_path: Path) -> Path:
    """A project with the real first topic only: its folder, pages, notebooks and entry."""
    t = topics.load(ROOT)[0]
    root = tmp_path / "proj"
    shutil.copytree(ROOT / "snippets" / t.id, root / "snippets" / t.id, ignore=shutil.ignore_patterns("__pycache__"))
    for lang in LANGS:
        (root / "docs" / lang).mkdir(parents=True)
        shutil.copy(ROOT / "docs" / lang / t.page, root / "docs" / lang / t.page)
        (root / "notebooks" / lang).mkdir(parents=True)
        shutil.copy(ROOT / "notebooks" / lang / f"{t.id}.ipynb", root / "notebooks" / lang)
    text = (ROOT / "topics.yml").read_text(encoding="utf-8")
    first = re.search(r"^- id: .*?(?=^- id: |\Z)", text, re.S | re.M).group(0)
    (root / "topics.yml").write_text(first, encoding="utf-8")
    return root


def test_a_snippet_missing_from_topics_yml_or_listed_without_a_file_is_an_error(tmp_path):
    root = _copy_topic(tmp_path)
    t = topics.load(root)[0]
    assert topics.problems(root) == []
    (root / "snippets" / t.id / "extra.py").write_text("def compute():\n    return {}\n")
    (root / "snippets" / t.id / "_helper.py").write_text("X = 1\n")  # helpers are not listed
    gone = t.order[-1]
    (root / "snippets" / t.id / f"{gone}.py").unlink()
    found = topics.problems(root)
    assert any(f"snippets/{t.id}/extra.py is not listed under notebook:" in p for p in found), found
    assert any(f"notebook lists {gone!r}, but snippets/{t.id}/{gone}.py does not exist" in p for p in found), found
    assert not any("_helper" in p for p in found)
    assert len(found) == 2, found


def test_a_topic_without_its_pages_or_notebooks_is_an_error(tmp_path):
    root = _copy_topic(tmp_path)
    t = topics.load(root)[0]
    (root / "docs" / "en" / t.page).unlink()
    (root / "notebooks" / "uk" / f"{t.id}.ipynb").unlink()
    found = topics.problems(root)
    assert f"topics.yml: topic {t.id!r}: page docs/en/{t.page} does not exist" in found
    (root / "docs" / "uk" / "stray.md").write_text("# Stray\n")
    (root / "notebooks" / "en" / "stray.ipynb").write_text("{}")
    found = topics.problems(root)
    assert any(p.startswith("docs/uk/stray.md is in no topic: add its entry to topics.yml") for p in found), found
    assert "notebooks/en/stray.ipynb belongs to no topic in topics.yml" in found
    assert any(f"notebooks/uk/{t.id}.ipynb does not exist (run python tools/make_notebooks.py)" in p for p in found)


@pytest.mark.slow
def test_built_navigation_follows_topics_yml_in_both_languages(built_site):
    order = [t.slug for t in topics.load(ROOT)] + ["glossary", "sample"]
    for prefix, lang in (("", "uk"), ("en/", "en")):
        html = (built_site.site / prefix / "index.html").read_text(encoding="utf-8")
        nav = html[html.index('md-nav--primary'):]
        links = re.findall(r'<a href="([^"#]+)" class="md-nav__link', nav)
        pages = [h.strip("./").split("/")[-1] for h in links if "notebooks" not in h and h.strip("./")]
        seen = list(dict.fromkeys(p for p in pages if p in order))
        assert seen == order, (lang, seen)
        assert topics.NOTEBOOKS_SECTION[lang] in nav, lang
        nb = [h for h in links if "notebooks/" in h]
        assert [re.search(r"notebooks/([\w-]+)/", h).group(1) for h in dict.fromkeys(nb)] == \
            [t.id for t in topics.load(ROOT)], (lang, nb)


@pytest.mark.slow
def test_a_new_topic_following_the_guide_builds_strict_and_its_card_shows_its_first_figure(tmp_path):
    """README "Adding a topic" and nothing else, in a copy of the project: no home thumbnail drawn for it."""
    root = newtopic.copy_project(ROOT, tmp_path / "proj",
                                 Path(os.environ.get("SNIPPETS_CACHE_DIR") or ROOT / ".cache" / "snippets"))
    newtopic.add(root)
    assert topics.problems(root) == []
    build = mkdocs_build(root, tmp_path / "site", env={"SNIPPETS_CACHE_DIR": str(root / ".cache" / "snippets")})
    assert build.returncode == 0, build.output[-4000:]
    for prefix, title in (("", "Софтмакс"), ("en/", "Softmax")):
        home = (build.site / prefix / "index.html").read_text(encoding="utf-8")
        card = home[home.index(f">{title}</a>") - 1500:home.index(f">{title}</a>")]
        assert "_figures/softmax/probs/probs.light.svg#only-light" in card, card
        assert "_figures/softmax/probs/probs.dark.svg#only-dark" in card, card
        assert (build.site / prefix / "notebooks" / "softmax" / "index.html").is_file()
