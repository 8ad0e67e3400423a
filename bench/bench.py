"""Build-performance benchmark, run by hand on the machine whose figures you want (not part of ``./dev test``).

    .venv/bin/python bench/bench.py                 # everything, prints Markdown tables
    .venv/bin/python bench/bench.py --write-readme  # … and replaces the tables in bench/RESULTS.md
    .venv/bin/python bench/bench.py --quick         # scale test with N = 1, 10 only, one live-reload sample
    .venv/bin/python bench/bench.py --worktree      # benchmark the working tree instead of the committed HEAD
    .venv/bin/python bench/bench.py --ref abc123    # benchmark another commit

Everything happens in temporary copies of the project (``git archive HEAD`` by default), each with its own snippet
cache (``SNIPPETS_CACHE_DIR``): ``docs/``, ``site/`` and ``.cache/`` of the repository are never touched.

Measured (targets from issue 7 in brackets):

1. builds — cold (empty cache) [executes every snippet once], warm (nothing changed) [≤ 0.35 × cold], prose-only
   edit [executes nothing], one-snippet edit [executes exactly that one]: wall time, the hook's summary line,
   peak RSS of the build's whole process tree (build, snippet forkserver, snippet children; psutil, sampled);
2. first-load weight of every page as Chromium loads it (sum of response bodies by type: HTML, CSS, JS, images,
   fonts, search index, other) vs a stock Material page with the same theme settings and an empty body
   [topic page ≤ 1.5 × stock + its own figures]; total site size; each SVG figure [≤ 60 KB];
3. scale — N synthetic pages (both languages) each with its own tiny snippet: cold and warm time per page
   [flat in N], snippets executed by the warm build [0];
4. live reload — ``mkdocs serve --livereload``, a page open in Chromium, a prose edit: time until the browser shows
   the new text [< 2 s], and snippets executed by that rebuild [0];
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
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"

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


def bench_livereload(project: Path, tmp: Path, samples: int) -> dict:
    from playwright.sync_api import sync_playwright

    port = free_port()
    cache = tmp / "cache-builds"  # warm from bench_builds
    log_path = tmp / "serve.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SNIPPETS_CACHE_DIR=str(cache))
    with open(log_path, "w") as log:
        server = subprocess.Popen([PY, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
                                  cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    latencies = []
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_http(url, time.monotonic() + 300)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url, wait_until="load")
            page.wait_for_timeout(1000)  # the live-reload script starts polling
            for k in range(samples):
                # Letters only: the language check rejects a long run of digits in a Ukrainian page (digit groups).
                marker = f"Live reload sample {k} " + "".join(random.choices(string.ascii_lowercase, k=12))
                before = log_path.read_text().count("snippets:")
                t0 = time.perf_counter()
                prose_edit(project, marker)
                # textContent, not innerText: the edit lands in the page's last part, which the browser may be
                # skipping (hooks/layout_cost.py), and innerText leaves out what is not rendered.
                page.wait_for_function("m => document.body && document.body.textContent.includes(m)", arg=marker,
                                       timeout=120_000, polling=20)
                latencies.append(time.perf_counter() - t0)
                deadline = time.monotonic() + 60
                while log_path.read_text().count("snippets:") <= before and time.monotonic() < deadline:
                    time.sleep(0.1)
                page.wait_for_timeout(1500)  # let the server settle before the next edit
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    text = log_path.read_text()
    executed_after_start = [int(s[1]) for s in SUMMARY.findall(text)[1:]]
    rebuilds = [float(x) for x in re.findall(r"Documentation built in ([\d.]+) seconds", text)[1:]]
    return {"latencies": latencies, "executed": executed_after_start, "rebuilds": rebuilds}


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
            f"Python {platform.python_version()}, {dt.date.today().isoformat()}, "
            f"load average at the end {os.getloadavg()[0]:.1f}")


def ok(flag: bool) -> str:
    return "✅" if flag else "❌"


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def report(builds, weights, sizes, scale, live, commit: str, lh=None) -> str:
    """The README section; a part that was not measured (``--only``) is left out."""
    lines = [f"Machine: {machine_label()}; commit `{commit}`."]
    if builds:
        lines += [""] + report_builds(builds)
    if weights:
        lines += [""] + report_weights(weights, sizes)
    if scale:
        lines += [""] + report_scale(scale)
    if live:
        lines += [""] + report_live(live)
    if lh:
        lines += [""] + report_lighthouse(lh)
    return "\n".join(lines) + "\n"


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


def report_live(live) -> list[str]:
    lines = []
    lat = live["latencies"]
    if lat:
        med = statistics.median(lat)
        lines += [f"Live reload (`mkdocs serve --livereload`, prose edit of the home page, Chromium): median "
                      f"**{med:.2f} s** over {len(lat)} edits (min {min(lat):.2f} s, max {max(lat):.2f} s), target "
                      f"< 2 s {ok(med < 2)}; snippets executed by those rebuilds: {live['executed']} "
                      f"{ok(all(e == 0 for e in live['executed']))}. The server's own rebuild (MkDocs' 'Documentation built in', both "
                      f"languages) took a median {statistics.median(live['rebuilds'] or [0]):.2f} s of that."]
    return lines


def write_readme(table: str):
    readme = ROOT / "bench" / "RESULTS.md"
    text = readme.read_text()
    if README_START not in text:
        raise SystemExit(f"bench/RESULTS.md has no {README_START} … {README_END} markers")
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    readme.write_text(f"{head}{README_START}\n{table}{README_END}{tail}")


PARTS = ("builds", "weights", "scale", "livereload", "lighthouse")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--worktree", action="store_true", help="copy the working tree instead of git HEAD")
    ap.add_argument("--ref", default="HEAD", help="the commit to measure (default HEAD)")
    ap.add_argument("--quick", action="store_true", help="scale N = 1, 10 and one live-reload sample")
    ap.add_argument("--scale", default=None, help="comma-separated N values (default 1,10,50)")
    ap.add_argument("--write-readme", action="store_true", help="write the tables into bench/RESULTS.md")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--only", default=",".join(PARTS),
                    help=f"comma-separated parts to measure (default all: {','.join(PARTS)}); "
                         "weights and livereload start from one warm build")
    ap.add_argument("--pages", default=None,
                    help="lighthouse: comma-separated site paths (e.g. ',en/,batchnorm/'; '' is the home page)")
    ap.add_argument("--runs", type=int, default=3, help="lighthouse: runs per page (median; default 3)")
    args = ap.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        ap.error(f"unknown part(s) {', '.join(unknown)}; known: {', '.join(PARTS)}")
    if args.write_readme and set(parts) != set(PARTS):
        ap.error("--write-readme needs every part (no --only)")
    sizes_n = [int(x) for x in (args.scale or ("1,10" if args.quick else "1,10,50")).split(",")]
    commit = subprocess.run(["git", "rev-parse", "--short=12", args.ref], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() + (" + working tree" if args.worktree else "")
    tmp = Path(tempfile.mkdtemp(prefix="dlbench-"))
    try:
        t0 = time.perf_counter()
        project = copy_project(tmp / "project", args.worktree, args.ref)
        step = lambda s: print(f"[{time.perf_counter() - t0:6.1f} s] {s}", file=sys.stderr)  # noqa: E731
        builds = weights = sizes = scale = live = lh = None
        if "builds" in parts:
            step("builds: cold, warm, prose edit, snippet edit")
            builds = bench_builds(project, tmp)
        elif {"weights", "livereload", "lighthouse"} & set(parts):
            step("one build (cache for the parts asked for)")
            build(project, tmp / "site-builds", tmp / "cache-builds", "setup")
        if "weights" in parts:
            step("page weights in Chromium")
            weights = bench_weights(project, tmp, tmp / "site-builds")
            sizes = site_sizes(tmp / "site-builds")
        if "scale" in parts:
            step(f"scale N = {sizes_n}")
            scale = bench_scale(project, tmp, sizes_n)
        if "livereload" in parts:
            step("live reload")
            live = bench_livereload(project, tmp, 1 if args.quick else 5)
        if "lighthouse" in parts:
            step("lighthouse")
            pages = None if args.pages is None else [p.strip() for p in args.pages.split(",")]
            lh = bench_lighthouse(project, tmp, tmp / "site-builds", pages, args.runs)
        step("done")
        table = report(builds, weights, sizes, scale, live, commit, lh)
        print(table)
        if args.write_readme:
            write_readme(table)
            print("bench/RESULTS.md updated", file=sys.stderr)
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
