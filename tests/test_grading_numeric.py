"""grade_number and format_truth: PrairieLearn's tolerance modes, imprecise answers, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyreg.grading import Tolerance, format_truth, grade_number

RELABS = Tolerance("relabs", rtol=1e-2, atol=1e-8)


# --- relabs: |s - t| <= atol + rtol * |t| --------------------------------------------


def test_relabs_accepts_an_answer_just_inside_the_relative_window() -> None:
    assert grade_number("100.99", 100, RELABS).correct
    assert grade_number("99.01", 100, RELABS).correct


def test_relabs_accepts_an_answer_on_the_window_edge() -> None:
    assert grade_number("1.5", 2.0, Tolerance(rtol=0.25, atol=0)).correct


def test_relabs_refuses_an_answer_just_outside_the_relative_window() -> None:
    verdict = grade_number("101.01", 100, Tolerance(rtol=1e-2, atol=0))
    assert verdict.status == "incorrect"
    assert verdict.score == 0.0
    assert grade_number("98.99", 100, Tolerance(rtol=1e-2, atol=0)).status == "incorrect"


def test_relabs_uses_atol_near_zero() -> None:
    tolerance = Tolerance(rtol=1e-2, atol=1e-3)
    assert grade_number("0.0009", 0.0, tolerance).correct
    assert not grade_number("0.0011", 0.0, tolerance).correct


def test_default_tolerance_is_one_percent() -> None:
    assert Tolerance() == Tolerance("relabs", rtol=1e-2, atol=1e-8, digits=2)
    assert grade_number("0.2524", 0.25).correct
    assert not grade_number("0.2526", 0.25).correct


def test_every_accepted_form_of_a_right_answer_is_correct() -> None:
    for text in ("0.25", "1/4", "25%", "2.5e-1", " .25 "):
        assert grade_number(text, 0.25).correct, text


# --- sigfig: |s - t| < 0.51 * 10**(floor(log10|t|) - digits + 1) ---------------------


def test_sigfig_accepts_just_inside_the_window() -> None:
    # t = 0.1234, 2 sig figs: window 0.51 * 10**-2 = 0.0051
    assert grade_number("0.1284", 0.1234, Tolerance("sigfig", digits=2)).correct
    assert grade_number("0.1184", 0.1234, Tolerance("sigfig", digits=2)).correct


def test_sigfig_refuses_just_outside_the_window() -> None:
    assert not grade_number("0.1286", 0.1234, Tolerance("sigfig", digits=2)).correct
    assert not grade_number("0.1182", 0.1234, Tolerance("sigfig", digits=2)).correct


def test_sigfig_window_scales_with_the_truth_magnitude() -> None:
    # t = 1234, 2 sig figs: window 0.51 * 10**2 = 51
    assert grade_number("1284", 1234, Tolerance("sigfig", digits=2)).correct
    assert not grade_number("1286", 1234, Tolerance("sigfig", digits=2)).correct


def test_sigfig_with_zero_truth_uses_the_units_place() -> None:
    # PrairieLearn: n = digits - 1 when t == 0, window 0.51 * 10**-(digits - 1)
    assert grade_number("0.05", 0.0, Tolerance("sigfig", digits=2)).correct
    assert not grade_number("0.052", 0.0, Tolerance("sigfig", digits=2)).correct


def test_sigfig_handles_a_truth_just_below_a_power_of_ten() -> None:
    # floor(log10(0.0999)) is -2, so the window is 0.51e-3 with 2 sig figs
    assert grade_number("0.1", 0.0999, Tolerance("sigfig", digits=2)).correct
    assert not grade_number("0.1005", 0.0999, Tolerance("sigfig", digits=2)).correct


# --- decdig: |s - t| < 0.51 * 10**-digits --------------------------------------------


def test_decdig_accepts_just_inside_the_window() -> None:
    assert grade_number("3.146", 3.14159, Tolerance("decdig", digits=2)).correct
    assert grade_number("3.137", 3.14159, Tolerance("decdig", digits=2)).correct


def test_decdig_refuses_just_outside_the_window() -> None:
    assert not grade_number("3.147", 3.14159, Tolerance("decdig", digits=2)).correct
    assert not grade_number("3.136", 3.14159, Tolerance("decdig", digits=2)).correct


def test_decdig_window_does_not_scale_with_the_truth() -> None:
    assert grade_number("123456.784", 123456.789, Tolerance("decdig", digits=2)).correct
    assert not grade_number("123456.77", 123456.789, Tolerance("decdig", digits=2)).correct


def test_the_truth_itself_is_correct_even_below_float_resolution() -> None:
    # 0.51e-15 is far below the float spacing at 1e10: the window is empty in floats
    assert grade_number("10000000000.5", 1e10 + 0.5, Tolerance("decdig", digits=15)).correct


# --- exact and integer ------------------------------------------------------------


def test_exact_mode_needs_the_same_float() -> None:
    assert grade_number("1/3", 1 / 3, Tolerance("exact")).correct
    assert grade_number("0.1", 0.1, Tolerance("exact")).correct
    assert not grade_number("0.333", 1 / 3, Tolerance("exact")).correct


def test_integer_accepts_a_whole_number_written_as_a_float() -> None:
    assert grade_number("3.0", 3, integer=True).correct
    assert grade_number("3", 3.0, integer=True).correct
    assert grade_number("1,000", 1000, integer=True).correct


def test_integer_refuses_a_fraction_with_a_message() -> None:
    verdict = grade_number("3.5", 3, integer=True)
    assert verdict.status == "incorrect"
    assert verdict.message == "Not quite: the answer is a whole number, and '3.5' is not."


def test_integer_ignores_the_tolerance() -> None:
    assert not grade_number("101", 100, Tolerance(rtol=0.5), integer=True).correct


def test_integer_compares_with_the_nearest_whole_number_to_the_truth() -> None:
    assert grade_number("42", 41.99999999, integer=True).correct


def test_a_wrong_count_is_off_by_units_not_percent() -> None:
    assert grade_number("40", 65, integer=True).message == "Not quite: '40' is 25 too low."
    assert grade_number("1200", 65, integer=True).message == "Not quite: '1200' is 1,135 too high."
    assert grade_number("-65", 65, integer=True).message == "Not quite: '-65' has the wrong sign."


def test_integer_answers_are_never_imprecise() -> None:
    assert grade_number("40", 42, integer=True).status == "incorrect"


# --- invalid and imprecise ---------------------------------------------------------


def test_unreadable_text_is_invalid_and_does_not_count() -> None:
    verdict = grade_number("abc", 0.25)
    assert verdict.status == "invalid"
    assert verdict.score == 0.0
    assert not verdict.counts
    assert verdict.message.startswith("I can't read 'abc' as a number")


def test_a_truth_that_is_not_finite_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="finite"):
        grade_number("1", float("nan"))


def test_a_right_answer_with_too_few_digits_is_imprecise() -> None:
    verdict = grade_number("0.12", 0.1234, Tolerance(rtol=1e-3))
    assert verdict.status == "imprecise"
    assert verdict.score == 0.0
    assert not verdict.counts
    assert "give more digits" in verdict.message
    assert "0.1%" in verdict.message


def test_the_same_answer_with_enough_digits_is_correct() -> None:
    assert grade_number("0.1234", 0.1234, Tolerance(rtol=1e-3)).correct


def test_a_rounded_percentage_is_imprecise() -> None:
    assert grade_number("12%", 0.1234, Tolerance(rtol=1e-3)).status == "imprecise"


def test_scientific_notation_sets_the_typed_precision() -> None:
    assert grade_number("1.2e3", 1234, Tolerance(rtol=1e-3)).status == "imprecise"
    assert grade_number("1.3e3", 1234, Tolerance(rtol=1e-3)).status == "incorrect"


def test_a_wrong_last_digit_is_incorrect_not_imprecise() -> None:
    assert grade_number("0.13", 0.1234, Tolerance(rtol=1e-3)).status == "incorrect"


def test_trailing_zeros_of_an_integer_count_as_typed_digits() -> None:
    assert grade_number("1200", 1234, Tolerance(rtol=1e-3)).status == "incorrect"


def test_zero_and_wrong_signs_are_never_imprecise() -> None:
    assert grade_number("0", 0.3).status == "incorrect"
    assert grade_number("-0.12", 0.1234, Tolerance(rtol=1e-3)).status == "incorrect"


def test_fractions_are_never_imprecise() -> None:
    assert grade_number("1/8", 0.1234, Tolerance(rtol=1e-3)).status == "incorrect"


def test_imprecise_in_sigfig_asks_for_the_significant_figures() -> None:
    verdict = grade_number("0.12", 0.1234, Tolerance("sigfig", digits=3))
    assert verdict.status == "imprecise"
    assert "3 significant figures" in verdict.message


def test_imprecise_in_decdig_asks_for_the_decimal_places() -> None:
    verdict = grade_number("0.12", 0.1234, Tolerance("decdig", digits=3))
    assert verdict.status == "imprecise"
    assert "3 decimal places" in verdict.message


# --- incorrect messages --------------------------------------------------------------


def test_incorrect_says_how_far_off_in_percent() -> None:
    assert grade_number("0.31", 0.25).message == "Not quite: '0.31' is off by 24%."


def test_incorrect_notices_a_factor_of_100() -> None:
    message = grade_number("25", 0.25).message
    assert message == "Not quite: '25' is too large by a factor of 100 (percent versus fraction?)."


def test_incorrect_notices_a_factor_of_1000_too_small() -> None:
    message = grade_number("0.0025", 2.5).message
    assert "too small by a factor of 1,000" in message


def test_incorrect_notices_a_wrong_sign() -> None:
    assert grade_number("-0.25", 0.25).message == "Not quite: '-0.25' has the wrong sign."


def test_incorrect_against_zero_truth_names_the_tolerance() -> None:
    assert grade_number("1", 0.0).message == "Not quite: '1' is not within ±1e-08 of the answer."


# --- Tolerance validation ---------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"mode": "percent"},
        {"rtol": -0.1},
        {"atol": float("nan")},
        {"mode": "sigfig", "digits": 0},
        {"mode": "decdig", "digits": 18},
        {"digits": 2.5},
    ],
)
def test_a_bad_tolerance_is_a_value_error(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        Tolerance(**kwargs)


# --- format_truth ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("truth", "tolerance", "integer", "text"),
    [
        (42.0, RELABS, False, "42"),
        (0.1234567, RELABS, False, "0.1235"),
        (0.1234567, Tolerance(rtol=1e-6), False, "0.1234567"),
        (0.1234567, Tolerance(rtol=1e-5), False, "0.123457"),
        (1234.5678, Tolerance("sigfig", digits=2), False, "1200"),
        (0.1, Tolerance("sigfig", digits=2), False, "0.10"),
        (0.0999, Tolerance("sigfig", digits=2), False, "0.10"),
        (3.14159, Tolerance("decdig", digits=2), False, "3.14"),
        (-0.001, Tolerance("decdig", digits=2), False, "0.00"),
        (1 / 3, Tolerance("exact"), False, "0.3333333333333333"),
        (1e-7, RELABS, False, "1e-7"),
        (1.5e20, RELABS, False, "1.5e+20"),
        (41.6, RELABS, True, "42"),
        (1e300, Tolerance("decdig", digits=2), False, "1e+300"),
    ],
)
def test_format_truth_prints_the_digits_the_tolerance_asks_for(
    truth: float, tolerance: Tolerance, integer: bool, text: str
) -> None:
    assert format_truth(truth, tolerance, integer=integer) == text


TOLERANCES = st.one_of(
    st.builds(
        Tolerance,
        mode=st.just("relabs"),
        rtol=st.sampled_from([0.0, 1e-9, 1e-6, 1e-3, 1e-2, 0.1, 0.5]),
        atol=st.sampled_from([0.0, 1e-12, 1e-8, 1e-3, 1.0]),
    ),
    st.builds(Tolerance, mode=st.just("sigfig"), digits=st.integers(1, 17)),
    st.builds(Tolerance, mode=st.just("decdig"), digits=st.integers(0, 17)),
    st.just(Tolerance("exact")),
)
TRUTHS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.integers(-(10**12), 10**12).map(float),
)


@settings(max_examples=3000)
@given(TRUTHS, TOLERANCES)
def test_format_truth_reads_back_as_correct(truth: float, tolerance: Tolerance) -> None:
    text = format_truth(truth, tolerance)
    assert grade_number(text, truth, tolerance).correct, text


@settings(max_examples=500)
@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False))
def test_format_truth_of_an_integer_question_reads_back_as_correct(truth: float) -> None:
    text = format_truth(truth, integer=True)
    assert grade_number(text, truth, integer=True).correct, text


@settings(max_examples=1000)
@given(st.text(max_size=40), TRUTHS, TOLERANCES)
def test_grade_number_never_raises_for_any_typed_text(
    text: str, truth: float, tolerance: Tolerance
) -> None:
    verdict = grade_number(text, truth, tolerance)
    assert verdict.status in ("correct", "incorrect", "invalid", "imprecise")


def test_one_digit_guess_is_not_treated_as_rounding() -> None:
    from studyreg.grading import Tolerance, grade_number

    assert grade_number("0.3", 0.25).status == "incorrect"
    assert grade_number("3", 3.2, Tolerance(rtol=1e-3)).status == "incorrect"


def test_half_way_rounding_is_ambiguous_so_graded_as_typed() -> None:
    from studyreg.grading import Tolerance, grade_number

    assert grade_number("0.13", 0.125, Tolerance(rtol=1e-3)).status == "incorrect"
    assert grade_number("0.12", 0.1234, Tolerance(rtol=1e-3)).status == "imprecise"


def _prairielearn_sf(submitted: float, truth: float, digits: int) -> bool:
    """PrairieLearn's is_correct_scalar_sf (python-helpers), restated with NumPy."""
    import numpy as np

    n = digits - 1 if truth == 0 else -int(np.floor(np.log10(np.abs(truth)))) + (digits - 1)
    eps = 0.51 * (10.0**-n)
    return bool(truth - eps < submitted < truth + eps)


