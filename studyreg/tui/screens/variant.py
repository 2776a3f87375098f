"""A computed question's own experiment, opened before answering: the variant's
parameters, seed and plots, with the outputs the answer is made of hidden."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from studyreg.tui.screens.shown_as_built import ShownAsBuilt
from studyreg.tui.widgets.experiment_panel import ExperimentPanel
from studyreg.tui.widgets.footer import Footer
from studyreg.tui.widgets.header import Header
from studyreg.tui.widgets.scroll_body import ScrollBody


class VariantExperimentScreen(ShownAsBuilt, Screen[None]):
    """The experiment behind ``item`` (a computed question), its answer hidden."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back to the question", id="variant.back"),
        Binding("r", "run", "Run", id="variant.run"),
        Binding("right_square_bracket", "figure(1)", "Next plot", id="variant.next_figure"),
        Binding(
            "left_square_bracket", "figure(-1)", "Prev plot", id="variant.prev_figure", show=False
        ),
    ]

    def __init__(self, item: Any) -> None:
        from studyreg.study.feedback import asked_outputs

        super().__init__()
        self.item = item
        self.hidden = asked_outputs(item)
        self.sub_title = f"{item.concept.title} · this question's experiment"

    def compose(self) -> ComposeResult:
        item = self.item
        _name, params, seed = item.experiment
        yield Header()
        with ScrollBody(id="variant-body"):
            hidden = ", ".join(sorted(self.hidden)) or "nothing"
            yield Static(
                Text.assemble(
                    ("The question: ", "bold"),
                    item.prompt,
                    ("\nHidden until you answer: ", "dim"),
                    (hidden, "dim"),
                ),
                id="variant-question",
            )
            yield ExperimentPanel(
                item.concept, params=params, seed=seed, hide=self.hidden, id="experiment"
            )
        yield Footer()

    @property
    def panel(self) -> ExperimentPanel:
        return self.query_one(ExperimentPanel)

    def action_run(self) -> None:
        self.panel.action_run()

    def action_figure(self, step: int) -> None:
        self.panel.action_figure(step)
