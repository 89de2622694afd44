"""The explorers' JavaScript maths agrees with the Python the book is built on.

For each function, at least 100 random cases (seeded numpy) go through the reference in
``mlebook`` (``mlebook.info``, ``mlebook.chapters.counting`` / ``estimation``,
``mlebook.explorers``) and through the ES module in node (one node process per function,
``tests/js/batch.mjs``); the results agree to 1e-9 (relative or absolute), infinities exactly.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from mlebook import info
from mlebook.chapters import counting, estimation
from mlebook.explorers import extra_bits

BATCH = Path(__file__).resolve().parent / "js" / "batch.mjs"
N_CASES = 120
TOLERANCE = 1e-9


def _encode(value):
    if isinstance(value, (float, np.floating)) and not math.isfinite(value):
        return {"$float": "nan" if math.isnan(value) else "inf" if value > 0 else "-inf"}
    if isinstance(value, np.ndarray):
        return [_encode(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value


def _decode(value):
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if "$float" in value:
            return float(value["$float"])
        if "$bigint" in value:
            return int(value["$bigint"])
        return {k: _decode(v) for k, v in value.items()}
    return value


def run_js(module: str, function: str, cases: list) -> list:
    """``function(*case)`` of the ES module ``module`` (a path inside mlebook/explorers/js) for each case."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: install Node.js (tools/install.sh does)")
    payload = json.dumps({"module": module, "function": function, "cases": _encode(cases)}, allow_nan=False)
    result = subprocess.run([node, str(BATCH)], input=payload, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    results = _decode(json.loads(result.stdout))
    assert len(results) == len(cases)
    return results


def assert_close(js, python, what):
    if isinstance(python, dict):
        for key in python:
            assert_close(js[key], python[key], f"{what}[{key}]")
    elif isinstance(python, (list, tuple)):
        assert len(js) == len(python), what
        for k, (a, b) in enumerate(zip(js, python)):
            assert_close(a, b, f"{what}[{k}]")
    elif isinstance(python, str) or python is None:
        assert js == python, f"{what}: JS {js!r}, Python {python!r}"
    elif math.isinf(python):
        assert js == python, f"{what}: JS {js}, Python {python}"
    else:
        assert math.isclose(js, python, rel_tol=TOLERANCE, abs_tol=TOLERANCE), f"{what}: JS {js!r}, Python {python!r}"


def check(module, function, cases, reference):
    results = run_js(module, function, cases)
    for case, js in zip(cases, results):
        assert_close(js, reference(*_decode(case)), f"{function}{tuple(case)!r}"[:300])


def random_distribution(rng, n, zeros=True):
    """A random distribution on n outcomes; with ``zeros`` some entries are exactly 0."""
    p = rng.dirichlet(np.full(n, rng.choice([0.3, 1.0, 5.0])))
    if zeros and rng.random() < 0.4:
        p[rng.random(n) < 0.3] = 0.0
        if p.sum() == 0:
            p[0] = 1.0
        p = p / p.sum()
    return p.tolist()


def base_choice(rng):
    return [None, 2][int(rng.integers(2))]


@pytest.fixture
def rng(request):
    return np.random.default_rng(abs(hash(request.node.name)) % 2**32)


def test_entropy(rng):
    cases = [[random_distribution(rng, int(rng.integers(1, 9))), base_choice(rng)] for _ in range(N_CASES)]
    check("lib/info.js", "entropy", cases, lambda p, base: float(info.entropy(p, base)))


def test_cross_entropy_and_kl_divergence(rng):
    cases = []
    for _ in range(N_CASES):
        n = int(rng.integers(2, 9))
        cases.append([random_distribution(rng, n), random_distribution(rng, n), base_choice(rng)])
    check("lib/info.js", "crossEntropy", cases, lambda p, q, base: float(info.cross_entropy(p, q, base)))
    check("lib/info.js", "klDivergence", cases, lambda p, q, base: float(info.kl_divergence(p, q, base)))
    assert any(math.isinf(info.kl_divergence(p, q)) for p, q, _ in cases), "no case with an infinite KL"


def test_kl_bernoulli(rng):
    edges = [0.0, 1.0, 0.5]
    cases = [[float(rng.choice(edges)) if rng.random() < 0.2 else float(rng.random()),
              float(rng.choice(edges)) if rng.random() < 0.2 else float(rng.random()), base_choice(rng)] for _ in range(N_CASES)]
    check("bernoulli_kl.js", "klBernoulli", cases, lambda a, b, base: float(info.kl_bernoulli(a, b, base)))


def test_normalised_weights(rng):
    cases = [[(rng.random(int(rng.integers(2, 7))) * (rng.random() < 0.9)).round(2).tolist()] for _ in range(N_CASES)]
    def reference(weights):
        w = np.asarray(weights)
        return (w / w.sum() if w.sum() > 0 else np.full(len(w), 1 / len(w))).tolist()
    check("lib/info.js", "normaliseWeights", cases, reference)


def test_normal_density(rng):
    cases = [[float(rng.normal(0, 5)), float(rng.normal(0, 3)), float(rng.uniform(0.2, 4))] for _ in range(N_CASES)]
    check("lib/info.js", "normalPdf", cases, lambda x, mu, sigma: float(np.exp(info.normal_log_pdf(x, mu, sigma))))


def test_two_mode_mixture_density(rng):
    cases = [[float(rng.uniform(-10, 10)), float(rng.uniform(0, 8)), float(rng.uniform(0.3, 2)), float(rng.uniform(0.05, 0.95))]
             for _ in range(N_CASES)]
    check("forward_reverse.js", "twoModeDensity", cases,
          lambda x, d, sigma, w: float(info.two_mode_mixture(d, sigma, w).pdf(x)))


def _scientific(value) -> dict:
    mantissa, exponent = counting.scientific(value)
    return {"mantissa": mantissa, "exponent": exponent}


def test_coverage_numbers(rng):
    cases = [[int(rng.integers(1, 29)), int(rng.integers(0, 25))] for _ in range(N_CASES)]
    cases += [[28, 7], [1, 0], [2, 24], [5, 7]]

    def reference(side, k):
        n_pixels = side * side
        size = counting.n_images(n_pixels)
        share = counting.coverage(10**k, n_pixels)
        return {"nPixels": n_pixels, "nDigits": counting.n_digits(size), "images": _scientific(size),
                "share": _scientific(share), "covers": share == 1,
                "parameters": _scientific(counting.full_table_parameters(n_pixels))}
    check("coverage.js", "coverageNumbers", cases, reference)


def test_scientific_of_big_fractions(rng):
    cases = []
    for _ in range(N_CASES):
        numerator = int(rng.integers(1, 10**12)) * 10 ** int(rng.integers(0, 200)) + int(rng.integers(0, 1000))
        denominator = int(rng.integers(1, 10**9)) ** int(rng.integers(1, 30))
        cases.append([{"$bigint": str(numerator)}, {"$bigint": str(denominator)}])
    cases.append([{"$bigint": str(10**50)}, {"$bigint": "1"}])
    cases.append([{"$bigint": str(10**50 - 1)}, {"$bigint": "1"}])
    check("coverage.js", "scientific", cases, lambda n, d: _scientific(Fraction(n, d)))


def test_coin_likelihood_and_maximum(rng):
    cases = []
    for _ in range(N_CASES):
        theta = float(rng.choice([0.0, 1.0])) if rng.random() < 0.1 else float(rng.random())
        cases.append([theta, int(rng.integers(0, 51)), int(rng.integers(0, 51))])
    check("coin.js", "coinLogLikelihood", cases, lambda theta, h, t: float(estimation.coin_log_likelihood(theta, h, t)))
    check("coin.js", "coinLikelihood", cases, lambda theta, h, t: float(estimation.coin_likelihood(theta, h, t)))
    counts = [[h, t] for _, h, t in cases if h + t > 0]
    assert len(counts) >= 100
    check("coin.js", "coinMle", counts, estimation.coin_mle)


def test_monte_carlo_expectation_and_variance(rng):
    tables = []
    for _ in range(N_CASES):
        n_dims = int(rng.integers(1, 7))
        p = estimation.TabulatedDistribution(np.log(rng.dirichlet(np.ones(2**n_dims))))
        tables.append((p, rng.normal(-3, 2, 2**n_dims)))
    cases = [[p.probs.tolist(), log_q.tolist()] for p, log_q in tables]
    by_probs = {tuple(p.probs.tolist()): p for p, _ in tables}
    check("monte_carlo.js", "expectation", cases, lambda probs, log_q: by_probs[tuple(probs)].expected(log_q))
    check("monte_carlo.js", "variance", cases, lambda probs, log_q: by_probs[tuple(probs)].log_prob_variance(log_q))


def test_monte_carlo_mean_and_sd(rng):
    cases = [[rng.normal(0, 3, int(rng.integers(2, 50))).tolist()] for _ in range(N_CASES)]
    check("monte_carlo.js", "mean", cases, lambda v: float(np.mean(v)))
    check("monte_carlo.js", "sampleSd", cases, lambda v: float(np.std(v, ddof=1)))


def test_extra_bits_model_and_prediction(rng):
    cases = []
    for _ in range(N_CASES):
        n = int(rng.integers(2, 9))
        cases.append([random_distribution(rng, n, zeros=False), random_distribution(rng, n), float(rng.random()), 1.5, 1.7])
    check("extra_bits.js", "interpolate", [case[:3] for case in cases], lambda p, r, t: extra_bits.interpolate(p, r, t).tolist())
    check("extra_bits.js", "extraBits", cases, lambda p, r, t, bits_p, bits_q: {
        "q": extra_bits.interpolate(p, r, t).tolist(), "hP": float(info.entropy(p, 2)), "bitsP": bits_p, "bitsQ": bits_q,
        "measured": bits_q - bits_p, "predicted": float(info.kl_divergence(p, extra_bits.interpolate(p, r, t), 2))})


def test_number_formatting_matches_python(rng):
    cases = [[float(rng.normal(0, 10) * 10.0 ** int(rng.integers(-4, 3))), int(rng.integers(0, 5))] for _ in range(N_CASES)]
    cases += [[math.inf, 3], [-math.inf, 3], [-1e-17, 3], [-0.0004, 3]]

    def reference(x, digits):
        if math.isinf(x):
            return "∞" if x > 0 else "-∞"
        text = f"{x:.{digits}f}"
        return text[1:] if text.startswith("-") and float(text) == 0 else text
    check("lib/format.js", "formatNumber", cases, reference)


def xoshiro128ss_words(seed: int, n: int) -> list[int]:
    """xoshiro128** seeded by splitmix32, written from its definition (lib/random.js's docstring)."""
    mask = 2**32 - 1

    def rotl(x, k):
        return ((x << k) | (x >> (32 - k))) & mask

    a, state = seed & mask, []
    for _ in range(4):
        a = (a + 0x9E3779B9) & mask
        z = ((a ^ (a >> 16)) * 0x21F0AAAD) & mask
        z = ((z ^ (z >> 15)) * 0x735A2D97) & mask
        state.append(z ^ (z >> 15))
    s0, s1, s2, s3 = state
    words = []
    for _ in range(n):
        words.append((rotl((s1 * 5) & mask, 7) * 9) & mask)
        t = (s1 << 9) & mask
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 11)
    return words


def test_seeded_generator_follows_its_definition(rng):
    cases = [[int(rng.integers(0, 2**31)), 20] for _ in range(N_CASES)]
    check("helpers", "randomWords", cases, xoshiro128ss_words)
