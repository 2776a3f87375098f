"""The progress database's schema, versioned by ``PRAGMA user_version``.

Each entry of ``MIGRATIONS`` takes a database from version ``i`` to ``i + 1`` inside
the caller's transaction. A fresh file runs them all, so the upgrade path that old
databases take is the same one every new database takes.

Version 1: attempts, one FSRS card per question, settings.
Version 2: the review log (the card before each attempt, so undo is exact), the
learner's local day on every attempt (stats group by it) and indexes for stats.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

# "SRG1": marks a SQLite file as a studyreg progress store.
APPLICATION_ID = 0x53524731

SCHEMA_V1 = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    answered_at TEXT NOT NULL,              -- ISO 8601, UTC
    pack_id TEXT NOT NULL,
    pack_version TEXT NOT NULL,
    concept_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    question_type TEXT NOT NULL,
    mode TEXT NOT NULL,
    response TEXT NOT NULL,
    status TEXT NOT NULL,
    score REAL NOT NULL,
    seconds REAL NOT NULL,
    params TEXT NOT NULL DEFAULT '{}',      -- JSON object
    seed INTEGER,
    rating INTEGER
);
CREATE INDEX attempts_question ON attempts (pack_id, concept_id, question_id);
CREATE TABLE cards (
    key TEXT PRIMARY KEY,                   -- pack/concept/question
    pack_id TEXT NOT NULL,
    concept_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    card TEXT NOT NULL,                     -- fsrs.Card.to_json()
    due REAL NOT NULL,                      -- card.due as Unix seconds, for due queries
    created_at TEXT NOT NULL                -- first answered, ISO 8601 UTC
);
CREATE INDEX cards_due ON cards (due);
CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL                     -- JSON
);
"""

SCHEMA_V2 = """
ALTER TABLE attempts ADD COLUMN day TEXT NOT NULL DEFAULT '';   -- local YYYY-MM-DD
UPDATE attempts SET day = studyreg_local_day(answered_at);
DROP INDEX attempts_question;
CREATE INDEX attempts_question ON attempts (pack_id, concept_id, question_id, status);
CREATE INDEX attempts_day ON attempts (day, status);
CREATE INDEX attempts_concept ON attempts (pack_id, concept_id);  -- recent accuracy
CREATE INDEX cards_created ON cards (created_at);
CREATE TABLE review_log (
    attempt_id INTEGER PRIMARY KEY REFERENCES attempts (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    rating INTEGER NOT NULL,
    card_before TEXT,                       -- fsrs.Card JSON, NULL when the card was new
    log TEXT NOT NULL                       -- fsrs.ReviewLog.to_json()
);
"""


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT the caller's transaction; run statement by statement.
    for statement in script.split(";"):
        lines = [line.split("--", 1)[0] for line in statement.splitlines()]
        sql = "\n".join(lines).strip()
        if sql:
            conn.execute(sql)


def migrate_to_v1(conn: sqlite3.Connection, local_day: Callable[[datetime], str]) -> None:
    _run_script(conn, SCHEMA_V1)


def migrate_to_v2(conn: sqlite3.Connection, local_day: Callable[[datetime], str]) -> None:
    conn.create_function(
        "studyreg_local_day", 1, lambda text: local_day(datetime.fromisoformat(text))
    )
    _run_script(conn, SCHEMA_V2)


MIGRATIONS: list[Callable[[sqlite3.Connection, Callable[[datetime], str]], None]] = [
    migrate_to_v1,
    migrate_to_v2,
]
LATEST_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, local_day: Callable[[datetime], str]) -> int:
    """Bring the database to ``LATEST_VERSION`` in one immediate transaction.

    Returns the version found. The version is read again inside the transaction, so two
    processes opening a fresh file at once do not both migrate it.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = conn.execute("PRAGMA user_version").fetchone()[0]
        for step in MIGRATIONS[found:]:
            step(conn, local_day)
        if found < LATEST_VERSION:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {LATEST_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found
