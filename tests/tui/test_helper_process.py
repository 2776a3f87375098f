"""The app with its helper process: experiments run there, not on the UI's GIL, and the
quiz works ahead as soon as a question is drawn since that takes no turns with the UI
thread."""

from __future__ import annotations

import time

import pytest

from studyreg.study import helper
from studyreg.tui.screens.concept import ConceptScreen
from studyreg.tui.screens.quiz import QuizScreen
from tests.test_helper_process import count_in_process_runs
from tests.tui.answering import answer
from tests.tui.conftest import settle
from tests.tui.test_quiz import start_learn


@pytest.fixture
def with_helper(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The app starts its helper; returns the names of the experiments run in-process."""
    monkeypatch.setattr(helper, "enabled", True)
    return count_in_process_runs(monkeypatch)


async def helper_ready(pilot, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not helper.ready():
        assert time.monotonic() < deadline, "the app did not start its helper"
        await pilot.pause(0.05)


async def test_the_app_starts_its_helper_runs_the_quiz_there_and_stops_it(
    make_app, with_helper
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await helper_ready(pilot)
        screen = await start_learn(app, pilot, "sparsity")
        item = screen.item
        assert item.type == "computed"
        await answer(screen, pilot, right=True)
        await pilot.press("e")
        await settle(app, pilot)
        concept = app.screen
        assert isinstance(concept, ConceptScreen)
        assert concept.panel.result.params == item.params
        assert concept.panel.output("lasso.n_zero") == int(item.truth)
        assert with_helper == []  # the variant, the work ahead and the panel: all there
    assert helper._pool is None  # closing the app stops it


async def test_with_the_helper_ready_the_quiz_works_ahead_once_the_question_is_drawn(
    make_app, with_helper, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not 0.3 s later: the runs take no turns with the UI thread (only the figure drawn
    ahead still waits, inside the worker)."""
    from studyreg.tui.screens import quiz

    monkeypatch.setattr(quiz, "PREFETCH_AFTER_S", 30.0)
    started: list[tuple[object, float]] = []
    monkeypatch.setattr(
        QuizScreen, "prefetch_next", lambda self, item, draw_at=0.0: started.append((item, draw_at))
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await helper_ready(pilot)
        screen = await start_learn(app, pilot, "sparsity")
        assert [item for item, _ in started] == [screen.item]
        assert started[0][1] - time.monotonic() > 25  # the figure: after the usual wait
