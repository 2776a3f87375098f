"""Screens are styled once as they are built, and again each time they come back."""

from __future__ import annotations

from textual.css.stylesheet import Stylesheet

from studyreg.tui.screens.concept import ConceptScreen
from tests.tui.conftest import settle


def concept_of(app):
    pack = app.catalog.packs[0]
    return pack, next(c for c in pack.concepts if c.experiment is not None)


async def test_a_new_screen_is_not_restyled_when_first_shown(make_app, monkeypatch) -> None:
    styled: list[object] = []
    real = Stylesheet.apply

    def counting(self, node, *args, **kwargs):
        styled.append(node)
        return real(self, node, *args, **kwargs)

    monkeypatch.setattr(Stylesheet, "apply", counting)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        styled.clear()
        app.push_screen(ConceptScreen(*concept_of(app), tab="experiment"))
        await settle(app, pilot)
        nodes = list(app.screen.walk_children(with_self=True))
        times = {id(node): sum(1 for seen in styled if seen is node) for node in nodes}
        # Every node styled as it mounted, and none a second time by the first
        # ScreenResume (before, every node was styled twice).
        assert len(nodes) > 40 and min(times.values()) == 1
        twice = [node for node in nodes if times[id(node)] > 1]
        assert len(twice) <= 5, twice  # the active tab, the focused body, compact inputs


async def test_a_screen_shown_again_picks_up_a_theme_changed_meanwhile(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        home = app.screen
        tree = home.query_one("#concepts")
        before = tree.styles.background
        app.push_screen(ConceptScreen(*concept_of(app)))
        await settle(app, pilot)
        app.theme = "textual-light" if app.current_theme.dark else "textual-dark"
        await settle(app, pilot)
        app.pop_screen()
        await settle(app, pilot)
        assert app.screen is home
        assert tree.styles.background != before
