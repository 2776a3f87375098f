"""The linear and weight-decay concepts' claims hold on fresh seeds at every variant.

For each concept below, every fact check is evaluated at the concept's parameters and at
every parameter combination its computed questions can draw (each ``choices`` value,
the cartesian product across one question's parameters; for ranges low, middle and high),
on seeds 8000..8049, which no claim was tuned on. A check must hold on at least 48 of
the 50 seeds everywhere, and a computed answer must be finite and keep one sign over the
seeds of each variant (a question must not presuppose an effect its variants contradict).
"""

from __future__ import annotations

import itertools
import math
from functools import cache

import numpy as np
import pytest

from studyreg.content import bundled_pack_path
from studyreg.experiments import run_experiment
from studyreg.expr import parse_expression
from studyreg.study.facts import check_fact, evaluation_env
from studyreg.study.packs import load_pack

SEEDS = range(8000, 8050)
REQUIRED = 48
CONCEPTS = ["l1-vs-l2", "strength-tuning", "overview", "weight-decay"]


@cache
def concepts() -> dict:
    pack = load_pack(bundled_pack_path())
    return {c.id: c for c in pack.concepts if c.id in CONCEPTS}


def levels(vary) -> list:
    """The values a question's ``vary`` entry can draw: every choice, or low/mid/high."""
    if hasattr(vary, "choices"):
        return list(vary.choices)
    middle = math.sqrt(vary.low * vary.high) if vary.log else (vary.low + vary.high) / 2
    values = [vary.low, middle, vary.high]
    if vary.integer:
        return [int(round(v)) for v in values]
    return values if vary.round is None else [round(v, vary.round) for v in values]


def combinations(concept) -> list[tuple[str, dict]]:
    """(label, parameters): the concept's own, then each computed question's variants."""
    base = dict(concept.experiment.params)
    found = [("concept", base)]
    for question in concept.questions:
        if question.type != "computed" or not question.vary:
            continue
        names = list(question.vary)
        for values in itertools.product(*(levels(question.vary[n]) for n in names)):
            found.append((question.id, {**base, **dict(zip(names, values, strict=True))}))
    return found


@cache
def _run(name: str, params: tuple, seed: int):
    return run_experiment(name, params=dict(params), seed=seed)


def run(name: str, params: dict, seed: int):
    return _run(name, tuple(sorted(params.items())), seed)


@pytest.mark.parametrize("concept_id", CONCEPTS)
def test_every_fact_check_holds_on_48_of_50_fresh_seeds_at_every_variant(concept_id: str) -> None:
    concept = concepts()[concept_id]
    checked = [fact for fact in concept.facts if fact.check is not None]
    assert checked, f"{concept_id} has no checked facts"
    weak = []
    for label, params in combinations(concept):
        for fact in checked:
            held = sum(
                bool(
                    check_fact(
                        fact, evaluation_env(run(concept.experiment.name, params, seed))
                    ).passed
                )
                for seed in SEEDS
            )
            if held < REQUIRED:
                weak.append((fact.id, label, params, held))
    assert not weak, weak


@pytest.mark.parametrize("concept_id", CONCEPTS)
def test_computed_answers_are_finite_and_keep_their_sign_at_every_variant(
    concept_id: str,
) -> None:
    concept = concepts()[concept_id]
    variants = combinations(concept)
    for question in concept.questions:
        if question.type != "computed":
            continue
        answer = parse_expression(question.answer)
        for label, params in variants:
            if label != question.id:
                continue
            truths = np.array(
                [
                    float(
                        answer.evaluate(evaluation_env(run(concept.experiment.name, params, seed)))
                    )
                    for seed in SEEDS
                ]
            )
            assert np.isfinite(truths).all(), (question.id, params)
            assert truths.min() >= 0 or truths.max() <= 0, (question.id, params, truths)
