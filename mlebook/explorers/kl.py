"""Interactive explorers of the KL divergence, in two forms.

- In Jupyter (a Python kernel behind the page): ``kl_explorer``, ``bernoulli_kl_explorer`` and
  ``forward_reverse_explorer`` build ipywidgets whose numbers come from :mod:`mlebook.info`.
  Each returns an object with ``.controls`` (name -> slider), ``.readout`` (the displayed
  text), ``.values()`` (the displayed numbers) and ``.widget`` (what a cell shows).
- In the static HTML book (no kernel, no network): ``browser_kl_explorer``,
  ``browser_bernoulli_kl_explorer`` and ``browser_forward_reverse_explorer`` return
  ``IPython.display.HTML``: real ``<input type="range">`` elements and a few lines of inline
  JavaScript that recompute the same formulas in the reader's browser,

      H(p) = -sum_x p(x) log p(x),  H(p, q) = -sum_x p(x) log q(x),  KL(p || q) = H(p, q) - H(p).

The categorical explorers' sliders are unnormalised weights w: the distribution shown is
w / sum(w) (uniform if every weight is 0), so any position of the sliders is a valid
distribution. Numbers are shown to 3 decimals, and an infinite divergence as "∞".
Elements carry ``data-role`` attributes (``p-0``, ``q-1``, ``kl-pq``, ``kl-qp``, ``h-p``,
``h-pq``, ...) so that tests and readers' tools can find them.
"""

from __future__ import annotations

import html
import json
import math
import re
import uuid

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML, display

from .. import info

MAX_OUTCOMES = 6
WEIGHT_STEP = 0.001
P_COLOUR, Q_COLOUR = "#1f77b4", "#ff7f0e"
FORWARD_COLOUR, REVERSE_COLOUR = "#2ca02c", "#d62728"


# --------------------------------------------------------------------------------------------
# Shared by both forms: normalising, formatting, the bar chart and the readout
# --------------------------------------------------------------------------------------------


def normalise_weights(weights) -> np.ndarray:
    """w / sum(w), or the uniform distribution if every weight is 0."""
    weights = np.asarray(weights, dtype=float)
    if np.isnan(weights).any() or (weights < 0).any():
        raise ValueError("weights must be non-negative numbers")
    total = weights.sum()
    return weights / total if total > 0 else np.full(len(weights), 1 / len(weights))


def format_value(x: float) -> str:
    """A number for display: 3 decimals ("-0.000" from rounding shown as "0.000"), or ∞."""
    if math.isnan(x):
        raise ValueError("a displayed value is NaN")
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    text = f"{x:.3f}"
    return "0.000" if text == "-0.000" else text


def parse_value(text: str) -> float:
    """The inverse of :func:`format_value` (for tests and tools reading a page)."""
    text = text.strip()
    if text in ("∞", "-∞"):
        return math.inf if text == "∞" else -math.inf
    return float(text)


def unit_name(base) -> str:
    if base is None:
        return "nats"
    if base == 2:
        return "bits"
    raise ValueError(f"the explorers show nats (base=None) or bits (base=2), got base={base}")


def divergence_values(p, q, base=None) -> dict:
    """The four numbers every explorer shows for the pair (p, q)."""
    return {
        "kl_pq": float(info.kl_divergence(p, q, base)),
        "kl_qp": float(info.kl_divergence(q, p, base)),
        "h_p": float(info.entropy(p, base)),
        "h_pq": float(info.cross_entropy(p, q, base)),
    }


_CELL_STYLE = "display:inline-block;white-space:nowrap;margin-right:1.5em"
_READOUT_ROWS = (("kl-pq", "kl_pq", "KL(p ‖ q)"), ("kl-qp", "kl_qp", "KL(q ‖ p)"),
                 ("h-p", "h_p", "H(p)"), ("h-pq", "h_pq", "H(p, q)"))


def readout_html(values: dict, unit: str) -> str:
    """The readout line: each value in a ``<span data-role=...>``, followed by the unit."""
    cells = [
        f'<span style="{_CELL_STYLE}">{label} = <b data-role="{role}">{format_value(values[key])}</b> {unit}</span>'
        for role, key, label in _READOUT_ROWS
    ]
    return f'<div data-role="readout" style="font-family:monospace;margin:0.5em 0">{"".join(cells)}</div>'


