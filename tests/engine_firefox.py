"""Firefox for the browser tests: Debian's ``firefox-esr`` driven over its own WebDriver BiDi.

Why BiDi: Playwright's Firefox is a patched build that cannot be downloaded here, and geckodriver is not packaged
by Debian. Firefox itself ships the server side of WebDriver BiDi (its "Remote Agent"): started with
``--remote-debugging-port=0`` it prints ``WebDriver BiDi listening on ws://127.0.0.1:PORT`` on stderr, and a
websocket to ``ws://127.0.0.1:PORT/session`` is a session. So the driver is this file and the ``websockets``
package (its synchronous client); events arrive on the same socket between answers and ``_call`` files them.

Commands: ``browsingContext.setViewport`` (any size and device pixel ratio 1: a Firefox window cannot be narrower
than ~450 px, its viewport can), ``browsingContext.navigate`` with ``wait: "complete"`` (returns after the load
event), ``script.callFunction`` (the page turns the result into JSON, so no BiDi remote value needs decoding),
``browsingContext.captureScreenshot``.

Profile: a fresh one per launch. Its ``user.js`` turns off whatever would reach the network (updates, telemetry,
remote settings, studies, safe browsing, captive portal, translations, …) and, as a backstop, sends every request
not for localhost to a proxy at a closed local port, so it fails at once and nothing leaves the machine. It also
pins what a page sees: light colour scheme, no reduced motion, no font inflation, a mouse (``hover: hover``,
``pointer: fine``; headless Firefox has none by default), overlay scrollbars that take no width and are not drawn
in screenshots (as in Playwright's headless Chromium, which hides them), no smooth scrolling. ``FONTCONFIG_FILE``
restricts the fonts, and it hides Firefox's bundled Twemoji font too.

Console (``FirefoxTab.console``), from three sources, because BiDi's ``log.entryAdded`` passes console.* calls and
script errors but drops Firefox's own warnings, and Firefox does not log everything Chromium does:
- ``log.entryAdded``: console.error/warn, uncaught exceptions, unhandled rejections (with their source line);
- Firefox's own warnings ("… preloaded with link preload was not used within a few seconds", reported 10 s after
  the preload; "Empty string passed to getElementById()", …): a process script loaded through the parent process
  (BiDi with ``--remote-allow-system-access``) forwards every content process's warnings to the parent;
- "ResizeObserver loop completed with undelivered notifications.": Firefox only fires it as an "error" event at
  the window, so a BiDi preload script, in a sandbox, reports the window's error events without an error object.
Firefox reports a failed script ("Loading failed for the <script> …", a warning) or web font ("downloadable font:
download failed …", an error), but not a failed image or stylesheet (Chromium: "Failed to load resource"), nor
CSS errors.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from websockets.sync.client import connect

FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox") or "/usr/bin/firefox-esr"

PREFS = {
    # No first-run page, dialog, session restore or slow-script prompt.
    "browser.startup.page": 0, "browser.startup.homepage_override.mstone": "ignore",
    "startup.homepage_welcome_url": "about:blank", "browser.aboutwelcome.enabled": False,
    "browser.shell.checkDefaultBrowser": False, "browser.sessionstore.resume_from_crash": False,
    "browser.tabs.warnOnClose": False, "dom.max_script_run_time": 0, "toolkit.startup.max_resumed_crashes": -1,
    # Nothing that phones home (remote settings also needs MOZ_DISABLE_NONLOCAL_CONNECTIONS, see below).
    "app.update.disabledForTesting": True, "app.update.auto": False, "app.normandy.enabled": False,
    "app.normandy.api_url": "", "app.shield.optoutstudies.enabled": False,
    "messaging-system.rsexperimentloader.enabled": False, "services.settings.server": "data:,#remote-settings-dummy/v1",
    "datareporting.policy.dataSubmissionEnabled": False, "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False, "toolkit.telemetry.server": "", "browser.ping-centre.telemetry": False,
    "browser.safebrowsing.malware.enabled": False, "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False, "browser.safebrowsing.blockedURIs.enabled": False,
    "browser.safebrowsing.update.enabled": False, "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False, "network.trr.mode": 5, "network.dns.disablePrefetch": True,
    "network.prefetch-next": False, "network.predictor.enabled": False, "network.http.speculative-parallel-limit": 0,
    "browser.newtabpage.enabled": False, "browser.search.update": False, "browser.region.update.enabled": False,
    "browser.region.network.url": "", "geo.provider.network.url": "", "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False, "extensions.systemAddon.update.enabled": False,
    "extensions.blocklist.enabled": False, "extensions.pocket.enabled": False, "media.gmp-manager.updateEnabled": False,
    "media.gmp-manager.url": "", "media.gmp-gmpopenh264.enabled": False, "media.gmp-widevinecdm.enabled": False,
    "security.OCSP.enabled": 0, "security.remote_settings.crlite_filters.enabled": False,
    "security.remote_settings.intermediates.enabled": False, "browser.translations.enable": False,
    "browser.ml.enable": False, "identity.fxaccounts.enabled": False,
    # The backstop: any request but localhost's (which never goes through a proxy) to a closed port.
    "network.proxy.type": 1, "network.proxy.http": "127.0.0.1", "network.proxy.http_port": 9,
    "network.proxy.ssl": "127.0.0.1", "network.proxy.ssl_port": 9, "network.proxy.no_proxies_on": "",
    # What the page sees, whatever the machine's settings.
    "layout.css.prefers-color-scheme.content-override": 1, "ui.systemUsesDarkTheme": 0,  # light
    "ui.prefersReducedMotion": 0, "font.size.inflation.emPerLine": 0, "font.size.inflation.minTwips": 0,
    "layout.css.devPixelsPerPx": "1.0", "ui.primaryPointerCapabilities": 6, "ui.allPointerCapabilities": 6,
    "ui.useOverlayScrollbars": 1,  # 0: classic scrollbars, 12 px wide in headless Firefox
    "general.smoothScroll": False, "layout.spellcheckDefault": 0, "ui.caretBlinkTime": -1,
    # Each page loads its web fonts itself: from the browser's font cache, a later page would never use its
    # <link rel=preload> of the font, and Firefox would warn that the preload went unused.
    "gfx.downloadable_fonts.disable_cache": True,
    "intl.accept_languages": "en-US, en",
}

# Firefox's own warnings (nsIScriptError with the warning flag) in every content process, to the parent process.
WARNINGS_CHILD = r"""
Services.console.registerListener({ observe(m) {
  if (!(m instanceof Ci.nsIScriptError) || m.isFromChromeContext || !m.innerWindowID) return;
  if (!(m.flags & Ci.nsIScriptError.warningFlag)) return;  // errors come through log.entryAdded
  sendAsyncMessage("engine-firefox:warn", {ts: m.timeStamp, text: m.errorMessage, url: m.sourceName,
                                          line: m.lineNumber});
}});"""
WARNINGS_PARENT = """(child) => {
  globalThis.engineFirefoxWarnings = [];
  Services.ppmm.addMessageListener("engine-firefox:warn", m => globalThis.engineFirefoxWarnings.push(m.data));
  Services.ppmm.loadProcessScript("data:," + encodeURIComponent(child), true);
}"""
# Error events at the window without an error object (uncaught exceptions have one and are logged), unless the page
# cancelled them: sent on a BiDi channel (script.message events).
ERROR_EVENTS = """(channel) => window.addEventListener("error", e => {
  if (e.isTrusted && e.error == null)
    setTimeout(() => e.defaultPrevented || channel([Date.now(), e.message, e.filename || location.href]));
})"""


# WebDriver's code points of the named keys the tests press.
KEYS = {"Escape": "\ue00c", "Enter": "\ue007", "Tab": "\ue004"}


class BidiError(RuntimeError):
    """An error answer of the browser, or an exception thrown by a page's script."""


