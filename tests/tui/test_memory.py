"""A session does not grow: screens left are freed, and the collector is tuned for
Textual's many short-lived objects (see studyreg.tui.gc_tuning)."""

from __future__ import annotations

import asyncio
import gc
import weakref

from studyreg.tui import gc_tuning
from studyreg.tui.screens.concept import ConceptScreen
from studyreg.tui.widgets.plot import FigurePlot
from tests.tui.conftest import settle


async def test_a_concept_left_frees_its_plot_and_experiment(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        # Each idle thread of the event loop's executor keeps the context of the last
        # thread worker it ran (Textual's active worker, so its panel): a bounded few.
        executor = asyncio.get_running_loop()._default_executor
        kept_by_threads = executor._max_workers if executor is not None else 0
        pack = app.catalog.packs[0]
        concept = next(c for c in pack.concepts if c.experiment is not None)
        left: list[weakref.ref] = []
        for _ in range(kept_by_threads + 4):
            screen = ConceptScreen(pack, concept, tab="experiment")
            await app.push_screen(screen)
            await settle(app, pilot)
            left.append(weakref.ref(screen.query_one(FigurePlot)))
            del screen
            app.pop_screen()
            await settle(app, pilot)
        gc.collect()
        # PlotextPlot's theme subscription held every plot (and so its screen) forever.
        alive = sum(ref() is not None for ref in left)
        assert alive <= kept_by_threads, f"{alive} of {len(left)} plots still alive"


def test_the_app_collects_young_objects_less_often(make_app) -> None:
    make_app()
    assert gc.get_threshold()[0] >= gc_tuning.YOUNG_THRESHOLD
