"""The ipywidgets explorers, driven from Python: set a slider, read the displayed numbers, and
check them against mlebook.info computed from the slider values independently."""

import math
import re

import matplotlib
import numpy as np
import pytest
import scipy.stats

matplotlib.use("Agg")

from mlebook import info
from mlebook.explorers import kl as widgets  # noqa: E402


def shown(readout_markup: str, role: str) -> str:
    match = re.search(rf'data-role="{role}">([^<]*)<', readout_markup)
    assert match, f"no element with data-role={role} in the readout"
    return match.group(1)


def check_displayed(explorer, p, q, base=None):
    """Every displayed number equals mlebook.info (and scipy) to the 3 decimals shown."""
    expected = {
        "kl-pq": info.kl_divergence(p, q, base),
        "kl-qp": info.kl_divergence(q, p, base),
        "h-p": scipy.stats.entropy(p, base=base),
        "h-pq": info.cross_entropy(p, q, base),
    }
    for role, value in expected.items():
        text = shown(explorer.readout.value, role)
        assert "nan" not in text.lower()
        if math.isinf(value):
            assert text == "∞"
        else:
            assert float(text) == pytest.approx(value, abs=5e-4 + 1e-12)


def slider_distribution(explorer, name, n):
    weights = np.array([explorer.controls[f"{name}-{i}"].value for i in range(n)])
    return weights / weights.sum()


def test_kl_explorer_follows_its_sliders():
    explorer = widgets.kl_explorer(n_outcomes=4)
    rng = np.random.default_rng(0)
    for _ in range(5):
        for i in range(4):
            explorer.controls[f"p-{i}"].value = float(rng.uniform(0.05, 1))
            explorer.controls[f"q-{i}"].value = float(rng.uniform(0.05, 1))
        p, q = slider_distribution(explorer, "p", 4), slider_distribution(explorer, "q", 4)
        check_displayed(explorer, p, q)
        np.testing.assert_allclose(explorer.distributions()[0], p)
        assert explorer.values()["kl_pq"] == pytest.approx(scipy.stats.entropy(p, q), abs=5e-4)


def test_kl_explorer_changes_number_of_outcomes_and_hides_rows():
    explorer = widgets.kl_explorer(n_outcomes=3)
    explorer.controls["n_outcomes"].value = 6
    p, q = explorer.distributions()
    assert len(p) == len(q) == 6
    check_displayed(explorer, slider_distribution(explorer, "p", 6), slider_distribution(explorer, "q", 6))
    explorer.controls["n_outcomes"].value = 2
    assert len(explorer.distributions()[0]) == 2
    hidden = [row.layout.display == "none" for row in explorer._rows]
    assert hidden == [False, False, True, True, True, True]
    check_displayed(explorer, slider_distribution(explorer, "p", 2), slider_distribution(explorer, "q", 2))


def test_kl_explorer_edges_show_infinity_never_nan():
    explorer = widgets.kl_explorer(p=[0.5, 0.5, 0.0], q=[0.2, 0.3, 0.5], base=2)
    assert "bits" in explorer.readout.value
    explorer.controls["q-0"].value = 0.0  # q gives 0 to an outcome p can produce
    values = explorer.values()
    assert values["kl_pq"] == math.inf and values["h_pq"] == math.inf
    assert shown(explorer.readout.value, "kl-pq") == "∞"
    assert values["kl_qp"] == math.inf  # q puts mass on outcome 2, where p has none
    for i in range(3):  # every weight of p at 0: p becomes uniform, still no NaN
        explorer.controls[f"p-{i}"].value = 0.0
    assert np.allclose(explorer.distributions()[0], 1 / 3)
    assert "nan" not in explorer.readout.value.lower()
    check_displayed(explorer, np.full(3, 1 / 3), slider_distribution(explorer, "q", 3), base=2)


def test_bernoulli_explorer_matches_info_across_the_square():
    explorer = widgets.bernoulli_kl_explorer()
    for p in (0.0, 0.001, 0.3, 0.999, 1.0):
        for q in (0.0, 0.25, 1.0):
            explorer.controls["p"].value, explorer.controls["q"].value = p, q
            assert explorer.values()["kl_pq"] == pytest.approx(info.kl_bernoulli(p, q), abs=5e-4) or (
                explorer.values()["kl_pq"] == math.inf == info.kl_bernoulli(p, q)
            )
            check_displayed(explorer, np.array([1 - p, p]), np.array([1 - q, q]))


def test_forward_reverse_explorer_shows_the_fits(capsys):
    explorer = widgets.forward_reverse_explorer(distance=2.0)
    explorer.controls["distance"].value = 6.0
    explorer.controls["weight"].value = 0.5
    values = explorer.values()
    mixture = info.two_mode_mixture(6.0, weight=0.5)
    forward = info.fit_normal_forward_kl(mixture)
    reverse = info.fit_normal_reverse_kl(mixture)
    assert values["forward_mu"] == pytest.approx(forward[0], abs=5e-4)
    assert values["forward_sigma"] == pytest.approx(math.sqrt(10.0), abs=5e-4)
    assert values["reverse_mu"] == pytest.approx(reverse[0], abs=5e-4)
    assert abs(values["reverse_mu"]) == pytest.approx(3.0, abs=0.05)  # on one mode
    assert values["reverse_kl_qp"] == pytest.approx(info.kl_normal_to_mixture(*reverse, mixture), abs=5e-4)
    assert values["forward_kl_pq"] == pytest.approx(info.kl_mixture_to_normal(mixture, *forward), abs=5e-4)
    assert values["forward_kl_pq"] < values["reverse_kl_pq"]
    assert values["reverse_kl_qp"] < values["forward_kl_qp"]


def test_explorers_display_in_a_notebook():
    for explorer in (widgets.kl_explorer(), widgets.bernoulli_kl_explorer()):
        bundle = explorer._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle


def test_format_and_parse_round_trip():
    for x in (0.0, 1.23456, 12.0, math.inf):
        assert widgets.parse_value(widgets.format_value(x)) == pytest.approx(round(x, 3) if math.isfinite(x) else x)
    assert widgets.format_value(-1e-17) == "0.000"
    with pytest.raises(ValueError, match="NaN"):
        widgets.format_value(math.nan)


def test_browser_explorers_are_self_contained_with_unique_ids():
    first, second = widgets.browser_kl_explorer(), widgets.browser_kl_explorer([0.2, 0.8], [0.5, 0.5])
    ids = [re.search(r'id="([^"]+)"', h.data).group(1) for h in (first, second)]
    assert ids[0] != ids[1]
    for markup in (first.data, second.data, widgets.browser_bernoulli_kl_explorer().data):
        assert "<script src" not in markup and "http" not in markup
        assert markup.count('type="range"') >= 2
    # the page is correct before any script runs: initial numbers come from Python
    assert float(shown(second.data, "kl-pq")) == pytest.approx(info.kl_divergence([0.2, 0.8], [0.5, 0.5]), abs=5e-4)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="n_outcomes"):
        widgets.kl_explorer(n_outcomes=7)
    with pytest.raises(ValueError, match="entries"):
        widgets.kl_explorer(n_outcomes=3, q=[0.5, 0.5])
    with pytest.raises(ValueError, match="base"):
        widgets.kl_explorer(base=10)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        widgets.browser_bernoulli_kl_explorer(p=1.5)
