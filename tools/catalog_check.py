"""Check the Chinese edition's gettext catalogs against the rules a translation must keep.

Usage: ``python tools/catalog_check.py [PO_FILE ...]`` (default: every ``locales/*/LC_MESSAGES``
catalog). Exit status 1 and one line per problem when any entry

- is untranslated (empty ``msgstr``) or marked fuzzy;
- changes what the build computes or links: the inline and display maths (``$...$``, ``$$...$$``),
  the MyST roles (``{glue:text}`name```, ``{cite}`key```, ``{doc}`page```, ``{term}`text <target>```:
  the role, and the target where the role links somewhere) must appear in the translation exactly
  as in the source, in any order. One exception: where the source glues an English phrase
  ``NAME`` that a computed result chose, the translation shows the Chinese phrase the same cell
  glues as ``NAME_zh`` (``mlebook.chapters.prose.glue_text``), so a glue role ``NAME_zh`` in a
  translation counts as the source's ``NAME``, and the translation must use it: a glue role
  ``NAME`` in a translation is a problem when the page's source glues ``NAME`` with
  ``glue_text`` (an English phrase inside a Chinese sentence);
- changes a link target ``](...)`` or inline code.

A translation is free to reword everything else.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent

DISPLAY_MATH = re.compile(r"\$\$.+?\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$")
ROLE = re.compile(r"\{([a-z:]+)\}`([^`]*)`")
LINK_TARGET = re.compile(r"\]\(([^)]*)\)")
INLINE_CODE = re.compile(r"(?<![}`])`([^`{}]+)`")
TRANSLATED_GLUE = re.compile(r"^([^:]+)_zh(?=:|$)")  # the glue name NAME_zh of NAME:format
BILINGUAL_GLUE = re.compile(r"""glue_text\(\s*["']([^"']+)["']""")  # glue_text("NAME", en, zh)


def role_signature(role: str, body: str, translation: bool = False) -> str:
    """What of a role a translation must keep: the role and its target, which is the part in
    angle brackets of ``shown text <target>`` and otherwise the whole body (a glue name, a
    citation key, a page). In a ``translation``, a glue role's name ``NAME_zh`` stands for the
    source's ``NAME``."""
    match = re.search(r"<([^>]*)>\s*$", body)
    target = match.group(1) if match else body
    if translation and role.startswith("glue"):
        target = TRANSLATED_GLUE.sub(r"\1", target)
    return f"{role}:{target}"


def invariants(text: str, translation: bool = False) -> Counter:
    """The pieces of a message that its translation must contain unchanged (a multiset);
    ``translation`` says that ``text`` is a translation (see :func:`role_signature`)."""
    pieces: Counter = Counter()
    rest = text
    for match in DISPLAY_MATH.findall(rest):
        pieces[f"$${match}"] += 1
    rest = DISPLAY_MATH.sub(" ", rest)
    for role, body in ROLE.findall(rest):
        pieces[role_signature(role, body, translation)] += 1
    rest = ROLE.sub(" ", rest)
    for match in INLINE_MATH.findall(rest):
        pieces[f"${match.strip()}"] += 1
    for match in LINK_TARGET.findall(rest):
        pieces[f"link:{match}"] += 1
    for match in INLINE_CODE.findall(INLINE_MATH.sub(" ", rest)):
        pieces[f"code:{match}"] += 1
    return pieces


def bilingual_glues(po_path: Path, root: Path = ROOT) -> set[str]:
    """The names that the catalog's page (``locales/<lang>/LC_MESSAGES/<page>.po`` translates
    ``<page>.md``) glues in English and in Chinese with ``glue_text``; empty for a catalog
    outside ``root``'s locales or without a source page."""
    if not po_path.is_relative_to(root / "locales"):
        return set()
    parts = po_path.relative_to(root / "locales").parts
    source = root.joinpath(*parts[2:]).with_suffix(".md")
    return set(BILINGUAL_GLUE.findall(source.read_text())) if source.exists() else set()


def markup_difference(source: str, translation: str) -> str:
    """What a translation drops or adds of its source's maths, roles, links and code ("" if nothing)."""
    kept, required = invariants(translation, translation=True), invariants(source)
    missing, extra = required - kept, kept - required
    return f"missing {sorted(missing)} extra {sorted(extra)}" if missing or extra else ""


def problems(po_path: Path, root: Path = ROOT) -> list[str]:
    """Every rule an entry of one catalog breaks, as 'file:line: problem' lines."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    bilingual = bilingual_glues(po_path, root)
    found = []
    for message in catalog:
        if not message.id:
            continue
        where = f"{po_path.relative_to(root) if po_path.is_relative_to(root) else po_path}:{message.lineno}"
        source, translation = str(message.id), str(message.string or "")
        if not translation.strip():
            found.append(f"{where}: untranslated: {source[:70]!r}")
            continue
        if message.fuzzy:
            found.append(f"{where}: fuzzy (check the translation, then remove the fuzzy flag): {source[:70]!r}")
        if difference := markup_difference(source, translation):
            found.append(f"{where}: maths/roles/links differ: {difference}")
        english = sorted({name for role, body in ROLE.findall(translation) if role.startswith("glue")
                          and (name := body.split(":")[0]) in bilingual})
        if english:
            found.append(f"{where}: shows the English phrase of {english}: use the Chinese one, "
                         f"{[name + '_zh' for name in english]}")
    return found


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted(ROOT.glob("locales/*/LC_MESSAGES/**/*.po"))
    found = [line for path in paths for line in problems(path)]
    for line in found:
        print(line)
    print(f"catalog_check: {len(paths)} catalogs, {len(found)} problems", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
