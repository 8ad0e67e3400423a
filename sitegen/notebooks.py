"""Companion notebooks: one per topic and language, generated from the topic's snippets; no MkDocs in here.

A notebook is self-contained: its cells write the snippets (unchanged), their helpers and the two small ``sitegen``
modules they import (``snippet``, ``numfmt``) into a folder ``dl_basics/`` next to it with ``%%writefile``, then run
each snippet the way the build does (``compute()``, then its ``report()``, tables and figures in the notebook's
language). So it runs anywhere ``requirements.txt`` is installed (Jupyter, Colab), and a reader sees and may edit every line.

The committed notebooks (``notebooks/<lang>/<topic>.ipynb``) carry no outputs. The site renders a copy whose outputs
are filled from the build's snippet results (:func:`fill_outputs`), so nothing is executed for the notebooks.

>>> sorted(imports_of("from sitegen.snippet import Table\\nfrom snippets.backprop._graph import manual", "snippets/a/b.py"))
['sitegen/snippet.py', 'snippets/backprop/_graph.py']
>>> imports_of("from .numfmt import fmt", "sitegen/snippet.py")
['sitegen/numfmt.py']
>>> colab_url("owner/repo", "uk", "backprop")
'https://colab.research.google.com/github/owner/repo/blob/main/notebooks/uk/backprop.ipynb'
"""

from __future__ import annotations

import ast
import copy
import itertools
import html
import posixpath
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import nbformat

from sitegen import topics as _topics
from sitegen.directives import svg_size

LANGS = ("uk", "en")
LIB = "dl_basics"  # the folder the notebook writes its files into (relative to the notebook's working directory)
META = "dl_basics"  # cell metadata key: {"run": "topic/name"} on the cells whose outputs the site fills
DEFAULT_REPOSITORY = "example/dl-basics"



def topics(root: str | Path = _topics.ROOT) -> dict[str, dict]:
    """topic -> its page (docs/<lang>/<page>), notebook titles, snippet order and each snippet's heading per language,
    from ``root``'s topics.yml (sitegen/topics.py, the one place a topic is declared) as it is now; {} without one.

    Read on every call (``sitegen.topics`` caches the parsed file by its modification time): under ``mkdocs serve``
    a topic added to topics.yml gets its notebook page at the next rebuild, not after a restart.
    """
    if not (Path(root) / "topics.yml").is_file():
        return {}
    return {t.id: {"page": t.page, "title": t.title, "order": t.order, "headings": dict(t.notebook)}
            for t in _topics.load(Path(root))}


class _Topics(Mapping):
    """``TOPICS``: :func:`topics` of this project, read afresh on every use (it was a dict made at import, so a process
    that outlived an edit of topics.yml, a running ``mkdocs serve``, kept the old topics)."""

    def __getitem__(self, topic):
        return topics()[topic]

    def __iter__(self):
        return iter(topics())

    def __len__(self):
        return len(topics())


TOPICS = _Topics()

