/*
 * The static book's explorer loader: a classic script that every page of the HTML book loads
 * (tools/explorers_static.py adds it). It finds each placeholder that a Python wrapper wrote,
 *
 *   <div class="mlebook-explorer" data-explorer="kl" data-state="{...json...}"></div>
 *
 * imports the explorer's module (kl.js beside this file), builds a model from data-state
 * (lib/model.js, the part of anywidget's model the explorers use) and calls its render().
 *
 * Served over http(s), modules are imported by URL relative to this script. A page opened
 * from the disk (file://) may not import module files, so there the loader adds the classic
 * script NAME.bundle.js instead (written by the build: the module with its imports inlined as
 * data: URLs, the same text as the Jupyter widget's _esm), which hands back that module's URL.
 */
(function () {
  "use strict";
  var base = document.currentScript.src;
  // Where the explorers' files are, for modules that load data files (they may run from data: URLs).
  window.mlebookExplorerBase = base;
  var fromDisk = window.location.protocol === "file:";
  var pending = {};

  // Called by each NAME.bundle.js with the data: URL of its inlined module.
  window.mlebookExplorerModule = function (name, url) {
    if (pending[name]) pending[name].resolve(url);
  };

  function moduleUrl(name) {
    if (!fromDisk) return Promise.resolve(new URL(name + ".js", base).href);
    if (!pending[name]) {
      var settle = {};
      pending[name] = settle;
      settle.promise = new Promise(function (resolve, reject) {
        settle.resolve = resolve;
        var script = document.createElement("script");
        script.src = new URL(name + ".bundle.js", base).href;
        script.onerror = function () { reject(new Error("could not load " + script.src)); };
        document.head.appendChild(script);
      });
    }
    return pending[name].promise;
  }

  function load(name) {
    return moduleUrl(name).then(function (url) { return import(url); });
  }

  function mountAll() {
    var placeholders = document.querySelectorAll(".mlebook-explorer[data-explorer]:not([data-mounted])");
    if (!placeholders.length) return;
    load("lib/model").then(function (modelModule) {
      placeholders.forEach(function (el) {
        el.setAttribute("data-mounted", "");
        var name = el.getAttribute("data-explorer");
        load(name).then(function (widget) {
          return modelModule.mount(el, widget.default, JSON.parse(el.getAttribute("data-state")));
        }).then(function () {
          el.setAttribute("data-ready", "");
        }).catch(function (error) {
          console.error("mlebook explorer " + name + ": " + (error && error.stack || error));
        });
      });
    }).catch(function (error) {
      console.error("mlebook explorers: " + error);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();
