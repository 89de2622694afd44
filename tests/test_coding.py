"""Tests for mlebook.coding: Huffman codes, the arithmetic coder, image compression, baselines.

References are independent of the code under test: scipy's entropy, an exhaustive search over
codeword lengths allowed by Kraft's inequality, the constriction library's range coder,
Python's own gzip/bz2/lzma decompressors, Pillow's PNG reader and jbigkit's decoder.
"""

from __future__ import annotations

import bz2
import gzip
import inspect
import io
import itertools
import lzma
import math
import re
import subprocess

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import entropy

from mlebook.coding import (
    ArithmeticEncoder,
    HuffmanCode,
    block_distribution,
    compress_images,
    decode,
    decoder,
    decompress_images,
    encode,
    from_blocks,
    huffman_code,
    compression_report,
    ideal_code_length,
    quantized_code_length,
    to_blocks,
    walk_code_length,
    walk_probabilities,
)
from mlebook.coding import baselines
from mlebook.data import load_binarized_mnist, tile
from mlebook.models import FVSBN


def random_distribution(rng, k, concentration=1.0):
    return rng.dirichlet(np.full(k, concentration))


distributions = st.integers(1, 12).flatmap(
    lambda k: st.lists(st.floats(0.0, 1.0), min_size=k, max_size=k).filter(lambda w: sum(w) > 1e-3)
).map(lambda w: np.array(w) / np.sum(w))


# ---- Huffman ----------------------------------------------------------------------------------


def merge_cost(probs):
    """Expected Huffman length computed independently: the sum of all merged probabilities."""
    weights, total = sorted(probs), 0.0
    while len(weights) > 1:
        merged = weights[0] + weights[1]
        total += merged
        weights = sorted(weights[2:] + [merged])
    return total


def best_prefix_code_length(probs):
    """Minimum of sum p_s l_s over all length vectors with sum 2^-l_s <= 1 (Kraft: a prefix code exists)."""
    k = len(probs)
    lengths = np.array(list(itertools.product(range(1, k), repeat=k)))
    feasible = (2.0 ** -lengths).sum(axis=1) <= 1 + 1e-12
    return float((lengths[feasible] @ probs).min())


@settings(max_examples=60, deadline=None)
@given(distributions)
def test_huffman_code_is_prefix_free_and_complete(probs):
    words = huffman_code(probs)
    assert len(words) == len(probs)
    assert all(set(w) <= {"0", "1"} and w for w in words)
    for a, b in itertools.permutations(words, 2):
        assert not b.startswith(a)
    if len(words) > 1:  # a full binary tree: Kraft's sum is exactly 1
        assert sum(2.0 ** -len(w) for w in words) == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(distributions)
def test_huffman_expected_length_is_the_merge_cost_and_within_one_bit_of_entropy(probs):
    code = HuffmanCode(probs)
    h = entropy(probs, base=2)
    if len(probs) > 1:
        assert code.expected_length() == pytest.approx(merge_cost(list(probs)), abs=1e-9)
        assert h - 1e-9 <= code.expected_length() <= h + 1
        if probs.max() < 1:
            assert code.expected_length() < h + 1
    else:
        assert code.expected_length() == 1.0


@pytest.mark.parametrize("k", [2, 3, 4, 5, 6])
def test_huffman_is_optimal_against_exhaustive_search(k):
    rng = np.random.default_rng(k)
    for _ in range(5):
        probs = random_distribution(rng, k, concentration=0.5)
        assert HuffmanCode(probs).expected_length() == pytest.approx(best_prefix_code_length(probs), abs=1e-12)


def test_huffman_known_code_and_conventions():
    assert huffman_code([0.5, 0.25, 0.25]) == ["0", "10", "11"]
    assert huffman_code([1.0]) == ["0"]
    assert huffman_code([0.25] * 4) == huffman_code([0.25] * 4) == ["00", "01", "10", "11"]
    words = huffman_code([0.5, 0.0, 0.5])  # a zero-probability symbol keeps the longest codeword
    assert len(words[1]) == max(len(w) for w in words)
    assert HuffmanCode([0.5, 0.0, 0.5]).expected_length() == pytest.approx(merge_cost([0.5, 0.0, 0.5]))


