"""Stats: accuracy over days and reviews due ahead, from the progress store."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, LoadingIndicator, Static
from textual.worker import Worker

from studyreg.tui.widgets.footer import Footer
from studyreg.tui.workers import ReportsWorkerErrors


def stats_lines(stats: Mapping[str, Any]) -> str:
    accuracy = stats.get("accuracy")
    lines = [
        f"Answers: {stats.get('attempts', 0)}, right: {stats.get('correct', 0)}"
        + (f" ({accuracy:.0%})" if accuracy is not None else ""),
        f"Due now: {stats.get('due_now', 0)}, in the next 7 days: {stats.get('due_next_7_days', 0)}",
        f"Streak: {stats.get('streak_days', 0)} day(s)",
    ]
    leeches = stats.get("leeches") or []
    if leeches:
        lines.append(f"Often missed: {', '.join(leeches[:5])}" + (" …" if len(leeches) > 5 else ""))
    return "\n".join(lines)


class StatsScreen(ReportsWorkerErrors, Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="stats.back")]

    class Loaded(Message):
        def __init__(self, stats: dict[str, Any]) -> None:
            super().__init__()
            self.stats = stats

    def __init__(self, store: Any) -> None:
        super().__init__()
        self.store = store
        self.sub_title = "Stats"

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats-body"):
            yield Static("", id="stats-text")
            yield LoadingIndicator(id="stats-loading")
        yield Footer()

    def on_mount(self) -> None:
        if self.store is None or not hasattr(self.store, "stats"):
            self.query_one("#stats-loading").display = False
            self.query_one("#stats-text", Static).update(
                "No progress store: answer some questions first."
            )
            return
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats")
    def load(self) -> None:
        self.post_message(self.Loaded(dict(self.store.stats())))

    def on_worker_failed(self, worker: Worker, message: str) -> None:
        self.query_one("#stats-loading").display = False
        self.query_one("#stats-text", Static).update(f"Stats unavailable: {message}")

    def on_stats_screen_loaded(self, message: Loaded) -> None:
        from studyreg.tui.widgets.plot import FigurePlot

        self.query_one("#stats-loading").display = False
        stats = message.stats
        self.query_one("#stats-text", Static).update(stats_lines(stats))
        body = self.query_one("#stats-body")
        days = stats.get("days") or []
        if days:
            plot = FigurePlot(classes="stats-plot")
            body.mount(plot)
            plot.plt.clear_figure()
            plot.plt.title("Accuracy by day (%)")
            plot.plt.bar([d["date"][5:] for d in days], [100 * d["accuracy"] for d in days])
            plot.refresh()
        due_by_day = stats.get("due_by_day") or []
        if any(due_by_day):
            plot = FigurePlot(classes="stats-plot")
            body.mount(plot)
            plot.plt.clear_figure()
            plot.plt.title("Reviews due ahead")
            plot.plt.bar(["today"] + [f"+{n}d" for n in range(1, len(due_by_day))], due_by_day)
            plot.refresh()
