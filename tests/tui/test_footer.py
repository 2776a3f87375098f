"""The footer: the screen's keys on one line, one widget, following every change of keys
with a repaint; its keys are links that press them."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from studyreg.tui.screens.quiz import QuizScreen
from studyreg.tui.widgets.footer import Footer
from tests.tui.answering import answer
from tests.tui.conftest import settle


def line(footer: Footer) -> str:
    """The footer's line as drawn."""
    return "".join(segment.text for segment in footer.render_line(0))


def shown_keys(footer: Footer) -> dict[str, bool]:
    """Shown key -> enabled, as last drawn."""
    assert footer.shown is not None
    keys, _palette = footer.shown
    return {key.key: key.enabled for key in keys}


async def test_the_footer_follows_the_quiz_keys_with_a_repaint_of_one_line(
    make_app, monkeypatch
) -> None:
    repaints = []
    real = Footer.refresh

    def counting(self, *regions, **kwargs):
        repaints.append(kwargs)
        return real(self, *regions, **kwargs)

    monkeypatch.setattr(Footer, "refresh", counting)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.start_session("learn", ["tui-test/basics"])
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        footer = screen.query_one(Footer)
        assert len(footer.children) == 0  # one widget, not a widget per key
        before = shown_keys(footer)
        assert before.get("ctrl+s") is True and "n" not in before
        assert " ^s Check " in line(footer) and line(footer).endswith("▏^p palette ")
        repaints.clear()
        await answer(screen, pilot, right=True)
        await settle(app, pilot)
        after = shown_keys(footer)
        assert after.get("n") is True and "ctrl+s" not in after
        assert " n Next " in line(footer) and " ^s Check " not in line(footer)
        # one check sends several binding signals: coalesced, and never a layout
        assert 1 <= len(repaints) <= 3 and not any(kw.get("layout") for kw in repaints)
        repaints.clear()
        screen.refresh_bindings()  # nothing changed: nothing redrawn
        await settle(app, pilot)
        assert repaints == []


async def test_a_click_on_a_key_presses_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.start_session("learn", ["tui-test/basics"])
        await settle(app, pilot)
        screen = app.screen
        await answer(screen, pilot, right=True)
        await settle(app, pilot)
        first = screen.item
        footer = screen.query_one(Footer)
        x = line(footer).index(" n Next ") + 1
        assert await pilot.click(Footer, offset=(x, 0))
        await settle(app, pilot)
        assert screen.item is not first and screen.verdict is None  # the next question


class Keys(Screen[None]):
    """Keys enough to overflow a narrow footer, one of them disabled."""

    BINDINGS = [
        Binding("a", "noop('a')", "Alpha first"),
        Binding("b", "noop('b')", "Beta disabled"),
        Binding("c", "noop('c')", "Gamma third"),
        Binding("d", "noop('d')", "Delta fourth"),
        Binding("e", "noop('e')", "Epsilon fifth"),
        Binding("h", "noop('h')", "Hidden", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("keys")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if parameters == ("b",) else True

    def action_noop(self, name: str) -> None:
        self.pressed.append(name)


class KeysApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Keys())


async def test_a_disabled_key_is_dimmed_and_its_click_rings_the_bell(monkeypatch) -> None:
    app = KeysApp()
    bells = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(1))
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, Keys)
        footer = screen.query_one(Footer)
        text = line(footer)
        assert "Hidden" not in text
        segments = list(footer.render_line(0))
        beta = [s for s in segments if "Beta" in s.text]
        alpha = [s for s in segments if "Alpha" in s.text]
        assert beta and all(s.style and s.style.dim for s in beta)
        assert alpha and not any(s.style and s.style.dim for s in alpha)
        await pilot.click(Footer, offset=(text.index("Beta"), 0))
        await pilot.click(Footer, offset=(text.index("Gamma"), 0))
        await pilot.pause()
        assert screen.pressed == ["c"] and bells == [1]


async def test_keys_too_many_for_the_line_end_in_an_ellipsis_the_palette_key_kept() -> None:
    app = KeysApp()
    async with app.run_test(size=(50, 10)) as pilot:
        await pilot.pause()
        text = line(app.screen.query_one(Footer))
        assert len(text) == 50
        assert text.startswith(" a Alpha first  b Beta") and "…▏^p palette " in text