def test_huffman_encode_decode_round_trip_and_length():
    rng = np.random.default_rng(0)
    probs = random_distribution(rng, 7)
    code = HuffmanCode(probs)
    symbols = rng.choice(7, size=2_000, p=probs)
    bits = code.encode(symbols)
    assert len(bits) == code.code_length(symbols) == sum(len(code.codewords[s]) for s in symbols)
    np.testing.assert_array_equal(code.decode(bits), symbols)
    # the average length of a long sample approaches the expected length
    assert len(bits) / len(symbols) == pytest.approx(code.expected_length(), rel=0.05)


def test_huffman_expected_length_under_another_distribution():
    code = HuffmanCode([0.7, 0.2, 0.1])  # codeword lengths 1, 2, 2
    assert code.expected_length([0.1, 0.2, 0.7]) == pytest.approx(0.1 * 1 + 0.2 * 2 + 0.7 * 2)


@pytest.mark.parametrize(
    "probs, message",
    [([0.5, 0.6], "sum to 1"), ([1.2, -0.2], "non-negative"), ([np.nan, 1.0], "NaN"), ([[0.5, 0.5]], "shape"), ([], "shape")],
)
def test_huffman_rejects_bad_distributions(probs, message):
    with pytest.raises(ValueError, match=message):
        huffman_code(probs)


def test_huffman_rejects_bad_symbols_and_bits():
    code = HuffmanCode([0.5, 0.25, 0.25])
    with pytest.raises(ValueError, match="outside"):
        code.encode([0, 3])
    with pytest.raises(ValueError, match="middle of a codeword"):
        code.decode("01")
    with pytest.raises(ValueError, match="'0' and '1'"):
        code.decode("0a")


def constriction_codeword_lengths(probs):
    """Each symbol's codeword length in constriction's Huffman code, an independent implementation."""
    import constriction

    tree = constriction.symbol.huffman.EncoderHuffmanTree(np.asarray(probs, dtype=np.float64))
    lengths = []
    for symbol in range(len(probs)):
        encoder = constriction.symbol.QueueEncoder()
        encoder.encode_symbol(symbol, tree)
        lengths.append(encoder.get_compressed_and_bitrate()[1])
    return np.array(lengths)


@pytest.mark.parametrize("k", [2, 3, 5, 8, 17, 40])
def test_huffman_matches_constrictions_huffman_code(k):
    """Distinct random probabilities leave Huffman's merges no ties, so the optimal code lengths are unique."""
    rng = np.random.default_rng(k)
    for concentration in (0.2, 1.0, 5.0):
        probs = random_distribution(rng, k, concentration)
        code = HuffmanCode(probs)
        np.testing.assert_array_equal(code.lengths, constriction_codeword_lengths(probs))
        symbols = rng.choice(k, size=300, p=probs)
        np.testing.assert_array_equal(code.decode(code.encode(symbols)), symbols)


def test_huffman_expected_length_matches_constriction_with_ties_and_zeros():
    """With ties optimal codes differ in their lengths but not in their expected length."""
    for probs in ([0.25] * 4, [0.5, 0.0, 0.5], [0.4, 0.2, 0.2, 0.1, 0.1], [0.3, 0.3, 0.2, 0.1, 0.1, 0.0]):
        assert HuffmanCode(probs).expected_length() == pytest.approx(float(np.dot(probs, constriction_codeword_lengths(probs))))


