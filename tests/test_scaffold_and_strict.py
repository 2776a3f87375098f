"""``studyreg new`` scaffolds a pack that passes ``validate --strict``; strict mode runs checks."""

from __future__ import annotations

import json
from pathlib import Path

from studyreg.cli import main
from studyreg.content.models import QUESTION_TYPES
from studyreg.study.packs import load_pack


def test_scaffold_uses_every_question_type_and_passes_strict(tmp_path: Path, capsys) -> None:
    target = tmp_path / "week-3"
    assert main(["new", str(target), "--title", "Week 3"]) == 0
    pack = load_pack(target)
    assert pack.id == "week-3" and pack.title == "Week 3"
    assert {q.type for q in pack.concepts[0].questions} == set(QUESTION_TYPES)
    assert any(f.check for f in pack.concepts[0].facts)
    schema = json.loads((target / "concept.schema.json").read_text())
    assert "questions" in schema["properties"]
    capsys.readouterr()
    assert main(["validate", "--strict", str(target)]) == 0
    out = capsys.readouterr().out
    assert "check holds on 50/50 seeds" in out
    assert "experiment l1_vs_l2: median" in out


def test_scaffold_refuses_a_non_empty_folder(tmp_path: Path, capsys) -> None:
    (tmp_path / "x.txt").write_text("keep me")
    assert main(["new", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "x.txt").read_text() == "keep me"


def test_strict_reports_a_check_that_never_holds_as_an_error(tmp_path: Path, capsys) -> None:
    target = tmp_path / "p"
    main(["new", str(target)])
    concept = target / "sparsity.yaml"
    concept.write_text(
        concept.read_text().replace("lasso.n_zero > 0 and ridge.n_zero == 0", "ridge.n_zero > 0")
    )
    assert main(["validate", str(target)]) == 0  # plain validation does not run experiments
    capsys.readouterr()
    assert main(["validate", "--strict", str(target)]) == 1
    out = capsys.readouterr().out
    assert (
        "sparsity.yaml:16:12: facts[0].check: holds on 0/50 seeds at the concept's parameters "
        "(95% lower bound 0.00 < 0.9); e.g. seed 0: ridge.n_zero (=0) > 0" in out
    )


def test_strict_rejects_a_check_that_holds_on_some_seeds_only(tmp_path: Path, capsys) -> None:
    from studyreg.study import lab

    zeros = [
        lab.run("l1_vs_l2", {"alpha_l1": 0.1}, seed).outputs["lasso.n_zero"] for seed in range(8)
    ]
    threshold = sorted(zeros)[4]
    expected = sum(z > threshold for z in zeros)
    assert 0 < expected < 8
    target = tmp_path / "p"
    main(["new", str(target)])
    concept = target / "sparsity.yaml"
    concept.write_text(
        concept.read_text().replace(
            "lasso.n_zero > 0 and ridge.n_zero == 0", f"lasso.n_zero > {threshold}"
        )
    )
    capsys.readouterr()
    assert main(["validate", "--strict", "--seeds", "8", "--json", str(target)]) == 1
    report = json.loads(capsys.readouterr().out)
    [error] = [e for e in report["errors"] if e["path"] == "facts[0].check"]
    assert error["message"].startswith("holds on ")
    [check] = report["packs"][0]["verification"]["checks"]
    at_concept = check["combinations"][0]
    assert (at_concept["held"], at_concept["seeds"]) == (expected, 8)
    assert check["held"] <= expected
    assert any(w["path"] == "verify.seeds" for w in report["warnings"])  # 8 seeds cannot pass
