"""Tests for mlebook.chapters.capacity: a sweep over mixture sizes finds the true size of a mixture
and the overfitting beyond it; the numbers it reports are the ones recomputed independently."""

import math

import numpy as np
import pytest
from scipy import stats

from mlebook.chapters.capacity import CapacitySweep, capacity_sweep
from mlebook.models import MixtureOfBernoullis
from mlebook.train import fit, log_probs

pytestmark = pytest.mark.usefixtures("one_thread")


def mixture_data(n, seed, n_prototypes=4, n_dims=24, noise=0.1):
    """Images that copy one of ``n_prototypes`` fixed random prototypes with each pixel flipped
    with probability ``noise``: a mixture of 4 Bernoulli products."""
    prototypes = np.random.default_rng(99).random((n_prototypes, n_dims)) < 0.5
    rng = np.random.default_rng(seed)
    which = rng.integers(n_prototypes, size=n)
    return (prototypes[which] ^ (rng.random((n, n_dims)) < noise)).astype(np.uint8)


def fit_mixture(k, x):
    model = MixtureOfBernoullis(x.shape[1], n_components=k, alpha=0.01, seed=0)
    fit(model, x, epochs=50, progress=False)
    return model


@pytest.fixture(scope="module")
def sweep():
    return capacity_sweep(fit_mixture, [1, 2, 4, 16, 64], mixture_data(150, seed=1), mixture_data(2000, seed=2))


def test_the_sweep_finds_the_true_number_of_components_and_overfits_beyond_it(sweep):
    assert sweep.best == 4
    assert sweep.train_nll[-1] < sweep.train_nll[sweep.best_index]  # the bigger model fits its training set better
    assert sweep.val_nll[-1] > sweep.val_nll[sweep.best_index] + 1  # and new images worse
    assert sweep.gap[-1] > 5 * sweep.gap_standard_error[-1]
    assert sweep.gap_opens() is not None and sweep.gap_opens() > 2


def test_the_reported_numbers_are_the_models_own(sweep):
    train, val = mixture_data(150, seed=1), mixture_data(2000, seed=2)
    for k, model, train_nll, val_nll, se, n in zip(sweep.capacities, sweep.models, sweep.train_nll, sweep.val_nll,
                                                   sweep.gap_standard_error, sweep.n_parameters):
        on_train, on_val = log_probs(model, train), log_probs(model, val)
        assert train_nll == pytest.approx(-on_train.mean()) and val_nll == pytest.approx(-on_val.mean())
        assert se == pytest.approx(math.hypot(stats.sem(on_train), stats.sem(on_val)))
        assert n == k * 24 + k - 1


def test_gap_opens_names_the_first_capacity_past_z_standard_errors():
    sweep = CapacitySweep(np.array([1, 2, 5]), np.array([1, 2, 3]), np.array([10.0, 9.0, 8.0]),
                          np.array([10.5, 10.0, 11.0]), np.array([0.5, 0.4, 0.5]))
    np.testing.assert_allclose(sweep.gap, [0.5, 1.0, 3.0])
    assert sweep.best == 2
    assert sweep.gap_opens(z=2.0) == 2
    assert sweep.gap_opens(z=5.0) == 5
    assert sweep.gap_opens(z=7.0) is None


@pytest.mark.parametrize("capacities, message", [([], "non-empty"), ([2, 1], "increasing"), ([0, 1], "capacity")])
def test_bad_capacities_raise_value_error(capacities, message):
    x = mixture_data(10, seed=0)
    with pytest.raises(ValueError, match=message):
        capacity_sweep(fit_mixture, capacities, x, x)
