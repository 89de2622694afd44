"""Log-loss, accuracy and confidence checked against scikit-learn and closed forms."""

import numpy as np
import pytest
from scipy.stats import entropy
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.metrics import log_loss as sklearn_log_loss

from mlebook.chapters import risk

CLASSES = np.array([9, 2, 5])  # not sorted, not 0..K-1: columns are named by ``classes``


def random_problem(seed, n=200, k=3):
    rng = np.random.default_rng(seed)
    proba = rng.dirichlet(np.ones(k), size=n)
    y = CLASSES[rng.integers(0, k, size=n)]
    return proba, y


@pytest.mark.parametrize("seed", range(5))
def test_log_loss_and_accuracy_match_sklearn(seed):
    proba, y = random_problem(seed)
    order = np.argsort(CLASSES)  # sklearn wants the columns in sorted label order
    expected = sklearn_log_loss(y, proba[:, order], labels=CLASSES[order])
    assert risk.log_loss(np.log(proba), y, CLASSES) == pytest.approx(expected, rel=1e-12)
    assert risk.accuracy(np.log(proba), y, CLASSES) == accuracy_score(y, CLASSES[proba.argmax(1)])


def test_confidence_is_the_mean_largest_probability():
    proba = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [1 / 3, 1 / 3, 1 / 3]])
    assert risk.confidence(np.log(proba)) == pytest.approx((0.7 + 0.8 + 1 / 3) / 3)


def test_scores_of_a_fitted_logistic_regression_match_sklearn():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 4))
    y = np.where(x[:, 0] + 0.5 * rng.normal(size=300) > 0, 7, 3)
    model = LogisticRegression().fit(x, y)
    scores = risk.scores(model, x, y)
    assert scores.log_loss == pytest.approx(sklearn_log_loss(y, model.predict_proba(x)), rel=1e-10)
    assert scores.accuracy == accuracy_score(y, model.predict(x))
    assert scores.confidence == pytest.approx(model.predict_proba(x).max(1).mean())


def test_the_best_constant_predictor_has_the_label_entropy_as_log_loss():
    """ERM over constant predictors q(y | x) = q(y): the minimiser is the label frequencies,
    and its empirical risk is the entropy of the labels (in nats)."""
    y = np.repeat([0, 1, 2], [50, 30, 20])
    frequencies = np.bincount(y) / len(y)
    best = risk.log_loss(np.tile(np.log(frequencies), (len(y), 1)), y)
    assert best == pytest.approx(entropy(frequencies))
    rng = np.random.default_rng(1)
    for q in rng.dirichlet(np.ones(3), size=50):
        assert risk.log_loss(np.tile(np.log(q), (len(y), 1)), y) >= best


@pytest.mark.parametrize("seed", range(5))
def test_log_loss_in_bits_is_at_least_the_error_rate(seed):
    rng = np.random.default_rng(seed)
    k = 2 + seed
    log_proba = np.log(rng.dirichlet(np.full(k, 0.3), size=500))
    y = rng.integers(0, k, size=500)
    assert risk.log_loss(log_proba, y) / np.log(2) >= 1 - risk.accuracy(log_proba, y)


def test_certain_mistakes_give_infinite_log_loss():
    log_proba = np.array([[0.0, -np.inf], [np.log(0.5), np.log(0.5)]])
    assert risk.log_loss(log_proba, [1, 0]) == np.inf


def test_bad_inputs_raise_value_errors_naming_the_problem():
    proba, y = random_problem(0, n=5)
    with pytest.raises(ValueError, match="shape"):
        risk.log_loss(np.log(proba[0]), y[:1], CLASSES)
    with pytest.raises(ValueError, match="row 2 sums to"):
        bad = proba.copy()
        bad[2] *= 2
        risk.log_loss(np.log(bad), y, CLASSES)
    with pytest.raises(ValueError, match="NaN"):
        risk.accuracy(np.full((2, 3), np.nan), [2, 5], CLASSES)
    with pytest.raises(ValueError, match="one label per row"):
        risk.log_loss(np.log(proba), y[:-1], CLASSES)
    with pytest.raises(ValueError, match="not one of the classes"):
        risk.log_loss(np.log(proba), np.r_[y[:-1], 4], CLASSES)
    with pytest.raises(ValueError, match="classes must name"):
        risk.log_loss(np.log(proba), y, CLASSES[:2])
    with pytest.raises(ValueError, match="N >= 1"):
        risk.confidence(np.zeros((0, 3)))


def test_sklearn_logistic_regression_minimises_the_log_loss_plus_its_penalty():
    """What chapter 3 says scikit-learn's LogisticRegression(C) minimises: the empirical
    log-loss plus ||A||^2 / (2 C N) (the intercept is not penalised). Any change of the fitted
    weights raises that objective, and its gradient vanishes there."""
    rng = np.random.default_rng(3)
    n, c = 400, 0.3
    x = rng.normal(size=(n, 3))
    y = np.argmax(x @ rng.normal(size=(3, 4)) + rng.gumbel(size=(n, 4)), axis=1)
    model = LogisticRegression(C=c, tol=1e-10, max_iter=10_000).fit(x, y)

    def objective(weights, intercept):
        logits = x @ weights.T + intercept
        log_proba = logits - np.logaddexp.reduce(logits, axis=1, keepdims=True)
        return risk.log_loss(log_proba, y) + np.sum(weights**2) / (2 * c * n)

    best = objective(model.coef_, model.intercept_)
    for _ in range(20):
        assert objective(model.coef_ + 1e-2 * rng.normal(size=model.coef_.shape), model.intercept_) > best
    step = 1e-6
    for index in np.ndindex(model.coef_.shape):
        shifted = model.coef_.copy()
        shifted[index] += step
        assert abs(objective(shifted, model.intercept_) - best) / step < 1e-4
    # A different penalty scale is not minimised there: the gradient of mean log-loss + ||A||^2 / (C N) is not zero.
    def doubled(weights):
        return objective(weights, model.intercept_) + np.sum(weights**2) / (2 * c * n)

    gradients = []
    for index in np.ndindex(model.coef_.shape):
        shifted = model.coef_.copy()
        shifted[index] += step
        gradients.append((doubled(shifted) - doubled(model.coef_)) / step)
    assert np.max(np.abs(gradients)) > 1e-3
