"""Every chapter runs top to bottom as a notebook, with no error.

A chapter is read exactly as the book build reads it (myst-nb's MyST reader), executed with
nbclient in its own folder, and stored in the build's execution cache (jupyter-cache), by the
same functions the build uses (``tools/execute_chapters.py``). The build then reuses these
results, so CI executes each chapter once. A chapter already in the cache with unchanged code
(its cells and the mlebook package: tools/execution_cache.py) passed before and is not run again.
"""

import pytest

from .paths import CACHE, CHAPTERS  # puts tools/ on sys.path

from execute_chapters import ChapterFailed, execute, is_cached, store  # noqa: E402
from execution_cache import drop_if_stale  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def current_cache():
    drop_if_stale(CACHE)


@pytest.fixture(scope="module", autouse=True)
def trained_models():
    """Train the book's models before any chapter runs, as the build does (``python -m mlebook zoo``)."""
    from mlebook import zoo

    zoo.trained_all(progress=True)


@pytest.mark.notebook
@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_executes(path):
    if is_cached(path, CACHE):
        pytest.skip("executed successfully before, with this very code (execution cache hit)")
    try:
        notebook, seconds = execute(path)
    except ChapterFailed as error:
        pytest.fail(str(error), pytrace=False)
    store(path, notebook, seconds, CACHE)
