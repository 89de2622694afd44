"""Tests for mlebook.chapters.gradients: the closed-form FVSBN gradient against autograd and finite
differences, and which conditionals each parameter feeds."""

import numpy as np
import pytest
import torch

from mlebook.chapters.gradients import fvsbn_gradient, term_jacobian
from mlebook.models import FVSBN, NADE, IndependentBernoulli


def random_bits(n, d, seed, p=0.4):
    return (np.random.default_rng(seed).random((n, d)) < p).astype(np.uint8)


def autograd_gradient(model, x):
    """Gradient of the mean log-likelihood by torch autograd, as {parameter name: gradient}."""
    model.zero_grad()
    model.log_prob(torch.tensor(x, dtype=torch.float32)).mean().backward()
    return {name: p.grad.clone() for name, p in model.named_parameters()}


@pytest.mark.parametrize("seed", [0, 1])
def test_fvsbn_gradient_matches_autograd(seed):
    model = FVSBN(12, init_scale=0.7, seed=seed)  # large weights: the sigmoids are far from 1/2
    x = random_bits(40, 12, seed)
    grad_bias, grad_weight = fvsbn_gradient(model, x)
    reference = autograd_gradient(model, x)
    torch.testing.assert_close(grad_bias, reference["bias"], rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(grad_weight, reference["weight"], rtol=1e-5, atol=1e-6)
    assert torch.count_nonzero(grad_weight.triu()) == 0


def test_fvsbn_gradient_matches_finite_differences():
    model = FVSBN(5, init_scale=0.5, seed=3).double()
    x = torch.tensor(random_bits(30, 5, seed=4), dtype=torch.float64)
    grad_bias, grad_weight = fvsbn_gradient(model, x)
    step = 1e-6
    for parameter, gradient, index in [(model.bias, grad_bias, (2,)), (model.weight, grad_weight, (3, 1))]:
        with torch.no_grad():
            parameter[index] += step
            up = float(model.log_prob(x).mean())
            parameter[index] -= 2 * step
            down = float(model.log_prob(x).mean())
            parameter[index] += step
        assert float(gradient[index]) == pytest.approx((up - down) / (2 * step), rel=1e-6)


def test_each_fvsbn_conditional_moves_only_its_own_row():
    model = FVSBN(8, init_scale=0.5, seed=5)
    jacobian = term_jacobian(model, random_bits(50, 8, seed=6))
    for i in range(8):
        others = [k for k in range(8) if k != i]
        assert torch.count_nonzero(jacobian["bias"][i, others]) == 0
        assert torch.count_nonzero(jacobian["weight"][i, others]) == 0
        assert torch.count_nonzero(jacobian["weight"][i, i, :i]) == i  # the row's free weights all move
    # the terms add up to the whole log-likelihood's gradient
    total = autograd_gradient(model, random_bits(50, 8, seed=6))
    torch.testing.assert_close(jacobian["weight"].sum(dim=0) / 50, total["weight"], rtol=1e-5, atol=1e-6)


def test_nades_shared_parameters_feed_every_conditional():
    model = NADE(8, n_hidden=3, init_scale=0.5, seed=7)
    x = random_bits(50, 8, seed=8)
    jacobian = term_jacobian(model, x)
    feeds = (jacobian["c"].abs().sum(dim=1) > 0).sum()
    assert feeds == 8  # the hidden biases are in every conditional's hidden layer
    total = autograd_gradient(model, x)
    for name in ("weight_t", "c", "v", "b"):
        torch.testing.assert_close(jacobian[name].sum(dim=0) / 50, total[name], rtol=1e-4, atol=1e-6)


def test_wrong_models_and_images_raise_value_error():
    with pytest.raises(ValueError, match="FVSBN"):
        fvsbn_gradient(NADE(4, n_hidden=2), random_bits(3, 4, seed=0))
    with pytest.raises(ValueError, match="logits"):
        term_jacobian(IndependentBernoulli(4), random_bits(3, 4, seed=0))
    with pytest.raises(ValueError, match="pixels per row"):
        fvsbn_gradient(FVSBN(4), random_bits(3, 5, seed=0))
