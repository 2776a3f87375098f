"""The progress store: records, schedules, undoes, and survives bad files, kills and rivals."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import State

from studyreg.study.store import Attempt, ProgressStore, StoreError
from studyreg.study.store_schema import APPLICATION_ID, LATEST_VERSION, SCHEMA_V1

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def attempt(question: str = "q1", status: str = "correct", *, concept: str = "c1", **kw) -> Attempt:
    fields = dict(
        pack_id="p",
        pack_version="1.0",
        concept_id=concept,
        question_id=question,
        question_type="numeric",
        mode="quiz",
        response="0.25",
        status=status,
        score=1.0 if status == "correct" else 0.0,
        seconds=20.0,
    )
    return Attempt(**(fields | kw))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock):
    with ProgressStore(tmp_path / "progress.sqlite3", now=clock, tz=UTC) as store:
        yield store


def raw(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# --- opening and migrations ------------------------------------------------------


def test_creates_missing_data_directory_and_latest_schema(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "progress.sqlite3"
    ProgressStore(path).close()
    assert raw(path, "PRAGMA user_version") == [(LATEST_VERSION,)]
    assert raw(path, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert raw(path, "PRAGMA journal_mode") == [("wal",)]


def test_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"")
    with ProgressStore(path) as store:
        assert store.notices == []
        store.record(attempt())
    assert raw(path, "SELECT count(*) FROM attempts") == [(1,)]


def test_migrates_a_version_1_database_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO attempts (answered_at, pack_id, pack_version, concept_id, question_id, "
        "question_type, mode, response, status, score, seconds, params, seed, rating) VALUES "
        "('2025-02-27T23:30:00.000000+00:00', 'p', '0.9', 'c1', 'q1', 'numeric', 'quiz', "
        "'0.25', 'correct', 1.0, 12.5, '{\"n\": 3}', 7, NULL)"
    )
    conn.commit()
    conn.close()

    with ProgressStore(path, tz=UTC) as store:
        assert store.notices == []
        rows = list(store.attempts())
    assert raw(path, "PRAGMA user_version") == [(2,)]
    assert len(rows) == 1
    assert rows[0]["pack_version"] == "0.9" and rows[0]["params"] == {"n": 3}
    assert rows[0]["day"] == "2025-02-27"  # backfilled by the migration
    assert raw(path, "SELECT count(*) FROM review_log") == [(0,)]


def test_undo_of_an_attempt_from_version_1_replays_the_card(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with ProgressStore(path, now=clock, tz=UTC) as store:
        store.record(attempt(status="incorrect"))
        expected = store.card("p/c1/q1")
        clock.now += timedelta(minutes=5)
        store.record(attempt())
        # Forget the review log of the last attempt, as if v1 had written it.
        store._conn.execute("DELETE FROM review_log WHERE attempt_id = 2")
        store.undo_last()
        assert store.card("p/c1/q1") == expected


def test_random_bytes_are_moved_aside_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    garbage = os.urandom(4096)
    path.write_bytes(garbage)
    with ProgressStore(path) as store:
        assert len(store.notices) == 1
        store.record(attempt())
    (aside,) = tmp_path.glob("progress.sqlite3.corrupt-*")
    assert aside.read_bytes() == garbage
    assert str(path) in store.notices[0] and str(aside) in store.notices[0]
    assert raw(path, "SELECT count(*) FROM attempts") == [(1,)]


def test_a_foreign_sqlite_database_is_moved_aside_intact(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.commit()
    conn.close()
    original = path.read_bytes()
    with ProgressStore(path) as store:
        assert "another program" in store.notices[0]
    (aside,) = tmp_path.glob("progress.sqlite3.corrupt-*")
    assert aside.read_bytes() == original
    assert raw(aside, "SELECT body FROM notes") == [("mine",)]


def test_moving_aside_never_overwrites_an_earlier_copy(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    for content in (b"first garbage" * 20, b"second garbage" * 20):
        ProgressStore(path).close()  # make a good store, then spoil it
        for extra in tmp_path.glob("progress.sqlite3-*"):
            extra.unlink()
        path.write_bytes(content)
        ProgressStore(path).close()
    kept = sorted(p.read_bytes() for p in tmp_path.glob("progress.sqlite3.corrupt-*"))
    assert kept == sorted([b"first garbage" * 20, b"second garbage" * 20])


def test_a_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    ProgressStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer studyreg"):
        ProgressStore(path)
    assert path.read_bytes() == before
    assert list(tmp_path.glob("*.corrupt-*")) == []


def test_unwritable_place_raises_a_clear_store_error(tmp_path: Path) -> None:
    # A path under a regular file cannot be created, even by root.
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(StoreError) as info:
        ProgressStore(blocker / "progress.sqlite3")
    assert str(blocker) in str(info.value) and "--data-dir" in str(info.value)


def test_a_directory_in_place_of_the_file_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "progress.sqlite3").mkdir()
    with pytest.raises(StoreError, match="STUDYREG_HOME"):
        ProgressStore(tmp_path / "progress.sqlite3")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_directory_raises_a_clear_store_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="--data-dir"):
            ProgressStore(data / "progress.sqlite3")
    finally:
        data.chmod(0o700)


def test_open_default_honours_studyreg_home(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("STUDYREG_HOME", str(tmp_path / "home"))
    with ProgressStore.open_default() as store:
        assert store.path == tmp_path / "home" / "progress.sqlite3"
    with ProgressStore.open_default(tmp_path / "override") as store:
        assert store.path == tmp_path / "override" / "progress.sqlite3"


# --- crashes and concurrency -----------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys
    from studyreg.study.store import Attempt, ProgressStore
    store = ProgressStore(sys.argv[1])
    for i in range(int(sys.argv[2])):
        new_id = store.record(Attempt(
            "p", "1", "c", f"q{i % 50}", "numeric", "quiz", str(i), "correct", 1.0, 3.0,
            params={"i": i}, seed=i))
        print(new_id, flush=True)
    """
)


