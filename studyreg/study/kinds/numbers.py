"""Kinds answered with a number: a fixed one, or one computed live by the experiment."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from studyreg import grading
from studyreg.content import models
from studyreg.expr import parse_expression, parse_template
from studyreg.grading import Verdict
from studyreg.grading.numbers import NumberParseError, read_number
from studyreg.grading.numeric import grade_number_answers, match_number_answer
from studyreg.study.kinds.base import Kind
from studyreg.study.kinds.text import not_empty

if TYPE_CHECKING:
    from studyreg.study.items import QuestionItem

NUMBER_HOW = "a number (0.25, 1/4, 25% and 2.5e-1 all work)"


def tolerance_of(tol: models.Tolerance) -> grading.Tolerance:
    """The pack's tolerance as grading's."""
    if tol.sigfigs is not None:
        return grading.Tolerance(mode="sigfig", digits=tol.sigfigs)
    if tol.decimals is not None:
        return grading.Tolerance(mode="decdig", digits=tol.decimals)
    return grading.Tolerance(mode="relabs", rtol=tol.rtol, atol=tol.atol)


def with_unit(value: str, unit: str | None) -> str:
    return f"{value} {unit}" if unit else value


def plain_number(value: float) -> str:
    """A pack's literal answer as written: 102764544 and 0.25, never 1.02765e+08."""
    return f"{value:.15g}"


class _Number(Kind):
    numeric = True
    aliases = ("numeric", "number")

    def how_to_answer(self, item: QuestionItem) -> str:
        return NUMBER_HOW

    def parse(self, item: QuestionItem, text: str) -> str:
        return not_empty(text)

    def grade(self, item: QuestionItem, response: Any) -> Verdict:
        assert item.truth is not None
        q = item.question
        return grading.grade_number(
            str(response), item.truth, tolerance_of(q.tolerance), integer=q.integer
        )

    def answer_value(self, item: QuestionItem) -> str:
        assert item.truth is not None
        q = item.question
        return grading.format_truth(item.truth, tolerance_of(q.tolerance), integer=q.integer)

    def answer_text(self, item: QuestionItem) -> str:
        return with_unit(self.answer_value(item), item.question.unit)


class Numeric(_Number):
    name = "numeric"
    title = "number"

    def build(self, item: QuestionItem, rng: random.Random) -> None:
        item.truth = float(item.question.answer)

    def grade(self, item: QuestionItem, response: Any) -> Verdict:
        accept = item.question.accept
        if accept:  # Moodle's numerical answers with credit (GIFT import)
            answers = [(a.value, a.margin, a.credit) for a in accept]
            return grade_number_answers(str(response), answers)[0]
        return super().grade(item, response)

    def feedback(self, item: QuestionItem, response: Any) -> list[str]:
        accept = item.question.accept
        try:
            value = read_number(str(response)).value if accept else None
        except NumberParseError:
            return []
        index = (
            None
            if value is None
            else match_number_answer(value, [(a.value, a.margin) for a in accept])
        )
        note = accept[index].feedback if index is not None else None
        return [note] if note else []

    def summary(self, question: Any) -> str:
        return with_unit(plain_number(question.answer), question.unit)


class Computed(_Number):
    name = "computed"
    title = "computed number"
    live = True

    def build(self, item: QuestionItem, rng: random.Random) -> None:
        env = run_variant(item, rng)
        item.truth = float(parse_expression(item.question.answer).evaluate(env))

    def summary(self, question: Any) -> str:
        return f"computed live: {question.answer}"


# --- drawing a live variant ------------------------------------------------------------


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
            drawn[name] = round(value, spec.round) if spec.round is not None else tidy(value)
    return drawn


def tidy(value: float) -> float:
    """Three significant figures: what a person would write in a prompt."""
    return float(f"{value:.3g}")


def run_variant(item: QuestionItem, rng: random.Random) -> dict[str, Any]:
    """Draw the question's parameters and a seed, run the experiment (cached), render the
    prompt; returns the expression environment the truths are evaluated in."""
    from studyreg.study import lab
    from studyreg.study.facts import evaluation_env

    question = item.question
    ref = item.concept.experiment
    assert ref is not None, "live questions are checked to have an experiment"
    drawn = draw_params(question.vary, rng)
    seed = rng.randrange(2**31)
    result = lab.run(ref.name, {**ref.params, **drawn}, seed, scope=ref.scope)
    env = evaluation_env(result)
    item.params = dict(result.params)
    item.seed = seed
    item.experiment = (ref.name, dict(result.params), seed)
    item.prompt = parse_template(question.prompt).render(env)
    return env


KINDS = (Numeric(), Computed())