TEXT = {
    "uk": {
        "subtitle": "Зошит-супутник до сторінки «{page}».",
        "intro": ("Кожне число, таблицю й рисунок на сторінці обчислює код нижче. Виконайте клітинки згори донизу: "
                  f"перші записують файли в теку `{LIB}/` поруч із зошитом, далі кожен скрипт обчислює свої результати "
                  "й показує таблиці та рисунки. Потрібні лише пакети з `requirements.txt` (у Colab вони вже є). "
                  "Змініть код у клітинці з `%%writefile`, виконайте її і наступну — і побачите, що зміниться."),
        "setup": "Підготовка",
        "setup_text": ("Тека для файлів і функція `run()`, яка виконує скрипт так само, як це робить збирання сайту: "
                       "`compute()`, потім `report()` (що скрипт друкує), таблиці й рисунки мовою цього зошита."),
        "helpers": "Допоміжні модулі",
        "helpers_text": ("Форматування чисел (десяткова кома, знак мінус U+2212), таблиці й кольори — ті самі модулі, "
                         "які імпортують скрипти сайту, а також спільний код скриптів цієї теми."),
        "figure": "Рисунок",
        "collapsed": "Допоміжний код ({files}) — потрібен, щоб зошит працював у Colab; натисніть, щоб показати",
        "setup_code": "функція run() і тека dl_basics/",
        "tag": "допоміжна",
    },
    "en": {
        "subtitle": "Companion notebook to the page “{page}”.",
        "intro": ("Every number, table and figure on the page is computed by the code below. Run the cells top to "
                  f"bottom: the first ones write files into the folder `{LIB}/` next to the notebook, then each "
                  "snippet computes its results and shows its tables and figures. Only the packages of "
                  "`requirements.txt` are needed (Colab has them). Edit the code of a `%%writefile` cell, run it and "
                  "the next one, and see what changes."),
        "setup": "Setup",
        "setup_text": ("The folder for the files and `run()`, which runs a snippet the way the site's build does: "
                       "`compute()`, then its `report()`, tables and figures in this notebook's language."),
        "helpers": "Helpers",
        "helpers_text": ("Number formatting (decimal separator, U+2212 minus), tables and colours: the same modules "
                         "the site's snippets import, and the code the snippets of this topic share."),
        "collapsed": "Helper code ({files}), needed for the notebook to run in Colab; click to show",
        "setup_code": "run() and the folder dl_basics/",
        "tag": "helper",
        "figure": "Figure",
    },
}

SETUP = '''\
%matplotlib inline
import importlib, sys, traceback
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import torch
from IPython.display import Markdown, display

torch.set_num_threads(1)  # as the site's build: the same summation order, so the same last digits

LANG = {lang!r}
LIB = Path({lib!r}).resolve()
for package in {packages!r}:
    (LIB / package).mkdir(parents=True, exist_ok=True)
    (LIB / package / "__init__.py").touch()
if str(LIB) not in sys.path:
    sys.path.insert(0, str(LIB))


def run(name):
    """Run snippets/<name>.py as the site's build does; return what compute() returned."""
    path = LIB / "snippets" / f"{{name}}.py"
    source = path.read_text(encoding="utf-8")
    for module in [m for m in sys.modules if m.split(".")[0] in ("snippets", "sitegen")]:
        del sys.modules[module]  # always the files as they are now
    importlib.invalidate_caches()
    if "\\ndef compute(" not in "\\n" + source:  # a script: run as __main__, maybe raising on purpose
        namespace = {{"__name__": "__main__", "__file__": str(path)}}
        try:
            exec(compile(source, str(path), "exec"), namespace)
        except Exception as exc:
            if type(exc).__name__ != namespace.get("EXPECT_EXCEPTION"):
                raise
            sys.stdout.flush()
            print("".join(traceback.format_exception_only(type(exc), exc)).strip(), file=sys.stderr)
        return None
    from sitegen.snippet import rc_params

    module = importlib.import_module("snippets." + name.replace("/", "."))
    results = module.compute()
    if hasattr(module, "report"):  # what the snippet prints for a reader, in this notebook's language
        module.report(results, LANG)
    sys.stdout.flush()
    if hasattr(module, "tables"):
        for table in module.tables(results, LANG).values():
            display(Markdown(table.to_markdown(LANG)))
    if hasattr(module, "figures"):
        with matplotlib.rc_context(rc_params("light")):
            for key, figure in module.figures(results, LANG, "light").items():
                if key.endswith("_narrow"):  # the site's phone variant of another figure
                    plt.close(figure)
                    continue
                display(figure)
                plt.close(figure)
    return results
'''


