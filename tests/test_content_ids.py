"""The id rule lives once, in content: the pack models and `studyreg new` agree on it."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from studyreg.content.ids import is_valid_id, slugify
from studyreg.content.models import Id

SAMPLES = ["a", "0", "l1-vs-l2", "my_pack", "x" * 64, "x" * 65, "", "-a", "_a", "A", "a b", "é"]


@pytest.mark.parametrize("text", SAMPLES)
def test_the_id_rule_is_the_models_rule(text: str) -> None:
    try:
        TypeAdapter(Id).validate_python(text)
        model_accepts = True
    except ValidationError:
        model_accepts = False
    assert is_valid_id(text) is model_accepts


@pytest.mark.parametrize(
    ("text", "slug"),
    [("My Pack (v2)", "my-pack-v2"), ("--Ridge--", "ridge"), ("été", "t"), ("", "my-pack")],
)
def test_slugify_makes_a_valid_id(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert is_valid_id(slugify(text))


def test_a_long_name_makes_a_valid_id() -> None:
    assert is_valid_id(slugify("a " * 100))
