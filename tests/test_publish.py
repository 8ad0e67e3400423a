"""Publishing to GitHub Pages: the workflow, the one repository setting, and a site that works at any mount point.

The browser tests (``test_browser.py``) serve the built site under the ``/<repo>/`` prefix of its ``site_url`` and
follow the language selector and the 404 page there; these tests check the rest without a browser.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _check_jsonschema(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           *map(str, paths)], capture_output=True, text=True, timeout=120)


def test_workflow_files_validate_against_the_github_workflow_schema():
    assert WORKFLOWS, "no workflow in .github/workflows"
    result = _check_jsonschema(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: not-a-list\n")
    result = _check_jsonschema(broken)
    assert result.returncode != 0 and "steps" in result.stdout + result.stderr


def _pages_workflow() -> dict:
    for path in WORKFLOWS:
        wf = yaml.safe_load(path.read_text())
        steps = [s for job in wf["jobs"].values() for s in job.get("steps", [])]
        if any(str(s.get("uses", "")).startswith("actions/deploy-pages@") for s in steps):
            return wf
    pytest.fail("no workflow deploys with actions/deploy-pages")


def test_workflow_tests_and_builds_on_pull_requests_and_deploys_only_from_main():
    wf = _pages_workflow()
    on = wf.get("on", wf.get(True))  # PyYAML reads the bare key `on` as a boolean
    assert on["push"]["branches"] == ["main"] and "pull_request" in on
    assert "concurrency" in wf
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    runs = "\n".join(s.get("run", "") for s in build["steps"])
    assert "./dev test" in runs and "./dev build" in runs  # the README's commands, unchanged
    # A Debian-based Python container (Ubuntu runners have no Debian chromium and do not run as root).
    assert build["container"]["image"].startswith("python:3.11-bookworm")
    # torch's CPU wheel: an extra index only here, never in requirements.txt.
    assert "download.pytorch.org/whl/cpu" in build["env"]["PIP_EXTRA_INDEX_URL"]
    assert "download.pytorch.org" not in (ROOT / "requirements.txt").read_text()
    assert any(str(s.get("uses", "")).startswith("actions/cache@") and "pip" in str(s["with"]["path"])
               for s in build["steps"])
    upload = [s for s in build["steps"] if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@")]
    assert len(upload) == 1 and "pull_request" in upload[0]["if"] and upload[0]["with"]["path"] == "site"
    assert deploy["needs"] == "build" and "pull_request" in deploy["if"] and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    # The site_url follows the repository the workflow runs in.
    assert build["env"]["SITE_REPOSITORY"] == "${{ github.repository }}"


def test_no_repo_url_so_material_never_calls_the_github_api():
    text = (ROOT / "mkdocs.yml").read_text()
    assert not any(line.startswith("repo_url:") for line in text.splitlines())
    assert "repository:" in text


@pytest.mark.slow
@pytest.mark.parametrize("repository, site_url", [
    ("someone/lecture-notes", "https://someone.github.io/lecture-notes/"),   # project pages: under /<repo>/
    ("Someone/someone.github.io", "https://someone.github.io/"),            # a user site: the domain root
])
def test_site_url_and_source_link_derive_from_the_repository_setting(mini, repository, site_url):
    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "extra:\n", 'extra:\n  repository: !ENV [SITE_REPOSITORY, "nobody/unused"]\n', 1))
    mini.page("index.md", "# Home { #home }\n\nText.\n")
    mini.page("other.md", "# Other { #other }\n\nMore text.\n")
    build = mini_build(mini, SITE_REPOSITORY=repository)
    assert build.returncode == 0, build.output[-3000:]
    prefix = urlsplit(site_url).path
    sitemap = (mini.site / "sitemap.xml").read_text()
    assert f"<loc>{site_url}</loc>" in sitemap and f"<loc>{site_url}en/other/</loc>" in sitemap
    # The 404 page is served at any depth: its links are absolute, under the site's own path.
    soup = BeautifulSoup((mini.site / "404.html").read_text(), "html.parser")
    css = [link["href"] for link in soup.select('link[rel="stylesheet"]')]
    assert css and all(href.startswith(prefix + "assets/") for href in css), css
    selector = {a["hreflang"]: a["href"] for a in soup.select("a.md-select__link[hreflang]")}
    assert selector == {"uk": prefix, "en": prefix + "en/"}


def mini_build(mini, **env):
    from conftest import mkdocs_build
    return mkdocs_build(mini.root, mini.site, env={"SNIPPETS_CACHE_DIR": str(mini.cache), **env})


def test_language_selector_links_are_relative_so_the_site_works_at_any_mount_point(built_site):
    """Pages link to their other-language twin relatively: the same build works at a domain root and under a
    project-pages sub-path. (Only the 404 page, served at any depth, needs ``site_url``'s absolute path.)"""
    site = built_site.site
    pages = [p for p in site.rglob("index.html") if not p.relative_to(site).parts[0] in ("assets", "search")]
    assert len(pages) >= 2
    bad = []
    for html in pages:
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        links = {a["hreflang"]: a["href"] for a in soup.select("a.md-select__link[hreflang]")}
        if set(links) != {"uk", "en"}:
            bad.append(f"{html.relative_to(site)}: selector {links}")
            continue
        for lang, href in links.items():
            target = (html.parent / href).resolve() / "index.html"
            if href.startswith(("/", "http:", "https:")) or not target.is_file():
                bad.append(f"{html.relative_to(site)}: {lang} -> {href}")
    assert not bad, "\n".join(bad)


def test_ci_restores_and_saves_the_snippet_and_notebook_caches_before_testing():
    """A per-run key (a cache key is immutable) found by the next run through restore-keys, both scoped to the hash
    of requirements.txt; the entries themselves are keyed by every installed version (tests/test_environment.py)."""
    steps = _pages_workflow()["jobs"]["build"]["steps"]
    at = {i for i, s in enumerate(steps) if str(s.get("uses", "")).startswith("actions/cache@")
          and ".cache/snippets" in s["with"]["path"]}
    assert len(at) == 1, "one actions/cache step for the build's caches"
    i = at.pop()
    cache = steps[i]["with"]
    assert set(cache["path"].split()) == {".cache/snippets", ".cache/mkdocs-jupyter"}
    assert "hashFiles('requirements.txt')" in cache["key"] and "github.run_id" in cache["key"]
    restore = cache["restore-keys"].strip()
    assert cache["key"].startswith(restore) and "hashFiles('requirements.txt')" in restore
    assert "github.run_id" not in restore
    first_test = next(j for j, s in enumerate(steps) if "./dev test" in s.get("run", ""))
    assert i < first_test
