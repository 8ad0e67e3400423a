"""Directives in pages: HTML comments that name a snippet's output, expanded into Markdown per language.

    <!-- figure backprop/graph:graph alt="…" caption="…" -->
    <!-- table backprop/graph:nodes -->
    <!-- value backprop/graph:grad.w0 fmt=".3e" -->
    <!-- output backprop/homework_code:stdout -->
    <!-- source backprop/homework_code -->

Directives inside fenced code blocks or inline code are left alone, so pages can show the syntax itself.

>>> [(d.kind, d.snippet, d.output, d.args, d.line) for d in parse("a\\n<!-- value t/s:x.y fmt='.2f' math -->\\n")]
[('value', 't/s', 'x.y', {'fmt': '.2f', 'math': True}, 2)]
>>> parse("```\\n<!-- value t/s:x -->\\n```\\n`<!-- table t/s:x -->`")
[]
>>> ctx = Context("en", "en/p.md", "docs/en/p.md", {"t/s": {"values": {"r": [{"x": 0.1, "s": "<&>"}]}}}, None)
>>> expand('<div data-ref="<!-- value t/s:r json -->">', ctx)
'<div data-ref="[{&quot;s&quot;:&quot;&lt;&amp;&gt;&quot;,&quot;x&quot;:0.1}]">'
>>> parse('<!-- value t/s:x fnt=".4f" -->')
Traceback (most recent call last):
...
sitegen.directives.DirectiveError: line 1: unknown argument 'fnt' of a value directive (known: fmt=…, math, json, zero=…, one=…, two=…, few=…, many=…, other=…)
>>> [d.in_math for d in parse("$a = <!-- value t/s:x --> + <!-- value t/s:y -->$ and <!-- value t/s:z -->\\n$$\\n<!-- value t/s:w -->\\n$$")]
[True, True, False, True]
>>> parse("<!-- vlaue t/s:x -->")
Traceback (most recent call last):
...
sitegen.directives.DirectiveError: line 1: unknown directive 'vlaue' (known: cards, figure, output, source, table, value)
"""

from __future__ import annotations

import bisect
import html
import json
import posixpath
import re
import shlex
from dataclasses import dataclass, field
from typing import Callable

from .numfmt import fmt, plural, printed

KINDS = ("cards", "figure", "output", "source", "table", "value")
# Every argument each kind accepts: a misspelled one (``fnt=".4f"``) fails the build instead of being ignored.
# ``True`` marks a flag (no ``=value``), ``str`` an argument that takes text.
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
ARGS = {
    "cards": {},
    "figure": {"alt": str, "caption": str},
    "output": {"html": True},
    "source": {"section": str, "lines": str, "title": str},
    "table": {},
    "value": {"fmt": str, "math": True, "json": True, **{k: str for k in PLURAL_FORMS}},
}
# A comment that starts with a word and a snippet reference (``word topic/name``, any case, any spacing, across lines)
# is meant as a directive: it is read by the grammar below or fails the build saying what was expected. Every other
# comment stays a comment (``<!-- TODO -->``, ``<!-- see docs/uk/page.md -->``, ``<!-- https://… -->``).
_CANDIDATE = re.compile(r"\s*(?P<kind>[A-Za-z_][\w-]*)\s+(?P<ref>[\w-]+(?:/[\w-]+)+)(?=[\s:]|$)")
_GRAMMAR = re.compile(r"\s*(?P<kind>[a-z]+)\s+(?P<ref>[a-z0-9_][a-z0-9_-]*(?:/[a-z0-9_-]+)+)"
                      r"(?::(?P<out>[\w.\-]+))?(?P<args>\s.*)?", re.S)
_REF = re.compile(r"[a-z0-9_][a-z0-9_-]*(?:/[a-z0-9_-]+)+")
# An inline code span (one line) or an HTML comment (any lines; unclosed: to the end), whichever starts first.
_CODE_OR_COMMENT = re.compile(r"(?P<tick>`+)(?:(?!(?P=tick)).)+?(?P=tick)|<!--(?P<body>(?s:.*?))(?P<close>-->|\Z)")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


