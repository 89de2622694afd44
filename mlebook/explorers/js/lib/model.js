/**
 * The part of anywidget's model that the explorers use, for pages with no kernel.
 *
 * In Jupyter, anywidget hands render({ model, el }) a model synced with the Python traitlets.
 * In the static book, loader.js builds this one from the state the Python wrapper wrote into
 * the page (data-state), so the same render() runs in both homes:
 *
 *   model.get(name)              the current value
 *   model.set(name, value)       change it; listeners of "change:name" (then "change") run
 *   model.on(event, callback)    listen ("change:name" or "change"); model.off(event, callback)
 *   model.save_changes()         in Jupyter: send to Python; here: nothing to do
 *   model.send(message)          custom messages go nowhere without a kernel
 *
 * mount(el, widget, state) runs a widget module's optional initialize({ model }) and then its
 * render({ model, el }); it returns the model.
 */

export function createModel(state) {
  const values = { ...state };
  const listeners = new Map();
  const emit = (event, ...args) => {
    for (const callback of [...(listeners.get(event) || [])]) callback(...args);
  };
  return {
    get(name) {
      if (!(name in values)) throw new Error(`the explorer's state has no value "${name}"`);
      return values[name];
    },
    set(name, value) {
      const old = values[name];
      values[name] = value;
      if (old !== value) {
        emit(`change:${name}`, value);
        emit("change");
      }
    },
    on(event, callback) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(callback);
    },
    off(event, callback) {
      if (callback === undefined) listeners.delete(event);
      else listeners.get(event)?.delete(callback);
    },
    save_changes() {},
    send() {},
  };
}

export async function mount(el, widget, state) {
  const model = createModel(state);
  if (typeof widget.initialize === "function") await widget.initialize({ model });
  await widget.render({ model, el });
  return model;
}
