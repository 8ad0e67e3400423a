"""Translations, reproducibility and bad input: the two languages match, builds repeat, mistakes fail loudly."""

from __future__ import annotations

import filecmp
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, mkdocs_build
from sitegen.parity import compare, mismatches, pages, structure

LANGS = ["uk", "en"]
DOCS = ROOT / "docs"


def _pairs() -> list[str]:
    by_lang = pages(DOCS, LANGS)
    return sorted(by_lang["uk"] & by_lang["en"])


# -- parity of the sources ------------------------------------------------------------------------------------
def test_every_page_exists_in_both_languages():
    by_lang = pages(DOCS, LANGS)
    assert by_lang["uk"] == by_lang["en"], {lang: sorted(by_lang[lang] - by_lang[other])
                                            for lang, other in (("uk", "en"), ("en", "uk"))}
    assert len(by_lang["uk"]) >= 2


@pytest.mark.parametrize("page", _pairs())
def test_translations_have_the_same_heading_ids_and_directives_in_order(page):
    uk = structure((DOCS / "uk" / page).read_text(encoding="utf-8"))
    en = structure((DOCS / "en" / page).read_text(encoding="utf-8"))
    assert not uk.missing_ids and not en.missing_ids, (
        f"headings without an explicit {{ #id }}: docs/uk/{page} lines {uk.missing_ids}, "
        f"docs/en/{page} lines {en.missing_ids}")
    assert uk.headings == en.headings, _first_difference(uk.headings, en.headings)
    assert uk.directives == en.directives, _first_difference(uk.directives, en.directives)


def test_the_build_s_parity_check_passes_on_the_real_pages():
    """What hooks/snippets.py runs before any snippet: directives, heading ids and equations, both languages."""
    assert mismatches(DOCS, LANGS, "docs/") == []


def test_parity_check_names_the_first_difference_with_both_files_and_lines():
    uk = "# T { #t }\n\n## S { #s }\n$$\\frac{a}{b} = 0{,}5 \\text{ (половина)}$$\n"
    assert compare(uk, "# T { #t }\n## S { #s }\n$$\\frac{a}{b} = 0.5\\text{ (half)}$$\n", "uk/p.md", "en/p.md") is None
    msg = compare(uk, "# T { #t }\n## S { #s }\n$$\\frac{a}{c} = 0.5$$\n", "uk/p.md", "en/p.md")
    assert msg.startswith("translations differ in equations: uk/p.md:4 has $$") and "en/p.md:3 has $$" in msg
    msg = compare(uk, "# T { #t }\n\n## S { #other }\n", "uk/p.md", "en/p.md")
    assert msg == ("translations differ in heading ids: uk/p.md:3 has heading h2 { #s } but "
                   "en/p.md:3 has heading h2 { #other }")


def _first_difference(a: list, b: list) -> str:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"item {i}: uk {x} vs en {y}"
    return f"uk has {len(a)} items, en {len(b)}: the longer one ends with {(a if len(a) > len(b) else b)[len(min(a, b, key=len)):]}"


def test_structure_comparison_catches_a_swapped_directive_and_a_renamed_id():
    uk = structure("# T { #t }\n<!-- value t/a:x -->\n<!-- value t/a:y fmt='.2f' -->\n## S { #s }\n")
    assert structure("# T { #t }\n<!-- value t/a:y fmt='.2f' -->\n<!-- value t/a:x -->\n## S { #s }\n").directives \
        != uk.directives
    assert structure("# T { #t }\n<!-- value t/a:x -->\n<!-- value t/a:y fmt='.3f' -->\n## S { #s }\n").directives \
        != uk.directives
    assert structure("# T { #t }\n## S { #s2 }\n").headings != uk.headings
    # Translated arguments (alt text, plural words) are not compared.
    assert structure("<!-- figure t/a:f alt='Графік' -->").directives == structure("<!-- figure t/a:f alt='Plot' -->").directives


# -- translation age report -----------------------------------------------------------------------------------
def test_translation_age_lists_the_older_translation(tmp_path):
    repo = tmp_path / "repo"
    for lang in LANGS:
        (repo / "docs" / lang).mkdir(parents=True)
    git = lambda *a, date=None: subprocess.run(  # noqa: E731
        ["git", *a], cwd=repo, check=True, capture_output=True,
        env=dict(os.environ, GIT_AUTHOR_DATE=date or "", GIT_COMMITTER_DATE=date or "", GIT_AUTHOR_NAME="t",
                 GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t"))
    git("init", "-q")
    for lang in LANGS:
        (repo / "docs" / lang / "a.md").write_text("# A { #a }\n")
        (repo / "docs" / lang / "b.md").write_text("# B { #b }\n")
    git("add", ".")
    git("commit", "-qm", "both", date="2024-01-01T00:00:00Z")
    (repo / "docs" / "uk" / "a.md").write_text("# A { #a }\n\nНовий абзац.\n")
    git("commit", "-qam", "uk only", date="2024-01-11T00:00:00Z")
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "translation_age.py"), "--root", str(repo),
                          "--strict"], capture_output=True, text=True)
    assert out.returncode == 1
    assert "docs/en/a.md is older than docs/uk/a.md by 10.0 days" in out.stdout
    assert "b.md" not in out.stdout


