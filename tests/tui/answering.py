"""Drive the answer widgets the way a learner would, right or wrong, for any question type."""

from __future__ import annotations

from textual.widgets import Input, RadioButton, RadioSet, Select, SelectionList, TextArea


def _letter_index(letter: str) -> int:
    return ord(letter.strip().upper()) - ord("A")


async def answer(screen, pilot, *, right: bool) -> None:
    """Fill in the current item's widget with the right (or a wrong) answer and check it."""
    item = screen.item
    widget = screen.answer_widget
    kind = item.type
    truth = item.answer_value()
    if kind in ("numeric", "computed"):
        value = truth if right else str(float(item.truth) * 10 + 7)
        widget.query_one(Input).value = value
    elif kind == "short_answer":
        widget.query_one(Input).value = truth if right else "certainly not this"
    elif kind == "single_choice":
        index = _letter_index(truth)
        if not right:
            index = (index + 1) % len(item.options)
        list(widget.query_one(RadioSet).query(RadioButton))[index].value = True
    elif kind == "true_false":
        said = item.question.answer if right else not item.question.answer
        list(widget.query_one(RadioSet).query(RadioButton))[0 if said else 1].value = True
    elif kind == "multiple_choice":
        if right:
            for letter in truth.split(","):
                widget.query_one(SelectionList).select(_letter_index(letter))
    elif kind == "ordering":
        shown = " ".join(str(i + 1) for i in range(len(item.options)))  # never the solved order
        widget.query_one("#answer-order-text", Input).value = truth if right else shown
    elif kind == "matching":
        for n, letter in enumerate(truth.split()):
            widget.query_one(f"#match-{n}", Select).value = _letter_index(letter) if right else 0
    elif kind == "cloze":
        for n, value in enumerate(truth.split("; ")):
            field = widget.query_one(f"#blank-{n}")
            if isinstance(field, Select):
                field.value = _letter_index(value) if right else (_letter_index(value) + 1) % 2
            else:
                field.value = value if right else "12345"
    elif kind == "free_response":
        widget.query_one(TextArea).text = "An answer."
        await pilot.press("ctrl+s")  # reveal
        await pilot.pause()
        if right:
            widget.tick(set(range(len(item.question.key_points))))
        await pilot.press("4" if right else "1")
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
