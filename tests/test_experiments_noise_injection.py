"""``noise_injection``: input noise on least squares is ridge with alpha = n·σ², checked
against the closed form (exactly, with noise whose second moments are exact) and by
Monte Carlo; reproducibility; parameter errors."""

from __future__ import annotations

import numpy as np
import pytest

from studyreg.content import bundled_pack_path
from studyreg.experiments import ParameterError, run_experiment
from studyreg.experiments.noise_injection import (
    closest_ridge_alpha,
    fit_on_copies,
    noisy_copies,
)
from studyreg.experiments.toolbox.linear import fit_ridge, mse


def data(seed: int = 0, n: int = 25, d: int = 6) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) + 0.3
    return X, X @ rng.standard_normal(d) + 1.5 + rng.standard_normal(n)


def balanced_noise(n: int, d: int, sigma: float, seed: int = 1) -> np.ndarray:
    """2·d noise matrices ±σ·√(n·d)·a·e_jᵀ (unit vector a): they sum to zero and their
    Gram matrices sum to exactly K·n·σ²·I, the expectation of K random draws."""
    a = np.random.default_rng(seed).standard_normal(n)
    a /= np.linalg.norm(a)
    copies = []
    for j in range(d):
        E = np.zeros((n, d))
        E[:, j] = sigma * np.sqrt(n * d) * a
        copies += [E, -E]
    return np.array(copies)


def test_noise_with_exact_second_moments_gives_exactly_ridge_with_alpha_n_sigma_squared() -> None:
    X, y = data()
    n, d = X.shape
    sigma = 0.7
    E = balanced_noise(n, d, sigma)
    K = len(E)
    gram = np.einsum("kni,knj->ij", E, E)
    np.testing.assert_allclose(gram, K * n * sigma**2 * np.eye(d), atol=1e-9)
    coef, intercept = fit_on_copies(X + E, y)
    ridge_coef, ridge_intercept = fit_ridge(X, y, n * sigma**2)
    np.testing.assert_allclose(coef, ridge_coef, rtol=1e-10, atol=1e-12)
    assert intercept == pytest.approx(ridge_intercept, rel=1e-10)
    # ... and not the ridge fit of any other strength: σ² or (n·σ)² would be far off.
    for wrong in (sigma**2, (n * sigma) ** 2):
        assert np.abs(fit_ridge(X, y, wrong)[0] - coef).max() > 1e-2


def test_random_noise_converges_to_ridge_at_the_monte_carlo_rate() -> None:
    X, y = data(2)
    n, _ = X.shape
    sigma = 0.5
    ridge_coef, _ = fit_ridge(X, y, n * sigma**2)
    rng = np.random.default_rng(3)
    gaps = []
    for K in (100, 10_000):
        coef, _ = fit_on_copies(noisy_copies(rng, X, sigma, K), y)
        gaps.append(np.linalg.norm(coef - ridge_coef) / np.linalg.norm(ridge_coef))
    assert gaps[1] < 0.01
    assert gaps[1] < gaps[0] / 4  # 100 times the draws: about 10 times closer


def test_expected_noisy_loss_is_the_clean_loss_plus_sigma_squared_norm() -> None:
    X, y = data(4)
    w, b = np.array([1.0, -2.0, 0.5, 0.0, 3.0, -1.0]), 0.7
    sigma = 0.4
    noisy = noisy_copies(np.random.default_rng(5), X, sigma, 40_000)
    measured = np.mean((y - noisy @ w - b) ** 2)
    expected = mse(X, y, w, b) + sigma**2 * (w @ w)
    assert measured == pytest.approx(expected, rel=3e-3)


def test_noisy_copies_have_the_requested_shape_mean_and_spread() -> None:
    X = np.arange(12.0).reshape(4, 3)
    noisy = noisy_copies(np.random.default_rng(6), X, 0.3, 20_000)
    assert noisy.shape == (20_000, 4, 3)
    np.testing.assert_allclose(noisy.mean(axis=0), X, atol=0.02)
    assert (noisy - X).std() == pytest.approx(0.3, rel=0.01)


@pytest.mark.parametrize("alpha", [0.3, 7.3, 40.0])
def test_closest_ridge_alpha_recovers_the_strength_of_a_ridge_fit(alpha: float) -> None:
    X, y = data(7)
    coef, _ = fit_ridge(X, y, alpha)
    found, alphas, distances = closest_ridge_alpha(X, y, coef, centre=2 * alpha)
    assert found == pytest.approx(alpha, rel=2e-3)
    assert alphas.shape == distances.shape
    assert distances.min() < 1e-2


def test_the_run_finds_the_equivalent_strength_and_the_contrast() -> None:
    out = run_experiment("noise_injection", {"n_copies": 1700}, seed=11).outputs
    assert out["alpha_equivalent"] == pytest.approx(36 * 0.3**2)
    assert out["alpha_ratio"] == pytest.approx(1.0, abs=0.06)
    assert out["noisy.coef_gap"] < 0.02
    assert out["loss.ratio"] == pytest.approx(1.0, abs=0.02)
    assert out["noisy.coef_norm"] < out["ols.coef_norm"]
    assert out["targetnoise.coef_gap"] < 0.01
    assert out["val_improvement"] == pytest.approx(out["ols.val_mse"] - out["noisy.val_mse"])


def test_target_noise_fit_is_least_squares_on_the_averaged_targets() -> None:
    result = run_experiment("noise_injection", seed=3)
    X, y, coef = (result.arrays[k] for k in ("X_train", "y_train", "targetnoise.coef"))
    ols, _ = fit_ridge(X, y, 0.0)
    assert np.linalg.norm(coef - ols) / np.linalg.norm(ols) == pytest.approx(
        result.outputs["targetnoise.coef_gap"]
    )


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    first = run_experiment("noise_injection", seed=5)
    again = run_experiment("noise_injection", seed=5)
    other = run_experiment("noise_injection", seed=6)
    assert first.outputs == again.outputs
    for key, value in first.arrays.items():
        np.testing.assert_array_equal(value, again.arrays[key])
    assert first.outputs["alpha_fitted"] != other.outputs["alpha_fitted"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"n_features": 40, "n_train": 36}, r"n_features \(40\) must be below n_train \(36\)"),
        ({"n_informative": 33}, r"n_informative \(33\) must be at most n_features \(32\)"),
        ({"n_copies": 5000, "n_train": 500}, "too large to run quickly"),
        ({"sigma": 0}, r"^sigma = 0 is out of range: must be a number between 0.01 and 3$"),
        ({"sigma": 4}, "sigma = 4 is out of range"),
        ({"sigm": 0.1}, "did you mean 'sigma'"),
    ],
)
def test_bad_parameters_are_clear_errors(params: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        run_experiment("noise_injection", params)


@pytest.mark.slow
def test_every_fact_holds_on_48_of_50_fresh_seeds_at_every_variant() -> None:
    from studyreg.study.packs import load_pack
    from studyreg.study.verify import verify_pack

    pack = load_pack(bundled_pack_path())
    report = verify_pack(pack, seeds=50, seed_base=9000, concept_ids=["noise-injection"], workers=1)
    (concept,) = report.concepts
    assert not concept.error and not concept.run_errors
    assert len(concept.checks) == len([f for f in pack.concept("noise-injection").facts if f.check])
    short = {c.fact.id: (c.worst.held, c.worst.label) for c in concept.checks if c.worst.held < 48}
    assert not short, short
