"""Opening the progress database safely: create it, recognise it, or set it aside.

A file that is not ours (random bytes, another program's SQLite database) is moved to
``<name>.corrupt-<timestamp>`` with its bytes intact, and a fresh store is created in
its place; the caller gets a notice naming both paths. A database made by a newer
studyreg, or a place we cannot write, raises ``StoreError`` and touches nothing.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from studyreg.errors import StudyregError
from studyreg.study.store_schema import APPLICATION_ID, LATEST_VERSION, migrate

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
ELSEWHERE = "choose another place with --data-dir DIR or the STUDYREG_HOME environment variable"


class StoreError(StudyregError):
    """The progress store cannot be used; the message says why, where and what to do."""


def connect(
    path: Path, local_day: Callable[[datetime], str]
) -> tuple[sqlite3.Connection, list[str]]:
    """An open, migrated connection to the store at ``path`` and notices for the learner."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(
            f"cannot create the data directory {path.parent}: {error.strerror or error}; {ELSEWHERE}"
        ) from error
    if path.exists() and not path.is_file():
        raise StoreError(f"the progress database {path} is not a file; {ELSEWHERE}")
    notices: list[str] = []
    problem = _foreign_reason(path)
    if problem is not None:
        aside = _move_aside(path)
        notices.append(
            f"{path} was not a studyreg progress database ({problem}); it was kept as "
            f"{aside} and a new, empty progress database was started"
        )
    conn = _open(path)
    try:
        _check_version(conn, path)
        migrate(conn, local_day)
        _probe_write(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn, notices


class WriteTransaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error; SQLite errors -> StoreError."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn, self.path = conn, path

    def __enter__(self) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise StoreError(
                f"cannot write the progress database {self.path} ({error}); "
                "if another studyreg is busy with it, try again"
            ) from error

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        if exc is not None:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise StoreError(f"cannot write the progress database {self.path} ({exc})") from exc
            return
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise StoreError(
                f"cannot save to the progress database {self.path} ({error})"
            ) from error


def _open(path: Path) -> sqlite3.Connection:
    try:
        # Autocommit mode: every write names its own BEGIN IMMEDIATE ... COMMIT.
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as error:
        raise _write_error(path, error) from error
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        _set_wal(conn)
        # FULL: a committed answer survives a power cut, not only a killed process.
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as error:
        conn.close()
        raise _write_error(path, error) from error
    return conn


def _set_wal(conn: sqlite3.Connection) -> None:
    """``journal_mode = WAL``, waiting as long as the busy timeout: switching the mode
    needs an exclusive lock, and SQLite may answer "database is locked" at once (without
    its busy handler) while another connection is creating the same new file."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _check_version(conn: sqlite3.Connection, path: Path) -> None:
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as error:
        raise _write_error(path, error) from error
    if version > LATEST_VERSION:
        raise StoreError(
            f"the progress database {path} was made by a newer studyreg (schema version "
            f"{version}, this one knows up to {LATEST_VERSION}); upgrade studyreg, or "
            f"{ELSEWHERE}. The file was left untouched."
        )


def _probe_write(conn: sqlite3.Connection, path: Path) -> None:
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    except sqlite3.Error as error:
        raise _write_error(path, error) from error


def _write_error(path: Path, error: Exception) -> StoreError:
    if "locked" in str(error) or "busy" in str(error):
        hint = "another studyreg seems to be writing it; close it and try again, or " + ELSEWHERE
    else:
        hint = "check that you may write to it and to its directory, or " + ELSEWHERE
    return StoreError(f"cannot open the progress database {path} ({error}); {hint}")


def _foreign_reason(path: Path) -> str | None:
    """Why the file at ``path`` is not a studyreg store, or None (ours, empty or absent)."""
    for _ in range(20):
        header = _read_header(path)
        # A short SQLite header may be another process creating the store: look again.
        if not header or len(header) >= 100 or not SQLITE_HEADER.startswith(header[:16]):
            break
        time.sleep(0.05)
    if not header:
        return None
    if not header.startswith(SQLITE_HEADER) or len(header) < 100:
        return "not an SQLite database"
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlite3.Error:
        return "unreadable SQLite database"
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.OperationalError as error:  # locked, unreadable: not the file's fault
        raise _write_error(path, error) from error
    except sqlite3.DatabaseError as error:  # "file is not a database", "malformed"
        return f"damaged SQLite database: {error}"
    finally:
        conn.close()
    if app_id == APPLICATION_ID:
        return None
    if app_id == 0 and tables == 0:
        return None  # an empty SQLite file: ours to fill
    return "an SQLite database of another program"


def _read_header(path: Path) -> bytes | None:
    try:
        with path.open("rb") as file:
            return file.read(100)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(
            f"cannot read the progress database {path} ({error}); {ELSEWHERE}"
        ) from error


def _move_aside(path: Path) -> Path:
    """Rename ``path`` (and its -wal/-shm files) to a name that does not exist yet."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while any(Path(f"{aside}{s}").exists() for s in ("", "-wal", "-shm")):
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    try:
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{path}{suffix}")
            if source.exists():
                _rename_no_clobber(source, Path(f"{aside}{suffix}"))
    except OSError as error:
        raise StoreError(
            f"{path} is not a studyreg progress database and could not be moved aside "
            f"({error.strerror or error}); move it yourself, or {ELSEWHERE}"
        ) from error
    return aside


def _rename_no_clobber(source: Path, target: Path) -> None:
    try:
        os.link(source, target)  # fails if target exists: never overwrite
    except OSError:
        if target.exists():
            raise
        os.rename(source, target)  # file systems without hard links
        return
    os.unlink(source)
