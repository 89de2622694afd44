"""Prediction judged by its loss: the empirical risk, and the log-loss of a conditional model.

A predictor of a label y from an input x is judged by a **loss** l(y, prediction). Its **risk**
is the expected loss on new data, R = E_{(x, y) ~ P_data} l, and its **empirical risk** the
average over N labelled examples,

    R_hat = (1/N) sum_n l(y_n, prediction(x_n)).

Empirical risk minimisation (ERM) fits a predictor by minimising R_hat on the training set.
Two losses, for a predictor that outputs a distribution q(. | x) over the classes:

- the **log-loss** l = -log q(y | x) (nats). Its empirical risk is the mean negative
  log-likelihood of the conditional model, so ERM with the log-loss is maximum likelihood of
  q(y | x);
- the **0-1 loss** of the decision argmax_k q(k | x): 1 when it is wrong, 0 when it is right.
  Its empirical risk is the error rate, 1 - accuracy.

A wrong decision means q(y | x) <= q(argmax | x), hence q(y | x) <= 1/2 and -log2 q(y | x) >= 1:
the log-loss in bits is never below the error rate.

The **mean confidence** (1/N) sum_n max_k q(k | x_n) compared with the accuracy says whether a
classifier is overconfident (confidence above accuracy) or underconfident.

Every function takes the classifier's log-probabilities log q(k | x), shape (N, K), and the
labels; ``classes`` names the K columns (default 0..K-1), as scikit-learn's ``classes_`` does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

from ..checks import float_array

LOG_PROBA_TOLERANCE = 1e-6  # how far each row's logsumexp may stray from 0


@dataclass(frozen=True)
class Scores:
    """A classifier on a labelled set: accuracy, log-loss (nats per example), mean confidence."""

    accuracy: float
    log_loss: float
    confidence: float


def _log_proba(log_proba) -> np.ndarray:
    """``log_proba`` as float64 after checking that each row is a log-distribution over K classes."""
    log_proba = float_array(log_proba)
    if log_proba.ndim != 2 or len(log_proba) == 0:
        raise ValueError(f"log_proba must have shape (N, K) with N >= 1, got shape {log_proba.shape}")
    if np.isnan(log_proba).any() or (log_proba == np.inf).any():
        raise ValueError("log_proba must hold log-probabilities: it contains NaN or +inf")
    totals = logsumexp(log_proba, axis=1)
    off = np.abs(totals)
    if off.max() > LOG_PROBA_TOLERANCE:
        row = int(off.argmax())
        raise ValueError(
            f"each row of log_proba must be a log-distribution (its probabilities sum to 1); row {row} sums to {np.exp(totals[row])!r}"
        )
    return log_proba


def _label_index(y, classes, n_examples: int, n_classes: int) -> np.ndarray:
    """The column of each label in ``classes`` (default 0..K-1); ValueError for unknown labels."""
    y = np.asarray(y)
    if y.shape != (n_examples,):
        raise ValueError(f"y must hold one label per row of log_proba: shape ({n_examples},), got {y.shape}")
    classes = np.arange(n_classes) if classes is None else np.asarray(classes)
    if classes.shape != (n_classes,):
        raise ValueError(f"classes must name the {n_classes} columns of log_proba, got shape {classes.shape}")
    order = np.argsort(classes, kind="stable")
    position = np.clip(np.searchsorted(classes[order], y), 0, n_classes - 1)
    unknown = classes[order][position] != y
    if unknown.any():
        raise ValueError(f"label {y[unknown][0]!r} is not one of the classes {classes.tolist()}")
    return order[position]


def log_loss(log_proba, y, classes=None) -> float:
    """The empirical risk of the log-loss: (1/N) sum_n -log q(y_n | x_n), in nats per example."""
    log_proba = _log_proba(log_proba)
    index = _label_index(y, classes, *log_proba.shape)
    return float(-log_proba[np.arange(len(index)), index].mean())


def accuracy(log_proba, y, classes=None) -> float:
    """The share of examples whose most probable class is the label: 1 - (empirical 0-1 risk)."""
    log_proba = _log_proba(log_proba)
    index = _label_index(y, classes, *log_proba.shape)
    return float(np.mean(log_proba.argmax(axis=1) == index))


def confidence(log_proba) -> float:
    """The mean probability a classifier gives its own decision: (1/N) sum_n max_k q(k | x_n)."""
    return float(np.exp(_log_proba(log_proba).max(axis=1)).mean())


def scores(classifier, x, y) -> Scores:
    """Accuracy, log-loss and mean confidence of a fitted classifier on (x, y).

    ``classifier`` has ``predict_log_proba(x)`` and ``classes_``: scikit-learn's classifiers and
    :class:`~mlebook.chapters.generative_classifier.GenerativeClassifier` both do.
    """
    log_proba = classifier.predict_log_proba(x)
    return Scores(
        accuracy=accuracy(log_proba, y, classifier.classes_),
        log_loss=log_loss(log_proba, y, classifier.classes_),
        confidence=confidence(log_proba),
    )
