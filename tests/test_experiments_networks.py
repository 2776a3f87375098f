"""The NumPy networks and optimizers: gradients by finite differences, dropout, decay."""

from __future__ import annotations

import numpy as np
import pytest

from studyreg.experiments import run_experiment
from studyreg.experiments.dropout import mask_expectation, measure_dropout
from studyreg.experiments.toolbox.cnn import (
    cnn_dropout_masks,
    cnn_logits,
    cnn_loss_and_grad,
    init_cnn,
)
from studyreg.experiments.toolbox.mlp import (
    dropout_masks,
    init_mlp,
    inverted_dropout_mask,
    mlp_logits,
    mlp_loss_and_grad,
    softmax_cross_entropy,
)
from studyreg.experiments.toolbox.optim import SGD, Adam


def numerical_gradient(
    loss, params: dict[str, np.ndarray], step: float = 1e-6
) -> dict[str, np.ndarray]:
    grads = {}
    for key, value in params.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            old = value[index]
            value[index] = old + step
            plus = loss()
            value[index] = old - step
            minus = loss()
            value[index] = old
            grad[index] = (plus - minus) / (2 * step)
        grads[key] = grad
    return grads


def jitter_biases(rng: np.random.Generator, params: dict[str, np.ndarray]) -> None:
    """Biases start at exactly zero; a row whose hidden layer is all zero would then sit on
    a ReLU kink, where a finite difference sees half a slope. Move them off it."""
    for key, value in params.items():
        if key.startswith(("b", "c")):
            value += rng.uniform(0.05, 0.2, value.shape)


def assert_gradients_match(analytic: dict, numeric: dict) -> None:
    assert analytic.keys() == numeric.keys()
    for key in analytic:
        np.testing.assert_allclose(analytic[key], numeric[key], atol=1e-7, rtol=1e-5, err_msg=key)


def test_softmax_cross_entropy_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(0)
    logits = {"z": rng.standard_normal((5, 3))}
    y = np.array([0, 2, 1, 1, 0])
    _, grad = softmax_cross_entropy(logits["z"], y)
    numeric = numerical_gradient(lambda: softmax_cross_entropy(logits["z"], y)[0], logits)
    np.testing.assert_allclose(grad, numeric["z"], atol=1e-8)


def test_softmax_cross_entropy_is_stable_for_huge_logits() -> None:
    loss, grad = softmax_cross_entropy(np.array([[1000.0, 0.0], [0.0, 1000.0]]), np.array([0, 0]))
    assert loss == pytest.approx(500.0)
    assert np.isfinite(grad).all()


@pytest.mark.parametrize("with_dropout", [False, True])
def test_mlp_gradient_matches_finite_differences(with_dropout: bool) -> None:
    rng = np.random.default_rng(1)
    params = init_mlp(rng, (4, 6, 5, 3))
    jitter_biases(rng, params)
    X, y = rng.standard_normal((7, 4)), rng.integers(0, 3, 7)
    masks = dropout_masks(rng, params, 7, 0.4) if with_dropout else None
    _, grads = mlp_loss_and_grad(params, X, y, masks)
    numeric = numerical_gradient(lambda: mlp_loss_and_grad(params, X, y, masks)[0], params)
    assert_gradients_match(grads, numeric)


@pytest.mark.parametrize("with_dropout", [False, True])
def test_cnn_gradient_matches_finite_differences(with_dropout: bool) -> None:
    rng = np.random.default_rng(2)
    params = init_cnn(rng, image_size=8, n_filters=3, n_hidden=5, n_classes=4)
    jitter_biases(rng, params)
    images, y = rng.standard_normal((5, 8, 8)), rng.integers(0, 4, 5)
    masks = cnn_dropout_masks(rng, params, 5, 0.5) if with_dropout else None
    _, grads = cnn_loss_and_grad(params, images, y, masks)
    numeric = numerical_gradient(lambda: cnn_loss_and_grad(params, images, y, masks)[0], params)
    assert_gradients_match(grads, numeric)


