/**
 * Extra bits explorer: code samples of p with a model q and count the bits.
 *
 * The model q_t = (1 - t) p + t r moves from the truth p (t = 0) to a wrong guess r (t = 1).
 * The same n samples x_1..x_n ~ p were arithmetic-coded, when the page was built, with p and
 * with q_t for every t of the slider (mlebook.explorers.extra_bits: a table of measured bits;
 * an arithmetic coder is not re-implemented here). The page computes q_t, its bars, H(p) and
 * the prediction KL(p || q_t) in bits, which the measured extra bits per symbol,
 * (bits with q_t - bits with p) / n, match up to sampling noise and the coder's two bits per message.
 *
 * State: p, r, labels, ts (the slider's values of t), bits_p (bits/symbol coded with p),
 * bits_q (bits/symbol coded with q_t, one per t), n_samples, t_index, lang.
 */

import { fill, frame, h, slider } from "./lib/dom.js";
import { formatNumber } from "./lib/format.js";
import { entropy, klDivergence } from "./lib/info.js";
import { pqBars } from "./lib/divergences.js";
import { translator } from "./lib/strings.js";

/** q_t = (1 - t) p + t r. */
export function interpolate(p, r, t) {
  if (!(t >= 0 && t <= 1)) throw new RangeError(`t must lie in [0, 1], got ${t}`);
  return p.map((p_i, i) => (1 - t) * p_i + t * r[i]);
}

/** What the explorer shows at t, given the measured bits per symbol with p and with q_t. */
export function extraBits(p, r, t, bitsP, bitsQ) {
  const q = interpolate(p, r, t);
  return { q, hP: entropy(p, 2), bitsP, bitsQ, measured: bitsQ - bitsP, predicted: klDivergence(p, q, 2) };
}

export default {
  render({ model, el }) {
    const t = translator(model);
    const { controls, figure, readout } = frame(el, t("extra.title", { n: model.get("n_samples").toLocaleString("en-US") }));
    const p = model.get("p"), r = model.get("r"), ts = model.get("ts");
    const position = slider({ label: t("extra.t"), min: 0, max: ts.length - 1, step: 1, value: model.get("t_index"), format: (i) => ts[i].toFixed(2), onInput: (i) => { model.set("t_index", i); model.save_changes(); } });
    controls.append(position.element);
    const drawBars = pqBars(figure, { labels: model.get("labels"), label: t("extra.bars"), qName: "q_t" });
    const roles = ["h-p", "bits-p", "bits-q", "measured", "predicted"];
    const cells = Object.fromEntries(roles.map((role) => [role, h("b", { "data-role": role })]));
    for (const role of roles) readout.append(h("div", {}, fill(t(`extra.${role}`), { value: cells[role], unit: t("extra.unit") })));

    function update() {
      const i = model.get("t_index");
      position.set(i);
      const row = extraBits(p, r, ts[i], model.get("bits_p"), model.get("bits_q")[i]);
      drawBars(p, row.q);
      const values = { "h-p": row.hP, "bits-p": row.bitsP, "bits-q": row.bitsQ, measured: row.measured, predicted: row.predicted };
      for (const role of roles) cells[role].textContent = formatNumber(values[role]);
    }
    model.on("change:t_index", update);
    update();
    return () => model.off("change:t_index", update);
  },
};