class DirectiveError(Exception):
    """A directive that cannot be read or expanded; ``str()`` is the message, ``line``/``start``/``end`` where it is
    written (set for a directive that does not parse)."""

    def __init__(self, message: str, line: int = 0, start: int = 0, end: int = 0):
        super().__init__(message)
        self.line, self.start, self.end = line, start, end


@dataclass
class Directive:
    kind: str
    snippet: str
    output: str | None
    args: dict = field(default_factory=dict)
    line: int = 0
    start: int = 0
    end: int = 0
    in_math: bool = False  # written inside $…$ or a $$…$$ block


_DOLLARS = re.compile(r"(?<!\\)\$\$|(?<!\\)\$")


def _check_args(kind: str, args: dict, line: int) -> None:
    known = ARGS[kind]
    for name, val in args.items():
        if name not in known:
            names = ", ".join(f"{k}=…" if v is str else k for k, v in known.items()) or "none"
            raise DirectiveError(f"line {line}: unknown argument {name!r} of a {kind} directive (known: {names})")
        if known[name] is True and val is not True:
            raise DirectiveError(f"line {line}: {name!r} of a {kind} directive is a flag: write `{name}`, not "
                                 f"`{name}={val}`")
        if known[name] is str and val is True:
            raise DirectiveError(f'line {line}: {name!r} of a {kind} directive needs a value: {name}="…"')


def _parse_args(text: str, line: int) -> dict:
    args: dict = {}
    try:
        tokens = shlex.split(text)
    except ValueError as exc:
        raise DirectiveError(f"line {line}: cannot read arguments {text.strip()!r}: {exc}") from None
    for tok in tokens:
        if "=" in tok:
            k, v = tok.split("=", 1)
            args[k] = v
        else:
            args[tok] = True
    return args


def fenced(lines):
    """(line number, line, in code) for each line: ``in code`` is true inside a fenced code block, its fences included.

    >>> [c for _, _, c in fenced(["a", "```py", "x", "~~~", "````", "b", "~~~", "y", "~~~~"])]
    [False, True, True, True, True, False, True, True, True]
    """
    fence = None
    for lineno, line in enumerate(lines, 1):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
        elif fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip()[len(m.group(1)):]:
                fence = None
        else:
            yield lineno, line, False
            continue
        yield lineno, line, True


def _shown(body: str) -> str:
    text = " ".join(body.split())
    return f"<!-- {text if len(text) <= 90 else text[:87] + '…'} -->"


def _read(body: str, line: int) -> tuple[str, str, str | None, dict] | None:
    """(kind, snippet, output, args) of a comment's body; None for an ordinary comment; DirectiveError for a comment
    meant as a directive that does not read, saying what was expected."""
    cand = _CANDIDATE.match(body)
    if cand is None:
        return None
    kind, ref = cand["kind"], cand["ref"]
    if kind not in KINDS:
        if kind.lower() in KINDS:
            raise DirectiveError(f"line {line}: directive names are lower case: write "
                                 f"{_shown(body.replace(kind, kind.lower(), 1))}")
        raise DirectiveError(f"line {line}: unknown directive {kind!r} (known: {', '.join(KINDS)})")
    if not _REF.fullmatch(ref):
        fixed = ref.lower()
        hint = f": write {_shown(body.replace(ref, fixed, 1))}" if _REF.fullmatch(fixed) else ""
        raise DirectiveError(f"line {line}: snippet path {ref!r} is not snippets/<topic>/<name>.py in lower-case "
                             f"letters, digits, '_' and '-'{hint}")
    rest = body[cand.end():]
    spaced = re.match(r"(\s*):(\s*)", rest)
    if spaced and (spaced[1] or spaced[2]):
        fixed = body[:cand.end()] + ":" + rest[spaced.end():]
        raise DirectiveError(f"line {line}: no space may {'precede' if spaced[1] else 'follow'} the ':' of "
                             f"{ref}:NAME: write {_shown(fixed)}")
    g = _GRAMMAR.fullmatch(body)
    if g is None:
        raise DirectiveError(f"line {line}: cannot read {_shown(body)}: expected <!-- {kind} {ref}:NAME "
                             f"key=\"value\" flag --> (a NAME is letters, digits, '_', '-' and '.'; arguments are "
                             f"separated by spaces)")
    args = _parse_args(g["args"] or "", line)
    _check_args(kind, args, line)
    return kind, ref, g["out"], args


