"""Stats: totals, reviews due, accuracy per concept (by title), and two charts.

The due counts are worded as ``studyreg stats`` words them (``study.stats.due_lines``);
the accuracy chart's axis always runs 0–100 so 44% looks like 44%.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static
from textual.worker import Worker

from studyreg.tui.screens.shown_as_built import ShownAsBuilt
from studyreg.tui.widgets.footer import Footer
from studyreg.tui.widgets.header import Header
from studyreg.tui.widgets.scroll_body import ScrollBody
from studyreg.tui.widgets.text_table import Column, TextTable
from studyreg.tui.workers import ReportsWorkerErrors

if TYPE_CHECKING:
    from studyreg.study.store import ProgressStore


def stats_lines(stats: Mapping[str, Any], titles: Mapping[str, str] | None = None) -> str:
    from studyreg.study.stats import due_lines, leech_title

    accuracy = stats.get("accuracy")
    lines = [
        f"Answers: {stats.get('attempts', 0)}, right: {stats.get('correct', 0)}"
        + (f" ({accuracy:.0%})" if accuracy is not None else ""),
        *(line[0].upper() + line[1:] for line in due_lines(stats)),
        f"Streak: {stats.get('streak_days', 0)} day(s)",
    ]
    leeches = [leech_title(key, titles) for key in stats.get("leeches") or []]
    if leeches:
        lines.append(f"Often missed: {', '.join(leeches[:5])}" + (" …" if len(leeches) > 5 else ""))
    return "\n".join(lines)


def concept_rows(
    stats: Mapping[str, Any], catalog: Any
) -> list[tuple[str, str, str, str, str, str]]:
    """(key, title, answers, accuracy, due now, due today) for every concept of the loaded
    packs in pack order, then any concept in the store that no loaded pack has."""
    figures: Mapping[str, Mapping[str, Any]] = stats.get("concepts") or {}
    named: list[tuple[str, str]] = []
    if catalog is not None:
        named = [
            (f"{pack.id}/{concept.id}", concept.title)
            for pack in catalog.packs
            for concept in pack.concepts
        ]
    known = {key for key, _title in named}
    named += [(key, key) for key in figures if key not in known]
    rows = []
    for key, title in named:
        f = figures.get(key, {})
        attempts = int(f.get("attempts", 0))
        accuracy = f.get("accuracy")
        rows.append(
            (
                key,
                title,
                str(attempts) if attempts else "–",
                f"{accuracy:.0%}" if accuracy is not None and attempts else "–",
                str(f.get("due_now", 0)),
                str(f.get("due_today", 0)),
            )
        )
    return rows


class StatsScreen(ReportsWorkerErrors, ShownAsBuilt, Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="stats.back")]

    class Loaded(Message):
        def __init__(self, stats: dict[str, Any]) -> None:
            super().__init__()
            self.stats = stats

    def __init__(self, store: ProgressStore | None) -> None:
        super().__init__()
        self.store = store
        self.sub_title = "Stats"

    def compose(self) -> ComposeResult:
        yield Header()
        with ScrollBody(id="stats-body"):
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
        if self.store is not None:  # on_mount starts this only with a store
            self.post_message(self.Loaded(dict(self.store.stats())))

    def on_worker_failed(self, worker: Worker, message: str) -> None:
        self.query_one("#stats-loading").display = False
        self.query_one("#stats-text", Static).update(f"Stats unavailable: {message}")

    def _titles(self) -> dict[str, str]:
        catalog = getattr(self.app, "catalog", None)
        if catalog is None:
            return {}
        return {f"{p.id}/{c.id}": c.title for p in catalog.packs for c in p.concepts}

    def on_stats_screen_loaded(self, message: Loaded) -> None:
        from studyreg.study.stats import day_labels
        from studyreg.tui.widgets.plot import FigurePlot

        self.query_one("#stats-loading").display = False
        stats = message.stats
        self.query_one("#stats-text", Static).update(stats_lines(stats, self._titles()))
        body = self.query_one("#stats-body")
        rows = concept_rows(stats, getattr(self.app, "catalog", None))
        if rows:
            body.mount(Static("By concept", classes="section-title"))
            # The title column gives way so every figure fits at 80 columns.
            title = Column("concept", width=max(16, self.size.width - 48))
            numbers = [Column(name, True) for name in ("answers", "right", "due now", "due today")]
            body.mount(
                TextTable([title, *numbers], (cells for _key, *cells in rows), id="stats-concepts")
            )
        days = stats.get("days") or []
        if days:
            plot = FigurePlot(classes="stats-plot", id="stats-accuracy")
            body.mount(plot)
            plot.plt.clear_figure()
            plot.plt.title("Accuracy by day (%)")
            plot.plt.bar([d["date"][5:] for d in days], [100 * d["accuracy"] for d in days])
            plot.plt.ylim(0, 100)  # a fixed scale: 44% must not fill the chart
            plot.plt.yticks([0, 25, 50, 75, 100])
            plot.refresh()
        due_by_day = stats.get("due_by_day") or []
        if any(due_by_day):
            plot = FigurePlot(classes="stats-plot", id="stats-due")
            body.mount(plot)
            plot.plt.clear_figure()
            plot.plt.title("Reviews due ahead (today includes those due now)")
            plot.plt.bar(day_labels(len(due_by_day)), due_by_day)
            top = max(due_by_day)
            step = max(1, -(-top // 4))  # whole cards: at most five ticks
            ticks: list[float] = list(range(0, top + step, step))
            plot.plt.yticks(ticks)
            plot.plt.ylim(0, ticks[-1])
            plot.refresh()
