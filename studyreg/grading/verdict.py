"""The outcome of grading one response."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from studyreg.errors import StudyregError

Status = Literal["correct", "partial", "incorrect", "invalid", "imprecise"]
STATUSES: tuple[Status, ...] = ("correct", "partial", "incorrect", "invalid", "imprecise")


class AnswerParseError(StudyregError):
    """A typed answer could not be read; the message says what was typed and what works."""


@dataclass(frozen=True)
class Verdict:
    """A graded response.

    ``score`` is in 0..1. An ``invalid`` or ``imprecise`` verdict has score 0.0 and does
    not count: the caller should ask again, without penalty.
    """

    status: Status
    score: float
    message: str

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown verdict status {self.status!r}; expected one of {STATUSES}")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"a verdict's score must be in 0..1, got {self.score!r}")
        if self.status in ("invalid", "imprecise") and self.score != 0.0:
            raise ValueError(f"an {self.status} verdict must have score 0.0")

    @property
    def correct(self) -> bool:
        """True when the response is fully correct."""
        return self.status == "correct"

    @property
    def counts(self) -> bool:
        """False for ``invalid`` and ``imprecise``: ask again, no penalty."""
        return self.status not in ("invalid", "imprecise")


CORRECT = Verdict("correct", 1.0, "Correct.")


def incorrect(message: str) -> Verdict:
    return Verdict("incorrect", 0.0, message)


def invalid(message: str) -> Verdict:
    return Verdict("invalid", 0.0, message)


def letter(index: int) -> str:
    """The label a learner sees for a 0-based choice index: A, B, ... then 27, 28, ..."""
    return chr(ord("A") + index) if 0 <= index < 26 else str(index + 1)


def quote(text: str, limit: int = 30) -> str:
    """``text`` in quotes for a message: truncated, with control characters escaped."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    if not shown.isprintable():
        shown = shown.encode("unicode_escape").decode("ascii")
    return f"'{shown}'"
