"""Tests for mlebook.train: the fitting routes, early stopping, seeds, checkpoints, errors."""

import math

import matplotlib
import numpy as np
import pytest
import torch
from scipy import optimize, stats

matplotlib.use("Agg")

from mlebook.models import IndependentBernoulli, load
from mlebook.models.fvsbn import FVSBN
from mlebook.models.mixture import MixtureOfBernoullis
from mlebook.train import History, NonFiniteLossError, bits_per_dim, evaluate, fit


pytestmark = pytest.mark.usefixtures("one_thread")


def random_bits(n, d, seed, p=0.3):
    return (np.random.default_rng(seed).random((n, d)) < p).astype(np.uint8)


def correlated_bits(n, d, seed):
    """Images whose pixels copy a random "stroke" bit with noise: FVSBN can learn them."""
    rng = np.random.default_rng(seed)
    stroke = rng.random((n, 1)) < 0.5
    noise = rng.random((n, d)) < 0.1
    return (stroke ^ noise).astype(np.uint8)


class BernoulliLogits(torch.nn.Module):
    """Independent pixels written with torch.distributions and no closed form: fit must use Adam."""

    def __init__(self, n_dims):
        super().__init__()
        self.n_dims = n_dims
        self.logits = torch.nn.Parameter(torch.zeros(n_dims))

    def log_prob(self, x):
        return torch.distributions.Bernoulli(logits=self.logits).log_prob(x).sum(dim=1)


def test_bits_per_dim_converts_nats_per_image():
    assert bits_per_dim(784 * math.log(2), 784) == pytest.approx(1.0)
    assert bits_per_dim(100.0, 784) == pytest.approx(100.0 / 784 / math.log(2))
    with pytest.raises(ValueError, match="n_dims"):
        bits_per_dim(1.0, 0)


def test_evaluate_matches_scipy_and_ignores_batch_size():
    model = IndependentBernoulli(12)
    with torch.no_grad():
        model.logits.copy_(torch.linspace(-2, 2, 12))
    x = random_bits(50, 12, seed=1)
    p = model.probs.detach().numpy()
    reference = -stats.bernoulli.logpmf(x, p).sum(axis=1).mean()
    assert evaluate(model, x) == pytest.approx(reference, rel=1e-5)
    assert evaluate(model, x, batch_size=7) == pytest.approx(reference, rel=1e-5)


def test_closed_form_route_gives_add_one_frequencies():
    x = random_bits(40, 10, seed=2)
    model = IndependentBernoulli(10, alpha=1.0)
    history = fit(model, x, progress=False)
    expected = (x.sum(axis=0) + 1) / (len(x) + 2)
    np.testing.assert_allclose(model.probs.detach().numpy(), expected, rtol=1e-5)
    assert history.stopped == "closed form" and history.best_epoch == 1
    assert history.train_nll[0] == pytest.approx(-stats.bernoulli.logpmf(x, expected).sum(axis=1).mean(), rel=1e-5)


def test_gradient_route_reaches_the_closed_form_answer():
    x = random_bits(60, 8, seed=3)
    model = BernoulliLogits(8)
    history = fit(model, x, epochs=300, batch_size=60, lr=0.05, progress=False)
    np.testing.assert_allclose(torch.sigmoid(model.logits).detach().numpy(), x.mean(axis=0), atol=2e-3)
    assert history.stopped == "max epochs" and len(history.train_nll) == 300
    assert history.train_nll[-1] < history.train_nll[0]


class AdamOnly(IndependentBernoulli):
    """Has a closed-form fit, but declares gradient training: fit must follow the declaration."""

    training_method = "gradient"


def test_fit_follows_the_declared_training_method_not_the_methods_a_model_has():
    x = random_bits(60, 5, seed=4)
    history = fit(AdamOnly(5), x, epochs=3, batch_size=20, lr=0.1, progress=False)
    assert history.stopped == "max epochs" and len(history.lr) == 3
    assert fit(IndependentBernoulli(5), x, progress=False).stopped == "closed form"


def test_em_route_runs_one_em_step_per_epoch():
    x = random_bits(80, 16, seed=4)
    model = MixtureOfBernoullis(16, n_components=3, seed=0)
    history = fit(model, x, epochs=6, patience=10, progress=False)
    assert int(model.n_em_steps) == 6 == len(history.train_nll)
    # An independent re-run of the same EM steps gives the same training NLLs.
    again = MixtureOfBernoullis(16, n_components=3, seed=0)
    assert [again.em_step(torch.as_tensor(x)) for _ in range(6)] == pytest.approx(history.train_nll)


