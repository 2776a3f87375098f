"""Cloze ("embedded answers"): a prompt with blanks, each a word, a number or a choice,
graded on its own with partial credit. Number blanks may be computed live."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from studyreg import grading
from studyreg.content import models
from studyreg.expr import parse_expression
from studyreg.grading import AnswerParseError, Verdict
from studyreg.grading.verdict import letter
from studyreg.study.kinds.base import Kind
from studyreg.study.kinds.choice import shuffled
from studyreg.study.kinds.numbers import plain_number, run_variant, tolerance_of, with_unit

if TYPE_CHECKING:
    from studyreg.study.items import QuestionItem

SEPARATOR = re.compile(r"\s*[;|]\s*")


def blank_label(n: int) -> str:
    """How blank ``n`` (0-based) is shown in the prompt and named in messages."""
    return f"[{n + 1}]"


@dataclass
class BlankVariant:
    """One blank of one variant: its truth (number blanks) or shuffled options (choices)."""

    truth: float | None = None
    options: list[str] = field(default_factory=list)
    order: tuple[int, ...] = ()  # display index -> index in the blank's choices

    def display_of(self, original: int) -> int:
        return self.order.index(original)


def _right_choice(blank: models.ChoiceBlank) -> int:
    return next(i for i, c in enumerate(blank.choices) if c.correct)


class Cloze(Kind):
    name = "cloze"
    title = "fill in the blanks"
    aliases = ("cloze", "blanks")
    numeric = True  # show every blank's exact answer, even after a right response

    # --- a variant ------------------------------------------------------------------

    def build(self, item: QuestionItem, rng: random.Random) -> None:
        q = item.question
        env = run_variant(item, rng) if q.live else {}
        item.blanks = []
        for blank in q.blanks:
            variant = BlankVariant()
            if isinstance(blank, models.NumberBlank):
                answer = blank.answer
                if isinstance(answer, str):
                    variant.truth = float(parse_expression(answer).evaluate(env))
                else:
                    variant.truth = float(answer)
            elif isinstance(blank, models.ChoiceBlank):
                variant.order = shuffled(len(blank.choices), rng, blank.shuffle)
                variant.options = [blank.choices[i].text for i in variant.order]
            item.blanks.append(variant)
        item.prompt = models.BLANK_MARK.sub(
            lambda m: blank_label(int(m.group(1)) - 1) + "____", item.prompt
        )

    def how_to_answer(self, item: QuestionItem) -> str:
        words = [self._what(blank) for blank in item.question.blanks]
        return f"one answer per blank, in order, separated by ';': {'; '.join(words)}"

    def _what(self, blank: Any) -> str:
        if isinstance(blank, models.ChoiceBlank):
            return "a letter"
        if isinstance(blank, models.NumberBlank):
            return "a number" + (f" (in {blank.unit})" if blank.unit else "")
        return "a word"

    def option_lines(self, item: QuestionItem) -> list[str]:
        lines = []
        for n, variant in enumerate(item.blanks):
            if variant.options:
                shown = "  ".join(f"{letter(i)}) {o}" for i, o in enumerate(variant.options))
                lines.append(f"  {blank_label(n)} {shown}")
        return lines

    def parse(self, item: QuestionItem, text: str) -> list[str | int]:
        parts = SEPARATOR.split(text.strip()) if text.strip() else []
        n = len(item.blanks)
        if len(parts) != n:
            raise AnswerParseError(
                f"give {n} answers, one per blank, separated by ';' (got {len(parts)})"
            )
        response: list[str | int] = []
        for i, (part, variant) in enumerate(zip(parts, item.blanks, strict=True)):
            if not part:
                raise AnswerParseError(f"blank {blank_label(i)} is empty")
            if variant.options:
                try:
                    picked = grading.parse_index_list(part, len(variant.options))
                except AnswerParseError as error:
                    raise AnswerParseError(f"blank {blank_label(i)}: {error}") from None
                if len(picked) != 1:
                    last = letter(len(variant.options) - 1)
                    raise AnswerParseError(f"blank {blank_label(i)}: pick one letter, A–{last}")
                response.append(picked[0])
            else:
                response.append(part)
        return response

    # --- grading --------------------------------------------------------------------

    def grade_blank(self, item: QuestionItem, n: int, answer: str | int) -> Verdict:
        blank = item.question.blanks[n]
        variant = item.blanks[n]
        if isinstance(blank, models.ChoiceBlank):
            return grading.grade_single_choice(
                int(answer), variant.display_of(_right_choice(blank))
            )
        if isinstance(blank, models.NumberBlank):
            assert variant.truth is not None
            return grading.grade_number(
                str(answer), variant.truth, tolerance_of(blank.tolerance), integer=blank.integer
            )
        return grading.grade_short_answer(
            str(answer), blank.answers, case_sensitive=blank.case_sensitive
        )

    def grade(self, item: QuestionItem, response: Any) -> Verdict:
        answers = list(response)
        if len(answers) != len(item.blanks):
            return grading.Verdict(
                "invalid", 0.0, f"Fill every blank: {len(item.blanks)} answers are needed."
            )
        verdicts = [self.grade_blank(item, n, a) for n, a in enumerate(answers)]
        for n, verdict in enumerate(verdicts):
            if not verdict.counts:  # an unreadable blank: ask again, no penalty
                return grading.Verdict(verdict.status, 0.0, f"{blank_label(n)} {verdict.message}")
        right = sum(v.score for v in verdicts)
        total = len(verdicts)
        if right == total:
            return grading.Verdict("correct", 1.0, f"All {total} blanks are right.")
        wrong = " ".join(
            f"{blank_label(n)} {v.message}" for n, v in enumerate(verdicts) if not v.correct
        )
        message = f"{right:g} of {total} blanks right. {wrong}"
        if right and item.question.partial_credit:
            return grading.Verdict("partial", right / total, message)
        return grading.Verdict("incorrect", 0.0, message)

    # --- showing the truth ------------------------------------------------------------

    def blank_value(self, item: QuestionItem, n: int) -> str:
        blank = item.question.blanks[n]
        variant = item.blanks[n]
        if isinstance(blank, models.ChoiceBlank):
            return letter(variant.display_of(_right_choice(blank)))
        if isinstance(blank, models.NumberBlank):
            assert variant.truth is not None
            tol = tolerance_of(blank.tolerance)
            return grading.format_truth(variant.truth, tol, integer=blank.integer)
        return str(blank.answers[0])

    def answer_value(self, item: QuestionItem) -> str:
        return "; ".join(self.blank_value(item, n) for n in range(len(item.blanks)))

    def answer_text(self, item: QuestionItem) -> str:
        parts = []
        for n, blank in enumerate(item.question.blanks):
            value = self.blank_value(item, n)
            if isinstance(blank, models.ChoiceBlank):
                value += ") " + blank.choices[_right_choice(blank)].text
            elif isinstance(blank, models.NumberBlank):
                value = with_unit(value, blank.unit)
            parts.append(f"{blank_label(n)} {value}")
        return "; ".join(parts)

    def feedback(self, item: QuestionItem, response: Any) -> list[str]:
        notes = []
        for n, (blank, answer) in enumerate(zip(item.question.blanks, response, strict=False)):
            if isinstance(blank, models.ChoiceBlank) and isinstance(answer, int):
                choice = blank.choices[item.blanks[n].order[answer]]
                if choice.feedback:
                    notes.append(f"{blank_label(n)} {letter(answer)}: {choice.feedback}")
        return notes

    def response_text(self, item: QuestionItem, response: Any) -> str:
        return "; ".join(letter(a) if isinstance(a, int) else str(a) for a in response)

    # --- exports ----------------------------------------------------------------------

    def summary(self, question: Any) -> str:
        parts = []
        for n, blank in enumerate(question.blanks):
            if isinstance(blank, models.ChoiceBlank):
                value = blank.choices[_right_choice(blank)].text
            elif isinstance(blank, models.NumberBlank):
                answer = blank.answer
                shown = (
                    f"computed live: {answer}" if isinstance(answer, str) else plain_number(answer)
                )
                value = with_unit(shown, blank.unit)
            else:
                value = " | ".join(blank.answers)
            parts.append(f"{blank_label(n)} {value}")
        return "; ".join(parts)

    def choices_summary(self, question: Any) -> str:
        return "; ".join(
            f"{blank_label(n)} " + " | ".join(c.text for c in blank.choices)
            for n, blank in enumerate(question.blanks)
            if isinstance(blank, models.ChoiceBlank)
        )


KINDS = (Cloze(),)
