"""The explorer of the chapter "KL as extra bits": code data from p with a model q, count the bits.

Samples x_1..x_n ~ p are arithmetic-coded twice: with the true p and with a model

    q_t = (1 - t) p + t r,    t in [0, 1],

that moves from p (t = 0) to a wrong guess r (t = 1). The measured extra bits per symbol,
(bits with q_t - bits with p) / n, sit next to the prediction D_KL(p || q_t) in bits, which
they match up to sampling noise and the coder's two bits per message.

:class:`ExtraBitsExplorer` (``js/extra_bits.js``) measures the bits here, with the book's
arithmetic coder, for every slider position t = 0, 0.05, ..., 1 (a table the page reads);
the page computes q_t, H(p) and the prediction KL(p || q_t) itself.
"""

from __future__ import annotations

import numpy as np
import traitlets

from ..checks import count, distributions
from ..coding import ArithmeticEncoder
from .base import Explorer

T_STEP = 0.05


def interpolate(p, r, t: float) -> np.ndarray:
    """q_t = (1 - t) p + t r, a distribution for every t in [0, 1]."""
    if not 0 <= t <= 1:
        raise ValueError(f"t must lie in [0, 1], got {t}")
    return (1 - t) * np.asarray(p, dtype=float) + t * np.asarray(r, dtype=float)


def arithmetic_code_bits(symbols, q) -> int:
    """Length in bits of the arithmetic code of ``symbols`` when every symbol is coded with q."""
    symbols = np.asarray(symbols)
    encoder = ArithmeticEncoder()
    encoder.encode(symbols, np.broadcast_to(np.asarray(q, dtype=float), (len(symbols), len(q))))
    encoder.finish()
    return encoder.n_bits


class ExtraBitsExplorer(Explorer):
    """A slider t moving the model q_t from p towards r; bars of p and q_t; measured and predicted extra bits.

    ``n_samples`` symbols are drawn from p with ``seed``; the slider starts at the t nearest ``t``.
    """

    module = "extra_bits"
    p = traitlets.List(traitlets.Float()).tag(sync=True)
    r = traitlets.List(traitlets.Float()).tag(sync=True)
    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    ts = traitlets.List(traitlets.Float()).tag(sync=True)
    bits_p = traitlets.Float().tag(sync=True)
    bits_q = traitlets.List(traitlets.Float()).tag(sync=True)
    n_samples = traitlets.Int().tag(sync=True)
    t_index = traitlets.Int().tag(sync=True)

    def __init__(self, p, r, n_samples: int = 5_000, seed: int = 0, labels=None, t: float = 0.5, **kwargs):
        p, r = distributions(p, "p", ndim=1), distributions(r, "r", ndim=1)
        if p.shape != r.shape:
            raise ValueError(f"p and r must have the same number of outcomes, got {p.size} and {r.size}")
        labels = [str(i) for i in range(len(p))] if labels is None else [str(label) for label in labels]
        if len(labels) != len(p):
            raise ValueError(f"need one label per outcome ({len(p)}), got {len(labels)}")
        n_samples = count(n_samples, "n_samples", minimum=1)
        symbols = np.random.default_rng(seed).choice(len(p), size=n_samples, p=p)
        ts = np.round(np.arange(0, 1 + T_STEP / 2, T_STEP), 10)
        super().__init__(
            p=p.tolist(), r=r.tolist(), labels=labels, ts=ts.tolist(),
            bits_p=arithmetic_code_bits(symbols, p) / n_samples,
            bits_q=[arithmetic_code_bits(symbols, interpolate(p, r, t_i)) / n_samples for t_i in ts],
            n_samples=n_samples, t_index=int(np.argmin(np.abs(ts - t))), **kwargs,
        )