def test_same_seed_same_result_different_seed_different_shuffle():
    x = correlated_bits(64, 10, seed=5)
    runs = []
    for seed in (0, 0, 1):
        model = FVSBN(10, seed=0)
        history = fit(model, x, epochs=3, batch_size=8, lr=0.05, seed=seed, progress=False)
        runs.append((history.train_nll, model.weight.detach().clone()))
    assert runs[0][0] == runs[1][0]
    assert torch.equal(runs[0][1], runs[1][1])
    assert runs[0][0] != runs[2][0]


def overfitting_run(tmp_path=None, patience=3):
    """FVSBN on 12 training images of 30 noisy pixels: validation NLL rises after a few epochs."""
    train, val = random_bits(12, 30, seed=6, p=0.5), random_bits(200, 30, seed=7, p=0.5)
    model = FVSBN(30, seed=0)
    checkpoint = None if tmp_path is None else tmp_path / "best.pt"
    history = fit(model, train, val, epochs=200, batch_size=4, lr=0.05, patience=patience, progress=False, checkpoint=checkpoint)
    return model, history, val, checkpoint


def test_early_stopping_restores_the_best_weights(tmp_path):
    model, history, val, checkpoint = overfitting_run(tmp_path)
    assert history.stopped == "early stopping"
    assert len(history.val_nll) == history.best_epoch + 3
    assert history.best_val_nll == min(history.val_nll)
    assert history.val_nll[-1] > history.best_val_nll
    assert evaluate(model, val) == pytest.approx(history.best_val_nll, rel=1e-6)
    # The checkpoint holds the best model, with the history up to its epoch.
    saved = load(checkpoint)
    assert evaluate(saved, val) == pytest.approx(history.best_val_nll, rel=1e-6)
    assert saved.extras["history"]["best_epoch"] == history.best_epoch


def test_lr_drop_restarts_from_the_best_weights_at_a_tenth_of_the_rate():
    train, val = random_bits(12, 30, seed=6, p=0.5), random_bits(200, 30, seed=7, p=0.5)
    plain = fit(FVSBN(30, seed=0), train, val, epochs=200, batch_size=4, lr=0.05, patience=3, progress=False)
    dropped = fit(FVSBN(30, seed=0), train, val, epochs=200, batch_size=4, lr=0.05, patience=3, lr_drops=1, progress=False)
    # Identical until the first stall, then a tenth of the rate from the weights of the best epoch.
    n_fast = plain.best_epoch + 3
    assert dropped.val_nll[:n_fast] == plain.val_nll[:n_fast]
    assert dropped.lr[:n_fast] == [0.05] * n_fast
    assert dropped.lr[n_fast:] == pytest.approx([0.005] * (len(dropped.lr) - n_fast))
    assert dropped.stopped == "early stopping" and len(dropped.lr) > n_fast
    # Restarting from the best weights: the first slow epoch ends near the best, not the last, NLL.
    assert abs(dropped.val_nll[n_fast] - plain.best_val_nll) < abs(plain.val_nll[-1] - plain.best_val_nll) / 4
    assert dropped.best_val_nll <= plain.best_val_nll
    with pytest.raises(ValueError, match="lr_drops needs validation"):
        fit(FVSBN(30), train, epochs=2, lr_drops=1, progress=False)


def test_time_limit_stops_after_the_current_step():
    x = random_bits(100, 10, seed=8)
    history = fit(FVSBN(10), x, epochs=50, batch_size=10, time_limit=1e-9, progress=False)
    assert history.stopped == "time limit"
    assert len(history.train_nll) == 1


def test_non_finite_loss_names_epoch_and_step():
    model = FVSBN(6)
    with torch.no_grad():
        model.bias[2] = float("nan")
    with pytest.raises(NonFiniteLossError, match="epoch 1, step 1"):
        fit(model, random_bits(20, 6, seed=9), epochs=2, progress=False)


def test_a_step_too_large_for_float32_is_a_non_finite_loss_error():
    with pytest.raises(NonFiniteLossError, match="Adam step overflowed at epoch 1, step 1"):
        fit(FVSBN(6), random_bits(20, 6, seed=9), epochs=1, lr=1e38, progress=False)


class CountingOrderings(FVSBN):
    """Records each training_log_prob call and a random number drawn from the generator it got."""

    def __init__(self, n_dims):
        super().__init__(n_dims)
        self.draws = []

    def training_log_prob(self, x, generator=None):
        self.draws.append(int(torch.randint(1_000_000, (1,), generator=generator)))
        return super().training_log_prob(x, generator)


