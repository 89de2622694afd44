"""Tests of mlebook.models: every model is a normalised distribution whose samples, conditionals,
completions and saved files agree with independent computations (enumeration of all 2^D images,
scipy, direct per-pixel loops)."""

import itertools
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy import special, stats

import mlebook.models.nade as nade_module
from mlebook.models import FVSBN, MADE, MODELS, NADE, ContextNADE, DensityModel, IndependentBernoulli, MixtureOfBernoullis, load

FACTORIES = {
    "independent": lambda d: IndependentBernoulli(d),
    "mixture": lambda d: MixtureOfBernoullis(d, n_components=3, seed=1),
    "fvsbn": lambda d: FVSBN(d, init_scale=1.0, seed=1),
    "nade": lambda d: NADE(d, n_hidden=6, init_scale=1.0, seed=1),
    "made": lambda d: MADE(d, hidden_sizes=(12, 12), seed=1),
    "made-3-orderings": lambda d: MADE(d, hidden_sizes=(12,), n_orderings=3, direct=True, seed=1),
    "context-nade": lambda d: ContextNADE(
        d, n_hidden=4, context_rows=1, context_columns=1, context_units=5, dropout=0.5, image_width=3, init_scale=1.0, seed=1
    ),
}


def all_images(n_dims: int) -> torch.Tensor:
    return torch.tensor(list(itertools.product([0.0, 1.0], repeat=n_dims)))


def random_images(n: int, n_dims: int, seed: int = 0) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.bernoulli(torch.full((n, n_dims), 0.4), generator=generator)


def fit_a_little(model: DensityModel, x: torch.Tensor) -> DensityModel:
    """Closed form, three EM steps, or five Adam steps, as the model declares (as mlebook.train.fit does)."""
    if model.training_method == "closed form":
        model.fit_closed_form(x)
    elif model.training_method == "em":
        for _ in range(3):
            model.em_step(x)
    else:
        model.train()
        generator = torch.Generator().manual_seed(0)
        optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
        for _ in range(5):
            optimizer.zero_grad()
            (-model.training_log_prob(x, generator).mean()).backward()
            optimizer.step()
    return model.eval()


def walk_log_prob(model: DensityModel, x: torch.Tensor) -> torch.Tensor:
    """log p(x) of the distribution that sequential/conditionals/complete walk (MADE: ordering 0)."""
    if isinstance(model, MADE):
        return model.ordering_log_probs(x)[:, 0]
    return model.log_prob(x)


def chi_square_p_value(samples: torch.Tensor, probabilities: torch.Tensor) -> float:
    """p-value of the observed image counts against the given probabilities of all 2^D images."""
    n_dims = samples.shape[1]
    codes = (samples.long() * (2 ** torch.arange(n_dims - 1, -1, -1))).sum(dim=1)
    observed = torch.bincount(codes, minlength=2**n_dims).double().numpy()
    expected = probabilities.double().numpy()
    possible = expected > 0
    assert observed[~possible].sum() == 0, "sampled an image of probability 0"
    expected = expected[possible] / expected[possible].sum() * len(samples)
    return stats.chisquare(observed[possible], expected).pvalue


# ---- normalisation -------------------------------------------------------------------------
@pytest.mark.parametrize("name", FACTORIES)
@pytest.mark.parametrize("n_dims", range(3, 9))
@pytest.mark.parametrize("fitted", [False, True], ids=["init", "fitted"])
def test_probabilities_of_all_images_sum_to_one(name, n_dims, fitted):
    model = FACTORIES[name](n_dims).eval()
    if fitted:
        fit_a_little(model, random_images(64, n_dims))
    with torch.no_grad():
        total = torch.exp(model.log_prob(all_images(n_dims))).sum()
    assert abs(float(total) - 1) < 1e-5


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_command_line_model_is_a_normalised_distribution_with_default_options(name):
    model = MODELS[name](4).eval()
    assert isinstance(model, DensityModel)
    with torch.no_grad():
        assert float(torch.exp(model.log_prob(all_images(4))).sum()) == pytest.approx(1.0, abs=1e-5)


