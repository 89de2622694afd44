"""The explorers of the chapters "Why 2^784 is hopeless" and "Learning as density estimation".

Each computes its numbers in the page (its ES module in ``js/``); the wrapper holds the state.

- :class:`CoverageExplorer` (``js/coverage.js``): image side s and data-set size n -> |X| = 2^(s^2)
  and the largest share n / 2^(s^2) of the space that n examples can show, exactly (BigInt).
- :class:`CoinExplorer` (``js/coin.js``): counts of heads and tails -> L(theta), log L(theta) and
  theta* = n_H / (n_H + n_T).
- :class:`MonteCarloExplorer` (``js/monte_carlo.js``): sample size n -> the spread of the Monte
  Carlo estimate (1/n) sum_i log q(x_i) around E_p[log q(x)], against the predicted sd
  sqrt(Var_p[log q] / n). The wrapper hands the page the full tables of p and log q over all
  2^D images (small D); the page draws the samples with a seeded generator.
"""

from __future__ import annotations

import numpy as np
import traitlets

from ..checks import count
from ..chapters.estimation import TabulatedDistribution
from .base import Explorer

MAX_SIDE = 28
MAX_LOG10_EXAMPLES = 24
MAX_TABLE = 2**14  # images in the Monte Carlo explorer's tables (their JSON sits in the page)


def _in_range(value, name: str, low: int, high: int) -> int:
    value = count(value, name, minimum=low)
    if value > high:
        raise ValueError(f"{name} must be at most {high}, got {value}")
    return value


class CoverageExplorer(Explorer):
    """How much of the space of s x s binary images n = 10^k examples can cover (s <= 28, k <= 24)."""

    module = "coverage"
    side = traitlets.Int(28).tag(sync=True)
    log10_examples = traitlets.Int(7).tag(sync=True)
    max_side = traitlets.Int(MAX_SIDE).tag(sync=True)
    max_log10_examples = traitlets.Int(MAX_LOG10_EXAMPLES).tag(sync=True)

    def __init__(self, side: int = 28, log10_examples: int = 7, **kwargs):
        super().__init__(side=_in_range(side, "side", 1, MAX_SIDE),
                         log10_examples=_in_range(log10_examples, "log10_examples", 0, MAX_LOG10_EXAMPLES), **kwargs)


class CoinExplorer(Explorer):
    """The likelihood and log-likelihood of a coin's bias for counts of heads and tails (0 to ``max_count``)."""

    module = "coin"
    n_heads = traitlets.Int(3).tag(sync=True)
    n_tails = traitlets.Int(2).tag(sync=True)
    max_count = traitlets.Int(50).tag(sync=True)

    def __init__(self, n_heads: int = 3, n_tails: int = 2, max_count: int = 50, **kwargs):
        max_count = count(max_count, "max_count", minimum=1)
        super().__init__(n_heads=_in_range(n_heads, "n_heads", 0, max_count),
                         n_tails=_in_range(n_tails, "n_tails", 0, max_count), max_count=max_count, **kwargs)


class MonteCarloExplorer(Explorer):
    """The sampling distribution of the empirical log-likelihood for a chosen sample size n.

    ``data`` is the true distribution p (a :class:`~mlebook.chapters.estimation.TabulatedDistribution`
    of at most 2^14 images) and ``model_log_probs`` the table of log q (nats, finite) over the
    same images; ``n_repeats`` estimates are drawn for each n in ``sizes``, from ``seed``.
    """

    SIZES = (1, 3, 10, 30, 100, 300, 1000, 3000)
    module = "monte_carlo"
    p = traitlets.List(traitlets.Float()).tag(sync=True)
    log_q = traitlets.List(traitlets.Float()).tag(sync=True)
    sizes = traitlets.List(traitlets.Int()).tag(sync=True)
    n = traitlets.Int(10).tag(sync=True)
    n_repeats = traitlets.Int(1000).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)

    def __init__(self, data: TabulatedDistribution, model_log_probs, n: int = 10, n_repeats: int = 1000,
                 seed: int = 0, sizes=SIZES, **kwargs):
        log_q = np.asarray(model_log_probs, dtype=float)
        if log_q.shape != data.log_probs.shape:
            raise ValueError(f"model_log_probs must hold one number per image, shape {data.log_probs.shape}, got {log_q.shape}")
        if len(log_q) > MAX_TABLE:
            raise ValueError(f"the tables must have at most {MAX_TABLE} images (D <= 14), got {len(log_q)}")
        if not np.isfinite(log_q).all():
            raise ValueError("model_log_probs must be finite: a model with q(x) = 0 has E_p[log q] = -inf")
        sizes = [count(size, "each of sizes", minimum=1) for size in sizes]
        if n not in sizes:
            raise ValueError(f"n must be one of sizes {sizes}, got {n}")
        super().__init__(p=data.probs.tolist(), log_q=log_q.tolist(), sizes=sizes, n=n,
                         n_repeats=count(n_repeats, "n_repeats", minimum=2), seed=count(seed, "seed"), **kwargs)
