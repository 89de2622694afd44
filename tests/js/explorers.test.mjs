// The maths each explorer module exports, checked against independent facts (brute force,
// closed forms, identities). tests/test_js_agreement.py compares them with mlebook in Python.
import assert from "node:assert/strict";
import test from "node:test";
import { load } from "./paths.mjs";

const coverage = await load("coverage.js");
const coin = await load("coin.js");
const monteCarlo = await load("monte_carlo.js");
const kl = await load("kl.js");
const bernoulli = await load("bernoulli_kl.js");
const forwardReverse = await load("forward_reverse.js");
const extraBits = await load("extra_bits.js");
const info = await load("lib/info.js");

test("coverage: 2^784 has 237 digits, 1.02 × 10^236; 10^7 examples show about 9.8 × 10^-230 of it", () => {
  const numbers = coverage.coverageNumbers(28, 7);
  assert.equal(numbers.nPixels, 784);
  assert.equal(numbers.nDigits, 237);
  assert.equal(numbers.images.exponent, 236);
  assert.ok(Math.abs(numbers.images.mantissa - 1.0174582) < 1e-7);
  assert.equal(numbers.share.exponent, -230);
  assert.ok(Math.abs(numbers.share.mantissa * 10 ** -230 - 1e7 / 2 ** 784) < 1e-12 * 1e-230);
  assert.equal(numbers.covers, false);
});

test("coverage: small images are covered whole; exponents are exact at powers of ten", () => {
  const all = coverage.coverageNumbers(2, 3);  // 16 images, 1000 examples
  assert.equal(all.covers, true);
  assert.deepEqual(all.share, { mantissa: 1, exponent: 0 });
  assert.deepEqual(coverage.scientific(1000n), { mantissa: 1, exponent: 3 });
  assert.deepEqual(coverage.scientific(999n), { mantissa: 9.99, exponent: 2 });
  assert.deepEqual(coverage.scientific(1n, 1000n), { mantissa: 1, exponent: -3 });
  assert.equal(coverage.scientific(1n, 3n).exponent, -1);
  assert.ok(Math.abs(coverage.scientific(1n, 3n).mantissa - 10 / 3) < 1e-15);
  assert.deepEqual(coverage.coverageNumbers(4, 0).parameters, coverage.scientific(65535n));
});

test("coin: the maximum of the likelihood on a fine grid is theta* = n_H / (n_H + n_T)", () => {
  for (const [h, t] of [[3, 2], [7, 21], [0, 4], [5, 0], [50, 1]]) {
    let best = 0, bestValue = -Infinity;
    for (let k = 0; k <= 10000; k++) {
      const value = coin.coinLogLikelihood(k / 10000, h, t);
      if (value > bestValue) { bestValue = value; best = k / 10000; }
    }
    assert.ok(Math.abs(best - coin.coinMle(h, t)) <= 1e-4, `${h}, ${t}`);
  }
  assert.equal(coin.coinMle(0, 0), null);
  assert.equal(coin.coinLogLikelihood(0, 0, 3), 0);
  assert.equal(coin.coinLogLikelihood(0, 1, 3), -Infinity);
  assert.ok(Math.abs(coin.coinLikelihood(0.6, 3, 2) - 0.6 ** 3 * 0.4 ** 2) < 1e-16);
  assert.throws(() => coin.coinLogLikelihood(1.5, 1, 1), RangeError);
});

test("Monte Carlo: the estimates are unbiased with sd sqrt(Var_p[log q] / n)", () => {
  const p = [0.4, 0.3, 0.2, 0.1, 0], logQ = [0.1, 0.2, 0.3, 0.4, 0.5].map(Math.log);
  const exact = monteCarlo.expectation(p, logQ);
  assert.ok(Math.abs(exact - (0.4 * logQ[0] + 0.3 * logQ[1] + 0.2 * logQ[2] + 0.1 * logQ[3])) < 1e-15);
  const sigma = Math.sqrt(monteCarlo.variance(p, logQ));
  for (const n of [1, 10, 100]) {
    const estimates = monteCarlo.monteCarloEstimates(p, logQ, n, 4000, n);
    const predicted = sigma / Math.sqrt(n);
    assert.ok(Math.abs(monteCarlo.mean(estimates) - exact) < 5 * predicted / Math.sqrt(4000), `mean at n=${n}`);
    assert.ok(Math.abs(monteCarlo.sampleSd(estimates) / predicted - 1) < 0.06, `sd at n=${n}`);
  }
  const again = monteCarlo.monteCarloEstimates(p, logQ, 10, 50, 3);
  assert.deepEqual(again, monteCarlo.monteCarloEstimates(p, logQ, 10, 50, 3), "seeded");
  assert.notDeepEqual(again, monteCarlo.monteCarloEstimates(p, logQ, 10, 50, 4));
  assert.equal(monteCarlo.sampleSd([1, 2, 3, 4]), Math.sqrt(5 / 3));
});

test("KL explorer: weights normalise over the first n outcomes", () => {
  const { p, q } = kl.distributions(2, [0.25, 0.75, 0.9], [0, 0, 1]);
  assert.deepEqual(p, [0.25, 0.75]);
  assert.deepEqual(q, [0.5, 0.5]);
});

test("Bernoulli explorer: the pair of distributions and its KL", () => {
  assert.deepEqual(bernoulli.bernoulliPair(0.25, 1), { p: [0.75, 0.25], q: [0, 1] });
  assert.equal(bernoulli.klBernoulli(0.25, 1), Infinity);
});

test("forward / reverse: the mixture integrates to 1; the table is looked up by (weight, distance)", () => {
  let mass = 0;
  for (const [x, y] of forwardReverse.curve((x) => forwardReverse.twoModeDensity(x, 6, 1, 0.3), -12, 12, 24001)) mass += y * 0.001;
  assert.ok(Math.abs(mass - 1) < 1e-6);
  assert.ok(Math.abs(forwardReverse.twoModeDensity(-3, 6, 1, 0.3) - (0.3 * info.normalPdf(-3, -3, 1) + 0.7 * info.normalPdf(-3, 3, 1))) < 1e-16);
  const fits = Object.fromEntries(forwardReverse.FIT_KEYS.map((key, k) => [key, [[k, k + 0.5], [10 * k, 10 * k + 0.5]]]));
  assert.deepEqual(forwardReverse.fitAt(fits, 1, 0), Object.fromEntries(forwardReverse.FIT_KEYS.map((key, k) => [key, 10 * k])));
});

test("extra bits: q_t moves from p to r and its KL prediction from 0 to KL(p || r)", () => {
  const p = [0.5, 0.3, 0.2], r = [0.2, 0.3, 0.5];
  assert.deepEqual(extraBits.interpolate(p, r, 0), p);
  assert.deepEqual(extraBits.interpolate(p, r, 1).map((v) => Number(v.toFixed(12))), r);
  assert.equal(extraBits.extraBits(p, r, 0, 1.5, 1.5).predicted, 0);
  const end = extraBits.extraBits(p, r, 1, 1.49, 1.9);
  assert.ok(Math.abs(end.predicted - info.klDivergence(p, r, 2)) < 1e-15);
  assert.ok(Math.abs(end.measured - 0.41) < 1e-12);
  assert.throws(() => extraBits.interpolate(p, r, 1.2), RangeError);
});
