"""One ES module file with its relative imports inlined: what anywidget's ``_esm`` needs.

anywidget imports a widget's ``_esm`` text from a Blob URL, which has no folder, so a relative
import such as ``from "./lib/dom.js"`` cannot be resolved there. :func:`inline_module` rewrites
every relative module specifier (``import ... from "./x.js"``, ``export ... from "../x.js"``,
``import "./x.js"``) into a ``data:text/javascript;base64,...`` URL whose content is the imported
file, itself inlined the same way, recursively. A data: URL needs no base, so the result runs
from a Blob URL, a data: URL or a file alike.

The same file always becomes the same URL, so a module that two others import is still one
module instance (the browser keys modules by URL). An import cycle cannot be written as nested
URLs and raises ``ValueError``, as does an import of a file that does not exist.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

# from "./x.js" | import "./x.js" (a side-effect import); dynamic import() is not rewritten.
_RELATIVE_SPECIFIER = re.compile(r"""(\bfrom\s*|\bimport\s*)(["'])(\.{1,2}/[^"'\n]+)\2""")


def data_url(source: str) -> str:
    """``source`` as a ``data:text/javascript;base64,...`` URL."""
    return "data:text/javascript;base64," + base64.b64encode(source.encode("utf-8")).decode("ascii")


def inline_module(path: str | Path) -> str:
    """The text of the ES module at ``path`` with every relative import inlined as a data: URL."""
    return _inline(Path(path).resolve(), ())


def _inline(path: Path, importers: tuple[Path, ...]) -> str:
    if path in importers:
        chain = " -> ".join(p.name for p in (*importers, path))
        raise ValueError(f"import cycle between ES modules, which cannot be inlined: {chain}")
    if not path.is_file():
        importer = f" (imported by {importers[-1]})" if importers else ""
        raise ValueError(f"ES module {path} does not exist{importer}")
    source = path.read_text(encoding="utf-8")

    def replace(match: re.Match) -> str:
        keyword, quote, specifier = match.groups()
        inlined = _inline((path.parent / specifier).resolve(), (*importers, path))
        return f"{keyword}{quote}{data_url(inlined)}{quote}"

    return _RELATIVE_SPECIFIER.sub(replace, source)
