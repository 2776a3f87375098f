"""Single choice, multiple choice, true/false and typed index lists."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyreg.grading import (
    AnswerParseError,
    grade_multiple_choice,
    grade_single_choice,
    grade_true_false,
    parse_index_list,
    parse_true_false,
)

# --- single choice -------------------------------------------------------------------


def test_single_choice_right_pick_is_correct() -> None:
    verdict = grade_single_choice(2, 2)
    assert (verdict.status, verdict.score, verdict.message) == ("correct", 1.0, "Correct.")


def test_single_choice_wrong_pick_names_the_letter() -> None:
    verdict = grade_single_choice(1, 2)
    assert (verdict.status, verdict.score) == ("incorrect", 0.0)
    assert verdict.message == "Not quite: B is not the right choice."


def test_single_choice_accepts_keyword_arguments() -> None:
    assert grade_single_choice(selected=0, correct=0).correct


# --- multiple choice -------------------------------------------------------------------


def test_multiple_choice_exact_set_is_correct() -> None:
    assert grade_multiple_choice({0, 2}, {2, 0}, 4).correct


def test_multiple_choice_off_is_all_or_nothing() -> None:
    verdict = grade_multiple_choice({0, 1, 2}, {0, 1, 3}, 4)
    assert (verdict.status, verdict.score) == ("incorrect", 0.0)
    assert (
        verdict.message
        == "Not quite: you found 2 of the 3 right choices; you also picked C, which is wrong."
    )


def test_multiple_choice_net_scores_right_minus_wrong_over_right() -> None:
    verdict = grade_multiple_choice({0, 1, 2}, {0, 1, 3}, 4, partial="net")
    assert verdict.status == "partial"
    assert verdict.score == pytest.approx(1 / 3)
    assert (
        verdict.message
        == "Partly right (33%): you found 2 of the 3 right choices; you also picked C, which is wrong."
    )


def test_multiple_choice_net_without_wrong_picks() -> None:
    verdict = grade_multiple_choice({0, 1}, {0, 1, 3}, 4, partial="net")
    assert (verdict.status, verdict.score) == ("partial", pytest.approx(2 / 3))


def test_multiple_choice_net_never_goes_below_zero() -> None:
    verdict = grade_multiple_choice({0, 1, 2}, {0}, 4, partial="net")
    assert (verdict.status, verdict.score) == ("incorrect", 0.0)
    assert "you also picked B and C, which are wrong" in verdict.message


def test_multiple_choice_net_with_equal_right_and_wrong_is_incorrect() -> None:
    verdict = grade_multiple_choice({0, 2}, {0, 1}, 3, partial="net")
    assert (verdict.status, verdict.score) == ("incorrect", 0.0)


def test_multiple_choice_empty_selection_is_invalid() -> None:
    verdict = grade_multiple_choice(set(), {1}, 3)
    assert verdict.status == "invalid"
    assert not verdict.counts


def test_multiple_choice_empty_selection_is_correct_when_nothing_is_right() -> None:
    assert grade_multiple_choice(set(), set(), 3).correct


def test_multiple_choice_index_out_of_range_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="out of range"):
        grade_multiple_choice({5}, {0}, 3)


def test_multiple_choice_unknown_partial_mode_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="partial"):
        grade_multiple_choice({0}, {0}, 3, partial="each")  # type: ignore[arg-type]


# --- true / false ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["true", "True", "TRUE", " t ", "T", "yes", "Y", "1", "right", "correct", "True."]
)
def test_parse_true_false_reads_true(text: str) -> None:
    assert parse_true_false(text) is True


@pytest.mark.parametrize(
    "text", ["false", "False", "f", "no", "N", "0", "wrong", "incorrect", " no! "]
)
def test_parse_true_false_reads_false(text: str) -> None:
    assert parse_true_false(text) is False


@pytest.mark.parametrize("text", ["maybe", "tru", "yesno", "2", "", "  "])
def test_parse_true_false_refuses_anything_else(text: str) -> None:
    with pytest.raises(AnswerParseError, match="true or false"):
        parse_true_false(text)


def test_grade_true_false_accepts_a_bool() -> None:
    assert grade_true_false(False, False).correct


def test_grade_true_false_reads_text() -> None:
    assert grade_true_false("yes", True).correct


def test_grade_true_false_wrong_answer_says_the_truth() -> None:
    verdict = grade_true_false("no", True)
    assert (verdict.status, verdict.message) == ("incorrect", "Not quite: the statement is true.")


def test_grade_true_false_unreadable_text_is_invalid() -> None:
    verdict = grade_true_false("perhaps", True)
    assert verdict.status == "invalid"
    assert "'perhaps'" in verdict.message


# --- index lists ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "indices"),
    [
        ("1,3", [0, 2]),
        ("1 3", [0, 2]),
        ("1, 3", [0, 2]),
        ("1;3", [0, 2]),
        ("a,c", [0, 2]),
        ("A C", [0, 2]),
        ("c a", [2, 0]),
        ("1-3", [0, 1, 2]),
        ("b-d", [1, 2, 3]),
        ("B–D", [1, 2, 3]),
        ("1 - 2", [0, 1]),
        ("a) c)", [0, 2]),
        ("2 2", [1, 1]),
        ("4", [3]),
    ],
)
def test_parse_index_list_reads_numbers_letters_and_ranges(text: str, indices: list[int]) -> None:
    assert parse_index_list(text, 4) == indices


def test_parse_index_list_zero_based() -> None:
    assert parse_index_list("0 3", 4, one_based=False) == [0, 3]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("5", "'5' is out of range: use numbers 1–4 or letters A–D."),
        ("0", "'0' is out of range: use numbers 1–4 or letters A–D."),
        ("e", "'e' is out of range: use numbers 1–4 or letters A–D."),
        ("1,x2", "I can't read 'x2' as a choice: use numbers 1–4 or letters A–D."),
        ("3-1", "The range '3-1' runs backwards; write it low to high."),
        ("a-3", "In 'a-3', use numbers or letters on both sides of the range."),
        ("", "The answer is empty: type numbers 1–4 or letters A–D, e.g. '1,2'."),
        (" , ", "The answer is empty: type numbers 1–4 or letters A–D, e.g. '1,2'."),
    ],
)
def test_parse_index_list_names_the_bad_token_and_the_valid_range(text: str, message: str) -> None:
    with pytest.raises(AnswerParseError) as caught:
        parse_index_list(text, 4)
    assert str(caught.value) == message


def test_parse_index_list_refuses_letters_beyond_26_choices() -> None:
    with pytest.raises(AnswerParseError, match="use numbers, numbers 1–30"):
        parse_index_list("a", 30)


def test_parse_index_list_zero_based_range_is_named() -> None:
    with pytest.raises(AnswerParseError, match="numbers 0–3"):
        parse_index_list("4", 4, one_based=False)


@settings(max_examples=1000)
@given(st.text(max_size=40), st.integers(1, 40))
def test_parse_index_list_gives_valid_indices_or_an_answer_parse_error(text: str, n: int) -> None:
    try:
        indices = parse_index_list(text, n)
    except AnswerParseError:
        return
    assert indices and all(0 <= i < n for i in indices)
