"""Exam: N questions across concepts, a visible countdown, no feedback until the end."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.widgets import Static

from studyreg.tui.dialogs.exam_setup import ExamSettings
from studyreg.tui.screens.quiz import QuizScreen

if TYPE_CHECKING:
    from studyreg.study.catalog import Catalog
    from studyreg.study.store import ProgressStore


def clock(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.999))
    return f"{seconds // 60:d}:{seconds % 60:02d}"


class ExamScreen(QuizScreen):
    """A quiz without feedback; ends when the questions run out or the time is up."""

    show_feedback = False
    BINDINGS = [
        Binding("escape", "leave", "Finish", id="exam.finish"),
        Binding("ctrl+s", "check", "Answer", id="exam.answer", key_display="^s"),
    ]

    def __init__(self, session: Any, minutes: float | None = None) -> None:
        super().__init__(session, title="Exam")
        self.deadline = None if minutes is None else time.monotonic() + minutes * 60
        self.finished = False

    @classmethod
    def create(
        cls, catalog: Catalog, store: ProgressStore | None, settings: ExamSettings
    ) -> ExamScreen:
        from studyreg.study.session import Session

        session = Session(
            catalog, mode="exam", count=settings.count, seed=settings.seed, store=store
        )
        return cls(session, settings.minutes)

    def on_mount(self) -> None:
        super().on_mount()
        if self.deadline is not None:
            countdown = Static("", id="countdown")
            self.query_one("#quiz-body").mount(countdown, before=0)
            self._tick()
            self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        if self.deadline is None or self.finished:
            return
        left = self.deadline - time.monotonic()
        countdown = self.query_one("#countdown", Static)
        countdown.update(f"⏱ {clock(left)} left")
        countdown.set_class(left < 60, "low")
        if left <= 0:
            self.notify("Time is up.", severity="warning")
            self.finish()

    def answered(self, response: Any, verdict: Any) -> None:
        """No feedback in an exam: straight on to the next question."""
        self.action_next()

    def finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        self.workers.cancel_group(self, "quiz-item")
        super().finish()

    def action_leave(self) -> None:
        self.finish()
