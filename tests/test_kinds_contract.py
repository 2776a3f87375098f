"""Every question kind works in every front end: plain quiz, TUI quiz, exam, review,
export-pack and export-anki (the TUI in tests/tui/test_kinds.py). A new kind fails here
until each has it."""

from __future__ import annotations

import csv
import io
import random
import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from studyreg.cli import main
from studyreg.content.models import QUESTION_TYPES
from studyreg.study.items import build_item
from studyreg.study.kinds import KINDS, kind_of, type_aliases
from studyreg.study.kinds.text import FreeResponseAnswer
from studyreg.study.packs import load_pack
from studyreg.study.session import parse_types

PACK = Path(__file__).parent / "data" / "every_kind.yaml"


def every_item(seed: int = 0):
    pack = load_pack(PACK)
    rng = random.Random(seed)
    return [
        build_item(pack, concept, question, rng)
        for concept in pack.concepts
        for question in concept.questions
    ]


def test_the_kinds_are_the_model_union_and_the_test_pack_has_each() -> None:
    assert set(KINDS) == set(QUESTION_TYPES)
    assert {item.type for item in every_item()} == set(QUESTION_TYPES)


def test_every_kind_has_an_input_widget() -> None:
    from studyreg.tui.widgets.answer_inputs import WIDGETS

    assert set(WIDGETS) == set(QUESTION_TYPES)


@pytest.mark.parametrize("type_name", QUESTION_TYPES)
def test_each_kind_names_itself_and_is_selectable_with_types(type_name: str) -> None:
    kind = kind_of(type_name)
    assert kind.title and kind.title != type_name
    assert type_name in parse_types(type_name)  # "numeric" also selects computed ones
    assert all(type_name in names for word, names in type_aliases().items() if word in kind.aliases)


def test_the_right_answer_typed_back_is_correct_and_a_wrong_one_is_not() -> None:
    for item in every_item():
        if item.kind.self_graded:
            right = FreeResponseAnswer(frozenset({0, 1}), 3, "text")
            assert item.grade(right).correct
            assert item.response_text(right) == "covered 2 of 2 key points (1, 2); rated Good: text"
            continue
        value = item.answer_value()
        assert item.grade(item.parse_response(value)).correct, (item.type, value)
        assert item.how_to_answer()
        assert isinstance(item.response_text(item.parse_response(value)), str)


def test_cloze_grades_each_blank_with_partial_credit() -> None:
    item = next(i for i in every_item() if i.question.id == "blanks")
    assert item.prompt.count("____") == 3 and "[[" not in item.prompt
    zero = item.blanks[2].options.index("zero")
    one = item.blanks[2].options.index("one")
    letters = "ABC"
    right = item.grade(item.parse_response(f"L2; 4; {letters[zero]}"))
    assert right.correct and right.score == 1.0
    two_of_three = item.grade(item.parse_response(f"l2; 5; {letters[zero]}"))
    assert two_of_three.status == "partial" and two_of_three.score == pytest.approx(2 / 3)
    assert two_of_three.message.startswith("2 of 3 blanks right. [2]")
    wrong_pick = item.parse_response(f"L1; 4; {letters[one]}")
    verdict = item.grade(wrong_pick)
    assert verdict.score == pytest.approx(1 / 3) and "[1]" in verdict.message
    assert item.feedback(wrong_pick) == [f"[3] {letters[one]}: Shrinkage goes towards zero."]
    unreadable = item.grade(["L2", "four", zero])
    assert not unreadable.counts and unreadable.message.startswith("[2]")


def test_cloze_parse_errors_name_the_blank() -> None:
    from studyreg.grading import AnswerParseError

    item = next(i for i in every_item() if i.question.id == "blanks")
    with pytest.raises(AnswerParseError, match="give 3 answers"):
        item.parse_response("L2; 4")
    with pytest.raises(AnswerParseError, match=r"blank \[3\]: .Q. is out of range"):
        item.parse_response("L2; 4; Q")


