"""A pack as rows, one per question, for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from studyreg.content.models import Pack

COLUMNS = (
    "pack_id",
    "concept_id",
    "question_id",
    "type",
    "prompt",
    "answer",
    "choices",
    "explanation",
    "tags",
)


def answer_summary(question: Any) -> str:
    """The right answer as one readable line (computed questions show their expression)."""
    kind = question.type
    if kind in ("single_choice", "multiple_choice"):
        return " | ".join(c.text for c in question.choices if c.correct)
    if kind == "true_false":
        return "true" if question.answer else "false"
    if kind == "short_answer":
        return " | ".join(question.answers)
    if kind == "ordering":
        return " → ".join(question.items)
    if kind == "matching":
        return " | ".join(f"{p.left} → {p.right}" for p in question.pairs)
    if kind == "numeric":
        return f"{question.answer:g}" + (f" {question.unit}" if question.unit else "")
    if kind == "computed":
        return f"computed live: {question.answer}"
    return question.model_answer


def choices_summary(question: Any) -> str:
    if question.type in ("single_choice", "multiple_choice"):
        return " | ".join(c.text for c in question.choices)
    if question.type == "matching":
        return " | ".join([p.right for p in question.pairs] + list(question.distractors))
    if question.type == "free_response":
        return " | ".join(question.key_points)
    return ""


def question_rows(pack: Pack) -> Iterator[dict[str, str]]:
    for concept in pack.concepts:
        for question in concept.questions:
            yield {
                "pack_id": pack.id,
                "concept_id": concept.id,
                "question_id": question.id,
                "type": question.type,
                "prompt": " ".join(question.prompt.split()),
                "answer": " ".join(answer_summary(question).split()),
                "choices": choices_summary(question),
                "explanation": " ".join((question.explanation or "").split()),
                "tags": ",".join(question.tags),
            }


def to_csv(packs: list[Pack]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for pack in packs:
        writer.writerows(question_rows(pack))
    return out.getvalue()
