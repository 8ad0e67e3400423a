"""What a snippet may import from the site: tables, colours, labels and number formatting.

Snippets stay plain Python a student can run; this module is small on purpose and knows nothing of MkDocs.

>>> t = Table(["x", "f(x)"], [[1, 0.5], [2, 0.25]], formats=[None, ".2f"])
>>> t.cell(1, 1, "uk")
'0,25'
>>> t.cell(0, 0, "en")
'1'
>>> label({"uk": {"x": "вхід"}, "en": {"x": "input"}}, "uk", "x")
'вхід'
>>> sorted(palette("dark")) == sorted(palette("light"))
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from .numfmt import Bound, exact_zero, fmt, plural  # noqa: F401  (re-exported for snippets)

LANGS = ("uk", "en")
THEMES = ("light", "dark")

# Okabe–Ito colours, told apart by colour-blind readers; lighter variants for the dark palette.
_PALETTES = {
    "light": {
        "fg": "#1f2328", "muted": "#59636e", "grid": "#d0d7de", "bg": "none",
        "forward": "#007a55", "backward": "#c0392b", "blue": "#0072b2", "orange": "#d55e00",
        "purple": "#8e44ad", "yellow": "#b58900", "sky": "#3b8fc4",
    },
    "dark": {
        "fg": "#e6edf3", "muted": "#9aa4ae", "grid": "#3d444d", "bg": "none",
        "forward": "#4cd6a0", "backward": "#ff8a7a", "blue": "#6cb8f0", "orange": "#ffa35c",
        "purple": "#d2a8ff", "yellow": "#e3c15a", "sky": "#8cc8f0",
    },
}


def palette(theme: str) -> dict[str, str]:
    """Colours that read on Material's light (``default``) or dark (``slate``) background."""
    return dict(_PALETTES[theme])


def rc_params(theme: str) -> dict[str, Any]:
    """Matplotlib settings applied by the runner around ``figures()``; deterministic SVG output."""
    p = _PALETTES[theme]
    return {
        "svg.hashsalt": "deep-learning-basics",
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
        "font.size": 10.0,
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.transparent": True,
        "text.color": p["fg"],
        "axes.labelcolor": p["fg"],
        "axes.edgecolor": p["muted"],
        "xtick.color": p["fg"],
        "ytick.color": p["fg"],
        "grid.color": p["grid"],
        "legend.frameon": False,
        "axes.prop_cycle": __import__("cycler").cycler(
            color=[p["blue"], p["orange"], p["forward"], p["purple"], p["backward"], p["yellow"], p["sky"]]
        ),
        "axes.unicode_minus": True,
        "path.simplify": True,
    }


# -- figures: the one size rule ---------------------------------------------------------------------------------------
# A figure is at most WIDTH inches wide, everything included (legend, labels, titles), with text of at least 10 pt
# (rc_params' default). On a phone's 358 px column its 10 pt text is then drawn at ≥ 9 px, on a laptop at 13 px.
# subplots() below keeps the first half by itself; the build measures every figure and fails naming the one that
# breaks the rule (sitegen/checks.py figure_problems). A wider layout returns a phone variant `<name>_narrow` too.
WIDTH = 5.0
HEIGHT = 3.0
EXACT_SIZE = "dl_basics_exact_size"  # a figure attribute: save it at its own size (sitegen/worker.py), not cropped


