"""Summary: the score, results per concept, every mistake with the right answer, when
each reviewed question comes back, and Retry mistakes."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from studyreg.study.feedback import format_points
from studyreg.tui.screens.shown_as_built import ShownAsBuilt
from studyreg.tui.widgets.footer import Footer
from studyreg.tui.widgets.header import Header
from studyreg.tui.widgets.scroll_body import ScrollBody
from studyreg.tui.widgets.text_table import Column, TextTable


def score_line(session: Any) -> str:
    answered = session.answered
    if not answered:
        return "No questions answered."
    right = session.correct_count
    score = session.score
    points = format_points(score) if score != right else f"{right}"
    return f"Score {points}/{answered} — {right} of {answered} right ({right / answered:.0%})"


def mistake_text(number: int, answer: Any) -> Text:
    item, verdict = answer.item, answer.verdict
    text = Text(f"{number}. ", style="bold")
    text.append(item.prompt, style="bold")
    text.append(f"\n   {item.concept.title} · {verdict.status}", style="dim")
    text.append("\n   Your answer: ")
    text.append(item.response_text(answer.response), style="red")
    text.append("\n   Right answer: ")
    text.append(item.answer_text(), style="green")
    explanation = getattr(item.question, "explanation", None)
    if explanation:
        text.append(f"\n   {explanation}", style="italic")
    return text


class SummaryScreen(ShownAsBuilt, Screen[None]):
    DEFAULT_CSS = "#comes-back { height: auto; max-height: 12; }"
    BINDINGS = [
        Binding("escape", "home", "Home", id="summary.home"),
        Binding("enter", "home", "Home", id="summary.done", show=False),
        Binding("r", "retry", "Retry mistakes", id="summary.retry"),
    ]

    def __init__(self, session: Any, *, title: str = "Quiz") -> None:
        super().__init__()
        self.session = session
        self.title_text = title
        self.sub_title = f"{title} summary"

    def compose(self) -> ComposeResult:
        session = self.session
        yield Header()
        with ScrollBody(id="summary-body"):
            yield Static(score_line(session), id="score")
            yield Static("By concept", classes="section-title")
            titles = {a.item.concept.id: a.item.concept.title for a in session.answers}
            yield TextTable(
                [Column("concept"), Column("right", True), Column("of", True), Column("%", True)],
                (
                    (
                        titles.get(concept_id, concept_id),
                        str(right),
                        str(total),
                        f"{right / total:.0%}",
                    )
                    for concept_id, (right, total) in session.results_by_concept().items()
                ),
                id="by-concept",
            )
            mistakes = session.mistakes
            yield Static(
                f"Mistakes ({len(mistakes)})" if mistakes else "No mistakes.",
                classes="section-title",
            )
            for number, answer in enumerate(mistakes, start=1):
                yield Static(mistake_text(number, answer), classes="mistake")
            if session.mode == "review":
                yield from self._comes_back()
        yield Footer()

    def _comes_back(self) -> ComposeResult:
        from studyreg.study.scheduling import RATING_NAMES

        rows = self.session.comes_back()
        if not rows:
            return
        yield Static("Comes back", classes="section-title")
        yield TextTable(
            [Column("in", True), Column("rated"), Column("concept"), Column("question", width=48)],
            (
                (
                    answer.returns_in,
                    RATING_NAMES[answer.rating],
                    answer.item.concept.title,
                    " ".join(answer.item.prompt.split()),
                )
                for answer in rows
            ),
            id="comes-back",
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.session.mode != "review" and bool(self.session.mistakes)
        return True

    def action_home(self) -> None:
        self.app.pop_screen()

    def action_retry(self) -> None:
        """A quiz of the questions missed here, fresh variants, feedback after each."""
        if not self.check_action("retry", ()):
            return
        from studyreg.tui.screens.quiz import QuizScreen

        retry = self.session.retry_mistakes()
        self.app.switch_screen(QuizScreen(retry, title="Retry"))
