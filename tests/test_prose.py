"""The English and Chinese phrases that chapters glue: both glued, under NAME and NAME_zh, and
the Chinese names cover every model name and stopping reason the chapters can glue."""

import myst_nb
import pytest
from IPython.display import Markdown

from mlebook import train, zoo
from mlebook.chapters import prose


@pytest.fixture
def glued(monkeypatch):
    calls = []
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=True: calls.append((name, value, display)))
    return calls


def test_glue_text_glues_both_languages_hidden(glued):
    prose.glue_text("verdict", "a real gain", "真实的改进")
    assert glued == [("verdict", "a real gain", False), ("verdict_zh", "真实的改进", False)]


def test_glue_text_markdown_wraps_both(glued):
    prose.glue_text("best", "independent pixels", "独立像素模型", markdown=True)
    assert [name for name, _, _ in glued] == ["best", "best_zh"]
    assert all(isinstance(value, Markdown) for _, value, _ in glued)
    assert [value.data for _, value, _ in glued] == ["independent pixels", "独立像素模型"]


@pytest.mark.parametrize("en, zh", [("", "中文"), ("English", " "), ("English", None)])
def test_glue_text_refuses_an_empty_phrase(glued, en, zh):
    with pytest.raises(ValueError, match="non-empty"):
        prose.glue_text("x", en, zh)
    assert glued == []


def test_every_model_and_stopping_reason_has_a_chinese_name():
    assert {prose.model_name_zh(name) for name in zoo.DISPLAY_NAMES.values()}
    assert set(prose.STOP_REASONS_ZH) == set(train.STOP_REASONS)
    assert prose.stop_reason_zh("early stopping") == "早停"


def test_unknown_names_are_refused_by_name():
    with pytest.raises(ValueError, match="'a made-up model'"):
        prose.model_name_zh("a made-up model")
    with pytest.raises(ValueError, match="'bored'"):
        prose.stop_reason_zh("bored")
