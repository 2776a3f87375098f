"""GIFT import matches Moodle: its own fixtures and examples, and each case graded as Moodle grades it.

Expected values come from Moodle's documented behaviour: the GIFT format page
(docs.moodle.org/en/GIFT_format), the import counts in Moodle's
question/format/gift/tests/behat/import.feature (9 and 4 questions), and the grading
rules of its question types: a single-answer choice scores the picked answer's weight;
a multiple-answer choice the sum of the picked weights, clipped to 0..1; a numerical
answer ``v:t`` accepts v-t..v+t and ``a..b`` accepts a..b, both ends included, and the
first matching answer gives its weight; true/false ``{T#wrong#right}`` shows the first
feedback to a wrong answer and the second to a right one.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from studyreg.cli import main
from studyreg.content import models
from studyreg.interop.gift import parse_gift
from studyreg.study.items import QuestionItem, build_item
from studyreg.study.packs import load_pack

MOODLE = Path(__file__).parent / "data" / "gift" / "moodle"


def imported(text: str) -> list[QuestionItem]:
    """Every question of a GIFT text as a studyreg item, via the validated pack model."""
    result = parse_gift(text)
    assert result.errors == []
    pack = models.Pack.model_validate({"id": "t", "title": "T", "concepts": result.concepts})
    return [build_item(pack, c, q, random.Random(7)) for c in pack.concepts for q in c.questions]


def only(text: str) -> QuestionItem:
    (item,) = imported(text)
    return item


def at(item: QuestionItem, *texts: str) -> set[int]:
    """The display indices of the options with these texts."""
    return {item.options.index(t) for t in texts}


def score(item: QuestionItem, response) -> float:
    verdict = item.grade(response)
    assert verdict.counts
    return verdict.score


# --- Moodle's own files ---------------------------------------------------------------


def test_moodle_fixture_imports_nine_questions_of_moodle_s_types() -> None:
    result = parse_gift((MOODLE / "questions.gift.txt").read_text(encoding="utf-8"))
    assert result.errors == []
    assert result.moodle_types == [
        "essay",
        "match",
        "multichoice",
        "multichoice",
        "numerical",
        "shortanswer",
        "truefalse",
        "truefalse",
        "truefalse",
    ]
    questions = [q for c in result.concepts for q in c["questions"]]
    assert [q["type"] for q in questions] == [
        "free_response",
        "matching",
        "single_choice",
        "multiple_choice",
        "numeric",
        "short_answer",
        "true_false",
        "true_false",
        "true_false",
    ]


def test_moodle_category_fixture_imports_four_questions_in_its_category() -> None:
    result = parse_gift((MOODLE / "questions_in_category.gift.txt").read_text(encoding="utf-8"))
    assert result.errors == []
    assert result.moodle_types == ["match", "multichoice", "shortanswer", "truefalse"]
    (concept,) = result.concepts
    assert (concept["id"], concept["title"]) == (
        "default-for-new-features",
        "Default for New Features",
    )
    greeting = concept["questions"][1]
    assert greeting["prompt"] == "Listen to this greeting:\n\nWhat language is being spoken?"
    assert [c["text"] for c in greeting["choices"] if c["correct"]] == ["French"]
    assert concept["questions"][3]["prompt"] == (
        "Moodle is an acronym for Modular Object-Oriented Dynamic Learning Environment."
    )
    # the link to the sound file cannot be shown: said, not silently dropped
    assert any("bonjour.mp3" in note for _, note in result.warnings)


def test_moodle_examples_import_43_questions_of_moodle_s_types() -> None:
    result = parse_gift((MOODLE / "examples.txt").read_text(encoding="utf-8"))
    assert result.errors == []
    assert Counter(result.moodle_types) == {
        "multichoice": 18,
        "shortanswer": 9,
        "numerical": 8,
        "truefalse": 5,
        "match": 3,
    }
    assert result.type_counts() == {
        "single_choice": 16,
        "multiple_choice": 2,
        "short_answer": 9,
        "numeric": 8,
        "true_false": 5,
        "matching": 3,
    }


@pytest.mark.parametrize(
    ("name", "questions", "notes"),
    [
        ("questions.gift.txt", 9, " (1 note above)"),  # the essay's model answer
        ("questions_in_category.gift.txt", 4, " (1 note above)"),  # the dropped sound link
        ("examples.txt", 43, ""),
    ],
)
def test_cli_imports_each_moodle_file_as_a_valid_pack(
    tmp_path: Path, capsys, name: str, questions: int, notes: str
) -> None:
    target = tmp_path / "pack"
    assert main(["import-gift", str(MOODLE / name), "-o", str(target)]) == 0
    assert load_pack(target).question_count == questions
    out = capsys.readouterr().out
    assert out == f"imported {questions} questions in 1 concept to {target}{notes}\n"


def test_control_characters_example_reads_escapes_as_moodle_does() -> None:
    text = (MOODLE / "examples.txt").read_text(encoding="utf-8")
    items = {i.question.id: i for i in imported(text)}
    item = items["gift-control-characters"]
    assert sorted(item.options) == sorted(["~", "=", "#", "{", "}", "\\"])
    assert score(item, item.options.index("\\")) == 1.0
    assert sorted(items["which-answer-equals-5"].options) == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]


# --- the cases of issue 15, graded as Moodle grades them -------------------------------


def test_matching_line_without_a_question_is_an_extra_wrong_answer() -> None:
    item = only("Match.{\n=Forum -> discussions\n=Wiki -> shared pages\n= -> Chat\n}")
    q = item.question
    assert [(p.left, p.right) for p in q.pairs] == [
        ("Forum", "discussions"),
        ("Wiki", "shared pages"),
    ]
    assert q.distractors == ["Chat"]
    assert sorted(item.options) == ["Chat", "discussions", "shared pages"]
    right = {item.lefts.index(p.left): item.options.index(p.right) for p in q.pairs}
    assert item.grade(right).correct
    half = dict(right)
    half[0] = item.options.index("Chat")
    assert score(item, half) == 0.5


def test_single_answer_with_partial_credit_scores_the_picked_weight() -> None:
    item = only(
        "Jesus Christ was from {\n~Jerusalem#wrong\n~%25%Bethlehem#born\n"
        "~%50%Galilee#vague\n=Nazareth#yes}."
    )
    assert item.type == "single_choice"
    scores = {text: score(item, item.options.index(text)) for text in item.options}
    assert scores == {"Jerusalem": 0.0, "Bethlehem": 0.25, "Galilee": 0.5, "Nazareth": 1.0}
    assert item.grade(item.options.index("Nazareth")).correct
    assert item.answer_text().endswith("Nazareth")
    assert item.feedback(item.options.index("Galilee"))[0].endswith("vague")


@pytest.mark.parametrize(
    ("gift", "said", "shown"),
    [
        ("{TRUE#fb-wrong#fb-right}", "true", "fb-right"),
        ("{TRUE#fb-wrong#fb-right}", "false", "fb-wrong"),
        ("{FALSE#fb-wrong#fb-right}", "false", "fb-right"),
        ("{FALSE#fb-wrong#fb-right}", "true", "fb-wrong"),
        ("{T#fb-wrong}", "false", "fb-wrong"),
    ],
)
def test_true_false_first_feedback_goes_to_a_wrong_answer(gift: str, said: str, shown: str) -> None:
    item = only("Grass is green." + gift)
    assert item.feedback(said) == [shown]


def test_true_false_letters_are_case_sensitive_as_in_moodle() -> None:
    # Moodle reads only T, TRUE, F and FALSE; {true} is a short answer whose answer is "true"
    item = only("Grass is green.{true}")
    assert item.type == "short_answer" and item.question.answers == ["true"]


@pytest.mark.parametrize(
    ("gift", "accepted", "refused"),
    [
        ("{#3.141..3.142}", ["3.141", "3.142", "3.1415"], ["3.1409", "3.1421"]),
        ("{#3.1415:0.0005}", ["3.141", "3.142", "3.1415"], ["3.1409", "3.1421"]),
        ("{#1822}", ["1822"], ["1822.001", "1821"]),
        ("{#0.1:0.2}", ["-0.1", "0.3", "0"], ["0.3001", "-0.1001"]),
        # 0.01 - 0.001 < 0.009 and 0.03 + 0.005 < 0.035 in binary: the ends still count
        ("{#0.01:0.001}", ["0.009", "0.011"], ["0.0089", "0.0111"]),
        ("{#0.03:0.005}", ["0.025", "0.035"], ["0.0249", "0.0351"]),
    ],
)
def test_numeric_ranges_and_margins_include_both_ends(
    gift: str, accepted: list[str], refused: list[str]
) -> None:
    item = only("Value?" + gift)
    assert [score(item, a) for a in accepted] == [1.0] * len(accepted)
    assert [score(item, r) for r in refused] == [0.0] * len(refused)


def test_numeric_wrong_answer_feedback_is_accepted() -> None:
    item = only("What is a number from 1 to 5? {#3:2~#Completely wrong}")
    assert [score(item, v) for v in ("1", "5", "3.5", "5.01", "0")] == [1, 1, 1, 0, 0]
    assert item.feedback("7") == ["Completely wrong"]
    assert item.feedback("4") == []


def test_a_second_fully_correct_numeric_answer_is_kept() -> None:
    item = only("Pi to two or four decimals? {#=3.14 =3.1416}")
    assert score(item, "3.14") == 1.0 and score(item, "3.1416") == 1.0
    assert score(item, "3.1415") == 0.0


def test_numeric_partial_answers_first_match_wins() -> None:
    item = only("When was Ulysses S. Grant born? {#\n=1822:0 #exact\n=%50%1822:2 #close\n}")
    assert [score(item, v) for v in ("1822", "1823", "1820", "1824", "1825")] == [
        1.0,
        0.5,
        0.5,
        0.5,
        0.0,
    ]
    assert item.feedback("1823") == ["close"]
    # Moodle checks the answers in the order written: the 50% one first catches 1822 too
    reversed_order = only("Born? {#\n=%50%1822:2\n=1822:0\n}")
    assert score(reversed_order, "1822") == 0.5


def test_a_minus_100_percent_option_cancels_the_marks_it_is_picked_with() -> None:
    item = only(
        "What's between orange and green?{\n~%50%yellow\n~%-100%red\n~%50%off-beige\n~%-100%blue\n}"
    )
    assert item.type == "multiple_choice"
    assert score(item, at(item, "yellow", "off-beige")) == 1.0
    assert score(item, at(item, "yellow")) == 0.5
    assert score(item, at(item, "yellow", "red")) == 0.0
    assert score(item, at(item, "yellow", "off-beige", "blue")) == 0.0
    assert score(item, at(item, "yellow", "off-beige", "red", "blue")) == 0.0


def test_multiple_answers_without_penalties_sum_what_is_picked() -> None:
    item = only(
        "What two people are entombed in Grant's tomb? {\n~No one\n~%50%Grant\n"
        "~%50%Grant's wife\n~Grant's father }"
    )
    assert score(item, at(item, "Grant", "Grant's wife")) == 1.0
    # a 0% option costs nothing in Moodle: picking everything still scores full marks
    assert score(item, set(range(4))) == 1.0
    assert score(item, at(item, "Grant", "No one")) == 0.5
    assert score(item, at(item, "No one")) == 0.0
    assert not item.grade(set()).counts  # nothing picked: asked again


def test_multiple_answers_with_minus_50_percent() -> None:
    item = only("Who? {\n~%-50%No one\n~%50%Grant\n~%50%Grant's wife\n~%-50%Grant's father }")
    assert score(item, at(item, "Grant", "No one")) == 0.0
    assert score(item, at(item, "Grant", "Grant's wife", "No one")) == 0.5


def test_short_answer_weights_feedback_and_wildcard_as_in_moodle() -> None:
    text = (MOODLE / "questions.gift.txt").read_text(encoding="utf-8")
    item = next(i for i in imported(text) if i.question.id == "shortanswer")
    assert [score(item, a) for a in ("Frog", "frog", "  CAT ", "Dog")] == [1.0, 1.0, 0.5, 0.0]
    assert item.feedback("cat") == ["What is it with Moodlers and cats?"]
    assert item.feedback("dog") == ["Completely wrong"]  # the 0% '*' answer catches the rest
    assert item.answer_value() == "Frog"


def test_short_answer_partial_credit_for_a_misspelling() -> None:
    item = only(
        "Jesus Christ was from {\n=Nazareth#Yes!\n=%75%Nazereth#Misspelled.\n"
        "=%25%Bethlehem#Born there.}."
    )
    assert [score(item, a) for a in ("Nazareth", "Nazereth", "Bethlehem", "Rome")] == [
        1.0,
        0.75,
        0.25,
        0.0,
    ]
    assert item.feedback("nazereth") == ["Misspelled."]


def test_short_answer_wildcards_and_a_literal_star() -> None:
    item = only("Name a penalty.{=*lasso* =a \\* b}")
    assert [score(item, a) for a in ("the lasso penalty", "Lasso", "ridge")] == [1, 1, 0]
    literal = only("Star?{=a \\\\* b}")
    assert score(literal, "a * b") == 1.0 and score(literal, "a x b") == 0.0


def test_plain_short_answers_stay_plain() -> None:
    item = only("Who's buried in Grant's tomb?{=no one =nobody}")
    assert item.question.answers == ["no one", "nobody"] and item.question.accept == []


def test_format_markers_entities_and_breaks_do_not_leak() -> None:
    items = imported(
        "::a::[html]Is 1 &lt; 2 &amp; <b>true</b>?<br/>Say so.{T}\n\n"
        "::b::Plain <i>moodle</i> text &eacute;t&eacute;\nnext line{T}\n\n"
        "::c::[plain]Keep <b>this</b> &amp; that{T}\n\n"
        "::d::Pick{\n=[html]<b>bold</b> answer #[html]good&nbsp;one\n~[plain]a <tag>\n}"
    )
    prompts = [i.question.prompt for i in items]
    assert prompts == [
        "Is 1 < 2 & true?\nSay so.",
        "Plain moodle text été\nnext line",
        "Keep <b>this</b> &amp; that",
        "Pick",
    ]
    choices = items[3].question.choices
    assert [(c.text, c.feedback) for c in choices] == [
        ("bold answer", "good one"),  # &nbsp; is a space
        ("a <tag>", None),
    ]


def test_html_text_joins_lines_and_moodle_text_keeps_them() -> None:
    html_item, moodle_item = imported("[html]one\ntwo{T}\n\n[moodle]one\ntwo{T}")
    assert html_item.question.prompt == "one two"
    assert moodle_item.question.prompt == "one\ntwo"


def test_general_feedback_is_the_explanation() -> None:
    item = only("::Q1:: 42 is the answer.{\nFALSE#Wrong.#Right.\n####A Douglas Adams joke.}")
    assert item.question.explanation == "A Douglas Adams joke."
    assert item.feedback("false") == ["Right."]


# --- what Moodle refuses, and what studyreg cannot grade the same way ------------------


@pytest.mark.parametrize(
    ("gift", "message"),
    [
        ("Q {=a}", None),  # a one-answer short answer is fine
        ("Q {~a}", "a choice question needs at least two answers"),
        ("Q {=a -> b}", "a matching question needs at least two '=... -> ...' lines"),
        ("Q {=a -> b =c}", "the matching line 'c' has no '->' between its sides"),
        ("Q {#}", "a numerical question needs at least one answer"),
        ("Q {#3:x}", "cannot read 'x' as a number (the margin after ':')"),
        ("Q {~a ~b}", "no answer earns any marks (give the right ones a %weight%)"),
        ("Q {=%0%a =%0%*}", "no answer earns any marks"),
        ("Q {=a ~a}", "choice 'a' appears twice"),
        ("Q {~%150%a ~b}", "an answer weight of 150% is outside -100%..100%"),
    ],
)
def test_refusals_name_the_line_and_the_problem(gift: str, message: str | None) -> None:
    result = parse_gift("// header\n\n" + gift)
    assert result.errors == ([] if message is None else [(3, message)])


def test_cloze_syntax_is_read_as_gift_and_said_so() -> None:
    result = parse_gift("Capital of France? {1:MULTICHOICE:=Paris~Rome}")
    (question,) = result.concepts[0]["questions"]
    # Moodle's GIFT import reads it as three choices, the first named "1:MULTICHOICE:"
    assert [c["text"] for c in question["choices"]] == ["1:MULTICHOICE:", "Paris", "Rome"]
    assert "Cloze (embedded answers) syntax, which GIFT does not have" in result.warnings[0][1]


def test_a_weight_after_equals_stays_in_the_text_as_in_moodle() -> None:
    result = parse_gift("Q {=%50%half ~wrong}")
    (question,) = result.concepts[0]["questions"]
    assert [(c["text"], c["correct"]) for c in question["choices"]] == [
        ("%50%half", True),
        ("wrong", False),
    ]
    assert "'=' already means full marks" in result.warnings[0][1]


def test_idnumber_and_tags_in_comments_become_id_and_tags() -> None:
    # Moodle's giftformat_test: "// [tag:add] [tag:basic] [id:four]" and friends
    result = parse_gift(
        "// This question is to test importing tags: [tag:tag] [tag:other-tag].\n"
        "// And an idnumber: [id:My ID].\n"
        "::Question name:: How are you? {}\n\n"
        "// [tag:  basic] Here is\n// a [id:   four   ] que[tag:add   ]stion.\n"
        "What is 2 + 2? {#4}\n"
    )
    first, second = result.concepts[0]["questions"]
    assert (first["id"], first["tags"]) == ("my-id", ["tag", "other-tag"])
    assert (second["id"], second["tags"]) == ("four", ["basic", "add"])


def test_html_pre_keeps_its_line_breaks() -> None:
    # Moodle's giftformat_test "pre content"; lines in a file are trimmed, as Moodle trims them
    item = only(
        "::Q001::[html]<p>What would running the test method print?</p>\n<pre>\n"
        "public void test() \\{\nmethod1();\nmethod2();\n\\}\n</pre>\n{}"
    )
    assert item.question.prompt == (
        "What would running the test method print?\n\npublic void test() {\nmethod1();\n"
        "method2();\n}"
    )


def test_multiple_answer_weights_that_miss_100_percent_are_noted() -> None:
    result = parse_gift("Q {~%30%a ~%30%b ~c}\n\nR {~%50%a ~%50%b ~%50%c}")
    assert result.warnings == [
        (1, "the positive weights add up to 60%, not 100% (Moodle warns of this too); "
         "full marks cannot be reached"),
        (3, "the positive weights add up to 150%, not 100% (Moodle warns of this too)"),
    ]  # fmt: skip
