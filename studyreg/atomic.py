"""Files written whole or not at all, with the permissions of any ordinary file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def atomic_output(path: str | os.PathLike[str], *, text: bool = False) -> Iterator[IO[Any]]:
    """A handle on a temporary file beside ``path``, renamed over it when the block ends.

    If the block raises, ``path`` is untouched and the temporary file is removed. The
    file gets the mode a plain ``open`` would give (0666 less the umask), not the
    private 0600 of ``mkstemp``.
    """
    target = Path(path)  # its folder must exist: a mistyped path should not create folders
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        out: IO[Any] = (
            os.fdopen(fd, "w", encoding="utf-8", newline="") if text else os.fdopen(fd, "wb")
        )
        with out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all."""
    with atomic_output(path) as out:
        out.write(data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
