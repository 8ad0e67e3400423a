"""Collection rules shared by every test directory, and how ``pytest -n`` (pytest-xdist, ``pytest.ini``) shares
the work between processes."""

from pathlib import Path

import pytest

# The modules whose page checks read the session's one load of each page per viewport and scheme (``site_visits``,
# tests/conftest.py): they run in one process, so the pages are visited once. Every other module is a unit of its own
# (its module-scoped fixtures are set up once), handed to whichever process is free.
SITE_VISITS = ("tests/test_browser.py", "tests/test_layout.py", "tests/test_reader.py")
MAX_WORKERS = 4  # each process imports torch and may start a Chromium; more gains little (one build, one long unit)
TOPIC_MODULE = "tests/test_topic.py"


def pytest_addoption(parser):
    parser.addoption("--topic", default=None,
                     help="check one topic (./dev check <topic>, tools/check_topic.py): collects tests/test_topic.py, "
                          "which visits that topic's pages, and lets its snippets' compute() return the build's "
                          "cached results")


def pytest_ignore_collect(collection_path: Path, config):
    p = Path(collection_path)
    if p.as_posix().endswith(TOPIC_MODULE) and not config.getoption("--topic"):
        return True  # one topic's page checks (./dev check <topic>): ./dev test visits every page already
    # A snippet *script* (no compute(), not a `_helper`) is the homework's code run as written: importing it for
    # doctest collection would execute it (and a declared exception would break collection). The build runs it.
    if p.suffix == ".py" and "snippets" in p.parts and not p.name.startswith("_"):
        if "\ndef compute(" not in "\n" + p.read_text(encoding="utf-8"):
            return True
    return None


# Modules whose tests run once per browser engine (a module-scoped fixture with the engine as its parameter): each
# engine is a unit of its own, so Firefox and WebKit load their pages in two processes side by side.
PER_ENGINE = ("tests/test_engines.py",)


def _unit(nodeid: str) -> str:
    module = nodeid.split("::", 1)[0]
    if module in PER_ENGINE and nodeid.endswith("]"):
        return module + "[" + nodeid.rsplit("[", 1)[1]
    return "site_visits" if module in SITE_VISITS else module


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one process per core this process may run on (as the snippet runner counts them), at most
    MAX_WORKERS."""
    from sitegen.environment import cores

    return max(1, min(cores(), MAX_WORKERS))


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "load":
        return None  # an explicit --dist=... is obeyed
    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        """xdist's loadscope with the units above, handed out in the order the workers collected them."""

        def _split_scope(self, nodeid: str) -> str:
            return _unit(nodeid)

    config.option.loadscopereorder = False
    return ByModule(config, log)


def pytest_collection_modifyitems(config, items):
    if config.getoption("--topic"):
        _reuse_cached_results(config.getoption("--topic"), items)
    else:  # tests/test_topic.py named on the command line without a topic
        skip = pytest.mark.skip(reason="one topic's checks: ./dev check <topic> (pytest --topic <topic>)")
        for item in items:
            if item.nodeid.startswith(TOPIC_MODULE):
                item.add_marker(skip)
    _order_units(config, items)


REUSED = {"cached": 0, "computed": 0}  # compute() calls answered from the snippet cache / run


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if config.getoption("--topic"):
        terminalreporter.write_line(f"compute() of {config.getoption('--topic')}'s snippets: {REUSED['cached']} "
                                    f"answered from the build's snippet cache, {REUSED['computed']} run")


def _reuse_cached_results(topic: str, items):
    """Under ``./dev check <topic>``: a snippet of the topic whose ``compute()`` is called with no arguments (by its
    doctests, by the cross-checks of ``tests/test_<topic>.py``) returns what the build computed, read from the snippet
    cache while that entry is current (the session's build, which runs first, made it so), and prints again what
    ``compute()`` printed; with a stale entry, or arguments, it runs. The checks are the same, the computation is not
    repeated."""
    import contextlib
    import copy
    import io
    import os
    import sys

    from sitegen.runner import Runner

    runner = Runner(Path(__file__).resolve().parent, cache_dir=os.environ.get("SNIPPETS_CACHE_DIR") or None)

    def cached(name: str, module):
        real = module.compute

        def compute(*args, **kwargs):
            result = None if args or kwargs else runner.load(name)
            if result is None:
                REUSED["computed"] += 1
                return real(*args, **kwargs)
            values = copy.deepcopy(result["values"])
            printed = result["stdout"].get("en", "")
            if hasattr(module, "report"):  # the stored output is compute()'s, then report()'s
                with contextlib.redirect_stdout(io.StringIO()) as out:
                    module.report(copy.deepcopy(values), "en")
                if not printed.endswith(out.getvalue()):
                    REUSED["computed"] += 1
                    return real()
                printed = printed[:len(printed) - len(out.getvalue())]
            print(printed, end="")
            REUSED["cached"] += 1
            return values

        compute.__wrapped__ = real
        return compute

    patched = {}
    for mod_name, module in list(sys.modules.items()):
        parts = mod_name.split(".")
        if (len(parts) == 3 and parts[:2] == ["snippets", topic] and not parts[2].startswith("_")
                and callable(getattr(module, "compute", None))):
            module.compute = patched[mod_name] = cached(f"{topic}/{parts[2]}", module)
    for item in items:
        dtest = getattr(item, "dtest", None)  # a doctest: it runs in a copy of its module's namespace
        if dtest is not None and dtest.globs.get("__name__") in patched:
            dtest.globs["compute"] = patched[dtest.globs["__name__"]]


def _order_units(config, items):
    """Under xdist, the longest unit first (the page visits, which build the site), then the modules that never read
    the built site (they keep the other process busy while the site builds), then the engines' page visits, then the
    rest; file order within."""
    if not hasattr(config, "workerinput"):
        return
    reads_site = {}
    for item in items:
        unit = _unit(item.nodeid)
        reads_site[unit] = reads_site.get(unit, False) or "built_site" in getattr(item, "fixturenames", ())
    # the engines' units are long too: first among those that read the site
    rank = {unit: 0 if unit == "site_visits" else 1 if not reads else 1.5 if unit.startswith(PER_ENGINE) else 2
            for unit, reads in reads_site.items()}
    items.sort(key=lambda item: rank[_unit(item.nodeid)])  # stable: file order within a rank

