#!/usr/bin/env python3
"""List translations older than their counterpart, by the date of the last commit that touched each file.

    python tools/translation_age.py            # every page pair under docs/<lang>/
    python tools/translation_age.py --strict   # exit 1 when some translation is older (for CI, if wanted)

A page whose languages were last committed together is up to date; otherwise the older file is listed with the
newer one and the gap. Files with uncommitted changes are marked, since their git date is not their real age.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.parity import pages  # noqa: E402

LANGS = ("uk", "en")


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()


def last_commit(root: Path, path: str) -> int | None:
    out = _git(root, "log", "-1", "--format=%ct", "--", path)
    return int(out) if out else None


def report(root: Path, docs: str = "docs", langs=LANGS) -> list[str]:
    dirty = set(_git(root, "status", "--porcelain", "--", docs).splitlines())
    dirty = {line[3:] for line in dirty}
    by_lang = pages(root / docs, list(langs))
    lines = []
    for page in sorted(set().union(*by_lang.values())):
        dated = {}
        for lang in langs:
            if page in by_lang[lang]:
                dated[lang] = last_commit(root, f"{docs}/{lang}/{page}")
        if len(dated) < len(langs) or None in dated.values():
            missing = [f"{docs}/{lang}/{page}" for lang in langs if dated.get(lang) is None]
            lines.append(f"{', '.join(missing)}: missing or never committed")
            continue
        newest = max(dated.values())
        for lang, when in dated.items():
            if when < newest:
                newer = next(lg for lg, w in dated.items() if w == newest)
                days = (newest - when) / 86400
                path = f"{docs}/{lang}/{page}"
                mark = " (uncommitted changes)" if path in dirty else ""
                lines.append(f"{path}{mark} is older than {docs}/{newer}/{page} by {days:.1f} days "
                             f"({_iso(when)} < {_iso(newest)})")
    return lines


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d %H:%M")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--strict", action="store_true", help="exit 1 when a translation is older than its counterpart")
    args = ap.parse_args(argv)
    lines = report(args.root)
    print("\n".join(lines) if lines else "every translation is as recent as its counterpart")
    return 1 if args.strict and lines else 0


if __name__ == "__main__":
    sys.exit(main())
