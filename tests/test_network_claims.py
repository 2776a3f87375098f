"""The network concepts' fact checks hold on at least 48 of 50 fresh seeds, at the concept's
parameters and at every parameter combination its computed questions can draw."""

from __future__ import annotations

import itertools
import math

import pytest

from studyreg.content import bundled_pack_path, load_pack
from studyreg.experiments import get_experiment, run_experiment
from studyreg.study.facts import check_facts

CONCEPTS = ["dropout", "cnn-dropout", "early-stopping"]
SEEDS = range(7000, 7050)  # never used to tune the experiments
REQUIRED = 48


def drawn_values(vary) -> list:
    """Every choice, or the low, middle and high end of a range."""
    if hasattr(vary, "choices"):
        return list(vary.choices)
    middle = math.sqrt(vary.low * vary.high) if vary.log else (vary.low + vary.high) / 2
    values = [vary.low, middle, vary.high]
    return [round(v) for v in values] if vary.integer else values


def parameter_sets(concept) -> list[dict]:
    """The concept's parameters and every combination its computed questions draw, each
    completed with the defaults, without duplicates."""
    model = get_experiment(concept.experiment.name).params_model
    base = dict(concept.experiment.params or {})
    found = [model(**base).model_dump()]
    for question in concept.questions:
        if question.type != "computed" or not question.vary:
            continue
        keys = list(question.vary)
        for values in itertools.product(*(drawn_values(question.vary[k]) for k in keys)):
            params = model(**{**base, **dict(zip(keys, values, strict=True))}).model_dump()
            if params not in found:
                found.append(params)
    return found


@pytest.fixture(scope="module")
def concepts():
    pack = load_pack(bundled_pack_path())
    return {concept.id: concept for concept in pack.concepts}


@pytest.mark.slow
@pytest.mark.parametrize("concept_id", CONCEPTS)
def test_every_fact_check_holds_on_48_of_50_fresh_seeds(concepts, concept_id: str) -> None:
    concept = concepts[concept_id]
    for params in parameter_sets(concept):
        held: dict[str, int] = {}
        for seed in SEEDS:
            result = run_experiment(concept.experiment.name, params, seed)
            for outcome in check_facts(concept, result):
                if outcome.passed is not None:
                    held[outcome.fact.id] = held.get(outcome.fact.id, 0) + bool(outcome.passed)
        assert held, concept_id
        short = {fact: count for fact, count in held.items() if count < REQUIRED}
        assert not short, (concept_id, params, short)
