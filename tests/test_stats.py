"""Progress figures on a hand-built history with a fixed clock, and ``studyreg stats``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from studyreg.cli import main
from studyreg.study.stats import compute_stats, format_stats, streak_days
from studyreg.study.store import Attempt, ProgressStore

NOW = datetime(2025, 3, 1, 18, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return (
        datetime(2025, 2, day, hour, minute, tzinfo=UTC)
        if day > 1
        else datetime(2025, 3, day, hour, minute, tzinfo=UTC)
    )


def record(store: ProgressStore, key: str, status: str, when: datetime, **kw) -> None:
    pack, concept, question = key.split("/")
    store.record(
        Attempt(
            pack,
            "1",
            concept,
            question,
            "numeric",
            "quiz",
            "x",
            status,
            {"correct": 1.0, "partial": 0.5}.get(status, 0.0),
            kw.pop("seconds", 20.0),
            answered_at=when,
            **kw,
        )
    )


@pytest.fixture
def history(tmp_path: Path) -> ProgressStore:
    store = ProgressStore(tmp_path / "progress.sqlite3", now=lambda: NOW, tz=UTC)
    record(store, "p/a/q1", "correct", at(26, 10))  # Good: learning, due in minutes
    record(store, "p/a/q2", "incorrect", at(26, 10, 5))
    record(store, "p/b/q3", "correct", at(28, 9), seconds=3.0)  # Easy: due 8 days on
    for i in range(8):
        record(store, "p/b/q4", "incorrect", at(28, 10, i))
    record(store, "p/a/q1", "partial", at(1, 8))
    record(store, "p/c/q5", "correct", at(1, 8), rating=3)
    record(store, "p/c/q5", "correct", at(1, 8, 15), rating=3)  # graduates: due in days
    yield store
    store.close()


def test_totals_and_accuracy(history: ProgressStore) -> None:
    stats = compute_stats(history)
    assert (stats["attempts"], stats["correct"]) == (14, 4)
    assert stats["accuracy"] == pytest.approx(4 / 14)


def test_per_concept_figures_are_keyed_by_pack_and_concept(history: ProgressStore) -> None:
    # q1, q2 (p/a) and q4 (p/b) are in learning steps of minutes: due now.
    assert compute_stats(history)["concepts"] == {
        "p/a": {
            "attempts": 3,
            "correct": 1,
            "accuracy": pytest.approx(1 / 3),
            "due_now": 2,
            "due_today": 2,
        },
        "p/b": {
            "attempts": 9,
            "correct": 1,
            "accuracy": pytest.approx(1 / 9),
            "due_now": 1,
            "due_today": 1,
        },
        "p/c": {"attempts": 2, "correct": 2, "accuracy": 1.0, "due_now": 0, "due_today": 0},
    }


def test_per_day_history(history: ProgressStore) -> None:
    assert compute_stats(history)["days"] == [
        {"date": "2025-02-26", "attempts": 2, "correct": 1, "accuracy": 0.5},
        {"date": "2025-02-28", "attempts": 9, "correct": 1, "accuracy": pytest.approx(1 / 9)},
        {"date": "2025-03-01", "attempts": 3, "correct": 2, "accuracy": pytest.approx(2 / 3)},
    ]


def test_due_counts(history: ProgressStore) -> None:
    stats = compute_stats(history)
    q5_due = history.card("p/c/q5").due
    assert q5_due.date() == datetime(2025, 3, 3).date()  # fsrs: graduated with ~2 days
    assert history.card("p/b/q3").due.date() == datetime(2025, 3, 8).date()  # day 8: beyond
    assert stats["due_now"] == 3  # q1, q2, q4 are in learning steps of minutes
    assert stats["due_by_day"] == [3, 0, 1, 0, 0, 0, 0]
    assert stats["due_next_7_days"] == 4


def test_streak_and_leeches(history: ProgressStore) -> None:
    stats = compute_stats(history)
    assert stats["streak_days"] == 2  # 28 Feb and 1 Mar; nothing on 27 Feb
    assert stats["leeches"] == ["p/b/q4"]


def test_streak_lasts_until_a_day_is_missed(history: ProgressStore) -> None:
    assert compute_stats(history, now=NOW + timedelta(days=1))["streak_days"] == 2
    assert compute_stats(history, now=NOW + timedelta(days=2))["streak_days"] == 0


def test_streak_days_counts_back_from_today() -> None:
    today = datetime(2025, 3, 1).date()
    assert streak_days({"2025-03-01", "2025-02-28", "2025-02-26"}, today) == 2
    assert streak_days({"2025-02-28", "2025-02-27"}, today) == 2
    assert streak_days({"2025-02-27"}, today) == 0
    assert streak_days(set(), today) == 0


def test_days_follow_the_learners_time_zone(tmp_path: Path) -> None:
    new_york = timezone(timedelta(hours=-5))
    store = ProgressStore(tmp_path / "p.sqlite3", now=lambda: NOW, tz=new_york)
    record(store, "p/a/q1", "correct", datetime(2025, 3, 1, 2, 0, tzinfo=UTC))
    stats = compute_stats(store)
    store.close()
    assert [d["date"] for d in stats["days"]] == ["2025-02-28"]
    assert stats["today"] == "2025-03-01" and stats["streak_days"] == 1


def test_empty_store(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.sqlite3", now=lambda: NOW, tz=UTC) as store:
        stats = compute_stats(store)
    assert stats["attempts"] == 0 and stats["accuracy"] is None and stats["days"] == []
    assert stats["due_by_day"] == [0] * 7 and stats["streak_days"] == 0
    assert "none yet" in format_stats(stats)


def test_format_stats_reads_as_lines(history: ProgressStore) -> None:
    text = format_stats(compute_stats(history))
    assert "answers: 14 (4 correct, 29%)" in text
    assert "streak: 2 days" in text and "due now: 3" in text
    assert "p/b/q4" in text


def test_stats_json_command(tmp_path: Path, capsys) -> None:
    with ProgressStore(tmp_path / "progress.sqlite3") as store:
        record(store, "p/a/q1", "correct", datetime.now(UTC))
        record(store, "p/a/q2", "incorrect", datetime.now(UTC))
    assert main(["stats", "--json", "--data-dir", str(tmp_path)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["attempts"] == 2 and isinstance(stats["attempts"], int)
    assert stats["correct"] == 1 and stats["accuracy"] == 0.5
    assert stats["streak_days"] == 1 and stats["concepts"]["p/a"]["attempts"] == 2


def test_stats_plain_command(tmp_path: Path, capsys) -> None:
    assert main(["--data-dir", str(tmp_path), "stats"]) == 0
    assert "answers: none yet" in capsys.readouterr().out


def test_stats_plain_command_uses_the_titles_of_the_loaded_packs(tmp_path: Path, capsys) -> None:
    pack = Path(__file__).parent / "tui" / "data" / "tui_pack.yaml"
    with ProgressStore(tmp_path / "progress.sqlite3") as store:
        record(store, "tui-test/sparsity/zeros", "correct", datetime.now(UTC))
    assert main(["stats", "--data-dir", str(tmp_path), "--pack", str(pack)]) == 0
    out = capsys.readouterr().out
    assert "L1 gives exact zeros" in out and "tui-test/sparsity" not in out


def test_stats_command_reports_a_store_error_without_traceback(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["stats", "--data-dir", str(blocker / "data")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("studyreg: error: ") and "Traceback" not in err


def test_due_now_and_later_today_add_up_to_today_in_plain_words(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.sqlite3", now=lambda: NOW, tz=UTC) as store:
        record(store, "p/a/q1", "correct", NOW - timedelta(minutes=1))  # due in ~10 minutes
        record(store, "p/a/q2", "incorrect", NOW - timedelta(hours=1))  # due already
        stats = compute_stats(store)
    assert (stats["due_now"], stats["due_later_today"]) == (1, 1)
    assert stats["due_by_day"][0] == 2
    assert stats["concepts"]["p/a"]["due_now"] == 1 and stats["concepts"]["p/a"]["due_today"] == 2
    text = format_stats(stats)
    assert "due today: 2 (due now: 1, later today: 1)" in text
    assert "(today 2, +1d 0," in text and "+0d" not in text


def test_format_stats_names_concepts_by_title(history: ProgressStore) -> None:
    titles = {"p/a": "Alpha concept", "p/b": "Beta concept"}
    text = format_stats(compute_stats(history), titles)
    assert "  Alpha concept  " in text and "p/a " not in text
    assert "Beta concept: q4" in text  # the leech, by its concept's title
    assert "  p/c  " in text  # a concept no loaded pack has keeps its id