# -- reproducibility ------------------------------------------------------------------------------------------
def _differences(a: Path, b: Path, mask: re.Pattern | None = None) -> list[str]:
    """Files that differ (or exist on one side only); ``mask``: bytes it matches are ignored."""
    files_a = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    if files_a != files_b:
        return [f"only in first: {sorted(set(files_a) - set(files_b))[:10]}",
                f"only in second: {sorted(set(files_b) - set(files_a))[:10]}"]
    differ = [f for f in files_a if not filecmp.cmp(a / f, b / f, shallow=False)]
    if mask is not None:
        differ = [f for f in differ if mask.sub(b"", (a / f).read_bytes()) != mask.sub(b"", (b / f).read_bytes())]
    return differ


def _commits(*sites: Path) -> set[bytes]:
    return {m for site in sites for f in site.rglob("*.html")
            for m in re.findall(rb'data-commit="([0-9a-f]+)"', f.read_bytes())}


@pytest.mark.slow
def test_two_builds_with_the_same_source_date_epoch_are_byte_identical(built_site, tmp_path):
    """A second clean build of the real site (snippet cache reused) equals the session's build, file for file."""
    second = mkdocs_build(ROOT, tmp_path / "site", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert second.returncode == 0, second.output[-4000:]
    # Someone committing between the two builds (a shared working tree) changes the commit in every page footer;
    # that one string aside, the builds must still be identical. In CI the commit cannot move.
    commits = _commits(built_site.site, second.site)
    mask = re.compile(b"|".join(sorted(commits))) if len(commits) > 1 and not os.environ.get("CI") else None
    assert not _differences(built_site.site, second.site, mask)
    assert (second.site / "sitemap.xml.gz").exists() and (second.site / "search" / "search_index.json").exists()


@pytest.mark.slow
def test_snippets_run_twice_give_identical_svg_and_pages(mini, tmp_path):
    """Two builds with separate caches (so the figure is drawn twice): SVG ids, dates and every page identical."""
    mini.snippet("t/fig", """\
        import matplotlib.pyplot as plt
        LABELS = {"uk": {"t": "Графік"}, "en": {"t": "Plot"}}

        def compute():
            return {"x": 1.0}

        def figures(results, lang, theme):
            fig, ax = plt.subplots()
            ax.plot([0, 1, 2], [0, 1, 4], label=LABELS[lang]["t"])
            ax.fill_between([0, 1], [0, 1], alpha=0.3)
            ax.legend()
            return {"f": fig}
        """)
    mini.page("index.md", '# Сторінка { #page }\n\n<!-- figure t/fig:f alt="Графік" -->\n',
              '# Page { #page }\n\n<!-- figure t/fig:f alt="Plot" -->\n')
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    first = mkdocs_build(mini.root, tmp_path / "one", env={**env, "SNIPPETS_CACHE_DIR": str(tmp_path / "c1")})
    second = mkdocs_build(mini.root, tmp_path / "two", env={**env, "SNIPPETS_CACHE_DIR": str(tmp_path / "c2")})
    assert first.returncode == 0 and second.returncode == 0, first.output[-3000:] + second.output[-3000:]
    assert first.summary[1] == 1 and second.summary[1] == 1  # executed in both builds
    svgs = sorted((tmp_path / "one").rglob("*.svg"))
    assert svgs and any("<dc:date>" not in s.read_text() for s in svgs)
    assert not _differences(tmp_path / "one", tmp_path / "two")


# -- bad input ------------------------------------------------------------------------------------------------
SCRIPT = '''\
def compute():
    print("<script>alert(1)</script>")
    return {}
'''


@pytest.mark.slow
def test_script_in_output_is_escaped_unless_declared_html(mini):
    mini.snippet("t/xss", SCRIPT)
    mini.page("index.md", "# P { #p }\n\n<!-- output t/xss:stdout -->\n\n<span>raw: <!-- output t/xss:stdout html --></span>\n")
    build = mini.build()
    assert build.returncode == 0, build.output[-3000:]
    for page in (mini.site / "index.html", mini.site / "en" / "index.html"):
        html = page.read_text()
        assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 1  # the plain output, escaped
        assert html.count("<script>alert(1)</script>") == 1  # the one declared html, embedded as it is


@pytest.mark.slow
def test_page_in_one_language_only_fails_naming_both_files(mini):
    mini.page("index.md", "# P { #p }\n")
    (mini.root / "docs" / "en" / "extra.md").write_text("# Extra { #extra }\n")
    build = mini.build()
    assert build.returncode != 0
    assert "docs/en/extra.md has no translation: docs/uk/extra.md is missing" in build.output, build.output[-2000:]
    assert not mini.site.exists(), "a failed build must not leave a site at the output path"


@pytest.mark.slow
@pytest.mark.parametrize("link, target", [("[gone](other.md#nowhere)", "other.md"), ("[gone](#nowhere)", "index.md")])
def test_broken_anchor_fails_naming_the_page(mini, link, target):
    mini.page("other.md", "# Other { #other }\n")
    mini.page("index.md", f"# P {{ #p }}\n\nSee {link}.\n")
    build = mini.build()
    assert build.returncode != 0
    # MkDocs names the page holding the link and the missing anchor (and the target page, when another one).
    lines = [line for line in build.output.splitlines() if "'uk/index.md'" in line and "nowhere" in line]
    assert lines and "anchor" in lines[0], build.output[-2000:]
    assert f"uk/{target}" in lines[0] or target == "index.md", lines[0]
    assert not mini.site.exists(), "a failed build must not leave a site at the output path"
