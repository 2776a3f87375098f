"""docs/schema holds the current JSON Schemas that pack files name for their editors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studyreg.content.schema import pack_schema

SCHEMAS = Path(__file__).resolve().parent.parent / "docs" / "schema"


@pytest.mark.parametrize("part", ["pack", "concept", "pack-meta"])
def test_schema_file_is_current(part: str) -> None:
    # Regenerate with: studyreg schema --part PART > docs/schema/PART.schema.json
    assert json.loads((SCHEMAS / f"{part}.schema.json").read_text()) == pack_schema(part)
