"""Verdict, short answers, orderings, matchings and self-graded free responses."""

from __future__ import annotations

import dataclasses

import pytest

from studyreg.grading import (
    Verdict,
    grade_free_response,
    grade_matching,
    grade_ordering,
    grade_short_answer,
)

# --- Verdict --------------------------------------------------------------------------


def test_verdict_correct_and_counts() -> None:
    assert Verdict("correct", 1.0, "Correct.").correct
    assert Verdict("partial", 0.5, "").counts
    assert not Verdict("partial", 0.5, "").correct
    assert not Verdict("invalid", 0.0, "").counts
    assert not Verdict("imprecise", 0.0, "").counts
    assert Verdict("incorrect", 0.0, "").counts


def test_verdict_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Verdict("correct", 1.0, "Correct.").score = 0.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("status", "score"), [("correct", 1.5), ("partial", -0.1), ("invalid", 0.5), ("maybe", 0.0)]
)
def test_verdict_refuses_bad_fields(status: str, score: float) -> None:
    with pytest.raises(ValueError):
        Verdict(status, score, "")  # type: ignore[arg-type]


# --- short answer -----------------------------------------------------------------------


def test_short_answer_ignores_case_and_outer_and_extra_spaces() -> None:
    assert grade_short_answer("  Mean   Squared  Error ", ["mean squared error"]).correct


def test_short_answer_accepts_any_listed_spelling() -> None:
    assert grade_short_answer("MSE", ["mean squared error", "mse"]).correct


def test_short_answer_normalizes_unicode_compatibility_forms() -> None:
    assert grade_short_answer("ﬁt", ["fit"]).correct  # U+FB01 ligature
    assert grade_short_answer("Ｌ１", ["l1"]).correct  # full-width letters


def test_short_answer_casefolds_beyond_lowercase() -> None:
    assert grade_short_answer("STRASSE", ["straße"]).correct


def test_short_answer_reads_a_hyphen_between_letters_as_a_space() -> None:
    assert grade_short_answer("under fitting", ["under-fitting"]).correct
    assert grade_short_answer("k-fold cross validation", ["k-fold cross-validation"]).correct
    assert grade_short_answer("Adam ‐ W", ["adam w"]).correct  # U+2010 hyphen, spaced
    assert not grade_short_answer("underfitting", ["under-fitting"]).correct  # no joining
    assert not grade_short_answer("1", ["-1"]).correct  # a minus sign is not a hyphen
    # exact spacing keeps the hyphen as typed
    assert not grade_short_answer("x y", ["x-y"], exact_spacing=True).correct


def test_short_answer_case_sensitive_says_check_the_capitals() -> None:
    verdict = grade_short_answer("numpy", ["NumPy"], case_sensitive=True)
    assert verdict.status == "incorrect"
    assert verdict.message == "Not quite: 'numpy' is close; check the capitals."
    assert grade_short_answer("NumPy", ["NumPy"], case_sensitive=True).correct


def test_short_answer_exact_spacing_says_check_the_spacing() -> None:
    verdict = grade_short_answer("x  + 1", ["x + 1"], exact_spacing=True)
    assert verdict.message == "Not quite: 'x  + 1' is close; check the spacing."
    assert grade_short_answer(" x + 1 ", ["x + 1"], exact_spacing=True).correct


def test_short_answer_wrong_answer_is_incorrect() -> None:
    verdict = grade_short_answer("ridge", ["lasso"])
    assert (verdict.status, verdict.score) == ("incorrect", 0.0)
    assert verdict.message == "Not quite: 'ridge' is not an accepted answer."


def test_short_answer_blank_is_invalid() -> None:
    verdict = grade_short_answer(" \t ", ["lasso"])
    assert verdict.status == "invalid"
    assert not verdict.counts


def test_short_answer_needs_accepted_answers() -> None:
    with pytest.raises(ValueError):
        grade_short_answer("x", [])
    with pytest.raises(ValueError):
        grade_short_answer("x", "x")


# --- ordering ---------------------------------------------------------------------------


def test_ordering_right_order_is_correct() -> None:
    assert grade_ordering([0, 1, 2], [0, 1, 2]).correct


def test_ordering_without_partial_is_all_or_nothing() -> None:
    verdict = grade_ordering([0, 2, 1], [0, 1, 2])
    assert (verdict.status, verdict.score) == ("incorrect", 0.0)
    assert verdict.message == "Not quite: 1 of 3 items is in the right place."


