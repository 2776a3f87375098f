"""Help (?) and the command palette (ctrl+p): the app's own keys first, concepts by title."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import DataTable, Input

from studyreg.tui.screens.concept import ConceptScreen
from studyreg.tui.screens.exam import ExamScreen
from studyreg.tui.screens.home import HomeScreen
from studyreg.tui.screens.quiz import QuizScreen
from tests.tui.conftest import settle


def help_rows(app) -> list[tuple[str, str, str]]:
    table = app.screen.query_one("#help-table", DataTable)
    rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
    return [(key, what, where) for key, where, what in rows]


async def test_help_on_home_starts_with_homes_own_keys_then_the_apps(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.screen.focused is not None  # the concept tree, with its own bindings
        await pilot.press("question_mark")
        await pilot.pause()
        rows = help_rows(app)
        whats = [what for _key, what, _where in rows]
        wheres = [where for _key, _what, where in rows]
        assert whats[:5] == ["Learn", "Quiz", "Exam", "Review", "Stats"], rows
        assert wheres[:5] == ["Home"] * 5
        assert wheres[5] == "app"
        assert whats.index("Focus Next") > whats.index("Theme")  # Textual's generic keys last
        # the tree's own bindings come after the app's, not before
        assert wheres.index("Tree") > max(i for i, w in enumerate(wheres) if w == "app")
        # the first rows are visible at 80x24 without scrolling
        table = app.screen.query_one("#help-table", DataTable)
        assert table.region.height >= 6


async def test_help_on_a_concept_lists_its_tab_and_run_keys_first(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        rows = help_rows(app)
        first = [(key, what) for key, what, where in rows if where == "Concept"]
        assert rows[: len(first)] == [(k, w, "Concept") for k, w in first]
        whats = [what for _key, what in first]
        assert {"Definition", "Facts", "Experiment", "Run", "Next plot"} <= set(whats), whats


async def palette_search(app, pilot, text: str) -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    app.screen.query_one(Input).value = text
    for _ in range(20):  # the palette searches in the background
        await pilot.pause(0.05)
    options = app.screen.query_one("CommandList")
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    return [prompt.split("\n")[0] for prompt in prompts]  # the name, not its help line


async def test_palette_finds_a_concept_by_part_of_its_title_and_opens_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        found = await palette_search(app, pilot, "path")
        assert "Open Regularization path" in found, found
        assert "Experiment: Regularization path" in found, found
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConceptScreen)
        assert app.screen.concept.id == "path"


async def test_palette_opens_a_concepts_experiment_tab(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        found = await palette_search(app, pilot, "experiment zeros")
        assert found and found[0] == "Experiment: L1 gives exact zeros", found
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConceptScreen)
        assert app.screen.active_tab == "experiment"


async def test_palette_starts_a_quiz_and_an_exam_on_one_concept(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        found = await palette_search(app, pilot, "quiz on basics")
        assert found[0] == "Quiz on Basics", found
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, QuizScreen)
        concepts = {entry.concept.id for entry in app.screen.session.queue}
        assert concepts == {"basics"}, concepts
        await pilot.press("escape")
        await pilot.pause()
        while not isinstance(app.screen, HomeScreen):
            await pilot.press("escape")
            await pilot.pause()
        found = await palette_search(app, pilot, "exam on basics")
        assert found[0] == "Exam on Basics", found
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#exam-count").value = "2"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ExamScreen)
        assert {entry.concept.id for entry in app.screen.session.queue} == {"basics"}
        session = app.screen.session
        assert session.served + len(session.queue) == 2


async def test_palette_has_one_keys_command(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        found = await palette_search(app, pilot, "keys")
        assert sum(1 for name in found if name in ("Keys", "Show keys")) == 1, found
