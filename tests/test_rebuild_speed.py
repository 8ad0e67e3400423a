"""What a rebuild reuses (hooks/rebuild_speed.py, sitegen/pagecache.py), and that reusing it changes no byte.

Most tests build a project several times in one process (``tests/twice.py``, the way ``mkdocs serve`` rebuilds),
others in a new process each time (``mkdocs build``, the page cache on disk); each compares against builds that
start from nothing, or checks that a changed input reaches the output and that findings are reported again.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, mkdocs_build

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


def test_a_warning_of_a_cached_page_is_logged_again_so_strict_still_fails(mini, tmp_path):
    _mini_pages(mini)
    mini.page("broken.md", "# Зламана\n\n[нікуди](missing.md)\n")
    results = in_one_process(mini.root, [{"site": str(tmp_path / "1")}, {"site": str(tmp_path / "2")}], tmp_path)
    for r in results:
        assert not r["ok"] and "strict" in r["error"], r
        assert sum("missing.md" in w for w in r["warnings"]) == 2, r["warnings"]  # uk and en
    assert delta(results, 1)["render_misses"] == 0  # the second time the warning came from the cache


def test_a_new_link_target_resolves_without_touching_the_linking_page(mini, tmp_path):
    _mini_pages(mini)
    mini.page("links.md", "# Посилання\n\n[третя](third.md)\n")
    results = in_one_process(mini.root, [
        {"site": str(tmp_path / "1")},
        {"site": str(tmp_path / "2"),
         "edits": {"docs/uk/third.md": "# Третя\n", "docs/en/third.md": "# Third\n"}},
    ], tmp_path)
    assert not results[0]["ok"] and any("third.md" in w for w in results[0]["warnings"])
    assert results[1]["ok"], results[1]
    assert 'href="../third/"' in (tmp_path / "2" / "links" / "index.html").read_text()


# -- the page cache (sitegen/pagecache.py): results kept on disk, by content and code version ----------------------
def page_cache_line(output: str) -> tuple[int, int]:
    found = re.findall(r"page cache: (\d+) reused, (\d+) computed", output)
    assert found, output[-3000:]
    reused, computed = found[-1]
    return int(reused), int(computed)


def test_a_build_from_the_page_cache_on_disk_is_byte_identical_to_one_that_computes_everything(built_site, tmp_path):
    """The real site, each build a new process: the first with an empty page cache computes every page's language
    check, glossary links, math, search forms, HTML post-processing, render and search entries; the second reuses
    all of it from disk. Both equal the session's fresh build byte for byte."""
    env = {"SOURCE_DATE_EPOCH": "1700000000", "PAGE_CACHE_DIR": str(tmp_path / "pages")}
    first = mkdocs_build(ROOT, tmp_path / "first", env=env)
    assert first.returncode == 0, first.output[-4000:]
    assert page_cache_line(first.output)[1] > 100  # (a listing shown in both languages is highlighted once)
    second = mkdocs_build(ROOT, tmp_path / "second", env=env)
    assert second.returncode == 0, second.output[-4000:]
    reused, computed = page_cache_line(second.output)
    assert computed == 0 and reused > 100, second.output[-2000:]
    assert differing_files(tmp_path / "first", tmp_path / "second") == []
    assert differing_files(built_site.site, tmp_path / "second") == []


def test_a_damaged_or_foreign_entry_is_a_miss_and_the_code_version_is_in_every_key(tmp_path, monkeypatch):
    from sitegen import pagecache

    monkeypatch.setenv("PAGE_CACHE_DIR", str(tmp_path / "pages"))
    store = pagecache.Store(tmp_path / "pages", "t")
    key = store.key("input")
    assert store.memo(key, lambda: ["computed"]) == ["computed"]
    again = pagecache.Store(tmp_path / "pages", "t")  # another process: from disk, a fresh copy
    first = again.get(key)
    assert first == ["computed"] and first is not again.get(key)
    (tmp_path / "pages" / "t" / f"{key}.pickle").write_bytes(b"not a pickle")
    assert pagecache.Store(tmp_path / "pages", "t").get(key) is pagecache.MISS
    monkeypatch.setattr(pagecache, "_version", "another version of the code")
    assert again.key("input") != key


def test_prune_keeps_what_the_build_used_and_page_cache_0_writes_nothing(tmp_path, monkeypatch):
    from sitegen import pagecache

    monkeypatch.setenv("PAGE_CACHE_DIR", str(tmp_path / "pages"))
    project = tmp_path / "proj"
    store = pagecache.store(project, "prune-test")
    old, kept = store.key("old"), store.key("kept")
    store.put(old, 1)
    pagecache.begin_build(project)
    store.put(kept, 2)
    assert pagecache.prune(project) == 1
    assert [p.stem for p in (tmp_path / "pages" / "prune-test").glob("*.pickle")] == [kept]
    monkeypatch.setenv("PAGE_CACHE", "0")
    quiet = pagecache.Store(tmp_path / "none", "t")
    quiet.put(quiet.key("x"), 1)
    assert quiet.get(quiet.key("x")) == 1 and not (tmp_path / "none").exists()  # memory only


