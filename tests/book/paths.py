"""Where the book's sources, execution cache and built HTML live."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
CACHE = ROOT / CONFIG["execute"]["cache"]
HTML = ROOT / "_build" / "html"


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
        assert matches, f"_toc.yml names {name}, which has no .md or .ipynb file"
        files.append(matches[0])
    return files


def is_notebook(path: Path) -> bool:
    """True for .ipynb files and MyST Markdown files with a jupytext/kernelspec header."""
    if path.suffix == ".ipynb":
        return True
    head = path.read_text().split("\n---", 1)[0]
    return path.read_text().startswith("---") and "kernelspec" in head


CHAPTERS = [path for path in toc_files() if is_notebook(path)]
