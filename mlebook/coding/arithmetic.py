"""Arithmetic coding: a message of n symbols in about sum_i -log2 q_i(s_i) bits.

The coder keeps an interval [low, high] of integers with ``CODE_BITS`` bits. Coding symbol s
with the distribution q shrinks the interval to the part that q gives to s,

    [low + range * C(s) / T,  low + range * C(s + 1) / T - 1],    range = high - low + 1,

where C(s) = c_0 + ... + c_(s-1) are the cumulative integer counts of q quantised to a total of
T = 2^PRECISION (every symbol gets at least one count, so every symbol stays codable). Each
time the interval falls in one half of the number line the leading bit of every number in it
is known and is written out; the interval is then doubled (renormalised). If it straddles the
middle but sits in the two middle quarters, the next bit is not known yet, only that the bit
after it will be its opposite: we count such "pending" bits and write them after the next
known bit (the underflow case of Witten, Neal & Cleary, 1987; the idea is Rissanen &
Langdon's, 1979). The interval shrinks by q(s) per symbol, so the message costs
-log2 prod_i q_i(s_i) bits plus at most two bits to terminate it, plus the small loss from
quantising q to counts.

The decoder mirrors the encoder: it holds the ``CODE_BITS`` bits of the message that the
interval currently spans and, for each symbol, finds the symbol whose slice contains them.
It is a streaming decoder: :meth:`ArithmeticDecoder.decode_next` takes the next distribution
only when the caller knows it, which is what decoding an image pixel by pixel needs.

``encode`` / ``decode`` code a whole message with one distribution per symbol: ``probs`` has
shape (n, k) and row i is the distribution of symbol i over 0..k-1. ``backend="constriction"``
uses the range coder of the ``constriction`` library (Bamler, 2022) instead, a fast path that
also serves as an independent check.
"""

from __future__ import annotations

import bisect

import numpy as np

from ..checks import distributions

CODE_BITS = 62
PRECISION = 30
TOTAL = 1 << PRECISION
TOP = (1 << CODE_BITS) - 1
HALF = 1 << (CODE_BITS - 1)
QUARTER = 1 << (CODE_BITS - 2)
THREE_QUARTERS = HALF + QUARTER
BACKENDS = ("python", "constriction")


def check_probabilities(probs) -> np.ndarray:
    """Return ``probs`` as a float64 array of shape (n, k) after checking it is a table of distributions.

    Raises ``ValueError`` for the wrong number of dimensions or rows, NaN or infinite entries,
    negative entries, or a row whose sum is not 1 (:func:`mlebook.checks.distributions`).
    """
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim == 2 and not 1 <= probs.shape[1] < TOTAL // 2:
        raise ValueError(f"the alphabet size k = {probs.shape[1]} must lie in 1..{TOTAL // 2 - 1}")
    return distributions(probs, "probs", ndim=2)


def check_symbols(symbols, probs: np.ndarray) -> np.ndarray:
    """Return ``symbols`` as int64 after checking there is one per row of ``probs``, each in
    0..k-1 with nonzero probability."""
    symbols = np.asarray(symbols)
    if symbols.ndim != 1:
        raise ValueError(f"symbols must be one-dimensional, got shape {symbols.shape}")
    if len(symbols) != len(probs):
        raise ValueError(f"probs must have one row per symbol: {len(symbols)} symbols, {len(probs)} rows")
    if symbols.size and not np.issubdtype(symbols.dtype, np.integer):
        if not np.all(symbols == np.round(symbols)):
            raise ValueError("symbols must be integers")
    symbols = symbols.astype(np.int64)
    k = probs.shape[1]
    outside = np.flatnonzero((symbols < 0) | (symbols >= k))
    if outside.size:
        raise ValueError(f"symbol {symbols[outside[0]]} at position {outside[0]} lies outside 0..{k - 1}")
    impossible = np.flatnonzero(probs[np.arange(len(symbols)), symbols] == 0)
    if impossible.size:
        i = impossible[0]
        raise ValueError(f"symbol {symbols[i]} at position {i} has probability zero and cannot be coded")
    return symbols


