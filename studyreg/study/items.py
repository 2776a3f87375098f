"""Question items: one variant of a question, ready to show and to grade.

Building an item shuffles choices and, for a computed question, draws the
varied parameters and a seed, runs the experiment (cached) and evaluates the
truth. Everything is drawn from a ``random.Random`` seeded by the caller, so the
same session seed gives the same variants.
"""

from __future__ import annotations

import math
import random
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from studyreg import grading
from studyreg.content import models
from studyreg.expr import parse_expression, parse_template
from studyreg.grading import AnswerParseError, Verdict
from studyreg.grading.choice import grade_choice_credit, grade_choices_by_credit
from studyreg.grading.numbers import NumberParseError, read_number
from studyreg.grading.numeric import grade_number_answers, match_number_answer
from studyreg.grading.verdict import letter
from studyreg.grading.weighted_text import grade_text_answers, match_text_answer


@dataclass(frozen=True)
class FreeResponseAnswer:
    """A self-graded answer: which key points (0-based) were covered and a rating 1..4."""

    covered: frozenset[int]
    rating: int
    text: str = ""


@dataclass
class QuestionItem:
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
    # display index -> index in the question's own list (choices, items, pairs, rights)
    option_order: tuple[int, ...] = ()
    left_order: tuple[int, ...] = ()
    requeued: int = 0  # times a learn session has brought it back

    @property
    def type(self) -> str:
        return str(self.question.type)

    # --- grading ---------------------------------------------------------------

    def tolerance(self) -> grading.Tolerance:
        tol = self.question.tolerance
        if tol.sigfigs is not None:
            return grading.Tolerance(mode="sigfig", digits=tol.sigfigs)
        if tol.decimals is not None:
            return grading.Tolerance(mode="decdig", digits=tol.decimals)
        return grading.Tolerance(mode="relabs", rtol=tol.rtol, atol=tol.atol)

    def grade(self, response: Any) -> Verdict:
        """Grade a response given in display terms (see the module docs of each type)."""
        q = self.question
        kind = self.type
        if kind in ("numeric", "computed"):
            assert self.truth is not None
            if getattr(q, "accept", None):  # Moodle-style answers with credit (GIFT import)
                return grade_number_answers(str(response), _accepted(q))[0]
            return grading.grade_number(
                str(response), self.truth, self.tolerance(), integer=q.integer
            )
        # Choice-like answers are graded in display order, so messages name what was shown.
        if kind in ("single_choice", "multiple_choice") and _credited(q):
            credits = [_credit(q.choices[i]) for i in self.option_order]
            if kind == "single_choice":
                return grade_choice_credit(int(response), credits)
            return grade_choices_by_credit(set(response), credits)
        if kind == "single_choice":
            correct = self._display_of(next(i for i, c in enumerate(q.choices) if c.correct))
            return grading.grade_single_choice(int(response), correct)
        if kind == "multiple_choice":
            right = {self._display_of(i) for i, c in enumerate(q.choices) if c.correct}
            return grading.grade_multiple_choice(
                set(response), right, len(q.choices), partial=q.partial_credit
            )
        if kind == "true_false":
            return grading.grade_true_false(response, q.answer)
        if kind == "short_answer":
            if q.accept:  # Moodle-style answers with credit (GIFT import)
                answers = [(a.text, a.credit) for a in q.accept]
                return grade_text_answers(str(response), answers, case_sensitive=q.case_sensitive)[
                    0
                ]
            return grading.grade_short_answer(
                str(response), q.answers, case_sensitive=q.case_sensitive
            )
        if kind == "ordering":
            correct_order = [self._display_of(i) for i in range(len(q.items))]
            return grading.grade_ordering(list(response), correct_order, partial=q.partial_credit)
        if kind == "matching":
            correct_pairs = {
                self.left_order.index(i): self._display_of(i) for i in range(len(q.pairs))
            }
            return grading.grade_matching(dict(response), correct_pairs)
        if kind == "free_response":
            return grading.grade_free_response(response.covered, len(q.key_points), response.rating)
        raise ValueError(f"unknown question type {kind!r}")

    def parse_response(self, text: str) -> Any:
        """Read a typed line (plain mode) as a response; raises ``AnswerParseError``."""
        kind = self.type
        text = text.strip()
        if kind in ("numeric", "computed", "short_answer", "true_false"):
            if not text:
                raise AnswerParseError("the answer is empty; type it and press Enter")
            return text
        n = len(self.options)
        if kind == "single_choice":
            picked = grading.parse_index_list(text, n)
            if len(picked) != 1:
                raise AnswerParseError(f"pick exactly one choice, A–{_letter(n - 1)} (or 1–{n})")
            return picked[0]
        if kind == "multiple_choice":
            return set(grading.parse_index_list(text, n))
        if kind == "ordering":
            order = grading.parse_index_list(text, n)
            if sorted(order) != list(range(n)):
                raise AnswerParseError(f"give every item number 1–{n} once, in order, e.g. '2 1 3'")
            return order
        if kind == "matching":
            picks = grading.parse_index_list(text, n)
            if len(picks) != len(self.lefts):
                raise AnswerParseError(
                    f"give one option letter for each of the {len(self.lefts)} items, e.g. 'b a c'"
                )
            return dict(enumerate(picks))
        raise AnswerParseError(f"{kind} answers are not typed on one line")

    # --- showing the truth -------------------------------------------------------

    def answer_value(self) -> str:
        """The correct answer as a learner would type it in plain mode."""
        q = self.question
        kind = self.type
        if kind in ("numeric", "computed"):
            assert self.truth is not None
            return grading.format_truth(self.truth, self.tolerance(), integer=q.integer)
        if kind == "single_choice":
            return _letter(self._display_of(next(i for i, c in enumerate(q.choices) if c.correct)))
        if kind == "multiple_choice":
            shown = sorted(self._display_of(i) for i, c in enumerate(q.choices) if c.correct)
            return ",".join(_letter(i) for i in shown)
        if kind == "true_false":
            return "true" if q.answer else "false"
        if kind == "short_answer":
            return str(q.answers[0])
        if kind == "ordering":
            return " ".join(str(self._display_of(i) + 1) for i in range(len(q.items)))
        if kind == "matching":
            return " ".join(
                _letter(self._display_of(self.left_order[i])) for i in range(len(self.lefts))
            )
        return "(self-graded)"

    def answer_text(self) -> str:
        """The correct answer for people to read."""
        q = self.question
        kind = self.type
        value = self.answer_value()
        if kind in ("numeric", "computed"):
            return f"{value} {q.unit}" if q.unit else value
        if kind == "single_choice":
            return f"{value}) {next(c.text for c in q.choices if c.correct)}"
        if kind == "multiple_choice":
            return value + ": " + "; ".join(c.text for c in q.choices if c.correct)
        if kind == "ordering":
            return value + "  (" + " → ".join(q.items) + ")"
        if kind == "matching":
            return value + "  (" + "; ".join(f"{p.left} → {p.right}" for p in q.pairs) + ")"
        if kind == "free_response":
            return q.model_answer
        return value

    def feedback(self, response: Any) -> list[str]:
        """Per-choice feedback an instructor wrote for what was picked."""
        q = self.question
        kind = self.type
        if kind == "single_choice":
            picks: Collection[int] = [response]
        elif kind == "multiple_choice":
            picks = sorted(response)
        elif kind == "true_false":
            try:
                said = (
                    response
                    if isinstance(response, bool)
                    else grading.parse_true_false(str(response))
                )
            except AnswerParseError:
                return []
            text = q.feedback_true if said else q.feedback_false
            return [text] if text else []
        elif kind == "numeric" and q.accept:
            try:
                value = read_number(str(response)).value
            except NumberParseError:
                return []
            index = match_number_answer(value, [(a.value, a.margin) for a in q.accept])
            note = q.accept[index].feedback if index is not None else None
            return [note] if note else []
        elif kind == "short_answer" and q.accept:
            patterns = [a.text for a in q.accept]
            index = match_text_answer(str(response), patterns, case_sensitive=q.case_sensitive)
            note = q.accept[index].feedback if index is not None else None
            return [note] if note else []
        else:
            return []
        notes = []
        for i in picks:
            choice = q.choices[self.option_order[i]]
            if choice.feedback:
                notes.append(f"{_letter(i)}: {choice.feedback}")
        return notes

    def response_text(self, response: Any) -> str:
        """A response as one line of text, for the progress store and reviews."""
        kind = self.type
        if kind == "single_choice":
            return _letter(int(response))
        if kind == "multiple_choice":
            return ",".join(_letter(i) for i in sorted(response))
        if kind == "ordering":
            return " ".join(str(i + 1) for i in response)
        if kind == "matching":
            return " ".join(_letter(response[i]) for i in sorted(response))
        if kind == "free_response":
            covered = ",".join(str(i + 1) for i in sorted(response.covered))
            return f"covered [{covered}] rating {response.rating}" + (
                f": {response.text}" if response.text else ""
            )
        return str(response)

    def _display_of(self, original: int) -> int:
        return self.option_order.index(original)


