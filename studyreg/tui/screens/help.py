"""Help: the keys of the screen below first, then the app's, then the focused widget's."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from studyreg.tui.screens.shown_as_built import ShownAsBuilt

EXTRA_KEYS = [
    ("ctrl+p", "Palette: open a concept by title, its experiment, learn/quiz/exam/review it"),
    ("tab / shift+tab", "Move between fields and buttons"),
    ("enter", "Open, press, or check a typed answer"),
    ("space", "Tick a choice or key point"),
]


def own_actions(screen: Screen) -> set[str]:
    """Actions bound by studyreg's own screen classes (not Textual's ``Screen``)."""
    actions: set[str] = set()
    for cls in type(screen).__mro__:
        if not cls.__module__.startswith("studyreg."):
            continue
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding):
                actions.add(binding.action)
    return actions


def binding_rows(screen: Screen) -> list[tuple[str, str, str]]:
    """(key, what it does, where) for every active binding of ``screen``: the screen's own
    keys first, then the app's, then those of the focused widget and its containers."""
    app = screen.app
    own = own_actions(screen)
    rows: list[tuple[int, int, tuple[str, str, str]]] = []
    seen: set[tuple[str, str]] = set()
    for n, active in enumerate(screen.active_bindings.values()):
        binding = active.binding
        if not binding.description:
            continue
        node = active.node
        if node is screen and binding.action in own:
            group, where = 0, type(node).__name__.removesuffix("Screen")
        elif node is app:
            group, where = 1, "app"
        elif node is screen:  # Textual's keys of every screen (focus, copy)
            group, where = 2, "every screen"
        else:  # the focused widget's and its containers'
            group, where = 2, type(node).__name__
        shown = app.get_key_display(binding)
        if (shown, binding.description) in seen:
            continue
        seen.add((shown, binding.description))
        what = binding.description + ("" if active.enabled else " (not now)")
        rows.append((group, n, (shown, what, where)))
    return [row for _group, _n, row in sorted(rows)]


class HelpScreen(ShownAsBuilt, ModalScreen[None]):
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
            table.add_columns("key", "where", "does")  # "does" last: long lines stay readable
            for row in binding_rows(self.below):
                key, what, where = row
                table.add_row(key, where, what)
            for key, what in EXTRA_KEYS:
                table.add_row(key, "everywhere", what)
            yield table
