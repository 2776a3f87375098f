"""Choose an exam: how many questions and an optional time limit."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from studyreg.tui.screens.shown_as_built import ShownAsBuilt


@dataclass(frozen=True)
class ExamSettings:
    count: int
    minutes: float | None = None
    seed: int | None = None


class ExamSetupDialog(ShownAsBuilt, ModalScreen[ExamSettings | None]):
    """Answers with ``ExamSettings`` (Start) or ``None`` (Cancel / escape)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="exam_setup.cancel")]

    def __init__(self, count: int = 10, minutes: float | None = None) -> None:
        super().__init__()
        self.default_count = count
        self.default_minutes = minutes

    def compose(self) -> ComposeResult:
        with Vertical(id="exam-box"):
            yield Static("Exam", classes="section-title")
            yield Label("Questions")
            yield Input(
                str(self.default_count), id="exam-count", type="integer", placeholder="e.g. 10"
            )
            yield Label("Time limit in minutes (empty: none)")
            minutes = "" if self.default_minutes is None else f"{self.default_minutes:g}"
            yield Input(minutes, id="exam-minutes", placeholder="e.g. 15")
            yield Static("", id="exam-error")
            with Horizontal(classes="actions"):
                yield Button("Start", id="start", variant="primary")
                yield Button("Cancel", id="cancel")

    def read(self) -> ExamSettings:
        count_text = self.query_one("#exam-count", Input).value.strip()
        minutes_text = self.query_one("#exam-minutes", Input).value.strip()
        try:
            count = int(count_text)
        except ValueError:
            raise ValueError(f"questions: {count_text!r} is not a whole number") from None
        if not 1 <= count <= 500:
            raise ValueError("questions: give a number from 1 to 500")
        minutes = None
        if minutes_text:
            try:
                minutes = float(minutes_text)
            except ValueError:
                raise ValueError(
                    f"time limit: {minutes_text!r} is not a number of minutes"
                ) from None
            if not 0 < minutes <= 600:
                raise ValueError("time limit: give minutes between 0 and 600, or leave it empty")
        return ExamSettings(count, minutes)

    def action_start(self) -> None:
        try:
            settings = self.read()
        except ValueError as error:
            self.query_one("#exam-error", Static).update(str(error))
            return
        self.dismiss(settings)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _enter(self) -> None:
        self.action_start()

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()
        else:
            self.action_cancel()
