"""Write the companion notebooks ``notebooks/<lang>/<topic>.ipynb`` from the topics' snippets.

    python tools/make_notebooks.py           # (re)write every notebook
    python tools/make_notebooks.py --check   # exit 1 and name the notebooks that are out of date

The logic lives in ``sitegen/notebooks.py`` (shared with the build, which renders the notebooks with outputs).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.notebooks import LANGS, TOPICS, build_notebook, dumps, main_check, notebook_path  # noqa: E402


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = main_check(ROOT)
        for p in stale:
            print(f"out of date: {p} (run: python tools/make_notebooks.py)")
        return 1 if stale else 0
    for topic in TOPICS:
        for lang in LANGS:
            p = notebook_path(ROOT, topic, lang)
            p.parent.mkdir(parents=True, exist_ok=True)
            text = dumps(build_notebook(ROOT, topic, lang))
            if not p.is_file() or p.read_text(encoding="utf-8") != text:
                p.write_text(text, encoding="utf-8")
                print(f"wrote {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
