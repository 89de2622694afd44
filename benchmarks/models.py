"""Previous best against new, side by side in one run: the figures of issue 15.

Prints, on the embedded split (3,500 training, 500 validation, 1,000 test digits):

1. every zoo model's test NLL, epochs and training seconds (from its cached training run), and
   the zoo's total training time;
2. the best single model before the context NADE (NADE) against the context NADE: test NLL with
   the paired standard error of the difference;
3. the ensembles (:class:`mlebook.models.ensemble.Ensemble`, weights fitted by EM on the
   validation digits) of the zoo's raster-order models without and with the context NADE (with
   ``--extras``, both also get the extra NADEs of ``recipes.ENSEMBLE_EXTRAS`` and the new one the
   second context NADE of ``recipes.CONTEXT_EXTRAS``: about seven minutes of training the first
   time);
4. the arithmetic codes of those four models (the package's exact coder): bits per image, the
   size against JBIG1 on the tiled test page, overhead over the ideal length, seconds to encode
   and decode the test digits (the round trip is checked);
5. NADE's and the context NADE's training throughput on one thread, and NADE's incremental
   sampler against the naive one;
6. each target of the issue, met or missed.

Timings depend on how busy the machine is; run it on an idle one for figures to quote.

Usage: ``python benchmarks/models.py [--extras] [--naive-images 50]``.
"""

from __future__ import annotations

import argparse
import time

import torch

from mlebook import zoo
from mlebook.coding import classical_codecs, compression_report
from mlebook.info import paired_difference
from mlebook.models.ensemble import fitted_ensemble, walks_exactly
from mlebook.train import evaluate, log_probs
from nade_speed import training_images_per_second
from recipes import CONTEXT_EXTRAS, ENSEMBLE_EXTRAS

PREVIOUS, NEW = "nade", "context-nade"
TARGETS = {"single NLL (nats)": 78.0, "single training (s)": 600.0, "single vs JBIG1": -0.10,
           "ensemble vs JBIG1": -0.14, "ensemble NLL (nats)": 75.0, "NADE training (images/s)": 500.0,
           "sampling speed-up": 500.0}


