"""NADE, the neural autoregressive distribution estimator (Larochelle & Murray, 2011).

One hidden layer per pixel, all sharing the same weights:

    a_i = c + sum_{j<i} W_{:, j} x_j              (H pre-activations for pixel i)
    h_i = sigmoid(a_i)
    p(x_i = 1 | x_<i) = sigmoid(b_i + V_i . h_i).

Because a_{i+1} = a_i + W_{:, i} x_i, all D hidden layers cost O(D H) per image instead of
O(D^2 H): log p(x) takes one running (cumulative) sum, and so does sampling, which updates the
running activation after each pixel. :meth:`NADE.sample_naive` recomputes every conditional
from scratch for comparison.

Training speed comes from :class:`_NADELogits`, an autograd function with a hand-derived
backward pass. It cuts the pixels into blocks of B and computes the pre-activations of a block
with one small matrix product, a_i = (running sum of the earlier blocks) + sum over the earlier
pixels j of the same block of x_j W_{:, j}; it processes the batch a few images at a time, in the
layout (pixel, image, hidden), and recomputes the hidden units in the backward pass instead of
storing (n, D, H) tensors. With g_ni = dL/d(logit_ni):

    dL/dV_i = sum_n g_ni h_ni,   dL/da_ni = g_ni V_i * h_ni (1 - h_ni),
    dL/dc   = sum_{n,i} dL/da_ni,   dL/dW_{:, j} = sum_n x_nj sum_{i>j} dL/da_ni.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from ..checks import count
from .base import LogitAutoregressive

_BLOCK = 16  # pixels per block
_CHUNK_ELEMENTS = 4_000_000  # images per chunk = this / (D H): 16 MB of float32 per buffer


class _Layout:
    """Pixels padded to nb blocks of B; x as (nb, n, B); weights as (nb, B, H)."""

    def __init__(self, n_dims: int, n_hidden: int):
        self.block = min(_BLOCK, n_dims)
        self.n_blocks = math.ceil(n_dims / self.block)
        self.padded = self.n_blocks * self.block
        self.chunk = max(1, _CHUNK_ELEMENTS // (self.padded * n_hidden))

    def pad_rows(self, matrix: torch.Tensor) -> torch.Tensor:
        """(D, ...) -> (padded D, ...) with zero rows appended."""
        extra = self.padded - len(matrix)
        return torch.cat([matrix, matrix.new_zeros(extra, *matrix.shape[1:])]) if extra else matrix

    def blocks(self, x: torch.Tensor) -> torch.Tensor:
        """(n, D) images -> (nb, n, B)."""
        return self.pad_rows(x.T).reshape(self.n_blocks, self.block, len(x)).transpose(1, 2).contiguous()

    def chunks(self, n: int):
        return [slice(start, min(start + self.chunk, n)) for start in range(0, n, self.chunk)]


def _hidden(xb: torch.Tensor, weight_blocks: torch.Tensor, c: torch.Tensor, out: torch.Tensor) -> torch.Tensor:
    """h_i = sigmoid(c + sum_{j<i} x_j W_{:, j}) for m images, returned as (padded D, m, H).

    xb is (nb, m, B), weight_blocks (nb, B, H), out a buffer of nb * B * m * H elements.
    """
    n_blocks, m, block = xb.shape
    block_sums = torch.bmm(xb, weight_blocks)  # (nb, m, H): sum over each block's pixels
    offsets = block_sums.cumsum(dim=0).sub_(block_sums).add_(c)  # earlier blocks only
    strict = xb.new_ones(block, block).tril_(diagonal=-1)  # [i, j] = 1 if j < i
    within = xb[:, None, :, :] * strict[None, :, None, :]  # (nb, B_i, m, B_j)
    out = out.view(n_blocks, block * m, -1)
    torch.bmm(within.view(n_blocks, block * m, block), weight_blocks, out=out)
    out = out.view(n_blocks, block, m, -1).add_(offsets[:, None]).sigmoid_()
    return out.view(n_blocks * block, m, -1)


class _NADELogits(torch.autograd.Function):
    """logits[n, i] = b_i + V_i . sigmoid(c + sum_{j<i} W_{:, j} x_nj), O(n D H)."""

    @staticmethod
    def forward(ctx, x, weight_t, c, v, b):
        n, d = x.shape
        layout = _Layout(d, len(c))
        xb = layout.blocks(x)
        weight_blocks = layout.pad_rows(weight_t).view(layout.n_blocks, layout.block, -1)
        v_padded = layout.pad_rows(v)
        logits = x.new_empty(layout.padded, 1, n)
        buffer = x.new_empty(layout.padded * min(n, layout.chunk) * len(c))
        for rows in layout.chunks(n):
            m = rows.stop - rows.start
            h = _hidden(xb[:, rows], weight_blocks, c, buffer[: layout.padded * m * len(c)])
            torch.bmm(v_padded[:, None, :], h.transpose(1, 2), out=logits[:, :, rows])
        ctx.save_for_backward(xb, weight_t, c, v)
        return logits[:d, 0].T + b

    @staticmethod
    def backward(ctx, grad_logits):
        xb, weight_t, c, v = ctx.saved_tensors
        n, d = grad_logits.shape
        layout = _Layout(d, len(c))
        nb, block = layout.n_blocks, layout.block
        weight_blocks = layout.pad_rows(weight_t).view(nb, block, -1)
        v_padded = layout.pad_rows(v)
        grad_t = layout.pad_rows(grad_logits.T.contiguous())  # (padded D, n)
        grad_weight = torch.zeros_like(weight_blocks)
        grad_v = torch.zeros_like(v_padded)
        grad_c = torch.zeros_like(c)
        later = xb.new_ones(block, block).triu_(diagonal=1)  # [j, i] = 1 if i > j
        buffer = xb.new_empty(layout.padded * min(n, layout.chunk) * len(c))
        for rows in layout.chunks(n):
            m = rows.stop - rows.start
            x_chunk, g = xb[:, rows], grad_t[:, rows]
            h = _hidden(x_chunk, weight_blocks, c, buffer[: layout.padded * m * len(c)])
            grad_v[:, None, :].baddbmm_(g[:, None, :], h)
            grad_a = h.addcmul_(h, h, value=-1).mul_(g[:, :, None]).mul_(v_padded[:, None, :])
            grad_a = grad_a.view(nb, block, m, -1)
            block_totals = grad_a.sum(dim=1)  # (nb, m, H)
            grad_c.add_(block_totals.sum(dim=(0, 1)))
            # sum over the later blocks, then over the later pixels of the same block
            later_blocks = block_totals.sum(dim=0) - block_totals.cumsum(dim=0)
            grad_weight.baddbmm_(x_chunk.transpose(1, 2), later_blocks)
            within = x_chunk.transpose(1, 2)[:, :, None, :] * later[None, :, :, None]  # (nb, B_j, B_i, m)
            grad_weight.baddbmm_(within.view(nb, block, block * m), grad_a.view(nb, block * m, -1))
        grad_weight_t = grad_weight.view(layout.padded, -1)[:d]
        return None, grad_weight_t, grad_c, grad_v[:d], grad_logits.sum(dim=0)


class NADE(LogitAutoregressive):
    """NADE with ``n_hidden`` sigmoid units in raster order; weights start at N(0, init_scale^2)."""

    def __init__(self, n_dims: int, n_hidden: int = 500, init_scale: float = 0.01, seed: int = 0):
        if int(n_hidden) < 1:
            raise ValueError(f"n_hidden must be a positive integer, got {n_hidden!r}")
        super().__init__(n_dims, n_hidden=int(n_hidden), init_scale=float(init_scale), seed=int(seed))
        self.n_hidden = int(n_hidden)
        generator = torch.Generator().manual_seed(int(seed))
        # W is stored transposed, (D, H): row j is the column W_{:, j} added when pixel j is on.
        self.weight_t = nn.Parameter(init_scale * torch.randn(self.n_dims, self.n_hidden, generator=generator))
        self.c = nn.Parameter(torch.zeros(self.n_hidden))
        self.v = nn.Parameter(init_scale * torch.randn(self.n_dims, self.n_hidden, generator=generator))
        self.b = nn.Parameter(torch.zeros(self.n_dims))

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """b_i + V_i . h_i for each image and pixel, shape (n, n_dims); x already checked."""
        return _NADELogits.apply(x, self.weight_t, self.c, self.v, self.b)

    # The walk keeps the running activation a = c + sum_{j set} W_{:, j} x_j: O(H) a pixel.
    def _begin_walk(self, n: int):
        return {
            "activation": self.c.expand(n, -1).clone(),
            "b": self.b.unbind(0),
            "v": self.v.unbind(0),
            "w": self.weight_t.unbind(0),
        }

    def _walk_probability(self, state, i: int) -> torch.Tensor:
        hidden = torch.sigmoid(state["activation"])
        return torch.addmv(state["b"][i].expand(len(hidden)), hidden, state["v"][i]).sigmoid_()

    def _walk_observe(self, state, i: int, bits: torch.Tensor) -> None:
        state["activation"].addr_(bits, state["w"][i])

    @torch.no_grad()
    def sample_naive(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Sample like :meth:`sample`, but recompute all conditionals from scratch for each pixel.

        Each pixel costs a full O(D H) pass per image, O(D^2 H) in all: the baseline that the
        running-activation sampler improves on. Same generator state, same samples.
        """
        x = self._new_zeros(count(n, "n (the number of images)"), self.n_dims)
        for i in self.order.tolist():
            p = torch.sigmoid(self.logits(x)[:, i])
            x[:, i] = torch.bernoulli(p, generator=generator)
        return x
