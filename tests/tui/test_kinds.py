"""Every question kind, cloze included, answered in the TUI's quiz and exam."""

from __future__ import annotations

from pathlib import Path

from studyreg.content.models import QUESTION_TYPES
from studyreg.study.session import Session
from studyreg.tui.screens.exam import ExamScreen
from studyreg.tui.screens.quiz import QuizScreen
from studyreg.tui.screens.summary import SummaryScreen
from tests.tui.answering import answer
from tests.tui.conftest import settle

EVERY_KIND = Path(__file__).parents[1] / "data" / "every_kind.yaml"


async def test_every_kind_is_answered_right_in_a_learn_session(make_app) -> None:
    app = make_app(pack_paths=[EVERY_KIND], seed=5)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        seen: set[str] = set()
        for concept in ("kinds", "lasso"):
            app.start_session("learn", [f"every-kind/{concept}"])
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, QuizScreen)
            while screen.item is not None and screen.item.key not in seen:
                seen.add(screen.item.key)
                await answer(screen, pilot, right=True)
                assert screen.verdict is not None and screen.verdict.correct, screen.item.type
                await pilot.press("n")
                await settle(app, pilot)
            app.pop_screen()
            await settle(app, pilot)
        assert {key.split("/")[-1] for key in seen} >= {"blanks", "live-blanks"}
        pack = app.catalog.packs[0]
        types = {q.type for c in pack.concepts for q in c.questions}
        assert types == set(QUESTION_TYPES) and len(seen) == sum(
            len(c.questions) for c in pack.concepts
        )


async def test_a_wrong_cloze_in_an_exam_shows_each_blank_in_the_summary(make_app) -> None:
    app = make_app(pack_paths=[EVERY_KIND], seed=5)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        session = Session(
            app.catalog,
            mode="exam",
            concept_ids=["every-kind/kinds"],
            types={"cloze"},
            count=1,
            seed=5,
            store=app.store,
        )
        app.push_screen(ExamScreen(session))
        await settle(app, pilot)
        exam = app.screen
        assert isinstance(exam, ExamScreen) and exam.item.type == "cloze"
        item = exam.item
        await answer(exam, pilot, right=False)
        await settle(app, pilot)
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        mistake = str(summary.query_one(".mistake").render())
        assert "12345; 12345" in mistake
        assert f"Right answer: {item.answer_text()}" in mistake
