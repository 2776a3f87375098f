"""The bundled pack covers the course's must-knows, and every measurable fact holds live."""

from __future__ import annotations

import pytest

from studyreg.content import bundled_pack_path
from studyreg.content.models import QUESTION_TYPES
from studyreg.experiments.registry import builtin_names
from studyreg.study import lab
from studyreg.study.facts import check_facts
from studyreg.study.packs import load_pack

MUST_KNOW = {
    "deep-nets-overfit": ["parameters", "overfit"],
    "l1-vs-l2-penalties": ["L1", "L2", "absolute", "squares"],
    "dropout-after-fc": ["convolutional", "fully connected", "dropout"],
    "better-validation": ["validation", "generalize"],
    "tune-strength": ["underfit", "overfitting"],
}
REVIEWS = ["review-cnn-images", "review-l1-vs-l2", "review-tuning"]


@pytest.fixture(scope="module")
def pack():
    return load_pack(bundled_pack_path())


def test_size_and_every_question_type(pack) -> None:
    assert len(pack.concepts) >= 7
    assert pack.question_count >= 48
    assert {q.type for c in pack.concepts for q in c.questions} == set(QUESTION_TYPES)


def test_every_concept_is_backed_by_a_built_in_experiment(pack) -> None:
    used = {c.experiment.name for c in pack.concepts if c.experiment}
    assert all(c.experiment is not None for c in pack.concepts)
    assert used <= set(builtin_names())


def test_the_five_must_know_facts_are_there(pack) -> None:
    facts = {f.id: f.text for c in pack.concepts for f in c.facts}
    for fact_id, words in MUST_KNOW.items():
        assert all(word.lower() in facts[fact_id].lower() for word in words), fact_id


def test_the_three_review_questions_have_model_answers_and_key_points(pack) -> None:
    questions = {q.id: q for c in pack.concepts for q in c.questions}
    for review in REVIEWS:
        question = questions[review]
        assert question.type == "free_response"
        assert len(question.model_answer) > 200
        assert len(question.key_points) >= 3


def test_every_question_explains_itself_and_wrong_choices_say_why(pack) -> None:
    for concept in pack.concepts:
        for question in concept.questions:
            assert question.explanation, question.id
            if question.type == "single_choice":
                assert all(c.feedback for c in question.choices if not c.correct), question.id


@pytest.mark.slow
def test_every_fact_check_holds_on_the_first_five_seeds(pack) -> None:
    for concept in pack.concepts:
        ref = concept.experiment
        for seed in range(ref.seed, ref.seed + 5):
            for outcome in check_facts(concept, lab.run(ref.name, ref.params, seed)):
                assert outcome.passed is not False, (concept.id, seed, outcome.detail)
