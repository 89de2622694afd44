/**
 * Monte Carlo explorer: the spread of the empirical log-likelihood
 *
 *   l_n = (1/n) sum_{i=1}^n log q(x_i),   x_i ~ p i.i.d.,
 *
 * an unbiased estimate of E_p[log q(x)] whose standard deviation is sqrt(Var_p[log q(x)] / n).
 * p and log q are full tables over all 2^D images of a small D (computed by the Python
 * wrapper from mlebook.chapters.estimation.TabulatedDistribution), so the exact expectation
 * and the predicted sd are exact sums here; the estimates are drawn in the page with a seeded
 * generator (lib/random.js), n_repeats of them for the chosen n, and shown as a histogram.
 *
 * State: p (probabilities, 2^D), log_q (nats, 2^D), sizes (the choices of n), n, n_repeats,
 * seed, lang.
 */

import { fill, frame, h, button, numberField, select } from "./lib/dom.js";
import { formatNumber } from "./lib/format.js";
import { createPlot, histogram, legend } from "./lib/plot.js";
import { categoricalSampler, xoshiro128ss } from "./lib/random.js";
import { translator } from "./lib/strings.js";

const BINS = 40;

/** E_p[g] = sum_x p(x) g(x), terms with p(x) = 0 counted as 0. */
export function expectation(p, values) {
  let total = 0;
  for (let i = 0; i < p.length; i++) if (p[i] > 0) total += p[i] * values[i];
  return total;
}

/** Var_p[g] = E_p[(g - E_p[g])^2]: the variance of one Monte Carlo term. */
export function variance(p, values) {
  const mean = expectation(p, values);
  return expectation(p, values.map((v) => (v - mean) ** 2));
}

/** n_repeats estimates, each the mean of log q over n draws from p (seeded). */
export function monteCarloEstimates(p, logQ, n, nRepeats, seed) {
  const draw = categoricalSampler(p, xoshiro128ss(seed));
  const estimates = new Float64Array(nRepeats);
  for (let r = 0; r < nRepeats; r++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += logQ[draw()];
    estimates[r] = total / n;
  }
  return estimates;
}

export function mean(values) {
  let total = 0;
  for (const v of values) total += v;
  return total / values.length;
}

/** The sample standard deviation (divisor n - 1). */
export function sampleSd(values) {
  const m = mean(values);
  let total = 0;
  for (const v of values) total += (v - m) ** 2;
  return Math.sqrt(total / (values.length - 1));
}

export default {
  render({ model, el }) {
    const t = translator(model);
    const { controls, figure, readout } = frame(el, t("mc.title"));
    const p = model.get("p"), logQ = model.get("log_q"), sizes = model.get("sizes"), repeats = model.get("n_repeats");
    const exact = expectation(p, logQ), sigma = Math.sqrt(variance(p, logQ));
    const save = (name, value) => { model.set(name, value); model.save_changes(); };
    const size = select({ label: t("mc.n"), options: sizes.map((n) => [String(n), String(n)]), value: String(model.get("n")), onChange: (v) => save("n", Number(v)) });
    const seed = numberField({ label: t("mc.seed"), min: 0, max: 2 ** 31 - 1, step: 1, value: model.get("seed"), onInput: (v) => save("seed", v) });
    const again = button({ label: t("mc.again"), onClick: () => save("seed", model.get("seed") + 1) });
    controls.append(h("div", { class: "mlebook-row" }, size.element, seed.element, again.element));

    // One x range for every n, wide enough for the smallest n, so the spread visibly shrinks.
    const widest = monteCarloEstimates(p, logQ, Math.min(...sizes), repeats, model.get("seed"));
    const lo = Math.min(...widest, exact - 4 * sigma), hi = Math.max(...widest, exact + 4 * sigma);
    const plot = createPlot({ xLabel: t("mc.x_axis"), yLabel: t("mc.y_axis"), label: t("mc.plot") });
    figure.append(plot.svg, legend([{ label: t("mc.estimates", { repeats }), className: "mlebook-p" }, { label: t("mc.exact_line"), className: "mlebook-mark" }]));

    const cells = Object.fromEntries(["exact", "mean", "sd", "predicted-sd"].map((role) => [role, h("b", { "data-role": role })]));
    readout.append(
      h("div", {}, fill(t("mc.readout_exact"), { exact: cells.exact, sigma: formatNumber(sigma) })),
      h("div", {}, fill(t("mc.readout_spread"), { repeats, mean: cells.mean, sd: cells.sd, predicted: cells["predicted-sd"] })),
    );

    function update() {
      const n = model.get("n");
      size.set(String(n));
      seed.set(model.get("seed"));
      const estimates = monteCarloEstimates(p, logQ, n, repeats, model.get("seed"));
      const { edges, counts } = histogram(estimates, BINS, lo, hi);
      const width = edges[1] - edges[0];
      const density = counts.map((c) => c / (repeats * width));
      plot.draw({
        x: [lo, hi], y: [0, Math.max(...density) * 1.1],
        marks: [
          { kind: "bars", bars: density.map((d, k) => ({ x0: edges[k], x1: edges[k + 1], y: d, className: "mlebook-p" })) },
          { kind: "vline", x: exact },
        ],
      });
      cells.exact.textContent = formatNumber(exact);
      cells.mean.textContent = formatNumber(mean(estimates));
      cells.sd.textContent = formatNumber(sampleSd(estimates));
      cells["predicted-sd"].textContent = formatNumber(sigma / Math.sqrt(n));
    }
    const events = ["change:n", "change:seed"];
    events.forEach((event) => model.on(event, update));
    update();
    return () => events.forEach((event) => model.off(event, update));
  },
};