def ensemble_of(models: dict):
    """The EM-weighted mixture of the models that walk their pixels exactly, and their names."""
    members = {name: model for name, model in models.items() if walks_exactly(model)}
    return fitted_ensemble(members.values(), zoo.digits().val), list(members)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extras", action="store_true", help="add the members of recipes.py to the ensembles")
    parser.add_argument("--naive-images", type=int, default=50, help="images for the sampling comparison")
    parser.add_argument("--steps", type=int, default=10, help="Adam steps of 100 images for the throughput")
    args = parser.parse_args()
    torch.set_num_threads(1)
    digits = zoo.digits()
    x = digits.test

    print("1. the zoo (training times from each model's cached run)")
    trained = {name: zoo.trained(name) for name in zoo.NAMES}
    print(f"   {'model':<14}{'test NLL':>10}{'epochs':>8}{'training s':>12}")
    for name, model in trained.items():
        print(f"   {name:<14}{evaluate(model, x):>10.2f}{len(model.history.train_nll):>8}{model.train_seconds:>12.1f}")
    print(f"   total training {sum(model.train_seconds for model in trained.values()):.0f} s")

    print("\n2. best single model, previous against new")
    nll = {name: evaluate(trained[name], x) for name in (PREVIOUS, NEW)}
    gain, standard_error = paired_difference(log_probs(trained[PREVIOUS], x), log_probs(trained[NEW], x))
    print(f"   {PREVIOUS}: {nll[PREVIOUS]:.2f} nats; {NEW}: {nll[NEW]:.2f} nats; "
          f"difference {gain:.2f} ± {standard_error:.2f} (paired SE)")

    print("\n3. ensembles (weights by EM on the validation digits)")
    previous_models = {name: model for name, model in trained.items() if name != NEW}
    new_models = dict(trained)
    if args.extras:
        previous_models |= {name: zoo.trained(name, recipe) for name, recipe in ENSEMBLE_EXTRAS.items()}
        new_models |= previous_models | {name: zoo.trained(name, recipe) for name, recipe in CONTEXT_EXTRAS.items()}
    ensembles = {"previous ensemble": ensemble_of(previous_models), "new ensemble": ensemble_of(new_models)}
    for label, (model, members) in ensembles.items():
        nll[label] = evaluate(model, x)
        weights = ", ".join(f"{name} {w:.3f}" for name, w in zip(members, model.weights.tolist()))
        print(f"   {label}: {nll[label]:.2f} nats; weights {weights}")

    print("\n4. arithmetic codes of the test digits (python coder, round trip checked)")
    jbig = 8 * classical_codecs(x)["JBIG1 (tiled page)"] / len(x)
    print(f"   JBIG1 (tiled page): {jbig:.1f} bits/image")
    coders = {PREVIOUS: trained[PREVIOUS], NEW: trained[NEW]} | {label: model for label, (model, _) in ensembles.items()}
    change = {}
    print(f"   {'model':<19}{'bits/image':>11}{'vs JBIG1':>10}{'overhead':>10}{'encode s':>10}{'decode s':>10}")
    for label, model in coders.items():
        report = compression_report(model, x)
        change[label] = report.bits_per_image / jbig - 1
        print(f"   {label:<19}{report.bits_per_image:>11.2f}{100 * change[label]:>+9.1f}%{100 * report.overhead:>9.3f}%"
              f"{report.encode_seconds:>10.1f}{report.decode_seconds:>10.1f}", flush=True)

    print("\n5. speed, one thread")
    batches = [torch.as_tensor(digits.train[k * 100 : (k + 1) * 100], dtype=torch.float32) for k in range(args.steps + 2)]
    throughput = {}
    for name in (PREVIOUS, NEW):
        fresh = zoo.models.MODELS[name](784, **zoo.RECIPES[name].options)
        throughput[name] = training_images_per_second(fresh.log_prob, fresh, batches)[0]
        print(f"   {name} training: {throughput[name]:.0f} images/s (Adam steps of 100 images)")
    nade, n = trained[PREVIOUS], args.naive_images
    start = time.perf_counter()
    nade.sample(n, generator=torch.Generator().manual_seed(0))
    fast = time.perf_counter() - start
    start = time.perf_counter()
    nade.sample_naive(n, generator=torch.Generator().manual_seed(0))
    naive = time.perf_counter() - start
    print(f"   NADE sampling of {n} images: incremental {fast:.3f} s, naive {naive:.1f} s: {naive / fast:.0f}x")

    print("\n6. targets")
    figures = {"single NLL (nats)": (nll[PREVIOUS], nll[NEW]),
               "single training (s)": (trained[PREVIOUS].train_seconds, trained[NEW].train_seconds),
               "single vs JBIG1": (change[PREVIOUS], change[NEW]),
               "ensemble vs JBIG1": (change["previous ensemble"], change["new ensemble"]),
               "ensemble NLL (nats)": (nll["previous ensemble"], nll["new ensemble"]),
               "NADE training (images/s)": (None, throughput[PREVIOUS]),
               "sampling speed-up": (None, naive / fast)}
    print(f"   {'figure':<26}{'previous':>10}{'new':>10}{'target':>10}  verdict")
    for figure, (before, after) in figures.items():
        target = TARGETS[figure]
        higher_is_better = figure in ("NADE training (images/s)", "sampling speed-up")
        met = after >= target if higher_is_better else after <= target
        show = (lambda v: f"{100 * v:+.1f}%") if "JBIG1" in figure else (lambda v: f"{v:.1f}")
        print(f"   {figure:<26}{show(before) if before is not None else '':>10}{show(after):>10}{show(target):>10}"
              f"  {'meets' if met else 'MISSES'}")


if __name__ == "__main__":
    main()
