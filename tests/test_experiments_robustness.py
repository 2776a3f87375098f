"""The effects packs claim hold at default parameters for at least 9 of seeds 0..9."""

from __future__ import annotations

from functools import cache

import pytest

from studyreg.experiments import run_experiment

SEEDS = range(10)
REQUIRED = 9


@cache
def outputs(name: str, seed: int) -> dict:
    return run_experiment(name, seed=seed).outputs


def passing_seeds(name: str, claim) -> list[int]:
    return [seed for seed in SEEDS if claim(outputs(name, seed))]


def test_lasso_has_zeros_and_ridge_none() -> None:
    passed = passing_seeds(
        "l1_vs_l2", lambda o: o["lasso.n_zero"] > o["ridge.n_zero"] and o["ridge.n_zero"] == 0
    )
    assert len(passed) >= REQUIRED, passed


def test_reg_path_validation_error_is_u_shaped_for_lasso_and_ridge() -> None:
    def u_shape(o: dict) -> bool:
        return all(
            o[f"{m}.val_mse_at_best"] < o[f"{m}.val_mse_at_min"]
            and o[f"{m}.val_mse_at_best"] < o[f"{m}.val_mse_at_max"]
            for m in ("lasso", "ridge")
        )

    passed = passing_seeds("reg_path", u_shape)
    assert len(passed) >= REQUIRED, passed


@pytest.mark.slow
def test_dropout_narrows_the_mlp_gap() -> None:
    passed = passing_seeds("dropout", lambda o: o["gap_reduction"] > 0)
    assert len(passed) >= REQUIRED, passed


def test_inverted_dropout_keeps_the_expectation() -> None:
    # Every seed, not 9 of 10: the check has a standard error of about 0.001.
    passed = passing_seeds("dropout", lambda o: abs(o["mask.mean_ratio"] - 1) < 0.02)
    assert passed == list(SEEDS)


@pytest.mark.slow
def test_dropout_narrows_the_cnn_gap() -> None:
    passed = passing_seeds("cnn_dropout", lambda o: o["gap_reduction"] > 0)
    assert len(passed) >= REQUIRED, passed


def test_l2_equals_decay_for_sgd_but_not_for_adam_on_every_seed() -> None:
    passed = passing_seeds(
        "weight_decay",
        lambda o: (
            o["sgd.equivalent"] and o["sgd.max_abs_diff"] < 1e-12 and o["adam.max_abs_diff"] > 1e-4
        ),
    )
    assert passed == list(SEEDS)


def test_early_stopping_beats_training_to_the_end() -> None:
    passed = passing_seeds("early_stopping", lambda o: o["val_mse_at_best"] < o["val_mse_at_end"])
    assert len(passed) >= REQUIRED, passed
