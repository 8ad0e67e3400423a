"""The language check: every Ukrainian string of the site against the termbase, with file and line.

What it reads (``sources()``): the Ukrainian pages (``docs/uk/*.md``), the Ukrainian strings of the snippets (figure
labels, table headers: every Cyrillic string literal under ``snippets/``), the notebook texts (``sitegen/notebooks.py``,
``topics.yml``), the interface strings (``mkdocs.yml``, ``overrides/``, ``hooks/``, the explorer's script).
What it exempts: quote blocks (``!!! quote``, ``>``: verbatim homework or papers), code (fenced blocks, inline code,
the code of notebooks), link targets, HTML attributes, heading ids; an English gloss in parentheses, «(dilated)»,
is exempt from the term rules (not from the name and typography rules).

What it reports (:class:`Finding`): a rejected variant of a term (``termbase.yml`` ``concepts[].rejected_uk``), a
flagged word or construction (``style``), an author's name in Latin letters or misspelt (``names``), a typography
rule (``typography``), and — on the built text — a counted noun that does not agree with its number
(:func:`numeral_findings`).

>>> rules = Rules.from_termbase()
>>> [f.message.split(" →")[0] for f in rules.check("Градієнт, що приходить згори (вхідний градієнт).", "x", 1)]
['«вхідний градієнт»']
>>> rules.check("Інвертований дропаут (inverted dropout) і `nn.Dropout`.", "x", 1)
[]
>>> [f.text for f in rules.check("Цей Dropout занулює", "x", 1)]
['Dropout']
>>> [f.text for f in numeral_findings("у 34 разів менше, у 28 раза, 3 332 множень, у 2,5 раза, 3 шари")]
['34 разів', '28 раза', '3 332 множень']
>>> [f.message[:30] for f in numeral_findings("більші в 1,23 × 10        8 раза")]  # <sup> masked as spaces
['після числа з «× 10ⁿ» форма ім']
"""

from __future__ import annotations

import ast
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import termbase as tb
from .directives import _parse_args, DirectiveError, fenced

CYR = re.compile(r"[А-ЩЬЮЯЄІЇҐа-щьюяєіїґ]")


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    text: str
    message: str

    def __str__(self):
        return f"{self.file}:{self.line}: «{self.text}»: {self.message}"


@dataclass
class Rule:
    kind: str  # "lemma" or "regex"
    pattern: object  # tuple of lemmas or a compiled regex
    message: str
    gloss_exempt: bool = True  # an English gloss in parentheses is exempt
    math: bool = False  # also applies inside $…$


def _rule(spec: str, message: str, gloss_exempt=True, math=False) -> Rule:
    if spec.startswith("re:"):
        return Rule("regex", re.compile(spec[3:]), message, gloss_exempt, math)
    return Rule("lemma", tb.phrase_lemmas(spec, "uk"), message, gloss_exempt, math)


