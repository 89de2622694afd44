"""Sphinx extension: offer each executed chapter as an .ipynb in the page's download menu.

sphinx-book-theme lists an .ipynb download only when a notebook launch service (Binder, ...) is
configured. The book has none, so this copies the executed notebook that myst-nb wrote to
``_build/jupyter_execute`` into the site's ``_sources`` and tells the theme it is there.
"""

from pathlib import Path
from shutil import copy2


def offer_notebook(app, pagename, templatename, context, doctree):
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.exists():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app):
    # Before the theme builds its header buttons (priority 500).
    app.connect("html-page-context", offer_notebook, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
