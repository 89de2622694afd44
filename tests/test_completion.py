"""Scores of a completion checked by brute-force marginalisation over all 2^D images."""

import itertools

import numpy as np
import pytest
import torch

from mlebook.chapters.completion import split_nll
from mlebook.models import FVSBN, NADE, MixtureOfBernoullis

D = 6
ALL_IMAGES = np.array(list(itertools.product([0, 1], repeat=D)), dtype=np.uint8)


class Permuted:
    """A raster-order model read in another pixel order: q(x) = p(x[:, order])."""

    def __init__(self, model, order):
        self.model, self.order = model, np.asarray(order)

    def conditionals(self, x):
        x = np.asarray(x)
        probs = np.empty(x.shape)
        probs[:, self.order] = self.model.conditionals(x[:, self.order]).double().numpy()
        return probs

    def log_prob(self, x):
        return self.model.log_prob(np.asarray(x)[:, self.order]).double()


def models():
    torch.manual_seed(0)
    fvsbn = FVSBN(D, init_scale=1.0, seed=1)
    return {
        "fvsbn": fvsbn,
        "nade": NADE(D, n_hidden=4, init_scale=1.0, seed=2),
        "mixture": MixtureOfBernoullis(D, n_components=3, seed=3),
        "permuted fvsbn": Permuted(fvsbn, [3, 0, 5, 1, 4, 2]),
    }


def brute_force_known_nll(model, x, known):
    """-log p(x_known) = -log sum over every image that agrees with x on the known pixels."""
    with torch.no_grad():
        log_p_all = np.asarray(model.log_prob(ALL_IMAGES), dtype=np.float64)
    agrees = (ALL_IMAGES[None, :, known] == x[:, None, known]).all(axis=2)
    return -np.log(np.where(agrees, np.exp(log_p_all), 0.0).sum(axis=1))


@pytest.mark.parametrize("name", ["fvsbn", "nade", "mixture", "permuted fvsbn"])
@pytest.mark.parametrize("n_known", [0, 2, 5, D])
def test_known_and_rest_are_marginal_and_conditional_surprise(name, n_known):
    model = models()[name]
    x = ALL_IMAGES[::3]
    known_nll, rest_nll = split_nll(model, x, n_known)
    known = np.asarray(model.order)[:n_known]
    with torch.no_grad():
        total = -np.asarray(model.log_prob(x), dtype=np.float64)
    np.testing.assert_allclose(known_nll, brute_force_known_nll(model, x, known), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(known_nll + rest_nll, total, rtol=1e-5)


def test_bad_inputs_raise_value_errors():
    model = models()["fvsbn"]
    with pytest.raises(ValueError, match="n_known"):
        split_nll(model, ALL_IMAGES, D + 1)
    with pytest.raises(ValueError, match="n_known"):
        split_nll(model, ALL_IMAGES, -1)
    with pytest.raises(ValueError, match="pixels per row"):
        split_nll(model, np.zeros((2, D + 1), np.uint8), 2)