class Rules:
    def __init__(self, rules: list[Rule], base: tb.Termbase):
        self.rules = rules
        self.termbase = base
        self.index = {gloss_exempt: tb.PhraseIndex([(r, r.pattern) for r in rules
                                                    if r.kind == "lemma" and r.gloss_exempt == gloss_exempt])
                      for gloss_exempt in (True, False)}

    @classmethod
    def from_termbase(cls, base: tb.Termbase | None = None) -> "Rules":
        base = base or tb.load()
        rules = []
        for c in base.concepts:
            for r in c.rejected_uk:
                shown = "" if r.startswith("re:") else f"«{r}» "
                rules.append(_rule(r, f"{shown}→ «{c.uk}» (termbase: {c.id})"))
            if c.synonym_uk:
                rules.append(_rule(c.synonym_uk, f"синонім «{c.synonym_uk}» буває лише в словнику → «{c.uk}» "
                                                 f"(termbase: {c.id})"))
        for s in base.style:
            shown = "" if s["uk"].startswith("re:") else f"«{s['uk']}» "
            rules.append(_rule(s["uk"], f"{shown}→ {s['suggest']} ({s['why']})"))
        for n in base.names:
            rules.append(Rule("regex", re.compile(rf"\b{re.escape(n['latin'])}\b"),
                              f"ім’я латиницею в українському тексті → «{n['uk']}»", gloss_exempt=False))
            for bad in n.get("rejected_uk", []):
                rules.append(Rule("regex", re.compile(rf"(?<![\w’']){re.escape(bad)}(?![\w’'])"),
                                  f"«{bad}» → «{n['uk']}» ({n.get('why', 'termbase: names')})", gloss_exempt=False))
        for t in base.typography:
            rules.append(_rule(t["rule"], f"{t['suggest']} ({t['why']})", gloss_exempt=False,
                               math=bool(t.get("math"))))
        return cls(rules, base)

    def check(self, text: str, file: str, line: int, math: str = "") -> list[Finding]:
        """Findings in one line of Ukrainian prose (already stripped of code, links and quotes); ``math`` is the
        text of the line's formulas, which only ``math`` rules see."""
        return [Finding(file, line, _squeeze(t), msg) for _, t, msg in self.spans(text, math)]

    def check_lines(self, lines: list, file: str) -> list[Finding]:
        """Findings in consecutive lines of one paragraph, ``[(line number, prose, math)]``: a phrase broken across
        lines is still found, and reported at the line where it starts."""
        joined, starts = "", []
        for lineno, text, _ in lines:
            starts.append((len(joined), lineno))
            joined += text.replace("\n", " ") + " "
        found = []
        for start, t, msg in self.spans(joined, ""):
            lineno = max(ln for off, ln in starts if off <= start)
            found.append(Finding(file, lineno, _squeeze(t), msg))
        for lineno, _, maths in lines:
            if maths.strip():
                found += [Finding(file, lineno, t, msg) for _, t, msg in self.spans("", maths)]
        return found

    def spans(self, text: str, math: str = ""):
        """(offset in text, matched text, message) of every finding; offsets in ``math`` are reported as -1."""
        found = []
        glossed = _mask_glosses(text)
        for r in self.rules:
            if r.kind == "regex":
                subject = glossed if r.gloss_exempt else text
                for target in ([subject, math] if r.math else [subject]):
                    for m in r.pattern.finditer(target):
                        found.append((m.start() if target is subject else -1, m.group(0), r.message))
        for gloss_exempt, subject in ((True, glossed), (False, text)):
            if subject.strip() and self.index[gloss_exempt].by_first:
                for r, start, end in self.index[gloss_exempt].find(subject, "uk"):
                    found.append((start, subject[start:end], r.message))
        return found


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", " ", s)


_GLOSS = re.compile(r"\(([^()]*)\)")


def _mask_glosses(text: str) -> str:
    """«(Batch Normalization, BN)», «(dilated)»: parentheses holding no Cyrillic are an English gloss."""
    return _GLOSS.sub(lambda m: m.group(0) if CYR.search(m.group(1)) else " " * len(m.group(0)), text)


# -- printed output: words a Ukrainian reader sees in what a program printed -------------------------------------
_CODE_CHARS = re.compile(r"[()\[\]{}._=/<>0-9'\"]")
CODE_WORDS = frozenset({"tensor", "None", "True", "False", "nan", "inf", "NaN"})  # Python's and PyTorch's own


def english_words(printed: str) -> list[str]:
    """The English words of a program's printed output: Latin words that are not code.

    A whitespace-separated token holding code characters (brackets, dots, underscores, ``=``, digits, quotes) is code:
    ``nn.Dropout(0.7).eval():``, ``tensor([1.,``, ``dF/dw0``, ``float64``; so are single letters (``x = −10``),
    Python's own names (``None``, ``tensor``) and abbreviations (``LoG``, ``ReLU``: two capitals or more). What is left
    with two or more Latin letters, once the punctuation around it is stripped, is a word.

    >>> english_words("nn.Dropout(0.7).train(), на вході 10 одиниць:\\ntensor([3.3333, 0.0000])")
    []
    >>> english_words("x = −10 (домашнє завдання), float64: найкращий h = 1,0×10⁻³; dF/dw0 = −1,6×10⁻⁸, None")
    []
    >>> english_words("sum of the first 12 odd numbers: 144\\njacobian rank 25 (model: 3) лапласіан (LoG)")
    ['sum', 'of', 'the', 'first', 'odd', 'numbers', 'jacobian', 'rank', 'model']
    """
    found = []
    for token in printed.split():
        word = token.strip(",;:!?«»“”—–-()")
        if _CODE_CHARS.search(word) or word in CODE_WORDS or sum(c.isupper() for c in word) >= 2:
            continue
        if re.fullmatch(r"[A-Za-z]{2,}", word):
            found.append(word)
    return found


