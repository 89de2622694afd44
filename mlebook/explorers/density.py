"""Interactive explorers for the chapters "Why 2^784 is hopeless" and "Learning as density estimation".

Each explorer is a small class: its sliders are attributes (set ``.value`` from Python to move
them), ``numbers`` holds what it currently shows (computed by :mod:`mlebook.chapters.counting` and
:mod:`mlebook.chapters.estimation`), ``widget`` is the ipywidgets box, and displaying the explorer in a
notebook displays that box.

- :class:`CoverageExplorer`: image side s and data-set size n -> |X| = 2^(s^2) and the largest
  share n / 2^(s^2) of the space the data can cover.
- :class:`CoinExplorer`: counts of heads and tails -> L(theta), log L(theta) and theta*.
- :class:`MonteCarloExplorer`: sample size n -> the spread of the Monte Carlo estimate
  (1/n) sum_i log q(x_i) around E_p[log q(x)], against the predicted sd sqrt(Var_p[log q] / n).
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from ..chapters import counting, estimation


class _Explorer:
    """Shared plumbing: re-compute on every slider change, display as ``self.widget``."""

    widget: widgets.Widget
    numbers: dict

    def _watch(self, *sliders):
        for slider in sliders:
            slider.observe(lambda change: self.update(), names="value")

    def update(self):
        raise NotImplementedError

    def _ipython_display_(self):
        display(self.widget)

    def _show(self, fig):
        """Keep ``fig`` as ``self.figure`` and show it in the explorer's output area."""
        self.figure = fig
        with self.plot:
            display(fig)
        plt.close(fig)


def _power_of_ten(value) -> str:
    mantissa, exponent = counting.scientific(value)
    return f"{mantissa:.2f} &times; 10<sup>{exponent}</sup>"


class CoverageExplorer(_Explorer):
    """How much of the space of s x s binary images n examples can cover."""

    def __init__(self, side: int = 28, log10_examples: int = 7):
        self.side = widgets.IntSlider(value=side, min=1, max=28, description="side s")
        self.log10_examples = widgets.IntSlider(value=log10_examples, min=0, max=24, description="log10 n")
        self.html = widgets.HTML()
        self.widget = widgets.VBox([self.side, self.log10_examples, self.html])
        self._watch(self.side, self.log10_examples)
        self.update()

    def update(self):
        n_pixels = self.side.value**2
        n_examples = 10**self.log10_examples.value
        size = counting.n_images(n_pixels)
        share = counting.coverage(n_examples, n_pixels)
        self.numbers = {
            "n_pixels": n_pixels,
            "n_images": size,
            "n_digits": counting.n_digits(size),
            "n_examples": n_examples,
            "coverage": share,
            "coverage_exponent": counting.scientific(share)[1],
            "table_parameters": counting.full_table_parameters(n_pixels),
        }
        self.html.value = (
            f"<p>D = {n_pixels} pixels: |X| = 2<sup>{n_pixels}</sup> = {_power_of_ten(size)} images "
            f"({self.numbers['n_digits']} digits).<br>"
            f"n = 10<sup>{self.log10_examples.value}</sup> examples show at most "
            f"{_power_of_ten(share)} of them.<br>"
            f"A full table of probabilities needs 2<sup>{n_pixels}</sup> &minus; 1 = "
            f"{_power_of_ten(self.numbers['table_parameters'])} parameters.</p>"
        )


class CoinExplorer(_Explorer):
    """The likelihood and log-likelihood of a coin's bias for given counts of heads and tails."""

    def __init__(self, n_heads: int = 3, n_tails: int = 2, max_count: int = 50, grid_size: int = 1001):
        self.n_heads = widgets.IntSlider(value=n_heads, min=0, max=max_count, description="heads")
        self.n_tails = widgets.IntSlider(value=n_tails, min=0, max=max_count, description="tails")
        self.theta = np.linspace(0.0, 1.0, grid_size)
        self.plot = widgets.Output()
        self.widget = widgets.VBox([widgets.HBox([self.n_heads, self.n_tails]), self.plot])
        self._watch(self.n_heads, self.n_tails)
        self.update()

    def update(self):
        h, t = self.n_heads.value, self.n_tails.value
        self.plot.clear_output(wait=True)
        if h + t == 0:
            self.numbers = {"n_heads": 0, "n_tails": 0, "theta_star": None, "max_log_likelihood": 0.0}
            self.figure = None
            with self.plot:
                print("No flips: every theta explains the data equally well (L = 1).")
            return
        theta_star = estimation.coin_mle(h, t)
        self.numbers = {
            "n_heads": h,
            "n_tails": t,
            "theta_star": theta_star,
            "max_log_likelihood": float(estimation.coin_log_likelihood(theta_star, h, t)),
        }
        fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3))
        left.plot(self.theta, estimation.coin_likelihood(self.theta, h, t))
        left.set(xlabel=r"$\theta$", ylabel=r"$L(\theta)$", title="likelihood")
        with np.errstate(divide="ignore"):
            right.plot(self.theta, estimation.coin_log_likelihood(self.theta, h, t))
        right.set(xlabel=r"$\theta$", ylabel=r"$\log L(\theta)$ (nats)", title="log-likelihood")
        for ax in (left, right):
            ax.axvline(theta_star, color="C3", linestyle="--", label=rf"$\theta^* = {theta_star:.3f}$")
        right.legend()
        fig.tight_layout()
        self._show(fig)


class MonteCarloExplorer(_Explorer):
    """The sampling distribution of the empirical log-likelihood for a chosen sample size n.

    ``data`` is the true distribution p (a :class:`mlebook.chapters.estimation.TabulatedDistribution`) and
    ``model_log_probs`` the table of log q over all 2^D images.
    """

    SIZES = (1, 3, 10, 30, 100, 300, 1000, 3000)

    def __init__(self, data: estimation.TabulatedDistribution, model_log_probs, n: int = 10, n_repeats: int = 1000, seed: int = 0):
        self.data = data
        self.model_log_probs = np.asarray(model_log_probs, dtype=float)
        self.n_repeats = n_repeats
        self.seed = seed
        self.exact = data.expected(self.model_log_probs)
        self.variance = data.log_prob_variance(self.model_log_probs)
        self.n = widgets.SelectionSlider(options=self.SIZES, value=n, description="n")
        self.plot = widgets.Output()
        self.widget = widgets.VBox([self.n, self.plot])
        self._watch(self.n)
        self.update()

    def update(self):
        n = self.n.value
        estimates = estimation.monte_carlo_estimates(
            self.data.sample, lambda x: self.model_log_probs[counting.image_index(x)], n, self.n_repeats, self.seed
        )
        self.numbers = {
            "n": n,
            "exact": self.exact,
            "mean": float(estimates.mean()),
            "sd": float(estimates.std(ddof=1)),
            "predicted_sd": float(np.sqrt(self.variance / n)),
        }
        self.plot.clear_output(wait=True)
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.hist(estimates, bins=40, density=True, color="C0", alpha=0.7)
        ax.axvline(self.exact, color="C3", label=r"exact $E_p[\log q(x)]$")
        ax.set(
            xlabel="estimate (nats per example)",
            ylabel="density",
            title=f"{self.n_repeats} estimates from n = {n}: sd {self.numbers['sd']:.3f}, "
            f"predicted {self.numbers['predicted_sd']:.3f}",
        )
        ax.legend()
        fig.tight_layout()
        self._show(fig)
