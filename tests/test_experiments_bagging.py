"""The bagging experiment: the ambiguity decomposition, the variance of a correlated average,
the members' fits against an independent reference, reproducibility and parameter errors."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.polynomial import legendre

from studyreg.experiments import ParameterError, run_experiment
from studyreg.experiments.bagging import (
    ambiguity_decomposition,
    correlated_average_variance,
    fit_members,
)

SMALL = {"n_repeats": 5, "n_members": 6, "n_draws": 2000, "n_test": 21}


def test_ambiguity_decomposition_by_hand() -> None:
    parts = ambiguity_decomposition(np.array([[2.0], [3.0], [7.0]]), np.array([4.0]))
    assert parts == pytest.approx({"ensemble": 0.0, "members": 14 / 3, "ambiguity": 14 / 3})


def test_ambiguity_decomposition_holds_for_any_predictions() -> None:
    rng = np.random.default_rng(0)
    members, truth = rng.normal(size=(9, 50)) * 3, rng.normal(size=50)
    parts = ambiguity_decomposition(members, truth)
    assert parts["ensemble"] == pytest.approx(parts["members"] - parts["ambiguity"], rel=1e-12)
    assert parts["ensemble"] == pytest.approx(np.mean((members.mean(axis=0) - truth) ** 2))
    # Identical members: no ambiguity and no gain.
    same = ambiguity_decomposition(np.tile(members[0], (4, 1)), truth)
    assert same["ambiguity"] == pytest.approx(0.0, abs=1e-15)
    assert same["ensemble"] == pytest.approx(same["members"], rel=1e-14)


@pytest.mark.parametrize(("n_models", "rho"), [(5, 0.0), (10, 0.3), (25, 0.8)])
def test_simulated_average_variance_matches_rho_plus_one_minus_rho_over_m(
    n_models: int, rho: float
) -> None:
    var_average, var_single = correlated_average_variance(
        np.random.default_rng(1), n_models, rho, 100_000
    )
    assert var_average == pytest.approx(rho + (1 - rho) / n_models, rel=0.02)
    assert var_single == pytest.approx(1.0, rel=0.02)


def test_the_full_fit_without_penalty_is_numpy_s_least_squares_legendre_fit() -> None:
    rng = np.random.default_rng(2)
    x = rng.uniform(-1, 1, 40)
    y = np.sin(3 * x) + 0.3 * rng.standard_normal(40)
    grid = np.linspace(-1, 1, 11)
    _, full = fit_members(rng, x, y, grid, degree=5, alpha=0.0, n_members=2)
    reference = legendre.legval(grid, legendre.legfit(x, y, 5))
    np.testing.assert_allclose(full, reference, atol=1e-10)


def test_each_member_is_the_same_fit_on_a_bootstrap_resample() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, 25)
    y = np.sin(3 * x) + 0.3 * rng.standard_normal(25)
    grid = np.linspace(-1, 1, 7)
    members, _ = fit_members(np.random.default_rng(4), x, y, grid, 4, 0.0, 3)
    replay = np.random.default_rng(4)
    for m in range(3):
        rows = replay.integers(0, 25, 25)
        reference = legendre.legval(grid, legendre.legfit(x[rows], y[rows], 4))
        np.testing.assert_allclose(members[m], reference, atol=1e-9)
    assert np.abs(members[0] - members[1]).max() > 1e-3  # the resamples differ


def test_a_run_satisfies_both_identities() -> None:
    result = run_experiment("bagging", {}, seed=5)
    out = result.outputs
    assert out["bag.test_mse"] == pytest.approx(
        out["members.test_mse"] - out["ambiguity"], rel=1e-12
    )
    assert out["ambiguity.identity_error"] < 1e-12
    # Var(mean of M) = σ²/M + (1 − 1/M)·(mean covariance) = ρσ² + (1 − ρ)σ²/M, exactly.
    assert out["variance.bag"] == pytest.approx(out["variance.formula"], rel=1e-10)
    assert out["variance.floor"] < out["variance.bag"] < out["variance.member"]
    # The average of all members in the series is the bag.
    by_size = result.series["bag.by_size"]
    assert by_size.y[-1] == pytest.approx(out["bag.test_mse"], rel=1e-12)
    assert by_size.y[0] > by_size.y[-1]
    assert out["sim.var_measured"] == pytest.approx(out["sim.var_closed_form"], rel=0.05)


def test_bag_variance_is_computed_across_the_repeats() -> None:
    result = run_experiment("bagging", SMALL, seed=6)
    members = result.arrays["members.pred"]  # (repeats, members, test points)
    bag = members.mean(axis=1)
    assert result.outputs["variance.bag"] == pytest.approx(
        bag.var(axis=0, ddof=1).mean(), rel=1e-12
    )
    per_member = members.var(axis=0, ddof=1)  # (members, test points)
    assert result.outputs["variance.member"] == pytest.approx(per_member.mean(), rel=1e-12)


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    first, second = run_experiment("bagging", SMALL, 7), run_experiment("bagging", SMALL, 7)
    other = run_experiment("bagging", SMALL, 8)
    assert first.outputs == second.outputs
    for key in first.arrays:
        np.testing.assert_array_equal(first.arrays[key], second.arrays[key])
    assert first.outputs["bag.test_mse"] != other.outputs["bag.test_mse"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"n_repeats": 200, "n_members": 200, "n_train": 500, "degree": 20},
            "too large to run quickly",
        ),
        ({"n_members": 1}, "n_members = 1 is out of range"),
        ({"rho": 1.0}, "rho = 1 is out of range"),
        ({"n_members": "many"}, "n_members = 'many' is not valid"),
    ],
)
def test_bad_parameters_are_clear_errors(params: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        run_experiment("bagging", params)


def test_a_vanishing_alpha_on_a_tiny_noiseless_sample_gives_finite_outputs() -> None:
    """Found by the fuzz test: a bootstrap resample of 10 points and alpha = 7e-37 made
    each member's normal matrix singular."""
    params = {"n_train": 10, "noise": 0.0, "degree": 5, "alpha": 7.107287232213985e-37}
    params |= {"n_members": 2, "n_repeats": 3, "n_test": 10}
    result = run_experiment("bagging", params, 0)
    assert all(np.isfinite(v) for v in result.outputs.values() if isinstance(v, float))
