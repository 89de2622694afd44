"""mlebook.info against independent references (scipy, torch.distributions, quadrature) and
the properties every divergence of this kind must have."""

import math

import numpy as np
import pytest
import scipy.stats
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate
from scipy.special import rel_entr

from mlebook import info

# ---------------------------------------------------------------------------- strategies
# Hypothesis tests run with deadline=None: the CPU is shared, so per-example timing varies.


@st.composite
def distributions(draw, n_outcomes=None, allow_zeros=True):
    """A probability vector: non-negative weights normalised to sum 1."""
    n = draw(st.integers(2, 8)) if n_outcomes is None else n_outcomes
    low = 0.0 if allow_zeros else 1e-3
    weights = np.array(draw(st.lists(st.floats(low, 1.0), min_size=n, max_size=n)))
    if weights.sum() == 0:
        weights[0] = 1.0
    return weights / weights.sum()


@st.composite
def distribution_pairs(draw, allow_zeros=True):
    n = draw(st.integers(2, 8))
    return draw(distributions(n, allow_zeros)), draw(distributions(n, allow_zeros))


# ---------------------------------------------------------------------------- references


@settings(deadline=None)
@given(distribution_pairs())
def test_matches_scipy(pair):
    p, q = pair
    assert info.entropy(p) == pytest.approx(scipy.stats.entropy(p), abs=1e-12)
    assert info.entropy(p, base=2) == pytest.approx(scipy.stats.entropy(p, base=2), abs=1e-12)
    expected = rel_entr(p, q).sum()
    actual = info.kl_divergence(p, q)
    if np.isinf(expected):
        assert actual == np.inf
    else:
        assert actual == pytest.approx(expected, rel=1e-9, abs=1e-12)
        assert actual == pytest.approx(scipy.stats.entropy(p, q), rel=1e-9, abs=1e-12)


@settings(deadline=None)
@given(distribution_pairs(allow_zeros=False))
def test_matches_torch_categorical(pair):
    p, q = (torch.distributions.Categorical(probs=torch.tensor(v, dtype=torch.float64)) for v in pair)
    assert info.kl_divergence(*pair) == pytest.approx(torch.distributions.kl_divergence(p, q).item(), abs=1e-10)
    assert info.entropy(pair[0]) == pytest.approx(p.entropy().item(), abs=1e-10)


def test_bernoulli_matches_torch_on_a_grid():
    grid = np.linspace(0.01, 0.99, 25)
    p, q = np.meshgrid(grid, grid, indexing="ij")
    expected = torch.distributions.kl_divergence(
        torch.distributions.Bernoulli(probs=torch.tensor(p)), torch.distributions.Bernoulli(probs=torch.tensor(q))
    ).numpy()
    np.testing.assert_allclose(info.kl_bernoulli(p, q), expected, rtol=1e-9, atol=1e-12)


def test_bernoulli_edges():
    assert info.kl_bernoulli(0.0, 0.0) == 0.0
    assert info.kl_bernoulli(1.0, 1.0) == 0.0
    assert info.kl_bernoulli(0.0, 0.5) == pytest.approx(math.log(2))
    assert info.kl_bernoulli(1.0, 0.25) == pytest.approx(math.log(4))
    assert info.kl_bernoulli(0.5, 0.0) == np.inf
    assert info.kl_bernoulli(0.5, 1.0) == np.inf
    assert info.kl_bernoulli(0.0, 1.0) == np.inf
    assert not np.isnan(info.kl_bernoulli(np.linspace(0, 1, 11)[:, None], np.linspace(0, 1, 11))).any()


@settings(deadline=None)
@given(
    st.floats(-5, 5), st.floats(0.1, 5), st.floats(-5, 5), st.floats(0.1, 5),
)
def test_gaussian_matches_torch(mu_p, sigma_p, mu_q, sigma_q):
    expected = torch.distributions.kl_divergence(
        torch.distributions.Normal(torch.tensor(mu_p, dtype=torch.float64), sigma_p),
        torch.distributions.Normal(torch.tensor(mu_q, dtype=torch.float64), sigma_q),
    ).item()
    assert info.kl_gaussian(mu_p, sigma_p, mu_q, sigma_q) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_gaussian_matches_quadrature():
    p, q = scipy.stats.norm(0.3, 0.7), scipy.stats.norm(-1.0, 1.9)
    expected, _ = integrate.quad(lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x)), -np.inf, np.inf)
    assert info.kl_gaussian(0.3, 0.7, -1.0, 1.9) == pytest.approx(expected, rel=1e-8)


