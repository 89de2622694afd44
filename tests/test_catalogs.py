"""The Chinese edition's catalogs against the sources: CI fails, saying what to run, when a
paragraph was added or changed without a translation, when an entry is fuzzy or obsolete, or
when a translation breaks its source's markup.

``test_the_catalogs_are_current`` extracts the messages of the current sources (gettext, chapters
not executed) and compares them with ``locales/zh_CN/LC_MESSAGES``; the other tests check that
comparison on small catalogs made here."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")
sys.path.insert(0, str(ROOT / "tools"))
import catalogs  # noqa: E402
import editions  # noqa: E402

SOURCE = {
    "A page": "一页",
    "The answer is {glue:text}`answer:.1f` nats, see {doc}`index` and $x^2$.":
        "答案是 {glue:text}`answer:.1f` 奈特，参见 {doc}`首页 <index>` 与 $x^2$。",
}


def write(path: Path, messages: dict, fuzzy=(), template=False) -> Path:
    """A catalog (or, with template, a .pot) of ``messages`` {msgid: msgstr}."""
    catalog = Catalog(locale=None if template else "zh_CN")
    for msgid, msgstr in messages.items():
        catalog.add(msgid, "" if template else msgstr, flags=("fuzzy",) if msgid in fuzzy else ())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    return path


@pytest.fixture
def folders(tmp_path):
    templates, po = tmp_path / "gettext", tmp_path / "LC_MESSAGES"
    write(templates / "book" / "page.pot", SOURCE, template=True)
    return templates, po


def test_a_complete_catalog_passes(folders):
    templates, po = folders
    write(po / "book" / "page.po", SOURCE)
    found = catalogs.status(templates, po)
    assert found.ok(), found.report()


def test_an_untranslated_entry_fails(folders):
    templates, po = folders
    write(po / "book" / "page.po", {**SOURCE, "A page": ""})
    found = catalogs.status(templates, po)
    assert not found.ok() and found.untranslated and "'A page'" in found.report()


def test_a_fuzzy_entry_fails(folders):
    templates, po = folders
    write(po / "book" / "page.po", SOURCE, fuzzy=["A page"])
    found = catalogs.status(templates, po)
    assert [entry.split(": ", 1)[1] for entry in found.fuzzy] == ["'A page'"] and not found.ok()


def test_a_new_source_paragraph_and_a_removed_one_fail(folders):
    templates, po = folders
    write(po / "book" / "page.po", {"A page": "一页", "An old paragraph.": "旧段落。"})
    found = catalogs.status(templates, po)
    assert len(found.missing) == 1 and "The answer is" in found.missing[0]
    assert len(found.stale) == 1 and "An old paragraph." in found.stale[0]
    write(po / "book" / "other.po", {"Gone.": "没了。"})
    assert any("other.po" in entry for entry in catalogs.status(templates, po).stale)


def test_obsolete_entries_fail_and_update_drops_them(folders):
    templates, po = folders
    path = write(po / "book" / "page.po", SOURCE)
    text = path.read_text(encoding="utf-8") + '\n#~ msgid "Removed long ago."\n#~ msgstr "早已删除。"\n'
    path.write_text(text, encoding="utf-8")
    found = catalogs.status(templates, po)
    assert found.obsolete == ["LC_MESSAGES/book/page.po: 'Removed long ago.'"]
    assert catalogs.tidy(po) == 1
    assert catalogs.status(templates, po).ok()
    with path.open("rb") as handle:
        assert {str(m.id): m.string for m in read_po(handle) if m.id} == SOURCE


def test_tidy_catalogs_pass_msgfmt_where_a_number_precedes_a_percent_sign(folders, tmp_path):
    """babel flags "{glue:text}`x`% of" as python-format; msgfmt -c then rejects the Chinese."""
    templates, po = folders
    path = write(po / "book" / "page.po", {"{glue:text}`share:.1f`% of the pixels.": "{glue:text}`share:.1f`% 的像素。"})
    catalogs.tidy(po)
    assert "no-python-format" in path.read_text(encoding="utf-8")
    check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_a_translation_that_drops_markup_fails_here_and_in_the_build(folders):
    templates, po = folders
    msgid = next(key for key in SOURCE if "glue" in key)
    broken = SOURCE[msgid].replace("$x^2$", "x²")
    path = write(po / "book" / "page.po", {**SOURCE, msgid: broken})
    found = catalogs.status(templates, po)
    assert len(found.problems) == 1 and "$x^2" in found.problems[0]
    # The build's check (tools/editions.py): a warning, which -W turns into an error.
    [line] = editions.broken_entries(path)
    assert str(path) in line and "$x^2" in line and "catalog_check.py" in line


def test_the_failure_says_what_to_run(folders):
    assert catalogs.UPDATE == "sphinx-intl update -p _build/gettext -l zh_CN -d locales"
    for step in (catalogs.UPDATE, "python tools/catalogs.py update", "python tools/catalog_check.py", "fuzzy"):
        assert step in catalogs.HOW_TO


def test_the_switch_links_each_page_to_its_twin():
    assert editions.switch_url("index", "en", "zh_CN") == "zh_CN/index.html"
    assert editions.switch_url("book/05_kl_divergence", "en", "zh_CN") == "../zh_CN/book/05_kl_divergence.html"
    assert editions.switch_url("book/05_kl_divergence", "zh_CN", "en") == "../../book/05_kl_divergence.html"
    assert editions.switch_url("search", "zh_CN", "en") == "../search.html"
    with pytest.raises(ValueError, match="editions en, zh_CN, not language 'fr'"):
        editions.edition_of("fr")


def test_the_catalogs_are_current(tmp_path):
    """Every message of the current sources has a translation, none fuzzy or obsolete, and
    tools/catalog_check.py finds no problem."""
    templates = catalogs.extract(tmp_path / "gettext")
    assert {path.stem for path in templates.rglob("*.pot")} >= {"intro", "glossary", "bibliography"}
    found = catalogs.status(templates, catalogs.LOCALES / catalogs.LANGUAGE / "LC_MESSAGES")
    if not found.ok():
        pytest.fail("\n" + found.report() + "\n\n" + catalogs.HOW_TO, pytrace=False)


@pytest.mark.parametrize("path", sorted((catalogs.LOCALES / catalogs.LANGUAGE / "LC_MESSAGES").rglob("*.po")), ids=lambda p: p.stem)
def test_each_catalog_passes_msgfmt(path):
    """gettext's own checker (what a translator's editor runs) accepts every catalog."""
    check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, f"{path.name}: {check.stderr}\n(python tools/catalogs.py update tidies the flags)"


def test_every_part_caption_of_the_toc_has_a_chinese_name():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    captions = {part["caption"] for part in toc.get("parts", [])}
    assert captions and captions <= set(editions.CAPTIONS["zh_CN"]), "add the new caption to editions.CAPTIONS"
    assert all(CJK.search(name) for name in editions.CAPTIONS["zh_CN"].values())
