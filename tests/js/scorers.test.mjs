// The in-page models (lib/scorers.js) and the playground's pure helpers, on tiny models that this
// test exports itself (a manifest and a buffer, as mlebook.explorers.playground writes them):
// every model's probabilities sum to 1 over all 2^D images, its walk gives the same log p, samples
// are binary, seeded and distributed as p, and completion matches the exact conditional.
import assert from "node:assert/strict";
import test from "node:test";
import { load } from "./paths.mjs";

const { asArrayBuffer, complete, conditionals, loadModels, logBernoulli, percentile, sigmoid, unpackRow } = await load("lib/scorers.js");
const { binarize, decodeBase64, regionMask, squareGrey } = await load("playground.js");
const { xoshiro128ss } = await load("lib/random.js");

const D = 6;

function normals(rng, n, scale = 1.5) {
  return Float32Array.from({ length: n }, () => {
    const u = Math.max(rng.random(), 1e-12), v = rng.random();
    return scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  });
}

/** A manifest and its buffer for models { name: { kind, tensors: { key: [TypedArray, shape] } } }. */
function exportModels(models, digits) {
  const parts = [];
  let length = 0;
  const add = (array, shape) => {
    const dtype = array instanceof Float32Array ? "float32" : array instanceof Int32Array ? "int32" : "uint8";
    const entry = { offset: length, dtype, shape };
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
    padded.set(bytes);
    parts.push(padded);
    length += padded.length;
    return entry;
  };
  const entries = Object.entries(models).map(([name, { kind, tensors }]) => ({
    name, kind, display: name, n_dims: D,
    tensors: Object.fromEntries(Object.entries(tensors).map(([key, [array, shape]]) => [key, add(array, shape)])),
    test_log_probs: add(Float32Array.of(-9, -5, -3, -1), [4]),
  }));
  const packed = new Uint8Array(digits.length);
  digits.forEach((x, k) => { x.forEach((bit, i) => { packed[k] |= bit << (7 - i); }); });
  const manifest = { format: "mlebook-playground", version: 1, n_dims: D, models: entries,
    test: { n: digits.length, digits: add(packed, [digits.length, 1]), labels: add(Uint8Array.from(digits, (_, k) => k), [digits.length]) } };
  const buffer = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) { buffer.set(part, offset); offset += part.length; }
  manifest.byte_length = length;
  return { manifest, buffer: buffer.buffer };
}

