"""What every front end says after an answer, worded once: the verdict without doubled
words, points without raw floats, and what a live question's experiment may show before
it is answered. (How each kind shows its truth is the kind's: ``study/kinds/``.)"""

from __future__ import annotations

import re
from typing import Any

from studyreg.grading.verdict import CORRECT

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


def asked_outputs(item: Any) -> set[str]:
    """The experiment outputs a live question's answers are made of (a computed answer,
    cloze number blanks): what its experiment must hide until the question is answered."""
    from studyreg.expr import ExpressionError, parse_expression

    names: set[str] = set()
    for _, source in item.question.live_answers():
        try:
            names |= parse_expression(source).names
        except ExpressionError:
            continue
    return {name for name in names if name not in item.params}


def experiment_command(item: Any) -> str | None:
    """The ``studyreg experiment …`` command that runs this item's variant (parameters and
    seed), for a live question; None otherwise."""
    if not item.live or item.experiment is None:
        return None
    from studyreg.study.lab import command_line

    scope = item.concept.experiment.scope if item.concept.experiment else None
    name, params, seed = item.experiment
    return command_line(name, params, seed, scope=scope)
