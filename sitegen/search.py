"""Search by word form: the built search index gains the inflected forms of the words of each section, Ukrainian and
English.

Why this is needed. Material's search runs lunr.js in the browser. lunr has no Ukrainian stemmer (lunr-languages
ships none), mkdocs-static-i18n therefore leaves ``uk`` out of ``plugins.search.lang`` ("Language 'uk' is not
supported by lunr.js"), and Material falls back to its English search settings (``lang: en``, pipeline
``stopWordFilter`` only: no stemmer, no trimmer). Worse, Material appends ``*`` to every query term, and lunr skips
the pipeline for wildcard terms, so even a stemmer could never touch the query. A Ukrainian word is found only as
written or by prefix: «нормалізацію*» does not match «нормалізація».

What we do (index-time expansion, no JavaScript of our own). After the build, the Ukrainian entries of
``search/search_index.json`` get two extra lunr fields, ``title_forms`` (boost like ``title``) and ``forms``
(boost like ``text``; the page's frequent lexemes in its top entry, the rarer ones in their sections): all forms of the lexemes their words belong to, from
pymorphy3's Ukrainian dictionary (pymorphy3-dicts-uk, built from the VESUM dictionary). A reader's «згорткою*» then
meets the indexed form «згорткою» of the page that only says «згортка». Material indexes every field listed in the
index's ``config.fields`` and shows only ``title`` and ``text``, so the extra fields change what is found, not
what is shown.

Keeping the index light:

- only words whose part of speech is worth searching are expanded (nouns, adjectives, participles, numerals;
  verbs and the like only add their lemma);
- the forms of a lexeme a page uses often go once into the page's top entry, not into every section using it,
  and a form is left out when the entry can already be found by it: it is the prefix of a token of the text or of
  another form (Material's trailing wildcard matches the longer token);
- the file is written as UTF-8 (``ensure_ascii=False``): MkDocs writes Cyrillic as ``\\uXXXX`` escapes, three times
  the bytes, which alone pays for most of the expansion.

Deterministic: forms are sorted and entries keep their order, so two builds give the same bytes.

English (``en`` entries) gets the same expansion from lemminflect (PyPI): every word's lemmas in its dictionary
(nouns, verbs, adjectives) and all their inflections, so "gradients" finds a page that only says "gradient" and
"normalizing" one that says "normalized". Material's English search has no stemmer either (and a stemmer would not
reach the wildcard query terms). Words lemminflect does not know (backpropagation, tanh) are searched as written.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

# Parts of speech whose every form is indexed (OpenCorpora tags, as pymorphy3's Ukrainian dictionary uses them).
EXPAND_POS = frozenset({"NOUN", "ADJF", "ADJS", "COMP"})
# Function words add nothing; anything else (verbs, adverbs, …) adds its lemma only.
SKIP_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO", "PRED"})
NAMES = frozenset({"Name", "Surn", "Patr"})  # a name reading of a common word (Мала, Шар) is noise
PAGE_LEVEL = 3  # a lexeme used this often on a page is indexed with the page, not with its sections
MIN_LEN = 4  # shorter words (як, шар, вид) are searched as written
_WORD = re.compile(r"[а-щьюяґєіїА-ЩЬЮЯҐЄІЇ][а-щьюяґєіїА-ЩЬЮЯҐЄІЇ'’ʼ]*")
_TAG = re.compile(r"<[^>]*>")
_LISTING = re.compile(r"<pre>.*?</pre>", re.S)
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})
FIELDS = {"forms": "text", "title_forms": "title"}  # extra field -> the field whose boost it shares


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="uk")


def _parses(word: str) -> list:
    """The readings of a (lower-case) word that count: known ones, not names unless nothing else; [] if short."""
    if len(word) < MIN_LEN:
        return []
    parses = _morph().parse(word)
    known = [p for p in parses if p.is_known]
    if not known:  # a word the dictionary lacks (дропаут): trust the best guess by analogy only
        known = parses[:1]
    common = [p for p in known if not (NAMES & p.tag.grammemes)]
    return [p for p in (common or known) if p.tag.POS is not None and p.tag.POS not in SKIP_POS]


@lru_cache(maxsize=None)
def lemmas(word: str) -> frozenset[str]:
    """The dictionary forms a word may stand for (to count how often a page uses a lexeme).

    >>> sorted(lemmas("згорткою")), sorted(lemmas("згортки"))  # згортки: also the genitive of згорток (a roll)
    (['згортка'], ['згортка', 'згорток'])
    """
    return frozenset(p.normal_form for p in _parses(word.lower().translate(_APOSTROPHES)))


@lru_cache(maxsize=None)
def word_forms(word: str) -> frozenset[str]:
    """Every form worth indexing for one Ukrainian word (lower case, ASCII apostrophe).

    The first declension, singular нормалізація -ії -ії -ію -ією -ії, plural -ії -ій -іям -іями -іях (the
    vocative нормалізаціє is left out):

    >>> sorted(word_forms("нормалізацію"))  # doctest: +NORMALIZE_WHITESPACE
    ['нормалізацій', 'нормалізацію', 'нормалізація', 'нормалізаціям', 'нормалізаціями', 'нормалізаціях',
     'нормалізацією', 'нормалізації']
    >>> "градієнтів" in word_forms("градієнт") and "згорткою" in word_forms("згортки")
    True
    >>> sorted(word_forms("обчислює"))  # a verb: its lemma only
    ['обчислювати', 'обчислює']
    >>> sorted(word_forms("і"))  # a conjunction: nothing to add
    []
    """
    word = word.lower().translate(_APOSTROPHES)
    forms: set[str] = set()
    for p in _parses(word):
        pos = p.tag.POS
        if pos in EXPAND_POS:
            # Every case and number; the vocative (згортко, прикладе) is not what anyone searches for.
            forms.update(f.word for f in p.lexeme if "voct" not in f.tag.grammemes)
        elif pos is not None and pos not in SKIP_POS:
            forms.update((p.normal_form, word))
    return frozenset(forms)


# -- English (lemminflect) ---------------------------------------------------------------------------------------
EN_POS = frozenset({"NOUN", "VERB", "ADJ"})  # universal POS tags; adverbs, pronouns and the like are searched as written
_WORD_EN = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=None)
def _en_lemmas(word: str) -> tuple[tuple[str, str], ...]:
    """(POS, lemma) readings of a lower-case English word in lemminflect's dictionary; () if short or unknown."""
    if len(word) < MIN_LEN:
        return ()
    import lemminflect

    found = lemminflect.getAllLemmas(word)
    return tuple(sorted((pos, lemma) for pos, lemmas_ in found.items() if pos in EN_POS for lemma in lemmas_))


