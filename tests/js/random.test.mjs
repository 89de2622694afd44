import assert from "node:assert/strict";
import test from "node:test";
import { load } from "./paths.mjs";

const { categoricalSampler, splitmix32, xoshiro128ss } = await load("lib/random.js");

test("a seed gives the same stream every time; another seed another stream", () => {
  const a = xoshiro128ss(42), b = xoshiro128ss(42), c = xoshiro128ss(43);
  const first = Array.from({ length: 10 }, () => a.nextWord());
  assert.deepEqual(Array.from({ length: 10 }, () => b.nextWord()), first);
  assert.notDeepEqual(Array.from({ length: 10 }, () => c.nextWord()), first);
  for (const word of first) assert.ok(Number.isInteger(word) && word >= 0 && word < 2 ** 32);
  assert.notEqual(splitmix32(0)(), splitmix32(1)());
});

test("random() is uniform on [0, 1): mean, variance and the ten deciles", () => {
  const rng = xoshiro128ss(7), n = 200_000, deciles = new Array(10).fill(0);
  let sum = 0, squares = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.random();
    assert.ok(u >= 0 && u < 1);
    sum += u; squares += u * u;
    deciles[Math.floor(u * 10)] += 1;
  }
  assert.ok(Math.abs(sum / n - 0.5) < 0.005);
  assert.ok(Math.abs(squares / n - (sum / n) ** 2 - 1 / 12) < 0.002);
  const chi2 = deciles.reduce((total, count) => total + (count - n / 10) ** 2 / (n / 10), 0);
  assert.ok(chi2 < 27.9, `chi-square ${chi2} on 9 degrees of freedom (p < 0.001)`);
});

test("the categorical sampler draws each outcome with its probability and never an impossible one", () => {
  const probs = [0.5, 0, 0.2, 0.25, 0, 0.05], n = 100_000, counts = new Array(probs.length).fill(0);
  const draw = categoricalSampler(probs, xoshiro128ss(3));
  for (let i = 0; i < n; i++) counts[draw()] += 1;
  assert.equal(counts[1], 0);
  assert.equal(counts[4], 0);
  let chi2 = 0;
  probs.forEach((p, i) => { if (p > 0) chi2 += (counts[i] - n * p) ** 2 / (n * p); });
  assert.ok(chi2 < 16.3, `chi-square ${chi2} on 3 degrees of freedom (p < 0.001)`);
  assert.throws(() => categoricalSampler([0, 0], xoshiro128ss(0)), RangeError);
  assert.throws(() => categoricalSampler([0.5, -0.5], xoshiro128ss(0)), RangeError);
});