def test_cnn_convolution_matches_a_direct_loop() -> None:
    rng = np.random.default_rng(3)
    params = init_cnn(rng, image_size=6, n_filters=2, n_hidden=3, n_classes=2)
    params["c"] = np.array([0.1, -0.2])
    params["W1"] = np.eye(8, 3)  # the dense layer passes the first three pooled features on
    image = rng.standard_normal((1, 6, 6))
    conv = np.zeros((4, 4, 2))
    for i in range(4):
        for j in range(4):
            for f in range(2):
                conv[i, j, f] = (
                    np.sum(image[0, i : i + 3, j : j + 3] * params["K"][f]) + params["c"][f]
                )
    pooled = np.maximum(conv, 0).reshape(2, 2, 2, 2, 2).max(axis=(1, 3))  # (rows, cols, filters)
    hidden = np.maximum(pooled.reshape(-1)[:3], 0)
    expected = hidden @ params["W2"] + params["b2"]
    np.testing.assert_allclose(cnn_logits(params, image)[0], expected, atol=1e-12)


def test_cnn_rejects_images_of_odd_feature_size() -> None:
    rng = np.random.default_rng(0)
    params = init_cnn(rng, image_size=8, n_filters=2, n_hidden=3, n_classes=2)
    with pytest.raises(ValueError, match="even"):
        cnn_logits(params, rng.standard_normal((2, 7, 7)))


def test_mlp_logits_equal_the_training_forward_pass_without_dropout() -> None:
    rng = np.random.default_rng(4)
    params = init_mlp(rng, (3, 4, 2))
    X, y = rng.standard_normal((6, 3)), rng.integers(0, 2, 6)
    loss, _ = mlp_loss_and_grad(params, X, y)
    assert softmax_cross_entropy(mlp_logits(params, X), y)[0] == pytest.approx(loss, abs=1e-15)


def test_inverted_dropout_mask_is_zero_or_scaled_and_keeps_the_expectation() -> None:
    rng = np.random.default_rng(5)
    mask = inverted_dropout_mask(rng, (20000, 10), 0.3)
    np.testing.assert_allclose(np.unique(mask), [0.0, 1 / 0.7])
    assert np.mean(mask == 0.0) == pytest.approx(0.3, abs=0.01)
    assert mask.mean() == pytest.approx(1.0, abs=0.01)


def test_mask_expectation_ratio_is_close_to_one() -> None:
    checks = mask_expectation(np.random.default_rng(6), np.linspace(0.5, 2.0, 64), 0.6, 10000)
    assert checks["mask.mean_ratio"] == pytest.approx(1.0, abs=0.01)
    assert checks["mask.scale"] == pytest.approx(2.5, abs=1e-12)
    assert checks["mask.scale_spread"] < 1e-12
    assert checks["mask.keep_fraction"] == pytest.approx(0.4, abs=0.01)
    assert 0 < checks["mask.max_abs_error"] < 0.1


def test_measure_dropout_reads_the_scale_and_kept_fraction_off_hand_built_outputs() -> None:
    activation = np.array([1.0, 2.0, 4.0, 0.5])
    dropped = np.array([[0.0, 5.0, 10.0, 0.0], [2.5, 0.0, 0.0, 1.25]])
    measured = measure_dropout(activation, dropped)
    assert measured["mask.keep_fraction"] == 0.5
    assert measured["mask.scale"] == 2.5
    assert measured["mask.scale_spread"] == 0.0
    assert measured["mask.mean_ratio"] == 1.25
    assert measured["mask.max_abs_error"] == 0.25


def test_measure_dropout_exposes_a_layer_that_forgets_to_rescale() -> None:
    rng = np.random.default_rng(9)
    activation = rng.uniform(0.5, 2.0, 16)
    keep = rng.random((2000, 16)) >= 0.5
    measured = measure_dropout(activation, activation * keep)  # plain, non-inverted dropout
    assert measured["mask.scale"] == pytest.approx(1.0)  # not 1/(1 − 0.5) = 2
    assert measured["mask.keep_fraction"] * measured["mask.scale"] == pytest.approx(0.5, abs=0.03)
    # A layer scaling odd units by 2.2 and even ones by 2: the spread shows it.
    uneven = measure_dropout(activation, activation * keep * (2.0 + 0.2 * (np.arange(16) % 2)))
    assert uneven["mask.scale_spread"] == pytest.approx(0.2)


