"""Every snippet, run with one job and with all cores, gives the same bytes (issue 15, item 7).

Through the runner alone (no MkDocs): one job at a time from an empty cache, compared with the session build's run
with as many jobs as the machine has cores. Threads
are pinned to one per child (``sitegen/runner.py``), and values that are zero in exact arithmetic are declared as
bounds (``sitegen.numfmt.exact_zero``), so nothing here may depend on scheduling or on the machine.
"""

from __future__ import annotations

import os
import pickle

import pytest

from conftest import ROOT
from sitegen.runner import NUMERIC_ENV, THREAD_VARS, Runner

pytestmark = pytest.mark.slow


def _differences(path: str, a, b, out: list[str]):
    """Where two results differ, as key paths (numbers compared by their exact bits through pickle)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            out.append(f"{path}: keys {sorted(set(a) ^ set(b))} on one side only")
        for k in sorted(set(a) & set(b), key=str):
            _differences(f"{path}.{k}", a[k], b[k], out)
    elif hasattr(a, "to_markdown") and hasattr(b, "to_markdown"):
        for lang in ("uk", "en"):
            if a.to_markdown(lang) != b.to_markdown(lang):
                out.append(f"{path} ({lang} table)")
    elif pickle.dumps(a, protocol=5) != pickle.dumps(b, protocol=5):
        out.append(f"{path}: {str(a)[:80]!r} vs {str(b)[:80]!r}")


def test_every_snippet_gives_identical_values_tables_and_svg_with_one_job_and_with_all_cores(tmp_path, built_site):
    """The all-cores run is the session build's (``built_site``, the project's snippet cache): on a clean clone, as in
    CI, that build ran every snippet with all cores; on an author's machine its cache may hold an earlier build's
    results for the same content, which must be identical all the same. The one-job run starts from an empty cache."""
    names = Runner(ROOT).available()
    assert len(names) >= 10, names
    one = Runner(ROOT, cache_dir=tmp_path / "one", jobs=1)
    many = Runner(ROOT, jobs=os.cpu_count() or 1)
    first, s1 = one.ensure(names)
    second, _ = many.ensure(names)
    assert s1.executed == len(names)  # from an empty cache: nothing served from a cache
    assert all(os.environ.get(v) == "1" for v in THREAD_VARS)  # pinned before the forkserver started
    assert all(os.environ.get(k) == v for k, v in NUMERIC_ENV.items())  # one MKL code path, whatever the alignment
    diffs: list[str] = []
    for name in names:
        a, b = first[name], second[name]
        for part in ("values", "stdout", "exception", "tables"):
            _differences(f"{name}:{part}", a[part], b[part], diffs)
        figs = sorted((lang, theme, fig) for lang, themes in a["figures"].items() for theme, f in themes.items()
                      for fig in f)
        assert figs == sorted((lang, theme, fig) for lang, themes in b["figures"].items()
                              for theme, f in themes.items() for fig in f), name
        diffs += [f"{name}: figure {fig} ({lang}, {theme}) SVG bytes" for lang, theme, fig in figs
                  if a["figures"][lang][theme][fig] != b["figures"][lang][theme][fig]]
    assert not diffs, "\n".join(diffs)


def test_an_exact_zero_is_a_bound_and_a_measured_precision_stays_a_number():
    from sitegen.numfmt import Bound, exact_zero, fmt

    assert fmt(exact_zero(1.2e-15), ".1e", "en") == "&lt;\u00a010<sup>\u221212</sup>"
    assert fmt(1.3e-16, ".1e", "en") == "1.3\u00a0×\u00a010<sup>\u221216</sup>"  # a result, not a bound
    assert pickle.loads(pickle.dumps(exact_zero(0.0, 1e-9))) == Bound(1e-9)
    with pytest.raises(AssertionError):
        exact_zero(1e-11)
    with pytest.raises(ValueError):
        exact_zero(0.0, 3e-12)
