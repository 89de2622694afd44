"""Build the HTML book: train the book's models, install the offline JavaScript, then run
Jupyter Book with warnings as errors.

Usage: ``python tools/build_book.py [--cdn] [--clean]``

1. The book's trained models (``mlebook.zoo``) are trained first, once, with a progress bar per
   model; later builds say they come from the cache. The chapters then only load them.
2. The book serves MathJax itself, so its pages work without a network. It comes from the npm
   registry (``tools/site_assets.py``: npm runs only when ``package-lock.json`` changed) and is
   copied into ``_build/site-assets/vendor``, which ``_config.yml`` hands to Sphinx
   (``html_extra_path``) and points MathJax at. If npm is missing or fails the build says so
   and stops; ``--cdn`` builds a book that loads MathJax from its CDN instead (math then
   renders only with a network).
3. ``jupyter-book build . -W -n --keep-going``: every chapter executes (results cached in
   ``_build/.jupyter_cache``, shared with the notebook tests, and dropped when the package's code
   changes: ``tools/execution_cache.py``), any warning fails the build.
4. Each chapter's executed notebook is offered in its page's download menu
   (``tools/ipynb_download.py``), and every explorer is live in the pages: each page loads the
   explorers' ES modules from the site itself (``tools/explorers_static.py``), and the model
   playground the trained models' weights, exported from the zoo into the site at the end of the
   build (``mlebook.explorers.playground.write_site_data``; never committed).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

import site_assets
from execution_cache import drop_if_stale

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
VENDOR = BUILD / "site-assets" / "vendor"

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


def build(use_cdn: bool = False, clean: bool = False) -> int:
    if clean and (BUILD / "html").exists():
        shutil.rmtree(BUILD / "html")
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    if drop_if_stale(ROOT / config["execute"]["cache"]):
        print("build_book: mlebook changed since the chapters last ran; they run again", flush=True)
    if not use_cdn:
        try:
            install_assets()
        except site_assets.AssetsUnavailable as error:
            print(f"build_book: {error}", file=sys.stderr)
            return 1
    if train_models() != 0:
        print("build_book: training the book's models failed", file=sys.stderr)
        return 1
    jupyter_book = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()"]
    command = [*jupyter_book, "build", str(ROOT), "-W", "-n", "--keep-going"]
    if use_cdn:
        command += ["--config", str(cdn_config())]
    print("build_book:", " ".join(command), flush=True)
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode == 0:
        print(f"build_book: the book is in {BUILD / 'html' / 'index.html'}")
    return result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cdn", action="store_true", help="load MathJax from a CDN")
    parser.add_argument("--clean", action="store_true", help="remove the previous HTML first (keeps the execution cache)")
    args = parser.parse_args(argv)
    return build(use_cdn=args.cdn, clean=args.clean)


if __name__ == "__main__":
    sys.exit(main())
