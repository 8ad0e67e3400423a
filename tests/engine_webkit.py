"""WebKit for the browser tests: WebKitGTK (Safari's engine) driven by ``WebKitWebDriver`` through Selenium.

Playwright's WebKit is a patched build that cannot be downloaded here; Debian ships the engine (libwebkit2gtk-4.1)
and its WebDriver server (webkit2gtk-driver). ``WebKitWebDriver`` does not draw a window itself: it starts a browser
program and drives it over WebKit's automation protocol. That program is ``tests/webkit_browser.py`` (Debian's
python3 + python3-gi), a web view alone in an undecorated window, so the window's size is the page's viewport
(MiniBrowser's toolbar keeps it at least 447 px wide). Selenium is only the HTTP client of ``WebKitWebDriver``; it
is given the driver's path, so it never runs selenium-manager (which would try to download one).

Each ``WebKitTab`` has its own Xvfb (a free display, ``-displayfd``), temporary directory (website data, the driver's
log, the console file) and process group for the driver and everything it starts; ``close`` ends them all.

Rendering: no GPU path at all (hardware acceleration policy "never", ``WEBKIT_DISABLE_DMABUF_RENDERER``), device
pixel ratio 1, light theme (``GTK_THEME=Adwaita``), only the fonts of ``fonts_conf``. Scrollbars are GTK's overlay
ones: they take no width (innerWidth == clientWidth) but their thin indicators are in screenshots. In this mode
WebKitGTK 2.50's automation screenshot waits for the next frame the web process paints, and an idle page paints
none: the screenshot would hang. So ``screenshot`` keeps a transparent 1 px element at the page's top left corner
moving (one ``requestAnimationFrame`` each frame) until the picture is taken, then removes it.

Console (``console``): WebKit writes the console messages of its web processes (workers' too) to stderr
(``WebKitSettings:enable-write-console-messages-to-stdout``, despite the name; none at all for an ephemeral
session, hence a throwaway data directory), and the browser sends its stderr to ``console.log`` in the temporary
directory. Lines look like ``URL:LINE:COL: CONSOLE [WORD ]LEVEL text``: console.error/warn/assert, uncaught
exceptions and unhandled rejections, "ResizeObserver loop completed with undelivered notifications." (``JS
ERROR``). WebKit keeps failed loads (404, refused) to its Web Inspector; the browser adds a line for each
("Failed to load resource: …", ``NETWORK ERROR``). A message is on stderr as soon as it is logged, so reading the
file after a command returns misses nothing logged before it. WebKit reports no CSS parse errors.

Network: the browser sends every request not for localhost to a closed local port (a proxy): it fails at once.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
import weakref
from pathlib import Path

import urllib3
from selenium import webdriver
from selenium.common.exceptions import JavascriptException, TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.proxy import Proxy, ProxyType
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.remote_connection import RemoteConnection
from selenium.webdriver.webkitgtk.options import Options
from selenium.webdriver.webkitgtk.service import Service

DRIVER = "/usr/bin/WebKitWebDriver"
BROWSER = Path(__file__).resolve().parent / "webkit_browser.py"
KEYS = {"Escape": "\ue00c", "Enter": "\ue007", "Tab": "\ue004"}  # WebDriver's code points of named keys

# One console line: where (URL, line, column; any may be missing), a word such as JS, NETWORK or ASSERT, the level.
CONSOLE_LINE = re.compile(r"^(?:(?P<where>.*?): )?CONSOLE (?:(?P<source>[A-Z]+) )??"
                          r"(?P<level>LOG|INFO|WARN|ERROR|DEBUG)\b ?(?P<text>.*)$")

# Call a function (or await an expression) given as source, with a JSON argument; hand back JSON or the error.
EVALUATE_JS = """const [argJson, done] = arguments;
(async () => { let v = (
%s
); if (typeof v === 'function') v = v(JSON.parse(argJson)); v = await v;
  return {value: v === undefined ? null : v}; })()
  .catch(e => ({error: e instanceof Error ? `${e.name}: ${e.message}` : String(e)}))
  .then(r => { try { done(JSON.stringify(r)); } catch (e) { done(JSON.stringify({error: String(e)})); } });"""

# The viewport's size once it is the wanted one, or has not changed for 250 ms (at most 3 s).
SETTLE_VIEWPORT_JS = """async ([w, h]) => { const t0 = performance.now(); let last = '', same = 0;
  while (!(innerWidth === w && innerHeight === h) && same < 5 && performance.now() - t0 < 3000) {
    await new Promise(r => setTimeout(r, 50));
    const now = `${innerWidth}x${innerHeight}`; same = now === last ? same + 1 : 0; last = now; }
  return [innerWidth, innerHeight]; }"""

# Something for the web process to paint every frame until the screenshot is taken (see the module's docstring).
POKE_JS = """(ms) => { const el = document.createElement('div'), t0 = performance.now(); let n = 0;
  el.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;background:transparent;pointer-events:none';
  document.documentElement.append(el);
  window.__webkitTabPoke = true;
  const tick = () => { if (!window.__webkitTabPoke || performance.now() - t0 > ms) return el.remove();
                       el.style.left = `${++n % 2}px`; requestAnimationFrame(tick); };
  requestAnimationFrame(tick); }"""


class WebKitError(RuntimeError):
    """An exception thrown by a page's script (its message), or a driver that could not start."""


