"""``mkdocs serve --livereload`` really reloads the open page, and a rebuild runs only what changed.

With click 8.3.x, MkDocs' live reload was off unless ``--livereload`` was given (mkdocs#4032); with the pinned click
8.5.1 it is on by default, and ``./dev serve`` gives the flag anyway, as this test does. The test serves a throwaway ``mini`` project on a free port, opens its page in the session's Chromium, then

1. edits the page's Markdown: the open page reloads by itself (a marker set on ``window`` is gone) with the new text,
   and the rebuild's summary line says no snippet was executed;
2. edits one snippet: exactly that snippet re-runs and the page shows its new value.

No timing is asserted (the benchmark, ``bench/bench.py``, measures the latency); deadlines are only generous
upper bounds so a broken reload fails instead of hanging.

A plain ``mkdocs serve`` (``strict: true`` in mkdocs.yml, no ``--no-strict``) is never strict: a broken link added
while it runs is a banner on its page and the server keeps answering, while ``mkdocs build`` of the same project
still fails (``hooks/snippets.py`` ``_not_strict``, which leans on how MkDocs 1.6 and mkdocs-static-i18n count
warnings: this test is what notices when that changes).

A topic added while ``mkdocs serve`` runs (README "Adding a topic", step by step, in a copy of the real project)
gets its navigation entry, its notebook page and its home card at the next rebuild, and a term added to
``termbase.yml`` its glossary entry: both files are watched (mkdocs.yml ``watch:``) and read afresh by every build.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

import newtopic
from conftest import COUNTING, ROOT, SUMMARY

pytestmark = pytest.mark.slow

DEADLINE = 180  # seconds; generous on a loaded 2-core machine, never reached when reload works

SNIPPET_A = COUNTING.format(depth=2) + """
def compute():
    _mark("a")
    return {"x": 41}
"""

SNIPPET_B = COUNTING.format(depth=2) + """
def compute():
    _mark("b")
    return {"y": 7}
"""

PAGE = """\
# Serve {{ #serve }}

Value a: <!-- value t/a:x -->. Value b: <span id="b"><!-- value t/b:y --></span>.

{extra}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, what: str, deadline: float = DEADLINE):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what} after {deadline} s")


class Serve:
    def __init__(self, mini, args=("--livereload",)):
        self.mini = mini
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = mini.root / "serve.log"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SNIPPETS_CACHE_DIR=str(mini.cache))
        with open(self.log, "w") as fh:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "mkdocs", "serve", *args, "-a", f"127.0.0.1:{self.port}"],
                cwd=mini.root, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def summaries(self) -> list[tuple[int, int, int]]:
        return [(int(t), int(e), int(c)) for t, e, c, _ in SUMMARY.findall(self.output())]

    def wait_for_summary(self, count: int) -> tuple[int, int, int]:
        """The ``count``-th summary line (1-based), once the server has logged it."""
        def ready():
            assert self.proc.poll() is None, f"mkdocs serve exited:\n{self.output()[-3000:]}"
            assert "appear stuck" not in self.output(), f"mkdocs serve is stuck:\n{self.output()[-3000:]}"
            found = self.summaries()
            return found[count - 1] if len(found) >= count else None
        return _wait(ready, f"build #{count} under mkdocs serve")

    def wait_http(self):
        def up():
            assert self.proc.poll() is None, f"mkdocs serve exited:\n{self.output()[-3000:]}"
            try:
                with urllib.request.urlopen(self.url, timeout=5) as r:
                    return r.status == 200
            except OSError:
                return False
        _wait(up, f"mkdocs serve to answer on {self.url}")

    def get(self, path: str = "") -> str:
        """The page at ``path``; a server stuck after a strict abort fails here instead of hanging the test."""
        with urllib.request.urlopen(self.url + path, timeout=30) as r:
            assert r.status == 200, (path, r.status)
            return r.read().decode("utf-8")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the server and the snippet forkserver it started
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


@pytest.fixture
def served(mini):
    mini.snippet("t/a", SNIPPET_A)
    mini.snippet("t/b", SNIPPET_B)
    mini.page("index.md", PAGE.format(extra="First version."))
    # Like the real mkdocs.yml: snippets are watched, so editing one triggers a rebuild.
    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text() + "watch:\n  - snippets\n")
    server = Serve(mini)
    try:
        server.wait_http()
        yield server
    finally:
        server.stop()