def _credited(q: Any) -> bool:
    """Choices graded by their own credit: Moodle's answer weights (GIFT import)."""
    if q.type == "multiple_choice":
        return bool(q.partial_credit == "credit")
    return any(c.credit is not None for c in q.choices)


def _credit(choice: Any) -> float:
    if choice.credit is not None:
        return float(choice.credit)
    return 1.0 if choice.correct else 0.0


def _accepted(q: Any) -> list[tuple[float | None, float, float]]:
    return [(a.value, a.margin, a.credit) for a in q.accept]


def _letter(index: int) -> str:
    """A, B, … Z, then 27, 28, …: the labels grading's feedback uses too."""
    return letter(index)


# --- building items --------------------------------------------------------------


def item_key(pack: models.Pack, concept: models.Concept, question: Any) -> str:
    return f"{pack.id}/{concept.id}/{question.id}"


def build_item(
    pack: models.Pack, concept: models.Concept, question: Any, rng: random.Random
) -> QuestionItem:
    """Draw one variant of ``question``; computed questions run their experiment."""
    item = QuestionItem(item_key(pack, concept, question), pack, concept, question, question.prompt)
    kind = question.type
    if concept.experiment is not None:
        ref = concept.experiment
        item.experiment = (ref.name, dict(ref.params), ref.seed)
    if kind in ("single_choice", "multiple_choice"):
        item.option_order = _order(len(question.choices), rng, question.shuffle)
        item.options = [question.choices[i].text for i in item.option_order]
    elif kind == "ordering":
        item.option_order = _order(len(question.items), rng, True)
        if item.option_order == tuple(range(len(question.items))):  # never show it solved
            item.option_order = item.option_order[1:] + item.option_order[:1]
        item.options = [question.items[i] for i in item.option_order]
    elif kind == "matching":
        rights = [p.right for p in question.pairs] + list(question.distractors)
        item.left_order = _order(len(question.pairs), rng, True)
        item.lefts = [question.pairs[i].left for i in item.left_order]
        item.option_order = _order(len(rights), rng, True)
        item.options = [rights[i] for i in item.option_order]
    elif kind == "numeric":
        item.truth = float(question.answer)
    elif kind == "computed":
        _draw_variant(item, concept, question, rng)
    return item