def test_a_live_cloze_draws_a_fresh_variant_computed_by_the_experiment() -> None:
    items = [i for seed in range(6) for i in every_item(seed) if i.question.id == "live-blanks"]
    assert all(i.live and i.seed is not None for i in items)
    assert len({(i.seed, i.params["alpha_l1"]) for i in items}) > 1
    from studyreg.study import lab

    for item in items:
        name, params, seed = item.experiment
        result = lab.run(name, params, seed)
        assert item.blanks[0].truth == result.outputs["lasso.n_zero"]
        assert f"alpha = {params['alpha_l1']}" in item.prompt


def test_a_cloze_prompt_must_mark_each_blank_once(tmp_path: Path) -> None:
    text = PACK.read_text().replace("pulls weights towards [[3]]", "pulls weights towards [[2]]")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text)
    out = subprocess.run(
        [sys.executable, "-m", "studyreg", "validate", str(broken)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1 and "Traceback" not in out.stderr + out.stdout
    assert (
        "must mark each of the 3 blanks once ([[1]], [[2]], [[3]]); found [[1]], [[2]], [[2]]"
        in (out.stdout + out.stderr)
    )


# --- front ends ---------------------------------------------------------------------


def plain(tmp_path: Path, answers: str, *args: str, command: str = "quiz") -> str:
    out = subprocess.run(
        [sys.executable, "-m", "studyreg", command, "--plain", "--pack", str(PACK)]
        + ["--data-dir", str(tmp_path), *args],
        input=answers,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.mark.parametrize("question", ["blanks", "live-blanks"])
def test_cloze_in_plain_quiz_and_review(tmp_path: Path, question: str) -> None:
    concept = "kinds" if question == "blanks" else "lasso"
    args = ("--concept", concept, "--types", "cloze", "--seed", "4")
    wrong = "x; 1; A" if question == "blanks" else "999; A"
    first = plain(tmp_path / "a", wrong + "\n", *args)
    assert "fill in the blanks" in first and "separated by ';'" in first
    value = re.search(r"^answer: (.+)$", first, re.M).group(1)
    again = plain(tmp_path / "b", value + "\n", *args)
    assert re.search(r"^score: 1/1$", again, re.M)
    if question == "live-blanks":
        assert "studyreg experiment l1_vs_l2 --set" in first.split("> ")[0]  # before answering
    review = plain(tmp_path / "c", ":skip\n" * 20, "--seed", "4", command="review")
    assert "fill in the blanks" in review


def test_every_kind_in_export_pack_and_anki(tmp_path: Path, capsys) -> None:
    assert main(["export-pack", "--pack", str(PACK)]) == 0
    rows = {r["question_id"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert {r["type"] for r in rows.values()} == set(QUESTION_TYPES)
    assert all(r["answer"] for r in rows.values())
    assert rows["blanks"]["answer"] == "[1] L2 | 2; [2] 4; [3] zero"
    assert rows["blanks"]["choices"] == "[3] zero | one | infinity"
    assert rows["live-blanks"]["answer"] == "[1] computed live: lasso.n_zero; [2] L1"

    deck = tmp_path / "deck.apkg"
    assert main(["export-anki", "--pack", str(PACK), "-o", str(deck)]) == 0
    with zipfile.ZipFile(deck) as archive:
        archive.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    fields = [f for (f,) in db.execute("select flds from notes")]
    db.close()
    questions = [f for f in fields if not f.startswith(("Define:", "Fact:"))]
    assert len(questions) == sum(1 for _ in rows)
    live = next(f for f in questions if "sets [1]____" in f)
    assert "One fixed variant" in live


def test_csv_shows_a_literal_number_as_written_never_in_exponent_form(capsys) -> None:
    assert main(["export-pack"]) == 0  # the bundled pack: VGG-16's first dense layer
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    answers = [r["answer"] for r in rows if r["type"] == "numeric"]
    assert "102764544" in answers and not any("e+" in a for a in answers)
