"""Compression benchmark: the embedded test digits under classical codecs and under every trained model.

Prints, for the 1,000 test images of ``load_binarized_mnist()`` (embedded source):

- bits per image for gzip, bz2, lzma, PNG (per image and tiled page) and JBIG1 (tiled page);
- for each model of ``mlebook.zoo`` and each coder backend: bits per image of the blob, the
  ideal code length (-log2 of the probabilities the pixel walk coded), the model's negative
  log-likelihood in bits per image, the overhead of the coded size over the ideal, and the
  seconds to encode and to decode all test images (the round trip is checked);
- the worst overhead over any stream of 100 consecutive test images, per model;
- how much smaller the best model's code is than JBIG1's.

Usage: ``python benchmarks/compression.py [--models independent,fvsbn] [--backends python]``.
"""

from __future__ import annotations

import argparse

import numpy as np

from mlebook import zoo
from mlebook.coding import classical_codecs, compression_report
from mlebook.data import load_binarized_mnist

MODELS = ("independent", "mixture", "fvsbn", "nade", "made")
BACKENDS = ("python", "constriction")
STREAM_LENGTH = 100


def worst_stream_overhead(model, x, stream_length: int = STREAM_LENGTH) -> float:
    """max over consecutive streams of ``stream_length`` images of coded bits / ideal bits - 1."""
    return max(
        compression_report(model, x[start : start + stream_length]).overhead
        for start in range(0, len(x) - stream_length + 1, stream_length)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated zoo names")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated coder backends")
    args = parser.parse_args()

    x = load_binarized_mnist().test
    print(f"{len(x)} embedded test digits, {x.shape[1]} pixels each\n")
    print(f"{'classical codec':<28}{'bits/image':>12}")
    classical = {name: 8 * size / len(x) for name, size in classical_codecs(x).items()}
    for name, bits in sorted(classical.items(), key=lambda item: item[1]):
        print(f"{name:<28}{bits:>12.1f}")

    print(f"\n{'model':<13}{'backend':<14}{'bits/image':>11}{'ideal':>9}{'NLL':>9}{'overhead':>10}"
          f"{'encode s':>10}{'decode s':>10}{'worst 100':>11}")
    best = {}
    for name in args.models.split(","):
        model = zoo.trained(name)
        worst = worst_stream_overhead(model, x)
        for backend in args.backends.split(","):
            report = compression_report(model, x, backend=backend)
            best[name] = min(best.get(name, np.inf), report.bits_per_image)
            print(f"{name:<13}{backend:<14}{report.bits_per_image:>11.2f}{report.walk_bits_per_image:>9.2f}"
                  f"{report.nll_bits_per_image:>9.2f}"
                  f"{100 * report.overhead:>9.3f}%{report.encode_seconds:>10.1f}{report.decode_seconds:>10.1f}"
                  f"{100 * worst:>10.3f}%")

    jbig = classical["JBIG1 (tiled page)"]
    winner = min(best, key=best.get)
    change = 100 * (best[winner] / jbig - 1)
    print(f"\nbest model: {winner}, {best[winner]:.1f} bits/image, {abs(change):.1f}% "
          f"{'smaller' if change < 0 else 'larger'} than JBIG1's {jbig:.1f} bits/image")
    print("ideal: -log2 of the probabilities the pixel walk coded; NLL: the model's -log2 p(x) (they differ\n"
          "for a mixture over pixel orderings, whose walk follows one ordering); overhead: bits / ideal - 1;\n"
          f"worst 100: the largest overhead among streams of {STREAM_LENGTH} consecutive images (python backend)")


if __name__ == "__main__":
    main()
