/**
 * SVG plots for the explorers: axes with ticks, lines, filled areas, vertical markers, bars
 * and histograms. Colours come from CSS classes (explorers.css), so plots follow the page's
 * light or dark theme.
 *
 * createPlot(options).draw({ x: [x0, x1], y: [y0, y1], xTicks, yTicks, marks }) redraws the
 * whole plot; marks are
 *   { kind: "line", points: [[x, y], ...], className, dashed }
 *   { kind: "area", points, className }            (filled down to y0)
 *   { kind: "vline", x, className, dashed }
 *   { kind: "bars", bars: [{ x0, x1, y, className, title }] }   (from y0 up to y)
 * y values outside [y0, y1] (including ±Infinity) are drawn at the nearest edge.
 *
 * Pure helpers (tested under node): niceTicks(lo, hi, count) and histogram(values, bins, lo, hi).
 */

import { h, s } from "./dom.js";

const fixed = (v) => v.toFixed(2);

/**
 * About `count` round numbers in [lo, hi]: multiples of a step of 1, 2 or 5 times a power of
 * ten, the one nearest (on a log scale) to (hi - lo) / count.
 */
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(count, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power)
    .reduce((best, candidate) => (Math.abs(Math.log(candidate / raw)) < Math.abs(Math.log(best / raw)) ? candidate : best));
  const ticks = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/**
 * Counts of `values` in `bins` equal bins covering [lo, hi]; a value equal to hi falls in the
 * last bin, values outside [lo, hi] are not counted. Returns { edges (bins + 1), counts }.
 */
export function histogram(values, bins, lo, hi) {
  if (!(bins >= 1) || !(hi > lo)) throw new RangeError("need bins >= 1 and hi > lo");
  const counts = new Array(bins).fill(0);
  const width = (hi - lo) / bins;
  for (const v of values) {
    if (!(v >= lo && v <= hi)) continue;
    counts[Math.min(Math.floor((v - lo) / width), bins - 1)] += 1;
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  return { edges, counts };
}

function tickLabel(tick) {
  return typeof tick === "object" ? tick : { value: tick, label: String(tick) };
}

export function createPlot({ width = 560, height = 220, margin = { top: 10, right: 12, bottom: 38, left: 56 }, xLabel = "", yLabel = "", label = "" } = {}) {
  // Never drawn wider than its own coordinates: it shrinks on a narrow screen, never grows.
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, class: "mlebook-plot", style: `max-width: ${width}px`, role: "img", "aria-label": label });
  const left = margin.left, right = width - margin.right, top = margin.top, bottom = height - margin.bottom;

  function draw({ x, y, xTicks, yTicks, marks = [] }) {
    const [x0, x1] = x, [y0, y1] = y;
    const sx = (v) => left + ((v - x0) / (x1 - x0)) * (right - left);
    const sy = (v) => {
      const clamped = Math.min(Math.max(v, y0), y1);
      return bottom - ((clamped - y0) / (y1 - y0)) * (bottom - top);
    };
    const nodes = [];
    for (const mark of marks) {
      if (mark.kind === "line" || mark.kind === "area") {
        let points = mark.points.map(([px, py]) => `${fixed(sx(px))},${fixed(sy(py))}`);
        if (mark.kind === "area" && mark.points.length) {
          points = [`${fixed(sx(mark.points[0][0]))},${fixed(bottom)}`, ...points, `${fixed(sx(mark.points[mark.points.length - 1][0]))},${fixed(bottom)}`];
          nodes.push(s("polygon", { class: `mlebook-area ${mark.className || ""}`, points: points.join(" ") }));
        } else {
          nodes.push(s("polyline", { class: `mlebook-line ${mark.className || ""}`, points: points.join(" "), "stroke-dasharray": mark.dashed ? "6 4" : null }));
        }
      } else if (mark.kind === "vline") {
        nodes.push(s("line", { class: `mlebook-marker ${mark.className || ""}`, x1: fixed(sx(mark.x)), x2: fixed(sx(mark.x)), y1: fixed(top), y2: fixed(bottom), "stroke-dasharray": mark.dashed ? "5 4" : null }));
      } else if (mark.kind === "bars") {
        for (const bar of mark.bars) {
          const yTop = sy(bar.y);
          nodes.push(s("rect", { class: `mlebook-bar ${bar.className || ""}`, x: fixed(sx(bar.x0)), width: fixed(Math.max(sx(bar.x1) - sx(bar.x0), 0)), y: fixed(yTop), height: fixed(bottom - yTop) },
            bar.title ? s("title", {}, bar.title) : null));
        }
      } else {
        throw new Error(`unknown mark kind ${mark.kind}`);
      }
    }
    const axes = [s("line", { class: "mlebook-axis", x1: left, x2: right, y1: bottom, y2: bottom }),
      s("line", { class: "mlebook-axis", x1: left, x2: left, y1: top, y2: bottom })];
    for (const tick of (xTicks || niceTicks(x0, x1)).map(tickLabel)) {
      const px = fixed(sx(tick.value));
      axes.push(s("line", { class: "mlebook-tick", x1: px, x2: px, y1: bottom, y2: bottom + 4 }),
        s("text", { class: "mlebook-tick-label", x: px, y: bottom + 15, "text-anchor": "middle" }, tick.label));
    }
    for (const tick of (yTicks || niceTicks(y0, y1, 4)).map(tickLabel)) {
      const py = fixed(sy(tick.value));
      axes.push(s("line", { class: "mlebook-tick", x1: left - 4, x2: left, y1: py, y2: py }),
        s("text", { class: "mlebook-tick-label", x: left - 6, y: py, "text-anchor": "end", "dominant-baseline": "middle" }, tick.label));
    }
    axes.push(s("text", { class: "mlebook-axis-label", x: (left + right) / 2, y: height - 4, "text-anchor": "middle" }, xLabel),
      s("text", { class: "mlebook-axis-label", x: 12, y: (top + bottom) / 2, "text-anchor": "middle", transform: `rotate(-90 12 ${(top + bottom) / 2})` }, yLabel));
    svg.replaceChildren(...nodes, ...axes);
  }

  return { svg, draw };
}

/** A legend: one coloured swatch and label per series ({ label, className, dashed }). */
export function legend(items) {
  return h("div", { class: "mlebook-legend" },
    items.map(({ label, className, dashed }) => h("span", { class: "mlebook-legend-item" },
      h("span", { class: `mlebook-swatch ${className}${dashed ? " mlebook-dashed" : ""}`, "aria-hidden": "true" }), label)));
}

/** Grouped bars of several distributions over the same outcomes (e.g. p and q), probabilities in [0, 1]. */
export function distributionBars(plot, { labels, series }) {
  const n = labels.length, k = series.length, groupWidth = 0.8, barWidth = groupWidth / k;
  const bars = [];
  series.forEach(({ values, className, name }, j) => {
    values.forEach((v, i) => {
      const x0 = i - groupWidth / 2 + j * barWidth;
      bars.push({ x0, x1: x0 + barWidth * 0.92, y: v, className, title: `${name}(${labels[i]}) = ${v.toFixed(3)}` });
    });
  });
  // The axis ends at the next tenth above the tallest bar (at most 1).
  const top = Math.min(1, Math.ceil(Math.max(...series.flatMap((serie) => serie.values), 0.05) * 10 + 0.5) / 10);
  plot.draw({ x: [-0.6, n - 0.4], y: [0, top], xTicks: labels.map((label, i) => ({ value: i, label })), marks: [{ kind: "bars", bars }] });
}
