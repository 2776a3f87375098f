"""The Moodle-style graders GIFT import relies on, and the model fields that carry the weights."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from studyreg.content import models
from studyreg.grading.choice import grade_choice_credit, grade_choices_by_credit
from studyreg.grading.numeric import grade_number_answers, match_number_answer
from studyreg.grading.weighted_text import grade_text_answers, matches_pattern

QUESTION: TypeAdapter = TypeAdapter(models.Question)


# --- choices ------------------------------------------------------------------------


def test_single_choice_credit_is_the_picked_choice_s_credit() -> None:
    credits = [0.0, 0.25, 1.0, -1.0]
    verdicts = [grade_choice_credit(i, credits) for i in range(4)]
    assert [(v.status, v.score) for v in verdicts] == [
        ("incorrect", 0.0),
        ("partial", 0.25),
        ("correct", 1.0),
        ("incorrect", 0.0),  # a negative credit scores 0, never below
    ]
    assert verdicts[1].message == "Partly right (25%): B is not the best choice."


def test_choices_by_credit_sum_and_clip() -> None:
    credits = [0.5, -1.0, 0.5, 0.0]
    cases = {(0, 2): 1.0, (0,): 0.5, (0, 1): 0.0, (0, 1, 2): 0.0, (0, 2, 3): 1.0, (3,): 0.0}
    assert {k: grade_choices_by_credit(set(k), credits).score for k in cases} == cases
    assert grade_choices_by_credit({0}, credits).message == (
        "Partly right (50%): 1 choice that earns marks was not picked."
    )
    assert grade_choices_by_credit({0, 1}, credits).message == (
        "Not quite: B costs marks; 1 choice that earns marks was not picked."
    )
    assert grade_choices_by_credit(set(), credits).status == "invalid"


def test_credit_graders_refuse_bad_input() -> None:
    with pytest.raises(ValueError, match="out of range"):
        grade_choice_credit(4, [1, 0])
    with pytest.raises(ValueError, match="in -1..1"):
        grade_choices_by_credit({0}, [1.5, 0])


# --- numbers --------------------------------------------------------------------------


def test_number_answers_first_match_wins_and_ends_are_inside() -> None:
    answers = [(1822.0, 0.0, 1.0), (1822.0, 2.0, 0.5), (None, 0.0, 0.0)]
    assert [match_number_answer(v, [(a, m) for a, m, _ in answers]) for v in (1822, 1824, 9)] == [
        0,
        1,
        2,
    ]
    verdict, index = grade_number_answers("1820", answers)
    assert (verdict.status, verdict.score, index) == ("partial", 0.5, 1)
    assert grade_number_answers("1,822", answers)[0].correct


def test_floating_point_ends_are_inside_as_in_moodle() -> None:
    # (3.141 + 3.142) / 2 and 3.142 - that midpoint are not exact in binary
    mid = (3.141 + 3.142) / 2
    margin = 3.142 - mid
    assert match_number_answer(3.142, [(mid, margin)]) == 0
    assert match_number_answer(3.141, [(mid, margin)]) == 0
    assert match_number_answer(3.1421, [(mid, margin)]) is None
    # 0.01 - 0.001 is above 0.009 in binary: only Moodle's allowance keeps the end inside
    assert 0.01 - 0.001 > 0.009
    assert match_number_answer(0.009, [(0.01, 0.001)]) == 0
    assert match_number_answer(0.0089, [(0.01, 0.001)]) is None
    assert match_number_answer(0.0, [(0.0, 0.0)]) == 0
    assert match_number_answer(1e-13, [(0.0, 0.0)]) is None


def test_unreadable_numbers_are_asked_again() -> None:
    verdict, index = grade_number_answers("three", [(3.0, 0.0, 1.0)])
    assert verdict.status == "invalid" and index is None


# --- text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pattern", "expected"),
    [
        ("The  Lasso", "the lasso", True),
        ("lasso regression", "lasso*", True),
        ("lasso", "*lasso*", True),
        ("a * b", r"a \* b", True),
        ("a x b", r"a \* b", False),
        ("a.b", "a.b", True),
        ("axb", "a.b", False),  # no regular expressions leak through
        ("Lasso", "lasso", True),
    ],
)
def test_patterns(text: str, pattern: str, expected: bool) -> None:
    assert matches_pattern(text, pattern) is expected


def test_case_sensitive_patterns() -> None:
    assert not matches_pattern("Lasso", "lasso", case_sensitive=True)


def test_text_answers_first_match() -> None:
    answers = [("Frog", 1.0), ("Cat", 0.5), ("*", 0.0)]
    assert [grade_text_answers(t, answers)[0].score for t in ("frog", "cat", "dog")] == [1, 0.5, 0]
    assert grade_text_answers("dog", answers)[1] == 2
    assert grade_text_answers("  ", answers)[0].status == "invalid"


# --- model fields ---------------------------------------------------------------------


def choice_question(kind: str, choices: list[dict], **extra) -> dict:
    return {"id": "q", "prompt": "P", "type": kind, "choices": choices, **extra}


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (
            choice_question(
                "single_choice",
                [{"text": "a", "correct": True, "credit": 0.5}, {"text": "b"}],
            ),
            "correct choice 'a' must have credit 1",
        ),
        (
            choice_question(
                "single_choice",
                [{"text": "a", "correct": True}, {"text": "b", "credit": 1}],
            ),
            "choice 'b' has credit 1 but is not correct",
        ),
        (
            choice_question(
                "multiple_choice",
                [{"text": "a", "correct": True, "credit": 0.5}, {"text": "b"}],
            ),
            "choice credit is used only with partial_credit: credit",
        ),
        (
            choice_question(
                "multiple_choice",
                [{"text": "a", "correct": True}, {"text": "b"}],
                partial_credit="credit",
            ),
            "correct choice 'a' needs a credit above 0",
        ),
        (
            choice_question(
                "multiple_choice",
                [{"text": "a", "correct": True, "credit": 1}, {"text": "b", "credit": 0.5}],
                partial_credit="credit",
            ),
            "choice 'b': correct exactly when its credit is above 0",
        ),
        (
            {"id": "q", "prompt": "P", "type": "numeric", "answer": 1, "accept": [{"margin": 1}]},
            "a margin needs a value",
        ),
    ],
)
def test_inconsistent_credits_are_refused(data: dict, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        QUESTION.validate_python(data)


def test_single_choice_with_credits_may_have_two_full_answers() -> None:
    question = QUESTION.validate_python(
        choice_question(
            "single_choice",
            [
                {"text": "a", "correct": True, "credit": 1},
                {"text": "b", "correct": True},
                {"text": "c", "credit": -0.5},
            ],
        )
    )
    assert [c.credit for c in question.choices] == [1, None, -0.5]
