"""``studyreg validate`` and ``studyreg schema``: the contract scripts rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

STUDY_PACK = Path(__file__).parent / "data" / "study_pack.yaml"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "studyreg", *args], capture_output=True, text=True, timeout=120
    )


def test_valid_pack_exits_0_with_a_summary() -> None:
    out = run("validate", str(STUDY_PACK))
    assert out.returncode == 0
    assert (
        out.stdout.strip().splitlines()[-1]
        == "1 of 1 pack valid, 2 concepts, 9 questions, 0 errors"
    )


def test_json_report_has_integer_counts(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: b\ntitle: B\nconcepts:\n  - id: c\n    title: C\n    definiton: x\n")
    out = run("validate", "--json", str(STUDY_PACK), str(broken))
    assert out.returncode == 1
    report = json.loads(out.stdout)
    assert report["packs"] == [
        {
            "id": "study-test",
            "title": "Study test pack",
            "path": str(STUDY_PACK),
            "concepts": 2,
            "questions": 9,
            "untrusted_code": False,
        }
    ]
    texts = [e["text"] for e in report["errors"]]
    assert (
        f"{broken}:6:5: concepts[0].definiton: unknown key 'definiton' (did you mean 'definition'?)"
        in texts
    )
    assert any("missing required field 'definition'" in t for t in texts)


def test_usage_error_exits_2() -> None:
    out = run("validate", "--nope")
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_unknown_experiment_and_output_names_are_located(tmp_path: Path) -> None:
    text = (
        STUDY_PACK.read_text()
        .replace("name: l1_vs_l2", "name: l1_vs_l3")
        .replace("lasso.n_zero > ridge.n_zero", "lasso.n_zeros > ridge.n_zero")
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    out = run("validate", str(bad))
    assert out.returncode == 1
    assert "unknown experiment 'l1_vs_l3'; did you mean 'l1_vs_l2'?" in out.stdout
    fixed = text.replace("l1_vs_l3", "l1_vs_l2")
    bad.write_text(fixed)
    out = run("validate", str(bad))
    assert (
        "facts[0].check: unknown output 'lasso.n_zeros'; did you mean 'lasso.n_zero'?" in out.stdout
    )


def test_hostile_template_and_expression_are_refused_at_load(tmp_path: Path) -> None:
    text = (
        STUDY_PACK.read_text()
        .replace('"alpha = {alpha_l1}: how many', '"alpha = {alpha_l1.__class__}: how many')
        .replace("lasso.n_zero > ridge.n_zero", "10 ** 10 ** 10 > 1")
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    out = run("validate", str(bad))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "questions[0].prompt: template: column 19: names may not start with '_'" in out.stdout
    # The power parses, but evaluating it is refused at once, never computed.
    bad.write_text(text.replace("{alpha_l1.__class__}", "{alpha_l1}"))
    out = run("validate", "--strict", str(bad))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "facts[0].check: holds on 0/50 seeds at the concept's parameters" in out.stdout
    assert "cannot evaluate '10 ** 10 ** 10 > 1'" in out.stdout


def test_schema_is_json_schema_of_a_pack() -> None:
    out = run("schema")
    schema = json.loads(out.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"id", "title", "concepts"} <= set(schema["properties"])
    assert schema["$defs"]["Concept"]["additionalProperties"] is False


def test_pack_given_before_or_after_validate_is_the_pack_validated() -> None:
    for args in (("--pack", str(STUDY_PACK), "validate"), ("validate", "--pack", str(STUDY_PACK))):
        out = run(*args)
        assert out.returncode == 0, out.stderr
        assert f"ok: study-test ({STUDY_PACK})" in out.stdout
        assert "regularization" not in out.stdout
