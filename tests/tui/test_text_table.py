"""Text tables: aligned rows under a header, numbers on their last digit, long cells cut,
shaded every other row across the width, scrolling past the height; the outputs table's
key outputs bold and a question's answer hidden."""

from __future__ import annotations

from textual.app import App, ComposeResult

from studyreg.tui.widgets.output_table import HIDDEN, OutputRow, OutputTable
from studyreg.tui.widgets.text_table import Column, TextTable


class TableApp(App[None]):
    CSS = "OutputTable { width: 40; max-height: 6; }"

    def compose(self) -> ComposeResult:
        yield OutputTable(id="outputs")


def lines(table: TextTable) -> list[str]:
    body = table.children[0]
    return ["".join(s.text for s in body.render_line(y)) for y in range(body.size.height)]


async def test_rows_align_under_a_header_key_outputs_bold_and_answers_hidden() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(OutputTable)
        table.show(
            [
                OutputRow("lasso.n_zero", "11", key=True),
                OutputRow("val_mse", "1.48", hidden=True),
                OutputRow("n", "70"),
            ]
        )
        await pilot.pause()
        shown = lines(table)
        assert [line.rstrip() for line in shown] == [
            " output        value",
            " lasso.n_zero  11",
            f" val_mse       {HIDDEN}",
            " n             70",
        ]
        assert all(len(line) == 40 for line in shown)  # shaded across the table
        assert table.styles.scrollbar_gutter == "auto"  # no room kept for no scrollbar
        body = table.children[0]
        key_cells = [s for s in body.render_line(1) if "11" in s.text]
        plain_cells = [s for s in body.render_line(3) if "70" in s.text]
        assert key_cells[0].style.bold and not plain_cells[0].style.bold
        hidden = [s for s in body.render_line(2) if HIDDEN in s.text]
        assert hidden[0].style.italic
        backgrounds = [list(body.render_line(y))[0].style.bgcolor for y in (1, 2, 3)]
        assert backgrounds[0] == backgrounds[2] != backgrounds[1]  # every other row
        assert table.get_row("val_mse")[1].plain == HIDDEN
        assert table.get_row("n")[1].plain == "70"


async def test_more_rows_than_its_height_scroll() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(OutputTable)
        table.show([OutputRow(f"output_{n}", str(n)) for n in range(20)])
        await pilot.pause()
        assert table.size.height == 6 and table.max_scroll_y == 21 - 6
        # the scrollbar's room was kept from the first layout: the text never narrowed
        assert table.styles.scrollbar_gutter == "stable"
        assert table.children[0].size.width == 40 - 2
        table.scroll_end(animate=False)
        await pilot.pause()
        assert table.scroll_y == table.max_scroll_y


class ScoresApp(App[None]):
    CSS = "TextTable { width: 36; }"

    def compose(self) -> ComposeResult:
        yield TextTable(
            [Column("concept", width=12), Column("right", right=True), Column("%", right=True)],
            [("Basics", "2", "100%"), ("L1 gives exact zeros", "0", "0%")],
            id="scores",
        )


async def test_numbers_align_right_and_a_long_cell_is_cut_to_its_column() -> None:
    app = ScoresApp()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(TextTable)
        assert [line.rstrip() for line in lines(table)] == [
            " concept       right     %",
            " Basics            2  100%",
            " L1 gives ex…      0    0%",
        ]
        assert table.row_count == 2
        assert table.get_row_at(1) == ["L1 gives exact zeros", "0", "0%"]  # uncut
        table.set_rows([("Basics", "12", "75%")])
        await pilot.pause()
        assert [line.rstrip() for line in lines(table)] == [
            " concept  right    %",  # a column narrower than its limit is as wide as it needs
            " Basics      12  75%",
        ]
