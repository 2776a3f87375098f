"""Concept tabs, help and palette as a user sees them at 80×24 and 100×30
(pytest-textual-snapshot; fixed seeds, no store).

Regenerate after an intended change, then look at every changed SVG:
pytest tests/tui/test_snapshots_screens.py --snapshot-update
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.tui.conftest import set_param, settle
from tests.tui.test_snapshots import app_for_snapshot

SMALL, LARGE = (80, 24), (100, 30)


def open_concept_then(app, *keys: str):
    async def run(pilot) -> None:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        for key in keys:
            await pilot.press(key)
            await settle(app, pilot)

    return run


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "100x30"])
def test_concept_definition(snap_compare, tmp_path, size) -> None:
    app = app_for_snapshot(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=open_concept_then(app))


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "100x30"])
def test_concept_facts(snap_compare, tmp_path, size) -> None:
    app = app_for_snapshot(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=open_concept_then(app, "f"))


def test_concept_experiment_80x24(snap_compare, tmp_path) -> None:
    app = app_for_snapshot(tmp_path)
    assert snap_compare(app, terminal_size=SMALL, run_before=open_concept_then(app, "e"))


def test_concept_stale_outputs_while_a_parameter_is_invalid(snap_compare, tmp_path) -> None:
    app = app_for_snapshot(tmp_path)
    opened = open_concept_then(app, "e")

    async def run(pilot) -> None:
        await opened(pilot)
        set_param(app.screen, "alpha_l1", "50")
        await pilot.pause()

    assert snap_compare(app, terminal_size=LARGE, run_before=run)


def test_help_on_concept_80x24(snap_compare, tmp_path) -> None:
    app = app_for_snapshot(tmp_path)
    assert snap_compare(app, terminal_size=SMALL, run_before=open_concept_then(app, "?"))


def test_home_80x24(snap_compare, tmp_path) -> None:
    app = app_for_snapshot(tmp_path)

    async def ready(pilot) -> None:
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=ready)


def test_palette_finds_concepts_80x24(snap_compare, tmp_path) -> None:
    app = app_for_snapshot(tmp_path)

    async def search(pilot) -> None:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        field = app.screen.query_one(Input)
        field.cursor_blink = False  # a blinking cursor would make the snapshot flaky
        field.value = "path"
        for _ in range(20):
            await pilot.pause(0.05)

    assert snap_compare(app, terminal_size=SMALL, run_before=search)
