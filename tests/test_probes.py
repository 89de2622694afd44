"""Learned features and the linear probe, checked against torch, scipy and known answers."""

from types import SimpleNamespace

import numpy as np
import pytest
import torch
from scipy import stats
from scipy.special import softmax

from mlebook.chapters import probes as features
from mlebook.models.mixture import MixtureOfBernoullis
from mlebook.models.nade import NADE


def test_hidden_units_match_torch_linear_layer():
    rng = np.random.default_rng(0)
    x = (rng.random((7, 12)) < 0.5).astype(np.uint8)
    weights, bias = rng.normal(size=(5, 12)), rng.normal(size=5)
    expected = torch.sigmoid(torch.nn.functional.linear(torch.tensor(x, dtype=torch.float64), torch.tensor(weights), torch.tensor(bias)))
    np.testing.assert_allclose(features.hidden_units(x, weights, bias), expected.numpy(), rtol=1e-12)


def test_nade_features_are_its_hidden_units_with_every_pixel_seen():
    model = NADE(12, n_hidden=5, init_scale=1.0, seed=3)
    x = (np.random.default_rng(1).random((6, 12)) < 0.5).astype(np.uint8)
    weights, bias = model.weight_t.detach().double().T, model.c.detach().double() + 0.3
    with torch.no_grad():
        model.c.add_(0.3)
    expected = torch.sigmoid(bias + torch.tensor(x, dtype=torch.float64) @ weights.T)
    np.testing.assert_allclose(features.model_features(model, x), expected.numpy(), rtol=1e-6)
    # With the last pixel off, these are the hidden units NADE uses for its last conditional:
    # p(x_D = 1 | x_<D) = sigmoid(b_D + V_D . h).
    x[:, -1] = 0
    h = torch.tensor(features.model_features(model, x), dtype=torch.float32)
    last = torch.sigmoid(model.b[-1] + h @ model.v[-1]).detach().numpy()
    np.testing.assert_allclose(model.conditionals(x)[:, -1].numpy(), last, rtol=1e-5)


def test_mixture_features_are_posteriors_over_components():
    torch.manual_seed(0)
    model = MixtureOfBernoullis(10, n_components=4, seed=1)
    rng = np.random.default_rng(1)
    x = (rng.random((20, 10)) < 0.5).astype(np.uint8)
    means = model.means.detach().numpy().astype(np.float64)
    log_weights = model.log_weights.detach().numpy().astype(np.float64)
    joint = log_weights + np.array([[stats.bernoulli.logpmf(row, means[k]).sum() for k in range(4)] for row in x])
    np.testing.assert_allclose(features.model_features(model, x), softmax(joint, axis=1), rtol=1e-5, atol=1e-7)


def test_model_without_features_is_refused():
    with pytest.raises(ValueError, match="not SimpleNamespace"):
        features.model_features(SimpleNamespace(), np.zeros((1, 3)))


def test_hidden_units_reject_mismatched_shapes():
    with pytest.raises(ValueError, match="matching sizes"):
        features.hidden_units(np.zeros((2, 4)), np.zeros((3, 5)), np.zeros(3))


def test_few_labels_draws_exactly_n_per_class_reproducibly():
    labels = np.repeat(np.arange(5), [10, 12, 30, 8, 9])
    rows = features.few_labels(labels, 7, seed=3)
    assert len(np.unique(rows)) == len(rows) == 35
    np.testing.assert_array_equal(np.bincount(labels[rows]), [7] * 5)
    np.testing.assert_array_equal(rows, features.few_labels(labels, 7, seed=3))
    assert not np.array_equal(rows, features.few_labels(labels, 7, seed=4))
    with pytest.raises(ValueError, match="class 3 has only 8"):
        features.few_labels(labels, 9)
    with pytest.raises(ValueError, match="at least 1"):
        features.few_labels(labels, 0)


def test_linear_probe_is_perfect_on_informative_features_and_at_chance_on_noise():
    rng = np.random.default_rng(0)
    train_labels, test_labels = rng.integers(0, 10, 1000), rng.integers(0, 10, 2000)
    one_hot = np.eye(10)
    assert features.linear_probe_accuracy(one_hot[train_labels], train_labels, one_hot[test_labels], test_labels, 5) == 1.0
    noise_train, noise_test = rng.random((1000, 20)), rng.random((2000, 20))
    accuracy = features.linear_probe_accuracy(noise_train, train_labels, noise_test, test_labels, 50, seed=1)
    assert 0.05 < accuracy < 0.15  # chance is 0.1; 2,000 test labels give a standard error of 0.007


def test_linear_probe_gains_from_more_labels_on_noisy_features():
    rng = np.random.default_rng(2)
    centres = rng.normal(size=(10, 30))
    train_labels, test_labels = rng.integers(0, 10, 3000), rng.integers(0, 10, 2000)
    train = centres[train_labels] + 2.0 * rng.normal(size=(3000, 30))
    test = centres[test_labels] + 2.0 * rng.normal(size=(2000, 30))
    few = np.mean([features.linear_probe_accuracy(train, train_labels, test, test_labels, 2, seed=s) for s in range(5)])
    many = features.linear_probe_accuracy(train, train_labels, test, test_labels, 200)
    assert many > few + 0.1


def test_linear_probe_rejects_mismatched_inputs():
    with pytest.raises(ValueError, match="same number of rows"):
        features.linear_probe_accuracy(np.zeros((3, 2)), [0, 1], np.zeros((2, 2)), [0, 1], 1)
    with pytest.raises(ValueError, match="differ in shape"):
        features.linear_probe_accuracy(np.zeros((2, 2)), [0, 1], np.zeros((2, 3)), [0, 1], 1)