def _start_xvfb(log: Path, timeout: float = 10) -> tuple[subprocess.Popen, str]:
    """An Xvfb on the first free display; it writes the display's number to a pipe once it is ready."""
    read, write = os.pipe()
    with open(log, "wb") as out:
        proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1200x24", "-nolisten", "tcp"],
                                pass_fds=(write,), stdout=out, stderr=out, start_new_session=True)
    os.close(write)
    data, deadline = b"", time.monotonic() + timeout
    try:
        # Xvfb writes the number, then a newline, and exits if the pipe is closed in between: read both.
        while not data.endswith(b"\n") and select.select([read], [], [], max(0, deadline - time.monotonic()))[0]:
            chunk = os.read(read, 32)
            if not chunk:
                break
            data += chunk
    finally:
        os.close(read)
    if not data.endswith(b"\n") or not data.strip().isdigit():
        proc.kill()
        proc.wait()
        raise WebKitError(f"Xvfb did not start in {timeout} s: {log.read_text(errors='replace')[-500:]}")
    return proc, f":{data.decode().strip()}"


def _end(procs: list, tmp: Path, log) -> None:
    """End each process's group, newest first (SIGTERM: Xvfb removes its socket and lock; then SIGKILL for what is
    left of the group), and remove ``tmp``."""
    for proc in reversed(procs):
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(3)
        except (ProcessLookupError, PermissionError, subprocess.TimeoutExpired):
            pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
    log.close()
    shutil.rmtree(tmp, ignore_errors=True)