def test_every_batch_draws_its_objective_from_the_seeded_generator():
    x = random_bits(35, 6, seed=10)
    first, second = CountingOrderings(6), CountingOrderings(6)
    fit(first, x, epochs=2, batch_size=10, progress=False, seed=3)
    fit(second, x, epochs=2, batch_size=10, progress=False, seed=3)
    assert len(first.draws) == 2 * 4  # ceil(35 / 10) batches per epoch
    assert first.draws == second.draws


def interrupt_on_call(model, n):
    """Make the n-th training-mode call of model.log_prob raise KeyboardInterrupt, as Ctrl-C would."""
    log_prob, calls = model.log_prob, []

    def interrupting(x):
        if model.training:
            calls.append(1)
            if len(calls) == n:
                raise KeyboardInterrupt
        return log_prob(x)

    model.log_prob = interrupting
    return model


def test_interrupt_keeps_best_weights_and_checkpoint(tmp_path):
    train, val = correlated_bits(40, 8, seed=11), correlated_bits(40, 8, seed=12)
    model = interrupt_on_call(FVSBN(8), 11)  # 4 batches per epoch: two steps into epoch 3
    with pytest.raises(KeyboardInterrupt):
        fit(model, train, val, epochs=10, batch_size=10, lr=0.05, progress=False, checkpoint=tmp_path / "m.pt")
    saved = load(tmp_path / "m.pt")
    assert saved.extras["history"]["best_epoch"] in (1, 2)
    assert evaluate(model, val) == pytest.approx(evaluate(saved, val), rel=1e-6)


@pytest.mark.parametrize(
    "train, message",
    [
        (np.zeros((5, 7)), "shape"),
        (np.zeros(6), "shape"),
        (np.full((5, 6), 2), "0 and 1"),
        (np.zeros((0, 6)), "no images"),
    ],
)
def test_bad_images_raise_value_error(train, message):
    with pytest.raises(ValueError, match=message):
        fit(FVSBN(6), train, epochs=1, progress=False)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"epochs": 0}, "epochs"),
        ({"epochs": 1, "lr": 0.0}, "lr"),
        ({"epochs": 1, "batch_size": 0}, "batch_size"),
        ({"epochs": 1, "patience": 0}, "patience"),
        ({"epochs": 1, "weight_decay": -1.0}, "weight_decay"),
        ({}, "nothing would stop"),
    ],
)
def test_bad_settings_raise_value_error(options, message):
    with pytest.raises(ValueError, match=message):
        fit(FVSBN(6), np.zeros((4, 6)), progress=False, **options)


def test_weight_decay_shrinks_the_weights():
    x = correlated_bits(64, 10, seed=13)
    norms = []
    for weight_decay in (0.0, 0.1):
        model = FVSBN(10)
        fit(model, x, epochs=30, batch_size=16, lr=0.05, weight_decay=weight_decay, progress=False)
        norms.append(float(model.masked_weight.detach().norm()))
    assert norms[1] < 0.8 * norms[0]


def test_weight_decay_finds_the_map_estimate_under_a_gaussian_prior():
    # For independent pixels with logits l_i, the MAP estimate under l_i ~ N(0, 1/(N lam)) minimises
    # -(1/N) sum_n log p(x_n) + (lam / 2) ||l||^2: per pixel, sigmoid(l_i) - mean_i + lam l_i = 0.
    x = random_bits(50, 6, seed=21, p=0.15)
    lam = 0.05
    model = BernoulliLogits(6)
    fit(model, x, epochs=1500, batch_size=len(x), lr=0.05, weight_decay=lam, progress=False)
    means = x.mean(axis=0)
    expected = [optimize.brentq(lambda l, m=m: 1 / (1 + math.exp(-l)) - m + lam * l, -50, 50) for m in means]
    np.testing.assert_allclose(model.logits.detach().numpy(), expected, atol=1e-3)
    # and it is not the maximum-likelihood estimate, log(mean / (1 - mean))
    assert np.abs(model.logits.detach().numpy() - np.log(means / (1 - means))).min() > 0.05


def test_history_round_trips_and_plots():
    _, history, _, _ = overfitting_run(patience=2)
    assert History.from_dict(history.to_dict()) == history
    assert history.epochs == list(range(1, len(history.train_nll) + 1))
    assert history.total_seconds == pytest.approx(sum(history.seconds))
    ax = history.plot()
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == ["train", "validation"] and str(history.best_epoch) in labels[2]
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), history.val_nll)