/**
 * The book's trained models, run in the page from their exported weights
 * (mlebook.explorers.playground writes them: a JSON manifest naming each tensor's offset, type and
 * shape in one little-endian buffer of float32 / int32 / uint8). Arithmetic is in float64 on the
 * float32 weights, so scores agree with Python's log_prob to well under 0.01 nats.
 *
 * Every model is a distribution over binary images x in {0, 1}^D, autoregressive in an order σ:
 *
 *   log p(x) = Σ_t log Bernoulli(x_σt; sigmoid(l_σt)),   l_i the logit of p(x_i = 1 | pixels before i),
 *   log Bernoulli(x; sigmoid(l)) = −softplus(−(2x − 1) l)   (stable for any l).
 *
 * A model's walker() visits the pixels in its `order`: logit(i) is l_i given the pixels observed so
 * far, observe(i, bit) sets pixel i. The scorers, one per `kind` (SCORERS, the registry that
 * mirrors mlebook.explorers.playground.EXPORTS):
 *
 *   independent  l_i = logits_i.
 *   mixture      p(x) = Σ_k π_k Π_i Bernoulli(x_i; μ_ki); the walk keeps the log posterior over
 *                components, l_i = logsumexp_k(w_k + log μ_ki) − logsumexp_k(w_k + log(1 − μ_ki)).
 *   fvsbn        l_i = b_i + Σ_{j<i} W_ij x_j (W strictly lower triangular).
 *   nade         l_i = b_i + V_i · sigmoid(a_i), a_i = c + Σ_{j<i} W_{:,j} x_j (a running sum).
 *   made         K orderings of one masked network: with degrees d_ki (inputs) and m_kj (hidden),
 *                h_kj = relu(b1_j + Σ_{i: d_ki ≤ m_kj} W1_ji x_i),
 *                l_ki = b2_i + Σ_{j: m_kj < d_ki} W2_ij h_kj + Σ_{l: d_kl < d_ki} A_il x_l,
 *                log p(x) = logsumexp_k log p_k(x) − log K (the exact mixture, as MADE.log_prob);
 *                a sample picks k uniformly, then walks ordering k.
 *
 * Helpers: sample(model, seed) (each pixel x_i = [u < sigmoid(l_i)], u from the seeded
 * xoshiro128**), conditionals(model, x) (p(x_i = 1 | x before i) at x), percentile(sorted, v),
 * and complete(model, x, hidden, {seed, draws}): the hidden pixels drawn given the rest by
 * importance resampling. Walking σ, a hidden pixel is drawn from p(x_i | pixels before it) and an
 * observed one is kept, so a draw r comes from q(x_h) = Π_{i hidden} p(x_i | x_before i); its
 * weight w_r = p(x_h, x_o) / q(x_h) = Π_{i observed} p(x_i | x_before i) (it counts the observed
 * pixels that come after hidden ones). One of the draws is picked with probability w_r / Σ w: a
 * sample of p(x_h | x_o) as draws → ∞, and exact for any number of draws when no observed pixel
 * comes after a hidden one (all weights are then equal). It returns the effective sample size
 * (Σ w)² / Σ w², which says how many independent draws the picked one is worth.
 */

import { categoricalSampler, xoshiro128ss } from "./random.js";

const TYPES = { float32: Float32Array, int32: Int32Array, uint8: Uint8Array };
export const FORMAT = "mlebook-playground";
export const VERSION = 1;

export function sigmoid(l) {
  return 1 / (1 + Math.exp(-l));
}

function softplus(z) {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** log Bernoulli(bit; sigmoid(logit)) in nats. */
export function logBernoulli(logit, bit) {
  return -softplus(bit ? -logit : logit);
}

function logSumExp(values) {
  let top = -Infinity;
  for (const v of values) if (v > top) top = v;
  if (top === -Infinity) return -Infinity;
  let total = 0;
  for (const v of values) total += Math.exp(v - top);
  return top + Math.log(total);
}

/** An ArrayBuffer holding exactly these bytes (a view is copied unless it spans its whole buffer). */
export function asArrayBuffer(data) {
  if (data instanceof ArrayBuffer) return data;
  if (ArrayBuffer.isView(data)) {
    if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) return data.buffer;
    return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  }
  throw new TypeError("the weights must be an ArrayBuffer or a typed array / DataView");
}

