"""The batch_norm experiment: the layer against its definition, the variance shift against its
closed form, reproducibility and parameter errors."""

from __future__ import annotations

import statistics

import numpy as np
import pytest

from studyreg.experiments import ParameterError, run_experiment
from studyreg.experiments.batch_norm import (
    batch_norm_eval,
    batch_norm_train,
    batch_statistics,
    probe_batches,
    running_statistics,
)
from studyreg.experiments.toolbox.mlp import inverted_dropout_mask

SMALL = {"n_pool": 600, "n_steps": 60, "n_probes": 3, "n_probe_batches": 20}


def test_training_mode_matches_an_element_by_element_computation() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(3.0, 2.0, (7, 4)) * np.array([1.0, 10.0, 0.1, 5.0])
    gamma, beta, eps = np.array([1.0, 2.0, 0.5, -1.0]), np.array([0.0, 1.0, -2.0, 3.0]), 1e-3
    out, mean, var = batch_norm_train(a, gamma, beta, eps)
    for j in range(4):
        column = [float(v) for v in a[:, j]]
        mu = statistics.fmean(column)
        sigma2 = statistics.pvariance(column)
        assert mean[j] == pytest.approx(mu, rel=1e-13)
        assert var[j] == pytest.approx(sigma2, rel=1e-12)
        for i in range(7):
            expected = gamma[j] * (column[i] - mu) / (sigma2 + eps) ** 0.5 + beta[j]
            assert out[i, j] == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_training_mode_output_has_zero_mean_and_variance_sigma2_over_sigma2_plus_eps() -> None:
    rng = np.random.default_rng(1)
    a = rng.normal(-2.0, 0.05, (64, 5))
    eps = 1e-3
    out, _, var = batch_norm_train(a, eps=eps)
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-13)
    # The variance falls short of 1 by exactly eps / (σ² + eps).
    np.testing.assert_allclose(out.var(axis=0), var / (var + eps), rtol=1e-12)
    assert np.all(out.var(axis=0) < 1 - 0.1)  # σ² = 0.0025 is not large against eps


def test_leading_axes_are_independent_batches() -> None:
    rng = np.random.default_rng(2)
    a = rng.normal(size=(3, 8, 4))
    out, mean, var = batch_norm_train(a)
    for k in range(3):
        own, own_mean, own_var = batch_norm_train(a[k])
        np.testing.assert_allclose(out[k], own, atol=1e-15)
        np.testing.assert_allclose(mean[k], own_mean, atol=1e-15)
        np.testing.assert_allclose(var[k], own_var, atol=1e-15)
    np.testing.assert_allclose(batch_statistics(a)[1], a.var(axis=1), rtol=1e-13)


def test_evaluation_mode_uses_the_given_statistics_row_by_row() -> None:
    a = np.array([[1.0, 4.0], [3.0, -2.0]])
    out = batch_norm_eval(a, np.array([1.0, 0.0]), np.array([4.0, 1.0]), 2.0, 1.0, eps=0.0)
    np.testing.assert_allclose(out, [[1.0, 9.0], [3.0, -3.0]])
    # One row alone gets the same output as inside a batch: nothing depends on the batch.
    np.testing.assert_allclose(
        batch_norm_eval(a[:1], np.array([1.0, 0.0]), np.array([4.0, 1.0]), 2.0, 1.0, eps=0.0),
        out[:1],
    )


def test_running_statistics_follow_pytorch_s_update_with_the_unbiased_variance() -> None:
    rng = np.random.default_rng(3)
    batches = rng.normal(1.0, 2.0, (5, 6, 2))
    mean, var, batch_means, batch_vars = running_statistics(batches, momentum=0.3)
    for j in range(2):
        r_mean, r_var = 0.0, 1.0
        for step in range(5):
            column = [float(v) for v in batches[step, :, j]]
            r_mean = 0.7 * r_mean + 0.3 * statistics.fmean(column)
            r_var = 0.7 * r_var + 0.3 * statistics.variance(column)
            assert batch_vars[step, j] == pytest.approx(statistics.variance(column), rel=1e-12)
            assert batch_means[step, j] == pytest.approx(statistics.fmean(column), rel=1e-12)
        assert mean[j] == pytest.approx(r_mean, rel=1e-12)
        assert var[j] == pytest.approx(r_var, rel=1e-12)


