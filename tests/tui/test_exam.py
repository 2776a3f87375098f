"""Exam: choose N, answer without feedback, then the summary with every mistake."""

from __future__ import annotations

from textual.widgets import Input

from studyreg.tui.dialogs.exam_setup import ExamSetupDialog
from studyreg.tui.screens.exam import ExamScreen, clock
from studyreg.tui.screens.summary import SummaryScreen
from tests.tui.answering import answer
from tests.tui.conftest import settle


async def start_exam(app, pilot, count: str, minutes: str = "") -> ExamScreen:
    await settle(app, pilot)
    await pilot.press("x")
    await pilot.pause()
    assert isinstance(app.screen, ExamSetupDialog)
    app.screen.query_one("#exam-count", Input).value = count
    app.screen.query_one("#exam-minutes", Input).value = minutes
    await pilot.click("#start")
    await settle(app, pilot)
    assert isinstance(app.screen, ExamScreen)
    return app.screen


async def test_an_exam_of_three_ends_in_a_summary_with_score_and_mistakes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        exam = await start_exam(app, pilot, "3")
        asked = []
        for right in (True, False, True):
            asked.append(exam.item)
            await answer(exam, pilot, right=right)
            if app.screen is exam:
                assert not exam.query_one("#feedback").display, "no feedback during an exam"
            await settle(app, pilot)
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert str(summary.query_one("#score").render()).startswith("Score 2/3 — 2 of 3 right")
        mistakes = [str(m.render()) for m in summary.query(".mistake")]
        assert len(mistakes) == 1
        assert asked[1].prompt in mistakes[0]
        assert f"Right answer: {asked[1].answer_text()}" in mistakes[0]


async def test_the_exam_dialog_explains_a_bad_count(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#exam-count", Input).value = "0"
        await pilot.click("#start")
        await pilot.pause()
        assert "1 to 500" in str(app.screen.query_one("#exam-error").render())


async def test_a_time_limit_shows_a_countdown(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        exam = await start_exam(app, pilot, "2", "5")
        assert "4:5" in str(exam.query_one("#countdown").render()) or "5:00" in str(
            exam.query_one("#countdown").render()
        )


def test_clock_rounds_up_to_whole_seconds() -> None:
    assert clock(61.2) == "1:02"
    assert clock(0) == "0:00"


async def test_retry_mistakes_quizzes_the_missed_question_with_feedback(make_app) -> None:
    from studyreg.tui.screens.quiz import QuizScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        exam = await start_exam(app, pilot, "3")
        asked = []
        for right in (True, False, True):
            asked.append(exam.item)
            await answer(exam, pilot, right=right)
            await settle(app, pilot)
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert summary.active_bindings["r"].binding.description == "Retry mistakes"
        await pilot.press("r")
        await settle(app, pilot)
        retry = app.screen
        assert isinstance(retry, QuizScreen) and retry.show_feedback
        assert retry.item.question is asked[1].question
        assert retry.session.remaining == 0
        await answer(retry, pilot, right=True)
        assert retry.verdict.correct and str(retry.query_one("#feedback").render())