def test_blocks_of_large_alphabets_raise_instead_of_overflowing():
    big = 2**31
    symbols = np.array([big - 1] * 2)
    assert to_blocks(symbols, big, 2)[0] == (big - 1) * big + big - 1  # k^2 fits in int64
    np.testing.assert_array_equal(from_blocks(to_blocks(symbols, big, 2), big, 2), symbols)
    with pytest.raises(ValueError, match="64-bit"):
        to_blocks([1, 2, 3], big, 3)  # 2^93 block indices: int64 arithmetic would wrap around
    with pytest.raises(ValueError, match="64-bit"):
        from_blocks([1], 256, 8)  # 2^64 blocks
    assert to_blocks([255] * 7, 256, 7)[0] == 2**56 - 1
    with pytest.raises(ValueError, match="n_symbols"):
        to_blocks([0, 0], 0, 2)


def test_block_distribution_is_the_product_distribution():
    probs = np.array([0.6, 0.3, 0.1])
    joint = block_distribution(probs, 3)
    for index, (a, b, c) in enumerate(itertools.product(range(3), repeat=3)):
        assert joint[index] == pytest.approx(probs[a] * probs[b] * probs[c])
    assert joint.sum() == pytest.approx(1.0)


def test_blocks_round_trip_and_index_like_the_joint():
    rng = np.random.default_rng(1)
    symbols = rng.integers(0, 3, size=12)
    blocks = to_blocks(symbols, 3, 2)
    assert blocks[0] == symbols[0] * 3 + symbols[1]
    np.testing.assert_array_equal(from_blocks(blocks, 3, 2), symbols)
    with pytest.raises(ValueError, match="multiple of 5"):
        to_blocks(symbols, 3, 5)
    with pytest.raises(ValueError, match="block_size"):
        block_distribution([0.5, 0.5], 0)


@pytest.mark.parametrize("block_size", [1, 2, 3, 4, 6])
def test_block_huffman_overhead_is_below_one_bit_per_block(block_size):
    probs = np.array([0.9, 0.1])
    h = entropy(probs, base=2)
    per_symbol = HuffmanCode(block_distribution(probs, block_size)).expected_length() / block_size
    assert h <= per_symbol < h + 1 / block_size


# ---- arithmetic coding ------------------------------------------------------------------------


def random_message(rng, n, k, concentration=1.0):
    probs = rng.dirichlet(np.full(k, concentration), size=n)
    symbols = (probs.cumsum(axis=1) > rng.random((n, 1))).argmax(axis=1)
    symbols = np.minimum(symbols, k - 1)
    positive = probs[np.arange(n), symbols] > 0
    return symbols[positive], probs[positive]


def ideal_bits(symbols, probs):
    return float(-np.log2(probs[np.arange(len(symbols)), symbols]).sum())


@pytest.mark.parametrize("k, concentration", [(2, 0.3), (2, 5.0), (3, 1.0), (10, 0.5), (256, 1.0)])
def test_arithmetic_round_trip_and_length_bound(k, concentration):
    rng = np.random.default_rng(k)
    symbols, probs = random_message(rng, 3_000, k, concentration)
    encoder = ArithmeticEncoder()
    encoder.encode(symbols, probs)
    data = encoder.finish()
    ideal = ideal_bits(symbols, probs)
    assert encoder.n_bits <= ideal + 2 + 1e-3 * ideal
    assert len(data) == math.ceil(encoder.n_bits / 8)
    assert data == encode(symbols, probs)
    np.testing.assert_array_equal(decode(data, probs), symbols)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 400), st.integers(1, 6), st.floats(0.05, 5.0), st.integers(0, 2**32 - 1))
def test_arithmetic_round_trip_property(n, k, concentration, seed):
    symbols, probs = random_message(np.random.default_rng(seed), n, k, concentration)
    data = encode(symbols, probs)
    np.testing.assert_array_equal(decode(data, probs), symbols)
    assert 8 * len(data) <= quantized_code_length(symbols, probs) + 2 + 7 + 1e-6 * n


