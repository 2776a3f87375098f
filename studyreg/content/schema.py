"""The JSON Schema of pack files, for editors and CI (``studyreg schema``, ``studyreg new``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from studyreg.content import models

__all__ = ["SCHEMA_PARTS", "pack_schema"]

SCHEMA_PARTS = ("pack", "concept", "pack-meta")
"""A whole single-file pack, one concept file of a folder pack, a folder pack's pack.yaml."""


def pack_schema(part: str = "pack") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one of :data:`SCHEMA_PARTS`."""
    choices: dict[str, type[BaseModel]] = {
        "pack": models.Pack,
        "concept": models.Concept,
        "pack-meta": models.PackMeta,
    }
    model = choices[part]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema.setdefault("title", f"studyreg {part}")
    return schema
