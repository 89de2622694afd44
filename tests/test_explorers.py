"""The explorers' Python side: each wrapper's state and errors, the placeholder the static book
renders, the inlined ES module anywidget loads, and the rule that no Python file holds JavaScript.

Their maths is tested in JavaScript (tests/js, tests/test_js_agreement.py) and in Chromium
(tests/test_browser_explorer.py, tests/book/test_browser.py)."""

import html
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mlebook import info
from mlebook.chapters import estimation
from mlebook.coding import ArithmeticEncoder
from mlebook.explorers import base, density, esm, extra_bits, kl

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mlebook"
sys.path.insert(0, str(ROOT / "tools"))
import explorers_static  # noqa: E402

WRAPPERS = {
    "kl": lambda: kl.KLExplorer([0.6, 0.3, 0.1], [0.2, 0.3, 0.5]),
    "bernoulli_kl": lambda: kl.BernoulliKLExplorer(0.1, 0.5),
    "forward_reverse": lambda: kl.ForwardReverseExplorer(distances=[0.0, 6.0], weights=[0.3, 0.5]),
    "coverage": lambda: density.CoverageExplorer(side=4, log10_examples=3),
    "coin": lambda: density.CoinExplorer(3, 2),
    "monte_carlo": lambda: density.MonteCarloExplorer(TABLE, np.log(np.full(8, 1 / 8)), n=10, n_repeats=50),
    "extra_bits": lambda: extra_bits.ExtraBitsExplorer([0.5, 0.3, 0.2], [0.2, 0.3, 0.5], n_samples=400),
}
TABLE = estimation.TabulatedDistribution(np.log(np.array([0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05])))


def placeholder_state(markup: str) -> tuple[str, dict]:
    match = re.fullmatch(r'<div class="mlebook-explorer" data-explorer="(\w+)" data-state="([^"]*)">.*</div>', markup, flags=re.S)
    assert match, markup[:200]
    return match.group(1), json.loads(html.unescape(match.group(2)))


@pytest.mark.parametrize("name", WRAPPERS)
def test_each_explorer_shows_as_a_widget_and_as_a_placeholder_holding_its_state(name):
    explorer = WRAPPERS[name]()
    data, _ = explorer._repr_mimebundle_()
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.model_id
    module, state = placeholder_state(data["text/html"])
    assert module == name == explorer.module
    assert state == json.loads(json.dumps(explorer.state()))
    assert "lang" in state and not any(key.startswith("_") for key in state)
    assert (base.JS / f"{name}.js").exists()


@pytest.mark.parametrize("name", WRAPPERS)
def test_each_esm_is_one_self_contained_module(name):
    source = WRAPPERS[name]()._esm
    assert "export default" in source
    assert not re.search(r"""from\s*["']\.""", source), "a relative import is left in _esm"
    assert "data:text/javascript;base64," in source


def test_a_notebook_can_pick_the_explorers_language_and_a_typo_is_refused():
    # The languages are read from strings.js itself: the tables the browser will look up.
    table = (base.JS / "lib" / "strings.js").read_text(encoding="utf-8")
    assert base.languages() == ("en", "zh_CN") and all(f"\n  {lang}: {{\n" in table for lang in base.languages())
    assert kl.KLExplorer(lang="zh-CN").state()["lang"] == "zh_CN"
    assert density.CoinExplorer().state()["lang"] == ""
    _, state = placeholder_state(density.CoinExplorer(lang="zh_CN")._repr_mimebundle_()[0]["text/html"])
    assert state["lang"] == "zh_CN"
    with pytest.raises(ValueError, match="lang must be .* one of en, zh_CN, got 'fr'"):
        kl.BernoulliKLExplorer(lang="fr")


def test_kl_explorer_state():
    explorer = kl.KLExplorer(n_outcomes=4, base=2)
    assert explorer.n_outcomes == 4 and explorer.unit == "bits"
    assert explorer.p_weights[:4] == [0.4, 0.3, 0.2, 0.1]  # n, ..., 1 normalised
    assert explorer.q_weights[:4] == [0.25] * 4
    assert len(explorer.p_weights) == len(explorer.q_weights) == kl.MAX_OUTCOMES
    assert kl.KLExplorer([1 / 3, 2 / 3], [0.5, 0.5]).p_weights[:2] == [0.33, 0.67]  # the sliders' step


