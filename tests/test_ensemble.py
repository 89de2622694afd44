"""Tests of mlebook.models.ensemble: a mixture of trained models with exact conditionals.

References are independent of the code under test: brute-force enumeration of all 2^D images
(normalisation, marginals of pixel prefixes), a chi-square test of samples, and the members'
own log-probabilities.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
from scipy.stats import chisquare

from mlebook.coding import compress_images, decompress_images, ideal_code_length
from mlebook.models.ensemble import Ensemble, fitted_ensemble
from mlebook.models import FVSBN, MADE, NADE, DensityModel, IndependentBernoulli, MixtureOfBernoullis


def all_images(n_dims: int) -> torch.Tensor:
    return torch.tensor(list(itertools.product([0.0, 1.0], repeat=n_dims)))


@torch.no_grad()
def scrambled(model: DensityModel, seed: int, scale: float = 1.5) -> DensityModel:
    """The model with random parameters, so that its members' conditionals differ a lot."""
    generator = torch.Generator().manual_seed(seed)
    for parameter in model.parameters():
        parameter.add_(scale * torch.randn(parameter.shape, generator=generator))
    return model.eval()


def members(n_dims: int) -> list[DensityModel]:
    """One small model of each kind, all in raster order, with random parameters."""
    return [
        scrambled(IndependentBernoulli(n_dims), seed=1),
        scrambled(MixtureOfBernoullis(n_dims, n_components=3, seed=2), seed=2),
        scrambled(FVSBN(n_dims, seed=3), seed=3),
        scrambled(NADE(n_dims, n_hidden=5, seed=4), seed=4),
        scrambled(MADE(n_dims, hidden_sizes=[12], n_orderings=1, direct=True, seed=5), seed=5),
    ]


WEIGHTS = [0.1, 0.15, 0.2, 0.25, 0.3]


@pytest.fixture(scope="module")
def ensemble6():
    return Ensemble(members(6), WEIGHTS)


def test_probabilities_of_all_images_sum_to_one(ensemble6):
    total = torch.exp(ensemble6.log_prob(all_images(6)).double()).sum()
    assert float(total) == pytest.approx(1.0, abs=1e-5)


def test_log_prob_is_the_weighted_sum_of_member_probabilities(ensemble6):
    x = all_images(6)
    expected = sum(w * torch.exp(model.log_prob(x).double()) for w, model in zip(WEIGHTS, ensemble6.members))
    assert torch.allclose(torch.exp(ensemble6.log_prob(x).double()), expected, rtol=1e-5, atol=0)


def test_conditionals_multiply_to_the_probability(ensemble6):
    x = all_images(6)
    p = ensemble6.conditionals(x).double()
    from_conditionals = torch.where(x.bool(), p, 1 - p).log().sum(dim=1)
    assert torch.allclose(from_conditionals, ensemble6.log_prob(x).double(), atol=1e-4)


def test_conditionals_match_brute_force_marginals():
    """p(x_i = 1 | x_<i) = P(x_<i, x_i = 1) / P(x_<i), the marginals summed over all 2^D images."""
    n_dims = 5
    ensemble = Ensemble(members(n_dims), WEIGHTS)
    x = all_images(n_dims)
    probability = torch.exp(ensemble.log_prob(x).double())
    conditionals = ensemble.conditionals(x).double()
    for row in range(len(x)):
        for i in range(n_dims):
            same_prefix = (x[:, :i] == x[row, :i]).all(dim=1)
            expected = probability[same_prefix & (x[:, i] == 1)].sum() / probability[same_prefix].sum()
            assert float(conditionals[row, i]) == pytest.approx(float(expected), abs=1e-5)


def test_the_walk_gives_the_vectorised_conditionals(ensemble6):
    x = all_images(6)
    walked = DensityModel.conditionals(ensemble6, x)  # the generic version: runs the pixel walk
    assert torch.allclose(walked, ensemble6.conditionals(x), atol=1e-6)


