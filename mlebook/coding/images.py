"""Compressing binary images with a density model: maximum likelihood is compression.

An autoregressive model factorises p(x) = prod_t p(x_{sigma_t} | x_{sigma_1}, ..., x_{sigma_{t-1}})
along its pixel order sigma. Arithmetic coding each pixel with its conditional probability
codes an image in

    -log2 p(x) = -sum_t log2 p(x_{sigma_t} | earlier pixels)   bits

plus a couple of bits per stream, so the average coded size over test images is the model's
test negative log-likelihood in bits: the better the model fits, the smaller the file. (A model
that averages several pixel orders, such as MADE with several orderings, has no single walk
with its own conditionals; the walk follows one order and the code is longer than -log2 p(x):
compare :func:`walk_code_length` with :func:`ideal_code_length`.)

The stream is step-major: for step t (pixel sigma_t) it holds the bits of images 0..n-1, so the
decoder can run the model's pixel walk (``model.sequential``) on all n images at once and
decode n bits per step. Both sides must quantise exactly the same probabilities, so the
encoder computes them with the same walk, feeding in the known pixels, rather than with a
batch formula (``model.conditionals``) whose floating-point rounding may differ. Both walks run
on one thread, so the order of floating-point sums cannot depend on the thread settings of the
machine (a step is small, so one thread is also the fastest). Decoding needs the same model
and the same software as encoding, as for any learned codec.

**Saturated conditionals.** A model can call a pixel certain: a logit of 20 rounds to a float32
probability of exactly 1. Neither coder can spend 0 bits on a symbol: ours gives every symbol at
least one count of 2^30, constriction's range coder one of 2^24. So every probability is clamped
to [s, 1 - s] with s = ``SMALLEST_PROBABILITY[backend]``, before coding and in the walk's
probabilities (:func:`walk_probabilities`), so that the ideal length the report compares against
is that of the probabilities actually coded: finite, and never longer than the code.

A blob is a one-byte tag naming the coder, the number of images n and pixels D (each an
unsigned LEB128 varint), then the arithmetic code. A pixel costs at least -log2(1 - s) bits,
so a code of B bytes holds at most (8 B + 128) / -log2(1 - s) pixels: a header that claims
more images than that is rejected before anything is allocated.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass

import numpy as np
import torch

from ..checks import binary_images
from .arithmetic import TOTAL, ArithmeticEncoder, check_probabilities, decoder, encode, quantize

BACKEND_TAGS = {"python": 0xA1, "constriction": 0xA2}
# The smallest probability each coder gives a symbol: one count of 2^30 (ours), of 2^24 (constriction).
SMALLEST_PROBABILITY = {"python": 1.0 / TOTAL, "constriction": 2.0**-24}
# Bits a code may hold beyond the ideal length of its pixels: termination and word padding.
_CODE_SLACK_BITS = 128


def _check_backend(backend: str) -> float:
    """The smallest probability ``backend`` codes, after checking it names a coder."""
    if backend not in BACKEND_TAGS:
        raise ValueError(f"backend must be one of {tuple(BACKEND_TAGS)}, got {backend!r}")
    return SMALLEST_PROBABILITY[backend]


def _clamped(p, backend: str) -> np.ndarray:
    """p(pixel = 1) as float64 of shape (n,), clamped to [s, 1 - s] for the backend's s."""
    smallest = _check_backend(backend)
    p = np.asarray(p.detach().cpu() if isinstance(p, torch.Tensor) else p, dtype=np.float64).ravel()
    if not np.all(np.isfinite(p)):
        raise ValueError("the model gave a NaN or infinite pixel probability")
    return np.clip(p, smallest, 1.0 - smallest)


def _bernoulli_rows(p, backend: str) -> np.ndarray:
    """The distributions [1 - p, p] of binary pixels as rows of shape (n, 2), float64, p clamped."""
    p = _clamped(p, backend)
    return np.stack([1.0 - p, p], axis=1)