def test_monte_carlo_within_a_few_standard_errors_of_closed_form():
    p, q = scipy.stats.norm(0.0, 1.0), scipy.stats.norm(1.0, 2.0)
    estimate, standard_error = info.kl_monte_carlo(p.logpdf, q.logpdf, lambda n, rng: rng.normal(0, 1, n), n=20_000, seed=1)
    exact = info.kl_gaussian(0.0, 1.0, 1.0, 2.0)
    assert 0 < standard_error < 0.01
    assert abs(estimate - exact) < 4 * standard_error


def test_monte_carlo_is_seeded_and_converts_to_bits():
    args = (scipy.stats.norm(0, 1).logpdf, scipy.stats.norm(0.5, 1).logpdf, lambda n, rng: rng.normal(0, 1, n))
    nats = info.kl_monte_carlo(*args, n=500, seed=3)
    assert nats == info.kl_monte_carlo(*args, n=500, seed=3)
    assert nats != info.kl_monte_carlo(*args, n=500, seed=4)
    bits = info.kl_monte_carlo(*args, n=500, seed=3, base=2)
    assert bits.estimate == pytest.approx(nats.estimate / math.log(2))
    assert bits.standard_error == pytest.approx(nats.standard_error / math.log(2))


# ---------------------------------------------------------------------------- properties


@settings(deadline=None)
@given(distribution_pairs())
def test_gibbs_inequality_and_decomposition(pair):
    p, q = pair
    h, h_pq, kl = info.entropy(p), info.cross_entropy(p, q), info.kl_divergence(p, q)
    assert kl >= 0
    assert h <= h_pq + 1e-12
    if np.isfinite(h_pq):
        assert h_pq == pytest.approx(h + kl, abs=1e-10)
    else:
        assert kl == np.inf


@settings(deadline=None)
@given(distributions())
def test_zero_for_equal_distributions(p):
    assert info.kl_divergence(p, p) == pytest.approx(0.0, abs=1e-12)
    assert info.cross_entropy(p, p) == pytest.approx(info.entropy(p), abs=1e-12)


@settings(deadline=None)
@given(distribution_pairs())
def test_pinsker_so_zero_only_if_equal(pair):
    """KL(p || q) >= (1/2) ||p - q||_1^2 (nats): a positive gap whenever p differs from q."""
    p, q = pair
    assert info.kl_divergence(p, q) >= 0.5 * np.abs(p - q).sum() ** 2 - 1e-12


@settings(deadline=None)
@given(distribution_pairs())
def test_bits_are_nats_over_ln2(pair):
    p, q = pair
    for function, args in ((info.entropy, (p,)), (info.cross_entropy, (p, q)), (info.kl_divergence, (p, q))):
        nats, bits = function(*args), function(*args, base=2)
        if np.isinf(nats):
            assert bits == np.inf
        else:
            assert bits == pytest.approx(nats / math.log(2), rel=1e-12, abs=1e-15)


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 4), st.integers(2, 4), st.data())
def test_chain_rule(n_x, n_y, data):
    """KL(p(x, y) || q(x, y)) = KL(p(x) || q(x)) + sum_x p(x) KL(p(y | x) || q(y | x))."""
    p_joint = data.draw(distributions(n_x * n_y, allow_zeros=False)).reshape(n_x, n_y)
    q_joint = data.draw(distributions(n_x * n_y, allow_zeros=False)).reshape(n_x, n_y)
    p_x, q_x = p_joint.sum(1), q_joint.sum(1)
    conditional_kl = info.kl_divergence(p_joint / p_x[:, None], q_joint / q_x[:, None])
    assert conditional_kl.shape == (n_x,)
    expected = info.kl_divergence(p_x, q_x) + np.dot(p_x, conditional_kl)
    assert info.kl_divergence(p_joint.ravel(), q_joint.ravel()) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_asymmetry_is_found():
    rng = np.random.default_rng(0)
    p, q = rng.dirichlet(np.ones(4), size=(2, 100))
    gaps = np.abs(info.kl_divergence(p, q) - info.kl_divergence(q, p))
    assert gaps.max() > 0.1
    # A hand-checkable pair: KL(p||q) = 0.5 ln(0.5/0.9) + 0.5 ln(0.5/0.1), and the reverse.
    p, q = [0.5, 0.5], [0.9, 0.1]
    assert info.kl_divergence(p, q) == pytest.approx(0.5 * math.log(0.5 / 0.9) + 0.5 * math.log(5))
    assert info.kl_divergence(q, p) == pytest.approx(0.9 * math.log(1.8) + 0.1 * math.log(0.2))
    assert info.kl_divergence(p, q) != pytest.approx(info.kl_divergence(q, p))