def parse(markdown: str, errors: list | None = None, line_offset: int = 0) -> list[Directive]:
    """All directives of a page, with 1-based line numbers (plus ``line_offset``) and offsets into ``markdown``.

    A comment meant as a directive that does not read raises :class:`DirectiveError`; given a list ``errors``, every
    such error is appended to it instead (with its line and offsets) and the comment is skipped.

    >>> [(d.kind, d.snippet, d.output, d.line) for d in parse("<!--value t/s:x-->\\n<!-- figure t/s:f\\n  alt='a > b' -->")]
    [('value', 't/s', 'x', 1), ('figure', 't/s', 'f', 2)]
    >>> errors = []
    >>> parse("<!-- Value t/s:x -->\\n<!-- value Softmax/gradient:loss -->\\n<!-- value t/s: x -->\\n<!-- TODO -->\\n"
    ...       "<!-- value t/s:x, fmt='g' -->\\n<!-- value\\n  t/s\\n  :x -->\\n<!-- see docs/uk/page.md -->", errors)
    []
    >>> for e in errors: print(e)
    line 1: directive names are lower case: write <!-- value t/s:x -->
    line 2: snippet path 'Softmax/gradient' is not snippets/<topic>/<name>.py in lower-case letters, digits, '_' and '-': write <!-- value softmax/gradient:loss -->
    line 3: no space may follow the ':' of t/s:NAME: write <!-- value t/s:x -->
    line 5: cannot read <!-- value t/s:x, fmt='g' -->: expected <!-- value t/s:NAME key="value" flag --> (a NAME is letters, digits, '_', '-' and '.'; arguments are separated by spaces)
    line 6: no space may precede the ':' of t/s:NAME: write <!-- value t/s:x -->
    >>> parse("text <!-- value t/s:x")
    Traceback (most recent call last):
    ...
    sitegen.directives.DirectiveError: line 1: <!-- value t/s:x is never closed: expected --> at its end
    """
    # Fenced code blocks blanked (same offsets), so nothing inside them is read.
    lines = markdown.splitlines(keepends=True)
    text = "".join(re.sub(r"[^\n]", " ", line) if in_code else line for _, line, in_code in fenced(lines))
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line))
    plain = list(text)  # also without inline code and comments: where the $ of math are
    comments = []
    for m in _CODE_OR_COMMENT.finditer(text):
        plain[m.start():m.end()] = re.sub(r"[^\n]", " ", m.group(0))
        if m["body"] is not None:
            comments.append(m)
    plain = "".join(plain)
    display_at = []  # inside a $$ … $$ block that spans lines, at the start of each line
    display = False
    for i, start in enumerate(starts):
        display_at.append(display)
        end = starts[i + 1] if i + 1 < len(starts) else len(plain)
        if plain[start:end].count("$$") % 2:
            display = not display
    found = []
    for m in comments:
        index = bisect.bisect_right(starts, m.start()) - 1
        lineno = index + 1 + line_offset
        try:
            if not m["close"] and _CANDIDATE.match(m["body"]):
                first = _shown(m["body"].strip().split("\n")[0])[:-4]
                raise DirectiveError(f"line {lineno}: {first} is never closed: expected --> at its end")
            read = _read(m["body"], lineno)
        except DirectiveError as exc:
            if errors is None:
                raise
            errors.append(DirectiveError(str(exc), lineno, m.start(), m.end()))
            continue
        if read is None:
            continue
        kind, ref, out, args = read
        before = [tok.group(0) for tok in _DOLLARS.finditer(plain, starts[index], m.start())]
        in_display = display_at[index] ^ (before.count("$$") % 2 == 1)
        in_math = in_display or before.count("$") % 2 == 1
        found.append(Directive(kind, ref, out, args, lineno, m.start(), m.end(), in_math))
    return found


