"""What the build's caches are keyed on besides the project's files, and how many snippets run at once.

- ``installed_hash()``: one hash of every installed distribution and its version (what ``pip freeze`` lists, and
  more). The snippet cache (``runner.environment_key``) and the notebook HTML cache (``hooks/notebook_pages.py``)
  include it, so a cache restored from another machine or CI run (``.github/workflows/pages.yml``) is reused only
  when every library that could have shaped an output — sympy and mpmath for a snippet, nbconvert and
  mkdocs-jupyter for a notebook page — is the same version.
- ``default_jobs()``: as many parallel snippets as the process may use cores, bounded by the memory available
  (``JOB_MEMORY`` per child); ``SNIPPETS_JOBS=N`` overrides it (the benchmark's one-job cold build).
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from importlib import metadata

# What one snippet child may take: torch + matplotlib imported (shared with the forkserver until written) and the
# snippet's own tensors and figures. Measured peak of the process tree, one snippet: ~0.5 GB (README, Performance).
JOB_MEMORY = 1 << 30


@lru_cache(maxsize=1)
def installed() -> tuple[str, ...]:
    """``name==version`` of every installed distribution, sorted (names normalised as pip does)."""
    found = set()
    for dist in metadata.distributions():
        name = dist.metadata.get("Name") if dist.metadata else None
        if name:
            found.add(f"{name.lower().replace('_', '-').replace('.', '-')}=={dist.version}")
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