@pytest.mark.browser
def test_prose_edit_reloads_the_browser_without_running_snippets_and_snippet_edit_reruns_only_it(
        served, mini, chromium):
    first = served.wait_for_summary(1)
    assert first == (2, 2, 0) and sorted(mini.runs()) == ["a", "b"]  # the initial build ran each snippet once
    mini.clear_runs()

    context = chromium.new_context()
    page = context.new_page()
    try:
        page.goto(served.url, wait_until="load")
        assert "First version." in page.inner_text("article")
        assert page.inner_text("#b").strip() == "7"

        # 1. A prose edit: the open page reloads by itself and shows the new text; no snippet runs.
        page.evaluate("window.__beforeReload = true")
        mini.page("index.md", PAGE.format(extra="Second version, edited under serve."))
        page.wait_for_function("() => document.body && document.body.innerText.includes('Second version')",
                               timeout=DEADLINE * 1000)
        assert page.evaluate("window.__beforeReload === undefined"), "the text changed without a page reload"
        assert "First version." not in page.inner_text("article")
        assert served.wait_for_summary(2) == (2, 0, 2), served.output()[-3000:]
        assert mini.runs() == []
        builds_so_far = len(served.summaries())
        assert all(executed == 0 for _, executed, _ in served.summaries()[1:])

        # 2. A snippet edit: exactly that snippet re-runs, and the reloaded page shows its new value.
        page.evaluate("window.__beforeReload = true")
        mini.snippet("t/b", SNIPPET_B.replace('{"y": 7}', '{"y": 8}'))
        page.wait_for_function("() => document.querySelector('#b') && "
                               "document.querySelector('#b').innerText.trim() === '8'", timeout=DEADLINE * 1000)
        assert page.evaluate("window.__beforeReload === undefined")
        later = served.summaries()[builds_so_far:]
        assert (2, 1, 1) in later and sum(executed for _, executed, _ in later) == 1, served.output()[-3000:]
        assert mini.runs() == ["b"]
        assert "Second version, edited under serve." in page.inner_text("article")
    finally:
        context.close()


HOME = {"uk": "# Головна {{ #home }}\n\nЗначення <!-- value t/a:x -->.\n{extra}",
        "en": "# Home {{ #home }}\n\nValue <!-- value t/a:x -->.\n{extra}"}
BANNER = {"uk": "Попередження збирання (строге збирання зупинилося б)",
          "en": "Build warning (a strict build would stop here)"}


def _home(extra: str = "") -> tuple[str, str]:
    return HOME["uk"].format(extra=extra), HOME["en"].format(extra=extra)


@pytest.mark.parametrize("args", [(), ("--clean",)], ids=["serve", "serve-clean"])
def test_plain_mkdocs_serve_shows_a_broken_link_as_a_banner_and_keeps_answering_while_build_stays_strict(
        mini, tmp_path, args):
    """``mkdocs serve`` as every MkDocs user types it (``--clean`` announces itself to plugins as a build)."""
    assert "strict: true" in (mini.root / "mkdocs.yml").read_text()
    mini.snippet("t/a", "def compute():\n    return {'x': 41}\n")
    mini.page("index.md", *_home())
    mini.page("other.md", "# Інша { #other }\n\nТекст.\n", "# Other { #other }\n\nText.\n")
    server = Serve(mini, args=args)
    try:
        server.wait_http()
        server.wait_for_summary(1)
        assert BANNER["uk"] not in server.get()
        # A broken link while editing: under strict the rebuild would abort and every request would hang.
        mini.page("index.md", *_home("\n[далі](missing.md) / [next](missing.md)\n"))
        server.wait_for_summary(2)
        for lang, path in (("uk", ""), ("en", "en/")):
            html = server.get(path)
            assert BANNER[lang] in html and "missing.md" in html, (lang, server.output()[-3000:])
            assert ">41<" in html or "41." in html  # the rest of the page is there
        # An edit elsewhere: the home page is rendered from memory (hooks/rebuild_speed.py) and keeps its banner.
        mini.page("other.md", "# Інша { #other }\n\nНовий текст.\n", "# Other { #other }\n\nNew text.\n")
        server.wait_for_summary(3)
        assert "Новий текст." in server.get("other/") and BANNER["uk"] in server.get()
        out = server.output()
        assert "appear stuck" not in out and "strict mode" not in out, out[-3000:]
        assert "missing.md" in out  # logged as well
    finally:
        server.stop()
    # The same project, plain `mkdocs build` (strict from mkdocs.yml, no --strict flag): fails on the link.
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")], cwd=mini.root,
                           env=dict(os.environ, NO_MKDOCS_2_WARNING="1", SNIPPETS_CACHE_DIR=str(mini.cache)),
                           capture_output=True, text=True, timeout=600)
    out = build.stdout + build.stderr
    assert build.returncode != 0, out[-3000:]
    assert "missing.md" in out and re.search(r"Aborted with \d+ warnings in strict mode!", out), out[-3000:]


