/**
 * What the KL explorers share: the four numbers of a pair (p, q) and the readout that shows them,
 *
 *   KL(p || q), KL(q || p), H(p), H(p, q) = H(p) + KL(p || q),
 *
 * in nats or bits, and the p / q bar chart.
 */

import { h } from "./dom.js";
import { formatNumber } from "./format.js";
import { crossEntropy, entropy, klDivergence } from "./info.js";
import { createPlot, distributionBars, legend } from "./plot.js";

export const UNIT_BASES = { nats: null, bits: 2 };

export function divergenceValues(p, q, base) {
  return { klPQ: klDivergence(p, q, base), klQP: klDivergence(q, p, base), hP: entropy(p, base), hPQ: crossEntropy(p, q, base) };
}

const ROWS = [["kl-pq", "klPQ", "KL(p ‖ q)"], ["kl-qp", "klQP", "KL(q ‖ p)"], ["h-p", "hP", "H(p)"], ["h-pq", "hPQ", "H(p, q)"]];

/** A readout of the four numbers in `container`; returns update(values, unitText). */
export function divergenceReadout(container) {
  const cells = {}, units = [];
  for (const [role, key, symbol] of ROWS) {
    cells[key] = h("b", { "data-role": role });
    const unit = h("span", { class: "mlebook-unit" });
    units.push(unit);
    container.append(h("span", { class: "mlebook-reading" }, `${symbol} = `, cells[key], " ", unit));
  }
  return (values, unitText) => {
    for (const [, key] of ROWS) cells[key].textContent = formatNumber(values[key]);
    for (const unit of units) unit.textContent = unitText;
  };
}

/** Bars of p and q over `labels`, with a legend; returns update(p, q). */
export function pqBars(container, { labels, label, pName = "p", qName = "q" }) {
  const plot = createPlot({ width: 420, height: 160, margin: { top: 8, right: 8, bottom: 24, left: 36 }, label });
  container.append(plot.svg, legend([{ label: pName, className: "mlebook-p" }, { label: qName, className: "mlebook-q" }]));
  return (p, q) => distributionBars(plot, {
    labels: labels.slice(0, p.length),
    series: [{ values: p, className: "mlebook-p", name: pName }, { values: q, className: "mlebook-q", name: qName }],
  });
}