def test_probe_batches_put_the_probe_first_and_draw_the_rest_from_the_pool() -> None:
    pool = np.arange(40.0).reshape(20, 2)
    batches = probe_batches(np.random.default_rng(4), pool, n_probes=3, size=5, n_batches=7)
    assert batches.shape == (3, 7, 5, 2)
    for k in range(3):
        np.testing.assert_array_equal(batches[k, :, 0], np.broadcast_to(pool[k], (7, 2)))
    others = batches[:, :, 1:, 0] / 2
    assert others.min() >= 3 and others.max() < 20  # the probes are not among the others


@pytest.mark.parametrize(
    ("mean", "p", "expected"), [(0.0, 0.5, 2.0), (1.0, 0.5, 3.0), (2.0, 0.2, 2.25)]
)
def test_inverted_dropout_variance_matches_the_closed_form(
    mean: float, p: float, expected: float
) -> None:
    # Unit-variance input: Var = E[x²]/(1 − p) − E[x]² = (1 + mean²)/(1 − p) − mean².
    rng = np.random.default_rng(5)
    x = rng.normal(mean, 1.0, 400_000)
    dropped = x * inverted_dropout_mask(rng, x.shape, p)
    assert (1 + mean**2) / (1 - p) - mean**2 == pytest.approx(expected)
    assert dropped.var() == pytest.approx(expected, rel=0.02)
    assert dropped.mean() == pytest.approx(mean, abs=0.01)


def test_a_run_shows_the_variance_shift_and_its_closed_form() -> None:
    out = run_experiment("batch_norm", {"p": 0.5}, seed=6).outputs
    # ReLU of a zero-mean Gaussian: E[h²] = s²/2, E[h] = s/√(2π), Var(h) = s²(1/2 − 1/(2π)).
    var_h = 0.5 - 1 / (2 * np.pi)
    gaussian_ratio = (0.5 / 0.5 - 1 / (2 * np.pi)) / var_h
    assert out["shift.closed_form"] == pytest.approx(gaussian_ratio, rel=0.02)
    assert out["shift.train_var"] == pytest.approx(out["shift.closed_form"], rel=0.04)
    assert out["shift.test_output_var"] == pytest.approx(1 / out["shift.closed_form"], rel=0.1)
    # Var(h)/running var per unit, averaged: the reciprocal of the mean ratio up to Jensen's gap.
    assert out["shift.test_output_var"] == pytest.approx(1 / out["shift.running_var"], rel=0.03)
    assert out["shift.no_dropout_test_var"] == pytest.approx(1.0, rel=0.1)
    assert out["bn.max_abs_mean"] < 1e-12 and out["bn.max_var_error"] < 1e-3
    assert out["noise.eval"] < 1e-12
    assert out["noise.small_batch"] > 2 * out["noise.large_batch"]
    assert out["noise.ratio"] == pytest.approx(
        out["noise.small_batch"] / out["noise.large_batch"], rel=1e-12
    )


def test_without_dropout_there_is_no_shift() -> None:
    out = run_experiment("batch_norm", {**SMALL, "p": 0.0}, seed=7).outputs
    assert out["shift.closed_form"] == pytest.approx(1.0, abs=1e-12)
    assert out["shift.test_output_var"] == pytest.approx(
        out["shift.no_dropout_test_var"], abs=1e-12
    )


def test_the_shift_series_follows_the_closed_form_at_every_rate() -> None:
    result = run_experiment("batch_norm", {}, seed=8)
    closed, measured = result.series["shift.closed_form"], result.series["shift.measured"]
    np.testing.assert_array_equal(closed.x, measured.x)
    assert closed.y[0] == pytest.approx(1.0, abs=1e-12)  # p = 0
    np.testing.assert_allclose(measured.y, closed.y, rtol=0.05)
    assert np.all(np.diff(closed.y) > 0)
    noise = result.series["noise.by_batch_size"]
    assert np.all(np.diff(noise.y) < 0)  # the noise falls with every doubling of the batch


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    first = run_experiment("batch_norm", SMALL, seed=9)
    second = run_experiment("batch_norm", SMALL, seed=9)
    other = run_experiment("batch_norm", SMALL, seed=10)
    assert first.outputs == second.outputs
    for key in first.arrays:
        np.testing.assert_array_equal(first.arrays[key], second.arrays[key])
    assert first.outputs["shift.train_var"] != other.outputs["shift.train_var"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"small_batch": 64, "batch_size": 64},
            "small_batch (64) must be smaller than batch_size (64)",
        ),
        ({"n_pool": 20000, "n_steps": 5000, "n_units": 256}, "too large to run quickly"),
        ({"p": 0.95}, "p = 0.95 is out of range"),
        ({"momentum": 0.0}, "momentum = 0 is out of range: must be a number between 0.001 and 1"),
    ],
)
def test_bad_parameters_are_clear_errors(params: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run_experiment("batch_norm", params)