def subplots(nrows: int = 1, ncols: int = 1, *, width: float = WIDTH, height: float = HEIGHT, **kwargs):
    """``plt.subplots`` for a figure of exactly ``width`` × ``height`` inches, legend and labels inside.

    The layout is matplotlib's constrained layout: axis labels, titles, colour bars and a legend placed outside the
    data (``ax.legend(loc="upper left", bbox_to_anchor=(1, 1))`` beside the axes, or ``fig.legend(loc="outside
    lower center", ncols=2)`` below them) shrink the axes, never widen the figure, and the build saves the SVG at
    exactly this size. A figure from plain ``plt.subplots`` is saved cropped to what it draws, so a legend outside the
    axes makes it wider than asked (a 5 in figure became 5.9 in, too wide for its text on a phone).

    >>> import matplotlib; matplotlib.use("Agg")
    >>> fig, ax = subplots(height=2.5); _ = ax.plot([0, 1], label="a long legend entry")
    >>> _ = ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    >>> fig.get_size_inches().tolist(), getattr(fig, EXACT_SIZE)
    ([5.0, 2.5], True)
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained", **kwargs)
    setattr(fig, EXACT_SIZE, True)
    return fig, axes


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def local_numbers(fig, lang: str):
    """Tick labels as the site writes numbers: a decimal comma in Ukrainian (``0,2``), U+2212 minus, ``10⁻³``.

    Call it on a figure before returning it from ``figures()``; it changes the linear axes' default formatter
    (matplotlib's ScalarFormatter, which writes a decimal point whatever the language) and leaves other formatters.

    >>> import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); _ = ax.set_ylim(0, 0.3); _ = local_numbers(fig, "uk"); fig.canvas.draw()
    >>> [t.get_text() for t in ax.get_yticklabels()][:3]
    ['0,00', '0,05', '0,10']
    >>> plt.close(fig)
    """
    from matplotlib.ticker import LogFormatterSciNotation, ScalarFormatter

    class _Power(LogFormatterSciNotation):
        """Decades as ``10⁻¹³`` in Unicode (one font size), not mathtext's smaller raised exponent."""

        def __call__(self, x, pos=None):
            text = super().__call__(x, pos)
            m = re.fullmatch(r"\$\\mathdefault\{10\^\{(\\minus|-)?(\d+)\}\}\$", text)
            if not m:
                return text
            return "10" + ("⁻" if m[1] else "") + m[2].translate(_SUPERSCRIPT)

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is LogFormatterSciNotation:
                axis.set_major_formatter(_Power())
    if lang != "uk":
        return fig

    class _Comma(ScalarFormatter):
        def __call__(self, x, pos=None):
            return super().__call__(x, pos).replace(".", ",")

        def get_offset(self):
            return super().get_offset().replace(".", ",")

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for which in ("major", "minor"):
                f = axis.get_major_formatter() if which == "major" else axis.get_minor_formatter()
                if type(f) is ScalarFormatter:
                    new = _Comma(useOffset=f.get_useOffset(), useMathText=f.get_useMathText())
                    (axis.set_major_formatter if which == "major" else axis.set_minor_formatter)(new)
    return fig


def label(labels: dict[str, dict[str, str]], lang: str, key: str) -> str:
    """``labels[lang][key]`` with a clear error naming the missing key."""
    try:
        return labels[lang][key]
    except KeyError:
        raise KeyError(f"label {key!r} missing for language {lang!r}") from None


@dataclass
class Table:
    """A table rendered into the page as Markdown. Numbers are formatted per language at render time.

    ``formats`` holds one Python format spec per column (``None`` leaves the cell as given; strings are used as
    they are, so they may hold Markdown or ``$math$``). ``align`` is one of ``l``, ``c``, ``r`` per column.
    """

    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    formats: Sequence[str | None] | None = None
    align: str | None = None
    notes: list[str] = field(default_factory=list)

    def __post_init__(self):
        n = len(self.columns)
        for i, row in enumerate(self.rows):
            if len(row) != n:
                raise ValueError(f"table row {i} has {len(row)} cells, expected {n}")
        if self.formats is not None and len(self.formats) != n:
            raise ValueError(f"{len(self.formats)} formats for {n} columns")
        if self.align is not None and (len(self.align) != n or set(self.align) - set("lcr")):
            raise ValueError(f"align {self.align!r} must be one of l/c/r per column")

    def cell(self, i: int, j: int, lang: str) -> str:
        v = self.rows[i][j]
        spec = self.formats[j] if self.formats else None
        if isinstance(v, str):
            return v
        if v is None:
            return "—"
        if hasattr(v, "item"):
            v = v.item()
        if isinstance(v, bool):
            return {"uk": {True: "так", False: "ні"}, "en": {True: "yes", False: "no"}}[lang][v]
        if isinstance(v, (int, float)):
            return fmt(v, spec or ("d" if isinstance(v, int) else ".4g"), lang)
        return str(v)

    def to_markdown(self, lang: str) -> str:
        def esc(s: str) -> str:
            return s.replace("|", "\\|").replace("\n", " ")

        align = self.align or "l" + "r" * (len(self.columns) - 1)
        rule = {"l": ":--", "c": ":-:", "r": "--:"}
        lines = [
            "| " + " | ".join(esc(c) for c in self.columns) + " |",
            "| " + " | ".join(rule[a] for a in align) + " |",
        ]
        for i in range(len(self.rows)):
            lines.append("| " + " | ".join(esc(self.cell(i, j, lang)) for j in range(len(self.columns))) + " |")
        return "\n".join(lines)
