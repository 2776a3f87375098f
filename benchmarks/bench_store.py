"""Progress store speed on a heavy history: 100,000 attempts over 2,000 questions.

Run: python benchmarks/bench_store.py [--attempts N] [--questions N] [--rounds N]
Prints the median over the rounds of: picking the next due question
(``due(all keys, limit=1)``) and computing stats. Target: under 50 ms each.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studyreg.study import scheduling
from studyreg.study.stats import compute_stats
from studyreg.study.store import ProgressStore

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def _bulk_insert(store: ProgressStore, attempts: int, questions: int, seed: int = 0) -> list[str]:
    """Fill ``store`` with a realistic history in one transaction: every attempt is replayed
    through FSRS, so cards, due dates and the review log are what ``record`` would make."""
    rng = random.Random(seed)
    keys = [f"bench/c{q // 20}/q{q}" for q in range(questions)]
    start = NOW - timedelta(days=365)
    times = sorted(start + timedelta(seconds=rng.uniform(0, 365 * 86400)) for _ in range(attempts))
    cards: dict[str, tuple] = {}
    attempt_rows, log_rows = [], []
    for attempt_id, when in enumerate(times, start=1):
        key = rng.choice(keys)
        pack, concept, question = key.split("/")
        status = rng.choices(["correct", "partial", "incorrect"], [0.7, 0.1, 0.2])[0]
        seconds = rng.uniform(2, 60)
        previous = cards.get(key)
        card = previous[0] if previous else scheduling.new_card(key, when)
        new, log = scheduling.review(card, scheduling.rating_for(status, seconds), when, seconds)
        cards[key] = (new, previous[1] if previous else when)
        iso = when.isoformat(timespec="microseconds")
        attempt_rows.append(
            (
                attempt_id,
                iso,
                store.local_day(when),
                pack,
                "1.0",
                concept,
                question,
                "numeric",
                "quiz",
                "0.5",
                status,
                {"correct": 1.0, "partial": 0.5}.get(status, 0.0),
                seconds,
                json.dumps({"n": rng.randint(10, 100)}),
                rng.randrange(2**31),
                None,
            )
        )
        log_rows.append(
            (attempt_id, key, int(log.rating), card.to_json() if previous else None, log.to_json())
        )
    conn = store._conn
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO attempts (id, answered_at, day, pack_id, pack_version, concept_id, "
        "question_id, question_type, mode, response, status, score, seconds, params, seed, "
        "rating) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        attempt_rows,
    )
    conn.executemany("INSERT INTO review_log VALUES (?, ?, ?, ?, ?)", log_rows)
    conn.executemany(
        "INSERT INTO cards VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                key,
                *key.split("/"),
                card.to_json(),
                card.due.timestamp(),
                first.isoformat(timespec="microseconds"),
            )
            for key, (card, first) in cards.items()
        ],
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    return keys


def median_ms(action, rounds: int) -> float:
    action()  # warm up
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = ProgressStore(Path(tmp) / "progress.sqlite3", now=lambda: NOW, tz=UTC)
        began = time.perf_counter()
        keys = _bulk_insert(store, args.attempts, args.questions)
        setup = time.perf_counter() - began
        size = (Path(tmp) / "progress.sqlite3").stat().st_size / 1e6
        print(
            f"setup: {args.attempts:,} attempts over {args.questions:,} questions "
            f"in {setup:.1f} s ({size:.0f} MB)"
        )
        due_now = store.due_counts()["due_now"]
        figures = {
            "next due question (due(all keys, limit=1))": lambda: store.due(keys, limit=1),
            "review queue (due(all keys, limit=20))": lambda: store.due(keys, limit=20),
            "stats (compute_stats)": lambda: compute_stats(store),
            "concept accuracy (concept_accuracy(pack))": lambda: store.concept_accuracy("bench"),
        }
        print(f"cards due now: {due_now:,}")
        for name, action in figures.items():
            print(
                f"{name}: median {median_ms(action, args.rounds):.1f} ms over {args.rounds} rounds"
            )
        store.close()


if __name__ == "__main__":
    main()
