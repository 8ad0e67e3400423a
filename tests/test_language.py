"""Issue 18: the termbase, the language check, the generated glossary, glossary links and interface strings.

Expected values come from the rules of Ukrainian grammar and from the termbase itself, never from the code's output.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from sitegen import glossary as gl
from sitegen import langcheck
from sitegen import termbase as tb
from sitegen.directives import Context, DirectiveError, expand
from sitegen.topics import NOTEBOOKS_SECTION

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def base():
    return tb.load(ROOT / "termbase.yml")


@pytest.fixture(scope="module")
def rules(base):
    return langcheck.Rules.from_termbase(base)


# -- the termbase ------------------------------------------------------------------------------------------------
def test_one_ukrainian_term_per_concept(base):
    terms = [c.uk.lower() for c in base.concepts]
    assert len(terms) == len(set(terms)), "two concepts share a Ukrainian term"
    for c in base.concepts:
        assert c.uk and c.en and c.def_uk and c.def_en and c.why, c.id
        # A concept's own term is never flagged by its own rules (nor by any other rule).
        assert langcheck.Rules.from_termbase(base).check(c.uk, "t", 1) == [], c.id


@pytest.mark.parametrize("decided, rejected", [
    ("дропаут", "прорідження"), ("просторово роздільна згортка", "сепарабельна згортка"),
    ("виведення", "інференс"), ("ланцюгове правило", "правило ланцюжка"), ("ініціалізація Хе", "ініціалізація Каймінга"),
    ("градієнт за виходом", "вхідний градієнт"), ("скрипт", "сніпет"), ("гауссове ядро", "гаусіан"),
])
def test_contested_terms_decided(base, rules, decided, rejected):
    assert any(c.uk == decided for c in base.concepts)
    assert rules.check(decided, "t", 1) == []
    [found] = rules.check(rejected, "t", 1)
    assert rejected.startswith(found.text) and decided in found.message


@pytest.mark.parametrize("text, suggested", [
    ("звіряють із замкненою формулою", "замкненому вигляді"), ("роблять функцію рішень здатнішою", "вирішальна функція"),
    ("як кожен градієнт зникає в насиченні", "згасає"), ("Формула ширша за поле тексту", "не вміщується"),
    ("Задача 1 — коротко, як для здачі", "стисла відповідь"), ("із самої роздруківки", "вивід програми"),
    ("лапласіан гаусіана", "гауссове ядро"),
])
def test_reviewed_wordings_are_flagged(rules, text, suggested):
    found = rules.check(text, "t", 1)
    assert found and suggested in found[0].message, found
    assert rules.check("звіряють із формулою в замкненому вигляді; градієнт згасає; лапласіан гауссіана", "t", 1) == []


def test_inference_is_not_testing_unless_the_homework_is_quoted(rules):
    [found] = rules.check("застосовує дропаут під час тестування", "t", 1)
    assert found.text == "під час тестування" and "виведення" in found.message
    assert rules.check("під час виведення (у завданні — «під час тестування»)", "t", 1) == []


def test_glossary_sources_match_the_termbase(base):
    assert gl.check_sources(ROOT, base) == []


# -- the check on a page -------------------------------------------------------------------------------------------
PAGE = """\
# Заголовок { #top }

Градієнт множиться за правилом ланцюжка.

!!! quote "Джерело: домашнє завдання"
    Тут цитата: правило ланцюжка лишається, як написано.

```python
# правило ланцюжка в коді
```

Код `правило ланцюжка` і формула $p = 0.7$ у прозі; також правило
ланцюжка, розірване переносом.

