"""Shared fixtures: a small pack with every question type, and apps that never touch
the user's data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

PACK = Path(__file__).parent / "data" / "tui_pack.yaml"


@pytest.fixture
def pack_path() -> Path:
    return PACK


@pytest.fixture(autouse=True)
def measure_claims_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Claims are measured as soon as a concept's checks are in, not after the delay
    that keeps the measurement off a screen's first frames (test_claims tests that)."""
    from studyreg.tui.widgets import fact_list

    monkeypatch.setattr(fact_list, "MEASURE_AFTER_S", 0)


@pytest.fixture(autouse=True)
def no_helper_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Experiments run in the test's process, as they do until the app's helper process
    is ready (test_helper_process tests the app with it)."""
    from studyreg.study import helper

    monkeypatch.setattr(helper, "enabled", False)


@pytest.fixture(autouse=True)
def build_hidden_tabs_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A concept's tabs not shown are built right after its first frame, not after the
    delay a learner reads through (test_concept tests the delay)."""
    from studyreg.tui.screens import concept

    monkeypatch.setattr(concept, "BUILD_HIDDEN_AFTER_S", 0)


@pytest.fixture(autouse=True)
def prefetch_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A quiz works ahead as soon as a question shows, and an experiment panel draws
    its other figures as soon as a run shows, not after the moment each waits for the
    screen to be drawn (test_quiz and test_concept test the waits)."""
    from studyreg.tui.screens import quiz
    from studyreg.tui.widgets import experiment_panel

    monkeypatch.setattr(quiz, "PREFETCH_AFTER_S", 0)
    monkeypatch.setattr(experiment_panel, "DRAW_AHEAD_AFTER_S", 0)


@pytest.fixture
def drawn_on_ui(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the figures drawn on the UI thread (not ahead, in a worker), with
    no figure kept drawn from before the test."""
    import threading

    from studyreg.tui.widgets import plot

    titles: list[str] = []
    real_draw = plot.draw

    def watching(title, series, size, theme):
        if threading.current_thread() is threading.main_thread():
            titles.append(title)
        return real_draw(title, series, size, theme)

    monkeypatch.setattr(plot, "draw", watching)
    monkeypatch.setattr(plot, "_drawn", type(plot._drawn)())
    return titles


@pytest.fixture
def make_app(tmp_path: Path):
    """``make_app(**kwargs)``: the app through the real factory, on the test pack and a
    temporary data directory."""
    from studyreg.tui import create_app

    def build(**kwargs):
        seed = kwargs.pop("seed", 7)
        kwargs.setdefault("pack_paths", [PACK])
        kwargs.setdefault("data_dir", tmp_path / "data")
        app = create_app(**kwargs)
        app.session_seed = seed
        return app

    return build


async def settle(app, pilot) -> None:
    """Wait until every worker has finished and the messages they posted are handled.

    A worker cancelled while it is waited for (its screen was just left) has finished
    too: Textual's wait then raises, and the wait starts again without it."""
    from textual.worker import WorkerCancelled

    for _ in range(3):
        for _attempt in range(100):
            try:
                await app.workers.wait_for_complete()
                break
            except WorkerCancelled:
                await pilot.pause()
        await pilot.pause()


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no async plugin is installed)."""
    import asyncio
    import inspect

    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


def set_param(screen, name: str, text: str) -> None:
    """Give parameter ``name`` the text ``text``: the form's one field moves to its row."""
    from studyreg.tui.widgets.param_form import ParamForm

    form = screen.query_one(ParamForm)
    form.select(name)
    form.field.value = text


def param_text(screen, name: str) -> str:
    """The text parameter ``name`` has in the form (its row, or the field on it)."""
    from studyreg.tui.widgets.param_form import ParamForm

    texts, seed = screen.query_one(ParamForm).raw()
    return seed if name == "seed" else texts[name]
