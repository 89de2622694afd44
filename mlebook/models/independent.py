"""Independent pixels: the simplest density model of binary images.

    p(x) = prod_i theta_i^{x_i} (1 - theta_i)^{1 - x_i},   theta_i = sigmoid(l_i).

Its maximum-likelihood estimate has a closed form: theta_i is the fraction of training images
with pixel i on. A pixel never on in training would get theta_i = 0 and any test image with
that pixel on would have probability 0 (an infinite code length), so the estimate is smoothed
by adding alpha pseudo-counts of each value (alpha = 1 is Laplace's add-one rule):

    theta_i = (count_i + alpha) / (n + 2 alpha).

This is the posterior mode under a Beta(1 + alpha, 1 + alpha) prior; alpha = 0 is the plain MLE.
"""

from __future__ import annotations

import torch
from torch import nn

from .base import DensityModel, bernoulli_log_prob


class IndependentBernoulli(DensityModel):
    """p(x) = prod_i Bernoulli(x_i; theta_i), parameterised by logits; starts at theta_i = 1/2."""

    training_method = "closed form"

    def __init__(self, n_dims: int, alpha: float = 1.0):
        if not alpha >= 0:
            raise ValueError(f"alpha must be >= 0, got {alpha!r}")
        super().__init__(n_dims, alpha=float(alpha))
        self.alpha = float(alpha)
        self.logits = nn.Parameter(torch.zeros(self.n_dims))

    @property
    def probs(self) -> torch.Tensor:
        """theta_i = p(x_i = 1), shape (n_dims,)."""
        return torch.sigmoid(self.logits)

    def log_prob(self, x) -> torch.Tensor:
        x = self._check(x)
        return bernoulli_log_prob(self.logits, x).sum(dim=1)

    @torch.no_grad()
    def fit_closed_form(self, x_train) -> "IndependentBernoulli":
        """Set theta_i = (count_i + alpha) / (n + 2 alpha); returns self."""
        x = self._check(x_train)
        ones = x.sum(dim=0)
        zeros = len(x) - ones
        self.logits.copy_(torch.log(ones + self.alpha) - torch.log(zeros + self.alpha))
        return self

    @torch.no_grad()
    def conditionals(self, x) -> torch.Tensor:
        """The pixels are independent: every conditional is theta_i."""
        x = self._check(x)
        return self.probs.expand(len(x), -1).clone()

    def _begin_walk(self, n: int):
        return n

    def _walk_probability(self, n, i: int) -> torch.Tensor:
        return self.probs[i].expand(n)

    def _walk_observe(self, n, i: int, bits: torch.Tensor) -> None:
        pass
