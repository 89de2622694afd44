"""A generative classifier: one density model per class, combined by Bayes' rule.

Fit p(x | y = k) to the training images of each class k and estimate the prior p(y = k);
then

    log p(y = k | x) = log p(x | y = k) + log p(y = k) - log sum_j p(x | y = j) p(y = j),

and the prediction is the class of highest posterior. With independent pixels per class this
is naive Bayes; any model with ``log_prob`` can play the class-conditional part.

Fitting each p(x | y = k) by maximum likelihood and p(y = k) by the class frequencies maximises
the likelihood of the *joint* model p(x, y) = p(y) p(x | y) on the training pairs. That joint
splits in two,

    log p(x, y) = log p(y | x) + log p(x),    p(x) = sum_k p(y = k) p(x | y = k),

the log-posterior the classification needs and the log-density of the input (a mixture of the
class models), which it does not.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.special import logsumexp

from ..checks import float_array


class GenerativeClassifier:
    """Bayes' rule over per-class density models.

    Parameters
    ----------
    model_factory : callable
        ``model_factory(x_k)`` receives the training images of one class, shape (n_k, D), and
        returns a fitted model whose ``log_prob(x)`` gives log p(x | y = k) in nats, shape (n,).
    prior : "empirical" | "uniform"
        p(y = k) as the class frequencies in the training labels, or 1 / K.
    """

    def __init__(self, model_factory: Callable, prior: str = "empirical"):
        if prior not in ("empirical", "uniform"):
            raise ValueError(f"prior must be 'empirical' or 'uniform', got {prior!r}")
        self.model_factory, self.prior = model_factory, prior

    def fit(self, x, y) -> "GenerativeClassifier":
        """Fit one model per class label found in ``y``; returns self."""
        x, y = np.asarray(x), np.asarray(y)
        if y.ndim != 1 or len(x) != len(y):
            raise ValueError(f"y must be 1-D with one label per row of x, got x {x.shape} and y {y.shape}")
        classes, counts = np.unique(y, return_counts=True)
        if len(classes) < 2:
            raise ValueError("a classifier needs at least two classes in y")
        if self.prior == "empirical":
            self.log_prior_ = np.log(counts / counts.sum())
        else:
            self.log_prior_ = np.full(len(classes), -np.log(len(classes)))
        self.models_ = [self.model_factory(x[y == k]) for k in classes]
        self.classes_ = classes
        return self

    def class_log_likelihoods(self, x) -> np.ndarray:
        """log p(x | y = k) in nats, shape (n, K), columns in the order of ``classes_``."""
        if not hasattr(self, "models_"):
            raise ValueError("the classifier is not fitted yet: call fit(x, y) first")
        return np.stack([float_array(model.log_prob(x)) for model in self.models_], axis=1)

    def class_log_likelihood(self, x, y) -> np.ndarray:
        """log p(x_n | y = y_n) in nats, shape (n,): each example under the model of its own class."""
        table = self.class_log_likelihoods(x)
        y = np.asarray(y)
        if y.shape != (len(table),):
            raise ValueError(f"y must hold one label per row of x: shape ({len(table)},), got {y.shape}")
        column = np.clip(np.searchsorted(self.classes_, y), 0, len(self.classes_) - 1)
        unknown = self.classes_[column] != y
        if unknown.any():
            raise ValueError(f"label {y[unknown][0]!r} is not one of the fitted classes {self.classes_.tolist()}")
        return table[np.arange(len(y)), column]

    def log_joint(self, x, y) -> np.ndarray:
        """log p(x_n, y_n) = log p(x_n | y_n) + log p(y_n) in nats, shape (n,): what fitting maximises."""
        y = np.asarray(y)
        log_likelihood = self.class_log_likelihood(x, y)
        return log_likelihood + self.log_prior_[np.searchsorted(self.classes_, y)]

    def log_marginal(self, x) -> np.ndarray:
        """log p(x) = log sum_k p(y = k) p(x | y = k) in nats, shape (n,): the classifier as a density model."""
        return logsumexp(self.class_log_likelihoods(x) + self.log_prior_, axis=1)

    def predict_log_proba(self, x) -> np.ndarray:
        """log p(y = k | x), shape (n, K): Bayes' rule, normalised with logsumexp."""
        joint = self.class_log_likelihoods(x) + self.log_prior_
        return joint - logsumexp(joint, axis=1, keepdims=True)

    def predict(self, x) -> np.ndarray:
        """The class of highest posterior probability for each row of x."""
        best = np.argmax(self.predict_log_proba(x), axis=1)
        return self.classes_[best]
