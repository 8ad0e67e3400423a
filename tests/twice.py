"""Build a project several times in *one* process, as ``mkdocs serve`` does, with file edits in between.

``python tests/twice.py PROJECT PLAN.json`` where the plan is a list of steps ``{"site": DIR, "edits": {PATH: TEXT
or null}, "command": "serve" or "build", "strict": true or false (default true)}`` (edits are applied before that step's build; null deletes the file). Prints one JSON line: for each
build, whether it succeeded, the warnings MkDocs logged, and the counters of ``hooks/rebuild_speed.py`` and of
``sitegen/pagecache.py`` (per store: hits, disk hits, misses; cumulative over the process).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def main(project: str, plan_path: str) -> None:
    os.chdir(project)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    steps = json.loads(Path(plan_path).read_text())
    out = []
    for step in steps:
        for rel, text in (step.get("edits") or {}).items():
            path = Path(project) / rel
            if text is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
        warnings = _Warnings()
        logging.getLogger("mkdocs").addHandler(warnings)
        config = load_config("mkdocs.yml", site_dir=step["site"], strict=step.get("strict", True))
        config.plugins.on_startup(command=step.get("command", "serve"), dirty=False)
        ok, error = True, ""
        try:
            build(config)
        except BaseException as exc:  # strict mode aborts with SystemExit/Abort; report, don't die
            ok, error = False, f"{type(exc).__name__}: {exc}"
        finally:
            config.plugins.on_shutdown()
            logging.getLogger("mkdocs").removeHandler(warnings)
        speed = next((m for name, m in sys.modules.items() if name.endswith("rebuild_speed.py")), None)
        pages = sys.modules.get("sitegen.pagecache")
        out.append({"ok": ok, "error": error, "warnings": warnings.messages,
                    "stats": dict(speed.STATS) if speed else {},
                    "pages": {k: dict(v) for k, v in pages.STATS.items()} if pages else {}})
    print(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:])
