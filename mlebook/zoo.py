"""The book's trained models: each trained once with a fixed recipe and seed, then cached.

``trained(name)`` returns one of ``NAMES``, fitted by :func:`mlebook.train.fit` to the embedded
digits, ``load_binarized_mnist("embedded", "threshold", seed=0)``, in eval mode on the CPU, with
two attributes from its training run: ``history`` (a :class:`mlebook.train.History`) and
``train_seconds``. ``trained_all()`` trains whatever is missing, one progress bar per model;
the book build calls it (``python -m mlebook zoo``) before any chapter runs.

**The cache.** A trained model is a file ``NAME-KEY.pt`` in ``$MLEBOOK_CACHE`` (default
``~/.cache/mlebook/models``) with its SHA-256 beside it in ``NAME-KEY.pt.sha256``. KEY hashes
what the model depends on, and nothing else: the recipe, the thread count, the training and
validation images themselves, the code of the model's own class (and its base classes) and of
the training loop ``train.py`` (comments and docstrings left out). Changing NADE's code retrains NADE and the context NADE (a subclass) only; moving or editing any
other module retrains nothing. A cached file whose checksum does not match (truncated, a
flipped byte) or that does not load is reported, deleted and trained again: the cache heals.

A file lock (``filelock``) around training makes two processes asking for the same model at once
train it once; a process that waits says what it waits for. The model file is written to a
temporary name and renamed, so no reader ever sees half a model.

**The budget.** Each recipe stops at early stopping on validation NLL (after its learning-rate
drops) or at its epoch count, never at a wall-clock limit: a trained model depends on its
recipe, the code and the seed alone, not on how busy the machine was, so every build of the
book shows the same numbers. Training runs on ``THREADS`` torch threads.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import inspect
import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import filelock
import numpy as np
import torch

from . import models, train
from .data import load_binarized_mnist
from .train import History, fit

LOCK_NOTICE_SECONDS = 5.0


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
    # NADE's training recipe. Chosen on validation NLL (one run each, 2 shared cores): 200 NADE
    # units scored as 500 (66.1 and 66.0 nats) in less time; a 5 x 11 window with 128 units and
    # dropout 0.2 gained 0.1 nats; batches of 100 needed more epochs for the same NLL.
    "context-nade": Recipe(
        "context-nade", {"n_hidden": 200, "context_rows": 4, "context_columns": 4, "context_units": 64, "seed": 0},
        epochs=30, batch_size=25, lr=1e-2, patience=2, lr_drops=1,
    ),
}
# Training uses one thread: on a busy two-core machine two threads ran NADE 3 to 20 times slower
# than one, and a fixed thread count makes the floating-point sums, so the model, repeatable.
THREADS = 1
NAMES = tuple(RECIPES)
# How the chapters name each model in prose, tables and figure titles.
DISPLAY_NAMES = {"independent": "independent pixels", "mixture": "mixture of Bernoullis", "fvsbn": "FVSBN",
                 "nade": "NADE", "made": "MADE", "context-nade": "context NADE"}


def cache_dir() -> Path:
    """``$MLEBOOK_CACHE`` if set, else ``~/.cache/mlebook/models``."""
    env = os.environ.get("MLEBOOK_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "mlebook" / "models"


def _code_files(model_name: str) -> list[Path]:
    """The source files a model of class ``models.MODELS[model_name]`` depends on: the modules of
    its class and of its mlebook base classes, and the training loop."""
    cls = models.MODELS[model_name]
    files = {Path(inspect.getsourcefile(base)) for base in cls.__mro__ if base.__module__.startswith("mlebook.")}
    return sorted(files) + [Path(inspect.getsourcefile(train))]


def _code_only(source: str) -> str:
    """The code of a Python module with its comments, docstrings and layout removed (a dump of its
    syntax tree without docstrings), so that editing prose retrains nothing."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree, include_attributes=False)


@functools.lru_cache(maxsize=1)
def _data_digest() -> str:
    data = digits()
    return hashlib.sha256(np.ascontiguousarray(data.train).tobytes() + np.ascontiguousarray(data.val).tobytes()).hexdigest()


def cache_key(recipe: Recipe) -> str:
    """A short hash of the recipe, the thread count, the torch version, the training and validation
    images, and the code (not the paths, comments or docstrings) of the model's source files
    (:func:`_code_files`)."""
    if recipe.model not in models.MODELS:
        raise ValueError(f"unknown model class {recipe.model!r}; known: {', '.join(models.MODELS)}")
    digest = hashlib.sha256()
    digest.update(json.dumps({**asdict(recipe), "threads": THREADS, "torch": torch.__version__}, sort_keys=True).encode())
    digest.update(_data_digest().encode())
    for path in _code_files(recipe.model):
        digest.update(_code_only(path.read_text()).encode())
    return digest.hexdigest()[:16]


def cache_path(name: str, recipe: Recipe | None = None) -> Path:
    """Where ``trained(name, recipe)`` keeps its model."""
    recipe = _recipe(name, recipe)
    return cache_dir() / f"{name}-{cache_key(recipe)}.pt"


def _recipe(name: str, recipe: Recipe | None) -> Recipe:
    if recipe is not None:
        return recipe
    if name in RECIPES:
        return RECIPES[name]
    raise ValueError(f"unknown model {name!r}; the zoo has {', '.join(NAMES)} (or pass a recipe)")


