/**
 * Entropy, cross-entropy and KL divergence in the page, mirroring mlebook.info.
 *
 *   H(p)       = - sum_x p(x) log p(x)
 *   H(p, q)    = - sum_x p(x) log q(x)
 *   KL(p || q) =   sum_x p(x) log (p(x) / q(x)) = H(p, q) - H(p)
 *
 * with 0 log q = 0 (also for q = 0) and p log 0 = -inf for p > 0, so a model that gives 0 to
 * an outcome the data can produce is infinitely wrong. `base` null or undefined: nats;
 * base 2: bits. Sums run in the same order as mlebook.info's, so both agree to rounding.
 *
 * Also the normal density N(x; mu, sigma^2) and a mixture of normals sum_k w_k N(x; mu_k, sigma_k^2).
 */

function inBase(nats, base) {
  if (base === null || base === undefined) return nats;
  if (!(base > 0) || base === 1) throw new RangeError(`base must be positive and not 1, got ${base}`);
  return nats / Math.log(base);
}

function checkPair(p, q) {
  if (p.length !== q.length) throw new RangeError(`p and q must have the same number of outcomes, got ${p.length} and ${q.length}`);
}

/** sum_x p(x) log q(x) with the conventions above (nats). */
export function sumPLogQ(p, q) {
  checkPair(p, q);
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] > 0) total += p[i] * Math.log(q[i]);
  }
  return total;
}

export function entropy(p, base) {
  return inBase(0 - sumPLogQ(p, p), base);
}

export function crossEntropy(p, q, base) {
  return inBase(0 - sumPLogQ(p, q), base);
}

/** KL(p || q), rounding errors just below 0 clipped to 0 (as mlebook.info does). */
export function klDivergence(p, q, base) {
  checkPair(p, q);
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] > 0) total += p[i] * Math.log(p[i]) - p[i] * Math.log(q[i]);
  }
  return inBase(Math.max(total, 0), base);
}

/** KL(Bernoulli(p) || Bernoulli(q)) for p, q = probabilities of the outcome 1. */
export function klBernoulli(p, q, base) {
  return klDivergence([p, 1 - p], [q, 1 - q], base);
}

/** w / sum(w), or the uniform distribution when every weight is 0. */
export function normaliseWeights(weights) {
  if (weights.some((w) => !(w >= 0))) throw new RangeError("weights must be non-negative numbers");
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (total > 0 ? w / total : 1 / weights.length));
}

export function normalPdf(x, mu, sigma) {
  const z = (x - mu) / sigma;
  return Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI));
}

export function mixturePdf(x, weights, means, sigmas) {
  let total = 0;
  for (let k = 0; k < weights.length; k++) total += weights[k] * normalPdf(x, means[k], sigmas[k]);
  return total;
}