def quantize(probs: np.ndarray) -> np.ndarray:
    """Cumulative integer counts (n, k + 1) of each row of ``probs``, every count >= 1, total ``TOTAL``.

    Counts are c_s = floor(q_s * (T - k)) + 1; what is left of T goes to the most probable
    symbol (the first one on ties), so the rounding is the same on every machine.
    """
    n, k = probs.shape
    counts = np.floor(probs * (TOTAL - k)).astype(np.int64) + 1
    counts[np.arange(n), np.argmax(probs, axis=1)] += TOTAL - counts.sum(axis=1)
    cumulative = np.zeros((n, k + 1), dtype=np.int64)
    np.cumsum(counts, axis=1, out=cumulative[:, 1:])
    return cumulative


def quantized_code_length(symbols, probs) -> float:
    """Bits an exact coder with the quantised counts needs: sum_i -log2 (c_i(s_i) / T)."""
    probs = check_probabilities(probs)
    symbols = check_symbols(symbols, probs)
    cumulative = quantize(probs)
    rows = np.arange(len(symbols))
    counts = cumulative[rows, symbols + 1] - cumulative[rows, symbols]
    return float(np.sum(PRECISION - np.log2(counts)))


class ArithmeticEncoder:
    """Encodes symbols one distribution at a time; :meth:`finish` returns the bytes.

    >>> encoder = ArithmeticEncoder()
    >>> encoder.encode([0, 1], [[0.5, 0.5], [0.9, 0.1]])
    >>> data = encoder.finish()
    """

    def __init__(self):
        self.low, self.high, self.pending = 0, TOP, 0
        self.bits: list[int] = []
        self.finished = False

    def encode(self, symbols, probs) -> None:
        """Encode ``symbols[i]`` with the distribution ``probs[i]`` (shape (n, k)), in order."""
        if self.finished:
            raise ValueError("this encoder is finished; start a new one")
        probs = check_probabilities(probs)
        symbols = check_symbols(symbols, probs)
        cumulative = quantize(probs)
        rows = np.arange(len(symbols))
        self.encode_slices(cumulative[rows, symbols].tolist(), cumulative[rows, symbols + 1].tolist())

    def encode_slices(self, starts: list[int], ends: list[int]) -> None:
        """Encode symbols given as their slices [start, end) of the quantised total ``TOTAL`` (see :func:`quantize`)."""
        if self.finished:
            raise ValueError("this encoder is finished; start a new one")
        low, high, pending, bits = self.low, self.high, self.pending, self.bits
        for start, end in zip(starts, ends):
            span = high - low + 1
            high = low + ((span * end) >> PRECISION) - 1
            low = low + ((span * start) >> PRECISION)
            while True:
                if high < HALF:
                    bits.append(0)
                    if pending:
                        bits.extend([1] * pending)
                        pending = 0
                elif low >= HALF:
                    bits.append(1)
                    if pending:
                        bits.extend([0] * pending)
                        pending = 0
                    low -= HALF
                    high -= HALF
                elif low >= QUARTER and high < THREE_QUARTERS:
                    pending += 1
                    low -= QUARTER
                    high -= QUARTER
                else:
                    break
                low <<= 1
                high = (high << 1) | 1
        self.low, self.high, self.pending = low, high, pending

    @property
    def n_bits(self) -> int:
        """Bits written so far (after :meth:`finish`: the length of the whole code)."""
        return len(self.bits) + self.pending

    def finish(self) -> bytes:
        """Write the two bits that pin a number inside the final interval; return the code as bytes.

        The interval contains [QUARTER, HALF] or [HALF, THREE_QUARTERS], so "01" or "10" (with
        the pending bits after the first) selects a number in it; the decoder reads zeros past
        the end, and the last byte is padded with zeros.
        """
        if not self.finished:
            first = 0 if self.low < QUARTER else 1
            self.bits.append(first)
            self.bits.extend([1 - first] * (self.pending + 1))
            self.pending = 0
            self.finished = True
        return np.packbits(np.array(self.bits, dtype=np.uint8)).tobytes()


