"""docs/experiment-sdk.md's example is real: it runs, keeps the contract and its claim holds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from studyreg.study import lab
from studyreg.study.contract import check_pack_experiments
from studyreg.study.packs import load_checked
from studyreg.study.trust import TrustStore, use_trust_store
from studyreg.study.verify import verify_pack

DOC = Path(__file__).resolve().parent.parent / "docs" / "experiment-sdk.md"


def block_after(marker: str, language: str) -> str:
    text = DOC.read_text()
    match = re.search(rf"<!-- {re.escape(marker)} -->\n```{language}\n(.*?)\n```", text, re.S)
    assert match, f"no {language} block after {marker}"
    return match.group(1) + "\n"


@pytest.fixture
def example_pack(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "optim"
    (root / "experiments").mkdir(parents=True)
    (root / "experiments" / "gd_stability.py").write_text(
        block_after("sdk-example: gd_stability", "python")
    )
    (root / "stability.yaml").write_text(block_after("sdk-example-concept", "yaml"))
    (root / "pack.yaml").write_text("id: optim\ntitle: Optimization\n")
    store = TrustStore(tmp_path / "home")
    use_trust_store(store)
    store.trust(root)
    yield root
    use_trust_store(None)


def test_the_guide_s_experiment_runs_and_shows_the_stability_threshold(example_pack: Path) -> None:
    scope = str(example_pack.resolve())
    below = lab.run("gd_stability", {"lr": 0.9}, 1, scope=scope).outputs
    above = lab.run("gd_stability", {"lr": 1.1}, 1, scope=scope).outputs
    assert below["converged"] is True and above["converged"] is False
    assert below["lr_used"] == pytest.approx(0.9 * 2 / below["lambda_max"])


def test_the_guide_s_experiment_keeps_the_contract(example_pack: Path) -> None:
    report = check_pack_experiments(example_pack)
    assert report.problems == []


def test_the_guide_s_concept_is_valid_and_its_claim_holds_over_seeds(example_pack: Path) -> None:
    pack = load_checked(example_pack).pack
    report = verify_pack(pack, seeds=50)
    [claim] = report.checks
    # Checked at the concept's lr (0.5) and at every lr the question draws.
    assert sorted(r.params["lr"] for r in claim.results) == [0.5, 0.9, 1.1, 1.5]
    assert all(r.held == r.seeds == 50 for r in claim.results)
    [question] = report.concepts[0].questions
    truths = {r.params["lr"]: (r.low, r.high) for r in question.results}
    assert truths == {0.5: (1, 1), 0.9: (1, 1), 1.1: (0, 0), 1.5: (0, 0)}
