"""A pack as rows, one per question, for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from studyreg.content.models import Pack
from studyreg.study.kinds import kind_of

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
    return kind_of(question.type).summary(question)


def choices_summary(question: Any) -> str:
    return kind_of(question.type).choices_summary(question)


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
