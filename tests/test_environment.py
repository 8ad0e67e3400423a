"""Caches are reused only in the environment that made them; the runner uses the machine's cores.

A snippet or notebook cache restored from another CI run (``.github/workflows/pages.yml``) must miss when any
installed distribution differs: its key holds a hash of every installed ``name==version``.
"""

from __future__ import annotations

import nbformat

from sitegen import environment, runner
from sitegen.environment import default_jobs, installed, installed_hash


def test_the_key_covers_every_installed_distribution_not_only_a_list(monkeypatch):
    names = {d.split("==")[0] for d in installed()}
    # Snippets import these besides torch/matplotlib/numpy; the notebook pages depend on these.
    assert {"sympy", "mpmath", "nbconvert", "mkdocs-jupyter", "latex2mathml"} <= names
    before = runner.environment_key()
    monkeypatch.setattr(environment, "installed", lambda: tuple(sorted(installed() + ("sympy==0.0.1",))))
    after = runner.environment_key()
    assert before["installed"] != after["installed"] and before["torch"] == after["torch"]


def test_packages_only_the_browser_tests_use_leave_the_key_alone():
    """The Firefox and WebKit drivers' packages (requirements-browsers.txt) are installed, and not in the key."""
    from importlib import metadata

    only = environment.test_only()
    assert "websockets" in only and "selenium" in only, only
    assert metadata.version("websockets") and metadata.version("selenium")  # ./dev test installed them
    names = {d.split("==")[0] for d in installed()}
    assert not only & names, only & names
    assert {"torch", "urllib3", "playwright"} <= names  # what requirements.txt pins stays, also where shared


def test_a_changed_distribution_moves_every_snippet_entry(monkeypatch, tmp_path):
    a = runner.Runner(tmp_path, cache_dir=tmp_path / "c")
    monkeypatch.setattr(environment, "installed", lambda: ("mpmath==0.0.1",))
    b = runner.Runner(tmp_path, cache_dir=tmp_path / "c")
    assert a._entry_path("x/y") != b._entry_path("x/y")


def test_the_notebook_copy_mkdocs_jupyter_hashes_carries_the_environment(built_site):
    from tests.conftest import ROOT

    rendered = sorted((ROOT / ".cache" / "notebooks").rglob("*.ipynb"))
    assert rendered, "the build wrote no filled notebook"
    for path in rendered:
        meta = nbformat.read(path, as_version=4).metadata
        assert meta["dl_basics_build"]["installed"] == installed_hash(), path


def test_jobs_follow_cores_bounded_by_memory():
    gib = 1 << 30
    jobs = environment.JOB_MEMORY // gib
    assert default_jobs({}, n_cores=16, memory=64 * gib) == 16
    assert default_jobs({}, n_cores=16, memory=5 * gib) == 5 // jobs
    assert default_jobs({}, n_cores=1, memory=64 * gib) == 1
    assert default_jobs({"SNIPPETS_JOBS": "3"}) == 3
    assert runner.Runner(".").jobs == default_jobs()
