"""Tests for mlebook.density_widgets: move the sliders from Python, read the numbers shown."""

import math

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from mlebook.chapters import counting, estimation
from mlebook.explorers import density as density_widgets  # noqa: E402


def test_coverage_explorer_follows_its_sliders():
    explorer = density_widgets.CoverageExplorer()
    assert explorer.numbers["n_images"] == 2**784
    assert explorer.numbers["n_digits"] == 237
    assert explorer.numbers["coverage_exponent"] == counting.scientific(counting.coverage(10**7, 784))[1]

    explorer.side.value = 4
    explorer.log10_examples.value = 3
    numbers = explorer.numbers
    assert numbers["n_pixels"] == 16 and numbers["n_images"] == 65_536
    assert numbers["coverage"] == counting.coverage(1000, 16)
    assert numbers["table_parameters"] == 65_535
    assert "2<sup>16</sup>" in explorer.html.value

    explorer.log10_examples.value = 5  # more examples than images: the whole space
    assert explorer.numbers["coverage"] == 1


def test_coin_explorer_follows_its_sliders():
    explorer = density_widgets.CoinExplorer()
    assert explorer.numbers["theta_star"] == pytest.approx(0.6)
    explorer.n_heads.value = 7
    explorer.n_tails.value = 21
    assert explorer.numbers["theta_star"] == pytest.approx(estimation.coin_mle(7, 21))
    assert explorer.numbers["max_log_likelihood"] == pytest.approx(7 * math.log(0.25) + 21 * math.log(0.75))
    likelihood_axes = explorer.figure.axes[0]
    assert likelihood_axes.lines[1].get_xdata()[0] == pytest.approx(0.25)  # theta* marked
    np.testing.assert_allclose(
        likelihood_axes.lines[0].get_ydata(), explorer.theta**7 * (1 - explorer.theta) ** 21, atol=1e-300
    )


def test_coin_explorer_without_flips():
    explorer = density_widgets.CoinExplorer(n_heads=0, n_tails=0)
    assert explorer.numbers["theta_star"] is None and explorer.figure is None
    explorer.n_tails.value = 4
    assert explorer.numbers["theta_star"] == 0.0 and explorer.figure is not None


def test_monte_carlo_explorer_spread_shrinks_like_one_over_root_n():
    rng = np.random.default_rng(0)
    p = estimation.TabulatedDistribution(np.log(rng.dirichlet(np.ones(16))))
    q = estimation.TabulatedDistribution(np.log(rng.dirichlet(np.ones(16))))
    explorer = density_widgets.MonteCarloExplorer(p, q.log_probs, n=10, n_repeats=2000)
    exact = p.expected(q.log_probs)
    assert explorer.numbers["exact"] == pytest.approx(exact)
    for n in (10, 1000):
        explorer.n.value = n
        numbers = explorer.numbers
        assert numbers["n"] == n
        assert numbers["predicted_sd"] == pytest.approx(math.sqrt(p.log_prob_variance(q.log_probs) / n))
        assert numbers["sd"] == pytest.approx(numbers["predicted_sd"], rel=0.1)
        assert abs(numbers["mean"] - exact) < 5 * numbers["predicted_sd"] / math.sqrt(2000)
        assert explorer.figure.axes[0].lines[0].get_xdata()[0] == pytest.approx(exact)
