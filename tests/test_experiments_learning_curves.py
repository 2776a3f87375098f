"""The learning_curves experiment: its closed forms (noise floor, bias floor, expected training
error), the exact validation error, reproducibility and parameter errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from studyreg.experiments import ParameterError, run_experiment
from studyreg.experiments.learning_curves import best_approximation_error, fit_errors
from studyreg.experiments.toolbox.polynomial import legendre_features

SMALL = {"n_repeats": 3, "n_sizes": 3, "n_max": 200}


def test_best_constant_and_best_line_have_their_closed_form_errors() -> None:
    energy = 0.5 - math.sin(6) / 12  # E[sin²(3x)], x uniform on [−1, 1]
    assert best_approximation_error(0) == pytest.approx(energy, rel=1e-12)  # E[sin 3x] = 0
    # Best line c·x: c = E[x sin 3x]/E[x²] = 3·(sin 3/9 − cos 3/3); it explains c²/3.
    slope = 3 * (math.sin(3) / 9 - math.cos(3) / 3)
    assert best_approximation_error(1) == pytest.approx(energy - slope**2 / 3, rel=1e-12)
    assert best_approximation_error(1) == pytest.approx(0.1648, abs=1e-4)


def test_best_approximation_error_falls_with_the_degree_to_zero() -> None:
    errors = [best_approximation_error(d) for d in range(0, 16, 2)]
    assert all(a >= b for a, b in zip(errors, errors[1:], strict=False))
    assert best_approximation_error(15) < 1e-10
    # Against a dense least-squares fit of sin(3x) by a cubic.
    x = np.linspace(-1, 1, 200_001)
    features = np.vander(x, 4)
    coef = np.linalg.lstsq(features, np.sin(3 * x), rcond=None)[0]
    dense = np.mean((features @ coef - np.sin(3 * x)) ** 2)
    assert best_approximation_error(3) == pytest.approx(dense, rel=1e-4)


def test_legendre_features_are_the_legendre_polynomials_without_the_constant() -> None:
    x = np.array([-1.0, -0.3, 0.0, 0.5, 1.0])
    features = legendre_features(x, 3)
    assert features.shape == (5, 3)
    np.testing.assert_allclose(features[:, 0], x)
    np.testing.assert_allclose(features[:, 1], (3 * x**2 - 1) / 2)
    np.testing.assert_allclose(features[:, 2], (5 * x**3 - 3 * x) / 2)


def test_exact_validation_error_matches_a_dense_grid_average() -> None:
    # The same fit, replayed: the quadrature error equals a dense average plus noise².
    noise, degree = 0.4, 6
    train, val, _ = fit_errors(np.random.default_rng(0), 40, degree, noise, 1e-6, 1)
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, 40)
    y = np.sin(3 * x) + noise * rng.standard_normal(40)
    from studyreg.experiments.toolbox.linear import fit_ridge

    coef, intercept = fit_ridge(legendre_features(x, degree), y, 1e-6)
    grid = np.linspace(-1, 1, 400_001)
    fitted = legendre_features(grid, degree) @ coef + intercept
    dense = np.mean((fitted - np.sin(3 * grid)) ** 2) + noise**2
    assert val[0] == pytest.approx(dense, rel=1e-5)  # the grid mean is off by O(1/N)
    assert train[0] == pytest.approx(
        np.mean((legendre_features(x, degree) @ coef + intercept - y) ** 2)
    )


def test_the_constant_model_levels_off_at_the_variance_of_the_target() -> None:
    out = run_experiment("learning_curves", {"simple_degree": 0, **SMALL}, seed=5).outputs
    assert out["simple.bias_floor"] == pytest.approx(0.25 + 0.5 - math.sin(6) / 12)
    assert out["simple.val_at_max"] == pytest.approx(out["simple.bias_floor"], rel=0.03)


def test_expected_training_error_of_a_well_specified_fit_is_noise2_times_one_minus_k_over_n() -> (
    None
):
    out = run_experiment(
        "learning_curves", {"n_repeats": 100, "n_min": 40, "n_max": 80, "n_sizes": 2}, seed=1
    ).outputs
    expected = 0.25 * (1 - 13 / 40)
    assert out["flexible.expected_train_at_min"] == pytest.approx(expected)
    assert out["flexible.train_at_min"] == pytest.approx(expected, rel=0.08)


def test_a_run_shows_both_diagnoses() -> None:
    result = run_experiment("learning_curves", {}, seed=2)
    out = result.outputs
    assert out["noise_floor"] == pytest.approx(0.25)
    assert out["simple.bias_floor"] == pytest.approx(0.25 + best_approximation_error(1))
    assert out["simple.bias_floor"] <= out["simple.val_at_max"] < 1.02 * out["simple.bias_floor"]
    assert out["flexible.gap_at_max"] < 0.01 * out["flexible.gap_at_min"]
    assert out["noise_floor"] <= out["flexible.val_at_max"] < 1.05 * out["noise_floor"]
    sizes = result.arrays["sizes"]
    np.testing.assert_array_equal(sizes, [30, 60, 120, 240, 480, 960])
    assert out["crossover_n"] in sizes[1:]
    # Outputs are the means of the per-repeat arrays at the ends of the curve.
    assert out["simple.val_at_max"] == pytest.approx(result.arrays["simple.val_mse"][-1].mean())
    assert out["flexible.gap_at_min"] == pytest.approx(
        (result.arrays["flexible.val_mse"][0] - result.arrays["flexible.train_mse"][0]).mean()
    )
    curve = result.series["simple.val"]
    np.testing.assert_array_equal(curve.x, sizes.astype(float))


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    first = run_experiment("learning_curves", SMALL, 3)
    second = run_experiment("learning_curves", SMALL, 3)
    other = run_experiment("learning_curves", SMALL, 4)
    assert first.outputs == second.outputs
    for key in first.arrays:
        np.testing.assert_array_equal(first.arrays[key], second.arrays[key])
    assert first.outputs["flexible.val_at_max"] != other.outputs["flexible.val_at_max"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"simple_degree": 3, "flexible_degree": 3},
            r"simple_degree \(3\) must be below flexible_degree \(3\)",
        ),
        ({"n_min": 100, "n_max": 100}, r"n_max \(100\) must be larger than n_min \(100\)"),
        ({"n_min": 13}, r"n_min \(13\) must exceed the flexible model's weight count"),
        (
            {"n_repeats": 100, "n_max": 5000, "n_sizes": 12, "flexible_degree": 20},
            "too large to run quickly",
        ),
        ({"noise": 0.0}, "noise = 0 is out of range"),
    ],
)
def test_bad_parameters_are_clear_errors(params: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        run_experiment("learning_curves", params)
