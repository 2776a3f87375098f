"""Packs as study loads them: valid on their own and tied to experiments that exist."""

from __future__ import annotations

from pathlib import Path

from studyreg.content import LoadedPack, Pack, Problem, load_pack_with_sources
from studyreg.study.references import check_pack_references


def load_checked(path: str | Path) -> LoadedPack:
    """Load the pack at ``path`` and check its experiment references; PackError lists all."""
    return load_pack_with_sources(path, checks=check_pack_references)


def load_pack(path: str | Path) -> Pack:
    return load_checked(path).pack


def trust_problems(loaded: LoadedPack) -> list[Problem]:
    """An error when the pack holds code the user has not trusted (validate refuses it)."""
    from studyreg.study.lab import trust_store
    from studyreg.study.trust import untrusted_message

    if loaded.pack.root is None:
        return []
    status = trust_store().status(loaded.pack.root)
    if status.trusted:
        return []
    message = untrusted_message(loaded.path, status.files)
    if status.changed_since_trusted:
        message += " (its code changed since you trusted it)"
    return [Problem(str(loaded.path), 1, 1, "", message)]