function tinyModels(seed = 1) {
  const rng = xoshiro128ss(seed), H = 4, K = 3, M = 5, orderings = 3;
  const inputDegrees = new Int32Array(orderings * D), hiddenDegrees = new Int32Array(orderings * M);
  for (let k = 0; k < orderings; k++) {
    const order = [...Array(D).keys()];
    for (let i = D - 1; i > 0; i--) { const j = Math.floor(rng.random() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
    order.forEach((pixel, t) => { inputDegrees[k * D + pixel] = t + 1; });
    for (let j = 0; j < M; j++) hiddenDegrees[k * M + j] = 1 + Math.floor(rng.random() * (D - 1));
  }
  return {
    independent: { kind: "independent", tensors: { logits: [normals(rng, D), [D]] } },
    mixture: { kind: "mixture", tensors: { mean_logits: [normals(rng, K * D), [K, D]], log_weights: [Float32Array.from([0.2, 0.5, 0.3], Math.log), [K]] } },
    fvsbn: { kind: "fvsbn", tensors: { bias: [normals(rng, D), [D]], lower: [normals(rng, (D * (D - 1)) / 2), [(D * (D - 1)) / 2]] } },
    nade: { kind: "nade", tensors: { weight_t: [normals(rng, D * H), [D, H]], c: [normals(rng, H), [H]], v: [normals(rng, D * H), [D, H]], b: [normals(rng, D), [D]] } },
    made: { kind: "made", tensors: {
      w1: [normals(rng, M * D), [M, D]], b1: [normals(rng, M), [M]], w2: [normals(rng, D * M), [D, M]], b2: [normals(rng, D), [D]],
      input_degrees: [inputDegrees, [orderings, D]], hidden_degrees: [hiddenDegrees, [orderings, M]], direct: [normals(rng, D * D), [D, D]] } },
  };
}

const allImages = Array.from({ length: 2 ** D }, (_, v) => Uint8Array.from({ length: D }, (_, i) => (v >> i) & 1));
const digits = [allImages[5], allImages[42]];
const { manifest, buffer } = exportModels(tinyModels(), digits);
const { models, names, test: testDigits } = loadModels(manifest, buffer);

test("every exported model is a distribution: p sums to 1 over all 2^D images", () => {
  assert.deepEqual(names, ["independent", "mixture", "fvsbn", "nade", "made"]);
  for (const name of names) {
    const total = allImages.reduce((sum, x) => sum + Math.exp(models[name].logProb(x)), 0);
    assert.ok(Math.abs(total - 1) < 1e-6, `${name}: ${total}`);  // the mixture's weights are float32
  }
});

test("log p is the sum of the log conditionals of the model's walk", () => {
  for (const name of ["independent", "mixture", "fvsbn", "nade"]) {
    for (const x of allImages.slice(0, 20)) {
      const p = conditionals(models[name], x);
      const sum = p.reduce((s, p_i, i) => s + Math.log(x[i] ? p_i : 1 - p_i), 0);
      assert.ok(Math.abs(sum - models[name].logProb(x)) < 1e-6, name);
    }
  }
});

test("MADE is the equal mixture of its orderings, each a distribution, each walk its own log p", () => {
  const made = models.made, orderings = made.core.orders.length;
  for (const x of allImages.slice(10, 30)) {
    const each = made.core.orderingLogProbs(x);
    const mixture = Math.log(each.reduce((s, v) => s + Math.exp(v), 0) / orderings);
    assert.ok(Math.abs(mixture - made.logProb(x)) < 1e-12);
  }
  const first = allImages.reduce((s, x) => s + Math.exp(made.core.orderingLogProbs(x)[0]), 0);
  assert.ok(Math.abs(first - 1) < 1e-9);
  for (const x of allImages.slice(0, 10)) {
    const p = conditionals(made, x);  // the walk of the first ordering
    const sum = p.reduce((s, p_i, i) => s + Math.log(x[i] ? p_i : 1 - p_i), 0);
    assert.ok(Math.abs(sum - made.core.orderingLogProbs(x)[0]) < 1e-9);
  }
});

test("samples are binary, the same seed gives the same sample, and they follow p", () => {
  const n = 4000;
  for (const name of names) {
    const model = models[name];
    assert.deepEqual(model.sample(7), model.sample(7));
    const counts = new Array(2 ** D).fill(0);
    for (let s = 0; s < n; s++) {
      const x = model.sample(s);
      assert.ok(x.length === D && x.every((bit) => bit === 0 || bit === 1));
      counts[x.reduce((v, bit, i) => v + (bit << i), 0)] += 1;
    }
    // each image's frequency within 5 standard errors of p(x)
    allImages.forEach((x, v) => {
      const p = Math.exp(model.logProb(x));
      assert.ok(Math.abs(counts[v] / n - p) < 5 * Math.sqrt(p * (1 - p) / n) + 2 / n, `${name}: image ${v}`);
    });
  }
});

test("completion draws the hidden pixels from p(hidden | observed), observed pixels kept", () => {
  const nade = models.nade, n = 3000;
  const x = allImages[45], hidden = Uint8Array.of(1, 0, 1, 0, 0, 0);  // observed pixels after hidden ones
  const exact = allImages.filter((y) => y.every((bit, i) => hidden[i] || bit === x[i]));
  const joint = exact.map((y) => Math.exp(nade.logProb(y))), total = joint.reduce((a, b) => a + b, 0);
  const counts = new Map();
  let essSeen = 0;
  for (let s = 0; s < n; s++) {
    const { image, ess } = complete(nade, x, hidden, { seed: s, draws: 16 });
    assert.ok(image.every((bit, i) => hidden[i] || bit === x[i]));
    const key = image.join("");
    counts.set(key, (counts.get(key) || 0) + 1);
    essSeen = ess;
    assert.ok(ess >= 1 - 1e-12 && ess <= 16 + 1e-9);
  }
  exact.forEach((y, k) => {
    const p = joint[k] / total, f = (counts.get(y.join("")) || 0) / n;
    assert.ok(Math.abs(f - p) < 5 * Math.sqrt(p * (1 - p) / n) + 0.02, `completion ${y.join("")}: ${f} vs ${p}`);
  });
  assert.ok(essSeen < 16, "observed pixels after hidden ones make the weights unequal");
  // every observed pixel before every hidden one: all weights are equal
  const last = complete(nade, x, Uint8Array.of(0, 0, 0, 0, 1, 1), { seed: 3, draws: 8 });
  assert.ok(Math.abs(last.ess - 8) < 1e-9);
});

test("percentiles, unpacked digits, stable Bernoulli logs and bad input", () => {
  const sorted = Float32Array.of(-9, -5, -3, -1);
  assert.equal(percentile(sorted, -10), 0);
  assert.equal(percentile(sorted, -4), 50);
  assert.equal(percentile(sorted, -3), 50);
  assert.equal(percentile(sorted, 0), 100);
  assert.deepEqual(testDigits.digit(1), allImages[42]);
  assert.equal(testDigits.label(1), 1);
  assert.deepEqual(unpackRow(Uint8Array.of(0b10100000, 0b01000000), 1, 3), Uint8Array.of(0, 1, 0));
  assert.ok(Math.abs(logBernoulli(800, 0) + 800) < 1e-9 && logBernoulli(800, 1) === 0);
  assert.ok(Math.abs(logBernoulli(0.3, 1) - Math.log(sigmoid(0.3))) < 1e-15);
  assert.throws(() => models.nade.logProb([0, 1, 2, 0, 0, 0]), /not 0 or 1/);
  assert.throws(() => models.nade.logProb([0, 1]), /6 pixels/);
  assert.throws(() => loadModels({ ...manifest, version: 2 }, buffer), /version 1/);
  assert.throws(() => loadModels(manifest, buffer.slice(4)), /bytes/);
  assert.throws(() => loadModels({ ...manifest, models: [{ ...manifest.models[0], kind: "unknown" }] }, buffer), /no scorer/);
  const view = new DataView(new Uint8Array([9, 9, 9, 9, ...new Uint8Array(buffer)]).buffer, 4);  // as Jupyter hands buffers
  assert.equal(asArrayBuffer(view).byteLength, buffer.byteLength);
  assert.equal(loadModels(manifest, view).models.nade.logProb(allImages[3]), models.nade.logProb(allImages[3]));
});

test("the drawing is binarized as the data are: squares' mean grey > 127", () => {
  const side = 2, scale = 2, rgba = new Uint8Array(4 * 16);
  const paint = (x, y, v) => { rgba[4 * (y * 4 + x)] = v; };
  paint(0, 0, 255); paint(1, 0, 255); // square 0: mean 127.5 -> 128 -> ink
  paint(2, 0, 254); paint(3, 0, 254); // square 1: mean 127 -> background
  paint(0, 2, 255); paint(1, 2, 255); paint(0, 3, 255); paint(1, 3, 255); // square 2: 255
  const grey = squareGrey(rgba, side, scale);
  assert.deepEqual(grey, Uint8Array.of(128, 127, 255, 0));
  assert.deepEqual(binarize(grey), Uint8Array.of(1, 0, 1, 0));
  assert.equal(regionMask("bottom").reduce((a, b) => a + b, 0), 392);
  assert.equal(regionMask("centre").reduce((a, b) => a + b, 0), 196);
  assert.equal(regionMask("left")[0], 1);
  assert.equal(regionMask("right")[0], 0);
  assert.throws(() => regionMask("middle"), /unknown region/);
  assert.deepEqual(decodeBase64("AAEC/w=="), Uint8Array.of(0, 1, 2, 255));
});
