"""In-process runs (a notebook) give the CLI's numbers bit for bit: one BLAS thread both ways."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from studyreg.experiments import experiment_names, run_experiment


@pytest.mark.parametrize("name", experiment_names())
def test_in_process_arrays_equal_the_cli_s_bit_for_bit(name: str, tmp_path: Path) -> None:
    path = tmp_path / "out.npz"
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    subprocess.run(
        [sys.executable, "-m", "studyreg", "experiment", name, "--seed", "3", "--npz", str(path)],
        check=True, capture_output=True, env=env, timeout=300,
    )  # fmt: skip
    result = run_experiment(name, {}, 3)
    with np.load(path) as cli_arrays:
        assert set(cli_arrays.files) == set(result.arrays)
        for key in cli_arrays.files:
            assert np.array_equal(cli_arrays[key], result.arrays[key]), key


def test_a_run_leaves_the_caller_s_blas_threads_as_they_were() -> None:
    before = [pool["num_threads"] for pool in threadpool_info()]
    run_experiment("l1_vs_l2", {}, 0)
    assert [pool["num_threads"] for pool in threadpool_info()] == before


def test_an_in_process_run_uses_one_blas_thread_like_the_cli() -> None:
    from pydantic import BaseModel, ConfigDict

    from studyreg.experiments import Experiment, make_result
    from studyreg.experiments.registry import run_with

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")

    seen: list[int] = []

    def run(params: Params, seed: int):
        seen.extend(pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas")
        return make_result("probe", params, seed, {"x": 1})

    probe = Experiment("probe", "probe", "none", Params, {"x": "one"}, run)
    run_with(probe, {}, 0)
    assert seen and set(seen) == {1}
