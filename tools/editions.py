"""Sphinx extension: the book's two editions (English at the site's root, Chinese in ``zh_CN/``).

``tools/build_book.py`` builds the same sources twice, with ``language`` en and zh_CN; the Chinese
build reads its translations from ``locales/zh_CN/LC_MESSAGES/book/*.po`` (gettext, kept with
sphinx-intl; Sphinx compiles the .mo files). This extension adds what the two editions need:

- **a language switch** in every page's header, a plain relative link to the same page of the
  other edition (``book/x.html`` <-> ``zh_CN/book/x.html``), so it works from the disk and over
  http. The Chinese edition lives in the folder ``EDITIONS["zh_CN"]`` below the English one;
- **the edition's PDF** in the page's download menu, when the build makes PDFs
  (``mlebook_pdf``: the PDF's file name at the edition's root, "" for none);
- **a catalog entry that would break the page fails the build**: before reading, every used
  (translated, not fuzzy) entry must keep its source's maths, roles, links and code
  (``tools/catalog_check.py``); each one that does not is a warning naming the file and line,
  which ``-W`` makes an error. (A dropped backtick would otherwise just print as text.)
  Untranslated entries show the English and are left to the catalog test;
- **glue in translated messages**: Sphinx parses each translated message as a document of its
  own, and myst-nb's ``{glue:text}`` / ``{glue:md}`` roles look up the notebook's outputs through
  that document (``document["nb_renderer"]``), which only the page's own document has. The
  notebook renderer of the page being read is kept in ``env.temp_data`` (cleared after each
  page), where a glue role of a translated message finds it.

The theme's own words (buttons, "Contents", search) come from its zh_CN catalog once
``language`` is zh_CN, and Sphinx writes ``<html lang="zh-CN">``, which the explorers read.
"""

from __future__ import annotations

from pathlib import Path

import catalog_check
import myst_nb.ext.glue.directives as glue_directives
import myst_nb.ext.glue.roles as glue_roles
import myst_nb.sphinx_ as nb_sphinx
from babel.messages.pofile import read_po
from sphinx import addnodes
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
SWITCH_TEMPLATE = "mlebook-language-switch.html"
# Each edition's folder, relative to the site's root (the English edition).
EDITIONS = {"en": "", "zh_CN": "zh_CN"}
WORDS = {
    "en": {"name": "English", "switch": "Read this page in English", "pdf": "the whole book (PDF)",
           "pdf_tip": "Download the book as one PDF", "search": "Search this book...",
           "title": "Maximum Likelihood Learning"},
    "zh_CN": {"name": "中文", "switch": "阅读本页的中文版", "pdf": "全书 (PDF)", "pdf_tip": "下载全书 PDF",
              "search": "搜索本书……", "title": "最大似然学习"},
}
# The part captions of _toc.yml: the table of contents is not a page, so gettext never sees them.
CAPTIONS = {"zh_CN": {"The lecture": "讲义", "The models": "模型", "Appendix": "附录"}}
RENDERER = "mlebook_nb_renderer"


def edition_of(language: str | None) -> str:
    """The edition a build's ``language`` makes: "en" or "zh_CN" (an unknown language is an error)."""
    language = (language or "en").replace("-", "_")
    if language not in EDITIONS:
        raise ValueError(f"the book has editions {', '.join(EDITIONS)}, not language {language!r}")
    return language


def switch_url(pagename: str, edition: str, other: str) -> str:
    """The relative link from page ``pagename`` of ``edition`` to the same page of ``other``."""
    up_to_site = "../" * pagename.count("/") + ("../" if EDITIONS[edition] else "")
    folder = f"{EDITIONS[other]}/" if EDITIONS[other] else ""
    return f"{up_to_site}{folder}{pagename}.html"


def add_switch_template(app, config) -> None:
    """Let Sphinx find the switch's template; check the build's language; the book's title in it
    (the sidebar shows ``html_title``)."""
    edition = edition_of(config.language)
    config.templates_path = [*config.templates_path, str(TEMPLATES)]
    if edition != "en":
        config.html_title = WORDS[edition]["title"]


def translate_captions(app, doctree) -> None:
    """The table of contents' part captions in the edition's language (their toctrees are made
    from _toc.yml by sphinx-external-toc, before this event)."""
    captions = CAPTIONS.get(edition_of(app.config.language), {})
    for toctree in doctree.findall(addnodes.toctree):
        if toctree.get("caption") in captions:
            toctree["caption"] = captions[toctree["caption"]]


