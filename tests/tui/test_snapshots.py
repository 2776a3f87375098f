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


# --- issue 14: the study loop, at the smallest supported size too -------------------------

SMALL = (80, 24)


def test_quiz_computed_question_small(snap_compare, tmp_path) -> None:
    app = app_for_snapshot(tmp_path)

    async def start(pilot) -> None:
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=start)


def test_exam_summary_small(snap_compare, tmp_path) -> None:
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

    assert snap_compare(app, terminal_size=SMALL, run_before=run_exam)


def _review_app(tmp_path):
    """Review with a real store (a new card's fsrs intervals do not depend on the clock)."""
    from studyreg.study.store import ProgressStore

    app = create_app(pack_paths=[PACK], data_dir=tmp_path, store=ProgressStore(tmp_path / "p.db"))
    app.session_seed = 11
    return app


def _review_answered_wrong(app):
    async def run(pilot) -> None:
        await settle(app, pilot)
        app.start_session("review", ["tui-test/basics"])
        await settle(app, pilot)
        await answer(app.screen, pilot, right=True)  # the number
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("b", "enter")  # one key and Enter: B) Beta, wrong
        await settle(app, pilot)

    return run


def test_review_ratings_after_a_wrong_choice(snap_compare, tmp_path) -> None:
    app = _review_app(tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=_review_answered_wrong(app))


def test_review_ratings_after_a_wrong_choice_small(snap_compare, tmp_path) -> None:
    app = _review_app(tmp_path)
    assert snap_compare(app, terminal_size=SMALL, run_before=_review_answered_wrong(app))


def _choice_question(app):
    async def run(pilot) -> None:
        await settle(app, pilot)
        app.start_session("learn", ["tui-test/basics"])
        await settle(app, pilot)
        await answer(app.screen, pilot, right=True)
        await pilot.press("n")
        await settle(app, pilot)

    return run


def test_choice_question_with_one_key_footer(snap_compare, tmp_path) -> None:
    app = app_for_snapshot(tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=_choice_question(app))


def test_choice_question_with_one_key_footer_small(snap_compare, tmp_path) -> None:
    app = app_for_snapshot(tmp_path)
    assert snap_compare(app, terminal_size=SMALL, run_before=_choice_question(app))
