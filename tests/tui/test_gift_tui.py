"""A pack imported from Moodle's GIFT fixture, answered in the TUI: graded as Moodle grades it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import RadioButton, RadioSet, SelectionList

from studyreg.cli import main
from studyreg.tui.screens.quiz import QuizScreen
from tests.tui.answering import answer
from tests.tui.conftest import settle

MOODLE = Path(__file__).parents[1] / "data" / "gift" / "moodle"


def imported(tmp_path: Path, gift: Path | str) -> Path:
    source = gift if isinstance(gift, Path) else tmp_path / "quiz.gift"
    if isinstance(gift, str):
        source.write_text(gift, encoding="utf-8")
    target = tmp_path / "moodle"
    assert main(["import-gift", str(source), "-o", str(target)]) == 0
    return target


async def test_moodle_fixture_answered_right_in_the_tui(make_app, tmp_path: Path) -> None:
    pack = imported(tmp_path, MOODLE / "questions.gift.txt")
    app = make_app(pack_paths=[pack], seed=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.start_session("learn", ["moodle/questions-gift"])
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        seen: dict[str, float] = {}
        while screen.item is not None and screen.item.key not in seen:
            item = screen.item
            await answer(screen, pilot, right=True)
            assert screen.verdict is not None
            seen[item.key] = screen.verdict.score
            await pilot.press("n")
            await settle(app, pilot)
        assert len(seen) == 9 and set(seen.values()) == {1.0}


async def test_weights_in_the_tui(make_app, tmp_path: Path) -> None:
    pack = imported(
        tmp_path,
        "::town::Jesus Christ was from {\n~Jerusalem\n~%25%Bethlehem\n=Nazareth}.\n\n"
        "::colours::Between orange and green?{\n~%50%yellow\n~%-100%red\n~%50%off-beige\n}\n",
    )
    app = make_app(pack_paths=[pack], seed=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.start_session("quiz", ["moodle/quiz"])
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        scores = {}
        for _ in range(2):
            item = screen.item
            widget = screen.answer_widget
            if item.type == "single_choice":
                pick = item.options.index("Bethlehem")
                list(widget.query_one(RadioSet).query(RadioButton))[pick].value = True
            else:
                for text in ("yellow", "red"):
                    widget.query_one(SelectionList).select(item.options.index(text))
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
            scores[item.question.id] = screen.verdict.score
            await pilot.press("n")
            await settle(app, pilot)
        assert scores == {"town": 0.25, "colours": 0.0}
