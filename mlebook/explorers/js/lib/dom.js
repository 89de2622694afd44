/**
 * Small DOM helpers for the explorers: elements, and labelled controls that work with the
 * keyboard (a range input moves with the arrow keys, Page Up/Down, Home/End), by touch, and
 * with a screen reader (every control has a visible label and an aria-label; a range input
 * says its value in words through aria-valuetext).
 *
 * Every control returns { element, input, set(value) }: `element` goes into the page,
 * `input` is the form element, `set` moves the control from outside (when the model changes)
 * without firing its callback.
 */

const SVG_NS = "http://www.w3.org/2000/svg";

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

function setAttributes(element, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2), value);
    } else {
      element.setAttribute(key, value === true ? "" : String(value));
    }
  }
  return element;
}

/** h("div", { class: "x", onclick: f }, "text", child, [more]) */
export function h(tag, attrs, ...children) {
  return append(setAttributes(document.createElement(tag), attrs), children);
}

/** The same for SVG elements. */
export function s(tag, attrs, ...children) {
  return append(setAttributes(document.createElementNS(SVG_NS, tag), attrs), children);
}

/**
 * A fragment from a template such as "{kl} nats": each {name} becomes parts[name] (a node,
 * or text). Lets a translated sentence put its numbers wherever its language wants them.
 */
export function fill(template, parts) {
  const fragment = document.createDocumentFragment();
  for (const piece of template.split(/(\{\w+\})/)) {
    const match = /^\{(\w+)\}$/.exec(piece);
    if (!match) { if (piece) fragment.append(piece); continue; }
    if (!(match[1] in parts)) throw new Error(`no value for {${match[1]}} in "${template}"`);
    const value = parts[match[1]];
    fragment.append(value instanceof Node ? value : String(value));
  }
  return fragment;
}

/** m × 10^e as text and a superscript. */
export function powerOfTen({ mantissa, exponent }) {
  return h("span", { class: "mlebook-number" }, `${mantissa} × 10`, h("sup", {}, String(exponent)));
}

/**
 * A labelled range input with its value shown beside it.
 * format(value) is the shown text (and what a screen reader says).
 */
export function slider({ label, min, max, step, value, format = String, onInput }) {
  const input = h("input", { type: "range", min, max, step, value, "aria-label": label });
  const output = h("output", { class: "mlebook-value", "aria-hidden": "true" });
  const show = () => {
    const text = format(Number(input.value));
    output.textContent = text;
    input.setAttribute("aria-valuetext", text);
  };
  input.addEventListener("input", () => { show(); onInput(Number(input.value)); });
  show();
  const element = h("label", { class: "mlebook-control mlebook-slider" }, h("span", { class: "mlebook-label" }, label), input, output);
  return { element, input, set(v) { input.value = v; show(); } };
}

/** A labelled drop-down; options are [value, text] pairs; values are strings. */
export function select({ label, options, value, onChange }) {
  const input = h("select", { "aria-label": label },
    options.map(([optionValue, text]) => h("option", { value: optionValue }, text)));
  input.value = value;
  input.addEventListener("change", () => onChange(input.value));
  const element = h("label", { class: "mlebook-control mlebook-select" }, h("span", { class: "mlebook-label" }, label), input);
  return { element, input, set(v) { input.value = v; } };
}

/** A button (Enter and Space press it, as for any button). */
export function button({ label, onClick }) {
  const input = h("button", { type: "button", class: "mlebook-button", onclick: onClick }, label);
  return { element: input, input, set() {} };
}

/**
 * A labelled number field (arrow keys step it); onInput gets only what the field allows: values
 * within [min, max] on its grid min + k * step (anything else typed waits for a valid value).
 */
export function numberField({ label, min, max, step = 1, value, onInput }) {
  const input = h("input", { type: "number", min, max, step, value, "aria-label": label });
  input.addEventListener("input", () => {
    const v = Number(input.value), k = (v - min) / step;
    if (input.value !== "" && v >= min && v <= max && Math.abs(k - Math.round(k)) < 1e-9) onInput(v);
  });
  const element = h("label", { class: "mlebook-control mlebook-number-field" }, h("span", { class: "mlebook-label" }, label), input);
  return { element, input, set(v) { input.value = v; } };
}

/** The frame every explorer sits in: a titled figure; `readout` is where its numbers go. */
export function frame(el, title) {
  el.classList.add("mlebook-explorer");
  el.replaceChildren();
  const controls = h("div", { class: "mlebook-controls" });
  const figure = h("div", { class: "mlebook-figure" });
  const readout = h("div", { class: "mlebook-readout", "data-role": "readout", "aria-live": "polite" });
  el.append(h("div", { class: "mlebook-title" }, title), controls, figure, readout);
  return { controls, figure, readout };
}
