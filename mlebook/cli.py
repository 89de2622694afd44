"""The command line, ``python -m mlebook``: train, sample, evaluate, pre-train the zoo.

    python -m mlebook train nade --data embedded --out nade.pt --batch-size 25 --lr 0.01 --lr-drops 1
    python -m mlebook sample nade.pt --n 64 --out grid.png --seed 0
    python -m mlebook eval nade.pt --data embedded
    python -m mlebook zoo

``train`` keeps the best model so far (lowest validation NLL) in ``--out`` while it runs, so
Ctrl-C stops it with that checkpoint in place (exit status 130). ``eval`` prints the mean
test NLL in nats per image and in bits per dimension, NLL / (784 ln 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .data import DataUnavailableError

EXIT_INTERRUPTED = 130  # 128 + SIGINT, the shell's convention
DATA_SOURCES = ("embedded", "mnist", "binarized-mnist")
BINARIZATIONS = ("threshold", "stochastic")
# Command-line flags that set a model option, and the constructor argument each one sets.
MODEL_FLAGS = {"components": "n_components", "orderings": "n_orderings", "direct": "direct"}


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def _add_data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", choices=DATA_SOURCES, default="embedded", help="which digits (default: embedded)")
    parser.add_argument("--binarization", choices=BINARIZATIONS, default="threshold", help="grey levels to bits")
    parser.add_argument("--data-seed", type=int, default=0, help="shuffle / stochastic-binarization seed")


def build_parser() -> argparse.ArgumentParser:
    from .models import MODELS

    parser = argparse.ArgumentParser(prog="python -m mlebook", description="Maximum-likelihood models of binarized digits.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser("train", help="train a model and save the best one")
    train.add_argument("model", choices=sorted(MODELS), help="model family")
    _add_data_arguments(train)
    train.add_argument("--out", type=Path, required=True, help="where to save the model (.pt)")
    train.add_argument("--epochs", type=_positive_int, default=None, help="most epochs (default: until early stopping)")
    train.add_argument("--batch-size", type=_positive_int, default=100)
    train.add_argument("--lr", type=_positive_float, default=1e-3, help="Adam learning rate")
    train.add_argument("--weight-decay", type=_non_negative_float, default=0.0, help="L2 penalty (Gaussian prior)")
    train.add_argument("--patience", type=_positive_int, default=5, help="epochs without a better validation NLL")
    train.add_argument("--lr-drops", type=int, choices=range(0, 10), default=0, metavar="K",
                       help="divide the learning rate by 10 at the first K stalls (default 0)")
    train.add_argument("--time-limit", type=_positive_float, default=None, help="seconds of training at most")
    train.add_argument("--seed", type=int, default=0, help="seeds the initial weights and the shuffling")
    train.add_argument("--hidden", type=_positive_int, nargs="+", help="hidden units (nade: one layer; made: one or more)")
    train.add_argument("--components", type=_positive_int, help="mixture components (mixture)")
    train.add_argument("--orderings", type=_positive_int, help="pixel orderings (made)")
    train.add_argument("--direct", action="store_true", default=None, help="direct input-to-output connections (made)")
    train.add_argument("--quiet", action="store_true", help="no progress bar")

    sample = commands.add_parser("sample", help="draw images from a saved model into a PNG grid")
    sample.add_argument("model_file", type=Path)
    sample.add_argument("--n", type=_positive_int, default=64, help="number of images")
    sample.add_argument("--out", type=Path, required=True, help="PNG file to write")
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--scale", type=_positive_int, default=2, help="screen pixels per image pixel")

    evaluate = commands.add_parser("eval", help="print a saved model's test NLL")
    evaluate.add_argument("model_file", type=Path)
    _add_data_arguments(evaluate)
    evaluate.add_argument("--split", choices=("train", "val", "test"), default="test")

    commands.add_parser("zoo", help="train (or load) all of the book's cached models")
    return parser


def _model_options(args, model_class) -> dict:
    """Constructor options from the flags the user gave; an option the model lacks is an error."""
    import inspect

    accepted = inspect.signature(model_class.__init__).parameters
    options = {"seed": args.seed} if "seed" in accepted else {}
    if args.hidden is not None:
        if "hidden_sizes" in accepted:
            options["hidden_sizes"] = tuple(args.hidden)
        elif "n_hidden" in accepted and len(args.hidden) == 1:
            options["n_hidden"] = args.hidden[0]
        elif "n_hidden" in accepted:
            raise ValueError(f"--hidden takes one layer size for model {args.model!r}, got {len(args.hidden)}")
        else:
            raise ValueError(f"--hidden does not apply to model {args.model!r}")
    for flag, option in MODEL_FLAGS.items():
        value = getattr(args, flag)
        if value is None:
            continue
        if option not in accepted:
            raise ValueError(f"--{flag} does not apply to model {args.model!r}")
        options[option] = value
    return options


def _train(args) -> int:
    from .data import load_binarized_mnist
    from .models import MODELS
    from .train import bits_per_dim, evaluate, fit

    data = load_binarized_mnist(args.data, args.binarization, seed=args.data_seed)
    model = MODELS[args.model](data.n_dims, **_model_options(args, MODELS[args.model]))
    model.extras = {"data": [args.data, args.binarization, args.data_seed]}
    print(f"{args.model}: {model.n_parameters():,} parameters, {len(data.train):,} training images", flush=True)
    try:
        history = fit(
            model,
            data.train,
            data.val,
            epochs=args.epochs,
            batch_size=args.batch_size,
            lr=args.lr,
            patience=args.patience,
            time_limit=args.time_limit,
            seed=args.seed,
            weight_decay=args.weight_decay,
            lr_drops=args.lr_drops,
            progress=not args.quiet,
            checkpoint=args.out,
        )
    except KeyboardInterrupt:
        if args.out.exists():
            print(f"\ninterrupted: the best model so far is in {args.out}", file=sys.stderr)
        else:
            print("\ninterrupted before the first epoch ended: nothing was saved", file=sys.stderr)
        return EXIT_INTERRUPTED
    model.cpu().save(args.out, extras={**model.extras, "history": history.to_dict()})
    val = history.best_val_nll
    print(
        f"stopped ({history.stopped}) after {len(history.train_nll)} epochs, {history.total_seconds:.1f} s; "
        f"kept epoch {history.best_epoch}: validation NLL {val:.2f} nats = {bits_per_dim(val, data.n_dims):.4f} bits/dim"
    )
    test = evaluate(model, data.test)
    print(f"test NLL {test:.2f} nats = {bits_per_dim(test, data.n_dims):.4f} bits/dim; saved {args.out}")
    return 0


def _sample(args) -> int:
    import matplotlib.pyplot as plt
    import numpy as np
    import torch

    from .models import load
    from .data import tile

    model = load(args.model_file)
    images = model.sample(args.n, generator=torch.Generator().manual_seed(args.seed)).cpu().numpy()
    grid = tile(images, pad=1, pad_value=0.5)
    grid = np.kron(grid, np.ones((args.scale, args.scale)))
    plt.imsave(args.out, grid, cmap="gray", vmin=0, vmax=1)
    print(f"{args.n} samples from {args.model_file} -> {args.out}")
    return 0


def _eval(args) -> int:
    from .data import load_binarized_mnist
    from .models import load
    from .train import bits_per_dim, evaluate

    model = load(args.model_file)
    data = load_binarized_mnist(args.data, args.binarization, seed=args.data_seed)
    images = getattr(data, args.split)
    nll = evaluate(model, images)
    print(f"{args.split} NLL on {args.data} ({len(images):,} images): {nll:.2f} nats per image = {bits_per_dim(nll, data.n_dims):.4f} bits/dim")
    return 0


def _zoo(args) -> int:
    from . import zoo
    from .train import bits_per_dim, evaluate

    test = zoo.digits().test
    print(f"cache: {zoo.cache_dir()}", flush=True)
    everything = zoo.trained_all(progress=True)
    print(f"{'model':<12} {'parameters':>11} {'test NLL (nats)':>16} {'bits/dim':>9} {'training (s)':>13}")
    for name, model in everything.items():
        nll = evaluate(model, test)
        print(f"{name:<12} {model.n_parameters():>11,} {nll:>16.2f} {bits_per_dim(nll, model.n_dims):>9.4f} {model.train_seconds:>13.1f}", flush=True)
    return 0


COMMANDS = {"train": _train, "sample": _sample, "eval": _eval, "zoo": _zoo}


def main(argv=None) -> int:
    """Run one command; returns the exit status. Usage errors exit with status 2 (argparse)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (ValueError, FileNotFoundError) as error:
        parser.error(str(error))
    except DataUnavailableError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