def test_sigkill_mid_session_keeps_every_reported_attempt(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "100000"], stdout=subprocess.PIPE, text=True
    )
    reported = []
    assert proc.stdout is not None
    for line in proc.stdout:
        reported.append(int(line))
        if len(reported) == 60:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reported.extend(int(line) for line in proc.stdout.read().split())
    assert raw(path, "PRAGMA integrity_check") == [("ok",)]
    with ProgressStore(path) as store:
        stored = {row["id"] for row in store.attempts()}
    assert set(reported) <= stored
    assert len(stored) - len(reported) <= 1  # at most the answer in flight


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    ProgressStore(path).close()
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), "200"], stdout=subprocess.PIPE)
        for _ in range(2)
    ]
    outs = [proc.communicate(timeout=120)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0]
    ids = [int(x) for out in outs for x in out.split()]
    assert len(ids) == len(set(ids)) == 400
    assert raw(path, "SELECT count(*) FROM attempts") == [(400,)]
    assert raw(path, "SELECT count(*) FROM review_log") == [(400,)]
    assert raw(path, "PRAGMA integrity_check") == [("ok",)]


def test_threads_creating_and_writing_one_store_at_once(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "progress.sqlite3"  # not created yet: both race to create it

    def write(n: int) -> int:
        with ProgressStore(path) as store:
            for i in range(n):
                store.record(attempt(f"q{i % 7}"))
        return n

    with ThreadPoolExecutor(2) as pool:
        assert sum(pool.map(write, [100, 100])) == 200
    assert raw(path, "SELECT count(*) FROM attempts") == [(200,)]
    assert list(tmp_path.glob("*.corrupt-*")) == []


def test_a_store_opened_in_one_thread_records_from_another(store: ProgressStore) -> None:
    from threading import Thread

    ids: list[int] = []
    worker = Thread(target=lambda: ids.append(store.record(attempt())))
    worker.start()
    worker.join()
    assert ids == [1]


# --- recording, scheduling, undo -------------------------------------------------


def test_record_returns_ids_and_keeps_every_field(store: ProgressStore) -> None:
    first = store.record(attempt(params={"alpha": 0.5}, seed=42, rating=3, mode="review"))
    second = store.record(attempt("q2", "partial", score=0.5, response="half"))
    assert (first, second) == (1, 2)
    row = next(store.attempts())
    assert row["params"] == {"alpha": 0.5} and row["seed"] == 42 and row["rating"] == 3
    assert row["mode"] == "review" and row["answered_at"] == "2025-03-01T12:00:00.000000+00:00"
    assert row["day"] == "2025-03-01"


def test_record_reschedules_the_question_with_fsrs(store: ProgressStore) -> None:
    assert store.card("p/c1/q1") is None
    store.record(attempt(status="incorrect"))
    card = store.card("p/c1/q1")
    assert card is not None and card.state == State.Learning
    assert card.due == T0 + timedelta(minutes=1)  # fsrs's first learning step
    assert raw(store.path, "SELECT due FROM cards") == [(card.due.timestamp(),)]


def test_history_survives_a_new_pack_version(store: ProgressStore) -> None:
    store.record(attempt(pack_version="1.0"))
    store.record(attempt(pack_version="2.0", status="incorrect"))
    assert [r["pack_version"] for r in store.attempts()] == ["1.0", "2.0"]
    assert store.concept_accuracy("p") == {"c1": (2, 0.5)}


def test_undo_restores_the_card_as_it_was(store: ProgressStore, clock: Clock) -> None:
    store.record(attempt())
    before = store.card("p/c1/q1")
    clock.now += timedelta(days=3)
    store.record(attempt(status="incorrect", response="wrong"))
    assert store.card("p/c1/q1") != before
    undone = store.undo_last()
    assert undone is not None and undone.response == "wrong" and undone.status == "incorrect"
    assert store.card("p/c1/q1") == before
    assert [r["id"] for r in store.attempts()] == [1]


def test_undo_of_a_first_answer_makes_the_question_new_again(store: ProgressStore) -> None:
    store.record(attempt())
    store.undo_last()
    assert store.card("p/c1/q1") is None
    assert store.due(["p/c1/q1"]) == ["p/c1/q1"]
    assert store.undo_last() is None


def test_leech_after_eight_misses(store: ProgressStore) -> None:
    for _ in range(7):
        store.record(attempt(status="incorrect"))
    store.record(attempt(status="partial"))
    assert not store.is_leech("p/c1/q1")
    store.record(attempt(status="incorrect"))
    assert store.is_leech("p/c1/q1")


def test_unknown_status_is_refused_and_nothing_is_stored(store: ProgressStore) -> None:
    with pytest.raises(ValueError, match="status"):
        store.record(attempt(status="invalid"))
    assert list(store.attempts()) == []


# --- what is due -----------------------------------------------------------------

KEYS = [f"p/c1/q{i}" for i in range(1, 7)]


def test_due_lists_overdue_cards_first_most_overdue_first(
    store: ProgressStore, clock: Clock
) -> None:
    store.record(attempt("q3", "incorrect"))  # due T0 + 1 min
    clock.now += timedelta(minutes=5)
    store.record(attempt("q2", "incorrect"))  # due T0 + 6 min
    store.record(attempt("q1", "correct", seconds=3.0))  # Easy: due in days
    later = T0 + timedelta(hours=1)
    assert store.due(KEYS, now=later, limit=2) == ["p/c1/q3", "p/c1/q2"]
    assert store.due(KEYS, now=later, limit=4) == ["p/c1/q3", "p/c1/q2", "p/c1/q4", "p/c1/q5"]
    assert store.due(KEYS, now=T0 + timedelta(minutes=2), limit=1) == ["p/c1/q3"]


def test_due_only_offers_the_candidate_keys(store: ProgressStore) -> None:
    store.record(attempt("gone", "incorrect"))  # a question no loaded pack has any more
    assert store.due(["p/c1/q1"], now=T0 + timedelta(hours=1)) == ["p/c1/q1"]


def test_new_cards_are_limited_per_day(store: ProgressStore, clock: Clock) -> None:
    store.record(attempt("q1", seconds=3.0))
    store.record(attempt("q2", seconds=3.0))  # two new cards introduced today
    now = T0 + timedelta(hours=2)
    assert store.due(KEYS, now=now, new_limit=3) == ["p/c1/q3"]
    assert store.due(KEYS, now=now, new_limit=2) == []
    store.new_per_day = 4
    assert store.due(KEYS, now=now) == ["p/c1/q3", "p/c1/q4"]
    tomorrow = T0 + timedelta(days=1)
    assert store.due(KEYS, now=tomorrow, new_limit=3) == ["p/c1/q3", "p/c1/q4", "p/c1/q5"]


def test_due_counts_by_local_day(store: ProgressStore) -> None:
    store.record(attempt("q1", "incorrect"))  # due in a minute
    store.record(attempt("q2", seconds=3.0))  # Easy: due in days
    days_out = (store.card("p/c1/q2").due.date() - T0.date()).days
    counts = store.due_counts(now=T0 + timedelta(minutes=2), days=7)
    expected = [0] * 7
    expected[0] = 1
    if days_out < 7:
        expected[days_out] += 1
    assert counts["due_now"] == 1 and counts["by_day"] == expected
    assert counts["due_within_days"] == sum(expected)


# --- accuracy and settings -------------------------------------------------------


def test_concept_accuracy_uses_the_recent_attempts(store: ProgressStore) -> None:
    for status in ["incorrect"] * 4 + ["correct"] * 2:
        store.record(attempt(status=status))
    store.record(attempt(concept="c2"))
    assert store.concept_accuracy("p", recent=2) == {"c1": (6, 1.0), "c2": (1, 1.0)}
    assert store.concept_accuracy(recent=4) == {"p/c1": (6, 0.5), "p/c2": (1, 1.0)}
    assert store.concept_accuracy("other") == {}


def test_weakest_concepts_put_unseen_first_then_lowest_accuracy(store: ProgressStore) -> None:
    store.record(attempt(concept="good"))
    store.record(attempt(concept="bad", status="incorrect"))
    store.record(attempt(concept="half"))
    store.record(attempt(concept="half", status="incorrect"))
    order = store.weakest_concepts(["good", "half", "unseen", "bad"])
    assert order == ["unseen", "bad", "half", "good"]
    assert store.weakest_concepts(["p/good", "p/bad"]) == ["p/bad", "p/good"]


def test_settings_persist_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    with ProgressStore(path) as store:
        assert store.new_per_day == 20
        store.new_per_day = 5
        store.set_setting("theme", {"name": "dark"})
    with ProgressStore(path) as store:
        assert store.new_per_day == 5
        assert store.get_setting("theme") == {"name": "dark"}
        with pytest.raises(KeyError):
            store.get_setting("nope")
    assert json.loads(raw(path, "SELECT value FROM settings WHERE name='new_per_day'")[0][0]) == 5


def test_a_write_blocked_too_long_is_a_store_error_and_records_nothing(
    store: ProgressStore,
) -> None:
    store._conn.execute("PRAGMA busy_timeout = 50")  # the real timeout is 5 s
    rival = sqlite3.connect(store.path, isolation_level=None)
    rival.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="try again"):
            store.record(attempt())
    finally:
        rival.execute("ROLLBACK")
        rival.close()
    assert list(store.attempts()) == []
    assert store.record(attempt()) == 1


def test_many_threads_creating_new_stores_at_once_all_open(tmp_path: Path) -> None:
    """Switching a new file to WAL may be refused at once ("database is locked") while
    another connection creates it: the switch waits like any other lock."""
    from threading import Thread

    failures: list[str] = []

    def open_it(path: Path) -> None:
        try:
            with ProgressStore(path):
                pass
        except Exception as error:  # noqa: BLE001 - every failure is the finding
            failures.append(str(error))

    for n in range(40):
        path = tmp_path / f"store-{n}" / "progress.sqlite3"
        threads = [Thread(target=open_it, args=(path,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