def _lookup(values, path: str, where: str):
    cur = values
    for part in path.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, (list, tuple)) and re.fullmatch(r"-?\d+", part) and -len(cur) <= int(part) < len(cur):
            cur = cur[int(part)]
        else:
            known = ", ".join(sorted(map(str, cur))) if isinstance(cur, dict) else f"list of {len(cur)}" \
                if isinstance(cur, (list, tuple)) else type(cur).__name__
            raise DirectiveError(f"{where}: unknown value {path!r} (at {part!r}; known: {known})")
    return cur


@dataclass
class Context:
    """What expanding a page needs: its language, where it lives, and the snippets' results."""

    lang: str
    page_src: str  # e.g. "uk/backprop.md", relative to docs_dir
    page_label: str  # e.g. "docs/uk/backprop.md", for error messages
    results: dict
    figure_src: Callable[[str, str, str], str]  # (snippet, figure, theme) -> src path relative to docs_dir
    # Under `mkdocs serve`: render the error instead of raising; called as (message, snippet, inline).
    on_error: Callable[..., str] | None = None
    failed: dict = field(default_factory=dict)  # snippet -> error message; its directives show the error
    line_offset: int = 0  # lines of the page's file before its Markdown (YAML front matter)


def _figure(d: Directive, r: dict, ctx: Context, where: str) -> str:
    figs = r["figures"].get(ctx.lang, {})
    names = sorted(next(iter(figs.values()), {}))
    if d.output not in names:
        raise DirectiveError(f"{where}: unknown figure {d.output!r} of {d.snippet} (known: {', '.join(names) or 'none'})")
    alt = d.args.get("alt")
    if not alt or alt is True:
        raise DirectiveError(f"{where}: a figure needs alt=\"…\" text in the page's language")
    here = posixpath.dirname(ctx.page_src)
    imgs = []
    # A snippet may also draw `<name>_narrow` for phones: CSS shows one of the two by width (site.css), and a lazy
    # image that is not displayed is never fetched. Each image links to its SVG; figure-zoom.js opens it larger.
    sizes = [(d.output, "snippet-figure__wide"), (d.output + "_narrow", "snippet-figure__narrow")] \
        if d.output + "_narrow" in names else [(d.output, "")]
    for name, cls in sizes:
        for theme, only in (("light", "#only-light"), ("dark", "#only-dark")):
            rel = posixpath.relpath(ctx.figure_src(d.snippet, name, theme), here or ".")
            attrs = f".{cls} loading=lazy" if cls else "loading=lazy"
            # The SVG's own size in CSS px on the <img>: the browser reserves the figure's space before the lazy
            # image arrives (WebKit otherwise moves a heading reached by its #link when a figure above it loads),
            # and figure-zoom.js knows the figure's own size (WebKit's naturalWidth of an SVG is its drawn width).
            size = svg_size(r["figures"][ctx.lang].get(theme, {}).get(name, ""))
            if size:
                attrs += f" width={size[0]} height={size[1]}"
            imgs.append(f'[![{_md_escape(alt)}]({rel}{only}){{ {attrs} }}]({rel})')
    caption = d.args.get("caption")
    # Inline Markdown and math, rendered like the page's own text (links checked, $…$ typeset): md_in_html.
    cap = f'\n  <figcaption markdown="span">{" ".join(caption.split())}</figcaption>' \
        if isinstance(caption, str) else ""
    return (f'\n<figure class="snippet-figure" markdown="span">\n  ' + "\n  ".join(imgs) + cap + "\n</figure>\n")


_SVG_ROOT = re.compile(r"<svg\b[^>]*>")
_LENGTH = re.compile(r'\b(width|height)="([\d.]+)(pt|px)?"')


def svg_size(svg: str | bytes) -> tuple[int, int] | None:
    """The width and height of an SVG in CSS px (matplotlib writes points: 1 pt = 4/3 px), rounded; None if the root
    element gives no absolute size.

    >>> svg_size('<?xml version="1.0"?>\\n<svg width="352.863125pt" height="344.98268pt" viewBox="0 0 352 344">')
    (470, 460)
    >>> svg_size('<svg width="100" height="50">'), svg_size('<svg viewBox="0 0 1 1">')
    ((100, 50), None)
    """
    if isinstance(svg, bytes):
        svg = svg[:2000].decode("utf-8", "replace")
    root = _SVG_ROOT.search(svg)
    if not root:
        return None
    found = {k: float(v) * (4 / 3 if unit == "pt" else 1) for k, v, unit in _LENGTH.findall(root.group(0))}
    if "width" not in found or "height" not in found:
        return None
    return round(found["width"]), round(found["height"])


