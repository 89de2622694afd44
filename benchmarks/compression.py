"""Compression benchmark: the embedded test digits under classical codecs and under every trained model.

Prints, for the 1,000 test images of ``load_binarized_mnist()`` (embedded source):

- bits per image for gzip, bz2, lzma, PNG (per image and tiled page) and JBIG1 (tiled page);
- for each model of ``mlebook.zoo`` and for ``ensemble``, and each coder backend: bits per
  image of the blob, the ideal code length (-log2 of the probabilities the pixel walk coded),
  the model's negative log-likelihood in bits per image, the overhead of the coded size over
  the ideal, the seconds to encode and to decode all test images (the round trip is checked),
  the worst overhead over any stream of 100 consecutive test images, and the size against JBIG1;
- whether the best model meets the compression target: a code at least 10% smaller than
  JBIG1's, within 1% of its ideal length on every 100-image stream, encoding and decoding the
  test images in under a minute each.

``ensemble`` is :class:`mlebook.models.ensemble.Ensemble` of every zoo model that walks its pixels in
one order (all but the MADE mixing orderings) and the extra NADEs of ``recipes.ENSEMBLE_EXTRAS``, its
weights fitted by EM on the validation images. Models train on first use and are cached (the
extra NADEs take about six minutes). Coding runs on one torch thread.

Usage: ``python benchmarks/compression.py [--models independent,fvsbn,ensemble] [--backends python]``.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch

from mlebook import zoo
from mlebook.coding import classical_codecs, compression_report
from mlebook.data import load_binarized_mnist
from mlebook.models.ensemble import Ensemble, fitted_ensemble, walks_exactly
from recipes import ENSEMBLE_EXTRAS

MODELS = (*zoo.NAMES, "ensemble")
BACKENDS = ("python", "constriction")
STREAM_LENGTH = 100
# The compression target: this much smaller than JBIG1, this close to the ideal code length on
# every stream, and each direction for all test images within this many seconds.
TARGET_SAVING = 0.10
TARGET_OVERHEAD = 0.01
TARGET_SECONDS = 60.0


def zoo_ensemble() -> Ensemble:
    """Every zoo model (book and extra recipes) that walks in one order, weights fitted by EM on
    the validation digits."""
    candidates = {name: zoo.trained(name) for name in zoo.NAMES}
    candidates |= {name: zoo.trained(name, recipe) for name, recipe in ENSEMBLE_EXTRAS.items()}
    members = {name: model for name, model in candidates.items() if walks_exactly(model)}
    model = fitted_ensemble(members.values(), zoo.digits().val)
    print("ensemble weights (fitted on validation): "
          + ", ".join(f"{name} {weight:.3f}" for name, weight in zip(members, model.weights.tolist())) + "\n")
    return model


def worst_stream_overhead(model, x, backend: str, stream_length: int = STREAM_LENGTH) -> float:
    """max over consecutive streams of ``stream_length`` images of coded bits / ideal bits - 1."""
    return max(
        compression_report(model, x[start : start + stream_length], backend=backend).overhead
        for start in range(0, len(x) - stream_length + 1, stream_length)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated zoo names or 'ensemble'")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated coder backends")
    args = parser.parse_args()
    torch.set_num_threads(1)

    x = load_binarized_mnist().test
    print(f"{len(x)} embedded test digits, {x.shape[1]} pixels each\n")
    print(f"{'classical codec':<28}{'bits/image':>12}")
    classical = {name: 8 * size / len(x) for name, size in classical_codecs(x).items()}
    for name, bits in sorted(classical.items(), key=lambda item: item[1]):
        print(f"{name:<28}{bits:>12.1f}")
    jbig = classical["JBIG1 (tiled page)"]

    names = args.models.split(",")
    models = {name: zoo_ensemble() if name == "ensemble" else zoo.trained(name) for name in names}
    print(f"\n{'model':<13}{'backend':<14}{'bits/image':>11}{'ideal':>9}{'NLL':>9}{'overhead':>10}"
          f"{'encode s':>10}{'decode s':>10}{'worst 100':>11}{'vs JBIG1':>10}")
    best = {}
    for name, model in models.items():
        for backend in args.backends.split(","):
            worst = worst_stream_overhead(model, x, backend)
            report = compression_report(model, x, backend=backend)
            if report.bits_per_image < best.get(name, (np.inf,))[0]:
                best[name] = (report.bits_per_image, max(report.overhead, worst), report, backend)
            print(f"{name:<13}{backend:<14}{report.bits_per_image:>11.2f}{report.walk_bits_per_image:>9.2f}"
                  f"{report.nll_bits_per_image:>9.2f}"
                  f"{100 * report.overhead:>9.3f}%{report.encode_seconds:>10.1f}{report.decode_seconds:>10.1f}"
                  f"{100 * worst:>10.3f}%{100 * (report.bits_per_image / jbig - 1):>+9.1f}%", flush=True)

    winner = min(best, key=lambda name: best[name][0])
    bits, overhead, report, backend = best[winner]
    change = 100 * (bits / jbig - 1)
    print(f"\nbest model: {winner} ({backend} coder), {bits:.1f} bits/image, {abs(change):.1f}% "
          f"{'smaller' if change < 0 else 'larger'} than JBIG1's {jbig:.1f} bits/image")
    checks = {
        f"at least {100 * TARGET_SAVING:.0f}% smaller than JBIG1": bits <= (1 - TARGET_SAVING) * jbig,
        f"within {100 * TARGET_OVERHEAD:.0f}% of the ideal length on every {STREAM_LENGTH}-image stream":
            overhead <= TARGET_OVERHEAD,
        f"encodes and decodes {len(x)} images in under {TARGET_SECONDS:.0f} s each":
            max(report.encode_seconds, report.decode_seconds) < TARGET_SECONDS,
    }
    for check, passed in checks.items():
        print(f"  {'meets' if passed else 'MISSES'}: {check}")
    print("ideal: -log2 of the probabilities the pixel walk coded; NLL: the model's -log2 p(x) (they differ\n"
          "for a mixture over pixel orderings, whose walk follows one ordering); overhead: bits / ideal - 1;\n"
          f"worst 100: the largest overhead among streams of {STREAM_LENGTH} consecutive images")


if __name__ == "__main__":
    main()
