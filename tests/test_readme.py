"""The README stays one a newcomer finishes, and its links and those of the reference READMEs lead somewhere.

README.md is the overview (at most 200 lines); the reference detail lives next to the code it describes
(``sitegen/README.md``, ``hooks/README.md``, ``tests/README.md``, ``bench/README.md``, ``snippets/README.md``). A
relative link that points at a missing file, or at a heading that is not there, fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT

README_MAX_LINES = 200
DOCS = ["README.md", "sitegen/README.md", "hooks/README.md", "tests/README.md", "bench/README.md",
        "snippets/README.md"]
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^```.*?^```", re.S | re.M)
_CODE = re.compile(r"`[^`\n]*`")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.M)


def _anchors(text: str) -> set[str]:
    """GitHub's heading anchors: an explicit ``{ #id }``, else the text lower-cased, punctuation dropped, spaces → -."""
    out = set()
    for title in _HEADING.findall(_FENCE.sub("", text)):
        explicit = re.search(r"\{\s*#([\w-]+)\s*\}$", title)
        if explicit:
            out.add(explicit.group(1))
            continue
        slug = re.sub(r"[^\w\- ]", "", title.replace("`", "").strip().lower()).replace(" ", "-")
        out.add(slug)
    return out


def _links(text: str) -> list[str]:
    return _LINK.findall(_CODE.sub("", _FENCE.sub("", text)))


def test_readme_is_at_most_200_lines():
    n = len((ROOT / "README.md").read_text(encoding="utf-8").splitlines())
    assert n <= README_MAX_LINES, f"README.md has {n} lines (at most {README_MAX_LINES}): move detail into a reference file"


@pytest.mark.parametrize("doc", DOCS)
def test_relative_links_lead_to_existing_files_and_headings(doc):
    path = ROOT / doc
    assert path.is_file(), f"{doc} is missing"
    broken = []
    for target in _links(path.read_text(encoding="utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # https:, mailto:, …
            continue
        file_part, _, anchor = target.partition("#")
        dest = (path.parent / file_part).resolve() if file_part else path
        if not dest.exists():
            broken.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest.read_text(encoding="utf-8")):
            broken.append(f"{target}: no heading #{anchor} in {dest.relative_to(ROOT)}")
    assert not broken, f"{doc}: " + "; ".join(broken)


def test_the_link_check_catches_a_broken_link(tmp_path):
    assert _links("see [x](missing.md) and `[not](a-link.md)`") == ["missing.md"]
    assert "language-the-termbase-and-the-language-check" in _anchors("## Language: the termbase and the language check")
