"""Tests for the pack's own experiment: run with `python -m pytest tests/` in the pack folder."""

import importlib.util
from pathlib import Path

import numpy as np

PATH = Path(__file__).resolve().parent.parent / "experiments" / "{name}.py"
spec = importlib.util.spec_from_file_location("{name}", PATH)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
EXPERIMENT = module.EXPERIMENT


def run(seed=0, **params):
    return EXPERIMENT.run(EXPERIMENT.params_model(**params), seed)


def test_same_seed_same_numbers():
    assert run(seed=3).outputs == run(seed=3).outputs


def test_error_agrees_with_the_closed_form():
    result = run(seed=1, n_small=25, repeats=2000)
    expected = np.sqrt(2 / (np.pi * 25))
    assert abs(result.outputs["error_small"] - expected) < 4 * result.outputs["error_small_se"]


def test_more_data_gives_a_smaller_error():
    outputs = run(seed=2).outputs
    assert outputs["error_large"] < outputs["error_small"] / 3