def test_batched_shapes_broadcast_like_numpy():
    rng = np.random.default_rng(1)
    p = rng.dirichlet(np.ones(3), size=(4, 1))
    q = rng.dirichlet(np.ones(3), size=5)
    kl = info.kl_divergence(p, q)
    assert kl.shape == (4, 5)
    assert info.entropy(p).shape == (4, 1)
    assert info.cross_entropy(p, q).shape == (4, 5)
    for i in range(4):
        for j in range(5):
            assert kl[i, j] == pytest.approx(scipy.stats.entropy(p[i, 0], q[j]))
    assert isinstance(info.kl_divergence(p[0, 0], q[0]), np.floating)


def test_zero_in_model_where_data_has_mass_is_infinite():
    assert info.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert info.cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert info.kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(math.log(2))
    assert info.entropy([1.0, 0.0]) == 0.0


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "p, q, message",
    [
        ([0.5, 0.5], [0.3, 0.3, 0.4], "same number of outcomes"),
        ([1.2, -0.2], [0.5, 0.5], "negative"),
        ([np.nan, 1.0], [0.5, 0.5], "NaN"),
        ([0.5, 0.4], [0.5, 0.5], "sum to 1"),
        ([0.5, 0.5], [0.5, 0.5 + 2e-6], "sum to 1"),
        (0.5, [0.5, 0.5], "scalar"),
        (np.full((2, 2), 0.5), np.full((3, 2), 0.5), "broadcast"),
    ],
)
def test_bad_input_raises(p, q, message):
    with pytest.raises(ValueError, match=message):
        info.kl_divergence(p, q)


def test_bad_input_raises_for_the_other_functions():
    with pytest.raises(ValueError, match="sum to 1"):
        info.entropy([0.2, 0.2])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        info.kl_bernoulli(1.5, 0.5)
    with pytest.raises(ValueError, match="positive"):
        info.kl_gaussian(0, 0, 0, 1)
    with pytest.raises(ValueError, match="base"):
        info.entropy([0.5, 0.5], base=1)
    with pytest.raises(ValueError, match="one value per sample"):
        info.kl_monte_carlo(lambda x: x[:1], lambda x: x[:1], lambda n, rng: rng.normal(size=n), n=10)


# ---------------------------------------------------------------------------- mixtures and fits


def test_mixture_density_matches_scipy_and_integrates_to_one():
    mixture = info.GaussianMixture1D((0.3, 0.7), (-1.0, 2.0), (0.5, 1.5))
    x = np.linspace(-4, 6, 41)
    expected = 0.3 * scipy.stats.norm(-1, 0.5).pdf(x) + 0.7 * scipy.stats.norm(2, 1.5).pdf(x)
    np.testing.assert_allclose(mixture.pdf(x), expected, rtol=1e-12)
    assert integrate.quad(mixture.pdf, -np.inf, np.inf)[0] == pytest.approx(1.0)
    mean = integrate.quad(lambda t: t * mixture.pdf(t), -np.inf, np.inf)[0]
    second = integrate.quad(lambda t: t * t * mixture.pdf(t), -np.inf, np.inf)[0]
    assert mixture.mean() == pytest.approx(mean)
    assert mixture.variance() == pytest.approx(second - mean**2)
    samples = mixture.sample(20_000, np.random.default_rng(0))
    assert samples.mean() == pytest.approx(mean, abs=4 * math.sqrt(mixture.variance() / 20_000))


