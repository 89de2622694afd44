"""What a density model learned without labels, and a linear probe to measure it.

A trained model turns an image x into a vector of features:

- a mixture of Bernoullis: the posterior over its components,
  r_k(x) = p(k | x) = pi_k p(x | k) / sum_j pi_j p(x | j);
- NADE: its hidden units when every pixel is seen, h(x) = sigmoid(c + W x), one per row of
  W (H x D), the same layer that computes the last conditional p(x_D | x_<D).

The **linear probe** asks how much of the digit's class those features carry: pick a few
labelled training images per class (``n_per_class``, drawn with ``seed``), fit a multinomial
logistic regression p(y | f) = softmax(A f + b) on their features (L2 penalty, scikit-learn),
and report its accuracy on the test images. The density model never saw a label; only the
probe does, and it is linear, so a high accuracy means the features made the classes easy.
"""

from __future__ import annotations

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from ..checks import binary_images, float_array
from ..models import NADE, MixtureOfBernoullis


def hidden_units(x, weights, bias) -> np.ndarray:
    """h = sigmoid(bias + x W^T) for each row x, with W of shape (H, D): shape (n, H)."""
    x, weights, bias = float_array(x), float_array(weights), float_array(bias)
    if x.ndim != 2 or weights.ndim != 2 or x.shape[1] != weights.shape[1] or bias.shape != (weights.shape[0],):
        raise ValueError(
            f"need x (n, D), W (H, D) and c (H,) with matching sizes; got {x.shape}, {weights.shape}, {bias.shape}"
        )
    return 1.0 / (1.0 + np.exp(-(bias + x @ weights.T)))


def model_features(model, x) -> np.ndarray:
    """The features a trained model gives each image of x (see the module docstring).

    A :class:`~mlebook.models.mixture.MixtureOfBernoullis` gives p(k | x), shape (n, K); a
    :class:`~mlebook.models.nade.NADE` gives sigmoid(c + W x), shape (n, H).
    """
    if isinstance(model, MixtureOfBernoullis):
        with torch.no_grad():
            return float_array(model.responsibilities(x))
    if isinstance(model, NADE):
        return hidden_units(binary_images(x, model.n_dims), model.weight_t.T, model.c)
    raise ValueError(f"features are defined for a mixture of Bernoullis or NADE, not {type(model).__name__}")


def few_labels(labels, n_per_class: int, seed: int = 0) -> np.ndarray:
    """Indices of ``n_per_class`` examples of every class, drawn without replacement from ``seed``."""
    labels = np.asarray(labels)
    if n_per_class < 1:
        raise ValueError(f"n_per_class must be at least 1, got {n_per_class}")
    rng = np.random.default_rng(seed)
    chosen = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        if len(members) < n_per_class:
            raise ValueError(f"class {label} has only {len(members)} examples, fewer than n_per_class = {n_per_class}")
        chosen.append(rng.choice(members, n_per_class, replace=False))
    return np.sort(np.concatenate(chosen))


def linear_probe_accuracy(
    train_features, train_labels, test_features, test_labels, n_per_class: int, seed: int = 0, penalty: float = 1.0
) -> float:
    """Test accuracy of a logistic regression fit on ``n_per_class`` labelled training examples per class.

    ``penalty`` is scikit-learn's inverse regularisation strength C.
    """
    train_features, test_features = float_array(train_features), float_array(test_features)
    train_labels, test_labels = np.asarray(train_labels), np.asarray(test_labels)
    if len(train_features) != len(train_labels) or len(test_features) != len(test_labels):
        raise ValueError("features and labels must have the same number of rows")
    if train_features.shape[1:] != test_features.shape[1:]:
        raise ValueError(f"train and test features differ in shape: {train_features.shape} vs {test_features.shape}")
    rows = few_labels(train_labels, n_per_class, seed)
    probe = LogisticRegression(C=penalty, max_iter=2000)
    # One BLAS thread: these problems are small, so threads only add overhead (a lot of it on a
    # busy machine), and the optimiser's path, hence the result, repeats exactly.
    with threadpool_limits(limits=1):
        probe.fit(train_features[rows], train_labels[rows])
        return float(np.mean(probe.predict(test_features) == test_labels))
