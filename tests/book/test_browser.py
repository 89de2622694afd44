"""The built book in a real browser: headless Chromium opens every page, with no network.

Each page is served from 127.0.0.1; any request to another host is refused and reported. On
every page: no JavaScript error, math typeset by MathJax (no raw TeX left), every image loaded,
every internal link pointing at a file and anchor that exist, and the ipywidgets snapshots
rendered by the widget manager.
"""

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .paths import HTML, ROOT, toc_files

CHROMIUM = "/usr/bin/chromium"
# Messages from the theme's own scripts, not from the book: jupyter-book 1.x and
# sphinx-book-theme both insert sphinx-thebe's config snippet, so its `const` is declared twice;
# pydata-sphinx-theme logs the second on a first visit, when no colour mode is stored yet.
THEME_NOISE = ("Identifier 'THEBE_JS_URL' has already been declared", "Got invalid theme mode")
PAGES = ["index.html", "search.html", "genindex.html"]

# Text of a page with code, scripts and MathJax's own output removed: what a reader reads as prose.
PROSE_JS = """() => {
  const copy = document.querySelector('main') ? document.querySelector('main').cloneNode(true) : document.body.cloneNode(true);
  copy.querySelectorAll('pre, code, script, style, mjx-container, .highlight, textarea').forEach(e => e.remove());
  return copy.textContent;
}"""


def book_pages():
    """The page of every file in _toc.yml (known before the book is built)."""
    return [path.relative_to(ROOT).with_suffix(".html").as_posix() for path in toc_files()]


@pytest.fixture(scope="module")
def site():
    if not (HTML / "index.html").exists():
        pytest.fail("the book is not built: run tools/build_book.py (tests/book/test_build.py does)")
    handler = functools.partial(QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (tools/install.sh does)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


def open_page(browser, site, page_path):
    """Open a page with outside traffic blocked; returns (page, js_errors, outside_requests)."""
    page = browser.new_page()
    errors, outside = [], []

    def record(text):
        if not any(noise in text for noise in THEME_NOISE):
            errors.append(text)

    page.on("pageerror", lambda exc: record(str(exc)))
    page.on("console", lambda msg: record(msg.text) if msg.type == "error" else None)

    def route(request_route):
        url = request_route.request.url
        if url.startswith(site) or url.startswith("data:"):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(site + page_path, wait_until="load")
    page.wait_for_load_state("networkidle")
    return page, errors, outside


@pytest.mark.browser
@pytest.mark.parametrize("page_path", book_pages() + PAGES)
def test_page_works_offline(browser, site, page_path):
    page, errors, outside = open_page(browser, site, page_path)
    try:
        has_math = page.evaluate("() => document.querySelectorAll('.math, span.math, div.math').length") > 0
        if has_math:
            page.wait_for_function(
                "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20_000
            )
            page.evaluate("() => MathJax.startup.promise")
            assert page.evaluate("() => document.querySelectorAll('mjx-container').length") > 0, "MathJax rendered nothing"
            assert page.evaluate("() => document.querySelectorAll('mjx-merror, merror').length") == 0, "TeX errors"
        prose = page.evaluate(PROSE_JS)
        for raw in ("\\(", "\\[", "$$"):
            assert raw not in prose, f"raw TeX {raw!r} left in the text of {page_path}"
        broken = page.evaluate(
            "() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        assert not broken, f"images that did not load: {broken}"
        if page.evaluate("() => document.querySelectorAll('script[type=\"application/vnd.jupyter.widget-view+json\"]').length"):
            page.wait_for_selector(".jupyter-widgets", timeout=20_000)
        assert not outside, f"requests to other hosts: {outside}"
        assert not errors, f"JavaScript errors: {errors}"
    finally:
        page.close()


def internal_links(page_file: Path):
    """(target file, fragment) for every relative href in a built page."""
    text = page_file.read_text()
    for href in re.findall(r'href="([^"]+)"', text):
        parts = urlsplit(href)
        if parts.scheme or href.startswith(("//", "mailto:", "javascript:")):
            continue
        target = page_file if not parts.path else (page_file.parent / unquote(parts.path)).resolve()
        yield href, target, unquote(parts.fragment)


@pytest.mark.browser
@pytest.mark.parametrize("page_path", book_pages() + ["index.html"])
def test_internal_links_resolve(page_path):
    page_file = HTML / page_path
    ids_cache = {}
    for href, target, fragment in internal_links(page_file):
        if target.is_dir():
            target = target / "index.html"
        assert target.exists(), f"{page_path}: link {href} points at a missing file"
        if fragment and target.suffix == ".html":
            if target not in ids_cache:
                ids_cache[target] = set(re.findall(r'id="([^"]+)"', target.read_text()))
            assert fragment in ids_cache[target], f"{page_path}: link {href} points at a missing anchor"


@pytest.mark.browser
def test_kl_explorer_on_the_built_page_computes_in_the_browser(browser, site):
    """In the HTML book, with no kernel, dragging a slider updates KL(p‖q) and KL(q‖p) correctly."""
    from tests.test_browser_explorer import assert_shows, move, slider_distribution

    page, errors, outside = open_page(browser, site, "book/05_kl_divergence.html")
    try:
        explorer = page.locator("[data-kl-explorer]").first
        n = int(explorer.locator('input[data-role="n-outcomes"]').input_value())
        move(explorer, "p-0", 0.05)
        move(explorer, "q-1", 0.95)
        assert_shows(explorer, slider_distribution(explorer, "p", n), slider_distribution(explorer, "q", n))
        assert not errors and not outside
    finally:
        page.close()
