"""Question kinds: one object per question ``type`` owns everything about it.

Adding a kind: its pydantic model in :mod:`studyreg.content.models` (joined to the
``Question`` union), a :class:`Kind` here, and an input widget in
``studyreg.tui.widgets.answer_inputs.WIDGETS``. ``tests/test_kinds_contract.py`` fails
until every front end has it. See docs/architecture.md.
"""

from __future__ import annotations

from studyreg.content.models import QUESTION_TYPES
from studyreg.study.kinds import arrange, choice, cloze, numbers, text
from studyreg.study.kinds.base import Kind
from studyreg.study.kinds.cloze import BlankVariant
from studyreg.study.kinds.text import FreeResponseAnswer

KINDS: dict[str, Kind] = {
    kind.name: kind for family in (choice, text, numbers, arrange, cloze) for kind in family.KINDS
}
assert set(KINDS) == set(QUESTION_TYPES), "every question type needs exactly one kind"


def kind_of(type_name: str) -> Kind:
    """The kind for a question ``type``; a ``KeyError`` names a type no model has."""
    return KINDS[type_name]


def type_aliases() -> dict[str, tuple[str, ...]]:
    """``--types`` words -> the type names they select (from every kind's aliases)."""
    aliases: dict[str, list[str]] = {}
    for kind in KINDS.values():
        for word in kind.aliases:
            aliases.setdefault(word, []).append(kind.name)
    return {word: tuple(names) for word, names in aliases.items()}


__all__ = ["KINDS", "BlankVariant", "FreeResponseAnswer", "Kind", "kind_of", "type_aliases"]
