"""The Footer rebuilds only when the keys it shows change, and still follows every change."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from studyreg.tui.screens.quiz import QuizScreen
from studyreg.tui.widgets.footer import Footer
from tests.tui.answering import answer
from tests.tui.conftest import settle


def keys_shown(screen) -> dict[str, bool]:
    """Shown key -> enabled."""
    return {key.key: not key.disabled for key in screen.query_one(Footer).query(FooterKey)}


async def test_the_footer_follows_the_quiz_keys_with_fewer_rebuilds(make_app, monkeypatch) -> None:
    rebuilds = []
    real = Footer.recompose

    async def counting(self):
        rebuilds.append(self)
        await real(self)

    monkeypatch.setattr(Footer, "recompose", counting)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.start_session("learn", ["tui-test/basics"])
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        before = keys_shown(screen)
        assert before.get("ctrl+s") is True and "n" not in before
        rebuilds.clear()
        await answer(screen, pilot, right=True)
        await settle(app, pilot)
        after = keys_shown(screen)
        assert after.get("n") is True and "ctrl+s" not in after
        # one check sends several binding signals; Textual's Footer rebuilt on each
        assert 1 <= len(rebuilds) <= 3
        rebuilds.clear()
        screen.refresh_bindings()  # nothing changed: no rebuild
        await settle(app, pilot)
        assert rebuilds == []


async def test_footer_keys_are_built_in_their_style_not_restyled_into_it(
    make_app, monkeypatch
) -> None:
    """A key starts compact and its binding to the footer's ``compact`` turns that off
    once mounted: two restyles per key on every screen. Built with the footer's value,
    no key is restyled, and each looks as Textual's own would (the palette key compact,
    the others not)."""
    restyled = []
    real = FooterKey.update_node_styles

    def counting(self, animate: bool = True) -> None:
        restyled.append(self)
        real(self, animate)

    monkeypatch.setattr(FooterKey, "update_node_styles", counting)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.start_session("learn", ["tui-test/basics"])
        await settle(app, pilot)
        keys = list(app.screen.query_one(Footer).query(FooterKey))
        assert len(keys) >= 3 and restyled == []
        for key in keys:
            palette = key.has_class("-command-palette")
            assert key.compact is palette and key.has_class("-compact") is palette, key.key