# -- what a topic needs ----------------------------------------------------------------------------------------
def imports_of(source: str, rel: str, root: Path | None = None) -> list[str]:
    """Project files (``sitegen/…``, ``snippets/…``) that ``source`` (the file ``rel``) imports.

    With ``root``, ``from package import module`` counts too, and only files that exist are returned.
    """
    found = []
    package = posixpath.dirname(rel).split("/")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            mods = [mod] + ([f"{mod}.{a.name}" for a in node.names] if root else [])
        elif isinstance(node, ast.Import):
            mods = [a.name for a in node.names]
        else:
            continue
        for m in mods:
            path = m.replace(".", "/") + ".py"
            if m.split(".")[0] in ("sitegen", "snippets") and (root is None or (root / path).is_file()):
                found.append(path)
    return sorted(set(found))


def _closure(root: Path, rels: list[str]) -> list[str]:
    seen: list[str] = []
    todo = list(rels)
    while todo:
        rel = todo.pop(0)
        if rel in seen or not (root / rel).is_file():
            continue
        seen.append(rel)
        todo.extend(imports_of((root / rel).read_text(encoding="utf-8"), rel, root))
    return seen


def snippets_of(root: Path, topic: str) -> list[str]:
    """The topic's snippets in notebook order: the preferred order, the rest by name, each after its imports."""
    base = root / "snippets" / topic
    names = sorted(p.stem for p in base.glob("*.py") if not p.name.startswith("_"))
    preferred = topics(root)[topic]["order"]
    order = [n for n in preferred if n in names] + [n for n in names if n not in preferred]
    placed: list[str] = []

    def place(n, stack=()):
        if n in placed or n in stack:
            return
        for dep in _closure(root, [f"snippets/{topic}/{n}.py"])[1:]:
            d = Path(dep)
            if d.parent.as_posix() == f"snippets/{topic}" and d.stem in names:
                place(d.stem, stack + (n,))
        placed.append(n)

    for n in order:
        place(n)
    return [f"{topic}/{n}" for n in placed]


def _heading(text: str, anchor: str):
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata[META] = {"id": anchor}  # the heading's id on the site, the same in both languages
    return cell


def heading_ids(nb) -> list[str]:
    """The site's ids of the notebook's headings, in order (one heading per marked markdown cell)."""
    return [c.metadata[META]["id"] for c in nb.cells if c.cell_type == "markdown" and META in c.metadata]


def _writefile(rel: str, source: str):
    return nbformat.v4.new_code_cell(f"%%writefile {LIB}/{rel}\n{source.rstrip()}\n")


HELPER_TAG = "helper"  # cell tag: the setup cell and the %%writefile cells of shared modules (not the lesson's snippets)


def collapse_helpers(page_html: str, nb, lang: str) -> str:
    """The rendered notebook with its consecutive helper cells folded into one ``<details>`` line saying what they are.

    Cells are found by the ids nbconvert writes (``id="cell-id=<id>"``) inside mkdocs-jupyter's wrapper div.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%%writefile lib/a.py"),
    ...                                      nbformat.v4.new_markdown_cell("x")])
    >>> nb.cells[0].metadata["tags"] = ["helper"]; nb.cells[0]["id"] = "t-00"; nb.cells[1]["id"] = "t-01"
    >>> page = ('<div class="jp-Cell a"> <div class="jp-Cell a" id="cell-id=t-00">A</div></div>'
    ...         '<div class="jp-Cell b"> <div class="jp-Cell b" id="cell-id=t-01">B</div></div>')
    >>> out = collapse_helpers(page, nb, "en")
    >>> out.startswith('<details class="nb-helpers"><summary>Helper code (a.py)')
    True
    >>> out.endswith('id="cell-id=t-00">A</div></div></details><div class="jp-Cell b"> '
    ...              '<div class="jp-Cell b" id="cell-id=t-01">B</div></div>')
    True
    """
    def start_of(cell_id):
        # A code cell sits in mkdocs-jupyter's wrapper div; a Markdown cell does not.
        m = re.search(r'(?:<div class="jp-Cell[^"]*">\s*)?<div class="jp-Cell[^"]*" id="cell-id=' + re.escape(cell_id) + '"',
                      page_html)
        return m.start() if m else None

    cells = list(nb.cells)
    tagged = [i for i, c in enumerate(cells) if HELPER_TAG in c.metadata.get("tags", [])]
    groups = [list(g) for _, g in itertools.groupby(tagged, key=lambda i, n=iter(range(len(tagged))): i - next(n))]
    for group in reversed(groups):  # from the end, so earlier offsets stay valid
        if group[-1] + 1 >= len(cells):
            continue
        first, after = start_of(cells[group[0]]["id"]), start_of(cells[group[-1] + 1]["id"])
        if first is None or after is None:
            continue
        names = [posixpath.basename(cells[i].source.split("\n", 1)[0].split()[-1])
                 if cells[i].source.startswith("%%writefile") else TEXT[lang]["setup_code"] for i in group]
        summary = html.escape(TEXT[lang]["collapsed"].format(files=", ".join(names)))
        page_html = (page_html[:first] + f'<details class="nb-helpers"><summary>{summary}</summary>' +
                     page_html[first:after] + "</details>" + page_html[after:])
    # mkdocs-jupyter shows each cell's tags: the helper tag in the page's language
    return page_html.replace(f'<span class="cell-tag">{HELPER_TAG}</span>',
                             f'<span class="cell-tag">{html.escape(TEXT[lang]["tag"])}</span>')


