"""Capacity sweeps: training and validation NLL of one model family at growing sizes (ch. 7).

For each capacity K (mixture components, hidden units) a model is fitted to the same N training
images and scored on them and on held-out validation images, in nats per image. The training
NLL keeps falling as K grows: a bigger family contains the smaller one's fits. The validation
NLL estimates the test NLL, H(P_data) + KL(P_data || P_theta-hat), whose KL splits into

- an **approximation error** (bias), the KL from P_data to the best model of size K, which only
  falls as K grows, and
- an **estimation error** (variance), what the fitted parameters lose by being fitted to N
  images rather than to P_data, which grows with K.

Their sum is smallest at some K*, the K with the lowest validation NLL. Below it the model
underfits (both NLLs high and close together); above it, it overfits: the generalisation gap,
validation NLL minus training NLL, opens, and validation NLL rises while training NLL still falls.

The gap is measured on two different sets of images, so it has a standard error,
sqrt(Var_train[log p] / N_train + Var_val[log p] / N_val); :meth:`CapacitySweep.gap_opens` names
the first K whose gap exceeds ``z`` of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from ..checks import binary_images, count
from ..train import log_probs


@dataclass(frozen=True)
class CapacitySweep:
    """One row per capacity: NLLs in nats per image, and the fitted models."""

    capacities: np.ndarray
    n_parameters: np.ndarray
    train_nll: np.ndarray
    val_nll: np.ndarray
    gap_standard_error: np.ndarray
    models: tuple = field(default=(), compare=False, repr=False)

    @property
    def gap(self) -> np.ndarray:
        """The generalisation gap: validation NLL minus training NLL."""
        return self.val_nll - self.train_nll

    @property
    def best_index(self) -> int:
        """The position of the lowest validation NLL."""
        return int(np.argmin(self.val_nll))

    @property
    def best(self) -> int:
        """K*, the capacity with the lowest validation NLL."""
        return int(self.capacities[self.best_index])

    def gap_opens(self, z: float = 2.0) -> int | None:
        """The smallest capacity whose gap exceeds ``z`` standard errors, or None if none does."""
        wide = np.flatnonzero(self.gap > z * self.gap_standard_error)
        return int(self.capacities[wide[0]]) if wide.size else None


def capacity_sweep(
    fit: Callable[[int, np.ndarray], object], capacities: Sequence[int], train, val, progress: bool = False
) -> CapacitySweep:
    """Fit ``fit(K, train)`` for each K in ``capacities`` (increasing) and score it on ``train``
    and ``val``. ``fit`` returns a fitted model with ``log_prob`` and ``n_parameters()``."""
    capacities = [count(k, "each capacity", minimum=1) for k in capacities]
    if not capacities or any(b <= a for a, b in zip(capacities, capacities[1:])):
        raise ValueError(f"capacities must be a non-empty increasing sequence, got {capacities}")
    train = binary_images(train, name="train", min_count=2)
    val = binary_images(val, train.shape[1], name="val", min_count=2)
    iterator = capacities
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(capacities, desc="capacities")
    rows, models = [], []
    for k in iterator:
        model = fit(k, train)
        on_train, on_val = log_probs(model, train), log_probs(model, val)
        standard_error = math.sqrt(on_train.var(ddof=1) / len(on_train) + on_val.var(ddof=1) / len(on_val))
        rows.append((model.n_parameters(), -on_train.mean(), -on_val.mean(), standard_error))
        models.append(model)
    n_parameters, train_nll, val_nll, gap_standard_error = (np.array(column) for column in zip(*rows))
    return CapacitySweep(np.array(capacities), n_parameters.astype(int), train_nll, val_nll, gap_standard_error, tuple(models))
