/**
 * Model playground: draw a digit and watch each of the book's trained models score it; sample new
 * digits and complete hidden pixels with NADE. Everything is computed in the page from the
 * exported weights (lib/scorers.js), with no kernel and no network.
 *
 * The drawing: strokes go on a 280 × 280 paper; each 10 × 10 square becomes one pixel of a
 * 28 × 28 image with grey level g = round(mean of its 8-bit values), and bit = [g > 127], the
 * threshold binarization of the book's digits (mlebook.data.binarize). For each model the
 * readout shows log p(x) in nats, the ideal code length −log₂ p(x) = −log p(x) / ln 2 in bits,
 * and the percentage of the test digits whose log p is lower (their scores, sorted, come with
 * the weights). The NADE panel shows p(x_i = 1 | x_<i) at the drawn image.
 *
 * Where the weights come from (state "weights_source"): "site", the static book's files beside
 * this module (data/playground.json + .bin over http; data/playground.data.js, a classic script,
 * from file://, where pages may not fetch files); "kernel", Jupyter: the widget asks its Python
 * side with a custom message {request: "weights"} and gets the manifest and one binary buffer.
 * Once loaded, window.mlebook.models[name] offers logProb(x) (x: D values 0/1, nats) and
 * sample(seed) (a Uint8Array of 0/1) to scripts and tests.
 *
 * State: models (names), digit (first test digit, 0-based), seed, sample_model, weights_source, lang.
 */

import { button, frame, h, numberField, select } from "./lib/dom.js";
import { formatNumber } from "./lib/format.js";
import { complete, conditionals, loadModels, percentile } from "./lib/scorers.js";
import { translator } from "./lib/strings.js";

export const SIDE = 28;
export const SCALE = 10; // paper pixels per image pixel
export const THRESHOLD = 127; // bit = [grey > 127], as mlebook.data.binarize
export const N_SAMPLES = 16;
export const DRAWS = 32; // importance-resampling draws per completion
const PEN_WIDTH = { ink: 2.4 * SCALE, erase: 3.2 * SCALE };
const HIDE_RADIUS = 1.6; // in image pixels
export const REGIONS = ["none", "bottom", "top", "left", "right", "centre"];

/** Grey levels of the SIDE × SIDE squares of an RGBA paper (red channel), rounded to 0..255. */
export function squareGrey(rgba, side = SIDE, scale = SCALE) {
  const grey = new Uint8Array(side * side), width = side * scale;
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      let total = 0;
      for (let y = r * scale; y < (r + 1) * scale; y++) {
        for (let x = c * scale; x < (c + 1) * scale; x++) total += rgba[4 * (y * width + x)];
      }
      grey[r * side + c] = Math.round(total / (scale * scale));
    }
  }
  return grey;
}

/** Bits of grey levels: [g > 127]. */
export function binarize(grey) {
  return Uint8Array.from(grey, (g) => (g > THRESHOLD ? 1 : 0));
}

/** The pixels a region hides: 1 where hidden. */
export function regionMask(region, side = SIDE) {
  const half = side / 2, quarter = side / 4;
  const inside = {
    none: () => false,
    bottom: (r) => r >= half,
    top: (r) => r < half,
    left: (r, c) => c < half,
    right: (r, c) => c >= half,
    centre: (r, c) => r >= quarter && r < side - quarter && c >= quarter && c < side - quarter,
  }[region];
  if (!inside) throw new RangeError(`unknown region ${region}`);
  return Uint8Array.from({ length: side * side }, (_, i) => (inside(Math.floor(i / side), i % side) ? 1 : 0));
}

/** For each model: log p(x) (nats), −log₂ p(x) (bits), % of test digits with a lower log p. */
export function readings(models, names, x) {
  return names.map((name) => {
    const logProb = models[name].logProb(x);
    return { name, logProb, bits: -logProb / Math.LN2, percentile: percentile(models[name].testLogProbs, logProb) };
  });
}

