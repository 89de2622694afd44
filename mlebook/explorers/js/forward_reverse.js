/**
 * Forward vs reverse KL: the data p is a mixture of two normals with standard deviation sigma
 * at -d/2 and +d/2 (weight w on the left one); the model q = N(mu, s^2) is one normal fitted
 * by forward KL(p || q) (maximum likelihood: mu and s^2 are the mean and variance of p) and by
 * reverse KL(q || p) (no closed form). The fits come from a table the Python wrapper computed
 * for a grid of d and w (mlebook.explorers.kl.fits_table); the page looks them up and draws
 *
 *   p(x) = w N(x; -d/2, sigma^2) + (1 - w) N(x; d/2, sigma^2)   and both N(x; mu, s^2).
 *
 * State: distances, weights (the grids), sigma, fits ({key: [[value per distance] per weight]}),
 * distance_index, weight_index, lang.
 */

import { frame, h, slider } from "./lib/dom.js";
import { formatNumber } from "./lib/format.js";
import { mixturePdf, normalPdf } from "./lib/info.js";
import { createPlot, legend } from "./lib/plot.js";
import { translator } from "./lib/strings.js";

export const FIT_KEYS = ["forward_mu", "forward_sigma", "reverse_mu", "reverse_sigma", "forward_kl_pq", "forward_kl_qp", "reverse_kl_pq", "reverse_kl_qp"];
const POINTS = 321;

export function twoModeMixture(distance, sigma, weight) {
  return { weights: [weight, 1 - weight], means: [-distance / 2, distance / 2], sigmas: [sigma, sigma] };
}

/** The density of twoModeMixture(distance, sigma, weight) at x. */
export function twoModeDensity(x, distance, sigma, weight) {
  const m = twoModeMixture(distance, sigma, weight);
  return mixturePdf(x, m.weights, m.means, m.sigmas);
}

/** The row of the fits table for weight index i and distance index j. */
export function fitAt(fits, i, j) {
  return Object.fromEntries(FIT_KEYS.map((key) => [key, fits[key][i][j]]));
}

/** POINTS points [x, f(x)] evenly spaced on [x0, x1]. */
export function curve(f, x0, x1, n = POINTS) {
  return Array.from({ length: n }, (_, k) => { const x = x0 + ((x1 - x0) * k) / (n - 1); return [x, f(x)]; });
}

export default {
  render({ model, el }) {
    const t = translator(model);
    const { controls, figure, readout } = frame(el, t("forward.title"));
    const distances = model.get("distances"), weights = model.get("weights"), sigma = model.get("sigma"), fits = model.get("fits");
    const save = (name, value) => { model.set(name, value); model.save_changes(); };
    const distance = slider({ label: t("forward.distance"), min: 0, max: distances.length - 1, step: 1, value: model.get("distance_index"), format: (i) => distances[i].toFixed(2), onInput: (i) => save("distance_index", i) });
    const weight = slider({ label: t("forward.weight"), min: 0, max: weights.length - 1, step: 1, value: model.get("weight_index"), format: (i) => weights[i].toFixed(2), onInput: (i) => save("weight_index", i) });
    controls.append(h("div", { class: "mlebook-row" }, distance.element, weight.element));

    const halfWidth = Math.max(8, Math.max(...distances) / 2 + 4 * sigma);
    const smallestSigma = Math.min(sigma, ...fits.forward_sigma.flat(), ...fits.reverse_sigma.flat());
    const yMax = 1.1 / (smallestSigma * Math.sqrt(2 * Math.PI));
    const plot = createPlot({ xLabel: "x", yLabel: t("forward.density"), label: t("forward.plot") });
    figure.append(plot.svg, legend([
      { label: t("forward.data"), className: "mlebook-data" },
      { label: t("forward.forward"), className: "mlebook-forward" },
      { label: t("forward.reverse"), className: "mlebook-reverse", dashed: true },
    ]));

    const cells = {};
    for (const fit of ["forward", "reverse"]) {
      const line = h("div", {}, h("span", { class: `mlebook-fit-name` }, t(`forward.${fit}`)), t("common.colon"));
      for (const [key, symbol] of [["mu", "μ"], ["sigma", "σ"], ["kl_pq", "KL(p ‖ q)"], ["kl_qp", "KL(q ‖ p)"]]) {
        cells[`${fit}_${key}`] = h("b", { "data-role": `${fit}-${key.replace("_", "-")}` });
        line.append(h("span", { class: "mlebook-reading" }, `${symbol} = `, cells[`${fit}_${key}`]), " ");
      }
      line.append(t("common.nats"));
      readout.append(line);
    }

    function update() {
      const i = model.get("weight_index"), j = model.get("distance_index");
      distance.set(j);
      weight.set(i);
      const row = fitAt(fits, i, j), d = distances[j], w = weights[i];
      plot.draw({
        x: [-halfWidth, halfWidth], y: [0, yMax],
        marks: [
          { kind: "area", points: curve((x) => twoModeDensity(x, d, sigma, w), -halfWidth, halfWidth), className: "mlebook-data" },
          { kind: "line", points: curve((x) => normalPdf(x, row.forward_mu, row.forward_sigma), -halfWidth, halfWidth), className: "mlebook-forward" },
          { kind: "line", points: curve((x) => normalPdf(x, row.reverse_mu, row.reverse_sigma), -halfWidth, halfWidth), className: "mlebook-reverse", dashed: true },
        ],
      });
      for (const key of FIT_KEYS) cells[key].textContent = formatNumber(row[key]);
    }
    const events = ["change:distance_index", "change:weight_index"];
    events.forEach((event) => model.on(event, update));
    update();
    return () => events.forEach((event) => model.off(event, update));
  },
};
