"""The batch-norm, ensembles and learning-curves concepts: every fact check holds on 50 fresh
seeds (never used to tune the experiments), at the concept's parameters and at every
parameter combination its computed questions can draw."""

from __future__ import annotations

import pytest

from studyreg.content import bundled_pack_path
from studyreg.experiments import run_experiment
from studyreg.study.facts import check_facts
from studyreg.study.packs import load_pack
from studyreg.study.verify import combinations

CONCEPTS = ["batch-norm", "ensembles", "learning-curves"]
SEEDS = range(9000, 9050)


@pytest.fixture(scope="module")
def concepts():
    pack = load_pack(bundled_pack_path())
    return {concept.id: concept for concept in pack.concepts}


@pytest.mark.slow
@pytest.mark.parametrize("concept_id", CONCEPTS)
def test_every_fact_check_holds_on_50_fresh_seeds(concepts, concept_id: str) -> None:
    concept = concepts[concept_id]
    for params in combinations(concept):
        failed: dict[str, list[int]] = {}
        for seed in SEEDS:
            result = run_experiment(concept.experiment.name, params, seed)
            for outcome in check_facts(concept, result):
                assert outcome.passed is not None, (concept_id, outcome.fact.id, outcome.detail)
                if not outcome.passed:
                    failed.setdefault(outcome.fact.id, []).append(seed)
        assert not failed, (concept_id, params, failed)
