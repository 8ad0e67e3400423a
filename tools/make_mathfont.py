"""Make the site's math font: a subset of Noto Sans Math (OFL) with its OpenType MATH table.

Source: the npm package @fontsource/noto-sans-math (pinned in package.json; `npm ci` installs it). Its WOFF file
holds the whole font with the MATH table; its CSS is not used (it limits the font to Latin). The subset keeps fixed
Unicode blocks, not the characters the pages use today, so a new page rarely needs a new font; tests/test_mathfont.py
fails when the site's MathML uses a character the subset lacks, and when the committed font is not what this script
makes. Run after changing BLOCKS or the package version:

    .venv/bin/python tools/make_mathfont.py

Output (committed, like the notebooks): docs/assets/fonts/NotoSansMath-subset.woff2 and its licence, OFL.txt.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "node_modules" / "@fontsource" / "noto-sans-math"
SOURCE = PACKAGE / "files" / "noto-sans-math-latin-400-normal.woff"
OUT = ROOT / "docs" / "assets" / "fonts" / "NotoSansMath-subset.woff2"
LICENSE = OUT.parent / "OFL.txt"

# Unicode blocks kept (inclusive ranges; a block may be cut to its mathematical part, the comment says which).
# Cyrillic is not here: words in \text{…} are <mtext>, which site.css sets in the text font. Chromium draws a
# one-letter <mi> (x, β) from Mathematical Italic (𝑥 U+1D465, 𝛽 U+1D6FD; ℎ is U+210E), hence those ranges.
BLOCKS = {
    "Basic Latin": (0x0020, 0x007E),
    "Latin-1 Supplement, symbols (± · × ÷ ¬ °)": (0x00A0, 0x00F7),
    "Greek and Coptic": (0x0370, 0x03FF),
    "General Punctuation (spaces, ‖ … ′ ″ ‴, invisible operators)": (0x2000, 0x206F),
    "Letterlike Symbols (ℎ ℓ ℕ ℝ …)": (0x2100, 0x214F),
    "Arrows": (0x2190, 0x21FF),
    "Mathematical Operators": (0x2200, 0x22FF),
    "Miscellaneous Technical, ceiling and floor": (0x2308, 0x230B),
    "Miscellaneous Mathematical Symbols-A, brackets (⟦ ⟧ ⟨ ⟩)": (0x27E6, 0x27EF),
    "Mathematical Alphanumerics: bold and italic (Latin)": (0x1D400, 0x1D467),
    "Mathematical Alphanumerics: double-struck (Latin)": (0x1D538, 0x1D56B),
    "Mathematical Alphanumerics: bold and italic (Greek)": (0x1D6A8, 0x1D71B),
    "Mathematical Alphanumerics: bold and double-struck digits": (0x1D7CE, 0x1D7E1),
}


def unicodes() -> list[int]:
    return [u for lo, hi in BLOCKS.values() for u in range(lo, hi + 1)]


def make(source: Path = SOURCE) -> bytes:
    """The subset as WOFF2 bytes (deterministic for a given fontTools and brotli)."""
    font = TTFont(source, recalcTimestamp=False)  # reproducible: keep the source's head.modified
    options = subset.Options()
    options.layout_features = ["*"]          # ssty (script-style glyphs), flac, dtls … and everything MATH needs
    options.flavor = "woff2"
    options.name_IDs = ["*"]                 # keep the copyright and licence records
    options.notdef_outline = True
    options.glyph_names = False
    sub = subset.Subsetter(options)
    sub.populate(unicodes=unicodes())
    sub.subset(font)
    assert "MATH" in font, "the subset lost the MATH table"
    buf = io.BytesIO()
    font.flavor = "woff2"
    font.save(buf, reorderTables=True)
    return buf.getvalue()


def main(argv: list[str]) -> int:
    if not SOURCE.is_file():
        print(f"missing {SOURCE.relative_to(ROOT)}: run `npm ci` (./dev test does)", file=sys.stderr)
        return 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    data = make()
    OUT.write_bytes(data)
    LICENSE.write_text((PACKAGE / "LICENSE").read_text(encoding="utf-8"), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(data) / 1024:.1f} KB) and {LICENSE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