# ---- conditionals, the walk and log_prob agree -----------------------------------------------
@pytest.mark.parametrize("name", FACTORIES)
def test_log_prob_is_sum_of_conditional_log_likelihoods(name):
    model = fit_a_little(FACTORIES[name](6), random_images(64, 6))
    x = all_images(6)
    probs = model.conditionals(x).double()
    expected = (x * probs.log() + (1 - x) * (1 - probs).log()).sum(dim=1)
    with torch.no_grad():
        assert torch.allclose(walk_log_prob(model, x).double(), expected, atol=1e-4)


@pytest.mark.parametrize("name", FACTORIES)
def test_vectorised_conditionals_match_the_pixel_walk(name):
    model = fit_a_little(FACTORIES[name](7), random_images(64, 7))
    x = random_images(20, 7, seed=3)
    walked = DensityModel.conditionals(model, x)  # the generic version built on sequential()
    assert torch.allclose(model.conditionals(x), walked, atol=1e-5)


@pytest.mark.parametrize("name", FACTORIES)
def test_sequential_visits_pixels_in_order_and_passes_probabilities(name):
    model = FACTORIES[name](5).eval()
    visited = []

    def always_on(i, p):
        visited.append(i)
        assert p.shape == (4,) and bool(((p >= 0) & (p <= 1)).all())
        return torch.ones(4)

    x = model.sequential(4, always_on)
    assert visited == model.order.tolist()
    assert torch.equal(x, torch.ones(4, 5))


def test_sequential_rejects_bad_choices():
    model = NADE(4, n_hidden=3)
    with pytest.raises(ValueError, match="values"):
        model.sequential(3, lambda i, p: torch.ones(2))
    with pytest.raises(ValueError, match="0 and 1"):
        model.sequential(3, lambda i, p: torch.full((3,), 0.5))


# ---- sampling and completion ----------------------------------------------------------------
@pytest.mark.parametrize("name", FACTORIES)
def test_sample_frequencies_match_probabilities(name):
    model = fit_a_little(FACTORIES[name](3), random_images(64, 3))
    samples = model.sample(20_000, generator=torch.Generator().manual_seed(0))
    assert samples.shape == (20_000, 3) and samples.dtype == torch.float32
    with torch.no_grad():
        probabilities = torch.exp(model.log_prob(all_images(3)))
    assert chi_square_p_value(samples, probabilities) > 1e-3


@pytest.mark.parametrize("name", FACTORIES)
def test_sample_is_reproducible_with_a_seeded_generator(name):
    model = FACTORIES[name](6).eval()
    first = model.sample(10, generator=torch.Generator().manual_seed(5))
    second = model.sample(10, generator=torch.Generator().manual_seed(5))
    assert torch.equal(first, second)


@pytest.mark.parametrize("name", FACTORIES)
def test_complete_keeps_known_pixels_and_samples_the_true_conditional(name):
    n_dims, n_known, n = 4, 2, 20_000
    model = fit_a_little(FACTORIES[name](n_dims), random_images(64, n_dims))
    order = model.order
    x = torch.zeros(n, n_dims)
    x[:, order[0]] = 1.0  # known pixels: first in order on, second off
    completed = model.complete(x, n_known, generator=torch.Generator().manual_seed(1))
    assert torch.equal(completed[:, order[:n_known]], x[:, order[:n_known]])

    images = all_images(n_dims)
    consistent = (images[:, order[:n_known]] == x[0, order[:n_known]]).all(dim=1)
    with torch.no_grad():
        joint = torch.exp(walk_log_prob(model, images)) * consistent
    assert chi_square_p_value(completed, joint / joint.sum()) > 1e-3


def test_complete_with_everything_known_changes_nothing():
    model = NADE(8, n_hidden=4, seed=2)
    x = random_images(5, 8)
    assert torch.equal(model.complete(x, 8), x)


def test_complete_rejects_bad_n_known():
    model = IndependentBernoulli(4)
    for bad in (-1, 5, 1.5):
        with pytest.raises(ValueError, match="n_known"):
            model.complete(random_images(2, 4), bad)


