"""The explorers in headless Chromium, with no kernel and no network.

A page holds the placeholder of each explorer (what the static book shows) and the loader, as
tools/explorers_static.py lays them out; Chromium renders them, a reader's keys move the
controls, and the numbers shown are checked against mlebook (Python). The page also works
opened from the disk (file://), and each widget's ``_esm`` renders when imported from a Blob
URL with a stand-in model, as anywidget does in JupyterLab.
"""

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from mlebook import info
from mlebook.chapters import counting, estimation
from mlebook.explorers import density, extra_bits, kl

from tests.browser_tools import CONTROLS, OfflinePage, assert_every_control_acts, operate, serve, signature, wait_for_explorers, write_explorer_page, write_jupyter_page

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import explorers_static  # noqa: E402

pytestmark = pytest.mark.browser

LOADED = [0.35, 0.2, 0.15, 0.1, 0.08, 0.06, 0.04, 0.02]
WORLD = estimation.TabulatedDistribution(np.log(np.random.default_rng(0).dirichlet(np.ones(16))))
LOG_Q = np.log(np.random.default_rng(1).dirichlet(np.ones(16)))


def explorers():
    """One of each explorer (two KL ones: the page must keep them apart)."""
    return {
        "kl": kl.KLExplorer([0.5, 0.3, 0.2], [0.2, 0.3, 0.5]),
        "kl-bits": kl.KLExplorer([0.1, 0.9], [0.6, 0.4], base=2),
        "bernoulli": kl.BernoulliKLExplorer(0.2, 0.7),
        "forward-reverse": kl.ForwardReverseExplorer(distance=0.0, distances=[0.0, 2.0, 6.0], weights=[0.3, 0.5]),
        "coverage": density.CoverageExplorer(side=5, log10_examples=3),
        "coin": density.CoinExplorer(3, 2),
        "monte-carlo": density.MonteCarloExplorer(WORLD, LOG_Q, n=10, n_repeats=400),
        "extra-bits": extra_bits.ExtraBitsExplorer(LOADED, LOADED[::-1], n_samples=1000),
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explorers")
    body = "\n".join(f'<section id="{key}">{explorer.placeholder_html()}</section>' for key, explorer in explorers().items())
    write_explorer_page(folder, body, "explorers")
    with serve(folder) as url:
        yield folder, url


@pytest.fixture
def page(browser, site):
    _, url = site
    offline = OfflinePage(browser, allowed=(url,))
    page = offline.goto(url + "index.html")
    wait_for_explorers(page)
    yield page
    offline.close()
    assert not offline.errors, f"errors in the page: {offline.errors}"
    assert not offline.outside, f"requests to other hosts: {offline.outside}"


def explorer(page, key):
    return page.locator(f"#{key} .mlebook-explorer")


def shown(root, role) -> float:
    """The number an element of the readout shows ("∞" is infinity)."""
    text = root.locator(f'[data-role="{role}"]').first.inner_text().strip()
    return {"∞": math.inf, "-∞": -math.inf}[text] if text in ("∞", "-∞") else float(text)


def range_input(root, label):
    return root.get_by_label(label, exact=True)


def press(control, key, times=1):
    control.focus()
    for _ in range(times):
        control.press(key)


def slider_values(root, name, n):
    return np.array([float(range_input(root, f"weight of {name}({i})").input_value()) for i in range(n)])


def assert_divergences(root, p, q, base=None):
    expected = {"kl-pq": info.kl_divergence(p, q, base), "kl-qp": info.kl_divergence(q, p, base),
                "h-p": info.entropy(p, base), "h-pq": info.cross_entropy(p, q, base)}
    for role, value in expected.items():
        if math.isinf(value):
            assert shown(root, role) == math.inf, role
        else:
            assert shown(root, role) == pytest.approx(float(value), abs=5e-4 + 1e-12), role


def test_kl_explorer_follows_the_keyboard(page):
    root = explorer(page, "kl")
    assert_divergences(root, np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5]))
    press(range_input(root, "weight of p(0)"), "ArrowRight", 20)
    press(range_input(root, "weight of q(2)"), "ArrowLeft", 7)
    p, q = slider_values(root, "p", 3), slider_values(root, "q", 3)
    assert p[0] == pytest.approx(0.7) and q[2] == pytest.approx(0.43)
    assert_divergences(root, p / p.sum(), q / q.sum())
    # the other KL explorer on the page did not move
    assert_divergences(explorer(page, "kl-bits"), np.array([0.1, 0.9]), np.array([0.6, 0.4]), base=2)