@pytest.mark.parametrize("p", [0.3, 0.7])
def test_measured_scale_times_kept_fraction_is_one(p: float) -> None:
    measured = mask_expectation(np.random.default_rng(10), np.linspace(0.5, 2.0, 32), p, 20000)
    assert measured["mask.scale"] == pytest.approx(1 / (1 - p), abs=1e-12)
    assert measured["mask.keep_fraction"] * measured["mask.scale"] == pytest.approx(1.0, abs=0.01)


def test_stacked_mlp_members_are_independent_networks() -> None:
    rng = np.random.default_rng(11)
    params = init_mlp(rng, (3, 5, 4, 2), members=(3,))
    jitter_biases(rng, params)
    X, y = rng.standard_normal((3, 7, 3)), rng.integers(0, 2, (3, 7))
    masks = dropout_masks(rng, params, 7, 0.4)
    loss, grads = mlp_loss_and_grad(params, X, y, masks)
    total = 0.0
    for m in range(3):
        own = {key: value[m] for key, value in params.items()}
        own_loss, own_grads = mlp_loss_and_grad(own, X[m], y[m], [mask[m] for mask in masks])
        total += own_loss
        np.testing.assert_allclose(mlp_logits(params, X)[m], mlp_logits(own, X[m]), atol=1e-12)
        for key in own_grads:
            np.testing.assert_allclose(grads[key][m], own_grads[key], atol=1e-12, err_msg=key)
    assert loss == pytest.approx(total, abs=1e-12)


def test_stacked_cnn_members_are_independent_networks() -> None:
    rng = np.random.default_rng(12)
    params = init_cnn(rng, 8, 3, 5, 4, members=(2,))
    jitter_biases(rng, params)
    images, y = rng.standard_normal((2, 6, 8, 8)), rng.integers(0, 4, (2, 6))
    masks = cnn_dropout_masks(rng, params, 6, 0.5)
    loss, grads = cnn_loss_and_grad(params, images, y, masks)
    total = 0.0
    for m in range(2):
        own = {key: value[m] for key, value in params.items()}
        own_loss, own_grads = cnn_loss_and_grad(own, images[m], y[m], [masks[0][m]])
        total += own_loss
        np.testing.assert_allclose(
            cnn_logits(params, images)[m], cnn_logits(own, images[m]), atol=1e-12
        )
        for key in own_grads:
            np.testing.assert_allclose(grads[key][m], own_grads[key], atol=1e-12, err_msg=key)
    assert loss == pytest.approx(total, abs=1e-12)
    plain_loss = cnn_loss_and_grad(params, images, y)[0]
    assert softmax_cross_entropy(cnn_logits(params, images), y)[0] == pytest.approx(plain_loss)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("dropout", {"n_repeats": 3, "n_epochs": 20, "n_val": 100, "n_masks": 200}),
        ("cnn_dropout", {"n_repeats": 3, "n_epochs": 10, "n_train": 20, "n_val": 40}),
    ],
)
def test_repeat_outputs_are_the_mean_and_spread_of_the_repeats(name: str, params: dict) -> None:
    result = run_experiment(name, params, seed=3)
    out, arrays = result.outputs, result.arrays
    reductions = arrays["repeats.gap_reduction"]
    assert reductions.shape == (3,)
    for model in ("plain", "dropout"):
        final_train, final_val = arrays[f"{model}.train_acc"][-1], arrays[f"{model}.val_acc"][-1]
        assert out[f"{model}.train_acc"] == pytest.approx(final_train.mean(), abs=1e-12)
        assert out[f"{model}.gap"] == pytest.approx((final_train - final_val).mean(), abs=1e-12)
    manual = (arrays["plain.train_acc"][-1] - arrays["plain.val_acc"][-1]) - (
        arrays["dropout.train_acc"][-1] - arrays["dropout.val_acc"][-1]
    )
    np.testing.assert_allclose(reductions, manual, atol=1e-12)
    assert out["gap_reduction"] == pytest.approx(manual.mean(), abs=1e-12)
    std = float(np.sqrt(((manual - manual.mean()) ** 2).sum() / 2))
    assert out["gap_reduction.std"] == pytest.approx(std, abs=1e-12)
    assert out["gap_reduction.se"] == pytest.approx(std / np.sqrt(3), abs=1e-12)
    assert out["gap_reduction.narrowed"] == pytest.approx(np.mean(manual > 0))


