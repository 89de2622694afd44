import assert from "node:assert/strict";
import test from "node:test";
import { load } from "./paths.mjs";

const info = await load("lib/info.js");
const { xoshiro128ss } = await load("lib/random.js");

function randomDistribution(rng, n) {
  return info.normaliseWeights(Array.from({ length: n }, () => rng.random() + 1e-3));
}

test("KL is 0 for equal distributions and positive otherwise (Gibbs' inequality)", () => {
  const rng = xoshiro128ss(1);
  for (let k = 0; k < 200; k++) {
    const n = 2 + (k % 5);
    const p = randomDistribution(rng, n), q = randomDistribution(rng, n);
    assert.ok(info.klDivergence(p, q) > 0);
    assert.equal(info.klDivergence(p, p), 0);
    const gap = info.crossEntropy(p, q) - info.entropy(p) - info.klDivergence(p, q);
    assert.ok(Math.abs(gap) < 1e-12, "H(p, q) = H(p) + KL(p || q)");
  }
});

test("a model giving 0 to a possible outcome is infinitely wrong; outcomes p never produces cost nothing", () => {
  assert.equal(info.klDivergence([0.5, 0.5], [1, 0]), Infinity);
  assert.equal(info.crossEntropy([0.5, 0.5], [1, 0]), Infinity);
  assert.equal(info.klDivergence([1, 0], [0.5, 0.5]), Math.log(2));
  assert.equal(info.entropy([1, 0, 0]), 0);
});

test("bits are nats divided by ln 2; other bases are refused", () => {
  const p = [0.7, 0.2, 0.1], q = [0.2, 0.3, 0.5];
  assert.ok(Math.abs(info.klDivergence(p, q, 2) - info.klDivergence(p, q) / Math.LN2) < 1e-15);
  assert.equal(info.entropy([0.5, 0.5], 2), 1);
  assert.throws(() => info.entropy(p, 1), RangeError);
  assert.throws(() => info.klDivergence([1], [0.5, 0.5]), RangeError);
});

test("Bernoulli KL matches its closed form and its infinite edges", () => {
  const a = 0.3, b = 0.6;
  const closed = a * Math.log(a / b) + (1 - a) * Math.log((1 - a) / (1 - b));
  assert.ok(Math.abs(info.klBernoulli(a, b) - closed) < 1e-15);
  assert.equal(info.klBernoulli(0.5, 0), Infinity);
  assert.equal(info.klBernoulli(0.5, 1), Infinity);
  assert.equal(info.klBernoulli(0, 0), 0);
});

test("weights normalise, all-zero weights give the uniform distribution, negative ones are refused", () => {
  assert.deepEqual(info.normaliseWeights([1, 3]), [0.25, 0.75]);
  assert.deepEqual(info.normaliseWeights([0, 0, 0, 0]), [0.25, 0.25, 0.25, 0.25]);
  assert.throws(() => info.normaliseWeights([1, -1]), RangeError);
});

test("the normal and mixture densities integrate to 1 and have the right mean", () => {
  const step = 0.001;
  let mass = 0, first = 0;
  for (let x = -20; x <= 20; x += step) {
    const density = info.mixturePdf(x, [0.3, 0.7], [-2, 3], [1, 0.5]);
    mass += density * step;
    first += x * density * step;
  }
  assert.ok(Math.abs(mass - 1) < 1e-6, `mass ${mass}`);
  assert.ok(Math.abs(first - (0.3 * -2 + 0.7 * 3)) < 1e-6, `mean ${first}`);
  assert.ok(Math.abs(info.normalPdf(0, 0, 1) - 1 / Math.sqrt(2 * Math.PI)) < 1e-16);
});
