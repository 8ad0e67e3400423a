"""Build-performance benchmark, run by hand on the machine whose figures you want (not part of ``./dev test``).

    .venv/bin/python bench/bench.py                   # everything, prints Markdown tables
    .venv/bin/python bench/bench.py --write-results   # … and writes them into bench/RESULTS.md
    .venv/bin/python bench/bench.py --only livereload # one part (its section of RESULTS.md with --write-results)
    .venv/bin/python bench/bench.py --quick           # scale test with N = 1, 10 only, one live-reload sample
    .venv/bin/python bench/bench.py --worktree        # benchmark the working tree instead of the committed HEAD
    .venv/bin/python bench/bench.py --ref abc123      # benchmark another commit

Everything happens in temporary copies of the project (``git archive HEAD`` by default), each with its own snippet
cache (``SNIPPETS_CACHE_DIR``) and page cache (``.cache/pages`` of the copy): ``docs/``, ``site/`` and ``.cache/`` of
the repository are never touched. Each section of the report names the machine, the date, the commit and the load
average when its part started and ended: timings taken on a busy machine are not the idle machine's.

Measured (targets from issue 7 in brackets):

1. builds — cold (empty cache) [executes every snippet once], warm (nothing changed) [≤ 0.35 × cold], prose-only
   edit [executes nothing], one-snippet edit [executes exactly that one]: wall time, the hook's summary line,
   peak RSS of the build's whole process tree (build, snippet forkserver, snippet children; psutil, sampled);
2. first-load weight of every page as Chromium loads it (sum of response bodies by type: HTML, CSS, JS, images,
   fonts, search index, other) vs a stock Material page with the same theme settings and an empty body
   [topic page ≤ 1.5 × stock + its own figures]; total site size; each SVG figure [≤ 60 KB];
3. scale — N synthetic pages (both languages) each with its own tiny snippet: cold and warm time per page
   [flat in N], snippets executed by the warm build [0];
4. live reload and the warm build (issue 27) — ``mkdocs serve --livereload`` with a topic page open in Chromium
   (``--page``, default ``docs/en/batchnorm.md``): 5 prose edits of that page, the server's own rebuild (both
   languages, as hooks/rebuild_speed.py logs it) [≤ 0.8 s] and the time until the browser shows the edit [≤ 1.5 s],
   snippets executed [none]; 5 computed-value edits (the number of a snippet of the benchmark's own that the page
   shows, which re-runs it) [the same, plus that snippet's run time]; a warm ``mkdocs build`` in a new process
   against a build of the same ``docs/`` with Material and mkdocs-static-i18n only (no hooks, no other plugin),
   alternating, 3 each [≤ 2 ×]. Medians; one PASS/FAIL line per target;
5. Lighthouse (npm ``lighthouse``, pinned in package.json; Debian's chromium through ``CHROME_PATH``; its default
   mobile, throttled settings) on every page and on the stock Material page, both served gzip-compressed as GitHub
   Pages serves them, median of 3 runs per page (and how many had their first frame withheld by the measuring
   browser, see ``withheld_first_paint``):
   performance, TBT, LCP, DOM elements, accessibility, best practices, SEO [performance ≥ 0.9 on topic, glossary
   and notebook pages; home ≥ 0.9 and within 0.03 of stock; the other three 1.0]. ``--pages en/,en/batchnorm/``
   measures some pages only, ``--runs N`` changes the number of runs. Lighthouse is CPU-bound: on a shared machine
   its figures are noise.

The cold build is measured twice: with one snippet at a time (``SNIPPETS_JOBS=1``) and with the runner's default
(one per core, bounded by memory; ``sitegen/environment.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import io
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import string
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SUMMARY = re.compile(r"snippets: (\d+) total, (\d+) executed, (\d+) cached, ([\d.]+) s")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SVG_LIMIT = 60 * 1024

# -- project copies and builds ------------------------------------------------------------------------------------
def copy_project(dest: Path, worktree: bool, ref: str = "HEAD") -> Path:
    dest.mkdir(parents=True)
    if worktree:
        skip = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "site.staging", ".cache",
                                      "__pycache__", ".pytest_cache")
        for item in ROOT.iterdir():
            if item.name in {".git", ".venv", "node_modules", "site", "site.staging", ".cache", ".pytest_cache"}:
                continue
            (shutil.copytree(item, dest / item.name, ignore=skip) if item.is_dir() else shutil.copy2(item, dest))
    else:
        archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=ROOT, capture_output=True,
                                 check=True).stdout
        tar = dest / ".head.tar"
        tar.write_bytes(archive)
        with tarfile.open(tar) as tf:
            tf.extractall(dest, filter="data")
        tar.unlink()
    return dest


@dataclass
class BuildResult:
    label: str
    wall: float
    rss_mb: float
    total: int
    executed: int
    cached: int
    snippet_s: float
    output: str
    warnings: int = 0


def _tree_rss(proc) -> int:
    """Resident memory of a process and all its descendants (the snippet forkserver and its children), bytes."""
    import psutil

    total = 0
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def build(project: Path, site: Path, cache: Path, label: str, extra_env: dict | None = None) -> BuildResult:
    """One build, timed, with the peak of the whole process tree's RSS sampled every 50 ms (the forkserver and
    snippet children are not reaped by the build process, so ``getrusage(RUSAGE_CHILDREN)`` would miss them)."""
    import psutil

    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SNIPPETS_CACHE_DIR=str(cache), SOURCE_DATE_EPOCH="1700000000",
               **(extra_env or {}))
    # Not --strict: a broken link in a work-in-progress page must not stop a measurement; warnings are counted.
    cmd = [PY, "-m", "mkdocs", "build", "--no-strict", "-d", str(site)]
    log = project.parent / f"build-{re.sub(r'[^a-z0-9]+', '-', label.lower())}.log"
    t0 = time.perf_counter()
    with open(log, "w") as fh:
        popen = subprocess.Popen(cmd, cwd=project, env=env, stdout=fh, stderr=subprocess.STDOUT)
        ps, peak = psutil.Process(popen.pid), 0
        while popen.poll() is None:
            peak = max(peak, _tree_rss(ps))
            time.sleep(0.05)
    wall = time.perf_counter() - t0
    out = log.read_text(errors="replace")
    if popen.returncode != 0:
        raise SystemExit(f"build '{label}' failed in {project}:\n{out[-4000:]}")
    found = SUMMARY.findall(out)
    if not found:
        raise SystemExit(f"build '{label}': no 'snippets: …' summary line in:\n{out[-3000:]}")
    total, executed, cached, secs = found[-1]
    warnings = len(re.findall(r"^WARNING", out, flags=re.M))
    return BuildResult(label, wall, peak / 1024 ** 2, int(total), int(executed), int(cached), float(secs), out,
                       warnings)


def first_snippet(project: Path) -> str:
    """A snippet the site embeds (the first in name order), for the one-snippet edit."""
    names = set()
    for md in (project / "docs").rglob("*.md"):
        names.update(re.findall(r"<!--\s*(?:value|table|figure|output|source)\s+([\w/]+)", md.read_text()))
    names = sorted(n for n in names if (project / "snippets" / f"{n}.py").is_file())
    if not names:
        raise SystemExit("no page embeds a snippet")
    return names[0]


def prose_edit(project: Path, marker: str) -> Path:
    """Append a paragraph to the home page in both languages (no directive involved)."""
    for lang in ("uk", "en"):
        md = project / "docs" / lang / "index.md"
        md.write_text(md.read_text() + f"\n\n{marker}\n")
    return project / "docs" / "uk" / "index.md"


def _jobs() -> int:
    sys.path.insert(0, str(ROOT))
    from sitegen.environment import default_jobs

    return default_jobs()


def bench_builds(project: Path, tmp: Path) -> list[BuildResult]:
    cache, site = tmp / "cache-builds", tmp / "site-builds"
    shutil.rmtree(project / ".cache", ignore_errors=True)  # mkdocs-jupyter's cache lives in the project
    one_job = build(project, tmp / "site-one-job", tmp / "cache-one-job", "cold, 1 job (SNIPPETS_JOBS=1)",
                    {"SNIPPETS_JOBS": "1"})
    shutil.rmtree(project / ".cache", ignore_errors=True)
    results = [build(project, site, cache, f"cold (empty cache), {_jobs()} jobs (default: all cores)"),
               build(project, site, cache, "warm (nothing changed)")]
    prose_edit(project, "A prose-only edit made by the benchmark.")
    results.append(build(project, site, cache, "prose-only edit"))
    name = first_snippet(project)
    snippet = project / "snippets" / f"{name}.py"
    snippet.write_text(snippet.read_text() + "\n# an edit made by the benchmark\n")
    results.append(build(project, site, cache, f"one-snippet edit ({name})"))
    return results + [one_job]


# -- page weight in Chromium --------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Gzip(_Quiet):
    """As GitHub Pages serves: text types gzip-compressed when the browser accepts it (Lighthouse's simulated network
    then costs what a reader's transfer costs, not the uncompressed bytes of a local server)."""

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's URL
            path = os.path.join(path, "index.html")
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not os.path.isfile(path) or \
                not path.endswith(TEXT_TYPES):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve_dir(directory: Path, gzip_text: bool = False):
    handler = functools.partial(_Gzip if gzip_text else _Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def kind_of(url: str, resource_type: str) -> str:
    path = url.split("?", 1)[0]
    if path.endswith("search_index.json"):
        return "search"
    if resource_type == "document":
        return "html"
    if resource_type == "stylesheet" or path.endswith(".css"):
        return "css"
    if resource_type == "script" or path.endswith(".js"):
        return "js"
    if resource_type == "font" or path.endswith((".woff", ".woff2", ".ttf", ".otf")):
        return "fonts"
    if resource_type == "image" or path.endswith((".svg", ".png", ".jpg", ".webp", ".ico")):
        return "images"
    return "other"


KINDS = ["html", "css", "js", "images", "fonts", "search", "other"]


TEXT_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", "/")


def page_weights(browser, base: str, paths: list[str], site_root: Path) -> dict[str, dict]:
    """First load of each page in a fresh context (empty cache): bytes by kind, figure bytes, foreign requests."""
    out = {}
    for path in paths:
        context = browser.new_context()
        page = context.new_page()
        seen: dict[str, tuple[str, int]] = {}
        foreign: list[str] = []

        def on_response(resp):
            if not resp.url.startswith(base):
                foreign.append(resp.url)
                return
            try:
                body = resp.body()
            except Exception:  # a worker's script, a redirect: no body through this API; read the file served
                local = site_root / urllib.parse.unquote(resp.url[len(base):].split("?")[0])
                body = local.read_bytes() if local.is_file() else b""
            # What GitHub Pages would send for it: text types gzip-compressed.
            gz = len(gzip.compress(body, 6, mtime=0)) if resp.url.split("?")[0].endswith(TEXT_TYPES) or \
                resp.request.resource_type == "document" else len(body)
            seen[resp.url] = (kind_of(resp.url, resp.request.resource_type), len(body), gz)

        context.on("response", on_response)
        page.goto(base + path, wait_until="networkidle")
        page.wait_for_timeout(1000)  # late requests (the favicon, the search worker's script) on a busy machine
        by_kind = {k: 0 for k in KINDS}
        for kind, size, _ in seen.values():
            by_kind[kind] += size
        # The page's own assets: its figures, and the math font (fetched only by a page with math).
        figures = sum(size for url, (_, size, _) in seen.items() if "/_figures/" in url or "/assets/fonts/" in url)
        out[path] = {"kinds": by_kind, "total": sum(by_kind.values()), "figures": figures, "foreign": foreign,
                     "gzip": sum(g for _, _, g in seen.values())}
        context.close()
    return out


def stock_project(project: Path, dest: Path) -> Path:
    """A stock Material site with the same theme settings as ours and one page with an empty body."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_constructor("!ENV", lambda loader, node: None)
    cfg = yaml.load((project / "mkdocs.yml").read_text(), Loader=_Loader)
    theme = dict(cfg["theme"])
    theme.pop("custom_dir", None)  # stock: no overrides
    (dest / "docs").mkdir(parents=True)
    (dest / "docs" / "index.md").write_text("")
    (dest / "mkdocs.yml").write_text(yaml.safe_dump({"site_name": cfg["site_name"], "theme": theme,
                                                      "plugins": ["search"]}, allow_unicode=True))
    return dest


def bench_weights(project: Path, tmp: Path, site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    stock = stock_project(project, tmp / "stock")
    subprocess.run([PY, "-m", "mkdocs", "build", "-q", "-d", str(tmp / "stock-site")], cwd=stock, check=True,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    pages = sorted(p.relative_to(site).parent.as_posix() + "/" for p in site.rglob("index.html"))
    pages = ["" if p == "./" else p for p in pages]
    srv, base = serve_dir(site)
    srv2, base2 = serve_dir(tmp / "stock-site")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            weights = page_weights(browser, base, pages, site)
            stock_w = page_weights(browser, base2, [""], tmp / "stock-site")[""]
            browser.close()
    finally:
        srv.shutdown()
        srv2.shutdown()
    return {"pages": weights, "stock": stock_w}


def site_sizes(site: Path) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    svgs = sorted((p.relative_to(site).as_posix(), p.stat().st_size) for p in files
                  if p.suffix == ".svg" and "_figures" in p.parts)
    return {"bytes": sum(p.stat().st_size for p in files), "files": len(files), "svgs": svgs}


# -- Lighthouse ---------------------------------------------------------------------------------------------------
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LH_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LH_CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking " \
                  "--disable-component-update --no-first-run"


def lighthouse_once(url: str, out: Path) -> dict:
    """One Lighthouse run (its default: mobile, simulated throttling) of ``url`` in Debian's chromium."""
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} missing: npm ci (package.json pins lighthouse)")
    for attempt in range(3):  # on a busy machine a DevTools call can time out: try again, then give up loudly
        out.unlink(missing_ok=True)
        proc = subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
                               "--max-wait-for-load=120000", f"--only-categories={','.join(LH_CATEGORIES)}",
                               f"--chrome-flags={LH_CHROME_FLAGS}"],
                              env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True, text=True, timeout=900)
        report = json.loads(out.read_text()) if proc.returncode == 0 and out.exists() else None
        if report is not None and not report.get("runtimeError"):
            break
        print(f"  lighthouse attempt {attempt + 1} on {url} failed: "
              f"{(report or {}).get('runtimeError') or proc.stderr[-500:]}", file=sys.stderr)
    else:
        raise SystemExit(f"lighthouse failed three times on {url}")
    audits = report["audits"]
    row = {c: report["categories"][c]["score"] for c in LH_CATEGORIES}
    observed = audits["metrics"]["details"]["items"][0]
    row.update(tbt=audits["total-blocking-time"]["numericValue"],
               lcp=audits["largest-contentful-paint"]["numericValue"],
               dom=audits.get("dom-size-insight", audits.get("dom-size", {})).get("numericValue"),
               version=report["lighthouseVersion"],
               withheld=withheld_first_paint(observed))
    return row


