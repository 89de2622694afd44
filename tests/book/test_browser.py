"""The built book in a real browser: headless Chromium opens every page, with no network.

Each page is served from 127.0.0.1; any request to another host is refused and reported. On
every page: no console error at all (the theme's too), math typeset by MathJax (no raw TeX
left), every image loaded, every internal link pointing at a file and anchor that exist, and
every explorer rendered: each of its controls (range, select, button, number field), operated
from the keyboard, changes its readout or its plot. All of it on both editions: the Chinese one
(``zh_CN/``) also reads Chinese (prose, the theme's words, the explorers' labels), and every
page's language switch leads to the same page of the other edition and back, over http and
from the disk.
"""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.browser_tools import OfflinePage, assert_every_control_acts, serve, wait_for_explorers

from .paths import HTML, ROOT, toc_files

PAGES = ["index.html", "search.html", "genindex.html"]
ZH = "zh_CN/"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")

# Text of a page with code, scripts and MathJax's own output removed: what a reader reads as prose.
PROSE_JS = """() => {
  const copy = document.querySelector('main') ? document.querySelector('main').cloneNode(true) : document.body.cloneNode(true);
  copy.querySelectorAll('pre, code, script, style, mjx-container, .highlight, textarea').forEach(e => e.remove());
  return copy.textContent;
}"""


def book_pages():
    """The page of every file in _toc.yml (known before the book is built)."""
    return [path.relative_to(ROOT).with_suffix(".html").as_posix() for path in toc_files()]


def both_editions(pages):
    """Each page of the English edition, then its twin in the Chinese edition."""
    return [*pages, *(ZH + page for page in pages)]


@pytest.fixture(scope="module")
def site():
    if not (HTML / "index.html").exists():
        pytest.fail("the book is not built: run tools/build_book.py (tests/book/test_build.py does)")
    with serve(HTML) as url:
        yield url


def open_page(browser, site, page_path):
    """Open a page with outside traffic blocked; returns the OfflinePage (errors, outside)."""
    offline = OfflinePage(browser, allowed=(site,))
    offline.goto(site + page_path)
    return offline


@pytest.mark.browser
@pytest.mark.parametrize("page_path", both_editions(book_pages() + PAGES))
def test_page_works_offline(browser, site, page_path):
    offline = open_page(browser, site, page_path)
    page = offline.page
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
        assert not offline.outside, f"requests to other hosts: {offline.outside}"
        assert not offline.errors, f"console errors: {offline.errors}"
    finally:
        offline.close()


@pytest.mark.browser
@pytest.mark.parametrize("page_path", both_editions(book_pages()))
def test_every_control_of_every_explorer_changes_what_it_shows(browser, site, page_path):
    offline = open_page(browser, site, page_path)
    page = offline.page
    try:
        expected = (HTML / page_path).read_text().count('data-explorer="')
        explorers = page.locator(".mlebook-explorer[data-explorer]").all()
        assert len(explorers) == expected
        if not explorers:
            return
        wait_for_explorers(page)
        for explorer in explorers:
            name = explorer.get_attribute("data-explorer")
            assert not explorer.locator(".mlebook-fallback").count(), f"{name} did not render"
            title = explorer.locator(".mlebook-title").first.inner_text()
            assert bool(CJK.search(title)) == page_path.startswith(ZH), f"{page_path}, {name}: title {title!r} in the wrong language"
            assert_every_control_acts(explorer, f"{page_path}, {name}")
        assert not offline.outside, f"requests to other hosts: {offline.outside}"
        assert not offline.errors, f"console errors: {offline.errors}"
    finally:
        offline.close()


# WCAG contrast ratio between an element's text colour and the first opaque background behind it.
CONTRAST_JS = """el => {
  const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
  const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  let node = el, background = null;
  while (node && !background) {
    const colour = rgb(getComputedStyle(node).backgroundColor);
    if (colour.length < 4 || colour[3] > 0) background = colour;
    node = node.parentElement;
  }
  const [a, b] = [luminance(rgb(getComputedStyle(el).color)), luminance(background || [255, 255, 255])];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.browser
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_explorers_are_readable_in_both_themes(browser, site, theme):
    """Readouts, labels and tick labels stand out from the background (contrast >= 4.5) in
    the theme's light and dark modes."""
    offline = open_page(browser, site, "book/05_kl_divergence.html")
    page = offline.page
    try:
        wait_for_explorers(page)
        page.evaluate(f"() => {{ document.documentElement.dataset.theme = '{theme}'; }}")
        for selector in (".mlebook-readout b", ".mlebook-label", ".mlebook-title", ".mlebook-button"):
            ratio = page.locator(selector).first.evaluate(CONTRAST_JS)
            assert ratio >= 4.5, f"{selector} in {theme} mode: contrast {ratio:.2f}"
        assert not offline.errors
    finally:
        offline.close()


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
@pytest.mark.parametrize("page_path", both_editions(book_pages() + ["index.html"]))
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


def switch(page):
    """Follow the page's language switch; returns the new page's <html lang>."""
    with page.expect_navigation():
        page.locator("a.mlebook-language-switch").click()
    page.wait_for_load_state("load")
    return page.evaluate("() => document.documentElement.lang")


@pytest.mark.browser
@pytest.mark.parametrize("page_path", book_pages() + PAGES)
def test_each_page_switches_to_its_twin_and_back(browser, site, page_path):
    offline = open_page(browser, site, page_path)
    page = offline.page
    try:
        start = page.url  # index.html redirects to the root page
        assert page.evaluate("() => document.documentElement.lang") == "en"
        assert switch(page) == "zh-CN" and page.url == site + ZH + start.removeprefix(site)
        assert switch(page) == "en" and page.url == start
        assert not offline.outside and not offline.errors, offline.errors
    finally:
        offline.close()


@pytest.mark.browser
def test_the_switch_works_from_the_disk(browser):
    page = browser.new_page()
    try:
        start = (HTML / "book" / "05_kl_divergence.html").as_uri()
        page.goto(start)
        assert switch(page) == "zh-CN" and page.url == (HTML / ZH / "book" / "05_kl_divergence.html").as_uri()
        wait_for_explorers(page)  # the explorers' classic-script bundles, from the disk
        assert CJK.search(page.locator(".mlebook-explorer .mlebook-title").first.inner_text())
        assert switch(page) == "en" and page.url == start
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("page_path", book_pages())
def test_the_chinese_edition_reads_chinese(browser, site, page_path):
    """Its prose is mostly Chinese characters (maths, code and outputs aside: names, model
    names and glued words stay Latin) and the theme speaks Chinese."""
    offline = open_page(browser, site, ZH + page_path)
    page = offline.page
    try:
        # The article only (not the header's buttons), without outputs and the reference list,
        # which stay as published.
        prose = page.evaluate(PROSE_JS.replace("document.querySelector('main')", "document.querySelector('article')")
                              .replace("textarea'", "textarea, .cell_output, .output, .citation-list'"))
        cjk, latin = len(CJK.findall(prose)), len(LATIN.findall(prose))
        assert cjk >= 0.4 * (cjk + latin), f"{ZH + page_path}: {cjk} Chinese characters, {latin} Latin letters: is it translated?"
        download = page.locator(".dropdown-download-buttons button.dropdown-toggle").get_attribute("aria-label")
        assert CJK.search(download), f"the theme's download menu is labelled {download!r}"
    finally:
        offline.close()