/** The typed array a manifest entry { offset, dtype, shape } names in buffer. */
export function tensor(buffer, entry, what = "tensor") {
  const Type = TYPES[entry.dtype];
  if (!Type) throw new TypeError(`${what}: unknown dtype ${entry.dtype}`);
  const length = entry.shape.reduce((a, b) => a * b, 1);
  if (entry.offset % Type.BYTES_PER_ELEMENT || entry.offset + length * Type.BYTES_PER_ELEMENT > buffer.byteLength) {
    throw new RangeError(`${what}: bytes ${entry.offset}.. do not fit the ${buffer.byteLength}-byte buffer`);
  }
  return new Type(buffer, entry.offset, length);
}

function raster(n) {
  return Int32Array.from({ length: n }, (_, i) => i);
}

function walkLogProb(walker, order, x) {
  let total = 0;
  for (const i of order) {
    total += logBernoulli(walker.logit(i), x[i]);
    walker.observe(i, x[i]);
  }
  return total;
}

function walkSample(walker, order, rng, n) {
  const x = new Uint8Array(n);
  for (const i of order) {
    x[i] = rng.random() < sigmoid(walker.logit(i)) ? 1 : 0;
    walker.observe(i, x[i]);
  }
  return x;
}

// ---- one scorer per kind: (n, tensors) -> { order, walker(), logProb?(x), sample?(rng) } -----

function independent(n, { logits }) {
  return {
    order: raster(n),
    walker: () => ({ logit: (i) => logits[i], observe() {} }),
    logProb(x) {
      let total = 0;
      for (let i = 0; i < n; i++) total += logBernoulli(logits[i], x[i]);
      return total;
    },
  };
}

function mixture(n, { mean_logits: meanLogits, log_weights: logWeights }) {
  const k = logWeights.length;
  const logOn = new Float64Array(k * n), logOff = new Float64Array(k * n);
  for (let m = 0; m < k * n; m++) {
    logOn[m] = logBernoulli(meanLogits[m], 1);
    logOff[m] = logBernoulli(meanLogits[m], 0);
  }
  return {
    order: raster(n),
    walker() {
      const posterior = Float64Array.from(logWeights), on = new Float64Array(k), off = new Float64Array(k);
      return {
        logit(i) {
          for (let c = 0; c < k; c++) { on[c] = posterior[c] + logOn[c * n + i]; off[c] = posterior[c] + logOff[c * n + i]; }
          return logSumExp(on) - logSumExp(off);
        },
        observe(i, bit) {
          const table = bit ? logOn : logOff;
          for (let c = 0; c < k; c++) posterior[c] += table[c * n + i];
        },
      };
    },
    logProb(x) {
      const joint = Float64Array.from(logWeights);
      for (let c = 0; c < k; c++) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += x[i] ? logOn[c * n + i] : logOff[c * n + i];
        joint[c] += sum;
      }
      return logSumExp(joint);
    },
  };
}

function fvsbn(n, { bias, lower }) {
  return {
    order: raster(n),
    walker() {
      const running = Float64Array.from(bias);
      return {
        logit: (i) => running[i],
        observe(j, bit) {
          if (!bit) return;
          for (let i = j + 1; i < n; i++) running[i] += lower[(i * (i - 1)) / 2 + j];
        },
      };
    },
  };
}

