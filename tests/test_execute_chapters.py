"""tools/execute_chapters.py: chapters run in parallel into the execution cache, failures named."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import execute_chapters  # noqa: E402

HEADER = """---
jupytext:
  text_representation: {extension: .md, format_name: myst, format_version: 0.13}
kernelspec: {display_name: Python 3, language: python, name: python3}
---

# A page
"""


def chapter(folder: Path, name: str, code: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(HEADER + f"\n```{{code-cell}} ipython3\n{code}\n```\n")
    return path


@pytest.mark.slow
def test_missing_chapters_run_in_parallel_into_the_cache_and_then_come_from_it(tmp_path, capsys):
    cache = tmp_path / "cache"
    pages = [chapter(tmp_path, f"page{k}", f"print({k} * 7)") for k in range(3)]
    assert not any(execute_chapters.is_cached(page, cache) for page in pages)
    ran = execute_chapters.execute_missing(pages, jobs=2, cache_folder=cache)
    assert sorted(ran) == sorted(pages)
    assert all(execute_chapters.is_cached(page, cache) for page in pages)
    assert execute_chapters.execute_missing(pages, jobs=2, cache_folder=cache) == []
    assert "come from the execution cache" in capsys.readouterr().out
    chapter(tmp_path, "page1", "print('changed')")  # new code: a cache miss again
    assert execute_chapters.execute_missing(pages, jobs=2, cache_folder=cache) == [pages[1]]


@pytest.mark.slow
def test_a_failing_chapter_is_named_with_its_error_and_the_others_still_run(tmp_path):
    broken = chapter(tmp_path, "broken", "raise ValueError('no such digit')")
    fine = chapter(tmp_path, "fine", "print('ok')")
    with pytest.raises(execute_chapters.ChapterFailed, match=r"broken\.md failed:(.|\n)*no such digit") as raised:
        execute_chapters.execute_missing([broken, fine], jobs=2, cache_folder=tmp_path / "cache")
    assert list(raised.value.failures) == [broken]
    assert not execute_chapters.is_cached(broken, tmp_path / "cache")
    assert execute_chapters.is_cached(fine, tmp_path / "cache")


def test_the_chapters_are_the_executable_pages_of_the_toc_in_order():
    pages = execute_chapters.toc_files()
    runs = execute_chapters.chapters()
    assert runs == [page for page in pages if page in runs]
    assert all(execute_chapters.is_notebook(page) for page in runs)
    assert not execute_chapters.is_notebook(next(page for page in pages if page.stem == "glossary"))
