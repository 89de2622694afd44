"""Entropy, cross-entropy and the Kullback-Leibler divergence.

For distributions p and q over the same finite set of outcomes (Kullback & Leibler, 1951;
Cover & Thomas, 2006, ch. 2):

    H(p)          = - sum_x p(x) log p(x)                      (entropy)
    H(p, q)       = - sum_x p(x) log q(x)                      (cross-entropy)
    KL(p || q)    =   sum_x p(x) log (p(x) / q(x))  = H(p, q) - H(p)

with the conventions 0 log 0 = 0 and 0 log (0 / q) = 0, and p log (p / 0) = +inf for p > 0:
a model q that gives probability 0 to an outcome the data p can produce is infinitely wrong.
Logarithms are natural (nats) by default; ``base=2`` gives bits (1 bit = ln 2 nats).

The last axis of an array is the distribution; leading axes are a batch and broadcast like
numpy, so ``kl_divergence(p[:, None], q[None])`` is the matrix of all pairwise divergences.

For continuous distributions KL(p || q) = int p(x) log (p(x) / q(x)) dx. This module gives it
in closed form for two univariate normals, estimates it by Monte Carlo for anything that can be
sampled and scored, and estimates the difference of two models' divergences,
KL(p || a) - KL(p || b) = E_p[log b(x) - log a(x)], from their log-probabilities of the same m
samples of p (the entropy H(p) cancels, so it needs no log p): the mean of the per-sample
differences d_j, with standard error sd(d) / sqrt(m) (a paired comparison, far tighter than two
separate standard errors when the models agree on which samples are likely, since
Var(d) = Var(log a) + Var(log b) - 2 Cov(log a, log b)). It fits one Gaussian to a mixture of
Gaussians in both directions:
forward KL(p || q) (maximum likelihood: moment matching, covers every mode) and reverse
KL(q || p) (numerical optimisation: seeks one mode) (Minka, 2005; Bishop, 2006, sec. 10.1.2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np
from scipy import optimize
from scipy.special import logsumexp

from .checks import distributions, finite, finite_array

# A fine grid of standard-normal points z in [-10, 10] and weights proportional to exp(-z^2/2):
# expectations under N(mu, sigma^2) by the trapezoidal rule on x = mu + sigma z.
_GRID_Z = np.linspace(-10.0, 10.0, 4001)
_GRID_WEIGHTS = np.exp(-0.5 * _GRID_Z**2) / np.exp(-0.5 * _GRID_Z**2).sum()


# --------------------------------------------------------------------------------------------
# Discrete distributions
# --------------------------------------------------------------------------------------------


def _check_pair(p, q) -> tuple[np.ndarray, np.ndarray]:
    p, q = distributions(p, "p"), distributions(q, "q")
    if p.shape[-1] != q.shape[-1]:
        raise ValueError(
            f"p and q must have the same number of outcomes on the last axis, "
            f"got p.shape={p.shape} and q.shape={q.shape}"
        )
    try:
        np.broadcast_shapes(p.shape, q.shape)
    except ValueError:
        raise ValueError(
            f"the batch shapes of p {p.shape[:-1]} and q {q.shape[:-1]} do not broadcast"
        ) from None
    return p, q


def _in_base(nats, base):
    """Convert nats to units of log base ``base`` (None: nats); 0-d results become numpy floats."""
    if base is not None:
        if not (math.isfinite(float(base)) and base > 0 and base != 1):
            raise ValueError(f"base must be a finite positive number other than 1, got {base}")
        nats = nats / math.log(base)
    return np.asarray(nats, dtype=float)[()]


def _p_log_q(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Elementwise p log q with 0 log q = 0 (also for q = 0) and p log 0 = -inf for p > 0."""
    p, q = np.broadcast_arrays(p, q)
    out = np.zeros(p.shape)
    positive = p > 0
    with np.errstate(divide="ignore"):
        out[positive] = p[positive] * np.log(q[positive])
    return out


def entropy(p, base=None):
    """Shannon entropy H(p) = -sum_x p(x) log p(x) of the distribution(s) on p's last axis.

    Terms with p(x) = 0 contribute 0. Nats by default, bits with ``base=2``.
    """
    p = distributions(p, "p")
    return _in_base(0.0 - _p_log_q(p, p).sum(axis=-1), base)


