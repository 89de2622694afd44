"""The book's trained models: each trained once with a fixed recipe and seed, then cached.

``trained(name)`` returns one of ``NAMES``, fitted by :func:`mlebook.train.fit` to the embedded
digits, ``load_binarized_mnist("embedded", "threshold", seed=0)``, in eval mode on the CPU, with
two attributes from its training run: ``history`` (a :class:`mlebook.train.History`) and
``train_seconds``.

**The cache.** A trained model is a file ``NAME-KEY.pt`` in ``$MLEBOOK_CACHE`` (default
``~/.cache/mlebook/models``). KEY is a SHA-256 hash of the recipe and of the source code of
``mlebook/models/*.py``, ``train.py`` and ``data.py``, so changing a recipe or any of that code
trains a fresh model instead of loading a stale one. A file lock around training makes two
processes asking for the same model at once train it once; the file itself is written to a
temporary name and renamed, so no reader ever sees half a model.

**The budget.** All five recipes together train in about four minutes on an idle two-core CPU
(the whole book must build in fifteen). Each stops at early stopping on validation NLL (after
its learning-rate drops) or at its epoch count, never at a wall-clock limit: a trained model
depends on its recipe, the code and the seed alone, not on how busy the machine was, so every
build of the book shows the same numbers. Training runs on ``THREADS`` torch threads.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import torch

from . import models
from .data import load_binarized_mnist
from .train import History, fit

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCES = ("models/*.py", "train.py", "data.py")


@dataclass(frozen=True)
class Recipe:
    """How one zoo model is built and trained: ``models.MODELS[model](784, **options)``, then
    :func:`mlebook.train.fit` with the remaining fields, on the embedded digits."""

    model: str
    options: dict = field(default_factory=dict)
    epochs: int | None = None
    batch_size: int = 100
    lr: float = 1e-3
    patience: int = 5
    weight_decay: float = 0.0
    lr_drops: int = 0
    time_limit: float | None = None
    seed: int = 0


RECIPES = {
    "independent": Recipe("independent", {"alpha": 1.0}),
    "mixture": Recipe("mixture", {"n_components": 50, "seed": 0}, epochs=100, patience=3),
    "fvsbn": Recipe("fvsbn", {"seed": 0}, epochs=150, lr=1e-2, weight_decay=1e-4, patience=3, lr_drops=1),
    "nade": Recipe("nade", {"n_hidden": 500, "seed": 0}, epochs=30, batch_size=25, lr=1e-2, patience=2, lr_drops=1),
    "made": Recipe(
        "made", {"hidden_sizes": [500], "n_orderings": 8, "direct": True, "seed": 0},
        epochs=200, lr=3e-3, patience=3, lr_drops=2,
    ),
}
# Training uses one thread: on a busy two-core machine two threads ran NADE 3 to 20 times slower
# than one, and a fixed thread count makes the floating-point sums, so the model, repeatable.
THREADS = 1
NAMES = tuple(RECIPES)
# Extra members for the compression benchmark's ensemble (:mod:`mlebook.ensemble`), all NADEs in
# raster order that differ in seed and weight decay. ``trained`` knows them, but they are not in
# ``NAMES``, so the book never trains them: together they take about six minutes.
EXTRA_RECIPES = {
    "nade-seed1": replace(RECIPES["nade"], options={**RECIPES["nade"].options, "seed": 1}, seed=1),
    "nade-wd1e-3": replace(RECIPES["nade"], options={**RECIPES["nade"].options, "seed": 2}, weight_decay=1e-3, seed=2),
    "nade-wd1e-4": replace(RECIPES["nade"], options={**RECIPES["nade"].options, "seed": 3}, weight_decay=1e-4, seed=3),
}


def cache_dir() -> Path:
    """``$MLEBOOK_CACHE`` if set, else ``~/.cache/mlebook/models``."""
    env = os.environ.get("MLEBOOK_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "mlebook" / "models"


def source_digest() -> str:
    """SHA-256 of the code a trained model depends on (``SOURCES``), file names included."""
    digest = hashlib.sha256()
    for pattern in SOURCES:
        for path in sorted(PACKAGE_DIR.glob(pattern)):
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(recipe: Recipe) -> str:
    """A short hash of the recipe, the thread count and :func:`source_digest`."""
    text = json.dumps({**asdict(recipe), "threads": THREADS}, sort_keys=True) + source_digest()
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def cache_path(name: str, recipe: Recipe | None = None) -> Path:
    """Where ``trained(name, recipe)`` keeps its model."""
    recipe = _recipe(name, recipe)
    return cache_dir() / f"{name}-{cache_key(recipe)}.pt"


def _recipe(name: str, recipe: Recipe | None) -> Recipe:
    if recipe is not None:
        return recipe
    if name in RECIPES:
        return RECIPES[name]
    if name in EXTRA_RECIPES:
        return EXTRA_RECIPES[name]
    raise ValueError(f"unknown model {name!r}; the zoo has {', '.join(NAMES)} and {', '.join(EXTRA_RECIPES)}")


@contextlib.contextmanager
def _exclusive(lock_path: Path):
    """Hold an exclusive lock on ``lock_path`` (released by the OS if the process dies)."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # Windows
            import msvcrt

            handle.seek(0)
            while True:
                try:
                    msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:  # LK_LOCK gives up after 10 s; keep waiting
                    continue
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


