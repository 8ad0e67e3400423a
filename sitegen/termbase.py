"""The termbase (``termbase.yml`` at the repository root) and the word morphology both languages need to use it.

A term or a rejected variant is matched through lemmas, so inflected forms count: «ланцюгового правила» is the term
«ланцюгове правило», «дропаутом» is «дропаут». Ukrainian lemmas come from pymorphy3 (with its Ukrainian dictionary),
English ones from lemminflect. No MkDocs in here.

>>> tb = load()
>>> tb.concept("chain-rule").uk
'ланцюгове правило'
>>> [w.lemmas & {"ланцюговий", "правило"} for w in words("ланцюгового правила", "uk")] == [{"ланцюговий"}, {"правило"}]
True
>>> sorted(words("convolutions", "en")[0].lemmas)
['convolution', 'convolutions']
>>> rule_lemma("зворотній", "uk"), rule_lemma("Каймінга", "uk"), rule_lemma("pass", "en")
('зворотній', 'каймінга', 'pass')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PATH = ROOT / "termbase.yml"
TOPICS = ("backprop", "numerics", "batchnorm", "dropout", "conv", "general")  # glossary sections; and topics.yml's ids


def topics_of(root: Path) -> tuple[str, ...]:
    """The sections a concept may name: TOPICS and every topic id of ``root``'s topics.yml (a new topic's terms)."""
    from . import topics

    ids = [t.id for t in topics.load(root)] if (Path(root) / "topics.yml").is_file() else []
    return TOPICS + tuple(i for i in ids if i not in TOPICS)
APOSTROPHES = "’ʼ'`"
# A word: letters of either alphabet, with an apostrophe or a hyphen inside (ім’я, міні-пакет, top-5).
WORD = re.compile(r"[A-Za-zА-ЩЬЮЯЄІЇҐа-щьюяєіїґ0-9]+(?:[’ʼ'\-][A-Za-zА-ЩЬЮЯЄІЇҐа-щьюяєіїґ0-9]+)*")


@dataclass
class Concept:
    id: str
    topic: str
    uk: str
    en: str
    def_uk: str
    def_en: str
    why: str
    uk_also: list = field(default_factory=list)
    en_also: list = field(default_factory=list)
    synonym_uk: str | None = None
    rejected_uk: list = field(default_factory=list)
    rejected_en: list = field(default_factory=list)
    explained: str | None = None
    link: bool = True
    line: int = 0  # where it is defined in termbase.yml

    def forms(self, lang: str) -> list[str]:
        """The term and its other surface forms, longest first (the matcher tries longer phrases first)."""
        main = self.uk if lang == "uk" else self.en
        also = self.uk_also if lang == "uk" else self.en_also
        return sorted({main, *also}, key=lambda s: (-len(s.split()), -len(s)))


@dataclass
class Termbase:
    concepts: list
    style: list
    names: list
    typography: list

    def concept(self, cid: str) -> Concept:
        return next(c for c in self.concepts if c.id == cid)


class TermbaseError(Exception):
    pass


def load(path: Path | str = PATH) -> Termbase:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TermbaseError(f"{path.name}: {exc}") from None
    lines = text.splitlines()
    concepts, seen = [], set()
    allowed = topics_of(path.parent)
    known = set(Concept.__dataclass_fields__) - {"line"}
    for raw in data.get("concepts") or []:
        cid = raw.get("id")
        line = next((i for i, l in enumerate(lines, 1) if l.strip() == f"- id: {cid}"), 0)
        where = f"{path.name}:{line}"
        unknown = set(raw) - known
        if unknown:
            raise TermbaseError(f"{where}: unknown key(s) {sorted(unknown)} in concept {cid!r}")
        for key in ("id", "topic", "uk", "en", "def_uk", "def_en", "why"):
            if not raw.get(key):
                raise TermbaseError(f"{where}: concept {cid!r} has no {key!r}")
        if cid in seen:
            raise TermbaseError(f"{where}: concept {cid!r} defined twice")
        if raw["topic"] not in allowed:
            raise TermbaseError(f"{where}: topic {raw['topic']!r} is not one of {allowed} (the glossary's sections: "
                                f"those of sitegen/glossary.py and the ids of topics.yml)")
        seen.add(cid)
        concepts.append(Concept(**raw, line=line))
    # One Ukrainian term per concept: no concept's term may be another's rejected variant.
    terms = {c.uk.lower(): c for c in concepts}
    for c in concepts:
        for r in c.rejected_uk:
            if r.lower() in terms:
                raise TermbaseError(f"{path.name}:{c.line}: {r!r} is rejected for {c.id!r} but is the term of "
                                    f"{terms[r.lower()].id!r}")
    return Termbase(concepts, data.get("style") or [], data.get("names") or [], data.get("typography") or [])


# -- morphology --------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="uk")


def normalize(word: str) -> str:
    """Lower case, one apostrophe (pymorphy3's Ukrainian dictionary spells ім'я with U+0027)."""
    w = word.lower()
    for a in APOSTROPHES:
        w = w.replace(a, "'")
    return w


@lru_cache(maxsize=200_000)
def uk_lemmas(word: str) -> frozenset:
    """Every lemma pymorphy3 offers for a Ukrainian word, plus the word itself."""
    w = normalize(word)
    if not re.search(r"[а-щьюяєіїґ]", w):
        return frozenset({w})
    return frozenset({w} | {p.normal_form for p in _morph().parse(w)})


@lru_cache(maxsize=200_000)
def en_lemmas(word: str) -> frozenset:
    from lemminflect import getAllLemmas

    w = word.lower()
    out = {w}
    for lemmas in getAllLemmas(w).values():
        out.update(lemmas)
    return frozenset(out)


def lemmas(word: str, lang: str) -> frozenset:
    return uk_lemmas(word) if lang == "uk" else en_lemmas(word)


@lru_cache(maxsize=20_000)
def rule_lemma(word: str, lang: str) -> str:
    """The one lemma a word of a rule or term stands for: the word itself when it is a lemma (so «зворотній» does
    not also mean «зворотний»), else its most likely lemma."""
    w = normalize(word) if lang == "uk" else word.lower()
    if lang == "uk":
        if not re.search(r"[а-щьюяєіїґ]", w):
            return w
        parses = _morph().parse(w)
        forms = [p.normal_form for p in parses]
        return w if w in forms or not forms else forms[0]
    from lemminflect import getAllLemmas

    found = getAllLemmas(w)
    for pos in ("NOUN", "ADJ", "VERB"):
        if w in found.get(pos, ()):
            return w
    for pos in ("NOUN", "ADJ", "VERB"):
        if found.get(pos):
            return found[pos][0]
    return w


@dataclass
class Word:
    text: str
    start: int
    end: int
    lemmas: frozenset


def words(text: str, lang: str) -> list[Word]:
    return [Word(m.group(0), m.start(), m.end(), lemmas(m.group(0), lang)) for m in WORD.finditer(text)]


def phrase_lemmas(phrase: str, lang: str) -> tuple:
    return tuple(rule_lemma(m.group(0), lang) for m in WORD.finditer(phrase))


def find_phrase(ws: list[Word], pattern: tuple, text: str, start: int = 0) -> int | None:
    """Index of the first word from ``start`` where the lemma sequence ``pattern`` begins (adjacent words: only
    spaces, a hyphen or a dash between them, as in «теорема Еккарта — Янга»), or None."""
    n = len(pattern)
    for i in range(start, len(ws) - n + 1):
        if all(pattern[k] in ws[i + k].lemmas for k in range(n)) and \
                all(not text[ws[i + k].end:ws[i + k + 1].start].strip(" \u00a0\n-\u2013\u2014") for k in range(n - 1)):
            return i
    return None


class PhraseIndex:
    """Many lemma phrases looked up in one pass over a text's words (indexed by their first lemma).

    >>> idx = PhraseIndex([("a", phrase_lemmas("ланцюгове правило", "uk")), ("b", phrase_lemmas("правило", "uk"))])
    >>> t = "За ланцюговим правилом, а правило — правило."
    >>> [(k, t[s:e]) for k, s, e in idx.find(t, "uk")]
    [('a', 'ланцюговим правилом'), ('b', 'правило'), ('b', 'правило')]
    """

    def __init__(self, items):
        self.by_first: dict = {}
        for key, pattern in items:
            if pattern:
                self.by_first.setdefault(pattern[0], []).append((key, pattern))
        for cands in self.by_first.values():
            cands.sort(key=lambda kp: -len(kp[1]))  # the longest phrase first

    def find(self, text: str, lang: str, skip=lambda key: False):
        """(key, start, end) of each match, left to right, longest first, not overlapping."""
        ws = words(text, lang)
        i = 0
        while i < len(ws):
            hit = None
            for lemma in ws[i].lemmas:
                for key, pattern in self.by_first.get(lemma, ()):
                    n = len(pattern)
                    if (hit is None or n > hit[1]) and not skip(key) and i + n <= len(ws) and \
                            find_phrase(ws[i:i + n], pattern, text) == 0:
                        hit = (key, n)
            if hit is None:
                i += 1
                continue
            key, n = hit
            yield key, ws[i].start, ws[i + n - 1].end
            i += n
