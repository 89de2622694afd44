"""Recipes that only the benchmarks train: the extra members of the compression ensemble.

All NADEs in raster order that differ from the book's NADE (``mlebook.zoo.RECIPES["nade"]``) in
seed and weight decay; ``zoo.trained(name, recipe)`` trains and caches each under its own key.
Together they take about six minutes on one thread, so the book never trains them.
"""

from dataclasses import replace

from mlebook import zoo

_NADE = zoo.RECIPES["nade"]
ENSEMBLE_EXTRAS = {
    "nade-seed1": replace(_NADE, options={**_NADE.options, "seed": 1}, seed=1),
    "nade-wd1e-3": replace(_NADE, options={**_NADE.options, "seed": 2}, weight_decay=1e-3, seed=2),
    "nade-wd1e-4": replace(_NADE, options={**_NADE.options, "seed": 3}, weight_decay=1e-4, seed=3),
}
