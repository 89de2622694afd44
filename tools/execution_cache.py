"""Keep the chapters' execution cache honest: drop it when the package behind the chapters changes.

jupyter-cache reuses a chapter's outputs while the chapter's code cells are unchanged; it cannot
see that ``mlebook`` (which those cells call, and whose explorers' JavaScript their outputs hold)
changed underneath. So the cache folder holds a
digest of the package's sources and the pinned requirements, and a cache made from other sources
is removed before anything executes: the chapters then run again against the current code.
"""

import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIGEST_FILE = "mlebook-sources.sha256"


def files_digest(paths, root: Path) -> str:
    """SHA-256 over the given files' paths (relative to ``root``) and contents, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def sources_digest() -> str:
    """SHA-256 over the package's .py files, its explorers' .js and .css files (executed notebooks
    keep each explorer's inlined module, ``_esm``, in their saved widget state) and
    requirements.txt, names and contents."""
    package = ROOT / "mlebook"
    sources = [*package.rglob("*.py"), *package.rglob("*.js"), *package.rglob("*.css"), ROOT / "requirements.txt"]
    return files_digest(sources, ROOT)


def drop_if_stale(cache: Path) -> bool:
    """Remove ``cache`` if it was filled from other sources; mark it with the current digest.

    Returns True if a stale cache was removed.
    """
    current = sources_digest()
    marker = cache / DIGEST_FILE
    stale = cache.exists() and (not marker.exists() or marker.read_text().strip() != current)
    if stale:
        shutil.rmtree(cache)
    cache.mkdir(parents=True, exist_ok=True)
    marker.write_text(current + "\n")
    return stale
