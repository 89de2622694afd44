"""Build the book's two editions (English, Chinese) and their PDFs: train the book's models,
install the offline JavaScript, then run Jupyter Book with warnings as errors.

Usage: ``python tools/build_book.py [--cdn] [--clean] [--no-pdf] [--only en|zh_CN] [--jobs N]``

Where things land (``_build/``):

- ``html/``: the English edition; ``html/zh_CN/``: the Chinese edition (a copy, hard-linked, of
  ``zh_CN/html/``, where Sphinx builds it with its own doctrees, so each edition rebuilds
  incrementally); every page links to its twin (``tools/editions.py``);
- ``html/maximum-likelihood-learning.pdf`` and ``html/zh_CN/maximum-likelihood-learning-zh_CN.pdf``:
  each edition as one PDF (``tools/book_pdf.py``: Chromium prints the edition's single-page
  build, ``singlehtml/`` and ``zh_CN/singlehtml/``), offered in every page's download menu.

1. The book's trained models (``mlebook.zoo``) are trained first, once, with a progress bar per
   model; later builds say they come from the cache. The chapters then only load them.
2. The book serves MathJax itself, so its pages work without a network. It comes from the npm
   registry (``tools/site_assets.py``: npm runs only when ``package-lock.json`` changed) and is
   copied into ``_build/site-assets/vendor``, which ``_config.yml`` hands to Sphinx
   (``html_extra_path``) and points MathJax at. If npm is missing or fails the build says so
   and stops; ``--cdn`` builds a book that loads MathJax from its CDN instead (math then
   renders only with a network).
3. The chapters the execution cache lacks run, ``--jobs`` at a time (default: one per core;
   ``tools/execute_chapters.py``), into ``_build/.jupyter_cache``, which the notebook tests
   share and which is dropped when the package's code changes (``tools/execution_cache.py``).
4. Jupyter Book (``-W -n --keep-going``) builds the English edition from that cache (any
   warning fails the build). The
   Chinese edition is the same build with ``language`` zh_CN: it reads the translations from
   ``locales/zh_CN/LC_MESSAGES`` (Sphinx compiles the .mo files, which git ignores) and takes
   every chapter's outputs from the same cache, so nothing executes twice.
5. Each chapter's executed notebook is offered in its page's download menu
   (``tools/ipynb_download.py``), and every explorer is live in the pages: each page loads the
   explorers' ES modules from the site itself (``tools/explorers_static.py``), and the model
   playground the trained models' weights, exported from the zoo into the site at the end of the
   build (``mlebook.explorers.playground.write_site_data``; never committed).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

import execute_chapters
import site_assets
from execution_cache import drop_if_stale, files_digest

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
VENDOR = BUILD / "site-assets" / "vendor"

LANGUAGES = ("en", "zh_CN")
TITLE = "maximum-likelihood-learning"


def pdf_name(language: str) -> str:
    """The file name of an edition's PDF, at the root of the edition's site."""
    return f"{TITLE}.pdf" if language == "en" else f"{TITLE}-{language}.pdf"


def output(language: str, builder: str) -> Path:
    """Where Sphinx writes one edition with one builder (myst-nb puts its executed notebooks in
    the folder beside it, ``jupyter_execute``, so each edition has a folder of its own)."""
    return BUILD / builder if language == "en" else BUILD / language / builder


def forget_read_pages() -> None:
    """Drop every edition's doctrees, so Sphinx reads every page again: it re-reads only sources
    that changed, and would keep the outputs of a chapter whose source is unchanged but whose
    results changed with the package."""
    for language in LANGUAGES:
        doctrees = output(language, "html").parent / ".doctrees"
        if doctrees.exists():
            shutil.rmtree(doctrees)


def extensions_changed() -> bool:
    """True if the book's Sphinx extensions and templates (``tools/``) differ from those of the
    last build, which Sphinx does not notice: it re-reads only changed sources. Records them."""
    stamp = BUILD / "tools-sources.sha256"
    current = files_digest([*(ROOT / "tools").glob("*.py"), *(ROOT / "tools" / "templates").rglob("*.html")], ROOT)
    changed = not stamp.exists() or stamp.read_text().strip() != current
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n")
    return changed


def site(language: str) -> Path:
    """The folder a reader opens: the English edition, the others inside it."""
    return BUILD / "html" if language == "en" else BUILD / "html" / language


CDN = {"mathjax_path": "https://cdn.jsdelivr.net/npm/mathjax@3.2.2/es5/tex-chtml-full.js"}


def install_assets() -> None:
    """Install the npm packages if their lock changed and copy what the pages load into VENDOR."""
    site_assets.install()
    site_assets.vendor(VENDOR)


def train_models() -> int:
    """Train (or load from the cache) every model the chapters use, before any chapter runs."""
    return subprocess.run([sys.executable, "-m", "mlebook", "zoo"], cwd=ROOT).returncode


def cdn_config() -> Path:
    """A copy of _config.yml that loads MathJax from its CDN; returns its path."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["sphinx"]["config"].update(CDN)
    config["sphinx"]["config"]["html_extra_path"] = []
    path = BUILD / "_config.cdn.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def run_sphinx(out: Path, builder: str, config: Path, overrides: dict, strict: bool = True,
               doctrees: Path | None = None, **run_options) -> subprocess.CompletedProcess:
    """Jupyter Book's Sphinx build of the book into ``out``, in a process of its own (docutils
    keeps global state), its doctrees in ``doctrees`` (default: ``.doctrees`` beside ``out``);
    ``strict``: warnings are errors (-W -n --keep-going), else quiet. ``run_options`` go to
    :func:`subprocess.run`."""
    doctrees = doctrees or out.parent / ".doctrees"
    overrides = {"external_toc_path": str(ROOT / "_toc.yml"), "latex_individualpages": False,
                 "nitpicky": strict, **overrides}
    code = (
        "import sys; from jupyter_book.sphinx import build_sphinx; "
        f"result = build_sphinx({str(ROOT)!r}, {str(out)!r}, noconfig=True, path_config={str(config)!r}, "
        f"doctreedir={str(doctrees)!r}, builder={builder!r}, confoverrides={overrides!r}, "
        f"warningiserror={strict}, keep_going={strict}, quiet={not strict}); "
        "sys.exit(result if isinstance(result, int) else 1)"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "tools")},
                          **run_options)


