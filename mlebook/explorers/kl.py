"""The explorers of the chapter on the KL divergence, and the forward / reverse fits they show.

- :class:`KLExplorer` (``js/kl.js``): two categorical distributions p and q on 2 to 6 outcomes,
  set by weight sliders, and KL(p || q), KL(q || p), H(p), H(p, q) computed in the page.
- :class:`BernoulliKLExplorer` (``js/bernoulli_kl.js``): the same four numbers for
  p = Bernoulli(a), q = Bernoulli(b), computed in the page.
- :class:`ForwardReverseExplorer` (``js/forward_reverse.js``): a two-mode mixture p and the
  normal q fitted to it by forward KL(p || q) (maximum likelihood: moment matching) and by
  reverse KL(q || p) (numerical minimisation). The fits need an optimiser, so this wrapper
  computes them here for a grid of mode distances and weights (:func:`fits_table`) and hands
  the table to the page, which looks the fits up and draws the curves.

:func:`gaussian_fits` and :func:`plot_gaussian_fits` compute and draw one set of fits (the
chapter's figures use them).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import traitlets

from .. import info
from ..checks import finite, probability
from .base import Explorer

MAX_OUTCOMES = 6
WEIGHT_STEP = 0.01
FORWARD_COLOUR, REVERSE_COLOUR = "#2ca02c", "#d62728"
FIT_KEYS = ("forward_mu", "forward_sigma", "reverse_mu", "reverse_sigma",
            "forward_kl_pq", "forward_kl_qp", "reverse_kl_pq", "reverse_kl_qp")


def unit_of(base) -> str:
    """The unit the explorers show for a logarithm base: None -> "nats", 2 -> "bits"."""
    if base is None:
        return "nats"
    if base == 2:
        return "bits"
    raise ValueError(f"the explorers show nats (base=None) or bits (base=2), got base={base}")


def _initial_weights(n_outcomes: int, p, q) -> tuple[list[float], list[float]]:
    """Default p: weights n, n-1, ..., 1 (normalised); default q: uniform; rounded to WEIGHT_STEP."""
    p = np.arange(n_outcomes, 0, -1) / np.arange(n_outcomes, 0, -1).sum() if p is None else np.asarray(p, dtype=float)
    q = np.full(n_outcomes, 1 / n_outcomes) if q is None else np.asarray(q, dtype=float)
    if p.shape != (n_outcomes,) or q.shape != (n_outcomes,):
        raise ValueError(f"p and q must both have {n_outcomes} entries, got shapes {p.shape} and {q.shape}")
    for name, weights in (("p", p), ("q", q)):
        if np.isnan(weights).any() or (weights < 0).any() or (weights > 1).any():
            raise ValueError(f"the entries of {name} must be weights in [0, 1], got {weights.tolist()}")
    return tuple((np.round(w / WEIGHT_STEP) * WEIGHT_STEP).round(10).tolist() for w in (p, q))


class KLExplorer(Explorer):
    """KL(p || q), KL(q || p), H(p) and H(p, q) of two categorical distributions set by sliders.

    ``p`` and ``q`` are the initial weights (each in [0, 1]; the page shows w / sum(w)), by
    default weights n, n-1, ..., 1 and uniform on ``n_outcomes`` outcomes; they are rounded to
    the sliders' step 0.01. ``base`` None starts in nats, 2 in bits (the reader can switch).
    """

    module = "kl"
    n_outcomes = traitlets.Int(3).tag(sync=True)
    p_weights = traitlets.List(traitlets.Float()).tag(sync=True)
    q_weights = traitlets.List(traitlets.Float()).tag(sync=True)
    unit = traitlets.Unicode("nats").tag(sync=True)

    def __init__(self, p=None, q=None, n_outcomes: int = 3, base=None, **kwargs):
        if p is not None:
            n_outcomes = len(p)
        if not 2 <= n_outcomes <= MAX_OUTCOMES:
            raise ValueError(f"n_outcomes must be between 2 and {MAX_OUTCOMES}, got {n_outcomes}")
        p_weights, q_weights = _initial_weights(n_outcomes, p, q)
        padding = [0.5] * (MAX_OUTCOMES - n_outcomes)
        super().__init__(n_outcomes=n_outcomes, p_weights=p_weights + padding, q_weights=q_weights + padding,
                         unit=unit_of(base), **kwargs)


class BernoulliKLExplorer(Explorer):
    """The four numbers of :class:`KLExplorer` for p = Bernoulli(p) and q = Bernoulli(q),
    each set by a slider over P(x = 1) in [0, 1] (step 0.001)."""

    module = "bernoulli_kl"
    p = traitlets.Float(0.3).tag(sync=True)
    q = traitlets.Float(0.6).tag(sync=True)
    unit = traitlets.Unicode("nats").tag(sync=True)

    def __init__(self, p: float = 0.3, q: float = 0.6, base=None, **kwargs):
        p, q = (round(probability(value, name), 3) for value, name in ((p, "p"), (q, "q")))
        super().__init__(p=p, q=q, unit=unit_of(base), **kwargs)


# --------------------------------------------------------------------------------------------
# Forward vs reverse fits of one normal to a two-mode mixture
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


def fits_table(distances, weights, sigma: float = 1.0) -> dict:
    """:func:`gaussian_fits` of ``info.two_mode_mixture(d, sigma, w)`` for every weight w and
    distance d: ``{key: [[value for d in distances] for w in weights]}``.

    The mixture with weight 1 - w is the mirror image (x -> -x) of the one with weight w, and so
    are its fits (mu -> -mu, the same sigma and divergences): only one of each pair is fitted.
    """
    fitted = {}

    def fit(d, w):
        key = (d, round(min(w, 1 - w), 9))
        if key not in fitted:
            fitted[key] = gaussian_fits(info.two_mode_mixture(d, sigma, key[1]))
        fits = dict(fitted[key])
        if round(w, 9) != key[1]:  # the mirror image of the fitted one
            for name in ("forward_mu", "reverse_mu"):
                fits[name] = 0.0 - fits[name]
        return fits

    rows = [[fit(float(d), float(w)) for d in distances] for w in weights]
    table = {key: [[row[key] for row in per_weight] for per_weight in rows] for key in FIT_KEYS}
    if not all(math.isfinite(v) for values in table.values() for row in values for v in row):
        raise ValueError("a fit or divergence is not finite; choose a larger sigma or smaller distances")
    return table


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


def _grid(values, name: str, low: float, high: float) -> list[float]:
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or len(values) < 2 or np.isnan(values).any() or (values < low).any() or (values > high).any():
        raise ValueError(f"{name} must be a 1-D sequence of at least two numbers in [{low}, {high}]")
    return values.tolist()


class ForwardReverseExplorer(Explorer):
    """A two-mode mixture p (modes at -d/2 and d/2, standard deviation ``sigma``, weight w on the
    left one) and its forward-KL and reverse-KL normal fits, for d and w set by sliders.

    The fits are computed here for every d in ``distances`` (default 0, 0.5, ..., 8) and w in
    ``weights`` (default 0.1, 0.2, ..., 0.9) (:func:`fits_table`); the page looks them up. The
    sliders start at the grid points nearest ``distance`` and ``weight``.
    """

    module = "forward_reverse"
    distances = traitlets.List(traitlets.Float()).tag(sync=True)
    weights = traitlets.List(traitlets.Float()).tag(sync=True)
    sigma = traitlets.Float(1.0).tag(sync=True)
    fits = traitlets.Dict().tag(sync=True)
    distance_index = traitlets.Int(0).tag(sync=True)
    weight_index = traitlets.Int(0).tag(sync=True)

    def __init__(self, distance: float = 4.0, weight: float = 0.5, distances=None, weights=None, sigma: float = 1.0, **kwargs):
        distances = _grid(np.arange(0.0, 8.001, 0.5) if distances is None else distances, "distances", 0.0, math.inf)
        weights = _grid(np.round(np.arange(0.1, 0.901, 0.1), 10) if weights is None else weights, "weights", 1e-9, 1 - 1e-9)
        sigma = finite(sigma, "sigma", positive=True)
        super().__init__(
            distances=distances, weights=weights, sigma=sigma, fits=fits_table(distances, weights, sigma),
            distance_index=int(np.argmin(np.abs(np.array(distances) - distance))),
            weight_index=int(np.argmin(np.abs(np.array(weights) - weight))), **kwargs,
        )
