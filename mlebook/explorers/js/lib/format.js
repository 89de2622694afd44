/**
 * Numbers as the explorers show them.
 *
 * - formatNumber(x, digits): fixed decimals ("0.498"), "∞" / "-∞" for infinities, and "0.000"
 *   rather than "-0.000" for a tiny negative rounding error. NaN is a bug, never a reading: it
 *   throws, so that the page logs an error and the browser tests fail.
 * - scientificParts(m, e, digits): m × 10^e with the mantissa rounded to `digits` decimals,
 *   carrying into the exponent when rounding gives 10 (9.996 × 10^3 -> 1.00 × 10^4).
 * - scientificOfNumber(x): (m, e) with x = m × 10^e and 1 <= m < 10, for a positive float.
 */

export function formatNumber(x, digits = 3) {
  if (Number.isNaN(x)) throw new Error("a displayed value is NaN");
  if (x === Infinity) return "∞";
  if (x === -Infinity) return "-∞";
  const text = x.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

export function scientificParts(mantissa, exponent, digits = 2) {
  let text = mantissa.toFixed(digits);
  if (Number(text) >= 10) {
    text = (mantissa / 10).toFixed(digits);
    exponent += 1;
  }
  return { mantissa: text, exponent };
}

export function scientificOfNumber(x) {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`need a positive finite number, got ${x}`);
  let exponent = Math.floor(Math.log10(x));
  const half = Math.trunc(exponent / 2);  // 10^-324 underflows: divide in two steps
  let mantissa = x / 10 ** half / 10 ** (exponent - half);
  if (mantissa >= 10) { mantissa /= 10; exponent += 1; }
  if (mantissa < 1) { mantissa *= 10; exponent -= 1; }
  return { mantissa, exponent };
}
