"""Grading a short typed answer against the accepted spellings."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from studyreg.grading.verdict import CORRECT, Verdict, incorrect, invalid, quote

# A hyphen or dash joining two letters ("k-fold", "under‐fitting"); not a minus sign.
_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])\s*[-‐‑‒–]\s*(?=[^\W\d_])")


def normalize_answer(
    text: str, *, case_sensitive: bool = False, exact_spacing: bool = False
) -> str:
    """NFKC, strip the ends, collapse inner whitespace to one space and read a hyphen between
    two letters as a space, so "under-fitting" is "under fitting" (unless ``exact_spacing``),
    and casefold (unless ``case_sensitive``)."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not exact_spacing:
        text = _WORD_HYPHEN.sub(" ", text)
        text = re.sub(r"\s+", " ", text)
    return text if case_sensitive else text.casefold()


def grade_short_answer(
    text: str, accepted: Sequence[str], *, case_sensitive: bool = False, exact_spacing: bool = False
) -> Verdict:
    """Correct when ``text`` equals one of ``accepted`` once both are normalized.

    A blank answer is ``invalid``. A miss only in capitals or only in spacing says so.
    """
    if isinstance(accepted, str) or not accepted:
        raise ValueError("accepted must be a non-empty sequence of strings")

    def matches(case: bool, spacing: bool) -> bool:
        given = normalize_answer(text, case_sensitive=case, exact_spacing=spacing)
        return given in {
            normalize_answer(a, case_sensitive=case, exact_spacing=spacing) for a in accepted
        }

    if not normalize_answer(text):
        return invalid("The answer is empty: type your answer and press Enter.")
    if matches(case_sensitive, exact_spacing):
        return CORRECT
    typed = quote(text.strip())
    if case_sensitive and matches(False, exact_spacing):
        return incorrect(f"Not quite: {typed} is close; check the capitals.")
    if exact_spacing and matches(case_sensitive, False):
        return incorrect(f"Not quite: {typed} is close; check the spacing.")
    return incorrect(f"Not quite: {typed} is not an accepted answer.")
