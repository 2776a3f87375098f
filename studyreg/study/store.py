"""``ProgressStore``: every attempt and one FSRS card per question, in SQLite.

One immediate transaction per answer (attempt + card + review log), WAL and a busy
timeout: a killed process loses at most the answer being typed, and two processes may
write at once. History is keyed by (pack id, concept id, question id), so a question
edited in a new pack version keeps its past; each attempt records the pack version.

The connection may be used from any thread (Textual workers open it, the UI thread
records); a lock serialises access.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

import fsrs

from studyreg.study import scheduling
from studyreg.study.store_open import StoreError, WriteTransaction, connect

__all__ = ["Attempt", "ProgressStore", "StoreError", "LEECH_MISSES", "SETTINGS_DEFAULTS"]

LEECH_MISSES = 8
SETTINGS_DEFAULTS: dict[str, Any] = {"new_per_day": 20}
_EXPORT_BATCH = 1000


@dataclass(frozen=True)
class Attempt:
    """One counted answer, as stored."""

    pack_id: str
    pack_version: str
    concept_id: str
    question_id: str
    question_type: str  # "numeric", "single_choice", "free_response", ...
    mode: str  # "quiz" | "learn" | "exam" | "review"
    response: str  # as typed / selected, as text
    status: str  # "correct" | "partial" | "incorrect"
    score: float  # 0..1
    seconds: float  # time taken to answer; 0 when not measured
    params: Mapping[str, Any] = field(default_factory=dict)  # variant parameters (JSON)
    seed: int | None = None  # variant seed
    rating: int | None = None  # explicit FSRS rating 1..4, when the learner gave one
    answered_at: datetime | None = None  # UTC; None means "now" when recorded

    @property
    def key(self) -> str:
        return ProgressStore.question_key(self.pack_id, self.concept_id, self.question_id)


_ATTEMPT_COLUMNS = (
    "id, answered_at, day, pack_id, pack_version, concept_id, question_id, question_type, "
    "mode, response, status, score, seconds, params, seed, rating"
)
_INSERTED = [name.strip() for name in _ATTEMPT_COLUMNS.split(",")][1:]  # all but id
_INSERT_ATTEMPT = (
    f"INSERT INTO attempts ({', '.join(_INSERTED)}) "
    f"VALUES ({', '.join(':' + name for name in _INSERTED)})"
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ProgressStore:
    """The learner's progress at ``path`` (created if missing).

    ``now`` is the clock (tests fix it); ``tz`` is the learner's time zone for "today"
    and per-day stats (None: the system's local time). ``notices`` holds messages for
    the learner, e.g. that an unreadable file was moved aside.
    """

    def __init__(
        self, path: Path | str, *, now: Callable[[], datetime] = _utc_now, tz: tzinfo | None = None
    ) -> None:
        self.path = Path(path)
        self.now = now
        self.tz = tz
        self._lock = threading.RLock()
        self._conn, self.notices = connect(self.path, self.local_day)

    @classmethod
    def open_default(
        cls, data_dir_override: str | Path | None = None, **kwargs: Any
    ) -> ProgressStore:
        """The store in ``--data-dir``, ``$STUDYREG_HOME`` or the user data directory."""
        from studyreg.paths import progress_db_path

        return cls(progress_db_path(data_dir_override), **kwargs)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- time ----------------------------------------------------------------

    def local_day(self, when: datetime) -> str:
        """The learner's calendar date (YYYY-MM-DD) at the instant ``when``."""
        return self._local(when).date().isoformat()

    def _local(self, when: datetime) -> datetime:
        when = scheduling.to_utc(when)
        return when.astimezone(self.tz) if self.tz is not None else when.astimezone()

    def day_start(self, day: date) -> datetime:
        """The instant (UTC) the learner's ``day`` begins."""
        midnight = datetime.combine(day, time(0))
        local = midnight.replace(tzinfo=self.tz) if self.tz is not None else midnight.astimezone()
        return local.astimezone(UTC)

    def _now(self, now: datetime | None) -> datetime:
        return scheduling.to_utc(now if now is not None else self.now())

    # --- writing -------------------------------------------------------------

    @staticmethod
    def question_key(pack_id: str, concept_id: str, question_id: str) -> str:
        return f"{pack_id}/{concept_id}/{question_id}"

    def record(self, attempt: Attempt) -> int:
        """Store an attempt and reschedule its question, in one transaction; the attempt id."""
        rating = scheduling.rating_for(attempt.status, attempt.seconds, rating=attempt.rating)
        when = self._now(attempt.answered_at)
        params = json.dumps(dict(attempt.params), sort_keys=True, default=str)
        key = attempt.key
        values = {name: getattr(attempt, name) for name in _INSERTED[2:]} | {
            "answered_at": _iso(when),
            "day": self.local_day(when),
            "pack_version": str(attempt.pack_version),
            "score": float(attempt.score),
            "seconds": float(attempt.seconds),
            "params": params,
        }
        with self._lock, self._transaction():
            attempt_id = self._conn.execute(_INSERT_ATTEMPT, values).lastrowid
            assert attempt_id is not None
            row = self._conn.execute("SELECT card FROM cards WHERE key = ?", (key,)).fetchone()
            before = row[0] if row else None
            card = fsrs.Card.from_json(before) if before else scheduling.new_card(key, when)
            card, log = scheduling.review(card, rating, when, attempt.seconds)
            self._conn.execute(
                "INSERT INTO cards (key, pack_id, concept_id, question_id, card, due, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE "
                "SET card = excluded.card, due = excluded.due",
                (key, attempt.pack_id, attempt.concept_id, attempt.question_id,
                 card.to_json(), card.due.timestamp(), _iso(when)),
            )  # fmt: skip
            self._conn.execute(
                "INSERT INTO review_log (attempt_id, key, rating, card_before, log) "
                "VALUES (?, ?, ?, ?, ?)",
                (attempt_id, key, int(rating), before, log.to_json()),
            )
        return attempt_id

    def undo_last(self) -> Attempt | None:
        """Remove the latest attempt and put its card back as it was; None when empty."""
        with self._lock, self._transaction():
            row = self._conn.execute(
                f"SELECT {_ATTEMPT_COLUMNS} FROM attempts ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            attempt = _attempt_from_row(row)
            log = self._conn.execute(
                "SELECT card_before FROM review_log WHERE attempt_id = ?", (row[0],)
            ).fetchone()
            self._conn.execute("DELETE FROM attempts WHERE id = ?", (row[0],))  # log cascades
            if log is not None:
                self._restore_card(attempt.key, log[0])
            else:  # recorded before the review log existed (schema v1): replay the rest
                self._replay_card(attempt)
        return attempt

    def _restore_card(self, key: str, card_json: str | None) -> None:
        if card_json is None:
            self._conn.execute("DELETE FROM cards WHERE key = ?", (key,))
        else:
            self._set_card(key, fsrs.Card.from_json(card_json))

    def _replay_card(self, attempt: Attempt) -> None:
        history = self._conn.execute(
            "SELECT answered_at, status, seconds, rating FROM attempts "
            "WHERE pack_id = ? AND concept_id = ? AND question_id = ? ORDER BY id",
            (attempt.pack_id, attempt.concept_id, attempt.question_id),
        ).fetchall()
        card = scheduling.replay(attempt.key, history)
        if card is None:
            self._restore_card(attempt.key, None)
        else:
            self._set_card(attempt.key, card)

    def _set_card(self, key: str, card: fsrs.Card) -> None:
        self._conn.execute(
            "UPDATE cards SET card = ?, due = ? WHERE key = ?",
            (card.to_json(), card.due.timestamp(), key),
        )

    def _transaction(self) -> WriteTransaction:
        return WriteTransaction(self._conn, self.path)

    # --- scheduling queries --------------------------------------------------

    def card(self, key: str) -> fsrs.Card | None:
        row = self.read("SELECT card FROM cards WHERE key = ?", (key,))
        return fsrs.Card.from_json(row[0][0]) if row else None

    def due(
        self,
        keys: Sequence[str],
        *,
        now: datetime | None = None,
        limit: int = 20,
        new_limit: int | None = None,
    ) -> list[str]:
        """What to review next among ``keys`` (the questions of the loaded packs).

        Due cards first, most overdue first; then questions never answered, in the
        order given, up to the new cards still allowed today: ``new_limit`` (default:
        the ``new_per_day`` setting) minus the cards first answered today.
        """
        now = self._now(now)
        wanted = {key: i for i, key in enumerate(keys)}
        due_rows = self.read(
            "SELECT key, due FROM cards WHERE due <= ? ORDER BY due", (now.timestamp(),)
        )
        due = [key for key, _ in due_rows if key in wanted][:limit]
        if len(due) >= limit:
            return due
        if new_limit is None:
            new_limit = int(self.get_setting("new_per_day"))
        today_start = self.day_start(self._local(now).date())
        introduced = self.read(
            "SELECT count(*) FROM cards WHERE created_at >= ?", (_iso(today_start),)
        )[0][0]
        allowed = min(limit - len(due), new_limit - introduced)
        if allowed <= 0:
            return due
        seen = {key for (key,) in self.read("SELECT key FROM cards")}
        new = [key for key in wanted if key not in seen][:allowed]
        return due + new

    def due_counts(self, *, now: datetime | None = None, days: int = 7) -> dict[str, Any]:
        """Cards due now, and per local day for ``days`` days from today (overdue ones
        count on today): ``{"due_now", "due_within_days", "by_day", "days"}``;
        ``due_within_days`` is ``sum(by_day)``."""
        if days < 1:
            raise ValueError("days must be at least 1")
        now = self._now(now)
        today = self._local(now).date()
        ends = [self.day_start(today + timedelta(days=i + 1)).timestamp() for i in range(days)]
        dues = [
            d for (d,) in self.read("SELECT due FROM cards WHERE due < ? ORDER BY due", (ends[-1],))
        ]
        by_day, i = [0] * days, 0
        for due in dues:
            while due >= ends[i]:
                i += 1
            by_day[i] += 1
        due_now = sum(1 for d in dues if d <= now.timestamp())
        return {"due_now": due_now, "due_within_days": len(dues), "by_day": by_day, "days": days}

    def is_leech(self, key: str) -> bool:
        """Missed (status incorrect) at least ``LEECH_MISSES`` times."""
        pack_id, concept_id, question_id = key.split("/", 2)
        misses = self.read(
            "SELECT count(*) FROM attempts WHERE pack_id = ? AND concept_id = ? "
            "AND question_id = ? AND status = 'incorrect'",
            (pack_id, concept_id, question_id),
        )[0][0]
        return misses >= LEECH_MISSES

    # --- performance queries -------------------------------------------------

    def concept_accuracy(
        self, pack_id: str | None = None, *, recent: int = 20
    ) -> dict[str, tuple[int, float]]:
        """concept -> (attempts, share correct over its last ``recent`` attempts).

        Keys are concept ids when ``pack_id`` is given, else ``"pack_id/concept_id"``.
        """
        where, args = ("WHERE pack_id = ?", (pack_id,)) if pack_id is not None else ("", ())
        # One short index walk per concept (newest first) beats a window over every row.
        rows = self.read(
            "SELECT pack_id, concept_id, n, (SELECT avg(status = 'correct') FROM ("
            "  SELECT status FROM attempts AS a"
            "  WHERE a.pack_id = g.pack_id AND a.concept_id = g.concept_id"
            "  ORDER BY a.id DESC LIMIT ?)) "
            "FROM (SELECT pack_id, concept_id, count(*) AS n FROM attempts "
            f"{where} GROUP BY pack_id, concept_id) AS g",
            (recent, *args),
        )
        return {
            (concept if pack_id is not None else f"{pack}/{concept}"): (int(n), float(acc))
            for pack, concept, n, acc in rows
        }

    def weakest_concepts(self, concept_ids: Sequence[str], *, recent: int = 20) -> list[str]:
        """``concept_ids`` ordered weakest first by recent accuracy.

        Never-attempted concepts count as accuracy 0 and come first (nothing known is
        the weakest knowledge); ties keep the given order. An id may be a bare concept
        id (its attempts in every pack pooled) or ``"pack_id/concept_id"``.
        """
        by_key = self.concept_accuracy(recent=recent)
        pooled: dict[str, tuple[int, float]] = {}
        for key, (n, acc) in by_key.items():
            concept = key.split("/", 1)[1]
            m, right = pooled.get(concept, (0, 0.0))
            pooled[concept] = (m + n, right + acc * n)

        def rank(concept_id: str) -> tuple[float, int]:
            if "/" in concept_id:
                n, acc = by_key.get(concept_id, (0, 0.0))
                return acc, n
            n, right = pooled.get(concept_id, (0, 0.0))
            return (right / n if n else 0.0), n

        return sorted(concept_ids, key=rank)

    # --- reading -------------------------------------------------------------

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a read-only query (for the study modules: stats, export)."""
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError as error:
                raise StoreError(
                    f"cannot read the progress database {self.path} ({error})"
                ) from error

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see one consistent state, even while another process writes."""
        with self._lock:
            if self._conn.in_transaction:  # nested: the outer snapshot holds
                yield
                return
            self._conn.execute("BEGIN")
            try:
                yield
            finally:
                self._conn.execute("COMMIT")

    def attempts(self) -> Iterator[dict[str, Any]]:
        """Every attempt, oldest first, as a dict (params decoded), read in batches."""
        last = 0
        while True:
            rows = self.read(
                f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE id > ? ORDER BY id LIMIT ?",
                (last, _EXPORT_BATCH),
            )
            for row in rows:
                yield _attempt_dict(row)
            if len(rows) < _EXPORT_BATCH:
                return
            last = rows[-1][0]

    def stats(self, now: datetime | None = None) -> dict[str, Any]:
        """``studyreg.study.stats.compute_stats`` for this store."""
        from studyreg.study.stats import compute_stats

        return compute_stats(self, now=now)

    # --- settings ------------------------------------------------------------

    def get_setting(self, name: str) -> Any:
        """A setting's value, or its default (``SETTINGS_DEFAULTS``)."""
        rows = self.read("SELECT value FROM settings WHERE name = ?", (name,))
        if rows:
            return json.loads(rows[0][0])
        if name in SETTINGS_DEFAULTS:
            return SETTINGS_DEFAULTS[name]
        raise KeyError(f"unknown setting {name!r}")

    def set_setting(self, name: str, value: Any) -> None:
        with self._lock, self._transaction():
            self._conn.execute(
                "INSERT INTO settings (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (name, json.dumps(value)),
            )

    @property
    def new_per_day(self) -> int:
        return int(self.get_setting("new_per_day"))

    @new_per_day.setter
    def new_per_day(self, value: int) -> None:
        if int(value) < 0:
            raise ValueError("new_per_day must be 0 or more")
        self.set_setting("new_per_day", int(value))


def _attempt_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    names = [name.strip() for name in _ATTEMPT_COLUMNS.split(",")]
    record = dict(zip(names, row, strict=True))
    record["params"] = json.loads(record["params"])
    return record


def _attempt_from_row(row: tuple[Any, ...]) -> Attempt:
    record = _attempt_dict(row)
    record.pop("id")
    record.pop("day")
    record["answered_at"] = datetime.fromisoformat(record["answered_at"])
    return Attempt(**record)


def _iso(when: datetime) -> str:
    """Fixed-width ISO 8601 in UTC, so stored times compare correctly as text."""
    return scheduling.to_utc(when).isoformat(timespec="microseconds")
