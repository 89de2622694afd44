"""Words that a computed result chooses, glued once in English and once in Chinese.

The book states a comparison only as the computed result decides it: a cell picks the phrase
("orders the models exactly as ..." or "... except for ...") and glues it, and the prose shows
it with ``{glue:text}`NAME``` or ``{glue:md}`NAME```. The Chinese edition is built from the
same executed notebooks, with gettext catalogs that translate the prose *around* a glued value
but never the value itself, so an English phrase would appear inside a Chinese sentence.

Hence :func:`glue_text` glues the phrase twice, chosen by the same condition: ``NAME`` (English)
and ``NAME_zh`` (Chinese), and a catalog's translation uses ``NAME_zh`` where the source uses
``NAME`` (``tools/catalog_check.py`` accepts the one for the other). The Chinese names of the
book's models and of the training loop's stopping reasons, which such phrases contain, are
:data:`MODEL_NAMES_ZH` and :data:`STOP_REASONS_ZH`.
"""

from __future__ import annotations

ZH_SUFFIX = "_zh"

MODEL_NAMES_ZH = {
    "independent pixels": "独立像素模型",
    "mixture of Bernoullis": "伯努利混合模型",
    "FVSBN": "FVSBN",
    "NADE": "NADE",
    "MADE": "MADE",
    "context NADE": "上下文 NADE",
    "ensemble": "集成模型",
    "Chow–Liu tree": "Chow–Liu 树",
}
"""The Chinese name of each model the chapters name in prose (``zoo.DISPLAY_NAMES`` and the
Chow–Liu tree of chapter 3); model names that are acronyms stay as they are."""

STOP_REASONS_ZH = {
    "closed form": "闭式解",
    "max epochs": "达到最大轮数",
    "early stopping": "早停",
    "time limit": "达到时间上限",
    "interrupted": "被中断",
}
"""``History.stopped`` (one of ``train.STOP_REASONS``) in Chinese."""


def model_name_zh(name: str) -> str:
    """The Chinese name of the model called ``name`` in the English prose."""
    try:
        return MODEL_NAMES_ZH[name]
    except KeyError:
        raise ValueError(f"no Chinese name for the model {name!r}; add it to MODEL_NAMES_ZH") from None


def stop_reason_zh(reason: str) -> str:
    """``History.stopped`` in Chinese."""
    try:
        return STOP_REASONS_ZH[reason]
    except KeyError:
        raise ValueError(f"unknown stopping reason {reason!r}; expected one of {sorted(STOP_REASONS_ZH)}") from None


def glue_text(name: str, en: str, zh: str, *, markdown: bool = False) -> None:
    """Glue ``en`` as ``name`` and ``zh`` as ``name + "_zh"``, both hidden (``display=False``).

    ``markdown=True`` glues them as Markdown, for ``{glue:md}`` roles; otherwise as plain
    strings, for ``{glue:text}``. Both must be non-empty.
    """
    if not (isinstance(en, str) and en.strip() and isinstance(zh, str) and zh.strip()):
        raise ValueError(f"glue {name!r}: the English and the Chinese text must be non-empty strings, got {en!r}, {zh!r}")
    # myst_nb and IPython come with the book's tools (requirements.txt), not with the package.
    from IPython.display import Markdown
    from myst_nb import glue

    wrap = Markdown if markdown else str
    glue(name, wrap(en), display=False)
    glue(name + ZH_SUFFIX, wrap(zh), display=False)
