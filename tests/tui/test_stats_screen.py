"""Stats screen: accuracy per concept by title, due counts worded as in `studyreg stats`,
and an accuracy chart whose axis always runs 0–100."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from studyreg.study.store import Attempt
from studyreg.tui.screens.stats import StatsScreen
from studyreg.tui.widgets.text_table import TextTable
from tests.tui.conftest import settle


def record(store, key: str, status: str, when: datetime) -> None:
    pack, concept, question = key.split("/")
    store.record(
        Attempt(
            pack,
            "1",
            concept,
            question,
            "numeric",
            "quiz",
            "x",
            status,
            1.0 if status == "correct" else 0.0,
            20.0,
            answered_at=when,
        )
    )


async def open_stats_after(app, pilot, right: int, wrong: int) -> StatsScreen:
    await settle(app, pilot)
    now = datetime.now(UTC) - timedelta(minutes=30)
    for n in range(right + wrong):
        status = "correct" if n < right else "incorrect"
        record(app.store, f"tui-test/sparsity/q{n}", status, now)
    await pilot.press("s")
    await settle(app, pilot)
    assert isinstance(app.screen, StatsScreen)
    return app.screen


async def test_stats_show_each_concept_by_title_with_accuracy_and_due(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_stats_after(app, pilot, right=4, wrong=5)
        table = screen.query_one("#stats-concepts", TextTable)
        rows = {str(table.get_row_at(i)[0]): table.get_row_at(i) for i in range(table.row_count)}
        assert list(rows) == ["L1 gives exact zeros", "Basics", "Regularization path"]
        l1 = [str(cell) for cell in rows["L1 gives exact zeros"]]
        assert l1[1:] == ["9", "44%", "9", "9"], l1  # 30 minutes on, every step is due
        assert [str(c) for c in rows["Basics"]][1:3] == ["–", "–"]
        text = str(screen.query_one("#stats-text").render())
        assert "Due today: 9 (due now: 9, later today: 0)" in text
        assert "Due within 7 days: 9 (today 9, +1d 0," in text
        assert "tui-test/" not in text


async def test_accuracy_chart_runs_from_0_to_100(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_stats_after(app, pilot, right=4, wrong=5)
        chart = str(screen.query_one("#stats-accuracy").render())
        ticks = [line.split("┤")[0].strip() for line in chart.splitlines() if "┤" in line]
        assert "100" in ticks and "0" in ticks, ticks
        assert not any(t.startswith("43") for t in ticks), ticks
