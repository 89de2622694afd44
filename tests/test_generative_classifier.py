"""The generative classifier checked against brute-force Bayes and scikit-learn's naive Bayes."""

import itertools

import numpy as np
import pytest
from sklearn.naive_bayes import BernoulliNB

from mlebook.chapters.generative_classifier import GenerativeClassifier
from mlebook.models import IndependentBernoulli
from mlebook.chapters.chow_liu import ChowLiuTree

D = 3
ALL_IMAGES = np.array(list(itertools.product([0, 1], repeat=D)), dtype=np.uint8)


def codes(x):
    return np.asarray(x) @ (2 ** np.arange(D - 1, -1, -1))


class LookupTable:
    """p(x) for every one of the 2^D images: add-one smoothed frequencies."""

    def __init__(self, x):
        counts = np.bincount(codes(x), minlength=2**D) + 1.0
        self.probs = counts / counts.sum()

    def log_prob(self, x):
        return np.log(self.probs[codes(x)])


def tiny_problem(seed=0):
    rng = np.random.default_rng(seed)
    labels = rng.choice([2, 5, 9], size=60, p=[0.5, 0.3, 0.2])
    bias = {2: [0.8, 0.2, 0.5], 5: [0.3, 0.7, 0.6], 9: [0.5, 0.5, 0.1]}
    x = np.array([rng.random(D) < bias[label] for label in labels], dtype=np.uint8)
    return x, labels


@pytest.mark.parametrize("prior", ["empirical", "uniform"])
def test_posterior_equals_brute_force_bayes_over_all_images(prior):
    x, y = tiny_problem()
    classifier = GenerativeClassifier(LookupTable, prior=prior).fit(x, y)
    classes = [2, 5, 9]
    np.testing.assert_array_equal(classifier.classes_, classes)
    # p(x, y) for every image and class, by counting, then p(y | x) = p(x, y) / sum_y p(x, y).
    joint = np.zeros((2**D, 3))
    for k, label in enumerate(classes):
        counts = np.array([np.sum(codes(x[y == label]) == c) for c in range(2**D)]) + 1.0
        p_y = np.mean(y == label) if prior == "empirical" else 1 / 3
        joint[:, k] = p_y * counts / counts.sum()
    posterior = joint / joint.sum(1, keepdims=True)
    np.testing.assert_allclose(np.exp(classifier.predict_log_proba(ALL_IMAGES)), posterior, rtol=1e-12)
    np.testing.assert_array_equal(classifier.predict(ALL_IMAGES), np.array(classes)[posterior.argmax(1)])


def test_joint_splits_into_posterior_and_marginal_by_brute_force():
    """log p(x | y) + log p(y) = log p(y | x) + log p(x), and p(x) sums to 1 over all 2^D images."""
    x, y = tiny_problem()
    classifier = GenerativeClassifier(LookupTable).fit(x, y)
    counts = {label: np.bincount(codes(x[y == label]), minlength=2**D) + 1.0 for label in (2, 5, 9)}
    expected = np.log([counts[label][code] / counts[label].sum() for label, code in zip(y, codes(x))])
    np.testing.assert_allclose(classifier.class_log_likelihood(x, y), expected, rtol=1e-12)
    marginal = classifier.log_marginal(ALL_IMAGES)
    assert np.exp(marginal).sum() == pytest.approx(1.0, rel=1e-12)
    prior = classifier.log_prior_[np.searchsorted(classifier.classes_, y)]
    posterior = classifier.predict_log_proba(x)[np.arange(len(y)), np.searchsorted(classifier.classes_, y)]
    np.testing.assert_allclose(classifier.class_log_likelihood(x, y) + prior, posterior + classifier.log_marginal(x), rtol=1e-12)
    expected_joint = np.log([np.mean(y == label) for label in y]) + expected
    np.testing.assert_allclose(classifier.log_joint(x, y), expected_joint, rtol=1e-12)


def test_independent_pixels_per_class_is_sklearns_bernoulli_naive_bayes():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 4, 400)
    prototypes = rng.random((4, 20))
    x = (rng.random((400, 20)) < prototypes[y]).astype(np.uint8)

    def independent(x_k):
        return IndependentBernoulli(20, alpha=1.0).fit_closed_form(x_k)

    ours = GenerativeClassifier(independent).fit(x, y)
    reference = BernoulliNB(alpha=1.0).fit(x, y)
    x_test = (rng.random((100, 20)) < 0.5).astype(np.uint8)
    np.testing.assert_allclose(ours.predict_log_proba(x_test), reference.predict_log_proba(x_test), atol=1e-5)
    np.testing.assert_array_equal(ours.predict(x_test), reference.predict(x_test))


def test_posteriors_sum_to_one_and_beat_chance_with_tree_models():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 3, 600)
    prototypes = np.where(rng.random((3, 12)) < 0.5, 0.15, 0.85)
    x = (rng.random((600, 12)) < prototypes[y]).astype(np.uint8)
    classifier = GenerativeClassifier(lambda x_k: ChowLiuTree(alpha=1.0).fit(x_k)).fit(x[:400], y[:400])
    log_post = classifier.predict_log_proba(x[400:])
    np.testing.assert_allclose(np.exp(log_post).sum(1), 1.0)
    assert np.mean(classifier.predict(x[400:]) == y[400:]) > 0.9


def test_bad_inputs_raise_value_errors():
    x, y = tiny_problem()
    with pytest.raises(ValueError, match="prior"):
        GenerativeClassifier(LookupTable, prior="flat")
    with pytest.raises(ValueError, match="one label per row"):
        GenerativeClassifier(LookupTable).fit(x, y[:-1])
    with pytest.raises(ValueError, match="two classes"):
        GenerativeClassifier(LookupTable).fit(x, np.zeros(len(x)))
    with pytest.raises(ValueError, match="not fitted"):
        GenerativeClassifier(LookupTable).predict(x)
    fitted = GenerativeClassifier(LookupTable).fit(x, y)
    with pytest.raises(ValueError, match="not one of the fitted classes"):
        fitted.class_log_likelihood(x[:2], [2, 3])
    with pytest.raises(ValueError, match="one label per row"):
        fitted.class_log_likelihood(x[:2], [2])