@lru_cache(maxsize=None)
def en_word_forms(word: str) -> frozenset[str]:
    """Every form worth indexing for one English word: all inflections of every lemma it may be a form of.

    >>> sorted(en_word_forms("gradient"))
    ['gradient', 'gradients']
    >>> sorted(en_word_forms("normalized"))
    ['normalize', 'normalized', 'normalizes', 'normalizing']
    >>> sorted(en_word_forms("training"))  # the noun and the verb
    ['train', 'trained', 'training', 'trainings', 'trains']
    >>> sorted(en_word_forms("tanh")), sorted(en_word_forms("with"))  # short or unknown: nothing to add
    ([], [])
    """
    import lemminflect

    forms: set[str] = set()
    for pos, lemma in _en_lemmas(word.lower()):
        forms.add(lemma)
        for inflected in lemminflect.getAllInflections(lemma, upos=pos).values():
            forms.update(f.lower() for f in inflected)
    return frozenset(f for f in forms if _WORD_EN.fullmatch(f))


LANG = {  # language -> (words of a text, lemmas of a word, forms of a word)
    "uk": (lambda text: words(text), lambda w: lemmas(w), lambda w: word_forms(w)),
    "en": (lambda text: [m.group(0).lower() for m in _WORD_EN.finditer(_TAG.sub(" ", text))],
           lambda w: frozenset(lemma for _, lemma in _en_lemmas(w)), lambda w: en_word_forms(w)),
}


def tokens(text: str, separator: str) -> list[str]:
    """The tokens lunr makes of ``text`` in Material's worker (tags dropped, split on the separator, lower case)."""
    sep = re.compile(separator)
    return [t.lower() for t in sep.split(_TAG.sub(" ", text)) if t]


def _covered(candidates: set[str], present: list[str]) -> list[str]:
    """The candidates that no token of ``present`` ∪ ``candidates`` already matches by prefix, sorted."""
    present = set(present)
    everything = sorted(present | candidates)
    keep = []
    for i, tok in enumerate(everything):
        if tok not in candidates or tok in present:
            continue
        if i + 1 < len(everything) and everything[i + 1].startswith(tok):
            continue  # the trailing wildcard of the query matches the longer token
        keep.append(tok)
    return keep


def words(text: str) -> list[str]:
    return [m.group(0).lower() for m in _WORD.finditer(_TAG.sub(" ", text))]


def expansion(text: str, separator: str, present: list[str] | None = None, keep=None, lang: str = "uk") -> str:
    """Space-separated forms to add for ``text``: those not already findable among ``present`` tokens.

    >>> forms = expansion("Пакетна <em>нормалізація</em>", r"[\\s\\-]+").split()
    >>> "нормалізацію" in forms and "пакетною" in forms
    True
    >>> "нормалізаціям" in forms, "нормалізаціями" in forms  # a prefix of a longer form is already found
    (False, True)
    >>> "нормалізація" in expansion("Пакетна нормалізація", r"[\\s\\-]+").split()
    False
    >>> expansion("The gradients are propagated", r"[\\s\\-]+", lang="en")  # gradient*, propagate* match already
    'propagates propagating'
    """
    present = tokens(text, separator) if present is None else present
    split, _, forms_of = LANG[lang]
    candidates: set[str] = set()
    for w in set(split(text)):
        if keep is None or keep(w):
            candidates |= forms_of(w)
    return " ".join(_covered(candidates, present))


