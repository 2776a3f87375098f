"""Grading single choice, multiple choice and true/false answers (0-based indices)."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence
from typing import Literal

from studyreg.grading.verdict import (
    CORRECT,
    AnswerParseError,
    Verdict,
    incorrect,
    invalid,
    letter,
    quote,
)

_TRUE = frozenset({"true", "t", "yes", "y", "1", "right", "correct"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "wrong", "incorrect"})


def grade_single_choice(selected: int, correct: int) -> Verdict:
    """Grade one picked choice against the right one."""
    if selected == correct:
        return CORRECT
    return incorrect(f"Not quite: {letter(selected)} is not the right choice.")


def grade_multiple_choice(
    selected: Collection[int],
    correct: Collection[int],
    n_choices: int,
    *,
    partial: Literal["off", "net"] = "off",
) -> Verdict:
    """Grade a set of picked choices.

    ``partial="off"`` is all-or-nothing; ``"net"`` scores
    ``max(0, (right picks - wrong picks) / number of right choices)``.
    Picking nothing is ``invalid`` unless no choice is right.
    """
    if partial not in ("off", "net"):
        raise ValueError(f"partial must be 'off' or 'net', got {partial!r}")
    picked, right = set(selected), set(correct)
    for index in picked | right:
        if not 0 <= index < n_choices:
            raise ValueError(f"choice index {index} is out of range 0..{n_choices - 1}")
    if not picked and right:
        return invalid("Pick at least one choice.")
    if picked == right:
        return CORRECT
    hits, wrong = picked & right, sorted(picked - right)
    summary = f"you found {len(hits)} of the {len(right)} right choices"
    if not right:
        summary = "none of the choices is right"
    if wrong:
        names = _join([letter(i) for i in wrong])
        summary += f"; you also picked {names}, which {'is' if len(wrong) == 1 else 'are'} wrong"
    if partial == "net" and right:
        score = max(0.0, (len(hits) - len(wrong)) / len(right))
        if score > 0:
            return Verdict("partial", score, f"Partly right ({score:.0%}): {summary}.")
    return incorrect(f"Not quite: {summary}.")


def grade_choice_credit(selected: int, credits: Sequence[float]) -> Verdict:
    """Grade one picked choice when each choice earns its own credit (Moodle's weights).

    The score is the picked choice's credit, at least 0: ``credits = [1, 0.25, 0]`` gives
    1 for choice 0, 0.25 for choice 1 and 0 for choice 2. ``credits`` is in display order.
    """
    _check_credits(credits)
    if not 0 <= selected < len(credits):
        raise ValueError(f"choice index {selected} is out of range 0..{len(credits) - 1}")
    return _credit_verdict(credits[selected], f"{letter(selected)} is not the best choice")


def grade_choices_by_credit(selected: Collection[int], credits: Sequence[float]) -> Verdict:
    """Grade a set of picked choices by the sum of their credits, clipped to 0..1.

    This is Moodle's multiple-answer rule: picking ``credits = [0.5, 0.5, -1]`` choices 0
    and 1 scores 1; 0 and 2 scores 0; choice 0 alone scores 0.5. Picking nothing is
    ``invalid``. ``credits`` is in display order.
    """
    _check_credits(credits)
    picked = set(selected)
    for index in picked:
        if not 0 <= index < len(credits):
            raise ValueError(f"choice index {index} is out of range 0..{len(credits) - 1}")
    if not picked:
        return invalid("Pick at least one choice.")
    total = sum(credits[i] for i in picked)
    penalised = sorted(i for i in picked if credits[i] < 0)
    missed = sum(1 for i, c in enumerate(credits) if c > 0 and i not in picked)
    parts = []
    if penalised:
        parts.append(
            f"{_join([letter(i) for i in penalised])} cost{'s' if len(penalised) == 1 else ''} marks"
        )
    if missed:
        parts.append(
            f"{missed} choice{'s' if missed != 1 else ''} that earn{'s' if missed == 1 else ''} marks {'was' if missed == 1 else 'were'} not picked"
        )
    return _credit_verdict(total, "; ".join(parts) or "the picked choices earn no marks")


def _check_credits(credits: Sequence[float]) -> None:
    if not credits:
        raise ValueError("credits must not be empty")
    for credit in credits:
        if not -1.0 <= credit <= 1.0:
            raise ValueError(f"a choice's credit must be in -1..1, got {credit!r}")


def _credit_verdict(total: float, why: str) -> Verdict:
    score = min(max(total, 0.0), 1.0)
    if score >= 1.0 - 1e-9:
        return CORRECT
    if score > 0:
        return Verdict("partial", score, f"Partly right ({score:.0%}): {why}.")
    return incorrect(f"Not quite: {why}.")


def parse_true_false(text: str) -> bool:
    """Read true/false, t/f, yes/no, y/n, 1/0, right/wrong or correct/incorrect, any case.

    Raises ``AnswerParseError`` for anything else.
    """
    word = unicodedata.normalize("NFKC", text).strip().rstrip(".!").strip().casefold()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    if not word:
        raise AnswerParseError("The answer is empty: type true or false (or t/f, yes/no).")
    raise AnswerParseError(
        f"I can't read {quote(text.strip())} as true or false: type true or false (or t/f, yes/no)."
    )


def grade_true_false(answer: bool | str, truth: bool) -> Verdict:
    """Grade a true/false answer; typed text is read by ``parse_true_false``."""
    if isinstance(answer, str):
        try:
            answer = parse_true_false(answer)
        except AnswerParseError as error:
            return invalid(str(error))
    if answer == truth:
        return CORRECT
    return incorrect(f"Not quite: the statement is {'true' if truth else 'false'}.")


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
