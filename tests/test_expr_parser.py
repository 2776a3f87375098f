"""parse_expression: the allowed grammar, the names it reports, and refusals with columns."""

from __future__ import annotations

import pickle
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyreg.errors import StudyregError
from studyreg.expr import Expression, ExpressionError, parse_expression


def test_names_lists_every_dotted_name() -> None:
    expression = parse_expression("lasso.n_zero > ridge.n_zero and alpha_l1 < 1")
    assert expression.names == frozenset({"lasso.n_zero", "ridge.n_zero", "alpha_l1"})


def test_names_exclude_booleans_and_functions() -> None:
    assert parse_expression("abs(x) > 0 and true or False").names == frozenset({"x"})


def test_the_expression_keeps_its_source() -> None:
    source = "dropout.gap < 0.1"
    assert parse_expression(source).source == source
    assert isinstance(parse_expression(source), Expression)


def test_equal_sources_give_equal_expressions() -> None:
    assert parse_expression("a + 1") == parse_expression("a + 1")


def test_newlines_and_leading_spaces_are_allowed() -> None:
    assert parse_expression("  a >\n  b").names == frozenset({"a", "b"})


def test_error_str_has_column_and_message() -> None:
    error = ExpressionError("division by zero", 7)
    assert (error.message, error.column, error.line) == ("division by zero", 7, 1)
    assert str(error) == "column 7: division by zero"
    assert isinstance(error, StudyregError) and not isinstance(error, ValueError)


def test_error_on_a_later_line_names_the_line() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression("a >\n  b[0]")
    assert (caught.value.line, caught.value.column) == (2, 3)
    assert str(caught.value).startswith("line 2, column 3: ")


def test_errors_survive_pickling() -> None:
    error = pickle.loads(pickle.dumps(ExpressionError("bad", 3)))
    assert (error.message, error.column, str(error)) == ("bad", 3, "column 3: bad")


@pytest.mark.parametrize(
    ("source", "column", "message"),
    [
        ("(1).real", 5, "'.real' can only follow a name"),
        ("abs(x).real", 8, "'.real' can only follow a name"),
        ("x.__class__", 3, "names may not start with '_'"),
        ("_x + 1", 1, "names may not start with '_'"),
        ("a.b._c", 5, "names may not start with '_'"),
        ("x[0]", 1, "indexing"),
        ("1 + x[0]", 5, "indexing"),
        ("lambda: 1", 1, "lambda"),
        ("[i for i in x]", 1, "comprehensions"),
        ("1 + (i for i in x)", 5, "comprehensions"),
        ("'abc'", 1, "strings are not allowed"),
        ('x == "a"', 6, "strings are not allowed"),
        ("f'{x}'", 1, "f-strings are not allowed"),
        ('1 + f"{x}"', 5, "f-strings are not allowed"),
        ("foo(x)", 1, "unknown function 'foo'"),
        ("1 + sqr(4)", 5, "did you mean 'sqrt'?"),
        ("x.abs(1)", 1, "only these functions can be called"),
        ("abs(x)(1)", 1, "only these functions can be called"),
        ("round(x, ndigits=2)", 10, "keyword arguments"),
        ("max(*x)", 5, "* unpacking"),
        ("(x := 1)", 2, "assignment"),
        ("x if y else 1", 1, "'x if c else y'"),
        ("(1, 2)", 1, "tuples"),
        ("1 + [1]", 5, "lists"),
        ("{1: 2}", 1, "dicts"),
        ("None", 1, "None is not allowed"),
        ("...", 1, "... is not allowed"),
        ("1j", 1, "complex numbers"),
        ("9e999", 1, "the number is too large"),
        ("1 + 1" + "0" * 400, 5, "the number is too large"),
        ("x @ y", 3, "the operator '@' is not allowed"),
        ("x << 2", 3, "the operator '<<' is not allowed"),
        ("~x", 1, "the operator ~ is not allowed"),
        ("x in y", 3, "'in' is not allowed"),
        ("x is not y", 3, "'is not' is not allowed"),
        ("abs", 1, "'abs' is a function; call it as abs(...)"),
        ("abs()", 1, "abs() takes 1 argument, got 0"),
        ("round(1, 2, 3)", 1, "round() takes 1 to 2 arguments, got 3"),
        ("max()", 1, "max() takes at least 1 argument, got 0"),
        ("clip(1, 2)", 1, "clip() takes 3 arguments, got 2"),
        ("1 +", 4, "the expression ends too early"),
        ("(1 + 2", 1, "'(' was never closed"),
        ("1 2", 3, "invalid syntax"),
        ("", 1, "the expression is empty"),
        ("   ", 1, "the expression is empty"),
        ("x # note", 3, "comments"),
        ("a \\\n+ b", 3, "backslashes"),
        ("x \u2212 1", 3, "use '-'"),
        ("x\x00", 2, "unexpected character"),
        ("é > 1", 1, "unexpected character"),
        ("x" * 501, 501, "too long (501 characters; at most 500)"),
        ("-" * 120 + "1", 102, "nested too deeply"),
    ],
)
def test_refused_forms_raise_an_expression_error_at_the_column(
    source: str, column: int, message: str
) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(source)
    assert message in caught.value.message
    assert caught.value.column == column


def test_a_non_string_source_is_an_expression_error() -> None:
    with pytest.raises(ExpressionError):
        parse_expression(42)  # type: ignore[arg-type]


def test_a_long_flat_sum_is_fine() -> None:
    assert parse_expression(" + ".join(["x"] * 90)).names == frozenset({"x"})


@settings(max_examples=3000)
@given(st.text(max_size=80))
def test_any_text_parses_or_raises_an_expression_error(source: str) -> None:
    try:
        parse_expression(source)
    except ExpressionError as error:
        assert error.column >= 1 and error.line >= 1


TOKENS = st.sampled_from(
    [
        "x",
        "y.z",
        "a.b.c",
        "1",
        "0",
        "2.5",
        "1e308",
        "64",
        "65",
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
        "<=",
        "==",
        "!=",
        ">",
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
        " ",
        ".",
        "[",
        "]",
        "_",
        "__class__",
    ]
)


@settings(max_examples=3000)
@given(st.lists(TOKENS, max_size=25).map(" ".join))
def test_token_soup_parses_or_raises_an_expression_error(source: str) -> None:
    try:
        expression = parse_expression(source)
    except ExpressionError as error:
        assert error.column >= 1
    else:  # whatever parses refers only to plain dotted names, never to dunders
        for name in expression.names:
            assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*", name), name
