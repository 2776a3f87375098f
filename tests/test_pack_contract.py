"""`validate --strict` holds a pack's own experiments to the experiment contract."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studyreg.study import contract
from studyreg.study.contract import check_pack_experiments
from studyreg.study.trust import TrustStore, use_trust_store

GOOD = (Path(__file__).parent / "data" / "packcode" / "coin.py").read_text()

BAD = """
import time
import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from studyreg.experiments import Experiment, make_result


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    n: int = Field(10, ge=1)
    wait: float = Field(0.0, ge=0, le=5, description="seconds to sleep")


def run(params, seed):
    time.sleep(params.wait)
    noise = np.random.default_rng().random()  # not from the seed
    return make_result(EXPERIMENT, params, seed, {"noise": noise, "extra": 1})


EXPERIMENT = Experiment(
    name="sloppy", summary="Breaks the contract.", objective="none",
    params_model=Params, outputs={"noise": "a random number", "gone": "never produced"}, run=run,
)
"""


@pytest.fixture
def trusted(tmp_path: Path) -> Iterator[TrustStore]:
    store = TrustStore(tmp_path / "home")
    use_trust_store(store)
    yield store
    use_trust_store(None)


def make_pack(root: Path, modules: dict[str, str]) -> Path:
    (root / "experiments").mkdir(parents=True)
    (root / "pack.yaml").write_text("id: p\ntitle: P\n")
    for name, code in modules.items():
        (root / "experiments" / f"{name}.py").write_text(code)
    return root


def test_a_well_behaved_experiment_passes_and_its_time_is_reported(
    tmp_path: Path, trusted: TrustStore
) -> None:
    pack = make_pack(tmp_path / "p", {"coin": GOOD})
    trusted.trust(pack)
    report = check_pack_experiments(pack)
    assert report.problems == []
    [line] = report.report
    assert line.startswith("experiment coin (pack): ") and line.endswith(" ms at its defaults")


def test_contract_breaches_are_each_named(
    tmp_path: Path, trusted: TrustStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = make_pack(
        tmp_path / "p",
        {"sloppy": BAD.replace("wait: float = Field(0.0", "wait: float = Field(0.2")},
    )
    trusted.trust(pack)
    monkeypatch.setattr(contract, "SLOW_SECONDS", 0.1)
    problems = check_pack_experiments(pack).problems
    messages = {p.message for p in problems}
    assert "parameter 'n' needs both bounds (Field(ge=..., le=...)) and a description" in messages
    assert (
        "outputs do not match their declaration: missing ['gone'], undeclared ['extra']" in messages
    )
    assert any(
        m.startswith("two runs with the same parameters and seed differ in ['noise']")
        for m in messages
    )
    [slow] = [p for p in problems if p.severity == "warning"]
    assert "students wait for every variant" in slow.message
    assert all(p.file.endswith("experiments/sloppy.py") for p in problems)


def test_a_module_without_experiment_is_reported_at_its_file(
    tmp_path: Path, trusted: TrustStore
) -> None:
    pack = make_pack(tmp_path / "p", {"empty": "X = 1\n", "wrong_name": GOOD})
    trusted.trust(pack)
    problems = {p.file.rsplit("/", 1)[1]: p.message for p in check_pack_experiments(pack).problems}
    assert "must define EXPERIMENT = Experiment(...); found nothing" in problems["empty.py"]
    assert "EXPERIMENT.name is 'coin'; it must be 'wrong_name'" in problems["wrong_name.py"]


def test_an_untrusted_pack_is_not_run(tmp_path: Path, trusted: TrustStore) -> None:
    pack = make_pack(tmp_path / "p", {"coin": GOOD + "\nraise SystemExit('imported!')\n"})
    assert check_pack_experiments(pack).problems == []
