"""Tests for mlebook.chapters.counting: exact counts, coverage, the lookup-table model, patches, parameters."""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from mlebook.chapters import counting


# --- the size of the space -------------------------------------------------------------

def test_n_images_matches_enumeration():
    for n_pixels, n_levels in [(1, 2), (4, 2), (3, 3), (2, 5)]:
        enumerated = sum(1 for _ in itertools.product(range(n_levels), repeat=n_pixels))
        assert counting.n_images(n_pixels, n_levels) == enumerated


def test_digits_of_2_to_784_match_logarithm():
    size = counting.n_images(784)
    assert size.bit_length() == 785  # 1 followed by 784 zeros in binary
    assert counting.n_digits(size) == math.floor(784 * math.log10(2)) + 1 == 237


@pytest.mark.parametrize("k", [0, 1, 5, 236, 300])
def test_scientific_exact_powers_of_ten_and_their_neighbours(k):
    assert counting.scientific(10**k) == (1.0, k)
    assert counting.scientific(Fraction(1, 10**k)) == (1.0, -k)
    if k > 0:
        # the exponent is exact; the float mantissa may round up to 10.0 for huge k
        mantissa, exponent = counting.scientific(10**k - 1)
        assert exponent == k - 1 and 9.0 <= mantissa <= 10.0
        mantissa, exponent = counting.scientific(Fraction(10**k - 1, 10 ** (2 * k)))
        assert exponent == -k - 1 and 9.0 <= mantissa <= 10.0


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 10**15), st.integers(1, 10**15))
def test_scientific_agrees_with_float_logarithm(numerator, denominator):
    value = Fraction(numerator, denominator)
    mantissa, exponent = counting.scientific(value)
    assert 1.0 <= mantissa < 10.0
    assert mantissa * 10.0**exponent == pytest.approx(numerator / denominator, rel=1e-12)


def test_scientific_of_2_to_784():
    mantissa, exponent = counting.scientific(2**784)
    log10 = 784 * math.log10(2)
    assert exponent == math.floor(log10) == 236
    assert mantissa == pytest.approx(10 ** (log10 - exponent), rel=1e-9)


@pytest.mark.parametrize("base, power", [(Fraction(3, 2), 10_000), (Fraction(2, 3), 10_000), (Fraction(1_891_136_770_814_847, 10**15), 764)])
def test_scientific_of_fractions_with_thousands_of_digits(base, power):
    """Fractions whose numerator and denominator are too long for str(): the exponent still exact."""
    mantissa, exponent = counting.scientific(base**power)
    log10 = power * math.log10(base.numerator / base.denominator)
    assert exponent == math.floor(log10)
    assert mantissa == pytest.approx(10 ** (log10 - exponent), rel=1e-9)


def test_format_scientific():
    assert counting.format_scientific(2**784) == "1.0 \u00d7 10\u00b2\u00b3\u2076"
    assert counting.format_scientific(Fraction(10**7, 2**784), digits=2) == "9.83 \u00d7 10\u207b\u00b2\u00b3\u2070"
    assert counting.format_scientific(9_960, digits=1) == "1.0 \u00d7 10\u2074"  # 9.96 rounds up to 10.0
    assert counting.format_scientific(1) == "1.0 \u00d7 10\u2070"


def test_scientific_rejects_non_positive():
    with pytest.raises(ValueError, match="positive"):
        counting.scientific(0)


def test_coverage_on_hand_made_cases():
    assert counting.coverage(3, 2) == Fraction(3, 4)
    assert counting.coverage(10, 2) == 1  # more examples than images
    assert counting.coverage(0, 5) == 0
    assert counting.coverage(10**7, 784) == Fraction(10**7, 2**784)
    with pytest.raises(ValueError, match="n_examples"):
        counting.coverage(-1, 3)


# --- the empirical distribution ------------------------------------------------------------

def test_empirical_distribution_on_hand_made_data():
    a, b, c = [0, 1, 1, 0], [1, 1, 1, 1], [0, 0, 0, 1]
    model = counting.EmpiricalDistribution().fit(np.array([a, a, b], dtype=np.uint8))
    log_p = model.log_prob(np.array([a, b, c]))
    assert log_p[0] == pytest.approx(math.log(2 / 3))
    assert log_p[1] == pytest.approx(math.log(1 / 3))
    assert log_p[2] == -np.inf
    assert model.n_distinct == 2


