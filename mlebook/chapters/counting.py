"""Counting binary images: why no data set pins down a distribution over 2^D images.

An image of D binary pixels is one of |X| = 2^D possible images. This module counts:

- **the space**: |X| = 2^D as an exact Python integer, and numbers like it in scientific
  notation, m x 10^e with 1 <= m < 10, computed exactly from integers and fractions;
- **coverage**: n examples can show at most min(n, 2^D) distinct images, a share
  min(n, 2^D) / 2^D of the space;
- **the empirical distribution** (a lookup table of the training images),
  P_hat(x) = count(x) / n, which gives probability 0 to every image it has not seen;
- **patches**: the k x k windows of an image, each read as the integer
  sum_j bit_j 2^j (row-major bits of the window), so that seen / unseen patterns can be
  counted with ``np.unique`` and ``np.isin``, or tabulated over all 2^(k^2) patterns;
- **parameter counts**: a full table needs 2^D - 1 numbers (the last is fixed by summing to
  one); independent pixels need D; a fully visible sigmoid belief net (FVSBN), in which
  pixel i has a bias and a weight for each of the i - 1 pixels before it, needs
  sum_{i=1}^{D} i = D (D + 1) / 2; NADE with H hidden units needs 2 D H + D + H
  (encoder weights W (H x D) and bias c (H), decoder weights V (D x H) and bias b (D));
- **brute-force normalisation**: Z = sum_x exp(f(x)) over all 2^D images, whose cost doubles
  with every extra pixel.

Images are indexed little-endian: pixel i is bit i of the index, so image number j of
:func:`binary_images` is the binary expansion of j.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy.special import logsumexp

from .. import checks

MAX_PATCH_BITS = 64  # a patch is packed into one uint64
CHUNK_SIZE = 2**16  # images per chunk in brute-force normalisation


# --- the size of the space -------------------------------------------------------------

def n_images(n_pixels: int, n_levels: int = 2) -> int:
    """The number of images with ``n_pixels`` pixels of ``n_levels`` values each: n_levels^n_pixels, exactly."""
    n_pixels = checks.count(n_pixels, "n_pixels")
    n_levels = checks.count(n_levels, "n_levels", minimum=1)
    return n_levels**n_pixels


def n_digits(value: int) -> int:
    """The number of decimal digits of a positive integer (2^784 has 237)."""
    value = checks.count(value, "value", minimum=1)
    return len(str(value))


def scientific(value: int | Fraction) -> tuple[float, int]:
    """Write a positive integer or fraction as (m, e) with value = m x 10^e and 1 <= m < 10.

    The exponent e = floor(log10(value)) is found with exact integer arithmetic, so it is right
    even for numbers far beyond the range of a float or with numerators and denominators of
    thousands of digits (2^784 ~ 1.0 x 10^236, 10^7 / 2^784 ~
    9.8 x 10^-230); only the mantissa m is rounded to the nearest float, so a number within a
    relative 10^-16 below a power of ten shows m = 10.0.
    """
    value = Fraction(value)
    if value <= 0:
        raise ValueError(f"value must be positive, got {value}")
    # A first guess from the bit lengths (no decimal strings: numbers of any size), then exact steps.
    bits = value.numerator.bit_length() - value.denominator.bit_length()
    exponent = math.floor(bits * math.log10(2))
    while value < Fraction(10) ** exponent:
        exponent -= 1
    while value >= Fraction(10) ** (exponent + 1):
        exponent += 1
    return float(value / Fraction(10) ** exponent), exponent


_SUPERSCRIPTS = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def format_scientific(value: int | Fraction, digits: int = 1) -> str:
    """Plain text "m x 10^e" with a superscript exponent, e.g. 2^784 -> "1.0 × 10²³⁶"."""
    mantissa, exponent = scientific(value)
    text = f"{mantissa:.{digits}f}"
    if float(text) >= 10:  # rounding the mantissa carried into the exponent
        text, exponent = f"{mantissa / 10:.{digits}f}", exponent + 1
    return f"{text} \u00d7 10{str(exponent).translate(_SUPERSCRIPTS)}"


def coverage(n_examples: int, n_pixels: int) -> Fraction:
    """The largest share of all 2^D images that ``n_examples`` images can show: min(n, 2^D) / 2^D, exactly."""
    n_examples = checks.count(n_examples, "n_examples")
    size = n_images(n_pixels)
    return Fraction(min(n_examples, size), size)


# --- the empirical distribution ----------------------------------------------------------

def _row_keys(x: np.ndarray) -> list[bytes]:
    """One hashable key per image: its bits packed into bytes."""
    return [row.tobytes() for row in np.packbits(x, axis=1)]


class EmpiricalDistribution:
    """The lookup-table model: P_hat(x) = count(x in training set) / n.

    It is the maximum-likelihood distribution when every one of the 2^D images may get its own
    probability, and it puts all its mass on the images it was shown: any other image has
    probability 0, log-probability -inf and an infinite negative log-likelihood.

    ``fit(x)`` returns self; ``log_prob(x)`` returns log P_hat(x) in nats, shape (n,).
    """

    def __init__(self):
        self.counts: Counter | None = None
        self.n_examples = 0
        self.n_dims: int | None = None

    def fit(self, x) -> "EmpiricalDistribution":
        x = checks.binary_images(x)
        if len(x) == 0:
            raise ValueError("cannot fit an empirical distribution to an empty data set")
        self.counts = Counter(_row_keys(x))
        self.n_examples, self.n_dims = x.shape
        return self

    @property
    def n_distinct(self) -> int:
        """How many different images the table holds (its number of non-zero entries)."""
        self._check_fitted()
        return len(self.counts)

    def log_prob(self, x) -> np.ndarray:
        """log(count(x) / n) in nats for images seen in training, -inf for all others."""
        self._check_fitted()
        x = checks.binary_images(x)
        if x.shape[1] != self.n_dims:
            raise ValueError(f"images must have {self.n_dims} pixels, got {x.shape[1]}")
        counts = np.array([self.counts.get(key, 0) for key in _row_keys(x)], dtype=float)
        with np.errstate(divide="ignore"):
            return np.log(counts / self.n_examples)

    def _check_fitted(self):
        if self.counts is None:
            raise ValueError("call fit(x) before using the empirical distribution")


def count_exact_matches(train, test) -> int:
    """How many rows of ``test`` appear, pixel for pixel, somewhere in ``train``."""
    log_p = EmpiricalDistribution().fit(train).log_prob(test)
    return int(np.isfinite(log_p).sum())


def nearest_hamming(queries, references, chunk_size: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """For each query image, the reference image that differs from it in the fewest pixels.

    Uses the Hamming distance d(a, b) = |a| + |b| - 2 a.b for binary vectors, in chunks of
    queries. Returns (distances, indices), each of shape (len(queries),); ties go to the
    lowest index.
    """
    queries = checks.binary_images(queries, name="queries")
    references = checks.binary_images(references, name="references")
    if queries.shape[1] != references.shape[1]:
        raise ValueError(
            f"queries have {queries.shape[1]} pixels but references have {references.shape[1]}"
        )
    if len(references) == 0:
        raise ValueError("references must hold at least one image")
    ref = references.astype(np.float32)
    ref_sizes = ref.sum(axis=1)
    distances = np.empty(len(queries), dtype=np.int64)
    indices = np.empty(len(queries), dtype=np.int64)
    for start in range(0, len(queries), chunk_size):
        q = queries[start : start + chunk_size].astype(np.float32)
        d = np.rint(q.sum(axis=1, keepdims=True) + ref_sizes[None, :] - 2.0 * q @ ref.T).astype(np.int64)
        indices[start : start + chunk_size] = d.argmin(axis=1)
        distances[start : start + chunk_size] = d.min(axis=1)
    return distances, indices


# --- patches ----------------------------------------------------------------------------

def _side(n_pixels: int) -> int:
    side = math.isqrt(n_pixels)
    if side * side != n_pixels:
        raise ValueError(f"images must be square: {n_pixels} pixels is not a square number")
    return side


def patch_codes(images, k: int) -> np.ndarray:
    """Every k x k patch of every square image, each packed into an integer.

    ``images`` has shape (n, side * side). The patch with top-left corner (r, c) becomes
    sum_{j} x[r + j // k, c + j % k] * 2^j, j = 0..k^2-1. Returns a uint64 array of shape
    (n, (side - k + 1)^2), positions in row-major order.
    """
    images = checks.binary_images(images)
    side = _side(images.shape[1])
    k = checks.count(k, "k", minimum=1)
    if k > side or k * k > MAX_PATCH_BITS:
        raise ValueError(f"k must satisfy k <= {side} (the image side) and k * k <= {MAX_PATCH_BITS}, got k = {k}")
    windows = sliding_window_view(images.reshape(-1, side, side), (k, k), axis=(1, 2))
    windows = windows.reshape(len(images), -1, k * k)
    codes = np.zeros(windows.shape[:2], dtype=np.uint64)
    for j in range(k * k):
        codes |= windows[..., j].astype(np.uint64) << np.uint64(j)
    return codes


@dataclass(frozen=True)
class PatchStatistics:
    """How well the k x k patches of a training set cover those of a test set."""

    k: int
    n_possible: int  # 2^(k^2) patterns
    n_seen: int  # distinct patterns among the training patches
    unseen_share: float  # share of test patches (all positions) whose pattern never occurs in training
    unseen_share_nonblank: float  # the same, among test patches with at least one pixel on


def patch_statistics(train, test, k: int) -> PatchStatistics:
    """Count the distinct k x k patterns in ``train`` and the share of ``test`` patches never seen there."""
    seen = np.unique(patch_codes(train, k))
    test_codes = patch_codes(test, k).ravel()
    unseen = ~np.isin(test_codes, seen)
    nonblank = test_codes != 0
    return PatchStatistics(
        k=k,
        n_possible=n_images(k * k),
        n_seen=len(seen),
        unseen_share=float(unseen.mean()),
        unseen_share_nonblank=float(unseen[nonblank].mean()) if nonblank.any() else 0.0,
    )


def pattern_counts(images, k: int) -> np.ndarray:
    """How often each of the 2^(k^2) patterns occurs among all k x k patches of ``images``.

    Entry j counts the patches whose code (:func:`patch_codes`) is j; shape (2^(k^2),), so
    ``k`` is limited to patterns that fit a table (k <= 4).
    """
    k = checks.count(k, "k", minimum=1)
    if k > 4:
        raise ValueError(f"a table of all 2^(k^2) patterns needs k <= 4, got k = {k}")
    return np.bincount(patch_codes(images, k).ravel().astype(np.int64), minlength=n_images(k * k))


# --- parameter counts -----------------------------------------------------------------------

def full_table_parameters(n_dims: int) -> int:
    """Free parameters of an arbitrary distribution over 2^D images: 2^D - 1."""
    return n_images(n_dims) - 1


def independent_parameters(n_dims: int) -> int:
    """Free parameters of independent pixels, one probability each: D."""
    return checks.count(n_dims, "n_dims")


def fvsbn_parameters(n_dims: int) -> int:
    """Free parameters of a FVSBN: pixel i has a bias and i - 1 weights, D (D + 1) / 2 in all."""
    n_dims = checks.count(n_dims, "n_dims")
    return n_dims * (n_dims + 1) // 2


def nade_parameters(n_dims: int, n_hidden: int) -> int:
    """Parameters of NADE: W (H x D), c (H), V (D x H), b (D), so 2 D H + D + H.

    As usual this counts W's column for the last pixel, which no conditional uses.
    """
    n_dims = checks.count(n_dims, "n_dims")
    n_hidden = checks.count(n_hidden, "n_hidden")
    return 2 * n_dims * n_hidden + n_dims + n_hidden


# --- brute-force normalisation ------------------------------------------------------------------

def binary_images(n_dims: int, start: int = 0, stop: int | None = None) -> np.ndarray:
    """Images number ``start`` .. ``stop - 1`` of all 2^D, as uint8 rows; pixel i is bit i of the number."""
    n_dims = checks.count(n_dims, "n_dims")
    if n_dims > 62:
        raise ValueError(f"cannot enumerate 2^{n_dims} images")
    stop = 2**n_dims if stop is None else stop
    if not 0 <= start <= stop <= 2**n_dims:
        raise ValueError(f"need 0 <= start <= stop <= 2^{n_dims}, got start={start}, stop={stop}")
    index = np.arange(start, stop, dtype=np.int64)
    return ((index[:, None] >> np.arange(n_dims)) & 1).astype(np.uint8)


def image_index(x) -> np.ndarray:
    """The number of each image in :func:`binary_images` order: sum_i x_i 2^i."""
    x = checks.binary_images(x)
    if x.shape[1] > 62:
        raise ValueError(f"cannot index images of {x.shape[1]} pixels in 64-bit integers")
    return x.astype(np.int64) @ (np.int64(1) << np.arange(x.shape[1], dtype=np.int64))


def log_normaliser(log_potential, n_dims: int, chunk_size: int = CHUNK_SIZE) -> float:
    """log Z = log sum_x exp(f(x)) over all 2^D binary images, by enumeration.

    ``log_potential`` maps a (m, D) uint8 array to m values f(x). The images are visited in
    chunks, so memory stays bounded while the time grows like 2^D.
    """
    chunk_size = checks.count(chunk_size, "chunk_size", minimum=1)
    partial = [
        logsumexp(np.asarray(log_potential(binary_images(n_dims, start, min(start + chunk_size, 2**n_dims))), dtype=float))
        for start in range(0, 2**n_dims, chunk_size)
    ]
    return float(logsumexp(partial))


def pairwise_log_potential(weights, biases):
    """f(x) = sum_i b_i x_i + sum_{i<j} W_ij x_i x_j: an unnormalised model (a Boltzmann machine).

    ``weights`` is a (D, D) array of which only the strict upper triangle is used.
    Returns a function from (m, D) images to m values.
    """
    biases = np.asarray(biases, dtype=float)
    weights = np.triu(np.asarray(weights, dtype=float), k=1)
    if biases.ndim != 1 or weights.shape != (len(biases), len(biases)):
        raise ValueError(f"need biases of shape (D,) and weights of shape (D, D), got {biases.shape} and {weights.shape}")

    def log_potential(x):
        x = np.asarray(x, dtype=float)
        return x @ biases + ((x @ weights) * x).sum(axis=1)

    return log_potential
