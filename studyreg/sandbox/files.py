"""A pack's code files, found and hashed without importing them."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

CODE_DIR = "experiments"
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,63}$")


def code_files(root: str | Path) -> list[Path]:
    """Every file of the pack that could run: ``experiments/**/*.py``, sorted.

    Helper modules beside the experiments count too: editing any of them changes
    what runs, so all of them are hashed for trust.
    """
    folder = Path(root) / CODE_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.py") if p.is_file())


def pack_experiment_files(root: str | Path) -> dict[str, Path]:
    """Experiment name -> its module, for each ``experiments/NAME.py`` with a valid name.

    ``_private.py`` helpers and files whose stem is not a Python identifier in lower
    case are not experiments.
    """
    folder = Path(root) / CODE_DIR
    if not folder.is_dir():
        return {}
    found = {}
    for path in sorted(folder.glob("*.py")):
        if path.is_file() and not path.stem.startswith("_") and _NAME.match(path.stem):
            found[path.stem] = path
    return found


def code_digest(root: str | Path) -> str:
    """SHA-256 over the relative names and bytes of every code file (``""`` when none)."""
    files = code_files(root)
    if not files:
        return ""
    digest = hashlib.sha256()
    base = Path(root)
    for path in files:
        relative = path.relative_to(base).as_posix().encode()
        data = path.read_bytes()
        digest.update(len(relative).to_bytes(4, "big") + relative)
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()