def test_mixture_kls_match_scipy_quadrature():
    mixture = info.two_mode_mixture(4.0, sigma=0.8, weight=0.4)
    mu, sigma = 0.7, 1.6
    q = scipy.stats.norm(mu, sigma)
    lo, hi = -15, 15  # both densities are far below 1e-30 outside
    forward = integrate.quad(lambda x: mixture.pdf(x) * (mixture.log_prob(x) - q.logpdf(x)), lo, hi, limit=200)[0]
    reverse = integrate.quad(lambda x: q.pdf(x) * (q.logpdf(x) - mixture.log_prob(x)), lo, hi, limit=200)[0]
    assert info.kl_mixture_to_normal(mixture, mu, sigma) == pytest.approx(forward, rel=1e-7)
    assert info.kl_normal_to_mixture(mu, sigma, mixture) == pytest.approx(reverse, rel=1e-7)


def test_one_component_mixture_is_recovered_by_both_fits():
    mixture = info.GaussianMixture1D((1.0,), (1.5,), (0.7,))
    for fit in (info.fit_normal_forward_kl, info.fit_normal_reverse_kl):
        mu, sigma = fit(mixture)
        assert mu == pytest.approx(1.5, abs=1e-4)
        assert sigma == pytest.approx(0.7, abs=1e-4)


@pytest.mark.parametrize("distance", [1.0, 3.0, 6.0])
def test_fits_are_minimisers_of_their_divergence(distance):
    mixture = info.two_mode_mixture(distance, weight=0.45)
    fits = {
        "forward": (info.fit_normal_forward_kl(mixture), lambda m, s: info.kl_mixture_to_normal(mixture, m, s)),
        "reverse": (info.fit_normal_reverse_kl(mixture), lambda m, s: info.kl_normal_to_mixture(m, s, mixture)),
    }
    for (mu, sigma), divergence in fits.values():
        best = divergence(mu, sigma)
        for d_mu, d_sigma in [(0.05, 0), (-0.05, 0), (0, 0.05), (0, -0.05)]:
            assert divergence(mu + d_mu, sigma + d_sigma) > best
    # each fit beats the other fit in its own direction
    (forward_fit, forward_kl), (reverse_fit, reverse_kl) = fits["forward"], fits["reverse"]
    assert forward_kl(*forward_fit) <= forward_kl(*reverse_fit) + 1e-9
    assert reverse_kl(*reverse_fit) <= reverse_kl(*forward_fit) + 1e-9


def test_reverse_fit_seeks_one_mode_when_modes_are_far_apart():
    mixture = info.two_mode_mixture(8.0)
    mu, sigma = info.fit_normal_reverse_kl(mixture)
    assert abs(abs(mu) - 4.0) < 0.05 and sigma == pytest.approx(1.0, abs=0.05)
    # it pays about log 2 nats for ignoring half of the mass
    assert info.kl_normal_to_mixture(mu, sigma, mixture) == pytest.approx(math.log(2), abs=0.01)
    forward_mu, forward_sigma = info.fit_normal_forward_kl(mixture)
    assert forward_mu == pytest.approx(0.0, abs=1e-12) and forward_sigma == pytest.approx(math.sqrt(17))
    assert info.fit_normal_reverse_kl(mixture) == (mu, sigma)  # deterministic


@pytest.mark.parametrize("base", [np.nan, np.inf, 0.0, -2.0, 1.0])
def test_a_base_that_names_no_unit_is_rejected(base):
    for divergence in (lambda: info.entropy([0.5, 0.5], base=base), lambda: info.kl_divergence([0.5, 0.5], [0.2, 0.8], base=base),
                       lambda: info.kl_gaussian(0, 1, 1, 1, base=base)):
        with pytest.raises(ValueError, match="base must be a finite positive number other than 1"):
            divergence()


@pytest.mark.parametrize(
    "args, name",
    [((np.nan, 1, 0, 1), "mu_p"), ((0, np.inf, 0, 1), "sigma_p"), ((0, 1, -np.inf, 1), "mu_q"),
     ((0, 1, 0, np.nan), "sigma_q"), (([0, 1], [1, -1], 0, 1), "sigma_p"), ((0, 1, 0, 0), "sigma_q")],
)
def test_gaussian_parameters_must_be_finite_with_positive_sds(args, name):
    with pytest.raises(ValueError, match=name):
        info.kl_gaussian(*args)


