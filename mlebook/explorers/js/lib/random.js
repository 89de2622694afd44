/**
 * A seeded pseudo-random generator, so that an explorer draws the same samples on every page
 * load and in every browser.
 *
 * xoshiro128** (Blackman & Vigna, 2018), 128 bits of state, each output a 32-bit word
 *
 *   out = rotl(s1 * 5, 7) * 9;  t = s1 << 9;
 *   s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11)
 *
 * (all arithmetic modulo 2^32), its state filled from the seed by four outputs of splitmix32:
 *
 *   a += 0x9e3779b9; z = a; z = (z ^ z >>> 16) * 0x21f0aaad; z = (z ^ z >>> 15) * 0x735a2d97; out = z ^ z >>> 15.
 *
 * random() is out / 2^32, uniform on [0, 1) in steps of 2^-32. categoricalSampler(probs, rng)
 * draws index i with probability probs[i] / sum(probs): the first i whose cumulative sum
 * exceeds u * sum(probs), found by bisection (O(log n) per draw).
 */

function rotl(x, k) {
  return (x << k) | (x >>> (32 - k));
}

export function splitmix32(seed) {
  let a = seed | 0;
  return function next() {
    a = (a + 0x9e3779b9) | 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

export function xoshiro128ss(seed) {
  const init = splitmix32(seed);
  let s0 = init(), s1 = init(), s2 = init(), s3 = init();
  const nextWord = () => {
    const out = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
    return out;
  };
  return { nextWord, random: () => nextWord() / 4294967296 };
}

export function categoricalSampler(probs, rng) {
  const cumulative = new Float64Array(probs.length);
  let total = 0;
  for (let i = 0; i < probs.length; i++) {
    if (!(probs[i] >= 0)) throw new RangeError("probabilities must be non-negative numbers");
    total += probs[i];
    cumulative[i] = total;
  }
  if (!(total > 0)) throw new RangeError("probabilities must not all be 0");
  const last = probs.length - 1;
  return function draw() {
    const u = rng.random() * total;
    let lo = 0, hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > u) hi = mid; else lo = mid + 1;
    }
    return lo;
  };
}