def cross_entropy(p, q, base=None):
    """Cross-entropy H(p, q) = -sum_x p(x) log q(x): the mean code length (or negative
    log-likelihood) of data from p under the model q.

    Terms with p(x) = 0 contribute 0; if q(x) = 0 < p(x) for some x the result is +inf.
    """
    p, q = _check_pair(p, q)
    return _in_base(0.0 - _p_log_q(p, q).sum(axis=-1), base)


def kl_divergence(p, q, base=None):
    """Kullback-Leibler divergence KL(p || q) = sum_x p(x) log (p(x) / q(x)) >= 0.

    The expectation, under the data distribution p, of the extra cost log p(x) - log q(x) of
    describing x with the model q. Terms with p(x) = 0 contribute 0; if q(x) = 0 < p(x) for
    some x the result is +inf. Rounding errors of order 1e-16 below 0 are clipped to 0.
    """
    p, q = _check_pair(p, q)
    kl = (_p_log_q(p, p) - _p_log_q(p, q)).sum(axis=-1)
    return _in_base(np.maximum(kl, 0.0), base)


def kl_bernoulli(p, q, base=None):
    """KL(Bernoulli(p) || Bernoulli(q)) = p log(p/q) + (1-p) log((1-p)/(1-q)), elementwise.

    p and q are probabilities of the outcome 1 in [0, 1] and broadcast. At the edges
    0 log 0 = 0, and the result is +inf where q puts 0 on an outcome p can produce
    (q = 0 < p or q = 1 > p).
    """
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    for name, value in (("p", p), ("q", q)):
        if np.isnan(value).any() or (value < 0).any() or (value > 1).any():
            raise ValueError(f"{name} must be a probability in [0, 1]")
    return kl_divergence(np.stack([p, 1 - p], axis=-1), np.stack([q, 1 - q], axis=-1), base)


def kl_gaussian(mu_p, sigma_p, mu_q, sigma_q, base=None):
    """KL(N(mu_p, sigma_p^2) || N(mu_q, sigma_q^2)) in closed form, elementwise:

        log(sigma_q / sigma_p) + (sigma_p^2 + (mu_p - mu_q)^2) / (2 sigma_q^2) - 1/2.
    """
    mu_p, sigma_p, mu_q, sigma_q = np.broadcast_arrays(
        finite_array(mu_p, "mu_p"), finite_array(sigma_p, "sigma_p (a standard deviation)", positive=True),
        finite_array(mu_q, "mu_q"), finite_array(sigma_q, "sigma_q (a standard deviation)", positive=True),
    )
    kl = np.log(sigma_q / sigma_p) + (sigma_p**2 + (mu_p - mu_q) ** 2) / (2 * sigma_q**2) - 0.5
    return _in_base(kl, base)


class MonteCarloEstimate(NamedTuple):
    """A Monte Carlo estimate and its standard error (sample standard deviation / sqrt(n))."""

    estimate: float
    standard_error: float


def kl_monte_carlo(
    log_p: Callable, log_q: Callable, sample_p: Callable, n: int = 10_000, seed: int = 0, base=None
) -> MonteCarloEstimate:
    """Estimate KL(p || q) = E_{x ~ p}[log p(x) - log q(x)] by the mean over n samples of p.

    ``sample_p(n, rng)`` draws n samples with the numpy Generator ``rng`` (seeded by ``seed``);
    ``log_p`` and ``log_q`` map the samples to their log densities (nats), one per sample.
    This is how maximum likelihood sees KL: through samples of the data, never p itself.
    """
    if n < 2:
        raise ValueError(f"need n >= 2 samples for a standard error, got n={n}")
    x = sample_p(n, np.random.default_rng(seed))
    log_ratio = np.asarray(log_p(x), dtype=float) - np.asarray(log_q(x), dtype=float)
    if log_ratio.shape != (n,):
        raise ValueError(f"log_p and log_q must return one value per sample, got {log_ratio.shape}")
    estimate = _in_base(log_ratio.mean(), base)
    standard_error = _in_base(log_ratio.std(ddof=1) / math.sqrt(n), base)
    return MonteCarloEstimate(float(estimate), float(standard_error))


