"""``studyreg experiment``: listing, describing, running, JSON, npz and user errors."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from studyreg.cli import main
from studyreg.experiments import experiment_names, run_experiment


def run_cli(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(["experiment", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_shows_every_experiment_with_its_summary(capsys) -> None:
    code, out, _ = run_cli(capsys, "--list")
    assert code == 0
    lines = out.splitlines()
    for name in experiment_names():
        assert any(
            line.startswith(f"{name} ") and len(line.split(None, 1)[1]) > 20 for line in lines
        ), name


def test_params_shows_default_range_and_meaning(capsys) -> None:
    code, out, _ = run_cli(capsys, "l1_vs_l2", "--params")
    assert code == 0
    row = next(line for line in out.splitlines() if line.strip().startswith("alpha_l1"))
    assert row.split()[:4] == ["alpha_l1", "float", "0.1", "[1e-05,"]
    assert "lasso strength" in row
    assert "lasso.n_zero" in out


def test_table_lists_outputs_with_values(capsys) -> None:
    code, out, _ = run_cli(capsys, "l1_vs_l2", "--seed", "2")
    expected = run_experiment("l1_vs_l2", seed=2).outputs
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("lasso.n_zero "))
    assert row.split()[1] == str(expected["lasso.n_zero"])
    assert "ridge.val_mse" in out


def test_json_has_the_contract_keys_and_int_counts(capsys) -> None:
    code, out, _ = run_cli(
        capsys,
        "l1_vs_l2",
        "--set",
        "alpha_l1=0.2",
        "--set",
        "n_samples=80",
        "--seed",
        "4",
        "--json",
    )
    assert code == 0
    payload = json.loads(out)
    assert set(payload) == {"experiment", "params", "seed", "outputs"}
    assert payload["experiment"] == "l1_vs_l2" and payload["seed"] == 4
    assert payload["params"]["alpha_l1"] == 0.2 and payload["params"]["n_samples"] == 80
    assert isinstance(payload["outputs"]["lasso.n_zero"], int)
    assert isinstance(payload["outputs"]["lasso.support_recovered"], bool)
    assert (
        payload["outputs"]
        == run_experiment("l1_vs_l2", {"alpha_l1": 0.2, "n_samples": 80}, seed=4).outputs
    )


def test_npz_holds_every_named_array(capsys, tmp_path) -> None:
    target = tmp_path / "run.npz"
    code, out, err = run_cli(capsys, "l1_vs_l2", "--json", "--npz", str(target))
    assert code == 0
    json.loads(out)  # the note about the file goes to stderr, stdout stays JSON
    assert "wrote" in err
    expected = run_experiment("l1_vs_l2").arrays
    with np.load(target) as saved:
        assert set(saved.files) == set(expected)
        np.testing.assert_array_equal(saved["lasso.coef"], expected["lasso.coef"])
        assert saved["lasso.intercept"].shape == ()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["l1_vs_l2", "--set", "alpah_l1=0.1"], "did you mean 'alpha_l1'?"),
        (
            ["l1_vs_l2", "--set", "alpha_l1=50"],
            "alpha_l1 = 50 is out of range: must be a number between 1e-05 and 10",
        ),
        (["l1_vs_l2", "--set", "alpha_l1=lots"], "alpha_l1 = 'lots' is not valid"),
        (["l1_vs_l2", "--set", "alpha_l1"], "--set needs KEY=VALUE"),
        (["l1_vs_l3"], "unknown experiment 'l1_vs_l3'; did you mean 'l1_vs_l2'?"),
        (["l1_vs_l2", "--seed", "-3"], "--seed must be a non-negative integer"),
        (["l1_vs_l2", "--seed", "x"], "--seed must be a non-negative integer"),
        ([], "name an experiment"),
    ],
)
def test_user_errors_exit_2_with_one_clear_line(capsys, argv: list[str], message: str) -> None:
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    assert err.startswith("studyreg: error: ") and message in err
    assert "Traceback" not in err + out


def test_unwritable_npz_path_is_a_user_error(capsys, tmp_path) -> None:
    code, _, err = run_cli(capsys, "weight_decay", "--npz", str(tmp_path / "missing" / "run.npz"))
    assert code == 2 and "cannot write" in err


def test_bad_key_through_the_real_entry_point_has_no_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "studyreg", "experiment", "reg_path", "--set", "n_alpha=5"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "did you mean 'n_alphas'?" in done.stderr
    assert "Traceback" not in done.stderr
