"""``label_smoothing``: the soft-target loss and its closed-form minimum, the calibration
measures on hand-built cases, reproducibility and parameter errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from studyreg.content import bundled_pack_path
from studyreg.experiments import ParameterError, run_experiment
from studyreg.experiments.label_smoothing import (
    calibration_error,
    gaussian_classes,
    minimise_free_logits,
    reliability,
    smoothed_targets,
    soft_cross_entropy,
    softmax,
)
from studyreg.experiments.toolbox.mlp import softmax_cross_entropy


def test_smoothed_targets_mix_the_one_hot_label_with_the_uniform_distribution() -> None:
    targets = smoothed_targets(np.array([2, 0]), 4, 0.2)
    np.testing.assert_allclose(targets, [[0.05, 0.05, 0.85, 0.05], [0.85, 0.05, 0.05, 0.05]])
    np.testing.assert_allclose(smoothed_targets(np.array([1]), 3, 0.0), [[0.0, 1.0, 0.0]])


def test_soft_cross_entropy_with_one_hot_targets_is_the_usual_cross_entropy() -> None:
    rng = np.random.default_rng(0)
    logits, y = rng.standard_normal((2, 6, 3)), rng.integers(0, 3, (2, 6))
    loss, grad = soft_cross_entropy(logits, smoothed_targets(y, 3, 0.0))
    expected_loss, expected_grad = softmax_cross_entropy(logits, y)
    assert loss == pytest.approx(expected_loss, abs=1e-12)
    np.testing.assert_allclose(grad, expected_grad, atol=1e-15)


def test_soft_cross_entropy_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(1)
    logits = rng.standard_normal((5, 4))
    targets = smoothed_targets(rng.integers(0, 4, 5), 4, 0.3)
    _, grad = soft_cross_entropy(logits, targets)
    step, numeric = 1e-6, np.zeros_like(logits)
    for index in np.ndindex(logits.shape):
        shifted = logits.copy()
        shifted[index] += step
        plus = soft_cross_entropy(shifted, targets)[0]
        shifted[index] -= 2 * step
        numeric[index] = (plus - soft_cross_entropy(shifted, targets)[0]) / (2 * step)
    np.testing.assert_allclose(grad, numeric, atol=1e-9)


@pytest.mark.parametrize(("n_classes", "epsilon"), [(2, 0.5), (3, 0.05), (4, 0.1), (10, 0.01)])
def test_free_logits_reach_the_closed_form(n_classes: int, epsilon: float) -> None:
    target = smoothed_targets(np.array([0]), n_classes, epsilon)[0]
    for seed in range(5):
        z = minimise_free_logits(np.random.default_rng(seed), target)
        p = softmax(z)
        assert p[0] == pytest.approx(1 - epsilon + epsilon / n_classes, abs=1e-11)
        np.testing.assert_allclose(p[1:], epsilon / n_classes, atol=1e-11)
        gap = math.log((1 - epsilon + epsilon / n_classes) / (epsilon / n_classes))
        np.testing.assert_allclose(z[0] - z[1:], gap, atol=1e-8)
        assert gap == pytest.approx(math.log(1 + n_classes * (1 - epsilon) / epsilon))


def test_the_smoothed_loss_at_the_closed_form_is_the_entropy_of_the_target() -> None:
    target = smoothed_targets(np.array([0]), 4, 0.1)[0]
    z = minimise_free_logits(np.random.default_rng(2), target)
    loss, grad = soft_cross_entropy(z[None], target[None])
    assert loss == pytest.approx(-(target * np.log(target)).sum(), abs=1e-12)
    assert np.abs(grad).max() < 1e-12


def test_calibration_error_on_hand_built_predictions() -> None:
    # Two predictions at confidence 0.9 (one right), two at 0.6 (both right):
    # ECE = 2/4·|0.5 − 0.9| + 2/4·|1 − 0.6| = 0.4.
    probs = np.array([[0.9, 0.1], [0.9, 0.1], [0.4, 0.6], [0.4, 0.6]])
    y = np.array([0, 1, 1, 1])
    assert calibration_error(probs, y) == pytest.approx(0.4)
    confidence, accuracy = reliability(probs, y)
    np.testing.assert_allclose(confidence, [0.6, 0.9])
    np.testing.assert_allclose(accuracy, [1.0, 0.5])


def test_calibration_error_is_near_zero_when_labels_are_drawn_from_the_predictions() -> None:
    rng = np.random.default_rng(3)
    probs = softmax(rng.standard_normal((20000, 3)) * 2)
    y = (rng.random(20000)[:, None] > probs.cumsum(axis=1)).sum(axis=1)
    assert calibration_error(probs, y) < 0.02
    overconfident = softmax(np.log(probs) * 3)  # same ranking, sharper probabilities
    assert calibration_error(overconfident, y) > 0.1


def test_gaussian_classes_have_means_at_the_given_distance() -> None:
    X, y = gaussian_classes(np.random.default_rng(4), (2, 30000), 5, 3, 2.5)
    assert X.shape == (2, 30000, 5) and y.shape == (2, 30000)
    assert set(np.unique(y)) == {0, 1, 2}
    for group in range(2):
        for k in range(3):
            mean = X[group][y[group] == k].mean(axis=0)
            assert np.linalg.norm(mean) == pytest.approx(2.5, abs=0.05)


def test_the_run_reaches_the_closed_form_and_is_less_confident() -> None:
    out = run_experiment("label_smoothing", {"epsilon": 0.2, "n_classes": 5}, seed=9).outputs
    assert out["smooth.train_p_true"] == pytest.approx(0.84, abs=1e-3)
    assert out["free.p_true"] == pytest.approx(0.84, abs=1e-12)
    assert out["smooth.logit_gap"] == pytest.approx(math.log(0.84 / 0.04), abs=1e-2)
    assert out["plain.train_p_true"] > 0.999
    assert out["smooth.val_conf"] < out["plain.val_conf"]
    assert out["overconfidence_reduction"] == pytest.approx(
        out["plain.overconfidence"] - out["smooth.overconfidence"]
    )


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    first = run_experiment("label_smoothing", seed=5)
    again = run_experiment("label_smoothing", seed=5)
    other = run_experiment("label_smoothing", seed=6)
    assert first.outputs == again.outputs
    for key, value in first.arrays.items():
        np.testing.assert_array_equal(value, again.arrays[key])
    assert first.outputs["plain.val_acc"] != other.outputs["plain.val_acc"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"n_train": 60, "n_features": 50},
            r"n_train \(60\) must be at most n_features \+ 1 \(51\)",
        ),
        ({"n_epochs": 3000, "n_repeats": 16, "n_val": 5000}, "too large to run quickly"),
        ({"epsilon": 0}, r"^epsilon = 0 is out of range: must be a number between 0.01 and 0.5$"),
        ({"n_classes": 1}, "n_classes = 1 is out of range"),
        ({"epsilom": 0.1}, "did you mean 'epsilon'"),
    ],
)
def test_bad_parameters_are_clear_errors(params: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        run_experiment("label_smoothing", params)


@pytest.mark.slow
def test_every_fact_holds_on_48_of_50_fresh_seeds_at_every_variant() -> None:
    from studyreg.study.packs import load_pack
    from studyreg.study.verify import verify_pack

    pack = load_pack(bundled_pack_path())
    report = verify_pack(pack, seeds=50, seed_base=9000, concept_ids=["label-smoothing"], workers=1)
    (concept,) = report.concepts
    assert not concept.error and not concept.run_errors
    assert len(concept.checks) == len([f for f in pack.concept("label-smoothing").facts if f.check])
    short = {c.fact.id: (c.worst.held, c.worst.label) for c in concept.checks if c.worst.held < 48}
    assert not short, short
