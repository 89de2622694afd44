"""Build the HTML book: install the offline JavaScript, then run Jupyter Book with warnings as errors.

Usage: ``python tools/build_book.py [--cdn] [--clean]``

1. The book serves MathJax, RequireJS and the ipywidgets HTML manager itself, so its pages work
   without a network. They come from the npm registry (``package.json``); this script installs
   them with npm and copies the files the pages load into ``_build/site-assets/vendor``, which
   ``_config.yml`` hands to Sphinx (``html_extra_path``) and points MathJax and the widget manager at.
2. Without node/npm (or with ``--cdn``) it says so and builds a book that loads those scripts from
   their CDNs instead: it needs a network to render math, but the build does not fail.
3. ``jupyter-book build . -W -n --keep-going``: every chapter executes (results cached in
   ``_build/.jupyter_cache``, shared with the notebook tests, and dropped when the package's code
   changes: ``tools/execution_cache.py``), any warning fails the build.
4. Each chapter's executed notebook is offered in its page's download menu
   (``tools/ipynb_download.py``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from execution_cache import drop_if_stale

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
VENDOR = BUILD / "site-assets" / "vendor"

# npm package -> (path inside the package, name under vendor/)
ASSETS = {
    "mathjax": ("es5", "mathjax/es5"),
    "requirejs": ("require.js", "requirejs/require.js"),
    "@jupyter-widgets/html-manager": ("dist", "html-manager"),
}
# Loaded before RequireJS on pages with widgets. (1) RequireJS reads `require` when it loads: the
# widget manager finds its fonts next to its own module URL, so that URL must be the copy on this
# site. (2) The widget manager typesets labels with the MathJax 2 call MathJax.Hub.Queue; the book
# loads MathJax 3, so give it that one call, mapped onto MathJax 3's typesetPromise.
WIDGET_SETUP = """// Written by tools/build_book.py: set up the ipywidgets HTML manager for this site.
var require = {
  paths: {"@jupyter-widgets/html-manager/dist": new URL("html-manager", document.currentScript.src).href}
};
document.addEventListener("DOMContentLoaded", function () {
  var mathjax = window.MathJax;
  if (!mathjax || mathjax.Hub || !mathjax.startup) return;
  mathjax.Hub = {
    Queue: function (job) {
      mathjax.startup.promise = mathjax.startup.promise.then(function () {
        return mathjax.typesetPromise(job && job[2] ? [job[2]] : undefined);
      });
    }
  };
});
"""
CDN = {
    "mathjax_path": "https://cdn.jsdelivr.net/npm/mathjax@3.2.2/es5/tex-chtml-full.js",
    "nb_ipywidgets_js": {
        "https://cdn.jsdelivr.net/npm/requirejs@2.3.8/require.js": {},
        "https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@1.0.15/dist/embed-amd.js": {
            "data-jupyter-widgets-cdn": "https://cdn.jsdelivr.net/npm/",
        },
    },
}


def install_assets() -> bool:
    """Install the npm packages and copy what the pages load into VENDOR; False if npm is missing."""
    npm = shutil.which("npm")
    if npm is None:
        print(
            "build_book: node/npm not found, so MathJax and the widget manager cannot be installed "
            "locally. Building a book that loads them from CDNs (math renders only with a network). "
            "Install Node.js and npm for a book that works offline.",
            file=sys.stderr,
        )
        return False
    command = [npm, "ci" if (ROOT / "package-lock.json").exists() else "install", "--no-audit", "--no-fund"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        print(
            f"build_book: `{' '.join(command)}` failed, falling back to CDNs:\n{result.stderr[-2000:]}",
            file=sys.stderr,
        )
        return False
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    for package, (inside, target) in ASSETS.items():
        source, destination = ROOT / "node_modules" / package / inside, VENDOR / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination)
        else:
            shutil.copy2(source, destination)
    (VENDOR / "widget-setup.js").write_text(WIDGET_SETUP)
    return True


def cdn_config() -> Path:
    """A copy of _config.yml that loads the scripts from CDNs; returns its path."""
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
    offline = not use_cdn and install_assets()
    jupyter_book = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()"]
    command = [*jupyter_book, "build", str(ROOT), "-W", "-n", "--keep-going"]
    if not offline:
        command += ["--config", str(cdn_config())]
    print("build_book:", " ".join(command), flush=True)
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode == 0:
        print(f"build_book: the book is in {BUILD / 'html' / 'index.html'}")
    return result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cdn", action="store_true", help="load MathJax and the widget manager from CDNs")
    parser.add_argument("--clean", action="store_true", help="remove the previous HTML first (keeps the execution cache)")
    args = parser.parse_args(argv)
    return build(use_cdn=args.cdn, clean=args.clean)


if __name__ == "__main__":
    sys.exit(main())
