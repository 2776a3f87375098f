"""Grading a typed answer against weighted patterns, as Moodle's short-answer type does."""

from __future__ import annotations

import re
from collections.abc import Sequence

from studyreg.grading.text import normalize_answer
from studyreg.grading.verdict import CORRECT, Verdict, incorrect, invalid, quote


def matches_pattern(text: str, pattern: str, *, case_sensitive: bool = False) -> bool:
    """True when ``text`` matches ``pattern``, where ``*`` stands for any text (``\\*`` is a star).

    Both sides are normalized as ``normalize_answer`` does (ends stripped, inner spacing
    collapsed, case folded unless ``case_sensitive``), so ``"The  Lasso"`` matches ``"the lasso"``.
    """
    given = normalize_answer(text, case_sensitive=case_sensitive)
    wanted = normalize_answer(pattern, case_sensitive=case_sensitive)
    bits = re.split(r"(?<!\\)\*+", wanted)
    regex = ".*".join(re.escape(bit.replace("\\*", "*")) for bit in bits)
    return re.fullmatch(regex, given, flags=re.DOTALL) is not None


def match_text_answer(
    text: str, patterns: Sequence[str], *, case_sensitive: bool = False
) -> int | None:
    """The index of the first pattern ``text`` matches (see ``matches_pattern``), or None."""
    for index, pattern in enumerate(patterns):
        if matches_pattern(text, pattern, case_sensitive=case_sensitive):
            return index
    return None


def grade_text_answers(
    text: str, answers: Sequence[tuple[str, float]], *, case_sensitive: bool = False
) -> tuple[Verdict, int | None]:
    """Grade ``text`` against ``(pattern, credit)`` answers: the first match gives its credit.

    Moodle's short-answer rule: ``[("Nazareth", 1), ("Nazereth", 0.75), ("*", 0)]`` scores
    "nazareth" 1, "Nazereth" 0.75 and anything else 0. A blank answer is ``invalid``.
    Returns the verdict and the index of the matching answer.
    """
    for _, credit in answers:
        if not 0.0 <= credit <= 1.0:
            raise ValueError(f"an answer's credit must be in 0..1, got {credit!r}")
    if not normalize_answer(text):
        return invalid("The answer is empty: type your answer and press Enter."), None
    index = match_text_answer(text, [p for p, _ in answers], case_sensitive=case_sensitive)
    credit = answers[index][1] if index is not None else 0.0
    typed = quote(text.strip())
    if credit >= 1.0:
        return CORRECT, index
    if credit > 0:
        return Verdict("partial", credit, f"Partly right ({credit:.0%}): {typed}."), index
    return incorrect(f"Not quite: {typed} is not an accepted answer."), index
