"""The snippet pipeline end to end: run once per build, cache, loud failures, staged output, directives."""

from __future__ import annotations

import re

import pytest

from conftest import COUNTING

pytestmark = pytest.mark.slow

SNIPPET_A = COUNTING.format(depth=2) + """
from snippets.t import _helper

def compute():
    _mark("a")
    return {"x": _helper.THREE * 0.5, "neg": -2.5, "n": 5}

def tables(r, lang):
    from sitegen.snippet import Table
    return {"tab": Table(["k", "v"], [["x", r["x"]]], formats=[None, ".2f"])}
"""

SNIPPET_B = COUNTING.format(depth=2) + """
def compute():
    _mark("b")
    print("<script>alert(1)</script>")
    return {"y": 7}

def report(r, lang):
    print({"uk": "сім: {}", "en": "seven: {}"}[lang].format(r["y"]))
"""

PAGE = """\
# Page {{ #page }}

Value: <!-- value t/a:x fmt=".3f" -->, minus: <!-- value t/a:neg fmt=".1f" -->,
<!-- value t/a:n one="вузол" few="вузли" many="вузлів" other="вузла" -->.

<!-- table t/a:tab -->

<!-- output t/b:stdout -->

{extra}
"""


def _setup(mini):
    mini.snippet("t/_helper", "THREE = 3\n")
    mini.snippet("t/a", SNIPPET_A)
    mini.snippet("t/b", SNIPPET_B)
    mini.page("index.md", PAGE.format(extra=""))


def test_runs_once_per_build_then_caches(mini):
    _setup(mini)
    first = mini.build()
    assert first.returncode == 0, first.output
    # Two languages are built, yet every snippet ran exactly once.
    assert sorted(mini.runs()) == ["a", "b"]
    assert first.summary == (2, 2, 0)
    uk = (mini.site / "index.html").read_text()
    en = (mini.site / "en" / "index.html").read_text()
    # 3 × 0.5 formatted per language: decimal comma and U+2212 minus in Ukrainian.
    assert "1,500" in uk and "\u22122,5" in uk and "5\u00a0вузлів" in uk
    assert "1.500" in en and "\u22122.5" in en
    # Printed output is escaped, never executed.
    assert "<script>alert(1)</script>" not in uk and "&lt;script&gt;alert(1)&lt;/script&gt;" in uk
    # What compute() printed is shown on both pages, then what report() printed in the page's language: the
    # snippet ran once, its report once per language.
    for page, mine, other in ((uk, "сім: 7", "seven"), (en, "seven: 7", "сім")):
        out = re.search(r'<pre[^>]*>(?:<span></span>)?<code>(.*?)</code></pre>', page, re.S).group(1)
        assert "alert(1)" in out and mine in out and other not in out, out

    mini.clear_runs()
    second = mini.build()
    assert second.returncode == 0, second.output
    assert mini.runs() == [] and second.summary == (2, 0, 2)


def test_prose_edit_runs_nothing_and_helper_edit_reruns_its_importers(mini):
    _setup(mini)
    assert mini.build().returncode == 0
    mini.clear_runs()
    mini.page("index.md", PAGE.format(extra="A new paragraph of prose."))
    prose = mini.build()
    assert prose.returncode == 0 and mini.runs() == [] and prose.summary == (2, 0, 2)
    assert "A new paragraph of prose." in (mini.site / "index.html").read_text()

    mini.snippet("t/_helper", "THREE = 3.0  # edited\n")
    helper = mini.build()
    assert helper.returncode == 0, helper.output
    assert mini.runs() == ["a"] and helper.summary == (2, 1, 1)

    mini.clear_runs()
    mini.snippet("t/b", SNIPPET_B + "\n# an edit\n")
    edit = mini.build()
    assert mini.runs() == ["b"] and edit.summary == (2, 1, 1)


def test_raising_snippet_fails_with_its_traceback_and_page(mini):
    _setup(mini)
    mini.snippet("t/bad", """\
        def compute():
            values = {"a": 1}
            return values["missing"]
        """)
    mini.page("bad.md", "# Bad { #bad }\n\nText <!-- value t/bad:a -->\n")
    build = mini.build()
    assert build.returncode != 0
    assert "snippets/t/bad.py:3" in build.output  # the snippet's own file and line
    assert "docs/en/bad.md:3" in build.output or "docs/uk/bad.md:3" in build.output  # the embedding page
    assert "KeyError" in build.output
    assert not mini.site.exists(), "a failed build must not leave a site at the output path"
    assert not (mini.root / "site.staging").exists(), "nor a half-built staging folder"


def test_failed_build_leaves_previous_site_untouched(mini):
    _setup(mini)
    assert mini.build().returncode == 0
    before = (mini.site / "index.html").read_text()
    mini.page("index.md", PAGE.format(extra="[broken](nowhere.md)"))
    broken = mini.build()
    assert broken.returncode != 0 and "nowhere.md" in broken.output
    assert (mini.site / "index.html").read_text() == before


def test_hung_snippet_is_killed_at_timeout(mini):
    _setup(mini)
    mini.snippet("t/hang", """\
        import time
        TIMEOUT = 2

        def compute():
            time.sleep(600)
            return {}
        """)
    mini.page("hang.md", "# Hang { #hang }\n\n<!-- value t/hang:x -->\n")
    build = mini.build()
    assert build.returncode != 0
    assert "timed out after 2 s" in build.output and "t/hang" in build.output
    assert re.search(r"docs/(uk|en)/hang\.md:3", build.output)


