"""The fully visible sigmoid belief network (FVSBN): one logistic regression per pixel.

    p(x_i = 1 | x_<i) = sigmoid(b_i + sum_{j < i} W_ij x_j),

with W strictly lower triangular, so pixel i sees only the pixels before it in raster order
(Frey, 1998). It has D(D - 1)/2 + D free parameters. The log-likelihood is a sum of D
separate logistic-regression log-likelihoods, each concave in its own (b_i, W_i<), so
gradient ascent finds the maximum.
"""

from __future__ import annotations

import torch
from torch import nn

from .base import LogitAutoregressive


class FVSBN(LogitAutoregressive):
    """Fully visible sigmoid belief network in raster order; weights start at N(0, init_scale^2)."""

    def __init__(self, n_dims: int, init_scale: float = 0.01, seed: int = 0):
        super().__init__(n_dims, init_scale=float(init_scale), seed=int(seed))
        generator = torch.Generator().manual_seed(int(seed))
        self.bias = nn.Parameter(init_scale * torch.randn(self.n_dims, generator=generator))
        self.weight = nn.Parameter(init_scale * torch.randn(self.n_dims, self.n_dims, generator=generator))
        self.register_buffer("mask", torch.ones(self.n_dims, self.n_dims).tril(diagonal=-1))

    @property
    def masked_weight(self) -> torch.Tensor:
        """W with the entries on and above the diagonal set to zero."""
        return self.weight * self.mask

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """b_i + sum_{j<i} W_ij x_j for each image, shape (n, n_dims)."""
        return self.bias + x @ self.masked_weight.T

    def n_parameters(self) -> int:
        """D biases and the D(D - 1)/2 weights below the diagonal."""
        return self.n_dims + self.n_dims * (self.n_dims - 1) // 2

    # The walk keeps the running logits b + W x (only pixels set so far contribute): O(D) a pixel.
    def _begin_walk(self, n: int):
        return {"logits": self.bias.expand(n, -1).clone(), "weight": self.masked_weight}

    def _walk_probability(self, state, i: int) -> torch.Tensor:
        return torch.sigmoid(state["logits"][:, i])

    def _walk_observe(self, state, i: int, bits: torch.Tensor) -> None:
        state["logits"] += bits[:, None] * state["weight"][:, i]
