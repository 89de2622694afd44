"""Input checks shared by the whole package: one validator per kind of input.

Each check returns its input in a canonical form or raises ``ValueError`` with a message that
names the argument and the problem (its shape, a value out of range, a sum that is not 1), so
that a mistake is reported where it is made, not as a numpy or torch error deep inside.

- :func:`binary_images`: a batch of binary images, an array of shape (n, D) holding only 0 and 1;
  :func:`binary_image_tensor` is the same check returning a float tensor (for the models).
- :func:`distributions`: probability vectors along the last axis, each non-negative and
  summing to 1 (to ``SUM_TOLERANCE``).
- :func:`probability`, :func:`count`, :func:`finite`: single numbers; :func:`finite_array`: an
  array of finite numbers (parameters such as means and standard deviations).
"""

from __future__ import annotations

import math

import numpy as np
import torch

SUM_TOLERANCE = 1e-6


def count(value, name: str, minimum: int = 0) -> int:
    """``value`` as an int after checking it is an integer (not a bool) >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def probability(value, name: str) -> float:
    """``value`` as a float after checking it lies in [0, 1] (NaN does not)."""
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1], got {value}")
    return value


def finite(value, name: str, positive: bool = False) -> float:
    """``value`` as a float after checking it is finite (and > 0 if ``positive``)."""
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    if positive and not value > 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return value


def finite_array(values, name: str, positive: bool = False) -> np.ndarray:
    """``values`` as a float64 array after checking every entry is finite (and > 0 if ``positive``)."""
    array = np.asarray(values, dtype=np.float64)
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must be finite numbers, got {_first_bad(array, ~np.isfinite(array))}")
    if positive and not (array > 0).all():
        raise ValueError(f"{name} must be positive (> 0), got {_first_bad(array, ~(array > 0))}")
    return array


def _first_bad(array: np.ndarray, bad: np.ndarray) -> str:
    return repr(float(array[bad].ravel()[0])) if array.ndim else repr(float(array))


def _image_shape_problem(shape: tuple, n_dims: int | None, name: str) -> str | None:
    expected = f"(n, {n_dims})" if n_dims is not None else "(n, D)"
    if len(shape) != 2:
        return f"{name} must have shape {expected}, got shape {shape}"
    if n_dims is not None and shape[1] != n_dims:
        return f"{name} must have {n_dims} pixels per row, got shape {shape}"
    return None


def _count_problem(n: int, min_count: int, name: str) -> str | None:
    if n < min_count:
        held = "no images" if n == 0 else f"only {n} images"
        return f"{name} holds {held}; at least {min_count} needed"
    return None


def binary_images(x, n_dims: int | None = None, name: str = "images", min_count: int = 0) -> np.ndarray:
    """``x`` as a uint8 numpy array of shape (n, D) after checking it is a batch of binary images.

    ``x`` may be a numpy array, a nested list or a torch tensor of any real dtype. Checks: two
    axes, ``n_dims`` pixels per row (when given), at least ``min_count`` rows, values 0 and 1 only.
    """
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    array = np.asarray(x)
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise ValueError(f"{name} must be numeric, got an array of dtype {array.dtype}")
    if np.iscomplexobj(array):
        raise ValueError(f"{name} must be real 0/1 values, got dtype {array.dtype}")
    problem = _image_shape_problem(array.shape, n_dims, name) or _count_problem(len(array), min_count, name)
    if problem:
        raise ValueError(problem)
    if array.size and not np.isin(array, (0, 1)).all():
        raise ValueError(f"{name} must hold only the values 0 and 1")
    return array.astype(np.uint8, copy=False)


def binary_image_tensor(x, n_dims: int, name: str = "images", min_count: int = 0) -> torch.Tensor:
    """The check of :func:`binary_images`, returning a floating-point tensor (the default dtype,
    or the tensor's own floating dtype); a tensor is checked where it lives (CPU or GPU)."""
    if not isinstance(x, torch.Tensor):
        return torch.from_numpy(binary_images(x, n_dims, name, min_count)).to(torch.get_default_dtype())
    if x.is_complex():
        raise ValueError(f"{name} must be real 0/1 values, got dtype {x.dtype}")
    problem = _image_shape_problem(tuple(x.shape), n_dims, name) or _count_problem(len(x), min_count, name)
    if problem:
        raise ValueError(problem)
    if not bool(((x == 0) | (x == 1)).all()):
        raise ValueError(f"{name} must hold only the values 0 and 1")
    return x if x.is_floating_point() else x.to(torch.get_default_dtype())


def distributions(p, name: str = "p", ndim: int | None = None, tolerance: float = SUM_TOLERANCE) -> np.ndarray:
    """``p`` as float64 after checking that its last axis holds probability distributions.

    ``ndim`` (optional) is the number of axes required: 1 for one distribution, 2 for a table
    with one distribution per row. Every entry must be finite and >= 0, and each distribution
    must sum to 1 within ``tolerance``; a message names the first row that does not.
    """
    p = np.asarray(p, dtype=np.float64)
    if ndim is not None and p.ndim != ndim:
        shape = {1: "(k,)", 2: "(n, k)"}.get(ndim, f"{ndim} axes")
        raise ValueError(f"{name} must have shape {shape}, got shape {p.shape}")
    if p.ndim == 0:
        raise ValueError(f"{name} must have at least one axis (the outcomes), got a scalar")
    if p.shape[-1] == 0:
        raise ValueError(f"{name} has no outcomes: its last axis has length 0 (shape {p.shape})")
    if np.isnan(p).any():
        raise ValueError(f"{name} contains NaN entries")
    if np.isinf(p).any():
        raise ValueError(f"{name} contains an infinite entry (infinite entries are not probabilities)")
    if (p < 0).any():
        raise ValueError(f"{name} must be non-negative: it has negative entries (smallest {p.min():.3g})")
    if p.size:
        sums = p.sum(axis=-1)
        off = np.abs(sums - 1.0)
        if off.max() > tolerance:
            if p.ndim == 1:
                raise ValueError(f"{name} must sum to 1, sums to {float(sums)!r}")
            row = np.unravel_index(int(np.argmax(off > tolerance)), off.shape)
            where = row[0] if len(row) == 1 else row
            raise ValueError(f"each row of {name} must sum to 1 (tolerance {tolerance:g}); row {where} sums to {float(sums[row])!r}")
    return p


def float_array(values) -> np.ndarray:
    """``values`` (a torch tensor, detached and moved to the CPU, or anything numpy reads) as float64."""
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu().numpy()
    return np.asarray(values, dtype=np.float64)
