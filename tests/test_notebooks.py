"""Companion notebooks: committed copies current, runnable outside the repository, rendered into both languages.

The browser checks every other page gets (no foreign request, images, alt text, axe, math) visit the notebook pages
too: ``tests/test_browser.py`` visits every ``index.html`` of the built site.
"""

from __future__ import annotations

import html
import re
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent

sys.path.insert(0, str(ROOT))
from sitegen.notebooks import (LANGS, META, TOPICS, build_notebook, dumps, heading_ids, main_check,  # noqa: E402
                               notebook_path, read, run_names)
from sitegen.runner import Runner  # noqa: E402

NOTEBOOKS = [(topic, lang) for topic in TOPICS for lang in LANGS]
COLAB = re.compile(r'href="https://colab\.research\.google\.com/github/([^/"]+/[^/"]+)/blob/main/notebooks/'
                   r'(\w+)/([\w-]+)\.ipynb"')


# -- the committed notebooks ---------------------------------------------------------------------------------------
def test_committed_notebooks_match_the_generator():
    stale = main_check(ROOT)
    assert not stale, f"out of date with their snippets: {stale}; run: python tools/make_notebooks.py"


def test_the_check_fails_when_a_snippet_changes(tmp_path):
    # A copy of the project's snippets and sitegen (and the page, whose title the notebook names) with one line added
    # to a snippet: the notebook no longer matches.
    for d in ("snippets", "sitegen"):
        shutil.copytree(ROOT / d, tmp_path / d, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "docs" / "en").mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "en" / "dropout.md", tmp_path / "docs" / "en" / "dropout.md")
    name = run_names(read(notebook_path(ROOT, "dropout", "en")))[0]
    path = tmp_path / "snippets" / f"{name}.py"
    path.write_text(path.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    fresh = dumps(build_notebook(tmp_path, "dropout", "en"))
    assert fresh != notebook_path(ROOT, "dropout", "en").read_text(encoding="utf-8")
    assert "# an edit" in fresh


@pytest.mark.parametrize("topic", TOPICS)
def test_every_snippet_of_a_topic_is_in_its_notebooks_and_the_languages_share_code(topic):
    on_disk = sorted(f"{topic}/{p.stem}" for p in (ROOT / "snippets" / topic).glob("*.py") if not p.stem.startswith("_"))
    uk, en = (read(notebook_path(ROOT, topic, lang)) for lang in LANGS)
    assert sorted(run_names(uk)) == on_disk
    code = [[c.source for c in nb.cells if c.cell_type == "code"] for nb in (uk, en)]
    # Same code cells except the language the notebook shows its tables and figures in.
    assert [s.replace('LANG = "uk"', 'LANG = "en"').replace("LANG = 'uk'", "LANG = 'en'") for s in code[0]] == code[1]
    assert heading_ids(uk) == heading_ids(en)
    # The subtitle names the topic's page by its title, in the notebook's language.
    for lang, nb in zip(LANGS, (uk, en)):
        page = ROOT / "docs" / lang / TOPICS[topic]["page"]
        title = page.read_text(encoding="utf-8").split("\n", 1)[0].removeprefix("# ").split(" { #")[0]
        assert (f"«{title}»" if lang == "uk" else f"“{title}”") in nb.cells[0].source, (lang, title)
    for nb in (uk, en):
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "committed without outputs"
    # Markdown in the notebook's language: the Ukrainian one is mostly Cyrillic, the English one has none.
    md = {lang: " ".join(c.source for c in nb.cells if c.cell_type == "markdown") for lang, nb in zip(LANGS, (uk, en))}
    assert len(re.findall("[а-яіїєґ]", md["uk"], re.I)) > 200
    assert not re.search("[а-яіїєґ]", md["en"], re.I)


_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def _same_print(a: str, b: str) -> bool:
    """The same text and numbers, except rounding noise: two numbers both below 1e-10 in magnitude (float64 errors
    such as 1.2e-15 vs 1.5e-15, which depend on the summation order of a BLAS kernel) count as equal."""
    if _NUMBER.sub("#", a) != _NUMBER.sub("#", b):
        return False
    return all(x == y or (abs(float(x)) < 1e-10 and abs(float(y)) < 1e-10)
               for x, y in zip(_NUMBER.findall(a), _NUMBER.findall(b)))


def test_same_print_tolerates_only_rounding_noise():
    assert _same_print("err 1.2e-15 n=3", "err 1.5e-15 n=3")
    assert not _same_print("err 1.2e-15 n=3", "err 1.2e-15 n=4")
    assert not _same_print("err 1.2e-05", "err 1.5e-05")
    assert not _same_print("loss 0.5", "Loss 0.5")


def _execute(path: Path, workdir: Path) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}).execute()
    return nb


