"""Quiz, Learn and Review: one question at a time, instant feedback, the experiment one
key away (a computed question's own, answer hidden, even before answering).

Keys never mean two things at once: before answering, letters and digits pick options on a
choice list (the answer widget owns them); after answering in Review, 1–4 are the
Again/Hard/Good/Easy ratings, each button showing its next interval from fsrs.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, LoadingIndicator, Static
from textual.worker import Worker, get_current_worker

from studyreg.study import helper
from studyreg.study.feedback import verdict_message
from studyreg.study.scheduling import RATING_NAMES
from studyreg.tui.screens.shown_as_built import ShownAsBuilt
from studyreg.tui.widgets.answer_inputs import AnswerInput, Incomplete, answer_input_for
from studyreg.tui.widgets.footer import Footer
from studyreg.tui.widgets.header import Header
from studyreg.tui.widgets.scroll_body import ScrollBody
from studyreg.tui.workers import ReportsWorkerErrors

# Seconds a question is on screen before the work ahead draws (the figure ``e`` opens
# on), and before it starts at all while experiments run in this process (the helper
# process not ready): that thread took turns with the one building the question and
# made showing it up to ~50 ms slower. No one answers in less. Tests set 0: at once.
PREFETCH_AFTER_S = 0.3

if TYPE_CHECKING:
    from studyreg.study.catalog import Catalog
    from studyreg.study.session import Mode
    from studyreg.study.store import ProgressStore

STATUS = {
    "correct": ("✓ Correct", "bold green"),
    "partial": ("~ Partly right", "bold yellow"),
    "incorrect": ("✗ Not quite", "bold red"),
}


class QuizScreen(ReportsWorkerErrors, ShownAsBuilt, Screen[None]):
    """Serves a ``Session``; items are built in a worker (computed ones run an experiment)."""

    show_feedback = True
    BINDINGS = [
        Binding("escape", "leave", "Leave", id="quiz.leave"),
        Binding("ctrl+s", "check", "Check", id="quiz.check", key_display="^s"),
        Binding("n", "next", "Next", id="quiz.next"),
        Binding("1", "rate(1)", "Rate", id="quiz.rate_again", key_display="1–4"),
        Binding("2", "rate(2)", "Hard", id="quiz.rate_hard", show=False),
        Binding("3", "rate(3)", "Good", id="quiz.rate_good", show=False),
        Binding("4", "rate(4)", "Easy", id="quiz.rate_easy", show=False),
        Binding("e", "experiment", "Experiment", id="quiz.experiment"),
        # Before answering the focus is in the number field, which keeps every letter.
        Binding("ctrl+o", "open_variant", "Experiment", id="quiz.open_variant", key_display="^o"),
        Binding("u", "undo", "Undo", id="quiz.undo"),
    ]
    DEFAULT_CSS = """
    #rating-bar { height: auto; margin-top: 1; padding: 0 1; display: none; }
    #rating-bar.shown { display: block; }
    #rating-buttons { height: auto; }
    #rating-buttons Button { margin-right: 2; min-width: 6; }
    #rating-buttons Button.-chosen { text-style: bold reverse; }
    #returns { color: $text-muted; }
    """

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
        self.undone: Any = None  # the answer taken back, shown again in its widget

    @classmethod
    def for_mode(
        cls,
        catalog: Catalog,
        store: ProgressStore | None,
        mode: Mode,
        concept_ids: list[str] | None = None,
        seed: int | None = None,
    ) -> QuizScreen:
        from studyreg.errors import StudyregError
        from studyreg.study.session import Session

        session = Session(catalog, mode=mode, concept_ids=concept_ids, store=store, seed=seed)
        if not session.queue:
            raise StudyregError(
                "Nothing to review right now." if mode == "review" else "No questions to ask."
            )
        return cls(session, title={"learn": "Learn", "review": "Review"}.get(mode, "Quiz"))

    def compose(self) -> ComposeResult:
        yield Header()
        with ScrollBody(id="quiz-body"):
            yield Static("", id="question-meta")
            yield Static("", id="prompt")
            yield Vertical(id="answer-slot")
            yield Static("", id="answer-error")
            yield LoadingIndicator(id="quiz-loading")
            yield Static("", id="feedback")
            with Vertical(id="rating-bar"):
                with Horizontal(id="rating-buttons"):
                    for n, name in RATING_NAMES.items():
                        yield Button(f"{n} {name}", id=f"rate-{n}", compact=True)
                yield Static("", id="returns")
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
                    tooltip="The experiment behind it (e; before answering ctrl+o, answer hidden)",
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

    @work(thread=True, exclusive=True, exit_on_error=False, group="prefetch")
    def prefetch_next(self, item: Any, draw_at: float = 0.0) -> None:
        """While this question is on screen, run the experiments a learner opens next:
        its own, which ``e`` opens (after answering), the next question's variant and
        that question's own; then, from the moment ``draw_at`` (``time.monotonic``),
        draw the figure ``e`` opens on, so it opens complete at once."""
        from studyreg.study import lab

        def warm(question: Any) -> None:
            if self.show_feedback and question is not None and question.experiment is not None:
                name, params, seed = question.experiment
                lab.warm(name, params, seed, scope=question.concept.experiment.scope)

        warm(item)
        warm(self.session.warm_next())
        time.sleep(max(0.0, draw_at - time.monotonic()))
        if not self.show_feedback or item.experiment is None or get_current_worker().is_cancelled:
            return
        name, params, seed = item.experiment
        ready = lab.cached(name, params, seed, scope=item.concept.experiment.scope)
        if ready is not None:
            from studyreg.tui.screens.concept import experiment_plot_size
            from studyreg.tui.widgets.plot import plotext_theme, prerender

            theme = plotext_theme(self.app)
            if theme is not None:
                prerender(ready[1], experiment_plot_size(self.app.size), theme)

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
        meta = f"{self.title_text} · question {number} of {total} · {item.concept.title} · {item.kind.title}"
        if self.show_feedback and self.session.answered:
            meta += f" · {self.session.correct_count}/{self.session.answered} right"
        self.query_one("#question-meta", Static).update(meta)
        self.query_one("#prompt", Static).update(item.prompt)
        self._error("")
        feedback = self.query_one("#feedback", Static)
        feedback.update("")
        feedback.set_classes("")
        self.query_one("#rating-bar").remove_class("shown")
        slot = self.query_one("#answer-slot")
        await slot.remove_children()
        widget = answer_input_for(item)
        await slot.mount(widget)
        if not widget.is_attached:  # the quiz was left as it loaded: nothing was mounted
            return
        undone, self.undone = self.undone, None
        if undone is not None and undone.item.key == item.key:
            widget.restore(undone.response)
        self._buttons()
        widget.focus_first()
        draw_at = time.monotonic() + PREFETCH_AFTER_S
        if PREFETCH_AFTER_S <= 0:
            self.prefetch_next(item, draw_at)
        elif helper.ready():  # runs there take no turns here: start once this is drawn
            self.call_after_refresh(self._prefetch_if_shown, item, draw_at)
        else:
            self.set_timer(PREFETCH_AFTER_S, lambda: self._prefetch_if_shown(item))

    def _prefetch_if_shown(self, item: Any, draw_at: float = 0.0) -> None:
        if self.item is item and self.is_attached:
            self.prefetch_next(item, draw_at)

    def _buttons(self) -> None:
        answered = self.verdict is not None
        self.query_one("#check").display = not answered
        self.query_one("#next").display = answered
        self.query_one("#experiment").display = bool(
            self.check_action("experiment", ()) or self.check_action("open_variant", ())
        )
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
        if action == "open_variant":
            # Before answering, only a computed question's own variant (its answer hidden).
            computed = self.item is not None and self.item.live
            return self.show_feedback and not answered and computed and self._has_experiment()
        if action == "undo":
            return self.show_feedback and answered
        if action == "rate":
            return self.show_feedback and answered and self.session.mode == "review"
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
        """Quiz: show the truth at once; Review: and the four ratings. (Exam overrides this
        to move on silently.)"""
        self.show_verdict(response, verdict)
        if self.session.mode == "review":
            self.show_ratings()
        self._buttons()
        self.query_one("#next", Button).focus()

    def show_ratings(self) -> None:
        """Again/Hard/Good/Easy with the interval each gives; the one in force marked."""
        answer = self.session.answers[-1]
        for n, name in RATING_NAMES.items():
            button = self.query_one(f"#rate-{n}", Button)
            interval = answer.interval(n)
            button.label = f"{n} {name}" + (f" · {interval}" if interval else "")
            button.set_class(n == answer.rating, "-chosen")
        when = answer.returns_in
        chosen = RATING_NAMES[answer.rating]
        line = f"Rated {chosen}" + (f": back in {when}" if when else "")
        self.query_one("#returns", Static).update(f"{line}. Keys 1–4 change it; n moves on.")
        self.query_one("#rating-bar").add_class("shown")

    def action_rate(self, rating: int) -> None:
        if self.verdict is None or self.session.mode != "review":
            return
        self.session.rate(rating)
        self.show_ratings()

    def show_verdict(self, response: Any, verdict: Any) -> None:
        item = self.item
        label, style = STATUS.get(verdict.status, (verdict.status, "bold"))
        text = Text(label, style=style)
        message = verdict_message(verdict)
        if message:
            text.append(f"  {message}")
        rows = item.kind.marked_rows(item, response) if not verdict.correct else []
        for row in rows:
            text.append(f"\n{row}", style="green" if row.startswith("✓") else "red")
        if not rows and (not verdict.correct or item.kind.numeric):
            text.append("\nAnswer: ", style="bold")
            text.append(item.answer_text())
        for note in item.feedback(response):
            text.append(f"\n{note}", style="italic")
        explanation = getattr(item.question, "explanation", None)
        if explanation:
            text.append(f"\n{explanation}", style="dim")
        if item.params and item.live:
            drawn = list(getattr(item.question, "vary", {})) or list(item.params)
            shown = ", ".join(f"{k}={item.params[k]}" for k in drawn if k in item.params)
            text.append(f"\nvariant: {shown}, seed {item.seed}; e opens it", style="dim")
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
        undone = self.session.undo_last()
        if undone is None:
            self.notify("Nothing to undo.", severity="warning")
            return
        self.undone = undone
        self.notify("Last answer taken back; here it is again.")
        self._refetch()

    def action_open_variant(self) -> None:
        """Before answering: this variant's experiment, the asked-for outputs hidden."""
        if not self.check_action("open_variant", ()):
            return
        from studyreg.tui.screens.variant import VariantExperimentScreen

        self.app.push_screen(VariantExperimentScreen(self.item))

    def action_experiment(self) -> None:
        if self.verdict is None:
            self.action_open_variant()
            return
        if not self.check_action("experiment", ()):
            return
        from studyreg.tui.screens.concept import ConceptScreen

        _name, params, seed = self.item.experiment
        self.app.push_screen(
            ConceptScreen(self.item.pack, self.item.concept, params=params, seed=seed)
        )

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button.startswith("rate-"):
            self.action_rate(int(button.removeprefix("rate-")))
            return
        {
            "check": self.action_check,
            "next": self.action_next,
            "experiment": self.action_experiment,
        }.get(button, lambda: None)()

    # --- the end ----------------------------------------------------------------------------

    def finish(self) -> None:
        from studyreg.tui.screens.summary import SummaryScreen

        self.app.switch_screen(SummaryScreen(self.session, title=self.title_text))

    def action_leave(self) -> None:
        if self.session.answered:
            self.finish()
        else:
            self.app.pop_screen()