@contextlib.contextmanager
def _one_thread():
    """Run torch on one thread inside the block, then restore the previous setting."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def walk_probabilities(model, x, backend: str = "python") -> tuple[np.ndarray, np.ndarray]:
    """Replay the model's pixel walk on known images x (n, D).

    Returns the pixel visited at each step (D,) and p(pixel = 1 | pixels before it) for each
    step and image, shape (D, n), exactly as the decoder's walk will compute them and clamped to
    what ``backend`` codes (see the module docstring).
    """
    x = binary_images(x, model.n_dims)
    _check_backend(backend)
    known = torch.from_numpy(x)
    pixels, probabilities = [], []

    def replay(i, p):
        pixels.append(i)
        probabilities.append(_clamped(p, backend))
        return known[:, i]

    with _one_thread():
        model.sequential(len(x), replay)
    return np.array(pixels, dtype=np.int64), np.array(probabilities).reshape(len(pixels), len(x))


def _write_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _read_varint(blob: bytes, position: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if position >= len(blob):
            raise ValueError("the image code ends inside its header")
        byte = blob[position]
        value |= (byte & 0x7F) << shift
        position, shift = position + 1, shift + 7
        if not byte & 0x80:
            return value, position


def compress_images(model, x, backend: str = "python") -> bytes:
    """Code binary images x (n, D) pixel by pixel with the model's conditionals; returns the blob.

    Its size is about sum_images -log2 p(x) bits: see :func:`ideal_code_length`.
    """
    x = binary_images(x, model.n_dims)
    return _encode(x, *walk_probabilities(model, x, backend), backend)


def _encode(x: np.ndarray, pixels: np.ndarray, p_one: np.ndarray, backend: str) -> bytes:
    rows = check_probabilities(_bernoulli_rows(p_one, backend))
    symbols = x[:, pixels].T.ravel().astype(np.int64)  # step-major, like p_one
    header = bytes([BACKEND_TAGS[backend]]) + _write_varint(len(x)) + _write_varint(x.shape[1])
    if backend == "constriction":
        return header + encode(symbols, rows, backend="constriction")
    cumulative = quantize(rows)
    steps = np.arange(len(symbols))
    encoder = ArithmeticEncoder()
    encoder.encode_slices(cumulative[steps, symbols].tolist(), cumulative[steps, symbols + 1].tolist())
    return header + encoder.finish()


def walk_code_length(x, pixels: np.ndarray, p_one: np.ndarray) -> np.ndarray:
    """-sum_t log2 p(x_{sigma_t} | earlier pixels) per image (n,), from :func:`walk_probabilities`' output.

    The length an exact coder reaches with the probabilities the walk gives. It equals
    -log2 p(x) for a model whose ``log_prob`` is the product of its walk's conditionals; for a
    mixture over several pixel orderings the walk follows one ordering, and this is longer.
    """
    ones = np.asarray(x)[:, pixels].T == 1
    with np.errstate(divide="ignore"):
        return -np.log2(np.where(ones, p_one, 1 - p_one)).sum(axis=0)


def decompress_images(model, blob: bytes) -> np.ndarray:
    """The images (uint8, (n, D)) that :func:`compress_images` turned into ``blob`` with this model."""
    blob = bytes(blob)
    tags = {tag: name for name, tag in BACKEND_TAGS.items()}
    if not blob or blob[0] not in tags:
        raise ValueError("not an mlebook image code (unknown first byte)")
    backend = tags[blob[0]]
    n, position = _read_varint(blob, 1)
    n_dims, position = _read_varint(blob, position)
    if n_dims != model.n_dims:
        raise ValueError(f"the code holds images of {n_dims} pixels, the model has {model.n_dims}")
    code_bits = 8 * (len(blob) - position)
    cheapest_pixel_bits = -math.log1p(-SMALLEST_PROBABILITY[backend]) / math.log(2)
    most_images = math.floor((code_bits + _CODE_SLACK_BITS) / (cheapest_pixel_bits * n_dims))
    if n > most_images:
        raise ValueError(
            f"the header claims {n:,} images, but a {code_bits // 8:,}-byte {backend} code holds at most "
            f"{most_images:,} images of {n_dims} pixels: the code is corrupt"
        )
    stream = decoder(blob[position:], backend)

    def decode_pixel(i, p):
        return torch.from_numpy(stream.decode_next(_bernoulli_rows(p, backend)))

    with _one_thread():
        images = model.sequential(n, decode_pixel)
    return images.cpu().numpy().astype(np.uint8)


def ideal_code_length(model, x) -> np.ndarray:
    """-log2 p(x) in bits for each image, shape (n,): the code length a perfect coder would reach."""
    with torch.no_grad():
        log_prob = model.log_prob(torch.as_tensor(binary_images(x, model.n_dims)))
    return -log_prob.detach().cpu().double().numpy() / math.log(2)


@dataclass(frozen=True)
class CompressionReport:
    """What coding n images with a model cost: sizes in bits per image, times in seconds.

    ``walk_bits_per_image`` is the mean of :func:`walk_code_length` (what the coder aims at) and
    ``nll_bits_per_image`` the mean of :func:`ideal_code_length` (the model's test negative
    log-likelihood in bits); they agree unless the model is a mixture over pixel orderings.
    """

    n_images: int
    bits_per_image: float  # the blob, header included
    walk_bits_per_image: float
    nll_bits_per_image: float
    encode_seconds: float
    decode_seconds: float

    @property
    def overhead(self) -> float:
        """Relative excess of the coded size over the walk's ideal code length (0.001 = 0.1%)."""
        return self.bits_per_image / self.walk_bits_per_image - 1


def compression_report(model, x, backend: str = "python") -> CompressionReport:
    """Compress and decompress images x (n, D) with the model; raise if the round trip is not exact."""
    x = binary_images(x, model.n_dims)
    if len(x) == 0:
        raise ValueError("need at least one image to report bits per image")
    start = time.perf_counter()
    pixels, p_one = walk_probabilities(model, x, backend)
    blob = _encode(x, pixels, p_one, backend)
    middle = time.perf_counter()
    decoded = decompress_images(model, blob)
    end = time.perf_counter()
    if not np.array_equal(decoded, x):
        raise RuntimeError("decompressed images differ from the originals")
    return CompressionReport(
        n_images=len(x),
        bits_per_image=8 * len(blob) / len(x),
        walk_bits_per_image=float(walk_code_length(x, pixels, p_one).mean()),
        nll_bits_per_image=float(ideal_code_length(model, x).mean()),
        encode_seconds=middle - start,
        decode_seconds=end - middle,
    )
