"""Corruptions, odd images, and ROC / AUC checked against direct counts and the Mann-Whitney statistic."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlebook.chapters import anomaly

D = 784


def digits_like(n, seed=0):
    return (np.random.default_rng(seed).random((n, D)) < 0.2).astype(np.uint8)


# --- corruptions and odd images -------------------------------------------------------------


def test_flip_pixels_flips_about_the_requested_fraction_and_is_reproducible():
    x = digits_like(50)
    flipped = anomaly.flip_pixels(x, 0.1, seed=3)
    changed = (flipped != x).mean()
    assert abs(changed - 0.1) < 0.01  # 39,200 Bernoulli(0.1) flips: sd 0.0015
    np.testing.assert_array_equal(flipped, anomaly.flip_pixels(x, 0.1, seed=3))
    np.testing.assert_array_equal(anomaly.flip_pixels(x, 0.0), x)
    np.testing.assert_array_equal(anomaly.flip_pixels(x, 1.0), 1 - x)


def test_shift_moves_a_single_pixel_and_drops_what_leaves_the_image():
    x = np.zeros((1, D), np.uint8)
    x[0, 5 * 28 + 7] = 1  # row 5, column 7
    moved = anomaly.shift(x, rows=3, cols=-2).reshape(28, 28)
    assert moved.sum() == 1 and moved[8, 5] == 1
    assert anomaly.shift(x, rows=-6).sum() == 0
    np.testing.assert_array_equal(anomaly.shift(x), x)


def test_shift_matches_roll_when_nothing_crosses_the_border():
    image = np.zeros((28, 28), np.uint8)
    image[10:15, 9:20] = np.random.default_rng(0).integers(0, 2, (5, 11))
    moved = anomaly.shift(image.reshape(1, D), rows=-4, cols=6)
    np.testing.assert_array_equal(moved.reshape(28, 28), np.roll(image, (-4, 6), axis=(0, 1)))


def test_invert_swaps_ink_and_background():
    x = digits_like(3)
    np.testing.assert_array_equal(anomaly.invert(x) + x, np.ones_like(x))


def test_noise_images_have_the_requested_density():
    noise = anomaly.noise_images(100, 0.3, seed=1)
    assert noise.shape == (100, D) and noise.dtype == np.uint8
    assert abs(noise.mean() - 0.3) < 0.01
    np.testing.assert_array_equal(noise, anomaly.noise_images(100, 0.3, seed=1))
    assert not np.array_equal(noise, anomaly.noise_images(100, 0.3, seed=2))


def test_empty_images_are_blank():
    assert anomaly.empty_images(4).shape == (4, D) and anomaly.empty_images(4).sum() == 0


@pytest.mark.parametrize("kind", anomaly.SHAPE_KINDS)
def test_random_shapes_draw_one_connected_rectangle_or_outline(kind):
    shapes = anomaly.random_shapes(30, kind, seed=0).reshape(-1, 28, 28)
    for image in shapes:
        rows, cols = np.flatnonzero(image.any(1)), np.flatnonzero(image.any(0))
        box = image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
        if kind == "frame":
            assert box[[0, -1]].all() and box[:, [0, -1]].all() and not box[1:-1, 1:-1].any()
        else:
            assert box.all()  # a solid rectangle, no other ink
        if kind == "bar":
            assert min(box.shape) <= 2 and 6 <= max(box.shape) <= 20


def test_bad_inputs_raise_value_errors_naming_the_problem():
    with pytest.raises(ValueError, match="shape"):
        anomaly.invert(np.zeros((2, 10)))
    with pytest.raises(ValueError, match="0 and 1"):
        anomaly.invert(np.full((1, D), 2))
    with pytest.raises(ValueError, match="probability"):
        anomaly.flip_pixels(digits_like(1), 1.5)
    with pytest.raises(ValueError, match="density"):
        anomaly.noise_images(2, -0.1)
    with pytest.raises(ValueError, match="out of view"):
        anomaly.shift(digits_like(1), rows=28)
    with pytest.raises(ValueError, match="kind"):
        anomaly.random_shapes(2, "circle")


# --- ROC and AUC ----------------------------------------------------------------------------


def mann_whitney_auc(labels, scores):
    """P(outlier scores higher than inlier) + 1/2 P(tie), over all outlier-inlier pairs."""
    outliers, inliers = scores[labels == 1], scores[labels == 0]
    diff = outliers[:, None] - inliers[None, :]
    return (diff > 0).mean() + 0.5 * (diff == 0).mean()


def brute_force_roc(labels, scores):
    """(fpr, tpr, thresholds) of "outlier if score >= t" at t = +inf and every distinct score, counted directly."""
    thresholds = np.r_[np.inf, np.unique(scores)[::-1]]
    tpr = np.array([(scores[labels == 1] >= t).mean() for t in thresholds])
    fpr = np.array([(scores[labels == 0] >= t).mean() for t in thresholds])
    return fpr, tpr, thresholds


def check_against_brute_force(labels, scores):
    fpr, tpr, thresholds = anomaly.roc_curve(labels, scores)
    ref_fpr, ref_tpr, ref_thresholds = brute_force_roc(labels, scores)
    np.testing.assert_allclose(fpr, ref_fpr)
    np.testing.assert_allclose(tpr, ref_tpr)
    np.testing.assert_array_equal(thresholds, ref_thresholds)
    assert anomaly.roc_auc(labels, scores) == pytest.approx(mann_whitney_auc(labels, scores), abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    labels=st.lists(st.integers(0, 1), min_size=2, max_size=60).filter(lambda l: 0 < sum(l) < len(l)),
    data=st.data(),
)
def test_roc_and_auc_match_direct_counts_and_the_mann_whitney_statistic(labels, data):
    labels = np.array(labels)
    # Few distinct values so that ties are common.
    scores = np.array(data.draw(st.lists(st.integers(-3, 3), min_size=len(labels), max_size=len(labels))), float)
    check_against_brute_force(labels, scores)


def test_auc_is_the_mann_whitney_statistic_on_random_cases_with_ties():
    rng = np.random.default_rng(0)
    for _ in range(200):
        n = int(rng.integers(2, 80))
        labels = rng.integers(0, 2, n)
        labels[:2] = (0, 1)  # both classes present
        scores = rng.integers(0, int(rng.integers(1, 6)), n) + rng.choice([0.0, 0.5], n)  # many ties
        check_against_brute_force(labels, scores)


def test_auc_of_perfect_reversed_and_constant_scores():
    labels = np.array([0, 0, 0, 1, 1])
    assert anomaly.roc_auc(labels, [1, 2, 3, 4, 5]) == 1.0
    assert anomaly.roc_auc(labels, [5, 4, 3, 2, 1]) == 0.0
    assert anomaly.roc_auc(labels, np.zeros(5)) == 0.5


def test_detection_roc_scores_low_likelihood_as_anomalous():
    rng = np.random.default_rng(0)
    log_p_in, log_p_out = rng.normal(-100, 10, 300), rng.normal(-130, 10, 200)
    fpr, tpr, auc = anomaly.detection_roc(log_p_in, log_p_out)
    labels = np.r_[np.zeros(300), np.ones(200)]
    assert auc == pytest.approx(mann_whitney_auc(labels, -np.r_[log_p_in, log_p_out]))
    assert auc > 0.9
    assert fpr[0] == tpr[0] == 0 and fpr[-1] == tpr[-1] == 1
    assert np.all(np.diff(fpr) >= 0) and np.all(np.diff(tpr) >= 0)


def test_roc_rejects_bad_labels_and_scores():
    with pytest.raises(ValueError, match="both"):
        anomaly.roc_curve([1, 1, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="0 \\(inlier\\) or 1"):
        anomaly.roc_curve([0, 2], [0.1, 0.2])
    with pytest.raises(ValueError, match="same length"):
        anomaly.roc_curve([0, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="NaN"):
        anomaly.roc_curve([0, 1], [0.1, np.nan])
