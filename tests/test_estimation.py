"""Tests for mlebook.chapters.estimation: the coin, exact expectations, Monte Carlo, learning curves, zero counts."""

import math

import numpy as np
import pytest
from scipy import optimize, stats

from mlebook.chapters import counting, estimation
from mlebook.train import evaluate, log_probs


# --- the biased coin -------------------------------------------------------------------------

def test_coin_counts():
    assert estimation.coin_counts("HHTHT") == (3, 2)
    assert estimation.coin_counts("tt") == (0, 2)
    with pytest.raises(ValueError, match="'H' and 'T'"):
        estimation.coin_counts("HXT")


@pytest.mark.parametrize("heads, tails", [(3, 2), (1, 9), (17, 4), (0, 5), (6, 0)])
def test_coin_log_likelihood_matches_binomial(heads, tails):
    theta = np.linspace(0.01, 0.99, 25)
    # one particular sequence: the binomial pmf without its count of orderings
    expected = stats.binom.logpmf(heads, heads + tails, theta) - math.log(math.comb(heads + tails, heads))
    np.testing.assert_allclose(estimation.coin_log_likelihood(theta, heads, tails), expected, rtol=1e-10)
    np.testing.assert_allclose(estimation.coin_likelihood(theta, heads, tails), theta**heads * (1 - theta) ** tails)


def test_coin_log_likelihood_at_the_ends():
    assert estimation.coin_log_likelihood(0.0, 0, 4) == 0.0  # all tails: theta = 0 explains them surely
    assert estimation.coin_log_likelihood(0.0, 1, 4) == -np.inf
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        estimation.coin_log_likelihood(1.5, 1, 1)


@pytest.mark.parametrize("heads, tails", [(3, 2), (1, 9), (17, 4), (50, 49)])
def test_coin_mle_matches_numerical_optimiser(heads, tails):
    result = optimize.minimize_scalar(
        lambda t: -estimation.coin_log_likelihood(t, heads, tails), bounds=(1e-9, 1 - 1e-9), method="bounded",
        options={"xatol": 1e-10},
    )
    assert estimation.coin_mle(heads, tails) == pytest.approx(result.x, abs=1e-6)


def test_coin_mle_of_the_lecture_example():
    assert estimation.coin_mle(*estimation.coin_counts("HHTHT")) == pytest.approx(0.6)


def test_coin_mle_errors():
    with pytest.raises(ValueError, match="at least one flip"):
        estimation.coin_mle(0, 0)
    with pytest.raises(ValueError, match=">= 0"):
        estimation.coin_mle(-1, 2)


# --- tabulated distributions ---------------------------------------------------------------

def random_table(n_dims, seed, concentration=0.3):
    probs = np.random.default_rng(seed).dirichlet(np.full(2**n_dims, concentration))
    return estimation.TabulatedDistribution(np.log(probs))


def test_entropy_and_kl_identity_match_scipy():
    p, q = random_table(4, 0), random_table(4, 1)
    assert p.entropy() == pytest.approx(stats.entropy(p.probs))
    kl = -p.entropy() - p.expected(q.log_probs)  # KL(p || q) = -H(p) - E_p[log q]
    assert kl == pytest.approx(stats.entropy(p.probs, q.probs))


def test_expected_ignores_impossible_images():
    log_probs = np.array([math.log(0.5), math.log(0.5), -np.inf, -np.inf])
    p = estimation.TabulatedDistribution(log_probs)
    assert p.expected(np.array([1.0, 3.0, np.inf, -np.inf])) == pytest.approx(2.0)
    assert p.entropy() == pytest.approx(math.log(2))


def test_tabulated_log_prob_and_sampling():
    p = random_table(3, 2, concentration=2.0)
    images = counting.binary_images(3)
    np.testing.assert_allclose(p.log_prob(images[::-1]), p.log_probs[::-1])
    draws = p.sample(20_000, seed=0)
    frequencies = np.bincount(counting.image_index(draws), minlength=8) / len(draws)
    # each frequency within 5 standard errors of its probability
    assert (np.abs(frequencies - p.probs) <= 5 * np.sqrt(p.probs * (1 - p.probs) / len(draws))).all()
    np.testing.assert_array_equal(draws, p.sample(20_000, seed=0))


def test_tabulated_from_model_matches_product_formula():
    from mlebook.models import IndependentBernoulli

    model = IndependentBernoulli(3).fit_closed_form(np.array([[1, 0, 0], [1, 1, 0], [0, 1, 0]]))
    theta = (np.array([2, 2, 0]) + 1) / (3 + 2)  # add-one smoothing of the counts
    table = estimation.TabulatedDistribution.from_model(model, 3)
    expected = [np.prod(np.where(x == 1, theta, 1 - theta)) for x in counting.binary_images(3)]
    np.testing.assert_allclose(table.probs, expected, rtol=1e-5)


def test_tabulated_errors():
    with pytest.raises(ValueError, match="sum to 1"):
        estimation.TabulatedDistribution(np.log([0.5, 0.4]))
    with pytest.raises(ValueError, match="2\\^D"):
        estimation.TabulatedDistribution(np.log([0.5, 0.25, 0.25]))
    with pytest.raises(ValueError, match="shape"):
        random_table(3, 0).log_prob(np.zeros((2, 4), dtype=np.uint8))


