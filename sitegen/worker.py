"""Runs one snippet inside a child process forked from the server that preloaded torch and matplotlib.

Nothing here is imported by the build process itself: a fresh child imports this module, so an edited helper
is never served stale from ``sys.modules``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import os
import pickle
import sys
import traceback
from pathlib import Path

PROJECT_PREFIXES = ("sitegen", "snippets")


def file_digest(path: str | os.PathLike) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


_OPENED: set[str] = set()


def _track_opens(root: Path) -> None:
    """Record every project file the snippet opens (``runpy`` of another script, a data file, …).

    Imports are found in ``sys.modules``; files read in other ways are only visible through the ``open`` audit event.
    """
    prefix = str(root) + os.sep

    def hook(event, args):
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            try:
                path = os.path.abspath(os.fsdecode(args[0]))
            except (TypeError, ValueError):
                return
            if path.startswith(prefix) and "__pycache__" not in path:
                _OPENED.add(path)

    sys.addaudithook(hook)  # lives as long as this child process, which runs exactly one snippet


_WRITES: dict[str, str] = {}  # absolute path under the project -> "created" or "modified" (first write wins)
_WRITE_EVENTS = {"os.rename": (0, 1), "os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.truncate": (0,),
                 "os.symlink": (1,), "os.link": (1,), "shutil.rmtree": (0,), "os.chmod": (0,), "os.utime": (0,)}


def _watch_writes(root: Path) -> None:
    """Record every change this process makes under the project: open for writing, rename, remove, mkdir, ….

    A snippet works in a temporary directory; anything it writes into the project (``docs/uk/x.csv``) would be
    published or left behind, so the parent fails the build naming the snippet and removes what was created.
    Bytecode caches (``__pycache__``, ``.pyc``) are not changes. The audit hook sees this process only; the runner's
    own cache writes happen in the parent.
    """
    prefix = str(root) + os.sep
    snippets_dir = str(root / "snippets") + os.sep

    def note(path_arg, event):
        if isinstance(path_arg, int):
            return
        try:
            path = os.path.abspath(os.fsdecode(path_arg))
        except (TypeError, ValueError):
            return
        if not (path + os.sep).startswith(prefix) or "__pycache__" in path or path.endswith((".pyc", ".pyc.tmp")):
            return
        if path not in _WRITES:
            existed = os.path.lexists(path)
            removing = event in ("os.remove", "os.rmdir", "shutil.rmtree")
            what = ("removed" if removing else "modified") if existed else "created"
            frame = sys._getframe(1)
            while frame is not None:  # the snippet's line that wrote it
                if frame.f_code.co_filename.startswith(snippets_dir):
                    what += f" by {os.path.relpath(frame.f_code.co_filename, root)}:{frame.f_lineno}"
                    break
                frame = frame.f_back
            _WRITES[path] = what

    def hook(event, args):
        if event == "open" and len(args) >= 2:
            mode, flags = args[1], args[2] if len(args) > 2 else 0
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or \
                (mode is None and isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC))
            if writing:
                note(args[0], event)
        elif event in _WRITE_EVENTS:
            for i in _WRITE_EVENTS[event]:
                if i < len(args):
                    note(args[i], event)

    sys.addaudithook(hook)


def _project_deps(root: Path) -> dict[str, str]:
    """Every project file this process imported or opened, as ``relative path -> sha256``."""
    deps = {}
    for f in sorted(_OPENED):
        p = Path(f)
        try:
            rel = p.resolve().relative_to(root)
        except ValueError:
            continue
        if rel.parts and rel.parts[0] in PROJECT_PREFIXES and p.is_file():
            deps[rel.as_posix()] = file_digest(p)
    for mod in list(sys.modules.values()):
        f = getattr(mod, "__file__", None)
        if not f:
            continue
        p = Path(f).resolve()
        try:
            rel = p.relative_to(root)
        except ValueError:
            continue
        if rel.parts and rel.parts[0] in PROJECT_PREFIXES and p.suffix == ".py":
            deps[rel.as_posix()] = file_digest(p)
    return deps


def _svg(fig) -> bytes:
    """The figure as SVG: at exactly its own size when drawn with ``sitegen.snippet.subplots`` (its layout keeps
    everything inside), otherwise cropped to what it draws (``bbox_inches="tight"``, the older figures' way)."""
    import matplotlib.pyplot as plt

    from sitegen.snippet import EXACT_SIZE

    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None},
                bbox_inches=None if getattr(fig, EXACT_SIZE, False) else "tight")
    plt.close(fig)
    return buf.getvalue()


