"""An experiment's outputs, name and value, as one scrolling text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.scalar import Unit
from textual.geometry import Size
from textual.widget import Widget

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


class OutputTable(VerticalScroll):
    """Outputs in two aligned columns under a header, every other row shaded; scrolls
    when there are more than its height shows.

    A text in a scrolling box, not a ``DataTable``: that one widget cost a screen ~20 ms
    more to open than this (built, laid out over two frames and drawn; a bare screen
    pushed with each in a running app), and its row cursor selected nothing here.
    """

    DEFAULT_CSS = """
    OutputTable { height: auto; background: $surface; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: dict[str, OutputRow] = {}

    def compose(self) -> ComposeResult:
        yield OutputLines(self)

    def show(self, rows: Sequence[OutputRow]) -> None:
        self.rows = {row.name: row for row in rows}
        # Room for the scrollbar from the first layout if the rows will overflow: a
        # scrollbar appearing after it narrows the text and lays the screen out again.
        limit = self.styles.max_height
        overflows = limit is not None and limit.unit == Unit.CELLS and len(rows) + 1 > limit.value
        self.styles.scrollbar_gutter = "stable" if overflows else "auto"
        if overflows:  # and the scrollbar itself laid out in it, not in a third
            self.set_reactive(Widget.show_vertical_scrollbar, True)
        lines = self.query(OutputLines)
        if lines:
            lines.first().refresh(layout=True)  # as many lines as rows

    def get_row(self, name: str) -> tuple[Text, Text]:
        """(name, value) of one output as shown (``DataTable.get_row``'s shape)."""
        row = self.rows[name]
        return Text(row.name), Text(row.shown)

    def content(self, width: int) -> Content:
        """The header and a line per output, each at least ``width`` cells wide."""
        rows = list(self.rows.values())
        name_width = max([len("output"), *(len(row.name) for row in rows)])
        value_width = max([len("value"), *(len(row.shown) for row in rows)])
        width = max(width, name_width + value_width + 4)
        header = f" {'output'.ljust(name_width)}  value"
        lines = [Content.styled(header.ljust(width), "bold $foreground on $panel")]
        for n, row in enumerate(rows):
            value = row.shown
            name = f" {row.name.ljust(name_width)}  "
            line = Content.assemble(
                (name, "bold" if row.key else ""),
                (value, "dim italic" if row.hidden else "bold" if row.key else ""),
                " " * (width - len(name) - len(value)),
            )
            lines.append(line.stylize("on $boost") if n % 2 else line)
        return Content("\n").join(lines)


class OutputLines(Widget):
    """The table's text, drawn to the table's width (so rows are shaded across it)."""

    DEFAULT_CSS = """
    OutputLines { height: auto; }
    """

    def __init__(self, table: OutputTable) -> None:
        super().__init__()
        self.table = table

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.table.rows) + 1

    def render(self) -> Content:
        return self.table.content(self.size.width)
