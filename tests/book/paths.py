"""Where the book's sources, execution cache and built HTML live."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from execute_chapters import CACHE, chapters, toc_files  # noqa: E402,F401  (the build's own list and cache)

HTML = ROOT / "_build" / "html"
CHAPTERS = chapters()
