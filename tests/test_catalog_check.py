"""tools/catalog_check.py on small catalogs written here: what it accepts and what it reports."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import catalog_check  # noqa: E402

SOURCE = "Training took {glue:text}`minutes:.0f` minutes on {glue:md}`threads`, see $x^2$ and {doc}`intro`."
PAGE = '''```{code-cell} ipython3
glue("minutes", 3.0, display=False)
glue_text("threads", "one CPU thread", "单个 CPU 线程", markdown=True)
```
'''


def po_text(msgid: str, msgstr: str) -> str:
    quote = lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
    return (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: zh_CN\\n"\n\n'
        f"msgid {quote(msgid)}\nmsgstr {quote(msgstr)}\n"
    )


@pytest.fixture
def book(tmp_path):
    """A repository root with one page and its (empty) Chinese catalog folder."""
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "page.md").write_text(PAGE)
    (tmp_path / "locales" / "zh_CN" / "LC_MESSAGES" / "book").mkdir(parents=True)
    return tmp_path


def check(root: Path, msgstr: str) -> list[str]:
    po = root / "locales" / "zh_CN" / "LC_MESSAGES" / "book" / "page.po"
    po.write_text(po_text(SOURCE, msgstr), encoding="utf-8")
    return catalog_check.problems(po, root)


def test_chinese_phrase_glued_as_name_zh_passes(book):
    assert check(book, "用{glue:md}`threads_zh`训练共用时 {glue:text}`minutes:.0f` 分钟，见 $x^2$ 和 {doc}`简介 <intro>`。") == []


def test_english_phrase_of_a_bilingual_glue_is_reported(book):
    [problem] = check(book, "用 {glue:md}`threads` 训练共用时 {glue:text}`minutes:.0f` 分钟，见 $x^2$ 和 {doc}`intro`。")
    assert "English phrase of ['threads']" in problem and "threads_zh" in problem


def test_a_zh_suffix_stands_only_for_its_own_name(book):
    [problem] = check(book, "用{glue:md}`minutes_zh`训练共用时 {glue:text}`minutes:.0f` 分钟，见 $x^2$ 和 {doc}`intro`。")
    assert "missing ['glue:md:threads']" in problem and "extra ['glue:md:minutes']" in problem


@pytest.mark.parametrize(
    "msgstr, missing",
    [
        ("用{glue:md}`threads_zh`训练共用时 3 分钟，见 $x^2$ 和 {doc}`intro`。", "glue:text:minutes:.0f"),  # typed number
        ("用{glue:md}`threads_zh`训练共用时 {glue:text}`minutes:.0f` 分钟，见 $x^3$ 和 {doc}`intro`。", "$x^2"),
        ("用{glue:md}`threads_zh`训练共用时 {glue:text}`minutes:.0f` 分钟，见 $x^2$ 和 {doc}`简介 <intr>`。", "doc:intro"),
        ("用{glue:md}`threads_zh_zh`训练共用时 {glue:text}`minutes:.0f` 分钟，见 $x^2$ 和 {doc}`intro`。", "glue:md:threads"),
    ],
)
def test_changed_maths_roles_and_numbers_are_reported(book, msgstr, missing):
    [problem] = check(book, msgstr)
    assert "maths/roles/links differ" in problem and repr(missing) in problem


def test_untranslated_entry_is_reported(book):
    [problem] = check(book, "")
    assert "untranslated" in problem