def _order(n: int, rng: random.Random, shuffle: bool) -> tuple[int, ...]:
    order = list(range(n))
    if shuffle:
        rng.shuffle(order)
    return tuple(order)


def draw_params(vary: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    """Draw each varied parameter from its choices or range."""
    drawn: dict[str, Any] = {}
    for name in sorted(vary):
        spec = vary[name]
        if isinstance(spec, models.VaryChoices):
            drawn[name] = spec.choices[rng.randrange(len(spec.choices))]
            continue
        if spec.log:
            value = math.exp(rng.uniform(math.log(spec.low), math.log(spec.high)))
        else:
            value = rng.uniform(spec.low, spec.high)
        if spec.integer:
            drawn[name] = int(min(max(round(value), math.ceil(spec.low)), math.floor(spec.high)))
        else:
            drawn[name] = round(value, spec.round) if spec.round is not None else _tidy(value)
    return drawn


def _tidy(value: float) -> float:
    """Three significant figures: what a person would write in a prompt."""
    return float(f"{value:.3g}")


def _draw_variant(
    item: QuestionItem, concept: models.Concept, question: Any, rng: random.Random
) -> None:
    from studyreg.study import lab
    from studyreg.study.facts import evaluation_env

    assert concept.experiment is not None, "computed questions are checked to have an experiment"
    ref = concept.experiment
    drawn = draw_params(question.vary, rng)
    seed = rng.randrange(2**31)
    params = {**ref.params, **drawn}
    result = lab.run(ref.name, params, seed, scope=ref.scope)
    env = evaluation_env(result)
    truth = parse_expression(question.answer).evaluate(env)
    item.truth = float(truth)
    item.params = dict(result.params)
    item.seed = seed
    item.experiment = (ref.name, dict(result.params), seed)
    item.prompt = parse_template(question.prompt).render(env)
