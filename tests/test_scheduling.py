"""From a verdict (status, time, self-rating) to an FSRS rating and the next review."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from fsrs import Rating, State

from studyreg.study.scheduling import card_id_for, new_card, rating_for, replay, review

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "seconds", "expected"),
    [
        ("incorrect", 3.0, Rating.Again),
        ("incorrect", 60.0, Rating.Again),
        ("wrong", 5.0, Rating.Again),
        ("partial", 3.0, Rating.Hard),
        ("partial", 60.0, Rating.Hard),
        ("correct", 9.9, Rating.Easy),
        ("correct", 10.0, Rating.Good),
        ("correct", 45.0, Rating.Good),
        ("correct", 0.0, Rating.Good),  # time not measured: never Easy
    ],
)
def test_status_and_time_map_to_a_rating(status: str, seconds: float, expected: Rating) -> None:
    assert rating_for(status, seconds) is expected


@pytest.mark.parametrize("rating", [1, 2, 3, 4])
@pytest.mark.parametrize("status", ["correct", "partial", "incorrect"])
def test_an_explicit_rating_wins(status: str, rating: int) -> None:
    assert rating_for(status, 3.0, rating=rating) == Rating(rating)


def test_quick_threshold_is_adjustable() -> None:
    assert rating_for("correct", 15.0, quick_seconds=20.0) is Rating.Easy
    assert rating_for("correct", 5.0, quick_seconds=2.0) is Rating.Good


@pytest.mark.parametrize("rating", [0, 5, 2.5, True])
def test_out_of_range_ratings_are_refused(rating) -> None:
    with pytest.raises(ValueError, match="rating"):
        rating_for("correct", 3.0, rating=rating)


def test_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError, match="invalid"):
        rating_for("invalid", 3.0)


def test_review_is_deterministic_without_fuzz() -> None:
    dues = set()
    for _ in range(3):
        card = new_card("p/c/q", T0)
        for day in range(4):
            card, _ = review(card, Rating.Good, T0 + timedelta(days=30 * day), 8.0)
        dues.add(card.due)
    assert len(dues) == 1


def test_again_on_a_new_card_is_due_after_the_first_learning_step() -> None:
    card, log = review(new_card("p/c/q", T0), Rating.Again, T0, 4.5)
    assert card.state == State.Learning and card.due == T0 + timedelta(minutes=1)
    assert log.rating == Rating.Again and log.review_duration == 4500
    assert log.card_id == card_id_for("p/c/q")


def test_review_accepts_any_aware_time_and_naive_as_utc() -> None:
    paris = timezone(timedelta(hours=1))
    aware, _ = review(new_card("k", T0), Rating.Easy, T0.astimezone(paris), 3.0)
    naive, _ = review(new_card("k", T0), Rating.Easy, T0.replace(tzinfo=None), 3.0)
    assert aware == naive and aware.state == State.Review and aware.due > T0 + timedelta(days=1)


def test_a_clock_that_goes_back_never_schedules_into_the_past() -> None:
    card, _ = review(new_card("k", T0), Rating.Good, T0, 20.0)
    again, _ = review(card, Rating.Good, T0 - timedelta(hours=5), 20.0)
    assert again.last_review == T0 and again.due >= T0


def test_card_ids_are_stable_and_distinct() -> None:
    assert card_id_for("p/c/q1") == card_id_for("p/c/q1") != card_id_for("p/c/q2")


def test_replay_rebuilds_a_card_from_its_history() -> None:
    later = T0 + timedelta(days=2)
    card, _ = review(new_card("k", T0), Rating.Again, T0, 5.0)
    card, _ = review(card, Rating.Easy, later, 4.0)
    history = [(T0.isoformat(), "incorrect", 5.0, None), (later.isoformat(), "correct", 30.0, 4)]
    assert replay("k", history) == card
    assert replay("k", []) is None