# -- Markdown: the prose of a page, line by line -------------------------------------------------------------------
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_MATH_INLINE = re.compile(r"(?<![\\$])\$(?!\$)(?:\\.|[^$\\])+?\$")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_ATTR = re.compile(r"\{[:#. ][^}]*\}")
_TAG = re.compile(r"<[^>]*>")
_COMMENT = re.compile(r"<!--(.*?)-->")
_ADMONITION = re.compile(r"^(\s*)(?:!!!|\?\?\?\+?)\s+(\w+)(?:\s+\"(.*)\")?\s*$")
TRANSLATED_ARGS = ("alt", "caption", "title", "zero", "one", "two", "few", "many", "other")


def _mask(s: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), s)


def prose(markdown: str):
    """(line number, prose, math) for every line of a page a reader reads as Ukrainian text."""
    in_math = False
    quote_indent = None  # indentation of an open quote admonition's body
    in_comment = False
    for lineno, line, in_code in fenced(markdown.splitlines()):
        if in_code:
            continue
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if quote_indent is not None:
            if not stripped or indent > quote_indent:
                continue
            quote_indent = None
        if in_comment:
            if "-->" in line:
                in_comment = False
            continue
        if stripped.startswith("$$"):
            if stripped == "$$" or not stripped.endswith("$$") or len(stripped) < 4:
                in_math = not in_math
            yield lineno, "", stripped.strip("$")
            continue
        if in_math:
            yield lineno, "", line
            continue
        if stripped.startswith(">"):
            continue
        a = _ADMONITION.match(line)
        if a:
            if a.group(2) == "quote":
                quote_indent = indent
            yield (lineno, *_prose_line(a.group(3) or "", lineno))
            continue
        if "<!--" in line and "-->" not in line.split("<!--", 1)[1]:
            in_comment = True
        yield (lineno, *_prose_line(line, lineno))


def _prose_line(line: str, lineno: int) -> tuple[str, str]:
    """A line of Markdown as (prose, math): code, comments, link targets, attributes and tags masked."""
    text = _mask(line, _INLINE_CODE)
    # Directive arguments written for a reader (alt text, caption, a title, plural words) are prose too.
    extra = []
    for c in _COMMENT.finditer(text):
        body = c.group(1).strip().split(None, 2)
        if len(body) == 3 and "/" in body[1]:
            try:
                args = _parse_args(body[2], lineno)
            except DirectiveError:
                args = {}
            extra += [v for k, v in args.items() if k in TRANSLATED_ARGS and isinstance(v, str)]
    text = _mask(text, _COMMENT)
    maths = " ".join(x.group(0)[1:-1] for x in _MATH_INLINE.finditer(text))
    text = _mask(text, _MATH_INLINE)
    text = _mask(text, _LINK_TARGET)
    text = _mask(text, _ATTR)
    text = _mask(text, _TAG)
    if extra:
        text = text + " | " + " | ".join(extra)
    return text, maths


