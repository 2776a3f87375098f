"""A pack as an Anki deck (``.apkg``) through genanki.

Ids are derived from the pack, concept and item ids, so exporting again updates the
same notes in Anki instead of duplicating them. Computed questions become one fixed
variant, and the card says so.
"""

from __future__ import annotations

import hashlib
import html
import random
from pathlib import Path
from typing import Any

import genanki

from studyreg.content.models import Pack
from studyreg.interop.pack_table import answer_summary
from studyreg.study.kinds import kind_of

CSS = ".card { font-family: sans-serif; font-size: 18px; text-align: left; } .note { color: #777; font-size: 14px; }"


def stable_id(*parts: str) -> int:
    """A positive id in Anki's range, the same for the same parts on every machine."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).digest()
    return (int.from_bytes(digest[:8], "big") % (1 << 30)) + (1 << 30)


def _model(pack: Pack) -> genanki.Model:
    return genanki.Model(
        stable_id("studyreg-model", pack.id),
        f"studyreg ({pack.id})",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}],
        templates=[
            {
                "name": "Card",
                "qfmt": "{{Front}}",
                "afmt": '{{FrontSide}}<hr id="answer">{{Back}}<div class="note">{{Source}}</div>',
            }
        ],
        css=CSS,
    )


def _html(text: str) -> str:
    return html.escape(" ".join(text.split()))


def _question_back(pack: Pack, concept: Any, question: Any) -> tuple[str, str]:
    """Front and back of a question card."""
    front = _html(question.prompt)
    note = ""
    if question.live:
        try:
            from studyreg.study.items import build_item

            item = build_item(pack, concept, question, random.Random(0))
            front = _html(item.prompt)
            back = _html(item.answer_text())
            params = ", ".join(f"{k}={v}" for k, v in sorted(item.params.items()))
            note = (
                f"<div class='note'>One fixed variant (seed {item.seed}; {html.escape(params)}). "
                "In studyreg every attempt is a fresh one.</div>"
            )
        except Exception as error:  # noqa: BLE001 - a card without a variant beats no deck
            back = _html(answer_summary(question))
            note = f"<div class='note'>Variant not computed: {html.escape(str(error))}</div>"
    else:
        back = _html(answer_summary(question))
    kind = kind_of(question.type)
    if listed := kind.card_front_list(question):
        front += "<ul>" + "".join(f"<li>{_html(text)}</li>" for text in listed) + "</ul>"
    if listed := kind.card_back_list(question):
        back += "<ul>" + "".join(f"<li>{_html(text)}</li>" for text in listed) + "</ul>"
    if question.explanation:
        back += f"<p>{_html(question.explanation)}</p>"
    return front, back + note


def build_deck(pack: Pack) -> tuple[genanki.Deck, list[genanki.Deck], int]:
    """The pack's deck and one sub-deck per concept; returns (root, all decks, note count)."""
    model = _model(pack)
    root = genanki.Deck(stable_id("studyreg-deck", pack.id), pack.title)
    decks = [root]
    count = 0
    for concept in pack.concepts:
        deck = genanki.Deck(
            stable_id("studyreg-deck", pack.id, concept.id), f"{pack.title}::{concept.title}"
        )
        decks.append(deck)
        notes = [("definition", f"Define: {_html(concept.title)}", _html(concept.definition))]
        for i, fact in enumerate(concept.facts):
            back = (
                f"Checked live by: <code>{html.escape(fact.check)}</code>"
                if fact.check
                else "A must-know fact."
            )
            notes.append((f"fact:{fact.id or i}", f"Fact: {_html(fact.text)}", back))
        for question in concept.questions:
            front, back = _question_back(pack, concept, question)
            notes.append((f"question:{question.id}", front, back))
        for item_id, front, back in notes:
            source = f"{pack.id} / {concept.id} / {item_id}"
            deck.add_note(
                genanki.Note(
                    model=model,
                    fields=[front, back, html.escape(source)],
                    guid=genanki.guid_for(pack.id, concept.id, item_id),
                    tags=["studyreg", pack.id, concept.id],
                )
            )
            count += 1
    return root, decks, count


def export_apkg(packs: list[Pack], path: Path) -> int:
    """Write every pack to one ``.apkg``; returns the number of notes."""
    decks: list[genanki.Deck] = []
    total = 0
    for pack in packs:
        _, pack_decks, count = build_deck(pack)
        decks.extend(pack_decks)
        total += count
    genanki.Package(decks).write_to_file(str(path))
    return total
