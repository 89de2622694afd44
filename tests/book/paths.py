"""Where the book's sources, execution cache and built HTML live."""

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from execute_chapters import chapters, toc_files  # noqa: E402,F401  (the build's own list)

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
CACHE = ROOT / CONFIG["execute"]["cache"]
HTML = ROOT / "_build" / "html"
CHAPTERS = chapters()
