"""The authoring guide stays in step with the pack format."""

from __future__ import annotations

import re
from pathlib import Path

from studyreg.content.models import QUESTION_TYPES
from studyreg.content.schema import pack_schema

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "authoring.md"


def schema_field_names() -> set[str]:
    schema = pack_schema("pack")
    names = set(schema["properties"])
    for definition in schema["$defs"].values():
        names.update(definition.get("properties", {}))
    return names


def test_every_schema_field_appears_in_the_guide() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    documented = set(re.findall(r"\b([a-z_]+):", text)) | set(re.findall(r"`([a-z_.]+)`", text))
    documented |= {part for name in documented for part in name.split(".")}
    missing = sorted(schema_field_names() - documented)
    assert missing == []


def test_every_question_type_has_a_section() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for question_type in QUESTION_TYPES:
        assert f"### {question_type}\n" in text
