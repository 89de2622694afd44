"""Every chapter runs top to bottom as a notebook, with no error.

A chapter is read exactly as the book build reads it (myst-nb's MyST reader), executed with
nbclient in its own folder, and stored in the build's execution cache (jupyter-cache). The
build then reuses these results, so CI executes each chapter once. A chapter already in the
cache with unchanged code (its cells and the mlebook package: tools/execution_cache.py) passed
before and is not run again.
"""

import sys

import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution
from myst_nb.core.read import read_myst_markdown_notebook
import nbformat

from .paths import CACHE, CHAPTERS, CONFIG, ROOT

sys.path.insert(0, str(ROOT / "tools"))
from execution_cache import drop_if_stale  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def current_cache():
    drop_if_stale(CACHE)


@pytest.fixture(scope="module", autouse=True)
def trained_models():
    """Train the book's models before any chapter runs, as the build does (``python -m mlebook zoo``)."""
    from mlebook import zoo

    zoo.trained_all(progress=True)


def read_chapter(path):
    if path.suffix == ".ipynb":
        return nbformat.read(path, as_version=4)
    return read_myst_markdown_notebook(path.read_text(), path=path)


@pytest.mark.notebook
@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_executes(path):
    notebook = read_chapter(path)
    cache = get_cache(CACHE)
    try:
        cache.match_cache_notebook(notebook)
        pytest.skip("executed successfully before, with this very code (execution cache hit)")
    except KeyError:
        pass
    result = single_nb_execution(
        notebook, cwd=str(path.parent), timeout=CONFIG["execute"]["timeout"], allow_errors=False
    )
    if result.err is not None:
        pytest.fail(f"{path.relative_to(ROOT)} failed:\n{result.exc_string}", pytrace=False)
    cache.cache_notebook_bundle(
        CacheBundleIn(notebook, str(path), data={"execution_seconds": result.time}),
        check_validity=False,
        overwrite=True,
    )
