"""Progress figures for ``studyreg stats`` and the stats screen.

``compute_stats`` returns plain JSON-ready data:

- ``attempts``, ``correct`` (int) and ``accuracy`` (correct / attempts, None when no
  attempts);
- ``concepts``: ``{"pack_id/concept_id": {"attempts", "correct", "accuracy"}}`` (flat
  keys, so two packs may share a concept id);
- ``due_now``; ``due_by_day``: cards due on each of the next 7 local days, today first
  (overdue cards count on today); ``due_next_7_days`` = ``sum(due_by_day)``;
- ``streak_days``: consecutive local days with at least one attempt, ending today, or
  yesterday when nothing was answered yet today (a streak lasts until a day is missed);
- ``leeches``: keys of questions missed at least 8 times;
- ``days``: ``[{"date", "attempts", "correct", "accuracy"}]`` for every day with an
  attempt, oldest first (the learner's local date when they answered);
- ``today``: the local date the figures were computed for.

Due counts cover every card in the store, including questions no loaded pack has.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from studyreg.study.scheduling import to_utc
from studyreg.study.store import LEECH_MISSES, ProgressStore

DUE_DAYS = 7


def compute_stats(store: ProgressStore, now: datetime | None = None) -> dict[str, Any]:
    now = to_utc(now if now is not None else store.now())
    today = date.fromisoformat(store.local_day(now))
    with store.snapshot():
        return _compute(store, now, today)


def _compute(store: ProgressStore, now: datetime, today: date) -> dict[str, Any]:
    day_rows = store.read(
        "SELECT day, count(*), sum(status = 'correct') FROM attempts GROUP BY day ORDER BY day"
    )
    days = [_figures(n, right) | {"date": day} for day, n, right in day_rows]
    attempts = sum(d["attempts"] for d in days)
    correct = sum(d["correct"] for d in days)
    concept_rows = store.read(
        "SELECT pack_id, concept_id, count(*), sum(status = 'correct') FROM attempts "
        "GROUP BY pack_id, concept_id ORDER BY pack_id, concept_id"
    )
    leech_rows = store.read(
        "SELECT pack_id, concept_id, question_id FROM attempts WHERE status = 'incorrect' "
        "GROUP BY pack_id, concept_id, question_id HAVING count(*) >= ? "
        "ORDER BY pack_id, concept_id, question_id",
        (LEECH_MISSES,),
    )
    due = store.due_counts(now=now, days=DUE_DAYS)
    return {
        "today": today.isoformat(),
        "attempts": attempts,
        "correct": correct,
        "accuracy": correct / attempts if attempts else None,
        "concepts": {f"{p}/{c}": _figures(n, right) for p, c, n, right in concept_rows},
        "due_now": due["due_now"],
        "due_next_7_days": due["due_within_days"],
        "due_by_day": due["by_day"],
        "streak_days": streak_days({d["date"] for d in days}, today),
        "leeches": [ProgressStore.question_key(*row) for row in leech_rows],
        "days": [{k: d[k] for k in ("date", "attempts", "correct", "accuracy")} for d in days],
    }


def _figures(attempts: int, correct: int | None) -> dict[str, Any]:
    right = int(correct or 0)
    return {"attempts": int(attempts), "correct": right, "accuracy": right / attempts}


def streak_days(active: set[str], today: date) -> int:
    """Consecutive days in ``active`` (ISO dates) ending today, or yesterday when today
    has no attempt yet."""
    day = today if today.isoformat() in active else today - timedelta(days=1)
    streak = 0
    while day.isoformat() in active:
        streak += 1
        day -= timedelta(days=1)
    return streak


def format_stats(stats: dict[str, Any]) -> str:
    """The figures as readable lines for the terminal."""
    lines = []
    if stats["attempts"]:
        lines.append(
            f"answers: {stats['attempts']} ({stats['correct']} correct, {stats['accuracy']:.0%})"
        )
    else:
        lines.append("answers: none yet")
    lines.append(f"streak: {stats['streak_days']} day{'s' if stats['streak_days'] != 1 else ''}")
    lines.append(f"due now: {stats['due_now']}")
    lines.append(f"due in the next {DUE_DAYS} days: {stats['due_next_7_days']}")
    by_day = "  ".join(f"+{i}d: {n}" for i, n in enumerate(stats["due_by_day"]))
    lines.append(f"due by day (today first): {by_day}")
    if stats["leeches"]:
        lines.append(f"leeches (missed {LEECH_MISSES}+ times): {len(stats['leeches'])}")
        lines.extend(f"  {key}" for key in stats["leeches"])
    if stats["concepts"]:
        lines.append("concepts:")
        width = max(len(key) for key in stats["concepts"])
        for key, figures in stats["concepts"].items():
            lines.append(
                f"  {key:<{width}}  {figures['attempts']:>5} answers  {figures['accuracy']:>4.0%}"
            )
    if stats["days"]:
        lines.append("recent days:")
        for day in stats["days"][-7:]:
            lines.append(f"  {day['date']}  {day['attempts']:>5} answers  {day['accuracy']:>4.0%}")
    return "\n".join(lines)
