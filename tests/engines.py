"""The browser engines besides Chromium, behind one small interface the tests share (``tests/test_engines.py``).

Nothing can be downloaded from a browser vendor here (no Playwright Firefox or WebKit, no geckodriver), so each
engine is Debian's own, driven by the protocol it ships:

- Firefox ESR (``firefox-esr``): its built-in WebDriver BiDi server over one websocket (``tests/engine_firefox.py``);
- WebKitGTK, Safari's engine (``webkit2gtk-driver``): ``WebKitWebDriver`` through Selenium, under its own Xvfb,
  driving a small toolbar-less WebKitGTK browser (``tests/webkit_browser.py``, Debian's ``python3-gi``)
  (``tests/engine_webkit.py``).

``./dev test`` installs both (``--no-install-recommends``) and the Python packages the drivers use
(``requirements-browsers.txt``, left out of the snippet cache's key). Both engines see only the fonts the project pins
(``tests/fonts/fonts.conf``), as Chromium does. A tab of either engine has the same methods: ``set_viewport(w, h)``
(CSS px), ``goto(url)`` (after the load event), ``evaluate(js_function_source, arg)`` (JSON in, JSON out; async
functions awaited), ``press(key)`` (a real key press), ``screenshot(path)``, ``console()`` (errors and warnings since
the last call) and ``close()``. WebKitGTK is not iOS Safari (no touch, a desktop user agent): it is the closest
engine available here, not a device test.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FONTS_CONF = ROOT / "tests" / "fonts" / "fonts.conf"
BINARIES = {"firefox": "firefox-esr", "webkit": "WebKitWebDriver"}


def require(engine: str) -> None:
    """Browser tests never skip in CI: a missing engine fails there (``./dev test`` installs them) and skips only on
    a machine that has not run it."""
    if shutil.which(BINARIES[engine]) or Path("/usr/bin", BINARIES[engine]).exists():
        return
    message = f"{BINARIES[engine]} is not installed: ./dev test installs it (Debian's package)"
    if os.environ.get("CI"):
        pytest.fail(message + "; browser tests never skip in CI")
    pytest.skip(message)


@contextlib.contextmanager
def launch(engine: str, width: int = 1280, height: int = 800):
    """A tab of ``engine`` ("firefox" or "webkit"), closed (browser and helpers ended) on exit."""
    require(engine)
    if engine == "firefox":
        from engine_firefox import launch_firefox as start
    elif engine == "webkit":
        from engine_webkit import launch_webkit as start
    else:
        raise ValueError(engine)
    tab = start(FONTS_CONF, width, height)
    try:
        yield tab
    finally:
        tab.close()


if __name__ == "__main__":  # a smoke test: python tests/engines.py firefox|webkit URL
    import sys
    import time

    engine, url = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "about:blank"
    t0 = time.monotonic()
    with launch(engine, 390, 844) as tab:
        print(f"launch: {time.monotonic() - t0:.2f} s")
        for w, h in ((390, 844), (1280, 800)):
            tab.set_viewport(w, h)
            t0 = time.monotonic()
            tab.goto(url)
            print(f"{w}x{h}: goto {time.monotonic() - t0:.2f} s")
            print(tab.evaluate("""() => ({inner: [innerWidth, innerHeight], dpr: devicePixelRatio,
                client: document.documentElement.clientWidth, dark: matchMedia('(prefers-color-scheme: dark)').matches,
                title: document.title, userAgent: navigator.userAgent})"""))
            print("async with arg:", tab.evaluate("async (a) => { await new Promise(r => setTimeout(r, 50)); return a.x * 2; }",
                                                  {"x": 21}))
            tab.screenshot(f"/tmp/{engine}-{w}.png")
        print("console:", tab.console())
