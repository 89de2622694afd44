"""Context NADE: NADE plus a small network that reads the pixels next to the one being predicted.

NADE sees every earlier pixel, but only through one shared layer of H sigmoid units, and from
3,500 digits it learns the broad shape of a stroke better than its edge. The edge is what a local
context model (JBIG1's, say) predicts well: whether the pixel above and the ones to its left are
on. This model adds the two in logit space,

    logit_i = b_i + V_i . sigmoid(c + sum_{j<i} W_{:, j} x_j)        (NADE, :mod:`.nade`)
              + u . relu(A z_i + a) + e_i,                               (the context network)

where z_i holds the values of the pixels in a causal window around pixel i = (r, s) in raster
order: the ``context_rows`` rows above it, ``context_columns`` columns either side, and the
``context_columns`` pixels to its left on its own row (a window pixel outside the image reads 0,
the background). A, a and u are shared by all pixels, like a convolution's kernel; e_i (one per
pixel) lets the context network's output depend on where the pixel is. Every pixel of z_i comes
before i in raster order, so logit_i depends on x_<i only and

    p(x) = prod_i Bernoulli(x_i; sigmoid(logit_i))

is a normalised distribution (the tests check it by enumeration for small images). Sampling,
completion and arithmetic coding walk the pixels as NADE does, keeping NADE's running activation
and reading each pixel's window from the pixels set so far: O(H + P K) a pixel for a window of P
pixels and K context units.

Training regularises the context network with dropout on its hidden units (rate ``dropout``,
active only in ``.train()`` mode and only in ``training_log_prob``; ``log_prob`` is the
deterministic model in any mode, its dropout replaced by its expectation as usual).
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .base import bernoulli_log_prob
from .nade import NADE


def context_window(n_dims: int, width: int, rows: int, columns: int) -> torch.Tensor:
    """Index table (D, P) of each pixel's causal window when the D pixels fill rows of ``width``
    in raster order (the last row may be short); the index D stands for "outside the image" (it
    reads a constant 0).

    Window of pixel (r, s): pixels (r - dr, s + ds) for dr = 1..rows and ds = -columns..columns,
    then (r, s - ds) for ds = 1..columns: P = rows (2 columns + 1) + columns pixels, all before
    (r, s) in raster order.
    """
    offsets = [(-dr, ds) for dr in range(rows, 0, -1) for ds in range(-columns, columns + 1)]
    offsets += [(0, -ds) for ds in range(columns, 0, -1)]
    r = (torch.arange(n_dims) // width)[:, None]
    s = (torch.arange(n_dims) % width)[:, None]
    rr = r + torch.tensor([o[0] for o in offsets])[None, :]
    ss = s + torch.tensor([o[1] for o in offsets])[None, :]
    index = rr * width + ss
    inside = (rr >= 0) & (ss >= 0) & (ss < width) & (index < n_dims)
    return torch.where(inside, index, torch.full_like(index, n_dims))


class ContextNADE(NADE):
    """NADE with ``n_hidden`` units plus a context network of ``context_units`` ReLUs over a causal
    window of ``context_rows`` x (2 ``context_columns`` + 1) pixels above and ``context_columns``
    to the left, for images whose rows are ``image_width`` pixels wide (default: square images,
    width sqrt(D)). The context network's output weights start at N(0, init_scale^2), like V."""

    def __init__(
        self,
        n_dims: int,
        n_hidden: int = 500,
        context_rows: int = 4,
        context_columns: int = 4,
        context_units: int = 64,
        dropout: float = 0.0,
        image_width: int | None = None,
        init_scale: float = 0.01,
        seed: int = 0,
    ):
        if image_width is None:
            integral = isinstance(n_dims, (int, np.integer)) and not isinstance(n_dims, bool)
            side = math.isqrt(int(n_dims)) if integral and n_dims > 0 else 0
            if side * side != n_dims:
                raise ValueError(f"n_dims = {n_dims!r} is not a square number: give image_width, the pixels per row")
            image_width = side
        if isinstance(image_width, bool) or int(image_width) != image_width or image_width < 1:
            raise ValueError(f"image_width must be a positive integer, got {image_width!r}")
        for name, value, low in (("context_rows", context_rows, 0), ("context_columns", context_columns, 0),
                                 ("context_units", context_units, 1)):
            if isinstance(value, bool) or int(value) != value or value < low:
                raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
        if context_rows == 0 and context_columns == 0:
            raise ValueError("the context window is empty: give context_rows or context_columns > 0")
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout must be in [0, 1), got {dropout!r}")
        super().__init__(n_dims, n_hidden=n_hidden, init_scale=init_scale, seed=seed)
        self.config.update(context_rows=int(context_rows), context_columns=int(context_columns),
                           context_units=int(context_units), dropout=float(dropout), image_width=int(image_width))
        self.dropout = float(dropout)
        self.register_buffer("window", context_window(self.n_dims, int(image_width), int(context_rows), int(context_columns)))
        n_window = self.window.shape[1]
        generator = torch.Generator().manual_seed(int(seed) + 1)
        bound = 1 / math.sqrt(n_window)
        self.context_weight = nn.Parameter((2 * torch.rand(int(context_units), n_window, generator=generator) - 1) * bound)
        self.context_bias = nn.Parameter(torch.zeros(int(context_units)))
        self.context_out = nn.Parameter(init_scale * torch.randn(int(context_units), generator=generator))
        self.position_bias = nn.Parameter(torch.zeros(self.n_dims))

    def _windows(self, x: torch.Tensor) -> torch.Tensor:
        """z_i for every pixel: (n, D, P), reading 0 outside the image."""
        padded = torch.cat([x, x.new_zeros(len(x), 1)], dim=1)
        return padded[:, self.window]

    def _context_logits(self, x: torch.Tensor, drop: bool) -> torch.Tensor:
        """u . relu(A z_i + a) + e_i for every image and pixel, (n, D); ``drop`` applies dropout."""
        hidden = F.relu(F.linear(self._windows(x), self.context_weight, self.context_bias))
        if drop and self.dropout:
            hidden = F.dropout(hidden, self.dropout, training=True)
        return hidden @ self.context_out + self.position_bias

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """NADE's logits plus the context network's, shape (n, n_dims); x already checked."""
        return super().logits(x) + self._context_logits(x, drop=False)

    def training_log_prob(self, x, generator: torch.Generator | None = None) -> torch.Tensor:
        """log p(x) with dropout on the context units in ``.train()`` mode (the stochastic objective
        that gradient training maximises); in ``.eval()`` mode, ``log_prob``."""
        x = self._check(x)
        logits = super().logits(x) + self._context_logits(x, drop=self.training)
        return bernoulli_log_prob(logits, x).sum(dim=1)

    # The walk: NADE's running activation, plus the pixels set so far for the windows.
    def _begin_walk(self, n: int):
        state = super()._begin_walk(n)
        state["x"] = self._new_zeros(n, self.n_dims + 1)  # the last column is "outside": always 0
        return state

    def _walk_probability(self, state, i: int) -> torch.Tensor:
        hidden = torch.sigmoid(state["activation"])
        nade = torch.addmv(state["b"][i].expand(len(hidden)), hidden, state["v"][i])
        context = F.relu(F.linear(state["x"][:, self.window[i]], self.context_weight, self.context_bias))
        return (nade + context @ self.context_out + self.position_bias[i]).sigmoid_()

    def _walk_observe(self, state, i: int, bits: torch.Tensor) -> None:
        super()._walk_observe(state, i, bits)
        state["x"][:, i] = bits