# Headless Chromium's viz stops sending BeginFrames to a renderer it judges unresponsive and then sends at most one
# a second (CompositorFrameSinkSupport::ShouldSendBeginFrame, "ThrottleUnresponsiveClient"), so in some runs the
# observed first paint lands 1 or 2 whole seconds late, after the page has loaded (GoogleChrome/lighthouse#17148,
# #17230), and Lantern counts every request and task before that paint into the simulated FCP and LCP. Such runs
# are counted, not dropped: they hit stock Material's page too, but a page with more work at load more often.
WITHHELD_AFTER_LOAD_MS = 500


def withheld_first_paint(observed: dict) -> bool:
    """True if the first paint came more than WITHHELD_AFTER_LOAD_MS after the load event.

    >>> withheld_first_paint({"observedLoad": 320, "observedFirstPaint": 191})
    False
    >>> withheld_first_paint({"observedLoad": 277, "observedFirstPaint": 1222})
    True
    """
    return observed["observedFirstPaint"] - observed["observedLoad"] > WITHHELD_AFTER_LOAD_MS


def lighthouse_median(url: str, runs: int, tmp: Path) -> dict:
    """Each figure's median over ``runs`` runs (medians taken figure by figure), and how many of the runs had their
    first frame withheld."""
    samples = [lighthouse_once(url, tmp / f"lh-{time.time_ns()}.json") for _ in range(runs)]
    out = {k: statistics.median([s[k] for s in samples if s[k] is not None] or [0])
           for k in samples[0] if k not in ("version", "withheld")}
    out["version"], out["runs"] = samples[0]["version"], runs
    out["withheld"] = sum(s["withheld"] for s in samples)
    out["performance_all"] = [s["performance"] for s in samples]
    return out


