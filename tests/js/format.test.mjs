import assert from "node:assert/strict";
import test from "node:test";
import { load } from "./paths.mjs";

const { formatNumber, scientificOfNumber, scientificParts } = await load("lib/format.js");

test("formatNumber shows fixed decimals, infinities and no negative zero", () => {
  assert.equal(formatNumber(0.49812), "0.498");
  assert.equal(formatNumber(12), "12.000");
  assert.equal(formatNumber(-1.23456, 2), "-1.23");
  assert.equal(formatNumber(-1e-17), "0.000");
  assert.equal(formatNumber(-0.0004), "0.000");
  assert.equal(formatNumber(-0.0006), "-0.001");
  assert.equal(formatNumber(Infinity), "∞");
  assert.equal(formatNumber(-Infinity), "-∞");
});

test("formatNumber refuses NaN, which would be a bug in an explorer", () => {
  assert.throws(() => formatNumber(NaN), /NaN/);
});

test("scientificParts carries a rounded mantissa of 10 into the exponent", () => {
  assert.deepEqual(scientificParts(9.996, 3, 2), { mantissa: "1.00", exponent: 4 });
  assert.deepEqual(scientificParts(1.0159, -229, 2), { mantissa: "1.02", exponent: -229 });
});

test("scientificOfNumber splits floats into a mantissa in [1, 10) and an exponent", () => {
  for (const x of [1, 9.99, 10, 0.001, 7.9e-31, 123456.789, 5e-324, 1.7e308]) {
    const { mantissa, exponent } = scientificOfNumber(x);
    assert.ok(mantissa >= 1 && mantissa < 10, `${x}: mantissa ${mantissa}`);
    assert.ok(Math.abs(mantissa * 10 ** exponent - x) <= 1e-12 * x || x < 1e-300, `${x}`);
  }
  assert.deepEqual(scientificOfNumber(1000), { mantissa: 1, exponent: 3 });
  assert.throws(() => scientificOfNumber(0), RangeError);
});
