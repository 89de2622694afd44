"""A mixture of K product-of-Bernoulli components, fitted by EM.

    p(x) = sum_k pi_k prod_i mu_ki^{x_i} (1 - mu_ki)^{1 - x_i}.

Each component is an "independent pixels" model (a prototype digit); the mixture captures the
dependence between pixels that a single product cannot. log p(x) is a logsumexp over k.

**EM** (Dempster et al., 1977). The E-step computes the responsibilities
r_nk = p(k | x_n) = pi_k p(x_n | k) / p(x_n); the M-step re-estimates, with N_k = sum_n r_nk,

    mu_ki = (sum_n r_nk x_ni + alpha) / (N_k + 2 alpha),
    pi_k  = (N_k + alpha) / (N + K alpha).

The alpha pseudo-counts make this MAP-EM under Beta(1 + alpha, 1 + alpha) priors on each mu_ki
and a Dirichlet(1 + alpha) prior on pi, so no probability becomes 0 or 1. Each step never
decreases the log-posterior log p(X | theta) + log p(theta) (see :meth:`log_prior`).

**Exact conditionals.** In pixel order, the posterior over components given the pixels seen so
far is updated one pixel at a time,

    w_k^(i) proportional to pi_k prod_{j<i} Bernoulli(x_j; mu_kj),
    p(x_i = 1 | x_<i) = sum_k w_k^(i) mu_ki.
"""

from __future__ import annotations

import torch
from torch import nn

from .base import DensityModel, bernoulli_log_prob


