"""A monkey at the keyboard: thousands of random keys and clicks on every screen.

No exception may escape (``run_test`` re-raises any), and the app must still answer.
"""

from __future__ import annotations

import random

import pytest

from tests.tui.conftest import settle

# ctrl+p is left out: its palette offers "Quit", which a monkey would find.
KEYS = (
    list("abcdefghijklmnoprstuvwxyz0123456789[]?-.,/% ")
    + ["enter", "escape", "tab", "shift+tab", "up", "down", "left", "right", "space"]
    + ["backspace", "ctrl+s", "ctrl+t", "shift+up", "shift+down", "home", "end"]
    + ["enter"] * 8  # enter opens things: weight it so the monkey goes deep
)
PRESSES = 1000


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
async def test_random_keys_and_clicks_never_crash_the_app(make_app, seed: int) -> None:
    rng = random.Random(seed)
    app = make_app(seed=seed)
    screens_seen: set[str] = set()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        for step in range(PRESSES):
            if rng.random() < 0.1:
                await pilot.click(offset=(rng.randrange(100), rng.randrange(30)))
            else:
                await pilot.press(rng.choice(KEYS))
            screens_seen.add(type(app.screen).__name__)
            if step % 100 == 99:
                await settle(app, pilot)
        await settle(app, pilot)
        # Still answering: back to Home with escapes, and the concept tree is there.
        from textual.widgets import Tree

        from studyreg.tui.screens.home import HomeScreen

        for _ in range(20):
            if isinstance(app.screen, HomeScreen):
                break
            await pilot.press("escape")
            await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, HomeScreen), type(app.screen).__name__
        tree = app.screen.query_one("#concepts", Tree)
        concepts = [leaf for pack in tree.root.children for leaf in pack.children]
        assert len(concepts) == sum(len(p.concepts) for p in app.catalog.packs) > 0
    assert len(screens_seen) >= 3, screens_seen
