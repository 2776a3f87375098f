"""A table to read, not to navigate: aligned columns under a header, as one text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.scalar import Unit
from textual.geometry import Size
from textual.widget import Widget

Cell = str | Content


class Column(NamedTuple):
    title: str
    right: bool = False  # numbers: aligned on their last digit
    width: int | None = None  # at most this wide: longer cells are cut with "…"


class TextTable(VerticalScroll):
    """Rows in aligned columns under a header, every other row shaded; scrolls when
    there are more than its height shows.

    One text in a scrolling box, not a ``DataTable``: a screen with one opened ~20 ms
    slower (built, laid out over two frames and drawn; a bare screen pushed with each in
    a running app), and its cursor selected nothing in any of our tables.
    """

    DEFAULT_CSS = """
    TextTable { height: auto; background: $surface; }
    """

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Cell]] = (),
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.cells: list[tuple[Content, ...]] = []
        self.set_rows(rows)

    def compose(self) -> ComposeResult:
        yield TableLines(self)

    @property
    def row_count(self) -> int:
        return len(self.cells)

    def get_row_at(self, index: int) -> list[str]:
        """The cells of one row as shown (without the cut of a too-narrow column)."""
        return [cell.plain for cell in self.cells[index]]

    def set_rows(self, rows: Iterable[Sequence[Cell]]) -> None:
        self.cells = [
            tuple(Content(cell) if isinstance(cell, str) else cell for cell in row) for row in rows
        ]
        # Room for the scrollbar from the first layout if the rows will overflow: a
        # scrollbar appearing after it narrows the text and lays the screen out again.
        limit = self.styles.max_height
        overflows = (
            limit is not None and limit.unit == Unit.CELLS and len(self.cells) + 1 > limit.value
        )
        self.styles.scrollbar_gutter = "stable" if overflows else "auto"
        if overflows:  # and the scrollbar itself laid out in it, not in a third
            self.set_reactive(Widget.show_vertical_scrollbar, True)
        lines = self.query(TableLines)
        if lines:
            lines.first().refresh(layout=True)  # as many lines as rows

    def content(self, width: int) -> Content:
        """The header and a line per row, each at least ``width`` cells wide."""
        widths = []
        for n, column in enumerate(self.columns):
            natural = max([len(column.title), *(row[n].cell_length for row in self.cells)])
            widths.append(min(natural, column.width or natural))
        width = max(width, sum(w + 2 for w in widths))

        def line(cells: Sequence[Content]) -> Content:
            parts: list[Content | str] = []
            for cell, column, cell_width in zip(cells, self.columns, widths, strict=True):
                if cell.cell_length > cell_width:
                    cell = cell.truncate(cell_width, ellipsis=True)
                pad = " " * (cell_width - cell.cell_length)
                parts += [" ", *((pad, cell) if column.right else (cell, pad)), " "]
            text = Content.assemble(*parts)
            return Content.assemble(text, " " * (width - text.cell_length))

        header = line([Content(column.title) for column in self.columns])
        lines = [header.stylize("bold $foreground on $panel")]
        for n, row in enumerate(self.cells):
            lines.append(line(row).stylize("on $boost") if n % 2 else line(row))
        return Content("\n").join(lines)


class TableLines(Widget):
    """The table's text, drawn to the table's width (so rows are shaded across it)."""

    DEFAULT_CSS = """
    TableLines { height: auto; }
    """

    def __init__(self, table: TextTable) -> None:
        super().__init__()
        self.table = table

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.table.cells) + 1

    def render(self) -> Content:
        return self.table.content(self.size.width)