def _run(root: Path, name: str, langs: list[str], themes: list[str]) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # pragma: no cover - torch is a declared dependency
        pass

    from sitegen.snippet import rc_params

    path = root / "snippets" / f"{name}.py"
    module_name = "snippets." + name.replace("/", ".")
    source = path.read_text(encoding="utf-8")
    out = io.StringIO()
    # stdout: language -> what the reader sees printed on that language's page and notebook (a script prints once,
    # the same text for every language; a module prints its compute() lines, then report(values, lang)'s).
    result: dict = {"values": {}, "stdout": {}, "exception": None, "figures": {}, "tables": {}}
    is_module = "\ndef compute(" in "\n" + source
    if is_module:
        with contextlib.redirect_stdout(out):
            module = importlib.import_module(module_name)
            values = module.compute()
        if not isinstance(values, dict):
            raise TypeError(f"{name}: compute() must return a dict, got {type(values).__name__}")
        result["values"] = values
        tables_fn = getattr(module, "tables", None)
        figures_fn = getattr(module, "figures", None)
        report_fn = getattr(module, "report", None)
        for lang in langs:
            # What compute() printed (no words: the same in every language), then what report() prints in `lang`.
            printed = io.StringIO()
            if report_fn:
                with contextlib.redirect_stdout(printed):
                    report_fn(values, lang)
            result["stdout"][lang] = out.getvalue() + printed.getvalue()
            if tables_fn:
                result["tables"][lang] = dict(tables_fn(values, lang))
            for theme in themes:
                if figures_fn:
                    with matplotlib.rc_context(rc_params(theme)):
                        figs = figures_fn(values, lang, theme)
                        result["figures"].setdefault(lang, {})[theme] = {k: _svg(f) for k, f in figs.items()}
                    plt.close("all")
    else:
        namespace = {"__name__": "__main__", "__file__": str(path)}
        code = compile(source, str(path), "exec")
        with contextlib.redirect_stdout(out):
            try:
                exec(code, namespace)
            except BaseException as exc:  # noqa: BLE001 - compared with the declaration below
                expected = namespace.get("EXPECT_EXCEPTION")
                if expected is None or type(exc).__name__ != expected:
                    raise
                result["exception"] = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            else:
                if namespace.get("EXPECT_EXCEPTION"):
                    raise AssertionError(
                        f"{name}: declared EXPECT_EXCEPTION = {namespace['EXPECT_EXCEPTION']!r} but nothing was raised"
                    )
        result["stdout"] = {lang: out.getvalue() for lang in langs}
    deps = _project_deps(root)
    deps[path.relative_to(root).as_posix()] = file_digest(path)
    result["deps"] = deps
    return result


def _unpicklable(obj, path: str = "") -> str | None:
    """``key.path (type)`` of the first value in ``obj`` that pickle refuses, or None."""
    try:
        pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        return None
    except Exception:  # noqa: BLE001 - pickle raises TypeError, PicklingError, AttributeError, …
        pass
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, (list, tuple)) else ()
    for k, v in items:
        found = _unpicklable(v, f"{path}.{k}" if path else str(k))
        if found:
            return found
    return f"{path or '(the result)'} ({type(obj).__module__}.{type(obj).__qualname__})".replace("builtins.", "")


def _own_traceback(root: Path) -> tuple[str, str | None]:
    """The current exception's traceback without the worker's and importlib's frames, and the snippet's file:line."""
    etype, exc, tb = sys.exc_info()
    frames = [fr for fr in traceback.extract_tb(tb)
              if Path(fr.filename).name != "worker.py" and not fr.filename.startswith("<frozen")
              and f"{os.sep}importlib{os.sep}" not in fr.filename]
    where = None
    for fr in reversed(frames):
        try:
            rel = Path(fr.filename).resolve().relative_to(root)
        except ValueError:
            continue
        if rel.parts and rel.parts[0] == "snippets":
            where = f"{rel.as_posix()}:{fr.lineno}"
            break
    text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames)) if frames else ""
    return text + "".join(traceback.format_exception_only(etype, exc)), where


def run_to_file(root: str, name: str, langs: list[str], themes: list[str], out_path: str) -> None:
    """Entry point of the child process: the result (or the error) is pickled to ``out_path``.

    The snippet runs in a fresh temporary working directory (next to ``out_path``), never in the project.
    """
    root_path = Path(root).resolve()
    _track_opens(root_path)
    _watch_writes(root_path)
    sys.path.insert(0, str(root_path))
    workdir = out_path + ".cwd"
    os.makedirs(workdir, exist_ok=True)
    os.chdir(workdir)
    try:
        result = _run(root_path, name, langs, themes)
        blob = pickle.dumps({"ok": True, "result": result, "writes": dict(sorted(_WRITES.items()))},
                            protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 - reported to the parent with its traceback
        if "result" in locals():  # the snippet ran, but its result cannot travel to the build process
            bad = _unpicklable(result["values"], "") or _unpicklable(result, "")
            error = (f"compute() returned a value that cannot be pickled: {bad}; return numbers, strings, lists, "
                     f"dicts or arrays")
            where = f"snippets/{name}.py"
        else:
            error, where = _own_traceback(root_path)
        blob = pickle.dumps({"ok": False, "error": error, "where": where, "writes": dict(sorted(_WRITES.items()))},
                            protocol=pickle.HIGHEST_PROTOCOL)
    tmp = out_path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(blob)
    os.replace(tmp, out_path)