def test_ordering_partial_scores_the_fraction_of_right_positions() -> None:
    verdict = grade_ordering([0, 1, 3, 2], [0, 1, 2, 3], partial=True)
    assert (verdict.status, verdict.score) == ("partial", 0.5)
    assert verdict.message == "Partly right: 2 of 4 items are in the right place."


def test_ordering_partial_with_no_right_position_is_incorrect() -> None:
    verdict = grade_ordering([1, 2, 0], [0, 1, 2], partial=True)
    assert (verdict.status, verdict.score) == ("incorrect", 0.0)


def test_ordering_must_rearrange_the_items() -> None:
    with pytest.raises(ValueError, match="rearrangement"):
        grade_ordering([0, 0, 1], [0, 1, 2])


# --- matching ---------------------------------------------------------------------------


def test_matching_all_pairs_right_is_correct() -> None:
    assert grade_matching({0: 2, 1: 0, 2: 1}, {0: 2, 1: 0, 2: 1}).correct


def test_matching_scores_each_right_pair() -> None:
    verdict = grade_matching({0: 0, 1: 2, 2: 1}, {0: 0, 1: 1, 2: 2})
    assert (verdict.status, verdict.score) == ("partial", pytest.approx(1 / 3))
    assert verdict.message == "Partly right: 1 of 3 pairs is right; rows 2 and 3 are wrong."


def test_matching_missing_pairs_count_as_wrong() -> None:
    verdict = grade_matching({0: 0, 1: 1}, {0: 0, 1: 1, 2: 2, 3: 3})
    assert verdict.score == 0.5
    assert verdict.message == "Partly right: 2 of 4 pairs are right; 2 were left unmatched."


def test_matching_with_no_right_pair_is_incorrect() -> None:
    verdict = grade_matching({0: 1, 1: 0}, {0: 0, 1: 1})
    assert (verdict.status, verdict.score) == ("incorrect", 0.0)
    assert verdict.message == "Not quite: 0 of 2 pairs are right; rows 1 and 2 are wrong."


def test_matching_names_the_one_wrong_row() -> None:
    verdict = grade_matching({0: 0, 1: 3, 2: 2}, {0: 0, 1: 1, 2: 2})
    assert verdict.message == "Partly right: 2 of 3 pairs are right; row 2 is wrong."


def test_matching_unknown_left_item_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not among"):
        grade_matching({7: 0}, {0: 0})


# --- free response --------------------------------------------------------------------


def test_free_response_all_points_and_good_rating_is_correct() -> None:
    verdict = grade_free_response({0, 1, 2}, 3, 3)
    assert (verdict.status, verdict.score) == ("correct", 1.0)
    assert verdict.message == "You covered 3 of 3 key points; you rated it Good."


def test_free_response_some_points_is_partial_with_the_covered_fraction() -> None:
    verdict = grade_free_response([0, 2], 4, 4)
    assert (verdict.status, verdict.score) == ("partial", 0.5)


def test_free_response_all_points_but_hard_rating_is_partial() -> None:
    verdict = grade_free_response({0, 1}, 2, 2)
    assert (verdict.status, verdict.score) == ("partial", 1.0)


def test_free_response_no_points_is_incorrect() -> None:
    verdict = grade_free_response(set(), 3, 4)
    assert (verdict.status, verdict.score) == ("incorrect", 0.0)


def test_free_response_again_rating_is_incorrect_with_score_zero() -> None:
    verdict = grade_free_response({0, 1, 2}, 3, 1)
    assert (verdict.status, verdict.score) == ("incorrect", 0.0)
    assert "Again" in verdict.message


def test_free_response_without_key_points_follows_the_rating() -> None:
    assert grade_free_response(set(), 0, 3).correct
    assert grade_free_response(set(), 0, 2).status == "partial"
    assert grade_free_response(set(), 0, 1).status == "incorrect"


@pytest.mark.parametrize("rating", [0, 5, True, 2.5])
def test_free_response_rating_outside_1_to_4_is_a_value_error(rating: object) -> None:
    with pytest.raises(ValueError, match="self_rating"):
        grade_free_response({0}, 2, rating)  # type: ignore[arg-type]


def test_free_response_key_point_out_of_range_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"key points \[3\] are out of range 0\.\.2"):
        grade_free_response({0, 3}, 3, 3)


def test_free_response_negative_key_point_count_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="n_key_points"):
        grade_free_response(set(), -1, 3)
