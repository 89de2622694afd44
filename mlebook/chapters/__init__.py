"""Helpers that serve one chapter each (the core, :mod:`mlebook.models` and :mod:`mlebook.coding`
serve them all):

- :mod:`.anomaly`                odd images and ROC curves (ch. 1, density estimation)
- :mod:`.probes`                 a model's features and linear probes (ch. 1, representations)
- :mod:`.counting`               the size of the image space, lookup tables, patches (ch. 2)
- :mod:`.completion`             -log p(known part) and -log p(rest | known part) of an image (ch. 3)
- :mod:`.generative_classifier`  Bayes' rule over per-class density models (ch. 3)
- :mod:`.risk`                   empirical risk: log-loss, accuracy, confidence of a classifier (ch. 3)
- :mod:`.chow_liu`               the Chow-Liu tree of the pixels (ch. 3, structure)
- :mod:`.estimation`             the coin, exact expectations, Monte Carlo, priors and smoothing
                                 (ch. 4, learning as density estimation; ch. 5, regularisation)
- :mod:`.gradients`              the closed-form gradient of an FVSBN, which conditionals a parameter feeds (ch. 7)
- :mod:`.capacity`               training and validation NLL across model sizes (ch. 7)
- :mod:`.plots`                  grids of digits for the figures
- :mod:`.prose`                  phrases chosen by a computed result, glued in English and Chinese
"""
