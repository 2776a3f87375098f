"""Which packs' code the user has agreed to run, by the hash of that code.

``studyreg trust PATH`` records the SHA-256 of a pack's code files (see
``studyreg.sandbox.code_digest``) in the user's data directory. A pack is trusted
only while its code still has that hash: any edit, added or removed file makes it
untrusted again. Packs without code need no trust.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyreg.atomic import atomic_output
from studyreg.paths import data_dir
from studyreg.sandbox.files import code_digest, code_files, pack_experiment_files

if TYPE_CHECKING:
    from studyreg.content.models import ExperimentRef

TRUST_FILENAME = "trusted-packs.json"
_FORMAT = 1


@dataclass(frozen=True)
class TrustEntry:
    root: str
    digest: str
    files: tuple[str, ...]
    trusted_at: str


@dataclass(frozen=True)
class TrustStatus:
    """A pack folder's code and whether it may run."""

    root: str
    files: tuple[str, ...]
    digest: str
    recorded: TrustEntry | None

    @property
    def has_code(self) -> bool:
        return bool(self.files)

    @property
    def trusted(self) -> bool:
        return not self.files or (self.recorded is not None and self.recorded.digest == self.digest)

    @property
    def changed_since_trusted(self) -> bool:
        return self.has_code and self.recorded is not None and not self.trusted


def untrusted_message(root: str | Path, files: tuple[str, ...] | list[str]) -> str:
    """The one instruction every front end shows for a pack whose code may not run yet."""
    shown = ", ".join(files[:4]) + (f" and {len(files) - 4} more" if len(files) > 4 else "")
    return f"{root}: this pack contains code ({shown}); read it, then run 'studyreg trust {root}'"


class TrustStore:
    """Trusted packs, kept as JSON in ``DIR/trusted-packs.json`` (DIR: the data directory)."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.path = data_dir(directory) / TRUST_FILENAME
        self.notice: str | None = None

    # --- reading --------------------------------------------------------------

    def _read(self) -> dict[str, TrustEntry]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as error:
            self.notice = f"cannot read {self.path}: {error.strerror}; no pack is trusted"
            return {}
        try:
            data = json.loads(text)
            return {
                root: TrustEntry(root, e["digest"], tuple(e["files"]), e["trusted_at"])
                for root, e in data["packs"].items()
            }
        except (ValueError, KeyError, TypeError, AttributeError):
            self.notice = (
                f"{self.path} is not a studyreg trust file; no pack is trusted until "
                "'studyreg trust PATH' writes a new one (the old file is kept beside it)"
            )
            return {}

    def status(self, root: str | Path) -> TrustStatus:
        resolved = str(Path(root).resolve())
        base = Path(resolved)
        files = tuple(p.relative_to(base).as_posix() for p in code_files(base))
        digest = code_digest(base) if files else ""
        return TrustStatus(resolved, files, digest, self._read().get(resolved))

    def is_trusted(self, root: str | Path) -> bool:
        return self.status(root).trusted

    def entries(self) -> list[TrustEntry]:
        return sorted(self._read().values(), key=lambda e: e.root)

    # --- writing --------------------------------------------------------------

    def trust(self, root: str | Path) -> TrustStatus:
        """Record the current hash of the pack's code; returns the new status."""
        status = self.status(root)
        entries = self._read()
        entries[status.root] = TrustEntry(
            status.root,
            status.digest,
            status.files,
            datetime.now(UTC).isoformat(timespec="seconds"),
        )
        self._write(entries)
        return self.status(root)

    def revoke(self, root: str | Path) -> bool:
        """Forget a pack; True when it had been trusted."""
        resolved = str(Path(root).resolve())
        entries = self._read()
        if resolved not in entries:
            return False
        del entries[resolved]
        self._write(entries)
        return True

    def _write(self, entries: dict[str, TrustEntry]) -> None:
        if self.notice and self.path.exists():  # keep an unreadable file for the user to see
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            self.path.replace(self.path.with_name(f"{TRUST_FILENAME}.corrupt-{stamp}"))
            self.notice = None
        payload: dict[str, Any] = {
            "format": _FORMAT,
            "packs": {
                root: {"digest": e.digest, "files": list(e.files), "trusted_at": e.trusted_at}
                for root, e in sorted(entries.items())
            },
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(self.path, text=True) as out:
            json.dump(payload, out, indent=2)


_current: TrustStore | None = None
_current_lock = threading.Lock()


def use_trust_store(store: TrustStore | None) -> None:
    """Decide trust with ``store`` from now on (the CLI passes the one of ``--data-dir``)."""
    global _current
    with _current_lock:
        _current = store


def current_trust_store() -> TrustStore:
    """The store in use: the one set last, else the one in the default data directory."""
    global _current
    with _current_lock:
        if _current is None:
            _current = TrustStore()
        return _current


def locked_reason(ref: ExperimentRef | None) -> str | None:
    """Why a concept's experiment cannot run yet (its pack's code is untrusted), or None."""
    if ref is None or not ref.scope or ref.name not in pack_experiment_files(ref.scope):
        return None
    status = current_trust_store().status(ref.scope)
    return None if status.trusted else untrusted_message(status.root, status.files)
