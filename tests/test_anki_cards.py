"""Anki cards test recall: facts are cloze deletions, numeric backs state the tolerance, and
Markdown reaches Anki as HTML. Checked by reading the notes back out of the ``.apkg``."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from pydantic import ValidationError

from studyreg.cli import main
from studyreg.content import bundled_pack_path
from studyreg.content.models import Fact
from studyreg.interop.card_text import cloze_html, markdown_html, recall_part
from studyreg.study.packs import load_pack

CLOZE = re.compile(r"\{\{c(\d+)::(.+?)\}\}")


LABEL = re.compile(r"^(\d+|[A-Z])[).] ")  # "A) ", "2) ", "1. ": labels as studyreg shows them


def read_apkg(path: Path, tmp_path: Path) -> tuple[dict[str, list[str]], dict[str, int], int]:
    """Notes by their Source field (split into fields), note-type kinds by name, card count."""
    with zipfile.ZipFile(path) as archive:
        archive.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        models = json.loads(db.execute("select models from col").fetchone()[0])
        kinds = {m["name"]: m["type"] for m in models.values()}
        notes = {}
        for (fields,) in db.execute("select flds from notes"):
            parts = fields.split("\x1f")
            notes[parts[-1]] = parts
        cards = db.execute("select count(*) from cards").fetchone()[0]
        return notes, kinds, cards
    finally:
        db.close()


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> tuple[dict[str, list[str]], dict[str, int], int]:
    tmp = tmp_path_factory.mktemp("anki")
    deck = tmp / "deck.apkg"
    assert main(["export-anki", "-o", str(deck)]) == 0
    return read_apkg(deck, tmp)


def fact_notes(notes: dict[str, list[str]]) -> dict[str, list[str]]:
    return {source: f for source, f in notes.items() if "/ fact-cloze:" in source}


def front_of(cloze: str) -> str:
    """What Anki shows before the answer: every deletion as [...]."""
    return CLOZE.sub("[...]", cloze)


def test_every_fact_is_a_cloze_note_that_hides_something_to_recall(bundled) -> None:
    notes, kinds, cards = bundled
    assert kinds["studyreg cloze (regularization)"] == 1  # Anki's cloze note type
    pack = load_pack(bundled_pack_path())
    facts = fact_notes(notes)
    assert len(facts) == sum(len(c.facts) for c in pack.concepts) >= 30
    assert cards == len(notes)  # one card per note, facts included
    for source, (text, context, extra, _) in facts.items():
        deletions = CLOZE.findall(text)
        assert [n for n, _ in deletions] == ["1"], source
        hidden = re.sub(r"<[^>]+>", "", deletions[0][1]).casefold()
        front = front_of(text)
        assert "[...]" in front and hidden not in front.casefold(), source  # not given away
        assert context.startswith("Fact: ")
        assert "A must-know fact" not in extra and "Checked live by:" not in extra


def test_the_bundled_facts_hide_what_their_authors_chose(bundled) -> None:
    notes, _, _ = bundled
    pack = load_pack(bundled_pack_path())
    reviewed = [c for c in pack.concepts if c.id in ("dropout", "cnn-dropout", "weight-decay")]
    for concept in reviewed:
        for fact in concept.facts:
            assert fact.recall, (concept.id, fact.id)
            text = notes[f"regularization / {concept.id} / fact-cloze:{fact.id}"][0]
            assert CLOZE.search(text).group(2) == markdown_html(fact.recall)
    smoothing = notes["regularization / cnn-dropout / fact-cloze:label-smoothing"]
    assert "1 − ε + ε/K = {{c1::0.91}} for the true class" in smoothing[0]


def test_a_checked_fact_names_its_experiment_in_words_not_its_expression(bundled) -> None:
    notes, _, _ = bundled
    checked = notes["regularization / dropout / fact-cloze:inverted-keeps-mean"]
    assert checked[2] == "Checked live in studyreg by the <code>dropout</code> experiment."
    assert "mask.mean_ratio" not in "".join(checked)
    unchecked = notes["regularization / cnn-dropout / fact-cloze:augmentation"]
    assert unchecked[2] == ""


def test_numeric_backs_state_the_tolerance(bundled) -> None:
    notes, _, _ = bundled
    back = notes["regularization / dropout / question:inverted-scale"][1]
    assert back.startswith("1.25 (±0.1%)")
    assert notes["regularization / early-stopping / question:es-patience-epoch"][1].startswith(
        "65 (a whole number, exactly)"
    )
    vgg = notes["regularization / cnn-dropout / question:vgg-fc6-params"][1]
    assert vgg.startswith("102764544 (a whole number, exactly)")  # not 1.02765e+08
    # a computed question: one fixed variant, graded to 2 decimal places
    mask = notes["regularization / dropout / question:mask-mean"][1]
    assert re.match(r"0\.[0-9]{2} \(to 2 decimal places\)", mask), mask
    gap = notes["regularization / dropout / question:measured-gap"][1]
    assert re.match(r"-?[0-9.]+ \(±0\.005\)", gap), gap


def test_markdown_becomes_html_in_card_fields(bundled) -> None:
    notes, _, _ = bundled
    order = notes["regularization / early-stopping / question:es-order"][1]
    assert "<code>patience</code>" in order and "`" not in order
    assert all("`" not in field for fields in notes.values() for field in fields)


def test_markdown_html_renders_code_bold_and_italic_and_escapes_the_rest() -> None:
    assert markdown_html("use `a<b` and **bold** or *this* or _that_") == (
        "use <code>a&lt;b</code> and <b>bold</b> or <i>this</i> or <i>that</i>"
    )
    # arithmetic and subscripts are not emphasis
    assert markdown_html("lr * λ * w and w_{t+1} and snake_case_name") == (
        "lr * λ * w and w_{t+1} and snake_case_name"
    )
    assert markdown_html("a `**not bold**` span\n  over   lines") == (
        "a <code>**not bold**</code> span over lines"
    )


def test_recall_falls_back_to_an_emphasised_term_then_a_number_then_the_longest_word() -> None:
    assert recall_part("The *lasso* zeroes 12 weights.") == "*lasso*"
    assert recall_part("The lasso zeroes 12 of 20 weights, or 60%.") == "12"
    assert recall_part("L1 and L2 shrink weights differently.") == "differently"
    assert recall_part("The lasso zeroes weights.", recall="zeroes") == "zeroes"
    # a part that shows twice would be on the front as well: the next one is taken
    assert recall_part("With p = 0.5, p = 0.5 of the 20 units drop.") == "20"
    assert recall_part("Regularization: regularization shrinks coefficients.") == "coefficients"
    assert recall_part("Use `x` here and `x` there, 3 times.") == "3"  # `x` shows twice
    assert cloze_html("The *lasso* zeroes weights.") == "The {{c1::<i>lasso</i>}} zeroes weights."
    assert cloze_html("Scale by `1/(1-p)`.", "1/(1-p)") == "Scale by <code>{{c1::1/(1-p)}}</code>."
    # text that would end the deletion early or start a hint is escaped
    assert cloze_html("a {x}} :: b", "{x}} :: b") == "a {{c1::{x}&#125; :&#58; b}}"


def test_a_pack_fact_recall_must_come_from_its_text() -> None:
    assert Fact(text="Ridge   shrinks all weights.", recall="shrinks all").recall == "shrinks all"
    with pytest.raises(ValidationError, match="recall 'zeroes' does not appear"):
        Fact(text="Ridge shrinks all weights.", recall="zeroes")


def test_a_pack_without_recall_still_gets_cloze_facts(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "id: tiny\ntitle: Tiny\nconcepts:\n"
        "  - id: c\n    title: C\n    definition: A concept.\n    facts:\n"
        "      - {id: f, text: 'Dropout with p = 0.5 keeps half the units.'}\n"
        "      - {id: g, text: 'Early stopping needs a **validation set**.'}\n",
        encoding="utf-8",
    )
    deck = tmp_path / "deck.apkg"
    assert main(["export-anki", "--pack", str(pack), "-o", str(deck)]) == 0
    notes, _, _ = read_apkg(deck, tmp_path)
    assert (
        notes["tiny / c / fact-cloze:f"][0] == "Dropout with p = {{c1::0.5}} keeps half the units."
    )
    assert notes["tiny / c / fact-cloze:g"][0] == (
        "Early stopping needs a {{c1::<b>validation set</b>}}."
    )


def test_choices_are_not_listed_right_answer_first(bundled) -> None:
    notes, _, _ = bundled
    pack = load_pack(bundled_pack_path())
    firsts = []
    for concept in pack.concepts:
        for question in concept.questions:
            if question.type != "single_choice":
                continue
            front = notes[f"regularization / {concept.id} / question:{question.id}"][0]
            first = LABEL.sub("", re.search(r"<li>(.*?)</li>", front).group(1))
            right = next(c.text for c in question.choices if c.correct)
            firsts.append(first == markdown_html(right))
    assert len(firsts) >= 7 and sum(firsts) <= len(firsts) // 2  # the pack lists it first


def test_ordering_and_matching_fronts_list_what_to_arrange(bundled) -> None:
    notes, _, _ = bundled
    pack = load_pack(bundled_pack_path())
    order = pack.concept("dropout").question("order-steps")
    front = notes["regularization / dropout / question:order-steps"][0]
    shown = [LABEL.sub("", li) for li in re.findall(r"<li>(.*?)</li>", front)]
    assert sorted(shown) == sorted(markdown_html(item) for item in order.items)
    assert shown != [markdown_html(item) for item in order.items]  # never shown solved
    matching = pack.concept("cnn-dropout").question("match-technique")
    front = notes["regularization / cnn-dropout / question:match-technique"][0]
    shown = [LABEL.sub("", li) for li in re.findall(r"<li>(.*?)</li>", front)]
    for pair in matching.pairs:
        assert pair.left in shown and pair.right in shown
