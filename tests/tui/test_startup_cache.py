"""Start-up from the catalog cache: Home lists the packs before the catalog is loaded,
and nothing opens from that preview until the real catalog has replaced it."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Tree

from studyreg.content.models import Concept
from studyreg.study import catalog_cache
from studyreg.tui.screens.concept import ConceptScreen
from tests.tui.conftest import settle


def _leaves(app) -> list:
    tree = app.home.query_one("#concepts", Tree)
    return [leaf for pack in tree.root.children for leaf in pack.children]


async def test_home_lists_cached_packs_before_the_catalog_loads(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_app()
    async with first.run_test(size=(100, 30)) as pilot:  # writes the cache
        await settle(first, pilot)
        titles = [leaf.data.concept.title for leaf in _leaves(first)]
    assert titles == ["L1 gives exact zeros", "Basics", "Regularization path"]

    gate = threading.Event()
    real = catalog_cache.load_catalog

    def held(*args, **kwargs):
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(catalog_cache, "load_catalog", held)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.catalog is None
        assert [leaf.data.concept.title for leaf in _leaves(app)] == titles  # the first frame
        tree = app.home.query_one("#concepts", Tree)
        assert tree.has_focus and tree.cursor_node is _leaves(app)[0]  # no frame later
        await pilot.press("enter")
        assert app.screen is app.home  # nothing opens from the preview
        gate.set()
        await settle(app, pilot)
        assert app.catalog is not None
        assert all(isinstance(leaf.data.concept, Concept) for leaf in _leaves(app))
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConceptScreen)
        assert isinstance(app.screen.concept, Concept)


async def test_without_a_cache_home_waits_for_the_catalog(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.catalog is not None
        assert [leaf.data.concept.id for leaf in _leaves(app)] == ["sparsity", "basics", "path"]
