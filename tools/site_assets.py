"""The JavaScript the built book serves itself, so that its pages work without a network.

The packages come from the npm registry (``package.json``, pinned by ``package-lock.json``):

- :func:`install` runs ``npm ci`` only when the lock changed since the last install (a stamp
  file in ``node_modules`` holds the lock's SHA-256), so a rebuild costs nothing;
- :func:`vendor` copies the files the pages load into a folder of the site.

Both raise :class:`AssetsUnavailable`, with what to do, when npm is missing or fails.
``python tools/site_assets.py`` installs (``tools/install.sh`` calls it).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "package-lock.json"
STAMP = ROOT / "node_modules" / ".mlebook-lock.sha256"
# npm package -> (path inside the package, name under the vendor folder)
ASSETS = {
    "mathjax": ("es5", "mathjax/es5"),
}


class AssetsUnavailable(RuntimeError):
    """npm is missing or could not install the book's JavaScript."""


def _lock_digest() -> str:
    return hashlib.sha256(LOCK.read_bytes()).hexdigest()


def is_installed() -> bool:
    """True when node_modules was installed from the current package-lock.json."""
    return STAMP.exists() and STAMP.read_text().strip() == _lock_digest() and all(
        (ROOT / "node_modules" / package / inside).exists() for package, (inside, _) in ASSETS.items()
    )


def install() -> bool:
    """Run ``npm ci`` if the lock changed since the last install; returns True if npm ran."""
    if is_installed():
        return False
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsUnavailable(
            "node/npm not found, so MathJax cannot be installed for an offline book. Install Node.js "
            "and npm (tools/install.sh does on Debian/Ubuntu), or build with --cdn for a book that "
            "loads its scripts from CDNs (math then renders only with a network)."
        )
    command = [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssetsUnavailable(f"`{' '.join(command)}` failed (use --cdn to build without it):\n{result.stderr[-2000:]}")
    STAMP.write_text(_lock_digest() + "\n")
    return True


def vendor(destination: Path) -> None:
    """Copy the files the pages load (``ASSETS``) into ``destination``, replacing what was there."""
    if destination.exists():
        shutil.rmtree(destination)
    for package, (inside, target) in ASSETS.items():
        source, copy = ROOT / "node_modules" / package / inside, destination / target
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, copy)
        else:
            shutil.copy2(source, copy)


if __name__ == "__main__":
    try:
        ran = install()
    except AssetsUnavailable as error:
        print(f"site_assets: {error}", file=sys.stderr)
        sys.exit(1)
    print("site_assets: npm packages installed" if ran else "site_assets: npm packages up to date (lock unchanged)")
