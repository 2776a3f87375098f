"""What every front end says after an answer, worded once: the verdict without doubled
words, points without raw floats, matching rows in the order they were shown, and what a
computed question's experiment may show before it is answered."""

from __future__ import annotations

import re
from typing import Any

from studyreg.grading.verdict import CORRECT, letter

_STATUS_WORDS = re.compile(r"^(?:Not quite|Partly right(?: \(\d+%\))?):\s*")


def verdict_message(verdict: Any) -> str:
    """The grader's message without the words the status line already says: ``""`` for
    "Correct.", and no leading "Not quite:" / "Partly right:" after "✗ Not quite"."""
    if verdict.message == CORRECT.message:
        return ""
    message = _STATUS_WORDS.sub("", verdict.message)
    return message[:1].upper() + message[1:] if message[:1].isalpha() else message


def format_points(points: float) -> str:
    """Points for people: ``5.33``, ``5.5``, ``6`` (never ``5.33333``)."""
    return f"{points:.2f}".rstrip("0").rstrip(".")


def matching_rows(item: Any, response: dict[int, int] | None = None) -> list[str]:
    """A matching question's right pairs, one per row in the order the rows were shown;
    with ``response``, each row marked ✓ or ✗ with what was picked."""
    right = item.answer_value().split()
    lines = []
    for n, left in enumerate(item.lefts):
        index = ord(right[n]) - ord("A") if len(right[n]) == 1 else int(right[n]) - 1
        line = f"{n + 1}. {left} → {letter(index)}) {item.options[index]}"
        if response is not None:
            picked = response.get(n)
            if picked == index:
                line = "✓ " + line
            else:
                said = "nothing" if picked is None else f"{letter(picked)}) {item.options[picked]}"
                line = "✗ " + line + f"   (you: {said})"
        lines.append(line)
    return lines


def answer_lines(item: Any) -> list[str]:
    """The right answer for people to read, as lines (matching: one per row shown)."""
    if item.type == "matching":
        return matching_rows(item)
    return [item.answer_text()]


def asked_outputs(item: Any) -> set[str]:
    """The experiment outputs a computed question's answer is made of: what its
    experiment must hide until the question is answered."""
    from studyreg.expr import ExpressionError, parse_expression

    if item.type != "computed":
        return set()
    try:
        names = parse_expression(item.question.answer).names
    except ExpressionError:
        return set()
    return {name for name in names if name not in item.params}


def experiment_command(item: Any) -> str | None:
    """The ``studyreg experiment …`` command that runs this item's variant (parameters and
    seed), for a computed question; None otherwise."""
    if item.type != "computed" or item.experiment is None:
        return None
    from studyreg.study.lab import command_line

    scope = item.concept.experiment.scope if item.concept.experiment else None
    name, params, seed = item.experiment
    return command_line(name, params, seed, scope=scope)
