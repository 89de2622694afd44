"""Execute the book's chapters into the execution cache, several at a time, before Sphinx reads them.

Sphinx (myst-nb, ``execute_notebooks: cache``) executes the chapters one after the other while
it reads them. Each chapter is a single-threaded Python program most of the time, so on a
machine with two cores half of it idles. This module runs the chapters that the cache lacks in
parallel, ``jobs`` kernels at once, and stores each result in the same jupyter-cache that the
build and the notebook tests use; Sphinx then finds every chapter there and executes nothing.

A chapter is read exactly as myst-nb reads it (its MyST reader), so the cache's key, a hash of
the code cells, is the one the build looks up. Only the parent process writes to the cache.

Usage: ``python tools/execute_chapters.py [--jobs N]`` (default: the number of cores, at most
4); ``tools/build_book.py`` calls :func:`execute_missing` and so does ``tests/book/test_chapters.py``
for the chapters a test run selects.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat
import yaml
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution
from myst_nb.core.read import read_myst_markdown_notebook

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
CACHE = ROOT / CONFIG["execute"]["cache"]
TIMEOUT = CONFIG["execute"]["timeout"]


def toc_files() -> list[Path]:
    """The source file of every page in _toc.yml, in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    names = [toc["root"]]
    for part in toc.get("parts", []):
        names += [chapter["file"] for chapter in part["chapters"]]
    names += [chapter["file"] for chapter in toc.get("chapters", [])]
    files = []
    for name in names:
        matches = [ROOT / f"{name}{suffix}" for suffix in (".md", ".ipynb") if (ROOT / f"{name}{suffix}").exists()]
        if not matches:
            raise FileNotFoundError(f"_toc.yml names {name}, which has no .md or .ipynb file")
        files.append(matches[0])
    return files


def is_notebook(path: Path) -> bool:
    """True for .ipynb files and MyST Markdown files with a jupytext/kernelspec header."""
    if path.suffix == ".ipynb":
        return True
    text = path.read_text()
    return text.startswith("---") and "kernelspec" in text.split("\n---", 1)[0]


def chapters() -> list[Path]:
    """The pages of the book that execute, in reading order."""
    return [path for path in toc_files() if is_notebook(path)]


class ChapterFailed(RuntimeError):
    """Chapters raised while they ran: ``failures`` maps each to its message and traceback."""

    def __init__(self, failures: dict[Path, str]):
        super().__init__(failures)  # the only argument, so that the error pickles back from a worker
        self.failures = failures

    def __str__(self) -> str:
        return "\n\n".join(self.failures.values())


def read_chapter(path: Path) -> nbformat.NotebookNode:
    """The chapter as the book build reads it: an .ipynb as is, MyST Markdown through myst-nb."""
    if path.suffix == ".ipynb":
        return nbformat.read(path, as_version=4)
    return read_myst_markdown_notebook(path.read_text(), path=path)


def is_cached(path: Path, cache_folder: Path = CACHE) -> bool:
    """True if the cache holds a successful run of this chapter's current code cells."""
    try:
        get_cache(cache_folder).match_cache_notebook(read_chapter(path))
        return True
    except KeyError:
        return False


def execute(path: Path) -> tuple[nbformat.NotebookNode, float]:
    """Run the chapter top to bottom in its own folder; returns the executed notebook and the
    seconds it took, or raises :class:`ChapterFailed` with the chapter's traceback."""
    notebook = read_chapter(path)
    result = single_nb_execution(notebook, cwd=str(path.parent), timeout=TIMEOUT, allow_errors=False)
    if result.err is not None:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        raise ChapterFailed({path: f"{shown} failed:\n{result.exc_string}"})
    return notebook, result.time


def store(path: Path, notebook: nbformat.NotebookNode, seconds: float, cache_folder: Path = CACHE) -> None:
    """Put one executed chapter into the execution cache."""
    get_cache(cache_folder).cache_notebook_bundle(
        CacheBundleIn(notebook, str(path), data={"execution_seconds": seconds}), check_validity=False, overwrite=True
    )


def execute_missing(paths: list[Path], jobs: int, cache_folder: Path = CACHE) -> list[Path]:
    """Execute, ``jobs`` at a time, every chapter of ``paths`` the cache lacks, storing each as
    it finishes; returns the chapters run. If any fail, the others still run and are stored,
    then :class:`ChapterFailed` names every one that failed."""
    missing = [path for path in paths if not is_cached(path, cache_folder)]
    if not missing:
        print(f"execute_chapters: all {len(paths)} chapters come from the execution cache", flush=True)
        return []
    print(f"execute_chapters: running {len(missing)} of {len(paths)} chapters, {jobs} at a time", flush=True)
    start, failures = time.monotonic(), {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(execute, path): path for path in missing}
        for done, future in enumerate(as_completed(futures), start=1):
            path = futures[future]
            try:
                notebook, seconds = future.result()
            except ChapterFailed as error:
                failures.update(error.failures)
                print(f"execute_chapters: [{done}/{len(missing)}] {path.stem} FAILED", flush=True)
                continue
            store(path, notebook, seconds, cache_folder)
            print(f"execute_chapters: [{done}/{len(missing)}] {path.stem} ran in {seconds:.0f} s", flush=True)
    print(f"execute_chapters: {len(missing)} chapters in {time.monotonic() - start:.0f} s", flush=True)
    if failures:
        raise ChapterFailed(failures)
    return missing


def default_jobs() -> int:
    """One kernel per core, at most 4 (each chapter holds its models and data in memory)."""
    return max(1, min(4, os.cpu_count() or 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="chapters run at once")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    try:
        execute_missing(chapters(), args.jobs)
    except ChapterFailed as error:
        print(f"execute_chapters: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