def test_normal_to_mixture_divergences_reject_degenerate_normals():
    mixture = info.two_mode_mixture(2.0)
    for mu, sigma, name in [(0.0, 0.0, "sigma"), (0.0, -1.0, "sigma"), (np.nan, 1.0, "mu"), (0.0, np.inf, "sigma")]:
        with pytest.raises(ValueError, match=name):
            info.kl_normal_to_mixture(mu, sigma, mixture)
        with pytest.raises(ValueError, match=name):
            info.kl_mixture_to_normal(mixture, mu, sigma)
        with pytest.raises(ValueError, match=name):
            info.expect_under_normal(np.square, mu, sigma)
    with pytest.raises(ValueError, match="means"):
        info.two_mode_mixture(np.nan)
    with pytest.raises(ValueError, match="sigmas"):
        info.GaussianMixture1D((0.5, 0.5), (0.0, 1.0), (1.0, np.inf))


def test_an_empty_batch_of_distributions_has_an_empty_batch_of_entropies():
    """A (0, k) array is zero distributions of k outcomes: zero results, as numpy would give, not an error."""
    empty = np.zeros((0, 3))
    assert info.entropy(empty).shape == (0,)
    assert info.kl_divergence(empty, empty).shape == (0,)
    assert info.cross_entropy(empty, [0.2, 0.3, 0.5], base=2).shape == (0,)
    with pytest.raises(ValueError, match="no outcomes"):
        info.entropy(np.zeros((3, 0)))


# ---------------------------------------------------------------------------- Gaussian expectations


@pytest.mark.parametrize("mu, sigma", [(0.0, 1.0), (2.5, 0.3), (-4.0, 3.0)])
def test_expectations_under_a_normal_match_closed_forms(mu, sigma):
    e = lambda f: info.expect_under_normal(f, mu, sigma)
    assert e(lambda x: np.ones_like(x)) == pytest.approx(1.0, abs=1e-14)
    assert e(lambda x: x) == pytest.approx(mu, abs=1e-12)
    assert e(lambda x: (x - mu) ** 2) == pytest.approx(sigma**2, rel=1e-12)
    assert e(lambda x: x**4) == pytest.approx(mu**4 + 6 * mu**2 * sigma**2 + 3 * sigma**4, rel=1e-12)
    assert e(lambda x: np.exp(x / sigma)) == pytest.approx(math.exp(mu / sigma + 0.5), rel=1e-12)  # E[e^(tx)]
    for mu_q, sigma_q in [(0.0, 1.0), (1.0, 0.5), (-3.0, 4.0)]:
        kl = e(lambda x: info.normal_log_pdf(x, mu, sigma) - info.normal_log_pdf(x, mu_q, sigma_q))
        assert kl == pytest.approx(info.kl_gaussian(mu, sigma, mu_q, sigma_q), rel=1e-11, abs=1e-13)


def quad_kl(log_a, log_b, a_pdf, breaks):
    """int a(x) (log a(x) - log b(x)) dx by adaptive quadrature, split at the kinks of the integrand."""
    total = 0.0
    for lo, hi in zip(breaks[:-1], breaks[1:]):
        total += integrate.quad(lambda x: a_pdf(x) * (log_a(x) - log_b(x)), lo, hi, limit=400, epsabs=1e-14, epsrel=1e-13)[0]
    return total


@pytest.mark.parametrize("distance", [2.0, 8.0, 12.0, 20.0])
@pytest.mark.parametrize("weight", [0.5, 0.1])
def test_mixture_kls_match_quadrature_when_log_p_bends_sharply_between_modes(distance, weight):
    """Far-apart modes make log p(x) bend like |x| between them: the case a Gauss-Hermite rule gets
    wrong in the second decimal. The normals: the moment-matched fit (spread over both modes) and
    a narrower one off-centre."""
    mixture = info.two_mode_mixture(distance, weight=weight)
    crossing = math.log(weight / (1 - weight)) / distance  # where the two weighted components are equal
    for mu, sigma in [info.fit_normal_forward_kl(mixture), (1.0, 3.0)]:
        q = scipy.stats.norm(mu, sigma)
        lo, hi = min(-distance / 2, mu) - 12 * sigma - 12, max(distance / 2, mu) + 12 * sigma + 12  # beyond: below 1e-30
        breaks = sorted({lo, -distance / 2, crossing, distance / 2, mu, hi})
        forward = quad_kl(mixture.log_prob, q.logpdf, mixture.pdf, breaks)
        reverse = quad_kl(q.logpdf, mixture.log_prob, q.pdf, breaks)
        assert info.kl_mixture_to_normal(mixture, mu, sigma) == pytest.approx(forward, rel=1e-9, abs=1e-12)
        assert info.kl_normal_to_mixture(mu, sigma, mixture) == pytest.approx(reverse, rel=1e-9, abs=1e-12)