def test_arithmetic_code_length_tracks_the_quantised_ideal_from_both_sides():
    rng = np.random.default_rng(3)
    symbols, probs = random_message(rng, 20_000, 4)
    encoder = ArithmeticEncoder()
    encoder.encode(symbols, probs)
    encoder.finish()
    quantized = quantized_code_length(symbols, probs)
    assert quantized - 1 <= encoder.n_bits <= quantized + 2 + 1e-6 * len(symbols)
    assert quantized == pytest.approx(ideal_bits(symbols, probs), rel=1e-6)


def test_arithmetic_extreme_probabilities():
    # near-certain symbols, a tiny but coded probability, a one-symbol alphabet
    probs = np.array([[1 - 1e-12, 1e-12]] * 500 + [[1e-300, 1 - 1e-300]])
    symbols = np.array([0] * 499 + [1, 1])
    np.testing.assert_array_equal(decode(encode(symbols, probs), probs), symbols)
    one = np.ones((50, 1))
    assert len(encode(np.zeros(50, dtype=int), one)) <= 1
    np.testing.assert_array_equal(decode(encode(np.zeros(50, dtype=int), one), one), np.zeros(50))
    assert decode(encode([], np.zeros((0, 3))), np.zeros((0, 3))).shape == (0,)


def test_streaming_decoder_matches_batch_decoding():
    rng = np.random.default_rng(4)
    symbols, probs = random_message(rng, 300, 5)
    data = encode(symbols, probs)
    for backend in ("python", "constriction"):
        stream = decoder(encode(symbols, probs, backend=backend), backend)
        one_by_one = [stream.decode_next(probs[i]) for i in range(100)]
        rest = stream.decode_next(probs[100:])
        np.testing.assert_array_equal(np.concatenate([one_by_one, rest]), symbols)
    assert isinstance(decoder(data).decode_next(probs[0]), int)


@pytest.mark.parametrize("n, k, concentration", [(5_000, 8, 1.0), (3_000, 2, 0.2), (2_000, 50, 0.5), (1, 3, 1.0)])
def test_python_coder_agrees_with_constriction(n, k, concentration):
    rng = np.random.default_rng(k)
    symbols, probs = random_message(rng, n, k, concentration)
    ours, theirs = encode(symbols, probs), encode(symbols, probs, backend="constriction")
    np.testing.assert_array_equal(decode(ours, probs), symbols)
    np.testing.assert_array_equal(decode(theirs, probs, backend="constriction"), symbols)
    # two independent coders both land within a few words of the ideal length, so of each other
    ideal = ideal_bits(symbols, probs)
    assert abs(8 * len(ours) - ideal) <= 16
    assert abs(8 * len(theirs) - ideal) <= 64 + 1e-3 * ideal
    assert abs(8 * len(ours) - 8 * len(theirs)) <= 80 + 1e-3 * ideal


@pytest.mark.parametrize(
    "symbols, probs, message",
    [
        ([0, 2], [[0.5, 0.5], [0.5, 0.5]], "outside"),
        ([0, -1], [[0.5, 0.5], [0.5, 0.5]], "outside"),
        ([0, 1], [[0.5, 0.5], [1.0, 0.0]], "probability zero"),
        ([0, 1], [[0.5, 0.5], [1.5, -0.5]], "non-negative"),
        ([0, 1], [[0.5, 0.5], [np.nan, 0.5]], "NaN"),
        ([0, 1], [[0.5, 0.5], [0.5, 0.6]], "sum to 1"),
        ([0, 1], [0.5, 0.5], "shape"),
        ([0, 1], [[0.5, 0.5]], "one row per symbol"),
        ([[0, 1]], [[0.5, 0.5], [0.5, 0.5]], "one-dimensional"),
        ([0.5, 1], [[0.5, 0.5], [0.5, 0.5]], "integers"),
    ],
)
def test_arithmetic_rejects_bad_input(symbols, probs, message):
    with pytest.raises(ValueError, match=message):
        encode(symbols, probs)


def test_unknown_backend_and_finished_encoder():
    with pytest.raises(ValueError, match="backend"):
        encode([0], [[1.0]], backend="zip")
    encoder = ArithmeticEncoder()
    encoder.finish()
    with pytest.raises(ValueError, match="finished"):
        encoder.encode([0], [[1.0]])


