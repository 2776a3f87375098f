"""GIFT import: every construct maps to the expected question; the rest is reported by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyreg.cli import main
from studyreg.interop.gift import parse_gift
from studyreg.study.packs import load_pack

GIFT = Path(__file__).parent / "data" / "gift" / "every_construct.gift"


@pytest.fixture(scope="module")
def result():
    return parse_gift(GIFT.read_text(encoding="utf-8"), default_concept="every")


def questions(result) -> dict[str, dict]:
    return {q["id"]: q for c in result.concepts for q in c["questions"]}


def test_categories_become_concepts(result) -> None:
    assert [(c["id"], c["title"]) for c in result.concepts] == [
        ("penalties", "Penalties"),
        ("essays", "Essays"),
    ]


def test_multiple_choice_keeps_feedback_and_general_feedback(result) -> None:
    q = questions(result)["l1-zeros"]
    assert q["type"] == "single_choice"
    assert [(c["text"], c["correct"]) for c in q["choices"]] == [
        ("L1", True),
        ("L2", False),
        ("Neither", False),
    ]
    assert q["choices"][0]["feedback"] == "Right: its corner at zero."
    assert q["explanation"] == "The lasso is sparse."


def test_weights_make_multiple_choice(result) -> None:
    q = questions(result)["vowels"]
    assert q["type"] == "multiple_choice" and [c["correct"] for c in q["choices"]] == [
        True,
        False,
        True,
    ]


def test_true_false_numeric_range_short_answer_matching_essay(result) -> None:
    qs = questions(result)
    # {F#text}: the first feedback is for a wrong answer, i.e. for "true" here (Moodle).
    assert (qs["ridge-zeros"]["answer"], qs["ridge-zeros"]["feedback_true"]) == (
        False,
        "Ridge only shrinks them.",
    )
    assert "feedback_false" not in qs["ridge-zeros"]
    assert (qs["pi"]["answer"], qs["pi"]["tolerance"]["atol"]) == (3.14, 0.01)
    assert (qs["range"]["answer"], qs["range"]["tolerance"]["atol"]) == (3.0, 2.0)
    assert qs["name"]["answers"] == ["lasso", "the lasso"]
    assert qs["pairs"]["pairs"] == [
        {"left": "L1", "right": "absolute value"},
        {"left": "L2", "right": "square"},
    ]
    assert qs["essay"]["type"] == "free_response"


def test_escapes_and_missing_word(result) -> None:
    q = next(
        q
        for q in questions(result).values()
        if q["type"] == "short_answer" and q["answers"] == ["goes"]
    )
    assert q["prompt"] == "Escaped braces { and colons : stay, and the missing word _____ here."


def test_what_cannot_be_mapped_is_reported_by_line(result) -> None:
    lines = dict(result.warnings)
    assert "essay imported" in lines[28]
    assert "description (text without answers)" in lines[32]
    assert dict(result.errors) == {
        34: "a '{' or '}' is missing (write \\{ or \\} for a literal brace)"
    }


def test_malformed_lines_are_located() -> None:
    text = "Q1 {=a ~b}\n\nQ2 {#abc}\n\nQ3 stray }\n"
    errors = dict(parse_gift(text).errors)
    assert errors[3] == "cannot read 'abc' as a number (answer)"
    assert "'{' or '}' is missing" in errors[5]


def test_cli_with_skip_errors_writes_the_rest(tmp_path: Path, capsys) -> None:
    target = tmp_path / "imported"
    assert main(["import-gift", str(GIFT), "-o", str(target), "--skip-errors"]) == 0
    pack = load_pack(target)
    assert pack.question_count == 9 and [c.id for c in pack.concepts] == ["penalties", "essays"]
    err = capsys.readouterr().err
    assert f"{GIFT}:34: error: a '{{' or '}}' is missing" in err


def test_cli_writes_nothing_when_a_question_cannot_be_imported(tmp_path: Path, capsys) -> None:
    target = tmp_path / "imported"
    assert main(["import-gift", str(GIFT), "-o", str(target)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert f"{GIFT}:34: error: a '{{' or '}}' is missing" in err[-2]
    assert err[-1] == (
        f"studyreg: error: 1 question in {GIFT} cannot be imported (listed above); "
        "nothing was written (fix it, or pass --skip-errors)"
    )
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_a_non_empty_folder(tmp_path: Path, capsys) -> None:
    (tmp_path / "keep.txt").write_text("x")
    assert main(["import-gift", str(GIFT), "-o", str(tmp_path)]) == 2
    assert "not empty" in capsys.readouterr().err


def test_output_under_a_file_is_a_one_line_error(tmp_path: Path, capsys) -> None:
    from studyreg.cli import main

    blocker = tmp_path / "notes.txt"
    blocker.write_text("x")
    gift = Path(__file__).parent / "data" / "gift" / "every_construct.gift"
    code = main(["import-gift", str(gift), "-o", str(blocker / "pack"), "--skip-errors"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        f"studyreg: error: cannot write {blocker / 'pack'}: {blocker} is a file, not a folder"
    )


def test_a_pack_that_does_not_validate_is_never_written(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    from studyreg.cli import main
    from studyreg.content import PackError, Problem

    def refuse(path):
        raise PackError([Problem(str(Path(path) / "pack.yaml"), 1, 1, "id", "planted problem")])

    monkeypatch.setattr("studyreg.study.packs.load_pack", refuse)
    gift = Path(__file__).parent / "data" / "gift" / "every_construct.gift"
    target = tmp_path / "imported"
    assert main(["import-gift", str(gift), "-o", str(target), "--skip-errors"]) == 1
    err = capsys.readouterr().err
    assert f"{target}/pack.yaml:1:1: id: planted problem" in err
    assert "was not written" in err
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []  # no staging folder left behind


def test_an_imported_pack_is_graded_as_moodle_in_a_plain_quiz(tmp_path: Path) -> None:
    import subprocess
    import sys

    gift = tmp_path / "grant.gift"
    gift.write_text(
        "::Born::When was Ulysses S. Grant born? {#\n=1822:0 #Exactly.\n"
        "=%50%1822:2 #Close: 1822.\n}\n",
        encoding="utf-8",
    )
    assert main(["import-gift", str(gift), "-o", str(tmp_path / "pack")]) == 0
    out = subprocess.run(
        [sys.executable, "-m", "studyreg", "quiz", "--plain", "--pack", str(tmp_path / "pack")]
        + ["--data-dir", str(tmp_path / "data"), "--count", "1", "--seed", "1"],
        input="1823\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "partly correct (50%)" in out.stdout
    assert "  Close: 1822.\n" in out.stdout
    assert "points: 0.5/1" in out.stdout


def test_a_failed_final_rename_puts_the_forced_folder_back(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    target = tmp_path / "pack"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    real_rename = Path.rename

    def rename(self: Path, to):
        if Path(to) == target and self.name.startswith(".pack.") and "old" not in self.name:
            raise OSError(28, "No space left on device")
        return real_rename(self, to)

    monkeypatch.setattr(Path, "rename", rename)
    code = main(["import-gift", str(GIFT), "-o", str(target), "--force", "--skip-errors"])
    assert code == 1
    assert "cannot write" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["pack"]
    assert (target / "keep.txt").read_text() == "mine"