def _md_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _value(d: Directive, r: dict, ctx: Context, where: str) -> str:
    if not d.output:
        raise DirectiveError(f"{where}: a value needs a name: <!-- value {d.snippet}:NAME -->")
    v = _lookup(r["values"], d.output, where)
    if d.args.get("json"):  # any value as JSON, escaped for an HTML attribute (floats keep every bit: repr)
        try:
            return html.escape(json.dumps(v, allow_nan=False, separators=(",", ":"), sort_keys=True), quote=True)
        except (TypeError, ValueError) as exc:
            raise DirectiveError(f"{where}: cannot write {d.output!r} as JSON: {exc}") from None
    spec = d.args.get("fmt", "")
    if d.args.get("math") and not d.in_math:
        raise DirectiveError(f"{where}: the flag `math` is for a value inside $…$; this one is in prose: remove `math`")
    target = "math" if d.in_math else "html"  # inside $…$ a value is TeX, with or without the flag
    if isinstance(v, str):
        text = v if target == "math" else html.escape(v)
    elif isinstance(v, (int, float)) or hasattr(v, "item"):
        try:
            text = fmt(v, spec if isinstance(spec, str) else "", ctx.lang, target)
        except (ValueError, TypeError) as exc:
            raise DirectiveError(f"{where}: cannot format {d.output!r} = {v!r} with fmt={spec!r}: {exc}") from None
    else:
        raise DirectiveError(f"{where}: value {d.output!r} is a {type(v).__name__}, not a number or string")
    forms = {k: d.args[k] for k in PLURAL_FORMS if k in d.args}
    if forms:
        # The form agrees with the number as printed (33.96 printed «34»: «34 рази», not the form of 33.96).
        shown = printed(text, ctx.lang) if isinstance(v, (int, float)) or hasattr(v, "item") else None
        if shown is None:
            raise DirectiveError(f"{where}: {text!r} has no plural form (a power of ten, a percentage or text): "
                                 f"rephrase so that no counted word follows it")
        word = plural(shown, ctx.lang, **forms)
        text += (f"\\ \\text{{{word}}}" if target == "math" else "\u00a0" + word)
    return text


