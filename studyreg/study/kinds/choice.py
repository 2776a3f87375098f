"""Kinds that pick from options: one choice, several choices, true or false."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from studyreg import grading
from studyreg.grading import AnswerParseError, Verdict
from studyreg.grading.choice import grade_choice_credit, grade_choices_by_credit
from studyreg.grading.verdict import letter
from studyreg.study.kinds.base import Kind
from studyreg.study.kinds.text import not_empty

if TYPE_CHECKING:
    from studyreg.study.items import QuestionItem


def shuffled(n: int, rng: random.Random, shuffle: bool) -> tuple[int, ...]:
    """Display order of ``n`` options: display index -> index in the question's list."""
    order = list(range(n))
    if shuffle:
        rng.shuffle(order)
    return tuple(order)


def credited(question: Any) -> bool:
    """Choices graded by their own credit (Moodle's answer weights, from GIFT import)."""
    if question.type == "multiple_choice":
        return bool(question.partial_credit == "credit")
    return any(c.credit is not None for c in question.choices)


def credits(item: QuestionItem) -> list[float]:
    """Each option's credit, in display order (a choice without one: 1 if correct, else 0)."""
    choices = [item.question.choices[i] for i in item.option_order]
    return [float(c.credit) if c.credit is not None else float(c.correct) for c in choices]


def lettered(options: list[str]) -> list[str]:
    return [f"  {letter(i)}) {option}" for i, option in enumerate(options)]


class _Choices(Kind):
    """Shared by single and multiple choice: shuffled options with per-choice feedback."""

    def build(self, item: QuestionItem, rng: random.Random) -> None:
        q = item.question
        item.option_order = shuffled(len(q.choices), rng, q.shuffle)
        item.options = [q.choices[i].text for i in item.option_order]

    def option_lines(self, item: QuestionItem) -> list[str]:
        return lettered(item.options)

    def right(self, item: QuestionItem) -> list[int]:
        """The right options, as display indices in display order."""
        return sorted(item.display_of(i) for i, c in enumerate(item.question.choices) if c.correct)

    def picks(self, response: Any) -> list[int]:
        raise NotImplementedError

    def feedback(self, item: QuestionItem, response: Any) -> list[str]:
        notes = []
        for i in self.picks(response):
            choice = item.question.choices[item.option_order[i]]
            if choice.feedback:
                notes.append(f"{letter(i)}: {choice.feedback}")
        return notes

    def response_text(self, item: QuestionItem, response: Any) -> str:
        return ",".join(letter(i) for i in self.picks(response))

    def answer_value(self, item: QuestionItem) -> str:
        return ",".join(letter(i) for i in self.right(item))

    def summary(self, question: Any) -> str:
        return " | ".join(c.text for c in question.choices if c.correct)

    def choices_summary(self, question: Any) -> str:
        return " | ".join(c.text for c in question.choices)

    def card_front_list(self, question: Any) -> list[str]:
        return [c.text for c in question.choices]


class SingleChoice(_Choices):
    name = "single_choice"
    title = "one choice"
    aliases = ("choice", "single")

    def how_to_answer(self, item: QuestionItem) -> str:
        return f"one letter, A–{letter(len(item.options) - 1)}"

    def parse(self, item: QuestionItem, text: str) -> int:
        n = len(item.options)
        picked = grading.parse_index_list(text, n)
        if len(picked) != 1:
            raise AnswerParseError(f"pick exactly one choice, A–{letter(n - 1)} (or 1–{n})")
        return picked[0]

    def grade(self, item: QuestionItem, response: Any) -> Verdict:
        if credited(item.question):  # Moodle's answer weights (GIFT import)
            return grade_choice_credit(int(response), credits(item))
        return grading.grade_single_choice(int(response), self.right(item)[0])

    def picks(self, response: Any) -> list[int]:
        return [int(response)]

    def answer_text(self, item: QuestionItem) -> str:
        text = next(c.text for c in item.question.choices if c.correct)
        return f"{self.answer_value(item)}) {text}"


class MultipleChoice(_Choices):
    name = "multiple_choice"
    title = "several choices"
    aliases = ("choice", "multiple")

    def how_to_answer(self, item: QuestionItem) -> str:
        return "every right letter, e.g. A,C"

    def parse(self, item: QuestionItem, text: str) -> set[int]:
        return set(grading.parse_index_list(text, len(item.options)))

    def grade(self, item: QuestionItem, response: Any) -> Verdict:
        q = item.question
        if credited(q):  # Moodle's answer weights (GIFT import)
            return grade_choices_by_credit(set(response), credits(item))
        return grading.grade_multiple_choice(
            set(response), set(self.right(item)), len(q.choices), partial=q.partial_credit
        )

    def picks(self, response: Any) -> list[int]:
        return sorted(response)

    def answer_text(self, item: QuestionItem) -> str:
        texts = "; ".join(c.text for c in item.question.choices if c.correct)
        return f"{self.answer_value(item)}: {texts}"


class TrueFalse(Kind):
    name = "true_false"
    title = "true or false"
    aliases = ("tf", "truefalse")

    def how_to_answer(self, item: QuestionItem) -> str:
        return "true or false (t/f)"

    def parse(self, item: QuestionItem, text: str) -> str:
        return not_empty(text, "type true or false")

    def grade(self, item: QuestionItem, response: Any) -> Verdict:
        return grading.grade_true_false(response, item.question.answer)

    def answer_value(self, item: QuestionItem) -> str:
        return "true" if item.question.answer else "false"

    def feedback(self, item: QuestionItem, response: Any) -> list[str]:
        q = item.question
        if isinstance(response, bool):
            said = response
        else:
            try:
                said = grading.parse_true_false(str(response))
            except AnswerParseError:
                return []
        text = q.feedback_true if said else q.feedback_false
        return [text] if text else []

    def response_text(self, item: QuestionItem, response: Any) -> str:
        if isinstance(response, bool):
            return "true" if response else "false"
        return str(response)

    def summary(self, question: Any) -> str:
        return "true" if question.answer else "false"


KINDS = (SingleChoice(), MultipleChoice(), TrueFalse())
