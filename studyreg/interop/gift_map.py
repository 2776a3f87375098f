"""Moodle question records (``gift_parse``) -> studyreg question data, graded as Moodle grades.

Each question is validated against the pack model here, so a problem is reported at
its GIFT line rather than in a YAML file the user never wrote. See docs/import-gift.md
for the mapping table.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError

from studyreg.content import models
from studyreg.content.ids import slugify
from studyreg.interop.gift_parse import GiftAnswer, GiftError, GiftQuestion, GiftText
from studyreg.interop.gift_text import plain_text

_QUESTION: TypeAdapter[Any] = TypeAdapter(models.Question)
_FULL = 1.0 - 1e-9  # Moodle counts a fraction of 0.9999999 as full marks


class _Texts:
    """Turns GIFT text into plain text, remembering dropped media for one note."""

    def __init__(self) -> None:
        self.media: list[str] = []

    def __call__(self, text: GiftText) -> str:
        plain, media = plain_text(text)
        self.media.extend(media)
        return plain

    def optional(self, text: GiftText) -> str | None:
        return self(text) or None


def map_question(q: GiftQuestion) -> tuple[dict[str, Any] | None, list[str]]:
    """The studyreg question for ``q`` (None when it has no equivalent) and notes.

    Raises ``GiftError`` when the question cannot be imported faithfully.
    """
    notes = list(q.notes)
    texts = _Texts()
    prompt = texts(q.text)
    if q.qtype == "description":
        return None, [*notes, "a description (text without answers) has no studyreg type; skipped"]
    if not prompt:
        raise GiftError(q.line, "the question has no text")
    name = _name(q.name)
    # Moodle's idnumber ("[id:...]" in a comment) is the stable id; else the name or text.
    key = q.idnumber or name or prompt[:40]
    data: dict[str, Any] = {"id": slugify(key, f"q{q.line}"), "prompt": prompt}
    tags = list(dict.fromkeys(tag[:500] for tag in q.tags if tag))
    if tags:
        data["tags"] = tags
    explanation = texts.optional(q.general_feedback)
    if explanation:
        data["explanation"] = explanation
    if q.qtype == "essay":
        notes.append("essay imported as free response: write its model answer and key points")
        data.update(
            type="free_response",
            model_answer=explanation or "(to be written by the instructor)",
            key_points=["(to be written by the instructor)"],
        )
    elif q.qtype == "truefalse":
        data.update(type="true_false", answer=q.correct)
        for key, text in (("feedback_true", q.feedback_true), ("feedback_false", q.feedback_false)):
            if texts(text):
                data[key] = texts(text)
    elif q.qtype == "multichoice":
        data.update(_choices(q, texts, notes))
    elif q.qtype == "match":
        data.update(_matching(q, texts))
    elif q.qtype == "shortanswer":
        data.update(_short_answer(q, notes, texts))
    elif q.qtype == "numerical":
        data.update(_numerical(q, texts))
    else:  # pragma: no cover - gift_parse only makes the types above
        raise GiftError(q.line, f"unknown question type {q.qtype!r}")
    if texts.media:
        notes.append(
            "links or media were dropped from the text: " + ", ".join(sorted(set(texts.media)))
        )
    try:
        _QUESTION.validate_python(data)
    except ValidationError as error:
        raise GiftError(q.line, _first_problem(error)) from None
    return data, notes


def _name(name: str | None) -> str | None:
    if name is None:
        return None
    return " ".join(name.split()) or None


def _first_problem(error: ValidationError) -> str:
    detail = error.errors()[0]
    where = ".".join(str(part) for part in detail["loc"][1:])  # [0] is the type tag
    message = str(detail["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def _choices(q: GiftQuestion, texts: _Texts, notes: list[str]) -> dict[str, Any]:
    choices = []
    for answer in q.answers:
        choice: dict[str, Any] = {"text": texts(answer.text)}
        feedback = texts.optional(answer.feedback)
        if feedback:
            choice["feedback"] = feedback
        choices.append((choice, answer.fraction))
    fractions = [f for _, f in choices]
    for fraction in fractions:
        if not -1.0 <= fraction <= 1.0:
            raise GiftError(q.line, f"an answer weight of {fraction:.0%} is outside -100%..100%")
    if q.single:
        # One answer (radio buttons): the picked answer's weight is the mark.
        full = [f >= _FULL for f in fractions]
        if not any(full):
            raise GiftError(q.line, "no answer earns full marks ('=' or %100%)")
        plain = sum(full) == 1 and all(f in (0.0, 1.0) for f in fractions)
        for choice, fraction in choices:
            choice["correct"] = fraction >= _FULL
            if not plain:
                choice["credit"] = 1.0 if fraction >= _FULL else fraction
        return {"type": "single_choice", "choices": [c for c, _ in choices]}
    # Several answers (checkboxes): the sum of the picked weights, clipped to 0..1.
    if not any(f > 0 for f in fractions):
        raise GiftError(q.line, "no answer earns any marks (give the right ones a %weight%)")
    total = round(sum(f for f in fractions if f > 0), 2)
    if total != 1:
        notes.append(
            f"the positive weights add up to {total:.0%}, not 100% (Moodle warns of this too)"
            + ("; full marks cannot be reached" if total < 1 else "")
        )
    for choice, fraction in choices:
        choice["correct"] = fraction > 0
        choice["credit"] = fraction
    return {
        "type": "multiple_choice",
        "partial_credit": "credit",
        "choices": [c for c, _ in choices],
    }


def _matching(q: GiftQuestion, texts: _Texts) -> dict[str, Any]:
    pairs, distractors = [], []
    for left, right in q.pairs:
        shown = texts(left)
        if not shown and not right:
            continue  # Moodle skips a pair with both sides blank
        if not shown:
            distractors.append(right)  # Moodle: an extra wrong answer
        elif not right:
            raise GiftError(q.line, f"the matching item {shown[:40]!r} has nothing after '->'")
        else:
            pairs.append({"left": shown, "right": right})
    data: dict[str, Any] = {"type": "matching", "pairs": pairs}
    if distractors:
        data["distractors"] = distractors
    return data


def _short_answer(q: GiftQuestion, notes: list[str], texts: _Texts) -> dict[str, Any]:
    """Moodle checks the answers in order and the first match gives its weight; '*' is any text."""
    best = sorted(q.answers, key=lambda a: (-a.fraction, "*" in a.text.text))[0]
    if best.fraction <= 0:
        raise GiftError(q.line, "no answer earns any marks")
    full = [a.text.text for a in q.answers if a.fraction >= _FULL and "*" not in a.text.text]
    full = full or [best.text.text]  # what is shown as the answer
    for answer in q.answers:
        if not 0.0 <= answer.fraction <= 1.0:
            raise GiftError(
                q.line, f"a short-answer weight of {answer.fraction:.0%} is outside 0%..100%"
            )
    data: dict[str, Any] = {"type": "short_answer", "answers": full}
    plain = all(a.fraction >= _FULL and "*" not in a.text.text for a in q.answers)
    if plain and not any(a.feedback.text for a in q.answers):
        return data  # every answer fully right, no feedback: the plain form says it all
    accept = []
    for answer in q.answers:
        entry: dict[str, Any] = {"text": answer.text.text, "credit": min(answer.fraction, 1.0)}
        feedback = texts.optional(answer.feedback)
        if feedback:
            entry["feedback"] = feedback
        accept.append(entry)
    data["accept"] = accept
    return data


def _numerical(q: GiftQuestion, texts: _Texts) -> dict[str, Any]:
    accept = []
    for answer in q.answers:
        if not 0.0 <= answer.fraction <= 1.0:
            raise GiftError(
                q.line, f"a numerical answer weight of {answer.fraction:.0%} is outside 0%..100%"
            )
        entry: dict[str, Any] = {"credit": answer.fraction}
        if answer.value is not None:
            entry["value"] = answer.value
            if answer.tolerance:
                entry["margin"] = answer.tolerance
        feedback = texts.optional(answer.feedback)
        if feedback:
            entry["feedback"] = feedback
        accept.append(entry)
    shown = _shown_answer(q.answers)
    if shown is None:
        raise GiftError(q.line, "no numerical answer gives a number")
    return {
        "type": "numeric",
        "answer": shown.value,
        "tolerance": {"rtol": 0.0, "atol": shown.tolerance},
        "accept": accept,
    }


def _shown_answer(answers: list[GiftAnswer]) -> GiftAnswer | None:
    """The answer shown as right: the first with the most credit, as Moodle picks it."""
    numbers = [a for a in answers if a.value is not None]
    if not numbers:
        return None
    best = max(a.fraction for a in numbers)
    return next(a for a in numbers if a.fraction == best)
