"""parse_number: what people type is read exactly; anything else is a NumberParseError."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyreg.errors import StudyregError
from studyreg.grading import AnswerParseError, NumberParseError, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.25", 0.25),
        ("1/4", 0.25),
        ("25%", 0.25),
        ("2.5e-1", 0.25),
        ("2.5E-1", 0.25),
        ("-3", -3.0),
        ("\u22123", -3.0),
        ("+7", 7.0),
        ("1,000", 1000.0),
        ("1,000,000.5", 1000000.5),
        ("-1,000", -1000.0),
        ("  0.5 \t", 0.5),
        ("\t0.5\n", 0.5),
        (".5", 0.5),
        ("5.", 5.0),
        ("-1/4", -0.25),
        ("3/-4", -0.75),
        ("\u22121/4", -0.25),
        ("1 / 4", 0.25),
        ("1.5/3", 0.5),
        ("25 %", 0.25),
        ("-12.5%", -0.125),
        ("1e3", 1000.0),
        ("1e+3", 1000.0),
        ("0", 0.0),
        ("007", 7.0),
        ("1 000", 1000.0),
        ("1 000 000", 1000000.0),
        ("1\u202f000", 1000.0),
        ("12,345.678", 12345.678),
    ],
)
def test_accepted_forms_are_read_to_their_value(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_a_percentage_is_exact_not_float_divided() -> None:
    assert parse_number("0.7%") == 0.007  # 0.7 / 100 in floats is 0.006999...


def test_a_fraction_is_rounded_once_to_the_nearest_float() -> None:
    assert parse_number("1/3") == 1 / 3
    assert parse_number("2/3") == 2 / 3


def test_a_long_exact_decimal_is_correctly_rounded() -> None:
    assert parse_number("0.1000000000000000055511151231257827") == 0.1


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("\t", "empty"),
        ("abc", "type a number"),
        ("one", "type a number"),
        ("1/0", "division by zero"),
        ("0/0", "division by zero"),
        ("nan", "only finite numbers"),
        ("NaN", "only finite numbers"),
        ("inf", "only finite numbers"),
        ("-inf", "only finite numbers"),
        ("infinity", "only finite numbers"),
        ("Infinity", "only finite numbers"),
        ("1e999", "too large"),
        ("-1e400", "too large"),
        ("1e-400", "too close to zero"),
        ("1e5000", "out of range"),
        ("1/1e-400", "too large"),
        ("1e-200/1e200", "too close to zero"),
        ("1e300/1e-300", "too large"),
        ("1\x002", "control character"),
        ("1\x1b[0m", "control character"),
        ("1\u200b", "control character"),
        ("1" * 101, "too long"),
        ("0x10", "only decimal numbers"),
        ("0b101", "only decimal numbers"),
        ("1_000", "underscores"),
        ("1%%", "at most one '%'"),
        ("1/2/3", "at most one '/'"),
        ("1/4%", "not both"),
        ("1,5", "decimals use a point"),
        ("1,50", "decimals use a point"),
        ("1,0000", "in threes"),
        ("0.000,1", "decimals use a point"),
        ("1,000 000", "not both"),
        ("1  000", "type a number"),
        (".", "type a number"),
        ("e5", "type a number"),
        ("1e", "type a number"),
        ("--3", "type a number"),
        ("+-3", "type a number"),
        ("%", "type a number"),
        ("/4", "type a number"),
        ("1/", "type a number"),
        ("1 2", "type a number"),
        ("\u0663", "type a number"),
        ("\uff11", "type a number"),
        ("1,,000", "in threes"),
        ("3 apples", "type a number"),
    ],
)
def test_refused_forms_raise_a_number_parse_error_with_a_hint(text: str, hint: str) -> None:
    with pytest.raises(NumberParseError) as caught:
        parse_number(text)
    assert hint in str(caught.value)


def test_the_message_quotes_what_was_typed() -> None:
    with pytest.raises(NumberParseError, match="I can't read 'abc' as a number"):
        parse_number("  abc ")


def test_the_message_gives_accepted_examples() -> None:
    with pytest.raises(NumberParseError, match=r"0\.25, 1/4, 25%"):
        parse_number("abc")


def test_the_message_truncates_long_input() -> None:
    with pytest.raises(NumberParseError) as caught:
        parse_number("x" * 90)
    assert "x" * 29 + "…" in str(caught.value)
    assert "x" * 31 not in str(caught.value)


def test_the_message_escapes_control_characters() -> None:
    with pytest.raises(NumberParseError) as caught:
        parse_number("1\x1b2")
    assert "\x1b" not in str(caught.value)
    assert "\\x1b" in str(caught.value)


def test_a_number_parse_error_is_an_answer_parse_error_and_a_domain_error() -> None:
    assert issubclass(NumberParseError, AnswerParseError)
    assert issubclass(NumberParseError, StudyregError)
    assert not issubclass(NumberParseError, ValueError)


def test_exactly_100_characters_are_accepted() -> None:
    assert parse_number("0." + "1" * 98) == pytest.approx(0.1111111111)


@settings(max_examples=3000)
@given(st.text(max_size=120))
def test_any_text_gives_a_finite_float_or_a_number_parse_error(text: str) -> None:
    try:
        value = parse_number(text)
    except NumberParseError:
        return
    assert isinstance(value, float)
    assert math.isfinite(value)


@settings(max_examples=2000)
@given(st.text(alphabet="0123456789.,%/eE+-\u2212 ", max_size=30))
def test_number_like_text_gives_a_finite_float_or_a_number_parse_error(text: str) -> None:
    try:
        value = parse_number(text)
    except NumberParseError:
        return
    assert math.isfinite(value)


@settings(max_examples=2000)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_the_repr_of_any_finite_float_reads_back_exactly(x: float) -> None:
    assert parse_number(repr(x)) == x


@settings(max_examples=500)
@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_comma_grouped_integers_read_back(n: int) -> None:
    assert parse_number(f"{n:,}") == n
