"""Review: after each answer, Again/Hard/Good/Easy on keys 1–4 with fsrs's next interval on
each button, defaulting from the verdict; the summary says when each question comes back."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Button

from studyreg.tui.screens.quiz import QuizScreen
from studyreg.tui.screens.summary import SummaryScreen
from studyreg.tui.widgets.text_table import TextTable
from tests.tui.answering import answer
from tests.tui.conftest import settle


async def start_review(app, pilot, concept: str = "basics") -> QuizScreen:
    await settle(app, pilot)
    app.start_session("review", [f"tui-test/{concept}"])
    await settle(app, pilot)
    assert isinstance(app.screen, QuizScreen)
    assert app.screen.session.mode == "review" and app.screen.item is not None
    return app.screen


def labels(screen: QuizScreen) -> list[str]:
    return [str(screen.query_one(f"#rate-{n}", Button).label) for n in (1, 2, 3, 4)]


def chosen(screen: QuizScreen) -> list[int]:
    return [n for n in (1, 2, 3, 4) if screen.query_one(f"#rate-{n}").has_class("-chosen")]


async def test_a_wrong_answer_offers_four_ratings_with_intervals_and_defaults_to_again(
    make_app,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_review(app, pilot)
        assert not screen.query_one("#rating-bar").has_class("shown")
        item = screen.item
        await answer(screen, pilot, right=False)
        assert screen.query_one("#rating-bar").has_class("shown")
        # A new card: fsrs's learning steps, as its own scheduler computes them.
        assert labels(screen) == ["1 Again · 1m", "2 Hard · 6m", "3 Good · 10m", "4 Easy · 8d"]
        assert chosen(screen) == [1]
        await pilot.press("4")
        await pilot.pause()
        assert chosen(screen) == [4]
        last = screen.session.answers[-1]
        assert last.rating == 4 and last.verdict.status == "incorrect"  # the verdict stays
        card = app.store.card(item.key)
        assert card.due - last.answered_at == timedelta(days=8)
        assert "back in 8d" in str(screen.query_one("#returns").render())


async def test_digits_pick_options_before_answering_and_rate_after(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_review(app, pilot)
        await answer(screen, pilot, right=True)  # the number question first
        await pilot.press("n")
        await settle(app, pilot)
        assert screen.item.type == "single_choice"
        footer = screen.active_bindings
        assert footer["a"].binding.description == "Pick"
        assert footer["a"].binding.key_display == "a–c/1–3"
        assert not footer["1"].enabled or footer["1"].binding.action == "pick(0)"
        await pilot.press("2", "enter")  # B) Beta: wrong
        await pilot.pause()
        assert screen.verdict.status == "incorrect"
        assert screen.session.answers[-1].response == 1
        assert chosen(screen) == [1]
        footer = screen.active_bindings
        assert footer["1"].binding.action == "rate(1)" and footer["1"].enabled
        assert footer["1"].binding.key_display == "1–4"
        await pilot.press("2")  # now a rating: Hard, the answer unchanged
        await pilot.pause()
        assert chosen(screen) == [2]
        assert screen.session.answers[-1].response == 1
        assert screen.session.answers[-1].rating == 2


async def test_a_right_answer_defaults_to_good_and_the_summary_says_when_each_returns(
    make_app,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_review(app, pilot)
        await answer(screen, pilot, right=True)
        assert chosen(screen) == [3]  # right -> Good, even though it was quick
        await pilot.press("n")
        await settle(app, pilot)
        await answer(screen, pilot, right=False)
        await pilot.press("escape")  # leave: to the summary
        await settle(app, pilot)
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        table = summary.query_one("#comes-back", TextTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert [r[:3] for r in rows] == [["1m", "Again", "Basics"], ["10m", "Good", "Basics"]]
        assert not summary.check_action("retry", ())  # review's mistakes come back anyway