# ---- independent pixels and the mixture against scipy -----------------------------------------
@pytest.mark.parametrize("alpha", [0.5, 1.0, 2.0])
def test_independent_closed_form_is_the_smoothed_frequency(alpha):
    x = random_images(50, 8, seed=4)
    x[:, 0] = 0  # a pixel never on: smoothing must keep its probability above 0
    model = IndependentBernoulli(8, alpha=alpha).fit_closed_form(x.numpy().astype(np.uint8))
    expected = (x.sum(dim=0) + alpha) / (len(x) + 2 * alpha)
    assert torch.allclose(model.probs, expected, atol=1e-6)
    test = random_images(10, 8, seed=5)
    reference = stats.bernoulli.logpmf(test.numpy(), expected.numpy()).sum(axis=1)
    assert np.allclose(model.log_prob(test).detach().numpy(), reference, atol=1e-4)


def test_independent_without_smoothing_gives_zero_probability_not_nan():
    x = torch.zeros(10, 3)
    x[:5, 1] = 1
    model = IndependentBernoulli(3, alpha=0.0).fit_closed_form(x)
    log_p = model.log_prob(torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])).detach()
    assert log_p[0] == -math.inf and abs(float(log_p[1]) - math.log(0.5)) < 1e-6


def test_mixture_log_prob_matches_scipy():
    model = fit_a_little(MixtureOfBernoullis(6, n_components=4, seed=2), random_images(80, 6))
    x = random_images(30, 6, seed=7)
    means = model.means.detach().double().numpy()
    weights = torch.exp(model.log_weights).detach().double().numpy()
    per_component = np.stack([stats.bernoulli.logpmf(x.numpy(), mu).sum(axis=1) for mu in means], axis=1)
    reference = special.logsumexp(per_component + np.log(weights), axis=1)
    assert np.allclose(model.log_prob(x).detach().numpy(), reference, atol=1e-4)


def test_mixture_conditionals_do_not_depend_on_the_chunk_size():
    model = fit_a_little(MixtureOfBernoullis(7, n_components=3, seed=2), random_images(50, 7))
    x = random_images(10, 7, seed=6)
    assert torch.allclose(model.conditionals(x, chunk=3), model.conditionals(x), atol=1e-6)


def test_mixture_em_is_monotone():
    x = random_images(300, 8, seed=8)
    x[:150, :4] = 1  # two clusters
    model = MixtureOfBernoullis(8, n_components=4, alpha=0.5, seed=3)
    returned, penalised = [], []
    for _ in range(15):
        returned.append(model.em_step(x))
        with torch.no_grad():
            penalised.append(float(-model.log_prob(x).mean() - model.log_prior() / len(x)))
    with torch.no_grad():
        returned.append(float(-model.log_prob(x).mean()))
    # MAP-EM never increases the penalised NLL; the NLL itself decreases within a small tolerance.
    assert all(later <= earlier + 1e-5 for earlier, later in zip(penalised, penalised[1:]))
    assert all(later <= earlier + 1e-3 for earlier, later in zip(returned, returned[1:]))
    assert returned[-1] < returned[0] - 0.1
    assert bool(((model.means > 0) & (model.means < 1)).all())


def test_mixture_em_step_matches_a_direct_computation():
    x = random_images(120, 6, seed=10)
    alpha, n_components = 0.7, 3
    model = MixtureOfBernoullis(6, n_components=n_components, alpha=alpha, seed=1)
    model.em_step(x)  # seeds from the data, then one step
    means = model.means.detach().double().numpy()
    weights = torch.exp(model.log_weights).detach().double().numpy()
    data = x.double().numpy()
    joint = np.stack([stats.bernoulli.logpmf(data, mu).sum(axis=1) for mu in means], axis=1) + np.log(weights)
    resp = np.exp(joint - special.logsumexp(joint, axis=1, keepdims=True))
    counts = resp.sum(axis=0)
    expected_means = (resp.T @ data + alpha) / (counts[:, None] + 2 * alpha)
    expected_weights = (counts + alpha) / (len(data) + n_components * alpha)
    model.em_step(x)
    assert np.allclose(model.means.detach().numpy(), expected_means, atol=1e-5)
    assert np.allclose(torch.exp(model.log_weights).detach().numpy(), expected_weights, atol=1e-5)


