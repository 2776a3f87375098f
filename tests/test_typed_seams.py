"""The seams between the app, its screens and the core are typed, so mypy (test_types)
checks the calls across them instead of skipping them."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "studyreg"


@pytest.mark.parametrize(
    "path",
    ["tui/workers.py", "tui/screens/home.py", "tui/screens/concept.py", "tui/screens/quiz.py"]
    + ["experiments/" + name + ".py" for name in ("l1_vs_l2", "reg_path", "dropout")],
)
def test_no_type_ignore_at_the_seams(path: str) -> None:
    assert "# type: ignore" not in (ROOT / path).read_text()


def test_the_session_and_the_app_name_the_progress_store_they_use() -> None:
    from studyreg.study.session import Session
    from studyreg.study.store import ProgressStore
    from studyreg.tui.app import StudyApp

    hints = typing.get_type_hints(Session, localns={"ProgressStore": ProgressStore})
    assert hints["store"] == ProgressStore | None
    init = typing.get_type_hints(StudyApp.__init__, localns={"ProgressStore": ProgressStore})
    assert init["store"] == ProgressStore | None


def test_study_app_is_the_running_app() -> None:
    from studyreg.tui.typed import study_app

    class Node:
        app = object()

    assert study_app(Node()) is Node.app  # type: ignore[arg-type]