def test_the_repeats_are_independent_but_pairs_share_their_start() -> None:
    params = {"n_repeats": 2, "n_epochs": 10, "lr": 1e-4, "n_val": 60}
    result = run_experiment("dropout", params, seed=4)
    X = result.arrays["X_train"]
    assert X.shape[0] == 2 and not np.allclose(X[0], X[1])
    plain, dropout = result.arrays["plain.W1"], result.arrays["dropout.W1"]
    assert np.abs(plain[0] - plain[1]).max() > 0.1  # each repeat has its own initial weights
    # Ten Adam steps of lr 1e-4 move a weight by well under 1e-2: each pair started together.
    assert np.abs(plain - dropout).max() < 1e-2


def test_network_runs_are_bit_identical_for_the_same_seed() -> None:
    params = {"n_repeats": 2, "n_epochs": 15, "n_val": 60, "n_masks": 200}
    first, second = run_experiment("dropout", params, 5), run_experiment("dropout", params, 5)
    assert first.outputs == second.outputs
    np.testing.assert_array_equal(first.arrays["dropout.W0"], second.arrays["dropout.W0"])


def test_dropout_rate_must_be_below_one() -> None:
    with pytest.raises(ValueError, match="dropout rate"):
        inverted_dropout_mask(np.random.default_rng(0), (2, 2), 1.0)


def test_sgd_with_l2_penalty_equals_decoupled_decay() -> None:
    rng = np.random.default_rng(7)
    w, g = rng.standard_normal(5), rng.standard_normal(5)
    l2, decoupled = {"w": w.copy()}, {"w": w.copy()}
    SGD(0.1, 0.5).step(l2, {"w": g})
    SGD(0.1, 0.5, decoupled=True).step(decoupled, {"w": g})
    np.testing.assert_allclose(l2["w"], w - 0.1 * (g + 0.5 * w), atol=1e-15)
    np.testing.assert_allclose(decoupled["w"], l2["w"], atol=1e-15)


def test_adam_first_step_moves_each_weight_by_about_lr() -> None:
    params = {"w": np.array([1.0, -2.0, 3.0])}
    Adam(lr=0.01).step(params, {"w": np.array([0.5, -4.0, 1e-3])})
    np.testing.assert_allclose(params["w"], [0.99, -1.99, 2.99], atol=1e-7)


def test_adamw_decays_then_applies_adam() -> None:
    params = {"w": np.array([2.0])}
    Adam(lr=0.1, weight_decay=0.5, decoupled=True).step(params, {"w": np.array([0.0])})
    assert params["w"][0] == pytest.approx(2.0 * (1 - 0.1 * 0.5))


def test_adam_with_l2_differs_from_adamw() -> None:
    rng = np.random.default_rng(8)
    start = rng.standard_normal(4)
    runs = {}
    for decoupled in (False, True):
        params, optimizer = (
            {"w": start.copy()},
            Adam(lr=0.05, weight_decay=0.2, decoupled=decoupled),
        )
        for _ in range(10):
            optimizer.step(params, {"w": params["w"] - 1.0})
        runs[decoupled] = params["w"]
    assert np.abs(runs[False] - runs[True]).max() > 1e-3


@pytest.mark.parametrize(
    "bad", [{"lr": 0.0}, {"lr": float("inf")}, {"lr": 0.1, "weight_decay": -1.0}]
)
def test_optimizers_reject_bad_settings(bad: dict) -> None:
    with pytest.raises(ValueError):
        SGD(**{"lr": 0.1, **bad})
    with pytest.raises(ValueError):
        Adam(**{"lr": 0.1, **bad})
