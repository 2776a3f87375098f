"""The right input for each question type. Each widget's ``response()`` returns what
``QuestionItem.grade`` expects, or raises ``Incomplete`` saying what is missing.

One-key answering: on a choice list, letters and digits pick an option (a–d / 1–4 for
four options) and t/f answer true or false; Enter checks. These keys live on the choice
widgets only, so they never reach a text field (an ``Input`` keeps every printable key), and
they are gone once the answer is graded, when 1–4 are the Review ratings instead.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import (
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from studyreg.errors import StudyregError
from studyreg.grading import AnswerParseError

RATINGS = ("Again", "Hard", "Good", "Easy")
# Seconds after a free-response question shows before its reveal (model answer, key
# points, rating) is built, hidden: the question's own frames do not pay for it, and the
# key that reveals it only shows it.
PREBUILD_AFTER_S = 0.3


class Incomplete(StudyregError):
    """The answer cannot be graded yet; the message says what to do (no penalty)."""


def letter(index: int) -> str:
    return chr(ord("A") + index)


class AnswerInput(Vertical):
    """Base: an answer area for one ``QuestionItem``."""

    class Submit(Message):
        """The learner pressed Enter where that means 'check my answer'."""

    def __init__(self, item: Any) -> None:
        super().__init__(classes="answer-input")
        self.item = item

    def response(self) -> Any:
        raise NotImplementedError

    def freeze(self) -> None:
        """After grading: nothing can change any more."""
        for child in self.query("Input, RadioSet, SelectionList, OptionList, Select, TextArea"):
            child.disabled = True

    def focus_first(self) -> None:
        focusable = [w for w in self.query("*") if w.can_focus]
        if focusable:
            focusable[0].focus()

    def restore(self, response: Any) -> None:
        """Show ``response`` again (after an undo), so nothing typed is lost."""

    def bind_picks(self, n: int) -> None:
        """Letters a.. and digits 1.. pick option 0..n-1 (footer: 'a–d/1–4 Pick')."""
        shown = f"a–{letter(n - 1).lower()}" + (f"/1–{n}" if n <= 9 else "")
        for i in range(min(n, 26)):
            self._bindings.bind(
                letter(i).lower(), f"pick({i})", "Pick", show=i == 0, key_display=shown
            )
            if i < 9:
                self._bindings.bind(str(i + 1), f"pick({i})", "Pick", show=False)

    def action_pick(self, index: int) -> None:
        """Choose (or, where several may be chosen, toggle) option ``index``."""


class ChoiceRadioSet(RadioSet):
    """A RadioSet where Enter checks the answer (picking the highlighted option if none
    is picked yet); Space still picks."""

    BINDINGS = [Binding("enter", "check", "Check", key_display="⏎")]

    def action_check(self) -> None:
        buttons = list(self.query(RadioButton))
        if not any(b.value for b in buttons) and self._selected is not None:
            buttons[self._selected].value = True
        self.post_message(AnswerInput.Submit())


class ChoiceSelectionList(SelectionList[int]):
    """A SelectionList where Enter checks the answer; Space toggles."""

    BINDINGS = [Binding("enter", "check", "Check", key_display="⏎")]

    def action_check(self) -> None:
        self.post_message(AnswerInput.Submit())


def _press(radio_set: RadioSet, index: int) -> None:
    buttons = list(radio_set.query(RadioButton))
    for n, button in enumerate(buttons):
        if n != index:
            button.value = False
    buttons[index].value = True
    radio_set._selected = index


def _pressed(radio_set: RadioSet) -> int:
    """The picked option, read from the buttons themselves (-1: none)."""
    picked = [n for n, b in enumerate(radio_set.query(RadioButton)) if b.value]
    return picked[-1] if picked else -1


class TextAnswer(AnswerInput):
    """numeric, computed, short_answer: one line; the grader explains unreadable numbers."""

    def compose(self) -> ComposeResult:
        numeric = self.item.kind.numeric
        hint = "a number: 0.25, 1/4, 25%, 2.5e-1" if numeric else "your answer"
        unit = getattr(self.item.question, "unit", None)
        yield Input(placeholder=hint + (f" (in {unit})" if unit else ""), id="answer-text")

    def response(self) -> str:
        text = self.query_one("#answer-text", Input).value.strip()
        if not text:
            raise Incomplete("Type an answer, then press Enter.")
        return text

    @on(Input.Submitted, "#answer-text")
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submit())

    def restore(self, response: Any) -> None:
        self.query_one("#answer-text", Input).value = str(response)


class SingleChoiceAnswer(AnswerInput):
    def __init__(self, item: Any) -> None:
        super().__init__(item)
        self.bind_picks(len(item.options))

    def compose(self) -> ComposeResult:
        with ChoiceRadioSet(id="answer-choice"):
            for n, option in enumerate(self.item.options):
                yield RadioButton(f"{letter(n)}) {option}")

    def action_pick(self, index: int) -> None:
        _press(self.query_one("#answer-choice", RadioSet), index)

    def response(self) -> int:
        index = _pressed(self.query_one("#answer-choice", RadioSet))
        if index < 0:
            n = len(self.item.options)
            raise Incomplete(f"Pick one choice: a–{letter(n - 1).lower()} (or arrows and Space).")
        return index

    def restore(self, response: Any) -> None:
        self.action_pick(int(response))


class TrueFalseAnswer(AnswerInput):
    BINDINGS = [
        Binding("t", "pick(0)", "True", id="answer.true"),
        Binding("f", "pick(1)", "False", id="answer.false"),
    ]

    def compose(self) -> ComposeResult:
        with ChoiceRadioSet(id="answer-tf"):
            yield RadioButton("True")
            yield RadioButton("False")

    def action_pick(self, index: int) -> None:
        _press(self.query_one("#answer-tf", RadioSet), index)

    def response(self) -> bool:
        index = _pressed(self.query_one("#answer-tf", RadioSet))
        if index < 0:
            raise Incomplete("Pick True or False: t or f (or arrows and Space).")
        return index == 0

    def restore(self, response: Any) -> None:
        from studyreg.grading import AnswerParseError, parse_true_false

        try:
            said = response if isinstance(response, bool) else parse_true_false(str(response))
        except AnswerParseError:
            return
        self.action_pick(0 if said else 1)


class MultipleChoiceAnswer(AnswerInput):
    def __init__(self, item: Any) -> None:
        super().__init__(item)
        self.bind_picks(len(item.options))

    def compose(self) -> ComposeResult:
        options = [(f"{letter(n)}) {text}", n) for n, text in enumerate(self.item.options)]
        yield ChoiceSelectionList(*options, id="answer-multi")

    def action_pick(self, index: int) -> None:
        self.query_one("#answer-multi", SelectionList).toggle(index)

    def response(self) -> set[int]:
        return set(self.query_one("#answer-multi", SelectionList).selected)

    def restore(self, response: Any) -> None:
        listing = self.query_one("#answer-multi", SelectionList)
        for index in response:
            listing.select(index)


class OrderingAnswer(AnswerInput):
    """Move the highlighted item with shift+↑/↓, or type the order as '3 1 2'."""

    BINDINGS = [
        Binding("shift+up", "move(-1)", "Move up", id="answer.move_up"),
        Binding("shift+down", "move(1)", "Move down", id="answer.move_down"),
    ]

    def __init__(self, item: Any) -> None:
        super().__init__(item)
        self.order = list(range(len(item.options)))

    def compose(self) -> ComposeResult:
        yield Static(
            "shift+↑/↓ moves the highlighted item; or type the order, e.g. '2 3 1'", classes="hint"
        )
        yield OptionList(*self._labels(), id="answer-order", classes="ordering-list")
        yield Input(placeholder="or type the order: 2 3 1", id="answer-order-text")

    def _labels(self) -> list[str]:
        return [f"{n + 1}. {self.item.options[i]}" for n, i in enumerate(self.order)]

    def action_move(self, step: int) -> None:
        listing = self.query_one("#answer-order", OptionList)
        here = listing.highlighted
        if here is None:
            return
        there = here + step
        if not 0 <= there < len(self.order):
            return
        self.order[here], self.order[there] = self.order[there], self.order[here]
        listing.clear_options()
        listing.add_options(self._labels())
        listing.highlighted = there

    def response(self) -> list[int]:
        text = self.query_one("#answer-order-text", Input).value.strip()
        if not text:
            return list(self.order)
        try:
            return list(self.item.parse_response(text))
        except AnswerParseError as error:
            raise Incomplete(str(error)) from None

    @on(Input.Submitted, "#answer-order-text")
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submit())


class MatchingAnswer(AnswerInput):
    def compose(self) -> ComposeResult:
        options = [(f"{letter(n)}) {text}", n) for n, text in enumerate(self.item.options)]
        for n, left in enumerate(self.item.lefts):
            with Horizontal(classes="matching-row"):
                yield Label(left)
                yield Select(options, prompt="match with…", id=f"match-{n}")

    def response(self) -> dict[int, int]:
        pairs: dict[int, int] = {}
        for n, left in enumerate(self.item.lefts):
            value = self.query_one(f"#match-{n}", Select).value
            if value is Select.NULL:
                raise Incomplete(f"Pick a match for {left!r}.")
            pairs[n] = int(value)  # type: ignore[arg-type]
        return pairs


class FreeResponseAnswerInput(AnswerInput):
    """Write, then reveal the model answer, tick the key points covered and rate 1–4."""

    BINDINGS = [
        Binding("1", "rate(1)", "Again", id="answer.rate_again", show=False),
        Binding("2", "rate(2)", "Hard", id="answer.rate_hard", show=False),
        Binding("3", "rate(3)", "Good", id="answer.rate_good", show=False),
        Binding("4", "rate(4)", "Easy", id="answer.rate_easy", show=False),
    ]

    revealed = False

    def compose(self) -> ComposeResult:
        yield TextArea(
            id="answer-essay",
            soft_wrap=True,
            placeholder="Write your answer, then check to reveal.",
        )

    def _reveal_section(self) -> Vertical:
        """Built PREBUILD_AFTER_S after the question shows, hidden until revealed: most
        of the widget's cost, and unseen until then."""
        points = [(text, n) for n, text in enumerate(self.item.question.key_points)]
        return Vertical(
            Static("Model answer", classes="section-title"),
            Static(self.item.question.model_answer, id="model-answer"),
            Static("Tick the key points you covered (Space):", classes="section-title"),
            SelectionList[int](*points, id="key-points"),
            Static("Rate your recall (keys 1–4):", classes="section-title"),
            RadioSet(
                *(RadioButton(f"{n} {name}") for n, name in enumerate(RATINGS, 1)), id="rating"
            ),
            id="reveal",
        )

    confirmed = False  # "none of the key points, yet Good/Easy" was checked twice

    def on_mount(self) -> None:
        self.set_timer(PREBUILD_AFTER_S, self._prebuild)

    def _prebuild(self) -> None:
        """Build the reveal hidden while the learner reads and writes."""
        if self.revealed or self.query("#reveal") or not self.is_attached:
            return
        section = self._reveal_section()
        section.display = False
        self.mount(section)

    def reveal(self) -> None:
        self.revealed = True
        self.query_one("#answer-essay", TextArea).read_only = True
        built = self.query("#reveal")
        if built:
            section = built.first(Vertical)
            section.display = True
        else:  # revealed before it was built
            section = self._reveal_section()
            self.mount(section)

        def show() -> None:
            if not section.query("#rating"):  # the question was left before it was drawn
                return
            section.query_one("#key-points", SelectionList).focus(scroll_visible=False)
            # The rating is the last step: bring the whole reveal, down to it, into view.
            self.call_after_refresh(section.query_one("#rating").scroll_visible, animate=False)

        self.call_after_refresh(show)

    def action_rate(self, rating: int) -> None:
        if self.revealed and self.query("#rating"):  # mounted on the next frame
            _press(self.query_one("#rating", RadioSet), rating - 1)
            self.confirmed = False
            self.query_one("#rating").scroll_visible(animate=False)

    def restore(self, response: Any) -> None:
        self.query_one("#answer-essay", TextArea).text = getattr(response, "text", "")

    def tick(self, indices: set[int]) -> None:
        listing = self.query_one("#key-points", SelectionList)
        for n in indices:
            listing.select(n)

    def response(self) -> Any:
        from studyreg.study.items import FreeResponseAnswer

        if not self.revealed:
            self.reveal()
            raise Incomplete(
                "Compare with the model answer: tick the key points you covered, rate 1–4, then check."
            )
        rating = _pressed(self.query_one("#rating", RadioSet)) + 1
        if rating < 1:
            self.query_one("#rating").scroll_visible(animate=False)
            raise Incomplete("Rate your recall: 1 Again, 2 Hard, 3 Good, 4 Easy.")
        covered = frozenset(self.query_one("#key-points", SelectionList).selected)
        n = len(self.item.question.key_points)
        if n and not covered and rating >= 3 and not self.confirmed:
            self.confirmed = True
            raise Incomplete(
                f"You ticked none of the {n} key points but rated it {RATINGS[rating - 1]}: "
                "check again to keep that, or tick what you covered / rate 1–2."
            )
        text = self.query_one("#answer-essay", TextArea).text.strip()
        return FreeResponseAnswer(covered=covered, rating=rating, text=text)


