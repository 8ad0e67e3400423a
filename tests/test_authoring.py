"""Authoring slips that used to publish a wrong page: each one now fails the build with page:line (issue 15).

One throwaway project (module scope) whose snippet runs once; every test adds its own page in both languages,
builds, and removes the page again, so most builds are cache hits and take a few seconds.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from conftest import MiniProject
from sitegen.checks import html_problems, table_problems
from sitegen.directives import DirectiveError, parse
from sitegen.runner import Runner

pytestmark = pytest.mark.slow

SNIPPET = """\
def compute():
    return {"x": 1.4951818980858561, "tiny": 2.8e-17, "n": 3}
"""


@pytest.fixture(scope="module")
def proj(tmp_path_factory):
    mini = MiniProject(tmp_path_factory.mktemp("authoring") / "proj")
    mini.snippet("t/a", SNIPPET)
    mini.page("index.md", "# Home { #home }\n\n<!-- value t/a:n -->\n")
    first = mini.build()
    assert first.returncode == 0, first.output[-3000:]
    return mini


def _build_with(proj, uk: str, en: str | None = None, name: str = "slip.md"):
    proj.page(name, uk, en)
    try:
        return proj.build()
    finally:
        for lang in ("uk", "en"):
            (proj.root / "docs" / lang / name).unlink(missing_ok=True)


def _no_framework_traceback(output: str):
    assert "Traceback" not in output, output[-3000:]


def test_misspelled_argument_fails_with_page_line_and_the_known_names(proj):
    b = _build_with(proj, '# S { #s }\n\nText\n<!-- value t/a:x fnt=".4f" -->\n')
    assert b.returncode != 0
    assert re.search(r"docs/(uk|en)/slip\.md:4: unknown argument 'fnt' of a value directive \(known: fmt=…", b.output)
    _no_framework_traceback(b.output)


def test_flag_with_a_value_and_argument_without_one_fail(proj):
    b = _build_with(proj, '# S { #s }\n\n<!-- figure t/a:f alt -->\n')
    assert b.returncode != 0 and "'alt' of a figure directive needs a value" in b.output
    b = _build_with(proj, '# S { #s }\n\n<!-- output t/a:stdout html=yes -->\n')
    assert b.returncode != 0 and "'html' of a output directive is a flag" in b.output


def test_value_inside_math_is_typeset_as_math_without_the_flag(proj):
    b = _build_with(proj, "# S { #s }\n\nMath: $\\varepsilon = <!-- value t/a:tiny fmt=\".1e\" -->$.\n")
    assert b.returncode == 0, b.output[-3000:]
    html = (proj.site / "slip" / "index.html").read_text()
    math = re.search(r"<math[^>]*>.*?</math>", html, re.S).group(0)
    assert "<msup>" in math and "sup" not in re.sub(r"</?msup>", "", math)  # a real power, no "sup" spelled out
    assert "2{,}8 \\times 10^{-17}" in math  # alttext: the Ukrainian decimal comma, TeX power


def test_math_flag_in_prose_says_what_to_write(proj):
    b = _build_with(proj, "# S { #s }\n\nProse: <!-- value t/a:tiny fmt=\".1e\" math -->.\n")
    assert b.returncode != 0
    assert re.search(r"slip\.md:3: the flag `math` is for a value inside \$…\$; this one is in prose: remove `math`",
                     b.output), b.output[-2000:]


@pytest.mark.parametrize("formula, message", [
    (r"$\fracc{1}{2}$", r"unknown command \fracc (did you mean \frac?)"),
    (r"$\frac{1}{2$", "unbalanced braces: 1 { not closed"),
    # Issue 28: a superscript inside an inline fraction is drawn at half the text size (8 px on a phone).
    (r"$\frac{e^{2x}}{2}$", "an inline formula may not reach script level 2 (half the text size, unreadable on a "
                            "phone): '2x', a superscript in a fraction; write it as a display formula ($$…$$) or "
                            "with a slash (a/b)"),
])
def test_bad_tex_fails_naming_the_formula_and_line(proj, formula, message):
    b = _build_with(proj, f"# S {{ #s }}\n\nOne line.\nA formula {formula} here.\n")
    assert b.returncode != 0
    assert message in b.output, b.output[-2000:]
    line = next(line for line in b.output.splitlines() if message in line)
    assert re.search(r"docs/(uk|en)/slip\.md:4: formula \$", line), line
    _no_framework_traceback(b.output)


def test_script_level_2_is_allowed_in_display_and_avoided_by_a_slash(proj):
    b = _build_with(proj, "# S { #s }\n\n$$\n\\frac{e^{2x}}{2}\n$$\n\nOr $e^{2x}/2$ inline.\n")
    assert b.returncode == 0, b.output[-2000:]


def test_dollar_left_in_the_text_fails(proj):
    b = _build_with(proj, "# S { #s }\n\nText.\nSo $y = $ is not math.\n")
    assert b.returncode != 0
    assert re.search(r"docs/(uk|en)/slip\.md:4: a \$ is left in the page's text", b.output), b.output[-2000:]


def test_parity_is_checked_during_the_build_naming_both_files_and_lines(proj):
    uk = "# S { #s }\n\nА <!-- value t/a:x fmt='.2f' -->.\n\nБ <!-- value t/a:n -->.\n"
    en = "# S { #s }\n\nB <!-- value t/a:n -->.\n"
    b = _build_with(proj, uk, en)
    assert b.returncode != 0
    assert ("translations differ in directives: docs/uk/slip.md:3 has <!-- value t/a:x fmt=.2f --> but "
            "docs/en/slip.md:3 has <!-- value t/a:n -->") in b.output, b.output[-2000:]
    eq = _build_with(proj, "# S { #s }\n\n$a = 1{,}5 \\text{ м}$\n", "# S { #s }\n\n$a = 1.5\\text{ m}$\n")
    assert eq.returncode == 0, eq.output[-2000:]  # decimal separator and \text{} words may differ
    eq = _build_with(proj, "# S { #s }\n\n$a + b$\n", "# S { #s }\n\n$a - b$\n")
    assert eq.returncode != 0 and "translations differ in equations: docs/uk/slip.md:3 has $a+b but " \
                                  "docs/en/slip.md:3 has $a-b" in eq.output


def test_failing_snippet_reads_like_a_compiler_error(proj):
    proj.snippet("t/bad", "def compute():\n    values = {'a': 1}\n    return values['missing']\n")
    try:
        b = _build_with(proj, "# S { #s }\n\n<!-- value t/bad:a -->\n")
    finally:
        (proj.root / "snippets" / "t" / "bad.py").unlink()
    assert b.returncode != 0
    out = b.output
    assert "snippet 't/bad' failed at snippets/t/bad.py:3 (embedded by docs/" in out and "slip.md:3" in out
    assert out.count("Traceback (most recent call last)") == 1  # the child's own, once
    assert "KeyError: 'missing'" in out
    assert "mkdocs/" not in out and "click/" not in out and "worker.py" not in out, out[-3000:]


# -- issue 27: no silent slip ------------------------------------------------------------------------------------
@pytest.mark.parametrize("comment, message", [
    ("<!-- value Softmax/gradient:loss -->", "snippet path 'Softmax/gradient' is not snippets/<topic>/<name>.py in "
                                             "lower-case letters, digits, '_' and '-': write "
                                             "<!-- value softmax/gradient:loss -->"),
    ("<!-- value softmax/gradient: loss -->", "no space may follow the ':' of softmax/gradient:NAME: write "
                                              "<!-- value softmax/gradient:loss -->"),
    ("<!-- value softmax/gradient :loss -->", "no space may precede the ':' of softmax/gradient:NAME: write "
                                              "<!-- value softmax/gradient:loss -->"),
    ("<!-- Value t/s:x -->", "directive names are lower case: write <!-- value t/s:x -->"),
    ("<!-- VALUE\n  t/s:x -->", "directive names are lower case: write <!-- value t/s:x -->"),
    ("<!-- value t/s:x; fmt='g' -->", "cannot read <!-- value t/s:x; fmt='g' -->: expected <!-- value t/s:NAME "
                                      "key=\"value\" flag --> (a NAME is letters, digits, '_', '-' and '.'; "
                                      "arguments are separated by spaces)"),
    ("<!-- figure t/s:my fig alt='x' -->", "unknown argument 'fig' of a figure directive (known: alt=…, caption=…)"),
    ("<!-- valeu t/s:x -->", "unknown directive 'valeu' (known: cards, figure, output, source, table, value)"),
    ("<!-- value t/s:x\n\nthe rest of the page", "<!-- value t/s:x is never closed: expected --> at its end"),
])
def test_a_comment_meant_as_a_directive_that_does_not_read_fails_with_its_line_and_what_was_expected(comment, message):
    errors = []
    assert parse(f"# P\n\nText\n{comment}\n", errors) == []
    assert [str(e) for e in errors] == [f"line 4: {message}"]
    with pytest.raises(DirectiveError, match=re.escape(f"line 4: {message}")):
        parse(f"# P\n\nText\n{comment}\n")


def test_directives_without_spaces_across_lines_and_with_quoted_angle_brackets_or_code_are_read():
    page = ("<!--value t/s:x-->\nText <!-- value\n    t/s:y fmt='.2f' -->.\n"
            "<!-- figure t/s:f alt=\"a > b\"\n     caption=\"A *line*, `code` and $x^2$\" -->\n")
    found = [(d.kind, d.snippet, d.output, d.args, d.line) for d in parse(page)]
    assert found == [("value", "t/s", "x", {}, 1), ("value", "t/s", "y", {"fmt": ".2f"}, 2),
                     ("figure", "t/s", "f", {"alt": "a > b", "caption": "A *line*, `code` and $x^2$"}, 4)]


def test_the_words_of_a_directive_over_several_lines_are_language_checked_at_its_first_line():
    from sitegen.langcheck import prose

    lines = {n: text for n, text, _ in prose('Текст.\n<!-- figure t/s:f alt="Пряма"\n  caption="Крива *лінія*" -->\n')}
    assert lines[1] == "Текст." and "Пряма" in lines[2] and "Крива *лінія*" in lines[2] and 3 not in lines


@pytest.mark.parametrize("comment", ["<!-- TODO: check this -->", "<!-- see docs/uk/page.md -->", "<!-- glossary -->",
                                     "<!-- https://example.org/a/b -->", "<!-- a/b -->", "<!-- value -->",
                                     "<!-- Note: x/y is 2 -->"])
def test_ordinary_comments_stay_comments(comment):
    errors = []
    assert parse(f"Text\n{comment}\n", errors) == [] and errors == []


def test_hand_written_table_rows_with_different_cell_counts_fail_with_their_lines():
    page = ("# P\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 | 5 |\n| `x | y` | \\| |\n| 6 |\n\n"
            "| fine | `a|b` |\n|:-|-:|\n| $x$ | \\|x\\| |\n")
    assert [(line, msg.split(":")[0]) for line, msg in table_problems(page)] == [
        (6, "this table row has 3 cells, its header (line 3) has 2"),
        (8, "this table row has 1 cell, its header (line 3) has 2")]


def test_unbalanced_html_blocks_fail_with_their_lines():
    page = ("# P\n\n<div markdown>\n\n<details>\n<summary>More</summary>\n\nText.\n\n</div>\n\n"
            "`<figure>` and <!-- <section> --> are not tags.\n\n</figure>\n\n<details>\n<summary>Rest</summary>\n")
    assert html_problems(page) == [
        (5, "<details> is never closed: expected </details> before the </div> at line 10"),
        (14, "</figure> closes nothing: no <figure> is open here"),
        (16, "<details> is never closed: expected </details> (an open block swallows the rest of the page)")]


FIGURE_SNIPPET = """\
import matplotlib.pyplot as plt