@pytest.mark.slow
def test_downloaded_notebooks_run_top_to_bottom_in_a_fresh_kernel_outside_the_repository(tmp_path, monkeypatch,
                                                                                        built_site):
    """Each committed notebook alone in an empty folder, a fresh kernel, no project path: what it prints equals what
    the site shows (the session build's cached results: ``built_site`` ran every snippet, so none runs again here),
    and it shows as many tables and figures."""
    monkeypatch.delenv("PYTHONPATH", raising=False)
    monkeypatch.delenv("MPLBACKEND", raising=False)  # as in a fresh Jupyter (the runner sets Agg for its children)
    jobs = {}
    for topic, lang in NOTEBOOKS:
        work = tmp_path / f"{lang}-{topic}"
        work.mkdir()
        shutil.copy(notebook_path(ROOT, topic, lang), work / f"{topic}.ipynb")
        jobs[(topic, lang)] = work
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = {k: pool.submit(_execute, w / f"{k[0]}.ipynb", w) for k, w in jobs.items()}
        executed = {k: f.result() for k, f in done.items()}
    runner = Runner(ROOT)
    names = sorted({n for nb in executed.values() for n in run_names(nb)})
    results, _ = runner.ensure(names)
    for (topic, lang), nb in executed.items():
        assert (jobs[(topic, lang)] / "dl_basics" / "snippets" / topic).is_dir()
        for cell in nb.cells:
            if cell.cell_type != "code" or META not in cell.metadata:
                continue
            name, r = cell.metadata[META]["run"], results[cell.metadata[META]["run"]]
            where = f"{lang}/{topic}.ipynb {name}"
            assert not [o for o in cell.outputs if o.output_type == "error"], where
            stdout = "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")
            stderr = "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr")
            assert _same_print(stdout, r["stdout"][lang]), (where, stdout, r["stdout"][lang])
            assert stderr.strip() == (r["exception"] or ""), where
            shown = [o for o in cell.outputs if o.output_type == "display_data"]
            assert sum("text/markdown" in o.data for o in shown) == len(r["tables"].get(lang, {})), where
            figs = r["figures"].get(lang, {}).get("light", {})
            wide = [f for f in figs if not (f.endswith("_narrow") and f.removesuffix("_narrow") in figs)]
            assert sum("image/png" in o.data for o in shown) == len(wide), where  # a phone variant is the site's


# -- the built site ------------------------------------------------------------------------------------------------
def _prefix(lang: str) -> str:
    return "" if lang == "uk" else f"{lang}/"


@pytest.mark.parametrize("topic,lang", NOTEBOOKS)
def test_notebook_page_shows_outputs_links_and_nothing_foreign(built_site, topic, lang):
    site = built_site.site
    page = site / f"{_prefix(lang)}notebooks/{topic}/index.html"
    text = page.read_text(encoding="utf-8")
    committed = read(notebook_path(ROOT, topic, lang))
    # Download: the committed notebook itself, next to the page.
    links = re.search(r'<p class="notebook-links".*?</p>', text, re.S).group(0)
    href = re.search(r'<a href="([^"]+\.ipynb)" download>', links).group(1)
    assert (page.parent / href).resolve().read_bytes() == notebook_path(ROOT, topic, lang).read_bytes()
    # Colab: the same repository as the page's source link (both from extra.repository), this language and topic.
    repo, nb_lang, nb_topic = COLAB.search(links).groups()
    assert (nb_lang, nb_topic) == (lang, topic)
    assert f'href="https://github.com/{repo}"' in text
    # Outputs from the build: every snippet's printed lines, every figure in both themes (files that exist).
    results, _ = Runner(ROOT).ensure(run_names(committed))
    for name in run_names(committed):
        for line in results[name]["stdout"][lang].splitlines()[:3]:
            if line.strip():
                assert html.escape(line.strip(), quote=False) in text, (name, line)
    imgs = re.findall(r'<img [^>]*src="([^"]+\.svg)#only-(light|dark)"', text)
    n_figs = sum(len(results[n]["figures"].get(lang, {}).get("light", {})) for n in run_names(committed))
    assert len(imgs) == 2 * n_figs
    for src, _ in imgs:
        assert (page.parent / src).resolve().is_file(), src
    # No MathJax, Mermaid or require.js, no script from another host; table math is MathML.
    scripts = " ".join(re.findall(r"<script\b[^>]*>.*?</script>", text, re.S))
    assert not re.search(r"mathjax|mermaid|require", scripts, re.I)
    assert not re.search(r"cdnjs|jsdelivr|unpkg", text)
    assert not re.search(r'<script[^>]+src="(?:https?:)?//', text)
    assert "arithmatex" not in text
    # The page is in its language throughout: the provenance footer too.
    assert ("Усі числа обчислено" in text) == (lang == "uk")
    # Heading ids are the notebook's, the same in both languages.
    assert re.findall(r'<h[1-6] id="([^"]*)"', text)[:len(heading_ids(committed))] == heading_ids(committed)