def test_exact_score_against_scipy_and_sample_mean():
    from mlebook.models import IndependentBernoulli

    p = random_table(3, 9, concentration=1.0)
    test = p.sample(50, seed=1)
    model = IndependentBernoulli(3).fit_closed_form(p.sample(40, seed=2))
    q = estimation.TabulatedDistribution.from_model(model, 3)
    score = estimation.exact_score(p, model, test)
    assert score.kl == pytest.approx(stats.entropy(p.probs, q.probs), abs=1e-5)
    assert score.cross_entropy == pytest.approx(score.kl + p.entropy())
    log_q = q.log_prob(test)
    assert score.test_nll == pytest.approx(-log_q.mean(), rel=1e-5)
    assert score.test_nll_se == pytest.approx(log_q.std(ddof=1) / math.sqrt(50), rel=1e-4)


# --- Monte Carlo -----------------------------------------------------------------------------

def test_monte_carlo_estimate_is_unbiased_with_variance_over_n():
    p, q = random_table(4, 3, concentration=1.0), random_table(4, 4, concentration=1.0)
    exact = p.expected(q.log_probs)
    variance = p.log_prob_variance(q.log_probs)

    def log_q(x):
        return q.log_prob(x)

    for n in (10, 40):
        estimates = estimation.monte_carlo_estimates(p.sample, log_q, n=n, n_repeats=4000, seed=n)
        standard_error = math.sqrt(variance / n / len(estimates))
        assert abs(estimates.mean() - exact) < 5 * standard_error
        # the sample variance of 4000 estimates is within ~10% of Var / n
        assert estimates.var(ddof=1) * n == pytest.approx(variance, rel=0.15)


def test_monte_carlo_is_reproducible_and_checks_arguments():
    p = random_table(3, 5)
    first = estimation.monte_carlo_estimates(p.sample, p.log_prob, n=5, n_repeats=3, seed=7)
    np.testing.assert_array_equal(first, estimation.monte_carlo_estimates(p.sample, p.log_prob, n=5, n_repeats=3, seed=7))
    with pytest.raises(ValueError, match="n and n_repeats"):
        estimation.monte_carlo_estimates(p.sample, p.log_prob, n=0, n_repeats=3)


# --- learning curves -------------------------------------------------------------------------

class PixelFrequencies:
    """A small numpy model for the tests: independent pixels with add-one smoothing."""

    def __init__(self, x):
        self.theta = (x.sum(axis=0) + 1) / (len(x) + 2)

    def log_prob(self, x):
        return (x * np.log(self.theta) + (1 - x) * np.log(1 - self.theta)).sum(axis=1)


def test_learning_curve_fits_nested_subsets():
    rng = np.random.default_rng(6)
    train = (rng.random((40, 6)) < 0.3).astype(np.uint8)
    test = (rng.random((30, 6)) < 0.3).astype(np.uint8)
    curve = estimation.learning_curve(PixelFrequencies, train, test, sizes=[5, 20, 40], seed=1)
    order = np.random.default_rng(1).permutation(40)
    for n, train_nll, test_nll in zip(curve.sizes, curve.train_nll, curve.test_nll):
        model = PixelFrequencies(train[order[:n]])
        assert train_nll == pytest.approx(-model.log_prob(train[order[:n]]).mean())
        assert test_nll == pytest.approx(-model.log_prob(test).mean())
    np.testing.assert_allclose(curve.gap, curve.test_nll - curve.train_nll)
    with pytest.raises(ValueError, match="sizes"):
        estimation.learning_curve(PixelFrequencies, train, test, sizes=[50])


def test_mean_nll_of_torch_model_matches_numpy_formula():
    from mlebook.models import IndependentBernoulli

    x = np.array([[1, 0, 1], [0, 0, 1], [1, 1, 1]], dtype=np.uint8)
    model = IndependentBernoulli(3).fit_closed_form(x)
    assert evaluate(model, x) == pytest.approx(-PixelFrequencies(x).log_prob(x).mean(), rel=1e-5)


# --- zero counts -----------------------------------------------------------------------------

def test_constant_pixels_and_zero_probability_images():
    train = np.array([[0, 1, 1, 0], [0, 0, 1, 1], [0, 1, 1, 0]])
    np.testing.assert_array_equal(estimation.constant_pixels(train), [0, 2])  # always off, always on
    x = np.array([[0, 1, 1, 1], [1, 0, 1, 0], [0, 0, 0, 0], [1, 1, 0, 1]])
    np.testing.assert_array_equal(estimation.zero_probability_images(train, x), [False, True, True, True])


def test_zero_probability_images_are_those_the_unsmoothed_model_rules_out():
    from mlebook.models import IndependentBernoulli

    rng = np.random.default_rng(8)
    train = (rng.random((30, 12)) < np.linspace(0.0, 0.2, 12)).astype(np.uint8)  # rare pixels
    x = (rng.random((200, 12)) < 0.1).astype(np.uint8)
    log_p = log_probs(IndependentBernoulli(12, alpha=0.0).fit_closed_form(train), x)
    np.testing.assert_array_equal(estimation.zero_probability_images(train, x), log_p == -np.inf)
    assert estimation.zero_probability_images(train, x).any()
