"""The HTML book builds with warnings as errors, offline, from the execution cache."""

import json
import subprocess
import sys

import pytest

from .paths import CHAPTERS, HTML, ROOT


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
