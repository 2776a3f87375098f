"""Screens as a user sees them at 100×30 (pytest-textual-snapshot; fixed seeds, no store).

Regenerate after an intended change: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from studyreg.tui import create_app
from tests.tui.answering import answer
from tests.tui.conftest import PACK, settle

SIZE = (100, 30)


def app_for_snapshot(tmp_path):
    app = create_app(pack_paths=[PACK], data_dir=tmp_path, store=None)
    app.session_seed = 11
    return app


def test_home(snap_compare, tmp_path) -> None:
    app = app_for_snapshot(tmp_path)

    async def ready(pilot) -> None:
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_concept_with_experiment(snap_compare, tmp_path) -> None:
    app = app_for_snapshot(tmp_path)

    async def open_concept(pilot) -> None:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("e")  # the Experiment tab
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_concept)


def test_quiz_computed_question(snap_compare, tmp_path) -> None:
    app = app_for_snapshot(tmp_path)

    async def start(pilot) -> None:
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=start)


def test_exam_summary(snap_compare, tmp_path) -> None:
    app = app_for_snapshot(tmp_path)

    async def run_exam(pilot) -> None:
        await settle(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#exam-count").value = "3"
        await pilot.press("enter")
        await settle(app, pilot)
        for right in (True, False, True):
            await answer(app.screen, pilot, right=right)
            await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_exam)
