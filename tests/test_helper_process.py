"""The helper process: built-in runs leave the UI's process, with the same results,
and anything it cannot do is done in-process as before."""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np
import pytest

from studyreg.experiments import (
    ParameterError,
    Result,
    experiment_names,
    run_experiment,
    validate_params,
)
from studyreg.study import helper, lab


def wait_until_ready(seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not helper.ready():
        assert time.monotonic() < deadline, "the helper did not start"
        time.sleep(0.05)


@pytest.fixture
def started() -> Iterator[None]:
    helper.stop()
    helper.start()
    wait_until_ready()
    yield
    helper.stop()


def count_in_process_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the experiments run in this process (through ``lab``), from now on,
    with ``lab``'s cache emptied."""
    runs: list[str] = []

    def counted(name: str, params: object, seed: int) -> Result:
        runs.append(name)
        return run_experiment(name, params, seed)  # type: ignore[arg-type]

    monkeypatch.setattr(lab, "run_experiment", counted)
    lab._cache.clear()
    return runs


@pytest.fixture
def in_process_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return count_in_process_runs(monkeypatch)


def assert_same_result(one: Result, other: Result) -> None:
    assert (one.experiment, one.params, one.seed) == (other.experiment, other.params, other.seed)
    assert one.outputs == other.outputs
    assert one.arrays.keys() == other.arrays.keys()
    for key, array in one.arrays.items():
        np.testing.assert_array_equal(array, other.arrays[key], err_msg=key)
    assert one.series.keys() == other.series.keys()
    for key, series in one.series.items():
        np.testing.assert_array_equal(series.x, other.series[key].x, err_msg=key)
        np.testing.assert_array_equal(series.y, other.series[key].y, err_msg=key)


@pytest.mark.parametrize("name", experiment_names())
def test_a_run_in_the_helper_is_bit_identical_to_the_same_run_here(name: str, started) -> None:
    params = validate_params(name, {}).model_dump()
    assert_same_result(helper.run(name, params, 11), run_experiment(name, params, 11))


def test_once_it_is_ready_lab_runs_built_ins_there(started, in_process_runs) -> None:
    result = lab.run("l1_vs_l2", {"alpha_l1": 0.3}, 4)
    assert in_process_runs == []
    assert_same_result(result, run_experiment("l1_vs_l2", {"alpha_l1": 0.3}, 4))
    assert lab.cached("l1_vs_l2", {"alpha_l1": 0.3}, 4) is not None  # cached like any run


def test_until_it_is_started_runs_stay_here(in_process_runs) -> None:
    helper.stop()
    assert not helper.ready()
    with pytest.raises(helper.Unavailable):
        helper.run("l1_vs_l2", {}, 0)
    lab.run("l1_vs_l2", {}, 0)
    assert in_process_runs == ["l1_vs_l2"]


def test_a_disabled_helper_does_not_start() -> None:
    helper.stop()
    helper.enabled = False
    try:
        helper.start()
        assert helper._pool is None and not helper.ready()
    finally:
        helper.enabled = True


def test_a_runs_own_error_comes_back_as_it_would_here(started) -> None:
    params = {**validate_params("label_smoothing", {}).model_dump(), "n_features": 3}
    with pytest.raises(ParameterError) as here:
        run_experiment("label_smoothing", params, 0)
    with pytest.raises(ParameterError) as there:
        helper.run("label_smoothing", params, 0)
    assert str(there.value) == str(here.value) and "n_train" in str(here.value)
    assert helper.ready()


def test_what_the_helper_cannot_do_is_run_here(
    started, in_process_runs, monkeypatch: pytest.MonkeyPatch
) -> None:
    params = validate_params("l1_vs_l2", {}).model_dump()
    with pytest.raises(helper.Unavailable, match="does not know 'no_such_experiment'"):
        helper.run("no_such_experiment", params, 0)
    # A run that fails in the helper (here: an unpicklable parameter) is run in-process.
    with pytest.raises(helper.Unavailable):
        helper.run("l1_vs_l2", {**params, "alpha_l1": lambda: 0}, 0)
    assert helper.ready()  # one failed run does not stop the helper
    monkeypatch.setattr(helper, "run", _always_unavailable)
    result = lab.run("l1_vs_l2", {}, 2)
    assert in_process_runs == ["l1_vs_l2"]
    assert_same_result(result, run_experiment("l1_vs_l2", {}, 2))


def _always_unavailable(name: str, params: object, seed: int) -> Result:
    raise helper.Unavailable("test")


def test_a_helper_that_died_leaves_the_runs_to_this_process(started, in_process_runs) -> None:
    pool = helper._pool
    assert pool is not None
    for process in list(pool._processes.values()):  # type: ignore[attr-defined]
        process.kill()
        process.join()
    result = lab.run("weight_decay", {}, 3)
    assert in_process_runs == ["weight_decay"]  # the helper's failure is not the learner's
    assert not helper.ready() and helper._pool is None
    assert_same_result(result, run_experiment("weight_decay", {}, 3))


def test_stopping_twice_and_starting_again_works(in_process_runs) -> None:
    helper.stop()
    helper.stop()
    helper.start()
    try:
        wait_until_ready()
        lab.run("weight_decay", {}, 8)
        assert in_process_runs == []
    finally:
        helper.stop()