def _lang_of(location: str, prefixes: dict[str, str], default: str) -> str:
    for lang, prefix in prefixes.items():
        if location.startswith(prefix):
            return lang
    return default


def expand_index(path: Path, langs: list[str], default: str, expand: tuple[str, ...] = ("uk", "en"),
                 cache=None) -> dict:
    """Rewrite the search index at ``path`` in place; return sizes and counts for the build log.

    ``title_forms`` go into each entry (titles are short, and a section titled «Градієнт» should rank first for
    «градієнтів»). ``forms`` of the text go where they rank the right page first: a lexeme a page uses at least
    ``PAGE_LEVEL`` times is a subject of the page, and its forms go once into the page's top entry (the one without
    ``#``, which Material ranks above sections); a lexeme used less often is indexed in the sections that use it.
    Each time minus what the entry, or its page's top entry, already matches: sections repeat their page's
    vocabulary, so this keeps the index at about half the size of forms in every section.

    A page's forms depend on that page's entries only (:func:`page_forms`); ``cache`` (a ``sitegen.pagecache``
    store) keeps them by those entries, so a rebuild after an edit expands the edited page alone.
    """
    raw = path.read_bytes()
    data = json.loads(raw)
    config = data["config"]
    separator = config["separator"]
    prefixes = {lang: f"{lang}/" for lang in langs if lang != default}
    by_page: dict[str, list[dict]] = {}
    page_lang: dict[str, str] = {}
    for doc in data["docs"]:
        # Code listings (whole snippets, printed output) are a seventh of the index, which Material fetches on every
        # page; prose, headings and inline `code` stay searchable, the listings live on the pages and in snippets/.
        if "text" in doc:
            doc["text"] = _LISTING.sub(" ", doc["text"])
        lang = _lang_of(doc["location"], prefixes, default)
        if lang in expand and lang in LANG:
            by_page.setdefault(doc["location"].split("#", 1)[0], []).append(doc)
            page_lang[doc["location"].split("#", 1)[0]] = lang
    added = Counter()
    for page, docs in by_page.items():
        lang = page_lang[page]
        shown = [(d["location"], d.get("title", ""), d.get("text", "")) for d in docs]
        if cache is None:
            forms = page_forms(page, shown, separator, lang)
        else:
            forms = cache.memo(cache.key(page, lang, separator, json.dumps(shown, ensure_ascii=False)),
                               lambda: page_forms(page, shown, separator, lang))
        for doc, (title_forms, text_forms) in zip(docs, forms):
            if title_forms:
                doc["title_forms"] = title_forms
            if text_forms:
                doc["forms"] = text_forms
            added[lang] += len(text_forms.split()) + len(title_forms.split())
    for name, like in FIELDS.items():
        if any(name in doc for doc in data["docs"]):  # lunr needs each configured field in some document
            config["fields"][name] = dict(config["fields"].get(like, {"boost": 1.0}))
    out = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path.write_bytes(out)
    return {"before": len(raw), "after": len(out), "forms": sum(added.values()), "by_lang": dict(sorted(added.items()))}


def page_forms(page: str, docs: list[tuple[str, str, str]], separator: str, lang: str) -> list[tuple[str, str]]:
    """``(title_forms, forms)`` for each entry ``(location, title, text)`` of one page (see :func:`expand_index`).

    A lexeme used three times goes into the page's top entry, one used once into its section:

    >>> (_, top), (_, section) = page_forms("p/", [("p/", "Вступ", "Градієнт, градієнт і градієнт."),
    ...                                            ("p/#a", "Далі", "Одна згортка.")], r"[\\s.,]+", "uk")
    >>> "градієнтів" in top.split(), "згорткою" in section.split(), "згорткою" in top.split()
    (True, True, False)
    """
    split, lemmas_of, _ = LANG[lang]
    counts = Counter(lemma for _, title, text in docs for w in split(title + " " + text) for lemma in lemmas_of(w))

    def frequent(word: str) -> bool:
        return any(counts[lemma] >= PAGE_LEVEL for lemma in lemmas_of(word))

    present: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for location, title, text in docs:
        title_tokens = tokens(title, separator)
        titles[location] = expansion(title, separator, title_tokens, lang=lang)
        present[location] = tokens(text, separator) + title_tokens + titles[location].split()
    top = next((i for i, d in enumerate(docs) if d[0] == page), 0)
    top_forms = expansion(" ".join(text for _, _, text in docs), separator,
                          [t for ts in present.values() for t in ts], keep=frequent, lang=lang)
    out = []
    for i, (location, _, text) in enumerate(docs):
        own = present[location] + (present[docs[top][0]] if i != top else []) + top_forms.split()
        forms = expansion(text, separator, own, keep=lambda w: not frequent(w), lang=lang)
        forms = " ".join(f for f in (top_forms.split() if i == top else []) + forms.split())
        out.append((titles[location], forms))
    return out