def test_mixture_em_returns_the_nll_before_the_step():
    x = random_images(100, 5, seed=9)
    model = MixtureOfBernoullis(5, n_components=2, seed=0)
    model.em_step(x)
    with torch.no_grad():
        before = float(-model.log_prob(x).mean())
    assert abs(model.em_step(x) - before) < 1e-4


# ---- FVSBN ---------------------------------------------------------------------------------
def test_fvsbn_conditionals_match_a_direct_loop():
    model = FVSBN(6, init_scale=1.0, seed=4)
    x = random_images(10, 6, seed=2)
    direct = torch.empty(10, 6)
    for n in range(10):
        for i in range(6):
            direct[n, i] = torch.sigmoid(model.bias[i] + sum(model.weight[i, j] * x[n, j] for j in range(i)))
    assert torch.allclose(model.conditionals(x), direct, atol=1e-6)


def test_fvsbn_ignores_weights_on_and_above_the_diagonal():
    model = FVSBN(5, init_scale=1.0, seed=4)
    x = all_images(5)
    before = model.log_prob(x).detach()
    with torch.no_grad():
        model.weight.add_(torch.ones(5, 5).triu() * 3.0)
    assert torch.equal(model.log_prob(x).detach(), before)
    assert model.n_parameters() == 5 + 10


# ---- context NADE --------------------------------------------------------------------------
def test_context_window_matches_a_direct_loop_and_is_causal():
    from mlebook.models.context_nade import context_window

    n_dims, width, rows, columns = 23, 5, 2, 1  # five rows of 5, the last one 3 pixels short
    window = context_window(n_dims, width, rows, columns)
    for i in range(n_dims):
        r, s = divmod(i, width)
        expected = []
        for dr, ds in [(-2, -1), (-2, 0), (-2, 1), (-1, -1), (-1, 0), (-1, 1), (0, -1)]:
            rr, ss = r + dr, s + ds
            inside = rr >= 0 and 0 <= ss < width and rr * width + ss < n_dims
            expected.append(rr * width + ss if inside else n_dims)
        assert window[i].tolist() == expected
        assert all(j < i or j == n_dims for j in expected)


def test_context_nade_conditionals_ignore_the_pixel_and_those_after_it():
    model = FACTORIES["context-nade"](9).double().eval()
    x = random_images(30, 9, seed=4).double()
    probs = model.conditionals(x)
    for i in range(9):
        changed = x.clone()
        changed[:, i:] = 1 - changed[:, i:]
        assert torch.allclose(model.conditionals(changed)[:, i], probs[:, i])


def test_context_nade_log_prob_matches_a_direct_computation():
    model = ContextNADE(6, n_hidden=3, context_rows=1, context_columns=1, context_units=4, image_width=2, init_scale=1.0, seed=2)
    model = model.double().eval()
    x = random_images(10, 6, seed=5).double()
    expected = torch.zeros(10, dtype=torch.float64)
    for n in range(10):
        for i in range(6):
            hidden = torch.sigmoid(model.c + model.weight_t[:i].T @ x[n, :i])
            r, s = divmod(i, 2)
            window = [x[n, (r + dr) * 2 + s + ds] if r + dr >= 0 and 0 <= s + ds < 2 else 0.0
                      for dr, ds in [(-1, -1), (-1, 0), (-1, 1), (0, -1)]]
            context = torch.relu(model.context_weight @ torch.tensor(window, dtype=torch.float64) + model.context_bias)
            logit = model.b[i] + model.v[i] @ hidden + model.context_out @ context + model.position_bias[i]
            expected[n] += F.logsigmoid(logit if x[n, i] else -logit)
    with torch.no_grad():
        assert torch.allclose(model.log_prob(x), expected, atol=1e-10)


def test_context_nade_incremental_sampler_equals_the_naive_sampler():
    model = FACTORIES["context-nade"](12).double().eval()
    fast = model.sample(30, generator=torch.Generator().manual_seed(5))
    naive = model.sample_naive(30, generator=torch.Generator().manual_seed(5))
    assert torch.equal(fast, naive) and 0 < float(fast.mean()) < 1