# -- other sources: Python string literals, JavaScript strings, YAML scalars, templates --------------------------
def python_strings(source: str):
    """(line, text) of every string literal with Cyrillic in it or under a ``"uk"`` key (docstrings excepted)."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    under_uk = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values):
                if isinstance(k, ast.Constant) and k.value == "uk":
                    inner = list(ast.walk(v))
                    keys = {id(key) for n in inner if isinstance(n, ast.Dict) for key in n.keys if key is not None}
                    under_uk |= {id(n) for n in inner} - keys
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                and (CYR.search(node.value) or id(node) in under_uk):
            for k, part in enumerate(node.value.split("\n")):
                if part.strip():
                    yield node.lineno + (k if node.end_lineno and node.end_lineno > node.lineno else 0), \
                        _mask(part, _INLINE_CODE)


_JS_STRING = re.compile(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|`(?:\\.|[^`\\])*`")


def js_strings(source: str):
    for lineno, line in enumerate(source.splitlines(), 1):
        for m in _JS_STRING.finditer(line):
            if CYR.search(m.group(0)):
                yield lineno, m.group(0)[1:-1]


def text_lines(source: str):
    """Templates and YAML: each line with Cyrillic, without tags, Jinja and YAML keys (Jinja comments skipped)."""
    source = re.sub(r"\{#.*?#\}", lambda m: "\n" * m.group(0).count("\n"), source, flags=re.S)
    for lineno, line in enumerate(source.splitlines(), 1):
        if not CYR.search(line) or line.lstrip().startswith("#"):
            continue
        t = re.sub(r"\{[{%#].*?[}%#]\}", " ", line)
        t = _mask(t, _TAG)
        yield lineno, t


def yaml_uk(source: str):
    """topics.yml: the values under a ``uk`` key (titles, summaries, notebook headings)."""
    for lineno, line in enumerate(source.splitlines(), 1):
        for m in re.finditer(r"\buk:\s*(\"(?:[^\"\\]|\\.)*\"|[^,}\n]+)", line):
            yield lineno, m.group(1).strip().strip('"')


# -- what the site checks -----------------------------------------------------------------------------------------
def sources(root: Path):
    """(label, kind) of every file the check reads. ``kind`` picks the reader."""
    out = [(p, "md") for p in sorted((root / "docs" / "uk").rglob("*.md"))]
    out += [(p, "py") for p in sorted((root / "snippets").rglob("*.py"))]
    out += [(root / "sitegen" / "notebooks.py", "py")]
    out += [(p, "py") for p in sorted((root / "hooks").glob("*.py")) if p.name != "language.py"]
    out += [(root / "topics.yml", "topics"), (root / "mkdocs.yml", "text")]
    out += [(p, "text") for p in sorted((root / "overrides").rglob("*.html"))]
    out += [(p, "js") for p in sorted((root / "docs" / "assets").glob("*.js"))]
    return [(p, k) for p, k in out if p.exists()]


def check_file(path: Path, kind: str, rules: Rules, root: Path, source: str | None = None) -> list[Finding]:
    label = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    source = path.read_text(encoding="utf-8") if source is None else source
    found = []
    if kind == "md":
        paragraph = []
        for lineno, text, maths in list(prose(source)) + [(0, "", "")]:
            if paragraph and (not text.strip() or lineno != paragraph[-1][0] + 1):
                found += rules.check_lines(paragraph, label)
                paragraph = []
            if text.strip() or maths.strip():
                paragraph.append((lineno, text, maths))
        return found
    reader = {"py": python_strings, "js": js_strings, "text": text_lines, "topics": yaml_uk}[kind]
    for lineno, text in reader(source):
        found += rules.check(text, label, lineno)
    return found


def _text(data: bytes) -> str:
    """What ``read_text`` gives for these bytes (universal newlines)."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


_CACHE: dict = {}  # (rules, path, mtime, size) -> findings: a `mkdocs serve` rebuild re-reads only edited files
_DIGESTS: dict = {}  # path -> (mtime, size, hash, bytes) of each file last read, the same way


def check_site(root: Path, rules=None, cache=None, rules_key: str = "") -> list[Finding]:
    """Every finding in the files of :func:`sources`.

    With ``cache`` (a ``sitegen.pagecache`` store) each file's findings are kept by its bytes, its name and
    ``rules_key`` (the termbase's bytes: the rules are made from them alone); ``rules`` may then be a function that
    makes the rules, called only when a file has to be read again (building them parses every term).
    """
    make = rules if callable(rules) else (lambda: rules or Rules.from_termbase())
    made: list[Rules] = []

    def get_rules() -> Rules:
        if not made:
            made.append(make())
        return made[0]

    found = []
    for path, kind in sources(root):
        if cache is not None:
            label = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
            st = path.stat()
            seen = _DIGESTS.get(str(path))
            if seen is None or seen[:2] != (st.st_mtime_ns, st.st_size):  # read again only a file that changed
                data = path.read_bytes()
                seen = _DIGESTS[str(path)] = (st.st_mtime_ns, st.st_size, hashlib.sha256(data).hexdigest(), data)
            data = seen[3]
            found += cache.memo(cache.key(rules_key, label, kind, seen[2]),
                                lambda: check_file(path, kind, get_rules(), root, _text(data)))
            continue
        st = path.stat()
        key = (id(get_rules()), str(path), st.st_mtime_ns, st.st_size)
        if key not in _CACHE:
            _CACHE[key] = check_file(path, kind, get_rules(), root)
        found += _CACHE[key]
    return sorted(set(found), key=lambda f: (f.file, f.line, f.text))