> правило ланцюжка в цитаті
"""


def test_rejected_variants_with_file_and_line_quotes_and_code_exempt(rules, tmp_path):
    page = tmp_path / "docs" / "uk" / "p.md"
    page.parent.mkdir(parents=True)
    page.write_text(PAGE, encoding="utf-8")
    found = langcheck.check_file(page, "md", rules, tmp_path)
    lines = sorted((f.file, f.line, f.text) for f in found)
    assert lines == [("docs/uk/p.md", 3, "правилом ланцюжка"),
                     ("docs/uk/p.md", 12, "= 0.7"),
                     ("docs/uk/p.md", 12, "правило ланцюжка")]


def test_english_gloss_exempt_names_and_typography_are_not(rules):
    assert rules.check("Інвертований дропаут (inverted dropout, Dropout).", "t", 1) == []
    texts = {f.text for f in rules.check("Дропаут (Srivastava et al., 2014) відкидає 70 % нейронів; комп'ютер.", "t", 1)}
    assert {"Srivastava", "et al.", "70 %", "комп'ютер"} <= texts


def test_snippet_labels_and_js_strings_are_read():
    src = 'LABELS = {"uk": {"a": "Srivastava et al., 2014", "b": "вхідний градієнт"}, "en": {"a": "et al."}}\n'
    assert [t for _, t in langcheck.python_strings(src)] == ["Srivastava et al., 2014", "вхідний градієнт"]
    assert [t for _, t in langcheck.js_strings('var S = {uk: {x: "Введіть число"}, en: {x: "Type"}};')] == \
        ["Введіть число"]


# -- numerals -------------------------------------------------------------------------------------------------------
# Ukrainian agreement after a number in the nominative/accusative: last digit 1 (not 11) → singular; 2–4 (not 12–14)
# → nominative plural; otherwise → genitive plural; after a fraction → genitive singular.
@pytest.mark.parametrize("text, ok", [
    ("у 34 рази", True), ("у 34 разів", False), ("у 28 разів", True), ("у 28 раза", False), ("у 1,5 раза", True),
    ("3 332 множення", True), ("3 332 множень", False), ("5 шарів", True), ("11 шарів", True), ("21 шар", True),
    ("22 шари", True), ("12 шарів", True), ("12 шари", False), ("1 крок", True), ("2 кроків", False),
    ("до 3 кроків", True), ("з 64 каналами", True), ("на 5 кроках", True),
])
def test_numeral_agreement(text, ok):
    assert (langcheck.numeral_findings(text) == []) is ok, langcheck.numeral_findings(text)


def test_power_of_ten_has_no_form():
    [f] = langcheck.numeral_findings("більші в 1,23\u00a0×\u00a010<sup>8</sup> раза")
    assert "× 10" in f.message


def _ctx(value):
    return Context("uk", "uk/p.md", "docs/uk/p.md", {"t/s": {"values": {"v": value}}}, lambda *a: "")


FORMS = 'one="раз" few="рази" many="разів" other="раза"'


@pytest.mark.parametrize("value, spec, shown", [
    (33.96, ".0f", "34\u00a0рази"),   # 33.96 alone would be "other" (раза); the reader sees 34
    (1.96, ".0f", "2\u00a0рази"), (4.6, ".0f", "5\u00a0разів"), (1.5, ".1f", "1,5\u00a0раза"), (21, "d", "21\u00a0раз"),
])
def test_value_plural_agrees_with_the_printed_number(value, spec, shown):
    assert expand(f'<!-- value t/s:v fmt="{spec}" {FORMS} -->', _ctx(value)) == shown


def test_value_plural_after_a_power_of_ten_is_an_error():
    with pytest.raises(DirectiveError, match="rephrase"):
        expand(f'<!-- value t/s:v fmt=".1e" {FORMS} -->', _ctx(2.5e7))


# -- glossary ---------------------------------------------------------------------------------------------------
def test_glossary_generated_from_the_termbase(base):
    pages = {lang: gl.expand("# G\n\n<!-- glossary -->\n", base, lang) for lang in ("uk", "en")}
    for lang, md in pages.items():
        ids = re.findall(r'<span id="([\w-]+)"></span>', md)
        assert ids == [c.id for t in gl.sections() for c in base.concepts if c.topic == t], lang
    assert "передактивація" in pages["uk"] and "unit roundoff" in pages["en"]
    for needed in ("pre-activation", "unit-roundoff", "truncation-error", "jacobian", "eckart-young", "outer-product",
                   "lipschitz-smoothness", "affine-transformation", "residual-branch", "flop", "top-5-error"):
        assert needed in {c.id for c in base.concepts}, needed


def test_first_use_links_by_lemma_outside_headings_code_links_quotes(base):
    page = ("<h2>Дропаут</h2><p><code>дропаут</code> <a href='x'>дропаут</a></p>"
            "<div class=\"admonition quote\"><p>дропаутом</p></div>"
            "<p>Зі звичайним дропаутом і знову дропаут.</p>")
    out = gl.link_first_uses(page, base, "uk", "../glossary/")
    assert out.count('class="gloss"') == 1
    assert re.search(r'<p>Зі звичайним <a class="gloss" href="\.\./glossary/#dropout" title="[^"]+">дропаутом</a>', out)
    en = gl.link_first_uses("<p>Two forward passes, then the forward pass.</p>", base, "en", "g/")
    assert en.count('href="g/#forward-pass"') == 1 and ">forward passes</a>" in en


def test_a_term_of_two_surnames_joined_by_a_dash_is_linked(base):
    out = gl.link_first_uses("<p>Її дає теорема Еккарта — Янга.</p>", base, "uk", "g/")
    assert re.search(r'<a class="gloss" href="g/#eckart-young" title="[^"]+">теорема Еккарта — Янга</a>', out)
    assert "gloss" not in gl.link_first_uses("<p>Теорема. Еккарта — ні.</p>", base, "uk", "g/")


# -- the whole site ---------------------------------------------------------------------------------------------
def _pending():
    cfg = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return cfg["extra"].get("language_check", {}).get("pending", [])


def test_every_ukrainian_source_outside_the_pending_list_is_clean(rules):
    import hooks.language as hook

    pending = _pending()
    left = [str(f) for f in langcheck.check_site(ROOT, rules) if not hook._pending(f, pending)]
    assert left == []


def test_interface_strings_in_the_page_language(built_site):
    site = built_site.site
    uk, en = (site / "index.html").read_text(), (site / "en" / "index.html").read_text()
    uk_page, en_page = (site / "backprop" / "index.html").read_text(), (site / "en" / "backprop" / "index.html").read_text()
    names = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    site_name_uk = names["site_name"]
    assert f"<title>{html.escape(site_name_uk, quote=False)}</title>" in uk  # the home title: the site's name once
    assert uk.count(site_name_uk) >= 1 and f"{site_name_uk} — {site_name_uk}" not in uk
    for english in ("Permanent link", "Notebooks", "Code MIT", "Companion notebook", "Snippet error"):
        assert english not in uk_page, english
    for wrong in ("Хедер", "Футер", "Пошук розпочато"):
        assert wrong not in uk_page, wrong
    assert 'title="Постійне посилання' in uk_page and 'title="Permanent link' in en_page
    # The notebooks' navigation section (sitegen/topics.py builds the nav) in each page's language.
    assert NOTEBOOKS_SECTION["uk"] in uk and NOTEBOOKS_SECTION["en"] in en and NOTEBOOKS_SECTION["uk"] not in en
    assert "&amp;#x27;" not in en_page  # the source title is escaped once ("The homework's code")
    assert 'class="gloss"' in uk_page and 'class="gloss"' in en_page


# -- printed output on the Ukrainian pages -----------------------------------------------------------------------------
QUOTED_OUTPUT = {"backprop/homework_code": "the homework's code, run as handed in: its output is quoted as printed"}
# A code block without a title: printed output (a `text` block has no highlighted tokens; a listing has its title)
_PAGE_OUTPUT = re.compile(r'<div class="(?:snippet-output )?highlight"><pre><span></span><code>(.*?)</code></pre>', re.S)
_NOTEBOOK_STDOUT = re.compile(r'data-mime-type="text/plain"[^>]*>\s*<pre[^>]*>(.*?)</pre>', re.S)


def test_english_words_in_printed_output_are_found():
    assert langcheck.english_words("checks passed: the closed form and torch.tanh agree") == \
        ["checks", "passed", "the", "closed", "form", "and", "agree"]
    assert langcheck.english_words("BatchNorm2d.train(): (1, 3, 4, 4) → (1, 3, 4, 4)") == []
    assert langcheck.english_words("ранг: випадкове 7, лапласіан гаусіана (LoG) 2") == []


def test_printed_output_on_ukrainian_pages_and_notebooks_is_ukrainian(built_site):
    """Every printed output a Ukrainian page or notebook page shows (what a snippet printed: `output` directives, the
    notebooks' stdout) holds no English word outside code; quoted output (the homework's verbatim code, PyTorch's
    own error messages) is exempt, line by line."""
    from sitegen.runner import Runner

    runner = Runner(ROOT)
    results, _ = runner.ensure(runner.available())
    quoted = {line.strip() for name in QUOTED_OUTPUT for line in results[name]["stdout"]["uk"].splitlines()}
    quoted |= {line.strip() for r in results.values() if r["exception"] for line in r["exception"].splitlines()}
    site = built_site.site
    checked, bad = [], []
    for page in sorted(site.rglob("index.html")):
        rel = page.relative_to(site).as_posix()
        if rel.startswith(("en/", "assets/")):
            continue
        text = page.read_text(encoding="utf-8")
        blocks = _PAGE_OUTPUT.findall(text) + (_NOTEBOOK_STDOUT.findall(text) if rel.startswith("notebooks/") else [])
        for block in blocks:
            if '<span class="' in block:  # highlighted tokens: a code listing, not output
                continue
            printed = html.unescape(re.sub(r"<[^>]+>", "", block))
            checked.append((rel, printed))
            for line in printed.splitlines():
                words = langcheck.english_words(line) if line.strip() not in quoted else []
                if words:
                    bad.append(f"{rel}: {line.strip()!r}: {', '.join(words)}")
    pages = {rel for rel, _ in checked}
    # The check reads what it means to: the sample page and every notebook's printed output.
    assert "sample/index.html" in pages and "notebooks/backprop/index.html" in pages, sorted(pages)
    assert any("сума перших" in p for _, p in checked)
    assert not bad, "\n".join(bad)
