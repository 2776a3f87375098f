"""From a graded answer to the question's next FSRS review, with the ``fsrs`` package.

Fuzzing is off: the same history always gives the same due date, which keeps tests
exact and lets a learner's schedule be explained from their answers alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, ReviewLog, Scheduler

from studyreg.grading.free_response import RATINGS

QUICK_SECONDS = 10.0
SCHEDULER = Scheduler(enable_fuzzing=False)

_STATUS_RATINGS = {
    "incorrect": Rating.Again,
    "wrong": Rating.Again,
    "partial": Rating.Hard,
}


def rating_for(
    status: str,
    seconds: float,
    *,
    rating: int | None = None,
    quick_seconds: float = QUICK_SECONDS,
) -> Rating:
    """The FSRS rating for an answer.

    An explicit ``rating`` (1..4: free-response self-rating, Anki-style keys) wins.
    Otherwise incorrect -> Again, partial -> Hard, correct -> Good, or Easy when
    answered in under ``quick_seconds``. A time of 0 or less means "not measured" and
    never earns Easy.
    """
    if rating is not None:
        if isinstance(rating, bool) or int(rating) != rating or not 1 <= rating <= 4:
            raise ValueError(f"rating must be 1 (again) to 4 (easy), not {rating!r}")
        return Rating(int(rating))
    if status == "correct":
        return Rating.Easy if 0 < seconds < quick_seconds else Rating.Good
    try:
        return _STATUS_RATINGS[status]
    except KeyError:
        raise ValueError(
            f"cannot schedule an answer with status {status!r}: "
            "expected 'correct', 'partial' or 'incorrect'"
        ) from None


def card_id_for(key: str) -> int:
    """A stable card id for a question key (fsrs would otherwise use the clock)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=6).digest(), "big")


def new_card(key: str, now: datetime) -> Card:
    """A card never reviewed, due at ``now``."""
    return Card(card_id=card_id_for(key), due=to_utc(now))


def review(card: Card, rating: Rating, when: datetime, seconds: float) -> tuple[Card, ReviewLog]:
    """The card after a review at ``when`` and its review log (fsrs copies the card)."""
    when = to_utc(when)
    if card.last_review is not None and when < card.last_review:
        when = card.last_review  # a clock that went back must not make intervals negative
    duration = round(seconds * 1000) if seconds > 0 else None
    return SCHEDULER.review_card(card, rating, review_datetime=when, review_duration=duration)


RATING_NAMES = RATINGS  # 1..4, the names fsrs and the free-response grader use


def preview(card: Card, when: datetime) -> dict[int, datetime]:
    """When ``card`` would next be due after each rating (1..4) given at ``when``.

    Asks fsrs's own scheduler (the same one ``review`` uses), so the intervals a learner
    is shown are the ones they get.
    """
    return {int(rating): review(card, rating, when, 0.0)[0].due for rating in Rating}


def format_interval(interval: timedelta) -> str:
    """A next-review interval the way Anki labels its buttons: ``<1m``, ``10m``, ``5h``,
    ``3d``, ``1.5mo``, ``1.2y``."""
    seconds = interval.total_seconds()
    minutes = seconds / 60
    if minutes < 1:
        return "<1m"
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}".removesuffix(".0") + "mo"
    return f"{days / 365:.1f}".removesuffix(".0") + "y"


def replay(key: str, history: Sequence[tuple[str, str, float, int | None]]) -> Card | None:
    """The card after ``history``: (answered_at ISO, status, seconds, rating) rows, oldest
    first; None when there is no history."""
    card = None
    for answered_at, status, seconds, rating in history:
        when = datetime.fromisoformat(answered_at)
        card = card or new_card(key, when)
        card, _ = review(card, rating_for(status, seconds, rating=rating), when, seconds)
    return card


def to_utc(when: datetime) -> datetime:
    """``when`` in UTC (fsrs insists on ``timezone.utc``); a naive time is taken as UTC."""
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    return when.astimezone(UTC)