def test_kl_explorer_outcomes_swap_units_and_an_infinite_divergence(page):
    root = explorer(page, "kl")
    press(range_input(root, "outcomes"), "ArrowRight", 2)
    assert range_input(root, "weight of p(4)").is_visible() and not range_input(root, "weight of p(5)").is_visible()
    p, q = slider_values(root, "p", 5), slider_values(root, "q", 5)
    assert_divergences(root, p / p.sum(), q / q.sum())
    press(range_input(root, "weight of q(1)"), "Home")  # the model gives 0 to an outcome the data produces
    q = slider_values(root, "q", 5)
    assert q[1] == 0 and root.locator('[data-role="kl-pq"]').inner_text() == "∞"
    assert_divergences(root, p / p.sum(), q / q.sum())
    root.get_by_role("button", name="swap p and q").press("Enter")
    assert_divergences(root, q / q.sum(), p / p.sum())
    root.get_by_label("unit").select_option("bits")
    assert_divergences(root, q / q.sum(), p / p.sum(), base=2)
    assert "nan" not in root.inner_text().lower()


def test_bernoulli_explorer_across_the_square(page):
    root = explorer(page, "bernoulli")
    p_slider, q_slider = range_input(root, "p = P(x = 1)"), range_input(root, "q = P(x = 1)")
    for p_key, q_key in (("Home", "End"), ("End", "End"), ("PageUp", "Home")):
        press(p_slider, p_key)
        press(q_slider, q_key)
        a, b = float(p_slider.input_value()), float(q_slider.input_value())
        assert_divergences(root, np.array([1 - a, a]), np.array([1 - b, b]))


def test_forward_reverse_explorer_shows_the_fits_of_its_table(page):
    root = explorer(page, "forward-reverse")
    before = root.locator("polyline").nth(1).get_attribute("points")
    press(range_input(root, "mode distance d"), "End")
    press(range_input(root, "weight of the left mode"), "Home")
    fits = kl.gaussian_fits(info.two_mode_mixture(6.0, weight=0.3))
    for key, value in fits.items():
        assert shown(root, key.replace("_", "-")) == pytest.approx(value, abs=5e-4), key
    assert root.locator("polyline").nth(1).get_attribute("points") != before
    assert len(root.locator("polyline").nth(1).get_attribute("points").split()) == 321


def test_coverage_explorer_counts_exactly(page):
    root = explorer(page, "coverage")
    press(range_input(root, "image side s"), "ArrowLeft")  # s = 4: 16 pixels
    press(range_input(root, "examples n"), "ArrowLeft", 2)  # n = 10
    text = root.locator('[data-role="readout"]').inner_text()
    mantissa, exponent = counting.scientific(counting.coverage(10, 16))
    assert f"{mantissa:.2f} × 10{exponent}" in text.replace("\n", "")
    assert root.locator('[data-role="n-digits"]').inner_text() == str(counting.n_digits(2**16))
    press(range_input(root, "examples n"), "End")
    assert "can show all of them" in root.locator('[data-role="readout"]').inner_text()


