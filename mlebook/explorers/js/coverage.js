/**
 * Coverage explorer: how much of the space of s × s binary images n examples can show.
 *
 *   D = s^2 pixels,  |X| = 2^D images,  a share of at most min(n, 2^D) / 2^D of them seen,
 *   and a full table of probabilities needs 2^D - 1 parameters.
 *
 * Everything is exact: 2^D is a BigInt, and each number is shown as m × 10^e with the exponent
 * found by exact integer arithmetic (as mlebook.chapters.counting.scientific does), so 2^784 and
 * 10^7 / 2^784 (about 10^-229) come out right although no float can hold them.
 *
 * State: side, log10_examples (n = 10^log10_examples), max_side, max_log10_examples, lang.
 */

import { fill, frame, h, powerOfTen, slider } from "./lib/dom.js";
import { scientificParts } from "./lib/format.js";
import { translator } from "./lib/strings.js";

const MANTISSA_DIGITS = 17n;

function pow10(k) {
  return 10n ** BigInt(k);
}

/**
 * numerator / denominator (positive BigInts) as { mantissa, exponent } with
 * value = mantissa × 10^exponent, 1 <= mantissa < 10; the exponent is exact, the mantissa
 * good to about 1e-16.
 */
export function scientific(numerator, denominator = 1n) {
  if (numerator <= 0n || denominator <= 0n) throw new RangeError("need a positive value");
  let exponent = numerator.toString().length - denominator.toString().length;
  const below = (e) => (e >= 0 ? numerator < denominator * pow10(e) : numerator * pow10(-e) < denominator);
  if (below(exponent)) exponent -= 1;
  const [top, bottom] = exponent >= 0 ? [numerator, denominator * pow10(exponent)] : [numerator * pow10(-exponent), denominator];
  const scaled = (top * 10n ** MANTISSA_DIGITS) / bottom;
  return { mantissa: Number(scaled) / 10 ** Number(MANTISSA_DIGITS), exponent };
}

/** The numbers the explorer shows for images of side `side` and n = 10^log10Examples examples. */
export function coverageNumbers(side, log10Examples) {
  const nPixels = side * side;
  const nImages = 1n << BigInt(nPixels);
  const nExamples = pow10(log10Examples);
  const seen = nExamples < nImages ? nExamples : nImages;
  return {
    nPixels,
    nDigits: nImages.toString().length,
    images: scientific(nImages),
    share: scientific(seen, nImages),
    covers: seen === nImages,
    parameters: scientific(nImages - 1n),
  };
}

export default {
  render({ model, el }) {
    const t = translator(model);
    const { controls, readout } = frame(el, t("coverage.title"));
    const save = (name, value) => { model.set(name, value); model.save_changes(); };
    const side = slider({ label: t("coverage.side"), min: 1, max: model.get("max_side"), step: 1, value: model.get("side"), onInput: (v) => save("side", v) });
    const examples = slider({ label: t("coverage.examples"), min: 0, max: model.get("max_log10_examples"), step: 1, value: model.get("log10_examples"), format: (v) => `10^${v}`, onInput: (v) => save("log10_examples", v) });
    controls.append(h("div", { class: "mlebook-row" }, side.element, examples.element));

    const power = (parts) => powerOfTen(scientificParts(parts.mantissa, parts.exponent, 2));
    const two = (exponent) => h("span", { class: "mlebook-number" }, "2", h("sup", {}, String(exponent)));
    const ten = (exponent) => h("span", { class: "mlebook-number" }, "10", h("sup", {}, String(exponent)));

    function update() {
      const s = model.get("side"), k = model.get("log10_examples");
      side.set(s);
      examples.set(k);
      const numbers = coverageNumbers(s, k);
      const lines = [
        fill(t("coverage.space"), { D: h("b", { "data-role": "n-pixels" }, String(numbers.nPixels)), power: two(numbers.nPixels), images: h("b", { "data-role": "n-images" }, power(numbers.images)), digits: h("b", { "data-role": "n-digits" }, String(numbers.nDigits)) }),
        fill(t(numbers.covers ? "coverage.all" : "coverage.share"), { n: ten(k), share: h("b", { "data-role": "share" }, power(numbers.share)) }),
        fill(t("coverage.table"), { power: two(numbers.nPixels), parameters: h("b", { "data-role": "parameters" }, power(numbers.parameters)) }),
      ];
      readout.replaceChildren(...lines.map((line) => h("div", {}, line)));
    }
    const events = ["change:side", "change:log10_examples"];
    events.forEach((event) => model.on(event, update));
    update();
    return () => events.forEach((event) => model.off(event, update));
  },
};
