"""Question items: one variant of a question, ready to show and to grade.

Building an item shuffles choices and, for a computed question, draws the
varied parameters and a seed, runs the experiment (cached) and evaluates the
truth. Everything is drawn from a ``random.Random`` seeded by the caller, so the
same session seed gives the same variants.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from studyreg.content import models
from studyreg.grading import Verdict
from studyreg.study.kinds import BlankVariant, FreeResponseAnswer, Kind, kind_of
from studyreg.study.kinds.numbers import draw_params

__all__ = ["FreeResponseAnswer", "QuestionItem", "build_item", "draw_params", "item_key"]


@dataclass
class QuestionItem:
    """One variant of a question. Everything type-specific is the ``kind``'s business;
    the methods here delegate to it so that every front end asks the item."""

    key: str
    pack: models.Pack
    concept: models.Concept
    question: Any
    prompt: str
    options: list[str] = field(default_factory=list)
    lefts: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    seed: int | None = None
    experiment: tuple[str, dict[str, Any], int] | None = None
    truth: float | None = None
    blanks: list[BlankVariant] = field(default_factory=list)  # cloze: one per blank
    # display index -> index in the question's own list (choices, items, pairs, rights)
    option_order: tuple[int, ...] = ()
    left_order: tuple[int, ...] = ()
    requeued: int = 0  # times a learn session has brought it back

    @property
    def type(self) -> str:
        return str(self.question.type)

    @property
    def kind(self) -> Kind:
        return kind_of(self.type)

    @property
    def live(self) -> bool:
        """This variant was drawn from a run of the experiment (parameters and seed)."""
        return self.seed is not None

    def truths(self) -> list[float]:
        """Every number this variant asks for (a computed answer, cloze number blanks)."""
        if self.truth is not None:
            return [self.truth]
        return [b.truth for b in self.blanks if b.truth is not None]

    def how_to_answer(self) -> str:
        return self.kind.how_to_answer(self)

    def option_lines(self) -> list[str]:
        return self.kind.option_lines(self)

    def grade(self, response: Any) -> Verdict:
        """Grade a response given in display terms (see each kind)."""
        return self.kind.grade(self, response)

    def parse_response(self, text: str) -> Any:
        """Read a typed line (plain mode) as a response; raises ``AnswerParseError``."""
        return self.kind.parse(self, text.strip())

    def answer_value(self) -> str:
        """The correct answer as a learner would type it in plain mode."""
        return self.kind.answer_value(self)

    def answer_text(self) -> str:
        """The correct answer for people to read."""
        return self.kind.answer_text(self)

    def answer_lines(self) -> list[str]:
        """The correct answer as lines to read (one per row for matching)."""
        return self.kind.answer_lines(self)

    def feedback(self, response: Any) -> list[str]:
        """Per-choice feedback an instructor wrote for what was picked."""
        return self.kind.feedback(self, response)

    def response_text(self, response: Any) -> str:
        """A response as one line of text, for the progress store and reviews."""
        return self.kind.response_text(self, response)

    def display_of(self, original: int) -> int:
        """Where option ``original`` of the question's own list is shown."""
        return self.option_order.index(original)


# --- building items --------------------------------------------------------------


def item_key(pack: models.Pack, concept: models.Concept, question: Any) -> str:
    return f"{pack.id}/{concept.id}/{question.id}"


def build_item(
    pack: models.Pack, concept: models.Concept, question: Any, rng: random.Random
) -> QuestionItem:
    """Draw one variant of ``question``; live questions run their experiment."""
    item = QuestionItem(item_key(pack, concept, question), pack, concept, question, question.prompt)
    if concept.experiment is not None:
        ref = concept.experiment
        item.experiment = (ref.name, dict(ref.params), ref.seed)
    item.kind.build(item, rng)
    return item