def test_coin_explorer_finds_theta_star(page):
    root = explorer(page, "coin")
    press(range_input(root, "heads n_H"), "ArrowRight", 4)
    press(range_input(root, "tails n_T"), "ArrowRight", 19)
    assert shown(root, "theta-star") == pytest.approx(estimation.coin_mle(7, 21), abs=5e-4)
    assert shown(root, "max-log-likelihood") == pytest.approx(float(estimation.coin_log_likelihood(0.25, 7, 21)), abs=5e-4)
    press(range_input(root, "heads n_H"), "Home")
    press(range_input(root, "tails n_T"), "Home")
    assert root.locator('[data-role="no-flips"]').is_visible()


def test_monte_carlo_explorer_spread_matches_the_prediction(page):
    root = explorer(page, "monte-carlo")
    exact = WORLD.expected(LOG_Q)
    assert shown(root, "exact") == pytest.approx(exact, abs=5e-4)
    for _ in range(3):
        predicted = math.sqrt(WORLD.log_prob_variance(LOG_Q) / int(root.get_by_label("sample size n").input_value()))
        assert shown(root, "predicted-sd") == pytest.approx(predicted, abs=5e-4)
        assert shown(root, "sd") == pytest.approx(predicted, rel=0.15)
        assert abs(shown(root, "mean") - exact) < 5 * predicted / math.sqrt(400) + 5e-4
        before = signature(root)
        root.get_by_role("button", name="draw new samples").press("Enter")
        assert signature(root) != before
        press(root.get_by_label("sample size n"), "ArrowDown")


def test_monte_carlo_seed_field_redraws_the_same_samples_for_the_same_seed(page):
    root = explorer(page, "monte-carlo")
    seed = root.get_by_label("seed", exact=True)
    seed.fill("5")
    at_five = signature(root)
    root.get_by_role("button", name="draw new samples").press("Enter")
    assert seed.input_value() == "6" and signature(root) != at_five
    seed.fill("5")
    assert signature(root) == at_five
    seed.fill("2.5")  # not a seed: nothing is redrawn
    assert signature(root) == at_five


def test_extra_bits_explorer_reads_its_measured_table(page):
    root = explorer(page, "extra-bits")
    press(range_input(root, "t (q_t moves from p to r)"), "End")
    table = explorers()["extra-bits"]
    assert shown(root, "predicted") == pytest.approx(float(info.kl_divergence(LOADED, LOADED[::-1], base=2)), abs=5e-4)
    assert shown(root, "measured") == pytest.approx(table.bits_q[-1] - table.bits_p, abs=5e-4)
    assert shown(root, "h-p") == pytest.approx(float(info.entropy(LOADED, base=2)), abs=5e-4)


def test_every_control_changes_what_its_explorer_shows(page):
    for root in page.locator(".mlebook-explorer").all():
        assert_every_control_acts(root, root.get_attribute("data-explorer"))


def test_explorers_work_from_the_disk(browser, site):
    folder, _ = site
    offline = OfflinePage(browser, allowed=(folder.as_uri(),))
    page = offline.goto((folder / "index.html").as_uri())
    try:
        wait_for_explorers(page)
        root = explorer(page, "bernoulli")
        before = signature(root)
        press(range_input(root, "p = P(x = 1)"), "ArrowRight")
        assert signature(root) != before
        assert not offline.errors and not offline.outside
    finally:
        offline.close()


@pytest.mark.parametrize("key", ["kl", "bernoulli", "forward-reverse", "coverage", "coin", "monte-carlo", "extra-bits"])
def test_each_esm_renders_from_a_blob_url_as_in_jupyter(browser, key, tmp_path):
    widget = explorers()[key]
    write_jupyter_page(tmp_path, widget)
    with serve(tmp_path) as url:
        offline = OfflinePage(browser, allowed=(url,))
        page = offline.goto(url + "index.html")
        try:
            page.wait_for_function("() => window.rendered === true", timeout=20_000)
            host = page.locator("#host")
            control = host.locator(CONTROLS).first
            before = signature(host)
            operate(control)
            assert signature(host) != before
            assert page.evaluate("() => window.saved") >= 1, "a control did not save its change to the model"
            assert not offline.errors and not offline.outside, offline.errors + offline.outside
        finally:
            offline.close()
