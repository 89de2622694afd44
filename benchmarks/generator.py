"""Benchmark the book's generators on the embedded digits (threshold binarization).

For each model: parameter count, test NLL (nats per image and bits/dim), seconds per epoch,
training images per second and sampling time; NADE's sampling speed-up over naive sampling;
then the ensemble p(x) = sum_m w_m p_m(x) (:class:`mlebook.models.ensemble.Ensemble`) of every trained
model that walks its pixels in one order (all but the MADE that mixes orderings), its weights
fitted by EM on the validation images.

Each model trains from scratch with its zoo recipe (not from the cache): the book's models
(``zoo.RECIPES``) and the ensemble's extra NADEs (``recipes.ENSEMBLE_EXTRAS``), about ten minutes of
training on one thread. ``--quick`` trains each model for two epochs of at most a few seconds,
to check that the script works. ``--threads`` sets torch's thread count (default 1, as the zoo:
on a busy machine several threads ran many times slower than one).

    python benchmarks/generator.py [--quick] [--threads 1]
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace

import torch

from mlebook import zoo
from mlebook.models.ensemble import fitted_ensemble, walks_exactly
from mlebook.train import bits_per_dim, evaluate
from recipes import ENSEMBLE_EXTRAS

TARGET_NATS = 78.0
RECIPES = {**zoo.RECIPES, **ENSEMBLE_EXTRAS}


def seconds(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few seconds per model")
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--samples", type=int, default=100, help="images to sample per model")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)

    data = zoo.digits()
    print(f"embedded digits, threshold binarization: {len(data.train)} train / {len(data.val)} val / {len(data.test)} test")
    print(f"torch {torch.__version__}, {args.threads} thread(s), {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print("test NLL in nats per image; s/epoch and img/s include the validation pass after each epoch")
    sampling = f"{args.samples} samples s"
    header = f"{'model':<14} {'params':>9} {'test NLL':>9} {'bits/dim':>9} {'epochs':>7} {'s/epoch':>8} {'img/s':>8} {'train s':>8} {sampling:>15}"
    print(header + "\n" + "-" * len(header))

    trained, total_training = {}, 0.0
    for name, recipe in RECIPES.items():
        if args.quick:
            recipe = replace(recipe, epochs=2, time_limit=3.0)
        model, history = zoo.train_recipe(recipe, progress=False, threads=args.threads)
        trained[name] = model
        total_training += history.total_seconds
        nll = evaluate(model, data.test)
        n_epochs = len(history.train_nll)
        per_epoch = history.total_seconds / n_epochs
        images_per_second = len(data.train) * n_epochs / history.total_seconds
        sample_seconds = seconds(lambda: model.sample(args.samples, generator=torch.Generator().manual_seed(0)))
        print(
            f"{name:<14} {model.n_parameters():>9,} {nll:>9.2f} {bits_per_dim(nll, data.n_dims):>9.4f} {n_epochs:>7} "
            f"{per_epoch:>8.2f} {images_per_second:>8.0f} {history.total_seconds:>8.1f} {sample_seconds:>15.2f}",
            flush=True,
        )

    members = {name: model for name, model in trained.items() if walks_exactly(model)}
    ensemble = fitted_ensemble(members.values(), data.val)
    nll = evaluate(ensemble, data.test)
    print(f"{'ensemble':<14} {ensemble.n_parameters():>9,} {nll:>9.2f} {bits_per_dim(nll, data.n_dims):>9.4f}")
    print("ensemble weights (fitted on validation): " + ", ".join(f"{n} {w:.2f}" for n, w in zip(members, ensemble.weights.tolist())))
    best = min([evaluate(m, data.test) for m in trained.values()] + [nll])
    verdict = "meets" if best <= TARGET_NATS else "misses"
    print(f"total training {total_training:.0f} s; best test NLL {best:.2f} nats {verdict} the target of {TARGET_NATS:.0f}")

    nade = trained["nade"]
    n = 2 if args.quick else 10
    fast = seconds(lambda: nade.sample(n, generator=torch.Generator().manual_seed(0)))
    naive = seconds(lambda: nade.sample_naive(n, generator=torch.Generator().manual_seed(0)))
    print(f"NADE sampling of {n} images: running activations {fast:.3f} s, naive {naive:.2f} s: {naive / fast:.0f}x faster")


if __name__ == "__main__":
    main()
