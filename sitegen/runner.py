"""Runs snippets once per build, in parallel child processes, with a content-keyed cache on disk.

Free of MkDocs: the hook (``hooks/snippets.py``) only calls :class:`Runner`.

How a lookup works: the cache file of a snippet is named by the hash of its name, the environment (Python, torch,
matplotlib, numpy versions and a hash of every installed distribution's version), the languages and themes. It
records every project file the snippet imported with its hash (its own source, helpers, ``sitegen`` modules). The
entry is valid while all those hashes still match, so a prose-only edit re-runs nothing and an edit of a helper
re-runs exactly the snippets that imported it.

Children are forked from a ``forkserver`` that imported torch and matplotlib once; each child imports the snippet
afresh, so the build process never holds a stale snippet module and a hung snippet is killed cleanly.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import multiprocessing.connection
import os
import pickle
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from .environment import default_jobs, installed_hash
from .worker import file_digest

RUNNER_FILES = ("sitegen/runner.py", "sitegen/worker.py", "sitegen/snippet.py", "sitegen/numfmt.py")
_PRELOAD = ["numpy", "torch", "matplotlib", "matplotlib.pyplot"]
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")
# torch's CPU wheel does its BLAS and LAPACK (matmul, lstsq, svd) in Intel MKL, which picks a code path by the CPU's
# instruction set: the last bits of a result would differ between an author's machine and a CI runner. MKL's
# Conditional Numerical Reproducibility mode COMPATIBLE takes the same code path on every x86 CPU. (It does not make
# every routine deterministic: LAPACK's gelsy, torch.linalg.lstsq's default driver, still varied from run to run in
# the last bit, so snippets/conv/equiv.py asks for gels; tests/test_reproducible.py is what finds such a routine.)
NUMERIC_ENV = {"MKL_CBWR": "COMPATIBLE"}
_ctx = None


class SnippetError(Exception):
    """A snippet raised, hung, or does not exist. ``str()`` is the message to show an author."""

    def __init__(self, name: str, message: str, where: str | None = None, embedded_by: str | None = None):
        self.name, self.where, self.embedded_by, self.detail = name, where, embedded_by, message
        head = f"snippet {name!r} failed"
        if where:
            head += f" at {where}"
        if embedded_by:
            head += f" (embedded by {embedded_by})"
        super().__init__(f"{head}:\n{message}")


def _context():
    global _ctx
    # Children import ``sitegen.worker`` by name: make sure the package is on the path they inherit (MkDocs
    # restores sys.path after loading a hook, so the hook's own insertion does not last).
    pkg_root = str(Path(__file__).resolve().parent.parent)
    if pkg_root not in sys.path:
        sys.path.insert(0, pkg_root)
    if _ctx is None:
        os.environ.setdefault("MPLBACKEND", "Agg")
        # One BLAS/OpenMP thread in every child, set before the forkserver (and the numpy/torch it preloads)
        # starts: a reduction split over a machine-dependent number of threads sums in a different order, and the
        # last digits of a result would depend on the machine (sitegen/README.md, "How a number reaches a reader").
        for var in THREAD_VARS:
            os.environ[var] = "1"
        os.environ.update(NUMERIC_ENV)
        _ctx = multiprocessing.get_context("forkserver")
        _ctx.set_forkserver_preload(_PRELOAD)
    return _ctx


def environment_key() -> dict[str, str]:
    env = {"python": sys.version.split()[0]}
    for dist in ("torch", "matplotlib", "numpy", "babel"):
        try:
            env[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            env[dist] = "absent"
    env["numerics"] = ",".join(f"{k}={v}" for k, v in sorted(NUMERIC_ENV.items()))  # results made before differ
    env["installed"] = installed_hash()  # every installed distribution's version (sitegen/environment.py)
    return env


@dataclass
class Stats:
    total: int = 0
    executed: int = 0
    cached: int = 0
    seconds: float = 0.0
    executed_names: list[str] = field(default_factory=list)
    errors: dict = field(default_factory=dict)  # name -> SnippetError, when ensure(strict=False)

    def line(self) -> str:
        return (f"snippets: {self.total} total, {self.executed} executed, {self.cached} cached, "
                f"{self.seconds:.1f} s")


class Runner:
    def __init__(self, root: str | os.PathLike, langs=("uk", "en"), themes=("light", "dark"),
                 cache_dir: str | os.PathLike | None = None, timeout: float = 120.0, jobs: int | None = None):
        self.root = Path(root).resolve()
        self.langs, self.themes = list(langs), list(themes)
        self.cache_dir = Path(cache_dir) if cache_dir else self.root / ".cache" / "snippets"
        self.timeout = float(timeout)
        self.jobs = jobs or default_jobs()  # cores, bounded by available memory (sitegen/environment.py)
        self.env = environment_key()

    # -- names and keys ---------------------------------------------------------------------------------------
    def path_of(self, name: str) -> Path:
        return self.root / "snippets" / f"{name}.py"

    def exists(self, name: str) -> bool:
        return self.path_of(name).is_file()

    def available(self) -> list[str]:
        base = self.root / "snippets"
        return sorted(p.relative_to(base).with_suffix("").as_posix() for p in base.rglob("*.py")
                      if not p.name.startswith("_"))

    def _key(self, name: str) -> str:
        blob = json.dumps({"name": name, "env": self.env, "langs": self.langs, "themes": self.themes},
                          sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:32]

    def _entry_path(self, name: str) -> Path:
        return self.cache_dir / f"{self._key(name)}.pickle"

    def _timeout_of(self, name: str) -> float:
        import ast

        try:
            tree = ast.parse(self.path_of(name).read_text(encoding="utf-8"))
        except (OSError, SyntaxError):
            return self.timeout
        for node in tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and getattr(node.targets[0], "id", None) == "TIMEOUT"
                    and isinstance(node.value, ast.Constant)):
                return float(node.value.value)
        return self.timeout

    # -- cache ------------------------------------------------------------------------------------------------
    def _deps_current(self, deps: dict[str, str]) -> bool:
        for rel, digest in deps.items():
            p = self.root / rel
            try:
                if file_digest(p) != digest:
                    return False
            except OSError:
                return False
        for rel in RUNNER_FILES:
            p = self.root / rel
            if p.exists() and rel not in deps:
                return False
        return True

    def load(self, name: str) -> dict | None:
        try:
            with open(self._entry_path(name), "rb") as fh:
                entry = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None
        if entry.get("name") != name or not self._deps_current(entry["result"]["deps"]):
            return None
        return entry["result"]

    def _store(self, name: str, result: dict) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        for rel in RUNNER_FILES:  # the runner's own version is part of every entry
            p = self.root / rel
            if p.exists():
                result["deps"].setdefault(rel, file_digest(p))
        fd, tmp = tempfile.mkstemp(dir=self.cache_dir, prefix=".tmp-", suffix=".pickle")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump({"name": name, "result": result}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self._entry_path(name))  # atomic: readers see the old entry or the new one

    def prune(self, keep: list[str]) -> int:
        """Delete cache entries of snippets not in ``keep``; returns how many were removed."""
        wanted = {self._entry_path(n).name for n in keep}
        removed = 0
        if self.cache_dir.is_dir():
            for p in self.cache_dir.glob("*.pickle"):
                if p.name not in wanted:
                    p.unlink(missing_ok=True)
                    removed += 1
        return removed

    def _snapshot(self) -> dict[str, tuple[int, int]]:
        """``relative path -> (mtime_ns, size)`` of every project file a snippet could depend on."""
        snap = {}
        for top in ("snippets", "sitegen"):
            for p in (self.root / top).rglob("*"):
                if p.is_file() and "__pycache__" not in p.parts:
                    st = p.stat()
                    snap[p.relative_to(self.root).as_posix()] = (st.st_mtime_ns, st.st_size)
        return snap

    def _unchanged_since(self, snap: dict, deps: dict) -> bool:
        for rel in deps:
            try:
                st = (self.root / rel).stat()
            except OSError:
                return False
            if snap.get(rel) != (st.st_mtime_ns, st.st_size):
                return False
        return True

    # -- execution --------------------------------------------------------------------------------------------
    def ensure(self, names, embedded_by: dict[str, str] | None = None,
               strict: bool = True) -> tuple[dict[str, dict], Stats]:
        """Results for every name, executing only the ones whose cache entry is missing or stale.

        A failure raises :class:`SnippetError` (all failures in one message); with ``strict=False`` the failures are
        returned in ``stats.errors`` instead and the other snippets' results are still returned (``mkdocs serve``).
        """
        from .worker import run_to_file

        embedded_by = embedded_by or {}
        start = time.monotonic()
        names = sorted(set(names))
        stats = Stats(total=len(names))
        results: dict[str, dict] = {}
        todo = []
        for name in names:
            if not self.exists(name):
                err = SnippetError(name, f"no such file: {self.path_of(name).relative_to(self.root)}",
                                   embedded_by=embedded_by.get(name))
                if strict:
                    raise err
                stats.errors[name] = err
                continue
            cached = self.load(name)
            if cached is not None:
                results[name] = cached
                stats.cached += 1
            else:
                todo.append(name)
        if todo:
            ctx = _context()
            with tempfile.TemporaryDirectory(prefix="snippets-") as tmp:
                pending = list(todo)
                running: dict = {}
                snaps: dict = {}
                errors: list[SnippetError] = []
                while pending or running:
                    while pending and len(running) < self.jobs:
                        name = pending.pop(0)
                        out = os.path.join(tmp, hashlib.sha256(name.encode()).hexdigest() + ".pickle")
                        proc = ctx.Process(target=run_to_file, name=f"snippet:{name}",
                                           args=(str(self.root), name, self.langs, self.themes, out))
                        snap = self._snapshot()  # taken before the child reads anything
                        proc.start()
                        snaps[name] = snap
                        running[proc.sentinel] = (proc, name, out, time.monotonic() + self._timeout_of(name))
                    now = time.monotonic()
                    wait_for = max(0.0, min(d for _, _, _, d in running.values()) - now)
                    ready = multiprocessing.connection.wait(list(running), timeout=wait_for)
                    now = time.monotonic()
                    for sentinel in list(running):
                        proc, name, out, deadline = running[sentinel]
                        if sentinel in ready:
                            proc.join()
                            del running[sentinel]
                            errors.extend(self._collect(name, out, proc.exitcode, results, embedded_by, snaps[name]))
                        elif now >= deadline:
                            proc.kill()
                            proc.join()
                            del running[sentinel]
                            errors.append(SnippetError(
                                name, f"timed out after {self._timeout_of(name):g} s and was killed "
                                      f"(set TIMEOUT in the snippet or extra.snippets.timeout)",
                                where=f"snippets/{name}.py", embedded_by=embedded_by.get(name)))
                stats.errors.update({e.name: e for e in errors})
                if errors and strict:
                    raise errors[0] if len(errors) == 1 else SnippetError(
                        ", ".join(e.name for e in errors), "\n\n".join(str(e) for e in errors))
            stats.executed = len(todo)
            stats.executed_names = list(todo)
        stats.seconds = time.monotonic() - start
        return results, stats

    def _undo_writes(self, writes: dict[str, str]) -> str:
        """Remove what a snippet created under the project; list everything it changed (modified files are kept)."""
        lines = []
        for path in sorted(writes, key=lambda p: -p.count(os.sep)):  # deepest first: files before their folders
            what = writes[path]
            rel = os.path.relpath(path, self.root)
            what, _, by = what.partition(" by ")
            rel += f" (by {by})" if by else ""
            if what == "created":
                try:
                    if os.path.isdir(path) and not os.path.islink(path):
                        os.rmdir(path)
                    elif os.path.lexists(path):
                        os.unlink(path)
                    else:
                        continue  # created and gone again (a temporary file renamed away)
                    lines.append(f"  created {rel} (removed)")
                except OSError as exc:
                    lines.append(f"  created {rel} (could not remove: {exc.strerror})")
            else:
                lines.append(f"  {what} {rel} (left as it is now: check `git status`)")
        return "\n".join(sorted(lines))

    def _collect(self, name, out, exitcode, results, embedded_by, snap) -> list[SnippetError]:
        try:
            with open(out, "rb") as fh:
                payload = pickle.load(fh)
        except OSError:
            return [SnippetError(name, f"the worker died without a result (exit code {exitcode})",
                                 where=f"snippets/{name}.py", embedded_by=embedded_by.get(name))]
        if payload.get("writes"):
            listing = self._undo_writes(payload["writes"])
            return [SnippetError(name, "a snippet must not change the project (it runs in a temporary working "
                                       "directory; return data from compute() instead), but it wrote:\n" + listing,
                                 where=f"snippets/{name}.py", embedded_by=embedded_by.get(name))]
        if not payload["ok"]:
            return [SnippetError(name, payload["error"], where=payload["where"], embedded_by=embedded_by.get(name))]
        result = payload["result"]
        if self._unchanged_since(snap, result["deps"]):
            self._store(name, result)
        # else: a file it read was edited while it ran; the hashes it recorded may not match what it executed, so
        # the result serves this build only and the next build runs the snippet again.
        results[name] = result
        return []
