"""Concept: facts checked live and the experiment re-run in a worker."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from studyreg.study import lab
from studyreg.tui.screens.concept import ConceptScreen
from tests.tui.conftest import settle


async def open_sparsity(app, pilot) -> ConceptScreen:
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, ConceptScreen)
    return app.screen


def table_value(screen: ConceptScreen, output: str) -> str:
    table = screen.query_one("#outputs", DataTable)
    return str(table.get_row(output)[1])


async def test_facts_show_their_live_check_with_the_deciding_numbers(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_sparsity(app, pilot)
        truth = lab.run("l1_vs_l2", {}, 0)
        facts = str(screen.query_one("#facts").render())
        assert "✓ Lasso has exact zeros, ridge none." in facts
        assert f"lasso.n_zero (={truth.outputs['lasso.n_zero']})" in facts


async def test_changing_a_parameter_and_rerunning_updates_the_outputs(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_sparsity(app, pilot)
        before = lab.run("l1_vs_l2", {}, 0).outputs["lasso.n_zero"]
        assert table_value(screen, "lasso.n_zero") == str(before)
        screen.query_one("#param-alpha_l1", Input).value = "1.5"
        await pilot.press("r")
        await settle(app, pilot)
        after = lab.run("l1_vs_l2", {"alpha_l1": 1.5}, 0).outputs["lasso.n_zero"]
        assert after != before
        assert table_value(screen, "lasso.n_zero") == str(after)


async def test_an_out_of_range_parameter_says_why_and_does_not_run(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_sparsity(app, pilot)
        screen.query_one("#param-alpha_l1", Input).value = "50"
        await pilot.pause()
        message = str(screen.query_one("#param-error").render())
        assert "alpha_l1 = 50 is out of range" in message
        await pilot.press("r")
        await settle(app, pilot)
        assert screen.panel.result.params["alpha_l1"] == 0.1


async def test_copy_puts_the_equivalent_command_on_the_clipboard(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_sparsity(app, pilot)
        screen.query_one("#param-alpha_l1", Input).value = "0.5"
        screen.query_one("#param-seed", Input).value = "3"
        screen.query_one("#concept-text").focus()
        await pilot.press("c")
        assert app.clipboard == "studyreg experiment l1_vs_l2 --set alpha_l1=0.5 --seed 3"


async def test_figure_keys_switch_between_plots(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "down", "enter")
        await settle(app, pilot)
        panel = app.screen.panel
        assert len(panel.figures) >= 2, panel.figures
        assert panel.figure_index == 0
        await pilot.press("right_square_bracket")
        assert panel.figure_index == 1
        assert app.screen.query_one("#figures").active == "figure-1"
        await pilot.press("left_square_bracket")
        assert panel.figure_index == 0
