"""Anomaly detection with a density model: odd images to test it on, and ROC curves to score it.

A density model flags an image x as anomalous when its log-likelihood is low, that is when the
anomaly score s(x) = -log p(x) reaches a threshold t. Sweeping t traces the ROC curve: for
inliers (label 0) and outliers (label 1),

    TPR(t) = #{outliers with s >= t} / #outliers,    FPR(t) = #{inliers with s >= t} / #inliers,

and the area under it is the probability that a random outlier scores higher than a random
inlier, ties counting one half (the Mann-Whitney statistic):

    AUC = P(s(outlier) > s(inlier)) + 1/2 P(s(outlier) = s(inlier)).

Both come from scikit-learn (``sklearn.metrics``); this module checks the inputs and turns
log-likelihoods into scores.

The images to test on:

- corruptions of real digits: each pixel flipped with a probability, a shift, an inversion;
- noise: every pixel an independent Bernoulli(density) bit;
- simple shapes that are not digits: bars, filled boxes, empty frames, and the empty image.

All images are uint8 arrays of shape (n, 784) with values in {0, 1}, like the digits.
"""

from __future__ import annotations

import numpy as np
from sklearn import metrics

from ..checks import binary_images, probability as check_probability
from ..data import IMAGE_SHAPE, N_PIXELS

SHAPE_KINDS = ("bar", "box", "frame")


def flip_pixels(x, probability: float, seed: int = 0) -> np.ndarray:
    """Flip each pixel independently with ``probability``: x XOR b, b_i ~ Bernoulli(probability)."""
    x = binary_images(x, N_PIXELS)
    check_probability(probability, "probability")
    flips = np.random.default_rng(seed).random(x.shape) < probability
    return x ^ flips.astype(np.uint8)


def shift(x, rows: int = 0, cols: int = 0) -> np.ndarray:
    """Move each image ``rows`` pixels down and ``cols`` pixels right (negative: up, left).

    Pixels moved past the border are lost; the uncovered ones are 0 (background).
    """
    x = binary_images(x, N_PIXELS)
    h, w = IMAGE_SHAPE
    if abs(rows) >= h or abs(cols) >= w:
        raise ValueError(f"a shift of ({rows}, {cols}) moves the whole {h}x{w} image out of view")
    images = x.reshape(-1, h, w)
    out = np.zeros_like(images)
    out[:, max(rows, 0) : h + min(rows, 0), max(cols, 0) : w + min(cols, 0)] = images[
        :, max(-rows, 0) : h + min(-rows, 0), max(-cols, 0) : w + min(-cols, 0)
    ]
    return out.reshape(-1, N_PIXELS)


def invert(x) -> np.ndarray:
    """Swap ink and background: 1 - x."""
    return 1 - binary_images(x, N_PIXELS)


def noise_images(n: int, density: float, seed: int = 0) -> np.ndarray:
    """``n`` images of independent Bernoulli(``density``) pixels."""
    check_probability(density, "density")
    return (np.random.default_rng(seed).random((n, N_PIXELS)) < density).astype(np.uint8)


def empty_images(n: int = 1) -> np.ndarray:
    """``n`` all-background images (every pixel 0)."""
    return np.zeros((n, N_PIXELS), dtype=np.uint8)


def random_shapes(n: int, kind: str, seed: int = 0) -> np.ndarray:
    """``n`` images each holding one shape at a random place and size.

    kind
        ``"bar"``: a straight stroke 1 or 2 pixels thick, horizontal or vertical, 6 to 20 long;
        ``"box"``: a filled rectangle with sides of 3 to 12 pixels;
        ``"frame"``: the 1-pixel outline of a rectangle with sides of 6 to 20 pixels.
    """
    if kind not in SHAPE_KINDS:
        raise ValueError(f"kind must be one of {SHAPE_KINDS}, got {kind!r}")
    rng = np.random.default_rng(seed)
    h, w = IMAGE_SHAPE
    images = np.zeros((n, h, w), dtype=np.uint8)
    for image in images:
        if kind == "bar":
            length, thickness = rng.integers(6, 21), rng.integers(1, 3)
            size = (thickness, length) if rng.random() < 0.5 else (length, thickness)
        elif kind == "box":
            size = tuple(rng.integers(3, 13, size=2))
        else:
            size = tuple(rng.integers(6, 21, size=2))
        top, left = rng.integers(0, h - size[0] + 1), rng.integers(0, w - size[1] + 1)
        patch = image[top : top + size[0], left : left + size[1]]
        patch[...] = 1
        if kind == "frame":
            patch[1:-1, 1:-1] = 0
    return images.reshape(n, N_PIXELS)


def _labels_and_scores(labels, scores) -> tuple[np.ndarray, np.ndarray]:
    labels, scores = np.asarray(labels), np.asarray(scores, dtype=float)
    if labels.ndim != 1 or labels.shape != scores.shape:
        raise ValueError(f"labels and scores must be 1-D of the same length, got {labels.shape} and {scores.shape}")
    if not np.isin(labels, (0, 1)).all():
        raise ValueError("labels must be 0 (inlier) or 1 (outlier)")
    if labels.min(initial=1) == labels.max(initial=0):
        raise ValueError("an ROC curve needs both inliers (label 0) and outliers (label 1)")
    if np.isnan(scores).any():
        raise ValueError("scores contain NaN")
    return labels.astype(int), scores


def roc_curve(labels, scores) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ROC curve of the rule "outlier if score >= t", over every distinct score t
    (scikit-learn's ``roc_curve``, keeping every threshold).

    Returns ``(fpr, tpr, thresholds)``, starting at (0, 0) with threshold +inf and ending at
    (1, 1); images with equal scores enter together, so ties make a diagonal step.
    """
    labels, scores = _labels_and_scores(labels, scores)
    return metrics.roc_curve(labels, scores, drop_intermediate=False)


def roc_auc(labels, scores) -> float:
    """Area under the ROC curve (scikit-learn's ``roc_auc_score``), = P(outlier scores higher) + 1/2 P(tie)."""
    labels, scores = _labels_and_scores(labels, scores)
    return float(metrics.roc_auc_score(labels, scores))


def detection_roc(log_p_inliers, log_p_outliers) -> tuple[np.ndarray, np.ndarray, float]:
    """ROC curve and AUC of flagging low log-likelihood: score = -log p; returns ``(fpr, tpr, auc)``."""
    log_p_inliers, log_p_outliers = np.ravel(log_p_inliers), np.ravel(log_p_outliers)
    labels = np.r_[np.zeros(len(log_p_inliers), int), np.ones(len(log_p_outliers), int)]
    scores = -np.r_[log_p_inliers, log_p_outliers]
    fpr, tpr, _ = roc_curve(labels, scores)
    return fpr, tpr, roc_auc(labels, scores)
