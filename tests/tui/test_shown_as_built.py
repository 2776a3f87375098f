"""Screens are styled and laid out once as they are built, and again when the terminal
or the theme changes."""

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
        assert len(nodes) > 30 and min(times.values()) == 1
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


async def test_a_concept_opened_on_its_experiment_is_laid_out_twice_not_three_times(
    make_app, monkeypatch
) -> None:
    """Textual lays a new screen out, then again for what the first layout sized. The
    scrollbars of the tab and of the outputs (which overflow here) are laid out in the
    first; appearing after it, they cost a third layout (and narrowed the outputs)."""
    from textual.screen import Screen

    from studyreg.study import lab
    from studyreg.tui.widgets.output_table import OutputTable

    layouts = []
    real = Screen._refresh_layout

    def counting(self, *args, **kwargs):
        layouts.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counting)
    # What a concept defers until it is on screen stays deferred here (tests do it at once).
    from studyreg.tui.screens import concept as concept_screen
    from studyreg.tui.widgets import experiment_panel, fact_list

    monkeypatch.setattr(concept_screen, "BUILD_HIDDEN_AFTER_S", 30)
    monkeypatch.setattr(fact_list, "MEASURE_AFTER_S", 30)
    monkeypatch.setattr(experiment_panel, "DRAW_AHEAD_AFTER_S", 30)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        pack, concept = concept_of(app)
        ref = concept.experiment
        lab.run(ref.name, dict(ref.params), ref.seed, scope=ref.scope)  # as Home runs it ahead
        layouts.clear()
        app.push_screen(ConceptScreen(pack, concept, tab="experiment"))
        await settle(app, pilot)
        screen = app.screen
        outputs = screen.query_one(OutputTable)
        assert outputs.max_scroll_y > 0 and outputs.show_vertical_scrollbar
        assert screen.query_one("#concept-lab").show_vertical_scrollbar
        assert [s for s in layouts if s is screen] == [screen, screen]


async def test_a_quiz_body_taking_and_giving_up_the_focus_restyles_only_itself(
    make_app, monkeypatch
) -> None:
    """A new quiz's body is focused first (Textual's auto focus), then the answer field:
    Textual restyled the body and all it holds both times."""
    styled: list[object] = []
    real = Stylesheet.update_nodes

    def counting(self, nodes, animate: bool = False) -> None:
        nodes = list(nodes)
        styled.extend(nodes)
        real(self, nodes, animate)

    monkeypatch.setattr(Stylesheet, "update_nodes", counting)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        styled.clear()
        app.start_session("learn", ["tui-test/basics"])
        await settle(app, pilot)
        screen = app.screen
        body = screen.query_one("#quiz-body")
        assert body in styled  # its focus came and went: the body was restyled
        assert app.focused is not body and app.focused in list(body.walk_children())
        assert screen.query_one("#prompt") not in styled  # and nothing it holds


async def test_a_screen_follows_the_terminal_resized_under_it_and_under_a_dialog(
    make_app,
) -> None:
    """Only the screen's own Resize at the size it was just laid out at is skipped (the
    second full layout of every new screen); a terminal resize lays it out again, also
    while a dialog is over it."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.push_screen(ConceptScreen(*concept_of(app), tab="experiment"))
        await settle(app, pilot)
        screen = app.screen
        footer = screen.query_one("Footer")
        assert footer.region.width == 100 and footer.region.y == 29
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert screen.size == (80, 24)
        assert footer.region.width == 80 and footer.region.y == 23
        await pilot.press("question_mark")  # the help dialog, over the concept
        await settle(app, pilot)
        assert app.screen is not screen
        await pilot.resize_terminal(120, 36)
        await settle(app, pilot)
        assert footer.region.width == 120 and footer.region.y == 35
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen and screen.size == (120, 36)


async def test_the_header_title_follows_the_screen_without_a_layout(make_app, monkeypatch) -> None:
    from studyreg.tui.widgets.header import Header

    layouts = []
    real = Header.refresh

    def watching(self, *regions, layout: bool = False, **kwargs):
        layouts.append(layout)
        return real(self, *regions, layout=layout, **kwargs)

    monkeypatch.setattr(Header, "refresh", watching)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        pack, concept = concept_of(app)
        app.push_screen(ConceptScreen(pack, concept))
        await settle(app, pilot)
        header = app.screen.query_one(Header)

        def shown() -> str:
            return "".join(segment.text for segment in header.render_line(0))

        assert len(header.children) == 0  # one widget: icon and title drawn together
        assert shown().startswith(" ⭘ ") and f"studyreg — {pack.title} · {concept.title}" in shown()
        layouts.clear()
        app.screen.sub_title = "Another"
        await settle(app, pilot)
        assert "studyreg — Another" in shown() and len(shown()) == 100
        assert layouts and not any(layouts)  # repaints, never a layout of the screen


async def test_a_click_on_the_header_icon_opens_the_command_palette(make_app) -> None:
    from textual.command import CommandPalette

    from studyreg.tui.widgets.header import Header

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert await pilot.click(Header, offset=(1, 0))
        await settle(app, pilot)
        assert isinstance(app.screen, CommandPalette)