def test_context_nade_dropout_only_changes_the_training_objective():
    model = FACTORIES["context-nade"](9).double()
    x = random_images(40, 9, seed=6).double()
    model.train()
    with torch.no_grad():
        stochastic = [model.training_log_prob(x) for _ in range(2)]
        assert not torch.allclose(stochastic[0], stochastic[1])
        assert torch.equal(model.eval().training_log_prob(x), model.log_prob(x))


# ---- NADE ----------------------------------------------------------------------------------
def nade_direct_log_prob(model: NADE, x: torch.Tensor) -> torch.Tensor:
    """log p(x) with one hidden layer recomputed from scratch for every pixel."""
    total = torch.zeros(len(x), dtype=x.dtype)
    for i in range(model.n_dims):
        activation = model.c + x[:, :i] @ model.weight_t[:i]
        logit = model.b[i] + torch.sigmoid(activation) @ model.v[i]
        total = total + F.logsigmoid((2 * x[:, i] - 1) * logit)
    return total


@pytest.mark.parametrize("n_dims, n_images, chunk_images", [(5, 3, 1), (20, 9, 2), (33, 7, 7), pytest.param(784, 3, 2, marks=pytest.mark.slow)])
def test_nade_log_prob_and_gradients_match_the_direct_computation(monkeypatch, n_dims, n_images, chunk_images):
    model = NADE(n_dims, n_hidden=4, init_scale=0.5, seed=1).double()
    # force the chunked path: a few images per chunk
    monkeypatch.setattr(nade_module, "_CHUNK_ELEMENTS", chunk_images * 16 * math.ceil(n_dims / 16) * 4)
    x = random_images(n_images, n_dims, seed=n_dims).double()
    fast = model.log_prob(x)
    direct = nade_direct_log_prob(model, x)
    assert torch.allclose(fast, direct, atol=1e-10)
    weights = torch.linspace(0.5, 1.5, n_images, dtype=torch.float64)  # an uneven loss
    fast_grads = torch.autograd.grad((weights * fast).sum(), list(model.parameters()))
    direct_grads = torch.autograd.grad((weights * direct).sum(), list(model.parameters()))
    for fast_grad, direct_grad in zip(fast_grads, direct_grads):
        assert torch.allclose(fast_grad, direct_grad, atol=1e-10)


def test_nade_conditionals_match_the_direct_computation():
    model = NADE(9, n_hidden=5, init_scale=1.0, seed=2).double()
    x = random_images(6, 9).double()
    direct = torch.stack(
        [torch.sigmoid(model.b[i] + torch.sigmoid(model.c + x[:, :i] @ model.weight_t[:i]) @ model.v[i]) for i in range(9)],
        dim=1,
    )
    assert torch.allclose(model.conditionals(x), direct, atol=1e-12)


def test_nade_incremental_sampler_equals_the_naive_sampler():
    model = NADE(12, n_hidden=8, init_scale=1.0, seed=3).double()
    fast = model.sample(50, generator=torch.Generator().manual_seed(11))
    naive = model.sample_naive(50, generator=torch.Generator().manual_seed(11))
    assert torch.equal(fast, naive)
    assert 0 < float(fast.mean()) < 1


def test_nade_parameter_count():
    assert NADE(10, n_hidden=7).n_parameters() == 2 * 10 * 7 + 10 + 7


# ---- MADE ----------------------------------------------------------------------------------
@pytest.mark.parametrize("direct", [False, True])
def test_made_outputs_depend_only_on_earlier_pixels(direct):
    model = MADE(7, hidden_sizes=(16, 16), n_orderings=3, direct=direct, seed=2)
    generator = torch.Generator().manual_seed(0)
    if direct:
        with torch.no_grad():
            model.direct_weight.normal_(generator=generator)
    x = torch.randn(1, 7, generator=generator)
    for k in range(3):
        position = torch.empty(7, dtype=torch.long)
        position[model.orders[k]] = torch.arange(7)
        jacobian = torch.autograd.functional.jacobian(lambda inputs: model.logits(inputs, k), x)[0, :, 0, :]
        forbidden = position[None, :] >= position[:, None]  # [i, j]: j is not before i
        assert torch.all(jacobian[forbidden] == 0)
        assert torch.count_nonzero(jacobian[~forbidden]) > 0


