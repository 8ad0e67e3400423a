"""Results a build computes again from the same input, kept in memory and on disk (``.cache/pages/``).

A warm ``mkdocs build`` and every ``mkdocs serve`` rebuild repeat, for pages nobody touched, the same pure work: the
language check of each file, the glossary links, the MathML, the search word forms, the HTML post-processing. Each
such step asks a :class:`Store` for its result under a key made of

- everything the step reads (the page's text, the termbase's bytes, the language, …: the caller lists them),
- the code that computes it: the bytes of every ``sitegen/*.py`` and ``hooks/*.py`` *as this process loaded them*
  (hashed once, when this module is imported: under ``mkdocs serve`` an edited hook is not reloaded, so an entry
  written by the running process must not claim the new code), and
- every installed distribution's version (``environment.installed_hash()``: Python-Markdown, pymorphy3's dictionary,
  lemminflect, Material …).

A hit returns a fresh copy (entries are pickled, in memory too), so a caller may change what it gets. Writes are
atomic (``os.replace``); an entry that cannot be read is a miss. Only results are stored, never decisions to stay
quiet: a step that reports problems either stores its findings and reports them again on a hit, or does not store a
run that reported anything. ``prune()`` deletes, after a successful ``mkdocs build``, the entries that build did not
use. ``PAGE_CACHE_DIR`` moves the folder (tests, the benchmark); ``PAGE_CACHE=0`` turns the disk side off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from .environment import installed_hash

ROOT = Path(__file__).resolve().parent.parent
MEMORY_ENTRIES = 512  # per store: pages × languages × a few recent versions of each


def _code_digest() -> str:
    h = hashlib.sha256(sys.version.encode())
    for folder in ("sitegen", "hooks"):
        for p in sorted((ROOT / folder).glob("*.py")):
            h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


CODE = _code_digest()  # at import: the code this process runs
_version: str | None = None


def version() -> str:
    """The code and library versions every key includes."""
    global _version
    if _version is None:
        _version = hashlib.sha256(f"{CODE}\0{installed_hash()}".encode()).hexdigest()
    return _version


def digest(*parts) -> str:
    """A hex key of ``parts``: str and bytes as they are, anything else by ``repr``."""
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else (part if isinstance(part, str) else repr(part)).encode(
            "utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


MISS = object()
STATS: dict[str, dict[str, int]] = {}  # store name -> {"hits", "disk_hits", "misses"}, for tests and the log line


def project_of(config) -> Path:
    """The project a MkDocs config belongs to (the folder of its mkdocs.yml)."""
    path = getattr(config, "config_file_path", None) or config.get("config_file_path")
    return _folder_of(path) if path else Path.cwd()


@lru_cache(maxsize=64)
def _folder_of(config_file: str) -> Path:
    return Path(config_file).resolve().parent


def cache_root(project: Path) -> Path:
    return Path(os.environ.get("PAGE_CACHE_DIR") or Path(project) / ".cache" / "pages")


class Store:
    """One step's results, ``key -> value``; see the module's docstring."""

    def __init__(self, folder: Path, name: str):
        self.name = name
        self.dir = folder / name
        self.disk = os.environ.get("PAGE_CACHE", "1") != "0"
        self.memory: OrderedDict[str, bytes] = OrderedDict()
        self.used: set[str] = set()
        STATS.setdefault(name, {"hits": 0, "disk_hits": 0, "misses": 0})

    def key(self, *parts) -> str:
        return digest(version(), self.name, *parts)

    def get(self, key: str):
        blob = self.memory.get(key)
        stats = STATS[self.name]
        if blob is None and self.disk:
            try:
                blob = (self.dir / f"{key}.pickle").read_bytes()
            except OSError:
                blob = None
            if blob is not None:
                stats["disk_hits"] += 1
        if blob is None:
            stats["misses"] += 1
            return MISS
        try:
            value = pickle.loads(blob)
        except Exception:  # noqa: BLE001 - a damaged entry is a miss
            stats["misses"] += 1
            return MISS
        stats["hits"] += 1
        self._remember(key, blob)
        return value

    def put(self, key: str, value) -> None:
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._remember(key, blob)
        if not self.disk:
            return
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".tmp-", suffix=".pickle")
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, self.dir / f"{key}.pickle")  # atomic: a reader sees no entry or the whole one
        except OSError:
            pass  # a read-only checkout still builds; it only computes again

    def memo(self, key: str, compute):
        value = self.get(key)
        if value is MISS:
            value = compute()
            self.put(key, value)
        return value

    def _remember(self, key: str, blob: bytes) -> None:
        self.used.add(key)
        self.memory[key] = blob
        self.memory.move_to_end(key)
        while len(self.memory) > MEMORY_ENTRIES:
            self.memory.popitem(last=False)


_STORES: dict[tuple[str, str], Store] = {}


_BY_PROJECT: dict[tuple, Store] = {}


def store(project: Path, name: str) -> Store:
    """The store ``name`` of a project (asked for by every page and step: a dictionary lookup after the first)."""
    fast = (project, os.environ.get("PAGE_CACHE_DIR"), os.environ.get("PAGE_CACHE"), name)
    found = _BY_PROJECT.get(fast)
    if found is None:
        folder = cache_root(project)
        key = (str(folder), name)
        if key not in _STORES:
            _STORES[key] = Store(folder, name)
        found = _BY_PROJECT[fast] = _STORES[key]
    return found


_begun: dict[str, tuple[int, int]] = {}  # cache folder -> (hits, misses) when its build began


def _totals() -> tuple[int, int]:
    return sum(s["hits"] for s in STATS.values()), sum(s["misses"] for s in STATS.values())


def begin_build(project: Path) -> None:
    """A new outermost build: what it uses is counted from here (for :func:`prune` and :func:`summary`)."""
    folder = str(cache_root(project))
    for (where, _), s in _STORES.items():
        if where == folder:
            s.used = set()
    _begun[folder] = _totals()


def prune(project: Path) -> int:
    """Delete every entry under the project's cache folder that the build since :func:`begin_build` did not use
    (a step that no longer exists used none of its entries)."""
    folder = cache_root(project)
    if os.environ.get("PAGE_CACHE", "1") == "0" or not folder.is_dir():
        return 0
    used = {s.dir.name: s.used for (where, _), s in _STORES.items() if where == str(folder)}
    removed = 0
    for sub in folder.iterdir():
        if not sub.is_dir():
            continue
        for p in sub.glob("*.pickle"):
            if p.stem not in used.get(sub.name, ()):
                p.unlink(missing_ok=True)
                removed += 1
    return removed


def summary(project: Path) -> str:
    """The build's line in the log: entries reused and computed since :func:`begin_build`."""
    hits, misses = _totals()
    h0, m0 = _begun.get(str(cache_root(project)), (0, 0))
    return f"page cache: {hits - h0} reused, {misses - m0} computed"