def page_title(root: str | Path, topic: str, lang: str) -> str:
    """The title (first heading, without its ``{ #id }``) of ``topic``'s page in ``lang``."""
    page = topics(root)[topic]["page"]
    for line in (Path(root) / "docs" / lang / page).read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return re.sub(r"\s*\{[^{}]*\}\s*$", "", line[2:]).strip()
    raise ValueError(f"docs/{lang}/{page}: no title (a line starting with '# ')")


def build_notebook(root: str | Path, topic: str, lang: str) -> nbformat.NotebookNode:
    """The committed notebook of ``topic`` in ``lang`` (no outputs), from the snippets as they are now."""
    root = Path(root)
    t = TEXT[lang]
    spec = topics(root)[topic]
    names = snippets_of(root, topic)
    files = [f"snippets/{n}.py" for n in names]
    needed = _closure(root, files)
    helpers = [r for r in needed if r not in files]  # sitegen modules and `_helpers`, in import order
    helpers.sort(key=lambda r: (not r.startswith("sitegen/"), r))
    packages = sorted({posixpath.dirname(r) for r in needed if "/" in r} | {"sitegen", "snippets"})
    cells = [
        _heading(f"# {spec['title'][lang]}\n\n{t['subtitle'].format(page=page_title(root, topic, lang))}\n\n"
                 f"{t['intro']}", topic),
        _heading(f"## {t['setup']}\n\n{t['setup_text']}", "setup"),
        nbformat.v4.new_code_cell(SETUP.format(lang=lang, lib=LIB, packages=packages).rstrip() + "\n",
                                  metadata={"tags": [HELPER_TAG]}),
        _heading(f"## {t['helpers']}\n\n{t['helpers_text']}", "helpers"),
    ]
    for r in helpers:  # tagged: the site folds them behind one line (collapse_helpers); Colab runs them as usual
        cell = _writefile(r, (root / r).read_text(encoding="utf-8"))
        cell.metadata["tags"] = [HELPER_TAG]
        cells.append(cell)
    for name, rel in zip(names, files):
        heading = spec["headings"].get(name.split("/")[-1], {}).get(lang, name)
        cells.append(_heading(f"## {heading}\n\n`snippets/{name}.py`", name.split("/")[-1].replace("_", "-")))
        cells.append(_writefile(rel, (root / rel).read_text(encoding="utf-8")))
        var = "r_" + name.split("/")[-1]
        run = nbformat.v4.new_code_cell(f"{var} = run({name!r})")
        run.metadata[META] = {"run": name}
        cells.append(run)
    nb = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        META: {"topic": topic, "lang": lang},
    })
    for i, cell in enumerate(nb.cells):  # stable ids: a regenerated notebook is byte-identical
        cell["id"] = f"{topic}-{i:02d}"
    return nb