class ClozeAnswer(AnswerInput):
    """One field per blank: a line for words and numbers, a drop-down for choices."""

    def compose(self) -> ComposeResult:
        for n, (blank, variant) in enumerate(
            zip(self.item.question.blanks, self.item.blanks, strict=True)
        ):
            with Horizontal(classes="cloze-row"):
                yield Label(f"[{n + 1}]", classes="cloze-label")
                if variant.options:
                    options = [
                        (f"{letter(i)}) {text}", i) for i, text in enumerate(variant.options)
                    ]
                    yield Select(options, prompt="pick one…", id=f"blank-{n}")
                else:
                    unit = getattr(blank, "unit", None)
                    hint = "a number" if blank.kind == "number" else "a word or phrase"
                    yield Input(
                        placeholder=hint + (f" (in {unit})" if unit else ""), id=f"blank-{n}"
                    )

    def response(self) -> list[str | int]:
        answers: list[str | int] = []
        for n in range(len(self.item.blanks)):
            field = self.query_one(f"#blank-{n}")
            if isinstance(field, Select):
                if field.value is Select.NULL:
                    raise Incomplete(f"Pick an option for blank [{n + 1}].")
                answers.append(int(str(field.value)))
                continue
            text = self.query_one(f"#blank-{n}", Input).value.strip()
            if not text:
                raise Incomplete(f"Fill in blank [{n + 1}].")
            answers.append(text)
        return answers

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        """Enter moves to the next blank; on the last one it checks the answer."""
        event.stop()
        fields = [w for w in self.query("Input, Select") if w.can_focus]
        here = fields.index(event.input) if event.input in fields else len(fields) - 1
        if here + 1 < len(fields):
            fields[here + 1].focus()
        else:
            self.post_message(self.Submit())


WIDGETS: dict[str, type[AnswerInput]] = {
    "numeric": TextAnswer,
    "computed": TextAnswer,
    "short_answer": TextAnswer,
    "single_choice": SingleChoiceAnswer,
    "true_false": TrueFalseAnswer,
    "multiple_choice": MultipleChoiceAnswer,
    "ordering": OrderingAnswer,
    "matching": MatchingAnswer,
    "free_response": FreeResponseAnswerInput,
    "cloze": ClozeAnswer,
}


def answer_input_for(item: Any) -> AnswerInput:
    return WIDGETS[item.type](item)
