"""Progress figures for ``studyreg stats`` and the stats screen.

``compute_stats`` returns plain JSON-ready data:

- ``attempts``, ``correct`` (int) and ``accuracy`` (correct / attempts, None when no
  attempts);
- ``concepts``: ``{"pack_id/concept_id": {"attempts", "correct", "accuracy", "due_now",
  "due_today"}}`` (flat keys, so two packs may share a concept id; ``due_today`` counts
  the cards due by the end of today, the ones due now included);
- ``due_now``; ``due_later_today``: due after now but before today ends;
  ``due_by_day``: cards due on each of the next 7 local days, today first (overdue cards
  count on today, so ``due_by_day[0] = due_now + due_later_today``);
  ``due_next_7_days`` = ``sum(due_by_day)``;
- ``streak_days``: consecutive local days with at least one attempt, ending today, or
  yesterday when nothing was answered yet today (a streak lasts until a day is missed);
- ``leeches``: keys of questions missed at least 8 times;
- ``days``: ``[{"date", "attempts", "correct", "accuracy"}]`` for every day with an
  attempt, oldest first (the learner's local date when they answered);
- ``today``: the local date the figures were computed for.

Due counts cover every card in the store, including questions no loaded pack has.

``due_lines`` and ``format_stats`` word the due counts the same way for ``studyreg
stats`` and the app's stats screen: "due now", "later today", and "today" for the whole
of today. ``titles`` (``{"pack_id/concept_id": title}``, from the loaded packs) puts
concept titles in place of ids.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    end_of_today = store.day_start(today + timedelta(days=1)).timestamp()
    due_rows = store.read(
        "SELECT pack_id, concept_id, sum(due <= ?), sum(due < ?) FROM cards "
        "GROUP BY pack_id, concept_id",
        (now.timestamp(), end_of_today),
    )
    concepts = {f"{p}/{c}": _figures(n, right) for p, c, n, right in concept_rows}
    for p, c, due_now, due_today in due_rows:
        figures = concepts.setdefault(f"{p}/{c}", _figures(0, 0))
        figures["due_now"], figures["due_today"] = int(due_now or 0), int(due_today or 0)
    for figures in concepts.values():
        figures.setdefault("due_now", 0)
        figures.setdefault("due_today", 0)
    return {
        "today": today.isoformat(),
        "attempts": attempts,
        "correct": correct,
        "accuracy": correct / attempts if attempts else None,
        "concepts": dict(sorted(concepts.items())),
        "due_now": due["due_now"],
        "due_later_today": due["by_day"][0] - due["due_now"],
        "due_next_7_days": due["due_within_days"],
        "due_by_day": due["by_day"],
        "streak_days": streak_days({d["date"] for d in days}, today),
        "leeches": [ProgressStore.question_key(*row) for row in leech_rows],
        "days": [{k: d[k] for k in ("date", "attempts", "correct", "accuracy")} for d in days],
    }


def _figures(attempts: int, correct: int | None) -> dict[str, Any]:
    right = int(correct or 0)
    return {
        "attempts": int(attempts),
        "correct": right,
        "accuracy": right / attempts if attempts else None,
    }


def streak_days(active: set[str], today: date) -> int:
    """Consecutive days in ``active`` (ISO dates) ending today, or yesterday when today
    has no attempt yet."""
    day = today if today.isoformat() in active else today - timedelta(days=1)
    streak = 0
    while day.isoformat() in active:
        streak += 1
        day -= timedelta(days=1)
    return streak


def day_labels(days: int) -> list[str]:
    """Labels of the due-by-day counts: "today", "+1d", "+2d", …"""
    return ["today"] + [f"+{n}d" for n in range(1, days)]


def due_lines(stats: Mapping[str, Any]) -> list[str]:
    """The due counts in words, the same in the terminal and the app: today's total split
    into now and later today, then the next days."""
    by_day = list(stats.get("due_by_day") or [])
    due_now = int(stats.get("due_now", 0))
    today = by_day[0] if by_day else due_now
    later = int(stats.get("due_later_today", today - due_now))
    lines = [f"due today: {today} (due now: {due_now}, later today: {later})"]
    if by_day:
        days = ", ".join(
            f"{label} {n}" for label, n in zip(day_labels(len(by_day)), by_day, strict=True)
        )
        total = stats.get("due_next_7_days", sum(by_day))
        lines.append(f"due within {len(by_day)} days: {total} ({days})")
    return lines


def concept_title(key: str, titles: Mapping[str, str] | None) -> str:
    """A concept's title when its pack is loaded, else its ``pack/concept`` key."""
    return (titles or {}).get(key, key)


def leech_title(key: str, titles: Mapping[str, str] | None) -> str:
    """``Title: question_id`` for a leech key ``pack/concept/question``."""
    concept, _, question = key.rpartition("/")
    return f"{concept_title(concept, titles)}: {question}" if concept in (titles or {}) else key


def format_stats(stats: dict[str, Any], titles: Mapping[str, str] | None = None) -> str:
    """The figures as readable lines for the terminal; ``titles`` names the concepts."""
    lines = []
    if stats["attempts"]:
        lines.append(
            f"answers: {stats['attempts']} ({stats['correct']} correct, {stats['accuracy']:.0%})"
        )
    else:
        lines.append("answers: none yet")
    lines.append(f"streak: {stats['streak_days']} day{'s' if stats['streak_days'] != 1 else ''}")
    lines.extend(due_lines(stats))
    if stats["leeches"]:
        lines.append(f"leeches (missed {LEECH_MISSES}+ times): {len(stats['leeches'])}")
        lines.extend(f"  {leech_title(key, titles)}" for key in stats["leeches"])
    if stats["concepts"]:
        lines.append("concepts:")
        names = {key: concept_title(key, titles) for key in stats["concepts"]}
        width = max(len(name) for name in names.values())
        for key, figures in stats["concepts"].items():
            accuracy = figures["accuracy"]
            lines.append(
                f"  {names[key]:<{width}}  {figures['attempts']:>5} answers  "
                + (f"{accuracy:>4.0%}" if accuracy is not None else "   –")
                + f"  due now {figures.get('due_now', 0)}, today {figures.get('due_today', 0)}"
            )
    if stats["days"]:
        lines.append("recent days:")
        for day in stats["days"][-7:]:
            lines.append(f"  {day['date']}  {day['attempts']:>5} answers  {day['accuracy']:>4.0%}")
    return "\n".join(lines)
