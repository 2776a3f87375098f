"""Kinds answered in words: a short answer checked against keys, a self-graded essay."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studyreg import grading
from studyreg.grading import AnswerParseError, Verdict
from studyreg.grading.free_response import RATINGS
from studyreg.grading.weighted_text import grade_text_answers, match_text_answer
from studyreg.study.kinds.base import Kind

if TYPE_CHECKING:
    from studyreg.study.items import QuestionItem


@dataclass(frozen=True)
class FreeResponseAnswer:
    """A self-graded answer: which key points (0-based) were covered and a rating 1..4."""

    covered: frozenset[int]
    rating: int
    text: str = ""


def not_empty(text: str, what: str = "type it") -> str:
    if not text:
        raise AnswerParseError(f"the answer is empty; {what} and press Enter")
    return text


class ShortAnswer(Kind):
    name = "short_answer"
    title = "short answer"
    aliases = ("short",)

    def how_to_answer(self, item: QuestionItem) -> str:
        return "a word or short phrase"

    def parse(self, item: QuestionItem, text: str) -> str:
        return not_empty(text)

    def grade(self, item: QuestionItem, response: Any) -> Verdict:
        q = item.question
        if q.accept:  # Moodle's short answers with credit and '*' (GIFT import)
            answers = [(a.text, a.credit) for a in q.accept]
            return grade_text_answers(str(response), answers, case_sensitive=q.case_sensitive)[0]
        return grading.grade_short_answer(str(response), q.answers, case_sensitive=q.case_sensitive)

    def feedback(self, item: QuestionItem, response: Any) -> list[str]:
        q = item.question
        patterns = [a.text for a in q.accept]
        index = match_text_answer(str(response), patterns, case_sensitive=q.case_sensitive)
        note = q.accept[index].feedback if index is not None else None
        return [note] if note else []

    def answer_value(self, item: QuestionItem) -> str:
        return str(item.question.answers[0])

    def summary(self, question: Any) -> str:
        return " | ".join(question.answers)


class FreeResponse(Kind):
    name = "free_response"
    title = "free response"
    aliases = ("free", "essay")
    self_graded = True

    def how_to_answer(self, item: QuestionItem) -> str:
        return "your answer in one line; then compare it with the model answer"

    def parse(self, item: QuestionItem, text: str) -> str:
        raise AnswerParseError("free responses are self-graded against the model answer")

    def grade(self, item: QuestionItem, response: Any) -> Verdict:
        n = len(item.question.key_points)
        return grading.grade_free_response(response.covered, n, response.rating)

    def answer_value(self, item: QuestionItem) -> str:
        return "(self-graded)"

    def answer_text(self, item: QuestionItem) -> str:
        return str(item.question.model_answer)

    def response_text(self, item: QuestionItem, response: Any) -> str:
        """What was written and how it compared, in words (never the internal encoding)."""
        n = len(item.question.key_points)
        covered = sorted(response.covered)
        points = ", ".join(str(i + 1) for i in covered)
        said = f"covered {len(covered)} of {n} key points" + (f" ({points})" if covered else "")
        rating = RATINGS[response.rating]
        head = f"{said}; rated {rating}"
        return f"{head}: {response.text}" if response.text else head

    def summary(self, question: Any) -> str:
        return str(question.model_answer)

    def choices_summary(self, question: Any) -> str:
        return " | ".join(question.key_points)

    def card_back_list(self, question: Any) -> list[str]:
        return list(question.key_points)


KINDS = (ShortAnswer(), FreeResponse())
