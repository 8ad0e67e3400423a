#!/usr/bin/python3
"""A toolbar-less WebKitGTK browser for WebKitWebDriver (``tests/engine_webkit.py`` drives it).

WebKitWebDriver starts the browser binary named in ``webkitgtk:browserOptions`` with ``WEBKIT_INSPECTOR_SERVER``
set; a ``WebKitWebContext`` that allows automation listens there, and when the driver opens a session the context
emits ``automation-started``. The session asks for each window (the first one, and any "new window") through
``create-web-view``, which returns a web view made with ``is-controlled-by-automation``. Debian's MiniBrowser does
the same, but its toolbar keeps its window at least 447 px wide; here the web view alone fills an undecorated
window, so the window's size is the viewport's, down to phone widths.

Arguments: ``--automation`` (required), ``--data-dir=DIR`` (website data: cookies, cache, storage), ``--console=FILE``
(stderr goes there, and with it every console message of the web processes: WebKit writes them to stderr, and only
for a session that is not ephemeral, hence a data directory), ``--sandbox`` (WebKit's bubblewrap sandbox for the
web processes; off by default in the WebKit2 4.1 API).

Deterministic: no hardware acceleration, no smooth scrolling, light theme, English, and a proxy at a closed local
port for every request not for localhost. It runs under Debian's python3 with python3-gi and gir1.2-webkit2-4.1.
"""

import os
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2  # noqa: E402


def main() -> None:
    args = dict(a.removeprefix("--").partition("=")[::2] for a in sys.argv[1:])
    if "automation" not in args:
        sys.exit("webkit_browser.py is for WebKitWebDriver: run with --automation")
    if args.get("console"):
        os.dup2(os.open(args["console"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644), 2)
    Gtk.init([])
    Gtk.Settings.get_default().props.gtk_application_prefer_dark_theme = False  # prefers-color-scheme: light

    data = args.get("data-dir") or os.path.join(os.environ.get("XDG_CACHE_HOME", "/tmp"), "webkit-browser")
    manager = WebKit2.WebsiteDataManager(base_data_directory=os.path.join(data, "data"),
                                         base_cache_directory=os.path.join(data, "cache"))
    proxy = WebKit2.NetworkProxySettings.new("http://127.0.0.1:9", ["localhost", "127.0.0.1", "::1"])
    manager.set_network_proxy_settings(WebKit2.NetworkProxyMode.CUSTOM, proxy)
    context = WebKit2.WebContext(website_data_manager=manager)
    context.set_preferred_languages(["en-US", "en"])
    if "sandbox" in args:
        context.set_sandbox_enabled(True)
        if os.environ.get("FONTCONFIG_FILE"):  # the sandbox shows the system's files, not this one
            context.add_path_to_sandbox(os.path.dirname(os.path.abspath(os.environ["FONTCONFIG_FILE"])), True)
    context.set_automation_allowed(True)

    settings = WebKit2.Settings(hardware_acceleration_policy=WebKit2.HardwareAccelerationPolicy.NEVER,
                                enable_smooth_scrolling=False, enable_write_console_messages_to_stdout=True,
                                enable_page_cache=False)

    def failed_load(uri, why):  # on stderr as WebKit prints console messages (it prints none for failed loads)
        print(f"{uri}: CONSOLE NETWORK ERROR Failed to load resource: {why}", file=sys.stderr, flush=True)

    def watch(resource):
        def finished(res):
            status = res.get_response().get_status_code() if res.get_response() else 0
            if status >= 400:
                failed_load(res.get_uri(), f"the server responded with a status of {status}")

        def failed(res, error):
            if not error.matches(WebKit2.network_error_quark(), WebKit2.NetworkError.CANCELLED):
                failed_load(res.get_uri(), error.message)

        resource.connect("finished", finished)
        resource.connect("failed", failed)

    def create_web_view(session):
        view = WebKit2.WebView(web_context=context, settings=settings, is_controlled_by_automation=True)
        view.connect("resource-load-started", lambda _, resource, request: watch(resource))
        window = Gtk.Window(decorated=False, default_width=1280, default_height=800)
        window.add(view)
        view.connect("close", lambda _: window.destroy())  # the driver's "close window"
        window.show_all()
        return view

    def automation_started(_, session):
        info = WebKit2.ApplicationInfo.new()
        info.set_name("webkit_browser")  # the browserName the driver matches
        info.set_version(WebKit2.get_major_version(), WebKit2.get_minor_version(), WebKit2.get_micro_version())
        session.set_application_info(info)
        session.connect("create-web-view", create_web_view)
        session.connect("will-close", lambda _: Gtk.main_quit())  # the session is over: so is the browser

    context.connect("automation-started", automation_started)
    Gtk.main()


if __name__ == "__main__":
    main()