def bars_html(p, q, labels=None) -> str:
    """Side-by-side bars of p (blue) and q (orange) for each outcome, as plain divs."""
    labels = labels or [str(i) for i in range(len(p))]
    groups = []
    for label, p_i, q_i in zip(labels, p, q):
        bars = "".join(
            f'<div title="{name}({html.escape(label)}) = {value:.3f}" style="width:18px;height:{100 * value:.1f}px;'
            f'background:{colour};margin:0 1px"></div>'
            for name, value, colour in (("p", p_i, P_COLOUR), ("q", q_i, Q_COLOUR))
        )
        groups.append(
            '<div style="display:inline-flex;flex-direction:column;align-items:center;margin:0 6px">'
            f'<div style="display:flex;align-items:flex-end;height:100px">{bars}</div>'
            f'<div style="font-size:80%">{html.escape(label)}</div></div>'
        )
    legend = (f'<span style="color:{P_COLOUR}">■ p</span> <span style="color:{Q_COLOUR}">■ q</span>')
    return f'<div data-role="bars"><div style="display:flex;align-items:flex-end">{"".join(groups)}</div>{legend}</div>'


# --------------------------------------------------------------------------------------------
# ipywidgets explorers (Jupyter)
# --------------------------------------------------------------------------------------------


class _Explorer:
    """What the explorers share: ``widget`` shows itself in a notebook cell."""

    widget: widgets.Widget

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


class KLExplorer(_Explorer):
    """Two categorical distributions p and q set by weight sliders, their bars, and
    KL(p || q), KL(q || p), H(p), H(p, q) recomputed at every move."""

    def __init__(self, n_outcomes: int = 3, p=None, q=None, base=None):
        if p is not None:
            n_outcomes = len(p)
        if not 2 <= n_outcomes <= MAX_OUTCOMES:
            raise ValueError(f"n_outcomes must be between 2 and {MAX_OUTCOMES}, got {n_outcomes}")
        p_weights, q_weights = _initial_weights(n_outcomes, p, q)
        self.unit = unit_name(base)
        self.base = base
        self.controls = {"n_outcomes": widgets.IntSlider(n_outcomes, 2, MAX_OUTCOMES, description="outcomes")}
        rows = []
        for i in range(MAX_OUTCOMES):
            for name, weights in (("p", p_weights), ("q", q_weights)):
                self.controls[f"{name}-{i}"] = widgets.FloatSlider(
                    value=weights[i] if i < n_outcomes else 0.5, min=0.0, max=1.0, step=WEIGHT_STEP,
                    readout_format=".3f", description=f"{name} weight {i}",
                    style={"description_width": "initial"},
                )
            rows.append(widgets.HBox([self.controls[f"p-{i}"], self.controls[f"q-{i}"]]))
        self._rows = rows
        self.bars = widgets.HTML()
        self.readout = widgets.HTML()
        self.widget = widgets.VBox([self.controls["n_outcomes"], *rows, self.bars, self.readout])
        for control in self.controls.values():
            control.observe(self._update, names="value")
        self._update()

    def distributions(self) -> tuple[np.ndarray, np.ndarray]:
        """The normalised (p, q) that the sliders currently describe."""
        n = self.controls["n_outcomes"].value
        return tuple(normalise_weights([self.controls[f"{name}-{i}"].value for i in range(n)]) for name in "pq")

    def values(self) -> dict:
        """The displayed numbers, read back from the readout text."""
        return _read_readout(self.readout.value)

    def _update(self, change=None):
        n = self.controls["n_outcomes"].value
        for i, row in enumerate(self._rows):
            row.layout.display = None if i < n else "none"
        p, q = self.distributions()
        self.bars.value = bars_html(p, q)
        self.readout.value = readout_html(divergence_values(p, q, self.base), self.unit)


