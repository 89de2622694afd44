"""Scoring a completion: how surprised a model is by the rest of an image, given its first pixels.

An autoregressive model with pixel order sigma writes

    log p(x) = sum_{t=1}^{D} log p(x_sigma(t) | x_sigma(1), ..., x_sigma(t-1)).

Split the order after its first k pixels, the **known** part (in raster order, k = 14 x 28 is
the top half of a digit). The first k terms only involve known pixels and the rest condition on
all of them, so

    log p(x) = log p(x_known) + log p(x_rest | x_known),
    log p(x_known) = sum_{t <= k} (term t),    log p(x_rest | x_known) = sum_{t > k} (term t),

both read off the model's conditionals pi_i = p(x_i = 1 | pixels before i) in one pass, each
term being x_i log pi_i + (1 - x_i) log(1 - pi_i). The second is the log-loss of the model used
as a *structured predictor* of the rest of the image from the known part.
"""

from __future__ import annotations

import numpy as np

from ..checks import binary_images, count, float_array

PROBABILITY_FLOOR = 1e-12  # conditionals are clipped to [floor, 1 - floor]: float32 rounds sigmoid(20) to 1


def split_nll(model, x, n_known: int) -> tuple[np.ndarray, np.ndarray]:
    """``(-log p(x_known), -log p(x_rest | x_known))`` in nats per image, two arrays of shape (n,).

    ``model`` has ``conditionals(x)`` (shape (n, D)) and ``order`` (the pixel order it factorises
    in, as every :mod:`mlebook.models` model does); the known pixels are the first ``n_known``
    of that order, as in ``model.complete(x, n_known)``.
    """
    order = np.asarray(model.order)
    n_known = count(n_known, "n_known")
    if n_known > len(order):
        raise ValueError(f"n_known must be at most the {len(order)} pixels of the model, got {n_known}")
    x = binary_images(x, len(order), "x", min_count=1)
    p = np.clip(float_array(model.conditionals(x)), PROBABILITY_FLOOR, 1 - PROBABILITY_FLOOR)
    surprise = -np.where(x == 1, np.log(p), np.log1p(-p))
    known = np.zeros(len(order), dtype=bool)
    known[order[:n_known]] = True
    return surprise[:, known].sum(axis=1), surprise[:, ~known].sum(axis=1)
