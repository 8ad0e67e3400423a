"""``mkdocs serve --livereload`` really reloads the open page, and a rebuild runs only what changed.

Since click 8.3, MkDocs' live reload is off unless ``--livereload`` is given (``./dev serve`` gives it). The test
serves a throwaway ``mini`` project on a free port, opens its page in the session's Chromium, then

1. edits the page's Markdown: the open page reloads by itself (a marker set on ``window`` is gone) with the new text,
   and the rebuild's summary line says no snippet was executed;
2. edits one snippet: exactly that snippet re-runs and the page shows its new value.

No timing is asserted (the benchmark, ``bench/bench.py``, measures the latency); deadlines are only generous
upper bounds so a broken reload fails instead of hanging.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import COUNTING, SUMMARY

pytestmark = [pytest.mark.browser, pytest.mark.slow]

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
    def __init__(self, mini):
        self.mini = mini
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = mini.root / "serve.log"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SNIPPETS_CACHE_DIR=str(mini.cache))
        with open(self.log, "w") as fh:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{self.port}"],
                cwd=mini.root, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def summaries(self) -> list[tuple[int, int, int]]:
        return [(int(t), int(e), int(c)) for t, e, c, _ in SUMMARY.findall(self.output())]

    def wait_for_summary(self, count: int) -> tuple[int, int, int]:
        """The ``count``-th summary line (1-based), once the server has logged it."""
        def ready():
            assert self.proc.poll() is None, f"mkdocs serve exited:\n{self.output()[-3000:]}"
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
