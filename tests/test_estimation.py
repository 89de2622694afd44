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


# --- properties of the MLE ----------------------------------------------------------------

@pytest.mark.parametrize("theta, n_flips", [(0.3, 10), (0.3, 400), (0.9, 25), (0.5, 2500)])
def test_coin_mle_variance_matches_scipy_binomial(theta, n_flips):
    # theta_hat = n_H / N with n_H ~ Binomial(N, theta)
    assert estimation.coin_mle_variance(theta, n_flips) == pytest.approx(stats.binom(n_flips, theta).var() / n_flips**2)


@pytest.mark.parametrize("theta, n_flips", [(0.3, 10), (0.3, 400), (0.9, 25), (0.5, 2500)])
def test_simulated_mle_is_unbiased_with_the_binomial_variance(theta, n_flips):
    repeats = 4000
    estimates = estimation.simulate_coin_mle(theta, n_flips, repeats, seed=n_flips)
    variance = estimation.coin_mle_variance(theta, n_flips)
    assert abs(estimates.mean() - theta) < 5 * math.sqrt(variance / repeats)
    # the standard error of a sample variance: Var(s^2) ~ sigma^4 (2 / (R - 1) + excess kurtosis / R)
    kurtosis = float(stats.binom(n_flips, theta).stats(moments="k"))
    se_variance = variance * math.sqrt(2 / (repeats - 1) + kurtosis / repeats)
    assert abs(estimates.var(ddof=1) - variance) < 5 * se_variance
    assert np.all(np.isclose(estimates * n_flips, np.round(estimates * n_flips)))  # counts of heads over N


def test_simulated_mle_is_consistent_within_the_chebyshev_bound():
    theta, eps = 0.3, 0.05
    previous = 1.0
    for n_flips in (10, 100, 1000):
        estimates = estimation.simulate_coin_mle(theta, n_flips, 2000, seed=1)
        far = np.mean(np.abs(estimates - theta) > eps)
        bound = estimation.coin_mle_variance(theta, n_flips) / eps**2
        assert far <= min(1.0, bound) + 3 * math.sqrt(0.25 / 2000)
        assert far < previous
        previous = far
    assert previous < 0.01


def test_simulate_coin_mle_is_seeded_and_checks_arguments():
    np.testing.assert_array_equal(estimation.simulate_coin_mle(0.4, 2500, 3, seed=2), estimation.simulate_coin_mle(0.4, 2500, 3, seed=2))
    with pytest.raises(ValueError, match="theta"):
        estimation.simulate_coin_mle(1.5, 10, 3)
    with pytest.raises(ValueError, match="n_flips"):
        estimation.coin_mle_variance(0.5, 0)


# --- priors: MAP estimates and smoothing -------------------------------------------------------

@pytest.mark.parametrize("heads, tails, alpha", [(3, 2, 1.0), (3, 0, 1.0), (0, 7, 0.5), (12, 30, 4.0), (5, 5, 0.0)])
def test_coin_map_maximises_likelihood_times_beta_prior(heads, tails, alpha):
    prior = stats.beta(1 + alpha, 1 + alpha)
    result = optimize.minimize_scalar(
        lambda t: -(estimation.coin_log_likelihood(t, heads, tails) + prior.logpdf(t)), bounds=(1e-9, 1 - 1e-9),
        method="bounded", options={"xatol": 1e-10},
    )
    assert estimation.coin_map(heads, tails, alpha) == pytest.approx(result.x, abs=1e-6)
    # the posterior is the prior times the likelihood, normalised
    posterior = estimation.coin_posterior(heads, tails, alpha)
    theta = np.linspace(0.05, 0.95, 7)
    unnormalised = estimation.coin_log_likelihood(theta, heads, tails) + prior.logpdf(theta)
    np.testing.assert_allclose(posterior.logpdf(theta) - unnormalised, (posterior.logpdf(theta) - unnormalised)[0])


def test_coin_map_is_the_smoothed_pixel_frequency():
    from mlebook.models import IndependentBernoulli

    x = np.array([[1], [1], [1], [0]], dtype=np.uint8)
    for alpha in (0.0, 1.0, 3.0):
        model = IndependentBernoulli(1, alpha=alpha).fit_closed_form(x)
        assert float(model.probs.detach()[0]) == pytest.approx(estimation.coin_map(3, 1, alpha), rel=1e-6)
    assert estimation.coin_map(3, 0, 0.0) == estimation.coin_mle(3, 0) == 1.0
    with pytest.raises(ValueError, match="alpha"):
        estimation.coin_map(1, 1, -1.0)
    with pytest.raises(ValueError, match="alpha > 0"):
        estimation.coin_map(0, 0, 0.0)


def test_smoothed_frequencies_are_dirichlet_posterior_means_and_modes():
    counts = np.array([5, 0, 2, 0, 9])
    for alpha in (0.3, 1.0, 2.5):
        q = estimation.smoothed_frequencies(counts, alpha)
        # posterior mean under Dirichlet(alpha) ...
        np.testing.assert_allclose(q, stats.dirichlet(counts + alpha).mean())
        # ... and posterior mode under Dirichlet(1 + alpha): no other point on the simplex scores higher
        posterior = stats.dirichlet(counts + 1 + alpha)
        others = np.random.default_rng(0).dirichlet(counts + 1 + alpha, size=2000)
        assert (posterior.logpdf(others.T) < posterior.logpdf(q)).all()
    np.testing.assert_allclose(estimation.smoothed_frequencies(counts, 0.0), counts / counts.sum())
    table = estimation.smoothed_frequencies(counts, np.array([0.5, 1.0]))
    assert table.shape == (2, 5)
    np.testing.assert_allclose(table[1], estimation.smoothed_frequencies(counts, 1.0))
    assert estimation.smoothed_frequencies([3, 1], 1.0)[0] == pytest.approx(estimation.coin_map(3, 1, 1.0))
    with pytest.raises(ValueError, match="alpha"):
        estimation.smoothed_frequencies(counts, -0.1)
    with pytest.raises(ValueError, match="counts"):
        estimation.smoothed_frequencies([[1, 2]], 1.0)


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