def test_made_orderings_are_permutations_and_the_first_is_raster():
    model = MADE(6, hidden_sizes=(8,), n_orderings=4, seed=5)
    assert torch.equal(model.order, torch.arange(6))
    for order in model.orders:
        assert sorted(order.tolist()) == list(range(6))
    assert len({tuple(order.tolist()) for order in model.orders}) > 1


def test_made_scores_the_mixture_in_training_and_in_eval_mode():
    model = MADE(5, hidden_sizes=(8,), n_orderings=4, seed=5)
    x = random_images(6, 5)
    mixture = torch.logsumexp(model.ordering_log_probs(x), dim=1) - math.log(4)
    for mode in (True, False, True):
        model.train(mode)
        assert torch.allclose(model.log_prob(x), mixture, atol=1e-6)


def test_made_trains_on_one_ordering_drawn_from_the_generator():
    model = MADE(5, hidden_sizes=(8,), n_orderings=4, seed=5)
    x = random_images(6, 5)
    per_ordering = model.ordering_log_probs(x)
    drawn = set()
    for seed in range(20):
        k = int(torch.randint(4, (), generator=torch.Generator().manual_seed(seed)))
        objective = model.training_log_prob(x, torch.Generator().manual_seed(seed))
        assert torch.allclose(objective, per_ordering[:, k])
        drawn.add(k)
    assert drawn == {0, 1, 2, 3}


def test_made_logit_averaging_is_not_normalised():
    model = MADE(5, hidden_sizes=(16,), n_orderings=3, direct=True, seed=4).eval()
    with torch.no_grad():
        for weight in model.weights:
            weight.mul_(4)
        model.direct_weight.normal_(std=2.0, generator=torch.Generator().manual_seed(0))
        x = all_images(5)
        proper = torch.exp(model.log_prob(x)).sum()
        averaged = torch.exp(model.log_prob_logit_average(x)).sum()
    assert abs(float(proper) - 1) < 1e-5
    assert abs(float(averaged) - 1) > 1e-2


def test_made_with_one_ordering_logit_average_is_the_model():
    model = MADE(5, hidden_sizes=(8,), seed=1).eval()
    x = all_images(5)
    assert torch.allclose(model.log_prob_logit_average(x), model.log_prob(x))


# ---- one interface -------------------------------------------------------------------------
@pytest.mark.parametrize("name", FACTORIES)
def test_log_prob_is_a_tensor_that_does_not_depend_on_the_mode(name):
    model = FACTORIES[name](6)
    x = random_images(7, 6)
    scores = {}
    for mode in (True, False):
        with torch.no_grad():
            scores[mode] = model.train(mode).log_prob(x)
        assert isinstance(scores[mode], torch.Tensor) and scores[mode].shape == (7,)
    assert torch.equal(scores[True], scores[False])


def test_every_model_declares_a_known_training_method():
    from mlebook.models.base import TRAINING_METHODS

    declared = {name: cls.training_method for name, cls in MODELS.items()}
    assert set(declared.values()) <= set(TRAINING_METHODS)
    assert declared["independent"] == "closed form" and declared["mixture"] == "em" and declared["nade"] == "gradient"


def test_a_training_method_must_be_known_and_backed_by_its_method():
    with pytest.raises(TypeError, match="must be one of"):
        type("Newton", (FVSBN,), {"training_method": "newton"})
    with pytest.raises(TypeError, match="does not define em_step"):
        type("NoEM", (FVSBN,), {"training_method": "em"})
    with pytest.raises(TypeError, match="does not define fit_closed_form"):
        type("NoClosedForm", (FVSBN,), {"training_method": "closed form"})


@pytest.mark.parametrize("name", FACTORIES)
def test_zero_images_give_empty_results(name):
    model = FACTORIES[name](6).eval()
    none = np.zeros((0, 6), np.uint8)
    assert model.sample(0).shape == (0, 6)
    assert model.complete(none, 3).shape == (0, 6)
    assert model.log_prob(none).shape == (0,)
    assert model.conditionals(none).shape == (0, 6)
    if isinstance(model, NADE):
        assert model.sample_naive(0).shape == (0, 6)


