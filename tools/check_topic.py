"""Check one topic in a couple of minutes: ``./dev check <topic>`` (the whole suite, ``./dev test``, takes 15–18).

    python tools/check_topic.py dropout            # what ./dev check dropout runs, after its setup
    python tools/check_topic.py dropout -x -v      # extra arguments go to pytest
    python tools/check_topic.py dropout --list     # print the pytest command, run nothing

One pytest session in one process (``-n0``), in this order:

1. the strict build of the whole site (``mkdocs build --strict``, warm snippet cache: only edited snippets run),
   which checks parity of every page pair, topics.yml, directives, formulas, the language check and its numerals,
   links; then the topic's pages, its notebook pages and the home page in Chromium at 1280×800 and 390×844, light
   and dark (``tests/test_topic.py``: sideways scroll, formulas and tables that fit or scroll in a labelled box, math,
   figure text as drawn, images, console, axe);
2. the existing tests that concern the topic, selected by name: topics.yml against the project, parity of its
   page pair, the language check of every Ukrainian source and of the printed output, its notebooks (current, every
   snippet in them, both rendered pages);
3. its snippets' doctests (``snippets/<topic>/``) and cross-checks (``tests/test_<topic>.py`` when there is one);
   a ``compute()`` called without arguments returns the build's cached result (conftest.py), so nothing is computed
   twice.

What it leaves to ``./dev test``: the other topics' pages, Firefox and WebKit, the notebooks run in a fresh kernel,
reproducibility across job counts, search, the HTML validator, the pipeline's own tests.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen import topics  # noqa: E402


def selection(topic: topics.Topic, root: Path = ROOT) -> list[str]:
    """The pytest arguments that check ``topic``, in the order they run.

    >>> t = topics.by_id()["dropout"]
    >>> args = selection(t)
    >>> args[:2], "snippets/dropout" in args, "tests/test_dropout.py" in args
    (['--topic', 'dropout'], True, True)
    >>> "tests/test_parity.py::test_translations_have_the_same_heading_ids_and_directives_in_order[dropout.md]" in args
    True
    """
    tid, page = topic.id, topic.page
    args = ["--topic", tid, "tests/test_topic.py",
            "tests/test_topics.py::test_the_project_agrees_with_topics_yml",
            f"tests/test_parity.py::test_translations_have_the_same_heading_ids_and_directives_in_order[{page}]",
            "tests/test_language.py::test_every_ukrainian_source_outside_the_pending_list_is_clean",
            "tests/test_language.py::test_printed_output_on_ukrainian_pages_and_notebooks_is_ukrainian",
            "tests/test_notebooks.py::test_committed_notebooks_match_the_generator",
            f"tests/test_notebooks.py::test_every_snippet_of_a_topic_is_in_its_notebooks_and_the_languages_share_code"
            f"[{tid}]",
            *[f"tests/test_notebooks.py::test_notebook_page_shows_outputs_links_and_nothing_foreign[{tid}-{lang}]"
              for lang in topics.LANGS],
            f"snippets/{tid}"]
    if (root / "tests" / f"test_{tid}.py").is_file():
        args.append(f"tests/test_{tid}.py")
    return args


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print("usage: ./dev check <topic> [pytest arguments]   (topics: "
              f"{', '.join(t.id for t in topics.load())})", file=sys.stderr)
        return 2
    wanted, extra = argv[0], argv[1:]
    known = topics.by_id()
    if wanted not in known:
        print(f"no topic {wanted!r} in topics.yml (known: {', '.join(known)})", file=sys.stderr)
        return 2
    command = [sys.executable, "-m", "pytest", "-n0", "-p", "no:cacheprovider", "-q",
               *selection(known[wanted]), *[a for a in extra if a != "--list"]]
    if "--list" in extra:
        print(" ".join(command))
        return 0
    start = time.monotonic()
    code = subprocess.run(command, cwd=ROOT).returncode
    print(f"check {wanted}: {'passed' if code == 0 else 'FAILED'} in {time.monotonic() - start:.0f} s")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
