"""Pack exports: CSV rows per question, and Anki decks with stable note ids."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from pathlib import Path

from studyreg.cli import main
from studyreg.study.packs import load_pack

PACK = Path(__file__).parent / "data" / "study_pack.yaml"


def anki_notes(path: Path, tmp_path: Path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(path) as archive:
        archive.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        return sorted(db.execute("select guid, flds from notes").fetchall())
    finally:
        db.close()


def test_csv_has_one_row_per_question(capsys) -> None:
    assert main(["export-pack", "--pack", str(PACK)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 9
    quarter = next(r for r in rows if r["question_id"] == "quarter")
    assert (quarter["type"], quarter["answer"], quarter["explanation"]) == (
        "numeric",
        "0.25",
        "1/4 = 0.25.",
    )
    computed = next(r for r in rows if r["question_id"] == "zeros")
    assert computed["answer"] == "computed live: lasso.n_zero"


def test_anki_deck_has_a_note_per_definition_fact_and_question(tmp_path: Path) -> None:
    deck = tmp_path / "deck.apkg"
    assert main(["export-anki", "--pack", str(PACK), "-o", str(deck)]) == 0
    notes = anki_notes(deck, tmp_path)
    pack = load_pack(PACK)
    expected = sum(1 + len(c.facts) + len(c.questions) for c in pack.concepts)
    assert len(notes) == expected == 12
    computed = next(fields for _, fields in notes if "how many lasso weights" in fields)
    assert "One fixed variant" in computed


def test_anki_note_ids_are_stable_across_exports(tmp_path: Path) -> None:
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    main(["export-anki", "--pack", str(PACK), "-o", str(first)])
    main(["export-anki", "--pack", str(PACK), "-o", str(second)])
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    guids_a = [g for g, _ in anki_notes(first, tmp_path / "a")]
    guids_b = [g for g, _ in anki_notes(second, tmp_path / "b")]
    assert guids_a == guids_b and len(set(guids_a)) == len(guids_a)


def test_anki_refuses_a_wrong_suffix(tmp_path: Path, capsys) -> None:
    assert main(["export-anki", "-o", str(tmp_path / "deck.zip")]) == 2
    assert "should end in .apkg" in capsys.readouterr().err
