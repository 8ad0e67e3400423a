"""Run snippets the way the build does and write what they produce, for an author to look at.

    python -m sitegen.preview backprop/graph [outdir]

Writes ``<outdir>/<name>/<figure>.<lang>.<theme>.svg``, ``<table>.<lang>.md``, ``values.json`` and ``stdout.<lang>.txt``.
Uses (and fills) the build's cache, so a second call is instant.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .runner import Runner, SnippetError


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    name = argv[0].removesuffix(".py").removeprefix("snippets/")
    outdir = Path(argv[1] if len(argv) > 1 else "/tmp/snippet-preview") / name
    root = Path(__file__).resolve().parent.parent
    runner = Runner(root)
    try:
        results, stats = runner.ensure([name])
    except SnippetError as exc:
        print(exc, file=sys.stderr)
        return 1
    r = results[name]
    outdir.mkdir(parents=True, exist_ok=True)
    for lang, themes in r["figures"].items():
        for theme, figs in themes.items():
            for fig, svg in figs.items():
                (outdir / f"{fig}.{lang}.{theme}.svg").write_bytes(svg)
                print(f"figure {fig} {lang} {theme}: {len(svg) / 1024:.1f} KB")
    for lang, tables in r["tables"].items():
        for tab, table in tables.items():
            (outdir / f"{tab}.{lang}.md").write_text(table.to_markdown(lang) + "\n", encoding="utf-8")
    (outdir / "values.json").write_text(json.dumps(r["values"], indent=1, ensure_ascii=False, default=repr))
    for lang, text in r["stdout"].items():
        (outdir / f"stdout.{lang}.txt").write_text(text + (r["exception"] or ""))
    print(stats.line())
    print(f"written to {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
