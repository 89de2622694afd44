"""Take the README's picture: a page of the built book (at its first explorer) in headless Chromium.

Usage: ``python tools/screenshot.py [PAGE] [OUT]`` (defaults: the KL chapter, docs/screenshot.png).
"""

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def screenshot(page_path: str, out: Path) -> None:
    handler = functools.partial(QuietHandler, directory=str(ROOT / "_build" / "html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{page_path}", wait_until="networkidle")
            page.wait_for_timeout(1500)  # let MathJax and the widgets settle
            explorer = page.locator(".mlebook-explorer")
            if explorer.count():  # show the first explorer, with the text just above it
                explorer.first.scroll_into_view_if_needed()
                page.mouse.wheel(0, -250)
                page.wait_for_timeout(300)
            page.screenshot(path=str(out))
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    page_path = sys.argv[1] if len(sys.argv) > 1 else "book/05_kl_divergence.html"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "screenshot.png"
    screenshot(page_path, out)
    print(f"wrote {out}")