function nade(n, { weight_t: weightT, c, v, b }) {
  const hidden = c.length;
  return {
    order: raster(n),
    walker() {
      const a = Float64Array.from(c);
      return {
        logit(i) {
          let total = b[i];
          const row = i * hidden;
          for (let j = 0; j < hidden; j++) total += v[row + j] / (1 + Math.exp(-a[j]));
          return total;
        },
        observe(i, bit) {
          if (!bit) return;
          const row = i * hidden;
          for (let j = 0; j < hidden; j++) a[j] += weightT[row + j];
        },
      };
    },
  };
}

function made(n, { w1, b1, w2, b2, input_degrees: inputDegrees, hidden_degrees: hiddenDegrees, direct }) {
  const hidden = b1.length, k = inputDegrees.length / n;
  const degrees = (ordering) => [inputDegrees.subarray(ordering * n, (ordering + 1) * n), hiddenDegrees.subarray(ordering * hidden, (ordering + 1) * hidden)];
  const orders = Array.from({ length: k }, (_, ordering) => {
    const order = new Int32Array(n);
    degrees(ordering)[0].forEach((degree, i) => { order[degree - 1] = i; });
    return order;
  });
  const outputLogit = (i, d, m, h, on) => {
    const di = d[i], row = i * hidden;
    let total = b2[i];
    for (let j = 0; j < hidden; j++) if (m[j] < di && h[j] > 0) total += w2[row + j] * h[j];
    if (direct) for (const l of on) if (d[l] < di) total += direct[i * n + l];
    return total;
  };
  function orderingLogProb(ordering, x, on) {
    const [d, m] = degrees(ordering);
    const h = new Float64Array(hidden);
    for (let j = 0; j < hidden; j++) {
      let total = b1[j];
      const row = j * n;
      for (const i of on) if (d[i] <= m[j]) total += w1[row + i];
      h[j] = Math.max(total, 0);
    }
    let sum = 0;
    for (let i = 0; i < n; i++) sum += logBernoulli(outputLogit(i, d, m, h, on), x[i]);
    return sum;
  }
  function walker(ordering) {
    const [d, m] = degrees(ordering);
    const a = Float64Array.from(b1), h = new Float64Array(hidden), on = [];
    return {
      logit(i) {
        for (let j = 0; j < hidden; j++) h[j] = Math.max(a[j], 0);
        return outputLogit(i, d, m, h, on);
      },
      observe(i, bit) {
        if (!bit) return;
        const di = d[i];
        for (let j = 0; j < hidden; j++) if (m[j] >= di) a[j] += w1[j * n + i];
        on.push(i);
      },
    };
  }
  return {
    order: orders[0],
    orders,
    walker: () => walker(0),
    orderingLogProbs(x) {
      const on = [];
      for (let i = 0; i < n; i++) if (x[i]) on.push(i);
      return Array.from({ length: k }, (_, ordering) => orderingLogProb(ordering, x, on));
    },
    logProb(x) {
      return logSumExp(this.orderingLogProbs(x)) - Math.log(k);
    },
    sample(rng) {
      const ordering = Math.min(Math.floor(rng.random() * k), k - 1);
      return walkSample(walker(ordering), orders[ordering], rng, n);
    },
  };
}

export const SCORERS = { independent, mixture, fvsbn, nade, made };

function checkImage(x, n) {
  if (!x || x.length !== n) throw new RangeError(`an image must have ${n} pixels, got ${x ? x.length : x}`);
  for (let i = 0; i < n; i++) if (x[i] !== 0 && x[i] !== 1) throw new RangeError(`pixel ${i} is ${x[i]}, not 0 or 1`);
}

/**
 * One model from its manifest entry: { name, kind, display, nDims, order, walker(),
 * logProb(x) (nats), sample(seed) (a Uint8Array of 0/1), testLogProbs (sorted) }.
 */