@pytest.mark.parametrize("name", FACTORIES)
def test_a_negative_number_of_samples_is_a_value_error(name):
    model = FACTORIES[name](6).eval()
    for n in (-1, 2.5, True):
        with pytest.raises(ValueError, match="number of images"):
            model.sample(n)


# ---- save and load -------------------------------------------------------------------------
@pytest.mark.parametrize("name", FACTORIES)
def test_save_load_round_trip(name, tmp_path):
    model = fit_a_little(FACTORIES[name](6), random_images(40, 6))
    path = tmp_path / "model.pt"
    model.save(path, extras={"history": [3.0, 2.0], "epochs": 2})
    loaded = load(path)
    assert type(loaded) is type(model) and not loaded.training
    assert loaded.config == model.config and loaded.extras == {"history": [3.0, 2.0], "epochs": 2}
    x = all_images(6)
    assert torch.equal(loaded.log_prob(x), model.log_prob(x))
    assert torch.equal(loaded.order, model.order)
    assert [p.name for p in tmp_path.iterdir()] == ["model.pt"]  # no temporary file left behind


def test_load_rejects_files_that_are_not_models(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a model")
    with pytest.raises(ValueError, match="notes.txt"):
        load(text)
    other = tmp_path / "other.pt"
    torch.save({"weights": torch.zeros(3)}, other)
    with pytest.raises(ValueError, match="not an mlebook model"):
        load(other)


@pytest.mark.parametrize("field, value, message", [("class", "Unknown", "unknown model class"), ("version", 99, "version 99")])
def test_load_rejects_tampered_files(tmp_path, field, value, message):
    path = tmp_path / "model.pt"
    IndependentBernoulli(4).save(path)
    payload = torch.load(path, weights_only=True)
    payload[field] = value
    torch.save(payload, path)
    with pytest.raises(ValueError, match=message) as error:
        load(path)
    assert "model.pt" in str(error.value)


# ---- input checks --------------------------------------------------------------------------
BAD_INPUTS = {
    "too many pixels": (np.zeros((2, 5)), "pixels"),
    "one dimension": (np.zeros(4), "shape"),
    "three dimensions": (np.zeros((2, 2, 4)), "shape"),
    "value 2": (np.full((2, 4), 2), "0 and 1"),
    "value 0.5": (torch.full((2, 4), 0.5), "0 and 1"),
    "nan": (torch.full((2, 4), float("nan")), "0 and 1"),
    "strings": (np.array([["a"] * 4]), "numeric"),
}


@pytest.mark.parametrize("name", FACTORIES)
@pytest.mark.parametrize("bad", BAD_INPUTS)
def test_bad_images_raise_value_error(name, bad):
    model = FACTORIES[name](4)
    x, message = BAD_INPUTS[bad]
    with pytest.raises(ValueError, match=message):
        model.log_prob(x)
    with pytest.raises(ValueError, match=message):
        model.conditionals(x)


@pytest.mark.parametrize("dtype", [np.uint8, np.int64, np.float32, bool])
def test_numpy_and_integer_images_are_accepted(dtype):
    model = FVSBN(4, init_scale=1.0)
    x = random_images(3, 4)
    assert torch.allclose(model.log_prob(x.numpy().astype(dtype)), model.log_prob(x))


def test_bad_constructor_arguments_raise_value_error():
    for make in (
        lambda: IndependentBernoulli(0),
        lambda: IndependentBernoulli(3, alpha=-1),
        lambda: MixtureOfBernoullis(3, n_components=0),
        lambda: MixtureOfBernoullis(3, alpha=0),
        lambda: NADE(3, n_hidden=0),
        lambda: MADE(3, hidden_sizes=()),
        lambda: MADE(3, n_orderings=0),
        lambda: ContextNADE(5),  # not a square: needs image_width
        lambda: ContextNADE(4, image_width=0),
        lambda: ContextNADE(4, context_rows=0, context_columns=0),
        lambda: ContextNADE(4, context_units=0),
        lambda: ContextNADE(4, dropout=1.0),
    ):
        with pytest.raises(ValueError):
            make()
