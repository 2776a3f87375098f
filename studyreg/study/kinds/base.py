"""What every question kind provides: one object owns everything about its type.

A kind knows how to draw a variant (``build``), how to read a typed line (``parse``),
how to grade, how to show the truth and a response, and how its answer reads in an
export. Front ends look a kind up by the question's ``type`` and never compare type
strings themselves; the TUI keeps only its table of input widgets.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any, ClassVar

from studyreg.grading import Verdict

if TYPE_CHECKING:
    from studyreg.study.items import QuestionItem


class Kind:
    """Base of every question kind; subclasses set the class attributes and override."""

    name: ClassVar[str]
    """The ``type`` tag in a pack, e.g. ``"single_choice"``."""
    title: ClassVar[str]
    """What a learner reads, e.g. ``"one choice"``."""
    aliases: ClassVar[tuple[str, ...]] = ()
    """Words for ``--types`` that include this kind (shared words select several kinds)."""
    self_graded: ClassVar[bool] = False
    """The learner grades it against a model answer (no typed key to compare)."""
    numeric: ClassVar[bool] = False
    """The answer is a number: show the exact truth even after a right answer."""
    live: ClassVar[bool] = False
    """A variant runs the concept's experiment (drawn afresh for every attempt)."""

    # --- a variant ----------------------------------------------------------------

    def build(self, item: QuestionItem, rng: random.Random) -> None:
        """Fill the item's display fields for one variant (shuffles, truths)."""

    def how_to_answer(self, item: QuestionItem) -> str:
        raise NotImplementedError

    def option_lines(self, item: QuestionItem) -> list[str]:
        """The lines plain mode prints under the prompt."""
        return []

    def parse(self, item: QuestionItem, text: str) -> Any:
        """A typed line (plain mode) as a response; raises ``AnswerParseError``."""
        raise NotImplementedError

    def grade(self, item: QuestionItem, response: Any) -> Verdict:
        raise NotImplementedError

    # --- showing the truth and a response ----------------------------------------

    def answer_value(self, item: QuestionItem) -> str:
        """The correct answer as a learner would type it in plain mode."""
        raise NotImplementedError

    def answer_text(self, item: QuestionItem) -> str:
        """The correct answer for people to read."""
        return self.answer_value(item)

    def answer_lines(self, item: QuestionItem) -> list[str]:
        """The right answer as lines to read (one per row where the question has rows)."""
        return [self.answer_text(item)]

    def marked_rows(self, item: QuestionItem, response: Any) -> list[str]:
        """Per-row ✓/✗ marks for a response, where the question has rows ([] otherwise)."""
        return []

    def feedback(self, item: QuestionItem, response: Any) -> list[str]:
        """Notes the instructor wrote for what was picked."""
        return []

    def response_text(self, item: QuestionItem, response: Any) -> str:
        """A response as one line of text, for the progress store and summaries."""
        return str(response)

    # --- exports (the question itself, no variant) ---------------------------------

    def summary(self, question: Any) -> str:
        """The right answer as one readable line (CSV, Anki backs)."""
        raise NotImplementedError

    def choices_summary(self, question: Any) -> str:
        """The options offered, as one line ('' when there are none)."""
        return ""

    def card_front_list(self, question: Any) -> list[str]:
        """Items listed under the prompt on an Anki card's front."""
        return []

    def card_back_list(self, question: Any) -> list[str]:
        """Items listed under the answer on an Anki card's back."""
        return []
