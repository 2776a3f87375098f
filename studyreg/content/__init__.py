"""Packs on disk -> validated models (pydantic v2). Never executes anything from a pack."""

from studyreg.content.discovery import bundled_pack_path, resolve_pack_paths
from studyreg.content.loader import LoadedPack, load_pack, load_pack_with_sources, read_pack_meta
from studyreg.content.models import Concept, Fact, Pack
from studyreg.content.problems import PackError, Problem

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
