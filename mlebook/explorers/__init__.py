"""The book's interactive explorers: one ES module each, live in Jupyter and in the static HTML book.

Explorers of the book, and where their numbers come from
========================================================

- ``density.CoverageExplorer`` (``js/coverage.js``): computed in the page, exactly (BigInt).
- ``density.CoinExplorer`` (``js/coin.js``): computed in the page (closed form).
- ``density.MonteCarloExplorer`` (``js/monte_carlo.js``): computed in the page (seeded sampling)
  from the tables of p and log q over all 2^D images that the wrapper hands it.
- ``kl.KLExplorer`` (``js/kl.js``), ``kl.BernoulliKLExplorer`` (``js/bernoulli_kl.js``):
  computed in the page (closed form).
- ``kl.ForwardReverseExplorer`` (``js/forward_reverse.js``): a precomputed table of the fits
  (the reverse fit needs an optimiser, run in Python); the curves are drawn in the page.
- ``extra_bits.ExtraBitsExplorer`` (``js/extra_bits.js``): a precomputed table of the bits the
  arithmetic coder measured; q_t, H(p) and the KL prediction are computed in the page.
- ``playground.ModelPlayground`` (``js/playground.js``, ``js/lib/scorers.js``): the zoo's trained
  models run in the page from their exported weights (data: a JSON manifest and float32 buffer,
  not part of the state; the static book loads them from the site, which the build writes,
  Jupyter from the kernel by a custom message); log p(x), bits and percentiles, samples and
  completions computed in the page. A new exported model is one entry in
  ``playground.EXPORTS`` and one scorer in ``js/lib/scorers.js``'s ``SCORERS``.

How an explorer works
=====================

One explorer is one ES module, ``mlebook/explorers/js/NAME.js``, in anywidget's form::

    export function klDivergence(p, q, base) { ... }      // its maths: named, pure exports
    export default { render({ model, el }) { ... } }      // draws into el, reads/writes model

and one thin Python wrapper, a subclass of :class:`mlebook.explorers.base.Explorer` (an
``anywidget.AnyWidget``)::

    class KLExplorer(Explorer):
        module = "kl"                                      # js/kl.js
        p_weights = traitlets.List(traitlets.Float()).tag(sync=True)
        ...
        def __init__(self, p=None, ...):                   # check the arguments (ValueError), then
            super().__init__(p_weights=..., ...)           # set the state

The synced traitlets are the explorer's **state**: everything ``render`` needs, as JSON (no
NaN or infinity). The same module then runs in two homes:

- **Jupyter**: anywidget imports ``_esm``, the module with its relative imports inlined as
  data: URLs (:func:`mlebook.explorers.esm.inline_module`; anywidget loads ``_esm`` from a Blob
  URL, where ``./lib/x.js`` cannot resolve), and syncs the traitlets with ``model``;
- **the static HTML book** (no kernel, no network): the wrapper's ``text/html`` output is a
  placeholder ``<div class="mlebook-explorer" data-explorer="NAME" data-state="{json}">``. The
  book shows that instead of the widget view (``nb_mime_priority_overrides`` in
  ``_config.yml``); ``tools/explorers_static.py`` copies ``js/`` into the site and adds
  ``js/loader.js`` to every page, which imports ``NAME.js`` and calls ``render`` with a small
  in-page model built from data-state (``js/lib/model.js``: get, set, on, off, save_changes).

Adding an explorer
==================

1. ``js/NAME.js``: maths as named exports; ``render`` builds its controls with ``lib/dom.js``
   (``slider``, ``select``, ``button``, ``numberField``: labelled, keyboard-ready), its plots with
   ``lib/plot.js``, its frame with ``frame(el, title)``, which returns ``{controls, figure,
   readout}``. Every number it shows goes into ``readout`` (the element with
   ``data-role="readout"``) or an SVG: the browser test operates every control and requires
   one of them to change. Every visible word comes from ``lib/strings.js`` (``translator(model)``),
   keyed ``NAME.something``. On each control's input: ``model.set(name, value);
   model.save_changes()``; redraw on ``model.on("change:name", ...)``; return a cleanup function.
2. The wrapper: ``module = "NAME"``, the state as ``.tag(sync=True)`` traitlets. A number that
   needs a big computation or a trained model is **precomputed** by the wrapper into the state
   (a table, as ``kl.fits_table``); anything closed form or cheap is computed in the page.
3. Tests: the maths under ``node --test`` (``tests/js/NAME.test.mjs``), the maths against the
   Python reference on >= 100 random cases (``tests/test_js_agreement.py``), the wrapper's state
   and errors (``tests/test_explorers.py``), and a chapter cell showing it (the book test then
   drives every control in Chromium).

Python files here hold no JavaScript (``tests/test_explorers.py`` checks).
"""
