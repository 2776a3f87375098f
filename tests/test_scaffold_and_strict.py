"""``studyreg new`` scaffolds a pack that passes ``validate --strict``; strict mode runs checks."""

from __future__ import annotations

import json
from pathlib import Path

from studyreg.cli import main
from studyreg.study.packs import load_pack
from studyreg.content.models import QUESTION_TYPES


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
    assert "check holds on 5/5 seeds" in out
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
        "sparsity.yaml:16:12: facts[0].check: never holds (0/5 seeds): ridge.n_zero (=0) > 0" in out
    )


def test_strict_warns_when_a_check_holds_on_some_seeds_only(tmp_path: Path, capsys) -> None:
    from studyreg.study import lab

    zeros = sorted(
        lab.run("l1_vs_l2", {"alpha_l1": 0.1}, seed).outputs["lasso.n_zero"] for seed in range(5)
    )
    threshold = zeros[2]
    expected = sum(z > threshold for z in zeros)
    assert 0 < expected < 5 or zeros[0] == zeros[-1]
    target = tmp_path / "p"
    main(["new", str(target)])
    concept = target / "sparsity.yaml"
    concept.write_text(
        concept.read_text().replace(
            "lasso.n_zero > 0 and ridge.n_zero == 0", f"lasso.n_zero > {threshold}"
        )
    )
    capsys.readouterr()
    assert main(["validate", "--strict", "--json", str(target)]) == 0
    report = json.loads(capsys.readouterr().out)
    [warning] = report["warnings"]
    assert warning["severity"] == "warning" and warning["path"] == "facts[0].check"
    assert f"holds on {expected}/5 seeds only" in warning["message"]