def paired_difference(log_p_a, log_p_b) -> MonteCarloEstimate:
    """How many nats per sample model a loses to model b on the same m samples, +- its standard error.

    ``log_p_a`` and ``log_p_b`` are log a(x_j) and log b(x_j) in nats for the same samples in the
    same order (for images: :func:`mlebook.train.log_probs` on the test set). Returns the mean of
    d_j = log b(x_j) - log a(x_j), which is NLL_a - NLL_b (positive when a is the worse model),
    an unbiased estimate of KL(p || a) - KL(p || b), and sd(d) / sqrt(m) with the sample standard
    deviation taken with m - 1. A model that gives a sample probability 0 loses by an infinite
    amount, with no standard error: that raises ``ValueError``.
    """
    a, b = np.asarray(log_p_a, dtype=float), np.asarray(log_p_b, dtype=float)
    for name, values in (("log_p_a", a), ("log_p_b", b)):
        if values.ndim != 1:
            raise ValueError(f"{name} must hold one log-probability per sample, shape (m,), got shape {values.shape}")
        if not np.isfinite(values).all():
            raise ValueError(f"{name} holds {int((~np.isfinite(values)).sum())} non-finite log-probabilities; "
                             "a model that gives a sample probability 0 loses by an infinite amount")
    if a.shape != b.shape:
        raise ValueError(f"log_p_a and log_p_b must score the same samples, got shapes {a.shape} and {b.shape}")
    if len(a) < 2:
        raise ValueError(f"need at least 2 samples for a standard error, got {len(a)}")
    d = b - a
    return MonteCarloEstimate(float(d.mean()), float(d.std(ddof=1) / math.sqrt(len(d))))


# --------------------------------------------------------------------------------------------
# One Gaussian fitted to a mixture of Gaussians, in both directions
# --------------------------------------------------------------------------------------------


def expect_under_normal(f: Callable, mu: float, sigma: float) -> float:
    """E[f(x)] for x ~ N(mu, sigma^2) = int N(z; 0, 1) f(mu + sigma z) dz, by the trapezoidal
    rule on 4001 points z in [-10, 10] (f vectorised).

    The rule converges fast for smooth f; it resolves features of f down to about sigma / 100
    wide, enough for the log-density of a mixture whose components are not much narrower than
    sigma / 10 (mass beyond 10 sigma, about 1e-23, is dropped).

    Why not Gauss-Hermite quadrature: it is exact for polynomials, but log p(x) of a mixture
    whose modes lie several sigmas apart bends sharply between them (like |x|), and there its
    error falls slowly with the number of nodes. For a normal spread over two unit modes 8
    apart, 200 Gauss-Hermite nodes err by about 1e-2 nats on KL(q || p), this rule by 1e-15
    (``tests/test_info.py`` checks both directions against ``scipy.integrate.quad``).
    """
    mu, sigma = _normal_parameters(mu, sigma)
    return float(np.dot(_GRID_WEIGHTS, f(mu + sigma * _GRID_Z)))


def _normal_parameters(mu, sigma) -> tuple[float, float]:
    """(mu, sigma) of a normal after checking both are finite and sigma > 0."""
    return finite(mu, "mu (the mean)"), finite(sigma, "sigma (the standard deviation)", positive=True)


def normal_log_pdf(x, mu, sigma):
    """log N(x; mu, sigma^2) = -(x - mu)^2 / (2 sigma^2) - log sigma - log(2 pi) / 2."""
    x = np.asarray(x, dtype=float)
    return -((x - mu) ** 2) / (2 * sigma**2) - np.log(sigma) - 0.5 * math.log(2 * math.pi)


