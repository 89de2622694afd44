import assert from "node:assert/strict";
import test from "node:test";
import { load } from "./paths.mjs";

const { histogram, niceTicks } = await load("lib/plot.js");

test("ticks are round numbers covering the range", () => {
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(-8, 8, 4), [-5, 0, 5]);
  assert.deepEqual(niceTicks(-7.3, -2.1, 5), [-7, -6, -5, -4, -3]);
  assert.deepEqual(niceTicks(0.013, 0.031, 3), [0.015, 0.02, 0.025, 0.03]);
  const ticks = niceTicks(0, 0.4508, 4);
  assert.ok(ticks[0] === 0 && ticks.at(-1) <= 0.4508 && ticks.length >= 3);
});

test("a histogram counts each value once, the top edge in the last bin, outside values not at all", () => {
  const { edges, counts } = histogram([0, 0.1, 0.5, 0.99, 1, 1.5, -0.1], 4, 0, 1);
  assert.deepEqual(edges, [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(counts, [2, 0, 1, 2]);
  assert.throws(() => histogram([1], 0, 0, 1), RangeError);
});