export function buildModel(entry, buffer) {
  const scorer = SCORERS[entry.kind];
  if (!scorer) throw new Error(`no scorer for models of kind "${entry.kind}" (${entry.name})`);
  const tensors = Object.fromEntries(Object.entries(entry.tensors).map(([key, t]) => [key, tensor(buffer, t, `${entry.name}.${key}`)]));
  const n = entry.n_dims, core = scorer(n, tensors);
  const model = {
    name: entry.name, kind: entry.kind, display: entry.display, nDims: n, order: core.order,
    walker: core.walker, core,
    testLogProbs: tensor(buffer, entry.test_log_probs, `${entry.name}.test_log_probs`),
    logProb(x) {
      checkImage(x, n);
      return core.logProb ? core.logProb(x) : walkLogProb(core.walker(), core.order, x);
    },
    sample(seed) {
      const rng = xoshiro128ss(seed);
      return core.sample ? core.sample(rng) : walkSample(core.walker(), core.order, rng, n);
    },
  };
  return model;
}

/** Unpack row k of bits packed 8 to a byte, most significant bit first (numpy.packbits). */
export function unpackRow(packed, k, n) {
  const bytes = Math.ceil(n / 8), x = new Uint8Array(n);
  for (let i = 0; i < n; i++) x[i] = (packed[k * bytes + (i >> 3)] >> (7 - (i & 7))) & 1;
  return x;
}

/** { models: {name: model}, names, test: { n, digit(k), label(k) } } from a manifest and its buffer. */
export function loadModels(manifest, data) {
  if (!manifest || manifest.format !== FORMAT || manifest.version !== VERSION) {
    throw new Error(`not a ${FORMAT} version ${VERSION} manifest`);
  }
  const buffer = asArrayBuffer(data);
  if (buffer.byteLength !== manifest.byte_length) {
    throw new RangeError(`the weights have ${buffer.byteLength} bytes, the manifest says ${manifest.byte_length}`);
  }
  const models = {};
  for (const entry of manifest.models) models[entry.name] = buildModel(entry, buffer);
  const packed = tensor(buffer, manifest.test.digits, "test digits"), labels = tensor(buffer, manifest.test.labels, "test labels");
  const n = manifest.test.n, nDims = manifest.n_dims;
  return {
    models, names: manifest.models.map((entry) => entry.name),
    test: { n, digit: (k) => unpackRow(packed, k, nDims), label: (k) => labels[k] },
  };
}

/** p(x_i = 1 | pixels before i in the model's order), at x: a Float64Array of D probabilities. */
export function conditionals(model, x) {
  checkImage(x, model.nDims);
  const walker = model.walker(), p = new Float64Array(model.nDims);
  for (const i of model.order) {
    p[i] = sigmoid(walker.logit(i));
    walker.observe(i, x[i]);
  }
  return p;
}

/** The percentage of `sorted` (ascending) strictly below value. */
export function percentile(sorted, value) {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1; else hi = mid;
  }
  return (100 * lo) / sorted.length;
}

/**
 * The hidden pixels of x (hidden[i] = 1) drawn given the others, by importance resampling of
 * `draws` walks (see the top of this file). Returns { image, ess, logWeights }.
 */
export function complete(model, x, hidden, { seed = 0, draws = 32 } = {}) {
  checkImage(x, model.nDims);
  const rng = xoshiro128ss(seed), images = [], logWeights = new Float64Array(draws);
  for (let r = 0; r < draws; r++) {
    const walker = model.walker(), image = new Uint8Array(model.nDims);
    let logWeight = 0;
    for (const i of model.order) {
      const logit = walker.logit(i);
      if (hidden[i]) image[i] = rng.random() < sigmoid(logit) ? 1 : 0;
      else { image[i] = x[i]; logWeight += logBernoulli(logit, image[i]); }
      walker.observe(i, image[i]);
    }
    images.push(image);
    logWeights[r] = logWeight;
  }
  const top = Math.max(...logWeights);
  const weights = Array.from(logWeights, (w) => Math.exp(w - top));
  const sum = weights.reduce((a, b) => a + b, 0), squares = weights.reduce((a, w) => a + w * w, 0);
  const picked = categoricalSampler(weights, rng)();
  return { image: images[picked], ess: (sum * sum) / squares, logWeights };
}