def test_search_forms_from_the_cache_equal_computed_ones_and_only_an_edited_page_is_expanded_again(tmp_path):
    from sitegen import pagecache
    from sitegen.search import expand_index

    docs = [{"location": "", "title": "Головна", "text": "Пакетна нормалізація і згортки."},
            {"location": "#a", "title": "Розділ", "text": "Градієнт градієнта."},
            {"location": "p/", "title": "Інша", "text": "Дропаут вимикає нейрони."},
            {"location": "en/", "title": "Home", "text": "Normalized gradients."}]
    index = {"config": {"separator": r"[\s\-.]+", "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
             "docs": docs}
    plain, cached = tmp_path / "plain.json", tmp_path / "cached.json"
    for path in (plain, cached):
        path.write_text(json.dumps(index))
    store = pagecache.Store(tmp_path / "pages", "forms")
    expand_index(plain, ["uk", "en"], "uk")
    expand_index(cached, ["uk", "en"], "uk", cache=store)
    assert cached.read_bytes() == plain.read_bytes()
    cached.write_text(json.dumps(index))
    before = dict(pagecache.STATS["forms"])
    expand_index(cached, ["uk", "en"], "uk", cache=store)
    assert cached.read_bytes() == plain.read_bytes()
    assert pagecache.STATS["forms"]["misses"] == before["misses"]  # three pages, all from the cache
    docs[2]["text"] = "Дропаут вимикає згортки."
    for path in (plain, cached):
        path.write_text(json.dumps(index))
    expand_index(plain, ["uk", "en"], "uk")
    expand_index(cached, ["uk", "en"], "uk", cache=store)
    assert cached.read_bytes() == plain.read_bytes()
    assert pagecache.STATS["forms"]["misses"] == before["misses"] + 1  # the edited page only


MINI_TERMBASE = """\
concepts:
  - id: chain-rule
    topic: backprop
    uk: ланцюгове правило
    en: chain rule
    def_uk: {definition}
    def_en: the derivative of a composition
    why: test
{rejected}"""


def _with_language(mini, definition="похідна композиції", rejected=""):
    """The mini project with the language hook and a termbase of one concept (and a glossary page per language)."""
    cfg = mini.root / "mkdocs.yml"
    if "language.py" not in cfg.read_text():
        cfg.write_text(cfg.read_text().replace("hooks:\n", f"hooks:\n  - {ROOT / 'hooks' / 'language.py'}\n")
                       + "nav:\n  - index.md\n  - glossary.md\n")
        (mini.root / "topics.yml").write_text("[]\n")  # no topics (the hook reads the notebooks' titles there)
    (mini.root / "termbase.yml").write_text(MINI_TERMBASE.format(definition=definition, rejected=rejected))
    mini.page("glossary.md", "# Глосарій\n\n<!-- glossary -->\n", "# Glossary\n\n<!-- glossary -->\n")


def test_an_edited_termbase_reaches_the_language_check_and_the_glossary_links_of_unchanged_pages(mini, tmp_path):
    """Each build a new process, the pages never change: the termbase's bytes are part of the key of every cached
    result that depends on it (the check of each file, the links, the glossary)."""
    _with_language(mini)
    mini.snippet("t/a", "def compute():\n    return {'x': 1.5}\n")
    mini.page("index.md", "# Головна\n\nЛанцюгове правило і вагомість.\n",
              "# Home\n\nThe chain rule and weight.\n")
    first = mini.build()
    assert first.returncode == 0, first.output[-3000:]
    page = (mini.site / "index.html").read_text()
    assert 'title="ланцюгове правило: похідна композиції"' in page
    _with_language(mini, definition="правило похідної складеної функції")
    second = mini.build()
    assert second.returncode == 0, second.output[-3000:]
    assert page_cache_line(second.output)[0] > 0
    assert 'title="ланцюгове правило: правило похідної складеної функції"' in (mini.site / "index.html").read_text()
    _with_language(mini, rejected="    rejected_uk: [вагомість]\n")
    third = mini.build()
    assert third.returncode != 0 and "docs/uk/index.md:3: «вагомість»" in third.output, third.output[-3000:]
    _with_language(mini)
    assert mini.build().returncode == 0


def test_a_cached_page_reports_its_language_findings_again_so_strict_still_fails(mini):
    _with_language(mini)
    mini.page("index.md", "# Головна\n\nУ 34 разів менше.\n", "# Home\n\n34 times fewer.\n")
    runs = [mini.build(), mini.build()]
    for run in runs:
        assert run.returncode != 0 and re.search(r"language: docs/uk/index.md:\d+: «34 разів»", run.output), \
            run.output[-3000:]
    assert page_cache_line(runs[1].output)[0] > 0  # the second run reused the page's work


def test_a_new_value_of_a_snippet_reaches_a_rebuild_of_an_unchanged_page(mini, tmp_path):
    """The expansion of a page is kept by the results of the snippets it shows: an edited snippet re-runs and its
    new number is on the page, rendered again, in a rebuild in the same process."""
    mini.snippet("t/a", "def compute():\n    return {'x': 1.5}\n")
    mini.page("index.md", "# Головна\n\nЗначення <!-- value t/a:x fmt=\".1f\" -->.\n")
    results = in_one_process(mini.root, [
        {"site": str(tmp_path / "1")},
        {"site": str(tmp_path / "2"), "edits": {"snippets/t/a.py": "def compute():\n    return {'x': 2.5}\n"}},
        {"site": str(tmp_path / "3")},
    ], tmp_path)
    assert all(r["ok"] for r in results), results
    assert "1,5" in (tmp_path / "1" / "index.html").read_text()
    assert "2,5" in (tmp_path / "2" / "index.html").read_text() and "1,5" not in (tmp_path / "2" / "index.html").read_text()
    assert delta(results, 2)["render_misses"] == 0  # nothing changed the third time


def test_a_bad_formula_is_reported_on_every_rebuild_under_serve(mini, tmp_path):
    """A page whose math reported an error is never kept: under serve each rebuild shows the error box again."""
    mini.page("index.md", "# Головна\n\nФормула $\\notacommand{x}$.\n")
    results = in_one_process(mini.root, [{"site": str(tmp_path / "1"), "strict": False},
                                         {"site": str(tmp_path / "2"), "strict": False}], tmp_path)
    for k in ("1", "2"):
        assert 'class="snippet-error"' in (tmp_path / k / "index.html").read_text(), k


def test_a_file_added_to_the_theme_overrides_is_copied_by_a_rebuild(mini, tmp_path):
    """The list of the theme's files is kept by the names in each theme folder that is not an installed package."""
    cfg = mini.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"))
    (mini.root / "overrides").mkdir()
    mini.page("index.md", "# Головна\n")
    results = in_one_process(mini.root, [
        {"site": str(tmp_path / "1")},
        {"site": str(tmp_path / "2"), "edits": {"overrides/assets/extra.txt": "new"}},
    ], tmp_path)
    assert all(r["ok"] for r in results), results
    assert not (tmp_path / "1" / "assets" / "extra.txt").exists()
    assert (tmp_path / "2" / "assets" / "extra.txt").read_text() == "new"


def test_under_serve_the_watched_folders_are_looked_at_every_tenth_of_a_second(tmp_path):
    """MkDocs' server polls every 0.5 s; the hook sets its observer and the watches made so far to 0.1 s, and the
    watches made after it (mkdocs.yml's ``watch:``) take the observer's interval."""
    import importlib.util

    from mkdocs.livereload import LiveReloadServer

    spec = importlib.util.spec_from_file_location("rebuild_speed_serve_test", ROOT / "hooks" / "rebuild_speed.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    (tmp_path / "docs").mkdir()
    (tmp_path / "more").mkdir()
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    try:
        server.watch(str(tmp_path / "docs"))
        assert {e.timeout for e in server.observer.emitters} == {0.5}
        assert hook.on_serve(server, config=None, builder=None) is server
        server.watch(str(tmp_path / "more"))
        assert server.observer.timeout == hook.POLL_INTERVAL == 0.1
        assert {e.timeout for e in server.observer.emitters} == {0.1} and len(server.observer.emitters) == 2
    finally:
        server.server_close()


def test_an_edited_page_keeps_its_highlighted_listing_and_equals_a_fresh_build(mini, tmp_path):
    """A prose edit of a page with a listing renders the page again, but Pygments' output for the unchanged listing
    comes from the cache; the page equals the one a fresh process makes of the edited project."""
    _mini_pages(mini)
    edited = "# Головна\n\nНовий абзац. Значення <!-- value t/a:x fmt=\".1f\" -->.\n\n" \
             "<!-- source t/a section=\"shown\" -->\n\n[Інша](other.md)\n"
    results = in_one_process(mini.root, [
        {"site": str(tmp_path / "1")},
        {"site": str(tmp_path / "2"), "edits": {"docs/uk/index.md": edited}},
    ], tmp_path)
    assert all(r["ok"] for r in results), results
    first, second = results[0]["pages"]["highlight"], results[1]["pages"]["highlight"]
    assert second["hits"] > first["hits"] and second["misses"] == first["misses"], (first, second)
    fresh = mkdocs_build(mini.root, tmp_path / "fresh", env={"PAGE_CACHE_DIR": str(tmp_path / "empty"),
                                                             "SNIPPETS_CACHE_DIR": str(mini.cache)})
    assert fresh.returncode == 0, fresh.output[-3000:]
    assert differing_files(tmp_path / "fresh", tmp_path / "2") == []
