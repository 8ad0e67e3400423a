"""Collection rules shared by every test directory."""

from pathlib import Path


def pytest_ignore_collect(collection_path: Path, config):
    # A snippet *script* (no compute(), not a `_helper`) is the homework's code run as written: importing it for
    # doctest collection would execute it (and a declared exception would break collection). The build runs it.
    p = Path(collection_path)
    if p.suffix == ".py" and "snippets" in p.parts and not p.name.startswith("_"):
        if "\ndef compute(" not in "\n" + p.read_text(encoding="utf-8"):
            return True
    return None
