"""Keep the Chinese edition's catalogs current with the English sources.

Usage:

- ``python tools/catalogs.py status``: extract the messages of the current sources (Sphinx's
  gettext builder, chapters not executed: a few seconds) and list every message the catalogs
  lack, leave untranslated or mark fuzzy, every obsolete or stale entry, and every problem of
  ``tools/catalog_check.py``; exit status 1 if there is any (``tests/test_catalogs.py`` runs it);
- ``python tools/catalogs.py update``: extract, then ``sphinx-intl update -p _build/gettext -l
  zh_CN -d locales`` (new messages appear untranslated, changed ones fuzzy, removed ones become
  obsolete ``#~`` entries), then :func:`tidy` the catalogs (obsolete entries dropped, one form).

After ``update``: translate every entry ``status`` lists (and remove each ``#, fuzzy`` flag once
the translation is right), then ``python tools/catalog_check.py`` must report 0 problems.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import read_po, write_po

import build_book
import catalog_check

ROOT = Path(__file__).resolve().parent.parent
GETTEXT = ROOT / "_build" / "gettext"
LOCALES = ROOT / "locales"
LANGUAGE = "zh_CN"
UPDATE = f"sphinx-intl update -p _build/gettext -l {LANGUAGE} -d locales"
HOW_TO = (
    "The Chinese catalogs are behind the sources. To bring them up to date:\n"
    "  1. python tools/catalogs.py update      (extracts the messages, then runs\n"
    f"     {UPDATE} and drops obsolete entries)\n"
    "  2. translate each message listed above in its locales/zh_CN/LC_MESSAGES/book/<page>.po\n"
    "     (a fuzzy entry: check its translation against the new source, then remove '#, fuzzy')\n"
    "  3. python tools/catalog_check.py         (must report 0 problems)"
)


def extract(out: Path = GETTEXT) -> Path:
    """Write one .pot per page of the book into ``out`` (chapters not executed); returns ``out``."""
    # Without executed outputs the glue roles warn; only the messages matter here.
    result = build_book.run_sphinx(out, "gettext", ROOT / "_config.yml", {"nb_execution_mode": "off"}, strict=False,
                                   doctrees=out.parent / ".doctrees-gettext", capture_output=True, text=True)
    if result.returncode != 0 or not any(out.rglob("*.pot")):
        raise RuntimeError(f"the gettext extraction failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return out


@dataclass
class Status:
    """What a set of catalogs lacks against a set of templates; each entry 'file: message'."""

    missing: list[str] = field(default_factory=list)  # in the sources, not in the catalog
    untranslated: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # in the catalog, no longer in the sources
    obsolete: list[str] = field(default_factory=list)  # '#~' entries
    problems: list[str] = field(default_factory=list)  # tools/catalog_check.py's

    def ok(self) -> bool:
        return not any(vars(self).values())

    def report(self) -> str:
        titles = {
            "missing": "source messages with no entry in the catalog (new or changed text)",
            "untranslated": "entries without a translation",
            "fuzzy": "fuzzy entries (the source changed; check the translation, remove the flag)",
            "stale": "entries whose source text is gone (update turns them obsolete)",
            "obsolete": "obsolete #~ entries (update drops them)",
            "problems": "tools/catalog_check.py problems",
        }
        lines = []
        for name, title in titles.items():
            entries = getattr(self, name)
            if entries:
                lines.append(f"{len(entries)} {title}:")
                lines += [f"  {entry}" for entry in entries]
        return "\n".join(lines)


def _read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def short(message: str) -> str:
    return repr(message if len(message) <= 100 else message[:97] + "...")


def status(templates: Path, catalogs: Path) -> Status:
    """Compare every ``templates/**/X.pot`` with ``catalogs/**/X.po`` (the same relative path)."""
    found = Status()
    pots = {path.relative_to(templates).with_suffix(""): path for path in templates.rglob("*.pot")}
    pos = {path.relative_to(catalogs).with_suffix(""): path for path in catalogs.rglob("*.po")}
    for name in sorted(pots.keys() | pos.keys()):
        path = catalogs / f"{name.as_posix()}.po"
        where = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else f"{catalogs.name}/{name.as_posix()}.po"
        source_ids = {str(m.id) for m in _read(pots[name]) if m.id} if name in pots else set()
        if name not in pos:
            found.missing += [f"{where} (no catalog): {short(m)}" for m in sorted(source_ids)]
            continue
        catalog = _read(pos[name])
        ids = {str(m.id) for m in catalog if m.id}
        found.missing += [f"{where}: {short(m)}" for m in sorted(source_ids - ids)]
        for message in catalog:
            if not message.id:
                continue
            text = str(message.id)
            if text not in source_ids:
                found.stale.append(f"{where}:{message.lineno}: {short(text)}")
            elif not str(message.string or "").strip():
                found.untranslated.append(f"{where}:{message.lineno}: {short(text)}")
            elif message.fuzzy:
                found.fuzzy.append(f"{where}:{message.lineno}: {short(text)}")
        found.obsolete += [f"{where}: {short(str(m.id))}" for m in catalog.obsolete.values()]
        found.problems += [line for line in catalog_check.problems(pos[name])
                           if ": untranslated: " not in line and ": fuzzy " not in line]
    return found


def tidy(catalogs: Path) -> int:
    """Bring every catalog under ``catalogs`` to one form after an update; returns how many
    obsolete ('#~') entries were dropped.

    - obsolete entries are dropped, so they do not pile up;
    - an entry that babel flags ``python-format`` (a glued number before "% of" reads like a
      %-format) is flagged ``no-python-format`` instead: the book's messages are MyST, never
      %-formatted, and ``msgfmt -c`` would otherwise reject a translation without that "% o";
    - lines are not wrapped (``width=0``), so a changed word changes one line of the diff.
    """
    dropped = 0
    for path in sorted(catalogs.rglob("*.po")):
        catalog = _read(path)
        dropped += len(catalog.obsolete)
        catalog.obsolete.clear()
        for message in catalog:
            if "python-format" in message.flags:
                message.flags.discard("python-format")  # babel adds it back on reading, not writing
                message.flags.add("no-python-format")
        partial = path.with_name(path.name + ".partial")
        with partial.open("wb") as handle:
            write_po(handle, catalog, width=0, include_lineno=False)
        os.replace(partial, path)
    return dropped


def main(argv: list[str]) -> int:
    if argv not in (["status"], ["update"]):
        print(__doc__, file=sys.stderr)
        return 2
    templates = extract()
    catalogs = LOCALES / LANGUAGE / "LC_MESSAGES"
    if argv == ["update"]:
        subprocess.run([sys.executable, "-m", "sphinx_intl", *UPDATE.split()[1:]], cwd=ROOT, check=True)
        print(f"catalogs: dropped {tidy(catalogs)} obsolete entries")
    found = status(templates, catalogs)
    if found.ok():
        print("catalogs: up to date, every message translated, 0 problems")
        return 0
    print(found.report() + "\n\n" + HOW_TO)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
