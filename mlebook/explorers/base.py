"""The base class of every explorer: an anywidget whose traitlets are the explorer's state.

An explorer is one ES module ``js/NAME.js`` (its maths and its ``render``) and a subclass of
:class:`Explorer` that names it (``module = "NAME"``) and declares the state as traitlets
tagged ``sync=True``. The same module runs in two homes:

- **Jupyter**: anywidget imports ``_esm``, the module with its relative imports inlined
  (:func:`mlebook.explorers.esm.inline_module`), and syncs the traitlets with the page;
- **the static HTML book**: ``_repr_mimebundle_`` adds a ``text/html`` placeholder,
  ``<div class="mlebook-explorer" data-explorer="NAME" data-state="{json}">``, holding the
  state; the book renders that instead of the widget view (``_config.yml``), and the loader
  every page loads (``js/loader.js``) imports ``NAME.js`` and renders it with an in-page model.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import ClassVar

import anywidget
import traitlets

from .esm import inline_module

JS = Path(__file__).resolve().parent / "js"
CSS = JS / "explorers.css"
FALLBACK = "An interactive explorer; it needs JavaScript (the HTML book or Jupyter) to run."


def languages() -> tuple[str, ...]:
    """The languages the explorers speak: the tables of ``js/lib/strings.js`` ("en", "zh_CN", ...)."""
    text = (JS / "lib" / "strings.js").read_text(encoding="utf-8")
    return tuple(re.findall(r"^  (\w+): \{$", text, flags=re.MULTILINE))


class Explorer(anywidget.AnyWidget):
    """An explorer: ``module`` names its ES module in ``js/``; its synced traitlets are its state.

    ``lang`` picks the language of its labels: "" (the default) follows the page's
    ``<html lang>`` (the book's editions set it), else one of :func:`languages`, e.g.
    ``KLExplorer(lang="zh_CN")`` in a notebook whose page is English ("zh-CN" is the same).
    """

    module: ClassVar[str]
    lang = traitlets.Unicode("").tag(sync=True)

    @traitlets.validate("lang")
    def _known_language(self, proposal):
        lang = proposal["value"].strip().replace("-", "_")
        if lang and lang not in languages():
            raise ValueError(f"lang must be '' (the page's language) or one of {', '.join(languages())}, got {proposal['value']!r}")
        return lang

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "module" in cls.__dict__:
            cls._esm = inline_module(JS / f"{cls.module}.js")
            cls._css = CSS.read_text(encoding="utf-8")

    def state(self) -> dict:
        """The explorer's own synced traitlets (not anywidget's or ipywidgets' plumbing)."""
        plumbing = set(anywidget.AnyWidget.class_trait_names())
        return {
            name: getattr(self, name)
            for name in sorted(self.trait_names(sync=lambda tagged: tagged))
            if name not in plumbing and not name.startswith("_")
        }

    def static_state(self) -> dict:
        """The state the static book's page gets: :meth:`state`, unless an explorer needs another."""
        return self.state()

    def placeholder_html(self) -> str:
        """The element that the static book's loader turns into this explorer."""
        state = json.dumps(self.static_state(), allow_nan=False, separators=(",", ":"))
        return (f'<div class="mlebook-explorer" data-explorer="{self.module}" data-state="{html.escape(state)}">'
                f'<p class="mlebook-fallback">{FALLBACK}</p></div>')

    def _repr_mimebundle_(self, **kwargs):
        data, metadata = super()._repr_mimebundle_(**kwargs)
        data["text/html"] = self.placeholder_html()
        return data, metadata
