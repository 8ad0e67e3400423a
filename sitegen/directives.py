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

import html
import json
import posixpath
import re
import shlex
from dataclasses import dataclass, field
from functools import lru_cache
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
# Any comment whose second word looks like a snippet reference is meant as a directive; a typo in the kind fails.
_DIRECTIVE = re.compile(
    r"<!--\s*(?P<kind>[A-Za-z_][\w-]*)\s+(?P<ref>[a-z0-9_][\w-]*(?:/[\w-]+)+)(?::(?P<out>[\w.\-]+))?"
    r"(?P<args>(?:\s+[^\s-][^>]*?)?)\s*-->"
)
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")


class DirectiveError(Exception):
    pass


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


def _mask_code(line: str) -> str:
    return _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)


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


def parse(markdown: str) -> list[Directive]:
    """All directives of a page, with 1-based line numbers and offsets into ``markdown``."""
    found = []
    offset = 0
    display = False  # inside a $$ … $$ block that spans lines
    for lineno, line, in_code in fenced(markdown.splitlines(keepends=True)):
        if not in_code:
            masked = _mask_code(line)
            dollars = [(m.start(), m.group(0)) for m in _DOLLARS.finditer(masked)]
            for d in _DIRECTIVE.finditer(masked):
                kind = d["kind"]
                if kind not in KINDS:
                    raise DirectiveError(f"line {lineno}: unknown directive {kind!r} (known: {', '.join(KINDS)})")
                args = _parse_args(d["args"], lineno)
                _check_args(kind, args, lineno)
                before = [tok for pos, tok in dollars if pos < d.start()]
                in_display = display ^ (before.count("$$") % 2 == 1)
                in_math = in_display or before.count("$") % 2 == 1
                found.append(Directive(kind, d["ref"], d["out"], args, lineno,
                                       offset + d.start(), offset + d.end(), in_math))
            if sum(1 for _, tok in dollars if tok == "$$") % 2:
                display = not display
        offset += len(line)
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
            imgs.append(f'[![{_md_escape(alt)}]({rel}{only}){{ {attrs} }}]({rel})')
    caption = d.args.get("caption")
    cap = f"\n  <figcaption>{html.escape(caption)}</figcaption>" if isinstance(caption, str) else ""
    return (f'\n<figure class="snippet-figure" markdown="span">\n  ' + "\n  ".join(imgs) + cap + "\n</figure>\n")


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
    return f"\n{fence}text\n{text.rstrip()}\n{fence}\n"


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
    """The home page's topic cards from topics.yml, thumbnails from the snippet's figures (sitegen/cards.py)."""
    from .cards import cards
    from .topics import load

    figs = r["figures"].get(ctx.lang, {}).get("light", {})
    here = posixpath.dirname(ctx.page_src)

    def src_of(fig, theme):
        return posixpath.relpath(ctx.figure_src(d.snippet, fig, theme), here or ".") if fig in figs else None

    try:
        return cards(load(), ctx.lang, src_of)
    except ValueError as exc:
        raise DirectiveError(f"{where}: {exc} of {d.snippet}") from None


_EXPANDERS = {"cards": _cards, "figure": _figure, "value": _value, "output": _output, "table": _table, "source": _source}


def expand(markdown: str, ctx: Context) -> str:
    """The page with every directive replaced by Markdown for ``ctx.lang``; errors name ``page:line``.

    An indented block directive keeps its indentation on every line of what it becomes:

    >>> ctx = Context("en", "en/p.md", "docs/en/p.md", {"t/s": {"stdout": {"en": "a\\nb", "uk": "а\\nб"}, "exception": None}}, None)
    >>> print(expand('??? example "Out"\\n    <!-- output t/s:stdout -->\\n', ctx))
    ??? example "Out"
    <BLANKLINE>
        ```text
        a
        b
        ```
    <BLANKLINE>
    <BLANKLINE>
    """
    try:
        directives = parse(markdown)
    except DirectiveError as exc:
        raise DirectiveError(f"{ctx.page_label}:{str(exc).removeprefix('line ')}") from None
    out, pos = [], 0
    for d in directives:
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
        line_start = markdown.rfind("\n", 0, d.start) + 1
        indent = markdown[line_start:d.start]
        if indent and not indent.strip():
            # A block directive indented inside an admonition, a `???` block or a list item: its Markdown must keep
            # that indentation on every line, or the block would fall out of its container.
            text = text.replace("\n", "\n" + indent)
        out.append(markdown[pos:d.start])
        out.append(text)
        pos = d.end
    out.append(markdown[pos:])
    return "".join(out)


@lru_cache(maxsize=256)
def parse_cached(markdown: str) -> tuple[Directive, ...]:
    """:func:`parse`, remembered by the page's text (``mkdocs serve`` parses every page several times per rebuild:
    the build's checks, the notebooks' alt texts, the expansion). Callers read the directives, never change them; a
    page that does not parse raises every time (exceptions are not remembered)."""
    return tuple(parse(markdown))
