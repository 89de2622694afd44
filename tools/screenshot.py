"""Take the README's picture: a page of the built book (at its first explorer) in headless Chromium.

Usage: ``python tools/screenshot.py [PAGE] [OUT]`` (defaults: the KL chapter, docs/screenshot.png).
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browser_tools import CHROMIUM, serve, wait_for_explorers  # noqa: E402


def screenshot(page_path: str, out: Path) -> None:
    with serve(ROOT / "_build" / "html") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.goto(url + page_path, wait_until="networkidle")
        page.wait_for_timeout(1500)  # let MathJax settle
        explorer = page.locator(".mlebook-explorer")
        if explorer.count():  # show the first explorer, with the text just above it
            wait_for_explorers(page)
            explorer.first.scroll_into_view_if_needed()
            page.mouse.wheel(0, -250)
            page.wait_for_timeout(300)
        page.screenshot(path=str(out))
        browser.close()


if __name__ == "__main__":
    page_path = sys.argv[1] if len(sys.argv) > 1 else "book/05_kl_divergence.html"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "screenshot.png"
    screenshot(page_path, out)
    print(f"wrote {out}")
