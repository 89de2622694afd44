"""The HTML book builds with warnings as errors, offline, from the execution cache."""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .paths import CHAPTERS, HTML, ROOT, toc_files

spec = importlib.util.spec_from_file_location("build_book_module", ROOT / "tools" / "build_book.py")
build_book = importlib.util.module_from_spec(spec)
sys.path.insert(0, str(ROOT / "tools"))
spec.loader.exec_module(build_book)


@pytest.fixture(scope="session")
def build_log():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_book.py")], cwd=ROOT, capture_output=True, text=True
    )
    return result


@pytest.mark.book
def test_book_builds_without_warnings(build_log):
    assert build_log.returncode == 0, build_log.stdout[-6000:] + build_log.stderr[-6000:]
    assert "build succeeded" in build_log.stdout


@pytest.mark.book
def test_every_chapter_has_a_page_and_a_notebook_download(build_log):
    assert build_log.returncode == 0
    for path in CHAPTERS:
        page = HTML / path.relative_to(ROOT).with_suffix(".html")
        assert page.exists(), f"no page for {path.name}"
        notebook = HTML / "_sources" / path.relative_to(ROOT).with_suffix(".ipynb")
        assert notebook.exists(), f"no .ipynb download for {path.name}"
        assert f'_sources/{notebook.relative_to(HTML / "_sources").as_posix()}"' in page.read_text(), (
            f"{page.name} does not link its .ipynb"
        )


@pytest.mark.book
def test_scripts_are_served_locally(build_log):
    """MathJax and the explorers' modules come from the site itself, not a CDN."""
    assert build_log.returncode == 0
    for page in HTML.rglob("*.html"):
        text = page.read_text()
        for cdn in ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "unpkg.com"):
            assert f'src="https://{cdn}' not in text, f"{page.relative_to(HTML)} loads a script from {cdn}"
    assert (HTML / "vendor" / "mathjax" / "es5" / "tex-chtml-full.js").exists()
    assert (HTML / "_static" / "mlebook-explorers" / "loader.js").exists()
    assert (HTML / "_static" / "mlebook-explorers" / "kl.bundle.js").exists()
    # the model playground's weights, exported from the zoo by the build (for http and for file://)
    data = HTML / "_static" / "mlebook-explorers" / "data"
    manifest = json.loads((data / "playground.json").read_text())
    assert (data / "playground.bin").stat().st_size == manifest["byte_length"] > 0
    assert (data / "playground.data.js").read_text().startswith("mlebookPlaygroundData(")
    for page in HTML.rglob("*.html"):
        text = page.read_text()
        assert "require.js" not in text and "embed-amd.js" not in text, f"{page.relative_to(HTML)} loads the widget manager"


ZH = HTML / "zh_CN"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u2e80-\u2fdf]")  # with the radicals some fonts map to


def site_pages():
    return [path.relative_to(ROOT).with_suffix(".html") for path in toc_files()] + [Path(n) for n in ("index.html", "search.html", "genindex.html")]


@pytest.mark.book
def test_every_english_page_has_a_chinese_twin(build_log):
    assert build_log.returncode == 0
    assert (ZH / "index.html").read_text() == (HTML / "index.html").read_text(), "index.html: not the same redirect"
    for page in site_pages():
        if page.name == "index.html":  # a redirect to the root page
            continue
        english, chinese = (HTML / page).read_text(), (ZH / page).read_text()
        assert '<html lang="en"' in english, f"{page}: <html lang> is not en"
        assert '<html lang="zh-CN"' in chinese, f"zh_CN/{page}: <html lang> is not zh-CN (the explorers read it)"
        assert "mlebook-language-switch" in english and "mlebook-language-switch" in chinese, f"{page}: no language switch"
        if page.parts[0] == "book":  # the sidebar: the book's title and the parts in Chinese
            assert "最大似然学习" in chinese and "讲义" in chinese and "The lecture" not in chinese, f"zh_CN/{page}: sidebar in English"
    for notebook in CHAPTERS:
        assert (ZH / "_sources" / notebook.relative_to(ROOT).with_suffix(".ipynb")).exists()


@pytest.mark.book
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_each_edition_is_one_pdf_with_bookmarks_math_and_its_language(build_log, language):
    """The PDF opens, has a page per chapter at least and bookmarks, its maths was typeset (no
    raw TeX), the Chinese one holds Chinese text; every page of the edition offers it."""
    import pypdf

    assert build_log.returncode == 0
    folder = HTML if language == "en" else ZH
    pdf = folder / build_book.pdf_name(language)
    assert pdf.exists(), f"{pdf} was not built"
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) >= len(CHAPTERS)
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert len(titles) >= 1 and sum(1 for item in reader.outline if isinstance(item, list)) >= 1, "no nested bookmarks"
    text = "".join(page.extract_text() or "" for page in reader.pages)
    # TeX may appear in code cells (matplotlib labels), never more often than the code has it.
    import jupytext

    code = "".join(cell.source for path in CHAPTERS for cell in jupytext.read(path).cells if cell.cell_type == "code")
    for raw in ("\\frac", "\\(", "$$", "\\mathbb"):
        assert text.count(raw) <= code.count(raw), f"raw TeX {raw!r} in the {language} PDF: {text.count(raw)} times, {code.count(raw)} in code"
    chinese = len(CJK.findall(text))
    # The untranslated book has ~1,800 (the glossary's bilingual terms, the theme); translated prose, tens of thousands.
    assert (chinese > 20_000) if language == "zh_CN" else (chinese < 0.05 * len(text)), f"{chinese} CJK characters in the {language} PDF"
    assert "/ " + str(len(reader.pages)) in reader.pages[-1].extract_text(), "no page numbers 'n / N' in the footer"
    for page in site_pages()[:-3]:
        assert f'{build_book.pdf_name(language)}"' in (folder / page).read_text(), f"{page} does not offer the PDF"
