/**
 * Coin explorer: the likelihood of a coin's bias theta after n_H heads and n_T tails,
 *
 *   L(theta) = theta^n_H (1 - theta)^n_T,   l(theta) = n_H log theta + n_T log(1 - theta)  (nats),
 *
 * with 0 log 0 = 0, and its maximiser theta* = n_H / (n_H + n_T) (closed form), computed and
 * drawn in the page as the counts move (mirrors mlebook.chapters.estimation).
 *
 * State: n_heads, n_tails, max_count, lang.
 */

import { fill, frame, h, powerOfTen, slider } from "./lib/dom.js";
import { formatNumber, scientificOfNumber, scientificParts } from "./lib/format.js";
import { createPlot } from "./lib/plot.js";
import { translator } from "./lib/strings.js";

const GRID = Array.from({ length: 201 }, (_, k) => k / 200);

/** k log x with 0 log x = 0 (also for x = 0). */
function xlogy(k, x) {
  return k === 0 ? 0 : k * Math.log(x);
}

export function coinLogLikelihood(theta, nHeads, nTails) {
  if (!(theta >= 0 && theta <= 1)) throw new RangeError(`theta must lie in [0, 1], got ${theta}`);
  return xlogy(nHeads, theta) + xlogy(nTails, 1 - theta);
}

export function coinLikelihood(theta, nHeads, nTails) {
  return Math.exp(coinLogLikelihood(theta, nHeads, nTails));
}

/** theta* = n_H / (n_H + n_T); null when there are no flips (every theta is as good). */
export function coinMle(nHeads, nTails) {
  return nHeads + nTails === 0 ? null : nHeads / (nHeads + nTails);
}

export default {
  render({ model, el }) {
    const t = translator(model);
    const { controls, figure, readout } = frame(el, t("coin.title"));
    const save = (name, value) => { model.set(name, value); model.save_changes(); };
    const max = model.get("max_count");
    const heads = slider({ label: t("coin.heads"), min: 0, max, step: 1, value: model.get("n_heads"), onInput: (v) => save("n_heads", v) });
    const tails = slider({ label: t("coin.tails"), min: 0, max, step: 1, value: model.get("n_tails"), onInput: (v) => save("n_tails", v) });
    controls.append(h("div", { class: "mlebook-row" }, heads.element, tails.element));
    const plots = [
      createPlot({ width: 300, height: 200, xLabel: "θ", yLabel: "L(θ)", label: t("coin.likelihood") }),
      createPlot({ width: 300, height: 200, xLabel: "θ", yLabel: t("coin.log_axis"), label: t("coin.log_likelihood") }),
    ];
    figure.append(h("div", { class: "mlebook-row mlebook-pair" }, plots.map((plot) => plot.svg)));

    function update() {
      const nH = model.get("n_heads"), nT = model.get("n_tails");
      heads.set(nH);
      tails.set(nT);
      const best = coinMle(nH, nT);
      const logs = GRID.map((theta) => coinLogLikelihood(theta, nH, nT));
      const marker = best === null ? [] : [{ kind: "vline", x: best, dashed: true }];
      const bestLog = best === null ? 0 : coinLogLikelihood(best, nH, nT);
      const finiteLogs = logs.filter(Number.isFinite);
      const low = Math.min(...finiteLogs, bestLog - 1);
      plots[0].draw({ x: [0, 1], y: [0, Math.exp(bestLog) * 1.1], xTicks: [0, 0.5, 1], marks: [{ kind: "line", points: GRID.map((theta, k) => [theta, Math.exp(logs[k])]), className: "mlebook-p" }, ...marker] });
      plots[1].draw({ x: [0, 1], y: [low, bestLog + 0.05 * (bestLog - low + 1)], xTicks: [0, 0.5, 1], marks: [{ kind: "line", points: GRID.map((theta, k) => [theta, logs[k]]), className: "mlebook-p" }, ...marker] });
      if (best === null) {
        readout.replaceChildren(h("div", { "data-role": "no-flips" }, t("coin.no_flips")));
        return;
      }
      const { mantissa, exponent } = scientificOfNumber(Math.exp(bestLog));
      const shown = powerOfTen(scientificParts(mantissa, exponent, 2));
      readout.replaceChildren(h("div", {}, fill(t("coin.readout"), {
        theta: h("b", { "data-role": "theta-star" }, formatNumber(best)),
        log: h("b", { "data-role": "max-log-likelihood" }, formatNumber(bestLog)),
        likelihood: h("b", { "data-role": "max-likelihood" }, shown),
      })));
    }
    const events = ["change:n_heads", "change:n_tails"];
    events.forEach((event) => model.on(event, update));
    update();
    return () => events.forEach((event) => model.off(event, update));
  },
};
