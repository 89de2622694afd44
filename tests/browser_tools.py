"""Headless Chromium for the tests: serve a folder on 127.0.0.1, open pages with every other
request refused, collect console errors, and drive the explorers' controls from the keyboard.

The ``browser`` fixture (tests/conftest.py) launches one Chromium for the whole session.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"

# The text and plots of an explorer: what operating a control must change. Its controls' own
# value labels are not part of it.
SIGNATURE_JS = """el => [...el.querySelectorAll('[data-role="readout"], svg')]
  .map(node => node.matches('svg') ? node.innerHTML : node.textContent).join('\\n')"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(folder: Path):
    """Serve ``folder`` over http on 127.0.0.1 from a thread; yields the base URL (ending in /)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join()


class OfflinePage:
    """A page whose requests outside ``allowed`` (URL prefixes; data: and blob: URLs always) are
    refused and recorded in ``outside``; console errors and uncaught exceptions go to ``errors``."""

    def __init__(self, browser, allowed: tuple[str, ...]):
        self.page = browser.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.route("**/*", self._route)
        self.allowed = allowed + ("data:", "blob:")

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.allowed):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def goto(self, url: str):
        self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")
        return self.page

    def close(self):
        self.page.close()


def wait_for_explorers(page, timeout: float = 20_000):
    """Wait until every explorer placeholder on the page has rendered (or one failed)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.mlebook-explorer[data-explorer]')].every(e => e.hasAttribute('data-ready'))",
        timeout=timeout,
    )


def signature(explorer) -> str:
    return explorer.evaluate(SIGNATURE_JS)


def operate(control) -> str:
    """Operate one control as a reader would, with the keyboard: an arrow key on a range or
    number field (towards the middle of its range), the next option of a select, Enter on a
    button. Returns what was done, for messages."""
    kind = control.evaluate("e => e.tagName === 'INPUT' ? e.type : e.tagName.toLowerCase()")
    control.focus()
    if kind in ("range", "number"):
        value, low, high = control.evaluate("e => [Number(e.value), Number(e.min), Number(e.max)]")
        key = "ArrowLeft" if kind == "range" and value >= high else "ArrowRight" if kind == "range" else "ArrowDown" if value >= high else "ArrowUp"
        control.press(key)
        return f"{kind} {control.get_attribute('aria-label')!r}: {key}"
    if kind == "select":
        last = control.evaluate("e => e.selectedIndex === e.options.length - 1")
        control.press("ArrowUp" if last else "ArrowDown")
        return f"select {control.get_attribute('aria-label')!r}"
    if kind == "button":
        control.press("Enter")
        return f"button {control.inner_text()!r}"
    raise AssertionError(f"unknown control {kind}")


CONTROLS = "input[type=range], input[type=number], select, button"


def assert_every_control_acts(explorer, where: str) -> int:
    """Operate each visible control of ``explorer`` in turn (as a reader would, from the
    keyboard) and require that each changes what the explorer shows; returns how many there are."""
    controls = [control for control in explorer.locator(CONTROLS).all() if control.is_visible()]
    assert controls, f"{where}: no controls"
    for control in controls:
        before = signature(explorer)
        done = operate(control)
        assert signature(explorer) != before, f"{where}: {done} changed nothing"
    return len(controls)


EXPLORER_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="_static/mlebook-explorers/explorers.css">
<script defer src="_static/mlebook-explorers/loader.js"></script></head>
<body>{body}</body></html>
"""


def write_explorer_page(folder: Path, body: str, title: str) -> Path:
    """A page laid out like the static book's (its explorer folder and loader) holding ``body``,
    the explorers' placeholders; returns the explorers' folder, ``folder/_static/mlebook-explorers``."""
    import explorers_static  # tools/, on sys.path in the tests that call this

    explorers = folder / "_static" / explorers_static.TARGET
    explorers_static.write_site_folder(explorers)
    (folder / "index.html").write_text(EXPLORER_PAGE.format(title=title, body=body), encoding="utf-8")
    return explorers


JUPYTER_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body><div id="host"></div>
<script type="module">
// What anywidget does in JupyterLab: the _esm text becomes a Blob URL, imported; render gets a model.
const esm = document.getElementById("esm").textContent;
const state = JSON.parse(document.getElementById("state").textContent);
const listeners = {};
const model = {
  get: (name) => state[name],
  set: (name, value) => { state[name] = value; (listeners["change:" + name] || []).forEach((f) => f(value)); },
  on: (event, f) => { (listeners[event] = listeners[event] || []).push(f); },
  off: (event, f) => { listeners[event] = (listeners[event] || []).filter((g) => g !== f); },
  save_changes: () => { window.saved = (window.saved || 0) + 1; },
  send: {send},
};
const url = URL.createObjectURL(new Blob([esm], { type: "text/javascript" }));
await (await import(url)).default.render({ model, el: document.getElementById("host") });
window.rendered = true;
</script>
<script type="text/plain" id="esm">{esm}</script>
<script type="application/json" id="state">{state}</script>
</body></html>"""


def write_jupyter_page(folder: Path, widget, send_js: str = "() => {}") -> None:
    """``folder/index.html``: the widget's ``_esm`` rendered as JupyterLab renders it (a Blob URL)
    with a stand-in model holding its state; ``send_js`` stands in for the kernel's side of
    ``model.send`` (custom messages)."""
    import json

    assert "</script" not in widget._esm
    page = JUPYTER_PAGE.replace("{send}", send_js).replace("{esm}", widget._esm).replace("{state}", json.dumps(widget.state()))
    (folder / "index.html").write_text(page, encoding="utf-8")