@dataclass(frozen=True)
class GaussianMixture1D:
    """p(x) = sum_k w_k N(x; mu_k, sigma_k^2), a mixture of univariate normals."""

    weights: tuple[float, ...]
    means: tuple[float, ...]
    sigmas: tuple[float, ...]

    def __post_init__(self):
        for name in ("weights", "means", "sigmas"):
            object.__setattr__(self, name, tuple(float(v) for v in np.ravel(getattr(self, name))))
        w, m, s = (np.asarray(a, dtype=float) for a in (self.weights, self.means, self.sigmas))
        if not (w.shape == m.shape == s.shape and len(w) > 0):
            raise ValueError("weights, means and sigmas must be sequences of the same length")
        distributions(w, "weights")
        finite_array(m, "the component means")
        finite_array(s, "the component sigmas (standard deviations)", positive=True)

    def log_prob(self, x):
        """log p(x) = logsumexp_k (log w_k + log N(x; mu_k, sigma_k^2)), elementwise in x."""
        x = np.asarray(x, dtype=float)[..., None]
        with np.errstate(divide="ignore"):
            log_w = np.log(self.weights)
        return logsumexp(log_w + normal_log_pdf(x, np.array(self.means), np.array(self.sigmas)), axis=-1)

    def pdf(self, x):
        """p(x), elementwise in x."""
        return np.exp(self.log_prob(x))

    def mean(self) -> float:
        """E[x] = sum_k w_k mu_k."""
        return float(np.dot(self.weights, self.means))

    def variance(self) -> float:
        """Var[x] = sum_k w_k (sigma_k^2 + mu_k^2) - E[x]^2."""
        second_moment = np.dot(self.weights, np.square(self.sigmas) + np.square(self.means))
        return float(second_moment - self.mean() ** 2)

    def expect(self, f: Callable) -> float:
        """E_p[f(x)] = sum_k w_k E_{N(mu_k, sigma_k^2)}[f(x)], each by ``expect_under_normal``."""
        return float(
            sum(w * expect_under_normal(f, m, s) for w, m, s in zip(self.weights, self.means, self.sigmas))
        )

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """n draws: pick component k with probability w_k, then x ~ N(mu_k, sigma_k^2)."""
        k = rng.choice(len(self.weights), size=n, p=np.asarray(self.weights) / np.sum(self.weights))
        return rng.normal(np.asarray(self.means)[k], np.asarray(self.sigmas)[k])


def two_mode_mixture(distance: float, sigma: float = 1.0, weight: float = 0.5) -> GaussianMixture1D:
    """Two normals of standard deviation sigma centred at -distance/2 and +distance/2,
    with weights (weight, 1 - weight)."""
    if not 0 < weight < 1:
        raise ValueError(f"weight must be in (0, 1), got {weight}")
    return GaussianMixture1D((weight, 1 - weight), (-distance / 2, distance / 2), (sigma, sigma))


def kl_mixture_to_normal(mixture: GaussianMixture1D, mu: float, sigma: float) -> float:
    """Forward KL(p || q) = E_p[log p(x) - log q(x)] for the mixture p and q = N(mu, sigma^2), nats."""
    mu, sigma = _normal_parameters(mu, sigma)
    return max(mixture.expect(lambda x: mixture.log_prob(x) - normal_log_pdf(x, mu, sigma)), 0.0)


def kl_normal_to_mixture(mu: float, sigma: float, mixture: GaussianMixture1D) -> float:
    """Reverse KL(q || p) = E_q[log q(x) - log p(x)] for q = N(mu, sigma^2) and the mixture p, nats."""
    mu, sigma = _normal_parameters(mu, sigma)
    return max(expect_under_normal(lambda x: normal_log_pdf(x, mu, sigma) - mixture.log_prob(x), mu, sigma), 0.0)


def fit_normal_forward_kl(mixture: GaussianMixture1D) -> tuple[float, float]:
    """The normal q = N(mu, sigma^2) minimising forward KL(p || q): match the moments,
    mu = E_p[x] and sigma^2 = Var_p[x]. Returns (mu, sigma).

    Minimising KL(p || q) = -H(p) - E_p[log q(x)] over q is maximum likelihood with infinitely
    many samples of p; for a normal q the optimum is the mean and variance of p.
    """
    return mixture.mean(), math.sqrt(mixture.variance())


def fit_normal_reverse_kl(mixture: GaussianMixture1D) -> tuple[float, float]:
    """The normal q = N(mu, sigma^2) minimising reverse KL(q || p), found numerically.

    Minimises kl_normal_to_mixture over (mu, log sigma) with L-BFGS-B from deterministic
    starting points (each component, and the moment-matched fit) and keeps the best; ties go
    to the first start, so the result is reproducible. Returns (mu, sigma).
    """
    def objective(theta):
        return kl_normal_to_mixture(theta[0], math.exp(theta[1]), mixture)

    starts = [(m, math.log(s)) for m, s in zip(mixture.means, mixture.sigmas)]
    forward_mu, forward_sigma = fit_normal_forward_kl(mixture)
    starts.append((forward_mu, math.log(forward_sigma)))
    best = None
    for start in starts:
        result = optimize.minimize(objective, np.array(start), method="L-BFGS-B")
        if best is None or result.fun < best.fun - 1e-12:
            best = result
    return float(best.x[0]), float(math.exp(best.x[1]))