# ---- image compression ------------------------------------------------------------------------


class MarkovChainModel(torch.nn.Module):
    """A stand-in model with the mlebook interface: each pixel depends on the one before it in ``order``.

    p(x_{o_t} = 1 | x_{o_{t-1}} = v) = theta[t, v], fitted by add-one counts on training images.
    """

    def __init__(self, x_train, order):
        super().__init__()
        x = torch.as_tensor(np.asarray(x_train), dtype=torch.float32)
        self.n_dims = x.shape[1]
        self._order = torch.as_tensor(order, dtype=torch.long)
        ordered = x[:, self._order]
        previous = torch.cat([torch.zeros(len(x), 1), ordered[:, :-1]], dim=1)
        ones_given = torch.stack([((previous == v) * ordered).sum(0) for v in (0, 1)], dim=1)
        seen_given = torch.stack([(previous == v).sum(0) for v in (0, 1)], dim=1)
        self.theta = (ones_given + 1) / (seen_given + 2)  # (D, 2), step-indexed

    @property
    def order(self):
        return self._order

    def conditionals(self, x):
        x = torch.as_tensor(np.asarray(x), dtype=torch.float32)
        ordered = x[:, self._order]
        previous = torch.cat([torch.zeros(len(x), 1), ordered[:, :-1]], dim=1).long()
        p_steps = self.theta[torch.arange(self.n_dims), previous]
        p = torch.empty_like(x)
        p[:, self._order] = p_steps
        return p

    def log_prob(self, x):
        x = torch.as_tensor(np.asarray(x), dtype=torch.float32)
        p = self.conditionals(x)
        return (x * torch.log(p) + (1 - x) * torch.log1p(-p)).sum(1)

    def sequential(self, n, choose):
        x = torch.zeros(n, self.n_dims)
        previous = torch.zeros(n, dtype=torch.long)
        for t, i in enumerate(self._order.tolist()):
            bits = torch.as_tensor(choose(i, self.theta[t, previous])).float()
            x[:, i] = bits
            previous = bits.long()
        return x


@pytest.fixture(scope="module")
def digits():
    return load_binarized_mnist()


@pytest.fixture(scope="module")
def raster_chain(digits):
    return MarkovChainModel(digits.train, np.arange(digits.n_dims))


@pytest.mark.parametrize("backend", ["python", "constriction"])
def test_image_round_trip_with_a_permuted_order(digits, backend):
    order = np.random.default_rng(0).permutation(digits.n_dims)
    model = MarkovChainModel(digits.train, order)
    x = digits.test[:40]
    blob = compress_images(model, x, backend=backend)
    decoded = decompress_images(model, blob)
    assert decoded.dtype == np.uint8
    np.testing.assert_array_equal(decoded, x)


def test_walk_probabilities_follow_the_order_and_the_conditionals(digits):
    order = np.random.default_rng(1).permutation(digits.n_dims)
    model = MarkovChainModel(digits.train, order)
    x = digits.test[:5]
    pixels, p_one = walk_probabilities(model, x)
    np.testing.assert_array_equal(pixels, order)
    np.testing.assert_allclose(p_one.T, model.conditionals(x).numpy()[:, order], rtol=1e-6)


def test_coded_size_is_within_one_percent_of_the_ideal(digits, raster_chain):
    x = digits.test[:100]
    ideal = ideal_code_length(raster_chain, x).sum()
    bits = 8 * len(compress_images(raster_chain, x))
    assert ideal <= bits <= 1.01 * ideal