def test_empirical_distribution_sums_to_one_over_all_images():
    rng = np.random.default_rng(0)
    train = (rng.random((50, 5)) < 0.3).astype(np.uint8)
    log_p = counting.EmpiricalDistribution().fit(train).log_prob(counting.binary_images(5))
    assert np.exp(log_p).sum() == pytest.approx(1.0)
    # brute force: the probability of each image is its share of the training rows
    for image, lp in zip(counting.binary_images(5), log_p):
        share = np.mean((train == image).all(axis=1))
        assert np.exp(lp) == pytest.approx(share)


def test_empirical_distribution_errors():
    model = counting.EmpiricalDistribution()
    with pytest.raises(ValueError, match="fit"):
        model.log_prob(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="0 and 1"):
        model.fit(np.array([[0, 2]]))
    with pytest.raises(ValueError, match="pixels"):
        model.fit(np.zeros((2, 3))).log_prob(np.zeros((1, 4)))


def test_count_exact_matches():
    train = np.array([[0, 0, 1], [1, 1, 0], [1, 1, 0]])
    test = np.array([[1, 1, 0], [1, 1, 1], [0, 0, 1], [0, 0, 0]])
    assert counting.count_exact_matches(train, test) == 2


def test_nearest_hamming_matches_loop():
    rng = np.random.default_rng(1)
    queries = (rng.random((13, 20)) < 0.4).astype(np.uint8)
    references = (rng.random((7, 20)) < 0.4).astype(np.uint8)
    all_distances = np.array([[int((q != r).sum()) for r in references] for q in queries])
    distances, indices = counting.nearest_hamming(queries, references, chunk_size=4)
    np.testing.assert_array_equal(distances, all_distances.min(axis=1))
    np.testing.assert_array_equal(indices, all_distances.argmin(axis=1))
    distances, indices = counting.nearest_hamming(references, references)
    assert (distances == 0).all() and (indices == np.arange(7)).all()
    with pytest.raises(ValueError, match="pixels"):
        counting.nearest_hamming(queries, references[:, :10])


# --- patches -------------------------------------------------------------------------------