class BernoulliKLExplorer(_Explorer):
    """p = Bernoulli(p) and q = Bernoulli(q) set by two sliders in [0, 1]; shows both KLs."""

    def __init__(self, p: float = 0.3, q: float = 0.6, base=None):
        self.unit = unit_name(base)
        self.base = base
        self.controls = {
            name: widgets.FloatSlider(value=value, min=0.0, max=1.0, step=WEIGHT_STEP, readout_format=".3f",
                                      description=f"{name} = P(x=1)", style={"description_width": "initial"})
            for name, value in (("p", p), ("q", q))
        }
        self.bars = widgets.HTML()
        self.readout = widgets.HTML()
        self.widget = widgets.VBox([*self.controls.values(), self.bars, self.readout])
        for control in self.controls.values():
            control.observe(self._update, names="value")
        self._update()

    def distributions(self) -> tuple[np.ndarray, np.ndarray]:
        """(p, q) as distributions over the outcomes (0, 1)."""
        return tuple(np.array([1 - self.controls[name].value, self.controls[name].value]) for name in "pq")

    def values(self) -> dict:
        return _read_readout(self.readout.value)

    def _update(self, change=None):
        p, q = self.distributions()
        self.bars.value = bars_html(p, q, labels=["x = 0", "x = 1"])
        self.readout.value = readout_html(divergence_values(p, q, self.base), self.unit)


class ForwardReverseExplorer(_Explorer):
    """A two-mode mixture p and the single normal q fitted to it by forward KL(p || q)
    (maximum likelihood, moment matching) and by reverse KL(q || p), as the distance between
    the modes (and the weight of the left mode) change."""

    def __init__(self, distance: float = 4.0, weight: float = 0.5):
        self.controls = {
            "distance": widgets.FloatSlider(value=distance, min=0.0, max=8.0, step=0.25, description="mode distance",
                                            style={"description_width": "initial"}),
            "weight": widgets.FloatSlider(value=weight, min=0.1, max=0.9, step=0.05, description="left weight",
                                          style={"description_width": "initial"}),
        }
        self.figure = widgets.Output()
        self.readout = widgets.HTML()
        self.widget = widgets.VBox([*self.controls.values(), self.figure, self.readout])
        for control in self.controls.values():
            control.observe(self._update, names="value")
        self._update()

    def mixture(self) -> info.GaussianMixture1D:
        return info.two_mode_mixture(self.controls["distance"].value, weight=self.controls["weight"].value)

    def values(self) -> dict:
        """The displayed fits (mu, sigma) and divergences (nats), read back from the readout."""
        return {role.replace("-", "_"): parse_value(text) for role, text in _data_roles(self.readout.value).items()}

    def _update(self, change=None):
        mixture = self.mixture()
        fits = gaussian_fits(mixture)
        self.readout.value = _fits_readout_html(fits)
        with self.figure:
            self.figure.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(7, 3))
            plot_gaussian_fits(mixture, ax=ax, fits=fits)
            display(fig)
            plt.close(fig)


def kl_explorer(n_outcomes: int = 3, p=None, q=None, base=None) -> KLExplorer:
    """Explore KL(p || q) between two categorical distributions on 2 to 6 outcomes."""
    return KLExplorer(n_outcomes, p, q, base)


def bernoulli_kl_explorer(p: float = 0.3, q: float = 0.6, base=None) -> BernoulliKLExplorer:
    """Explore KL between two Bernoulli distributions."""
    return BernoulliKLExplorer(p, q, base)


def forward_reverse_explorer(distance: float = 4.0, weight: float = 0.5) -> ForwardReverseExplorer:
    """Explore fitting one normal to a two-mode mixture by forward vs reverse KL."""
    return ForwardReverseExplorer(distance, weight)


def _initial_weights(n_outcomes, p, q):
    """Default p: weights n, n-1, ..., 1 (normalised); default q: uniform."""
    p = normalise_weights(np.arange(n_outcomes, 0, -1)) if p is None else np.asarray(p, dtype=float)
    q = np.full(n_outcomes, 1 / n_outcomes) if q is None else np.asarray(q, dtype=float)
    if p.shape != (n_outcomes,) or q.shape != (n_outcomes,):
        raise ValueError(f"p and q must both have {n_outcomes} entries, got {p.shape} and {q.shape}")
    for name, weights in (("p", p), ("q", q)):
        if np.isnan(weights).any() or (weights < 0).any() or (weights > 1).any():
            raise ValueError(f"the entries of {name} must be weights in [0, 1]")
    return np.round(p / WEIGHT_STEP) * WEIGHT_STEP, np.round(q / WEIGHT_STEP) * WEIGHT_STEP


