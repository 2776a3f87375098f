"""Which packs to load: the bundled one, ``--pack`` paths and ``$STUDYREG_PACKS``."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

PACKS_ENV = "STUDYREG_PACKS"
BUNDLED = "bundled"
BUNDLED_PACK_NAME = "regularization"


def bundled_packs_root() -> Path:
    """The folder holding the bundled packs: inside the installed wheel, or ``content/``
    of a source checkout (editable installs)."""
    package_dir = Path(__file__).resolve().parent.parent
    installed = package_dir / "bundled"
    if installed.is_dir():
        return installed
    return package_dir.parent / "content"


def bundled_pack_path() -> Path:
    return bundled_packs_root() / BUNDLED_PACK_NAME


def resolve_pack_paths(
    cli_paths: Sequence[str] | None = None, environ: Mapping[str, str] | None = None
) -> list[Path]:
    """The packs to load, in order, without duplicates.

    ``--pack`` paths replace the bundled pack (name ``bundled`` among them to keep it);
    every path in ``$STUDYREG_PACKS`` (``os.pathsep``-separated) is added after them.
    """
    environ = os.environ if environ is None else environ
    requested = list(cli_paths or []) or [BUNDLED]
    requested += [p for p in environ.get(PACKS_ENV, "").split(os.pathsep) if p.strip()]
    paths: list[Path] = []
    for entry in requested:
        path = bundled_pack_path() if entry == BUNDLED else Path(entry).expanduser()
        if path not in paths:
            paths.append(path)
    return paths
