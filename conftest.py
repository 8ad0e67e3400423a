"""Collection rules shared by every test directory, and how ``pytest -n`` (pytest-xdist, ``pytest.ini``) shares
the work between processes."""

from pathlib import Path

import pytest

# The modules whose page checks read the session's one load of each page per viewport and scheme (``site_visits``,
# tests/conftest.py): they run in one process, so the pages are visited once. Every other module is a unit of its own
# (its module-scoped fixtures are set up once), handed to whichever process is free.
SITE_VISITS = ("tests/test_browser.py", "tests/test_layout.py", "tests/test_reader.py")
MAX_WORKERS = 4  # each process imports torch and may start a Chromium; more gains little (one build, one long unit)


def pytest_ignore_collect(collection_path: Path, config):
    # A snippet *script* (no compute(), not a `_helper`) is the homework's code run as written: importing it for
    # doctest collection would execute it (and a declared exception would break collection). The build runs it.
    p = Path(collection_path)
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
