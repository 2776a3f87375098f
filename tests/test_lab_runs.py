"""lab.run: one computation per (experiment, parameters, seed), even when two threads
ask at once (a quiz warming the cache while the learner opens the experiment)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from studyreg.experiments import ParameterError
from studyreg.study import lab


def slow_counting_runner(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = lab.run_experiment

    def slow(name: str, params: Any, seed: int) -> Any:
        calls.append(seed)
        time.sleep(0.2)  # long enough that the second caller arrives mid-run
        return real(name, params, seed)

    monkeypatch.setattr(lab, "run_experiment", slow)
    return calls


def test_a_run_asked_for_twice_at_once_is_computed_once(monkeypatch) -> None:
    calls = slow_counting_runner(monkeypatch)
    seed = 918_273  # not in the cache from another test
    results: list[lab.Result] = []
    threads = [
        threading.Thread(target=lambda: results.append(lab.run("l1_vs_l2", {}, seed)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    assert calls == [seed]
    assert results[0] is results[1]
    assert lab.run("l1_vs_l2", {}, seed) is results[0]  # and it is cached


def test_a_failed_run_is_not_cached_and_its_waiter_gets_the_error(monkeypatch) -> None:
    def broken(name: str, params: Any, seed: int) -> Any:
        time.sleep(0.1)
        raise lab.ExperimentError("diverged")

    monkeypatch.setattr(lab, "run_experiment", broken)
    errors: list[str] = []

    def ask() -> None:
        try:
            lab.run("l1_vs_l2", {}, 918_274)
        except lab.ExperimentError as error:
            errors.append(str(error))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
        time.sleep(0.03)
    for thread in threads:
        thread.join()
    assert errors == ["diverged", "diverged"]
    assert not lab._running  # nothing left waiting


def test_warm_fills_the_cache_and_swallows_what_the_real_run_will_report(monkeypatch) -> None:
    calls = slow_counting_runner(monkeypatch)
    lab.warm("l1_vs_l2", {}, 918_275)
    lab.run("l1_vs_l2", {}, 918_275)
    assert calls == [918_275]
    lab.warm("l1_vs_l2", {"alpha_l1": -5}, 0)  # a bad parameter: said by the real run
    with pytest.raises(ParameterError):
        lab.run("l1_vs_l2", {"alpha_l1": -5}, 0)


def test_cached_answers_only_a_run_already_computed_and_never_runs(monkeypatch) -> None:
    calls = slow_counting_runner(monkeypatch)
    seed = 918_276
    assert lab.cached("l1_vs_l2", {"alpha_l1": 0.3}, seed) is None
    result = lab.run("l1_vs_l2", {"alpha_l1": 0.3}, seed)
    handle, found = lab.cached("l1_vs_l2", {"alpha_l1": 0.3}, seed) or (None, None)
    assert found is result and handle is not None and handle.spec.name == "l1_vs_l2"
    # The same run spelled another way (a default given, a number as text) is the same run.
    default = {p.name: p.default for p in handle.spec.params}["n_samples"]
    assert lab.cached("l1_vs_l2", {"alpha_l1": "0.3", "n_samples": default}, seed)[1] is result
    assert lab.cached("l1_vs_l2", {"alpha_l1": 0.3}, seed + 1) is None  # another seed
    assert lab.cached("l1_vs_l2", {"alpha_l1": -5}, seed) is None  # cannot run: no answer
    assert lab.cached("no_such_experiment") is None
    assert calls == [seed]


def test_cached_never_answers_for_a_packs_own_code(tmp_path) -> None:
    # Resolving pack code hashes its files and asks its worker process: not on a UI thread.
    (tmp_path / "experiments").mkdir()
    (tmp_path / "experiments" / "coin.py").write_text("raise SystemExit('never imported')\n")
    assert lab.cached("coin", {}, 0, scope=str(tmp_path)) is None


def test_warm_can_leave_a_packs_own_code_alone(tmp_path, monkeypatch) -> None:
    (tmp_path / "experiments").mkdir()
    (tmp_path / "experiments" / "coin.py").write_text("raise SystemExit('never imported')\n")
    resolved: list[str] = []
    monkeypatch.setattr(lab, "resolve", lambda name, scope=None: resolved.append(name))
    lab.warm("coin", {}, 0, scope=str(tmp_path), pack_code=False)
    assert resolved == []  # nothing resolved, so no trust check and no worker process
