"""What the build's caches are keyed on besides the project's files, and how many snippets run at once.

- ``installed_hash()``: one hash of every installed distribution and its version (what ``pip freeze`` lists, and
  more), but those only the browser tests use (``requirements-browsers.txt``). The snippet cache
  (``runner.environment_key``) and the notebook HTML cache (``hooks/notebook_pages.py``) include it, so a cache restored from another machine or CI run (``.github/workflows/pages.yml``) is reused only
  when every library that could have shaped an output — sympy and mpmath for a snippet, nbconvert and
  mkdocs-jupyter for a notebook page — is the same version.
- ``default_jobs()``: as many parallel snippets as the process may use cores, bounded by the memory available
  (``JOB_MEMORY`` per child); ``SNIPPETS_JOBS=N`` overrides it (the benchmark's one-job cold build).
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from importlib import metadata
from pathlib import Path

# What one snippet child may take: torch + matplotlib imported (shared with the forkserver until written) and the
# snippet's own tensors and figures. Measured peak of the process tree, one snippet: ~0.5 GB (bench/RESULTS.md).
JOB_MEMORY = 1 << 30


# What only the browser tests use (the Firefox and WebKit drivers, tests/engines.py), pinned in a file of its own that
# ``./dev test`` installs: none of it can shape a snippet's output or a page, so installing or upgrading it moves no
# cache entry. Every name pinned there is left out of ``installed()`` — a name also in requirements.txt is not.
TEST_ONLY = Path(__file__).resolve().parent.parent / "requirements-browsers.txt"


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _pinned(path: Path) -> set[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return set()
    return {_normalise(re.split(r"[=<>!~\[; ]", line.strip(), maxsplit=1)[0])
            for line in lines if line.strip() and not line.lstrip().startswith(("#", "-"))}


def test_only() -> frozenset[str]:
    """The distributions only the browser tests need: pinned in requirements-browsers.txt, not in requirements.txt.

    >>> "websockets" in test_only() and "torch" not in test_only() and "urllib3" not in test_only()
    True
    """
    return frozenset(_pinned(TEST_ONLY) - _pinned(TEST_ONLY.with_name("requirements.txt")))


@lru_cache(maxsize=1)
def installed() -> tuple[str, ...]:
    """``name==version`` of every installed distribution, sorted (names normalised as pip does), but those only the
    browser tests use (:func:`test_only`)."""
    found = set()
    skip = test_only()
    for dist in metadata.distributions():
        name = dist.metadata.get("Name") if dist.metadata else None
        if name and _normalise(name) not in skip:
            found.add(f"{_normalise(name)}=={dist.version}")
    return tuple(sorted(found))


def installed_hash() -> str:
    """A short hash of :func:`installed`.

    >>> import re; bool(re.fullmatch(r"[0-9a-f]{16}", installed_hash()))
    True
    >>> any(d.startswith("sympy==") for d in installed()) and any(d.startswith("nbconvert==") for d in installed())
    True
    """
    return hashlib.sha256("\n".join(installed()).encode()).hexdigest()[:16]


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def available_memory() -> int | None:
    try:
        import psutil
    except ImportError:
        return None
    return int(psutil.virtual_memory().available)


def default_jobs(env: dict | None = None, n_cores: int | None = None, memory: int | None = None) -> int:
    """Parallel snippets: one per core, no more than the available memory holds, at least one.

    >>> default_jobs({}, n_cores=8, memory=64 << 30), default_jobs({}, n_cores=8, memory=3 << 30)
    (8, 3)
    >>> default_jobs({}, n_cores=2, memory=100 << 20), default_jobs({"SNIPPETS_JOBS": "1"}, n_cores=8, memory=64 << 30)
    (1, 1)
    """
    env = os.environ if env is None else env
    if env.get("SNIPPETS_JOBS"):
        return max(1, int(env["SNIPPETS_JOBS"]))
    n_cores = cores() if n_cores is None else n_cores
    memory = available_memory() if memory is None else memory
    by_memory = n_cores if memory is None else memory // JOB_MEMORY
    return max(1, min(n_cores, by_memory))