class FirefoxTab:
    """One headless Firefox with one tab. ``close`` (or ``with``) ends it. ``prefs`` adds to or overrides PREFS."""

    name = "firefox"

    def __init__(self, fonts_conf: Path | None = None, width: int = 1280, height: int = 800,
                 prefs: dict | None = None, timeout: float = 30):
        self.profile = Path(tempfile.mkdtemp(prefix="firefox-profile-"))
        lines = [f"user_pref({json.dumps(k)}, {json.dumps(v)});" for k, v in {**PREFS, **(prefs or {})}.items()]
        (self.profile / "user.js").write_text("\n".join(lines) + "\n", encoding="utf-8")
        # MOZ_DISABLE_NONLOCAL_CONNECTIONS lets the remote settings server be overridden (to nothing); Firefox
        # would abort on a connection to a non-local address, but the proxy makes every connection a local one.
        env = {**os.environ, "MOZ_CRASHREPORTER_DISABLE": "1", "MOZ_DISABLE_NONLOCAL_CONNECTIONS": "1"}
        if fonts_conf:
            env["FONTCONFIG_FILE"] = str(fonts_conf)
        self.proc = subprocess.Popen(
            [FIREFOX, "--headless", "--no-remote", "--remote-debugging-port=0", "--remote-allow-system-access",
             "--profile", str(self.profile)],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True)  # its own process group: close() ends the content processes too
        self.ws = None
        self._next_id = 0
        self._logs: list[tuple[float, str]] = []  # (time in ms since the epoch, message)
        try:
            # No Origin header (the Remote Agent refuses other origins), no size limit (screenshots), never through
            # a proxy of the environment, no keepalive pings (a long script must not close the connection).
            self.ws = connect(f"ws://127.0.0.1:{self._read_port(timeout)}/session", legacy=True, proxy=None,
                              max_size=None, open_timeout=timeout, ping_interval=None, compression=None)
            self._call("session.new", {"capabilities": {}}, timeout)
            self._call("session.subscribe", {"events": ["log.entryAdded", "script.message"]}, timeout)
            tree = self._call("browsingContext.getTree", {"maxDepth": 0}, timeout)
            self.context = tree["contexts"][0]["context"]
            tree = self._call("browsingContext.getTree", {"maxDepth": 0, "moz:scope": "chrome"}, timeout)
            self.chrome = tree["contexts"][0]["context"]  # the browser window itself, in the parent process
            self._call("script.callFunction", {"functionDeclaration": WARNINGS_PARENT, "awaitPromise": False,
                                               "arguments": [{"type": "string", "value": WARNINGS_CHILD}],
                                               "target": {"context": self.chrome}}, timeout)
            self._call("script.addPreloadScript", {"functionDeclaration": ERROR_EVENTS, "sandbox": "engine-firefox",
                                                   "arguments": [{"type": "channel",
                                                                  "value": {"channel": "error-event"}}]}, timeout)
            self.set_viewport(width, height)
        except BaseException:
            self.close()
            raise

    def _read_port(self, timeout: float) -> int:
        """The port, from Firefox's stderr; a thread goes on reading (and dropping) stderr, so it never blocks."""
        found: list[int] = []
        ready = threading.Event()

        def pump():
            for line in self.proc.stderr:
                m = re.search(rb"WebDriver BiDi listening on ws://[\d.]+:(\d+)", line)
                if m and not found:
                    found.append(int(m.group(1)))
                    ready.set()
            ready.set()  # end of stderr: Firefox has exited

        threading.Thread(target=pump, daemon=True).start()
        if not ready.wait(timeout) or not found:
            raise RuntimeError(f"Firefox did not start its WebDriver BiDi server (exit code {self.proc.poll()})")
        return found[0]

    def _call(self, method: str, params: dict, timeout: float = 30) -> dict:
        """Send one command and wait for its answer, filing the events that arrive meanwhile."""
        self._next_id += 1
        cid = self._next_id
        self.ws.send(json.dumps({"id": cid, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                msg = json.loads(self.ws.recv(timeout=left))
            except TimeoutError:
                break
            if msg.get("type") == "event":
                self._on_event(msg["method"], msg["params"])
            elif msg.get("id") == cid:
                if msg.get("type") == "error":
                    raise BidiError(f"{method}: {msg.get('error')}: {msg.get('message')}")
                return msg["result"]
            # any other answer is a late one, to a command that timed out
        raise TimeoutError(f"{method}: no answer from Firefox in {timeout} s")

    def _on_event(self, method: str, e: dict) -> None:
        if method == "script.message":  # from ERROR_EVENTS: [time, message, url]
            ts, text, url = (item["value"] for item in e["data"]["value"])
            self._logs.append((ts, f"error: {text} @ {url}"))
        elif method == "log.entryAdded" and e.get("level") in ("error", "warn"):
            frames = (e.get("stackTrace") or {}).get("callFrames") or []
            where = f" @ {frames[0]['url']}:{frames[0]['lineNumber'] + 1}" if frames else ""
            self._logs.append((e.get("timestamp", 0), f"{e['level']}: {e.get('text')}{where}"))

    # -- the interface shared with the WebKit driver --------------------------------------------------------------
    def set_viewport(self, width: int, height: int) -> None:
        """The page's viewport in CSS px, whatever the window's size; device pixel ratio 1."""
        self._call("browsingContext.setViewport", {"context": self.context, "devicePixelRatio": 1,
                                                   "viewport": {"width": width, "height": height}})

    def goto(self, url: str, timeout: float = 30) -> None:
        """Navigate and return once the page's load event has fired."""
        self._call("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"}, timeout)

    def evaluate(self, fn: str, arg=None, timeout: float = 30):
        """Call the JS function ``fn`` (its source; may be async) with ``arg`` and return its result through JSON
        (undefined, NaN and Infinity become None). Source that is not a function is an expression whose value
        (awaited) is returned. A JS exception raises BidiError with the JS message."""
        wrapper = ("async (argJson) => { let v = (\n" + fn + "\n);"
                   " if (typeof v === 'function') v = v(JSON.parse(argJson));"
                   " v = await v; return v === undefined ? 'null' : JSON.stringify(v); }")
        r = self._call("script.callFunction", {
            "functionDeclaration": wrapper, "arguments": [{"type": "string", "value": json.dumps(arg)}],
            "target": {"context": self.context}, "awaitPromise": True, "resultOwnership": "none"}, timeout)
        if r["type"] == "exception":
            raise BidiError(r["exceptionDetails"].get("text"))
        value = r["result"].get("value")  # absent when JSON.stringify gave undefined (a function, a symbol)
        return None if value is None else json.loads(value)

    def press(self, key: str) -> None:
        """A real key press (``input.performActions``), e.g. "Escape": what a synthetic event cannot do (close a
        modal <dialog>)."""
        value = KEYS.get(key, key)
        self._call("input.performActions", {"context": self.context, "actions": [
            {"type": "key", "id": "keyboard", "actions": [{"type": "keyDown", "value": value},
                                                          {"type": "keyUp", "value": value}]}]})
        self._call("input.releaseActions", {"context": self.context})

    def screenshot(self, path: str | Path, full_page: bool = False) -> None:
        """PNG of the viewport (``full_page``: of the whole document)."""
        r = self._call("browsingContext.captureScreenshot",
                       {"context": self.context, "origin": "document" if full_page else "viewport"})
        Path(path).write_bytes(base64.b64decode(r["data"]))

    def console(self) -> list[str]:
        """Console errors and warnings since the previous call, oldest first: "level: text @ url[:line]"."""
        # A round trip, so every event sent before it has been filed; and the warnings the parent collected.
        r = self._call("script.evaluate", {"expression": "JSON.stringify(engineFirefoxWarnings.splice(0))",
                                           "target": {"context": self.chrome}, "awaitPromise": False})
        for w in json.loads(r["result"]["value"]):
            self._logs.append((w["ts"], f"warn: {w['text']} @ {w['url']}" + (f":{w['line']}" if w["line"] else "")))
        logs, self._logs = sorted(self._logs, key=lambda log: log[0]), []
        return [text for _, text in logs]

    def close(self) -> None:
        """End the browser (its whole process group) and remove its profile. Safe to call twice."""
        if self.ws is not None:
            try:
                self._call("browser.close", {}, timeout=5)
            except Exception:
                pass
            self.ws.close()
            self.ws = None
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # what is left of it, content processes included
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> "FirefoxTab":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def launch_firefox(fonts_conf: Path | None = None, width: int = 1280, height: int = 800, **kw) -> FirefoxTab:
    """A headless Firefox with one tab at ``width`` x ``height`` CSS px; a context manager too."""
    return FirefoxTab(fonts_conf, width, height, **kw)