def dumps(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def notebook_path(root: str | Path, topic: str, lang: str) -> Path:
    return Path(root) / "notebooks" / lang / f"{topic}.ipynb"


def run_names(nb) -> list[str]:
    """The snippets whose results a notebook shows."""
    return [c.metadata[META]["run"] for c in nb.cells if c.cell_type == "code" and META in c.metadata]


def colab_url(repository: str, lang: str, topic: str, branch: str = "main") -> str:
    return f"https://colab.research.google.com/github/{repository}/blob/{branch}/notebooks/{lang}/{topic}.ipynb"


# -- the site's rendered copy ----------------------------------------------------------------------------------
@lru_cache(maxsize=256)  # pure; `mkdocs serve` fills the same tables into the notebooks on every rebuild
def _table_html(markdown_table: str) -> str:
    import markdown

    return markdown.markdown(markdown_table, extensions=["tables", "pymdownx.arithmatex"],
                             extension_configs={"pymdownx.arithmatex": {"generic": True}})


def fill_outputs(nb, results: dict, lang: str, figure_url, alt_of) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose run cells show the build's results for ``lang`` (what running them prints).

    ``figure_url(snippet, fig, theme)`` is the figure's URL relative to the notebook's page; ``alt_of(snippet, fig)``
    its alt text (or None). Tables are HTML with arithmatex math (the page typesets it into MathML) and Markdown.
    """
    nb = copy.deepcopy(nb)
    shown = 0
    for cell in (c for c in nb.cells if c.cell_type == "code" and META in c.metadata):
        name = cell.metadata[META]["run"]
        r = results[name]
        outputs = []
        if r["stdout"][lang]:
            outputs.append(nbformat.v4.new_output("stream", name="stdout", text=r["stdout"][lang]))
        if r.get("exception"):
            outputs.append(nbformat.v4.new_output("stream", name="stderr", text=r["exception"] + "\n"))
        for table in r["tables"].get(lang, {}).values():
            md = table.to_markdown(lang)
            outputs.append(nbformat.v4.new_output("display_data", data={"text/html": _table_html(md),
                                                                        "text/markdown": md}))
        figs = r["figures"].get(lang, {}).get("light", {})
        for fig in figs:
            if fig.endswith("_narrow") and fig.removesuffix("_narrow") in figs:
                continue  # the phone variant of `fig`: shown in its place by width (site.css)
            alt = alt_of(name, fig) or f"{TEXT[lang]['figure']}: {name}:{fig}"
            sizes = [(fig, ' class="snippet-figure__wide"'), (fig + "_narrow", ' class="snippet-figure__narrow"')] \
                if fig + "_narrow" in figs else [(fig, "")]
            def size(f, theme):  # the SVG's own size, as on the topic pages (sitegen/directives.py)
                wh = svg_size(r["figures"][lang].get(theme, {}).get(f, ""))
                return f' width="{wh[0]}" height="{wh[1]}"' if wh else ""

            imgs = "".join(
                f'<a href="{html.escape(figure_url(name, f, theme))}"><img src="{html.escape(figure_url(name, f, theme))}'
                f'#only-{theme}" alt="{html.escape(alt)}"{cls}{size(f, theme)} loading="lazy"></a>'
                for f, cls in sizes for theme in ("light", "dark"))
            outputs.append(nbformat.v4.new_output("display_data", data={
                "text/html": f'<figure class="snippet-figure">{imgs}</figure>', "text/plain": alt}))
        cell.outputs = outputs
        # The page shows what running the cell printed: number it as Jupyter would (run cells only, in order).
        shown += bool(outputs)
        cell.execution_count = shown if outputs else None
    return nb


# -- the rendered page ------------------------------------------------------------------------------------------
LINK_TEXT = {
    "uk": {"download": "Завантажити .ipynb", "colab": "Відкрити в Colab", "page": "Переглянути з результатами",
           "label": "Зошит-супутник"},
    "en": {"download": "Download .ipynb", "colab": "Open in Colab", "page": "The notebook with outputs",
           "label": "Companion notebook"},
}
# What nbconvert's template adds that the site must not have: MathJax (empty URL and its config: math is MathML,
# typeset at build time) and the Mermaid loader, which imports Mermaid from a CDN.
_FOREIGN_SCRIPT = re.compile(
    r'<script src="[^"]*"></script>|<script type="text/x-mathjax-config">.*?</script>'
    r'|<script type="module">(?:(?!</script>).)*?https?://(?:(?!</script>).)*?</script>', re.S)
_HEADING = re.compile(r'<h([1-6]) id="([^"]*)"')
_H1_END = re.compile(r"</h1>")


def links_html(lang: str, download: str, colab: str, page: str | None = None) -> str:
    """The links box: download the committed notebook, open it in Colab, and (on topic pages) its rendered page."""
    t = LINK_TEXT[lang]
    items = [f'<a href="{html.escape(download)}" download>{t["download"]}</a>',
             f'<a href="{html.escape(colab)}" rel="noopener">{t["colab"]}</a>']
    if page:
        items.insert(0, f'<a href="{html.escape(page)}">{t["page"]}</a>')
    return (f'<p class="notebook-links" aria-label="{t["label"]}"><strong>{t["label"]}:</strong> '
            + " · ".join(items) + "</p>")


def insert_after_h1(page_html: str, snippet: str) -> str:
    """``snippet`` right after the page's first ``</h1>`` (or at the top when there is none).

    >>> insert_after_h1("<h1>T</h1><p>x</p>", "<p>L</p>")
    '<h1>T</h1><p>L</p><p>x</p>'
    """
    m = _H1_END.search(page_html)
    return page_html[:m.end()] + snippet + page_html[m.end():] if m else snippet + page_html


_CLIPBOARD = re.compile(
    r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>'
    r'|<div class="clipboard-copy-txt" id="[^"]*">.*?</div>'
    r'|<script>\s*(?:\(function \(global, factory\)|document\.addEventListener\(\'clipboard-copy\').*?</script>', re.S)
# JupyterLab's theme, inlined by nbconvert into every notebook page (~570 KB): the code cells become Material code
# blocks below and the outputs are plain HTML, so the site's own stylesheet is enough.
_JUPYTER_CSS = re.compile(r'<style[^>]*>\s*(?:@charset "UTF-8";)?\s*\.jupyter-wrapper\{.*?</style>'
                          r'|<style[^>]*>\s*\.jp-Mermaid.*?</style>', re.S)
_CODE_CELL = re.compile(r'<div class="highlight-ipynb hl-python"><pre>(.*?)</pre>', re.S)
_PRE = re.compile(r"<pre>(?!<code>)")
_IN_PROMPT = re.compile(r"(<div class=\"jp-InputPrompt[^\"]*\">)In\s*\[")


@lru_cache(maxsize=32)  # pure; whole notebook pages, rebuilt unchanged on every `mkdocs serve` edit
def clean_html(page_html: str) -> str:
    """nbconvert's output made a page of this site.

    Without the scripts that would load MathJax or Mermaid from another host; code cells become Material code blocks
    (its colours, which pass contrast in both schemes, its copy button, keyboard focus when scrollable) instead of
    mkdocs-jupyter's own clipboard widget (whose hidden copy of the source would read as raw text); other ``<pre>``
    (printed output) is focusable, so a keyboard can scroll it.

    >>> clean_html('<p>a</p><script src=""></script><script type="text/x-mathjax-config">x</script>b')
    '<p>a</p>b'
    >>> clean_html('<script type="module">import("https://cdn.example/m.js")</script><script>local()</script>')
    '<script>local()</script>'
    >>> clean_html('<style>.jupyter-wrapper{--md-red-50: #ffebee}</style><style>.jp-Mermaid {}</style><p>x</p>')
    '<p>x</p>'
    >>> clean_html('<h2 id="a">A<a class="anchor-link" href="#a">¶</a></h2>')
    '<h2 id="a">A<a class="headerlink" href="#a">¶</a></h2>'
    >>> clean_html('<div class="jp-InputPrompt jp-InputArea-prompt">In [3]:</div>')
    '<div class="jp-InputPrompt jp-InputArea-prompt">[3]:</div>'
    >>> clean_html('<div class="highlight-ipynb hl-python"><pre><span></span>x = 1\\n</pre></div><pre>out</pre>')
    '<div class="highlight"><pre><code><span></span>x = 1\\n</code></pre></div><pre tabindex="0">out</pre>'
    """
    page_html = _FOREIGN_SCRIPT.sub("", page_html)
    page_html = _JUPYTER_CSS.sub("", page_html)
    # nbconvert's heading anchors, styled like the site's own permalinks (the JupyterLab CSS that hid them is gone)
    page_html = page_html.replace('<a class="anchor-link" href="#', '<a class="headerlink" href="#')
    page_html = _CLIPBOARD.sub("", page_html)
    page_html = _CODE_CELL.sub(r'<div class="highlight"><pre><code>\1</code></pre>', page_html)
    # nbconvert's prompt «In [1]:» is English on every page: the number alone, «[1]:», reads in both languages
    page_html = _IN_PROMPT.sub(r"\1[", page_html)
    return _PRE.sub('<pre tabindex="0">', page_html)


def remap_heading_ids(page_html: str, ids: list[str]) -> tuple[str, dict[str, str]]:
    """Give the notebook's headings the ids of :func:`heading_ids`, in order (nbconvert derives them from the text,
    which differs per language and is empty for Cyrillic). Returns the page and ``{old id: new id}``.

    >>> remap_heading_ids('<h1 id="t">T<a href="#t">¶</a></h1><h2 id="">Б<a href="#">¶</a></h2>', ["x", "y"])[0]
    '<h1 id="x">T<a href="#x">¶</a></h1><h2 id="y">Б<a href="#y">¶</a></h2>'
    """
    found = list(_HEADING.finditer(page_html))
    if len(found) != len(ids):
        raise ValueError(f"{len(found)} headings in the rendered notebook, {len(ids)} ids in its cells")
    out, pos, mapping = [], 0, {}
    for m, new in zip(found, ids):
        level, old = m.group(1), m.group(2)
        mapping.setdefault(old, new)
        end = page_html.index(f"</h{level}>", m.end())
        body = page_html[m.end():end].replace(f'href="#{old}"', f'href="#{new}"')
        out.append(page_html[pos:m.start()] + f'<h{level} id="{new}"' + body)
        pos = end
    out.append(page_html[pos:])
    return "".join(out), mapping


def read(path: str | Path) -> nbformat.NotebookNode:
    return nbformat.reads(Path(path).read_text(encoding="utf-8"), as_version=4)


def main_check(root: Path) -> list[str]:
    """Paths of committed notebooks that differ from what the generator makes now."""
    stale = []
    for topic in topics(root):
        for lang in LANGS:
            p = notebook_path(root, topic, lang)
            if not p.is_file() or p.read_text(encoding="utf-8") != dumps(build_notebook(root, topic, lang)):
                stale.append(p.relative_to(root).as_posix())
    return stale


__all__ = ["TOPICS", "topics", "LANGS", "build_notebook", "dumps", "notebook_path", "run_names", "colab_url", "fill_outputs",
           "read", "main_check", "heading_ids", "links_html", "insert_after_h1", "clean_html", "remap_heading_ids",
           "collapse_helpers", "HELPER_TAG"]