/** Bytes of a base64 text. */
export function decodeBase64(text) {
  const binary = atob(text), bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// ---- loading the weights: once per page (site) or per widget (kernel) -------------------------

let fromSite = null;
const fromKernel = new WeakMap();

function siteFolder() {
  // loader.js says where the explorers' files are (this module may run from a data: URL)
  return new URL("data/", window.mlebookExplorerBase || import.meta.url);
}

function loadSite() {
  const folder = siteFolder();
  if (window.location.protocol === "file:") {
    return new Promise((resolve, reject) => {
      window.mlebookPlaygroundData = (manifest, text) => resolve({ manifest, buffer: decodeBase64(text) });
      const script = document.createElement("script");
      script.src = new URL("playground.data.js", folder).href;
      script.onerror = () => reject(new Error(`could not load ${script.src}`));
      document.head.appendChild(script);
    });
  }
  const get = (name, as) => fetch(new URL(name, folder)).then((response) => {
    if (!response.ok) throw new Error(`could not load ${response.url}: ${response.status}`);
    return response[as]();
  });
  return Promise.all([get("playground.json", "json"), get("playground.bin", "arrayBuffer")])
    .then(([manifest, buffer]) => ({ manifest, buffer }));
}

function loadKernel(model) {
  return new Promise((resolve) => {
    const answer = (message, buffers) => {
      if (!message || !message.weights) return;
      model.off("msg:custom", answer);
      resolve({ manifest: message.weights, buffer: buffers[0] });
    };
    model.on("msg:custom", answer);
    model.send({ request: "weights" });
  });
}

export function loadWeights(model) {
  let promise;
  if (model.get("weights_source") === "site") promise = fromSite = fromSite || loadSite();
  else {
    if (!fromKernel.has(model)) fromKernel.set(model, loadKernel(model));
    promise = fromKernel.get(model);
  }
  return promise.then(({ manifest, buffer }) => {
    const loaded = loadModels(manifest, buffer);
    window.mlebook = window.mlebook || {};
    window.mlebook.models = { ...(window.mlebook.models || {}), ...loaded.models };
    return { ...loaded, bytes: manifest.byte_length };
  });
}

// ---- drawing ---------------------------------------------------------------------------------

function paintImage(context, x, hidden, scale) {
  const image = context.createImageData(SIDE * scale, SIDE * scale);
  for (let py = 0; py < SIDE * scale; py++) {
    for (let px = 0; px < SIDE * scale; px++) {
      const i = Math.floor(py / scale) * SIDE + Math.floor(px / scale), o = 4 * (py * SIDE * scale + px);
      const grid = scale > 2 && (px % scale === 0 || py % scale === 0);
      let rgb = x[i] ? [20, 20, 20] : grid ? [232, 232, 232] : [255, 255, 255];
      if (hidden && hidden[i]) rgb = x[i] ? [150, 70, 0] : [255, 214, 170];
      image.data.set([...rgb, 255], o);
    }
  }
  context.putImageData(image, 0, 0);
}

function paintProbabilities(context, p, left = 0, top = 0) {
  const image = context.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const v = Math.round(255 * (1 - p[i]));
    image.data.set([v, v, v, 255], 4 * i);
  }
  context.putImageData(image, left, top);
}

function canvas(width, height, label, className) {
  return h("canvas", { width, height, class: `mlebook-canvas ${className}`, role: "img", "aria-label": label });
}

