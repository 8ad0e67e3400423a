"""Make the site's math font: a subset of Noto Sans Math (OFL) with its OpenType MATH table.

Source: the npm package @fontsource/noto-sans-math (pinned in package.json; `npm ci` installs it). Its WOFF file
holds the whole font with the MATH table; its CSS is not used (it limits the font to Latin). The subset keeps fixed
Unicode blocks, not the characters the pages use today, so a new page rarely needs a new font, and sets a few of the
MATH table's constants (MATH_CONSTANTS: script size, superscript height). tests/test_layout.py fails when the site's
MathML uses a character the subset lacks, and when the committed font is not what this script makes. Run after
changing BLOCKS, MATH_CONSTANTS or the package version:

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
    "Spacing Modifier Letters, accents (ˆ for \\hat)": (0x02C6, 0x02DD),
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


# OpenType MATH constants changed from Noto Sans Math's (issue 28: math that reads like a textbook on a phone), in
# font units (1000 per em) and percent. Compared in Chromium with KaTeX's rendering of the site's formulas.
MATH_CONSTANTS = {
    # A script at 70% of its base, TeX's 7 pt on 10 pt: 11.2 px in 16 px text. Noto's 60% drew exponents at 9.6 px in
    # Chromium; WebKit scales scripts by a fixed 71% (11.4 px), Firefox draws none under 8 pt (10.7 px); KaTeX 13.6 px.
    "ScriptPercentScaleDown": 70,
    # MathML Core raises a superscript to at least the top of its base less this (TeX: only for a base that is not
    # one character). Measured on the ink in Chromium, in em: Noto's 240 set the 2 of tanh² at 0.53, 69% of the h's
    # height (KaTeX: 65%); 290 sets it at 0.48 (62%), and 10², h², d² at 0.44-0.48 (KaTeX: 0.44-0.45); x² and e²
    # keep SuperscriptShiftUp, 0.39 (KaTeX: 0.45).
    "SuperscriptBaselineDropMax": 290,
}


def unicodes() -> list[int]:
    return [u for lo, hi in BLOCKS.values() for u in range(lo, hi + 1)]


def make(source: Path = SOURCE) -> bytes:
    """The subset as WOFF2 bytes (deterministic for a given fontTools and brotli)."""
    font = TTFont(source, recalcTimestamp=False)  # reproducible: keep the source's head.modified
    options = subset.Options()
    options.layout_features = ["*"]          # every feature the source has (frac, rtlm; it has no ssty, flac, dtls)
    options.flavor = "woff2"
    options.name_IDs = ["*"]                 # keep the copyright and licence records
    options.notdef_outline = True
    options.glyph_names = False
    sub = subset.Subsetter(options)
    sub.populate(unicodes=unicodes())
    sub.subset(font)
    assert "MATH" in font, "the subset lost the MATH table"
    constants = font["MATH"].table.MathConstants
    for name, value in MATH_CONSTANTS.items():
        if hasattr(getattr(constants, name), "Value"):  # a MathValueRecord (the percentages are plain integers)
            getattr(constants, name).Value = value
        else:
            setattr(constants, name, value)
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
