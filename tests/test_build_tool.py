"""The book's build script and the chapters' notebook form, without building the book."""

import importlib.util
import sys

import jupytext
import yaml
from myst_nb.core.read import read_myst_markdown_notebook

from tests.book.paths import CHAPTERS, ROOT

sys.path.insert(0, str(ROOT / "tools"))
import execution_cache  # noqa: E402

spec = importlib.util.spec_from_file_location("build_book", ROOT / "tools" / "build_book.py")
build_book = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_book)


def test_without_npm_the_build_says_so_and_falls_back_to_cdns(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(build_book.shutil, "which", lambda name: None)
    monkeypatch.setattr(build_book, "BUILD", tmp_path)
    assert build_book.install_assets() is False
    assert "npm not found" in capsys.readouterr().err
    config = yaml.safe_load(build_book.cdn_config().read_text())["sphinx"]["config"]
    assert config["mathjax_path"].startswith("https://")
    assert all(url.startswith("https://") for url in config["nb_ipywidgets_js"])
    assert config["html_extra_path"] == []


def test_offline_config_points_at_the_installed_assets():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]
    local = [config["mathjax_path"], *config["nb_ipywidgets_js"]]
    for path in local:
        assert path.startswith("../vendor/"), path
    targets = {target.split("/")[0] for _, target in build_book.ASSETS.values()}
    for path in local:
        name = path.removeprefix("../vendor/").split("/")[0]
        assert name in targets or name == "widget-setup.js", f"{path} is not installed by build_book.py"


def test_chapters_open_as_notebooks_with_jupytext():
    """JupyterLab (through jupytext) sees the same code cells as the book build."""
    for path in CHAPTERS:
        if path.suffix != ".md":
            continue
        seen_by_jupyter = [c.source for c in jupytext.read(path).cells if c.cell_type == "code"]
        seen_by_book = [
            c.source for c in read_myst_markdown_notebook(path.read_text(), path=path).cells if c.cell_type == "code"
        ]
        assert seen_by_jupyter == seen_by_book, path.name
        assert seen_by_book, f"{path.name} has no code cells"


def test_execution_cache_is_dropped_when_the_package_changes(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    (cache / "executed").mkdir(parents=True)
    assert execution_cache.drop_if_stale(cache) is True  # no digest: made by unknown sources
    assert not (cache / "executed").exists()
    (cache / "executed").mkdir()
    (cache / "executed" / "result").write_text("outputs")
    assert execution_cache.drop_if_stale(cache) is False  # same sources: kept
    assert (cache / "executed" / "result").exists()
    monkeypatch.setattr(execution_cache, "sources_digest", lambda: "other sources")
    assert execution_cache.drop_if_stale(cache) is True
    assert not (cache / "executed").exists()
