"""Huffman codes: the shortest prefix-free code for a known distribution over k symbols.

Huffman's rule (Huffman, 1952): repeatedly merge the two least probable entries (symbols or
merged groups) into one whose probability is their sum, until one remains. The merges form a
binary tree; reading 0 for the first branch and 1 for the second from the root down to a
symbol gives its codeword. No codeword is a prefix of another, so a stream of codewords
decodes without separators, and no prefix-free code has a smaller expected length

    L(p) = sum_s p(s) * len(codeword(s)),    H(p) <= L(p) < H(p) + 1   bits
(for k >= 2; L = H + 1 = 1 exactly when one symbol is certain, since a codeword has at least
one bit).
Each codeword has a whole number of bits, len ~ -log2 p(s) rounded, which is where the up to
one bit per symbol of overhead comes from. Coding blocks of b symbols as one super-symbol (an
alphabet of k^b blocks with product probabilities) spreads that overhead over b symbols:
H <= L_b / b < H + 1/b bits per symbol for i.i.d. symbols.

Conventions: ties are broken by creation order (symbols by index, then merged groups in the
order they were made), so the code is deterministic. Zero-probability symbols keep a
codeword; they are merged first, so they get the longest codewords and add nothing to L(p).
A single symbol gets the one-bit codeword "0".
"""

from __future__ import annotations

import heapq
from itertools import count

import numpy as np

from ..checks import count as check_count, distributions


def huffman_code(probs) -> list[str]:
    """Codewords ('0'/'1' strings) of a Huffman code for ``probs``; entry s is symbol s's codeword."""
    probs = distributions(probs, "probs", ndim=1)
    if probs.size == 1:
        return ["0"]
    tiebreak = count()
    # heap entries: (probability, creation number, symbols in the group)
    heap = [(float(p), next(tiebreak), [s]) for s, p in enumerate(probs)]
    heapq.heapify(heap)
    codewords = [""] * probs.size
    while len(heap) > 1:
        p_first, _, first = heapq.heappop(heap)
        p_second, _, second = heapq.heappop(heap)
        for s in first:
            codewords[s] = "0" + codewords[s]
        for s in second:
            codewords[s] = "1" + codewords[s]
        heapq.heappush(heap, (p_first + p_second, next(tiebreak), first + second))
    return codewords


class HuffmanCode:
    """A Huffman code built from ``probs`` with ``encode`` / ``decode`` for symbol sequences.

    >>> code = HuffmanCode([0.5, 0.25, 0.25])
    >>> code.codewords
    ['0', '10', '11']
    >>> code.encode([2, 0, 1])
    '11010'
    >>> code.decode('11010').tolist()
    [2, 0, 1]
    """

    def __init__(self, probs):
        self.probs = distributions(probs, "probs", ndim=1)
        self.codewords = huffman_code(self.probs)
        self.lengths = np.array([len(word) for word in self.codewords])
        self._symbol_of = {word: s for s, word in enumerate(self.codewords)}

    @property
    def n_symbols(self) -> int:
        return len(self.codewords)

    def expected_length(self, p=None) -> float:
        """sum_s p(s) len(codeword(s)) in bits per symbol, under ``p`` (default: the code's own probs)."""
        p = self.probs if p is None else distributions(p, "p", ndim=1)
        if p.shape != self.probs.shape:
            raise ValueError(f"p has {p.size} symbols, the code has {self.n_symbols}")
        return float(p @ self.lengths)

    def _check_symbols(self, symbols) -> np.ndarray:
        symbols = np.asarray(symbols)
        if symbols.ndim != 1:
            raise ValueError(f"symbols must be one-dimensional, got shape {symbols.shape}")
        symbols = symbols.astype(np.int64)
        outside = np.flatnonzero((symbols < 0) | (symbols >= self.n_symbols))
        if outside.size:
            raise ValueError(f"symbol {symbols[outside[0]]} at position {outside[0]} lies outside 0..{self.n_symbols - 1}")
        return symbols

    def code_length(self, symbols) -> int:
        """Bits that :meth:`encode` writes for ``symbols``: the sum of their codeword lengths."""
        return int(self.lengths[self._check_symbols(symbols)].sum())

    def encode(self, symbols) -> str:
        """The codewords of ``symbols`` concatenated, as a string of '0'/'1'."""
        return "".join(self.codewords[s] for s in self._check_symbols(symbols).tolist())

    def decode(self, bits: str) -> np.ndarray:
        """The symbols (int64) whose codewords concatenate to ``bits``; ValueError if it stops mid-codeword."""
        if set(bits) - {"0", "1"}:
            raise ValueError("bits must be a string of '0' and '1'")
        symbols, word = [], ""
        for bit in bits:
            word += bit
            symbol = self._symbol_of.get(word)
            if symbol is not None:
                symbols.append(symbol)
                word = ""
        if word:
            raise ValueError(f"bits end in the middle of a codeword (left over: {word!r})")
        return np.array(symbols, dtype=np.int64)


