"""Packs on disk -> validated models (pydantic v2). Never executes anything from a pack.

The names below are imported on first use, so that ``studyreg.content.discovery`` (which
packs to load) costs no pydantic: the app lists cached packs before it imports pydantic.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studyreg.content.discovery import bundled_pack_path, resolve_pack_paths
    from studyreg.content.loader import (
        LoadedPack,
        load_pack,
        load_pack_with_sources,
        read_pack_meta,
    )
    from studyreg.content.models import Concept, Fact, Pack
    from studyreg.content.problems import PackError, Problem

_WHERE = {
    "bundled_pack_path": "discovery",
    "resolve_pack_paths": "discovery",
    "LoadedPack": "loader",
    "load_pack": "loader",
    "load_pack_with_sources": "loader",
    "read_pack_meta": "loader",
    "Concept": "models",
    "Fact": "models",
    "Pack": "models",
    "PackError": "problems",
    "Problem": "problems",
}

__all__ = [
    "Concept",
    "Fact",
    "LoadedPack",
    "Pack",
    "PackError",
    "Problem",
    "bundled_pack_path",
    "load_pack",
    "load_pack_with_sources",
    "read_pack_meta",
    "resolve_pack_paths",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'studyreg.content' has no attribute {name!r}")
    value = getattr(import_module(f"studyreg.content.{module}"), name)
    globals()[name] = value
    return value
