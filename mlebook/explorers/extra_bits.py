"""The explorer of the chapter "KL as extra bits": code data from p with a model q, count the bits.

Samples x_1..x_n ~ p are arithmetic-coded twice: with the true p and with a model

    q_t = (1 - t) p + t r,    t in [0, 1],

that moves from p (t = 0) to a wrong guess r (t = 1). The measured extra bits per symbol,
(bits with q_t - bits with p) / n, sit next to the prediction D_KL(p || q_t) in bits, which
they match up to sampling noise and the coder's two bits per message.

Two forms, like :mod:`mlebook.widgets`:

- :class:`ExtraBitsExplorer` (ipywidgets, needs a Python kernel) codes the samples at every
  move of the slider;
- :func:`browser_extra_bits_explorer` returns self-contained HTML for the static book: a range
  input and a few lines of JavaScript that look up the same numbers, measured in Python for
  each slider position when the page was built.

Elements carry ``data-role`` attributes (``t``, ``measured``, ``predicted``, ``h-p``,
``bits-q``) so that tests can read them.
"""

from __future__ import annotations


import ipywidgets as widgets
import numpy as np
from IPython.display import HTML

from .. import info
from ..checks import distributions
from ..coding import ArithmeticEncoder
from .kl import bars_html, browser_explorer_html, format_value

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


def extra_bits(p, q, symbols) -> dict:
    """Bits per symbol for ``symbols`` (drawn from p) coded with p and with q, and the KL prediction.

    Returns ``bits_p`` and ``bits_q`` (measured, bits per symbol), ``measured`` = bits_q - bits_p,
    ``predicted`` = D_KL(p || q) and ``h_p`` = H(p), all in bits per symbol.
    """
    n = len(symbols)
    bits_p, bits_q = arithmetic_code_bits(symbols, p) / n, arithmetic_code_bits(symbols, q) / n
    return {
        "bits_p": bits_p,
        "bits_q": bits_q,
        "measured": bits_q - bits_p,
        "predicted": float(info.kl_divergence(p, q, base=2)),
        "h_p": float(info.entropy(p, base=2)),
    }


def _check_pair(p, r):
    p, r = distributions(p, "p", ndim=1), distributions(r, "r", ndim=1)
    if p.shape != r.shape:
        raise ValueError(f"p and r must have the same number of outcomes, got {p.size} and {r.size}")
    return p, r


def _readout_html(values: dict, t: float) -> str:
    cells = [
        ("t", f"{t:.2f}", "t"),
        ("h-p", format_value(values["h_p"]), "H(p)"),
        ("bits-q", format_value(values["bits_q"]), "coded with q"),
        ("measured", format_value(values["measured"]), "extra bits, measured"),
        ("predicted", format_value(values["predicted"]), "KL(p ‖ q), predicted"),
    ]
    spans = "".join(
        f'<div>{label} = <b data-role="{role}">{text}</b>{"" if role == "t" else " bits/symbol"}</div>'
        for role, text, label in cells
    )
    return f'<div data-role="readout" style="font-family:monospace;margin:0.5em 0">{spans}</div>'


class ExtraBitsExplorer:
    """A slider t moving the model q_t from p towards r; bars of p and q_t; measured and predicted extra bits."""

    def __init__(self, p, r, n_samples: int = 5_000, seed: int = 0, labels=None):
        self.p, self.r = _check_pair(p, r)
        self.labels = labels or [str(i) for i in range(len(self.p))]
        self.symbols = np.random.default_rng(seed).choice(len(self.p), size=n_samples, p=self.p)
        self.slider = widgets.FloatSlider(value=0.5, min=0.0, max=1.0, step=T_STEP, description="t (q: p → r)",
                                          style={"description_width": "initial"})
        self.bars = widgets.HTML()
        self.readout = widgets.HTML()
        self.widget = widgets.VBox([self.slider, self.bars, self.readout])
        self.slider.observe(self._update, names="value")
        self._update()

    def values(self) -> dict:
        """The numbers shown for the current slider position (see :func:`extra_bits`)."""
        return self._values

    def _update(self, change=None):
        q = interpolate(self.p, self.r, self.slider.value)
        self._values = extra_bits(self.p, q, self.symbols)
        self.bars.value = bars_html(self.p, q, labels=self.labels)
        self.readout.value = _readout_html(self._values, self.slider.value)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


_SCRIPT = r"""
(function () {
  var root = document.getElementById("__ID__");
  if (!root || root.getAttribute("data-ready")) return;
  root.setAttribute("data-ready", "1");
  var CONFIG = __CONFIG__;
  function role(name) { return root.querySelector('[data-role="' + name + '"]'); }
  function update() {
    var i = parseInt(role("t-slider").value, 10), row = CONFIG.table[i];
    role("t").textContent = CONFIG.ts[i].toFixed(2);
    role("bits-q").textContent = row.bits_q;
    role("measured").textContent = row.measured;
    role("predicted").textContent = row.predicted;
    role("bars").outerHTML = row.bars;
  }
  root.addEventListener("input", update);
  update();
})();
"""


def browser_extra_bits_explorer(p, r, n_samples: int = 5_000, seed: int = 0, labels=None, t: float = 0.5) -> HTML:
    """Self-contained HTML + JavaScript form of :class:`ExtraBitsExplorer` for a page with no kernel.

    Every slider position t = 0, 0.05, ..., 1 is measured here, in Python, with the arithmetic
    coder; the page only looks the numbers up.
    """
    p, r = _check_pair(p, r)
    labels = labels or [str(i) for i in range(len(p))]
    symbols = np.random.default_rng(seed).choice(len(p), size=n_samples, p=p)
    ts = np.round(np.arange(0, 1 + T_STEP / 2, T_STEP), 10)
    table = []
    for t_i in ts:
        q = interpolate(p, r, t_i)
        values = extra_bits(p, q, symbols)
        table.append({key: format_value(values[key]) for key in ("bits_q", "measured", "predicted")}
                     | {"bars": bars_html(p, q, labels=labels)})
    start = int(np.argmin(np.abs(ts - t)))
    first = extra_bits(p, interpolate(p, r, ts[start]), symbols)
    config = {"ts": ts.tolist(), "table": table}
    slider = (f'<input type="range" data-role="t-slider" min="0" max="{len(ts) - 1}" step="1" value="{start}" '
              'aria-label="t: how far q moves from p towards r" style="width:14em;vertical-align:middle">')
    title = f"Extra bits explorer (runs in your browser; {n_samples:,} samples from p, measured when the page was built)"
    body = (
        f"<div>t (q moves from p to r) {slider}</div>"
        + bars_html(p, interpolate(p, r, ts[start]), labels=labels)
        + _readout_html(first, ts[start])
    )
    return browser_explorer_html("extra-bits", body, _SCRIPT, config, title)