TERM = """\
  - id: softmax-function
    topic: softmax
    uk: софтмакс
    en: softmax
    def_uk: функція, що перетворює вектор оцінок на ймовірності, які в сумі дають одиницю
    def_en: the function that turns a vector of scores into probabilities that sum to one
    why: усталена назва функції в українських курсах машинного навчання

"""


def _nav(html: str) -> str:
    return html[html.index("md-nav--primary"):]


def _quiet(server, seconds: float = 4.0):
    """Wait until no build has finished for ``seconds`` (the rebuilds that edits set off are over)."""
    def settled():
        n = len(server.summaries())
        time.sleep(seconds)
        return len(server.summaries()) == n
    _wait(settled, "mkdocs serve to settle")


def test_a_topic_added_and_a_term_added_show_up_under_a_running_serve_without_a_restart(tmp_path):
    root = newtopic.copy_project(ROOT, tmp_path / "proj",
                                 Path(os.environ.get("SNIPPETS_CACHE_DIR") or ROOT / ".cache" / "snippets"))
    server = Serve(SimpleNamespace(root=root, cache=root / ".cache" / "snippets"))
    try:
        server.wait_http()
        server.wait_for_summary(1)
        assert 'href="softmax/"' not in _nav(server.get())

        # The guide's steps, in its order, while the server runs: snippet and pages, the entry, the notebooks.
        newtopic.write_files(root)
        newtopic.add_entry(root)
        newtopic.make_notebooks(root)

        def topic_served():
            try:
                home, nb, en_nb = server.get(), server.get("notebooks/softmax/"), server.get("en/notebooks/softmax/")
            except urllib.error.HTTPError:
                return None
            nav = _nav(home)
            return (home, nb, en_nb) if 'href="softmax/"' in nav and 'href="notebooks/softmax/"' in nav else None
        home, nb, en_nb = _wait(topic_served, "the new topic's page and notebook page")
        _quiet(server)
        # One more rebuild from the settled state: it reports nothing (no missing page, no stray notebook).
        before, n = len(server.output()), len(server.summaries())
        (root / "topics.yml").write_text((root / "topics.yml").read_text(encoding="utf-8"), encoding="utf-8")
        server.wait_for_summary(n + 1)
        log = server.output()[before:]
        assert "ERROR" not in log and "WARNING" not in log, log[-3000:]
        home, page = server.get(), server.get("softmax/")
        links = re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*(?:<span[^>]*>)?\s*([^<]*?)\s*<', _nav(home))
        assert "None" not in links, links
        assert "Софтмакс" in _nav(home)  # the page's H1 is its title, in the navigation too
        assert 'class="snippet-error' not in page and "0,659" in page, page[:2000]
        assert "Ймовірності трьох класів" in server.get("notebooks/softmax/")
        assert "The probabilities of three classes" in server.get("en/notebooks/softmax/")

        # A term added to termbase.yml: its glossary entry at the next rebuild.
        assert 'id="softmax-function"' not in server.get("glossary/")
        base = root / "termbase.yml"
        base.write_text(base.read_text(encoding="utf-8").replace("concepts:\n\n", "concepts:\n\n" + TERM, 1),
                        encoding="utf-8")

        def term_served():
            return 'id="softmax-function"' in server.get("glossary/") and \
                'id="softmax-function"' in server.get("en/glossary/")
        _wait(term_served, "the new term in both glossaries")
        # ... in a section of the new topic's own, titled as in topics.yml
        assert 'id="topic-softmax"' in server.get("glossary/") and "Софтмакс" in server.get("glossary/")
        assert "appear stuck" not in server.output()
    finally:
        server.stop()
