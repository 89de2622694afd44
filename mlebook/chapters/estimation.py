"""Maximum-likelihood estimation: the biased coin, Monte Carlo log-likelihood, priors, learning curves.

- **The biased coin.** n_H heads and n_T tails have likelihood L(theta) = theta^n_H (1 - theta)^n_T
  and log-likelihood l(theta) = n_H log theta + n_T log(1 - theta); setting
  l'(theta) = n_H / theta - n_T / (1 - theta) = 0 gives theta* = n_H / (n_H + n_T).
- **Properties of the MLE.** From N flips, theta_hat = n_H / N has mean theta (unbiased) and
  variance theta (1 - theta) / N, which is 1 / (N I(theta)) with the Fisher information
  I(theta) = 1 / (theta (1 - theta)) of one flip; by Chebyshev,
  P(|theta_hat - theta| > eps) <= theta (1 - theta) / (N eps^2) -> 0 (consistency).
- **A prior on the coin.** Under a Beta(a, b) prior the posterior is Beta(n_H + a, n_T + b);
  with a = b = 1 + alpha its mode, the MAP estimate, is (n_H + alpha) / (N + 2 alpha): add-alpha
  smoothing. For K outcomes with counts c_k, a Dirichlet(1 + alpha, ..., 1 + alpha) prior gives
  the MAP estimate (c_k + alpha) / (N + K alpha), which is also the posterior *mean* under a
  Dirichlet(alpha, ..., alpha) prior.
- **Expected log-likelihood.** For a data distribution p and a model q,
  E_p[log q(x)] = -H(p) - KL(p || q), so ranking models by it ranks them by KL(p || q).
  On D <= ~20 binary pixels both sides can be computed exactly by enumerating all 2^D
  images (:class:`TabulatedDistribution`, :func:`exact_score`).
- **Monte Carlo.** The empirical log-likelihood (1/n) sum_{i=1}^n log q(x_i), x_i ~ p i.i.d., is
  an unbiased estimate of E_p[log q(x)] with variance Var_p[log q(x)] / n.
- **Learning curves.** Train and test negative log-likelihood of a model fitted to nested
  training subsets of growing size.
- **Zero counts.** Unsmoothed pixel frequencies p_i = (1/n) sum_n x_i^(n) are exactly 0 or 1
  for a pixel that never changes in training, so any image that differs there has probability
  0 and an infinite negative log-likelihood.

All log-likelihoods are in nats.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from scipy import stats
from scipy.special import logsumexp, xlogy

from .. import checks
from ..train import evaluate, log_probs
from .counting import binary_images, image_index


# --- the biased coin -------------------------------------------------------------------------

def coin_counts(flips: str) -> tuple[int, int]:
    """Count heads and tails in a string of flips such as ``"HHTHT"`` -> (3, 2)."""
    flips = flips.upper()
    if set(flips) - {"H", "T"}:
        raise ValueError(f"flips must be a string of 'H' and 'T', got {flips!r}")
    return flips.count("H"), flips.count("T")


def _check_counts(n_heads, n_tails):
    if n_heads < 0 or n_tails < 0:
        raise ValueError(f"counts of heads and tails must be >= 0, got {n_heads} and {n_tails}")


def coin_log_likelihood(theta, n_heads: int, n_tails: int) -> np.ndarray:
    """l(theta) = n_H log theta + n_T log(1 - theta) in nats, with 0 log 0 = 0 (so l(0) = 0 when n_H = 0)."""
    _check_counts(n_heads, n_tails)
    theta = np.asarray(theta, dtype=float)
    if ((theta < 0) | (theta > 1)).any():
        raise ValueError("theta must lie in [0, 1]")
    return xlogy(n_heads, theta) + xlogy(n_tails, 1.0 - theta)


def coin_likelihood(theta, n_heads: int, n_tails: int) -> np.ndarray:
    """L(theta) = theta^n_H (1 - theta)^n_T."""
    return np.exp(coin_log_likelihood(theta, n_heads, n_tails))


def coin_mle(n_heads: int, n_tails: int) -> float:
    """The maximiser of L(theta): theta* = n_H / (n_H + n_T)."""
    _check_counts(n_heads, n_tails)
    if n_heads + n_tails == 0:
        raise ValueError("need at least one flip to estimate theta")
    return n_heads / (n_heads + n_tails)


def coin_mle_variance(theta: float, n_flips: int) -> float:
    """Var(theta_hat) = theta (1 - theta) / N for the MLE from N flips of a coin with P(heads) = theta."""
    theta = checks.probability(theta, "theta")
    n_flips = checks.count(n_flips, "n_flips", minimum=1)
    return theta * (1.0 - theta) / n_flips


def simulate_coin_mle(theta: float, n_flips: int, n_repeats: int, seed: int = 0) -> np.ndarray:
    """The MLE theta_hat = n_H / N of ``n_repeats`` independent data sets of N simulated flips each.

    Each flip is heads when a uniform draw falls below ``theta``. Returns shape (n_repeats,).
    """
    theta = checks.probability(theta, "theta")
    n_flips = checks.count(n_flips, "n_flips", minimum=1)
    n_repeats = checks.count(n_repeats, "n_repeats", minimum=1)
    rng = np.random.default_rng(seed)
    heads = np.zeros(n_repeats, dtype=np.int64)
    for start in range(0, n_flips, 1000):  # bounded memory for long sequences
        heads += (rng.random((n_repeats, min(1000, n_flips - start))) < theta).sum(axis=1)
    return heads / n_flips


def _check_alpha(alpha):
    alpha = np.asarray(alpha, dtype=float)
    if not np.all(alpha >= 0):  # also rejects NaN
        raise ValueError(f"the pseudo-count alpha must be >= 0, got {alpha}")
    return alpha


def coin_posterior(n_heads: int, n_tails: int, alpha: float):
    """The posterior Beta(n_H + 1 + alpha, n_T + 1 + alpha) under the prior Beta(1 + alpha, 1 + alpha), as scipy.stats.beta."""
    _check_counts(n_heads, n_tails)
    alpha = float(_check_alpha(alpha))
    return stats.beta(n_heads + 1 + alpha, n_tails + 1 + alpha)


def coin_map(n_heads: int, n_tails: int, alpha: float) -> float:
    """The posterior mode under a Beta(1 + alpha, 1 + alpha) prior: (n_H + alpha) / (N + 2 alpha).

    alpha = 0 (a uniform prior) gives back the MLE; alpha = 1 is Laplace's add-one rule.
    """
    _check_counts(n_heads, n_tails)
    alpha = float(_check_alpha(alpha))
    if n_heads + n_tails + 2 * alpha == 0:
        raise ValueError("need at least one flip or alpha > 0 to estimate theta")
    return (n_heads + alpha) / (n_heads + n_tails + 2 * alpha)


def smoothed_frequencies(counts, alpha) -> np.ndarray:
    """Add-alpha estimates (c_k + alpha) / (N + K alpha) of K outcome probabilities from their counts.

    The MAP estimate under a Dirichlet(1 + alpha) prior. ``counts`` has shape (K,); an array of
    alphas, shape (a,), gives one distribution per alpha, shape (a, K). alpha = 0 is the MLE,
    the observed frequencies, which are 0 for every outcome never seen.
    """
    counts = np.asarray(counts, dtype=float)
    if counts.ndim != 1 or len(counts) == 0 or not np.all(counts >= 0):
        raise ValueError(f"counts must be a non-empty vector of non-negative counts, got shape {counts.shape}")
    alpha = _check_alpha(alpha)
    smoothed = counts + alpha[..., None]
    total = smoothed.sum(axis=-1, keepdims=True)
    if np.any(total == 0):
        raise ValueError("with no counts at all, alpha must be > 0")
    return smoothed / total


# --- exact expectations on small D ---------------------------------------------------------

class TabulatedDistribution:
    """A distribution over all 2^D binary images, stored as its full table of log-probabilities.

    Only feasible for small D (the table has 2^D entries); that is the point: here the
    entropy H(p) = -sum_x p(x) log p(x) and expectations E_p[g(x)] are exact sums.
    Image x has table entry number sum_i x_i 2^i (see :func:`mlebook.chapters.counting.binary_images`).
    """

    def __init__(self, log_probs):
        log_probs = np.asarray(log_probs, dtype=float)
        n_dims = int(np.log2(len(log_probs))) if log_probs.ndim == 1 and len(log_probs) else 0
        if n_dims == 0 or len(log_probs) != 2**n_dims:
            raise ValueError(f"need a table of 2^D log-probabilities (D >= 1), got shape {log_probs.shape}")
        total = float(np.exp(logsumexp(log_probs)))
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"probabilities must sum to 1, they sum to {total:.8g}")
        self.log_probs = log_probs
        self.n_dims = n_dims

    @classmethod
    def from_model(cls, model, n_dims: int) -> "TabulatedDistribution":
        """Tabulate a model (anything with ``log_prob`` in nats, numpy or torch) on all 2^D images.

        A float32 model's probabilities sum to one only up to rounding; a total within 10^-4 of
        one is renormalised, anything further off raises ``ValueError``.
        """
        table = log_probs(model, binary_images(n_dims))
        log_total = float(logsumexp(table))
        if abs(log_total) > 1e-4:
            raise ValueError(f"the model's probabilities sum to {np.exp(log_total):.6g}, not 1")
        return cls(table - log_total)

    @property
    def probs(self) -> np.ndarray:
        return np.exp(self.log_probs)

    def log_prob(self, x) -> np.ndarray:
        """log p(x) in nats, shape (n,)."""
        x = np.asarray(x)
        if x.ndim != 2 or x.shape[1] != self.n_dims:
            raise ValueError(f"images must have shape (n, {self.n_dims}), got {x.shape}")
        return self.log_probs[image_index(x)]

    def sample(self, n: int, seed: int | np.random.Generator = 0) -> np.ndarray:
        """n independent images drawn from p, uint8 of shape (n, D)."""
        rng = np.random.default_rng(seed)
        index = rng.choice(len(self.log_probs), size=n, p=self.probs / self.probs.sum())
        return binary_images(self.n_dims)[index]

    def entropy(self) -> float:
        """H(p) = -sum_x p(x) log p(x) in nats."""
        return float(-xlogy(self.probs, self.probs).sum())

    def expected(self, values) -> float:
        """E_p[g(x)] = sum_x p(x) g(x) for a table ``values`` of g over all 2^D images.

        Terms with p(x) = 0 count as 0 even where g(x) is infinite.
        """
        values = np.asarray(values, dtype=float)
        if values.shape != self.log_probs.shape:
            raise ValueError(f"values must hold one number per image, shape {self.log_probs.shape}, got {values.shape}")
        p = self.probs
        return float((p[p > 0] * values[p > 0]).sum())

    def log_prob_variance(self, model_log_probs) -> float:
        """Var_p[log q(x)] for a table of model log-probabilities: the variance of one Monte Carlo term."""
        mean = self.expected(model_log_probs)
        return self.expected((np.asarray(model_log_probs, dtype=float) - mean) ** 2)


@dataclass(frozen=True)
class ExactScore:
    """A model scored against a known data distribution p, all in nats per example.

    ``cross_entropy`` = -E_p[log q(x)] and ``kl`` = KL(p || q) = cross_entropy - H(p) are exact
    sums over all 2^D images; ``test_nll`` = -(1/n) sum_i log q(x_i) is their Monte Carlo
    estimate from a test sample, with standard error ``test_nll_se`` = sd(log q(x_i)) / sqrt(n).
    """

    cross_entropy: float
    kl: float
    test_nll: float
    test_nll_se: float


def exact_score(truth: TabulatedDistribution, model, test) -> ExactScore:
    """Score ``model`` against the known distribution ``truth`` exactly and on the sample ``test``."""
    cross_entropy = -truth.expected(log_probs(model, binary_images(truth.n_dims)))
    log_q = log_probs(model, test)
    return ExactScore(
        cross_entropy=cross_entropy,
        kl=cross_entropy - truth.entropy(),
        test_nll=float(-log_q.mean()),
        test_nll_se=float(log_q.std(ddof=1) / np.sqrt(len(log_q))),
    )


# --- Monte Carlo estimates --------------------------------------------------------------------

def monte_carlo_estimates(
    sample: Callable[[int, np.random.Generator], np.ndarray],
    log_prob: Callable[[np.ndarray], np.ndarray],
    n: int,
    n_repeats: int,
    seed: int = 0,
) -> np.ndarray:
    """``n_repeats`` independent estimates of E_p[log q(x)], each (1/n) sum_{i=1}^n log q(x_i).

    ``sample(m, rng)`` draws m examples from p; ``log_prob`` evaluates log q in nats.
    Returns an array of shape (n_repeats,).
    """
    if n < 1 or n_repeats < 1:
        raise ValueError(f"n and n_repeats must be >= 1, got n={n}, n_repeats={n_repeats}")
    rng = np.random.default_rng(seed)
    draws = sample(n * n_repeats, rng)
    values = np.asarray(log_prob(draws), dtype=float)
    return values.reshape(n_repeats, n).mean(axis=1)


# --- learning curves --------------------------------------------------------------------------

@dataclass(frozen=True)
class LearningCurve:
    """Negative log-likelihoods (nats per image) of models fitted to training sets of growing size."""

    sizes: np.ndarray
    train_nll: np.ndarray
    test_nll: np.ndarray

    @property
    def gap(self) -> np.ndarray:
        """The generalisation gap: test NLL minus train NLL."""
        return self.test_nll - self.train_nll


def learning_curve(fit: Callable[[np.ndarray], object], train, test, sizes: Sequence[int], seed: int = 0, progress: bool = False) -> LearningCurve:
    """Fit a model to the first n images of a seeded shuffle of ``train`` for each n in ``sizes``.

    ``fit(x)`` returns a fitted model with ``log_prob``. The subsets are nested (each contains
    the smaller ones), so the curve shows the effect of adding data, not of redrawing it.
    """
    train = np.asarray(train)
    sizes = np.asarray(sizes, dtype=int)
    if sizes.ndim != 1 or len(sizes) == 0 or (sizes < 1).any() or (sizes > len(train)).any():
        raise ValueError(f"sizes must be between 1 and {len(train)} (the training set size), got {sizes}")
    order = np.random.default_rng(seed).permutation(len(train))
    train_nll, test_nll = [], []
    iterator = sizes
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(sizes, desc="training set sizes")
    for n in iterator:
        subset = train[order[:n]]
        model = fit(subset)
        train_nll.append(evaluate(model, subset))
        test_nll.append(evaluate(model, test))
    return LearningCurve(sizes=sizes, train_nll=np.array(train_nll), test_nll=np.array(test_nll))


# --- zero counts and smoothing --------------------------------------------------------------------

def constant_pixels(train) -> np.ndarray:
    """Indices of the pixels with the same value in every training image.

    Their unsmoothed maximum-likelihood probability of being on is exactly 0 or exactly 1.
    """
    train = np.asarray(train)
    if train.ndim != 2 or len(train) == 0:
        raise ValueError(f"train must have shape (n, D) with n >= 1, got {train.shape}")
    return np.flatnonzero(train.min(axis=0) == train.max(axis=0))


def zero_probability_images(train, x) -> np.ndarray:
    """Which images of ``x`` the unsmoothed pixel frequencies give probability 0.

    Under p_i = (1/n) sum_n x_i^(n), an image has probability 0 as soon as it differs from the
    training set at a pixel that never changed there. Returns a boolean array of shape (len(x),).
    """
    train, x = np.asarray(train), np.asarray(x)
    if x.ndim != 2 or x.shape[1] != train.shape[1]:
        raise ValueError(f"x must have shape (n, {train.shape[1]}), got {x.shape}")
    pixels = constant_pixels(train)
    return (x[:, pixels] != train[0, pixels]).any(axis=1)