def block_distribution(probs, block_size: int) -> np.ndarray:
    """Probabilities of the k^b blocks of b i.i.d. symbols: p(s_1, ..., s_b) = p(s_1) ... p(s_b).

    Block (s_1, ..., s_b) has index s_1 k^(b-1) + ... + s_b (row-major, as :func:`to_blocks`).
    """
    probs = distributions(probs, "probs", ndim=1)
    _check_block_size(block_size)
    joint = np.ones(1)
    for _ in range(block_size):
        joint = np.outer(joint, probs).ravel()
    return joint


def to_blocks(symbols, n_symbols: int, block_size: int) -> np.ndarray:
    """Group ``symbols`` (length a multiple of b) into super-symbols s_1 k^(b-1) + ... + s_b (int64).

    ValueError if the k^b block indices do not fit in int64 (instead of wrapping around).
    """
    _check_blocks_fit(n_symbols, block_size)
    symbols = np.asarray(symbols, dtype=np.int64)
    if symbols.ndim != 1 or len(symbols) % block_size:
        raise ValueError(f"need a 1-D sequence whose length is a multiple of {block_size}, got shape {symbols.shape}")
    if symbols.size and (symbols.min() < 0 or symbols.max() >= n_symbols):
        raise ValueError(f"symbols must lie in 0..{n_symbols - 1}")
    digits = symbols.reshape(-1, block_size)
    return digits @ (n_symbols ** np.arange(block_size - 1, -1, -1, dtype=np.int64))


def from_blocks(blocks, n_symbols: int, block_size: int) -> np.ndarray:
    """Undo :func:`to_blocks`: the b symbols of each super-symbol, flattened."""
    _check_blocks_fit(n_symbols, block_size)
    blocks = np.asarray(blocks, dtype=np.int64)
    if blocks.size and (blocks.min() < 0 or blocks.max() >= n_symbols**block_size):
        raise ValueError(f"blocks must lie in 0..{n_symbols**block_size - 1}")
    return np.stack(np.unravel_index(blocks, (n_symbols,) * block_size), axis=-1).ravel().astype(np.int64)


def _check_block_size(block_size) -> None:
    if isinstance(block_size, bool) or not isinstance(block_size, (int, np.integer)) or block_size < 1:
        raise ValueError(f"block_size must be a positive integer, got {block_size!r}")


def _check_blocks_fit(n_symbols, block_size) -> None:
    """The k^b block indices 0..k^b - 1 must fit in int64 (k^b is computed exactly, as a Python int)."""
    _check_block_size(block_size)
    n_symbols = check_count(n_symbols, "n_symbols", minimum=1)
    n_blocks = n_symbols ** int(block_size)
    if n_blocks - 1 > np.iinfo(np.int64).max:
        raise ValueError(
            f"{n_symbols} symbols in blocks of {block_size} make {n_symbols}^{block_size} blocks, whose "
            "indices do not fit in a 64-bit integer; use smaller blocks"
        )
