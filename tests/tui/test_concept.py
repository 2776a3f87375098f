"""Concept: facts checked live and the experiment re-run in a worker."""

from __future__ import annotations

from studyreg.study import lab
from studyreg.tui.screens.concept import ConceptScreen
from studyreg.tui.widgets.fact_list import FactList
from studyreg.tui.widgets.output_table import OutputTable
from studyreg.tui.widgets.param_form import ParamForm
from studyreg.tui.widgets.plot import FigureBar, FigurePlot
from tests.tui.conftest import param_text, set_param, settle


async def open_sparsity(app, pilot, tab: str = "") -> ConceptScreen:
    """Open the concept; ``tab`` "e" goes on to the Experiment tab (its form is built then)."""
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, ConceptScreen)
    if tab:
        await pilot.press(tab)
        await settle(app, pilot)
    return app.screen


def sparsity(app):
    """The test pack and its concept with a live experiment (l1_vs_l2)."""
    pack = app.catalog.packs[0]
    return pack, next(c for c in pack.concepts if c.id == "sparsity")


def table_value(screen: ConceptScreen, output: str) -> str:
    table = screen.query_one("#outputs", OutputTable)
    return str(table.get_row(output)[1])


async def test_facts_show_their_live_check_with_the_deciding_numbers(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_sparsity(app, pilot)
        truth = lab.run("l1_vs_l2", {}, 0)
        facts = screen.query_one("#facts", FactList)
        assert facts.option_text(0).startswith("✓ ")
        assert facts.option_text(0).endswith("  Lasso has exact zeros, ridge none.")
        detail = str(screen.query_one("#fact-detail").render())  # the first fact, in full
        assert detail.startswith("✓ Lasso has exact zeros, ridge none.\n")
        assert f"lasso.n_zero (={truth.outputs['lasso.n_zero']})" in detail


async def test_changing_a_parameter_and_rerunning_updates_the_outputs(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_sparsity(app, pilot, "e")
        before = lab.run("l1_vs_l2", {}, 0).outputs["lasso.n_zero"]
        assert table_value(screen, "lasso.n_zero") == str(before)
        set_param(screen, "alpha_l1", "1.5")
        await pilot.press("r")
        await settle(app, pilot)
        after = lab.run("l1_vs_l2", {"alpha_l1": 1.5}, 0).outputs["lasso.n_zero"]
        assert after != before
        assert table_value(screen, "lasso.n_zero") == str(after)


async def test_an_out_of_range_parameter_says_why_and_does_not_run(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_sparsity(app, pilot, "e")
        set_param(screen, "alpha_l1", "50")
        await pilot.pause()
        message = str(screen.query_one("#param-error").render())
        assert "alpha_l1 = 50 is out of range" in message
        await pilot.press("r")
        await settle(app, pilot)
        assert screen.panel.result.params["alpha_l1"] == 0.1


async def test_copy_puts_the_equivalent_command_on_the_clipboard(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_sparsity(app, pilot, "e")
        set_param(screen, "alpha_l1", "0.5")
        set_param(screen, "seed", "3")
        screen.query_one("#concept-text").focus()
        await pilot.press("c")
        assert app.clipboard == "studyreg experiment l1_vs_l2 --set alpha_l1=0.5 --seed 3"


async def test_figure_keys_switch_between_plots(make_app, monkeypatch) -> None:
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
        bar = app.screen.query_one("#figures", FigureBar)
        assert bar.active == 1
        line = str(bar.render())
        # The figure drawn is named on the bar (reversed); the others are numbered links.
        assert f" 2 {panel.figures[1]} " in line and line.startswith("Plots ([ ]):")
        assert panel.figures[0] not in line
        await pilot.press("left_square_bracket")
        assert panel.figure_index == 0 and bar.active == 0
        drawn = []
        plot = app.screen.query_one(FigurePlot)
        monkeypatch.setattr(plot, "show_figure", lambda title, series: drawn.append(title))
        # A click on a figure's title draws it, once.
        line = str(bar.render())
        await pilot.click("#figures", offset=(line.index(" 2 ") + 1, 0))
        await settle(app, pilot)
        assert panel.figure_index == 1 and drawn == [panel.figures[1]]
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert len(drawn) == 2 and drawn[-1] == panel.figures[2 % len(panel.figures)]


async def test_the_other_figures_are_drawn_ahead_and_a_switch_only_shows_them(
    make_app, drawn_on_ui
) -> None:
    from studyreg.tui.widgets import plot as plot_module

    on_screen = drawn_on_ui
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "down", "enter", "e")  # a concept with several figures
        await settle(app, pilot)
        screen = app.screen
        panel = screen.panel
        assert len(panel.figures) >= 2
        assert on_screen == [panel.figures[0]]  # the one shown, drawn as it showed
        for n in range(1, len(panel.figures)):
            await pilot.press("right_square_bracket")
            await settle(app, pilot)
            assert panel.figure_index == n
        assert on_screen == [panel.figures[0]]  # every other one was drawn ahead
        figure = screen.query_one(FigurePlot)
        title, series = figure._figure
        size = (figure.size.width, figure.size.height)
        ahead = plot_module.drawn(title, series, size, plot_module.plotext_theme(app))
        assert ahead is not None and title == panel.figures[-1]
        again = plot_module.draw(title, series, size, plot_module.plotext_theme(app))
        assert ahead.markup == again.markup


async def test_figures_are_drawn_ahead_only_once_the_screen_is_drawn(make_app, monkeypatch) -> None:
    from studyreg.tui.widgets import experiment_panel
    from studyreg.tui.widgets import plot as plot_module

    monkeypatch.setattr(experiment_panel, "DRAW_AHEAD_AFTER_S", 1.0)
    monkeypatch.setattr(plot_module, "_drawn", type(plot_module._drawn)())
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "down", "enter", "e")
        await settle(app, pilot)
        panel = app.screen.panel
        size, theme = app.screen.plot_size(), plot_module.plotext_theme(app)

        def ahead() -> list[bool]:
            return [
                plot_module.drawn(
                    title,
                    [s for s in panel.result.series.values() if s.figure == title],
                    size,
                    theme,
                )
                is not None
                for title in panel.figures[1:]
            ]

        assert len(panel.figures) >= 2 and not any(ahead())
        await pilot.pause(1.2)
        await settle(app, pilot)
        assert all(ahead())


# --- issue 14: layout and keys ------------------------------------------------------


async def test_facts_and_their_checks_fit_80_by_24_one_key_away(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sparsity(app, pilot)
        assert screen.active_tab == "definition"
        await pilot.press("f")
        await pilot.pause()
        assert screen.active_tab == "facts"
        facts = screen.query_one("#facts", FactList)
        assert facts.option_text(0).startswith("✓ ")
        assert facts.option_text(1).startswith("✓ ")
        assert facts.option_text(1).endswith("  Ridge keeps every weight.")
        visible = screen.query_one("#concept-facts").region
        assert facts.region.y >= visible.y and facts.region.bottom <= visible.bottom, (
            facts.region,
            visible,
        )
        # the list has the keys: ↓ or j shows the next fact in full, ↑ or k the previous
        assert app.focused is screen.query_one("#fact-options")
        detail = screen.query_one("#fact-detail")
        assert str(detail.render()).startswith("✓ Lasso has exact zeros")
        await pilot.press("down")
        await pilot.pause()
        assert str(detail.render()).startswith("✓ Ridge keeps every weight.\n  ridge.n_zero")
        await pilot.press("j")
        await pilot.pause()
        third = str(detail.render())
        assert third.startswith("· Sparsity makes models easier to read.\n")
        assert "no live check" in third
        await pilot.press("k", "k")
        await pilot.pause()
        assert str(detail.render()).startswith("✓ Lasso has exact zeros")
        await pilot.press("e")
        await pilot.pause()
        assert screen.active_tab == "experiment"
        assert screen.query_one("#param-grid").region.bottom <= 24  # every parameter shows
        await pilot.press("d")
        await pilot.pause()
        assert screen.active_tab == "definition"


async def test_the_experiment_plot_size_a_quiz_draws_ahead_at_is_the_plots(make_app) -> None:
    from studyreg.tui.screens.concept import experiment_plot_size

    for size in ((80, 24), (100, 30), (120, 36)):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            screen = await open_sparsity(app, pilot, "e")
            plot = screen.query_one(FigurePlot)
            assert tuple(plot.size) == experiment_plot_size(screen.size), size


async def test_a_click_on_a_tab_shows_it_and_lights_it(make_app) -> None:
    from studyreg.tui.widgets.tab_bar import TabBar

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sparsity(app, pilot)
        bar = screen.query_one(TabBar)
        tabs, rule = ["".join(segment.text for segment in bar.render_line(y)) for y in range(2)]
        assert tabs.startswith(" d Definition  f Facts 3 (2✓)  e Experiment ")
        lit = [segment.style.color for segment in bar.render_line(1)]
        assert rule.startswith("╸" + "━" * 12 + "╺") and lit[1] != lit[0]  # under Definition
        assert await pilot.click(TabBar, offset=(tabs.index("Experiment"), 0))
        await settle(app, pilot)
        assert screen.active_tab == "experiment" and bar.active == "experiment"
        assert (
            screen.query_one("#concept-lab").display
            and not screen.query_one("#concept-text").display
        )
        assert app.focused is screen.query_one("#concept-lab")
        assert await pilot.click(TabBar, offset=(tabs.index("Facts"), 0))
        await settle(app, pilot)
        assert screen.active_tab == "facts" and len(screen.query("#facts")) == 1


async def test_escape_in_a_field_leaves_the_field_and_keeps_the_edit(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sparsity(app, pilot, "e")
        await pilot.press("e")
        set_param(screen, "alpha_l1", "0.1")
        field = screen.query_one(ParamForm).field
        field.focus()
        await pilot.pause()
        field.value = ""
        await pilot.press("0", ".", "5")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen, "escape in a field must not leave the concept"
        assert app.focused is not field
        assert field.value == "0.5"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen  # escape outside a field goes back


async def test_command_letters_are_not_typed_into_a_number_field(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sparsity(app, pilot, "e")
        await pilot.press("e")
        set_param(screen, "alpha_l1", "0.1")
        field = screen.query_one(ParamForm).field
        field.focus()
        await pilot.pause()
        field.value = ""
        await pilot.press("1", ".", "5", "r")
        await settle(app, pilot)
        assert field.value == "1.5"
        assert screen.panel.result.params["alpha_l1"] == 1.5  # r ran it
        await pilot.press("c", "right_square_bracket", "z")
        assert field.value == "1.5"
        assert app.clipboard.startswith("studyreg experiment l1_vs_l2 --set alpha_l1=1.5")
        await pilot.press("end", "e", "minus", "1")  # an exponent is part of a number
        assert field.value == "1.5e-1"


async def test_invalid_parameters_mark_the_outputs_stale_without_a_toast(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sparsity(app, pilot, "e")
        await pilot.press("e")
        status = screen.query_one("#exp-status")
        assert "run 1" in str(status.render()) and "stale" not in str(status.render())
        set_param(screen, "alpha_l1", "0.1")
        field = screen.query_one(ParamForm).field
        field.value = "50"
        await pilot.pause()
        assert "stale" in str(status.render())
        assert screen.query_one("#outputs").has_class("-stale")
        form = screen.query_one(ParamForm)
        form.select("seed")  # the field elsewhere, and not focused
        screen.query_one("#concept-lab").focus()
        await pilot.press("r")
        await settle(app, pilot)
        assert app.focused is field, "r with a bad value takes the learner to it"
        assert form.current == "alpha_l1"
        assert not app._notifications, [n.message for n in app._notifications]
        field.value = "0.2"
        await pilot.pause()
        assert "r or enter runs the new values" in str(status.render())
        await pilot.press("r")
        await settle(app, pilot)
        assert "stale" not in str(status.render())
        assert not screen.query_one("#outputs").has_class("-stale")
        assert not screen.query_one("#param-error").has_class("shown")


async def test_rerunning_unchanged_parameters_says_it_ran(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sparsity(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        status = str(screen.query_one("#exp-status").render())
        assert "run 2" in status and "same parameters and seed as before" in status


async def test_next_plot_on_a_one_plot_experiment_says_so(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sparsity(app, pilot)
        assert len(screen.panel.figures) == 1, screen.panel.figures
        await pilot.press("right_square_bracket")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("one plot" in m for m in messages), messages


async def test_a_preset_with_more_digits_than_the_form_shows_is_not_stale(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        pack, concept = sparsity(app)
        app.push_screen(ConceptScreen(pack, concept, params={"alpha_l1": 0.123456789}, seed=3))
        await settle(app, pilot)
        screen = app.screen
        assert screen.active_tab == "experiment"  # preset parameters open the experiment
        assert screen.panel.result.params["alpha_l1"] == 0.123456789
        assert param_text(screen, "alpha_l1") == "0.123457"
        status = str(screen.query_one("#exp-status").render())
        assert "run 1, seed 3" in status and "stale" not in status


async def test_the_parameter_form_is_ready_behind_the_definition_tab(make_app) -> None:
    """Built with the screen (one field: cheap), so `e` only shows it, and `r` from
    any tab runs what it holds."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sparsity(app, pilot)
        assert screen.active_tab == "definition"
        assert param_text(screen, "alpha_l1") == "0.1"
        set_param(screen, "alpha_l1", "0.4")
        await pilot.press("r")
        await settle(app, pilot)
        assert screen.panel.result.params["alpha_l1"] == 0.4 and screen.panel.runs == 2
        await pilot.press("e")
        await settle(app, pilot)
        assert screen.active_tab == "experiment" and len(screen.query("#params")) == 1


async def test_the_first_tab_takes_the_keys_from_the_first_frame(make_app) -> None:
    """Focused as the screen is built (no focus moved after a frame: each move restyles
    the tab): Definition's text, the Facts list, or the Experiment tab."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        catalog = app.catalog
        pack = catalog.packs[0]
        concept = next(c for c in pack.concepts if c.experiment is not None)
        moves: list[object] = []

        def moved(widget: object) -> None:
            moves.append(widget)

        for tab, target in (
            ("definition", "#concept-text"),
            ("facts", "#fact-options"),
            ("experiment", "#concept-lab"),
        ):
            screen = ConceptScreen(pack, concept, tab=tab)
            await app.push_screen(screen)
            screen.watch(screen, "focused", moved, init=False)
            await settle(app, pilot)
            assert app.focused is screen.query_one(target), tab
            if tab != "facts":  # focused as it was built, never moved after
                assert moves == [], (tab, moves)
            app.pop_screen()
            await settle(app, pilot)
            moves.clear()


async def test_an_experiment_already_run_is_built_complete_without_a_worker(
    make_app, monkeypatch
) -> None:
    """A run in the cache (a quiz warmed it) is shown from the screen's first pass: form,
    outputs, plot and the facts' checks, with no worker and no second layout."""
    from studyreg.tui.widgets.experiment_panel import ExperimentPanel

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        pack = app.catalog.packs[0]
        concept = next(c for c in pack.concepts if c.experiment is not None)
        ref = concept.experiment
        params = {**ref.params, "alpha_l1": 0.7}
        truth = lab.run(ref.name, params, 3, scope=ref.scope)
        started: list[object] = []
        monkeypatch.setattr(ExperimentPanel, "prepare", lambda panel: started.append(panel))
        app.push_screen(ConceptScreen(pack, concept, params=params, seed=3))
        await pilot.pause()
        screen = app.screen
        assert started == [] and screen.panel.result is truth and screen.panel.runs == 1
        assert param_text(screen, "alpha_l1") == "0.7"
        assert table_value(screen, "lasso.n_zero") == str(truth.outputs["lasso.n_zero"])
        assert screen.query_one("#figures", FigureBar).titles == screen.panel.figures != []
        caption = str(screen.query_one("#facts-caption").render())
        assert caption.startswith("Checked on the last run: seed 3, alpha_l1=0.7")
        assert screen.query_one("#facts", FactList).option_text(0).startswith(("✓ ", "✗ "))


async def test_one_field_moves_over_the_parameters_keeping_each_value(make_app) -> None:
    """↑/↓ and tab move the form's one field between rows; the other rows show their
    text, an invalid one marked; a click on a row moves the field there."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sparsity(app, pilot, "e")
        form = screen.query_one(ParamForm)
        names = [row.name for row in form.rows]
        assert names[-1] == "seed" and form.current == names[0]
        form.field.focus()
        await pilot.pause()
        await pilot.press("down")
        assert form.current == names[1]
        await pilot.press("ctrl+u", "7")  # a new value for the second parameter
        await pilot.press("tab", "tab")
        assert form.current == names[3]
        await pilot.press("up", "up")
        assert form.current == names[1] and form.field.value == "7"
        form.select("alpha_l1")
        await pilot.press("ctrl+u", "5", "0")  # out of range
        await pilot.press("down")
        await pilot.pause()
        column = str(screen.query_one("#param-above").render()).splitlines()
        assert column[names.index("alpha_l1")] == "50 ✗" and column[1] == "7"
        assert "alpha_l1 = 50" in str(screen.query_one("#param-error").render())
        assert param_text(screen, names[1]) == "7"
        # A click on a row puts the field there.
        grid = screen.query_one("#param-grid").region
        await pilot.click("#param-names", offset=(1, names.index("alpha_l1")))
        assert form.current == "alpha_l1" and form.field.value == "50"
        assert app.focused is form.field and form.field.has_class("-invalid-param")
        assert grid.height == len(names)  # one line per parameter, wherever the field is
        # Tab on the last row leaves the form.
        form.select("seed")
        await pilot.press("tab")
        assert app.focused is not form.field


async def test_tabs_not_shown_are_built_after_a_moment_or_when_opened(
    make_app, monkeypatch
) -> None:
    """Opened on its Experiment (e from a quiz), the first frame holds only that tab:
    Definition and Facts come a moment later, or at once when their key is pressed,
    with the checks of the run already shown."""
    from studyreg.tui.screens import concept as concept_screen

    monkeypatch.setattr(concept_screen, "BUILD_HIDDEN_AFTER_S", 3600)  # only by key
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        pack, concept = sparsity(app)
        app.push_screen(ConceptScreen(pack, concept, params={"alpha_l1": 0.2}, seed=1))
        await settle(app, pilot)
        screen = app.screen
        assert screen.active_tab == "experiment" and screen.panel.runs == 1
        assert not screen.query("#facts") and not screen.query("#definition")
        await pilot.press("f")
        await settle(app, pilot)
        facts = screen.query_one("#facts", FactList)
        assert facts.option_text(0).startswith(("✓ ", "✗ ")) and app.focused.id == "fact-options"
        caption = str(screen.query_one("#facts-caption").render())
        assert caption.startswith("Checked on the last run: seed 1, alpha_l1=0.2")
        assert not screen.query("#definition")
        await pilot.press("d")
        await settle(app, pilot)
        assert screen.query_one("#definition") and app.focused.id == "concept-text"

    monkeypatch.setattr(concept_screen, "BUILD_HIDDEN_AFTER_S", 0.05)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        pack, concept = sparsity(app)
        app.push_screen(ConceptScreen(pack, concept, tab="definition"))
        for _ in range(100):  # the timer fires within a few frames, even on a loaded machine
            if app.screen.query("#facts"):
                break
            await pilot.pause(0.05)
        await settle(app, pilot)
        assert app.screen.active_tab == "definition"  # built behind the tab being read
        assert app.screen.query_one("#facts", FactList).option_text(0).startswith("✓ ")


async def test_focusing_a_tab_restyles_the_tab_body_alone(make_app, monkeypatch) -> None:
    """Not the dozens of widgets of the Experiment tab: no rule depends on its focus."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sparsity(app, pilot, "e")
        body = screen.query_one("#concept-lab")
        screen.query_one("#concept-text").focus()
        await pilot.pause()
        restyled: list[int] = []
        real = app.stylesheet.update_nodes

        def counting(nodes, animate=False):
            nodes = list(nodes)
            restyled.append(len(nodes))
            return real(nodes, animate=animate)

        monkeypatch.setattr(app.stylesheet, "update_nodes", counting)
        body.focus()
        await pilot.pause()
        assert app.focused is body
        assert len(list(body.walk_children())) > 15 and max(restyled) == 1, restyled


async def test_leaving_a_concept_while_its_hidden_tabs_are_built_does_not_hang(make_app) -> None:
    """The build of the tabs not shown is never awaited, so escape pressed as it starts
    pops the screen at once (an awaited mount of a screen being removed never ends)."""
    import asyncio

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        home = app.screen
        pack, concept = sparsity(app)
        for _ in range(3):
            screen = ConceptScreen(pack, concept, tab="experiment")
            app.push_screen(screen)
            await pilot.pause()
            screen._build_hidden()  # what the timer does...
            app.pop_screen()  # ...with escape at the same moment
            await asyncio.wait_for(settle(app, pilot), timeout=20)
            assert app.screen is home


async def test_the_hidden_tabs_timer_firing_as_the_concept_is_left_does_not_crash(
    make_app, monkeypatch
) -> None:
    """Escape just as the hidden tabs are built: the screen being taken down mounts
    nothing, and the checks go to the widgets the screen made, not to a query (which
    found nothing and took the whole app down with NoMatches)."""
    import asyncio

    from studyreg.tui.screens import concept as concept_screen

    monkeypatch.setattr(concept_screen, "BUILD_HIDDEN_AFTER_S", 60.0)  # fired by hand below
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        home = app.screen
        pack, concept = sparsity(app)
        screen = ConceptScreen(pack, concept, tab="experiment")
        app.push_screen(screen)
        await settle(app, pilot)
        assert screen._run_shown is not None  # the checks wait for the Facts tab
        await asyncio.wait_for(app.pop_screen(), timeout=20)
        screen._build_hidden()  # the timer, a moment late
        await asyncio.wait_for(settle(app, pilot), timeout=20)
        assert app.screen is home and app.is_running
        assert app.return_code is None
