"""Home: packs and concepts, load problems, readable at 80×24."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static, Tree

from studyreg.tui.screens.concept import ConceptScreen
from studyreg.tui.screens.home import HomeScreen
from tests.tui.conftest import settle


async def test_home_lists_every_concept_of_the_pack(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        tree = app.screen.query_one("#concepts", Tree)
        pack_node = tree.root.children[0]
        titles = [str(node.label).split("  ")[0] for node in pack_node.children]
        assert titles == ["L1 gives exact zeros", "Basics", "Regularization path"]


async def test_enter_opens_the_highlighted_concept(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConceptScreen)
        assert app.screen.concept.id == "sparsity"


async def test_a_broken_pack_shows_its_located_problem_and_the_valid_pack_still_loads(
    make_app, pack_path: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "id: broken\ntitle: Broken\nconcepts:\n  - id: c\n    title: C\n    defintion: typo\n"
    )
    app = make_app(pack_paths=[pack_path, broken])
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        problems = str(app.screen.query_one("#problems-text").render())
        assert f"{broken}:" in problems
        assert "defintion" in problems
        assert app.screen.query_one("#problems").display
        assert [p.id for p in app.catalog.packs] == ["tui-test"]


async def test_home_renders_at_80_by_24_without_errors(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#concepts", Tree).region.width >= 30
        actions = app.screen.query_one("#home-actions", Static)
        assert actions.region.right <= 80
        assert "Stats" in str(actions.render())  # the last action is not cut off


async def test_the_action_line_links_run_their_actions(make_app) -> None:
    from studyreg.tui.screens.home import ACTIONS
    from studyreg.tui.screens.quiz import QuizScreen
    from studyreg.tui.screens.stats import StatsScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        for label, screen_type in (
            ("Open", ConceptScreen),
            ("Quiz", QuizScreen),
            ("Stats", StatsScreen),
        ):
            x = ACTIONS.plain.index(f" {label} ") + 1
            assert await pilot.click("#home-actions", offset=(x, 0))
            await settle(app, pilot)
            assert isinstance(app.screen, screen_type), label
            await pilot.press("escape")
            await settle(app, pilot)
            assert isinstance(app.screen, HomeScreen)
        x = ACTIONS.plain.index(" Learn ") + 1
        await pilot.click("#home-actions", offset=(x, 0))
        await settle(app, pilot)
        assert isinstance(app.screen, QuizScreen)
        assert app.screen.session.mode == "learn"


async def test_theme_key_switches_between_dark_and_light(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"


async def test_help_lists_the_keys_of_the_screen_below(make_app) -> None:
    from textual.widgets import DataTable

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        table = app.screen.query_one("#help-table", DataTable)
        keys = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
        assert {"Learn", "Quiz", "Exam", "Theme"} <= keys
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_progress_shows_on_home_after_answering(make_app) -> None:
    from tests.tui.answering import answer

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.store is not None, "the progress store opens in the temporary data dir"
        await pilot.press("l")
        await settle(app, pilot)
        await answer(app.screen, pilot, right=True)
        await pilot.press("escape")  # leave -> summary
        await pilot.pause()
        await pilot.press("escape")  # summary -> home
        await settle(app, pilot)
        tree = app.screen.query_one("#concepts", Tree)
        label = str(tree.root.children[0].children[0].label)
        assert "1× 100%" in label


async def test_stats_screen_shows_answers_from_the_store(make_app) -> None:
    from tests.tui.answering import answer

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        await answer(app.screen, pilot, right=True)
        app.action_open_stats()
        await settle(app, pilot)
        assert "Answers: 1, right: 1 (100%)" in str(app.screen.query_one("#stats-text").render())


async def test_the_concept_the_cursor_stops_on_has_its_experiment_run_ahead(
    make_app, monkeypatch
) -> None:
    """Its concept then opens complete in one pass; concepts scrolled past run nothing."""
    import asyncio

    from studyreg.study import lab
    from studyreg.tui.screens import home

    monkeypatch.setattr(home, "WARM_AFTER_S", 1.0)  # longer than any gap between keys
    warmed: list[tuple[str, int]] = []
    monkeypatch.setattr(
        lab, "warm", lambda name, params, seed, scope, pack_code: warmed.append((name, seed))
    )
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await asyncio.sleep(1.3)
        await settle(app, pilot)
        first = app.screen.selected().concept.experiment  # the first concept, at start
        assert warmed == [(first.name, first.seed)]
        # Back and forth over both concepts with an experiment, ending on the last.
        await pilot.press("down", "down", "up", "up", "down", "down")
        await asyncio.sleep(1.3)
        await settle(app, pilot)
        stopped_on = app.screen.selected().concept.experiment
        assert warmed == [(first.name, first.seed), (stopped_on.name, stopped_on.seed)], warmed
