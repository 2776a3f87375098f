"""Quiz and Learn: one question at a time, instant feedback, the experiment one key away."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Header, LoadingIndicator, Static
from textual.worker import Worker, get_current_worker

from studyreg.tui.widgets.answer_inputs import AnswerInput, Incomplete, answer_input_for
from studyreg.tui.widgets.footer import Footer
from studyreg.tui.workers import ReportsWorkerErrors

STATUS = {
    "correct": ("✓ Correct", "bold green"),
    "partial": ("~ Partly right", "bold yellow"),
    "incorrect": ("✗ Not quite", "bold red"),
}
TYPE_NAMES = {
    "numeric": "number",
    "computed": "computed number",
    "single_choice": "one choice",
    "multiple_choice": "several choices",
    "true_false": "true or false",
    "short_answer": "short answer",
    "ordering": "put in order",
    "matching": "match",
    "free_response": "free response",
}


class QuizScreen(ReportsWorkerErrors, Screen[None]):
    """Serves a ``Session``; items are built in a worker (computed ones run an experiment)."""

    show_feedback = True
    BINDINGS = [
        Binding("escape", "leave", "Leave", id="quiz.leave"),
        Binding("ctrl+s", "check", "Check", id="quiz.check", key_display="^s"),
        Binding("n", "next", "Next", id="quiz.next"),
        Binding("e", "experiment", "Experiment", id="quiz.experiment"),
        Binding("u", "undo", "Undo", id="quiz.undo"),
    ]

    class ItemReady(Message):
        def __init__(self, item: Any) -> None:
            super().__init__()
            self.item = item

    def __init__(self, session: Any, *, title: str = "Quiz") -> None:
        super().__init__()
        self.session = session
        self.item: Any = None
        self.verdict: Any = None
        self.started = time.monotonic()
        self.title_text = title
        self.sub_title = title

    @classmethod
    def for_mode(
        cls,
        catalog: Any,
        store: Any,
        mode: str,
        concept_ids: list[str] | None = None,
        seed: int | None = None,
    ) -> QuizScreen:
        from studyreg.study.session import Session

        session = Session(catalog, mode=mode, concept_ids=concept_ids, store=store, seed=seed)  # type: ignore[arg-type]
        if not session.queue:
            raise ValueError(
                "Nothing to review right now." if mode == "review" else "No questions to ask."
            )
        return cls(session, title={"learn": "Learn", "review": "Review"}.get(mode, "Quiz"))

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="quiz-body"):
            yield Static("", id="question-meta")
            yield Static("", id="prompt")
            yield Vertical(id="answer-slot")
            yield Static("", id="answer-error")
            yield LoadingIndicator(id="quiz-loading")
            yield Static("", id="feedback")
            with Horizontal(classes="actions"):
                yield Button(
                    "Check",
                    id="check",
                    compact=True,
                    variant="primary",
                    tooltip="Grade this answer (ctrl+s)",
                )
                yield Button("Next", id="next", compact=True, tooltip="Next question (n)")
                yield Button(
                    "Experiment",
                    id="experiment",
                    compact=True,
                    tooltip="The experiment behind it (e)",
                )
        yield Footer()

    def on_mount(self) -> None:
        self.fetch_next()

    # --- getting the next item (may run an experiment) ------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="quiz-item")
    def fetch_next(self) -> None:
        item = self.session.next_item()
        if not get_current_worker().is_cancelled:
            self.post_message(self.ItemReady(item))

    def _loading(self, on: bool) -> None:
        self.query_one("#quiz-loading").display = on

    async def on_quiz_screen_item_ready(self, message: ItemReady) -> None:
        self._loading(False)
        if message.item is None:
            self.finish()
            return
        await self.show_item(message.item)

    def on_worker_failed(self, worker: Worker, message: str) -> None:
        self._loading(False)
        self._error(message)

    async def show_item(self, item: Any) -> None:
        self.item, self.verdict = item, None
        self.started = time.monotonic()
        number = self.session.answered + 1
        total = number + self.session.remaining
        meta = f"{self.title_text} · question {number} of {total} · {item.concept.title} · {TYPE_NAMES.get(item.type, item.type)}"
        if self.show_feedback and self.session.answered:
            meta += f" · {self.session.correct_count}/{self.session.answered} right"
        self.query_one("#question-meta", Static).update(meta)
        self.query_one("#prompt", Static).update(item.prompt)
        self._error("")
        feedback = self.query_one("#feedback", Static)
        feedback.update("")
        feedback.set_classes("")
        slot = self.query_one("#answer-slot")
        await slot.remove_children()
        widget = answer_input_for(item)
        await slot.mount(widget)
        self._buttons()
        widget.focus_first()

    def _buttons(self) -> None:
        answered = self.verdict is not None
        self.query_one("#check").display = not answered
        self.query_one("#next").display = answered
        self.query_one("#experiment").display = answered and self._has_experiment()
        self.refresh_bindings()

    def _has_experiment(self) -> bool:
        return self.item is not None and self.item.experiment is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        answered = self.verdict is not None
        if action == "check":
            return self.item is not None and not answered
        if action == "next":
            return answered
        if action == "experiment":
            return self.show_feedback and answered and self._has_experiment()
        if action == "undo":
            return self.show_feedback and answered
        return True

    # --- answering -----------------------------------------------------------------------

    @property
    def answer_widget(self) -> AnswerInput | None:
        widgets = self.query(AnswerInput)
        return widgets.first() if widgets else None

    def _error(self, message: str) -> None:
        line = self.query_one("#answer-error", Static)
        line.update(message)
        line.set_class(bool(message), "shown")

    @on(AnswerInput.Submit)
    def _submit(self) -> None:
        self.action_check()

    def action_check(self) -> None:
        widget = self.answer_widget
        if self.item is None or widget is None or self.verdict is not None:
            return
        try:
            response = widget.response()
        except Incomplete as error:
            self._error(str(error))
            return
        verdict = self.session.submit(self.item, response, seconds=time.monotonic() - self.started)
        if not verdict.counts:  # unreadable or imprecise: say why, no penalty
            self._error(verdict.message)
            return
        self.verdict = verdict
        self._error("")
        widget.freeze()
        self.answered(response, verdict)

    def answered(self, response: Any, verdict: Any) -> None:
        """Quiz: show the truth at once. (Exam overrides this to move on silently.)"""
        self.show_verdict(response, verdict)
        self._buttons()
        self.query_one("#next", Button).focus()

    def show_verdict(self, response: Any, verdict: Any) -> None:
        item = self.item
        label, style = STATUS.get(verdict.status, (verdict.status, "bold"))
        text = Text(label, style=style)
        if verdict.message:
            text.append(f"  {verdict.message}")
        if not verdict.correct or item.type in ("numeric", "computed"):
            text.append("\nAnswer: ", style="bold")
            text.append(item.answer_text())
        for note in item.feedback(response):
            text.append(f"\n{note}", style="italic")
        explanation = getattr(item.question, "explanation", None)
        if explanation:
            text.append(f"\n{explanation}", style="dim")
        if item.params and item.type == "computed":
            drawn = list(getattr(item.question, "vary", {})) or list(item.params)
            shown = ", ".join(f"{k}={item.params[k]}" for k in drawn if k in item.params)
            text.append(f"\nvariant: {shown}, seed {item.seed} — press e to open it", style="dim")
        feedback = self.query_one("#feedback", Static)
        feedback.update(text)
        feedback.set_classes(f"shown {verdict.status}")

    def action_next(self) -> None:
        if self.verdict is not None:
            self._refetch()

    def _refetch(self) -> None:
        self.item, self.verdict = None, None
        self._loading(True)
        self.query_one("#answer-slot").remove_children()
        self.fetch_next()

    def action_undo(self) -> None:
        if self.verdict is None:
            return
        if not self.session.undo_last():
            self.notify("Nothing to undo.", severity="warning")
            return
        self.notify("Last answer taken back; here it is again.")
        self._refetch()

    def action_experiment(self) -> None:
        if not self._has_experiment():
            return
        from studyreg.tui.screens.concept import ConceptScreen

        _name, params, seed = self.item.experiment
        self.app.push_screen(
            ConceptScreen(self.item.pack, self.item.concept, params=params, seed=seed)
        )

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        {
            "check": self.action_check,
            "next": self.action_next,
            "experiment": self.action_experiment,
        }.get(event.button.id or "", lambda: None)()

    # --- the end ----------------------------------------------------------------------------

    def finish(self) -> None:
        from studyreg.tui.screens.summary import SummaryScreen

        self.app.switch_screen(SummaryScreen(self.session, title=self.title_text))

    def action_leave(self) -> None:
        if self.session.answered:
            self.finish()
        else:
            self.app.pop_screen()