def naive_patch_codes(image, side, k):
    grid = image.reshape(side, side)
    codes = []
    for r in range(side - k + 1):
        for c in range(side - k + 1):
            bits = [int(grid[r + j // k, c + j % k]) for j in range(k * k)]
            codes.append(sum(bit << j for j, bit in enumerate(bits)))
    return codes


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_patch_codes_match_naive_loop(k):
    rng = np.random.default_rng(k)
    images = (rng.random((3, 25)) < 0.5).astype(np.uint8)
    codes = counting.patch_codes(images, k)
    assert codes.shape == (3, (5 - k + 1) ** 2)
    for image, row in zip(images, codes):
        assert [int(c) for c in row] == naive_patch_codes(image, 5, k)


def test_patch_codes_handle_64_bit_patches():
    images = np.ones((1, 64), dtype=np.uint8)
    assert int(counting.patch_codes(images, 8)[0, 0]) == 2**64 - 1


def test_patch_statistics_on_hand_made_data():
    train = np.zeros((1, 9), dtype=np.uint8)  # a blank 3 x 3 image: only the blank patch is seen
    test = np.zeros((1, 9), dtype=np.uint8)
    test[0, 0] = 1  # top-left pixel on: of the four 2 x 2 patches only the top-left one contains it
    stats = counting.patch_statistics(train, test, 2)
    assert stats.n_possible == 16 and stats.n_seen == 1
    assert stats.unseen_share == pytest.approx(1 / 4)
    assert stats.unseen_share_nonblank == pytest.approx(1.0)


def test_patch_statistics_match_python_sets():
    rng = np.random.default_rng(2)
    train = (rng.random((20, 36)) < 0.3).astype(np.uint8)
    test = (rng.random((10, 36)) < 0.3).astype(np.uint8)
    for k in (2, 3, 4):
        seen = {c for image in train for c in naive_patch_codes(image, 6, k)}
        test_codes = [c for image in test for c in naive_patch_codes(image, 6, k)]
        stats = counting.patch_statistics(train, test, k)
        assert stats.n_seen == len(seen)
        assert stats.unseen_share == pytest.approx(np.mean([c not in seen for c in test_codes]))


@pytest.mark.parametrize("k", [1, 2, 3])
def test_pattern_counts_match_a_python_counter(k):
    from collections import Counter

    rng = np.random.default_rng(10 + k)
    images = (rng.random((6, 36)) < 0.4).astype(np.uint8)
    expected = Counter(c for image in images for c in naive_patch_codes(image, 6, k))
    counts = counting.pattern_counts(images, k)
    assert counts.shape == (2 ** (k * k),) and counts.sum() == 6 * (6 - k + 1) ** 2
    assert {j: int(c) for j, c in enumerate(counts) if c} == dict(expected)


def test_pattern_counts_agree_with_patch_statistics():
    rng = np.random.default_rng(3)
    train = (rng.random((5, 36)) < 0.3).astype(np.uint8)
    test = (rng.random((8, 36)) < 0.3).astype(np.uint8)
    seen, tested = counting.pattern_counts(train, 3), counting.pattern_counts(test, 3)
    stats = counting.patch_statistics(train, test, 3)
    assert stats.n_seen == np.count_nonzero(seen)
    assert stats.unseen_share == pytest.approx(tested[seen == 0].sum() / tested.sum())
    with pytest.raises(ValueError, match="k <= 4"):
        counting.pattern_counts(np.zeros((1, 36)), 5)


def test_patch_codes_errors():
    with pytest.raises(ValueError, match="square"):
        counting.patch_codes(np.zeros((1, 10)), 2)
    with pytest.raises(ValueError, match="k"):
        counting.patch_codes(np.zeros((1, 81)), 9)  # 81 bits do not fit in 64
    with pytest.raises(ValueError, match="shape"):
        counting.patch_codes(np.zeros(9), 2)


# --- parameter counts ----------------------------------------------------------------------

def test_full_table_parameters_count_free_table_entries():
    # the table has one entry per image; all but one are free because they sum to one
    for n_dims in range(1, 8):
        assert counting.full_table_parameters(n_dims) == len(counting.binary_images(n_dims)) - 1
    assert counting.full_table_parameters(784) == 2**784 - 1


def test_fvsbn_formula_counts_bias_and_earlier_weights():
    for n_dims in (1, 2, 10, 784):
        assert counting.fvsbn_parameters(n_dims) == sum(1 + (i - 1) for i in range(1, n_dims + 1))


def test_formulas_match_model_classes():
    from mlebook.models import FVSBN, IndependentBernoulli

    for n_dims in (1, 7, 784):
        assert counting.independent_parameters(n_dims) == IndependentBernoulli(n_dims).n_parameters()
        assert counting.fvsbn_parameters(n_dims) == FVSBN(n_dims).n_parameters()


def test_nade_formula_matches_model_class():
    from mlebook.models import NADE

    for n_dims, n_hidden in [(5, 3), (784, 50)]:
        assert counting.nade_parameters(n_dims, n_hidden) == NADE(n_dims, n_hidden).n_parameters()


# --- enumeration and brute-force normalisation ------------------------------------------------

def test_binary_images_enumerate_every_image_once_in_index_order():
    images = counting.binary_images(4)
    assert images.shape == (16, 4)
    assert len({tuple(row) for row in images}) == 16
    np.testing.assert_array_equal(counting.image_index(images), np.arange(16))
    np.testing.assert_array_equal(images[6], [0, 1, 1, 0])  # 6 = 2 + 4: pixels 1 and 2
    np.testing.assert_array_equal(counting.binary_images(4, 3, 6), images[3:6])


def test_log_normaliser_of_independent_pixels_is_closed_form():
    biases = np.array([0.5, -1.0, 2.0, 0.0, -0.3])
    closed_form = np.log1p(np.exp(biases)).sum()  # Z = prod_i (1 + e^{b_i})
    for chunk_size in (1, 7, 2**16):
        log_z = counting.log_normaliser(lambda x: x @ biases, 5, chunk_size=chunk_size)
        assert log_z == pytest.approx(closed_form)


def test_log_normaliser_of_pairwise_model_matches_loop():
    rng = np.random.default_rng(3)
    weights, biases = rng.normal(size=(6, 6)), rng.normal(size=6)
    f = counting.pairwise_log_potential(weights, biases)
    total = 0.0
    for bits in itertools.product((0, 1), repeat=6):
        energy = sum(biases[i] * bits[i] for i in range(6))
        energy += sum(weights[i, j] * bits[i] * bits[j] for i in range(6) for j in range(i + 1, 6))
        total += math.exp(energy)
    assert counting.log_normaliser(f, 6, chunk_size=10) == pytest.approx(math.log(total))


def test_log_normaliser_normalises_a_torch_model():
    from mlebook.models import FVSBN

    model = FVSBN(8, init_scale=1.0, seed=4)
    with torch.no_grad():
        log_z = counting.log_normaliser(lambda x: model.log_prob(x).numpy(), 8)
    assert log_z == pytest.approx(0.0, abs=1e-5)
