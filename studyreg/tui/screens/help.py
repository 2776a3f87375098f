"""Help: the keys of the screen below first, then the app's, then the focused widget's."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

EXTRA_KEYS = [
    ("ctrl+p", "Palette: open a concept by title, its experiment, learn/quiz/exam/review it"),
    ("tab / shift+tab", "Move between fields and buttons"),
    ("enter", "Open, press, or check a typed answer"),
    ("space", "Tick a choice or key point"),
]


def binding_rows(screen: Screen) -> list[tuple[str, str, str]]:
    """(key, what it does, where) for every active binding of ``screen``: the screen's own
    keys first, then the app's, then those of the focused widget and its containers."""
    app = screen.app
    rows: list[tuple[int, int, tuple[str, str, str]]] = []
    seen: set[tuple[str, str]] = set()
    for n, active in enumerate(screen.active_bindings.values()):
        binding = active.binding
        if not binding.description:
            continue
        node = active.node
        if node is screen:
            group, where = 0, type(node).__name__.removesuffix("Screen")
        elif node is app:
            group, where = 1, "app"
        else:
            group, where = 2, type(node).__name__
        shown = app.get_key_display(binding)
        if (shown, binding.description) in seen:
            continue
        seen.add((shown, binding.description))
        what = binding.description + ("" if active.enabled else " (not now)")
        rows.append((group, n, (shown, what, where)))
    return [row for _group, _n, row in sorted(rows)]


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
            name = type(self.below).__name__.removesuffix("Screen")
            yield Static(
                f"Keys of {name} first, then the app's (escape closes)", classes="section-title"
            )
            table: DataTable[Any] = DataTable(
                id="help-table", cursor_type="row", zebra_stripes=True
            )
            table.add_columns("key", "does", "where")
            for row in binding_rows(self.below):
                table.add_row(*row)
            for key, what in EXTRA_KEYS:
                table.add_row(key, what, "everywhere")
            yield table
