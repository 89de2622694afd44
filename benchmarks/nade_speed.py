"""How fast is NADE? Prints measured figures; not run by the tests.

1. Training throughput (images/s) of one Adam step on the mean NLL, forward + backward, batch
   100, D = 784, H = 500, for the package's NADE and for a straightforward autograd version
   that materialises the (n, D, H) tensor of pre-activations with a cumulative sum.
2. Sampling: the running-activation sampler (O(D H) per image) against ``sample_naive``, which
   recomputes all conditionals for every pixel (O(D^2 H) per image).

Usage: python benchmarks/nade_speed.py [--threads 1] [--steps 10] [--naive-images 50]

On a shared or busy machine pass --threads 1: two threads then run NADE several times slower.
"""

from __future__ import annotations

import argparse
import time

import torch
import torch.nn.functional as F

from mlebook.data import load_binarized_mnist
from mlebook.models import NADE


def straightforward_log_prob(model: NADE, x: torch.Tensor) -> torch.Tensor:
    """log p(x) with plain autograd: a = c + exclusive cumsum of x_j W_{:, j}, (n, D, H) in memory."""
    contributions = x[:, :, None] * model.weight_t[None]
    activations = torch.cumsum(contributions, dim=1) - contributions + model.c
    logits = model.b + (torch.sigmoid(activations) * model.v).sum(dim=-1)
    return F.logsigmoid((2 * x - 1) * logits).sum(dim=1)


def training_images_per_second(log_prob, model, batches, warmup: int = 2) -> tuple[float, float]:
    """Images per second of wall-clock time and per second of this process's CPU time."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(x):
        optimizer.zero_grad()
        loss = -log_prob(x).mean()
        loss.backward()
        optimizer.step()

    for x in batches[:warmup]:
        step(x)
    wall, cpu = time.perf_counter(), time.process_time()
    for x in batches[warmup:]:
        step(x)
    n_images = sum(len(x) for x in batches[warmup:])
    return n_images / (time.perf_counter() - wall), n_images / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--naive-images", type=int, default=50)  # enough to amortise per-step overhead
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    train = torch.as_tensor(load_binarized_mnist().train, dtype=torch.float32)
    n_batches = args.steps + 2
    batches = [train[k * args.batch : (k + 1) * args.batch] for k in range(n_batches)]
    print(f"threads: {args.threads}, batch {args.batch}, D = 784, H = 500")

    nade = NADE(784, 500)
    fast, fast_cpu = training_images_per_second(nade.log_prob, nade, batches)
    print(f"training, package NADE:           {fast:8.1f} images/s ({fast_cpu:.1f} per CPU-second)")
    plain = NADE(784, 500)
    slow, slow_cpu = training_images_per_second(lambda x: straightforward_log_prob(plain, x), plain, batches)
    print(f"training, straightforward cumsum: {slow:8.1f} images/s ({slow_cpu:.1f} per CPU-second)")
    print(f"package / straightforward:        {fast / slow:8.1f}x")

    n = args.naive_images
    start = time.perf_counter()
    nade.sample(n, generator=torch.Generator().manual_seed(0))
    incremental = (time.perf_counter() - start) / n
    start = time.perf_counter()
    nade.sample_naive(n, generator=torch.Generator().manual_seed(0))
    naive = (time.perf_counter() - start) / n
    print(f"sampling, running activation:     {1 / incremental:8.1f} images/s")
    print(f"sampling, naive recomputation:    {1 / naive:8.2f} images/s")
    print(f"sampling speed-up:                {naive / incremental:8.0f}x")


if __name__ == "__main__":
    main()