def test_report_measures_the_walk_and_the_model_likelihood(digits, raster_chain):
    x = digits.test[:100]
    pixels, p_one = walk_probabilities(raster_chain, x)
    np.testing.assert_allclose(walk_code_length(x, pixels, p_one), ideal_code_length(raster_chain, x), rtol=1e-5)
    report = compression_report(raster_chain, x)
    assert report.bits_per_image == 8 * len(compress_images(raster_chain, x)) / 100
    assert report.walk_bits_per_image == pytest.approx(report.nll_bits_per_image, rel=1e-5)
    assert 0 <= report.overhead < 0.01
    with pytest.raises(ValueError, match="at least one image"):
        compression_report(raster_chain, x[:0])


def test_coding_restores_the_torch_thread_setting(digits, raster_chain):
    before = torch.get_num_threads()
    decompress_images(raster_chain, compress_images(raster_chain, digits.test[:2]))
    assert torch.get_num_threads() == before


def test_ideal_code_length_sums_to_one_over_all_images_of_a_small_model():
    rng = np.random.default_rng(2)
    model = MarkovChainModel(rng.integers(0, 2, size=(30, 5)), rng.permutation(5))
    everything = np.array(list(itertools.product([0, 1], repeat=5)))
    assert np.sum(2.0 ** -ideal_code_length(model, everything)) == pytest.approx(1.0, rel=1e-5)
    np.testing.assert_array_equal(decompress_images(model, compress_images(model, everything)), everything)


def test_image_compression_rejects_bad_input(digits, raster_chain):
    with pytest.raises(ValueError, match="shape"):
        compress_images(raster_chain, digits.test[:3, :100])
    with pytest.raises(ValueError, match="0 and 1"):
        compress_images(raster_chain, 2 * digits.test[:3])
    with pytest.raises(ValueError, match="not an mlebook image code"):
        decompress_images(raster_chain, b"\x00\x01")
    small = MarkovChainModel(digits.train[:, :10], np.arange(10))
    with pytest.raises(ValueError, match="pixels"):
        decompress_images(small, compress_images(raster_chain, digits.test[:2]))
    with pytest.raises(ValueError, match="header"):
        decompress_images(raster_chain, compress_images(raster_chain, digits.test[:2])[:1])


def saturated_model(logit: float) -> FVSBN:
    """Every pixel has the same logit and ignores the others: logit 20 rounds to p = 1 in float32."""
    model = FVSBN(16).eval()
    with torch.no_grad():
        model.weight.zero_()
        model.bias.fill_(logit)
    return model


@pytest.mark.parametrize("backend", ["python", "constriction"])
@pytest.mark.parametrize("logit", [20.0, -20.0, 40.0, -40.0])
def test_saturated_conditionals_code_with_finite_lengths_and_no_negative_overhead(backend, logit):
    model = saturated_model(logit)
    likely = int(logit > 0)
    x = np.full((5, 16), likely, np.uint8)
    x[np.arange(5), [0, 3, 3, 9, 15]] = 1 - likely  # one pixel per image the model calls (nearly) impossible
    x[4, 10] = 1 - likely
    pixels, p_one = walk_probabilities(model, x, backend)
    lengths = walk_code_length(x, pixels, p_one)
    assert np.isfinite(lengths).all() and (lengths > 0).all()
    report = compression_report(model, x, backend=backend)  # raises unless the round trip is exact
    assert np.isfinite(report.walk_bits_per_image) and report.overhead >= 0
    np.testing.assert_array_equal(decompress_images(model, compress_images(model, x, backend)), x)


def test_a_header_claiming_more_images_than_the_code_can_hold_is_rejected(digits, raster_chain):
    from mlebook.coding.images import _write_varint

    for backend in ("python", "constriction"):
        blob = compress_images(raster_chain, digits.test[:3], backend)
        header_length = 1 + len(_write_varint(3)) + len(_write_varint(784))
        forged = blob[:1] + _write_varint(10**12) + _write_varint(784) + blob[header_length:]
        with pytest.raises(ValueError, match="claims 1,000,000,000,000 images.*corrupt"):
            decompress_images(raster_chain, forged)
        np.testing.assert_array_equal(decompress_images(raster_chain, blob), digits.test[:3])


