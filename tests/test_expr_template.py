"""parse_template and Template.render: names and format specs only, errors with columns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyreg.expr import Template, TemplateError, parse_template

ENV = {"alpha_l1": 0.1, "lasso.n_zero": 4, "ridge.val_mse": 1.23456, "kind": "lasso"}


def test_fields_and_names_are_listed_in_order() -> None:
    template = parse_template(
        "a={alpha_l1} z={lasso.n_zero} mse={ridge.val_mse:.3f} again {alpha_l1}"
    )
    assert template.fields == (
        ("alpha_l1", ""),
        ("lasso.n_zero", ""),
        ("ridge.val_mse", ".3f"),
        ("alpha_l1", ""),
    )
    assert template.names == frozenset({"alpha_l1", "lasso.n_zero", "ridge.val_mse"})
    assert isinstance(template, Template)


def test_render_substitutes_dotted_names() -> None:
    assert parse_template("{lasso.n_zero} zero weights").render(ENV) == "4 zero weights"


def test_render_applies_the_format_spec() -> None:
    assert parse_template("MSE {ridge.val_mse:.3f}").render(ENV) == "MSE 1.235"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (".2e", "1.23e+00"),
        (">8.2f", "    1.23"),
        ("*^9.1f", "***1.2***"),
        ("+.1%", "+123.5%"),
        ("08.3f", "0001.235"),
        (",.1f", "1.2"),
        ("g", "1.23456"),
    ],
)
def test_standard_format_specs_are_accepted(spec: str, expected: str) -> None:
    assert parse_template(f"{{ridge.val_mse:{spec}}}").render(ENV) == expected


def test_double_braces_are_literal_braces() -> None:
    template = parse_template("{{not a field}} {alpha_l1} }}")
    assert template.fields == (("alpha_l1", ""),)
    assert template.render(ENV) == "{not a field} 0.1 }"


def test_text_without_fields_renders_as_is() -> None:
    assert parse_template("no fields here").render({}) == "no fields here"


def test_render_of_a_missing_name_is_an_error_with_a_suggestion() -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template("n = {lasso.nzero}").render(ENV)
    assert caught.value.message == "unknown name 'lasso.nzero'; did you mean 'lasso.n_zero'?"
    assert caught.value.column == 5


def test_render_of_a_value_the_spec_cannot_format_is_an_error() -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template("{kind:.2f}").render(ENV)
    assert caught.value.message.startswith("cannot format kind (= 'lasso') with ':.2f'")
    assert caught.value.column == 1


def test_render_never_touches_attributes_of_the_value() -> None:
    class Spy:
        def __format__(self, spec: str) -> str:
            return f"<{spec}>"

    assert parse_template("{obj.attr:>3}").render({"obj.attr": Spy()}) == "<>3>"


@pytest.mark.parametrize(
    ("source", "column", "message"),
    [
        ("{x[0]}", 3, "indexing"),
        ("{x!r}", 3, "conversions such as !r"),
        ("{x.__class__}", 4, "names may not start with '_'"),
        ("{_x}", 2, "names may not start with '_'"),
        ("{x:{y}}", 4, "nested fields"),
        ("{x:.99f}", 4, "precision in ':.99f' is more than 50"),
        ("{x:99}", 4, "width in ':99' is more than 50"),
        ("{x:abc}", 4, "format spec ':abc'"),
        ("{x:.3f!}", 4, "format spec"),
        ("ab {x", 4, "never closed"),
        ("a } b", 3, "a lone '}'"),
        ("{}", 1, "an empty field {}"),
        ("{0}", 2, "may not start with a digit"),
        ("{ x }", 2, "spaces are not allowed"),
        ("{x-y}", 3, "unexpected character '-'"),
        ("{a..b}", 4, "empty part between dots"),
        ("{a.}", 4, "empty part between dots"),
        ("{x()}", 3, "unexpected character '('"),
    ],
)
def test_refused_forms_raise_a_template_error_at_the_column(
    source: str, column: int, message: str
) -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template(source)
    assert message in caught.value.message
    assert caught.value.column == column


def test_an_error_on_a_later_line_names_line_and_column() -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template("first line\n  then {x!r}")
    assert (caught.value.line, caught.value.column) == (2, 10)
    assert (
        str(caught.value)
        == "line 2, column 10: conversions such as !r are not allowed; use a format spec"
    )


def test_error_str_on_the_first_line_starts_with_the_column() -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template("{x!r}")
    assert str(caught.value).startswith("column 3: ")


def test_a_huge_template_is_refused() -> None:
    with pytest.raises(TemplateError, match="too long"):
        parse_template("x" * 20_001)


@settings(max_examples=3000)
@given(st.text(max_size=60))
def test_any_text_parses_or_raises_a_template_error(source: str) -> None:
    try:
        parse_template(source)
    except TemplateError as error:
        assert error.column >= 1


PIECES = st.sampled_from(
    ["{", "}", "{{", "}}", "x", "a.b", ":", ".3f", ">9", "!r", "[0]", "_", " ", "%", "d", "1"]
)


@settings(max_examples=3000)
@given(st.lists(PIECES, max_size=12).map("".join), st.sampled_from([1, 2.5, True, "s", None, -3]))
def test_rendering_anything_gives_text_or_a_template_error(source: str, value: object) -> None:
    try:
        template = parse_template(source)
        rendered = template.render({"x": value, "a.b": value})
    except TemplateError:
        return
    assert isinstance(rendered, str)
