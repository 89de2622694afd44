/**
 * KL explorer: two distributions p and q on 2 to 6 outcomes, set by weight sliders, their bars,
 * and KL(p || q), KL(q || p), H(p), H(p, q) recomputed in the page at every move.
 *
 * The sliders are unnormalised weights w in [0, 1]: the distribution shown is w / sum(w)
 * (uniform when every weight is 0), so any position of the sliders is a valid distribution.
 *
 * State (the Python wrapper's traitlets): n_outcomes, p_weights and q_weights (6 weights each;
 * only the first n_outcomes count), unit ("nats" or "bits"), lang.
 */

import { frame, h, button, select, slider } from "./lib/dom.js";
import { formatNumber } from "./lib/format.js";
import { normaliseWeights } from "./lib/info.js";
import { UNIT_BASES, divergenceReadout, divergenceValues, pqBars } from "./lib/divergences.js";
import { translator } from "./lib/strings.js";

export const MAX_OUTCOMES = 6;
export const WEIGHT_STEP = 0.01;

/** The normalised (p, q) that the first n weights describe. */
export function distributions(nOutcomes, pWeights, qWeights) {
  return { p: normaliseWeights(pWeights.slice(0, nOutcomes)), q: normaliseWeights(qWeights.slice(0, nOutcomes)) };
}

export default {
  render({ model, el }) {
    const t = translator(model);
    const { controls, figure, readout } = frame(el, t("kl.title"));
    const save = (name, value) => { model.set(name, value); model.save_changes(); };
    const setWeight = (name, i) => (v) => {
      const weights = [...model.get(name)];
      weights[i] = v;
      save(name, weights);
    };

    const outcomes = slider({ label: t("kl.outcomes"), min: 2, max: MAX_OUTCOMES, step: 1, value: model.get("n_outcomes"), onInput: (v) => save("n_outcomes", v) });
    const unit = select({ label: t("common.unit"), options: [["nats", t("common.nats")], ["bits", t("common.bits")]], value: model.get("unit"), onChange: (v) => save("unit", v) });
    const swap = button({ label: t("kl.swap"), onClick: () => {
      const p = model.get("p_weights"), q = model.get("q_weights");
      model.set("p_weights", q);
      model.set("q_weights", p);
      model.save_changes();
    } });
    controls.append(h("div", { class: "mlebook-row" }, outcomes.element, unit.element, swap.element));

    const rows = [];
    const table = h("div", { class: "mlebook-weights" });
    for (let i = 0; i < MAX_OUTCOMES; i++) {
      const cells = {};
      for (const name of ["p", "q"]) {
        cells[name] = slider({ label: t("kl.weight", { name, x: i }), min: 0, max: 1, step: WEIGHT_STEP, value: model.get(`${name}_weights`)[i], format: (v) => v.toFixed(2), onInput: setWeight(`${name}_weights`, i) });
        cells[`${name}Shown`] = h("span", { class: "mlebook-prob" });
      }
      const row = h("div", { class: "mlebook-weight-row" }, cells.p.element, cells.pShown, cells.q.element, cells.qShown);
      rows.push({ row, ...cells });
      table.append(row);
    }
    controls.append(h("p", { class: "mlebook-help" }, t("kl.help")), table);

    const drawBars = pqBars(figure, { labels: Array.from({ length: MAX_OUTCOMES }, (_, i) => String(i)), label: t("kl.bars") });
    const showReadout = divergenceReadout(readout);

    function update() {
      const n = model.get("n_outcomes"), pWeights = model.get("p_weights"), qWeights = model.get("q_weights");
      const { p, q } = distributions(n, pWeights, qWeights);
      outcomes.set(n);
      unit.set(model.get("unit"));
      rows.forEach((r, i) => {
        r.row.hidden = i >= n;
        r.p.set(pWeights[i]);
        r.q.set(qWeights[i]);
        r.pShown.textContent = i < n ? `p(${i}) = ${formatNumber(p[i])}` : "";
        r.qShown.textContent = i < n ? `q(${i}) = ${formatNumber(q[i])}` : "";
      });
      drawBars(p, q);
      showReadout(divergenceValues(p, q, UNIT_BASES[model.get("unit")]), t(`common.${model.get("unit")}`));
    }
    const events = ["change:n_outcomes", "change:p_weights", "change:q_weights", "change:unit"];
    events.forEach((event) => model.on(event, update));
    update();
    return () => events.forEach((event) => model.off(event, update));
  },
};