export default {
  async render({ model, el }) {
    const t = translator(model);
    const { controls, figure, readout } = frame(el, t("playground.title"));
    readout.append(h("div", { "data-role": "status" }, t("playground.loading")));
    const { models, names, test, bytes } = await loadWeights(model);
    const nade = models.nade;

    let x = test.digit(model.get("digit")), hidden = new Uint8Array(SIDE * SIDE), pen = "ink", completions = 0, completion = null;
    const paper = h("canvas", { width: SIDE * SCALE, height: SIDE * SCALE });
    const ink = paper.getContext("2d", { willReadFrequently: true });
    const paintPaper = () => {
      ink.fillStyle = "#000";
      ink.fillRect(0, 0, paper.width, paper.height);
      ink.fillStyle = "#fff";
      for (let i = 0; i < x.length; i++) if (x[i]) ink.fillRect((i % SIDE) * SCALE, Math.floor(i / SIDE) * SCALE, SCALE, SCALE);
    };

    // controls
    const digitField = numberField({ label: t("playground.digit"), min: 1, max: test.n, step: 1, value: model.get("digit") + 1, onInput: (k) => { model.set("digit", k - 1); model.save_changes(); } });
    const clear = button({ label: t("playground.clear"), onClick: () => { x = new Uint8Array(SIDE * SIDE); setRegion("none"); changed(); } });
    const invert = button({ label: t("playground.invert"), onClick: () => { x = x.map((bit) => 1 - bit); changed(); } });
    const pens = h("fieldset", { class: "mlebook-control mlebook-pens" }, h("legend", { class: "mlebook-label" }, t("playground.pen")),
      ["ink", "erase", "hide"].map((value) => h("label", {}, h("input", { type: "radio", name: `pen-${Math.random().toString(36).slice(2)}`, value, checked: value === pen, onchange: () => { pen = value; } }), t(`playground.pen_${value}`))));
    const regionSelect = select({ label: t("playground.region"), options: REGIONS.map((r) => [r, t(`playground.region_${r}`)]), value: "none", onChange: (r) => { hidden = regionMask(r); changed(); } });
    const setRegion = (r) => { regionSelect.set(r); hidden = regionMask(r); };
    const completeButton = nade ? button({ label: t("playground.complete"), onClick: () => {
      completions += 1;
      const result = complete(nade, x, hidden, { seed: model.get("seed") * 1000 + completions, draws: DRAWS });
      x = result.image;
      completion = { k: completions, ess: result.ess, hidden: hidden.reduce((a, b) => a + b, 0) };
      changed();
    } }) : null;
    const sampleSelect = select({ label: t("playground.sample_model"), options: names.map((name) => [name, models[name].display]), value: names.includes(model.get("sample_model")) ? model.get("sample_model") : names[0], onChange: (name) => { model.set("sample_model", name); model.save_changes(); } });
    const seedField = numberField({ label: t("playground.seed"), min: 0, max: 999999, step: 1, value: model.get("seed"), onInput: (s) => { model.set("seed", s); model.save_changes(); } });
    const again = button({ label: t("playground.sample"), onClick: () => { model.set("seed", Math.min(model.get("seed") + 1, 999999)); model.save_changes(); } });
    controls.append(
      h("div", { class: "mlebook-row" }, digitField.element, clear.element, invert.element),
      h("div", { class: "mlebook-row" }, pens, regionSelect.element, completeButton && completeButton.element),
      h("div", { class: "mlebook-row" }, sampleSelect.element, seedField.element, again.element),
      h("p", { class: "mlebook-help" }, t("playground.help")));

    // figures
    const drawing = canvas(SIDE * SCALE, SIDE * SCALE, t("playground.canvas"), "mlebook-drawing");
    const conditionalsCanvas = canvas(SIDE, SIDE, t("playground.conditionals"), "mlebook-pixels");
    const samplesCanvas = canvas(SIDE * N_SAMPLES / 2, SIDE * 2, t("playground.samples_plot"), "mlebook-pixels mlebook-samples");
    const caption = (text) => h("div", { class: "mlebook-help" }, text);
    figure.append(h("div", { class: "mlebook-row mlebook-playground" },
      h("figure", {}, drawing, caption(t("playground.canvas"))),
      nade ? h("figure", {}, conditionalsCanvas, caption(t("playground.conditionals"))) : null,
      h("figure", {}, samplesCanvas, caption(t("playground.samples_plot")))));

    // readout
    const cell = (role) => h("b", { "data-role": role });
    const rows = Object.fromEntries(names.map((name) => [name, { logp: cell(`logp-${name}`), bits: cell(`bits-${name}`), percentile: cell(`percentile-${name}`) }]));
    const table = h("table", { class: "mlebook-table" },
      h("thead", {}, h("tr", {}, ["model", "log_p", "bits", "percentile"].map((key) => h("th", { scope: "col" }, t(`playground.column_${key}`))))),
      h("tbody", {}, names.map((name) => h("tr", {}, h("th", { scope: "row" }, models[name].display),
        h("td", {}, rows[name].logp), h("td", {}, rows[name].bits), h("td", {}, rows[name].percentile)))));
    const lines = { image: h("div", { "data-role": "image" }), hidden: h("div", { "data-role": "hidden" }), completion: h("div", { "data-role": "completion" }), samples: h("div", { "data-role": "samples" }) };
    readout.replaceChildren(h("div", {}, table), lines.image, lines.hidden, lines.completion, lines.samples,
      h("div", { class: "mlebook-help" }, t("playground.size", { megabytes: (bytes / 1e6).toFixed(1) })));

    let source = t("playground.source_digit", { k: model.get("digit") + 1, n: test.n, label: test.label(model.get("digit")) });
    function update() {
      const drawingContext = drawing.getContext("2d");
      paintImage(drawingContext, x, hidden, SCALE);
      for (const row of readings(models, names, x)) {
        rows[row.name].logp.textContent = formatNumber(row.logProb, 2);
        rows[row.name].bits.textContent = formatNumber(row.bits, 1);
        rows[row.name].percentile.textContent = `${formatNumber(row.percentile, 1)}%`;
      }
      if (nade) paintProbabilities(conditionalsCanvas.getContext("2d"), conditionals(nade, x));
      lines.image.textContent = t("playground.image", { source, ink: x.reduce((a, b) => a + b, 0) });
      const nHidden = hidden.reduce((a, b) => a + b, 0);
      lines.hidden.textContent = nHidden ? t("playground.hidden", { n: nHidden }) : t("playground.nothing_hidden");
      lines.completion.textContent = completion ? t("playground.completion", { k: completion.k, n: completion.hidden, draws: DRAWS, ess: formatNumber(completion.ess, 1) }) : "";
    }
    function changed(how = t("playground.source_edited")) {
      source = how;
      paintPaper();
      update();
    }
    function drawSamples() {
      const name = model.get("sample_model"), seed = model.get("seed"), chosen = models[name] || models[names[0]];
      const context = samplesCanvas.getContext("2d");
      let total = 0;
      for (let k = 0; k < N_SAMPLES; k++) {
        const sample = chosen.sample(seed * N_SAMPLES + k);
        total += chosen.logProb(sample);
        paintProbabilities(context, sample, (k % (N_SAMPLES / 2)) * SIDE, Math.floor(k / (N_SAMPLES / 2)) * SIDE);
      }
      seedField.set(seed);
      sampleSelect.set(chosen.name);
      lines.samples.textContent = t("playground.samples", { count: N_SAMPLES, model: chosen.display, seed, mean: formatNumber(total / N_SAMPLES, 1) });
    }

    // the pen: pointer events serve the mouse, a stylus and touch alike
    let last = null, pending = false;
    const at = (event) => {
      const box = drawing.getBoundingClientRect();
      return [((event.clientX - box.left) / box.width) * SIDE * SCALE, ((event.clientY - box.top) / box.height) * SIDE * SCALE];
    };
    const stroke = (from, to) => {
      if (pen === "hide") {
        const steps = Math.max(1, Math.ceil(Math.hypot(to[0] - from[0], to[1] - from[1]) / (SCALE / 2)));
        for (let s = 0; s <= steps; s++) {
          const cx = (from[0] + ((to[0] - from[0]) * s) / steps) / SCALE, cy = (from[1] + ((to[1] - from[1]) * s) / steps) / SCALE;
          for (let i = 0; i < SIDE * SIDE; i++) if (Math.hypot((i % SIDE) + 0.5 - cx, Math.floor(i / SIDE) + 0.5 - cy) <= HIDE_RADIUS) hidden[i] = 1;
        }
        regionSelect.input.value = "";
      } else {
        ink.strokeStyle = pen === "ink" ? "#fff" : "#000";
        ink.lineWidth = PEN_WIDTH[pen];
        ink.lineCap = ink.lineJoin = "round";
        ink.beginPath();
        ink.moveTo(...from);
        ink.lineTo(...to);
        ink.stroke();
        x = binarize(squareGrey(ink.getImageData(0, 0, paper.width, paper.height).data));
      }
      source = t("playground.source_drawn");
      if (!pending) {
        pending = true;
        requestAnimationFrame(() => { pending = false; update(); });
      }
    };
    drawing.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      drawing.setPointerCapture(event.pointerId);
      last = at(event);
      stroke(last, last);
    });
    drawing.addEventListener("pointermove", (event) => {
      if (!last) return;
      const point = at(event);
      stroke(last, point);
      last = point;
    });
    const lift = () => { last = null; };
    drawing.addEventListener("pointerup", lift);
    drawing.addEventListener("pointercancel", lift);

    const onDigit = () => {
      const k = model.get("digit");
      digitField.set(k + 1);
      x = test.digit(k);
      setRegion("none");
      completion = null;
      changed(t("playground.source_digit", { k: k + 1, n: test.n, label: test.label(k) }));
    };
    model.on("change:digit", onDigit);
    model.on("change:seed", drawSamples);
    model.on("change:sample_model", drawSamples);
    paintPaper();
    update();
    drawSamples();
    return () => {
      model.off("change:digit", onDigit);
      model.off("change:seed", drawSamples);
      model.off("change:sample_model", drawSamples);
    };
  },
};