def place_switch(app, pagename, templatename, context, doctree) -> None:
    """The switch's link, and its template before the theme's header buttons (before the theme
    renders each template once to drop the empty ones)."""
    edition = edition_of(app.config.language)
    # Jupyter Book's search field text, which the theme's catalog does not translate.
    context["theme_search_bar_text"] = WORDS[edition]["search"]
    context["mlebook_switch"] = None
    if app.builder.name != "html":
        return
    other = next(name for name in EDITIONS if name != edition)
    context["mlebook_switch"] = {
        "url": switch_url(pagename, edition, other),
        "hreflang": other.replace("_", "-"),
        "text": WORDS[other]["name"],
        "title": WORDS[other]["switch"],
    }
    end = context.get("theme_article_header_end") or "article-header-buttons.html"
    end = [name.strip() for name in end.split(",")] if isinstance(end, str) else list(end)
    if SWITCH_TEMPLATE not in end:
        context["theme_article_header_end"] = [SWITCH_TEMPLATE, *end]


def html_nodes_in_single_page(app) -> None:
    """The single-page build (the PDFs' source) writes HTML like the html builder, but Sphinx
    gives it only the node handlers registered for "singlehtml" once any extension registers one
    there; sphinx-proof registers its nodes for "html" only. Each html handler is lent to it."""
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node, visitors in handlers.get("html", {}).items():
        single.setdefault(node, visitors)


def broken_entries(po_path: Path) -> list[str]:
    """The entries of one catalog that Sphinx will use and that drop or change a piece of their
    source's markup, as 'file:line: ...' lines."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in catalog:
        if not message.id or not str(message.string or "").strip() or message.fuzzy:
            continue
        if difference := catalog_check.markup_difference(str(message.id), str(message.string)):
            found.append(f"{po_path}:{message.lineno}: the translation of {str(message.id)[:60]!r} must keep its "
                         f"maths, roles, links and code: {difference} (python tools/catalog_check.py {po_path})")
    return found


def check_catalogs(app) -> None:
    """Warn (an error under -W) for every catalog entry that would break its page."""
    if edition_of(app.config.language) == "en":
        return
    for folder in app.config.locale_dirs:
        messages = Path(app.srcdir, folder, app.config.language, "LC_MESSAGES")
        for po_path in sorted(messages.rglob("*.po")):
            for line in broken_entries(po_path):
                LOGGER.warning(line, type="mlebook", subtype="catalog")


def offer_pdf(app, pagename, templatename, context, doctree) -> None:
    """The edition's PDF in the page's download menu."""
    if not app.config.mlebook_pdf:
        return
    edition = edition_of(app.config.language)
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].append({
                "type": "link",
                "url": context["pathto"](app.config.mlebook_pdf, 1),
                "text": WORDS[edition]["pdf"],
                "tooltip": WORDS[edition]["pdf_tip"],
                "icon": "fas fa-book",
                "label": "download-book-pdf-button",
            })


def keep_renderer_for_translations(load_renderer):
    """Wrap myst-nb's renderer factory: each notebook renderer it makes is also kept in the
    reading page's ``env.temp_data`` (see the module's docstring)."""

    def load(name):
        make = load_renderer(name)

        def made(*args, **kwargs):
            element = make(*args, **kwargs)
            document = element.renderer.md.options["document"]
            document.settings.env.temp_data[RENDERER] = element
            return element

        return made

    return load


def glue_lookup(retrieve):
    """Wrap myst-nb's glue lookup: a translated message's document borrows its page's renderer."""

    def lookup(document, key):
        env = getattr(document.settings, "env", None)
        if "nb_renderer" in document or env is None or RENDERER not in env.temp_data:
            return retrieve(document, key)
        # Only for the lookup: the message's nodes join the page's doctree, which is pickled.
        document["nb_renderer"] = env.temp_data[RENDERER]
        try:
            return retrieve(document, key)
        finally:
            del document["nb_renderer"]

    return lookup


def setup(app):
    app.add_config_value("mlebook_pdf", "", "html", types=[str])
    app.connect("config-inited", add_switch_template)
    app.connect("builder-inited", check_catalogs)
    app.connect("doctree-read", translate_captions)
    app.connect("builder-inited", html_nodes_in_single_page)
    # Before pydata-sphinx-theme turns the template lists into HTML (priority 500).
    app.connect("html-page-context", place_switch, priority=450)
    # After the theme has made its header buttons (priority 501).
    app.connect("html-page-context", offer_pdf, priority=502)
    if not getattr(nb_sphinx.load_renderer, "mlebook_wrapped", False):
        nb_sphinx.load_renderer = keep_renderer_for_translations(nb_sphinx.load_renderer)
        nb_sphinx.load_renderer.mlebook_wrapped = True
        glue_roles.retrieve_glue_data = glue_lookup(glue_roles.retrieve_glue_data)
        glue_directives.retrieve_glue_data = glue_lookup(glue_directives.retrieve_glue_data)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
