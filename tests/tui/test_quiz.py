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
        screen = await start_learn(app, pilot, "sparsity")
        await answer(screen, pilot, right=True)  # the computed question first
        await pilot.press("n")
        await settle(app, pilot)
        assert screen.item.type == "free_response"
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
