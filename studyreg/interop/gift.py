"""Moodle's GIFT format -> a studyreg pack (plain data, ready to validate and write).

GIFT is read exactly as Moodle's importer reads it (``gift_parse``), and each
question becomes the studyreg question Moodle would grade the same way
(``gift_map``). ``$CATEGORY`` switches become concepts. A question Moodle would
refuse, or that studyreg cannot grade as Moodle does, is an error with its line;
what has no equivalent but loses nothing graded (descriptions, essay marking
guides) is a note. docs/import-gift.md has the whole mapping.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from studyreg.interop.gift_map import map_question, slugify
from studyreg.interop.gift_parse import GiftCategory, GiftError, read_gift

__all__ = ["GiftError", "GiftResult", "parse_gift", "slugify"]


@dataclass
class GiftResult:
    concepts: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    # Moodle's own question types, in file order, for every question read (not categories).
    moodle_types: list[str] = field(default_factory=list)

    @property
    def question_count(self) -> int:
        return sum(len(c["questions"]) for c in self.concepts)

    def type_counts(self) -> Counter[str]:
        return Counter(q["type"] for c in self.concepts for q in c["questions"])


def parse_gift(text: str, *, default_concept: str = "imported") -> GiftResult:
    """Read a whole GIFT file; nothing is dropped without a warning or an error."""
    result = GiftResult()
    concepts: dict[str, dict[str, Any]] = {}
    current = default_concept
    ids: set[str] = set()

    def concept_for(name: str) -> dict[str, Any]:
        if name not in concepts:
            title = name.strip().split("/")[-1].strip() or name.strip() or default_concept
            concept_id = slugify(title, f"concept-{len(concepts) + 1}")
            if concept_id == "pack":  # its file would be pack.yaml
                concept_id = "pack-concept"
            while any(c["id"] == concept_id for c in concepts.values()):
                concept_id += "-2"
            concepts[name] = {
                "id": concept_id,
                "title": title[:500],
                "definition": f"Imported from GIFT category {name.strip()}.",
                "questions": [],
            }
        return concepts[name]

    for item in read_gift(text):
        if isinstance(item, GiftError):
            result.errors.append((item.line, item.message))
            continue
        if isinstance(item, GiftCategory):
            current = item.name or default_concept
            result.warnings.extend((item.line, note) for note in item.notes)
            continue
        result.moodle_types.append(item.qtype)
        try:
            question, notes = map_question(item)
        except GiftError as error:
            result.errors.append((error.line, error.message))
            continue
        result.warnings.extend((item.line, note) for note in notes)
        if question is None:
            continue
        base, n = question["id"], 2
        while question["id"] in ids:
            question["id"] = f"{base}-{n}"[:64]
            n += 1
        ids.add(question["id"])
        concept_for(current)["questions"].append(question)
    result.concepts = [c for c in concepts.values() if c["questions"]]
    return result