def test_samples_follow_the_probabilities():
    n_dims, n = 3, 20_000
    ensemble = Ensemble(members(n_dims), WEIGHTS)
    samples = ensemble.sample(n, generator=torch.Generator().manual_seed(0))
    codes = (samples @ (2 ** torch.arange(n_dims - 1, -1, -1)).float()).long()
    observed = np.bincount(codes.numpy(), minlength=2**n_dims)
    expected = n * torch.exp(ensemble.log_prob(all_images(n_dims)).double()).numpy()
    assert chisquare(observed, expected * n / expected.sum()).pvalue > 1e-3


def test_a_single_member_ensemble_is_that_model():
    model = members(6)[3]
    ensemble = Ensemble([model])
    x = all_images(6)
    assert torch.allclose(ensemble.log_prob(x), model.log_prob(x), atol=1e-5)
    assert torch.allclose(ensemble.conditionals(x), model.conditionals(x), atol=1e-6)


def test_compression_round_trip_is_exact_and_near_the_ideal_length():
    ensemble = Ensemble(members(16), WEIGHTS)
    x = ensemble.sample(200, generator=torch.Generator().manual_seed(1)).numpy().astype(np.uint8)
    blob = compress_images(ensemble, x)
    assert np.array_equal(decompress_images(ensemble, blob), x)
    ideal = ideal_code_length(ensemble, x).sum()
    assert ideal <= 8 * len(blob) <= ideal + 64  # header and the coder's last bits


def test_weight_em_never_decreases_validation_likelihood():
    ensemble = Ensemble(members(8))
    x = members(8)[3].sample(500, generator=torch.Generator().manual_seed(2))
    history = ensemble.fit_weights(x, steps=50)
    assert len(history) == 51
    assert all(later <= earlier + 1e-9 for earlier, later in zip(history, history[1:]))
    assert history[-1] < history[0]
    final = float(-ensemble.log_prob(x).double().mean())
    assert final == pytest.approx(history[-1], abs=1e-4)
    assert float(ensemble.weights.sum()) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.slow
def test_weight_em_finds_the_member_that_made_the_data():
    models = members(8)
    x = models[3].sample(2_000, generator=torch.Generator().manual_seed(3))
    ensemble = fitted_ensemble(models, x, steps=200)
    assert float(ensemble.weights[3]) > 0.9


def test_parameters_count_the_members_and_the_free_weights():
    models = members(6)
    assert Ensemble(models).n_parameters() == sum(m.n_parameters() for m in models) + len(models) - 1


class ReversedIndependent(IndependentBernoulli):
    """Independent pixels declared in reverse order: a member that walks differently."""

    @property
    def order(self) -> torch.Tensor:
        return torch.arange(self.n_dims - 1, -1, -1)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Ensemble([]), "at least one"),
        (lambda: Ensemble([IndependentBernoulli(4), ReversedIndependent(4)]), "another order"),
        (lambda: Ensemble([IndependentBernoulli(4), MADE(4, hidden_sizes=[8], n_orderings=2)]), "orderings"),
        (lambda: Ensemble([IndependentBernoulli(4), IndependentBernoulli(5)]), "same number of pixels"),
        (lambda: Ensemble([IndependentBernoulli(4), torch.nn.Linear(4, 4)]), "density models"),
        (lambda: Ensemble([IndependentBernoulli(4)] * 2, [0.5]), "shape"),
        (lambda: Ensemble([IndependentBernoulli(4)] * 2, [1.5, -0.5]), ">= 0"),
        (lambda: Ensemble([IndependentBernoulli(4)] * 2, [0.5, 0.6]), "sum"),
        (lambda: Ensemble([IndependentBernoulli(4)] * 2, [math.nan, 1.0]), "finite"),
        (lambda: Ensemble([IndependentBernoulli(4)]).fit_weights(torch.zeros(3, 4), steps=-1), "steps"),
        (lambda: Ensemble([IndependentBernoulli(4)]).log_prob(torch.zeros(3, 5)), "shape"),
    ],
)
def test_bad_input_raises(make, message):
    with pytest.raises(ValueError, match=message):
        make()
