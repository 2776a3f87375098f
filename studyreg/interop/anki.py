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

from studyreg.content.models import Computed, Concept, Fact, Numeric, Pack
from studyreg.interop.card_text import cloze_html, markdown_html, tolerance_words
from studyreg.interop.pack_table import answer_summary
from studyreg.study.kinds import kind_of

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
    """Front and back of a question card: one variant, drawn the same way on every export
    (pack files list the right choice first and orderings in order; the card must not)."""
    from studyreg.study.items import build_item

    kind = kind_of(question.type)
    rng = random.Random(stable_id(pack.id, concept.id, question.id))
    try:
        item = build_item(pack, concept, question, rng)
    except Exception as error:  # noqa: BLE001 - a card without a variant beats no deck
        front, back = _html(question.prompt), _html(answer_summary(question))
        note = f"<div class='note'>Variant not computed: {html.escape(str(error))}</div>"
    else:
        front, back, note = _html(item.prompt), _html(item.answer_text()), ""
        if isinstance(question, Numeric | Computed):
            back += f" ({tolerance_words(question)})"  # as the grader accepts: 102764544
        front += _option_lists(item.option_lines())
        if item.live:
            params = ", ".join(f"{k}={v}" for k, v in sorted(item.params.items()))
            note = (
                f"<div class='note'>One fixed variant (seed {item.seed}; {html.escape(params)}). "
                "In studyreg every attempt is a fresh one.</div>"
            )
    if listed := kind.card_back_list(question):
        back += _list(listed)
    if question.explanation:
        back += f"<p>{_html(question.explanation)}</p>"
    return front, back + note


def _option_lists(lines: list[str]) -> str:
    """The lines a learner sees under the prompt (options, items, rows) as HTML lists; a
    line ending in ':' heads the list after it."""
    html_parts: list[str] = []
    run: list[str] = []
    for line in (raw.strip() for raw in lines):
        if line.endswith(":"):
            html_parts.append(_list(run) if run else "")
            html_parts.append(f'<div class="note">{_html(line[:-1].capitalize())}:</div>')
            run = []
        else:
            run.append(line)
    if run:
        html_parts.append(_list(run))
    return "".join(html_parts)


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