# -- numerals: a counted noun agrees with the number printed before it ---------------------------------------------
# The nouns the site counts (lemmas). Their form after an integer: 1 (not 11) → nominative singular; 2–4 (not
# 12–14) → nominative plural; otherwise genitive plural; after a decimal fraction → genitive singular. After a
# number in scientific notation («2,5 × 10⁷ разів») no form is defined: the sentence must say it differently.
COUNTED = ("раз", "множення", "параметр", "крок", "прохід", "піксель", "шар", "нейрон", "приклад", "вузол", "канал",
           "цифра", "шлях", "елемент", "одиниця", "пара", "точка", "значення", "ознака", "доданок", "знак", "епоха",
           "зображення", "прогноз", "вибірка", "секунда", "рядок", "стовпець", "клас", "ядро")
_NUM = re.compile(r"(?<![\w,.\u2212−-])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(,\d+)?"
                  r"((?:[ \u00a0]*×[ \u00a0]*10[ \u00a0]*(?:<sup>[^<]*</sup>|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+|\^\{?-?\d+\}?|[−-]?\d+))?)"
                  r"(%?)[ \u00a0\u202f]+([а-щьюяєіїґ’']+)", re.I)
# After these a number takes the genitive (до 3 кроків, понад 5 шарів), which is then correct for every number.
_GENITIVE_BEFORE = {"до", "від", "для", "без", "після", "понад", "близько", "біля", "замість", "щонайбільше",
                    "щонайменше", "менше", "більше", "кількох", "із", "з", "зі", "серед", "протягом", "навколо",
                    "порядку", "межах"}
_OBLIQUE = {"datv", "ablt", "loct"}


def _expected(lemma_parse, n_text: str, frac: bool):
    """The set of acceptable forms of the noun after the number as printed."""
    if frac:
        wanted = [{"sing", "gent"}]
    else:
        n = int(re.sub(r"\D", "", n_text))
        if n % 10 == 1 and n % 100 != 11:
            wanted = [{"sing", "nomn"}, {"sing", "accs"}]
        elif n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
            wanted = [{"plur", "nomn"}, {"plur", "accs"}]
        else:
            wanted = [{"plur", "gent"}]
    def has(tag, g):  # pymorphy3's Ukrainian tags mark the plural only: singular = no "plur"
        grammemes = set(tag.grammemes)
        return (g - {"sing"}) <= grammemes and ("sing" not in g or "plur" not in grammemes)

    forms = {f.word for g in wanted for f in lemma_parse.lexeme if has(f.tag, g)}
    if lemma_parse.normal_form == "раз":  # «у 2,5 раза» (the counting form), «у 5 разів» (not «5 раз»)
        forms = {"раза"} if frac else forms - {"раз"} if not forms & {"рази"} else forms
    return forms


def numeral_findings(text: str):
    """Findings (as :class:`Finding` with file "", line = character offset) in built Ukrainian text."""
    morph = tb._morph()
    out = []
    for m in _NUM.finditer(text):
        num, frac, sci, pct, noun = m.groups()
        parses = [p for p in morph.parse(tb.normalize(noun)) if p.normal_form in COUNTED and "NOUN" in p.tag]
        if not parses or pct:
            continue
        if any(p.tag.case in _OBLIQUE for p in parses):
            continue  # «з 64 каналами», «на 5 кроках»: the number agrees with the noun's case
        shown = m.group(0).strip()
        if sci:
            out.append(Finding("", m.start(), shown, "після числа з «× 10ⁿ» форма іменника не визначена: "
                                                        "перебудуйте речення («… — у N разів»)"))
            continue
        before = re.findall(r"[\w’']+", text[max(0, m.start() - 30):m.start()])
        genitive_ok = bool(before) and before[-1].lower() in _GENITIVE_BEFORE
        lemma = parses[0].normal_form
        base = next(p for p in morph.parse(lemma) if p.normal_form == lemma and "NOUN" in p.tag)
        ok = _expected(base, num, bool(frac))
        if genitive_ok:
            ok |= {f.word for f in base.lexeme if "gent" in f.tag.grammemes}
        if tb.normalize(noun) not in {tb.normalize(w) for w in ok}:
            out.append(Finding("", m.start(), f"{num}{frac or ''} {noun}",
                               f"числівник і іменник не узгоджені → «{num}{frac or ''} {' / '.join(sorted(ok))}»"))
    return out


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))
