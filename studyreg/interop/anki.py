"""A pack as an Anki deck (``.apkg``) through genanki.

Ids are derived from the pack, concept and item ids, so exporting again updates the
same notes in Anki instead of duplicating them. Computed questions become one fixed
variant, and the card says so. Facts become cloze notes that hide the part to recall
(see ``studyreg.interop.card_text``); numeric answers state their tolerance; inline
Markdown becomes HTML.
"""

from __future__ import annotations

import hashlib
import html
import random
from pathlib import Path
from typing import Any

import genanki

from studyreg.content.models import Concept, Fact, Pack
from studyreg.interop.card_text import cloze_html, markdown_html, tolerance_words
from studyreg.interop.pack_table import answer_summary

CSS = (
    ".card { font-family: sans-serif; font-size: 18px; text-align: left; }"
    " .note { color: #777; font-size: 14px; } .cloze { font-weight: bold; color: #06c; }"
)


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


def _cloze_model(pack: Pack) -> genanki.Model:
    return genanki.Model(
        stable_id("studyreg-cloze-model", pack.id),
        f"studyreg cloze ({pack.id})",
        fields=[{"name": "Text"}, {"name": "Context"}, {"name": "Back Extra"}, {"name": "Source"}],
        templates=[
            {
                "name": "Cloze",
                "qfmt": '<div class="note">{{Context}}</div>{{cloze:Text}}',
                "afmt": '<div class="note">{{Context}}</div>{{cloze:Text}}'
                '<hr id="answer">{{Back Extra}}<div class="note">{{Source}}</div>',
            }
        ],
        css=CSS,
        model_type=genanki.Model.CLOZE,
    )


def _html(text: str) -> str:
    return markdown_html(text)


def fact_fields(concept: Concept, fact: Fact) -> tuple[str, str, str]:
    """Text (with the cloze deletion), context and back extra of a fact's cloze note."""
    context = f"Fact: {_html(concept.title)}"
    extra = ""
    if fact.check and concept.experiment is not None:
        extra = (
            "Checked live in studyreg by the "
            f"<code>{html.escape(concept.experiment.name)}</code> experiment."
        )
    return cloze_html(fact.text, fact.recall), context, extra


def _question_back(pack: Pack, concept: Any, question: Any) -> tuple[str, str]:
    """Front and back of a question card."""
    front = _html(question.prompt)
    note = ""
    if question.type == "computed":
        try:
            from studyreg.study.items import build_item

            item = build_item(pack, concept, question, random.Random(0))
            front = _html(item.prompt)
            back = f"{_html(item.answer_text())} ({tolerance_words(question)})"
            params = ", ".join(f"{k}={v}" for k, v in sorted(item.params.items()))
            note = (
                f"<div class='note'>One fixed variant (seed {item.seed}; {html.escape(params)}). "
                "In studyreg every attempt is a fresh one.</div>"
            )
        except Exception as error:  # noqa: BLE001 - a card without a variant beats no deck
            back = _html(answer_summary(question))
            note = f"<div class='note'>Variant not computed: {html.escape(str(error))}</div>"
    elif question.type == "numeric":
        from studyreg.study.items import build_item

        # As the grader would accept it: 102764544, not 1.02765e+08.
        item = build_item(pack, concept, question, random.Random(0))
        back = f"{_html(item.answer_text())} ({tolerance_words(question)})"
    else:
        back = _html(answer_summary(question))
    # Lists are shuffled as studyreg shows them, the same way on every export: pack files
    # list the right choice first and the items of an ordering in their right order.
    rng = random.Random(stable_id(pack.id, concept.id, question.id))
    if question.type in ("single_choice", "multiple_choice"):
        texts = [c.text for c in question.choices]
        front += _list(_shuffled(texts, rng) if question.shuffle else texts)
    elif question.type == "ordering":
        front += _list(_shuffled(question.items, rng))
    elif question.type == "matching":
        rights = [p.right for p in question.pairs] + list(question.distractors)
        front += _list([p.left for p in question.pairs])
        front += '<div class="note">Options:</div>' + _list(_shuffled(rights, rng))
    if question.type == "free_response":
        back += "<ul>" + "".join(f"<li>{_html(p)}</li>" for p in question.key_points) + "</ul>"
    if question.explanation:
        back += f"<p>{_html(question.explanation)}</p>"
    return front, back + note


def _shuffled(texts: list[str], rng: random.Random) -> list[str]:
    """``texts`` in a random order that is never the given one (when there are two or more)."""
    order = list(range(len(texts)))
    while len(texts) > 1 and order == list(range(len(texts))):
        rng.shuffle(order)
    return [texts[i] for i in order]


def _list(texts: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{_html(text)}</li>" for text in texts) + "</ul>"


def build_deck(pack: Pack) -> tuple[genanki.Deck, list[genanki.Deck], int]:
    """The pack's deck and one sub-deck per concept; returns (root, all decks, note count)."""
    model = _model(pack)
    cloze = _cloze_model(pack)
    root = genanki.Deck(stable_id("studyreg-deck", pack.id), pack.title)
    decks = [root]
    count = 0
    for concept in pack.concepts:
        deck = genanki.Deck(
            stable_id("studyreg-deck", pack.id, concept.id), f"{pack.title}::{concept.title}"
        )
        decks.append(deck)
        notes: list[tuple[genanki.Model, str, list[str]]] = [
            (model, "definition", [f"Define: {_html(concept.title)}", _html(concept.definition)])
        ]
        for i, fact in enumerate(concept.facts):
            # A new id ("fact-cloze"): the basic fact notes of older exports had another type.
            notes.append((cloze, f"fact-cloze:{fact.id or i}", list(fact_fields(concept, fact))))
        for question in concept.questions:
            front, back = _question_back(pack, concept, question)
            notes.append((model, f"question:{question.id}", [front, back]))
        for note_model, item_id, fields in notes:
            source = f"{pack.id} / {concept.id} / {item_id}"
            deck.add_note(
                genanki.Note(
                    model=note_model,
                    fields=[*fields, html.escape(source)],
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
