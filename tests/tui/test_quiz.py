"""Quiz and Learn: answering each kind of question, feedback, the experiment behind it, undo."""

from __future__ import annotations

from textual.widgets import Input

from studyreg.tui.screens.concept import ConceptScreen
from studyreg.tui.screens.quiz import QuizScreen
from tests.tui.answering import answer
from tests.tui.conftest import settle


async def start_learn(app, pilot, concept: str) -> QuizScreen:
    await settle(app, pilot)
    app.start_session("learn", [f"tui-test/{concept}"])
    await settle(app, pilot)
    assert isinstance(app.screen, QuizScreen)
    assert app.screen.item is not None
    return app.screen


async def start_on_free_response(app, pilot) -> QuizScreen:
    """A learn session on "sparsity", its computed question answered: on to its free
    response."""
    screen = await start_learn(app, pilot, "sparsity")
    await answer(screen, pilot, right=True)
    await pilot.press("n")
    await settle(app, pilot)
    assert screen.item.type == "free_response"
    return screen


def feedback(screen: QuizScreen) -> str:
    return str(screen.query_one("#feedback").render())


async def test_a_computed_question_answered_right_is_graded_correct(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await start_learn(app, pilot, "sparsity")
        item = screen.item
        assert item.type == "computed"
        assert f"alpha_l1 = {item.params['alpha_l1']}" in screen.query_one("#prompt").render().plain
        await pilot.press(*item.answer_value(), "enter")
        await pilot.pause()
        assert screen.verdict.correct
        assert feedback(screen).startswith("✓ Correct")
        assert screen.session.correct_count == 1


async def test_a_wrong_number_shows_the_computed_truth(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await start_learn(app, pilot, "sparsity")
        truth = screen.item.answer_value()
        await pilot.press(*str(int(screen.item.truth) + 3), "enter")
        await pilot.pause()
        assert screen.verdict.status == "incorrect"
        assert f"Answer: {truth}" in feedback(screen)
        assert screen.session.correct_count == 0 and screen.session.answered == 1


async def test_an_unreadable_number_says_why_and_costs_nothing(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await start_learn(app, pilot, "basics")
        assert screen.item.type == "numeric"
        await pilot.press(*"one quarter", "enter")
        await pilot.pause()
        message = str(screen.query_one("#answer-error").render())
        assert "one quarter" in message
        assert screen.session.answered == 0 and screen.verdict is None
        screen.query_one(Input).value = "0.25"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.verdict.correct


async def test_free_response_reveals_then_records_key_points_and_rating(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await start_on_free_response(app, pilot)
        await pilot.press(*"corners", "ctrl+s")
        await pilot.pause()
        assert screen.query_one("#reveal").display
        assert "corners on the axes" in str(screen.query_one("#model-answer").render())
        await pilot.press("space", "3", "ctrl+s")  # tick the first key point, rate Good
        await pilot.pause()
        last = screen.session.answers[-1]
        assert last.response.covered == frozenset({0})
        assert last.response.rating == 3
        assert last.response.text == "corners"
        assert screen.query_one("#feedback").display


async def test_e_opens_the_experiment_with_the_variant_parameters(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await start_learn(app, pilot, "sparsity")
        item = screen.item
        await answer(screen, pilot, right=True)
        await pilot.press("e")
        await settle(app, pilot)
        concept = app.screen
        assert isinstance(concept, ConceptScreen)
        assert concept.panel.result.params == item.params
        assert concept.panel.result.seed == item.seed
        assert concept.panel.output("lasso.n_zero") == int(item.truth)


async def test_work_ahead_waits_until_the_question_is_drawn(make_app, monkeypatch) -> None:
    """It starts a moment after a question shows (so it does not take turns with the
    thread drawing it), and not at all for a question already left."""
    from studyreg.tui.screens import quiz

    monkeypatch.setattr(quiz, "PREFETCH_AFTER_S", 1.0)
    started: list[object] = []
    monkeypatch.setattr(
        QuizScreen, "prefetch_next", lambda self, item, draw_at=0.0: started.append(item)
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_learn(app, pilot, "basics")
        first = screen.item
        assert started == []
        await pilot.pause(1.2)
        assert started == [first]
        await answer(screen, pilot, right=True)
        await pilot.press("n")
        await settle(app, pilot)
        second = screen.item
        assert second is not first and second is not None
        await answer(screen, pilot, right=True)
        await pilot.press("n")  # left before its moment came
        await settle(app, pilot)
        third = screen.item
        assert third is not None and third is not second
        await pilot.pause(1.2)
        assert started == [first, third]


async def test_the_figure_e_opens_on_is_drawn_while_the_question_is_read(
    make_app, drawn_on_ui
) -> None:
    """The quiz's prefetch thread draws it; the experiment then opens without drawing,
    on a plot exactly as it would have drawn it."""
    from studyreg.tui.widgets import plot

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")  # a concept's plot registers the app's plot theme
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        drawn_on_ui.clear()
        screen = await start_learn(app, pilot, "sparsity")
        await answer(screen, pilot, right=True)
        await pilot.press("e")
        await settle(app, pilot)
        concept = app.screen
        assert isinstance(concept, ConceptScreen)
        figure = concept.query_one(plot.FigurePlot)
        assert figure.size.width > 0 and drawn_on_ui == []
        title, series = figure._figure
        size = (figure.size.width, figure.size.height)
        ahead = plot.drawn(title, series, size, plot.plotext_theme(app))
        again = plot.draw(title, series, size, plot.plotext_theme(app))
        assert ahead is not None and ahead.markup == again.markup and "lasso" in ahead.plain


async def test_undo_takes_the_last_answer_back_and_asks_again(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await start_learn(app, pilot, "basics")
        question = screen.item.question
        await answer(screen, pilot, right=False)
        assert screen.session.answered == 1
        await pilot.press("u")
        await settle(app, pilot)
        assert screen.session.answered == 0
        assert screen.item.question is question


async def test_every_question_type_can_be_answered_right(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await start_learn(app, pilot, "basics")
        seen = []
        while screen.item is not None and len(seen) < 10:
            seen.append(screen.item.type)
            await answer(screen, pilot, right=True)
            assert screen.verdict is not None and screen.verdict.correct, (
                screen.item.type,
                feedback(screen),
            )
            await pilot.press("n")
            await settle(app, pilot)
            if screen is not app.screen:
                break
        assert set(seen) == {
            "numeric",
            "single_choice",
            "multiple_choice",
            "true_false",
            "short_answer",
            "ordering",
            "matching",
        }


# --- issue 14: one-key answers, fair computed questions, clear feedback, undo --------------


async def next_question(app, pilot, screen: QuizScreen) -> None:
    await pilot.press("n")
    await settle(app, pilot)


async def test_letters_digits_and_t_f_answer_and_enter_checks(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_learn(app, pilot, "basics")
        assert screen.item.type == "numeric"
        await pilot.press("1", "/", "4")  # a text field keeps its digits and letters
        assert screen.query_one(Input).value == "1/4"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.verdict.correct
        await next_question(app, pilot, screen)
        assert screen.item.type == "single_choice"
        await pilot.press("c", "a", "enter")  # the last key pressed wins: A) Alpha
        await pilot.pause()
        assert screen.verdict.correct and screen.session.answers[-1].response == 0
        await next_question(app, pilot, screen)
        assert screen.item.type == "multiple_choice"
        await pilot.press("1", "3", "enter")  # a and e
        await pilot.pause()
        assert screen.verdict.correct, feedback(screen)
        await next_question(app, pilot, screen)
        assert screen.item.type == "true_false"
        assert screen.active_bindings["t"].binding.description == "True"
        await pilot.press("f", "enter")
        await pilot.pause()
        assert screen.verdict.correct


async def test_enter_on_an_unpicked_choice_list_takes_the_highlighted_option(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_learn(app, pilot, "basics")
        await answer(screen, pilot, right=True)
        await next_question(app, pilot, screen)
        await pilot.press("down", "enter")  # highlight B, Enter: picked and checked
        await pilot.pause()
        assert screen.verdict is not None and screen.session.answers[-1].response == 1


async def test_before_answering_the_variant_experiment_opens_with_its_answer_hidden(
    make_app,
) -> None:
    from studyreg.tui.screens.variant import VariantExperimentScreen
    from studyreg.tui.widgets.output_table import OutputTable

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_learn(app, pilot, "sparsity")
        item = screen.item
        await pilot.press("e")  # the number field keeps the letter
        assert app.screen is screen and screen.query_one(Input).value == "e"
        screen.query_one(Input).value = ""
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        variant = app.screen
        assert isinstance(variant, VariantExperimentScreen)
        panel = variant.panel
        assert panel.result.params == item.params and panel.result.seed == item.seed
        table = panel.query_one("#outputs", OutputTable)
        cells = {str(table.get_row(k)[0]): str(table.get_row(k)[1]) for k in table.rows}
        assert cells["lasso.n_zero"] == "hidden until you answer"
        assert cells["ridge.n_zero"] == "0"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.verdict is None and screen.session.answered == 0


async def test_a_wrong_count_is_off_by_units(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_learn(app, pilot, "sparsity")
        truth = int(screen.item.truth)
        await pilot.press(*str(truth + 3), "enter")
        await pilot.pause()
        assert "is 3 too high" in feedback(screen) and "%" not in feedback(screen)


async def test_right_answers_do_not_say_correct_twice(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_learn(app, pilot, "basics")
        await answer(screen, pilot, right=True)
        assert feedback(screen).startswith("✓ Correct")
        assert "Correct." not in feedback(screen)


async def test_matching_feedback_follows_the_rows_and_marks_the_wrong_pair(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_learn(app, pilot, "basics")
        while screen.item.type != "matching":
            await answer(screen, pilot, right=True)
            await next_question(app, pilot, screen)
        lefts = screen.item.lefts
        await answer(screen, pilot, right=False)  # every row matched with option A
        text = feedback(screen)
        rows = [line for line in text.splitlines() if line[:2] in ("✓ ", "✗ ")]
        assert [r.split(". ", 1)[1].split(" →")[0] for r in rows] == lefts
        assert sum(r.startswith("✗ ") for r in rows) == 1 and "(you: A)" in text
        wrong_row = next(i for i, r in enumerate(rows) if r.startswith("✗ "))
        assert f"row {wrong_row + 1} is wrong" in text


async def test_free_response_no_key_point_rated_easy_asks_to_confirm(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_on_free_response(app, pilot)
        await pilot.press(*"no idea", "ctrl+s")  # reveal
        await settle(app, pilot)
        body, rating = screen.query_one("#quiz-body"), screen.query_one("#rating")
        assert body.scroll_y > 0  # scrolled down to the rating step
        assert body.region.contains_region(rating.region), (body.region, rating.region)
        await pilot.press("4", "ctrl+s")
        await pilot.pause()
        assert screen.verdict is None and screen.session.answered == 1  # not counted yet
        assert "none of the 2 key points" in str(screen.query_one("#answer-error").render())
        await pilot.press("ctrl+s")  # confirmed
        await pilot.pause()
        assert screen.verdict is not None and screen.session.answers[-1].response.rating == 4


async def test_undo_gives_back_what_was_typed(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_learn(app, pilot, "sparsity")
        await answer(screen, pilot, right=True)
        await next_question(app, pilot, screen)
        await pilot.press(*"corners", "ctrl+s")
        await pilot.pause()
        await pilot.press("space", "3", "ctrl+s")
        await pilot.pause()
        assert screen.verdict is not None
        await pilot.press("u")
        await settle(app, pilot)
        assert screen.item.type == "free_response" and screen.verdict is None
        assert screen.query_one("#answer-essay").text == "corners"


async def test_a_question_warms_its_own_experiment_run_while_it_is_read(
    make_app, monkeypatch
) -> None:
    """``e`` after answering opens the run at once: it was computed while the learner read."""
    from studyreg.study import lab

    warmed: list[tuple[str, dict, int]] = []
    real = lab.warm

    def recording(name, params, seed, *, scope=None, pack_code=True):
        warmed.append((name, dict(params), seed))
        real(name, params, seed, scope=scope, pack_code=pack_code)

    monkeypatch.setattr(lab, "warm", recording)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_learn(app, pilot, "sparsity")
        await settle(app, pilot)
        name, params, seed = screen.item.experiment
        assert (name, dict(params), seed) in warmed  # (Home may have warmed its own too)


async def test_the_reveal_is_built_hidden_while_the_question_is_read(make_app, monkeypatch) -> None:
    """Built a moment after the question shows, so the key that reveals it only shows it;
    nothing of it is seen or focusable before."""
    from studyreg.tui.widgets import answer_inputs

    monkeypatch.setattr(answer_inputs, "PREBUILD_AFTER_S", 0.05)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await start_on_free_response(app, pilot)
        await pilot.pause(0.2)
        built = screen.query_one("#reveal")
        assert not built.display and screen.query_one("#key-points") not in screen.focus_chain
        await pilot.press(*"corners", "ctrl+s")
        await settle(app, pilot)
        assert screen.query_one("#reveal") is built and built.display
        assert app.focused is screen.query_one("#key-points")
        await pilot.press("space", "3", "ctrl+s")
        await settle(app, pilot)
        last = screen.session.answers[-1]
        assert (last.response.covered, last.response.rating) == (frozenset({0}), 3)


async def test_a_free_response_taken_away_as_it_is_revealed_does_not_crash(make_app) -> None:
    """The reveal is drawn a frame later; if its answer widget is gone by then (an exam
    running out of time as the learner reveals), nothing is left to draw or focus."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await start_on_free_response(app, pilot)
        widget = screen.answer_widget
        widget.reveal()
        await widget.remove()
        await settle(app, pilot)
        assert app.is_running and app.return_code is None
        assert not screen.query("#reveal")


async def test_a_question_shown_again_as_the_quiz_is_left_does_not_crash(make_app) -> None:
    """Undo, then leave while the question loads again: the quiz being taken down mounts
    no answer widget, so there is none to restore the answer into."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await start_learn(app, pilot, "basics")
        await answer(screen, pilot, right=False)
        undone = screen.session.undo_last()
        screen.undone = undone
        slot = screen.query_one("#answer-slot")
        slot.remove()  # taken down from here on: mounts nothing
        await screen.show_item(undone.item)
        await settle(app, pilot)
        assert app.is_running and app.return_code is None
        assert screen.item is undone.item