def _available_model_classes():
    try:
        from mlebook.models import MODELS
    except ImportError:
        return []
    return sorted(MODELS.items())


@pytest.mark.parametrize("name, cls", _available_model_classes())
def test_every_model_family_round_trips(name, cls):
    torch.manual_seed(0)
    shape = {"image_width": 6} if "image_width" in inspect.signature(cls).parameters else {}  # 4 rows of 6 pixels
    model = cls(24, **shape).eval()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(torch.randn_like(parameter))
    x = np.random.default_rng(0).integers(0, 2, size=(64, 24))
    blob = compress_images(model, x)
    np.testing.assert_array_equal(decompress_images(model, blob), x)
    for backend in ("python", "constriction"):  # zero images: an empty result, as for one image
        decoded = decompress_images(model, compress_images(model, x[:0], backend))
        assert decoded.shape == (0, 24) and decoded.dtype == np.uint8
    ideal = ideal_code_length(model, x).sum()
    assert 8 * len(blob) <= ideal + 2 + 8 + 8 * 3 + 1e-3 * ideal


# ---- classical baselines ----------------------------------------------------------------------


def test_general_purpose_codecs_decompress_to_the_packed_bits(digits):
    x = digits.test[:50]
    packed = baselines.packed_bits(x)
    assert np.array_equal(np.unpackbits(np.frombuffer(packed, np.uint8))[: x.size], x.ravel())
    assert gzip.decompress(baselines.gzip_bytes(x)) == packed
    assert bz2.decompress(baselines.bz2_bytes(x)) == packed
    assert lzma.decompress(baselines.lzma_bytes(x)) == packed


def test_tile_places_images_row_by_row(digits):
    x = digits.test[:7]
    page = tile(x, n_cols=3)
    assert page.shape == (3 * 28, 3 * 28)
    np.testing.assert_array_equal(page[:28, 28:56], x[1].reshape(28, 28))
    np.testing.assert_array_equal(page[28:56, :28], x[3].reshape(28, 28))
    assert page[56:, 28:].sum() == 0  # empty slots are blank


def test_png_files_read_back_as_the_images(digits):
    from PIL import Image

    x = digits.test[:3]
    for image, data in zip(x, baselines.png_files(x)):
        back = np.array(Image.open(io.BytesIO(data)).convert("L")) > 0
        np.testing.assert_array_equal(back, image.reshape(28, 28).astype(bool))


def read_pbm(data: bytes) -> np.ndarray:
    """Parse a raw PBM (P4) file written by any tool: whitespace-separated header, then packed rows."""
    header = re.match(rb"P4\s+(\d+)\s+(\d+)\s", data)
    width, height = int(header[1]), int(header[2])
    rows = np.frombuffer(data[header.end() :], dtype=np.uint8).reshape(height, -1)
    return np.unpackbits(rows, axis=1)[:, :width]


def test_jbig_decodes_back_to_the_page(digits):
    page = tile(digits.test[:30], n_cols=6)
    decoded = subprocess.run(["jbgtopbm"], input=baselines.jbig_bytes(page), capture_output=True, check=True).stdout
    np.testing.assert_array_equal(read_pbm(decoded), page)
    np.testing.assert_array_equal(read_pbm(baselines.pbm_bytes(page)), page)


def test_jbig_without_the_tool_says_what_to_install():
    with pytest.raises(FileNotFoundError, match="jbigkit-bin"):
        baselines.jbig_bytes(np.zeros((8, 8), dtype=np.uint8), tool="no-such-pbmtojbg")


def test_classical_codecs_report_every_codec(digits):
    sizes = baselines.classical_codecs(digits.test[:20])
    assert set(sizes) == {"gzip", "bz2", "lzma", "PNG (one file per image)", "PNG (tiled page)", "JBIG1 (tiled page)"}
    assert sizes["bz2"] == len(baselines.bz2_bytes(digits.test[:20]))
    assert all(size > 0 for size in sizes.values())