@pytest.mark.parametrize("lang", LANGS)
def test_topic_pages_link_their_notebook(built_site, lang):
    site = built_site.site
    found = 0
    for topic, spec in TOPICS.items():
        page = site / _prefix(lang) / spec["page"].removesuffix(".md") / "index.html"
        if not (ROOT / "docs" / lang / spec["page"]).is_file():
            continue  # the topic page is not written yet
        found += 1
        links = re.search(r'<p class="notebook-links".*?</p>', page.read_text(encoding="utf-8"), re.S).group(0)
        hrefs = re.findall(r'href="([^"]+)"', links)
        assert (page.parent / hrefs[0] / "index.html").resolve() == \
            (site / f"{_prefix(lang)}notebooks/{topic}/index.html").resolve()
        assert (page.parent / hrefs[1]).resolve().read_bytes() == notebook_path(ROOT, topic, lang).read_bytes()
        assert COLAB.search(links).groups()[1:] == (lang, topic)
    assert found, "no topic page built"


def test_no_python_file_becomes_a_page_and_no_notebook_executes():
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    jupyter = config["extra"]["notebooks"]["mkdocs-jupyter"]  # hooks/notebook_pages.py loads the plugin with these
    assert jupyter["include"] == ["*.ipynb"] and jupyter["execute"] is False
    assert jupyter.get("include_requirejs", False) is False
    assert "repo_url" not in config
    assert not list((ROOT / "docs").rglob("*.ipynb")), "notebooks live in notebooks/, not docs/ (i18n issue #198)"


def test_rendered_copies_are_not_executed_by_the_build(built_site):
    # mkdocs-jupyter logs a conversion only when its HTML cache misses (a clean clone, CI): each one says
    # execute=False, once per notebook and language.
    conversions = re.findall(r"Converting notebook \(execute=(\w+)\): \S+/(\w+)/(\w+)\.ipynb", built_site.output)
    assert {e for e, _, _ in conversions} <= {"False"}
    assert len(conversions) == len(set(conversions)), "a notebook converted twice in one build"
    # Converted now or in an earlier build. The hook numbers the cells whose outputs it fills from the snippet cache
    # (1, 2, … in order) and nothing else; a kernel would number every code cell it ran, the %%writefile cells first.
    for topic, lang in NOTEBOOKS:
        page = built_site.site / f"{_prefix(lang)}notebooks/{topic}/index.html"
        text = page.read_text(encoding="utf-8")
        # the prompt is the number alone, «[1]:», in both languages (nbconvert's «In [1]:» is English)
        assert not re.search(r'jp-InputPrompt[^>]*>In\b', text), page
        # the helper cells' tag in the page's language
        tags = set(re.findall(r'class="cell-tag">([^<]*)<', text))
        assert tags == {"допоміжна" if lang == "uk" else "helper"}, (page, tags)
        prompts = re.findall(r'jp-InputPrompt[^>]*>\[([^\]]*)\]:', text)
        nb = read(notebook_path(ROOT, topic, lang))
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert len(prompts) == len(code), (page, len(prompts), len(code))
        runs = [META in c.metadata for c in code]
        numbered = [p.strip() for p, run in zip(prompts, runs) if run]
        assert numbered == [str(i) for i in range(1, len(numbered) + 1)], (page, numbered)
        assert all(not p.strip() for p, run in zip(prompts, runs) if not run), (page, prompts)