class WebKitTab:
    """One WebKitGTK window under its own Xvfb, driven by WebKitWebDriver. ``close`` (or ``with``) ends it.
    ``sandbox``: WebKit's bubblewrap sandbox for the web processes (off: see ``webkit_browser.py``)."""

    name = "webkit"

    def __init__(self, fonts_conf: Path | None = None, width: int = 1280, height: int = 800, timeout: float = 30,
                 sandbox: bool = False):
        self.tmp = Path(tempfile.mkdtemp(prefix="webkit-tab-"))
        self.driver, self._procs, self._size = None, [], (width, height)
        self._console_at, self._timeouts = 0, {}
        log = open(self.tmp / "driver.log", "wb")
        # Ended by close(), or when the tab is garbage or Python exits if nobody called it.
        self._finalizer = weakref.finalize(self, _end, self._procs, self.tmp, log)
        try:
            xvfb, display = _start_xvfb(self.tmp / "xvfb.log")
            self._procs.append(xvfb)
            # The browser runs under Debian's python3 (its shebang): nothing of this process's venv may leak into it.
            env = {k: v for k, v in os.environ.items()
                   if not k.startswith(("PYTHON", "VIRTUAL_ENV", "GTK_", "GDK_", "WEBKIT_"))}
            env.update(DISPLAY=display, GDK_BACKEND="x11", GDK_SCALE="1", GDK_DPI_SCALE="1", GTK_THEME="Adwaita",
                       NO_AT_BRIDGE="1", WEBKIT_DISABLE_DMABUF_RENDERER="1")
            if fonts_conf:
                env["FONTCONFIG_FILE"] = str(fonts_conf)
            options = Options()
            options.binary_location = str(BROWSER)
            for arg in ["--automation", f"--data-dir={self.tmp / 'data'}", f"--console={self.tmp / 'console.log'}",
                        *(["--sandbox"] if sandbox else [])]:
                options.add_argument(arg)
            options.set_capability("browserName", "webkit_browser")  # the name webkit_browser.py reports
            # The driver in a process group of its own: the browser and its web processes are in it too.
            # (Kept: selenium stops the driver when its Service object is garbage.)
            self.service = Service(executable_path=DRIVER, log_output=log, env=env,
                                   popen_kw={"start_new_session": True})
            self.service.start()
            self._procs.append(self.service.process)
            url = self.service.service_url
            # Straight to the driver (never an http_proxy of the environment), no retry of a command that timed out.
            client = ClientConfig(url, timeout=timeout, proxy=Proxy({"proxyType": ProxyType.DIRECT}),
                                  init_args_for_pool_manager={"init_args_for_pool_manager": {"retries": False}})
            self.driver = webdriver.Remote(RemoteConnection(client_config=client), options=options)
            self.set_viewport(width, height)
        except BaseException as e:
            logs = [(self.tmp / f).read_text(errors="replace")[-2000:] for f in ("driver.log", "console.log")
                    if (self.tmp / f).exists()]
            self.close()
            if isinstance(e, Exception):
                raise WebKitError("\n".join([f"WebKit did not start: {e}", *logs])) from e
            raise

    def _timeout(self, kind: str, seconds: float) -> None:
        """Set the driver's ``kind`` timeout ("script", "pageLoad") and the HTTP wait a bit above it."""
        if self._timeouts.get(kind) != seconds:
            (self.driver.set_script_timeout if kind == "script" else self.driver.set_page_load_timeout)(seconds)
            self._timeouts[kind] = seconds
        self.driver.command_executor.client_config.timeout = seconds + 10

    # -- the interface shared with the Firefox driver ---------------------------------------------------------------
    def set_viewport(self, width: int, height: int, timeout: float = 10) -> None:
        """Make the page's viewport ``width`` x ``height`` CSS px (innerWidth/innerHeight), resizing the window."""
        w, h, deadline = width, height, time.monotonic() + timeout
        while True:
            self.driver.command_executor.client_config.timeout = timeout + 10
            self.driver.set_window_rect(x=0, y=0, width=w, height=h)
            inner = self.evaluate(SETTLE_VIEWPORT_JS, [width, height], timeout)  # the page sees a resize later
            if inner == [width, height]:
                self._size = (width, height)
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"viewport {inner}, not {[width, height]}, after {timeout} s")
            w, h = max(1, w + width - inner[0]), max(1, h + height - inner[1])  # the window's extra, if any

    def goto(self, url: str, timeout: float = 30) -> None:
        """Navigate and return once the page's load event has fired."""
        self._timeout("pageLoad", timeout)
        try:
            self.driver.get(url)
        except TimeoutException as e:
            # The load goes on, and WebKit would start no other in this window: go on in a new one.
            old = self.driver.current_window_handle
            self.driver.switch_to.new_window("window")
            new = self.driver.current_window_handle
            self.driver.switch_to.window(old)
            self.driver.close()
            self.driver.switch_to.window(new)
            self.set_viewport(*self._size)
            raise TimeoutError(f"{url}: not loaded in {timeout} s") from e

    def evaluate(self, fn: str, arg=None, timeout: float = 30):
        """Call the JS function ``fn`` (its source; may be async) with ``arg`` and return its result through JSON
        (undefined, NaN and Infinity become None). Source that is not a function is an expression whose value
        (awaited) is returned. A JS exception raises WebKitError with the JS message."""
        self._timeout("script", timeout)
        try:
            r = json.loads(self.driver.execute_async_script(EVALUATE_JS % fn, json.dumps(arg)))
        except TimeoutException as e:
            raise TimeoutError(f"script: no result in {timeout} s") from e
        except JavascriptException as e:  # a syntax error in fn
            raise WebKitError(e.msg) from e
        if "error" in r:
            raise WebKitError(r["error"])
        return r.get("value")  # absent: a value JSON cannot hold (a function)

    def press(self, key: str) -> None:
        """A real key press, e.g. "Escape": what a synthetic event cannot do (close a modal <dialog>)."""
        self.driver.command_executor.client_config.timeout = 20
        value = KEYS.get(key, key)
        ActionChains(self.driver).key_down(value).key_up(value).perform()

    def screenshot(self, path: str | Path, full_page: bool = False, timeout: float = 20) -> None:
        """PNG of the viewport, as the window shows it (overlay scrollbars included)."""
        if full_page:
            raise NotImplementedError("WebKitWebDriver takes screenshots of the viewport only")
        self.evaluate(POKE_JS, timeout * 1000)
        self.driver.command_executor.client_config.timeout = timeout
        try:
            png = self.driver.get_screenshot_as_png()
        except urllib3.exceptions.ReadTimeoutError as e:
            raise TimeoutError(f"screenshot: none in {timeout} s") from e
        finally:
            self.evaluate("() => { window.__webkitTabPoke = false; }")
        Path(path).write_bytes(png)

    def console(self) -> list[str]:
        """Console errors and warnings since the previous call, oldest first: "level: text @ url[:line[:col]]"."""
        with open(self.tmp / "console.log", "rb") as f:
            f.seek(self._console_at)
            data = f.read()
        data = data[:data.rfind(b"\n") + 1]  # whole lines only: a line being written is read next time
        self._console_at += len(data)
        out, more = [], False
        for line in data.decode(errors="replace").splitlines():
            m = CONSOLE_LINE.match(line)
            if m:
                more = m["level"] in ("ERROR", "WARN")
                if more:
                    level = "error" if m["level"] == "ERROR" else "warn"
                    out.append(f"{level}: {m['text']}" + (f" @ {m['where']}" if m["where"] else ""))
            elif more and line:  # the next line of a message with line breaks (not GLib's: an empty line before)
                head, sep, where = out[-1].rpartition(" @ ")
                out[-1] = f"{head}\n{line}{sep}{where}" if sep else f"{out[-1]}\n{line}"
            else:
                more = False
        return out

    def close(self) -> None:
        """Quit the session (the browser quits), end the driver's process group (the driver, and the browser and web
        processes if still there) and Xvfb, remove the temporary directory. Safe to call twice."""
        if self.driver is not None:
            self.driver.command_executor.client_config.timeout = 5
            try:
                self.driver.quit()
            except Exception:
                pass
            self.driver = None
        self._finalizer()

    def __enter__(self) -> "WebKitTab":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def launch_webkit(fonts_conf: Path | None = None, width: int = 1280, height: int = 800, **kw) -> WebKitTab:
    """A WebKitGTK tab with a ``width`` x ``height`` CSS px viewport; a context manager too."""
    return WebKitTab(fonts_conf, width, height, **kw)