def compute():
    return {"x": 1}

def figures(values, lang, theme):
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1])
    return {"line": fig}
"""


def test_a_caption_renders_inline_markdown_and_math_like_the_page(proj):
    """At the top of a page and indented in a block (where Python-Markdown reads the figure as inline HTML)."""
    proj.snippet("t/fig", FIGURE_SNIPPET)
    caption = {"uk": "Пряма *лінія*, [головна](index.md) і $x^2$", "en": "A *line*, [home](index.md) and $x^2$"}
    figure = '<!-- figure t/fig:line alt="{alt}" caption="{caption}" -->'
    try:
        b = _build_with(proj, *(f"# S {{ #s }}\n\n{figure.format(alt=alt, caption=caption[lang])}\n\n- {alt}:\n\n"
                                f"    {figure.format(alt=alt, caption=caption[lang])}\n"
                                for lang, alt in (("uk", "Пряма"), ("en", "A line"))))
    finally:
        (proj.root / "snippets" / "t" / "fig.py").unlink()
    assert b.returncode == 0, b.output[-3000:]
    for rel, words in (("slip/index.html", "Пряма <em>лінія</em>"), ("en/slip/index.html", "A <em>line</em>")):
        html = (proj.site / rel).read_text()
        caps = re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", html, re.S)
        assert len(caps) == 2, html
        for cap in caps:
            assert cap.startswith(words) and '<a href="../">' in cap, cap
            assert re.search(r'<math alttext="x\^2"[^>]*><mrow><msup><mi>x</mi><mn>2</mn></msup>', cap), cap
            assert "$" not in cap and "*" not in cap and "](" not in cap, cap


BAD_RESULTS = {
    "t/badfig": FIGURE_SNIPPET.replace('{"line": fig}', '{"my line": fig}'),
    "t/chatty": "def compute():\n    for i in range(200_000):\n        print(i)\n    return {'x': 1}\n",
}


def test_a_bad_figure_name_and_a_huge_output_fail_naming_the_snippet(proj):
    for name, body in BAD_RESULTS.items():
        proj.snippet(name, body)
    try:
        b = _build_with(proj, "# S { #s }\n\n<!-- figure t/badfig:line alt='x' -->\n\n<!-- output t/chatty:stdout -->\n")
    finally:
        for name in BAD_RESULTS:
            (proj.root / "snippets" / f"{name}.py").unlink()
    assert b.returncode != 0
    assert ("snippets/t/badfig.py:9: figures() returned the figure name 'my line': a figure name is letters, digits, "
            "'_' and '-'") in b.output, b.output[-3000:]
    assert re.search(r"snippet 't/chatty' failed \(embedded by docs/(uk|en)/slip\.md:5\):\nsnippets/t/chatty\.py: "
                     r"printed 200,000 lines \(1\.3 MB\) for (uk|en): an output may have at most 500 lines and 50 kB",
                     b.output), b.output[-3000:]
    assert len(b.output) < 100_000  # the 200,000 lines are nowhere, neither in the log
    published = proj.site / "slip" / "index.html"  # an earlier test's page, or none: the failed build left it
    assert not published.exists() or "199999" not in published.read_text()


def test_a_build_reports_every_error_of_every_page_then_fails(proj):
    page = ("# S { #s }\n\n<!-- value t/a:X -->\n\n<!-- value t/a: x -->\n\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n\n"
            "Text $\\fracc{1}{2}$.\n\n<!-- value t/a:x fnt='g' -->\n\n<details>\n<summary>More</summary>\n\nEnd.\n")
    b = _build_with(proj, page)
    assert b.returncode != 0
    out = b.output
    for lang in ("uk", "en"):
        for line, message in ((3, "unknown value 'X'"), (5, "no space may follow the ':'"),
                              (9, "this table row has 3 cells, its header (line 7) has 2"),
                              (11, "formula $\\fracc{1}{2}$: unknown command \\fracc"),
                              (13, "unknown argument 'fnt' of a value directive"),
                              (15, "<details> is never closed: expected </details>")):
            assert f"docs/{lang}/slip.md:{line}: {message}" in out, (lang, line, out[-4000:])
    assert out.count("docs/uk/slip.md:5: no space") == 1  # each once, though two steps of the build find it
    assert "12 errors: the build failed" in out, out[-3000:]
    _no_framework_traceback(out)


def test_a_build_stops_after_twenty_errors(proj):
    b = _build_with(proj, "# S { #s }\n\n" + "".join(f"<!-- value t/a:x{i} -->\n\n" for i in range(30)))
    assert b.returncode != 0
    assert "stopped after 20 errors (there may be more): the build failed" in b.output, b.output[-3000:]
    assert len(re.findall(r"docs/(?:uk|en)/slip\.md:\d+: unknown value 'x\d+'", b.output)) == 20


def test_errors_name_the_line_of_the_file_below_its_front_matter(proj):
    b = _build_with(proj, "---\ntitle: S\n---\n\n# S { #s }\n\n<!-- value t/a:nope -->\n")
    assert b.returncode != 0 and re.search(r"docs/(uk|en)/slip\.md:7: unknown value 'nope'", b.output), b.output[-2000:]


# -- the runner alone (no MkDocs): what a snippet may not do ---------------------------------------------------
def _runner(tmp_path, body: str, name: str = "t/s") -> tuple[Runner, Path]:
    root = tmp_path / "proj"
    (root / "snippets" / "t").mkdir(parents=True)
    (root / "docs" / "uk").mkdir(parents=True)
    (root / "snippets" / "__init__.py").write_text("")
    (root / "snippets" / "t" / "__init__.py").write_text("")
    (root / "docs" / "uk" / "page.md").write_text("# kept\n")
    (root / "snippets" / f"{name}.py").write_text(textwrap.dedent(body))
    return Runner(root, cache_dir=tmp_path / "cache", timeout=60), root


def test_snippet_writing_into_the_project_fails_and_created_files_are_removed(tmp_path):
    runner, root = _runner(tmp_path, f"""\
        import os
        from pathlib import Path
        ROOT = Path({str(tmp_path / 'proj')!r})

        def compute():
            open("in-cwd.txt", "w").write("fine: a temporary working directory")
            (ROOT / "docs" / "uk" / "probs.csv").write_text("1,2")
            os.makedirs(ROOT / "docs" / "uk" / "new" / "deep")
            (ROOT / "docs" / "uk" / "new" / "deep" / "leak.md").write_text("# leak")
            (ROOT / "docs" / "uk" / "page.md").write_text("# changed")
            return {{"cwd": os.getcwd()}}
        """)
    with pytest.raises(Exception) as info:
        runner.ensure(["t/s"])
    msg = str(info.value)
    assert "snippet 't/s' failed" in msg and "must not change the project" in msg
    # Each change with the snippet's line that made it.
    assert "created docs/uk/probs.csv (by snippets/t/s.py:7) (removed)" in msg
    assert "created docs/uk/new (by snippets/t/s.py:8) (removed)" in msg
    assert "created docs/uk/new/deep/leak.md (by snippets/t/s.py:9) (removed)" in msg
    assert "modified docs/uk/page.md (by snippets/t/s.py:10) (left as it is now" in msg
    assert not (root / "docs" / "uk" / "probs.csv").exists() and not (root / "docs" / "uk" / "new").exists()
    assert (root / "docs" / "uk" / "page.md").read_text() == "# changed"  # reported, never deleted
    assert "in-cwd" not in msg and not (root / "in-cwd.txt").exists()
    assert not list(runner.cache_dir.glob("*.pickle")), "a failed run is never cached"


def test_snippet_runs_in_a_temporary_directory_and_may_read_the_project(tmp_path):
    runner, root = _runner(tmp_path, f"""\
        import os
        from pathlib import Path

        def compute():
            text = (Path({str(tmp_path / 'proj')!r}) / "docs" / "uk" / "page.md").read_text()
            return {{"cwd": os.getcwd(), "text": text}}
        """)
    results, _ = runner.ensure(["t/s"])
    cwd = results["t/s"]["values"]["cwd"]
    assert not Path(cwd).resolve().is_relative_to(root.resolve()) and results["t/s"]["values"]["text"] == "# kept\n"


def test_unpicklable_value_names_its_key_and_type(tmp_path):
    runner, _ = _runner(tmp_path, """\
        def compute():
            return {"ok": 1, "nested": {"gen": (i for i in range(3))}}
        """)
    with pytest.raises(Exception) as info:
        runner.ensure(["t/s"])
    msg = str(info.value)
    assert "cannot be pickled: nested.gen (generator)" in msg and "died without a result" not in msg, msg


# -- under `mkdocs serve` ------------------------------------------------------------------------------------------
def test_serve_is_not_strict_and_shows_each_problem_once_on_its_page_in_its_language(proj, tmp_path):
    from test_rebuild_speed import in_one_process

    proj.snippet("t/broken", "def compute():\n    raise ValueError('broken on purpose')\n")
    page = {"uk": "# С {{ #s }}\n\n[посилання](nowhere.md)\n\nА <!-- value t/broken:a -->, б <!-- value t/broken:b -->.\n\n"
                  "<!-- output t/broken:stdout -->\n\n$\\fracc{{1}}{{2}}$ і $x^2$.\n\n<!-- Value t/a:x -->\n\n"
                  "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n",
            "en": "# S {{ #s }}\n\n[a link](nowhere.md)\n\nA <!-- value t/broken:a -->, b <!-- value t/broken:b -->.\n\n"
                  "<!-- output t/broken:stdout -->\n\n$\\fracc{{1}}{{2}}$ and $x^2$.\n\n<!-- Value t/a:x -->\n\n"
                  "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n"}
    edits = {f"docs/{lang}/serve.md": text.replace("{{", "{").replace("}}", "}") for lang, text in page.items()}
    try:
        out = in_one_process(proj.root, [{"site": str(tmp_path / "site"), "edits": edits, "command": "serve"}],
                             tmp_path, env={"SNIPPETS_CACHE_DIR": str(proj.cache)})
    finally:
        for rel in edits:
            (proj.root / rel).unlink(missing_ok=True)
        (proj.root / "snippets" / "t" / "broken.py").unlink()
    assert out[0]["ok"], out[0]["error"]  # serve is never strict (strict: true in mkdocs.yml): no abort, no hang
    for lang, rel, titles in (("uk", "serve/index.html", ("Помилка скрипта", "Помилка у формулі", "Попередження")),
                              ("en", "en/serve/index.html", ("Snippet error", "Error in a formula", "Build warning"))):
        html = (tmp_path / "site" / rel).read_text()
        snippet_title, math_title, warning_title = titles
        assert html.count(f'<p class="admonition-title">{snippet_title}</p>') == 1, lang  # one box per snippet
        assert html.count("broken on purpose") <= 3  # the box, and short markers for the other two directives
        assert math_title in html and "\\fracc" in html  # the bad formula's box, in place …
        assert re.search(r"<math[^>]*><mrow><msup><mi>x</mi>", html), lang  # … and the rest is typeset
        assert warning_title in html and "nowhere.md" in html  # the warning a strict build would stop at
        # A comment meant as a directive that does not read: a box in its place; a table row too long: the banner.
        assert "serve.md:11: directive names are lower case: write &lt;!-- value t/a:x --&gt;" in html, lang
        assert "serve.md:15: this table row has 3 cells, its header (line 13) has 2" in html, lang
