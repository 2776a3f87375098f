"""Kinds that arrange items: put them in order, or match each to a partner."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from studyreg import grading
from studyreg.grading import AnswerParseError, Verdict
from studyreg.grading.verdict import letter
from studyreg.study.kinds.base import Kind
from studyreg.study.kinds.choice import lettered, shuffled

if TYPE_CHECKING:
    from studyreg.study.items import QuestionItem


def _example_order(n: int) -> str:
    """A sample answer of the right length that is not the solution: '2 1 3 4'."""
    order = [2, 1, *range(3, n + 1)] if n >= 2 else [1]
    return " ".join(str(i) for i in order)


class Ordering(Kind):
    name = "ordering"
    title = "put in order"
    aliases = ("order",)

    def build(self, item: QuestionItem, rng: random.Random) -> None:
        items = item.question.items
        order = shuffled(len(items), rng, True)
        if order == tuple(range(len(items))):  # never show it solved
            order = order[1:] + order[:1]
        item.option_order = order
        item.options = [items[i] for i in order]

    def how_to_answer(self, item: QuestionItem) -> str:
        n = len(item.options)
        return f"the item numbers 1–{n} in the right order, e.g. {_example_order(n)}"

    def option_lines(self, item: QuestionItem) -> list[str]:
        return [f"  {i + 1}) {option}" for i, option in enumerate(item.options)]

    def parse(self, item: QuestionItem, text: str) -> list[int]:
        n = len(item.options)
        order = grading.parse_index_list(text, n)
        if sorted(order) != list(range(n)):
            raise AnswerParseError(
                f"give every item number 1–{n} once, in order, e.g. '{_example_order(n)}'"
            )
        return order

    def grade(self, item: QuestionItem, response: Any) -> Verdict:
        correct = [item.display_of(i) for i in range(len(item.question.items))]
        return grading.grade_ordering(list(response), correct, partial=item.question.partial_credit)

    def answer_value(self, item: QuestionItem) -> str:
        return " ".join(str(item.display_of(i) + 1) for i in range(len(item.question.items)))

    def answer_text(self, item: QuestionItem) -> str:
        return f"{self.answer_value(item)}  ({' → '.join(item.question.items)})"

    def response_text(self, item: QuestionItem, response: Any) -> str:
        return " ".join(str(i + 1) for i in response)

    def summary(self, question: Any) -> str:
        return " → ".join(question.items)


class Matching(Kind):
    name = "matching"
    title = "match"
    aliases = ("match",)

    def build(self, item: QuestionItem, rng: random.Random) -> None:
        q = item.question
        rights = [p.right for p in q.pairs] + list(q.distractors)
        item.left_order = shuffled(len(q.pairs), rng, True)
        item.lefts = [q.pairs[i].left for i in item.left_order]
        item.option_order = shuffled(len(rights), rng, True)
        item.options = [rights[i] for i in item.option_order]

    def how_to_answer(self, item: QuestionItem) -> str:
        n = len(item.lefts)
        sample = " ".join(letter(i) for i in [1, 0, *range(2, n)][:n])
        return f"one option letter per item, in order, e.g. {sample}"

    def option_lines(self, item: QuestionItem) -> list[str]:
        lefts = [f"  {i + 1}. {left}" for i, left in enumerate(item.lefts)]
        return [*lefts, "  options:", *lettered(item.options)]

    def parse(self, item: QuestionItem, text: str) -> dict[int, int]:
        picks = grading.parse_index_list(text, len(item.options))
        if len(picks) != len(item.lefts):
            n = len(item.lefts)
            raise AnswerParseError(
                f"give one option letter for each of the {n} items, e.g. 'b a c'"
            )
        return dict(enumerate(picks))

    def correct_pairs(self, item: QuestionItem) -> dict[int, int]:
        """Display row -> display option of its partner."""
        n = len(item.question.pairs)
        return {item.left_order.index(i): item.display_of(i) for i in range(n)}

    def grade(self, item: QuestionItem, response: Any) -> Verdict:
        return grading.grade_matching(dict(response), self.correct_pairs(item))

    def answer_value(self, item: QuestionItem) -> str:
        right = self.correct_pairs(item)
        return " ".join(letter(right[row]) for row in range(len(item.lefts)))

    def answer_text(self, item: QuestionItem) -> str:
        """Pairs in the rows' order, so the answer reads like the question did."""
        right = self.correct_pairs(item)
        pairs = "; ".join(
            f"{left} → {item.options[right[row]]}" for row, left in enumerate(item.lefts)
        )
        return f"{self.answer_value(item)}  ({pairs})"

    def rows(self, item: QuestionItem, response: dict[int, int] | None = None) -> list[str]:
        """The right pair of each row, in the order the rows were shown; with ``response``,
        each row marked ✓ or ✗ with what was picked."""
        right = self.correct_pairs(item)
        lines = []
        for n, left in enumerate(item.lefts):
            index = right[n]
            line = f"{n + 1}. {left} → {letter(index)}) {item.options[index]}"
            if response is not None:
                picked = response.get(n)
                if picked == index:
                    line = "✓ " + line
                else:
                    said = (
                        "nothing" if picked is None else f"{letter(picked)}) {item.options[picked]}"
                    )
                    line = "✗ " + line + f"   (you: {said})"
            lines.append(line)
        return lines

    def answer_lines(self, item: QuestionItem) -> list[str]:
        return self.rows(item)

    def marked_rows(self, item: QuestionItem, response: Any) -> list[str]:
        return self.rows(item, dict(response))

    def response_text(self, item: QuestionItem, response: Any) -> str:
        return " ".join(letter(response[i]) for i in sorted(response))

    def summary(self, question: Any) -> str:
        return " | ".join(f"{p.left} → {p.right}" for p in question.pairs)

    def choices_summary(self, question: Any) -> str:
        return " | ".join([p.right for p in question.pairs] + list(question.distractors))


KINDS = (Ordering(), Matching())
