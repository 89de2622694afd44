"""Sphinx extension: every explorer of the book live in the static HTML, with no kernel and no network.

The chapters' explorers display, in the HTML book, as a ``text/html`` placeholder that holds
their state (``mlebook.explorers.base``). This extension brings the code that brings them to life:

- it copies ``mlebook/explorers/js`` (one ES module per explorer, ``lib/``, ``loader.js``,
  ``explorers.css``) into the site as ``_static/mlebook-explorers/``, and beside each module
  ``NAME.bundle.js``: a classic script that hands ``loader.js`` the module with its imports
  inlined (``mlebook.explorers.esm``, the text Jupyter gets as ``_esm``), for pages opened
  from the disk, where browsers refuse to import module files;
- it adds ``loader.js`` (deferred) and ``explorers.css`` to every page;
- it exports the book's trained models for the model playground into ``mlebook-explorers/data/``
  (``mlebook.explorers.playground.write_site_data``: a JSON manifest, the float32 weights, and
  the same bytes as a classic script for pages opened from the disk), from the zoo's cache.

It also tidies each page's scripts:

- an inline script registered after the builder started (sphinx-thebe's and
  sphinx-togglebutton's configuration) is listed twice by Sphinx 7, once as filename ``None``
  and once as ``""``; the second ``const THEBE_JS_URL`` then fails with "Identifier
  'THEBE_JS_URL' has already been declared". Each script is kept once;
- myst-nb embeds the notebook's saved ipywidgets state (for the ipywidgets HTML manager, which
  the book no longer loads: it renders each explorer from its placeholder); it is dropped.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mlebook.explorers import playground
from mlebook.explorers.esm import data_url, inline_module

SOURCE = Path(__file__).resolve().parent.parent / "mlebook" / "explorers" / "js"
TARGET = "mlebook-explorers"
DATA = "data"  # the exported models, beside the modules (js/playground.js looks there)
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def write_site_folder(folder: Path) -> None:
    """``folder`` becomes a copy of the explorers' js folder plus a NAME.bundle.js per module."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(SOURCE, folder)
    for module in sorted(SOURCE.rglob("*.js")):
        if module.name == "loader.js":
            continue
        name = module.relative_to(SOURCE).with_suffix("").as_posix()
        call = f"mlebookExplorerModule({json.dumps(name)}, {json.dumps(data_url(inline_module(module)))});\n"
        (folder / f"{name}.bundle.js").write_text(call, encoding="utf-8")


def copy_explorers(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        folder = Path(app.outdir) / "_static" / TARGET
        write_site_folder(folder)
        sizes = playground.write_site_data(folder / DATA)
        print(f"explorers_static: model playground weights {sizes[playground.SITE_NAME + '.bin'] / 1e6:.1f} MB", flush=True)


def tidy_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        attributes = dict(script.attributes)
        if attributes.get("type") == WIDGET_STATE:
            continue
        key = (script.filename or "", script.priority, tuple(sorted(attributes.items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    scripts[:] = kept


def setup(app):
    app.add_js_file(f"{TARGET}/loader.js", loading_method="defer")
    app.add_css_file(f"{TARGET}/explorers.css")
    app.connect("build-finished", copy_explorers)
    # After myst-nb and the theme have added their page scripts (default priority 500).
    app.connect("html-page-context", tidy_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
