"""Print an edition of the book to one PDF, offline: Chromium's print-to-PDF of its single-page build.

Usage: ``python tools/book_pdf.py SINGLEHTML_INDEX OUT.pdf [LANGUAGE]`` (``tools/build_book.py``
calls :func:`print_pdf` for each edition).

Chromium (``/usr/bin/chromium``, driven by playwright) opens the edition's ``singlehtml`` page
from the disk, waits until MathJax has typeset every formula and every explorer has rendered
(in its initial state), writes under each explorer one line pointing to its page in the HTML
edition, and prints A4 pages with the book's title in the header and "page / pages" in the
footer. ``outline=True`` (with ``tagged=True``) makes Chromium write the PDF's bookmarks from the
headings; the chapters' Chinese text needs a CJK font (Debian's fonts-noto-cjk, which
``tools/install.sh`` installs). The PDF is written to a temporary file, then renamed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
TITLES = {"en": "Maximum Likelihood Learning", "zh_CN": "最大似然学习"}
NOTES = {
    "en": "Interactive explorer, shown here as it starts: try it in the HTML edition, page {page}.",
    "zh_CN": "交互式探索器（此处为初始状态）：请在 HTML 版中试用，页面 {page}。",
}

# Page furniture the printed book does not need, and explorers kept on one page.
PRINT_CSS = """
@media print {
  .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-footer, .bd-footer-article,
  .prev-next-area, .headerlink, .bd-header, .skip-link, #pst-back-to-top, .pst-async-banner-revealer { display: none !important; }
  .mlebook-explorer { break-inside: avoid; }
  .mlebook-print-note { font-size: 0.85em; font-style: italic; margin: 0.3em 0 1em; }
  h1, h2, h3 { break-after: avoid; }
  figure, img { break-inside: avoid; }
}
"""

READY_JS = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  const explorers = [...document.querySelectorAll('.mlebook-explorer[data-explorer]')];
  return explorers.every(e => e.hasAttribute('data-ready'));
}"""

# Under each explorer: its page in the HTML edition (the single page holds each page in a
# section with id "document-PAGENAME").
NOTE_JS = """template => {
  for (const el of document.querySelectorAll('.mlebook-explorer[data-explorer]')) {
    const section = el.closest('[id^="document-"]');
    const page = section ? section.id.slice('document-'.length) + '.html' : 'index.html';
    const note = document.createElement('p');
    note.className = 'mlebook-print-note';
    note.textContent = template.replace('{page}', page);
    el.after(note);
  }
}"""


def print_pdf(index: Path, out: Path, language: str = "en", timeout_ms: float = 120_000) -> Path:
    """Print the single-page build ``index`` (its index.html) to ``out``; returns ``out``."""
    if language not in TITLES:
        raise ValueError(f"no PDF title for language {language!r}; known: {', '.join(TITLES)}")
    if not index.exists():
        raise FileNotFoundError(f"{index} is missing: build the single-page edition first (tools/build_book.py)")
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: apt-get install chromium (tools/install.sh does)")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    header = (f'<div style="font-size:8px; width:100%; text-align:center; color:#666;">{TITLES[language]}</div>')
    footer = ('<div style="font-size:8px; width:100%; text-align:center; color:#666;">'
              '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(index.resolve().as_uri(), wait_until="load", timeout=timeout_ms)
            page.wait_for_function(READY_JS, timeout=timeout_ms, polling=500)
            if errors:
                raise RuntimeError(f"{index}: the page failed while loading: {errors[0]}")
            page.add_style_tag(content=PRINT_CSS)
            page.evaluate(NOTE_JS, NOTES[language])
            page.emulate_media(media="print")
            page.pdf(path=str(partial), format="A4", print_background=True, display_header_footer=True,
                     header_template=header, footer_template=footer, outline=True, tagged=True,
                     margin={"top": "18mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})
        finally:
            browser.close()
    os.replace(partial, out)
    print(f"book_pdf: {out} ({out.stat().st_size / 1e6:.1f} MB)", flush=True)
    return out


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.splitlines()[2])
    print_pdf(Path(sys.argv[1]), Path(sys.argv[2]), *(sys.argv[3:]))
