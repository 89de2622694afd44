"""Figures the chapters share: grids of binary images and the book's plot style."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from .data import IMAGE_SHAPE


def tile_images(images, n_cols: int | None = None, pad: int = 1, pad_value: float = 0.5) -> np.ndarray:
    """Arrange images of shape (n, 784) (or (n, 28, 28)) in a grid, returned as one 2-D array."""
    images = np.asarray(images, dtype=float)
    if images.ndim == 2:
        images = images.reshape(len(images), *IMAGE_SHAPE)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (n, 784) or (n, 28, 28), got {images.shape}")
    n, h, w = images.shape
    n_cols = n_cols or math.ceil(math.sqrt(n))
    n_rows = math.ceil(n / n_cols)
    grid = np.full((n_rows * (h + pad) + pad, n_cols * (w + pad) + pad), pad_value)
    for k, image in enumerate(images):
        r, c = divmod(k, n_cols)
        grid[pad + r * (h + pad) : pad + r * (h + pad) + h, pad + c * (w + pad) : pad + c * (w + pad) + w] = image
    return grid


def image_grid(images, n_cols: int | None = None, title: str | None = None, ax=None):
    """Show images of shape (n, 784) as a grid (white ink on black); returns the matplotlib axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    ax.imshow(tile_images(images, n_cols), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax
