"""Question variants and study sessions: reproducible, graded, requeued, recorded."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from studyreg.errors import NotFoundError, StudyregError
from studyreg.study.catalog import Catalog
from studyreg.study.items import FreeResponseAnswer, build_item
from studyreg.study.session import Session, parse_types

PACK = Path(__file__).parent / "data" / "study_pack.yaml"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    catalog = Catalog.load([PACK])
    assert catalog.problems == []
    return catalog


def item_for(catalog: Catalog, concept_id: str, question_id: str, seed: int = 0):
    pack, concept = catalog.find_concept(concept_id)
    return build_item(pack, concept, concept.question(question_id), random.Random(seed))


def test_numeric_item_accepts_what_people_type(catalog: Catalog) -> None:
    item = item_for(catalog, "basics", "quarter")
    assert item.grade("1/4").correct and item.grade("25%").correct and item.grade(" 0.25 ").correct
    assert item.grade("0.3").status == "incorrect"
    assert item.grade("a quarter").status == "invalid"


def test_single_choice_is_graded_in_display_order(catalog: Catalog) -> None:
    item = item_for(catalog, "basics", "first-letter")
    assert item.options == ["Alpha", "Beta", "Gamma"]
    assert item.grade(0).correct and not item.grade(1).correct
    assert item.feedback(1) == ["B: Beta is the second letter."]
    assert item.answer_value() == "A"


def test_multiple_choice_net_partial_credit(catalog: Catalog) -> None:
    item = item_for(catalog, "basics", "vowels")
    assert item.grade({0, 2}).correct
    assert item.grade({0}).score == pytest.approx(0.5)
    assert item.grade({0, 1}).score == pytest.approx(0.0)
    assert item.answer_value() == "A,C"


def test_shuffled_ordering_maps_back_to_the_true_order(catalog: Catalog) -> None:
    item = item_for(catalog, "basics", "count", seed=3)
    assert item.options != ["one", "two", "three"]  # never shown solved
    answer = [int(i) - 1 for i in item.answer_value().split()]
    assert [item.options[i] for i in answer] == ["one", "two", "three"]
    assert item.grade(answer).correct
    assert item.grade(item.parse_response(item.answer_value())).correct


def test_matching_round_trips_through_the_typed_answer(catalog: Catalog) -> None:
    item = item_for(catalog, "basics", "pairs", seed=5)
    response = item.parse_response(item.answer_value())
    assert item.grade(response).correct
    swapped = {0: response[1], 1: response[0]}
    assert item.grade(swapped).score == 0.0


def test_free_response_scores_the_covered_key_points(catalog: Catalog) -> None:
    item = item_for(catalog, "basics", "explain")
    assert item.grade(FreeResponseAnswer(frozenset({0, 1}), 3)).correct
    assert item.grade(FreeResponseAnswer(frozenset({0}), 3)).score == pytest.approx(0.5)


def test_computed_variant_is_reproducible_and_true(catalog: Catalog) -> None:
    from studyreg.study import lab

    first = item_for(catalog, "lasso", "zeros", seed=11)
    again = item_for(catalog, "lasso", "zeros", seed=11)
    assert (first.prompt, first.truth, first.seed) == (again.prompt, again.truth, again.seed)
    assert first.params["alpha_l1"] in (0.05, 0.1, 0.2)
    assert f"alpha = {first.params['alpha_l1']}" in first.prompt
    result = lab.run("l1_vs_l2", first.params, first.seed)
    assert first.truth == result.outputs["lasso.n_zero"]
    assert first.grade(str(int(first.truth))).correct
    assert not first.grade(str(int(first.truth) + 1)).correct


def test_computed_variants_differ_across_draws(catalog: Catalog) -> None:
    seeds = {item_for(catalog, "lasso", "zeros", seed=s).seed for s in range(5)}
    assert len(seeds) == 5


def test_same_session_seed_gives_the_same_questions(catalog: Catalog) -> None:
    def served(seed: int) -> list[tuple[str, str]]:
        session = Session(catalog, count=6, seed=seed)
        items = [session.next_item() for _ in range(6)]
        return [(i.key, i.prompt) for i in items]

    assert served(4) == served(4)
    assert served(4) != served(5)


def test_count_asks_exactly_n_even_beyond_the_pool(catalog: Catalog) -> None:
    session = Session(catalog, concept_ids=["basics"], count=12, seed=1)
    assert session.remaining == 12


def test_types_filter_and_aliases(catalog: Catalog) -> None:
    assert parse_types("numeric,choice") == {
        "numeric",
        "computed",
        "single_choice",
        "multiple_choice",
    }
    with pytest.raises(StudyregError, match="unknown question type 'numbr'"):
        parse_types("numbr")
    session = Session(catalog, types=parse_types("tf"), count=2, seed=0)
    assert {session.next_item().type for _ in range(2)} == {"true_false"}


def test_learn_mode_brings_a_missed_question_back(catalog: Catalog) -> None:
    session = Session(catalog, mode="learn", concept_ids=["basics"], seed=0)
    first = session.next_item()
    assert first.question.id == "quarter"
    assert session.submit(first, "0.9").status == "incorrect"
    keys = [session.next_item().question.id for _ in range(4)]
    assert keys.count("quarter") == 1 and keys.index("quarter") == 3


def test_invalid_answers_are_not_counted(catalog: Catalog) -> None:
    session = Session(catalog, mode="learn", concept_ids=["basics"], seed=0)
    item = session.next_item()
    assert session.submit(item, "zero point two five").status == "invalid"
    assert session.answered == 0
    assert session.submit(item, "0.25").correct
    assert (session.answered, session.correct_count) == (1, 1)
    assert session.results_by_concept() == {"basics": (1, 1)}


def test_unknown_concept_is_a_clear_error(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError, match="no concept 'nope'"):
        Session(catalog, concept_ids=["nope"])


def test_feedback_names_the_letters_that_were_shown(catalog: Catalog) -> None:
    pack, concept = catalog.find_concept("basics")
    question = concept.question("first-letter").model_copy(update={"shuffle": True})
    for seed in range(10):
        item = build_item(pack, concept, question, random.Random(seed))
        wrong = next(i for i, text in enumerate(item.options) if text != "Alpha")
        verdict = item.grade(wrong)
        assert f"{chr(65 + wrong)} is not the right choice" in verdict.message
        assert item.grade(item.options.index("Alpha")).correct


# --- issue 14: undo, ratings, retry ------------------------------------------------------


def test_undo_asks_the_same_variant_and_leaves_the_next_ones_alone(catalog: Catalog) -> None:
    def variants(undo: bool) -> list[tuple[str, int | None]]:
        session = Session(catalog, concept_ids=["lasso"], count=3, seed=4)
        seen = []
        item = session.next_item()
        while item is not None:
            seen.append((item.prompt, item.seed))
            session.submit(item, "0")
            if undo and len(seen) == 1:
                undone = session.undo_last()
                assert undone is not None and undone.item is item
            item = session.next_item()
        return seen

    plain, undone = variants(False), variants(True)
    assert len({seed for _, seed in plain}) == 3
    assert undone == [plain[0], *plain]


def test_review_previews_each_rating_with_fsrs_and_rate_reschedules(
    catalog: Catalog, tmp_path: Path
) -> None:
    from datetime import UTC, datetime, timedelta

    from studyreg.study.store import ProgressStore

    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    store = ProgressStore(tmp_path / "p.db", now=lambda: now)
    session = Session(
        catalog, mode="review", concept_ids=["basics"], types={"numeric"}, store=store
    )
    item = session.next_item()
    assert item is not None
    session.submit(item, "0.3", seconds=2.0)
    answer = session.answers[-1]
    assert answer.rating == 1  # wrong -> Again
    assert {n: answer.interval(n) for n in (1, 2, 3, 4)} == {1: "1m", 2: "6m", 3: "10m", 4: "8d"}
    assert answer.due == now + timedelta(minutes=1)
    session.rate(4)
    assert answer.rating == 4 and answer.due == now + timedelta(days=8)
    assert store.card(item.key).due == now + timedelta(days=8)
    assert [a["rating"] for a in store.attempts()] == [4]  # one attempt, re-rated


def test_right_answers_default_to_good_in_review_even_when_quick(
    catalog: Catalog, tmp_path: Path
) -> None:
    from studyreg.study.store import ProgressStore

    store = ProgressStore(tmp_path / "p.db")
    session = Session(
        catalog, mode="review", concept_ids=["basics"], types={"numeric"}, store=store
    )
    item = session.next_item()
    session.submit(item, "0.25", seconds=1.0)
    assert session.answers[-1].rating == 3
    assert [a["rating"] for a in store.attempts()] == [3]  # stored: the store would say Easy


def test_retry_mistakes_asks_only_the_missed_questions(catalog: Catalog) -> None:
    session = Session(catalog, concept_ids=["basics"], types={"numeric", "true_false"}, seed=1)
    missed = None
    item = session.next_item()
    while item is not None:
        if item.type == "numeric":
            session.submit(item, "0.9")
            missed = item.question
        else:
            session.submit(item, "false")
        item = session.next_item()
    retry = session.retry_mistakes()
    assert [e.question for e in retry.queue] == [missed]
    assert retry.mode == "quiz" and retry.seed != session.seed


def test_points_are_never_raw_floats() -> None:
    from studyreg.study.feedback import format_points

    assert [format_points(x) for x in (16 / 3, 5.5, 6.0, 0.0)] == ["5.33", "5.5", "6", "0"]


def test_matching_rows_follow_the_rows_shown_and_mark_the_wrong_one(catalog: Catalog) -> None:

    item = item_for(catalog, "basics", "pairs", seed=3)
    right = item.parse_response(item.answer_value())
    wrong = {0: right[1], 1: right[0]}
    rows = item.kind.marked_rows(item, wrong)
    assert [r.split(". ")[1].split(" →")[0] for r in rows] == item.lefts
    assert all(r.startswith("✗ ") for r in rows)
    assert item.kind.marked_rows(item, right)[0].startswith("✓ 1. ")


def test_feedback_does_not_repeat_the_status_words() -> None:
    from studyreg.grading.verdict import CORRECT, Verdict
    from studyreg.study.feedback import verdict_message

    assert verdict_message(CORRECT) == ""
    wrong = Verdict("incorrect", 0.0, "Not quite: B is not the right choice.")
    assert verdict_message(wrong) == "B is not the right choice."
    partly = Verdict("partial", 0.5, "Partly right (50%): you found 1 of the 2 right choices.")
    assert verdict_message(partly) == "You found 1 of the 2 right choices."


def test_warming_the_next_question_changes_nothing_and_fills_the_cache(catalog: Catalog) -> None:
    from studyreg.study import lab

    warmed = Session(catalog, mode="quiz", concept_ids=["study-test/lasso"], seed=5)
    plain = Session(catalog, mode="quiz", concept_ids=["study-test/lasso"], seed=5)
    queue = list(warmed.queue)
    lab._cache.clear()
    drawn = warmed.warm_next()
    assert warmed.queue == queue and warmed.served == 0 and warmed.answers == []
    assert len(lab._cache) == 1  # the next variant's run, ready for next_item
    first, second = warmed.next_item(), plain.next_item()
    assert drawn is not None and (drawn.key, drawn.params, drawn.seed, drawn.experiment) == (
        first.key,
        first.params,
        first.seed,
        first.experiment,
    )
    assert (first.key, first.params, first.seed, first.truth) == (
        second.key,
        second.params,
        second.seed,
        second.truth,
    )
    assert len(lab._cache) == 1  # served from the cache, not run again
