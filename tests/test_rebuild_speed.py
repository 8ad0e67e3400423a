"""hooks/rebuild_speed.py: what a rebuild in the same process reuses, and that reusing it changes no byte.

Each test builds a project several times in one process (``tests/twice.py``, the way ``mkdocs serve`` rebuilds),
and compares against builds that start from nothing.
"""

from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

TWICE = Path(__file__).with_name("twice.py")


def in_one_process(project: Path, steps: list[dict], tmp: Path, env: dict | None = None) -> list[dict]:
    plan = tmp / "plan.json"
    plan.write_text(json.dumps(steps))
    proc = subprocess.run([sys.executable, str(TWICE), str(project), str(plan)], capture_output=True, text=True,
                          timeout=900, env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {})))
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def delta(results: list[dict], i: int) -> dict:
    before = results[i - 1]["stats"] if i else {}
    return {k: v - before.get(k, 0) for k, v in results[i]["stats"].items()}


def differing_files(a: Path, b: Path) -> list[str]:
    out = []

    def walk(cmp: filecmp.dircmp, rel: str):
        out.extend(f"{rel}{n} (only on one side)" for n in cmp.left_only + cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        out.extend(f"{rel}{n}" for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{rel}{name}/")

    walk(filecmp.dircmp(a, b), "")
    return out


def test_a_rebuild_from_memory_is_byte_identical_to_a_fresh_build(built_site, tmp_path):
    """The real site: the second build in one process renders every Markdown page and every search entry from
    memory, and its output equals, byte for byte, the session's fresh ``mkdocs build --strict``."""
    pages = len(list((ROOT / "docs").rglob("*.md")))
    results = in_one_process(ROOT, [{"site": str(tmp_path / "a"), "command": "build"},
                                     {"site": str(tmp_path / "b"), "command": "build"}], tmp_path,
                             env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert all(r["ok"] for r in results), results
    second = delta(results, 1)
    assert second["render_hits"] == pages and second["render_misses"] == 0, second
    assert second["search_misses"] == 0 and second["search_hits"] >= pages, second
    assert differing_files(built_site.site, tmp_path / "b") == []


def _mini_pages(mini):
    mini.snippet("t/a", '''\
        def compute():
            return {"x": 1.5}

        # --8<-- [start:shown]
        def shown():
            return "first version"
        # --8<-- [end:shown]
        ''')
    mini.page("index.md", "# Головна\n\nЗначення <!-- value t/a:x fmt=\".1f\" -->.\n\n"
                          "<!-- source t/a section=\"shown\" -->\n\n[Інша](other.md)\n")
    mini.page("other.md", "# Інша\n\nТекст.\n")


def test_an_edit_reaches_the_output_and_only_that_page_is_rendered_again(mini, tmp_path):
    _mini_pages(mini)
    results = in_one_process(mini.root, [
        {"site": str(tmp_path / "1")},
        {"site": str(tmp_path / "2"), "edits": {"docs/uk/other.md": "# Інша\n\nНовий текст.\n"}},
    ], tmp_path)
    assert all(r["ok"] for r in results), results
    assert "Новий текст." in (tmp_path / "2" / "other" / "index.html").read_text()
    # Four Markdown pages (2 × 2 languages); only the edited one is rendered again.
    assert delta(results, 1)["render_hits"] == 3 and delta(results, 1)["render_misses"] == 1, results


def test_a_listing_follows_its_file_even_when_the_page_is_unchanged(mini, tmp_path):
    """The page's Markdown after the snippet directives is the same (same outputs), only the included file
    changed: the cache key must include the bytes of what ``--8<--`` pulls in."""
    _mini_pages(mini)
    snippet = (mini.root / "snippets" / "t" / "a.py").read_text()
    results = in_one_process(mini.root, [
        {"site": str(tmp_path / "1")},
        {"site": str(tmp_path / "2"),
         "edits": {"snippets/t/a.py": snippet.replace("first version", "second version")}},
    ], tmp_path)
    assert all(r["ok"] for r in results), results
    assert "first version" in (tmp_path / "1" / "index.html").read_text()
    second = (tmp_path / "2" / "index.html").read_text()
    assert "second version" in second and "first version" not in second


@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_warning_of_a_cached_page_is_logged_again_so_strict_still_fails(mini, tmp_path, command):
    """A strict build fails again; under serve (never strict) the warning is logged again, for the page's banner."""
    _mini_pages(mini)
    mini.page("broken.md", "# Зламана\n\n[нікуди](missing.md)\n")
    results = in_one_process(mini.root, [{"site": str(tmp_path / "1"), "command": command},
                                         {"site": str(tmp_path / "2"), "command": command}], tmp_path)
    for r in results:
        if command == "build":
            assert not r["ok"] and "strict" in r["error"], r
        else:
            assert r["ok"], r
        assert sum("missing.md" in w for w in r["warnings"]) == 2, r["warnings"]  # uk and en
    assert delta(results, 1)["render_misses"] == 0  # the second time the warning came from the cache
    if command == "serve":
        assert "missing.md" in (tmp_path / "2" / "broken" / "index.html").read_text()  # the banner


def test_a_new_link_target_resolves_without_touching_the_linking_page(mini, tmp_path):
    _mini_pages(mini)
    mini.page("links.md", "# Посилання\n\n[третя](third.md)\n")
    results = in_one_process(mini.root, [
        {"site": str(tmp_path / "1")},
        {"site": str(tmp_path / "2"),
         "edits": {"docs/uk/third.md": "# Третя\n", "docs/en/third.md": "# Third\n"}},
    ], tmp_path)
    assert any("third.md" in w for w in results[0]["warnings"])  # under serve: a warning, not an abort
    assert results[1]["ok"] and not any("third.md" in w for w in results[1]["warnings"]), results[1]
    assert 'href="../third/"' in (tmp_path / "2" / "links" / "index.html").read_text()
