"""The book's build script, its JavaScript assets and the chapters' notebook form, without building the book."""

import importlib.util
import subprocess
import sys

import pytest

import jupytext
import yaml
from myst_nb.core.read import read_myst_markdown_notebook

from tests.book.paths import CHAPTERS, ROOT

sys.path.insert(0, str(ROOT / "tools"))
import execution_cache  # noqa: E402
import site_assets  # noqa: E402

spec = importlib.util.spec_from_file_location("build_book", ROOT / "tools" / "build_book.py")
build_book = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_book)


def test_without_npm_the_build_stops_and_says_what_to_do(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(site_assets, "STAMP", tmp_path / "no-stamp")
    monkeypatch.setattr(site_assets.shutil, "which", lambda name: None)
    monkeypatch.setattr(build_book, "train_models", lambda: pytest.fail("trained models although the build must stop"))
    assert build_book.build() == 1
    error = capsys.readouterr().err
    assert "npm not found" in error and "--cdn" in error


def test_the_cdn_flag_builds_a_config_that_loads_mathjax_from_a_cdn(monkeypatch, tmp_path):
    monkeypatch.setattr(build_book, "BUILD", tmp_path)
    config = yaml.safe_load(build_book.cdn_config().read_text())["sphinx"]["config"]
    assert config["mathjax_path"].startswith("https://")
    assert config["html_extra_path"] == []
    assert config["nb_ipywidgets_js"] == {}, "the explorers need no widget manager, online or not"


def test_npm_runs_only_when_its_lock_changes(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(site_assets, "STAMP", tmp_path / "stamp")
    monkeypatch.setattr(site_assets, "ASSETS", {})
    monkeypatch.setattr(site_assets.shutil, "which", lambda name: "/usr/bin/npm")
    monkeypatch.setattr(site_assets.subprocess, "run", lambda command, **kw: calls.append(command) or subprocess.CompletedProcess(command, 0, "", ""))
    assert site_assets.install() is True
    assert site_assets.install() is False  # same lock: nothing to do
    assert len(calls) == 1
    monkeypatch.setattr(site_assets, "_lock_digest", lambda: "another lock")
    assert site_assets.install() is True
    assert len(calls) == 2


def test_offline_config_points_at_the_installed_assets():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]
    assert config["mathjax_path"].startswith("../vendor/")
    name = config["mathjax_path"].removeprefix("../vendor/").split("/")[0]
    assert name in {target.split("/")[0] for _, target in site_assets.ASSETS.values()}, "MathJax is not installed by build_book.py"


def test_pages_render_explorers_from_their_placeholder_and_load_no_widget_manager():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]
    assert ["html", "application/vnd.jupyter.widget-view+json", None] in config["config"]["nb_mime_priority_overrides"]
    assert config["config"]["nb_ipywidgets_js"] == {}  # myst-nb's default loads RequireJS from a CDN
    assert config["local_extensions"]["explorers_static"] == "tools/"


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


def test_one_command_builds_both_editions_and_no_pdf_turns_the_pdfs_off(monkeypatch, tmp_path):
    calls, mirrored = [], []
    monkeypatch.setattr(build_book, "BUILD", tmp_path)
    monkeypatch.setattr(build_book, "install_assets", lambda: None)
    monkeypatch.setattr(build_book, "train_models", lambda: 0)
    monkeypatch.setattr(build_book, "drop_if_stale", lambda cache: False)
    executed = []
    monkeypatch.setattr(build_book.execute_chapters, "execute_missing", lambda paths, jobs: executed.append((paths, jobs)))
    monkeypatch.setattr(build_book, "sphinx", lambda language, builder, config, pdf: calls.append((language, builder, pdf)) or 0)
    monkeypatch.setattr(build_book, "mirror", lambda source, target: mirrored.append((source, target)))
    assert build_book.build(pdf=False, jobs=2) == 0
    assert executed == [(CHAPTERS, 2)], "the chapters run (two at a time) before Sphinx reads them"
    assert calls == [("en", "html", False), ("zh_CN", "html", False)]
    assert mirrored == [(tmp_path / "zh_CN" / "html", tmp_path / "html" / "zh_CN")]
    calls.clear()
    monkeypatch.setattr(build_book, "sphinx", lambda language, builder, config, pdf: calls.append((language, builder)) or (1 if language == "zh_CN" else 0))
    assert build_book.build(pdf=False) == 1, "a failing edition fails the build"


def test_a_package_change_makes_every_edition_read_every_page_again(monkeypatch, tmp_path):
    monkeypatch.setattr(build_book, "BUILD", tmp_path)
    doctrees = [tmp_path / ".doctrees", tmp_path / "zh_CN" / ".doctrees"]
    for folder in doctrees:
        folder.mkdir(parents=True)
        (folder / "environment.pickle").write_bytes(b"old")
    (tmp_path / "html").mkdir()
    build_book.forget_read_pages()
    assert not any(folder.exists() for folder in doctrees)
    assert (tmp_path / "html").exists(), "only what Sphinx read is dropped, not the site"


def test_the_editions_land_where_the_readme_says():
    readme = (ROOT / "README.md").read_text()
    for language in build_book.LANGUAGES:
        site = build_book.site(language).relative_to(ROOT).as_posix()
        assert f"`{site}/`" in readme and f"`{site}/{build_book.pdf_name(language)}`" in readme


def test_the_mirror_is_a_copy_that_replaces_the_previous_one(tmp_path):
    source, target = tmp_path / "a", tmp_path / "b"
    (source / "sub").mkdir(parents=True)
    (source / "sub" / "page.html").write_text("new")
    (target / "old").mkdir(parents=True)
    (target / "old" / "stale.html").write_text("stale")
    build_book.mirror(source, target)
    assert (target / "sub" / "page.html").read_text() == "new" and not (target / "old").exists()


def test_a_change_of_the_build_extensions_is_noticed_once(monkeypatch, tmp_path):
    monkeypatch.setattr(build_book, "BUILD", tmp_path)
    assert build_book.extensions_changed(), "no record of a previous build"
    assert not build_book.extensions_changed()
    (tmp_path / "tools-sources.sha256").write_text("from other sources\n")
    assert build_book.extensions_changed()


def test_a_pdf_is_printed_again_only_when_its_single_page_build_changed(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "intro.html").write_text("<p>page</p>")
    (tmp_path / "_static" / "figure.png").write_bytes(b"\x89PNG one")
    before = build_book.tree_digest(tmp_path)
    (tmp_path / f"{build_book.TITLE}.html").write_text("<p>page</p>")  # the copy single_page() makes
    assert build_book.tree_digest(tmp_path) == before
    (tmp_path / "_static" / "figure.png").write_bytes(b"\x89PNG two")
    assert build_book.tree_digest(tmp_path) != before, "a changed figure changes what the PDF shows"