def bench_lighthouse(project: Path, tmp: Path, site: Path, pages: list[str] | None, runs: int) -> dict:
    stock = stock_project(project, tmp / "stock-lh")
    subprocess.run([PY, "-m", "mkdocs", "build", "-q", "-d", str(tmp / "stock-lh-site")], cwd=stock, check=True,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    every = sorted(p.relative_to(site).parent.as_posix() + "/" for p in site.rglob("index.html"))
    every = ["" if p == "./" else p for p in every if not p.startswith(("assets/", "search/"))]
    chosen = every if not pages else [p for p in every if p in pages]
    missing = sorted(set(pages or []) - set(every))
    if missing:
        raise SystemExit(f"--pages: not in the site: {missing}")
    srv, base = serve_dir(site, gzip_text=True)
    srv2, base2 = serve_dir(tmp / "stock-lh-site", gzip_text=True)
    out = {}
    try:
        out["(stock Material)"] = lighthouse_median(base2, runs, tmp)
        print(f"  lighthouse stock: {out['(stock Material)']['performance']} (first frame withheld in {out['(stock Material)']['withheld']})", file=sys.stderr)
        for p in chosen:
            out[p] = lighthouse_median(base + p, runs, tmp)
            print(f"  lighthouse /{p}: {out[p]['performance']} (runs {out[p]['performance_all']}, "
                  f"first frame withheld in {out[p]['withheld']})", file=sys.stderr)
    finally:
        srv.shutdown()
        srv2.shutdown()
    return out


def lighthouse_target(path: str, row: dict, stock: dict) -> str:
    good_rest = all(row[c] == 1 for c in LH_CATEGORIES[1:])
    if path == "(stock Material)":
        return ""
    if path.removeprefix("en/") == "":
        return ok(row["performance"] >= 0.9 and round(stock["performance"] - row["performance"], 2) <= 0.03 and good_rest)  # scores have two decimals
    if path.removeprefix("en/").startswith("sample/"):
        return ok(good_rest)
    return ok(row["performance"] >= 0.9 and good_rest)


def report_lighthouse(lh: dict) -> list[str]:
    stock = lh["(stock Material)"]
    lines = [f"Lighthouse {stock['version']} (default mobile, simulated throttling; Debian's chromium), median of "
             f"{stock['runs']} runs per page. Targets: performance ≥ 0.9 on topic, glossary and notebook pages; the "
             f"home page ≥ 0.9 and within 0.03 of stock Material ({stock['performance']:.2f}); accessibility, best "
             f"practices and SEO 1.0 everywhere. \"withheld\": runs whose first frame the measuring browser held "
             f"back (first paint more than {WITHHELD_AFTER_LOAD_MS} ms after the load event; "
             f"GoogleChrome/lighthouse#17148), counted in the medians as they are.", "",
             "| page | performance | TBT | LCP | DOM elements | accessibility | best practices | SEO | withheld | |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for path, r in [("(stock Material)", stock)] + sorted((k, v) for k, v in lh.items() if k != "(stock Material)"):
        dom = f"{r['dom']:,.0f}" if r.get("dom") else "–"
        lines.append(f"| `/{path}` | {r['performance']:.2f} | {r['tbt']:,.0f} ms | {r['lcp'] / 1000:.2f} s | {dom} "
                     f"| {r['accessibility']:.2f} | {r['best-practices']:.2f} | {r['seo']:.2f} | {r['withheld']}/{r['runs']} "
                     f"| {lighthouse_target(path, r, stock)} |")
    return lines


# -- scale --------------------------------------------------------------------------------------------------------
SYNTH_SNIPPET = '''\
"""Synthetic snippet {i} for the benchmark's scale test."""
from sitegen.snippet import Table

LABELS = {{"uk": {{"x": "крок", "y": "значення"}}, "en": {{"x": "step", "y": "value"}}}}


def compute():
    xs = list(range(1, 21))
    return {{"n": {i}, "total": sum(x * {i} for x in xs), "ys": [x * x / {i} for x in xs]}}


def tables(r, lang):
    return {{"t": Table([LABELS[lang]["x"], LABELS[lang]["y"]], [[k, v] for k, v in enumerate(r["ys"][:5])],
                        formats=[None, ".3f"])}}


def figures(r, lang, theme):
    import matplotlib.pyplot as plt
    from sitegen.snippet import palette
    fig, ax = plt.subplots(figsize=(4, 2.5))
    ax.plot(r["ys"], color=palette(theme)["forward"])
    ax.set_xlabel(LABELS[lang]["x"])
    ax.set_ylabel(LABELS[lang]["y"])
    return {{"f": fig}}
'''

SYNTH_PAGE = """\
# {title} {i} {{ #synthetic }}

## {h} {{ #values }}

{para} <!-- value synth/s{i}:total --> ({para2} $n$ = <!-- value synth/s{i}:n -->).

$$
\\sum_{{x=1}}^{{20}} x \\cdot n = 210\\,n
$$

<!-- table synth/s{i}:t -->

<!-- figure synth/s{i}:f alt="{alt}" caption="{alt}" -->
"""


def scale_project(project: Path, dest: Path, n: int) -> Path:
    """The project with N synthetic pages per language added in ``docs/<lang>/synth/``, in a navigation section of
    their own after the site's (topics.yml's checks cover only the pages directly in ``docs/<lang>/``): an author's
    pages added to the existing site."""
    shutil.copytree(project, dest)
    shutil.rmtree(dest / ".cache" / "pages", ignore_errors=True)  # "cold": no page's work is reused either
    (dest / "snippets" / "synth").mkdir()
    (dest / "snippets" / "synth" / "__init__.py").write_text("")
    words = {"uk": dict(title="Сторінка", h="Числа", para="Сума дорівнює", para2="де", alt="Парабола"),
             "en": dict(title="Page", h="Numbers", para="The sum is", para2="where", alt="A parabola")}
    for i in range(1, n + 1):
        (dest / "snippets" / "synth" / f"s{i}.py").write_text(SYNTH_SNIPPET.format(i=i))
        for lang in ("uk", "en"):
            (dest / "docs" / lang / "synth").mkdir(exist_ok=True)
            (dest / "docs" / lang / "synth" / f"synth-{i}.md").write_text(SYNTH_PAGE.format(i=i, **words[lang]))
    # The site's navigation (as hooks/snippets.py makes it from topics.yml) with a section of the synthetic pages.
    sys.path.insert(0, str(ROOT))
    import yaml
    from sitegen import topics

    nav = topics.nav(dest) + [{"Synthetic": [f"synth/synth-{i}.md" for i in range(1, n + 1)]}]
    with open(dest / "mkdocs.yml", "a", encoding="utf-8") as cfg:
        cfg.write("\n" + yaml.safe_dump({"nav": nav}, allow_unicode=True, default_flow_style=False))
    return dest


def bench_scale(project: Path, tmp: Path, sizes: list[int]) -> list[dict]:
    rows = []
    for n in sizes:
        proj = scale_project(project, tmp / f"scale-{n}", n)
        cache, site = tmp / f"scale-cache-{n}", tmp / f"scale-site-{n}"
        cold = build(proj, site, cache, f"scale {n} cold")
        warm = build(proj, site, cache, f"scale {n} warm")
        pages = sum(1 for p in site.rglob("index.html") if not p.relative_to(site).as_posix().startswith("assets/"))
        rows.append({"n": n, "pages": pages, "cold": cold, "warm": warm})
        print(f"  scale N={n}: cold {cold.wall:.1f} s, warm {warm.wall:.1f} s", file=sys.stderr)
    return rows


# -- live reload --------------------------------------------------------------------------------------------------
def wait_http(url: str, deadline: float):
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"mkdocs serve did not answer {url}")


LIVE_PAGE = "docs/en/batchnorm.md"  # the topic page the live-reload part edits (--page)
LIVE_SNIPPET = '''"""The benchmark's computed value (bench/bench.py, live reload): each computed edit changes N."""

N = {n}


def compute():
    return {{"n": N}}
'''
# Appended to the edited page in both languages (the build requires the same directives in both).
LIVE_LINE = {"en": "Benchmark value: <!-- value bench/live:n -->.",
             "uk": "Контрольне число: <!-- value bench/live:n -->."}
# The rebuild's time: hooks/rebuild_speed.py logs it after every build; MkDocs' own line is logged only when its text
# differs from every earlier one of the process (its DuplicateFilter), the fallback for a commit without the hook's.
BUILT = (re.compile(r"all languages built in ([\d.]+) s"), re.compile(r"Documentation built in ([\d.]+) seconds"))
RELOADED = "Reloading browsers"
# Targets of issue 27 (item 2), on an idle machine: the server's own rebuild after a prose edit of a topic page and
# the time until the browser shows the edit (MkDocs polls for changes every 0.5 s); a computed-value edit within the
# same plus that snippet's own run time; a warm `mkdocs build` at most twice a plain Material + i18n build.
REBUILD_TARGET, BROWSER_TARGET, WARM_RATIO_TARGET = 0.8, 1.5, 2.0


def page_url(page: str, default: str = "uk") -> str:
    """The served path of a page of ``docs/<lang>/``.

    >>> page_url("docs/en/batchnorm.md"), page_url("docs/uk/index.md"), page_url("docs/uk/sub/a.md")
    ('en/batchnorm/', '', 'sub/a/')
    """
    lang, _, rel = page.removeprefix("docs/").partition("/")
    rel = rel.removesuffix(".md")
    rel = "" if rel == "index" else rel.removesuffix("/index") + "/"
    return ("" if lang == default else f"{lang}/") + rel


def other_language(page: str) -> str:
    """
    >>> other_language("docs/en/batchnorm.md")
    'docs/uk/batchnorm.md'
    """
    lang = page.split("/")[1]
    return page.replace(f"docs/{lang}/", f"docs/{'uk' if lang == 'en' else 'en'}/", 1)


def plain_project_configs(project: Path) -> dict[bool, Path]:
    """Two configurations next to the project's mkdocs.yml for the same docs, theme settings and Markdown extensions
    with Material and mkdocs-static-i18n only: no hooks, no other plugin, no template overrides, no navigation from
    topics.yml (MkDocs makes one); ``True``: Material's own search plugin too. Link warnings are INFO (without the
    hooks, links to the notebook pages dangle)."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
    cfg = yaml.load((project / "mkdocs.yml").read_text(), Loader=_Loader)
    for key in ("hooks", "watch", "nav"):
        cfg.pop(key, None)
    cfg["theme"] = {k: v for k, v in cfg["theme"].items() if k != "custom_dir"}
    cfg["validation"] = {k: "info" for k in ("omitted_files", "absolute_links", "unrecognized_links", "anchors")}
    plugins, out = cfg["plugins"], {}
    for with_search in (True, False):
        keep = ("search", "i18n") if with_search else ("i18n",)
        cfg["plugins"] = [p for p in plugins if (p if isinstance(p, str) else next(iter(p))) in keep]
        path = project / ("mkdocs.plain-search.yml" if with_search else "mkdocs.plain.yml")
        path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False))
        out[with_search] = path
    return out


def timed_build(project: Path, args: list[str], env: dict) -> float:
    """Wall time of one ``mkdocs build`` in a new process (interpreter start-up included)."""
    t0 = time.perf_counter()
    proc = subprocess.run([PY, "-m", "mkdocs", "build", *args], cwd=project, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"mkdocs build {' '.join(args)} failed in {project}:\n{(proc.stdout + proc.stderr)[-4000:]}")
    return wall


def bench_warm_vs_plain(project: Path, tmp: Path, runs: int = 3) -> dict:
    """A warm ``mkdocs build`` of the site (snippet and page caches warm) against plain Material + i18n builds of the
    same docs/, alternating, ``runs`` times each."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SNIPPETS_CACHE_DIR=str(tmp / "cache-builds"),
               SOURCE_DATE_EPOCH="1700000000")
    configs = plain_project_configs(project)
    site = ["-d", str(tmp / "site-warm")]
    timed_build(project, ["--no-strict", "-q", *site], env)  # the caches hold these docs
    ours, plain, plain_search = [], [], []
    try:
        for _ in range(runs):
            ours.append(timed_build(project, ["--no-strict", "-q", *site], env))
            plain.append(timed_build(project, ["-q", "-f", configs[False].name, "-d", str(tmp / "site-plain")], env))
            plain_search.append(timed_build(project, ["-q", "-f", configs[True].name, "-d", str(tmp / "site-plain")],
                                            env))
    finally:
        for path in configs.values():
            path.unlink()
    return {"ours": ours, "plain": plain, "plain_search": plain_search}