def _exclusive(lock_path: Path, what: str) -> filelock.FileLock:
    """An exclusive lock on ``lock_path``, released by the OS if the holder dies. A waiter that
    does not get it within ``LOCK_NOTICE_SECONDS`` says on stderr what it is waiting for."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(lock_path)
    try:
        lock.acquire(timeout=LOCK_NOTICE_SECONDS)
    except filelock.Timeout:
        print(f"zoo: waiting for another process that is training {what} (lock {lock_path})", file=sys.stderr, flush=True)
        lock.acquire()
    return lock


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


def _checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_checksum(path: Path) -> None:
    """Write the SHA-256 of ``path`` beside it, atomically (a temporary file, then a rename)."""
    target = _checksum_path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_text(_sha256(path) + "\n")
    os.replace(temporary, target)


def _cache_problem(path: Path) -> str | None:
    """None if ``path`` holds a model whose checksum matches; otherwise what is wrong with it."""
    if not path.exists():
        return "is missing"
    if not _checksum_path(path).exists():
        return "has no checksum file"
    if _checksum_path(path).read_text().strip() != _sha256(path):
        return "does not match its checksum (truncated or corrupted)"
    return None


def _load_cached(path: Path):
    """The model in ``path`` if it is intact and loads; None otherwise."""
    if _cache_problem(path) is not None:
        return None
    try:
        return models.load(path)
    except (ValueError, OSError, RuntimeError):
        return None


def is_cached(name: str, recipe: Recipe | None = None) -> bool:
    """True if ``trained(name, recipe)`` would load an intact file instead of training."""
    return _cache_problem(cache_path(name, recipe)) is None


def trained(name: str, recipe: Recipe | None = None, progress: bool = True):
    """The zoo model ``name`` (one of ``NAMES``), trained on first use and cached; eval mode.

    ``recipe`` replaces the model's standard recipe (tests and benchmarks use their own); it is
    cached under its own key. The model carries ``history`` and ``train_seconds`` from its
    training run. A damaged cache file is reported on stderr, removed and trained again.
    """
    recipe = _recipe(name, recipe)
    path = cache_path(name, recipe)
    model = _load_cached(path)
    if model is None:
        lock = _exclusive(path.with_name(path.name + ".lock"), name)
        try:
            model = _load_cached(path)  # another process may have trained it while we waited
            if model is None:
                if path.exists():
                    problem = _cache_problem(path) or "does not load as a model"
                    print(f"zoo: the cached {name} model {path} {problem}; training it again", file=sys.stderr, flush=True)
                    path.unlink()
                fresh, history = train_recipe(recipe, progress=progress)
                extras = {"history": history.to_dict(), "train_seconds": history.total_seconds, "recipe": asdict(recipe)}
                fresh.save(path, extras=extras)
                _write_checksum(path)
                model = models.load(path)
        finally:
            lock.release()
    model.history = History.from_dict(model.extras["history"])
    model.train_seconds = float(model.extras["train_seconds"])
    return model


def trained_all(progress: bool = True, jobs: int = 1) -> dict:
    """Every zoo model, {name: model}, in the order of ``NAMES``; with ``progress``, one line per
    model saying whether it came from the cache, and a progress bar (with an estimate of the time
    left) for each model that trains.

    ``jobs > 1`` trains up to ``jobs`` models at once, each in a process of its own (training
    uses one thread, ``THREADS``, so a second core otherwise idles); the models, and so the cache,
    are the same as when they train one after the other."""
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    missing = [name for name in NAMES if not is_cached(name)]
    if progress:
        for number, name in enumerate(NAMES, start=1):
            state = "training (once: later builds reuse it)" if name in missing else "from the cache"
            print(f"zoo [{number}/{len(NAMES)}] {name}: {state}", file=sys.stderr, flush=True)
    if jobs > 1 and len(missing) > 1:
        _train_in_processes([(name, RECIPES[name]) for name in missing], jobs, progress)
    everything = {}
    for number, name in enumerate(NAMES, start=1):
        everything[name] = trained(name, progress=progress)
        if progress and name in missing and jobs == 1:
            print(f"zoo [{number}/{len(NAMES)}] {name}: trained in {everything[name].train_seconds:.0f} s", file=sys.stderr, flush=True)
    return everything


def _train_in_process(work, results, progress: bool) -> None:
    """A worker of :func:`_train_in_processes`: train each (name, recipe) it is given into the cache."""
    for name, recipe in iter(work.get, None):
        try:
            results.put((name, trained(name, recipe, progress=progress).train_seconds, None))
        except Exception as error:  # reported by the parent, which stops the others
            results.put((name, None, f"{type(error).__name__}: {error}"))
            return


def _train_in_processes(work: list[tuple[str, Recipe]], jobs: int, progress: bool) -> None:
    """Train each (name, recipe) of ``work`` into the cache, ``jobs`` processes at a time; raise
    if one fails."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no torch state forked
    queue, results = context.Queue(), context.Queue()
    workers = []
    for item in work:
        queue.put(item)
    saved = os.environ.get("TQDM_POSITION")
    try:
        for slot in range(min(jobs, len(work))):
            queue.put(None)  # one stop sign per worker
            # tqdm reads TQDM_* defaults when it is imported: each worker's bars get their own line.
            os.environ["TQDM_POSITION"] = str(slot)
            worker = context.Process(target=_train_in_process, args=(queue, results, progress), daemon=True)
            worker.start()
            workers.append(worker)
    finally:
        if saved is None:
            os.environ.pop("TQDM_POSITION", None)
        else:
            os.environ["TQDM_POSITION"] = saved
    try:
        for _ in work:
            name, seconds, error = results.get()
            if error is not None:
                raise RuntimeError(f"training the {name} model failed: {error}")
            if progress:
                number = NAMES.index(name) + 1 if name in NAMES else "-"
                print(f"zoo [{number}/{len(NAMES)}] {name}: trained in {seconds:.0f} s", file=sys.stderr, flush=True)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