class MixtureOfBernoullis(DensityModel):
    """Mixture of ``n_components`` Bernoulli products; MAP-EM with ``alpha`` pseudo-counts.

    The components start at mu_ki ~ Uniform(0.25, 0.75) drawn from ``seed``. The first
    :meth:`em_step` re-seeds them from data: component k starts at
    (1 - blur) x_{n_k} + blur * mean(x), for distinct training images n_k drawn from ``seed``.
    """

    training_method = "em"

    def __init__(self, n_dims: int, n_components: int = 50, alpha: float = 0.1, blur: float = 0.5, seed: int = 0):
        if int(n_components) < 1:
            raise ValueError(f"n_components must be a positive integer, got {n_components!r}")
        if not alpha > 0:
            raise ValueError(f"alpha must be > 0 so that no probability is 0 or 1, got {alpha!r}")
        if not 0 < blur <= 1:
            raise ValueError(f"blur must be in (0, 1], got {blur!r}")
        super().__init__(n_dims, n_components=int(n_components), alpha=float(alpha), blur=float(blur), seed=int(seed))
        self.n_components = int(n_components)
        self.alpha = float(alpha)
        self.blur = float(blur)
        self.seed = int(seed)
        generator = torch.Generator().manual_seed(self.seed)
        means = 0.25 + 0.5 * torch.rand(self.n_components, self.n_dims, generator=generator)
        self.mean_logits = nn.Parameter(torch.logit(means))
        self.weight_logits = nn.Parameter(torch.zeros(self.n_components))
        self.register_buffer("n_em_steps", torch.zeros((), dtype=torch.long))

    @property
    def means(self) -> torch.Tensor:
        """mu_ki, shape (n_components, n_dims)."""
        return torch.sigmoid(self.mean_logits)

    @property
    def log_weights(self) -> torch.Tensor:
        """log pi_k, shape (n_components,)."""
        return torch.log_softmax(self.weight_logits, dim=0)

    def joint_log_prob(self, x: torch.Tensor) -> torch.Tensor:
        """log pi_k + log p(x_n | k), shape (n, n_components); x already checked."""
        log_on = nn.functional.logsigmoid(self.mean_logits)
        log_off = nn.functional.logsigmoid(-self.mean_logits)
        return self.log_weights + x @ log_on.T + (1 - x) @ log_off.T

    def log_prob(self, x) -> torch.Tensor:
        x = self._check(x)
        return torch.logsumexp(self.joint_log_prob(x), dim=1)

    def responsibilities(self, x) -> torch.Tensor:
        """r_nk = p(k | x_n), shape (n, n_components)."""
        x = self._check(x)
        return torch.softmax(self.joint_log_prob(x), dim=1)

    def log_prior(self) -> torch.Tensor:
        """log p(theta) up to a constant: alpha (sum_ki log mu_ki (1 - mu_ki) + sum_k log pi_k)."""
        log_on = nn.functional.logsigmoid(self.mean_logits)
        log_off = nn.functional.logsigmoid(-self.mean_logits)
        return self.alpha * ((log_on + log_off).sum() + self.log_weights.sum())

    @torch.no_grad()
    def seed_from_data(self, x_train) -> None:
        """Start component k at (1 - blur) x_{n_k} + blur * mean(x) for distinct random rows n_k,
        smoothed with the alpha pseudo-counts so that no probability is 0 or 1."""
        x = self._check(x_train)
        generator = torch.Generator().manual_seed(self.seed)
        rows = torch.randperm(len(x), generator=generator)[: self.n_components]
        if len(rows) < self.n_components:
            rows = torch.randint(len(x), (self.n_components,), generator=generator)
        means = (1 - self.blur) * x[rows] + self.blur * x.mean(dim=0)
        means = (means * len(x) + self.alpha) / (len(x) + 2 * self.alpha)
        self.mean_logits.copy_(torch.logit(means))
        self.weight_logits.zero_()

    @torch.no_grad()
    def em_step(self, x_train) -> float:
        """One MAP-EM step on x_train; returns the mean training NLL (nats per image) before it.

        The first call seeds the components from the data (:meth:`seed_from_data`).
        """
        x = self._check(x_train)
        if len(x) == 0:
            raise ValueError("em_step needs at least one training image")
        if int(self.n_em_steps) == 0:
            self.seed_from_data(x)
        joint = self.joint_log_prob(x)
        log_likelihood = torch.logsumexp(joint, dim=1)
        resp = torch.exp(joint - log_likelihood[:, None])
        counts = resp.sum(dim=0)
        on_counts = resp.T @ x
        off_counts = (counts[:, None] - on_counts).clamp_min(0)
        weights = (counts + self.alpha) / (len(x) + self.n_components * self.alpha)
        self.mean_logits.copy_(torch.log(on_counts + self.alpha) - torch.log(off_counts + self.alpha))
        self.weight_logits.copy_(torch.log(weights))
        self.n_em_steps += 1
        return float(-log_likelihood.mean())

    @torch.no_grad()
    def conditionals(self, x, chunk: int = 256) -> torch.Tensor:
        """sum_k w_k^(i) mu_ki with the posterior w^(i) given x_<i, ``chunk`` images at a time."""
        x = self._check(x)
        probs = torch.empty_like(x)
        for start in range(0, len(x), chunk):
            rows = slice(start, start + chunk)
            per_pixel = bernoulli_log_prob(self.mean_logits, x[rows, None, :])  # (m, K, D)
            seen_before = torch.cumsum(per_pixel, dim=2) - per_pixel
            posterior = torch.softmax(self.log_weights[None, :, None] + seen_before, dim=1)
            probs[rows] = (posterior * self.means).sum(dim=1)
        return probs

    def n_parameters(self) -> int:
        """K D component probabilities and K - 1 free mixing weights."""
        return self.n_components * self.n_dims + self.n_components - 1

    # The walk keeps the log posterior weights over components: O(K) a pixel.
    def _begin_walk(self, n: int):
        return {"log_posterior": self.log_weights.expand(n, -1).clone(), "means": self.means}

    def _walk_probability(self, state, i: int) -> torch.Tensor:
        posterior = torch.softmax(state["log_posterior"], dim=1)
        return (posterior @ state["means"][:, i]).clamp(0, 1)

    def _walk_observe(self, state, i: int, bits: torch.Tensor) -> None:
        state["log_posterior"] += bernoulli_log_prob(self.mean_logits[:, i], bits[:, None])