def test_explorers_refuse_bad_arguments():
    with pytest.raises(ValueError, match="n_outcomes"):
        kl.KLExplorer(n_outcomes=7)
    with pytest.raises(ValueError, match="entries"):
        kl.KLExplorer(n_outcomes=3, q=[0.5, 0.5])
    with pytest.raises(ValueError, match=r"weights in \[0, 1\]"):
        kl.KLExplorer([1.5, 0.5])
    with pytest.raises(ValueError, match="base"):
        kl.KLExplorer(base=10)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        kl.BernoulliKLExplorer(p=1.5)
    with pytest.raises(ValueError, match="side"):
        density.CoverageExplorer(side=29)
    with pytest.raises(ValueError, match="n_heads"):
        density.CoinExplorer(n_heads=-1)
    with pytest.raises(ValueError, match="n_tails"):
        density.CoinExplorer(n_tails=51, max_count=50)
    with pytest.raises(ValueError, match="one of sizes"):
        density.MonteCarloExplorer(TABLE, np.zeros(8) - 2, n=7)
    with pytest.raises(ValueError, match="finite"):
        density.MonteCarloExplorer(TABLE, np.full(8, -np.inf))
    with pytest.raises(ValueError, match="one number per image"):
        density.MonteCarloExplorer(TABLE, np.zeros(4))
    with pytest.raises(ValueError, match="n_repeats"):
        density.MonteCarloExplorer(TABLE, np.zeros(8) - 2, n_repeats=1)
    with pytest.raises(ValueError, match="same number"):
        extra_bits.ExtraBitsExplorer([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="label"):
        extra_bits.ExtraBitsExplorer([0.5, 0.5], [0.2, 0.8], labels=["a"])
    with pytest.raises(ValueError, match="t must lie"):
        extra_bits.interpolate([0.5, 0.5], [0.2, 0.8], 1.5)
    with pytest.raises(ValueError, match="distances"):
        kl.ForwardReverseExplorer(distances=[1.0])
    with pytest.raises(ValueError, match="sigma"):
        kl.ForwardReverseExplorer(distances=[0.0, 1.0], weights=[0.5, 0.6], sigma=0)


def test_monte_carlo_explorer_hands_the_page_the_tables():
    log_q = np.log(np.linspace(1, 2, 8) / np.linspace(1, 2, 8).sum())
    explorer = density.MonteCarloExplorer(TABLE, log_q, n=30, n_repeats=200, seed=4)
    np.testing.assert_allclose(explorer.p, TABLE.probs)
    np.testing.assert_allclose(explorer.log_q, log_q)
    assert explorer.sizes == list(density.MonteCarloExplorer.SIZES) and explorer.n == 30 and explorer.seed == 4


def test_forward_reverse_table_holds_the_fits_and_their_mirror_images():
    table = kl.fits_table([0.0, 6.0], [0.3, 0.5, 0.7])
    assert set(table) == set(kl.FIT_KEYS)
    direct = kl.gaussian_fits(info.two_mode_mixture(6.0, weight=0.7))  # computed by its mirror image w = 0.3
    for key in kl.FIT_KEYS:
        assert table[key][2][1] == pytest.approx(direct[key], abs=1e-4), key
    assert table["forward_sigma"][1][1] == pytest.approx(math.sqrt(10.0))  # variance 1 + 3^2
    assert table["reverse_mu"][2][1] == pytest.approx(-table["reverse_mu"][0][1])
    assert table["reverse_mu"][2][1] < -2.5  # on the heavier mode: w = 0.7 is the left one
    assert table["reverse_kl_qp"][1][1] == pytest.approx(math.log(2), abs=0.01)
    explorer = kl.ForwardReverseExplorer(distance=5.9, weight=0.52, distances=[0.0, 6.0], weights=[0.3, 0.5])
    assert (explorer.distance_index, explorer.weight_index) == (1, 1)


def test_extra_bits_table_is_measured_by_the_arithmetic_coder():
    p, r = np.array([0.35, 0.2, 0.15, 0.1, 0.08, 0.06, 0.04, 0.02]), np.full(8, 1 / 8)
    explorer = extra_bits.ExtraBitsExplorer(p, r, n_samples=2000, seed=1, t=1.0)
    assert len(explorer.ts) == len(explorer.bits_q) == 21 and explorer.t_index == 20
    symbols = np.random.default_rng(1).choice(8, size=2000, p=p)
    for i in (0, 7, 20):
        q = extra_bits.interpolate(p, r, explorer.ts[i])
        ideal = -np.log2(q[symbols]).sum()
        # the coder writes the ideal length plus at most a couple of bits for the whole message
        assert 0 <= explorer.bits_q[i] * 2000 - ideal <= 4
    assert explorer.bits_q[0] == explorer.bits_p
    encoder = ArithmeticEncoder()
    encoder.encode(symbols, np.broadcast_to(p, (2000, 8)))
    encoder.finish()
    assert explorer.bits_p == encoder.n_bits / 2000


# ---- the inliner --------------------------------------------------------------------------------


def test_inline_module_rewrites_relative_imports_recursively(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "a.js").write_text('import { b } from "./b.js";\nexport const a = () => b + 1;\n')
    (tmp_path / "lib" / "b.js").write_text("export const b = 41;\n")
    (tmp_path / "main.js").write_text("import { a } from './lib/a.js';\nexport { b } from \"./lib/b.js\";\nexport default a;\n")
    source = esm.inline_module(tmp_path / "main.js")
    assert "./lib" not in source and source.count("data:text/javascript;base64,") == 2
    # the same module always becomes the same URL (one module instance in the browser)
    b_url = esm.data_url((tmp_path / "lib" / "b.js").read_text())
    assert b_url in source and b_url in esm.inline_module(tmp_path / "lib" / "a.js")
    result = subprocess.run(["node", "--input-type=module", "-e",
                             f"const m = await import({json.dumps(esm.data_url(source))}); console.log(m.default(), m.b)"],
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["42", "41"], result.stderr


def test_inline_module_refuses_cycles_and_missing_files(tmp_path):
    (tmp_path / "a.js").write_text('import "./b.js";\n')
    (tmp_path / "b.js").write_text('import { a } from "./a.js";\n')
    with pytest.raises(ValueError, match="cycle.*a.js -> b.js -> a.js"):
        esm.inline_module(tmp_path / "a.js")
    (tmp_path / "c.js").write_text('import { x } from "./missing.js";\n')
    with pytest.raises(ValueError, match="missing.js does not exist"):
        esm.inline_module(tmp_path / "c.js")


# ---- the static book's side ---------------------------------------------------------------------


def test_site_folder_has_every_module_and_a_bundle_for_pages_opened_from_the_disk(tmp_path):
    folder = tmp_path / "mlebook-explorers"
    explorers_static.write_site_folder(folder)
    assert (folder / "loader.js").exists() and (folder / "explorers.css").exists()
    for name in WRAPPERS:
        assert (folder / f"{name}.js").read_text() == (base.JS / f"{name}.js").read_text()
        bundle = (folder / f"{name}.bundle.js").read_text()
        assert bundle.startswith(f'mlebookExplorerModule("{name}", "data:text/javascript;base64,')
    assert (folder / "lib" / "model.bundle.js").exists() and not (folder / "loader.bundle.js").exists()


class _Script:
    def __init__(self, filename, priority=500, **attributes):
        self.filename, self.priority, self.attributes = filename, priority, attributes


def test_pages_keep_each_script_once_and_no_widget_state():
    thebe = "const THEBE_JS_URL = 1"
    scripts = [_Script("doctools.js"), _Script(None, body=thebe), _Script("", body=thebe),
               _Script(None, type="application/vnd.jupyter.widget-state+json", body="{}"), _Script("doctools.js", priority=200)]
    context = {"script_files": scripts}
    explorers_static.tidy_scripts(None, "page", "page.html", context, None)
    assert [(s.filename, s.attributes.get("body")) for s in context["script_files"]] == [
        ("doctools.js", None), (None, thebe), ("doctools.js", None)]


def test_no_python_file_of_the_package_holds_javascript():
    javascript = re.compile(r"addEventListener|querySelector|getElementById|document\.|innerHTML|<script|=>\s*\{|function\s*\(")
    offenders = [f"{path.relative_to(ROOT)}:{n}" for path in PACKAGE.rglob("*.py")
                 for n, line in enumerate(path.read_text().splitlines(), 1) if javascript.search(line)]
    assert not offenders, f"JavaScript in Python files: {offenders}"
