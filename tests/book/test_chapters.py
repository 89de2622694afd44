"""Every chapter runs top to bottom as a notebook, with no error.

A chapter is read exactly as the book build reads it (myst-nb's MyST reader), executed with
nbclient in its own folder, and stored in the build's execution cache (jupyter-cache), by the
build's own runner (``tools/execute_chapters.py``), one chapter per core at a time. The build
then reuses these results, so CI executes each chapter once. A chapter already in the cache with
unchanged code (its cells and the mlebook package: tools/execution_cache.py) passed before and is
reported as skipped.
"""

import pytest

from .paths import CACHE, CHAPTERS  # puts tools/ on sys.path

from execute_chapters import ChapterFailed, default_jobs, execute_missing, is_cached  # noqa: E402
from execution_cache import drop_if_stale  # noqa: E402


@pytest.fixture(scope="module")
def runs(request):
    """Train the book's models (as the build does), then run the chapters this session selected
    that the cache lacks, all at once; returns (the chapters cached before, the failures)."""
    from mlebook import zoo

    drop_if_stale(CACHE)
    zoo.trained_all(progress=True, jobs=default_jobs())
    selected = [item.callspec.params["path"] for item in request.session.items
                if item.originalname == "test_chapter_executes"]
    before = {path for path in selected if is_cached(path, CACHE)}
    try:
        execute_missing(selected, default_jobs(), CACHE)
    except ChapterFailed as error:
        return before, error.failures
    return before, {}


@pytest.mark.notebook
@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_executes(path, runs):
    before, failures = runs
    if path in failures:
        pytest.fail(failures[path], pytrace=False)
    if path in before:
        pytest.skip("executed successfully before, with this very code (execution cache hit)")
    assert is_cached(path, CACHE), f"{path.name} ran but is not in the execution cache"
