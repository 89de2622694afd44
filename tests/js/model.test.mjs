import assert from "node:assert/strict";
import test from "node:test";
import { load } from "./paths.mjs";

const { createModel, mount } = await load("lib/model.js");

test("the in-page model gets, sets and tells its listeners only about real changes", () => {
  const model = createModel({ n: 1, unit: "nats" });
  const seen = [];
  const onN = (value) => seen.push(["n", value]);
  model.on("change:n", onN);
  model.on("change", () => seen.push(["any"]));
  model.set("n", 2);
  model.set("n", 2);
  model.set("unit", "bits");
  assert.deepEqual(seen, [["n", 2], ["any"], ["any"]]);
  assert.equal(model.get("n"), 2);
  model.off("change:n", onN);
  model.set("n", 3);
  assert.deepEqual(seen.at(-1), ["any"]);
  assert.throws(() => model.get("missing"), /no value "missing"/);
  model.save_changes();
  model.send({});
});

test("the state given to a model is copied, not shared", () => {
  const state = { n: 1 };
  createModel(state).set("n", 5);
  assert.equal(state.n, 1);
});

test("mount runs initialize, then render with the model and the element", async () => {
  const calls = [], el = { tag: "div" };
  const model = await mount(el, {
    initialize({ model }) { calls.push(["initialize", model.get("x")]); },
    render({ model, el: target }) { calls.push(["render", model.get("x"), target]); },
  }, { x: 7 });
  assert.deepEqual(calls, [["initialize", 7], ["render", 7, el]]);
  assert.equal(model.get("x"), 7);
});
