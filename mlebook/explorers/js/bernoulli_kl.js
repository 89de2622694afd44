/**
 * Bernoulli KL explorer: p = Bernoulli(a) and q = Bernoulli(b), each set by a slider over
 * P(x = 1), their bars, and KL(p || q), KL(q || p), H(p), H(p, q), computed in the page:
 *
 *   KL(p || q) = a log(a / b) + (1 - a) log((1 - a) / (1 - b)),  infinite where b puts 0 on an
 *   outcome that a can produce (b = 0 < a or b = 1 > a).
 *
 * State: p, q (the probabilities of x = 1), unit ("nats" or "bits"), lang.
 */

import { frame, h, select, slider } from "./lib/dom.js";
import { UNIT_BASES, divergenceReadout, divergenceValues, pqBars } from "./lib/divergences.js";
import { translator } from "./lib/strings.js";

export { klBernoulli } from "./lib/info.js";

export const STEP = 0.001;

/** The distributions over the outcomes (0, 1) with P(x = 1) = a and b. */
export function bernoulliPair(a, b) {
  return { p: [1 - a, a], q: [1 - b, b] };
}

export default {
  render({ model, el }) {
    const t = translator(model);
    const { controls, figure, readout } = frame(el, t("bernoulli.title"));
    const save = (name, value) => { model.set(name, value); model.save_changes(); };
    const sliders = {};
    for (const name of ["p", "q"]) {
      sliders[name] = slider({ label: t("bernoulli.probability", { name }), min: 0, max: 1, step: STEP, value: model.get(name), format: (v) => v.toFixed(3), onInput: (v) => save(name, v) });
    }
    const unit = select({ label: t("common.unit"), options: [["nats", t("common.nats")], ["bits", t("common.bits")]], value: model.get("unit"), onChange: (v) => save("unit", v) });
    controls.append(h("div", { class: "mlebook-row" }, sliders.p.element, sliders.q.element, unit.element));
    const drawBars = pqBars(figure, { labels: ["x = 0", "x = 1"], label: t("kl.bars") });
    const showReadout = divergenceReadout(readout);

    function update() {
      const a = model.get("p"), b = model.get("q");
      sliders.p.set(a);
      sliders.q.set(b);
      unit.set(model.get("unit"));
      const { p, q } = bernoulliPair(a, b);
      drawBars(p, q);
      showReadout(divergenceValues(p, q, UNIT_BASES[model.get("unit")]), t(`common.${model.get("unit")}`));
    }
    const events = ["change:p", "change:q", "change:unit"];
    events.forEach((event) => model.on(event, update));
    update();
    return () => events.forEach((event) => model.off(event, update));
  },
};