def _output(d: Directive, r: dict, ctx: Context, where: str) -> str:
    name = d.output or "stdout"
    if name == "stdout":
        text = r["stdout"][ctx.lang]  # what the snippet printed for this page's language (its report(values, lang))
    elif name == "exception":
        if not r["exception"]:
            raise DirectiveError(f"{where}: {d.snippet} raised no declared exception")
        text = r["exception"]
    else:
        raise DirectiveError(f"{where}: unknown output {name!r} of {d.snippet} (known: stdout, exception)")
    if d.args.get("html"):
        return text
    fence = "`" * max(3, max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    # The class marks printed output, which wraps on a narrow screen (site.css); a source listing scrolls.
    return f"\n{fence}{{.text .snippet-output}}\n{text.rstrip()}\n{fence}\n"


def _table(d: Directive, r: dict, ctx: Context, where: str) -> str:
    tables = r["tables"].get(ctx.lang, {})
    if d.output not in tables:
        raise DirectiveError(f"{where}: unknown table {d.output!r} of {d.snippet} (known: {', '.join(sorted(tables)) or 'none'})")
    return "\n" + tables[d.output].to_markdown(ctx.lang) + "\n"


def _source(d: Directive, r: dict | None, ctx: Context, where: str) -> str:
    path = f"snippets/{d.snippet}.py"
    lines, section = d.args.get("lines"), d.args.get("section")
    if isinstance(section, str):  # a part marked in the file by `# --8<-- [start:NAME]` … `# --8<-- [end:NAME]`
        spec = f"{path}:{section}"
    elif isinstance(lines, str):
        spec = f"{path}:{lines.replace('-', ':')}"
    else:
        spec = path
    title = str(d.args.get("title", path))
    if '"' in title:
        raise DirectiveError(f"{where}: a source title cannot contain a double quote; use “…” or «…»")
    # Not escaped here: pymdownx.highlight escapes the title itself (escaping twice showed "&#x27;" on the page).
    return f'\n```python title="{title}"\n--8<-- "{spec}"\n```\n'


def _cards(d: Directive, r: dict, ctx: Context, where: str) -> str:
    """The home page's topic cards from topics.yml, thumbnails from the snippet's figures or, for a topic it draws
    nothing for, the first figure of the topic's page (sitegen/cards.py)."""
    from .cards import cards
    from .topics import ROOT, load

    here = posixpath.dirname(ctx.page_src)

    def rel(snippet, fig, theme):
        return posixpath.relpath(ctx.figure_src(snippet, fig, theme), here or ".")

    def src_of(fig, theme):
        return rel(d.snippet, fig, theme) if fig in r["figures"].get(ctx.lang, {}).get(theme, {}) else None

    def first_figure_of(topic, theme):
        try:
            text = (ROOT / "docs" / ctx.lang / topic.page).read_text(encoding="utf-8")
        except OSError:
            return None
        for f in parse(text, []):  # the page's own slips are reported when the page itself is built
            figs = ctx.results.get(f.snippet, {}).get("figures", {}).get(ctx.lang, {}).get(theme, {})
            if f.kind == "figure" and f.output in figs:
                return rel(f.snippet, f.output, theme)
        return None

    try:
        return cards(load(), ctx.lang, src_of, first_figure_of)
    except ValueError as exc:
        raise DirectiveError(f"{where}: {exc} ({d.snippet})") from None


_EXPANDERS = {"cards": _cards, "figure": _figure, "value": _value, "output": _output, "table": _table, "source": _source}


def expand(markdown: str, ctx: Context) -> str:
    """The page with every directive replaced by Markdown for ``ctx.lang``; errors name ``page:line``.

    An indented block directive keeps its indentation on every line of what it becomes:

    >>> ctx = Context("en", "en/p.md", "docs/en/p.md", {"t/s": {"stdout": {"en": "a\\nb", "uk": "а\\nб"}, "exception": None}}, None)
    >>> print(expand('??? example "Out"\\n    <!-- output t/s:stdout -->\\n', ctx))
    ??? example "Out"
    <BLANKLINE>
        ```{.text .snippet-output}
        a
        b
        ```
    <BLANKLINE>
    <BLANKLINE>
    """
    errors: list[DirectiveError] = []
    directives = parse(markdown, errors, ctx.line_offset)
    if errors and ctx.on_error is None:
        raise DirectiveError(f"{ctx.page_label}:{str(errors[0]).removeprefix('line ')}")
    out, pos = [], 0
    for d in sorted([*directives, *errors], key=lambda item: item.start):
        line_start = markdown.rfind("\n", 0, d.start) + 1
        indent = markdown[line_start:d.start]
        if isinstance(d, DirectiveError):  # a comment meant as a directive that does not read: its error in place
            rest = markdown[d.end:].split("\n", 1)[0]
            text = ctx.on_error(f"{ctx.page_label}:{str(d).removeprefix('line ')}", None,
                                bool(indent.strip() or rest.strip()))
        else:
            where = f"{ctx.page_label}:{d.line}"
            try:
                if d.snippet in ctx.failed:
                    raise DirectiveError(f"{where}: {ctx.failed[d.snippet]}")
                if d.snippet not in ctx.results:
                    raise DirectiveError(f"{where}: unknown snippet {d.snippet!r} (no file snippets/{d.snippet}.py)")
                text = _EXPANDERS[d.kind](d, ctx.results.get(d.snippet), ctx, where)
            except DirectiveError as exc:
                if ctx.on_error is None:
                    raise
                text = ctx.on_error(str(exc), d.snippet, d.kind == "value")
        if indent and not indent.strip():
            # A block directive indented inside an admonition, a `???` block or a list item: its Markdown must keep
            # that indentation on every line, or the block would fall out of its container.
            text = text.replace("\n", "\n" + indent)
        out.append(markdown[pos:d.start])
        out.append(text)
        pos = d.end
    out.append(markdown[pos:])
    return "".join(out)
