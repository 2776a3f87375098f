"""Expression.evaluate and explain: values, Python semantics, guards with columns."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyreg.expr import ExpressionError, parse_expression

ENV = {
    "lasso.n_zero": 42,
    "ridge.n_zero": 0,
    "x": 1.0,
    "dropout.gap": 0.05,
    "alpha_l1": 0.1,
    "flag": True,
}


def value(source: str, env: dict | None = None) -> object:
    return parse_expression(source).evaluate(ENV if env is None else env)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("7 / 2", 3.5),
        ("7 // 2", 3),
        ("-7 // 2", -4),
        ("7 % 3", 1),
        ("2 ** 10", 1024),
        ("2 ** -1", 0.5),
        ("-2 ** 2", -4),
        ("+3", 3),
        ("1e3", 1000.0),
        ("2.5e-1", 0.25),
        ("lasso.n_zero - ridge.n_zero", 42),
        ("dropout.gap * 2", 0.1),
        ("abs(-3)", 3),
        ("min(3, 1, 2)", 1),
        ("max(x)", 1.0),
        ("max(1, 2.5)", 2.5),
        ("round(2.567, 2)", 2.57),
        ("round(2.5)", 2),
        ("round(3.5)", 4),
        ("log10(1000)", 3.0),
        ("sqrt(16)", 4.0),
        ("log(exp(2))", 2.0),
        ("log(8, 2)", 3.0),
        ("exp(0)", 1.0),
        ("clip(5, 0, 3)", 3),
        ("clip(-1, 0, 3)", 0),
    ],
)
def test_arithmetic_and_functions_give_python_values(source: str, expected: object) -> None:
    result = value(source)
    assert result == pytest.approx(expected)
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("lasso.n_zero > ridge.n_zero", True),
        ("lasso.n_zero < ridge.n_zero", False),
        ("0.98 < x < 1.02", True),
        ("0.98 < x < 0.99", False),
        ("1 < 2 > 1.5", True),
        ("x == 1", True),
        ("x != 1", False),
        ("1 <= 1 >= 1", True),
        ("true", True),
        ("True and not False", True),
        ("not flag", False),
        ("x > 0 and dropout.gap < 0.1", True),
        ("x < 0 or dropout.gap < 0.1", True),
    ],
)
def test_comparisons_and_logic(source: str, expected: bool) -> None:
    assert value(source) is expected


def test_and_or_short_circuit_like_python() -> None:
    assert value("ridge.n_zero == 0 or 1 / ridge.n_zero > 2") is True
    assert value("ridge.n_zero != 0 and 1 / ridge.n_zero > 2") is False
    assert value("0 or 5") == 5


def test_a_chained_comparison_evaluates_the_middle_once_and_stops_early() -> None:
    assert value("3 < 2 < 1 / ridge.n_zero") is False


@pytest.mark.parametrize(
    ("source", "column", "message"),
    [
        ("lasso.nzero > 1", 1, "unknown name 'lasso.nzero'; did you mean 'lasso.n_zero'?"),
        ("1 + zzz", 5, "unknown name 'zzz'"),
        ("1 / ridge.n_zero", 3, "division by zero"),
        ("x // 0", 3, "division by zero"),
        ("x % 0.0", 3, "division by zero"),
        ("(x + 1) / 0", 9, "division by zero"),
        ("2**10**10", 2, "the exponent 10000000000 is too large"),
        ("10**1000", 3, "the exponent 1000 is too large"),
        ("1e300 ** 2", 7, "the result is too large"),
        ("(10**60)**6", 9, "the result is too large"),
        ("0 ** -1", 3, "zero cannot be raised to a negative power"),
        ("(-8) ** (1/3)", 6, "fractional power"),
        ("1e308 * 10", 7, "not a finite number"),
        ("exp(710)", 1, "exp(710) is too large"),
        ("1 + sqrt(-1)", 5, "sqrt() needs a number >= 0, got -1"),
        ("log10(0)", 1, "log10() needs a number > 0"),
        ("log(2, 1)", 1, "log() needs a base > 0 other than 1"),
        ("clip(1, 3, 2)", 1, "clip() needs low <= high"),
        ("round(x, 0.5)", 1, "round() needs a whole number of places"),
    ],
)
def test_evaluation_errors_point_at_the_column(source: str, column: int, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        value(source)
    assert message in caught.value.message
    assert caught.value.column == column


def test_an_integer_product_past_the_float_range_is_refused_at_its_operator() -> None:
    source = " * ".join(["2**64"] * 17)  # 2**1088: the 16th '*' goes past 2**1024
    with pytest.raises(ExpressionError) as caught:
        value(source)
    assert caught.value.message == "the result is too large"
    assert caught.value.column == source.rindex(" * ") + 2


def test_a_huge_integer_name_is_refused() -> None:
    with pytest.raises(ExpressionError, match="'a' is too large"):
        value("a", {"a": 10**400})


def test_a_name_bound_to_text_is_an_error() -> None:
    with pytest.raises(ExpressionError, match="'kind' is not a number \\(it is str\\)"):
        value("kind > 1", {"kind": "lasso"})


def test_a_name_bound_to_nan_is_an_error() -> None:
    with pytest.raises(ExpressionError, match="not a finite number"):
        value("a > 1", {"a": float("nan")})


def test_numbers_from_other_numeric_types_are_accepted() -> None:
    assert value("a + 1", {"a": Fraction(1, 2)}) == 1.5


class FakeScalar:
    """Stands in for a NumPy scalar: it has .item()."""

    def __init__(self, v: object) -> None:
        self.v = v

    def item(self) -> object:
        return self.v


def test_scalars_with_item_are_unwrapped() -> None:
    assert value("a * 2", {"a": FakeScalar(21)}) == 42
    assert value("a", {"a": FakeScalar(True)}) is True


def test_an_env_that_is_not_a_mapping_is_an_error() -> None:
    with pytest.raises(ExpressionError, match="mapping"):
        parse_expression("1").evaluate([1])  # type: ignore[arg-type]


def test_explain_shows_each_name_with_its_value() -> None:
    explained = parse_expression("lasso.n_zero > ridge.n_zero").explain(ENV)
    assert explained == "lasso.n_zero (=42) > ridge.n_zero (=0)"


def test_explain_formats_floats_and_booleans() -> None:
    env = {"a": 1 / 3, "b": True, "c": 0.05}
    assert parse_expression("a < c or b").explain(env) == "a (=0.333333) < c (=0.05) or b (=true)"


def test_explain_marks_unknown_names_and_never_raises() -> None:
    assert parse_expression("abs(q) / 0").explain({}) == "abs(q (=?)) / 0"


def test_explain_keeps_the_source_layout() -> None:
    assert parse_expression("(a)+\n  b").explain({"a": 1, "b": 2}) == "(a (=1))+\n  b (=2)"


NAMES = ["x", "y.z", "a.b.c"]
ENV_VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**400), 10**400),
    st.booleans(),
    st.text(max_size=3),
    st.none(),
)
TOKENS = st.sampled_from(
    [
        "x",
        "y.z",
        "a.b.c",
        "q",
        "0",
        "1",
        "2.5",
        "1e308",
        "64",
        "65",
        "1000",
        "-",
        "+",
        "*",
        "/",
        "//",
        "%",
        "**",
        "(",
        ")",
        "<",
        "==",
        "and",
        "or",
        "not",
        "true",
        "abs(",
        "min(",
        "max(",
        "round(",
        "log(",
        "log10(",
        "sqrt(",
        "exp(",
        "clip(",
        ",",
    ]
)


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(TOKENS, max_size=25).map(" ".join),
    st.fixed_dictionaries({n: ENV_VALUES for n in NAMES}),
)
def test_evaluating_anything_gives_a_finite_value_or_an_expression_error(
    source: str, env: dict
) -> None:
    try:
        expression = parse_expression(source)
    except ExpressionError:
        return
    try:
        result = expression.evaluate(env)
    except ExpressionError as error:
        assert error.column >= 1
    else:
        assert isinstance(result, bool | int | float)
        if isinstance(result, float):
            assert math.isfinite(result)
    expression.explain(env)