def test_mixture_rejects_bad_parameters():
    with pytest.raises(ValueError, match="same length"):
        info.GaussianMixture1D((0.5, 0.5), (0.0,), (1.0, 1.0))
    with pytest.raises(ValueError, match="sum to 1"):
        info.GaussianMixture1D((0.5, 0.6), (0.0, 1.0), (1.0, 1.0))
    with pytest.raises(ValueError, match="positive"):
        info.GaussianMixture1D((0.5, 0.5), (0.0, 1.0), (1.0, 0.0))
    with pytest.raises(ValueError, match="weight"):
        info.two_mode_mixture(2.0, weight=1.0)


# ---------------------------------------------------------------------------- paired differences

def test_paired_difference_matches_the_paired_t_statistic():
    rng = np.random.default_rng(22)
    shared = rng.normal(-200, 30, 400)  # how hard each sample is, for both models
    log_p_a, log_p_b = shared + rng.normal(0, 2, 400), shared + 0.5 + rng.normal(0, 2, 400)
    result = info.paired_difference(log_p_a, log_p_b)
    assert result.estimate == pytest.approx(log_p_b.mean() - log_p_a.mean())  # NLL_a - NLL_b
    assert result.estimate / result.standard_error == pytest.approx(scipy.stats.ttest_rel(log_p_b, log_p_a).statistic)
    # the shared difficulty cancels: far smaller than the unpaired standard error
    unpaired = math.hypot(*(scipy.stats.sem(v) for v in (log_p_a, log_p_b)))
    assert result.standard_error < 0.1 * unpaired
    assert info.paired_difference(log_p_b, log_p_a).estimate == pytest.approx(-result.estimate)


def test_paired_difference_standard_error_matches_the_spread_over_test_sets():
    # Two models of a known distribution over 16 outcomes; 3000 test sets of m = 40 draws each.
    rng = np.random.default_rng(23)
    p, q_a, q_b = rng.dirichlet(np.ones(16), size=3)
    q_b = 0.7 * q_b + 0.3 * p  # closer to p, and correlated with it
    exact = np.sum(p * (np.log(q_b) - np.log(q_a)))  # KL(p || q_a) - KL(p || q_b)
    draws = rng.choice(16, size=(3000, 40), p=p)
    results = np.array([info.paired_difference(np.log(q_a[d]), np.log(q_b[d])) for d in draws])
    means, errors = results[:, 0], results[:, 1]
    assert abs(means.mean() - exact) < 5 * means.std(ddof=1) / math.sqrt(len(means))  # unbiased
    # the typical standard error matches the spread of the estimates (sd of an sd: ~1.3% here)
    assert np.sqrt((errors**2).mean()) == pytest.approx(means.std(ddof=1), rel=0.06)


@pytest.mark.parametrize(
    "log_p_a, log_p_b, message",
    [
        ([-1.0, -2.0], [-1.0, -2.0, -3.0], "same samples"),
        ([-1.0, -np.inf], [-1.0, -2.0], "log_p_a holds 1 non-finite"),
        ([-1.0, -2.0], [np.nan, -2.0], "log_p_b holds 1 non-finite"),
        ([-1.0], [-2.0], "at least 2"),
        ([[-1.0, -2.0]], [[-1.0, -2.0]], "shape \\(m,\\)"),
    ],
)
def test_paired_difference_errors(log_p_a, log_p_b, message):
    with pytest.raises(ValueError, match=message):
        info.paired_difference(log_p_a, log_p_b)
