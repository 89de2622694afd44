"""Figures the chapters share: grids of binary images and the book's plot style."""

from __future__ import annotations

import matplotlib.pyplot as plt

from ..data import tile


def image_grid(images, n_cols: int | None = None, title: str | None = None, ax=None):
    """Show images of shape (n, 784) as a grid (white ink on black); returns the matplotlib axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    ax.imshow(tile(images, n_cols, pad=1, pad_value=0.5), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax
