"""The command line, ``python -m mlebook``: train, sample, evaluate, pre-train the zoo.

    python -m mlebook train nade --data embedded --out nade.pt --batch-size 25 --lr 0.01 --lr-drops 1
    python -m mlebook train context-nade --data mnist --out context-nade.pt --hidden 200 --batch-size 25 --lr 0.01 --patience 2 --lr-drops 1
    python -m mlebook sample nade.pt --n 64 --out grid.png --seed 0
    python -m mlebook eval nade.pt --data embedded
    python -m mlebook zoo

``train`` keeps the best model so far (lowest validation NLL) in ``--out`` while it runs, so
Ctrl-C stops it with that checkpoint in place (exit status 130). ``eval`` prints the mean
test NLL in nats per image and in bits per dimension, NLL / (784 ln 2).

Errors are one line on stderr and a non-zero exit status, never a traceback: a bad argument
exits with 2, a failure while running (no data, a loss that became NaN, a file that cannot be
written) with 1, Ctrl-C with 130. Ctrl-C works even when the launching shell left SIGINT
ignored (a job started with ``&``): the command installs its own handler. Output files are
checked before any work starts, so a run never trains for an hour to find that it cannot save.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path

from .data import DataUnavailableError
from .train import NonFiniteLossError

EXIT_INTERRUPTED = 130  # 128 + SIGINT, the shell's convention
DATA_SOURCES = ("embedded", "mnist", "binarized-mnist")
BINARIZATIONS = ("threshold", "stochastic")
# Command-line flags that set a model option, and the constructor argument each one sets.
# (Keyed by argparse's destination: "context_rows" is the flag --context-rows.)
MODEL_FLAGS = {"components": "n_components", "orderings": "n_orderings", "direct": "direct",
               "context_rows": "context_rows", "context_columns": "context_columns",
               "context_units": "context_units", "dropout": "dropout"}


# The largest sample grid ``sample`` writes: Pillow's decompression-bomb limit, beyond which
# image readers warn or refuse.
MAX_IMAGE_PIXELS = 89_478_485


def _integer(text: str, minimum: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"must be {what}, got {text}")
    return value


def _positive_int(text: str) -> int:
    return _integer(text, 1, "a positive integer")


def _non_negative_int(text: str) -> int:
    return _integer(text, 0, "a non-negative integer")


def _number(text: str, positive: bool) -> float:
    what = "a finite positive number" if positive else "a finite number >= 0"
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}") from None
    if not math.isfinite(value) or not (value > 0 if positive else value >= 0):
        raise argparse.ArgumentTypeError(f"must be {what}, got {text}")
    return value


def _positive_float(text: str) -> float:
    return _number(text, positive=True)


def _non_negative_float(text: str) -> float:
    return _number(text, positive=False)


def _file_path(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError(f"must name a file, got {text!r}")
    return Path(text)


def _image_path(text: str) -> Path:
    from matplotlib.figure import Figure

    path = _file_path(text)
    formats = sorted(Figure().canvas.get_supported_filetypes())
    if path.suffix.lower().lstrip(".") not in formats:
        raise argparse.ArgumentTypeError(
            f"unknown image extension {path.suffix or '(none)'!r} in {text!r}; use one of {', '.join('.' + f for f in formats)}"
        )
    return path


def _check_writable(path: Path, flag: str) -> None:
    """ValueError unless this process can create (or replace) the file ``path``: it must not be a
    folder, and a file must be creatable in its folder (or the nearest folder above it that
    exists, where the missing ones will be made)."""
    if path.is_dir():
        raise ValueError(f"{flag} {path} is a folder; name a file in it")
    existing = path.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise ValueError(f"cannot write {flag} {path}: {existing} is a file, not a folder")
    try:
        handle, probe = tempfile.mkstemp(dir=existing, prefix=".mlebook-write-test-")
    except OSError as error:
        raise ValueError(f"cannot write {flag} {path}: {existing} is not writable ({error.strerror})") from None
    os.close(handle)
    os.unlink(probe)
    if path.exists() and not os.access(path, os.W_OK):
        raise ValueError(f"cannot write {flag} {path}: the file is read-only")


def _file_state(path: Path):
    """What identifies one version of a file (None if there is none): a rewrite changes it."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line: what is wrong, and where the help is."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _add_data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", choices=DATA_SOURCES, default="embedded", help="which digits (default: embedded)")
    parser.add_argument("--binarization", choices=BINARIZATIONS, default="threshold", help="grey levels to bits")
    parser.add_argument("--data-seed", type=_non_negative_int, default=0, help="shuffle / stochastic-binarization seed")


def build_parser() -> argparse.ArgumentParser:
    from .models import MODELS

    parser = _Parser(prog="python -m mlebook", description="Maximum-likelihood models of binarized digits.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser("train", help="train a model and save the best one")
    train.add_argument("model", choices=sorted(MODELS), help="model family")
    _add_data_arguments(train)
    train.add_argument("--out", type=_file_path, required=True, help="where to save the model (.pt)")
    train.add_argument("--epochs", type=_positive_int, default=None, help="most epochs (default: until early stopping)")
    train.add_argument("--batch-size", type=_positive_int, default=100)
    train.add_argument("--lr", type=_positive_float, default=1e-3, help="Adam learning rate")
    train.add_argument("--weight-decay", type=_non_negative_float, default=0.0, help="L2 penalty (Gaussian prior)")
    train.add_argument("--patience", type=_positive_int, default=5, help="epochs without a better validation NLL")
    train.add_argument("--lr-drops", type=int, choices=range(0, 10), default=0, metavar="K",
                       help="divide the learning rate by 10 at the first K stalls (default 0)")
    train.add_argument("--time-limit", type=_positive_float, default=None, help="seconds of training at most")
    train.add_argument("--seed", type=_non_negative_int, default=0, help="seeds the initial weights and the shuffling")
    train.add_argument("--hidden", type=_positive_int, nargs="+", help="hidden units (nade: one layer; made: one or more)")
    train.add_argument("--components", type=_positive_int, help="mixture components (mixture)")
    train.add_argument("--orderings", type=_positive_int, help="pixel orderings (made)")
    train.add_argument("--direct", action="store_true", default=None, help="direct input-to-output connections (made)")
    train.add_argument("--context-rows", type=_non_negative_int, help="rows above each pixel in its window (context-nade)")
    train.add_argument("--context-columns", type=_non_negative_int, help="columns either side in the window (context-nade)")
    train.add_argument("--context-units", type=_positive_int, help="hidden units of the context network (context-nade)")
    train.add_argument("--dropout", type=_non_negative_float, help="dropout rate of the context units (context-nade)")
    train.add_argument("--quiet", action="store_true", help="no progress bar")

    sample = commands.add_parser("sample", help="draw images from a saved model into a PNG grid")
    sample.add_argument("model_file", type=Path)
    sample.add_argument("--n", type=_positive_int, default=64, help="number of images")
    sample.add_argument("--out", type=_image_path, required=True, help="image file to write (.png, ...)")
    sample.add_argument("--seed", type=_non_negative_int, default=0)
    sample.add_argument("--scale", type=_positive_int, default=2, help="screen pixels per image pixel")

    evaluate = commands.add_parser("eval", help="print a saved model's test NLL")
    evaluate.add_argument("model_file", type=Path)
    _add_data_arguments(evaluate)
    evaluate.add_argument("--split", choices=("train", "val", "test"), default="test")

    zoo_command = commands.add_parser("zoo", help="train (or load) all of the book's cached models")
    zoo_command.add_argument("--jobs", type=_positive_int, default=os.cpu_count() or 1,
                             help="models trained at once, one process each (default: one per core)")
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
            raise ValueError(f"--{flag.replace('_', '-')} does not apply to model {args.model!r}")
        options[option] = value
    return options


def _train(args) -> int:
    from .data import load_binarized_mnist
    from .models import MODELS
    from .train import bits_per_dim, evaluate, fit

    _check_writable(args.out, "--out")
    options = _model_options(args, MODELS[args.model])  # before loading data: a wrong flag fails at once
    data = load_binarized_mnist(args.data, args.binarization, seed=args.data_seed)
    model = MODELS[args.model](data.n_dims, **options)
    model.extras = {"data": [args.data, args.binarization, args.data_seed]}
    before = _file_state(args.out)
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
        if args.out.exists() and _file_state(args.out) != before:  # this run wrote a checkpoint
            print(f"interrupted: the best model so far is in {args.out}", file=sys.stderr)
        elif before is not None:
            print(f"interrupted before the first epoch ended: nothing was saved; {args.out} still holds the file that was there before", file=sys.stderr)
        else:
            print("interrupted before the first epoch ended: nothing was saved", file=sys.stderr)
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
    import torch

    from .data import tile, tile_shape
    from .models import load

    height, width = (args.scale * side for side in tile_shape(args.n, pad=1))
    if height * width > MAX_IMAGE_PIXELS:
        raise ValueError(
            f"--n {args.n} at --scale {args.scale} makes a {width:,} x {height:,} image; "
            f"the most is {MAX_IMAGE_PIXELS:,} pixels"
        )
    _check_writable(args.out, "--out")
    model = load(args.model_file)
    images = model.sample(args.n, generator=torch.Generator().manual_seed(args.seed)).cpu().numpy()
    grid = tile(images, pad=1, pad_value=0.5)
    grid = grid.repeat(args.scale, axis=0).repeat(args.scale, axis=1)
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
    try:
        everything = zoo.trained_all(progress=True, jobs=args.jobs)
    except KeyboardInterrupt:
        print(f"interrupted: the models trained so far stay in the cache {zoo.cache_dir()}", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"{'model':<12} {'parameters':>11} {'test NLL (nats)':>16} {'bits/dim':>9} {'training (s)':>13}")
    for name, model in everything.items():
        nll = evaluate(model, test)
        print(f"{name:<12} {model.n_parameters():>11,} {nll:>16.2f} {bits_per_dim(nll, model.n_dims):>9.4f} {model.train_seconds:>13.1f}", flush=True)
    return 0


COMMANDS = {"train": _train, "sample": _sample, "eval": _eval, "zoo": _zoo}


@contextlib.contextmanager
def _ctrl_c_interrupts():
    """Inside the block SIGINT raises KeyboardInterrupt, whatever the launching shell set.

    A shell that starts a job in the background (``&`` in a script) sets SIGINT to "ignore", and
    Python then installs no handler of its own, so Ctrl-C (or ``kill -INT``) would do nothing.
    Signal handlers belong to the main thread; elsewhere the block changes nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def main(argv=None) -> int:
    """Run one command; returns the exit status (see the module docstring)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with _ctrl_c_interrupts():
            return COMMANDS[args.command](args)
    except (ValueError, FileNotFoundError) as error:  # bad input found while running: a usage error
        return _fail(args, str(error), 2)
    except (DataUnavailableError, NonFiniteLossError) as error:
        return _fail(args, str(error), 1)
    except OSError as error:
        return _fail(args, f"{error.strerror or error}{f': {error.filename}' if error.filename else ''}", 1)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _fail(args, message: str, status: int) -> int:
    """Print ``message`` as one line naming the command; return the exit status."""
    print(f"python -m mlebook {args.command}: error: {' '.join(message.split())}", file=sys.stderr)
    return status