def _data_roles(markup: str) -> dict:
    """{role: text} for every ``data-role="role">text<`` in a readout's markup."""
    return dict(re.findall(r'data-role="([\w-]+)">([^<]*)<', markup))


def _read_readout(markup: str) -> dict:
    roles = _data_roles(markup)
    return {key: parse_value(roles[role]) for role, key, _ in _READOUT_ROWS}


# --------------------------------------------------------------------------------------------
# Forward vs reverse fits: computed once, drawn by matplotlib or by the browser
# --------------------------------------------------------------------------------------------


def gaussian_fits(mixture: info.GaussianMixture1D) -> dict:
    """Both fits of one normal to ``mixture`` and all four divergences between p and each fit (nats)."""
    forward = info.fit_normal_forward_kl(mixture)
    reverse = info.fit_normal_reverse_kl(mixture)
    return {
        "forward_mu": forward[0], "forward_sigma": forward[1],
        "reverse_mu": reverse[0], "reverse_sigma": reverse[1],
        "forward_kl_pq": info.kl_mixture_to_normal(mixture, *forward),
        "forward_kl_qp": info.kl_normal_to_mixture(*forward, mixture),
        "reverse_kl_pq": info.kl_mixture_to_normal(mixture, *reverse),
        "reverse_kl_qp": info.kl_normal_to_mixture(*reverse, mixture),
    }