@pytest.mark.parametrize("directive, message", [
    ("<!-- valeu t/a:x -->", "unknown directive 'valeu'"),
    ("<!-- value t/a:nope -->", "unknown value 'nope'"),
    ("<!-- table t/a:nope -->", "unknown table 'nope'"),
    ("<!-- value t/missing:x -->", "unknown snippet 't/missing' (no file snippets/t/missing.py)"),
])
def test_unknown_directive_output_or_snippet_fails_naming_page_and_line(mini, directive, message):
    _setup(mini)
    mini.page("extra.md", f"# Extra {{ #extra }}\n\nLine three is next.\n{directive}\n")
    build = mini.build()
    assert build.returncode != 0
    assert message in build.output, build.output[-2000:]
    assert re.search(r"docs/(uk|en)/extra\.md:4", build.output), build.output[-2000:]


def test_declared_exception_is_an_output_and_undeclared_is_an_error(mini):
    _setup(mini)
    mini.snippet("t/script", """\
        print("before")
        EXPECT_EXCEPTION = "ZeroDivisionError"
        1 / 0
        """)
    mini.page("script.md", "# S { #s }\n\n<!-- output t/script:stdout -->\n\n<!-- output t/script:exception -->\n")
    ok = mini.build()
    assert ok.returncode == 0, ok.output
    html = (mini.site / "script" / "index.html").read_text()
    assert "before" in html and "ZeroDivisionError: division by zero" in html

    mini.snippet("t/script", 'EXPECT_EXCEPTION = "KeyError"\n1 / 0\n')
    bad = mini.build()
    assert bad.returncode != 0 and "ZeroDivisionError" in bad.output and "snippets/t/script.py:2" in bad.output


def test_real_site_builds_strictly_in_both_languages(built_site):
    assert (built_site.site / "index.html").exists() and (built_site.site / "en" / "index.html").exists()
    total, executed, cached = built_site.summary
    assert total == executed + cached and total >= 1
    uk = (built_site.site / "index.html").read_text()
    en = (built_site.site / "en" / "index.html").read_text()
    assert '<html lang="uk"' in uk and '<html lang="en"' in en
    # Math is typeset at build time: MathML, no TeX delimiters, no math JavaScript.
    assert "<math" in uk and "\\(" not in uk and "mathjax" not in uk.lower() and "katex" not in uk.lower()


def test_serve_shows_a_failing_snippet_on_the_page_and_keeps_running(mini):
    """Under `mkdocs serve` a failure is logged and shown where the number would be; no stale value is shown
    (the Ukrainian page: the error box is titled in the page's language)."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    _setup(mini)
    mini.snippet("t/bad", 'def compute():\n    raise ValueError("broken on purpose")\n')
    mini.page("bad.md", "# Bad { #bad }\n\nValue: <!-- value t/bad:x -->\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SNIPPETS_CACHE_DIR=str(mini.cache))
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
                            cwd=mini.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, body = time.monotonic() + 120, None
        while time.monotonic() < deadline and body is None:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/bad/", timeout=5).read().decode()
            except OSError:
                time.sleep(0.5)
        assert body is not None, "mkdocs serve did not come up"
        # The box speaks the page's language (the mini site is Ukrainian): «Помилка скрипта», not "Snippet error".
        assert "Помилка скрипта" in body and "Snippet error" not in body
        assert "broken on purpose" in body and "snippets/t/bad.py:2" in body
        ok = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
        assert "1,500" in ok  # the other page still shows its numbers
        assert proc.poll() is None, "the server must keep running"
    finally:
        proc.terminate()
        out = proc.communicate(timeout=30)[0]
    assert "broken on purpose" in out


def test_a_script_run_by_another_snippet_is_a_dependency(mini):
    """Files a snippet reads without importing them (runpy, open) invalidate its cache entry too."""
    _setup(mini)
    mini.snippet("t/script", 'print("v1")\n')
    mini.snippet("t/runner", COUNTING.format(depth=2) + """
import contextlib, io, runpy
from pathlib import Path

def compute():
    _mark("runner")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        runpy.run_path(str(Path(__file__).with_name("script.py")))
    return {"printed": buf.getvalue().strip()}
""")
    mini.page("r.md", "# R { #r }\n\nPrinted: <!-- value t/runner:printed -->\n")
    assert mini.build().returncode == 0
    mini.clear_runs()
    mini.snippet("t/script", 'print("v2")\n')
    again = mini.build()
    assert again.returncode == 0, again.output
    assert mini.runs() == ["runner"]
    assert "Printed: v2" in (mini.site / "r" / "index.html").read_text()


def test_an_edit_during_the_run_is_not_cached(mini):
    """If a file the snippet read changes while it runs, its result is used once but not cached."""
    _setup(mini)
    mini.snippet("t/racy", COUNTING.format(depth=2) + """
from snippets.t import _helper

def compute():
    import subprocess, sys
    _mark("racy")
    # An author saves the helper while the snippet is still running (another process: the snippet itself may not
    # write into the project).
    subprocess.run([sys.executable, "-c", "import sys; open(sys.argv[1], 'w').write('THREE = 3  # saved\\\\n')",
                    _helper.__file__], check=True)
    return {"v": _helper.THREE}
""")
    mini.page("racy.md", "# R { #r }\n\n<!-- value t/racy:v -->\n")
    assert mini.build().returncode == 0
    assert "racy" in mini.runs()
    mini.clear_runs()
    again = mini.build()
    assert again.returncode == 0
    assert "racy" in mini.runs(), "a result computed from a file edited mid-run must not be served from the cache"