class ArithmeticDecoder:
    """Decodes the symbols of an :class:`ArithmeticEncoder` code, one distribution at a time."""

    def __init__(self, data: bytes):
        self.bits = np.unpackbits(np.frombuffer(bytes(data), dtype=np.uint8)).tolist()
        self.position = CODE_BITS
        head = self.bits[:CODE_BITS] + [0] * max(0, CODE_BITS - len(self.bits))
        self.value = int("".join(map(str, head)), 2)
        self.low, self.high = 0, TOP

    def decode_next(self, probs):
        """The next symbol given its distribution ``probs`` (shape (k,)); or the next m symbols
        given one distribution each (shape (m, k)), returned as an int64 array of shape (m,)."""
        probs = np.asarray(probs, dtype=np.float64)
        if probs.ndim == 1:
            return int(self._decode_rows(quantize(check_probabilities(probs[None, :])).tolist())[0])
        return np.array(self._decode_rows(quantize(check_probabilities(probs)).tolist()), dtype=np.int64)

    def _decode_rows(self, cumulative_rows: list[list[int]]) -> list[int]:
        low, high, value, position = self.low, self.high, self.value, self.position
        bits, n_bits = self.bits, len(self.bits)
        symbols = []
        for cumulative in cumulative_rows:
            span = high - low + 1
            target = (((value - low + 1) << PRECISION) - 1) // span
            symbol = bisect.bisect_right(cumulative, target) - 1
            symbols.append(symbol)
            high = low + ((span * cumulative[symbol + 1]) >> PRECISION) - 1
            low = low + ((span * cumulative[symbol]) >> PRECISION)
            while True:
                if high < HALF:
                    pass
                elif low >= HALF:
                    low -= HALF
                    high -= HALF
                    value -= HALF
                elif low >= QUARTER and high < THREE_QUARTERS:
                    low -= QUARTER
                    high -= QUARTER
                    value -= QUARTER
                else:
                    break
                low <<= 1
                high = (high << 1) | 1
                value = (value << 1) | (bits[position] if position < n_bits else 0)
                position += 1
        self.low, self.high, self.value, self.position = low, high, value, position
        return symbols


class ConstrictionDecoder:
    """The streaming decoder of :class:`ArithmeticDecoder`, backed by ``constriction``'s range coder."""

    def __init__(self, data: bytes):
        import constriction

        if len(data) % 4:
            raise ValueError(f"a constriction code is a whole number of 32-bit words, got {len(data)} bytes")
        words = np.frombuffer(bytes(data), dtype="<u4").astype(np.uint32)
        self.decoder = constriction.stream.queue.RangeDecoder(words)
        self.family = constriction.stream.model.Categorical(perfect=False)

    def decode_next(self, probs):
        probs = np.asarray(probs, dtype=np.float64)
        rows = check_probabilities(probs[None, :] if probs.ndim == 1 else probs)
        symbols = self.decoder.decode(self.family, rows).astype(np.int64)
        return int(symbols[0]) if probs.ndim == 1 else symbols


def _encode_constriction(symbols: np.ndarray, probs: np.ndarray) -> bytes:
    import constriction

    encoder = constriction.stream.queue.RangeEncoder()
    if len(symbols):
        family = constriction.stream.model.Categorical(perfect=False)
        encoder.encode(symbols.astype(np.int32), family, probs)
    return encoder.get_compressed().astype("<u4").tobytes()


def _check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")


def encode(symbols, probs, backend: str = "python") -> bytes:
    """Arithmetic-code ``symbols`` (n,) where ``probs[i]`` (row of an (n, k) array) is the distribution of symbol i.

    The code takes at most sum_i -log2 probs[i, symbols[i]] bits plus two bits to terminate,
    plus the small loss from quantising each row to integer counts, rounded up to whole bytes.
    """
    _check_backend(backend)
    probs = check_probabilities(probs)
    symbols = check_symbols(symbols, probs)
    if backend == "constriction":
        return _encode_constriction(symbols, probs)
    encoder = ArithmeticEncoder()
    encoder.encode(symbols, probs)
    return encoder.finish()


def decoder(data: bytes, backend: str = "python") -> ArithmeticDecoder | ConstrictionDecoder:
    """A streaming decoder for ``data``: call ``decode_next(row)`` or ``decode_next(rows)``."""
    _check_backend(backend)
    return ArithmeticDecoder(data) if backend == "python" else ConstrictionDecoder(data)


def decode(data: bytes, probs, backend: str = "python") -> np.ndarray:
    """The symbols (int64, (n,)) that :func:`encode` turned into ``data`` with the same ``probs`` (n, k)."""
    probs = check_probabilities(probs)
    return decoder(data, backend).decode_next(probs)