def plot_gaussian_fits(mixture: info.GaussianMixture1D, ax=None, x=None, fits: dict | None = None):
    """Draw the mixture p and its forward-KL and reverse-KL normal fits (``gaussian_fits``,
    computed unless given); returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3))
    fits = gaussian_fits(mixture) if fits is None else fits
    x = np.linspace(-8, 8, 801) if x is None else x
    ax.fill_between(x, mixture.pdf(x), color="0.8", label="data p (mixture)")
    for name, colour, style in (("forward", FORWARD_COLOUR, "-"), ("reverse", REVERSE_COLOUR, "--")):
        mu, sigma = fits[f"{name}_mu"], fits[f"{name}_sigma"]
        ax.plot(x, np.exp(info.normal_log_pdf(x, mu, sigma)), style, color=colour, lw=2,
                label=f"{name} KL fit: μ={mu:.2f}, σ={sigma:.2f}".replace("=-0.00,", "=0.00,"))
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    ax.legend(fontsize=8, loc="upper right")
    return ax


def _fits_readout_html(fits: dict) -> str:
    def cell(role, label):
        return f'<span style="{_CELL_STYLE}">{label} = <b data-role="{role}">{format_value(fits[role.replace("-", "_")])}</b></span>'

    return (
        '<div data-role="readout" style="font-family:monospace;margin:0.5em 0">'
        f'<div><span style="color:{FORWARD_COLOUR}">forward fit</span>: '
        + cell("forward-mu", "μ") + cell("forward-sigma", "σ")
        + cell("forward-kl-pq", "KL(p ‖ q)") + cell("forward-kl-qp", "KL(q ‖ p)") + "nats</div>"
        f'<div><span style="color:{REVERSE_COLOUR}">reverse fit</span>: '
        + cell("reverse-mu", "μ") + cell("reverse-sigma", "σ")
        + cell("reverse-kl-pq", "KL(p ‖ q)") + cell("reverse-kl-qp", "KL(q ‖ p)") + "nats</div></div>"
    )


# --------------------------------------------------------------------------------------------
# Browser explorers (static HTML, inline JavaScript, no kernel)
# --------------------------------------------------------------------------------------------

_SLIDER_STYLE = "width:9em;vertical-align:middle"

_DISCRETE_SCRIPT = r"""
(function () {
  var root = document.getElementById("__ID__");
  if (!root || root.getAttribute("data-ready")) return;
  root.setAttribute("data-ready", "1");
  var CONFIG = __CONFIG__;
  function role(name) { return root.querySelector('[data-role="' + name + '"]'); }
  function fmt(x) {
    if (x === Infinity) return "\u221e";
    var text = x.toFixed(3);
    return text === "-0.000" ? "0.000" : text;
  }
  function normalise(w) {
    var total = w.reduce(function (a, b) { return a + b; }, 0);
    return w.map(function (v) { return total > 0 ? v / total : 1 / w.length; });
  }
  function sumPLogQ(p, q) {  /* sum_x p(x) log q(x); 0 log q = 0; p log 0 = -inf */
    var s = 0;
    for (var i = 0; i < p.length; i++) {
      if (p[i] > 0) { if (q[i] > 0) { s += p[i] * Math.log(q[i]); } else { return -Infinity; } }
    }
    return s / CONFIG.logBase;
  }
  function entropy(p) { return -sumPLogQ(p, p); }
  function crossEntropy(p, q) { return -sumPLogQ(p, q); }
  function kl(p, q) { return crossEntropy(p, q) - entropy(p); }
  function bars(p, q) {
    var groups = "";
    for (var i = 0; i < p.length; i++) {
      var pair = [["p", p[i], CONFIG.pColour], ["q", q[i], CONFIG.qColour]].map(function (b) {
        return '<div title="' + b[0] + '(' + CONFIG.labels[i] + ') = ' + b[1].toFixed(3) +
          '" style="width:18px;height:' + (100 * b[1]).toFixed(1) + 'px;background:' + b[2] +
          ';margin:0 1px"></div>';
      }).join("");
      groups += '<div style="display:inline-flex;flex-direction:column;align-items:center;margin:0 6px">' +
        '<div style="display:flex;align-items:flex-end;height:100px">' + pair + '</div>' +
        '<div style="font-size:80%">' + CONFIG.labels[i] + '</div></div>';
    }
    return '<div style="display:flex;align-items:flex-end">' + groups + '</div>' +
      '<span style="color:' + CONFIG.pColour + '">\u25a0 p</span> <span style="color:' + CONFIG.qColour + '">\u25a0 q</span>';
  }
  function read() {
    if (CONFIG.kind === "bernoulli") {
      var p1 = parseFloat(role("p").value), q1 = parseFloat(role("q").value);
      role("p-value").textContent = p1.toFixed(3);
      role("q-value").textContent = q1.toFixed(3);
      return [[1 - p1, p1], [1 - q1, q1]];
    }
    var n = parseInt(role("n-outcomes").value, 10), pw = [], qw = [];
    role("n-outcomes-value").textContent = n;
    for (var i = 0; i < CONFIG.maxOutcomes; i++) {
      root.querySelector('[data-outcome="' + i + '"]').style.display = i < n ? "" : "none";
      if (i < n) { pw.push(parseFloat(role("p-" + i).value)); qw.push(parseFloat(role("q-" + i).value)); }
    }
    var p = normalise(pw), q = normalise(qw);
    for (var j = 0; j < n; j++) {
      role("p-" + j + "-value").textContent = p[j].toFixed(3);
      role("q-" + j + "-value").textContent = q[j].toFixed(3);
    }
    return [p, q];
  }
  function update() {
    var pq = read(), p = pq[0], q = pq[1];
    role("bars").innerHTML = bars(p, q);
    role("kl-pq").textContent = fmt(kl(p, q));
    role("kl-qp").textContent = fmt(kl(q, p));
    role("h-p").textContent = fmt(entropy(p));
    role("h-pq").textContent = fmt(crossEntropy(p, q));
  }
  root.addEventListener("input", update);
  root.addEventListener("change", update);
  update();
})();
"""


def _slider(role: str, value: float, lo: float = 0.0, hi: float = 1.0, step: float = WEIGHT_STEP, label: str = "") -> str:
    return (f'<input type="range" data-role="{role}" min="{lo}" max="{hi}" step="{step}" value="{value}" '
            f'aria-label="{html.escape(label or role)}" style="{_SLIDER_STYLE}">')


def browser_explorer_html(kind: str, body: str, script: str, config: dict, title: str) -> HTML:
    """Wrap an explorer's controls ``body`` and its ``script`` into one self-contained block.

    The block gets a unique id (several explorers can share a page) and a ``data-KIND-explorer``
    attribute; in ``script``, ``__ID__`` becomes that id and ``__CONFIG__`` the JSON of ``config``.
    """
    element_id = f"mlebook-{kind}-{uuid.uuid4().hex[:10]}"
    script = script.replace("__ID__", element_id).replace("__CONFIG__", json.dumps(config))
    markup = (
        f'<div id="{element_id}" class="mlebook-explorer" data-{kind}-explorer '
        'style="border:1px solid #ccc;border-radius:6px;padding:0.6em 1em;margin:0.5em 0;font-size:90%">'
        f'<div style="font-weight:bold;margin-bottom:0.3em">{html.escape(title)}</div>{body}</div>'
        f"<script>{script}</script>"
    )
    return HTML(markup)


def browser_kl_explorer(p=None, q=None, base=None) -> HTML:
    """A self-contained HTML + JavaScript KL explorer: weight sliders for p and q on 2 to 6
    outcomes, bar charts, and KL(p || q), KL(q || p), H(p), H(p, q) computed in the browser.

    p and q (default: weights n, ..., 1 and uniform, on 3 outcomes) set the initial sliders;
    they are rounded to the slider step 0.001.
    """
    n = 3 if p is None else len(p)
    if not 2 <= n <= MAX_OUTCOMES:
        raise ValueError(f"p must have between 2 and {MAX_OUTCOMES} outcomes, got {n}")
    p_weights, q_weights = _initial_weights(n, p, q)
    unit = unit_name(base)
    p_shown, q_shown = normalise_weights(p_weights), normalise_weights(q_weights)
    rows = ["<tr><th>x</th><th>weight of p</th><th>p(x)</th><th>weight of q</th><th>q(x)</th></tr>"]
    for i in range(MAX_OUTCOMES):
        hidden = "" if i < n else ' style="display:none"'
        cells = []
        for name, weights, shown in (("p", p_weights, p_shown), ("q", q_weights, q_shown)):
            weight = weights[i] if i < n else 0.5
            value = f"{shown[i]:.3f}" if i < n else ""
            cells.append(f'<td>{_slider(f"{name}-{i}", round(weight, 3), label=f"{name} weight of outcome {i}")}</td>'
                         f'<td data-role="{name}-{i}-value" style="font-family:monospace">{value}</td>')
        rows.append(f'<tr data-outcome="{i}"{hidden}><td>{i}</td>{"".join(cells)}</tr>')
    body = (
        f'<div>outcomes {_slider("n-outcomes", n, 2, MAX_OUTCOMES, 1, "number of outcomes")} '
        f'<span data-role="n-outcomes-value">{n}</span></div>'
        f'<table style="margin:0.3em 0;border-collapse:collapse;width:auto">{"".join(rows)}</table>'
        + bars_html(p_shown, q_shown)
        + readout_html(divergence_values(p_shown, q_shown, base), unit)
    )
    config = {"kind": "categorical", "maxOutcomes": MAX_OUTCOMES, "logBase": 1.0 if base is None else math.log(base),
              "labels": [str(i) for i in range(MAX_OUTCOMES)], "pColour": P_COLOUR, "qColour": Q_COLOUR}
    return browser_explorer_html("kl", body, _DISCRETE_SCRIPT, config,
                          f"KL explorer (runs in your browser; values in {unit})")


def browser_bernoulli_kl_explorer(p: float = 0.3, q: float = 0.6, base=None) -> HTML:
    """A self-contained HTML + JavaScript explorer of KL between Bernoulli(p) and Bernoulli(q)."""
    for name, value in (("p", p), ("q", q)):
        if not 0 <= value <= 1:
            raise ValueError(f"{name} must be a probability in [0, 1], got {value}")
    p, q = round(p, 3), round(q, 3)
    unit = unit_name(base)
    p_dist, q_dist = np.array([1 - p, p]), np.array([1 - q, q])
    body = (
        f'<div>p = P(x = 1) under p {_slider("p", p, label="p")} <span data-role="p-value">{p:.3f}</span></div>'
        f'<div>q = P(x = 1) under q {_slider("q", q, label="q")} <span data-role="q-value">{q:.3f}</span></div>'
        + bars_html(p_dist, q_dist, labels=["x = 0", "x = 1"])
        + readout_html(divergence_values(p_dist, q_dist, base), unit)
    )
    config = {"kind": "bernoulli", "logBase": 1.0 if base is None else math.log(base),
              "labels": ["x = 0", "x = 1"], "pColour": P_COLOUR, "qColour": Q_COLOUR}
    return browser_explorer_html("bernoulli-kl", body, _DISCRETE_SCRIPT, config,
                          f"Bernoulli KL explorer (runs in your browser; values in {unit})")


_FORWARD_REVERSE_SCRIPT = r"""
(function () {
  var root = document.getElementById("__ID__");
  if (!root || root.getAttribute("data-ready")) return;
  root.setAttribute("data-ready", "1");
  var CONFIG = __CONFIG__;
  var W = 560, H = 200, X0 = -8, X1 = 8, YMAX = 0.45;
  function role(name) { return root.querySelector('[data-role="' + name + '"]'); }
  function normal(x, mu, sigma) { var z = (x - mu) / sigma; return Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI)); }
  function points(f) {
    var out = [];
    for (var k = 0; k <= 320; k++) {
      var x = X0 + (X1 - X0) * k / 320, y = Math.min(f(x), YMAX);
      out.push((W * k / 320).toFixed(1) + "," + (H - H * y / YMAX).toFixed(1));
    }
    return out.join(" ");
  }
  function update() {
    var i = parseInt(role("distance").value, 10), row = CONFIG.table[i], d = CONFIG.distances[i];
    var w = CONFIG.weight;
    role("distance-value").textContent = d.toFixed(2);
    role("p-curve").setAttribute("points", "0," + H + " " + points(function (x) {
      return w * normal(x, -d / 2, CONFIG.sigma) + (1 - w) * normal(x, d / 2, CONFIG.sigma); }) + " " + W + "," + H);
    role("forward-curve").setAttribute("points", points(function (x) { return normal(x, row.forward_mu, row.forward_sigma); }));
    role("reverse-curve").setAttribute("points", points(function (x) { return normal(x, row.reverse_mu, row.reverse_sigma); }));
    CONFIG.keys.forEach(function (key) {
      var v = row[key];
      var text = v === null ? "\u221e" : v.toFixed(3);
      role(key.replace(/_/g, "-")).textContent = text === "-0.000" ? "0.000" : text;
    });
  }
  root.addEventListener("input", update);
  root.addEventListener("change", update);
  update();
})();
"""


def browser_forward_reverse_explorer(distances=None, weight: float = 0.5, sigma: float = 1.0) -> HTML:
    """A self-contained HTML + JavaScript version of :func:`forward_reverse_explorer`.

    The fits are computed here, in Python, for each mode distance in ``distances`` (default
    0, 0.25, ..., 8) and embedded as a table; the browser draws the curves (SVG) and shows
    the fitted mu, sigma and the KLs (nats) for the distance the slider picks.
    """
    distances = np.arange(0.0, 8.001, 0.25) if distances is None else np.asarray(distances, dtype=float)
    if distances.ndim != 1 or len(distances) < 2 or (distances < 0).any():
        raise ValueError("distances must be a 1-D sequence of at least two non-negative numbers")
    table = [gaussian_fits(info.two_mode_mixture(d, sigma, weight)) for d in distances]
    table = [{key: (None if math.isinf(v) else v) for key, v in row.items()} for row in table]
    start = len(distances) // 2
    curves = "".join(
        f'<polyline data-role="{role}" fill="{fill}" stroke="{stroke}" stroke-width="2"{dash} points=""/>'
        for role, fill, stroke, dash in (("p-curve", "#ccc", "none", ""), ("forward-curve", "none", FORWARD_COLOUR, ""),
                                         ("reverse-curve", "none", REVERSE_COLOUR, ' stroke-dasharray="6,4"'))
    )
    body = (
        f'<div>mode distance {_slider("distance", start, 0, len(distances) - 1, 1, "mode distance")} '
        f'<span data-role="distance-value">{distances[start]:.2f}</span></div>'
        f'<svg viewBox="0 0 560 200" width="100%" style="max-width:560px;border-bottom:1px solid #999">{curves}</svg>'
        '<div style="font-size:80%">x from −8 to 8; grey: data p (mixture); '
        f'<span style="color:{FORWARD_COLOUR}">solid: forward KL fit</span>; '
        f'<span style="color:{REVERSE_COLOUR}">dashed: reverse KL fit</span></div>'
        + _fits_readout_html(gaussian_fits(info.two_mode_mixture(distances[start], sigma, weight)))
    )
    config = {"distances": distances.tolist(), "table": table, "weight": weight, "sigma": sigma,
              "keys": list(table[0].keys())}
    return browser_explorer_html("forward-reverse", body, _FORWARD_REVERSE_SCRIPT, config,
                          "Forward vs reverse KL (runs in your browser)")
