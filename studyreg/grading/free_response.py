"""Grading a self-graded free response: the key points ticked and a self-rating."""

from __future__ import annotations

from collections.abc import Collection

from studyreg.grading.verdict import CORRECT, Verdict, incorrect

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def grade_free_response(covered: Collection[int], n_key_points: int, self_rating: int) -> Verdict:
    """Grade a free response the learner checked against the model answer.

    ``covered`` holds the 0-based key points ticked; ``self_rating`` is 1..4 (Again, Hard,
    Good, Easy). Correct when every key point is covered and the rating is at least Good;
    incorrect (score 0) when none is covered or the rating is Again; otherwise partial
    with score = fraction covered. With no key points the fraction is 1.
    Raises ``ValueError`` for a rating outside 1..4 or a key point out of range.
    """
    if isinstance(self_rating, bool) or self_rating not in RATINGS:
        raise ValueError(
            f"self_rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), got {self_rating!r}"
        )
    if isinstance(n_key_points, bool) or not isinstance(n_key_points, int) or n_key_points < 0:
        raise ValueError(f"n_key_points must be an int >= 0, got {n_key_points!r}")
    ticked = set(covered)
    outside = sorted(i for i in ticked if not (isinstance(i, int) and 0 <= i < n_key_points))
    if outside:
        raise ValueError(f"key points {outside} are out of range 0..{n_key_points - 1}")
    fraction = len(ticked) / n_key_points if n_key_points else 1.0
    summary = f"you covered {len(ticked)} of {n_key_points} key points" if n_key_points else ""
    rated = f"you rated it {RATINGS[self_rating]}"
    about = f"{summary}; {rated}." if summary else f"{rated}."
    about = about[0].upper() + about[1:]
    if self_rating == 1 or (n_key_points and not ticked):
        return incorrect(about)
    if fraction == 1.0 and self_rating >= 3:
        return CORRECT if not summary else Verdict("correct", 1.0, about)
    return Verdict("partial", fraction, about)
