"""Recipes that only the benchmarks train: the extra members of the compression ensembles.

``ENSEMBLE_EXTRAS``: NADEs in raster order that differ from the book's NADE
(``mlebook.zoo.RECIPES["nade"]``) in seed and weight decay; together they take about six minutes
on one thread. ``CONTEXT_EXTRAS``: a second context NADE, the book's recipe with another seed
(about a minute). ``zoo.trained(name, recipe)`` trains and caches each under its own key; the
book never trains them.
"""

from dataclasses import replace

from mlebook import zoo

_NADE = zoo.RECIPES["nade"]
ENSEMBLE_EXTRAS = {
    "nade-seed1": replace(_NADE, options={**_NADE.options, "seed": 1}, seed=1),
    "nade-wd1e-3": replace(_NADE, options={**_NADE.options, "seed": 2}, weight_decay=1e-3, seed=2),
    "nade-wd1e-4": replace(_NADE, options={**_NADE.options, "seed": 3}, weight_decay=1e-4, seed=3),
}
_CONTEXT = zoo.RECIPES["context-nade"]
CONTEXT_EXTRAS = {
    "context-nade-seed1": replace(_CONTEXT, options={**_CONTEXT.options, "seed": 1}, seed=1),
}
