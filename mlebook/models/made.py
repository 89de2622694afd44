"""MADE, the masked autoencoder for distribution estimation (Germain et al., 2015).

A feed-forward network x -> logits whose weight matrices are multiplied by binary masks so that
output i depends only on the pixels before i in an ordering sigma. Each unit gets a degree:
input pixel sigma_t has degree t (1..D), hidden units degrees m drawn uniformly from
[min degree of the layer below, D - 1], and a connection is kept when

    hidden unit <- unit below:    m_out >= m_in,
    output pixel <- hidden unit:  degree(pixel) > m_in   (strictly, so pixel i never sees itself).

Then p(x_i = 1 | x_before i) = sigmoid(logit_i(x)) and log p(x) = sum_i log Bernoulli(x_i; .).
With ``direct=True`` inputs also connect straight to the outputs (mask: degree(out) > degree(in)).

**Several orderings.** With K > 1 the model keeps K orderings, each with its own masks (the first
is raster order; the rest are random permutations from ``seed``). The model is the uniform mixture

    p(x) = (1/K) sum_k p_k(x),   log p(x) = logsumexp_k log p_k(x) - log K,

a proper distribution, in training and in eval mode alike. Training maximises instead the
order-agnostic objective E_k[log p_k(x)] <= log p(x) (Jensen), one ordering drawn per minibatch
(:meth:`MADE.training_log_prob`), which costs one forward pass instead of K. Averaging the K *logits* before the sigmoid
(:meth:`MADE.log_prob_logit_average`) is not: the averaged conditional for a pixel can depend on
pixels that come after it in some ordering, so the result need not sum to 1.

``sample`` draws from the mixture (an ordering per image, then its pixels in that ordering);
``order``, ``conditionals``, ``sequential`` and ``complete`` use the first ordering alone.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ..checks import count
from .base import DensityModel, bernoulli_log_prob


def _degrees_and_masks(order: torch.Tensor, hidden_sizes, generator: torch.Generator):
    """The masks of one ordering: [(out, in) boolean mask per layer], then the direct mask."""
    n_dims = len(order)
    input_degrees = torch.empty(n_dims, dtype=torch.long)
    input_degrees[order] = torch.arange(1, n_dims + 1)
    masks, below = [], input_degrees
    for size in hidden_sizes:
        low = min(int(below.min()), n_dims - 1)
        degrees = torch.randint(max(low, 1), max(n_dims, 2), (size,), generator=generator)
        masks.append(degrees[:, None] >= below[None, :])
        below = degrees
    masks.append(input_degrees[:, None] > below[None, :])
    direct = input_degrees[:, None] > input_degrees[None, :]
    return masks, direct


class MADE(DensityModel):
    """MADE with ReLU hidden layers of ``hidden_sizes`` and ``n_orderings`` orderings."""

    def __init__(self, n_dims: int, hidden_sizes=(500,), n_orderings: int = 1, direct: bool = False, seed: int = 0):
        hidden_sizes = tuple(int(size) for size in hidden_sizes)
        if not hidden_sizes or min(hidden_sizes) < 1:
            raise ValueError(f"hidden_sizes must be one or more positive integers, got {hidden_sizes!r}")
        if int(n_orderings) < 1:
            raise ValueError(f"n_orderings must be a positive integer, got {n_orderings!r}")
        super().__init__(n_dims, hidden_sizes=hidden_sizes, n_orderings=int(n_orderings), direct=bool(direct), seed=int(seed))
        self.n_orderings = int(n_orderings)
        self.direct = bool(direct)
        generator = torch.Generator().manual_seed(int(seed))

        orders = [torch.arange(self.n_dims)]
        orders += [torch.randperm(self.n_dims, generator=generator) for _ in range(self.n_orderings - 1)]
        per_ordering = [_degrees_and_masks(order, hidden_sizes, generator) for order in orders]
        self.register_buffer("orders", torch.stack(orders))
        sizes = (self.n_dims, *hidden_sizes, self.n_dims)
        self.weights = nn.ParameterList()
        self.biases = nn.ParameterList()
        for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            bound = 1 / math.sqrt(fan_in)
            self.weights.append(nn.Parameter((2 * torch.rand(fan_out, fan_in, generator=generator) - 1) * bound))
            self.biases.append(nn.Parameter((2 * torch.rand(fan_out, generator=generator) - 1) * bound))
            self.register_buffer(f"masks_{layer}", torch.stack([masks[layer] for masks, _ in per_ordering]))
        if self.direct:
            self.direct_weight = nn.Parameter(torch.zeros(self.n_dims, self.n_dims))
            self.register_buffer("direct_masks", torch.stack([direct for _, direct in per_ordering]))

    def _masks(self, layer: int) -> torch.Tensor:
        return getattr(self, f"masks_{layer}")

    @property
    def order(self) -> torch.Tensor:
        """The first ordering (raster order), used by conditionals, sequential and complete."""
        return self.orders[0]

    def masked_weights(self, k: int) -> list[torch.Tensor]:
        """The weight matrices times ordering k's masks (the direct weights last, if any)."""
        weights = [weight * self._masks(layer)[k] for layer, weight in enumerate(self.weights)]
        if self.direct:
            weights.append(self.direct_weight * self.direct_masks[k])
        return weights

    def logits(self, x: torch.Tensor, k: int, masked_weights: list[torch.Tensor] | None = None) -> torch.Tensor:
        """logit of p(x_i = 1 | pixels before i in ordering k), shape (n, n_dims); x checked.

        ``masked_weights`` (from :meth:`masked_weights`) saves recomputing them in a loop.
        """
        weights = self.masked_weights(k) if masked_weights is None else masked_weights
        h = x
        for layer, bias in enumerate(self.biases):
            h = F.linear(h, weights[layer], bias)
            if layer < len(self.biases) - 1:
                h = F.relu(h)
        if self.direct:
            h = h + F.linear(x, weights[-1])
        return h

    def ordering_log_probs(self, x) -> torch.Tensor:
        """log p_k(x) under each ordering k, shape (n, n_orderings)."""
        x = self._check(x)
        return torch.stack([bernoulli_log_prob(self.logits(x, k), x).sum(dim=1) for k in range(self.n_orderings)], dim=1)

    def log_prob(self, x) -> torch.Tensor:
        """log p(x) of the mixture over the orderings, logsumexp_k log p_k(x) - log K (any mode)."""
        x = self._check(x)
        return torch.logsumexp(self.ordering_log_probs(x), dim=1) - math.log(self.n_orderings)

    def training_log_prob(self, x, generator: torch.Generator | None = None) -> torch.Tensor:
        """log p_k(x) under one ordering k drawn uniformly with ``generator``: an unbiased estimate,
        over the draw, of the order-agnostic objective E_k[log p_k(x)]."""
        x = self._check(x)
        k = int(torch.randint(self.n_orderings, (), generator=generator))
        return bernoulli_log_prob(self.logits(x, k), x).sum(dim=1)

    def log_prob_logit_average(self, x) -> torch.Tensor:
        """The pitfall: sum_i log Bernoulli(x_i; sigmoid(mean_k logit_ik)). Not normalised."""
        x = self._check(x)
        mean_logits = torch.stack([self.logits(x, k) for k in range(self.n_orderings)]).mean(dim=0)
        return bernoulli_log_prob(mean_logits, x).sum(dim=1)

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """n images from the model; with K > 1 orderings, each image first draws its ordering k
        uniformly, then its pixels in that ordering (a sample of the mixture, as in eval mode)."""
        n = count(n, "n (the number of images)")
        if self.n_orderings == 1:
            return super().sample(n, generator=generator)
        chosen = torch.randint(self.n_orderings, (n,), generator=generator)
        x = self._new_zeros(n, self.n_dims)
        for k in range(self.n_orderings):
            rows = torch.nonzero(chosen == k).squeeze(1).to(x.device)
            x_k, weights = x[rows], self.masked_weights(k)
            for i in self.orders[k].tolist():
                x_k[:, i] = torch.bernoulli(torch.sigmoid(self.logits(x_k, k, weights)[:, i]), generator=generator)
            x[rows] = x_k
        return x

    @torch.no_grad()
    def conditionals(self, x) -> torch.Tensor:
        """Conditionals of the first (raster) ordering."""
        x = self._check(x)
        return torch.sigmoid(self.logits(x, 0))

    def n_parameters(self) -> int:
        """Biases plus the weights that at least one ordering's masks keep."""
        count = sum(bias.numel() for bias in self.biases)
        count += sum(int(self._masks(layer).any(dim=0).sum()) for layer in range(len(self.weights)))
        if self.direct:
            count += int(self.direct_masks.any(dim=0).sum())
        return count

    # The walk recomputes the network on the pixels set so far: one forward pass a pixel.
    def _begin_walk(self, n: int):
        return {"x": self._new_zeros(n, self.n_dims), "weights": self.masked_weights(0)}

    def _walk_probability(self, state, i: int) -> torch.Tensor:
        return torch.sigmoid(self.logits(state["x"], 0, state["weights"])[:, i])

    def _walk_observe(self, state, i: int, bits: torch.Tensor) -> None:
        state["x"][:, i] = bits
