"""Check the Chinese edition's gettext catalogs against the rules a translation must keep.

Usage: ``python tools/catalog_check.py [PO_FILE ...]`` (default: every ``locales/*/LC_MESSAGES``
catalog). Exit status 1 and one line per problem when any entry

- is untranslated (empty ``msgstr``) or marked fuzzy;
- changes what the build computes or links: the inline and display maths (``$...$``, ``$$...$$``),
  the MyST roles (``{glue:text}`name```, ``{cite}`key```, ``{doc}`page```, ``{term}`text <target>```:
  the role, and the target where the role links somewhere) must appear in the translation exactly
  as in the source, in any order;
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


def role_signature(role: str, body: str) -> str:
    """What of a role a translation must keep: the role and its target, which is the part in
    angle brackets of ``shown text <target>`` and otherwise the whole body (a glue name, a
    citation key, a page)."""
    match = re.search(r"<([^>]*)>\s*$", body)
    return f"{role}:{match.group(1) if match else body}"


def invariants(text: str) -> Counter:
    """The pieces of a message that its translation must contain unchanged (a multiset)."""
    pieces: Counter = Counter()
    rest = text
    for match in DISPLAY_MATH.findall(rest):
        pieces[f"$${match}"] += 1
    rest = DISPLAY_MATH.sub(" ", rest)
    for role, body in ROLE.findall(rest):
        pieces[role_signature(role, body)] += 1
    rest = ROLE.sub(" ", rest)
    for match in INLINE_MATH.findall(rest):
        pieces[f"${match.strip()}"] += 1
    for match in LINK_TARGET.findall(rest):
        pieces[f"link:{match}"] += 1
    for match in INLINE_CODE.findall(INLINE_MATH.sub(" ", rest)):
        pieces[f"code:{match}"] += 1
    return pieces


def problems(po_path: Path) -> list[str]:
    """Every rule an entry of one catalog breaks, as 'file:line: problem' lines."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in catalog:
        if not message.id:
            continue
        where = f"{po_path.relative_to(ROOT) if po_path.is_relative_to(ROOT) else po_path}:{message.lineno}"
        source, translation = str(message.id), str(message.string or "")
        if not translation.strip():
            found.append(f"{where}: untranslated: {source[:70]!r}")
            continue
        if message.fuzzy:
            found.append(f"{where}: fuzzy (check the translation, then remove the fuzzy flag): {source[:70]!r}")
        missing = invariants(source) - invariants(translation)
        extra = invariants(translation) - invariants(source)
        if missing or extra:
            found.append(f"{where}: maths/roles/links differ: missing {sorted(missing)} extra {sorted(extra)}")
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