def sphinx(language: str, builder: str, config: Path, pdf: bool) -> int:
    """One edition with one builder, warnings as errors."""
    out = output(language, builder)
    print(f"build_book: {language} {builder} -> {out.relative_to(ROOT)}", flush=True)
    overrides = {"language": language, "mlebook_pdf": pdf_name(language) if pdf else ""}
    return run_sphinx(out, builder, config, overrides).returncode


def single_page(language: str) -> Path:
    """The single-page build's page, copied to the build's root: Sphinx writes it under the root
    document's name (``book/intro.html``) with links made for a page at the root."""
    folder = output(language, "singlehtml")
    root = yaml.safe_load((ROOT / "_toc.yml").read_text())["root"]
    page = folder / f"{TITLE}.html"
    shutil.copy2(folder / f"{root}.html", page)
    return page


def tree_digest(folder: Path) -> str:
    """SHA-256 over the names and contents of every file under ``folder`` (but the page
    :func:`single_page` copies, which repeats another one): what a PDF printed from it shows."""
    return files_digest([p for p in folder.rglob("*") if p.is_file() and p.name != f"{TITLE}.html"], folder)


def pdf_stamp(language: str) -> Path:
    """The digest of the single-page build that the edition's PDF was printed from."""
    return output(language, "singlehtml").parent / f"{pdf_name(language)}.source.sha256"


def mirror(source: Path, target: Path) -> None:
    """``target`` becomes a copy of ``source``, hard-linked where the disk allows (instant)."""
    if target.exists():
        shutil.rmtree(target)

    def link(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link)


def build(use_cdn: bool = False, clean: bool = False, pdf: bool = True, languages=LANGUAGES,
          jobs: int = execute_chapters.default_jobs()) -> int:
    if clean:
        for folder in {output(language, builder) for language in LANGUAGES for builder in ("html", "singlehtml")}:
            if folder.exists():
                shutil.rmtree(folder)
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    if drop_if_stale(ROOT / config["execute"]["cache"]):
        print("build_book: mlebook changed since the chapters last ran; they run again", flush=True)
        forget_read_pages()
    elif extensions_changed():
        print("build_book: the build's own extensions changed; every page is read again", flush=True)
        forget_read_pages()
    if not use_cdn:
        try:
            install_assets()
        except site_assets.AssetsUnavailable as error:
            print(f"build_book: {error}", file=sys.stderr)
            return 1
    if train_models() != 0:
        print("build_book: training the book's models failed", file=sys.stderr)
        return 1
    try:
        execute_chapters.execute_missing(execute_chapters.chapters(), jobs)
    except execute_chapters.ChapterFailed as error:
        print(f"build_book: {error}", file=sys.stderr)
        return 1
    config_path = cdn_config() if use_cdn else ROOT / "_config.yml"
    if pdf:
        import book_pdf  # playwright: only when PDFs are made

    timings = {}
    for language in languages:
        start = time.monotonic()
        if sphinx(language, "html", config_path, pdf) != 0:
            print(f"build_book: the {language} edition failed (see the warnings above)", file=sys.stderr)
            return 1
        if language != "en":
            mirror(output(language, "html"), site(language))
        timings[f"{language} html"] = time.monotonic() - start
        if pdf:
            start = time.monotonic()
            if sphinx(language, "singlehtml", config_path, pdf) != 0:
                print(f"build_book: the {language} single-page build failed", file=sys.stderr)
                return 1
            target = site(language) / pdf_name(language)
            digest, stamp = tree_digest(output(language, "singlehtml")), pdf_stamp(language)
            if target.exists() and stamp.exists() and stamp.read_text().strip() == digest:
                print(f"build_book: {target.name} is up to date (its single-page build did not change)", flush=True)
            else:
                book_pdf.print_pdf(single_page(language), target, language)
                stamp.write_text(digest + "\n")
            if language != "en":  # the mirror's source keeps it too, for the next mirror
                shutil.copy2(target, output(language, "html") / target.name)
            timings[f"{language} pdf"] = time.monotonic() - start
    print("build_book: " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items()))
    for language in languages:
        print(f"build_book: the {language} edition is in {site(language) / 'index.html'}"
              + (f", its PDF {site(language) / pdf_name(language)}" if pdf else ""))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cdn", action="store_true", help="load MathJax from a CDN")
    parser.add_argument("--clean", action="store_true", help="remove the previous HTML first (keeps the execution cache)")
    parser.add_argument("--no-pdf", action="store_true", help="build the HTML editions only")
    parser.add_argument("--only", choices=LANGUAGES, help="build one edition only")
    parser.add_argument("--jobs", type=int, default=execute_chapters.default_jobs(), help="chapters executed at once")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    return build(use_cdn=args.cdn, clean=args.clean, pdf=not args.no_pdf,
                 languages=[args.only] if args.only else LANGUAGES, jobs=args.jobs)


if __name__ == "__main__":
    sys.exit(main())
