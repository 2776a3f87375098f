"""An experiment's outputs, name and value, as a text table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.text import Text
from textual.content import Content

from studyreg.tui.widgets.text_table import Column, TextTable

HIDDEN = "hidden until you answer"


class OutputRow(NamedTuple):
    name: str
    value: str
    key: bool = False  # a key output: drawn bold
    hidden: bool = False  # a question's answer, not shown until it is answered

    @property
    def shown(self) -> str:
        """The value as the table shows it."""
        return HIDDEN if self.hidden else self.value


class OutputTable(TextTable):
    """Outputs in two columns, output and value; a key output bold, a hidden one dim."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__([Column("output"), Column("value")], id=id)
        self.rows: dict[str, OutputRow] = {}

    def show(self, rows: Sequence[OutputRow]) -> None:
        self.rows = {row.name: row for row in rows}
        self.set_rows(
            (
                Content.styled(row.name, "bold" if row.key else ""),
                Content.styled(
                    row.shown, "dim italic" if row.hidden else "bold" if row.key else ""
                ),
            )
            for row in rows
        )

    def get_row(self, name: str) -> tuple[Text, Text]:
        """(name, value) of one output as shown (``DataTable.get_row``'s shape)."""
        row = self.rows[name]
        return Text(row.name), Text(row.shown)