SIGFIG_TABLE = [
    # (submitted, truth, digits): exact powers of ten first, the cases that were 10x too strict
    (1.04e-6, 1e-6, 2), (1.0e-6, 1e-6, 2), (1.06e-6, 1e-6, 2), (9.96e-7, 1e-6, 2),
    (1.04e-7, 1e-7, 2), (1.04e23, 1e23, 2), (1.06e23, 1e23, 2), (1040, 1000, 2),
    (0.104, 0.1, 2), (1.004e-3, 1e-3, 3), (1.2, 1.23, 2), (1.3, 1.23, 2),
    (0.00123, 0.001234, 3), (0.00124, 0.001234, 3), (-2.5e-5, -2.46e-5, 2),
    (-2.4e-5, -2.46e-5, 2), (0.0, 0.0, 2), (0.004, 0.0, 2), (99.5, 99.54, 3),
    (3.14, 3.14159, 3), (3.15, 3.14159, 3), (6.02e23, 6.022e23, 3), (12345, 12344.6, 5),
]  # fmt: skip


@pytest.mark.parametrize(("submitted", "truth", "digits"), SIGFIG_TABLE)
def test_sigfig_grading_agrees_with_prairielearn(submitted, truth, digits) -> None:
    tolerance = Tolerance(mode="sigfig", digits=digits)
    assert tolerance.accepts(submitted, truth) == _prairielearn_sf(submitted, truth, digits)


def test_an_answer_written_as_shown_is_accepted_at_an_exact_power_of_ten() -> None:
    tolerance = Tolerance(mode="sigfig", digits=2)
    assert tolerance.accepts(1.04e-6, 1e-6) and tolerance.accepts(1.04e23, 1e23)
    assert not tolerance.accepts(1.06e-6, 1e-6)