@functools.lru_cache(maxsize=1)
def digits():
    """The zoo's data: ``load_binarized_mnist("embedded", "threshold", seed=0)``, loaded once."""
    return load_binarized_mnist("embedded", "threshold", seed=0)


def train_recipe(recipe: Recipe, progress: bool = True, threads: int | None = None):
    """Build and train the model ``recipe`` describes on ``threads`` torch threads (default
    ``THREADS``); returns (model on the CPU, history)."""
    if recipe.model not in models.MODELS:
        raise ValueError(f"unknown model class {recipe.model!r}; known: {', '.join(models.MODELS)}")
    data = digits()
    model = models.MODELS[recipe.model](data.n_dims, **recipe.options)
    previous = torch.get_num_threads()
    torch.set_num_threads(threads or THREADS)
    try:
        history = fit(
            model,
            data.train,
            data.val,
            epochs=recipe.epochs,
            batch_size=recipe.batch_size,
            lr=recipe.lr,
            patience=recipe.patience,
            weight_decay=recipe.weight_decay,
            lr_drops=recipe.lr_drops,
            time_limit=recipe.time_limit,
            seed=recipe.seed,
            progress=progress,
            device="cpu",  # the cached model should not depend on the machine's accelerator
        )
    finally:
        torch.set_num_threads(previous)
    return model.cpu().eval(), history


def trained(name: str, recipe: Recipe | None = None, progress: bool = True):
    """The zoo model ``name`` (one of ``NAMES`` or ``EXTRA_RECIPES``), trained on first use and cached; eval mode.

    ``recipe`` replaces the model's standard recipe (tests use tiny ones); it is cached under
    its own key. The model carries ``history`` and ``train_seconds`` from its training run.
    """
    recipe = _recipe(name, recipe)
    path = cache_path(name, recipe)
    if not path.exists():
        with _exclusive(path.with_name(path.name + ".lock")):
            if not path.exists():  # another process may have trained it while we waited
                model, history = train_recipe(recipe, progress=progress)
                extras = {"history": history.to_dict(), "train_seconds": history.total_seconds, "recipe": asdict(recipe)}
                model.save(path, extras=extras)
    model = models.load(path)
    model.history = History.from_dict(model.extras["history"])
    model.train_seconds = float(model.extras["train_seconds"])
    return model


def trained_all(progress: bool = True) -> dict:
    """Every zoo model, {name: model}, in the order of ``NAMES``."""
    return {name: trained(name, progress=progress) for name in NAMES}
