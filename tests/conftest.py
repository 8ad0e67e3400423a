"""Shared fixtures: one strict build of the real site for the whole session, and throwaway projects for the runner.

The built site is made once (``built_site``) with the project's snippet cache, and every test that reads the site
(HTML checks, browser tests, parity) uses it. Runner tests build small projects in ``tmp_path`` with their own
cache, so they can count executions exactly. In Chromium, every page is loaded once per viewport and colour scheme
(``site_visits``, ``tests/browser.py``) and the page checks of ``test_browser``, ``test_layout`` and ``test_reader``
read those records.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

# The small WebKitGTK browser runs on Debian's python3 with python3-gi (tests/engines.py), not in the venv: not a test
# module, and not importable here for its doctests.
collect_ignore = ["webkit_browser.py"]

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]
FONTS_CONF = ROOT / "tests" / "fonts" / "fonts.conf"
SUMMARY = re.compile(r"snippets: (\d+) total, (\d+) executed, (\d+) cached, ([\d.]+) s")


@dataclass
class Build:
    returncode: int
    output: str
    site: Path

    @property
    def summary(self) -> tuple[int, int, int]:
        found = SUMMARY.findall(self.output)
        assert found, f"no summary line in build output:\n{self.output[-3000:]}"
        total, executed, cached, _ = found[-1]
        return int(total), int(executed), int(cached)


def mkdocs_build(project: Path, site: Path, *extra: str, env: dict | None = None, timeout: int = 600) -> Build:
    full_env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
    proc = subprocess.run([*MKDOCS, "build", "--strict", "-d", str(site), *extra], cwd=project, env=full_env,
                          capture_output=True, text=True, timeout=timeout)
    return Build(proc.returncode, proc.stdout + proc.stderr, site)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Build:
    """The real site, built once per test session with ``mkdocs build --strict``. Under ``pytest -n`` the first
    process that needs it builds it and the others wait for that build and read it (a file lock in the run's
    temporary directory, which its processes share)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        build = mkdocs_build(ROOT, tmp_path_factory.mktemp("site") / "site", env={"SOURCE_DATE_EPOCH": "1700000000"})
    else:
        from filelock import FileLock

        shared = tmp_path_factory.getbasetemp().parent  # the run's directory; each process has its own below it
        record = shared / "built_site.json"
        with FileLock(str(shared / "built_site.lock")):
            if record.exists():
                build = Build(**json.loads(record.read_text(encoding="utf-8")))
                build.site = Path(build.site)
            else:
                build = mkdocs_build(ROOT, shared / "site", env={"SOURCE_DATE_EPOCH": "1700000000"})
                record.write_text(json.dumps({"returncode": build.returncode, "output": build.output,
                                              "site": str(build.site)}), encoding="utf-8")
    assert build.returncode == 0, build.output[-6000:]
    return build


# -- throwaway projects ----------------------------------------------------------------------------------------
MINI_CONFIG = """\
site_name: mini
docs_dir: docs
strict: true
theme:
  name: material
  language: uk
  font: false
hooks:
  - {hook}
  - {i18n_hook}
  - {speed_hook}
extra:
  snippets:
    timeout: {timeout}
plugins:
  - search
  - i18n:
      docs_structure: folder
      fallback_to_default: false
      languages:
        - locale: uk
          name: Українська
          default: true
        - locale: en
          name: English
markdown_extensions:
  - attr_list
  - md_in_html
  - tables
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.superfences
  - pymdownx.snippets:
      base_path: ["."]
      check_paths: true
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""


class MiniProject:
    """A tiny two-language site using the real hook; snippets append a line to ``../runs.log`` when executed."""

    def __init__(self, root: Path, timeout: float = 60):
        self.root = root
        (root / "docs" / "uk").mkdir(parents=True)
        (root / "docs" / "en").mkdir(parents=True)
        (root / "snippets" / "t").mkdir(parents=True)
        (root / "snippets" / "__init__.py").write_text("")
        (root / "snippets" / "t" / "__init__.py").write_text("")
        (root / "mkdocs.yml").write_text(MINI_CONFIG.format(
            hook=ROOT / "hooks" / "snippets.py", i18n_hook=ROOT / "hooks" / "i18n_site.py",
            speed_hook=ROOT / "hooks" / "rebuild_speed.py", timeout=timeout))
        self.cache = root / ".cache"
        self.site = root / "site"

    def snippet(self, name: str, body: str) -> Path:
        p = self.root / "snippets" / f"{name}.py"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(body))
        return p

    def page(self, name: str, uk: str, en: str | None = None):
        (self.root / "docs" / "uk" / name).write_text(textwrap.dedent(uk))
        (self.root / "docs" / "en" / name).write_text(textwrap.dedent(en if en is not None else uk))

    def build(self, *extra: str) -> Build:
        return mkdocs_build(self.root, self.site, *extra, env={"SNIPPETS_CACHE_DIR": str(self.cache)})

    def runs(self) -> list[str]:
        log = self.root.parent / "runs.log"  # outside the project: a snippet may not write into it
        return log.read_text().split() if log.exists() else []

    def clear_runs(self):
        (self.root.parent / "runs.log").unlink(missing_ok=True)


COUNTING = """\
import os
from pathlib import Path

def _mark(name):
    # Next to the project, not in it: a snippet that writes into the project fails the build (snippets/README.md).
    with open(Path(__file__).resolve().parents[{depth}].parent / "runs.log", "a") as fh:
        fh.write(name + "\\n")
"""


@pytest.fixture
def mini(tmp_path) -> MiniProject:
    return MiniProject(tmp_path / "proj")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing in CI: ./dev test installs it; browser tests never skip in CI")
        pytest.skip("chromium not installed (run ./dev test, which installs it)")
    return path


@pytest.fixture(scope="session")
def chromium(chromium_path):
    """The one Chromium of the test session (Playwright's sync API allows one instance per thread at a time)."""
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"]
    # Only the fonts the project installs (tests/fonts/fonts.conf): what the tests measure is the same on every machine.
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=args, headless=True, env=env)
        yield browser
        browser.close()


# -- the built site in Chromium -------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def site_server(built_site):
    """The built site served as GitHub Pages will serve it: under the path prefix of its ``site_url``."""
    from browser import SiteServer, site_prefix

    with SiteServer(built_site.site, site_prefix(built_site.site)) as server:
        yield server


@pytest.fixture(scope="session")
def site_visits(chromium, site_server, built_site) -> dict:
    """{(width, scheme, rel): Visit}: every page of both languages loaded once per viewport (laptop 1280×800, phone
    390×844) and colour scheme, the 404 page on a laptop; ``tests/browser.py`` ``visit_site`` says what is recorded."""
    from browser import LANGS, site_pages, visit_site
    from sitegen.topics import load as load_topics

    pages = site_pages(built_site.site)
    assert {p.lang for p in pages} == set(LANGS), pages
    return visit_site(chromium, site_server, pages, tuple(t.slug for t in load_topics()))
