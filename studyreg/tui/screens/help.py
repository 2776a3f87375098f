"""Help: every key of the screen below and of the app, in a modal."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

EXTRA_KEYS = [
    ("ctrl+p", "Command palette: start quiz / exam / review, stats, theme"),
    ("tab / shift+tab", "Move between fields and buttons"),
    ("enter", "Open, press, or check a typed answer"),
    ("space", "Tick a choice or key point"),
]


def binding_rows(screen: Screen) -> list[tuple[str, str, str]]:
    """(key, what it does, where) for every active binding of ``screen``."""
    app = screen.app
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for _key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description:
            continue
        where = "app" if active.node is app else type(active.node).__name__.removesuffix("Screen")
        shown = app.get_key_display(binding)
        if (shown, binding.description) in seen:
            continue
        seen.add((shown, binding.description))
        rows.append((shown, binding.description + ("" if active.enabled else " (not now)"), where))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help.close"),
        Binding("question_mark", "dismiss", "Close", id="help.close_again", show=False),
    ]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static("Keys (escape closes)", classes="section-title")
            table: DataTable[Any] = DataTable(
                id="help-table", cursor_type="row", zebra_stripes=True
            )
            table.add_columns("key", "does", "where")
            for row in binding_rows(self.below):
                table.add_row(*row)
            for key, what in EXTRA_KEYS:
                table.add_row(key, what, "everywhere")
            yield table
