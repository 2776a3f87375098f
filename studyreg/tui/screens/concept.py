"""Concept: the definition, must-know facts proven live, and the experiment behind them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown, Static

from studyreg.tui.widgets.experiment_panel import ExperimentPanel
from studyreg.tui.widgets.fact_list import FactList
from studyreg.tui.widgets.footer import Footer


class ConceptScreen(Screen[None]):
    """One concept. ``params``/``seed`` preset the experiment (e.g. a question's variant)."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="concept.back"),
        Binding("r", "run", "Run", id="concept.run"),
        Binding("c", "copy_command", "Copy cmd", id="concept.copy"),
        Binding("right_square_bracket", "figure(1)", "Next plot", id="concept.next_figure"),
        Binding(
            "left_square_bracket", "figure(-1)", "Prev plot", id="concept.prev_figure", show=False
        ),
        Binding("l", "learn", "Learn", id="concept.learn"),
    ]

    def __init__(
        self,
        pack: Any,
        concept: Any,
        *,
        params: Mapping[str, Any] | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        self.pack = pack
        self.concept = concept
        self.preset_params = dict(params or {})
        self.preset_seed = seed
        self.sub_title = f"{pack.title} · {concept.title}"

    def compose(self) -> ComposeResult:
        concept = self.concept
        yield Header()
        with Horizontal(id="concept-body"):
            with VerticalScroll(id="concept-text"):
                yield Static(Text(concept.title, style="bold"), classes="section-title")
                yield Markdown(concept.definition, id="definition")
                yield Static("Must-know facts", classes="section-title")
                yield FactList(concept.facts, pack=self.pack, concept=concept, id="facts")
            if concept.experiment is not None:
                with VerticalScroll(id="concept-lab"):
                    yield ExperimentPanel(
                        concept, params=self.preset_params, seed=self.preset_seed, id="experiment"
                    )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#concept-text").focus()

    @property
    def panel(self) -> ExperimentPanel | None:
        panels = self.query(ExperimentPanel)
        return panels.first() if panels else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in ("run", "copy_command", "figure") and self.panel is None)

    def on_experiment_panel_locked(self, message: ExperimentPanel.Locked) -> None:
        self.query_one("#facts", FactList).show_locked()

    def on_experiment_panel_run_finished(self, message: ExperimentPanel.RunFinished) -> None:
        self.query_one("#facts", FactList).show_checks(message.checks, message.result.params)

    def action_run(self) -> None:
        if self.panel is not None:
            self.panel.action_run()

    def action_copy_command(self) -> None:
        if self.panel is not None:
            self.panel.action_copy_command()

    def action_figure(self, step: int) -> None:
        if self.panel is not None:
            self.panel.action_figure(step)

    def action_learn(self) -> None:
        self.app.start_session("learn", [f"{self.pack.id}/{self.concept.id}"])  # type: ignore[attr-defined]