def _after(log_path: Path, offset: int, needle: str, timeout: float = 120) -> str:
    """The server's log from ``offset`` up to and including the first line holding ``needle`` (waiting for it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log_path.read_text(errors="replace")[offset:]
        at = text.find(needle)
        if at >= 0:
            return text[:text.find("\n", at) + 1 or len(text)]
        time.sleep(0.05)
    raise SystemExit(f"mkdocs serve: no {needle!r} in {timeout:g} s after the edit:\n"
                     f"{log_path.read_text(errors='replace')[offset:][-3000:]}")


def bench_livereload(project: Path, tmp: Path, samples: int, page_path: str = LIVE_PAGE) -> dict:
    """``mkdocs serve --livereload`` with ``page_path`` open in Chromium: ``samples`` prose edits of that page (a
    paragraph appended), then ``samples`` computed-value edits (the number of a snippet the page shows changed, which
    re-runs that snippet). For each: the server's own rebuild of both languages (``BUILT``), the time from the write
    until the page's text in the browser holds the edit, what the rebuild executed and the snippets' time as the hook
    reports it, and how many rebuilds the edit caused."""
    from playwright.sync_api import sync_playwright

    md = project / page_path
    if not md.is_file():
        raise SystemExit(f"--page {page_path}: no such page in the project")
    # The computed value: a snippet of the benchmark's own, shown at the end of the page in both languages.
    (project / "snippets" / "bench").mkdir(exist_ok=True)
    (project / "snippets" / "bench" / "__init__.py").write_text("")
    snippet = project / "snippets" / "bench" / "live.py"
    values = random.sample(range(100, 1000), samples + 1)
    snippet.write_text(LIVE_SNIPPET.format(n=values[0]))
    for path in (page_path, other_language(page_path)):
        (project / path).write_text((project / path).read_text() + f"\n\n{LIVE_LINE[path.split('/')[1]]}\n")

    port = free_port()
    log_path = tmp / "serve.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SNIPPETS_CACHE_DIR=str(tmp / "cache-builds"))
    with open(log_path, "w") as log:
        server = subprocess.Popen([PY, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
                                  cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    prose, computed = [], []
    try:
        import psutil

        served = psutil.Process(server.pid)
        url = f"http://127.0.0.1:{port}/{page_url(page_path)}"
        wait_http(url, time.monotonic() + 300)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url, wait_until="load")
            page.wait_for_timeout(1000)  # the live-reload script starts polling

            def cpu() -> float:
                times = served.cpu_times()
                return times.user + times.system

            def one_edit(write, needle: str) -> dict:
                offset = len(log_path.read_text(errors="replace"))
                cpu0 = cpu()
                t0 = time.perf_counter()
                write()
                # textContent, not innerText: the edit lands in the page's last part, which the browser may be
                # skipping (hooks/layout_cost.py), and innerText leaves out what is not rendered.
                page.wait_for_function("m => document.body && document.body.textContent.includes(m)", arg=needle,
                                       timeout=120_000, polling=20)
                shown = time.perf_counter() - t0
                segment = _after(log_path, offset, RELOADED)  # the rebuild this edit caused, up to the reload
                used = cpu() - cpu0  # the server's CPU time from the write to the reload: the rebuild and polling
                times = [float(m.group(1)) for pattern in BUILT for m in [pattern.search(segment)] if m]
                found = SUMMARY.findall(segment)
                if not found:
                    raise SystemExit(f"mkdocs serve: no 'snippets: …' line for the edit:\n{segment[-3000:]}")
                _, executed, _, secs = found[-1]
                page.wait_for_timeout(1500)  # let the server settle before the next edit
                later = log_path.read_text(errors="replace")[offset:]
                return {"browser": shown, "rebuild": times[0] if times else None, "executed": int(executed),
                        "snippet_s": float(secs), "rebuilds": later.count("Detected file changes"), "cpu": used}

            for k in range(samples):
                # Letters only: the language check rejects a long run of digits in a Ukrainian page (digit groups).
                marker = f"Live reload sample {k} " + "".join(random.choices(string.ascii_lowercase, k=12))
                prose.append(one_edit(lambda: md.write_text(md.read_text() + f"\n\n{marker}\n"), marker))
            lang = page_path.split("/")[1]
            for k in range(samples):
                n = values[k + 1]
                computed.append(one_edit(lambda: snippet.write_text(LIVE_SNIPPET.format(n=n)),
                                         f"{LIVE_LINE[lang].split(':')[0]}: {n}."))
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    return {"page": page_path, "prose": prose, "computed": computed}


def live_verdicts(live: dict | None, warm: dict | None) -> list[tuple[bool, str]]:
    """(passed, line) for each target of the live-reload part."""
    med = statistics.median
    out = []
    if live and live["prose"]:
        prose, page = live["prose"], live["page"]
        r = med([e["rebuild"] for e in prose if e["rebuild"] is not None] or [float("inf")])
        b = med([e["browser"] for e in prose])
        out.append((r <= REBUILD_TARGET, f"server's own rebuild after a prose edit of {page}: median {r:.2f} s over "
                                         f"{len(prose)} edits (target ≤ {REBUILD_TARGET} s)"))
        out.append((b <= BROWSER_TARGET, f"prose edit of {page} shown in the browser: median {b:.2f} s over "
                                         f"{len(prose)} edits (target ≤ {BROWSER_TARGET} s)"))
        executed = [e["executed"] for e in prose]
        out.append((not any(executed), f"snippets executed by those rebuilds: {executed} (target: none)"))
    if live and live["computed"]:
        computed = live["computed"]
        run = med([e["snippet_s"] for e in computed])
        r = med([e["rebuild"] - e["snippet_s"] for e in computed if e["rebuild"] is not None] or [float("inf")])
        b = med([e["browser"] - e["snippet_s"] for e in computed])
        out.append((r <= REBUILD_TARGET, f"server's own rebuild after a computed-value edit, less that snippet's run "
                                         f"(median {run:.2f} s): median {r:.2f} s (target ≤ {REBUILD_TARGET} s)"))
        out.append((b <= BROWSER_TARGET, f"computed-value edit shown in the browser, less that snippet's run: median "
                                         f"{b:.2f} s (target ≤ {BROWSER_TARGET} s)"))
        executed = [e["executed"] for e in computed]
        out.append((all(x == 1 for x in executed), f"snippets executed by those rebuilds: {executed} "
                                                   f"(target: that one)"))
    if warm:
        ours, plain = med(warm["ours"]), med(warm["plain"])
        out.append((ours <= WARM_RATIO_TARGET * plain,
                    f"warm `mkdocs build` {ours:.2f} s vs plain Material + i18n {plain:.2f} s, medians of "
                    f"{len(warm['ours'])}: {ours / plain:.2f} × (target ≤ {WARM_RATIO_TARGET:g} ×; with Material's "
                    f"search plugin the plain build takes {med(warm['plain_search']):.2f} s)"))
    return out


# -- report -------------------------------------------------------------------------------------------------------
def machine_label() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / 1024 ** 2:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    return (f"{os.cpu_count()} cores (`nproc` = {len(os.sched_getaffinity(0))}), {cpu}{mem}, "
            f"Python {platform.python_version()}, {dt.date.today().isoformat()}")


def ok(flag: bool) -> str:
    return "✅" if flag else "❌"


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


RESULTS = ROOT / "bench" / "RESULTS.md"
TITLES = {"builds": "Builds", "weights": "Page weight", "scale": "Scale",
          "livereload": "Live reload and the warm build", "lighthouse": "Lighthouse"}


def section_head(commit: str, load: tuple[float, float] | None) -> str:
    loaded = (f"; load average (1 min) {load[0]:.1f} when this part started, {load[1]:.1f} when it ended"
              if load else "")
    return f"Machine: {machine_label()}; commit `{commit}`{loaded}."


def report(builds, weights, sizes, scale, live, commit: str, lh=None, warm=None, loads=None) -> dict[str, str]:
    """One Markdown section per part measured (``--only`` leaves the others out)."""
    loads = loads or {}
    bodies = {
        "builds": builds and report_builds(builds),
        "weights": weights and report_weights(weights, sizes),
        "scale": scale and report_scale(scale),
        "livereload": (live or warm) and report_live(live, warm),
        "lighthouse": lh and report_lighthouse(lh),
    }
    return {part: "\n".join([section_head(commit, loads.get(part)), ""] + body) + "\n"
            for part, body in bodies.items() if body}


def report_builds(builds) -> list[str]:
    cold, warm, prose, one, one_job = builds
    lines = ["| build | wall time | snippets (total / executed / cached) | snippet time | peak RSS (process tree) | target |",
             "| --- | ---: | --- | ---: | ---: | --- |"]
    targets = [
        (one_job, f"every snippet executed once {ok(one_job.executed == one_job.total)}"),
        (cold, f"every snippet executed once {ok(cold.executed == cold.total)} "
               f"({one_job.wall / cold.wall:.2f} × faster than 1 job)"),
        (warm, f"≤ 0.35 × cold = {0.35 * cold.wall:.1f} s {ok(warm.wall <= 0.35 * cold.wall)} "
               f"({warm.wall / cold.wall:.2f} × cold)"),
        (prose, f"0 executed {ok(prose.executed == 0)}"),
        (one, f"1 executed {ok(one.executed == 1)}"),
    ]
    for b, target in targets:
        lines.append(f"| {b.label} | {b.wall:.1f} s | {b.total} / {b.executed} / {b.cached} | {b.snippet_s:.1f} s "
                     f"| {b.rss_mb:,.0f} MB | {target} |")
    floor = cold.snippet_s + warm.wall
    if cold.warnings:
        lines += ["", f"(The measured tree had {cold.warnings} build warning(s); `--strict` would have stopped it.)"]
    lines += ["", f"Floor estimate (snippets once + a warm render of both languages): {floor:.1f} s; the cold build "
                  f"is {cold.wall / floor:.2f} × that."]
    return lines


def report_weights(weights, sizes) -> list[str]:
    stock = weights["stock"]
    lines = [f"First load in Chromium (fresh context, empty cache, nothing clicked): bytes of every response body, "
             f"as the browser decodes them. Stock Material page with the same theme settings and an empty body: "
             f"**{kb(stock['total'])}**; allowance per topic page = 1.5 × stock + the page's own figures and math font. The gzip "
             f"column estimates what GitHub Pages would transfer (text types gzip-compressed, level 6); the target "
             f"is judged on the larger, uncompressed figure. Companion notebook pages are listed, not judged: they "
             f"print whole scripts (the `%%writefile` cells Colab needs), and the target is about topic pages.", "",
             "| page | " + " | ".join(KINDS) + " | total | ≈ gzip | own figures + font | allowance | |",
             "| --- |" + " ---: |" * (len(KINDS) + 4) + " --- |"]
    for path, w in [("(stock Material)", stock)] + sorted(weights["pages"].items()):
        allowance = 1.5 * stock["total"] + w["figures"]
        if path == "(stock Material)":
            status, shown = "", ""
        elif "notebooks/" in path:
            status, shown = "companion", ""
        else:
            status, shown = ok(w["total"] <= allowance and not w["foreign"]), kb(allowance)
        lines.append(f"| `/{path}` | " + " | ".join(kb(w["kinds"][k]) for k in KINDS) +
                     f" | **{kb(w['total'])}** | {kb(w['gzip'])} | {kb(w['figures'])} | {shown} | {status} |")
    foreign = sorted({u for w in weights["pages"].values() for u in w["foreign"]})
    lines += ["", f"Requests to other hosts: {len(foreign)}{' ' + ', '.join(foreign[:5]) if foreign else ''}.", ""]
    big = [s for s in sizes["svgs"] if s[1] > SVG_LIMIT]
    largest = sorted(sizes["svgs"], key=lambda s: -s[1])
    lines += [f"Site: {sizes['bytes'] / 1024 ** 2:.1f} MB in {sizes['files']} files. SVG figures: "
              f"{len(sizes['svgs'])}, largest {kb(largest[0][1]) if largest else '–'}; over 60 KB: "
              f"{len(big)} {ok(not big)}.", "",
              "| figure | size | ≤ 60 KB |", "| --- | ---: | --- |"]
    for name, size in sizes["svgs"]:
        lines.append(f"| `{name}` | {kb(size)} | {ok(size <= SVG_LIMIT)} |")
    return lines


def report_scale(scale) -> list[str]:
    lines = ["Scale: N synthetic pages (×2 languages), each with its own tiny snippet (a value, a table, a "
                  "figure in 2 languages × 2 themes), added to the whole site (its topics, glossary and notebooks; "
                  "\"pages\" counts them all).", "",
              "| N | pages | cold | cold per page | warm | warm per page | warm executed |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in scale:
        lines.append(f"| {r['n']} | {r['pages']} | {r['cold'].wall:.1f} s | {r['cold'].wall / r['pages']:.2f} s "
                     f"| {r['warm'].wall:.1f} s | {r['warm'].wall / r['pages']:.2f} s | {r['warm'].executed} |")
    return lines


def report_live(live, warm) -> list[str]:
    lines = []
    med = statistics.median
    if live:
        lines += [f"Live reload: `mkdocs serve --livereload` with `/{page_url(live['page'])}` open in Chromium; "
                  f"{len(live['prose'])} prose edits of `{live['page']}` (a paragraph appended), then "
                  f"{len(live['computed'])} computed-value edits (the number of the benchmark's snippet "
                  f"`bench/live`, which the page shows, changed: the rebuild runs that snippet). \"Rebuild\" is the "
                  f"server's own (from the first `on_config` to the end of the last hook, both languages, as the "
                  f"hook logs it; MkDocs' \"Documentation built in\" measures the same; the configuration's reload "
                  f"before it is not counted); \"browser\" runs from the file's write until the page's text holds "
                  f"the edit (the server looks for changes every 0.1 s, set by hooks/rebuild_speed.py; MkDocs' own "
                  f"interval is 0.5 s). \"Server CPU\" is the CPU time the server process used from the write to "
                  f"the reload (the rebuild, and a little polling and serving): about what the rebuild takes on an idle core.", "",
                  "| edit | rebuild, median (min–max) | browser, median (min–max) | server CPU, median | snippets "
                  "executed | snippet time | rebuilds per edit |",
                  "| --- | ---: | ---: | ---: | --- | ---: | --- |"]
        for kind, edits in (("prose", live["prose"]), ("computed value", live["computed"])):
            if not edits:
                continue
            r = [e["rebuild"] for e in edits if e["rebuild"] is not None] or [float("nan")]
            b = [e["browser"] for e in edits]
            run = ", ".join(f"{e['snippet_s']:.1f}" for e in edits)
            lines.append(f"| {kind} | {med(r):.2f} s ({min(r):.2f}–{max(r):.2f}) | {med(b):.2f} s "
                         f"({min(b):.2f}–{max(b):.2f}) | {med([e['cpu'] for e in edits]):.2f} s | "
                         f"{[e['executed'] for e in edits]} | {run} s | {[e['rebuilds'] for e in edits]} |")
    if warm:
        lines += ["", f"Warm `mkdocs build` (a new process each time, start-up included; snippet and page caches "
                      f"warm) against a plain build of the same `docs/` with Material and mkdocs-static-i18n only (no "
                      f"hooks, no other plugin, no overrides), alternating, {len(warm['ours'])} of each: "
                      f"{', '.join(f'{x:.2f}' for x in warm['ours'])} s against "
                      f"{', '.join(f'{x:.2f}' for x in warm['plain'])} s (with Material's search plugin as well: "
                      f"{', '.join(f'{x:.2f}' for x in warm['plain_search'])} s)."]
    lines += ["", "| | target |", "| --- | --- |"]
    lines += [f"| {line} | {'PASS' if passed else 'FAIL'} {ok(passed)} |" for passed, line in live_verdicts(live, warm)]
    return lines


def write_results(sections: dict[str, str], path: Path = RESULTS):
    """Replace, in ``bench/RESULTS.md``, the section of each part measured; the others stay as they were."""
    text = path.read_text() if path.exists() else (
        "# Benchmark results\n\nFigures of `bench/bench.py` (README, \"Performance\"), written by `bench/bench.py "
        "--write-results`: a run replaces the sections of the parts it measured, each naming the machine, the date, "
        "the commit and how loaded the machine was.\n")
    for part in PARTS:
        if part not in sections:
            continue
        start, end = f"<!-- bench:{part}:start -->", f"<!-- bench:{part}:end -->"
        block = f"{start}\n{sections[part]}{end}"
        if start in text:
            head, rest = text.split(start, 1)
            text = head + block + rest.split(end, 1)[1]
        else:
            text = text.rstrip("\n") + f"\n\n## {TITLES[part]}\n\n{block}\n"
    path.write_text(text)


PARTS = ("builds", "weights", "scale", "livereload", "lighthouse")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--worktree", action="store_true", help="copy the working tree instead of git HEAD")
    ap.add_argument("--ref", default="HEAD", help="the commit to measure (default HEAD)")
    ap.add_argument("--quick", action="store_true", help="scale N = 1, 10 and one live-reload sample")
    ap.add_argument("--scale", default=None, help="comma-separated N values (default 1,10,50)")
    ap.add_argument("--write-results", action="store_true",
                    help=f"write the sections of the parts measured into {RESULTS.relative_to(ROOT)}")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--only", default=",".join(PARTS),
                    help=f"comma-separated parts to measure (default all: {','.join(PARTS)}); "
                         "weights and livereload start from one warm build")
    ap.add_argument("--page", default=LIVE_PAGE, help=f"livereload: the page edited (default {LIVE_PAGE})")
    ap.add_argument("--pages", default=None,
                    help="lighthouse: comma-separated site paths (e.g. ',en/,batchnorm/'; '' is the home page)")
    ap.add_argument("--runs", type=int, default=3, help="lighthouse: runs per page (median; default 3)")
    args = ap.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        ap.error(f"unknown part(s) {', '.join(unknown)}; known: {', '.join(PARTS)}")
    sizes_n = [int(x) for x in (args.scale or ("1,10" if args.quick else "1,10,50")).split(",")]
    commit = subprocess.run(["git", "rev-parse", "--short=12", args.ref], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() + (" + working tree" if args.worktree else "")
    tmp = Path(tempfile.mkdtemp(prefix="dlbench-"))
    loads: dict[str, tuple[float, float]] = {}
    try:
        t0 = time.perf_counter()
        project = copy_project(tmp / "project", args.worktree, args.ref)

        def step(s: str, part: str | None = None):
            print(f"[{time.perf_counter() - t0:6.1f} s] {s} (load average {os.getloadavg()[0]:.1f})", file=sys.stderr)
            if part:
                loads[part] = (os.getloadavg()[0], 0.0)

        def done(part: str):
            loads[part] = (loads[part][0], os.getloadavg()[0])

        builds = weights = sizes = scale = live = warm = lh = None
        if "builds" in parts:
            step("builds: cold, warm, prose edit, snippet edit", "builds")
            builds = bench_builds(project, tmp)
            done("builds")
        elif {"weights", "livereload", "lighthouse"} & set(parts):
            step("one build (cache for the parts asked for)")
            build(project, tmp / "site-builds", tmp / "cache-builds", "setup")
        if "weights" in parts:
            step("page weights in Chromium", "weights")
            weights = bench_weights(project, tmp, tmp / "site-builds")
            sizes = site_sizes(tmp / "site-builds")
            done("weights")
        if "scale" in parts:
            step(f"scale N = {sizes_n}", "scale")
            scale = bench_scale(project, tmp, sizes_n)
            done("scale")
        if "livereload" in parts:
            step("warm build against plain Material + i18n", "livereload")
            warm = bench_warm_vs_plain(project, tmp)
            step(f"live reload ({args.page})")
            live = bench_livereload(project, tmp, 1 if args.quick else 5, args.page)
            done("livereload")
        if "lighthouse" in parts:
            step("lighthouse", "lighthouse")
            pages = None if args.pages is None else [p.strip() for p in args.pages.split(",")]
            lh = bench_lighthouse(project, tmp, tmp / "site-builds", pages, args.runs)
            done("lighthouse")
        step("done")
        sections = report(builds, weights, sizes, scale, live, commit, lh, warm, loads)
        print("\n".join(f"## {TITLES[part]}\n\n{text}" for part, text in sections.items()))
        for passed, line in live_verdicts(live, warm) if "livereload" in parts else []:
            print(f"{'PASS' if passed else 'FAIL'}: {line}")
        if args.write_results:
            write_results(sections)
            print(f"{RESULTS.relative_to(ROOT)} updated ({', '.join(sections)})", file=sys.stderr)
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
